//! The draaiboeken a facilitator can pick: the built-in three, the `*.toml` files in the
//! operator's directory (`--draaiboeken-dir`), and those uploaded by accounts, each kept in its
//! owner's folder under `{data_dir}/uploads/{owner}/`. An upload never replaces a built-in, an
//! operator's file or another owner's upload.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use draaiboeken::draaiboek::{self, BUILTIN_SOURCES, Draaiboek};
use parking_lot::RwLock;

use crate::error::ApiError;

/// Most uploaded draaiboeken kept in all (each is at most 256 KiB).
pub const MAX_UPLOADS: usize = 1000;
/// Most uploaded draaiboeken one account keeps.
pub const MAX_UPLOADS_PER_OWNER: usize = 100;
/// The folder of uploads, in the data directory.
pub const UPLOADS_DIR: &str = "uploads";

#[derive(Debug, Clone)]
pub struct Entry {
    pub file: String,
    pub source: String,
    pub draaiboek: Draaiboek,
    pub builtin: bool,
    /// Who uploaded it (an account's id); `None` for built-ins and the operator's files.
    pub owner: Option<String>,
}

pub struct Library {
    entries: RwLock<Vec<Arc<Entry>>>,
    uploads: Option<PathBuf>,
}

/// The valid `*.toml` files in `dir`, sorted by name, each with its source. Unreadable and
/// invalid files are logged with every problem and left out.
fn read_dir(dir: &Path) -> Vec<(String, String, Draaiboek)> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let file = path.display().to_string();
            let source = std::fs::read_to_string(&path)
                .map_err(|error| tracing::warn!(%file, %error, "could not read draaiboek"))
                .ok()?;
            match draaiboek::parse(&file, &source) {
                Ok(d) => Some((file, source, d)),
                Err(errors) => {
                    tracing::warn!(%errors, "draaiboek not loaded");
                    None
                }
            }
        })
        .collect()
}

/// Whether `owner` can be a folder's name: account ids are hex, the secret's owner a word.
fn safe_owner(owner: &str) -> bool {
    !owner.is_empty() && owner.len() <= 64 && owner.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Library {
    /// The built-in draaiboeken, every valid file in the operator's `dir`, and every upload
    /// in `uploads`. Of two with one id, the first loaded stays (built-ins, then the
    /// operator's, then uploads).
    pub fn load(dir: Option<&Path>, uploads: Option<&Path>) -> Self {
        let mut entries: Vec<Arc<Entry>> = BUILTIN_SOURCES
            .iter()
            .filter_map(|(file, source)| match draaiboek::parse(file, source) {
                Ok(d) => Some(Arc::new(Entry {
                    file: (*file).to_owned(),
                    source: (*source).to_owned(),
                    draaiboek: d,
                    builtin: true,
                    owner: None,
                })),
                Err(errors) => {
                    tracing::error!(%errors, "built-in draaiboek invalid");
                    None
                }
            })
            .collect();
        let mut found: Vec<(Option<String>, (String, String, Draaiboek))> = dir
            .map(read_dir)
            .unwrap_or_default()
            .into_iter()
            .map(|f| (None, f))
            .collect();
        if let Some(uploads) = uploads
            && let Ok(owners) = std::fs::read_dir(uploads)
        {
            let mut owners: Vec<(String, PathBuf)> = owners
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
                .filter(|(owner, _)| safe_owner(owner))
                .collect();
            owners.sort();
            for (owner, path) in owners {
                found.extend(
                    read_dir(&path)
                        .into_iter()
                        .map(|f| (Some(owner.clone()), f)),
                );
            }
        }
        for (owner, (file, source, d)) in found {
            if entries.iter().any(|e| e.draaiboek.id == d.id) {
                tracing::warn!(%file, id = %d.id, "a draaiboek with this id is already loaded; skipped");
                continue;
            }
            entries.push(Arc::new(Entry {
                file,
                source,
                draaiboek: d,
                builtin: false,
                owner,
            }));
        }
        Self {
            entries: RwLock::new(entries),
            uploads: uploads.map(Path::to_owned),
        }
    }

    pub fn all(&self) -> Vec<Arc<Entry>> {
        self.entries.read().clone()
    }

    pub fn get(&self, id: &str) -> Option<Arc<Entry>> {
        self.entries
            .read()
            .iter()
            .find(|e| e.draaiboek.id == id)
            .cloned()
    }

    /// Checks and saves a draaiboek uploaded by `owner` (each at most `MAX_SOURCE_BYTES`,
    /// which the API's body limit enforces): it replaces `owner`'s own upload with its id,
    /// never a built-in, an operator's file or another's upload.
    pub fn upload(&self, source: &str, owner: &str) -> Result<Arc<Entry>, ApiError> {
        if !safe_owner(owner) {
            return Err(ApiError::Internal(
                "an owner that can't be a folder name".into(),
            ));
        }
        let parsed = draaiboek::parse("upload.toml", source).map_err(ApiError::InvalidDraaiboek)?;
        let mut entries = self.entries.write();
        let replaces = match entries.iter().find(|e| e.draaiboek.id == parsed.id) {
            None => false,
            Some(e) if e.owner.as_deref() == Some(owner) => true,
            Some(e) => {
                return Err(ApiError::Conflict(format!(
                    "`{}` is {}; give yours another id",
                    parsed.id,
                    match (&e.owner, e.builtin) {
                        (_, true) => "a built-in draaiboek",
                        (None, false) => "a draaiboek that comes with this server",
                        (Some(_), false) => "someone else's draaiboek",
                    }
                )));
            }
        };
        if !replaces {
            let uploads = entries.iter().filter(|e| e.owner.is_some());
            let (all, own) = uploads.fold((0, 0), |(all, own), e| {
                (
                    all + 1,
                    own + usize::from(e.owner.as_deref() == Some(owner)),
                )
            });
            if own >= MAX_UPLOADS_PER_OWNER || all >= MAX_UPLOADS {
                return Err(ApiError::Conflict(format!(
                    "you have uploaded {own} draaiboeken (at most {MAX_UPLOADS_PER_OWNER}, and \
                     {MAX_UPLOADS} on this server); upload a new version of one of yours (same \
                     id) instead"
                )));
            }
        }
        let file = format!("{}.toml", parsed.id);
        if let Some(uploads) = &self.uploads {
            let dir = uploads.join(owner);
            std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(dir.join(&file), source))
                .map_err(|e| ApiError::Internal(Box::new(e)))?;
        }
        let entry = Arc::new(Entry {
            file,
            source: source.to_owned(),
            draaiboek: parsed,
            builtin: false,
            owner: Some(owner.to_owned()),
        });
        entries.retain(|e| e.draaiboek.id != entry.draaiboek.id);
        entries.push(entry.clone());
        Ok(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_id(id: &str) -> String {
        let builtin = draaiboek::BUILTIN_SOURCES[0].1;
        let builtin_id = draaiboek::parse("b.toml", builtin).unwrap().id;
        builtin.replacen(
            &format!("id = \"{builtin_id}\""),
            &format!("id = \"{id}\""),
            1,
        )
    }

    #[test]
    fn an_owner_keeps_at_most_max_uploads_per_owner_and_can_replace_each() {
        let library = Library::load(None, None);
        for i in 0..MAX_UPLOADS_PER_OWNER {
            library
                .upload(&with_id(&format!("eigen-{i}")), "anna")
                .unwrap();
        }
        let over = library.upload(&with_id("een-te-veel"), "anna");
        assert!(matches!(over, Err(ApiError::Conflict(_))), "{over:?}");
        library.upload(&with_id("eigen-0"), "anna").unwrap();
        library.upload(&with_id("van-bram"), "bram").unwrap();
    }

    #[test]
    fn an_upload_replaces_only_its_owners_own_and_survives_a_restart() {
        let data = tempfile::tempdir().unwrap();
        let (operator, uploads) = (data.path().join("eigen"), data.path().join(UPLOADS_DIR));
        std::fs::create_dir_all(&operator).unwrap();
        std::fs::write(operator.join("wijk.toml"), with_id("wijk")).unwrap();
        let library = Library::load(Some(&operator), Some(&uploads));
        let builtin = draaiboek::parse("b.toml", draaiboek::BUILTIN_SOURCES[0].1)
            .unwrap()
            .id;
        for (id, owner) in [(builtin.as_str(), "anna"), ("wijk", "anna")] {
            let refused = library.upload(&with_id(id), owner);
            assert!(
                matches!(refused, Err(ApiError::Conflict(_))),
                "{id}: {refused:?}"
            );
        }
        library.upload(&with_id("van-anna"), "anna").unwrap();
        let taken = library.upload(&with_id("van-anna"), "bram");
        assert!(matches!(taken, Err(ApiError::Conflict(_))), "{taken:?}");
        assert!(matches!(
            library.upload(&with_id("x"), "../etc"),
            Err(ApiError::Internal(_))
        ));
        // The operator's file is untouched, and the upload is in its owner's folder.
        assert_eq!(
            std::fs::read_to_string(operator.join("wijk.toml")).unwrap(),
            with_id("wijk")
        );
        let again = Library::load(Some(&operator), Some(&uploads));
        let mine = again.get("van-anna").unwrap();
        assert_eq!(mine.owner.as_deref(), Some("anna"));
        assert_eq!(again.get("wijk").unwrap().owner, None);
        let taken = again.upload(&with_id("van-anna"), "bram");
        assert!(matches!(taken, Err(ApiError::Conflict(_))), "{taken:?}");
    }
}

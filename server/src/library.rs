//! The draaiboeken a facilitator can pick: the built-in three, plus `*.toml` files in the
//! configured directory (where uploads through the API are saved too).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use draaiboeken::draaiboek::{self, BUILTIN_SOURCES, Draaiboek};
use parking_lot::RwLock;

use crate::error::ApiError;

/// Most uploaded draaiboeken kept (uploads are anonymous; each is at most 256 KiB).
pub const MAX_UPLOADS: usize = 100;

#[derive(Debug, Clone)]
pub struct Entry {
    pub file: String,
    pub source: String,
    pub draaiboek: Draaiboek,
    pub builtin: bool,
}

pub struct Library {
    entries: RwLock<Vec<Arc<Entry>>>,
    dir: Option<PathBuf>,
}

impl Library {
    /// The built-in draaiboeken and every valid file in `dir`. Invalid files are logged with
    /// every problem and left out.
    pub fn load(dir: Option<&Path>) -> Self {
        let mut entries: Vec<Arc<Entry>> = BUILTIN_SOURCES
            .iter()
            .filter_map(|(file, source)| match draaiboek::parse(file, source) {
                Ok(d) => Some(Arc::new(Entry {
                    file: (*file).to_owned(),
                    source: (*source).to_owned(),
                    draaiboek: d,
                    builtin: true,
                })),
                Err(errors) => {
                    tracing::error!(%errors, "built-in draaiboek invalid");
                    None
                }
            })
            .collect();
        if let Some(dir) = dir
            && let Ok(read) = std::fs::read_dir(dir)
        {
            let mut paths: Vec<PathBuf> = read
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            paths.sort();
            for path in paths {
                let file = path.display().to_string();
                let source = match std::fs::read_to_string(&path) {
                    Ok(s) => s,
                    Err(error) => {
                        tracing::warn!(%file, %error, "could not read draaiboek");
                        continue;
                    }
                };
                match draaiboek::parse(&file, &source) {
                    Ok(d) if entries.iter().any(|e| e.draaiboek.id == d.id) => {
                        tracing::warn!(%file, id = %d.id, "a draaiboek with this id is already loaded; skipped");
                    }
                    Ok(d) => entries.push(Arc::new(Entry {
                        file,
                        source,
                        draaiboek: d,
                        builtin: false,
                    })),
                    Err(errors) => tracing::warn!(%errors, "draaiboek not loaded"),
                }
            }
        }
        Self {
            entries: RwLock::new(entries),
            dir: dir.map(Path::to_owned),
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

    /// Validates an uploaded draaiboek and keeps it (replacing an earlier upload with its id).
    /// Checks and saves an uploaded draaiboek (at most [`MAX_UPLOADS`] different ones, each
    /// at most `MAX_SOURCE_BYTES`, which the API's body limit enforces).
    pub fn upload(&self, source: &str) -> Result<Arc<Entry>, ApiError> {
        let parsed = draaiboek::parse("upload.toml", source).map_err(ApiError::InvalidDraaiboek)?;
        if self.get(&parsed.id).is_some_and(|e| e.builtin) {
            return Err(ApiError::Conflict(format!(
                "`{}` is a built-in draaiboek; give yours another id",
                parsed.id
            )));
        }
        let uploads = self.entries.read().iter().filter(|e| !e.builtin).count();
        if uploads >= MAX_UPLOADS && self.get(&parsed.id).is_none() {
            return Err(ApiError::Conflict(format!(
                "there are {MAX_UPLOADS} uploaded draaiboeken already; upload a new version \
                 of one of them (same id) instead"
            )));
        }
        let file = format!("{}.toml", parsed.id);
        if let Some(dir) = &self.dir {
            std::fs::create_dir_all(dir)
                .and_then(|()| std::fs::write(dir.join(&file), source))
                .map_err(|e| ApiError::Internal(Box::new(e)))?;
        }
        let entry = Arc::new(Entry {
            file,
            source: source.to_owned(),
            draaiboek: parsed,
            builtin: false,
        });
        let mut entries = self.entries.write();
        entries.retain(|e| e.draaiboek.id != entry.draaiboek.id);
        entries.push(entry.clone());
        Ok(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_max_uploads_different_draaiboeken_are_kept_and_each_can_be_replaced() {
        let library = Library::load(None);
        let builtin = draaiboek::BUILTIN_SOURCES[0].1;
        let builtin_id = draaiboek::parse("b.toml", builtin).unwrap().id;
        let with_id = |id: &str| {
            builtin.replacen(
                &format!("id = \"{builtin_id}\""),
                &format!("id = \"{id}\""),
                1,
            )
        };
        for i in 0..MAX_UPLOADS {
            library.upload(&with_id(&format!("eigen-{i}"))).unwrap();
        }
        let over = library.upload(&with_id("een-te-veel"));
        assert!(matches!(over, Err(ApiError::Conflict(_))), "{over:?}");
        library.upload(&with_id("eigen-0")).unwrap();
    }
}

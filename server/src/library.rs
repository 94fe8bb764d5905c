//! The draaiboeken a facilitator can pick: the built-in three, plus `*.toml` files in the
//! configured directory (where uploads through the API are saved too).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use draaiboeken::draaiboek::{self, BUILTIN_SOURCES, Draaiboek};
use parking_lot::RwLock;

use crate::error::ApiError;

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
    pub fn upload(&self, source: &str) -> Result<Arc<Entry>, ApiError> {
        let parsed = draaiboek::parse("upload.toml", source).map_err(ApiError::InvalidDraaiboek)?;
        if self.get(&parsed.id).is_some_and(|e| e.builtin) {
            return Err(ApiError::Conflict(format!(
                "`{}` is a built-in draaiboek; give yours another id",
                parsed.id
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

//! Durable storage of documents, behind [`Store`] so another database can be added beside SQLite.
//!
//! A document is stored as an optional snapshot plus a log of updates (Yjs v1 encoding). All
//! access goes through one worker thread ([`worker`]) that batches appends into transactions and
//! compacts long logs into snapshots, so the async server never waits on the disk.

pub mod sqlite;
pub mod worker;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("could not create the data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("stored updates of room {room} could not be merged")]
    Merge { room: String },
    #[error("the storage worker has stopped")]
    WorkerGone,
}

/// One document's stored bytes: the snapshot (if any) first, then the updates after it, in order.
#[derive(Debug, Default)]
pub struct StoredDoc {
    pub updates: Vec<Vec<u8>>,
}

/// A database that keeps documents. Called from the storage worker thread only.
pub trait Store: Send + 'static {
    /// Everything stored for `room`, oldest first.
    fn load(&mut self, room: &str) -> Result<StoredDoc, StoreError>;
    /// Appends updates, all in one transaction: either all are durable or none.
    fn append(&mut self, batch: &[(&str, &[u8])]) -> Result<(), StoreError>;
    /// Replaces the snapshot and log of `room` by one merged snapshot.
    fn compact(&mut self, room: &str) -> Result<(), StoreError>;
    /// How many log entries follow the snapshot of `room`.
    fn log_len(&mut self, room: &str) -> Result<usize, StoreError>;
}

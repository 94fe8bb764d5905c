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
    #[error("{0} already exists")]
    Conflict(&'static str),
}

/// A live session as stored. The draaiboek is kept as its source text, as it was when the
/// session was created, so a later change to the file doesn't change a running session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id: String,
    pub code: String,
    pub draaiboek_file: String,
    pub draaiboek_source: String,
    /// SHA-256 of the facilitator's token.
    pub facilitator_token_hash: Vec<u8>,
    /// The agenda state, as JSON.
    pub agenda: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct MemberRecord {
    pub id: String,
    pub session_id: String,
    pub name: String,
    pub role: String,
    /// SHA-256 of the member's token.
    pub token_hash: Vec<u8>,
    pub joined_at: i64,
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

    /// Stores a new session; `Conflict` if its id or code is taken.
    fn insert_session(&mut self, session: &SessionRecord) -> Result<(), StoreError>;
    fn insert_member(&mut self, member: &MemberRecord) -> Result<(), StoreError>;
    fn save_agenda(&mut self, session_id: &str, agenda: &str) -> Result<(), StoreError>;
    /// Replaces the SHA-256 of a session's facilitator token (the link was rotated).
    fn set_facilitator_token(&mut self, session_id: &str, hash: &[u8]) -> Result<(), StoreError>;
    /// Every session and member (loaded once at start).
    fn load_sessions(&mut self) -> Result<(Vec<SessionRecord>, Vec<MemberRecord>), StoreError>;
}

//! Durable storage of documents, behind [`Store`] so another database can be added beside SQLite.
//!
//! A document is stored as an optional snapshot plus a log of updates (Yjs v1 encoding). A
//! backend only stores and loads bytes: merging updates and deciding when to compact is the
//! [`worker`]'s, the one thread that talks to the store, batches appends into transactions and
//! folds long logs into snapshots, so the async server never waits on the disk. [`open`] is the
//! one place a backend is chosen.

#[cfg(test)]
pub(crate) mod contract;
pub mod sqlite;
pub mod worker;

use thiserror::Error;

use crate::Settings;

/// Why the store could not do what was asked. Backend-neutral: each backend converts its own
/// errors into these (SQLite's in `sqlite.rs`).
#[derive(Debug, Error)]
pub enum StoreError {
    /// A record with the same key (an id, a join code, a token) is already stored.
    #[error("{0} already exists")]
    Conflict(&'static str),
    /// What is stored can't be used as what was written.
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// The backend failed: the database, its files or its connection.
    #[error("storage failed: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("the storage worker has stopped")]
    WorkerGone,
}

/// Opens the store the settings ask for. The one place a backend is chosen.
pub fn open(settings: &Settings) -> Result<Box<dyn Store>, StoreError> {
    Ok(Box::new(sqlite::SqliteStore::open(&settings.data_dir)?))
}

/// A live session as stored. The draaiboek is kept as its source text, as it was when the
/// session was created, so a later change to the file doesn't change a running session.
#[derive(Debug, Clone, PartialEq)]
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
    /// The account that created it (`None`: made with the organisers' secret, or before
    /// accounts existed).
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberRecord {
    pub id: String,
    pub session_id: String,
    pub name: String,
    pub role: String,
    /// SHA-256 of the member's token.
    pub token_hash: Vec<u8>,
    pub joined_at: i64,
}

/// An organiser's or facilitator's account (see `crate::accounts`).
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRecord {
    pub id: String,
    /// What they sign in with; unique, compared as stored (lowercase).
    pub name: String,
    /// `organiser` or `facilitator`.
    pub role: String,
    /// The password as an argon2id PHC string, or [`NO_PASSWORD`] (an account that signs in
    /// through the organisation's identity provider only).
    pub password_hash: String,
    pub created_at: i64,
}

/// The password hash of an account without a password: no PHC string, so no password matches.
pub const NO_PASSWORD: &str = "!";

/// A browser signed in to an account: the SHA-256 of its cookie's token, and until when.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginRecord {
    pub token_hash: Vec<u8>,
    pub account_id: String,
    pub expires_at: i64,
}

/// Where an entry sits in a room's log, as the backend numbers them: a later entry has a larger
/// position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LogPosition(pub i64);

/// One document's stored bytes: the snapshot (if any) first, then the updates after it, in order.
#[derive(Debug, Default)]
pub struct StoredDoc {
    pub updates: Vec<Vec<u8>>,
    /// The position of the last log entry; `None` when the log after the snapshot is empty.
    pub log_end: Option<LogPosition>,
}

/// A database that keeps documents and sessions. Called from the storage worker thread only, so
/// a backend needs no locking of its own.
pub trait Store: Send + 'static {
    /// Everything stored for `room`, oldest first.
    fn load(&mut self, room: &str) -> Result<StoredDoc, StoreError>;
    /// Appends updates to their rooms' logs, all in one transaction: either all are durable or
    /// none, and a room's updates load in the order given.
    fn append(&mut self, batch: &[(&str, &[u8])]) -> Result<(), StoreError>;
    /// Makes `snapshot` the snapshot of `room` and removes its log entries up to and including
    /// `through`, in one transaction. Entries after `through` stay.
    fn replace_snapshot(
        &mut self,
        room: &str,
        snapshot: &[u8],
        through: LogPosition,
    ) -> Result<(), StoreError>;

    /// Stores a new session; `Conflict` if its id or code is taken.
    fn insert_session(&mut self, session: &SessionRecord) -> Result<(), StoreError>;
    /// Stores a new member; `Conflict` if its id or token hash is taken.
    fn insert_member(&mut self, member: &MemberRecord) -> Result<(), StoreError>;
    fn save_agenda(&mut self, session_id: &str, agenda: &str) -> Result<(), StoreError>;
    /// Replaces the SHA-256 of a session's facilitator token (the link was rotated).
    fn set_facilitator_token(&mut self, session_id: &str, hash: &[u8]) -> Result<(), StoreError>;
    /// Makes `owner` (an account id) the session's owner: it was handed over.
    fn set_owner(&mut self, session_id: &str, owner: &str) -> Result<(), StoreError>;
    /// Every session (oldest first) and member (in the order they joined), loaded once at start.
    fn load_sessions(&mut self) -> Result<(Vec<SessionRecord>, Vec<MemberRecord>), StoreError>;
    /// Deletes a session for good: its record, its members, and the snapshot and log of every
    /// room whose name starts with `rooms`. When it returns, nothing of them can be read from
    /// the backend's files any more (not from free pages, not from a journal).
    fn delete_session(&mut self, session_id: &str, rooms: &str) -> Result<(), StoreError>;
    /// Deletes a member's record (they were removed from their session).
    fn delete_member(&mut self, member_id: &str) -> Result<(), StoreError>;
    /// Deletes the snapshot and log of each of `rooms` (exact names).
    fn delete_rooms(&mut self, rooms: &[String]) -> Result<(), StoreError>;
    /// Makes what was deleted or replaced so far unreadable from the backend's files (free
    /// pages, journals).
    fn forget_freed(&mut self) -> Result<(), StoreError>;

    /// Stores a new account; `Conflict` if its id or name is taken.
    fn insert_account(&mut self, account: &AccountRecord) -> Result<(), StoreError>;
    /// Every account, oldest first.
    fn accounts(&mut self) -> Result<Vec<AccountRecord>, StoreError>;
    fn account_by_name(&mut self, name: &str) -> Result<Option<AccountRecord>, StoreError>;
    /// Replaces an account's password hash and signs out every browser of it; false if there
    /// is no such account.
    fn set_password(&mut self, name: &str, password_hash: &str) -> Result<bool, StoreError>;
    /// Deletes an account and its sign-ins; false if there is no such account.
    fn delete_account(&mut self, name: &str) -> Result<bool, StoreError>;
    fn insert_login(&mut self, login: &LoginRecord) -> Result<(), StoreError>;
    /// The account signed in with `token_hash`, if that sign-in has not expired at `now`.
    /// Expired sign-ins are deleted on the way.
    fn login(&mut self, token_hash: &[u8], now: i64) -> Result<Option<AccountRecord>, StoreError>;
    fn delete_login(&mut self, token_hash: &[u8]) -> Result<(), StoreError>;

    /// The account linked to `subject` at the identity provider `issuer` (OpenID Connect).
    fn linked_account(
        &mut self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<AccountRecord>, StoreError>;
    /// Stores a new account linked to `subject` at `issuer`, in one transaction; `Conflict` if
    /// its name, its id or the link is taken.
    fn insert_linked_account(
        &mut self,
        account: &AccountRecord,
        issuer: &str,
        subject: &str,
    ) -> Result<(), StoreError>;
    /// Changes an account's role (the identity provider's role claim said another).
    fn set_role(&mut self, account_id: &str, role: &str) -> Result<(), StoreError>;
}

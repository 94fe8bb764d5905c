//! The embedded default: one SQLite file in the data directory, in WAL mode.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::{LogPosition, MemberRecord, SessionRecord, Store, StoreError, StoredDoc};

pub struct SqliteStore {
    conn: Connection,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS doc_snapshots (
    room TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL,
    updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;
CREATE TABLE IF NOT EXISTS doc_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL,
    data BLOB NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS doc_updates_by_room ON doc_updates (room, id);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    draaiboek_file TEXT NOT NULL,
    draaiboek_source TEXT NOT NULL,
    facilitator_token_hash BLOB NOT NULL,
    agenda TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS members (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    joined_at INTEGER NOT NULL
) STRICT;
";

impl SqliteStore {
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| {
            StoreError::Backend(Box::new(DataDirError {
                path: data_dir.to_owned(),
                source,
            }))
        })?;
        let conn = Connection::open(data_dir.join("werkmuur.sqlite3"))?;
        // WAL: readers don't block the writer. FULL: a committed batch survives power loss.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "busy_timeout", 5000)?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self { conn })
    }
}

impl Store for SqliteStore {
    fn load(&mut self, room: &str) -> Result<StoredDoc, StoreError> {
        let mut doc = StoredDoc::default();
        let snapshot: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT data FROM doc_snapshots WHERE room = ?1",
                [room],
                |r| r.get(0),
            )
            .optional()?;
        doc.updates.extend(snapshot);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, data FROM doc_updates WHERE room = ?1 ORDER BY id")?;
        let mut rows = stmt.query([room])?;
        while let Some(row) = rows.next()? {
            doc.log_end = Some(LogPosition(row.get(0)?));
            doc.updates.push(row.get(1)?);
        }
        Ok(doc)
    }

    fn append(&mut self, batch: &[(&str, &[u8])]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt =
                tx.prepare_cached("INSERT INTO doc_updates (room, data) VALUES (?1, ?2)")?;
            for (room, data) in batch {
                stmt.execute(params![room, data])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn replace_snapshot(
        &mut self,
        room: &str,
        snapshot: &[u8],
        through: LogPosition,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO doc_snapshots (room, data) VALUES (?1, ?2)
             ON CONFLICT (room) DO UPDATE SET data = excluded.data, updated_at = unixepoch()",
            params![room, snapshot],
        )?;
        tx.execute(
            "DELETE FROM doc_updates WHERE room = ?1 AND id <= ?2",
            params![room, through.0],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn insert_session(&mut self, s: &SessionRecord) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO sessions (id, code, draaiboek_file, draaiboek_source,
                     facilitator_token_hash, agenda, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    s.id,
                    s.code,
                    s.draaiboek_file,
                    s.draaiboek_source,
                    s.facilitator_token_hash,
                    s.agenda,
                    s.created_at
                ],
            )
            .map_err(|e| conflict(e, "session"))?;
        Ok(())
    }

    fn insert_member(&mut self, m: &MemberRecord) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO members (id, session_id, name, role, token_hash, joined_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    m.id,
                    m.session_id,
                    m.name,
                    m.role,
                    m.token_hash,
                    m.joined_at
                ],
            )
            .map_err(|e| conflict(e, "member"))?;
        Ok(())
    }

    fn set_facilitator_token(&mut self, session_id: &str, hash: &[u8]) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE sessions SET facilitator_token_hash = ?2 WHERE id = ?1",
            params![session_id, hash],
        )?;
        Ok(())
    }

    fn save_agenda(&mut self, session_id: &str, agenda: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE sessions SET agenda = ?2 WHERE id = ?1",
            params![session_id, agenda],
        )?;
        Ok(())
    }

    fn load_sessions(&mut self) -> Result<(Vec<SessionRecord>, Vec<MemberRecord>), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, code, draaiboek_file, draaiboek_source, facilitator_token_hash, agenda,
                    created_at FROM sessions ORDER BY created_at",
        )?;
        let sessions = stmt
            .query_map([], |r| {
                Ok(SessionRecord {
                    id: r.get(0)?,
                    code: r.get(1)?,
                    draaiboek_file: r.get(2)?,
                    draaiboek_source: r.get(3)?,
                    facilitator_token_hash: r.get(4)?,
                    agenda: r.get(5)?,
                    created_at: r.get(6)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT id, session_id, name, role, token_hash, joined_at FROM members
             ORDER BY joined_at, rowid",
        )?;
        let members = stmt
            .query_map([], |r| {
                Ok(MemberRecord {
                    id: r.get(0)?,
                    session_id: r.get(1)?,
                    name: r.get(2)?,
                    role: r.get(3)?,
                    token_hash: r.get(4)?,
                    joined_at: r.get(5)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((sessions, members))
    }
}

fn conflict(e: rusqlite::Error, what: &'static str) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Conflict(what)
        }
        e => e.into(),
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Backend(Box::new(e))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("could not create the data directory {path}: {source}")]
struct DataDirError {
    path: PathBuf,
    source: std::io::Error,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_keeps_the_store_contract() {
        let dir = tempfile::tempdir().unwrap();
        super::super::contract::check(&mut || Box::new(SqliteStore::open(dir.path()).unwrap()));
    }
}

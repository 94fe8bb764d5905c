//! The embedded default: one SQLite file in the data directory, in WAL mode.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::{
    AccountRecord, LogPosition, LoginRecord, MemberRecord, SessionRecord, Store, StoreError,
    StoredDoc,
};

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
    created_at INTEGER NOT NULL,
    owner TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS members (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    joined_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS logins (
    token_hash BLOB PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    expires_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS oidc_links (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    account_id TEXT NOT NULL UNIQUE REFERENCES accounts (id),
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    PRIMARY KEY (issuer, subject)
) STRICT;
";

/// The schema's version (`PRAGMA user_version`): 0 before accounts, 1 with them, 2 with
/// accounts linked to an identity provider (`oidc_links`). A database of an earlier version is
/// brought up to date at open, in [`migrate`].
const SCHEMA_VERSION: i64 = 2;

/// Brings a database made by an earlier version up to [`SCHEMA_VERSION`], one step at a time,
/// in one transaction. `SCHEMA` has made every missing table; here are the changes to tables
/// that already existed.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::Corrupt(format!(
            "the database is of a newer Werkmuur (schema {version}; this one knows {SCHEMA_VERSION})"
        )));
    }
    let tx = conn.transaction()?;
    if version < 1 {
        let has_owner: bool = tx.query_row(
            "SELECT count(*) FROM pragma_table_info('sessions') WHERE name = 'owner'",
            [],
            |r| r.get::<_, i64>(0).map(|n| n > 0),
        )?;
        if !has_owner {
            tx.execute_batch("ALTER TABLE sessions ADD COLUMN owner TEXT")?;
        }
    }
    // 1 to 2: `oidc_links` is a new table, which `SCHEMA` has made; no existing table changes.
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

/// The database's file in the data directory; SQLite keeps `-wal` and `-shm` beside it.
pub const FILE: &str = "werkmuur.sqlite3";

impl SqliteStore {
    /// Opens (or creates) the database in `data_dir`. The directory is made private to this
    /// user (0700) and the database's files readable by this user only (0600): they hold
    /// residents' names and words.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let data_dir_error = |source| {
            StoreError::Backend(Box::new(DataDirError {
                path: data_dir.to_owned(),
                source,
            }))
        };
        private::dir(data_dir).map_err(data_dir_error)?;
        let path = data_dir.join(FILE);
        // Made here, private, before SQLite opens it: SQLite gives its journal files the
        // database file's permissions.
        private::file(&path).map_err(data_dir_error)?;
        let mut conn = Connection::open(&path)?;
        // WAL: readers don't block the writer. FULL: a committed batch survives power loss.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "busy_timeout", 5000)?;
        // Deleted content is overwritten with zeros, not left in free pages.
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.execute_batch(SCHEMA)?;
        migrate(&mut conn)?;
        for journal in ["-wal", "-shm"] {
            let mut name = path.clone().into_os_string();
            name.push(journal);
            private::restrict(Path::new(&name)).map_err(data_dir_error)?;
        }
        Ok(Self { conn })
    }
}

/// Permissions of the data directory and the database's files.
mod private {
    use std::path::Path;

    #[cfg(unix)]
    pub fn dir(path: &Path) -> std::io::Result<()> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
    }

    #[cfg(unix)]
    pub fn file(path: &Path) -> std::io::Result<()> {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)?;
        restrict(path)
    }

    /// Makes an existing file readable by this user only (a database made by an earlier
    /// version was 0644).
    #[cfg(unix)]
    pub fn restrict(path: &Path) -> std::io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    #[cfg(not(unix))]
    pub fn dir(path: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(path)
    }

    #[cfg(not(unix))]
    pub fn file(_: &Path) -> std::io::Result<()> {
        Ok(())
    }

    #[cfg(not(unix))]
    pub fn restrict(_: &Path) -> std::io::Result<()> {
        Ok(())
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
                     facilitator_token_hash, agenda, created_at, owner)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    s.id,
                    s.code,
                    s.draaiboek_file,
                    s.draaiboek_source,
                    s.facilitator_token_hash,
                    s.agenda,
                    s.created_at,
                    s.owner
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

    fn set_owner(&mut self, session_id: &str, owner: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE sessions SET owner = ?2 WHERE id = ?1",
            params![session_id, owner],
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
                    created_at, owner FROM sessions ORDER BY created_at",
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
                    owner: r.get(7)?,
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

    fn delete_session(&mut self, session_id: &str, rooms: &str) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        // `substr`, not LIKE: a room name's `_` would be a wildcard.
        for table in ["doc_updates", "doc_snapshots"] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE substr(room, 1, length(?1)) = ?1"),
                [rooms],
            )?;
        }
        tx.execute("DELETE FROM members WHERE session_id = ?1", [session_id])?;
        tx.execute("DELETE FROM sessions WHERE id = ?1", [session_id])?;
        tx.commit()?;
        self.scrub()
    }

    fn delete_member(&mut self, member_id: &str) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM members WHERE id = ?1", [member_id])?;
        Ok(())
    }

    fn delete_rooms(&mut self, rooms: &[String]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for room in rooms {
            tx.execute("DELETE FROM doc_updates WHERE room = ?1", [room])?;
            tx.execute("DELETE FROM doc_snapshots WHERE room = ?1", [room])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn forget_freed(&mut self) -> Result<(), StoreError> {
        self.scrub()
    }

    fn insert_account(&mut self, a: &AccountRecord) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO accounts (id, name, role, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![a.id, a.name, a.role, a.password_hash, a.created_at],
            )
            .map_err(|e| conflict(e, "account"))?;
        Ok(())
    }

    fn accounts(&mut self) -> Result<Vec<AccountRecord>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY created_at, rowid"
        ))?;
        let rows = stmt
            .query_map([], account_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn account_by_name(&mut self, name: &str) -> Result<Option<AccountRecord>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE name = ?1"),
                [name],
                account_row,
            )
            .optional()?)
    }

    fn set_password(&mut self, name: &str, password_hash: &str) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE accounts SET password_hash = ?2 WHERE name = ?1",
            params![name, password_hash],
        )?;
        tx.execute(
            "DELETE FROM logins WHERE account_id IN (SELECT id FROM accounts WHERE name = ?1)",
            [name],
        )?;
        tx.commit()?;
        Ok(changed > 0)
    }

    fn delete_account(&mut self, name: &str) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM logins WHERE account_id IN (SELECT id FROM accounts WHERE name = ?1)",
            [name],
        )?;
        tx.execute(
            "DELETE FROM oidc_links WHERE account_id IN (SELECT id FROM accounts WHERE name = ?1)",
            [name],
        )?;
        let deleted = tx.execute("DELETE FROM accounts WHERE name = ?1", [name])?;
        tx.commit()?;
        Ok(deleted > 0)
    }

    fn insert_login(&mut self, l: &LoginRecord) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO logins (token_hash, account_id, expires_at) VALUES (?1, ?2, ?3)",
                params![l.token_hash, l.account_id, l.expires_at],
            )
            .map_err(|e| conflict(e, "sign-in"))?;
        Ok(())
    }

    fn login(&mut self, token_hash: &[u8], now: i64) -> Result<Option<AccountRecord>, StoreError> {
        self.conn
            .execute("DELETE FROM logins WHERE expires_at <= ?1", [now])?;
        let columns = ACCOUNT_COLUMNS.replace(", ", ", a.");
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT a.{columns} FROM logins l JOIN accounts a ON a.id = l.account_id
                     WHERE l.token_hash = ?1"
                ),
                [token_hash],
                account_row,
            )
            .optional()?)
    }

    fn delete_login(&mut self, token_hash: &[u8]) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM logins WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    fn linked_account(
        &mut self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<AccountRecord>, StoreError> {
        let columns = ACCOUNT_COLUMNS.replace(", ", ", a.");
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT a.{columns} FROM oidc_links l JOIN accounts a ON a.id = l.account_id
                     WHERE l.issuer = ?1 AND l.subject = ?2"
                ),
                [issuer, subject],
                account_row,
            )
            .optional()?)
    }

    fn insert_linked_account(
        &mut self,
        a: &AccountRecord,
        issuer: &str,
        subject: &str,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO accounts (id, name, role, password_hash, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![a.id, a.name, a.role, a.password_hash, a.created_at],
        )
        .map_err(|e| conflict(e, "account"))?;
        tx.execute(
            "INSERT INTO oidc_links (issuer, subject, account_id) VALUES (?1, ?2, ?3)",
            params![issuer, subject, a.id],
        )
        .map_err(|e| conflict(e, "link"))?;
        tx.commit()?;
        Ok(())
    }

    fn set_role(&mut self, account_id: &str, role: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE accounts SET role = ?2 WHERE id = ?1",
            params![account_id, role],
        )?;
        Ok(())
    }
}

const ACCOUNT_COLUMNS: &str = "id, name, role, password_hash, created_at";

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AccountRecord> {
    Ok(AccountRecord {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        password_hash: r.get(3)?,
        created_at: r.get(4)?,
    })
}

impl SqliteStore {
    /// Rewrites the database without its free pages and empties the WAL into it, so nothing
    /// deleted stays in either file.
    fn scrub(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch("VACUUM")?;
        // VACUUM in WAL mode writes the new database through the WAL; TRUNCATE copies it
        // into the database file and empties the WAL file.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            })?;
        Ok(())
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
    fn a_database_of_before_accounts_is_brought_up_to_date_and_keeps_its_sessions() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join(FILE)).unwrap();
            conn.execute_batch(
                "CREATE TABLE sessions (id TEXT PRIMARY KEY NOT NULL, code TEXT NOT NULL UNIQUE,
                     draaiboek_file TEXT NOT NULL, draaiboek_source TEXT NOT NULL,
                     facilitator_token_hash BLOB NOT NULL, agenda TEXT NOT NULL,
                     created_at INTEGER NOT NULL) STRICT;
                 INSERT INTO sessions VALUES ('s1', 'AAAAAA', 'a.toml', 'id = \"a\"', x'00', '{}', 5);",
            )
            .unwrap();
        }
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let (sessions, _) = store.load_sessions().unwrap();
        assert_eq!(
            (sessions[0].id.as_str(), sessions[0].owner.as_deref()),
            ("s1", None)
        );
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        drop(store);
        // Opening again changes nothing; a newer schema is refused, not damaged.
        let store = SqliteStore::open(dir.path()).unwrap();
        store
            .conn
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(store);
        assert!(matches!(
            SqliteStore::open(dir.path()),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn a_database_of_before_linked_accounts_is_brought_up_to_date_and_keeps_its_accounts() {
        let dir = tempfile::tempdir().unwrap();
        {
            // Schema 1 as it was: accounts and sign-ins, no `oidc_links`.
            let conn = Connection::open(dir.path().join(FILE)).unwrap();
            conn.execute_batch(
                "CREATE TABLE accounts (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL UNIQUE,
                     role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL)
                     STRICT;
                 CREATE TABLE logins (token_hash BLOB PRIMARY KEY NOT NULL,
                     account_id TEXT NOT NULL REFERENCES accounts (id),
                     expires_at INTEGER NOT NULL) STRICT;
                 INSERT INTO accounts VALUES ('a1', 'anna', 'organiser', '$argon2id$x', 5);
                 INSERT INTO logins VALUES (x'01', 'a1', 100);
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        }
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        assert_eq!(store.account_by_name("anna").unwrap().unwrap().id, "a1");
        assert_eq!(store.login(&[1], 50).unwrap().unwrap().name, "anna");
        assert_eq!(store.linked_account("https://idp", "sub-1").unwrap(), None);
        let linked = AccountRecord {
            id: "a2".into(),
            name: "bram".into(),
            role: "facilitator".into(),
            password_hash: crate::storage::NO_PASSWORD.into(),
            created_at: 6,
        };
        store
            .insert_linked_account(&linked, "https://idp", "sub-1")
            .unwrap();
        assert_eq!(
            store.linked_account("https://idp", "sub-1").unwrap(),
            Some(linked)
        );
    }

    #[test]
    fn sqlite_keeps_the_store_contract() {
        let dir = tempfile::tempdir().unwrap();
        super::super::contract::check(&mut || Box::new(SqliteStore::open(dir.path()).unwrap()));
    }

    /// The bytes of the database's files.
    fn raw(dir: &Path) -> Vec<u8> {
        ["", "-wal"]
            .iter()
            .flat_map(|suffix| {
                std::fs::read(dir.join(format!("{FILE}{suffix}"))).unwrap_or_default()
            })
            .collect()
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_deleted_session_is_gone_from_the_files_down_to_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let marker = b"Marker-Buurtkamer-7f3a";
        for (id, code) in [("s1", "AAAAAA"), ("s2", "CCCCCC")] {
            store
                .insert_session(&SessionRecord {
                    id: id.into(),
                    code: code.into(),
                    draaiboek_file: "x.toml".into(),
                    draaiboek_source: "id = \"x\"".into(),
                    facilitator_token_hash: vec![id.len() as u8; 32],
                    agenda: "{}".into(),
                    created_at: 0,
                    owner: None,
                })
                .unwrap();
        }
        store
            .insert_member(&MemberRecord {
                id: "m1".into(),
                session_id: "s1".into(),
                name: "Naam-Anouk-c41e".into(),
                role: "bewoner".into(),
                token_hash: vec![9; 32],
                joined_at: 0,
            })
            .unwrap();
        store
            .append(&[("sessie/s1/blok/2", marker), ("sessie/s2/blok/2", b"keep")])
            .unwrap();
        store
            .replace_snapshot("sessie/s1/blok/3", marker, LogPosition(0))
            .unwrap();
        assert!(
            contains(&raw(dir.path()), marker),
            "the test reads the right files"
        );

        store.delete_session("s1", "sessie/s1/").unwrap();
        let bytes = raw(dir.path());
        assert!(!contains(&bytes, marker));
        assert!(!contains(&bytes, b"Naam-Anouk-c41e"));
        assert!(!contains(&bytes, b"AAAAAA"));
        // The other session stays, whole.
        assert_eq!(store.load("sessie/s2/blok/2").unwrap().updates, [b"keep"]);
        assert_eq!(store.load_sessions().unwrap().0.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn the_data_directory_and_the_database_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("data");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut store = SqliteStore::open(&dir).unwrap();
        store.append(&[("r", b"x")]).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        for suffix in ["", "-wal", "-shm"] {
            let file = dir.join(format!("{FILE}{suffix}"));
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
    }
}

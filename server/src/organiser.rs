//! `werkmuur organiser …`: accounts on the command line, straight in the database (the server
//! reads accounts from it at every sign-in, so this works while it runs).

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::{Context, bail};
use werkmuur_server::accounts::{self, Role};
use werkmuur_server::storage::Store;
use werkmuur_server::storage::sqlite::SqliteStore;

use crate::OrganiserCommand;

/// The account made at a server's first start.
pub const FIRST: &str = "beheerder";

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Writes to standard output: this is the command's answer, not a log line.
pub fn say(text: &str) -> anyhow::Result<()> {
    writeln!(std::io::stdout().lock(), "{text}").context("writing to standard output")
}

/// The password to set: one line of standard input, or a new one made up (and printed).
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((accounts::generate_password(), true));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    accounts::check_password(&line)?;
    Ok((line, false))
}

pub fn run(data_dir: &Path, command: OrganiserCommand) -> anyhow::Result<()> {
    let mut store = SqliteStore::open(data_dir)
        .with_context(|| format!("opening the database in {}", data_dir.display()))?;
    match command {
        OrganiserCommand::Add {
            name,
            role,
            password_stdin,
        } => {
            let role = Role::parse(&role).context("role is organiser or facilitator")?;
            let (password, made_up) = password(password_stdin)?;
            let account = accounts::new_account(&name, &password, role, now_ms())?;
            match store.insert_account(&account) {
                Err(werkmuur_server::StoreError::Conflict(_)) => {
                    bail!(accounts::AccountError::Taken(account.name))
                }
                other => other?,
            }
            say(&format!(
                "Account `{}` made ({}).",
                account.name,
                role.as_str()
            ))?;
            if made_up {
                say(&format!("Password: {password}\n(shown only now)"))?;
            }
        }
        OrganiserCommand::Password {
            name,
            password_stdin,
        } => {
            let name = accounts::normalise_name(&name)?;
            let (password, made_up) = password(password_stdin)?;
            if !store.set_password(&name, &accounts::hash_password(&password)?)? {
                bail!(accounts::AccountError::NoSuch(name));
            }
            say(&format!(
                "New password for `{name}`; every browser of it is signed out."
            ))?;
            if made_up {
                say(&format!("Password: {password}\n(shown only now)"))?;
            }
        }
        OrganiserCommand::List => {
            for a in store.accounts()? {
                // Accounts of the identity provider sign in there, without a password.
                let how = if a.password_hash == werkmuur_server::storage::NO_PASSWORD {
                    "\tthrough the identity provider"
                } else {
                    ""
                };
                say(&format!("{}\t{}{how}", a.name, a.role))?;
            }
        }
        OrganiserCommand::Remove { name } => {
            let name = accounts::normalise_name(&name)?;
            if !store.delete_account(&name)? {
                bail!(accounts::AccountError::NoSuch(name));
            }
            say(&format!("Account `{name}` deleted."))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn accounts_are_added_given_new_passwords_listed_and_removed_in_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let add = |name: &str| OrganiserCommand::Add {
            name: name.into(),
            role: "facilitator".into(),
            password_stdin: false,
        };
        run(dir.path(), add("Anna")).unwrap();
        let again = run(dir.path(), add("anna")).unwrap_err();
        assert!(again.to_string().contains("already"), "{again}");
        assert!(run(dir.path(), add("a b")).is_err());
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let before = store.account_by_name("anna").unwrap().unwrap();
        assert_eq!(before.role, "facilitator");
        let name = || "anna".to_owned();
        run(
            dir.path(),
            OrganiserCommand::Password {
                name: name(),
                password_stdin: false,
            },
        )
        .unwrap();
        let after = store.account_by_name("anna").unwrap().unwrap();
        assert_ne!(before.password_hash, after.password_hash);
        run(dir.path(), OrganiserCommand::Remove { name: name() }).unwrap();
        assert!(store.accounts().unwrap().is_empty());
        assert!(run(dir.path(), OrganiserCommand::Remove { name: name() }).is_err());
    }
}

//! Organiser and facilitator accounts: who may start sessions, upload draaiboeken, see
//! sessions and their exports, end and delete them. A session's own facilitator link and its
//! participants' tokens are capabilities handed out by a session (`sessions.rs`); an account is
//! a person of the organisation who signs in.
//!
//! Passwords are kept as argon2id hashes (the `argon2` crate, OWASP's parameters); a browser
//! that signs in gets a random 256-bit token in an `HttpOnly; SameSite=Strict` cookie, of which
//! only the SHA-256 is stored, with its expiry. Accounts are made on the command line
//! (`werkmuur organiser add`), also while the server runs: every check reads the store.

use std::net::IpAddr;
use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use draaiboeken::agenda::Millis;
use draaiboeken::limit::Attempts;
use parking_lot::Mutex;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::sessions::{Clock, hash, internal, new_token, too_many};
use crate::storage::worker::StoreHandle;
use crate::storage::{AccountRecord, LoginRecord, NO_PASSWORD, StoreError};

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Every session of the organisation: list, export, end, delete; start sessions and
    /// upload draaiboeken.
    Organiser,
    /// Starts sessions and uploads draaiboeken; sees and manages the sessions they started or were handed.
    Facilitator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Organiser => "organiser",
            Role::Facilitator => "facilitator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "organiser" => Some(Role::Organiser),
            "facilitator" => Some(Role::Facilitator),
            _ => None,
        }
    }
}

/// A signed-in person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub role: Role,
}

impl TryFrom<AccountRecord> for Account {
    type Error = StoreError;

    fn try_from(r: AccountRecord) -> Result<Self, StoreError> {
        let role = Role::parse(&r.role).ok_or_else(|| {
            StoreError::Corrupt(format!("account {} has role `{}`", r.id, r.role))
        })?;
        Ok(Account {
            id: r.id,
            name: r.name,
            role,
        })
    }
}

/// Someone of the organisation behind a request: a signed-in account, or a tool holding the
/// organisers' secret (`--organiser-secret`, which counts as an organiser).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Staff {
    Secret,
    Account(Account),
}

/// The owner recorded for what the organisers' secret makes (uploads, sessions). Account ids
/// are hex, so it can't be one.
pub const SECRET_OWNER: &str = "secret";

impl Staff {
    /// Recorded as the owner of what they make.
    pub fn owner(&self) -> &str {
        match self {
            Staff::Secret => SECRET_OWNER,
            Staff::Account(a) => &a.id,
        }
    }

    /// Whether they see every session, not only their own.
    pub fn sees_all(&self) -> bool {
        match self {
            Staff::Secret => true,
            Staff::Account(a) => a.role == Role::Organiser,
        }
    }

    /// Whether they may see, export, end and delete a session made by `owner`.
    pub fn manages(&self, owner: Option<&str>) -> bool {
        self.sees_all() || owner == Some(self.owner())
    }
}

/// Why an account can't be made or changed as asked.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(
        "a name is {MIN_NAME_CHARS} to {MAX_NAME_CHARS} characters: letters, digits and . _ - @"
    )]
    BadName,
    #[error(
        "a password is at least {MIN_PASSWORD_CHARS} characters (and at most {MAX_PASSWORD_BYTES} bytes)"
    )]
    WeakPassword,
    #[error("there is already an account named `{0}`")]
    Taken(String),
    #[error("there is no account named `{0}`")]
    NoSuch(String),
    #[error("the password could not be hashed")]
    Hash,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub const MIN_NAME_CHARS: usize = 2;
pub const MAX_NAME_CHARS: usize = 64;
/// NCSC and NIST advice: length over rules about kinds of characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer passwords are refused before hashing: hashing is the costly part.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// How long a sign-in lasts: a working day and its evening.
pub const LOGIN_MS: Millis = 12 * 60 * 60_000;
/// The cookie that carries a sign-in's token.
pub const COOKIE: &str = "werkmuur_login";
/// Wrong passwords one address may try per window.
pub const PASSWORD_GUESSES_PER_WINDOW: u32 = 10;
pub const PASSWORD_GUESS_WINDOW_MS: Millis = 15 * 60_000;
/// Passwords hashed at once; more wait. Hashing takes 19 MiB and tens of milliseconds each, so
/// a crowd of sign-ins can't take the server's memory or every core.
const HASHING_AT_ONCE: usize = 2;

/// An account's name as stored: trimmed and lowercase, so `Anna` and `anna ` are one account.
pub fn normalise_name(name: &str) -> Result<String, AccountError> {
    let name = name.trim().to_lowercase();
    let chars = name.chars().count();
    let fine = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if !(MIN_NAME_CHARS..=MAX_NAME_CHARS).contains(&chars) || !fine {
        return Err(AccountError::BadName);
    }
    Ok(name)
}

pub fn check_password(password: &str) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > MAX_PASSWORD_BYTES {
        return Err(AccountError::WeakPassword);
    }
    Ok(())
}

/// An argon2id PHC string of `password`, with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    check_password(password)?;
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|_| AccountError::Hash)
}

fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A new account's record (not stored yet).
pub fn new_account(
    name: &str,
    password: &str,
    role: Role,
    now: Millis,
) -> Result<AccountRecord, AccountError> {
    Ok(AccountRecord {
        id: uuid::Uuid::new_v4().simple().to_string(),
        name: normalise_name(name)?,
        role: role.as_str().to_owned(),
        password_hash: hash_password(password)?,
        created_at: now,
    })
}

/// A password to hand out: 20 letters and digits without look-alikes (about 100 bits), in
/// groups of five to read out or type.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..4)
        .map(|_| {
            (0..5)
                .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Sign-in and the accounts behind cookies, for the HTTP handlers.
pub struct Accounts {
    store: StoreHandle,
    clock: Arc<dyn Clock>,
    hashing: tokio::sync::Semaphore,
    guesses: Mutex<Attempts<IpAddr>>,
    /// Checked when the name is unknown, so an unknown name takes as long as a wrong password.
    decoy: String,
}

impl Accounts {
    pub fn new(store: StoreHandle, clock: Arc<dyn Clock>) -> Result<Self, AccountError> {
        Ok(Self {
            store,
            clock,
            hashing: tokio::sync::Semaphore::new(HASHING_AT_ONCE),
            guesses: Mutex::new(Attempts::new(
                PASSWORD_GUESSES_PER_WINDOW,
                PASSWORD_GUESS_WINDOW_MS,
                100_000,
            )),
            decoy: hash_password(&generate_password())?,
        })
    }

    /// Checks `name` and `password` (from address `from`); on success a new sign-in's token,
    /// for the cookie. An address that has sent too many wrong passwords waits, also with a
    /// right one.
    pub async fn sign_in(
        &self,
        name: &str,
        password: &str,
        from: IpAddr,
    ) -> Result<(String, Account), ApiError> {
        let now = self.clock.now_ms();
        self.guesses.lock().check(&from, now).map_err(too_many)?;
        let record = match normalise_name(name) {
            Ok(name) => self
                .store
                .call(move |s| s.account_by_name(&name))
                .await
                .map_err(internal)?,
            Err(_) => None,
        }
        // An account that signs in through the identity provider has no password: it answers
        // as an unknown name does, after as long.
        .filter(|r| r.password_hash != NO_PASSWORD);
        let phc = record
            .as_ref()
            .map_or(self.decoy.clone(), |r| r.password_hash.clone());
        // Longer than any password can be: wrong, without the cost of hashing it.
        let password = password.to_owned();
        let right = password.len() <= MAX_PASSWORD_BYTES && {
            let _permit = self.hashing.acquire().await.map_err(internal)?;
            tokio::task::spawn_blocking(move || verify(&password, &phc))
                .await
                .map_err(internal)?
        };
        let record = match record {
            Some(record) if right => record,
            _ => {
                self.guesses.lock().count(from, now).map_err(|ms| {
                    tracing::warn!(%from, "too many wrong passwords from one address");
                    too_many(ms)
                })?;
                tracing::info!(%from, "sign-in refused");
                return Err(ApiError::Unauthorized("wrong name or password".into()));
            }
        };
        let account = Account::try_from(record).map_err(internal)?;
        let token = self.start_login(&account).await?;
        tracing::info!(account = %account.id, "signed in");
        Ok((token, account))
    }

    /// A new sign-in of `account`: its token, for the cookie (of which only the SHA-256 is
    /// stored, valid for [`LOGIN_MS`]). Every way of signing in ends here.
    async fn start_login(&self, account: &Account) -> Result<String, ApiError> {
        let token = new_token();
        let login = LoginRecord {
            token_hash: hash(&token).to_vec(),
            account_id: account.id.clone(),
            expires_at: self.clock.now_ms() + LOGIN_MS,
        };
        self.store
            .call(move |s| s.insert_login(&login))
            .await
            .map_err(internal)?;
        Ok(token)
    }

    /// Signs in the person the identity provider `link.issuer` vouched for as `link.subject`:
    /// the account linked to them, made on their first sign-in (named after the first usable
    /// of `link.names`, made unique). Their role is `link.role`'s (see [`LinkRole`]).
    pub async fn sign_in_linked(&self, link: Link) -> Result<(String, Account), ApiError> {
        let Link {
            issuer,
            subject,
            names,
            role,
        } = link;
        let now = self.clock.now_ms();
        let found = {
            let (issuer, subject) = (issuer.clone(), subject.clone());
            self.store
                .call(move |s| s.linked_account(&issuer, &subject))
                .await
                .map_err(internal)?
        };
        let record = match found {
            Some(mut record) => {
                if let LinkRole::Is(role) = role
                    && record.role != role.as_str()
                {
                    let id = record.id.clone();
                    self.store
                        .call(move |s| s.set_role(&id, role.as_str()))
                        .await
                        .map_err(internal)?;
                    tracing::info!(account = %record.id, role = role.as_str(),
                        "role changed by the identity provider");
                    record.role = role.as_str().to_owned();
                }
                record
            }
            None => {
                self.link_new(&issuer, &subject, &names, role.role(), now)
                    .await?
            }
        };
        let account = Account::try_from(record).map_err(internal)?;
        let token = self.start_login(&account).await?;
        tracing::info!(account = %account.id, "signed in through the identity provider");
        Ok((token, account))
    }

    /// A new account linked to `subject` at `issuer`, under the first free one of
    /// [`linked_names`]; a sign-in of the same person at the same moment may link first, and
    /// then its account is theirs.
    async fn link_new(
        &self,
        issuer: &str,
        subject: &str,
        names: &[String],
        role: Role,
        now: Millis,
    ) -> Result<AccountRecord, ApiError> {
        for name in linked_names(names, subject) {
            let record = AccountRecord {
                id: uuid::Uuid::new_v4().simple().to_string(),
                name,
                role: role.as_str().to_owned(),
                password_hash: NO_PASSWORD.to_owned(),
                created_at: now,
            };
            let (issuer, subject, stored) = (issuer.to_owned(), subject.to_owned(), record.clone());
            match self
                .store
                .call(
                    move |s| match s.insert_linked_account(&stored, &issuer, &subject) {
                        Err(StoreError::Conflict(_)) => s.linked_account(&issuer, &subject),
                        other => other.map(|()| Some(stored)),
                    },
                )
                .await
            {
                Ok(Some(record)) => {
                    tracing::info!(account = %record.id, role = role.as_str(),
                        "account made for a person of the identity provider");
                    return Ok(record);
                }
                // The name is taken: the next one.
                Ok(None) => continue,
                Err(e) => return Err(internal(e)),
            }
        }
        Err(ApiError::Conflict(
            "no free account name for this person; ask the administrator".into(),
        ))
    }

    /// The account signed in with the cookie's `token`, if it is still valid.
    pub async fn signed_in(&self, token: &str) -> Result<Option<Account>, ApiError> {
        let key = hash(token).to_vec();
        let now = self.clock.now_ms();
        let record = self
            .store
            .call(move |s| s.login(&key, now))
            .await
            .map_err(internal)?;
        record.map(Account::try_from).transpose().map_err(internal)
    }

    /// Every account, by name.
    pub async fn all(&self) -> Result<Vec<Account>, ApiError> {
        let records = self.store.call(|s| s.accounts()).await.map_err(internal)?;
        let mut accounts = records
            .into_iter()
            .map(Account::try_from)
            .collect::<Result<Vec<_>, _>>()
            .map_err(internal)?;
        accounts.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(accounts)
    }

    /// Ends the sign-in of `token`.
    pub async fn sign_out(&self, token: &str) -> Result<(), ApiError> {
        let key = hash(token).to_vec();
        self.store
            .call(move |s| s.delete_login(&key))
            .await
            .map_err(internal)
    }
}

/// Who the organisation's identity provider vouched for, to sign in (see
/// [`Accounts::sign_in_linked`]).
pub struct Link {
    /// The provider (its issuer URL) and its identifier of the person there, which never
    /// changes: the account is found by these two.
    pub issuer: String,
    pub subject: String,
    /// What to name a new account after, best first (`preferred_username`, `email`).
    pub names: Vec<String>,
    pub role: LinkRole,
}

/// The role of a person signing in through the identity provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRole {
    /// The provider says so (its role claim, or the default when it names none): their account
    /// gets it at every sign-in.
    Is(Role),
    /// The provider says nothing about roles: a new account gets this one, an existing one
    /// keeps its own.
    NewGets(Role),
}

impl LinkRole {
    fn role(self) -> Role {
        match self {
            LinkRole::Is(r) | LinkRole::NewGets(r) => r,
        }
    }
}

/// The names a linked account may get, in order: each usable hint made into an account name
/// (lowercase; other characters than letters, digits and `. _ - @` become `-`; at most
/// [`MAX_NAME_CHARS`]), then with `-2` to `-9` after it; without a usable hint, `oidc-` and the
/// start of the subject's SHA-256.
pub fn linked_names(hints: &[String], subject: &str) -> Vec<String> {
    let clean = |hint: &str| {
        let name: String = hint
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@') {
                    c
                } else {
                    '-'
                }
            })
            .take(MAX_NAME_CHARS - 2)
            .collect();
        // A name of only dashes says nothing: the next hint.
        normalise_name(&name)
            .ok()
            .filter(|n| n.chars().any(char::is_alphanumeric))
    };
    let fallback = format!(
        "oidc-{}",
        hash(subject)[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let mut bases: Vec<String> = hints.iter().filter_map(|h| clean(h)).collect();
    bases.push(fallback);
    let mut seen = std::collections::HashSet::new();
    bases.retain(|b| seen.insert(b.clone()));
    let mut names = bases.clone();
    for n in 2..=9 {
        names.extend(bases.iter().map(|b| format!("{b}-{n}")));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_account_whatever_their_case_and_odd_ones_are_refused() {
        assert_eq!(
            normalise_name(" Anna.de-Vries@Amsterdam.nl ").unwrap(),
            "anna.de-vries@amsterdam.nl"
        );
        assert_eq!(normalise_name("Gülşen").unwrap(), "gülşen");
        for bad in ["", "a", "anna de vries", "anna<script>", &"x".repeat(65)] {
            assert!(
                matches!(normalise_name(bad), Err(AccountError::BadName)),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_password_is_hashed_with_argon2id_and_only_the_right_one_verifies() {
        assert!(matches!(
            hash_password("kort"),
            Err(AccountError::WeakPassword)
        ));
        assert!(matches!(
            hash_password(&"x".repeat(MAX_PASSWORD_BYTES + 1)),
            Err(AccountError::WeakPassword)
        ));
        let phc = hash_password("lang genoeg wachtwoord").unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert!(!phc.contains("lang genoeg"));
        assert!(verify("lang genoeg wachtwoord", &phc));
        assert!(!verify("lang genoeg wachtwoorD", &phc));
        assert!(!verify("lang genoeg wachtwoord", "not a hash"));
        // A fresh salt each time.
        assert_ne!(phc, hash_password("lang genoeg wachtwoord").unwrap());
    }

    #[test]
    fn a_linked_account_is_named_after_its_hints_made_valid_and_unique() {
        let names = linked_names(
            &[
                "Anna de Vries".into(),
                "Anna@Gemeente.nl".into(),
                "<>".into(),
            ],
            "sub-1",
        );
        assert_eq!(names[..2], ["anna-de-vries", "anna@gemeente.nl"]);
        assert!(names[2].starts_with("oidc-"), "{names:?}");
        assert!(names.contains(&"anna-de-vries-2".to_owned()));
        assert!(
            names
                .iter()
                .all(|n| normalise_name(n).ok().as_deref() == Some(n.as_str()))
        );
        // No hint at all: still a name, the same for the same subject.
        assert_eq!(linked_names(&[], "sub-1")[0], names[2]);
        assert_ne!(linked_names(&[], "sub-2")[0], names[2]);
        let long = linked_names(&["x".repeat(200)], "s");
        assert!(long.iter().all(|n| n.chars().count() <= MAX_NAME_CHARS));
    }

    #[test]
    fn generated_passwords_are_long_enough_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert_ne!(a, b);
        assert_eq!(a.len(), 23);
        assert!(check_password(&a).is_ok());
    }

    #[test]
    fn organisers_manage_every_session_and_facilitators_their_own() {
        let account = |role| {
            Staff::Account(Account {
                id: "a1".into(),
                name: "anna".into(),
                role,
            })
        };
        let (organiser, facilitator) = (account(Role::Organiser), account(Role::Facilitator));
        for owner in [None, Some("a1"), Some("b2")] {
            assert!(organiser.manages(owner));
            assert!(Staff::Secret.manages(owner));
        }
        assert!(facilitator.manages(Some("a1")));
        assert!(!facilitator.manages(Some("b2")));
        assert!(!facilitator.manages(None));
        assert!(!facilitator.manages(Some(SECRET_OWNER)));
    }
}

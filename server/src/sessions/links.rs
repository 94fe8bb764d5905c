//! Who holds the keys to a session's console, and how they change hands.
//!
//! - The *facilitator link* (`/f/{id}#token`) is made with the session and can be replaced
//!   ([`Sessions::rotate`]): the old one, and everything derived from it, stops at once.
//! - A *console token* lets an account that manages the session (its owner, or an organiser)
//!   open the console from `/o` without the link ([`Sessions::open_console`]). Like the
//!   projector's token (see [`crate::projector`]) it is derived from the hash of the current
//!   facilitator link, here together with the account's id: it needs no storage, the owner's
//!   works again after a restart, and a new facilitator link replaces every one of them.
//! - *Handing over* ([`Sessions::hand_over`]) makes another account the owner: the session
//!   leaves the previous owner's list and their console token stops; by default the link is
//!   replaced too, so whoever still holds the old one is out.

use std::sync::Arc;

use draaiboeken::i18n::RefusalCode;
use draaiboeken::sessie::Effect;
use sha2::{Digest, Sha256};

use super::{Inner, Live, Principal, Sessions, hash, internal, new_token};
use crate::accounts::{Staff, normalise_name};
use crate::api::{Caller, Rotated};
use crate::error::ApiError;

/// The console token of `account` for the session whose facilitator link hashes to
/// `facilitator`.
fn console_token(facilitator: &[u8; 32], account: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"werkmuur console token\0");
    h.update(facilitator);
    h.update(account.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A console opened by an account.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ConsoleLink {
    /// Opens the console; keep it to yourself.
    #[schema(example = "/f/6f9619ff8b86d011b42d00c04fc964ff#…")]
    pub facilitator_url: String,
    pub facilitator_token: String,
}

/// Who a session belongs to after a hand-over.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct HandedOver {
    /// The account's name.
    #[schema(example = "fatima")]
    pub owner: String,
    /// Whether the facilitator link (and the projector code) was replaced.
    pub new_link: bool,
}

impl Inner {
    /// Registers `account`'s console token for `session` and returns it; `None` if the session
    /// is unknown.
    pub(super) fn add_console(&mut self, session: &str, account: &str) -> Option<String> {
        let facilitator = *self.facilitators.get(session)?;
        let token = console_token(&facilitator, account);
        let key = hash(&token);
        let consoles = self.consoles.entry(session.to_owned()).or_default();
        if !consoles.iter().any(|(_, k)| *k == key) {
            consoles.push((account.to_owned(), key));
        }
        self.tokens.insert(
            key,
            Principal::Facilitator {
                session: session.to_owned(),
                token: key,
            },
        );
        Some(token)
    }

    /// Stops the console tokens of `session` whose account `revoke` picks.
    pub(super) fn revoke_consoles(&mut self, session: &str, revoke: impl Fn(&str) -> bool) {
        let Some(consoles) = self.consoles.get_mut(session) else {
            return;
        };
        let tokens = &mut self.tokens;
        consoles.retain(|(account, key)| {
            let gone = revoke(account);
            if gone {
                tokens.remove(key);
            }
            !gone
        });
    }
}

impl Sessions {
    /// The session `id`, if `caller` is signed in and manages it.
    fn staff_managed(
        &self,
        id: &str,
        caller: &Caller,
        what: &str,
    ) -> Result<(Arc<Live>, Staff), ApiError> {
        let staff = caller.staff.clone().ok_or_else(|| {
            ApiError::Unauthorized(format!("sign in (as its owner or an organiser) to {what}"))
        })?;
        let live = self
            .session(id)
            .ok_or_else(|| ApiError::NotFound("no such session".into()))?;
        if !staff.manages(live.owner().as_deref()) {
            return Err(ApiError::Forbidden(format!(
                "only an organiser, or the account this session belongs to, can {what}"
            )));
        }
        Ok((live, staff))
    }

    /// A console token for the signed-in `caller`, who manages session `id`.
    pub async fn open_console(&self, id: &str, caller: &Caller) -> Result<ConsoleLink, ApiError> {
        let (live, staff) = self.staff_managed(id, caller, "open its console")?;
        let token = self
            .inner
            .lock()
            .add_console(&live.id, staff.owner())
            .ok_or_else(|| ApiError::NotFound("no such session".into()))?;
        tracing::info!(session = %live.id, account = staff.owner(), "console opened from an account");
        Ok(ConsoleLink {
            facilitator_url: format!("/f/{}#{token}", live.id),
            facilitator_token: token,
        })
    }

    /// Makes the account named `to` the owner of session `id` (asked by its owner or an
    /// organiser). The previous owner's console token stops; with `new_link` the facilitator
    /// link is replaced as well, and with it the projector code and every console token.
    pub async fn hand_over(
        &self,
        id: &str,
        caller: &Caller,
        to: &str,
        new_link: bool,
    ) -> Result<HandedOver, ApiError> {
        let _one_at_a_time = self.handing_over.lock().await;
        let (live, _) = self.staff_managed(id, caller, "hand it over")?;
        let unknown = |name: &str| {
            ApiError::Refused(
                RefusalCode::NoSuchAccount,
                format!("there is no account named `{name}`"),
            )
        };
        let name = normalise_name(to).map_err(|_| unknown(to))?;
        let lookup = name.clone();
        let account = self
            .store
            .call(move |s| s.account_by_name(&lookup))
            .await
            .map_err(internal)?
            .ok_or_else(|| unknown(&name))?;
        let (session_id, owner) = (live.id.clone(), account.id.clone());
        self.store
            .call(move |s| s.set_owner(&session_id, &owner))
            .await
            .map_err(internal)?;
        let previous = live.owner.lock().replace(account.id.clone());
        if new_link {
            self.replace_link(&live).await?;
        } else if let Some(previous) = previous.filter(|p| *p != account.id) {
            self.inner
                .lock()
                .revoke_consoles(&live.id, |a| a == previous);
            self.execute(&live, vec![Effect::Reauthorize]).await?;
        }
        tracing::info!(session = %live.id, to = %account.id, new_link, "session handed over");
        Ok(HandedOver {
            owner: account.name,
            new_link,
        })
    }

    /// A new facilitator link for session `id`; the old one stops working at once, also on the
    /// screens that had it open (for a link that was shared too widely).
    pub async fn rotate(&self, id: &str, token: &str) -> Result<Rotated, ApiError> {
        let live = self.facilitated(id, token, "make a new link")?;
        let fresh = self.replace_link(&live).await?;
        tracing::info!(session = %live.id, "facilitator link rotated");
        Ok(Rotated {
            facilitator_url: format!("/f/{}#{fresh}", live.id),
            facilitator_token: fresh,
        })
    }

    /// Stores and puts in place a new facilitator link, then asks every open connection again.
    async fn replace_link(&self, live: &Live) -> Result<String, ApiError> {
        let fresh = new_token();
        let fresh_hash = hash(&fresh);
        let session_id = live.id.clone();
        self.store
            .call(move |s| s.set_facilitator_token(&session_id, &fresh_hash))
            .await
            .map_err(internal)?;
        self.inner.lock().set_facilitator(&live.id, fresh_hash);
        self.execute(live, vec![Effect::Reauthorize]).await?;
        Ok(fresh)
    }
}

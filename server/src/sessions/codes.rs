//! Codes and credentials, each checked against a per-address guess limit first: join codes
//! and projector codes share one limit, tokens, secrets and sign-in states another. An address
//! over a limit waits, even with a right guess: otherwise the answer would still tell a right
//! guess from a wrong one.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use draaiboeken::sessie;

use super::{Inner, Live, Sessions, hash, too_many};
use crate::error::ApiError;

const NO_SUCH_CODE: &str = "no session with this code; check the code on the screen";
pub(crate) const NO_SUCH_PROJECTOR_CODE: &str =
    "no session has this projector code; the console shows it";

impl Sessions {
    /// The session with this join code, as typed (see [`sessie::normalise_code`]) by someone
    /// at address `from`.
    pub(crate) fn by_code(&self, code: &str, from: IpAddr) -> Result<Arc<Live>, ApiError> {
        let live = self.lookup_code(code, from, |inner| &inner.by_code, NO_SUCH_CODE)?;
        if live.core.lock().ended() {
            return Err(ApiError::Gone(
                "this session has ended; its code admits no one".into(),
            ));
        }
        Ok(live)
    }

    /// The session whose projector code (see [`crate::projector`]) is `code`, as typed at
    /// address `from`; counted against the same limit as wrong join codes.
    pub(crate) fn by_projector_code(
        &self,
        code: &str,
        from: IpAddr,
    ) -> Result<Arc<Live>, ApiError> {
        let live = self.lookup_code(
            code,
            from,
            |inner| &inner.by_projector_code,
            NO_SUCH_PROJECTOR_CODE,
        )?;
        if live.core.lock().ended() {
            return Err(ApiError::Gone("this session has ended".into()));
        }
        Ok(live)
    }

    /// The live session that `codes` (of [`Inner`]) maps `code` to; a miss counts against
    /// `from`'s limit of wrong codes and answers 404 with `missing`.
    fn lookup_code(
        &self,
        code: &str,
        from: IpAddr,
        codes: fn(&Inner) -> &HashMap<String, String>,
        missing: &str,
    ) -> Result<Arc<Live>, ApiError> {
        let now = self.now_ms();
        self.code_guesses
            .lock()
            .check(&from, now)
            .map_err(too_many)?;
        let code = sessie::normalise_code(code);
        let found = {
            let inner = self.inner.lock();
            codes(&inner)
                .get(&code)
                .and_then(|id| inner.by_id.get(id))
                .cloned()
        };
        found.ok_or_else(|| {
            if let Err(ms) = self.code_guesses.lock().count(from, now) {
                tracing::warn!(%from, "too many wrong codes from one address");
                return too_many(ms);
            }
            ApiError::NotFound(missing.to_owned())
        })
    }

    /// Counts `token`, sent from `from`, if it is no one's: every credential is checked here
    /// first (an HTTP `Authorization` or a websocket's `token`), so tokens and the organisers'
    /// secret can't be guessed faster than join codes.
    pub(crate) fn check_credential(&self, token: &str, from: IpAddr) -> Result<(), ApiError> {
        let now = self.now_ms();
        let mut guesses = self.token_guesses.lock();
        guesses.check(&from, now).map_err(too_many)?;
        if self.principal(token).is_none() && !self.is_organiser(token) {
            guesses.count(from, now).map_err(|ms| {
                tracing::warn!(%from, "too many unknown tokens from one address");
                too_many(ms)
            })?;
        }
        Ok(())
    }

    /// Refuses (429) an address that has guessed too many credentials, before it presents
    /// another that [`Sessions::count_unknown_credential`] may count (a sign-in's `state`).
    pub(crate) fn check_guesses(&self, from: IpAddr) -> Result<(), ApiError> {
        self.token_guesses
            .lock()
            .check(&from, self.now_ms())
            .map_err(too_many)
    }

    /// Counts a credential from `from` that proved to be no one's (a sign-in cookie of no
    /// sign-in), against the same limit as [`Sessions::check_credential`].
    pub(crate) fn count_unknown_credential(&self, from: IpAddr) -> Result<(), ApiError> {
        self.token_guesses
            .lock()
            .count(from, self.now_ms())
            .map_err(too_many)
    }

    /// Whether `token` is the organisers' secret. Compared as hashes, so the comparison takes
    /// the same time however much of it matches.
    pub(crate) fn is_organiser(&self, token: &str) -> bool {
        self.organiser.is_some_and(|o| o == hash(token))
    }
}

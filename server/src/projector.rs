//! The room's screen as a role of its own: a projector, often the venue's computer rather than
//! the facilitator's laptop, reads what the room may see (`Who::Projector` in the core) and
//! nothing else, and can't steer.
//!
//! Its token is derived from the hash of the session's facilitator link, so it needs no
//! storage of its own and a new facilitator link (a rotation) replaces it too. Only the server
//! holds that hash, and whoever could read it from the database could read the boards there
//! anyway. From the token follows a short *projector code*, typed on the venue's computer at
//! `/p`: the code is worth the token, and wrong codes count against the same per-address limit
//! as wrong join codes.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::api::Caller;
use crate::error::ApiError;
use crate::sessions::{Live, Sessions};

/// Characters in a projector code: 23⁸ ≈ 7.8·10¹⁰ codes, so at the join codes' guessing limit
/// (100 per address per 10 minutes) finding any one session takes centuries.
pub const CODE_LEN: usize = 8;
const CODE_ALPHABET: &[u8] = b"ACDEFHJKMNPRTUVWXY34679";

/// The projector token of the session whose facilitator link hashes to `facilitator`.
pub(crate) fn token(facilitator: &[u8; 32]) -> String {
    let mut h = Sha256::new();
    h.update(b"werkmuur projector token\0");
    h.update(facilitator);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The code that stands for projector token `token`, as it is stored and looked up (without
/// the dash it is shown with).
pub(crate) fn code(token: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"werkmuur projector code\0");
    h.update(token.as_bytes());
    h.finalize()
        .iter()
        .take(CODE_LEN)
        .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
        .collect()
}

/// A projector code as people read it: two groups of four.
fn shown(code: &str) -> String {
    let (a, b) = code.split_at(code.len() / 2);
    format!("{a}-{b}")
}

/// How a screen becomes the session's projector.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ProjectorLink {
    /// Typed at `/p` on the screen's computer.
    #[schema(example = "ACDE-FH34")]
    pub code: String,
    /// Opens the projector directly, e.g. from the facilitator's own computer.
    pub projector_url: String,
    pub token: String,
}

/// What a screen gets for a right projector code.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Paired {
    pub session_id: String,
    pub token: String,
}

impl Sessions {
    /// The projector's code and link of session `id`, for its facilitator or an account that
    /// manages it.
    pub fn projector_link(&self, id: &str, caller: &Caller) -> Result<ProjectorLink, ApiError> {
        let live = self.managed(id, caller, "put the session on a projector")?;
        let facilitator = self
            .current_facilitator_hash(&live.id)
            .ok_or_else(|| ApiError::NotFound("no such session".into()))?;
        let token = token(&facilitator);
        Ok(ProjectorLink {
            code: shown(&code(&token)),
            projector_url: format!("/p/{}#{token}", live.id),
            token,
        })
    }

    /// The session and projector token for projector code `code`, typed at address `from`.
    pub fn pair_projector(&self, code: &str, from: std::net::IpAddr) -> Result<Paired, ApiError> {
        let live: Arc<Live> = self.by_projector_code(code, from)?;
        let facilitator = self
            .current_facilitator_hash(&live.id)
            .ok_or_else(|| ApiError::NotFound(crate::sessions::NO_SUCH_PROJECTOR_CODE.into()))?;
        tracing::info!(session = %live.id, %from, "a screen became the projector");
        Ok(Paired {
            session_id: live.id.clone(),
            token: token(&facilitator),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_typeable_and_follow_the_token() {
        let a = token(&[1; 32]);
        let b = token(&[2; 32]);
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        let (ca, cb) = (code(&a), code(&b));
        assert_ne!(ca, cb);
        assert_eq!(ca.len(), CODE_LEN);
        assert!(ca.bytes().all(|c| CODE_ALPHABET.contains(&c)));
        assert_eq!(code(&a), ca, "the same token, the same code");
        // As shown, typed back: the same code.
        assert_eq!(draaiboeken::sessie::normalise_code(&shown(&ca)), ca);
    }
}

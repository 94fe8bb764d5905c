//! What a person is told when the server says no. The API's reasons are English and written
//! for whoever programs against it; screens say instead what the refusal means for the reader,
//! in their language: by a [`RefusalCode`] where the server sends one, else by the HTTP status.

use super::{Key, Lang, t};

/// A refusal people meet in the normal course of things, sent as `code` beside the API's
/// English `error`. The one list of them: the server sends these, the screens read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    /// A name that is empty, too long or has control characters.
    Name,
    /// A role the session doesn't have (or none).
    Role,
    /// The session has as many members as it takes.
    Full,
    /// The session has ended.
    Ended,
    /// No account has the name given (handing a session over).
    NoSuchAccount,
    /// The server keeps as many sessions as it may.
    ServerFull,
    /// The participant was taken out of the session.
    Removed,
}

impl RefusalCode {
    /// Its HTTP status.
    pub fn status(self) -> u16 {
        match self {
            RefusalCode::Name | RefusalCode::Role | RefusalCode::NoSuchAccount => 422,
            RefusalCode::Full | RefusalCode::ServerFull => 409,
            RefusalCode::Ended | RefusalCode::Removed => 410,
        }
    }

    fn key(self) -> Key {
        match self {
            RefusalCode::Name => Key::RefusedName,
            RefusalCode::Role => Key::ChooseRole,
            RefusalCode::Full => Key::RefusedFull,
            RefusalCode::Ended => Key::SessionOver,
            RefusalCode::NoSuchAccount => Key::RefusedNoSuchAccount,
            RefusalCode::ServerFull => Key::RefusedServerFull,
            RefusalCode::Removed => Key::RefusedRemoved,
        }
    }
}

/// What a screen in `lang` says for a refusal with HTTP `status` and, if the server sent one,
/// `code`.
pub fn refusal_text(lang: Lang, status: u16, code: Option<RefusalCode>) -> &'static str {
    let key = code.map_or_else(
        || match status {
            400 => Key::RefusedBadRequest,
            401 => Key::RefusedSignIn,
            403 => Key::RefusedForbidden,
            404 => Key::RefusedNotFound,
            409 => Key::RefusedConflict,
            410 => Key::SessionOver,
            413 => Key::RefusedTooLarge,
            429 => Key::TooManyTries,
            500.. => Key::RefusedServer,
            _ => Key::RefusedInvalid,
        },
        RefusalCode::key,
    );
    t(lang, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_reads_in_every_language_and_codes_go_both_ways() {
        let codes = [
            RefusalCode::Name,
            RefusalCode::Role,
            RefusalCode::Full,
            RefusalCode::Ended,
            RefusalCode::NoSuchAccount,
            RefusalCode::ServerFull,
            RefusalCode::Removed,
        ];
        for &lang in Lang::ALL {
            for status in [400, 401, 403, 404, 409, 410, 413, 418, 422, 429, 500, 503] {
                assert!(!refusal_text(lang, status, None).is_empty());
            }
            for code in codes {
                assert!(!refusal_text(lang, code.status(), Some(code)).is_empty());
            }
            let name = refusal_text(lang, 422, Some(RefusalCode::Name));
            assert!(
                name.contains(&crate::sessie::MAX_NAME_CHARS.to_string()),
                "{name}"
            );
        }
        for code in codes {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(serde_json::from_str::<RefusalCode>(&json).unwrap(), code);
        }
        assert_eq!(
            serde_json::to_string(&RefusalCode::NoSuchAccount).unwrap(),
            "\"no_such_account\""
        );
        assert_eq!(
            refusal_text(Lang::Nl, 422, Some(RefusalCode::NoSuchAccount)),
            "Er is geen account met die naam."
        );
    }
}

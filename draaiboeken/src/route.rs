//! The browser app's addresses, and which bundle (surface) serves each.
//!
//! The app is built as one bundle per surface so a phone never downloads the console. The
//! server picks the page shell for a path with [`Surface::for_path`]; each bundle parses the
//! path again with [`Route::parse`] and shows its page. One parser for both, so they can't
//! disagree. [`SignInRefusal`] is why `/o` was given a failed sign-in back.

use crate::sync::is_room_name;

/// The accessibility statement, which the server draws itself (no bundle, no script).
pub const STATEMENT_PATH: &str = "/toegankelijkheid";

/// What the address bar asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: join with a code, start a session, or open a wall.
    Home,
    /// `/r/{room}`: a standalone wall.
    Room(String),
    /// `/j/{code}`: a phone joins a session.
    Join(String),
    /// `/s/{id}`: a participant in a session.
    Session(String),
    /// `/f/{id}`: the facilitator's console.
    Console(String),
    /// `/p/{id}`: the projector.
    Projector(String),
    /// `/p`: a computer becomes a session's projector with the code the console shows.
    ProjectorCode,
    /// `/o`: organisers: every session and its exports.
    Organiser,
}

/// One browser bundle, with its own page shell (`{name}.html`) and code (`pkg/{name}.js`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The way in: the home page and a phone's join screen. The smallest bundle, since a phone
    /// on venue Wi-Fi waits for it; its page shell prefetches the phone's bundle.
    Join,
    /// Phones in a session (the participant's pages) and standalone walls.
    Phone,
    /// The facilitator's console and the organisers' page (a laptop).
    Console,
    /// The wall on the projector.
    Projector,
}

impl Surface {
    pub const ALL: [Surface; 4] = [
        Surface::Join,
        Surface::Phone,
        Surface::Console,
        Surface::Projector,
    ];

    /// The bundle's file name stem.
    pub fn name(self) -> &'static str {
        match self {
            Surface::Join => "join",
            Surface::Phone => "phone",
            Surface::Console => "console",
            Surface::Projector => "projector",
        }
    }

    /// The bundle that serves `path`; unknown paths get the home page's.
    pub fn for_path(path: &str) -> Surface {
        Route::parse(path).surface()
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Route {
    /// Any path parses; what is not an app address is [`Route::Home`].
    pub fn parse(path: &str) -> Route {
        match path {
            "/o" => return Route::Organiser,
            "/p" => return Route::ProjectorCode,
            _ => {}
        }
        if let Some(room) = path.strip_prefix("/r/").filter(|r| is_room_name(r)) {
            return Route::Room(room.to_owned());
        }
        for (prefix, make) in [
            ("/j/", Route::Join as fn(String) -> Route),
            ("/s/", Route::Session),
            ("/f/", Route::Console),
            ("/p/", Route::Projector),
        ] {
            if let Some(id) = path.strip_prefix(prefix).filter(|s| is_id(s)) {
                return make(id.to_owned());
            }
        }
        Route::Home
    }

    pub fn surface(&self) -> Surface {
        match self {
            Route::Home | Route::Join(_) => Surface::Join,
            Route::Room(_) | Route::Session(_) => Surface::Phone,
            Route::Console(_) | Route::Organiser => Surface::Console,
            Route::Projector(_) | Route::ProjectorCode => Surface::Projector,
        }
    }
}

/// Why a sign-in through the organisation's identity provider (OpenID Connect) did not go
/// through: the server sends the browser back to `/o?oidc={code}` and the page says it in the
/// person's language. One list for the server and the app, so they can't disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefusal {
    /// The sign-in is unknown, already used, expired, or was started in another browser.
    Expired,
    /// The identity provider said no (or the person cancelled there).
    Refused,
    /// The provider's answer could not be verified (the code exchange, the ID token).
    Invalid,
    /// The provider can't be reached, or its configuration can't be read.
    Unreachable,
    /// Signed in at the provider, but not given a role in Werkmuur.
    NoRole,
    /// Too many attempts from this address.
    TooMany,
}

impl SignInRefusal {
    pub const ALL: [SignInRefusal; 6] = [
        SignInRefusal::Expired,
        SignInRefusal::Refused,
        SignInRefusal::Invalid,
        SignInRefusal::Unreachable,
        SignInRefusal::NoRole,
        SignInRefusal::TooMany,
    ];

    /// The value of `oidc` in `/o?oidc=…`.
    pub fn code(self) -> &'static str {
        match self {
            SignInRefusal::Expired => "expired",
            SignInRefusal::Refused => "refused",
            SignInRefusal::Invalid => "invalid",
            SignInRefusal::Unreachable => "unreachable",
            SignInRefusal::NoRole => "no-role",
            SignInRefusal::TooMany => "too-many",
        }
    }

    pub fn parse(code: &str) -> Option<SignInRefusal> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What the organisers' page says about it.
    pub fn message(self) -> crate::i18n::Key {
        use crate::i18n::Key;
        match self {
            SignInRefusal::Expired => Key::OidcExpired,
            SignInRefusal::Refused => Key::OidcRefused,
            SignInRefusal::Invalid => Key::OidcInvalid,
            SignInRefusal::Unreachable => Key::OidcUnreachable,
            SignInRefusal::NoRole => Key::OidcNoRole,
            SignInRefusal::TooMany => Key::OidcTooMany,
        }
    }

    /// Where the browser is sent: the organisers' page, saying why.
    pub fn location(self) -> String {
        format!("/o?oidc={}", self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_has_one_surface() {
        let cases = [
            ("/", Route::Home, Surface::Join),
            ("/j/ABC123", Route::Join("ABC123".into()), Surface::Join),
            ("/s/abc", Route::Session("abc".into()), Surface::Phone),
            ("/r/hal/1", Route::Room("hal/1".into()), Surface::Phone),
            ("/f/abc", Route::Console("abc".into()), Surface::Console),
            ("/o", Route::Organiser, Surface::Console),
            ("/p/abc", Route::Projector("abc".into()), Surface::Projector),
            ("/p", Route::ProjectorCode, Surface::Projector),
            // Not an address: the home page, never the console.
            ("/f/", Route::Home, Surface::Join),
            ("/f/a-b", Route::Home, Surface::Join),
            ("/o/x", Route::Home, Surface::Join),
            ("/r/../x", Route::Home, Surface::Join),
            ("/nergens", Route::Home, Surface::Join),
        ];
        for (path, route, surface) in cases {
            assert_eq!(Route::parse(path), route, "{path}");
            assert_eq!(Surface::for_path(path), surface, "{path}");
        }
        let long = format!("/p/{}", "a".repeat(65));
        assert_eq!(Route::parse(&long), Route::Home);
    }

    #[test]
    fn every_sign_in_refusal_reads_back_from_its_code() {
        for refusal in SignInRefusal::ALL {
            assert_eq!(SignInRefusal::parse(refusal.code()), Some(refusal));
            assert_eq!(
                Route::parse(refusal.location().split('?').next().unwrap()),
                Route::Organiser
            );
        }
        assert_eq!(SignInRefusal::parse("nonsense"), None);
    }

    #[test]
    fn surface_names_are_distinct_file_stems() {
        let names: std::collections::BTreeSet<_> = Surface::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(names.len(), Surface::ALL.len());
        assert!(
            names
                .iter()
                .all(|n| n.bytes().all(|b| b.is_ascii_lowercase()))
        );
    }
}

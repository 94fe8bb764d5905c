//! The OpenAPI 3.1 description of `/api`, served at `/api/openapi.json`.
//!
//! Nothing here lists routes or shapes: `api::router` registers each route together with its
//! handler's `#[utoipa::path]`, and the schemas are derived from the serde types
//! (`utoipa::ToSchema`; the core's with its `openapi` feature). This file holds what is said
//! about the API as a whole.

use std::sync::Arc;

use axum::Json;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

const DESCRIPTION: &str = "Draaiboeken, live sessions and their agenda. Shared boards are Yjs \
documents synced over the y-websocket protocol at `GET /sync/{room}` (not described here): a \
session's rooms are `sessie/{id}/agenda` (written only by the server and the facilitator; map \
`agenda` with JSON strings `state`, `steps` and `control`), `sessie/{id}/leden` (the members and \
who is online; facilitator only), `sessie/{id}/blok/{n}` (the board of step n), \
`sessie/{id}/blok/{n}/groep/{g}` (group g's board in a group step) and \
`sessie/{id}/blok/{n}/eigen/{member}` (a member's private notes before the reveal). Who may read \
or write which room follows the agenda and `control`, and is decided again whenever either \
changes. Pass the token as the `token` query parameter of the websocket URL.";

#[derive(OpenApi)]
#[openapi(
    info(title = "Werkmuur API", description = DESCRIPTION),
    // Named by `answers`, which hold no types to collect them from.
    components(schemas(crate::error::ErrorBody, crate::api::SessionView)),
    modifiers(&Token)
)]
struct Base;

/// The security schemes the operations name: `token` (a bearer token) and `login` (the
/// sign-in cookie).
struct Token;

impl utoipa::Modify for Token {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "The facilitator's or a participant's token; tools may send the organisers' \
                 secret (`--organiser-secret`), which counts as an organiser.",
            ))
            .build();
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("token", SecurityScheme::Http(scheme));
        components.add_security_scheme(
            "login",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::accounts::COOKIE,
                "Set by `POST /api/login`: an organiser's or facilitator's account.",
            ))),
        );
    }
}

/// The document before any route is added to it.
pub fn base() -> utoipa::openapi::OpenApi {
    Base::openapi()
}

/// The whole description, as `/api/openapi.json` serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    crate::api::router().into_openapi()
}

/// The description the API router was built with, for its handler.
#[derive(Clone)]
pub struct Document(Arc<utoipa::openapi::OpenApi>);

impl Document {
    pub fn new(document: utoipa::openapi::OpenApi) -> Self {
        Self(Arc::new(document))
    }

    pub fn response(&self) -> Response {
        Json(&*self.0).into_response()
    }
}

/// Answers that several operations share, each set described once; a handler's `responses(..)`
/// names a set beside its own answers.
pub mod answers {
    use std::collections::BTreeMap;

    use utoipa::ToSchema;
    use utoipa::openapi::header::Header;
    use utoipa::openapi::response::Response;
    use utoipa::openapi::{ContentBuilder, Object, Ref, RefOr, ResponseBuilder, Type};

    use crate::api::SessionView;
    use crate::error::ErrorBody;

    type Responses = BTreeMap<String, RefOr<Response>>;

    /// A JSON response whose body is the schema `T`.
    fn json<T: ToSchema>(description: &str) -> ResponseBuilder {
        let body = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(T::name())))
            .build();
        ResponseBuilder::new()
            .description(description)
            .content("application/json", body)
    }

    /// Every credential is guess-limited per address (`guesses.rs`).
    const GUESSED: (u16, &str) = (
        429,
        "Too many unknown tokens from this address (100 per 10 minutes); wait as many seconds \
         as `Retry-After` says",
    );

    /// JSON error bodies with these statuses and descriptions.
    fn refusals(refusals: &[(u16, &str)]) -> Responses {
        refusals
            .iter()
            .map(|&(status, description)| {
                let mut response = json::<ErrorBody>(description);
                if status == 429 {
                    let seconds = Header::new(Object::with_type(Type::Integer));
                    response = response.header("Retry-After", seconds);
                }
                (status.to_string(), response.build().into())
            })
            .collect()
    }

    /// A facilitator's operation on their session, refused.
    pub struct Facilitator;

    impl utoipa::IntoResponses for Facilitator {
        fn responses() -> Responses {
            refusals(&[
                (401, "No or unknown token"),
                (403, "Not the facilitator"),
                (404, "No such session"),
                GUESSED,
            ])
        }
    }

    /// An operation its facilitator or an organiser may do on a session, refused.
    pub struct Managed;

    impl utoipa::IntoResponses for Managed {
        fn responses() -> Responses {
            refusals(&[
                (401, "No or unknown token"),
                (403, "Neither its facilitator nor an organiser"),
                (404, "No such session (or member)"),
                GUESSED,
            ])
        }
    }

    /// A facilitator's command (agenda or control): the session after it, or a refusal.
    pub struct Steered;

    impl utoipa::IntoResponses for Steered {
        fn responses() -> Responses {
            let mut responses = Facilitator::responses();
            responses.append(&mut refusals(&[
                (400, "Malformed command"),
                (410, "The session has ended: nothing changes any more"),
            ]));
            let done = json::<SessionView>("The session after the command");
            responses.insert("200".into(), done.build().into());
            responses
        }
    }

    /// A session read by one of its members or its facilitator, refused.
    pub struct Member;

    impl utoipa::IntoResponses for Member {
        fn responses() -> Responses {
            refusals(&[
                (401, "No or unknown token"),
                (403, "Token of another session"),
                (404, "No such session"),
                (
                    410,
                    "The session has ended: participants' tokens no longer work",
                ),
                GUESSED,
            ])
        }
    }

    /// A session looked up by its join code, refused; wrong codes are counted per address.
    pub struct ByCode;

    impl utoipa::IntoResponses for ByCode {
        fn responses() -> Responses {
            refusals(&[
                (404, "No session with this code"),
                (410, "The session has ended: its code admits no one"),
                (
                    429,
                    "Too many wrong codes from this address (100 per 10 minutes); wait as many \
                     seconds as `Retry-After` says",
                ),
            ])
        }
    }
}

//! Every credential a request carries is checked against the guessing limit before any handler
//! sees it: a bearer token (`Authorization`) or a websocket's `token` query parameter. See
//! [`crate::sessions::Sessions::check_credential`].

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// The credential a request carries, if any.
fn credential(request: &Request) -> Option<String> {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if let Some(token) = bearer.filter(|t| !t.is_empty()) {
        return Some(token.to_owned());
    }
    let query = request.uri().query()?;
    query.split('&').find_map(|pair| {
        let value = pair.strip_prefix("token=")?;
        // Tokens are hex; anything percent-encoded is no token of ours, and counts as a guess.
        Some(value.to_owned())
    })
}

/// Refuses (429) a request whose address has guessed too many credentials.
pub async fn limit(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let from = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    if let (Some(from), Some(token)) = (from, credential(&request))
        && let Err(refused) = app.sessions.check_credential(&token, from)
    {
        return refused.into_response();
    }
    next.run(request).await
}

//! `/api/oidc`: signing in through the organisation's identity provider (see `crate::oidc`).
//! The browser goes to `start`, on to the provider, and comes back to `callback`, which ends
//! on `/o`: signed in (the cookie `POST /api/login` sets), or with the reason it didn't work
//! (`/o?oidc={reason}`, a [`SignInRefusal`]). Without `--oidc-issuer` these answer 404.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cookie::{Cookie, SameSite};
use draaiboeken::route::SignInRefusal;
use serde::Serialize;
use std::sync::Arc;

use super::accounts::{cookie, request_cookie, secure_cookies};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::oidc::{BROWSER_COOKIE, Callback, Oidc, OidcError, PENDING_MS};

/// Whether the organisers' page offers signing in through the organisation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OidcOffer {
    /// Sign-in through the organisation's identity provider is configured: `/api/oidc/start`.
    pub offered: bool,
}

/// Whether sign-in through the organisation's identity provider is offered
#[utoipa::path(get, path = "/api/oidc", responses(
    (status = 200, description = "Offered or not", body = OidcOffer),
))]
pub(super) async fn offer(State(app): State<AppState>) -> Json<OidcOffer> {
    Json(OidcOffer {
        offered: app.oidc.is_some(),
    })
}

fn configured(app: &AppState) -> Result<Arc<Oidc>, ApiError> {
    app.oidc.clone().ok_or_else(|| {
        ApiError::NotFound(
            "sign-in through an identity provider is not configured on this server \
             (`werkmuur serve --oidc-issuer …`); sign in with a name and password"
                .into(),
        )
    })
}

/// The browser's cookie of a sign-in under way (`value`), or the one that ends it (`None`).
/// `SameSite=Lax`: the provider's page sends the browser back from another site, and a
/// `Strict` cookie would stay behind.
fn browser_cookie(app: &AppState, value: Option<&str>) -> String {
    let mut c = Cookie::build((BROWSER_COOKIE, value.unwrap_or_default().to_owned()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure_cookies(app))
        .path("/api/oidc")
        .build();
    c.set_max_age(cookie::time::Duration::milliseconds(match value {
        Some(_) => PENDING_MS,
        None => 0,
    }));
    c.to_string()
}

/// A 303 to `location`, with `cookies` set.
fn see_other(location: &str, cookies: &[String]) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    for c in cookies {
        if let Ok(value) = c.parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Back to the organisers' page, saying why the sign-in didn't go through.
fn refused(app: &AppState, error: &OidcError, from: std::net::IpAddr) -> Response {
    tracing::info!(%from, %error, "sign-in through the identity provider refused");
    see_other(&error.refusal().location(), &[browser_cookie(app, None)])
}

/// Sign in through the organisation's identity provider
///
/// Sends the browser to the provider's sign-in page (authorization code flow with PKCE,
/// `state` and `nonce`), with a cookie that ties the sign-in to this browser for 10 minutes.
#[utoipa::path(get, path = "/api/oidc/start", responses(
    (status = 303, description = "To the provider's sign-in page; or, when it can't be reached \
        or this address started too many sign-ins, back to `/o?oidc=unreachable|too-many`",
        headers(("Location" = String), ("Set-Cookie" = String, description = "werkmuur_oidc=…; HttpOnly; SameSite=Lax"))),
    (status = 404, description = "Not configured on this server", body = ErrorBody),
))]
pub(super) async fn start(
    State(app): State<AppState>,
    ConnectInfo(from): ConnectInfo<std::net::SocketAddr>,
) -> Result<Response, ApiError> {
    let oidc = configured(&app)?;
    Ok(match oidc.start(from.ip()).await {
        Ok(started) => see_other(
            &started.url,
            &[browser_cookie(&app, Some(&started.browser))],
        ),
        Err(error) => refused(&app, &error, from.ip()),
    })
}

/// Where the identity provider sends the browser back
///
/// Checks `state` (once: a second callback with it is refused) and this browser's cookie,
/// exchanges `code` and verifies the ID token, then signs in the account linked to the person
/// (made on their first sign-in), as `POST /api/login` does. Wrong `state`s count against the
/// address's limit of guessed credentials.
#[utoipa::path(get, path = "/api/oidc/callback",
    params(
        ("state" = Option<String>, Query, description = "As sent to the provider"),
        ("code" = Option<String>, Query, description = "The authorization code"),
        ("error" = Option<String>, Query, description = "The provider's refusal"),
    ),
    responses(
        (status = 303, description = "Signed in: to `/o`, with the sign-in cookie \
            (`werkmuur_login`, as `POST /api/login` sets it); refused: to `/o?oidc={reason}` \
            (expired, refused, invalid, unreachable, no-role, too-many)",
            headers(("Location" = String), ("Set-Cookie" = String))),
        (status = 404, description = "Not configured on this server", body = ErrorBody),
    ),
)]
pub(super) async fn callback(
    State(app): State<AppState>,
    ConnectInfo(from): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    query: Result<Query<Callback>, QueryRejection>,
) -> Result<Response, ApiError> {
    let oidc = configured(&app)?;
    let from = from.ip();
    if app.sessions.check_guesses(from).is_err() {
        tracing::warn!(%from, "too many guessed credentials from one address");
        return Ok(see_other(
            &SignInRefusal::TooMany.location(),
            &[browser_cookie(&app, None)],
        ));
    }
    let callback = query.map(|Query(c)| c).unwrap_or_default();
    let browser = request_cookie(&headers, BROWSER_COOKIE);
    let link = match oidc.finish(callback, browser.as_deref()).await {
        Ok(link) => link,
        Err(error) => {
            if error.is_guess() {
                // Over the limit now: this one is refused as the next ones will be.
                let _ = app.sessions.count_unknown_credential(from);
            }
            return Ok(refused(&app, &error, from));
        }
    };
    let (token, _) = app.accounts.sign_in_linked(link).await?;
    Ok(see_other(
        "/o",
        &[cookie(&app, Some(&token)), browser_cookie(&app, None)],
    ))
}

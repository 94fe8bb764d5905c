//! Signing in and out, who is behind a request ([`Caller`]), and the check that a
//! state-changing request comes from Werkmuur's own pages ([`same_origin`]).

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cookie::{Cookie, SameSite};
use serde::{Deserialize, Serialize};

use super::Body;
use crate::AppState;
use crate::accounts::{COOKIE, LOGIN_MS, Role, Staff};
use crate::error::{ApiError, ErrorBody};

/// Who sent a request: the bearer token it carries (a facilitator's, a participant's or the
/// organisers' secret), and the organisation's person behind it, if any (a signed-in account,
/// or the secret).
pub struct Caller {
    bearer: Option<String>,
    pub staff: Option<Staff>,
}

impl Caller {
    /// The bearer token, for what a session's own links may do.
    pub fn token(&self) -> Result<&str, ApiError> {
        self.bearer.as_deref().ok_or_else(|| {
            ApiError::Unauthorized(
                "send your token as `Authorization: Bearer <token>`, or sign in".into(),
            )
        })
    }
}

/// The sign-in token in the request's cookies, if any.
fn login_cookie(headers: &HeaderMap) -> Option<String> {
    request_cookie(headers, COOKIE)
}

/// The value of the cookie `name` the request carries, if any.
pub(super) fn request_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// Whether cookies are `Secure`: when the public address is https.
pub(super) fn secure_cookies(app: &AppState) -> bool {
    app.settings
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let bearer = super::bearer(&parts.headers).ok().map(str::to_owned);
        if bearer
            .as_deref()
            .is_some_and(|t| app.sessions.is_organiser(t))
        {
            return Ok(Caller {
                bearer,
                staff: Some(Staff::Secret),
            });
        }
        let staff = match login_cookie(&parts.headers) {
            None => None,
            Some(token) => {
                let account = app.accounts.signed_in(&token).await?;
                if account.is_none() {
                    let from = parts
                        .extensions
                        .get::<ConnectInfo<std::net::SocketAddr>>()
                        .map(|c| c.0.ip());
                    if let Some(from) = from {
                        app.sessions.count_unknown_credential(from)?;
                    }
                }
                account.map(Staff::Account)
            }
        };
        Ok(Caller { bearer, staff })
    }
}

/// The organisation's person behind a request, or a refusal (401) before anything else is
/// looked at: for what needs an account.
pub struct Staffed(pub Staff);

impl FromRequestParts<AppState> for Staffed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        Caller::from_request_parts(parts, app)
            .await?
            .staff
            .map(Staffed)
            .ok_or_else(|| {
                ApiError::Unauthorized(
                    "sign in first (an organiser's or facilitator's account)".into(),
                )
            })
    }
}

/// Refuses (403) a state-changing request that a browser sent from another site's page: its
/// `Origin` (which browsers send with every such request) must be this server's own. Requests
/// without one come from programs, not from pages, and carry their credentials themselves.
/// Together with `SameSite=Strict` this keeps another site from acting with a signed-in
/// organiser's cookie.
pub async fn same_origin(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && let Some(origin) = request.headers().get(header::ORIGIN) {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        if !is_own_origin(
            origin.to_str().ok(),
            host,
            app.settings.public_url.as_deref(),
        ) {
            tracing::warn!(path = %request.uri().path(), "cross-origin request refused");
            return ApiError::Forbidden(
                "this request came from another site's page; Werkmuur only takes changes from \
                 its own pages"
                    .into(),
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// Whether `origin` (`scheme://host[:port]`) is the server's: the host the request was sent to
/// (any scheme: behind a TLS proxy the server sees http), or the public address.
fn is_own_origin(origin: Option<&str>, host: Option<&str>, public_url: Option<&str>) -> bool {
    let Some(origin) = origin else { return false };
    if let Some(public) = public_url
        && origin.eq_ignore_ascii_case(public.trim_end_matches('/'))
    {
        return true;
    }
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    host.is_some_and(|host| !host.is_empty() && rest.eq_ignore_ascii_case(host))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SignIn {
    /// The account's name (case doesn't matter).
    name: String,
    password: String,
}

/// The signed-in account.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SignedIn {
    pub name: String,
    pub role: Role,
}

impl From<&crate::accounts::Account> for SignedIn {
    fn from(a: &crate::accounts::Account) -> Self {
        SignedIn {
            name: a.name.clone(),
            role: a.role,
        }
    }
}

/// The cookie of a sign-in (`token`), or the one that ends it (`None`): what every way of
/// signing in sets.
pub(super) fn cookie(app: &AppState, token: Option<&str>) -> String {
    let mut c = Cookie::build((COOKIE, token.unwrap_or_default().to_owned()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure_cookies(app))
        .path("/")
        .build();
    c.set_max_age(cookie::time::Duration::milliseconds(match token {
        Some(_) => LOGIN_MS,
        None => 0,
    }));
    c.to_string()
}

/// Sign in with an account's name and password
///
/// Sets the sign-in cookie (`HttpOnly`, `SameSite=Strict`, `Secure` when the public address is
/// https), valid for 12 hours.
#[utoipa::path(post, path = "/api/login", request_body = SignIn, responses(
    (status = 200, description = "Signed in; the cookie is set", body = SignedIn,
        headers(("Set-Cookie" = String, description = "werkmuur_login=…; HttpOnly; SameSite=Strict"))),
    (status = 400, description = "Malformed body", body = ErrorBody),
    (status = 401, description = "Wrong name or password", body = ErrorBody),
    (status = 403, description = "Sent from another site's page", body = ErrorBody),
    (status = 429, description = "Too many wrong passwords from this address; wait `Retry-After` seconds",
        body = ErrorBody),
))]
pub(super) async fn login(
    State(app): State<AppState>,
    ConnectInfo(from): ConnectInfo<std::net::SocketAddr>,
    Body(body): Body<SignIn>,
) -> Result<Response, ApiError> {
    let (token, account) = app
        .accounts
        .sign_in(&body.name, &body.password, from.ip())
        .await?;
    Ok((
        [(header::SET_COOKIE, cookie(&app, Some(&token)))],
        Json(SignedIn::from(&account)),
    )
        .into_response())
}

/// Sign out
#[utoipa::path(post, path = "/api/logout", responses(
    (status = 204, description = "Signed out (also when no one was); the cookie is cleared"),
))]
pub(super) async fn logout(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(token) = login_cookie(&headers) {
        app.accounts.sign_out(&token).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, cookie(&app, None))],
    )
        .into_response())
}

/// Who is signed in
///
/// `null` when no one is, in this browser: asking is not an error.
#[utoipa::path(get, path = "/api/me", security(("login" = [])), responses(
    (status = 200, description = "The signed-in account, or null", body = Option<SignedIn>),
))]
pub(super) async fn me(caller: Caller) -> Json<Option<SignedIn>> {
    Json(caller.staff.map(|staff| match staff {
        Staff::Account(a) => SignedIn::from(&a),
        Staff::Secret => SignedIn {
            name: "organisers' secret".into(),
            role: Role::Organiser,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_servers_own_pages_are_its_origin() {
        let own = |o, h, p| is_own_origin(Some(o), h, p);
        assert!(own("http://127.0.0.1:8080", Some("127.0.0.1:8080"), None));
        assert!(own(
            "https://werkmuur.example.nl",
            Some("10.0.0.5:8080"),
            Some("https://werkmuur.example.nl/")
        ));
        assert!(own(
            "https://Werkmuur.example.nl",
            Some("werkmuur.example.nl"),
            None
        ));
        assert!(!own("http://evil.example", Some("127.0.0.1:8080"), None));
        assert!(!own("http://127.0.0.1:8081", Some("127.0.0.1:8080"), None));
        assert!(!own("null", Some("127.0.0.1:8080"), None));
        assert!(!own("http://127.0.0.1:8080", None, None));
        assert!(!own(
            "http://127.0.0.1:8080.evil.example",
            Some("127.0.0.1:8080"),
            None
        ));
        assert!(!is_own_origin(None, Some("127.0.0.1:8080"), None));
    }
}

//! A session's console for the accounts that manage it, handing a session to another account,
//! and the accounts an organiser can hand it to.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};

use super::{Body, Caller, Staffed};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::sessions::{ConsoleLink, HandedOver};

/// Open the session's console from your account (its owner or an organiser)
///
/// Gives a console token of your own: no facilitator link needed. It stops when the session
/// is handed to someone else (for its previous owner) or its facilitator link is replaced.
#[utoipa::path(post, path = "/api/sessions/{id}/console", security(("login" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The console's link; keep it to yourself", body = ConsoleLink),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Neither its owner nor an organiser", body = ErrorBody),
        (status = 404, description = "No such session", body = ErrorBody),
    ),
)]
pub(super) async fn open_console(
    State(app): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Json<ConsoleLink>, ApiError> {
    Ok(Json(app.sessions.open_console(&id, &caller).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct HandOver {
    /// The name of the account that runs the session from now on.
    #[schema(example = "fatima")]
    account: String,
    /// Replace the facilitator link (and the projector code), so whoever holds the old one is
    /// out; `true` unless said otherwise.
    #[serde(default = "yes")]
    new_link: bool,
}

fn yes() -> bool {
    true
}

/// Hand the session to another account (its owner or an organiser)
///
/// The session moves to that account's list and leaves the previous owner's; the previous
/// owner's console stops. With `new_link` (the default) the facilitator link and projector code
/// are replaced too, and every screen that used them closes.
#[utoipa::path(put, path = "/api/sessions/{id}/owner", security(("login" = [])),
    params(("id" = String, Path, description = "The session's id")),
    request_body = HandOver,
    responses(
        (status = 200, description = "Handed over", body = HandedOver),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Neither its owner nor an organiser", body = ErrorBody),
        (status = 404, description = "No such session", body = ErrorBody),
        (status = 422, description = "No account with that name", body = ErrorBody),
    ),
)]
pub(super) async fn hand_over(
    State(app): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
    Body(body): Body<HandOver>,
) -> Result<Json<HandedOver>, ApiError> {
    Ok(Json(
        app.sessions
            .hand_over(&id, &caller, &body.account, body.new_link)
            .await?,
    ))
}

/// An account, as an organiser sees it when handing a session over.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AccountSummary {
    #[schema(example = "fatima")]
    pub name: String,
    /// `organiser` or `facilitator`.
    #[schema(example = "facilitator")]
    pub role: String,
}

/// Every account, by name (organisers only)
#[utoipa::path(get, path = "/api/accounts", security(("login" = [])), responses(
    (status = 200, description = "The accounts", body = Vec<AccountSummary>),
    (status = 401, description = "Not signed in", body = ErrorBody),
    (status = 403, description = "Not an organiser", body = ErrorBody),
))]
pub(super) async fn list_accounts(
    State(app): State<AppState>,
    Staffed(staff): Staffed,
) -> Result<Json<Vec<AccountSummary>>, ApiError> {
    if !staff.sees_all() {
        return Err(ApiError::Forbidden(
            "only organisers see the list of accounts; type your colleague's account name".into(),
        ));
    }
    let accounts = app.accounts.all().await?;
    Ok(Json(
        accounts
            .into_iter()
            .map(|a| AccountSummary {
                name: a.name,
                role: a.role.as_str().to_owned(),
            })
            .collect(),
    ))
}

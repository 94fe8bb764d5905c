//! Ending and deleting a session.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use draaiboeken::sessie::RemovedNotes;

use super::{Caller, LifecycleView};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::answers;

/// End the session (its facilitator or an organiser)
///
/// The join code admits no one any more, participants' tokens stop working and their
/// connections close; the boards stay, read-only, for the facilitator and organisers until the
/// retention period is over and everything is deleted.
#[utoipa::path(post, path = "/api/sessions/{id}/end", security(("token" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 200, description = "Ended: when its data will be deleted", body = LifecycleView),
        answers::Managed,
        (status = 410, description = "It has already ended", body = ErrorBody),
    ),
)]
pub(super) async fn end_session(
    State(app): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Json<LifecycleView>, ApiError> {
    let live = app.sessions.end(&id, &caller).await?;
    let core = live.core.lock();
    Ok(Json(LifecycleView::of(&core, &app.sessions.policy)))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct RemoveQuery {
    /// What happens to their post-its: `anonymous` (they stay, without a name; the default)
    /// or `deleted`.
    #[param(value_type = Option<String>, example = "anonymous")]
    notes: Option<RemovedNotes>,
}

/// Remove a member (its facilitator or an organiser)
///
/// Their name goes from every board, document and export, and from the stored history of
/// each; their post-its stay without a name or are deleted. Their token stops working and
/// their connections close.
#[utoipa::path(delete, path = "/api/sessions/{id}/members/{member}", security(("token" = [])),
    params(
        ("id" = String, Path, description = "The session's id"),
        ("member" = String, Path, description = "The member's id",
            example = "0f8fad5bd9cb469fa16570867728950e"),
        RemoveQuery,
    ),
    responses(
        (status = 204, description = "Removed"),
        answers::Managed,
        (status = 400, description = "`notes` is neither anonymous nor deleted", body = ErrorBody),
        (status = 410, description = "The session has ended", body = ErrorBody),
    ),
)]
pub(super) async fn remove_member(
    State(app): State<AppState>,
    Path((id, member)): Path<(String, String)>,
    query: Result<axum::extract::Query<RemoveQuery>, axum::extract::rejection::QueryRejection>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    let axum::extract::Query(query) =
        query.map_err(|_| ApiError::BadRequest("notes is anonymous or deleted".into()))?;
    let notes = query.notes.unwrap_or(RemovedNotes::Anonymous);
    app.sessions
        .remove_member(&id, &caller, &member, notes)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Delete the session and everything stored of it (an organiser, or its facilitator)
///
/// Its boards, members, stored updates and snapshots go, and nothing of them can be read from
/// the database's files afterwards. Open connections to it close.
#[utoipa::path(delete, path = "/api/sessions/{id}", security(("token" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 204, description = "Deleted"),
        answers::Managed,
    ),
)]
pub(super) async fn delete_session(
    State(app): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    app.sessions.delete(&id, &caller).await?;
    Ok(StatusCode::NO_CONTENT)
}

//! Ending and deleting a session.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};

use super::{LifecycleView, bearer};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};

/// End the session (its facilitator or an organiser)
///
/// The join code admits no one any more, participants' tokens stop working and their
/// connections close; the boards stay, read-only, for the facilitator and organisers until the
/// retention period is over and everything is deleted.
#[utoipa::path(post, path = "/api/sessions/{id}/end", security(("token" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 200, description = "Ended: when its data will be deleted", body = LifecycleView),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "Neither its facilitator nor an organiser", body = ErrorBody),
        (status = 404, description = "No such session", body = ErrorBody),
        (status = 410, description = "It has already ended", body = ErrorBody),
        (status = 429, description = "Too many unknown tokens from this address", body = ErrorBody),
    ),
)]
pub(super) async fn end_session(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<LifecycleView>, ApiError> {
    let live = app.sessions.end(&id, bearer(&headers)?).await?;
    let core = live.core.lock();
    Ok(Json(LifecycleView::of(&core, &app.sessions.policy)))
}

/// Delete the session and everything stored of it (an organiser, or its facilitator)
///
/// Its boards, members, stored updates and snapshots go, and nothing of them can be read from
/// the database's files afterwards. Open connections to it close.
#[utoipa::path(delete, path = "/api/sessions/{id}", security(("token" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "Neither its facilitator nor an organiser", body = ErrorBody),
        (status = 404, description = "No such session", body = ErrorBody),
        (status = 429, description = "Too many unknown tokens from this address", body = ErrorBody),
    ),
)]
pub(super) async fn delete_session(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    app.sessions.delete(&id, bearer(&headers)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

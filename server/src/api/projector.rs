//! The room's screen: its code and link for the console, and a screen that types the code.

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use serde::Deserialize;

use super::{Body, Caller};
use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::answers;
use crate::projector::{Paired, ProjectorLink};

/// The projector's code and link (its facilitator or an account that manages it)
///
/// The code is typed at `/p` on the computer that drives the projector; it gives that screen
/// read access to what the room may see, never to members or private notes, and no control.
/// A new facilitator link makes a new code.
#[utoipa::path(get, path = "/api/sessions/{id}/projector", security(("token" = []), ("login" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 200, description = "Code and link; keep them for the room's screen", body = ProjectorLink),
        answers::Managed,
    ),
)]
pub(super) async fn projector_link(
    State(app): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Json<ProjectorLink>, ApiError> {
    Ok(Json(app.sessions.projector_link(&id, &caller)?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(super) struct PairRequest {
    /// As the console shows it; case, spaces and dashes are ignored.
    #[schema(example = "ACDE-FH34")]
    code: String,
}

/// Make this screen a session's projector, with the code the console shows
#[utoipa::path(post, path = "/api/projector",
    request_body = PairRequest,
    responses(
        (status = 200, description = "The session and the screen's token", body = Paired),
        (status = 400, description = "Malformed body", body = ErrorBody),
        answers::ByCode,
    ),
)]
pub(super) async fn pair(
    State(app): State<AppState>,
    ConnectInfo(from): ConnectInfo<std::net::SocketAddr>,
    Body(body): Body<PairRequest>,
) -> Result<Json<Paired>, ApiError> {
    Ok(Json(app.sessions.pair_projector(&body.code, from.ip())?))
}

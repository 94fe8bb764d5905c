//! `/api`: draaiboeken, sessions and the agenda, as JSON. Described by `/api/openapi.json`
//! (see `openapi.rs`); keep both in step.

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use draaiboeken::agenda::Command;
use draaiboeken::draaiboek::{Draaiboek, MAX_SOURCE_BYTES};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::ApiError;
use crate::sessions::{Created, JoinInfo, Joined, SessionView};

/// A JSON body whose problems become [`ApiError`]s (JSON, with a reason) like every other error.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(ApiError::BadRequest(match rejection {
                JsonRejection::MissingJsonContentType(_) => {
                    "send the body as JSON with `Content-Type: application/json`".into()
                }
                other => other.body_text(),
            })),
        }
    }
}

fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthorized("send your token as `Authorization: Bearer <token>`".into())
        })
}

#[derive(Serialize)]
pub struct DraaiboekSummary {
    #[serde(flatten)]
    pub draaiboek: Draaiboek,
    pub total_minutes: u32,
    pub builtin: bool,
}

async fn list_draaiboeken(State(app): State<AppState>) -> Json<Vec<DraaiboekSummary>> {
    Json(
        app.library
            .all()
            .iter()
            .map(|e| DraaiboekSummary {
                total_minutes: e.draaiboek.total_minutes(),
                draaiboek: e.draaiboek.clone(),
                builtin: e.builtin,
            })
            .collect(),
    )
}

async fn get_draaiboek(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<DraaiboekSummary>, ApiError> {
    let e = app
        .library
        .get(&id)
        .ok_or_else(|| ApiError::NotFound(format!("no draaiboek with id `{id}`")))?;
    Ok(Json(DraaiboekSummary {
        total_minutes: e.draaiboek.total_minutes(),
        draaiboek: e.draaiboek.clone(),
        builtin: e.builtin,
    }))
}

async fn upload_draaiboek(
    State(app): State<AppState>,
    body: String,
) -> Result<(StatusCode, Json<DraaiboekSummary>), ApiError> {
    let e = app.library.upload(&body)?;
    Ok((
        StatusCode::CREATED,
        Json(DraaiboekSummary {
            total_minutes: e.draaiboek.total_minutes(),
            draaiboek: e.draaiboek.clone(),
            builtin: false,
        }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateSession {
    draaiboek: String,
}

async fn create_session(
    State(app): State<AppState>,
    Body(body): Body<CreateSession>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(app.sessions.create(&body.draaiboek).await?),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Join {
    name: String,
    role: String,
}

async fn join_session(
    State(app): State<AppState>,
    Path(code): Path<String>,
    Body(body): Body<Join>,
) -> Result<(StatusCode, Json<Joined>), ApiError> {
    let joined = app.sessions.join(&code, &body.name, &body.role).await?;
    Ok((StatusCode::CREATED, Json(joined)))
}

async fn join_info(
    State(app): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<JoinInfo>, ApiError> {
    Ok(Json(app.sessions.join_info(&code)?))
}

async fn get_session(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<SessionView>, ApiError> {
    Ok(Json(app.sessions.view(&id, bearer(&headers)?)?))
}

async fn agenda_command(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(command): Body<Command>,
) -> Result<Json<SessionView>, ApiError> {
    Ok(Json(
        app.sessions
            .command(&id, bearer(&headers)?, command)
            .await?,
    ))
}

#[derive(Serialize)]
struct Time {
    now_ms: i64,
}

async fn time(State(app): State<AppState>) -> Json<Time> {
    Json(Time {
        now_ms: app.sessions.now_ms(),
    })
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such API endpoint; see /api/openapi.json".into())
}

/// Every route below, for the test that checks the OpenAPI document describes them all.
pub const ROUTES: [(&str, &str); 10] = [
    ("GET", "/api/join/{code}"),
    ("GET", "/api/draaiboeken"),
    ("POST", "/api/draaiboeken"),
    ("GET", "/api/draaiboeken/{id}"),
    ("POST", "/api/sessions"),
    ("POST", "/api/sessions/{code}/join"),
    ("GET", "/api/sessions/{id}"),
    ("POST", "/api/sessions/{id}/agenda"),
    ("GET", "/api/time"),
    ("GET", "/api/openapi.json"),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/draaiboeken",
            get(list_draaiboeken).post(upload_draaiboek),
        )
        .route("/api/draaiboeken/{id}", get(get_draaiboek))
        .route("/api/sessions", post(create_session))
        .route("/api/sessions/{code}/join", post(join_session))
        .route("/api/join/{code}", get(join_info))
        .route("/api/sessions/{id}", get(get_session))
        .route("/api/sessions/{id}/agenda", post(agenda_command))
        .route("/api/time", get(time))
        .route(
            "/api/openapi.json",
            get(|| async { Json(crate::openapi::document()) }),
        )
        .route("/api/{*rest}", axum::routing::any(not_found))
        .layer(DefaultBodyLimit::max(MAX_SOURCE_BYTES))
}

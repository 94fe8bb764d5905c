//! `/api`: draaiboeken, sessions and the agenda, as JSON. Described by `/api/openapi.json`
//! (see `openapi.rs`); keep both in step.

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use draaiboeken::agenda::Command;
use draaiboeken::draaiboek::{Draaiboek, MAX_SOURCE_BYTES};
use draaiboeken::sessie::ControlCommand;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::ApiError;
use crate::sessions::{Created, JoinInfo, Joined, SessionSummary, SessionView, Written};
use draaiboeken::export;
use draaiboeken::i18n::Lang;

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
    ConnectInfo(from): ConnectInfo<std::net::SocketAddr>,
    Path(code): Path<String>,
    Body(body): Body<Join>,
) -> Result<(StatusCode, Json<Joined>), ApiError> {
    let joined = app
        .sessions
        .join(&code, &body.name, &body.role, from.ip())
        .await?;
    Ok((StatusCode::CREATED, Json(joined)))
}

async fn join_info(
    State(app): State<AppState>,
    ConnectInfo(from): ConnectInfo<std::net::SocketAddr>,
    Path(code): Path<String>,
) -> Result<Json<JoinInfo>, ApiError> {
    Ok(Json(app.sessions.join_info(&code, from.ip())?))
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

async fn control_command(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(command): Body<ControlCommand>,
) -> Result<Json<SessionView>, ApiError> {
    Ok(Json(
        app.sessions
            .control(&id, bearer(&headers)?, command)
            .await?,
    ))
}

async fn written(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Written>, ApiError> {
    Ok(Json(app.sessions.written(&id, bearer(&headers)?).await?))
}

async fn rotate_link(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<crate::sessions::Rotated>, ApiError> {
    Ok(Json(app.sessions.rotate(&id, bearer(&headers)?).await?))
}

async fn list_sessions(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<SessionSummary>>, ApiError> {
    Ok(Json(app.sessions.list(bearer(&headers)?)?))
}

#[derive(Deserialize)]
struct ExportQuery {
    lang: Option<String>,
}

/// `GET /api/sessions/{id}/export/{file}`: the session's report, spreadsheet, data or a board's
/// picture, as a download. For the facilitator, or an organiser.
async fn export_file(
    State(app): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    axum::extract::Query(query): axum::extract::Query<ExportQuery>,
    headers: HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let kind = export::Download::from_name(&file).ok_or_else(|| {
        ApiError::NotFound(format!("no such export: use {}", export::Download::names()))
    })?;
    let lang = match query.lang.as_deref() {
        None => Lang::DEFAULT,
        Some(code) => Lang::from_code(code)
            .ok_or_else(|| ApiError::BadRequest(format!("lang is one of {}", Lang::codes())))?,
    };
    let e = app.sessions.export(&id, bearer(&headers)?).await?;
    let (body, content_type): (Vec<u8>, &str) = match kind {
        export::Download::File(f) => (
            f.render(&e, lang)
                .map_err(|e| ApiError::Internal(Box::new(e)))?,
            f.media_type(),
        ),
        export::Download::Picture(export::BoardPicture {
            step,
            group,
            format,
        }) => {
            let block = e
                .blocks
                .get(step)
                .ok_or_else(|| ApiError::NotFound(format!("there is no block {step}")))?;
            let board = block
                .boards
                .iter()
                .find(|b| b.group == group)
                .ok_or_else(|| ApiError::NotFound("that block has no such board".into()))?;
            let svg = export::board_svg(board, block.title.get(lang));
            let bytes = match format {
                export::PictureFormat::Svg => svg.into(),
                // Drawing takes a while; not on the async threads.
                export::PictureFormat::Png => {
                    tokio::task::spawn_blocking(move || crate::png::from_svg(&svg))
                        .await
                        .map_err(|e| ApiError::Internal(Box::new(e)))?
                        .map_err(|e| match e {
                            crate::png::PngError::TooLarge => ApiError::Unprocessable(
                                "this board is too large for a PNG; download the SVG".into(),
                            ),
                            e => ApiError::Internal(Box::new(e)),
                        })?
                }
            };
            (bytes, format.media_type())
        }
    };
    let filename = format!("werkmuur-{}-{file}", e.code);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// The address to show phones. Never `localhost`: a phone can't reach that.
#[derive(Serialize)]
pub struct JoinAddress {
    pub base_url: String,
    /// False when phones on the network can't reach this address (e.g. the server listens on
    /// loopback only); `hint` then says what to do.
    pub reachable: bool,
    /// Why not reachable, for the app to say in the user's language: `loopback` or `no-network`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// This machine's LAN address: the first private IPv4 of an interface that is up, else any
/// non-loopback IPv4.
fn lan_ipv4() -> Option<std::net::Ipv4Addr> {
    let addrs: Vec<std::net::Ipv4Addr> = if_addrs::get_if_addrs()
        .ok()?
        .into_iter()
        .filter(|i| !i.is_loopback())
        .filter_map(|i| match i.ip() {
            std::net::IpAddr::V4(v4) => Some(v4),
            std::net::IpAddr::V6(_) => None,
        })
        .collect();
    addrs
        .iter()
        .find(|a| a.is_private())
        .or(addrs.first())
        .copied()
}

pub fn join_address(public_url: Option<&str>, listen: std::net::SocketAddr) -> JoinAddress {
    if let Some(url) = public_url {
        return JoinAddress {
            base_url: url.trim_end_matches('/').to_owned(),
            reachable: true,
            problem: None,
            hint: None,
        };
    }
    let port = listen.port();
    let ip = listen.ip();
    if !ip.is_loopback() && !ip.is_unspecified() {
        return JoinAddress {
            base_url: format!("http://{}", std::net::SocketAddr::new(ip, port)),
            reachable: true,
            problem: None,
            hint: None,
        };
    }
    let lan = lan_ipv4();
    let base_url = match lan {
        Some(lan) => format!("http://{lan}:{port}"),
        None => format!("http://{}", listen),
    };
    let (problem, hint) = match (ip.is_loopback(), lan) {
        (false, Some(_)) => (None, None),
        (true, _) => (
            Some("loopback"),
            Some(format!(
                "Werkmuur listens on this computer only; start it with --addr 0.0.0.0:{port} so phones can join"
            )),
        ),
        (false, None) => (
            Some("no-network"),
            Some("no network address found; connect to the network, or set --public-url".into()),
        ),
    };
    JoinAddress {
        base_url,
        reachable: problem.is_none(),
        problem,
        hint,
    }
}

async fn get_join_address(State(app): State<AppState>) -> Json<JoinAddress> {
    Json(join_address(
        app.settings.public_url.as_deref(),
        app.listen_addr,
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
pub const ROUTES: [(&str, &str); 16] = [
    ("GET", "/api/join-address"),
    ("GET", "/api/join/{code}"),
    ("GET", "/api/draaiboeken"),
    ("POST", "/api/draaiboeken"),
    ("GET", "/api/draaiboeken/{id}"),
    ("POST", "/api/sessions"),
    ("POST", "/api/sessions/{code}/join"),
    ("GET", "/api/sessions/{id}"),
    ("POST", "/api/sessions/{id}/agenda"),
    ("POST", "/api/sessions/{id}/control"),
    ("GET", "/api/sessions/{id}/written"),
    ("POST", "/api/sessions/{id}/rotate"),
    ("GET", "/api/sessions"),
    ("GET", "/api/sessions/{id}/export/{file}"),
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
        .route("/api/sessions", post(create_session).get(list_sessions))
        .route("/api/sessions/{id}/export/{file}", get(export_file))
        .route("/api/sessions/{code}/join", post(join_session))
        .route("/api/join/{code}", get(join_info))
        .route("/api/sessions/{id}", get(get_session))
        .route("/api/sessions/{id}/agenda", post(agenda_command))
        .route("/api/sessions/{id}/rotate", post(rotate_link))
        .route("/api/sessions/{id}/control", post(control_command))
        .route("/api/sessions/{id}/written", get(written))
        .route("/api/time", get(time))
        .route("/api/join-address", get(get_join_address))
        .route(
            "/api/openapi.json",
            get(|| async { Json(crate::openapi::document()) }),
        )
        .route("/api/{*rest}", axum::routing::any(not_found))
        .layer(DefaultBodyLimit::max(MAX_SOURCE_BYTES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_join_address_is_never_localhost_and_says_when_phones_cannot_reach_it() {
        let public = join_address(
            Some("https://werkmuur.example.nl/"),
            "127.0.0.1:8080".parse().unwrap(),
        );
        assert_eq!(public.base_url, "https://werkmuur.example.nl");
        assert!(public.reachable);

        let specific = join_address(None, "192.168.1.20:8080".parse().unwrap());
        assert_eq!(specific.base_url, "http://192.168.1.20:8080");

        let loopback = join_address(None, "127.0.0.1:8080".parse().unwrap());
        assert!(!loopback.reachable);
        assert_eq!(loopback.problem, Some("loopback"));
        assert!(loopback.hint.unwrap().contains("--addr 0.0.0.0:8080"));

        let any = join_address(None, "0.0.0.0:9000".parse().unwrap());
        assert!(
            !any.base_url.contains("0.0.0.0") || !any.reachable,
            "{}",
            any.base_url
        );
        assert!(any.base_url.ends_with(":9000"));
    }
}

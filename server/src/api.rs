//! `/api`: draaiboeken, sessions and the agenda, as JSON. Each handler carries its OpenAPI
//! description (`#[utoipa::path]`) and [`router`] registers a route and its description
//! together, so `/api/openapi.json` (see `openapi.rs`) describes what is served.

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::{Extension, Json, Router};
use draaiboeken::agenda::Command;
use draaiboeken::draaiboek::{Draaiboek, MAX_SOURCE_BYTES};
use draaiboeken::sessie::ControlCommand;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::{Document, answers};
use draaiboeken::export::{self, SessionExport};
use draaiboeken::i18n::Lang;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod shapes;
pub use shapes::{
    Created, JoinInfo, Joined, LifecycleView, Rotated, SessionRooms, SessionSummary, SessionView,
    Written, You, join_info as session_join_info, list, view,
};
mod accounts;
mod consoles;
mod lifecycle;
mod oidc;
mod projector;
pub use accounts::{Caller, SignedIn, Staffed, same_origin};

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

/// A draaiboek on offer, with its length.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DraaiboekSummary {
    #[serde(flatten)]
    pub draaiboek: Draaiboek,
    pub total_minutes: u32,
    /// Comes with Werkmuur (else uploaded or from `--draaiboeken-dir`).
    pub builtin: bool,
}

/// The draaiboeken a session can run
#[utoipa::path(get, path = "/api/draaiboeken", responses(
    (status = 200, description = "Built-in and uploaded draaiboeken", body = Vec<DraaiboekSummary>),
))]
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

/// One draaiboek
#[utoipa::path(get, path = "/api/draaiboeken/{id}",
    params(("id" = String, Path, description = "The draaiboek's id", example = "ambtenaren")),
    responses(
        (status = 200, description = "The draaiboek", body = DraaiboekSummary),
        (status = 404, description = "No such draaiboek", body = ErrorBody),
    ),
)]
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

/// Upload your own draaiboek (TOML; organisers and facilitators, signed in)
///
/// It replaces your own earlier upload with the same id; another's, a built-in or one that
/// comes with the server can't be replaced.
#[utoipa::path(post, path = "/api/draaiboeken", security(("login" = []), ("token" = [])),
    request_body(content = String, content_type = "text/plain", description = "The draaiboek file"),
    responses(
        (status = 201, description = "Valid and saved", body = DraaiboekSummary),
        (status = 400, description = "Not UTF-8"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Sent from another site's page", body = ErrorBody),
        (status = 409, body = ErrorBody, description = "Its id is a built-in draaiboek's, one that \
            comes with the server, or another account's; or you have uploaded your most"),
        (status = 413, description = "Over 256 KiB"),
        (status = 422, body = ErrorBody,
            description = "Invalid: `problems` lists each with line, column, field and hint"),
    ),
)]
async fn upload_draaiboek(
    State(app): State<AppState>,
    Staffed(staff): Staffed,
    body: String,
) -> Result<(StatusCode, Json<DraaiboekSummary>), ApiError> {
    let e = app.library.upload(&body, staff.owner())?;
    Ok((
        StatusCode::CREATED,
        Json(DraaiboekSummary {
            total_minutes: e.draaiboek.total_minutes(),
            draaiboek: e.draaiboek.clone(),
            builtin: false,
        }),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct CreateSession {
    /// The draaiboek's id.
    draaiboek: String,
    /// Days its data is kept after it ends (1 to 366); default: the server's.
    #[serde(default)]
    retention_days: Option<u32>,
}

/// Start a session from a draaiboek (organisers and facilitators, signed in)
#[utoipa::path(post, path = "/api/sessions", request_body = CreateSession,
    security(("login" = []), ("token" = [])), responses(
    (status = 201, description = "Created", body = Created),
    (status = 400, description = "Malformed body", body = ErrorBody),
    (status = 401, description = "Not signed in", body = ErrorBody),
    (status = 403, description = "Sent from another site's page", body = ErrorBody),
    (status = 404, description = "No such draaiboek", body = ErrorBody),
    (status = 409, body = ErrorBody,
        description = "No free join code found (try again), or the server keeps its most sessions"),
    (status = 422, description = "Retention outside 1 to 366 days", body = ErrorBody),
    (status = 429, body = ErrorBody,
        description = "Too many sessions created from this address; wait `Retry-After` seconds"),
))]
async fn create_session(
    State(app): State<AppState>,
    ConnectInfo(from): ConnectInfo<std::net::SocketAddr>,
    Staffed(staff): Staffed,
    Body(body): Body<CreateSession>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(
            app.sessions
                .create(
                    &body.draaiboek,
                    body.retention_days,
                    staff.owner(),
                    from.ip(),
                )
                .await?,
        ),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Join {
    /// As the others will see it: 1 to 40 characters.
    name: String,
    /// One of the draaiboek's role ids.
    role: String,
}

/// Join a session by its code
#[utoipa::path(post, path = "/api/sessions/{code}/join",
    params(("code" = String, Path, description = "The join code; case, spaces and dashes are ignored")),
    request_body = Join,
    responses(
        (status = 201, description = "Joined", body = Joined),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 422, description = "Bad name or role", body = ErrorBody),
        answers::ByCode,
    ),
)]
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

/// A session's title and roles, to join it
#[utoipa::path(get, path = "/api/join/{code}",
    params(("code" = String, Path, description = "The join code; case, spaces and dashes are ignored")),
    responses(
        (status = 200, description = "Title and roles", body = JoinInfo),
        answers::ByCode,
    ),
)]
async fn join_info(
    State(app): State<AppState>,
    ConnectInfo(from): ConnectInfo<std::net::SocketAddr>,
    Path(code): Path<String>,
) -> Result<Json<JoinInfo>, ApiError> {
    Ok(Json(session_join_info(&app.sessions, &code, from.ip())?))
}

/// A session as its member sees it
#[utoipa::path(get, path = "/api/sessions/{id}", security(("token" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The session", body = SessionView),
        answers::Member,
    ),
)]
async fn get_session(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<SessionView>, ApiError> {
    let (live, principal) = app.sessions.authorised(&id, bearer(&headers)?)?;
    Ok(Json(view(&app.sessions, &live, &principal)?))
}

/// Steer the agenda (facilitator only)
#[utoipa::path(post, path = "/api/sessions/{id}/agenda", security(("token" = [])),
    params(("id" = String, Path, description = "The session's id")),
    request_body = Command,
    responses(
        answers::Steered,
        (status = 409, description = "Not possible now, e.g. pause while paused", body = ErrorBody),
    ),
)]
async fn agenda_command(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(command): Body<Command>,
) -> Result<Json<SessionView>, ApiError> {
    let token = bearer(&headers)?;
    let live = app.sessions.command(&id, token, command).await?;
    let (_, principal) = app.sessions.authorised(&live.id, token)?;
    Ok(Json(view(&app.sessions, &live, &principal)?))
}

/// Reveal, lock, steer the projector, make groups and pairs (facilitator only)
#[utoipa::path(post, path = "/api/sessions/{id}/control", security(("token" = [])),
    params(("id" = String, Path, description = "The session's id")),
    request_body = ControlCommand,
    responses(
        answers::Steered,
        (status = 409, body = ErrorBody,
            description = "Not possible now, e.g. reveal a block that has not started"),
    ),
)]
async fn control_command(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(command): Body<ControlCommand>,
) -> Result<Json<SessionView>, ApiError> {
    let token = bearer(&headers)?;
    let live = app.sessions.control(&id, token, command).await?;
    let (_, principal) = app.sessions.authorised(&live.id, token)?;
    Ok(Json(view(&app.sessions, &live, &principal)?))
}

/// Who has written in the current private block, before the reveal (facilitator only)
#[utoipa::path(get, path = "/api/sessions/{id}/written", security(("token" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 200, body = Written, description = "Notes per member id; empty when the \
            current block is not private or already revealed"),
        answers::Facilitator,
    ),
)]
async fn written(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Written>, ApiError> {
    let live = app
        .sessions
        .facilitated(&id, bearer(&headers)?, "see who has written")?;
    let (step, written) = app.sessions.written(&live).await?;
    Ok(Json(Written { step, written }))
}

/// A new facilitator link (facilitator only)
///
/// The old token stops working at once, and screens that used it are disconnected.
#[utoipa::path(post, path = "/api/sessions/{id}/rotate", security(("token" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The new token and console link; keep them secret", body = Rotated),
        answers::Facilitator,
    ),
)]
async fn rotate_link(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Rotated>, ApiError> {
    Ok(Json(app.sessions.rotate(&id, bearer(&headers)?).await?))
}

/// The sessions you manage, newest first (an organiser: every session; a facilitator: the
/// ones they started or were handed)
#[utoipa::path(get, path = "/api/sessions", security(("login" = []), ("token" = [])), responses(
    (status = 200, description = "Sessions", body = Vec<SessionSummary>),
    (status = 401, description = "Not signed in", body = ErrorBody),
))]
async fn list_sessions(
    State(app): State<AppState>,
    Staffed(staff): Staffed,
) -> Result<Json<Vec<SessionSummary>>, ApiError> {
    let names = app
        .accounts
        .all()
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    Ok(Json(list(&app.sessions, &staff, &names)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ExportQuery {
    /// The documents' language: `nl`, `en`, `tr` or `ar`; the session's language (set by the
    /// facilitator, Dutch unless they chose another) when left out.
    #[param(example = "en")]
    lang: Option<String>,
}

/// Download what the session produced (its facilitator, or who manages it)
///
/// The session's report, spreadsheet, data or a board's picture, as an attachment.
#[utoipa::path(get, path = "/api/sessions/{id}/export/{file}", security(("token" = []), ("login" = [])),
    params(
        ("id" = String, Path, description = "The session's id"),
        ("file" = String, Path, example = "report.html", description = "report.html (prints well \
            to PDF, with the boards' pictures), report.md, report.odt (LibreOffice, Word), notes.csv \
            (one row per post-it; UTF-8 with BOM, `;`), session.json (schema werkmuur.session/1), \
            board-{step}[-{group}].svg or .png"),
        ExportQuery,
    ),
    responses(
        (status = 200, description = "The file, as an attachment",
            headers(("Content-Disposition" = String, description = "attachment, with a file name")),
            content(
                (SessionExport = "application/json"),
                ("text/csv; charset=utf-8"),
                ("text/markdown; charset=utf-8"),
                ("text/html; charset=utf-8"),
                ("application/vnd.oasis.opendocument.text"),
                ("image/svg+xml"),
                ("image/png"),
            )),
        (status = 400, description = "Unknown language", body = ErrorBody),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "Neither its facilitator nor one who manages it", body = ErrorBody),
        (status = 404, description = "No such session, file or board", body = ErrorBody),
        (status = 422, body = ErrorBody,
            description = "The board is too large for a PNG; download the SVG"),
    ),
)]
async fn export_file(
    State(app): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    axum::extract::Query(query): axum::extract::Query<ExportQuery>,
    caller: Caller,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    // Who is asking comes first: a stranger learns nothing, not even which names exist.
    let live = app.sessions.managed(&id, &caller, "export")?;
    let kind = export::Download::from_name(&file).ok_or_else(|| {
        ApiError::NotFound(format!("no such export: use {}", export::Download::names()))
    })?;
    let asked = match query.lang.as_deref() {
        None => None,
        Some(code) => Some(
            Lang::from_code(code)
                .ok_or_else(|| ApiError::BadRequest(format!("lang is one of {}", Lang::codes())))?,
        ),
    };
    let e = app.sessions.export(&live).await?;
    let lang = asked.unwrap_or(e.lang);
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
#[derive(Serialize, utoipa::ToSchema)]
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

/// The address phones use to join (for the join link and QR code)
#[utoipa::path(get, path = "/api/join-address", responses(
    (status = 200, body = JoinAddress, description = "Never localhost; `reachable` is false \
        (with a `hint`) when phones can't reach it"),
))]
async fn get_join_address(State(app): State<AppState>) -> Json<JoinAddress> {
    Json(join_address(
        app.settings.public_url.as_deref(),
        app.listen_addr,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
struct Time {
    /// Milliseconds since the Unix epoch.
    now_ms: i64,
}

/// The server's clock
#[utoipa::path(get, path = "/api/time", responses(
    (status = 200, description = "The server's clock", body = Time),
))]
async fn time(State(app): State<AppState>) -> Json<Time> {
    Json(Time {
        now_ms: app.sessions.now_ms(),
    })
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such API endpoint; see /api/openapi.json".into())
}

/// This document
#[utoipa::path(get, path = "/api/openapi.json", responses(
    (status = 200, description = "OpenAPI 3.1", content_type = "application/json", body = Object),
))]
async fn openapi_json(Extension(document): Extension<Document>) -> axum::response::Response {
    document.response()
}

/// The API, every route registered together with its description: `routes!` takes the path,
/// the methods and the description from each handler's `#[utoipa::path]`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(crate::openapi::base())
        .routes(routes!(list_draaiboeken, upload_draaiboek))
        .routes(routes!(get_draaiboek))
        .routes(routes!(create_session, list_sessions))
        .routes(routes!(export_file))
        .routes(routes!(join_session))
        .routes(routes!(join_info))
        .routes(routes!(get_session, lifecycle::delete_session))
        .routes(routes!(lifecycle::end_session))
        .routes(routes!(lifecycle::remove_member))
        .routes(routes!(agenda_command))
        .routes(routes!(rotate_link))
        .routes(routes!(consoles::open_console))
        .routes(routes!(consoles::hand_over))
        .routes(routes!(consoles::list_accounts))
        .routes(routes!(projector::projector_link))
        .routes(routes!(projector::pair))
        .routes(routes!(control_command))
        .routes(routes!(written))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::logout))
        .routes(routes!(accounts::me))
        .routes(routes!(oidc::offer))
        .routes(routes!(oidc::start))
        .routes(routes!(oidc::callback))
        .routes(routes!(time))
        .routes(routes!(get_join_address))
        .routes(routes!(openapi_json))
}

/// [`router`] with its description served, and a JSON 404 for any other path under `/api`.
pub fn routes() -> Router<AppState> {
    let (api, document) = router().split_for_parts();
    api.route("/api/{*rest}", axum::routing::any(not_found))
        .layer(Extension(Document::new(document)))
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

#![cfg_attr(test, allow(clippy::unwrap_used))]
//! The Werkmuur server: a y-websocket sync endpoint for every shared board, durable storage,
//! and the web app. See ARCHITECTURE.md for the map.

pub mod accounts;
pub mod api;
pub mod auth;
mod effects;
pub mod error;
mod guesses;
pub mod library;
mod lifecycle;
pub mod logging;
pub mod oidc;
pub mod openapi;
pub mod png;
pub mod projector;
pub mod rooms;
pub mod serve;
pub mod sessions;
pub mod statement;
pub mod storage;
pub mod web;
pub mod ws;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::routing::get;
use draaiboeken::sync::Limits;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use auth::{Authorize, Denied, OpenRooms};
use library::Library;
use rooms::Rooms;
use sessions::Sessions;
pub use sessions::{Clock, SystemClock};
pub use storage::{Store, StoreError};

/// Everything the server is started with.
#[derive(Clone)]
pub struct Settings {
    /// Where the SQLite database lives (see `storage::open`).
    pub data_dir: PathBuf,
    /// The built web app (`index.html` and friends).
    pub web_dir: PathBuf,
    pub limits: Limits,
    /// How long a connection may be quiet before we send a keep-alive.
    pub keepalive: Duration,
    /// How long a room stays loaded after its last connection leaves.
    pub idle_unload: Duration,
    /// Log entries after which a document's log is merged into its snapshot.
    pub compact_after: usize,
    /// Frames queued for one connection before it counts as too slow and is closed.
    pub queue_frames: usize,
    /// Who may use rooms outside sessions (`sessie/…` rooms follow session tokens).
    pub authorizer: Arc<dyn Authorize>,
    /// Own draaiboeken (`*.toml`), and where uploads are saved. Default: `{data_dir}/draaiboeken`.
    pub draaiboeken_dir: Option<PathBuf>,
    pub clock: Arc<dyn Clock>,
    /// The address phones use to reach this server (shown as the join link and QR code), e.g.
    /// `https://werkmuur.example.nl`. Default: this machine's LAN address and port.
    pub public_url: Option<String>,
    /// A secret for tools (sent as `Authorization: Bearer …`) that counts as an organiser:
    /// list, export, start and manage every session, upload draaiboeken. People sign in with
    /// accounts (`werkmuur organiser add`).
    pub organiser_secret: Option<String>,
    /// Most open websocket connections from one address. A hall behind one router shares an
    /// address, and each phone has two or three open, so this is generous.
    pub max_connections_per_address: usize,
    /// Counts websocket frames held back and connections closed for going over their budget
    /// (`limits.budget`); shared by every clone of these settings.
    pub throttling: Arc<ws::Throttling>,
    /// When sessions end on their own, and how long their data is kept after the end.
    pub lifecycle: draaiboeken::sessie::lifecycle::Policy,
    /// How often every session is asked whether it is due to end or to be deleted.
    pub sweep_every: Duration,
    /// Most rooms open at once (each is a document in memory).
    pub max_rooms: usize,
    /// Most sessions the server keeps (running, or ended and kept until deleted).
    pub max_sessions: usize,
    /// Sessions one address may create per hour (creating one needs no account).
    pub sessions_per_address_per_hour: u32,
    /// How long a client may take to send a request's headers, and a keep-alive connection
    /// may stay idle between requests.
    pub header_read_timeout: Duration,
    /// Most open connections, websockets included. Default: what the open-file limit (raised
    /// to its hard limit at start) leaves room for.
    pub max_connections: Option<usize>,
    /// Sign-in through the organisation's identity provider (OpenID Connect); off when `None`.
    /// Needs `public_url`: the redirect URI is `{public_url}/api/oidc/callback`.
    pub oidc: Option<oidc::OidcSettings>,
    /// Where people report an accessibility problem (an e-mail address or a web page), as the
    /// accessibility statement (`/toegankelijkheid`) says it; without one, it sends them to the
    /// organisation that invited them.
    pub accessibility_contact: Option<String>,
}

impl Settings {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            web_dir: PathBuf::from("target/web"),
            limits: Limits::default(),
            keepalive: Duration::from_secs(10),
            idle_unload: Duration::from_secs(30),
            compact_after: 200,
            queue_frames: 1024,
            authorizer: Arc::new(OpenRooms),
            draaiboeken_dir: None,
            clock: Arc::new(SystemClock),
            public_url: None,
            organiser_secret: None,
            max_connections_per_address: 4096,
            throttling: Arc::default(),
            lifecycle: Default::default(),
            sweep_every: Duration::from_secs(60),
            max_rooms: 10_000,
            max_sessions: 5_000,
            sessions_per_address_per_hour: 20,
            header_read_timeout: Duration::from_secs(10),
            max_connections: None,
            oidc: None,
            accessibility_contact: None,
        }
    }
}

/// The shortest organisers' secret the server accepts: it opens every session's data.
pub const MIN_ORGANISER_SECRET_CHARS: usize = 16;

impl Settings {
    /// What would make the server unsafe to start with these settings.
    pub fn check(&self) -> Result<(), ServerError> {
        if let Some(secret) = &self.organiser_secret
            && secret.chars().count() < MIN_ORGANISER_SECRET_CHARS
        {
            return Err(ServerError::WeakSecret);
        }
        if let Some(oidc) = &self.oidc {
            oidc::check(oidc, self.public_url.as_deref())?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(
        "the organisers' secret is too short: use at least {MIN_ORGANISER_SECRET_CHARS} characters \
         (e.g. `openssl rand -hex 16`)"
    )]
    WeakSecret,
    #[error(transparent)]
    Oidc(#[from] oidc::OidcConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Account(#[from] accounts::AccountError),
    #[error("server I/O error: {0}")]
    Io(#[from] std::io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_organiser_secret_is_refused_at_start() {
        let mut settings = Settings::new("data");
        assert!(settings.check().is_ok());
        settings.organiser_secret = Some("geheim".into());
        assert!(matches!(settings.check(), Err(ServerError::WeakSecret)));
        settings.organiser_secret = Some("x".repeat(MIN_ORGANISER_SECRET_CHARS));
        assert!(settings.check().is_ok());
    }
}

#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub rooms: Arc<Rooms>,
    pub sessions: Arc<Sessions>,
    pub library: Arc<Library>,
    /// Where the server listens (for the join address).
    pub listen_addr: std::net::SocketAddr,
    /// Turns true when the server shuts down; every connection then closes.
    pub shutdown: watch::Receiver<bool>,
    pub connections: Arc<ws::Connections>,
    pub accounts: Arc<accounts::Accounts>,
    /// Sign-in through the identity provider, when it is configured.
    pub oidc: Option<Arc<oidc::Oidc>>,
}

/// The Content-Security-Policy of every response. A page shell adds the hash of the stylesheet
/// it carries inline (`web.rs`); nothing else may be inline.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'";

fn security_headers(router: Router) -> Router {
    let headers = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (HeaderName::from_static("x-frame-options"), "DENY"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
        // Nothing here needs a camera, a microphone or a location; the projector does go
        // full screen, which stays allowed.
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
    ];
    headers.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ))
    })
}

/// Runs the server on `listener` until `shutdown` resolves; then closes every connection and
/// makes every received update durable before returning.
pub async fn launch_with_listener(
    settings: Settings,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    settings.check()?;
    let (store, _thread) =
        storage::worker::spawn(storage::open(&settings)?, settings.compact_after)?;
    let rooms = Rooms::new(
        store.clone(),
        settings.limits.clone(),
        settings.idle_unload,
        settings.queue_frames,
        settings.max_rooms,
    );
    let draaiboeken_dir = settings
        .draaiboeken_dir
        .clone()
        .unwrap_or_else(|| settings.data_dir.join("draaiboeken"));
    let library = Arc::new(Library::load(
        Some(&draaiboeken_dir),
        Some(&settings.data_dir.join(library::UPLOADS_DIR)),
    ));
    let accounts = Arc::new(accounts::Accounts::new(
        store.clone(),
        settings.clock.clone(),
    )?);
    let sessions = Sessions::load(
        store.clone(),
        rooms.clone(),
        library.clone(),
        settings.clock.clone(),
        settings.organiser_secret.as_deref(),
        sessions::Quotas {
            policy: settings.lifecycle,
            max_sessions: settings.max_sessions,
            per_address_per_hour: settings.sessions_per_address_per_hour,
        },
    )
    .await?;
    let oidc = match &settings.oidc {
        Some(o) => {
            let oidc = Arc::new(oidc::Oidc::new(
                o.clone(),
                settings.public_url.as_deref(),
                settings.clock.clone(),
            )?);
            oidc.discover_in_background();
            Some(oidc)
        }
        None => None,
    };
    let sweep = sessions.sweep_every(settings.sweep_every);
    let (stop_tx, stop_rx) = watch::channel(false);
    let limits = serve::HttpLimits {
        header_read_timeout: settings.header_read_timeout,
        max_connections: settings
            .max_connections
            .unwrap_or_else(serve::connection_cap),
    };
    // One address can't take every connection: a hall's router shares one, so it may have
    // most, but not more than the server has.
    let connections = ws::Connections::new(
        settings
            .max_connections_per_address
            .min(limits.max_connections),
    );
    let state = AppState {
        settings: Arc::new(settings),
        rooms: rooms.clone(),
        sessions,
        library,
        listen_addr: listener.local_addr()?,
        shutdown: stop_rx,
        connections,
        accounts,
        oidc,
    };
    let app = router(state);
    tracing::info!(addr = %listener.local_addr()?, connections = limits.max_connections,
        "werkmuur listening");
    serve::serve(listener, app, limits, async move {
        shutdown.await;
        tracing::info!("shutting down");
        let _ = stop_tx.send(true);
    })
    .await?;
    sweep.abort();
    rooms.compact_all();
    store.flush().await?;
    tracing::info!("all updates stored");
    Ok(())
}

pub fn router(state: AppState) -> Router {
    let web = web::routes(state.clone());
    let api = api::routes()
        .route("/sync/{*room}", get(ws::sync_handler))
        .route("/healthz", get(|| async { "ok" }))
        .route(statement::PATH, get(statement::page))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guesses::limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            api::same_origin,
        ))
        .with_state(state);
    // Log paths, never query strings: those carry tokens.
    let trace = TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
        tracing::debug_span!("http", method = %req.method(), path = %req.uri().path())
    });
    security_headers(api.merge(web)).layer(trace)
}

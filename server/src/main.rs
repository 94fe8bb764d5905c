//! `werkmuur`: the command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;

mod organiser;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::FilterExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

#[derive(Parser)]
#[command(
    version,
    about = "Werkmuur runs a leersessie's draaiboek as a live, timed, shared post-it wall.",
    after_help = "Example, for phones on the venue Wi-Fi:\n  werkmuur serve --addr 0.0.0.0:8080\n\nLogging: WERKMUUR_LOG=debug (tracing filter syntax)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the sync endpoint.
    Serve {
        /// Address to listen on. Use 0.0.0.0:8080 to let phones on the same network connect.
        #[arg(long, env = "WERKMUUR_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Directory for the database (created if missing).
        #[arg(long, env = "WERKMUUR_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
        /// Directory with the built web app (see scripts/build-web).
        #[arg(long, env = "WERKMUUR_WEB_DIR", default_value = "./target/web")]
        web_dir: PathBuf,
        /// Directory with your own draaiboeken (*.toml); uploads are saved there too.
        /// Default: the `draaiboeken` directory inside the data directory.
        #[arg(long, env = "WERKMUUR_DRAAIBOEKEN_DIR")]
        draaiboeken_dir: Option<PathBuf>,
        /// The address phones use to reach Werkmuur, shown as join link and QR code (e.g.
        /// https://werkmuur.example.nl). Default: this machine's LAN address.
        #[arg(long, env = "WERKMUUR_PUBLIC_URL")]
        public_url: Option<String>,
        /// A secret for tools that counts as an organiser (send it as `Authorization: Bearer
        /// …`). People sign in with accounts instead: see `werkmuur organiser`.
        #[arg(long, env = "WERKMUUR_ORGANISER_SECRET", hide_env_values = true)]
        organiser_secret: Option<String>,
        /// Where people report an accessibility problem (an e-mail address or a web page),
        /// shown in the accessibility statement at /toegankelijkheid.
        #[arg(long, env = "WERKMUUR_ACCESSIBILITY_CONTACT")]
        accessibility_contact: Option<String>,
        /// Most open websocket connections from one address (a hall behind one router shares
        /// an address; each phone keeps two or three open).
        #[arg(
            long,
            env = "WERKMUUR_MAX_CONNECTIONS_PER_ADDRESS",
            default_value_t = 4096
        )]
        max_connections_per_address: usize,
        /// Websocket frames per second one connection may send, sustained (default 150, the
        /// burst scaled with it): a backstop against floods of small frames. Bytes and the
        /// server's work per connection are budgeted too. A client that stays over any of
        /// them is slowed, then closed.
        #[arg(long, env = "WERKMUUR_MESSAGES_PER_SECOND")]
        messages_per_second: Option<f64>,
        /// Milliseconds of server work per second one connection may cause, sustained
        /// (default 500, the burst scaled with it).
        #[arg(long, env = "WERKMUUR_WORK_MS_PER_SECOND")]
        work_ms_per_second: Option<f64>,
        /// Days a session's data (names, post-its, boards) is kept after it ended; then it is
        /// deleted. A session can be given its own period when it is made.
        #[arg(long, env = "WERKMUUR_RETENTION_DAYS", default_value_t = 90,
            value_parser = clap::value_parser!(u32).range(1..=366))]
        retention_days: u32,
        /// Most open connections in all. Default: what the open-file limit (raised to its hard
        /// limit at start) leaves room for.
        #[arg(long, env = "WERKMUUR_MAX_CONNECTIONS")]
        max_connections: Option<usize>,
        #[command(flatten)]
        oidc: Box<OidcArgs>,
    },
    /// Accounts of organisers and facilitators (also while the server runs).
    Organiser {
        /// The data directory the server uses.
        #[arg(
            long,
            env = "WERKMUUR_DATA_DIR",
            default_value = "./data",
            global = true
        )]
        data_dir: PathBuf,
        #[command(subcommand)]
        command: OrganiserCommand,
    },
}

/// Sign-in through the organisation's own identity provider (OpenID Connect).
#[derive(clap::Args)]
struct OidcArgs {
    /// The identity provider's issuer URL (its configuration is at
    /// {issuer}/.well-known/openid-configuration). Turns on "sign in through your
    /// organisation" on /o; needs --public-url: register {public-url}/api/oidc/callback as the
    /// redirect URI at the provider.
    #[arg(long, env = "WERKMUUR_OIDC_ISSUER", requires_all = ["oidc_client_id", "oidc_client_secret"])]
    oidc_issuer: Option<String>,
    /// Werkmuur's client id at the provider.
    #[arg(long, env = "WERKMUUR_OIDC_CLIENT_ID")]
    oidc_client_id: Option<String>,
    /// Werkmuur's client secret at the provider (better given in the environment).
    #[arg(long, env = "WERKMUUR_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
    /// The ID token's claim with a person's roles (a string or a list; a dotted path reaches
    /// into objects, e.g. realm_access.roles). `organiser` or `facilitator` in it is their role
    /// in Werkmuur, set again at every sign-in. Without it, everyone gets the default role.
    #[arg(long, env = "WERKMUUR_OIDC_ROLE_CLAIM")]
    oidc_role_claim: Option<String>,
    /// The role of someone the role claim names no role for (without a role claim: of every new
    /// account). `none` lets only people with a role in the claim in.
    #[arg(long, env = "WERKMUUR_OIDC_DEFAULT_ROLE", default_value = "facilitator",
        value_parser = ["facilitator", "none"])]
    oidc_default_role: String,
}

impl OidcArgs {
    fn settings(self) -> Option<werkmuur_server::oidc::OidcSettings> {
        Some(werkmuur_server::oidc::OidcSettings {
            issuer: self.oidc_issuer.filter(|i| !i.is_empty())?,
            client_id: self.oidc_client_id.unwrap_or_default(),
            client_secret: self.oidc_client_secret.unwrap_or_default(),
            role_claim: self.oidc_role_claim.filter(|c| !c.is_empty()),
            default_role: werkmuur_server::accounts::Role::parse(&self.oidc_default_role),
        })
    }
}

#[derive(Subcommand)]
enum OrganiserCommand {
    /// Make an account; its password is made up and printed, or read from standard input.
    Add {
        /// What they sign in with, e.g. an e-mail address (case doesn't matter).
        name: String,
        /// organiser: every session; facilitator: the sessions they start.
        #[arg(long, default_value = "organiser", value_parser = ["organiser", "facilitator"])]
        role: String,
        /// Read the password from standard input (one line) instead of making one up.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give an account a new password (made up and printed, or from standard input); every
    /// browser signed in to it is signed out.
    Password {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts.
    List,
    /// Delete an account; every browser signed in to it is signed out. Its sessions stay, for
    /// the organisers.
    Remove { name: String },
}

fn main() -> anyhow::Result<()> {
    let level = EnvFilter::try_from_env("WERKMUUR_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_filter(level.and(werkmuur_server::logging::no_payloads())),
        )
        .init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    match cli.command {
        Command::Serve {
            addr,
            data_dir,
            web_dir,
            draaiboeken_dir,
            public_url,
            organiser_secret,
            accessibility_contact,
            max_connections_per_address,
            messages_per_second,
            work_ms_per_second,
            retention_days,
            max_connections,
            oidc,
        } => runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("binding {addr}"))?;
            let mut settings = werkmuur_server::Settings::new(data_dir);
            settings.web_dir = web_dir;
            settings.draaiboeken_dir = draaiboeken_dir;
            settings.public_url = public_url;
            settings.organiser_secret = organiser_secret.filter(|s| !s.is_empty());
            settings.accessibility_contact = accessibility_contact.filter(|c| !c.trim().is_empty());
            settings.max_connections_per_address = max_connections_per_address;
            let budget = &mut settings.limits.budget;
            if let Some(rate) = messages_per_second {
                budget.frames = budget.frames.scaled_to(rate);
            }
            if let Some(ms) = work_ms_per_second {
                budget.work_us = budget.work_us.scaled_to(ms * 1000.0);
            }
            settings.lifecycle.retention_days = retention_days;
            settings.max_connections = max_connections;
            settings.oidc = (*oidc).settings();
            // Refused settings stop it before anything is made.
            settings.check()?;
            first_account(&settings, addr)?;
            werkmuur_server::launch_with_listener(settings, listener, shutdown_signal())
                .await
                .context("server failed")
        }),
        Command::Organiser { data_dir, command } => organiser::run(&data_dir, command),
    }
}

/// On a server without accounts (its first start), makes one organiser and prints its name and
/// password, once: a try-out needs no other step, and the password can be changed with
/// `werkmuur organiser password`.
fn first_account(settings: &werkmuur_server::Settings, addr: SocketAddr) -> anyhow::Result<()> {
    let mut store = werkmuur_server::storage::open(settings).context("opening the database")?;
    if !store.accounts()?.is_empty() {
        return Ok(());
    }
    let password = werkmuur_server::accounts::generate_password();
    let account = werkmuur_server::accounts::new_account(
        organiser::FIRST,
        &password,
        werkmuur_server::accounts::Role::Organiser,
        organiser::now_ms(),
    )?;
    store.insert_account(&account)?;
    let base = settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    organiser::say(&format!(
        "\nWerkmuur has no accounts yet, so it made one. Sign in at {base}/login with\n\n  \
         name:     {}\n  password: {password}\n\nThis is shown only now. Change it with \
         `werkmuur organiser password {}`; add people with `werkmuur organiser add NAME`.\n",
        organiser::FIRST,
        organiser::FIRST
    ))
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(error) => {
                    tracing::warn!(%error, "no SIGTERM handler");
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

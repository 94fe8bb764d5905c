//! `werkmuur-test-server`: the real server in a process of its own, for tests that kill it
//! with SIGKILL (see `it/crash.rs`). Listens on 127.0.0.1:0 with the data directory given as
//! its one argument, and writes `listening PORT` on stdout once it accepts connections. SIGTERM
//! stops it gracefully (everything stored), as `werkmuur serve` does. The organisers' secret
//! comes from `WERKMUUR_ORGANISER_SECRET`, as for `werkmuur serve`.

use std::io::Write;

use anyhow::Context;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::FilterExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

fn main() -> anyhow::Result<()> {
    let data_dir = std::env::args_os()
        .nth(1)
        .context("usage: werkmuur-test-server DATA_DIR")?;
    let level = tracing_subscriber::EnvFilter::try_from_env("WERKMUUR_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    // As `werkmuur serve` logs: the libraries never print payloads.
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(level.and(werkmuur_server::logging::no_payloads())),
        )
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let mut settings = werkmuur_server::Settings::new(std::path::PathBuf::from(data_dir));
        // Tools start sessions with the organisers' secret, as `werkmuur serve` takes it.
        settings.organiser_secret = std::env::var("WERKMUUR_ORGANISER_SECRET").ok();
        let mut out = std::io::stdout();
        writeln!(out, "listening {port}")?;
        out.flush()?;
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        werkmuur_server::launch_with_listener(settings, listener, async move {
            term.recv().await;
        })
        .await
        .context("server failed")
    })
}

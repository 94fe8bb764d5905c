//! `werkmuur-load`: opens many protocol clients against a server and measures it.
//!
//! Scenarios (`--scenario`):
//! - `fan-out`: in each of `--rooms` rooms, `--clients` receivers connect and sync, then one
//!   writer sends `--updates` small updates. Every receiver timestamps each update frame it gets;
//!   the latency of update k at a receiver is its arrival time minus the time the writer sent it.
//! - `writers`: every one of the `--clients` in a room writes `--updates` post-its (one every
//!   `--interval-ms`, the writers spread over that interval) and receives everyone else's; the
//!   propagation latency is arrival at each other client minus sending.
//! - `join`: a board of `--notes` post-its is written first; then `--clients` phones connect at
//!   once, and each one's join time runs from its connect to holding the whole board.
//! - `idle`: connections that sync and then sit still, opened in rooms of 40 until the server's
//!   memory reaches `--rss-limit-mib` or `--clients` are open; reports memory per connection.
//!
//! The tool prints p50/p99/max, the server's resident memory and its CPU time per update, and a
//! last line `RESULT key=value …` for scripts (`scripts/bench`), ending in `limits=` (`default`,
//! or the rates it gave the server).
//!
//! With `--server PATH` it starts that `werkmuur` binary itself on a free loopback port with a
//! fresh data directory (and stops it afterwards), with the server's default limits unless
//! `--server-messages-per-second` or `--server-work-ms-per-second` say otherwise; otherwise it
//! uses `--url` and `--pid`. The server's log (`WERKMUUR_LOG`, default `warn`) goes to stderr.
//! Only loopback addresses are allowed. `--kind` says how the server names rooms in its
//! websocket path: Werkmuur (`/sync/{room}`), y-websocket (`/{room}`) or y-sweet
//! (`/d/{doc}/ws/{doc}`).

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, ValueEnum};
use draaiboeken::sync::wire;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

mod connections;
mod fanout;
mod writers;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Scenario {
    FanOut,
    Writers,
    Join,
    Idle,
}

/// How a server spells a room in its websocket path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    Werkmuur,
    YWebsocket,
    YSweet,
}

#[derive(Parser, Debug)]
#[command(about = "Load test for the Werkmuur sync server (and other Yjs servers)")]
struct Args {
    #[arg(long, value_enum, default_value = "fan-out")]
    scenario: Scenario,
    #[arg(long, value_enum, default_value = "werkmuur")]
    kind: Kind,
    /// The board size for `join`.
    #[arg(long, default_value_t = 1000)]
    notes: usize,
    /// `idle` stops when the server's memory reaches this.
    #[arg(long, default_value_t = 1024)]
    rss_limit_mib: u64,
    /// Receivers per room (`fan-out`), writers per room (`writers`), joiners (`join`), or the
    /// most connections to open (`idle`).
    #[arg(long, default_value_t = 100)]
    clients: usize,
    /// Rooms, each with its own receivers and writer.
    #[arg(long, default_value_t = 1)]
    rooms: usize,
    /// Updates each writer sends.
    #[arg(long, default_value_t = 200)]
    updates: usize,
    /// Pause between a writer's updates, in milliseconds.
    #[arg(long, default_value_t = 20)]
    interval_ms: u64,
    /// Start this werkmuur binary (e.g. target/release/werkmuur) for the run.
    #[arg(long)]
    server: Option<PathBuf>,
    /// Websocket base URL of a running server (without --server), e.g. ws://127.0.0.1:8080/sync
    /// for Werkmuur, ws://127.0.0.1:1234 for y-websocket or y-sweet.
    #[arg(long, default_value = "ws://127.0.0.1:8080/sync")]
    url: String,
    /// Process id of that running server, to read its memory.
    #[arg(long)]
    pid: Option<u32>,
    /// Add one flooding client per room that sends updates as fast as the server reads them,
    /// for as long as the writer writes: the receivers' latency shows what a flood does to the
    /// others.
    #[arg(long)]
    flood: bool,
    /// The writer (`fan-out`) also sends a cursor (an awareness message) with every update, as
    /// a stock editor does while dragging.
    #[arg(long)]
    awareness: bool,
    /// Raise (or lower) the started server's frames per second per connection
    /// (`--messages-per-second`). Without it the server runs with its defaults, as deployed;
    /// a figure taken with it must say so.
    #[arg(long)]
    server_messages_per_second: Option<f64>,
    /// The same for the server's work budget per connection (`--work-ms-per-second`).
    #[arg(long)]
    server_work_ms_per_second: Option<f64>,
}

impl Args {
    /// The started server's limits as flags, and how the report names them.
    fn server_limits(&self) -> (Vec<String>, String) {
        let mut flags = Vec::new();
        let mut names = Vec::new();
        if let Some(rate) = self.server_messages_per_second {
            flags.extend(["--messages-per-second".to_owned(), rate.to_string()]);
            names.push(format!("frames:{rate}/s"));
        }
        if let Some(ms) = self.server_work_ms_per_second {
            flags.extend(["--work-ms-per-second".to_owned(), ms.to_string()]);
            names.push(format!("work:{ms}ms/s"));
        }
        let name = if names.is_empty() {
            "default".to_owned()
        } else {
            names.join(",")
        };
        (flags, name)
    }
}

struct Spawned {
    child: tokio::process::Child,
    _dir: tempdir::Dir,
}

mod tempdir {
    /// A directory under the system temp dir, removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new() -> std::io::Result<Self> {
            let path = std::env::temp_dir().join(format!(
                "werkmuur-load-{}-{}",
                std::process::id(),
                fastrand_u64()
            ));
            std::fs::create_dir_all(&path)?;
            Ok(Self(path))
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    fn fastrand_u64() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
    }
}

/// User + system CPU time of a process so far, in milliseconds (from `/proc/PID/stat`, whose
/// clock ticks are 1/100 s on Linux).
fn cpu_ms(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) * 10)
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

async fn spawn_server(path: &PathBuf, limits: &[String]) -> anyhow::Result<(Spawned, String, u32)> {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0")?;
        probe.local_addr()?.port()
    };
    let dir = tempdir::Dir::new()?;
    let addr = format!("127.0.0.1:{port}");
    let child = tokio::process::Command::new(path)
        .args(["serve", "--addr", &addr, "--data-dir"])
        .arg(&dir.0)
        .args(limits)
        // All clients share loopback, so they share one address.
        .args(["--max-connections-per-address", "100000"])
        .env(
            "WERKMUUR_LOG",
            std::env::var("WERKMUUR_LOG").unwrap_or_else(|_| "warn".into()),
        )
        // Its log goes with the tool's (stderr), apart from the report.
        .stdout(Stdio::from(std::io::stderr()))
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {}", path.display()))?;
    let pid = child.id().context("server pid")?;
    // Wait until it accepts connections.
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(&addr).await.is_err() {
        if Instant::now() > deadline {
            bail!("the server did not start listening on {addr}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok((
        Spawned { child, _dir: dir },
        format!("ws://{addr}/sync"),
        pid,
    ))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Connects and syncs from nothing: returns the socket and the server's sync step 2 (the whole
/// board as one update).
async fn connect_and_sync(url: &str) -> anyhow::Result<(Socket, Vec<u8>)> {
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(url, None, true).await?;
    ws.send(Message::Binary(wire::encode_step1(&[0]).into()))
        .await?;
    loop {
        match ws.next().await {
            Some(Ok(Message::Binary(frame))) => {
                if let Ok(wire::Message::SyncStep2(update)) = wire::decode(&frame) {
                    let update = update.to_vec();
                    return Ok((ws, update));
                }
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.into()),
            None => bail!("closed before sync"),
        }
    }
}

fn room_url(kind: Kind, base: &str, room: &str) -> String {
    match kind {
        Kind::Werkmuur | Kind::YWebsocket => format!("{base}/{room}"),
        Kind::YSweet => {
            let doc = room.replace('/', "-");
            format!("{base}/d/{doc}/ws/{doc}")
        }
    }
}

/// What a scenario measured: the report's lines and the `RESULT` fields.
struct Outcome {
    text: String,
    result: String,
    failed: usize,
}

struct Target {
    base: String,
    kind: Kind,
    pid: Option<u32>,
}

impl Target {
    fn room(&self, name: &str) -> String {
        room_url(self.kind, &self.base, name)
    }
}

fn or_unknown(v: Option<u64>) -> String {
    v.map_or("?".into(), |v| v.to_string())
}

fn latency_line(latencies: &mut [Duration]) -> (String, f64, f64) {
    latencies.sort();
    let p50 = percentile(latencies, 50.0);
    let p99 = percentile(latencies, 99.0);
    (
        format!(
            "over {} deliveries: p50 {}  p99 {}  max {}",
            latencies.len(),
            ms(p50),
            ms(p99),
            ms(latencies.last().copied().unwrap_or_default())
        ),
        p50.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0,
    )
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    werkmuur_tests::init_tracing();
    let args = Args::parse();
    let (spawned, base, pid) = match &args.server {
        Some(path) => {
            let (s, url, pid) = spawn_server(path, &args.server_limits().0).await?;
            (Some(s), url, Some(pid))
        }
        None => (None, args.url.trim_end_matches('/').to_owned(), args.pid),
    };
    if !(base.starts_with("ws://127.")
        || base.starts_with("ws://localhost")
        || base.starts_with("ws://[::1]"))
    {
        bail!("only loopback servers may be load-tested: {base}");
    }
    let target = Target {
        base,
        kind: args.kind,
        pid,
    };
    let outcome = match args.scenario {
        Scenario::FanOut => fanout::fan_out(&args, &target).await?,
        Scenario::Writers => writers::writers(&args, &target).await?,
        Scenario::Join => connections::join(&args, &target).await?,
        Scenario::Idle => connections::idle(&args, &target).await?,
    };
    // Only a server the tool started has known limits.
    let limits = match (&args.server, args.kind) {
        (Some(_), _) => args.server_limits().1,
        (None, Kind::Werkmuur) => "as-started".to_owned(),
        (None, _) => "none".to_owned(),
    };
    tracing::info!("done");
    // The report is the tool's output.
    #[allow(clippy::print_stdout)]
    {
        println!(
            "{}\nserver limits: {limits}\nRESULT {} limits={limits}",
            outcome.text, outcome.result
        );
    }
    if let Some(mut s) = spawned {
        let _ = s.child.kill().await;
    }
    if outcome.failed > 0 {
        bail!("{} clients failed", outcome.failed);
    }
    Ok(())
}

//! `werkmuur-load`: opens many protocol clients against a server and measures fan-out.
//!
//! In each of `--rooms` rooms, `--clients` receivers connect and sync, then one writer sends
//! `--updates` small updates. Every receiver timestamps each update frame it gets; the latency of
//! update k at a receiver is its arrival time minus the time the writer sent it. The tool prints
//! p50/p99/max over all (receiver, update) pairs, and the server's resident memory.
//!
//! With `--server PATH` it starts that `werkmuur` binary itself on a free loopback port with a
//! fresh data directory (and stops it afterwards); otherwise it uses `--url` and `--pid`.
//! Only loopback addresses are allowed.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use draaiboeken::board;
use draaiboeken::sync::{Peer, wire};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::Barrier;
use tokio_tungstenite::tungstenite::Message;
use werkmuur_tests::local_edit;
use yrs::Doc;

#[derive(Parser, Debug)]
#[command(about = "Fan-out load test for the Werkmuur sync server")]
struct Args {
    /// Receivers per room.
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
    /// Sync base URL of a running server (without --server).
    #[arg(long, default_value = "ws://127.0.0.1:8080/sync")]
    url: String,
    /// Process id of that running server, to read its memory.
    #[arg(long)]
    pid: Option<u32>,
    /// Add one flooding client per room that sends updates as fast as the server reads them,
    /// for as long as the writer writes: the receivers' latency shows what a flood does to the
    /// others. Use with the server's real rate limit (`--server-messages-per-second 20`).
    #[arg(long)]
    flood: bool,
    /// The per-connection message rate the started server allows (its default is 20; the
    /// writer here stands in for a whole room, so the tool raises it unless told otherwise).
    #[arg(long, default_value_t = 100_000.0)]
    server_messages_per_second: f64,
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

async fn spawn_server(path: &PathBuf, rate: f64) -> anyhow::Result<(Spawned, String, u32)> {
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0")?;
        probe.local_addr()?.port()
    };
    let dir = tempdir::Dir::new()?;
    let addr = format!("127.0.0.1:{port}");
    let child = tokio::process::Command::new(path)
        .args(["serve", "--addr", &addr, "--data-dir"])
        .arg(&dir.0)
        // One writer stands in for a whole room's activity, and all clients share loopback.
        .args(["--messages-per-second", &rate.to_string()])
        .args(["--max-connections-per-address", "100000"])
        .env("WERKMUUR_LOG", "warn")
        .stdout(Stdio::null())
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

/// Connects, syncs, waits for the start signal, then records when each update frame arrives.
async fn receiver(
    url: String,
    updates: usize,
    ready: Arc<Barrier>,
) -> anyhow::Result<Vec<Instant>> {
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(&url, None, true).await?;
    let hello = wire::encode_step1(&[0]);
    ws.send(Message::Binary(hello.into())).await?;
    // Until our sync step 2 arrives.
    loop {
        match ws.next().await {
            Some(Ok(Message::Binary(frame))) if frame.starts_with(&[0, 1]) => break,
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.into()),
            None => bail!("closed before sync"),
        }
    }
    ready.wait().await;
    let mut arrivals = Vec::with_capacity(updates);
    while arrivals.len() < updates {
        match tokio::time::timeout(Duration::from_secs(30), ws.next()).await {
            Ok(Some(Ok(Message::Binary(frame))))
                if frame.starts_with(&[0, 2]) && !is_flood(&frame) =>
            {
                arrivals.push(Instant::now());
            }
            Ok(Some(Ok(_))) => {}
            Ok(Some(Err(e))) => return Err(e.into()),
            Ok(None) => bail!("closed after {} updates", arrivals.len()),
            Err(_) => bail!("no update for 30 s after {}", arrivals.len()),
        }
    }
    let _ = ws.close(None).await;
    Ok(arrivals)
}

async fn writer(
    url: String,
    updates: usize,
    interval: Duration,
    ready: Arc<Barrier>,
) -> anyhow::Result<Vec<Instant>> {
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(&url, None, true).await?;
    let doc = Doc::new();
    let notes = board::notes_array(&doc);
    ready.wait().await;
    let mut sent = Vec::with_capacity(updates);
    let mut tick = tokio::time::interval(interval);
    for i in 0..updates {
        tick.tick().await;
        let update = local_edit(&doc, |txn| {
            board::add_note(&notes, txn, &i.to_string(), &format!("briefje {i}"))
        });
        let frame = Peer::update_frame(&update);
        sent.push(Instant::now());
        ws.send(Message::Binary(frame.to_vec().into())).await?;
    }
    // Keep the connection open until the receivers are done (the caller drops us).
    tokio::spawn(async move { while let Some(Ok(_)) = ws.next().await {} });
    Ok(sent)
}

const FLOOD: &[u8] = b"FLOOD";

fn is_flood(frame: &[u8]) -> bool {
    frame.windows(FLOOD.len()).any(|w| w == FLOOD)
}

/// Sends updates as fast as the connection takes them until `stop`; returns how many.
async fn flooder(
    url: String,
    ready: Arc<Barrier>,
    stop: Arc<tokio::sync::Notify>,
) -> anyhow::Result<usize> {
    let (ws, _) = tokio_tungstenite::connect_async_with_config(&url, None, true).await?;
    let (mut sink, mut stream) = ws.split();
    // Read (and drop) whatever comes, so the server never counts us as too slow.
    tokio::spawn(async move { while let Some(Ok(_)) = stream.next().await {} });
    // Made before the start, so the flood costs the tool nothing while it measures (on a real
    // network the flooder is another machine).
    let doc = Doc::new();
    let notes = board::notes_array(&doc);
    let frames: Vec<bytes::Bytes> = (0..100_000)
        .map(|i| {
            let update = local_edit(&doc, |txn| {
                board::add_note(&notes, txn, &format!("f{i}"), "FLOOD")
            });
            bytes::Bytes::from(Peer::update_frame(&update).to_vec())
        })
        .collect();
    ready.wait().await;
    let mut sent = 0usize;
    let stopped = stop.notified();
    tokio::pin!(stopped);
    for frame in frames {
        tokio::select! {
            _ = &mut stopped => break,
            r = sink.send(Message::Binary(frame)) => {
                if r.is_err() { break; }
                sent += 1;
            }
        }
    }
    Ok(sent)
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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    werkmuur_tests::init_tracing();
    let args = Args::parse();
    let (spawned, base, pid) = match &args.server {
        Some(path) => {
            let (s, url, pid) = spawn_server(path, args.server_messages_per_second).await?;
            (Some(s), url, Some(pid))
        }
        None => (None, args.url.clone(), args.pid),
    };
    if !(base.starts_with("ws://127.")
        || base.starts_with("ws://localhost")
        || base.starts_with("ws://[::1]"))
    {
        bail!("only loopback servers may be load-tested: {base}");
    }
    let rss_before = pid.and_then(rss_kib);

    let started = Instant::now();
    let mut rooms = Vec::new();
    for r in 0..args.rooms {
        let url = format!("{base}/load/{}/room-{r}", std::process::id());
        // Receivers + writer (+ flooder) + this task wait for each other before writing.
        let ready = Arc::new(Barrier::new(args.clients + 2 + usize::from(args.flood)));
        let mut receivers = Vec::new();
        for _ in 0..args.clients {
            receivers.push(tokio::spawn(receiver(
                url.clone(),
                args.updates,
                ready.clone(),
            )));
        }
        let stop = Arc::new(tokio::sync::Notify::new());
        let flood = args
            .flood
            .then(|| tokio::spawn(flooder(url.clone(), ready.clone(), stop.clone())));
        let writer = tokio::spawn(writer(
            url,
            args.updates,
            Duration::from_millis(args.interval_ms),
            ready.clone(),
        ));
        rooms.push((ready, receivers, writer, flood, stop));
    }
    for (ready, ..) in &rooms {
        ready.wait().await;
    }
    let connect_time = started.elapsed();
    let rss_connected = pid.and_then(rss_kib);
    let cpu_connected = pid.and_then(cpu_ms);

    let mut latencies = Vec::new();
    let mut failed = 0usize;
    let mut peak_rss = rss_connected;
    let mut flooded = 0usize;
    for (_, receivers, writer, flood, stop) in rooms {
        let sent = writer.await??;
        for r in receivers {
            match r.await? {
                Ok(arrivals) => latencies.extend(
                    arrivals
                        .iter()
                        .zip(&sent)
                        .map(|(got, sent)| got.saturating_duration_since(*sent)),
                ),
                Err(error) => {
                    failed += 1;
                    tracing::warn!(%error, "receiver failed");
                }
            }
        }
        stop.notify_one();
        if let Some(f) = flood {
            flooded += f.await??;
        }
        peak_rss = peak_rss.max(pid.and_then(rss_kib));
    }
    latencies.sort();
    let cpu_writes = cpu_connected.zip(pid.and_then(cpu_ms)).map(|(a, b)| b - a);
    let updates_sent = (args.rooms * args.updates).max(1) as f64;

    let connections = args.rooms * (args.clients + 1);
    tracing::info!("done");
    let report = format!(
        "rooms {} × receivers {} (+1 writer each) = {connections} connections; {} updates each\n\
         connect + sync all: {}\n\
         fan-out latency over {} deliveries: p50 {}  p99 {}  max {}\n\
         failed receivers: {failed}\n\
         flooders sent {flooded} updates (taken at the server's rate)\n\
         server RSS: before {} KiB, all connected {} KiB, peak seen {} KiB\n\
         server CPU while writing: {} ms, {} µs per update sent (each fanned out to every receiver)\n\
         RESULT p50_ms={:.3} p99_ms={:.3} rss_kib={} cpu_us_per_update={:.1} failed={failed}",
        args.rooms,
        args.clients,
        args.updates,
        ms(connect_time),
        latencies.len(),
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        ms(latencies.last().copied().unwrap_or_default()),
        rss_before.map_or("?".into(), |v| v.to_string()),
        rss_connected.map_or("?".into(), |v| v.to_string()),
        peak_rss.map_or("?".into(), |v| v.to_string()),
        cpu_writes.map_or("?".into(), |v| v.to_string()),
        cpu_writes.map_or("?".into(), |v| format!(
            "{:.1}",
            v as f64 * 1000.0 / updates_sent
        )),
        percentile(&latencies, 50.0).as_secs_f64() * 1000.0,
        percentile(&latencies, 99.0).as_secs_f64() * 1000.0,
        peak_rss.map_or(0, |v| v),
        cpu_writes.map_or(0.0, |v| v as f64 * 1000.0 / updates_sent),
    );
    // The report is the tool's output.
    #[allow(clippy::print_stdout)]
    {
        println!("{report}");
    }
    if let Some(mut s) = spawned {
        let _ = s.child.kill().await;
    }
    if failed > 0 {
        bail!("{failed} receivers failed");
    }
    Ok(())
}

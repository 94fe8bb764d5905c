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
//! last line `RESULT key=value …` for scripts (`scripts/bench`).
//!
//! With `--server PATH` it starts that `werkmuur` binary itself on a free loopback port with a
//! fresh data directory (and stops it afterwards); otherwise it uses `--url` and `--pid`.
//! Only loopback addresses are allowed. `--kind` says how the server names rooms in its
//! websocket path: Werkmuur (`/sync/{room}`), y-websocket (`/{room}`) or y-sweet
//! (`/d/{doc}/ws/{doc}`).

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, ValueEnum};
use draaiboeken::board;
use draaiboeken::sync::{Peer, wire};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::Barrier;
use tokio_tungstenite::tungstenite::Message;
use werkmuur_tests::local_edit;
use yrs::Doc;

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
    let (mut ws, _) = connect_and_sync(&url).await?;
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

/// The text of writer `w`'s `k`-th post-it in `writers`: fixed width, so it can be found in the
/// bytes of any update that carries it.
fn marker(w: usize, k: usize) -> String {
    format!("W{w:05}K{k:05}")
}

/// Every (writer, k) marker in a frame.
fn markers(frame: &[u8]) -> Vec<(usize, usize)> {
    let digits = |b: &[u8]| -> Option<usize> {
        b.iter()
            .all(u8::is_ascii_digit)
            .then(|| std::str::from_utf8(b).ok()?.parse().ok())?
    };
    frame
        .windows(12)
        .filter(|w| w[0] == b'W' && w[6] == b'K')
        .filter_map(|w| Some((digits(&w[1..6])?, digits(&w[7..12])?)))
        .collect()
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

async fn fan_out(args: &Args, target: &Target) -> anyhow::Result<Outcome> {
    let pid = target.pid;
    let rss_before = pid.and_then(rss_kib);
    let started = Instant::now();
    let mut rooms = Vec::new();
    for r in 0..args.rooms {
        let url = target.room(&format!("load/{}/room-{r}", std::process::id()));
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
    let cpu_writes = cpu_connected.zip(pid.and_then(cpu_ms)).map(|(a, b)| b - a);
    let updates_sent = (args.rooms * args.updates).max(1) as f64;
    let cpu_per_update = cpu_writes.map(|v| v as f64 * 1000.0 / updates_sent);
    let connections = args.rooms * (args.clients + 1);
    let (line, p50, p99) = latency_line(&mut latencies);
    Ok(Outcome {
        text: format!(
            "fan-out: rooms {} × receivers {} (+1 writer each) = {connections} connections; {} updates each\n\
             connect + sync all: {}\n\
             fan-out latency {line}\n\
             failed receivers: {failed}\n\
             flooders sent {flooded} updates (taken at the server's rate)\n\
             server RSS: before {} KiB, all connected {} KiB, peak seen {} KiB\n\
             server CPU while writing: {} ms, {} µs per update sent (each fanned out to every receiver)",
            args.rooms,
            args.clients,
            args.updates,
            ms(connect_time),
            or_unknown(rss_before),
            or_unknown(rss_connected),
            or_unknown(peak_rss),
            or_unknown(cpu_writes),
            cpu_per_update.map_or("?".into(), |v| format!("{v:.1}")),
        ),
        result: format!(
            "p50_ms={p50:.3} p99_ms={p99:.3} rss_kib={} cpu_us_per_update={:.1} failed={failed}",
            peak_rss.unwrap_or(0),
            cpu_per_update.unwrap_or(0.0),
        ),
        failed,
    })
}

/// One of the `writers`: writes its post-its on schedule and records when everyone else's
/// arrive. Returns its send times and the arrivals (writer, k, when).
async fn writing_client(
    url: String,
    me: usize,
    writers: usize,
    updates: usize,
    interval: Duration,
    ready: Arc<Barrier>,
) -> anyhow::Result<(Vec<Instant>, Vec<(usize, usize, Instant)>)> {
    let (ws, _) = connect_and_sync(&url).await?;
    let (mut sink, mut stream) = ws.split();
    ready.wait().await;
    let expected = (writers - 1) * updates;
    let reader = tokio::spawn(async move {
        let mut got = Vec::with_capacity(expected);
        while got.len() < expected {
            match tokio::time::timeout(Duration::from_secs(30), stream.next()).await {
                Ok(Some(Ok(Message::Binary(frame)))) => {
                    let now = Instant::now();
                    if let Ok(wire::Message::Update(update)) = wire::decode(&frame) {
                        got.extend(
                            markers(update)
                                .into_iter()
                                .filter(|(w, _)| *w != me)
                                .map(|(w, k)| (w, k, now)),
                        );
                    }
                }
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(e))) => return Err(anyhow::Error::from(e)),
                Ok(None) => bail!("closed after {} of {expected} updates", got.len()),
                Err(_) => bail!("no update for 30 s after {} of {expected}", got.len()),
            }
        }
        Ok((got, stream))
    });
    let doc = Doc::new();
    let notes = board::notes_array(&doc);
    // Writers take turns within each interval, as people in a room don't all press at once.
    let offset = interval.mul_f64(me as f64 / writers as f64);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + offset, interval);
    let mut sent = Vec::with_capacity(updates);
    for k in 0..updates {
        tick.tick().await;
        let update = local_edit(&doc, |txn| {
            board::add_note(&notes, txn, &marker(me, k), &marker(me, k))
        });
        sent.push(Instant::now());
        sink.send(Message::Binary(Peer::update_frame(&update).to_vec().into()))
            .await?;
    }
    let (got, _stream) = reader.await??;
    Ok((sent, got))
}

async fn writers(args: &Args, target: &Target) -> anyhow::Result<Outcome> {
    let pid = target.pid;
    if args.clients < 2 {
        bail!("writers needs at least 2 clients");
    }
    let url = target.room(&format!("load/{}/writers", std::process::id()));
    let ready = Arc::new(Barrier::new(args.clients + 1));
    let tasks: Vec<_> = (0..args.clients)
        .map(|me| {
            tokio::spawn(writing_client(
                url.clone(),
                me,
                args.clients,
                args.updates,
                Duration::from_millis(args.interval_ms),
                ready.clone(),
            ))
        })
        .collect();
    ready.wait().await;
    let cpu_start = pid.and_then(cpu_ms);
    let mut sent = vec![Vec::new(); args.clients];
    let mut arrivals = Vec::new();
    let mut failed = 0;
    for (me, task) in tasks.into_iter().enumerate() {
        match task.await? {
            Ok((s, got)) => {
                sent[me] = s;
                arrivals.push(got);
            }
            Err(error) => {
                failed += 1;
                tracing::warn!(%error, "writer failed");
            }
        }
    }
    let cpu = cpu_start.zip(pid.and_then(cpu_ms)).map(|(a, b)| b - a);
    let mut latencies: Vec<Duration> = arrivals
        .iter()
        .flatten()
        .filter_map(|(w, k, at)| Some(at.saturating_duration_since(*sent.get(*w)?.get(*k)?)))
        .collect();
    let rss = pid.and_then(rss_kib);
    let updates = (args.clients * args.updates).max(1) as f64;
    let cpu_per_update = cpu.map(|v| v as f64 * 1000.0 / updates);
    let (line, p50, p99) = latency_line(&mut latencies);
    Ok(Outcome {
        text: format!(
            "writers: {} phones on one board, each writing {} post-its, one every {} ms\n\
             propagation latency {line}\n\
             failed clients: {failed}\n\
             server RSS at the end: {} KiB\n\
             server CPU: {} ms, {} µs per update (each fanned out to every other phone)",
            args.clients,
            args.updates,
            args.interval_ms,
            or_unknown(rss),
            or_unknown(cpu),
            cpu_per_update.map_or("?".into(), |v| format!("{v:.1}")),
        ),
        result: format!(
            "p50_ms={p50:.3} p99_ms={p99:.3} rss_kib={} cpu_us_per_update={:.1} failed={failed}",
            rss.unwrap_or(0),
            cpu_per_update.unwrap_or(0.0)
        ),
        failed,
    })
}

fn count_notes(update: &[u8]) -> anyhow::Result<usize> {
    use yrs::updates::decoder::Decode;
    use yrs::{Array, Transact};
    let doc = Doc::new();
    let notes = board::notes_array(&doc);
    let mut txn = doc.transact_mut();
    txn.apply_update(yrs::Update::decode_v1(update)?)?;
    Ok(notes.len(&txn) as usize)
}

async fn join(args: &Args, target: &Target) -> anyhow::Result<Outcome> {
    let pid = target.pid;
    let url = target.room(&format!("load/{}/join", std::process::id()));
    // The board first: one post-it per update, as a room writes it.
    let (mut seeder, _) = connect_and_sync(&url).await?;
    let doc = Doc::new();
    let notes = board::notes_array(&doc);
    for i in 0..args.notes {
        let update = local_edit(&doc, |txn| {
            board::add_note(
                &notes,
                txn,
                &format!("n{i}"),
                &format!("Briefje nummer {i}"),
            )
        });
        seeder
            .send(Message::Binary(Peer::update_frame(&update).to_vec().into()))
            .await?;
    }
    // Until the server hands a newcomer the whole board (it reads the seeder's frames in order,
    // but a newcomer is another connection).
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (mut probe, board) = connect_and_sync(&url).await?;
        let _ = probe.close(None).await;
        if count_notes(&board)? >= args.notes {
            break;
        }
        if Instant::now() > deadline {
            bail!(
                "the server did not hold {} post-its within 60 s",
                args.notes
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let rss_before = pid.and_then(rss_kib);
    let cpu_before = pid.and_then(cpu_ms);
    let go = Arc::new(Barrier::new(args.clients + 1));
    let want = args.notes;
    let joiners: Vec<_> = (0..args.clients)
        .map(|_| {
            let url = url.clone();
            let go = go.clone();
            tokio::spawn(async move {
                go.wait().await;
                let start = Instant::now();
                let (ws, board) = connect_and_sync(&url).await?;
                let has = count_notes(&board)?;
                let took = start.elapsed();
                if has != want {
                    bail!("synced {has} of {want} post-its");
                }
                anyhow::Ok((took, ws))
            })
        })
        .collect();
    go.wait().await;
    let mut times = Vec::new();
    let mut held = Vec::new();
    let mut failed = 0;
    for j in joiners {
        match j.await? {
            Ok((took, ws)) => {
                times.push(took);
                held.push(ws);
            }
            Err(error) => {
                failed += 1;
                tracing::warn!(%error, "joiner failed");
            }
        }
    }
    let cpu = cpu_before.zip(pid.and_then(cpu_ms)).map(|(a, b)| b - a);
    let rss = pid.and_then(rss_kib);
    drop(held);
    drop(seeder);
    let (line, p50, p99) = latency_line(&mut times);
    Ok(Outcome {
        text: format!(
            "join: {} phones connect at once to a board of {} post-its\n\
             join time (connect to holding the whole board) {line}\n\
             failed joiners: {failed}\n\
             server RSS: before {} KiB, after {} KiB\n\
             server CPU for the joins: {} ms",
            args.clients,
            args.notes,
            or_unknown(rss_before),
            or_unknown(rss),
            or_unknown(cpu),
        ),
        result: format!(
            "p50_ms={p50:.1} p99_ms={p99:.1} rss_kib={} cpu_ms={} failed={failed}",
            rss.unwrap_or(0),
            cpu.unwrap_or(0)
        ),
        failed,
    })
}

async fn idle(args: &Args, target: &Target) -> anyhow::Result<Outcome> {
    let pid = target
        .pid
        .context("idle needs the server's pid (--server or --pid)")?;
    let limit_kib = args.rss_limit_mib * 1024;
    let before = rss_kib(pid).unwrap_or(0);
    let mut held: Vec<tokio::task::JoinHandle<()>> = Vec::new();
    let mut stopped_by = "the --clients count";
    let mut rss = before;
    const BATCH: usize = 500;
    'open: while held.len() < args.clients {
        let start = held.len();
        let end = (start + BATCH).min(args.clients);
        let opening: Vec<_> = (start..end)
            .map(|i| {
                let url = target.room(&format!("load/{}/idle-{}", std::process::id(), i / 40));
                tokio::spawn(async move { connect_and_sync(&url).await.map(|(ws, _)| ws) })
            })
            .collect();
        for o in opening {
            match o.await? {
                // Kept open and read (pings answered), never written to.
                Ok(mut ws) => held.push(tokio::spawn(async move {
                    while let Some(Ok(_)) = ws.next().await {}
                })),
                Err(error) => {
                    tracing::warn!(%error, open = held.len(), "a connection failed; stopping");
                    stopped_by = "a failed connection (see the warning)";
                    break 'open;
                }
            }
        }
        rss = rss_kib(pid).unwrap_or(0);
        if rss >= limit_kib {
            stopped_by = "the memory limit";
            break;
        }
    }
    let open = held.len();
    let per = (rss.saturating_sub(before)) as f64 / open.max(1) as f64;
    let projected = if per > 0.0 {
        (limit_kib.saturating_sub(before)) as f64 / per
    } else {
        0.0
    };
    for h in &held {
        h.abort();
    }
    Ok(Outcome {
        text: format!(
            "idle: {open} connections open and synced, in rooms of 40 (stopped by {stopped_by})\n\
             server RSS: before {before} KiB, with them {rss} KiB: {per:.1} KiB per connection\n\
             at that rate {} MiB holds {projected:.0} connections",
            args.rss_limit_mib
        ),
        result: format!(
            "connections={open} rss_kib={rss} kib_per_connection={per:.1} projected_in_limit={projected:.0} failed=0"
        ),
        failed: 0,
    })
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
        Scenario::FanOut => fan_out(&args, &target).await?,
        Scenario::Writers => writers(&args, &target).await?,
        Scenario::Join => join(&args, &target).await?,
        Scenario::Idle => idle(&args, &target).await?,
    };
    tracing::info!("done");
    // The report is the tool's output.
    #[allow(clippy::print_stdout)]
    {
        println!("{}\nRESULT {}", outcome.text, outcome.result);
    }
    if let Some(mut s) = spawned {
        let _ = s.child.kill().await;
    }
    if outcome.failed > 0 {
        bail!("{} clients failed", outcome.failed);
    }
    Ok(())
}

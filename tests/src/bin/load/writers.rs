//! `writers`: every client in a room writes and receives everyone else's post-its.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use draaiboeken::board;
use draaiboeken::sync::{Peer, wire};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::Barrier;
use tokio_tungstenite::tungstenite::Message;
use werkmuur_tests::local_edit;
use yrs::Doc;

use crate::{Args, Outcome, Target, connect_and_sync, cpu_ms, latency_line, or_unknown, rss_kib};

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

pub async fn writers(args: &Args, target: &Target) -> anyhow::Result<Outcome> {
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

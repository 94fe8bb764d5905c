//! `fan-out`: receivers, one writer per room, and (with `--flood`) a flooding client.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use draaiboeken::board;
use draaiboeken::sync::Peer;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::Barrier;
use tokio_tungstenite::tungstenite::Message;
use werkmuur_tests::local_edit;
use yrs::Doc;

use crate::{
    Args, Outcome, Target, connect_and_sync, cpu_ms, latency_line, ms, or_unknown, rss_kib,
};

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

/// Writes one post-it per message on schedule, as y-websocket sends each update, with a cursor
/// (awareness) message after each if `awareness`.
async fn writer(
    url: String,
    updates: usize,
    interval: Duration,
    awareness: bool,
    ready: Arc<Barrier>,
) -> anyhow::Result<Vec<Instant>> {
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(&url, None, true).await?;
    let doc = Doc::new();
    let notes = board::notes_array(&doc);
    let mut peer = Peer::new(doc.clone());
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
        if awareness {
            let cursor = peer.set_local_state(Some(&format!(r#"{{"cursor":{i}}}"#)));
            ws.send(Message::Binary(cursor.to_vec().into())).await?;
        }
    }
    // Keep the connection open until the receivers are done (the caller drops us).
    tokio::spawn(async move { while let Some(Ok(_)) = ws.next().await {} });
    Ok(sent)
}

const FLOOD: &[u8] = b"FLOOD";

fn is_flood(frame: &[u8]) -> bool {
    frame.windows(FLOOD.len()).any(|w| w == FLOOD)
}

/// What a flooder did: updates handed to its socket, and when the server closed it (code, time
/// since the start), if it did before `stop`.
#[derive(Default)]
struct Flood {
    sent: usize,
    closed: Option<(u16, Duration)>,
}

/// Sends updates as fast as the connection takes them until `stop`.
async fn flooder(
    url: String,
    ready: Arc<Barrier>,
    stop: Arc<tokio::sync::Notify>,
) -> anyhow::Result<Flood> {
    let (ws, _) = tokio_tungstenite::connect_async_with_config(&url, None, true).await?;
    let (mut sink, mut stream) = ws.split();
    // Read (and drop) whatever comes, so the server never counts us as too slow, until the
    // server closes the connection.
    let closed = tokio::spawn(async move {
        while let Some(Ok(message)) = stream.next().await {
            if let Message::Close(frame) = message {
                return Some((frame.map_or(1005, |f| u16::from(f.code)), Instant::now()));
            }
        }
        None
    });
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
    let start = Instant::now();
    let mut sent = 0usize;
    let mut refused = false;
    let stopped = stop.notified();
    tokio::pin!(stopped);
    for frame in frames {
        tokio::select! {
            _ = &mut stopped => break,
            r = sink.send(Message::Binary(frame)) => {
                if r.is_err() { refused = true; break; }
                sent += 1;
            }
        }
    }
    // A refused send means the server closed us: its close frame is on its way to the reader.
    if !refused {
        closed.abort();
    }
    let closed = match tokio::time::timeout(Duration::from_secs(5), closed).await {
        Ok(Ok(Some((code, at)))) => Some((code, at.saturating_duration_since(start))),
        _ => None,
    };
    Ok(Flood { sent, closed })
}

pub async fn fan_out(args: &Args, target: &Target) -> anyhow::Result<Outcome> {
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
            args.awareness,
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
    let mut floods = Vec::new();
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
            floods.push(f.await??);
        }
        peak_rss = peak_rss.max(pid.and_then(rss_kib));
    }
    let cpu_writes = cpu_connected.zip(pid.and_then(cpu_ms)).map(|(a, b)| b - a);
    let updates_sent = (args.rooms * args.updates).max(1) as f64;
    let cpu_per_update = cpu_writes.map(|v| v as f64 * 1000.0 / updates_sent);
    let connections = args.rooms * (args.clients + 1);
    let (line, p50, p99) = latency_line(&mut latencies);
    let flooded: usize = floods.iter().map(|f| f.sent).sum();
    let closes: Vec<String> = floods
        .iter()
        .filter_map(|f| f.closed)
        .map(|(code, at)| format!("{code} after {:.1} s", at.as_secs_f64()))
        .collect();
    let flood_closed = floods
        .iter()
        .filter_map(|f| f.closed)
        .map(|(_, at)| format!(" flood_closed_s={:.1}", at.as_secs_f64()))
        .next()
        .unwrap_or_default();
    Ok(Outcome {
        text: format!(
            "fan-out: rooms {} × receivers {} (+1 writer each) = {connections} connections; {} updates each\n\
             connect + sync all: {}\n\
             fan-out latency {line}\n\
             failed receivers: {failed}\n\
             flooders sent {flooded} updates into their sockets; closed by the server: {}\n\
             server RSS: before {} KiB, all connected {} KiB, peak seen {} KiB\n\
             server CPU while writing: {} ms, {} µs per update sent (each fanned out to every receiver)",
            args.rooms,
            args.clients,
            args.updates,
            ms(connect_time),
            if closes.is_empty() {
                "none".to_owned()
            } else {
                closes.join(", ")
            },
            or_unknown(rss_before),
            or_unknown(rss_connected),
            or_unknown(peak_rss),
            or_unknown(cpu_writes),
            cpu_per_update.map_or("?".into(), |v| format!("{v:.1}")),
        ),
        result: format!(
            "p50_ms={p50:.3} p99_ms={p99:.3} rss_kib={} cpu_us_per_update={:.1} failed={failed}{flood_closed}",
            peak_rss.unwrap_or(0),
            cpu_per_update.unwrap_or(0.0),
        ),
        failed,
    })
}

//! `join` (many phones at once onto a large board) and `idle` (connections that sit still).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use draaiboeken::board;
use draaiboeken::sync::Peer;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::Barrier;
use tokio_tungstenite::tungstenite::Message;
use werkmuur_tests::local_edit;
use yrs::Doc;

use crate::{Args, Outcome, Target, connect_and_sync, cpu_ms, latency_line, or_unknown, rss_kib};

fn count_notes(update: &[u8]) -> anyhow::Result<usize> {
    use yrs::updates::decoder::Decode;
    use yrs::{Array, Transact};
    let doc = Doc::new();
    let notes = board::notes_array(&doc);
    let mut txn = doc.transact_mut();
    txn.apply_update(yrs::Update::decode_v1(update)?)?;
    Ok(notes.len(&txn) as usize)
}

pub async fn join(args: &Args, target: &Target) -> anyhow::Result<Outcome> {
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

pub async fn idle(args: &Args, target: &Target) -> anyhow::Result<Outcome> {
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

//! `GET /sync/{room}`: the y-websocket endpoint.
//!
//! Each connection runs two halves: this task reads frames and hands them to the room; a writer
//! task drains the connection's queue to the socket, sends keep-alives when the line is quiet,
//! and closes the socket with a reason when told to.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::response::Response;
use draaiboeken::limit::{Meter, Verdict};
use draaiboeken::sync::{Access, MAX_ROOM_NAME, is_room_name, wire};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::sync::{oneshot, watch};
use tokio::time::{Instant, MissedTickBehavior};

use crate::AppState;
use crate::error::ApiError;
use crate::rooms::{Outbox, Reauthorize};
use crate::sessions::Principal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Deserialize)]
pub struct SyncQuery {
    token: Option<String>,
}

/// Refuses a room name the core doesn't accept (`draaiboeken::sync::is_room_name`).
pub fn validate_room_name(name: &str) -> Result<(), ApiError> {
    if is_room_name(name) {
        Ok(())
    } else {
        Err(ApiError::BadRequest(format!(
            "invalid room name: use up to {MAX_ROOM_NAME} letters, digits, '-', '_' or '.', \
             in segments separated by '/'"
        )))
    }
}

pub async fn sync_handler(
    State(app): State<AppState>,
    Path(room): Path<String>,
    Query(query): Query<SyncQuery>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    validate_room_name(&room)?;
    // Counted from here until the connection ends (the guard moves into it).
    let slot = app.connections.take(peer.ip()).ok_or_else(|| {
        tracing::warn!(address = %peer.ip(), "too many connections from one address");
        ApiError::TooManyRequests {
            retry_after_secs: 10,
        }
    })?;
    let token = query.token.as_deref();
    let (access, principal) = if room.starts_with("sessie/") {
        app.sessions
            .room_access(&room, token)
            .map(|(access, p)| (access, Some(p)))
    } else {
        app.settings
            .authorizer
            .access(&room, token)
            .map(|a| (a, None))
    }
    .map_err(|denied| ApiError::Forbidden(denied.0))?;
    let max = app.settings.limits.max_message_bytes;
    // Small socket buffers: a room of a thousand phones is mostly idle connections, and
    // tungstenite's default 128 KiB read buffer each would dominate memory.
    Ok(ws
        .read_buffer_size(8 << 10)
        .write_buffer_size(8 << 10)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| async move {
            connection(app, room, access, principal, socket).await;
            drop(slot);
        }))
}

type Sink = SplitSink<WebSocket, Message>;

/// The bytes a websocket message carries (a close frame's code and reason included).
fn frame_len(message: &Message) -> usize {
    match message {
        Message::Binary(b) | Message::Ping(b) | Message::Pong(b) => b.len(),
        Message::Text(t) => t.len(),
        Message::Close(c) => c.as_ref().map_or(0, |c| 2 + c.reason.len()),
    }
}

/// How often connections were held back or closed for going over their budget, server-wide:
/// what an operator (or a test) reads to see whether the limits touch real clients.
#[derive(Debug, Default)]
pub struct Throttling {
    held_back: AtomicU64,
    closed: AtomicU64,
}

impl Throttling {
    fn held_back(&self) {
        self.held_back.fetch_add(1, Ordering::Relaxed);
    }

    fn closed(&self) {
        self.closed.fetch_add(1, Ordering::Relaxed);
    }

    /// Frames that had to wait (for any of the rates) so far.
    pub fn frames_held_back(&self) -> u64 {
        self.held_back.load(Ordering::Relaxed)
    }

    /// Connections closed for staying over their budget so far.
    pub fn connections_closed(&self) -> u64 {
        self.closed.load(Ordering::Relaxed)
    }
}

fn close_message(code: u16, reason: &str) -> Message {
    // A close reason must fit in a control frame (123 bytes).
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    Message::Close(Some(CloseFrame {
        code,
        reason: Utf8Bytes::from(&reason[..end]),
    }))
}

async fn connection(
    app: AppState,
    room: String,
    access: Access,
    principal: Option<Principal>,
    socket: WebSocket,
) {
    let (mut sink, mut stream) = socket.split();
    // In a session, access is decided again whenever the session moves on.
    let reauthorize: Option<Reauthorize> = principal.clone().map(|p| {
        let sessions = Arc::downgrade(&app.sessions);
        Box::new(move |room: &str| match sessions.upgrade() {
            Some(s) => s.access_for(&p, room).map_err(|d| d.0),
            None => Err("server is shutting down".to_owned()),
        }) as Reauthorize
    });
    // A participant's screen on the agenda makes them show as online.
    let _presence = match &principal {
        Some(p) if room.ends_with("/agenda") => app.sessions.presence(p).await,
        _ => None,
    };
    let (membership, outbox) = match app.rooms.join(&room, access, reauthorize).await {
        Ok(joined) => joined,
        Err(error) => {
            let code = match error {
                crate::rooms::JoinError::Denied(_) => draaiboeken::sync::CLOSE_NOT_ALLOWED,
                crate::rooms::JoinError::Load => 1011,
                crate::rooms::JoinError::Full => 1013,
            };
            let _ = sink.send(close_message(code, &error.to_string())).await;
            return;
        }
    };
    let (close_tx, close_rx) = oneshot::channel();
    let keepalive = app.settings.keepalive;
    let writer = tokio::spawn(write_loop(
        sink,
        outbox,
        close_rx,
        app.shutdown.clone(),
        keepalive,
    ));
    let idle_limit = keepalive * 3;
    // Rates are measured on the monotonic clock (the session clock may be a test's manual one).
    let start = Instant::now();
    let now = || start.elapsed().as_millis() as i64;
    let mut meter = Meter::new(&app.settings.limits.budget, now());
    // Frames held back, for how long in all, and the last rate they were over.
    let mut held = (0u64, 0i64, None);
    // Binary frames handled, the microseconds the room worked on them, the frames they sent.
    let mut worked = (0u64, 0u64, 0usize);
    let close: Option<(u16, String)> = loop {
        let message = match tokio::time::timeout(idle_limit, stream.next()).await {
            Err(_) => break Some((1001, "no messages from the client; closing".into())),
            Ok(None) => break None,
            Ok(Some(Err(error))) => {
                // Mostly a message over the size limit, or a broken connection.
                tracing::info!(room = %room, %error, "websocket error");
                break Some((1009, format!("websocket error: {error}")));
            }
            Ok(Some(Ok(message))) => message,
        };
        // Every frame counts against the budget, pings and pongs too. Over it, a connection is
        // read more slowly (what it sends waits in its own socket, not in the room); over it
        // for too long, it is closed.
        match meter.frame(frame_len(&message), now()) {
            Verdict::Go => {}
            Verdict::Wait { ms, over } => {
                app.settings.throttling.held_back();
                if held.0 == 0 {
                    tracing::info!(room = %room, %over, ms, "connection held back");
                }
                held = (held.0 + 1, held.1 + ms, Some(over));
                tokio::time::sleep(Duration::from_millis(ms as u64)).await;
            }
            Verdict::Close(over) => {
                app.settings.throttling.closed();
                tracing::warn!(room = %room, %over, "connection keeps sending too fast; closing");
                break Some((1008, over.to_string()));
            }
        }
        match message {
            Message::Binary(frame) => match membership.receive(&frame) {
                Ok(work) => {
                    let us = work.room.as_micros() as u64;
                    worked = (worked.0 + 1, worked.1 + us, worked.2 + work.frames);
                    meter.worked(us, work.frames, now());
                }
                Err(error) => {
                    tracing::warn!(room = %room, %error, "closing connection");
                    break Some((error.close_code(), error.to_string()));
                }
            },
            Message::Text(_) => {
                tracing::warn!(room = %room, "text message; closing connection");
                break Some((1003, "only binary messages are accepted".into()));
            }
            Message::Ping(_) | Message::Pong(_) => {}
            Message::Close(_) => break None,
        }
    };
    let (handled, work_us, sent) = worked;
    tracing::debug!(room = %room, handled, work_us, sent, "connection ends");
    if let (frames, ms, Some(over)) = held {
        tracing::info!(room = %room, frames, ms, %over, "connection was held back in all");
    }
    // Send our close frame (if any) before leaving the room: leaving ends the writer's queue.
    let writer_done = Duration::from_secs(5);
    if let Some(close) = close {
        let _ = close_tx.send(close);
        let _ = tokio::time::timeout(writer_done, writer).await;
        drop(membership);
    } else {
        drop(membership);
        let _ = tokio::time::timeout(writer_done, writer).await;
    }
}

async fn write_loop(
    mut sink: Sink,
    mut outbox: Outbox,
    mut close_rx: oneshot::Receiver<(u16, String)>,
    mut shutdown: watch::Receiver<bool>,
    keepalive: Duration,
) {
    let mut tick = tokio::time::interval_at(Instant::now() + keepalive, keepalive);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last_sent = Instant::now();
    let keepalive_frame = bytes::Bytes::from(wire::keepalive_frame());
    let result: Result<(), axum::Error> = async {
        loop {
            tokio::select! {
                biased;
                frame = outbox.rx.recv() => {
                    let Some(frame) = frame else { return Ok(()) };
                    // Send what is queued (up to a batch), then flush once.
                    let mut next = Some(frame);
                    let mut batch = 0;
                    while let Some(frame) = next.take() {
                        sink.feed(Message::Binary(frame)).await?;
                        batch += 1;
                        if batch < 64 {
                            next = outbox.rx.try_recv().ok();
                        }
                    }
                    sink.flush().await?;
                    last_sent = Instant::now();
                }
                close = &mut close_rx => {
                    if let Ok((code, reason)) = close {
                        sink.send(close_message(code, &reason)).await?;
                    }
                    return Ok(());
                }
                (code, reason) = outbox.kick.kicked() => {
                    sink.send(close_message(code, &reason)).await?;
                    return Ok(());
                }
                _ = async { drop(shutdown.wait_for(|stop| *stop).await) } => {
                    sink.send(close_message(1001, "server is shutting down")).await?;
                    return Ok(());
                }
                _ = tick.tick() => {
                    // The y-websocket client gives up on a connection after 30 s without a
                    // message; websocket pings don't count for it, so send a no-op awareness
                    // message too.
                    if last_sent.elapsed() >= keepalive {
                        sink.feed(Message::Binary(keepalive_frame.clone())).await?;
                    }
                    sink.send(Message::Ping(bytes::Bytes::new())).await?;
                    last_sent = Instant::now();
                }
            }
        }
    }
    .await;
    if let Err(error) = result {
        tracing::debug!(%error, "writer stopped");
    }
}

/// Open websocket connections per address, so one machine can't take every socket.
#[derive(Debug)]
pub struct Connections {
    per_address: usize,
    open: parking_lot::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>,
}

/// One counted connection; counted off when dropped.
pub struct Slot {
    connections: Arc<Connections>,
    address: std::net::IpAddr,
}

impl Connections {
    pub fn new(per_address: usize) -> Arc<Connections> {
        Arc::new(Connections {
            per_address,
            open: Default::default(),
        })
    }

    /// A slot for one more connection from `address`, if it has one left.
    pub fn take(self: &Arc<Self>, address: std::net::IpAddr) -> Option<Slot> {
        let mut open = self.open.lock();
        let n = open.entry(address).or_default();
        if *n >= self.per_address {
            return None;
        }
        *n += 1;
        Some(Slot {
            connections: self.clone(),
            address,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.connections.open.lock();
        if let Some(n) = open.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_names() {
        for ok in ["a", "sessie/ABC123/wand", "x.y-z_1"] {
            assert!(validate_room_name(ok).is_ok(), "{ok}");
        }
        let long = "a".repeat(MAX_ROOM_NAME + 1);
        for bad in [
            "",
            "/a",
            "a/",
            "a//b",
            "a/../b",
            "..",
            "a b",
            "ü",
            long.as_str(),
        ] {
            assert!(validate_room_name(bad).is_err(), "{bad:?}");
        }
    }
}

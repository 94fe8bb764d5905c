//! The rooms that are loaded, and the connections in each.
//!
//! Lock order: the registry map before a room's `live` lock, and a room's `live` lock before the
//! sessions' locks (a connection's access is decided under its room's lock). The hot path (a
//! frame from a connection) takes only the room's lock.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use draaiboeken::sync::{
    Access, CLOSE_NOT_ALLOWED, ConnId, Effects, Frame, Limits, ProtocolError, Room,
};
use parking_lot::Mutex;
use tokio::sync::{Notify, OnceCell, mpsc};

use crate::storage::LogPosition;
use crate::storage::worker::StoreHandle;

pub fn frame_bytes(frame: Frame) -> Bytes {
    Bytes::from_owner(frame)
}

/// Decides a connection's access to a room again (when its session moves on): the new access,
/// or the reason it must leave.
pub type Reauthorize = Box<dyn Fn(&str) -> Result<Access, String> + Send + Sync>;

/// Why a connection that can't keep up is closed.
const TOO_SLOW: &str = "connection too slow; reconnect to catch up";

/// Tells a connection's writer to close it, and why.
#[derive(Default)]
pub struct Kick {
    notify: Notify,
    reason: Mutex<Option<(u16, String)>>,
}

impl Kick {
    fn kick(&self, code: u16, reason: String) {
        let mut r = self.reason.lock();
        if r.is_none() {
            *r = Some((code, reason));
        }
        drop(r);
        self.notify.notify_one();
    }

    /// Waits until the connection must close, and says why.
    pub async fn kicked(&self) -> (u16, String) {
        self.notify.notified().await;
        self.reason
            .lock()
            .take()
            .unwrap_or((1013, TOO_SLOW.to_owned()))
    }
}

/// The sending side of a connection, as its room sees it.
pub struct Peer {
    tx: mpsc::Sender<Bytes>,
    /// Set when the connection must close (too slow, or no longer allowed in); its writer closes it.
    kick: Arc<Kick>,
    reauthorize: Option<Reauthorize>,
}

struct Live {
    room: Room,
    peers: HashMap<ConnId, Peer>,
    /// Bumped on every join, so an unload scheduled before it can tell.
    generation: u64,
}

pub struct RoomSlot {
    name: Arc<str>,
    loaded: OnceCell<()>,
    live: Mutex<Live>,
}

#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    #[error("the document could not be loaded")]
    Load,
    /// Access was decided again on joining, and refused (the session moved on meanwhile).
    #[error("{0}")]
    Denied(String),
    /// As many rooms are open as the server keeps; this one is not one of them.
    #[error("the server has too many open rooms; try again later")]
    Full,
}

/// A connection's membership of a room; leaving happens on drop.
pub struct Membership {
    rooms: Arc<Rooms>,
    slot: Arc<RoomSlot>,
    pub id: ConnId,
}

/// What a connection's writer task needs: the frames for it (one protocol message each), and the signal that it is too slow.
pub struct Outbox {
    pub rx: mpsc::Receiver<Bytes>,
    pub kick: Arc<Kick>,
}

pub struct Rooms {
    map: Mutex<HashMap<Arc<str>, Arc<RoomSlot>>>,
    store: StoreHandle,
    limits: Limits,
    idle_unload: Duration,
    queue_frames: usize,
    /// Most rooms loaded at once for connections (see [`Rooms::join`]).
    max_rooms: usize,
}

impl Rooms {
    pub fn new(
        store: StoreHandle,
        limits: Limits,
        idle_unload: Duration,
        queue_frames: usize,
        max_rooms: usize,
    ) -> Arc<Self> {
        Arc::new(Self {
            map: Mutex::new(HashMap::new()),
            store,
            limits,
            idle_unload,
            queue_frames,
            max_rooms,
        })
    }

    pub fn loaded_rooms(&self) -> usize {
        self.map.lock().len()
    }

    /// Asks storage to fold the log of every loaded room into its snapshot (at shutdown).
    pub fn compact_all(&self) {
        for name in self.map.lock().keys() {
            self.store.compact(name.clone());
        }
    }

    fn slot(&self, name: &str) -> Arc<RoomSlot> {
        let mut map = self.map.lock();
        if let Some(slot) = map.get(name) {
            return slot.clone();
        }
        let name: Arc<str> = name.into();
        let slot = Arc::new(RoomSlot {
            name: name.clone(),
            loaded: OnceCell::new(),
            live: Mutex::new(Live {
                room: Room::new(self.limits.clone()),
                peers: HashMap::new(),
                generation: 0,
            }),
        });
        map.insert(name, slot.clone());
        slot
    }

    async fn ensure_loaded(&self, slot: &RoomSlot) -> Result<(), JoinError> {
        slot.loaded
            .get_or_try_init(|| async {
                let stored = self.store.load(slot.name.clone()).await.map_err(|error| {
                    tracing::error!(room = %slot.name, %error, "loading failed");
                    JoinError::Load
                })?;
                slot.live
                    .lock()
                    .room
                    .load(stored.updates.iter().map(Vec::as_slice))
                    .map_err(|error| {
                        tracing::error!(room = %slot.name, %error, "stored document is damaged");
                        JoinError::Load
                    })
            })
            .await
            .map(|_| ())
    }

    /// Runs `f` on a room's live state, loading the room first if needed. The room is
    /// registered while `f` runs (an unload can't slip in between).
    async fn with_live<R>(
        &self,
        name: &str,
        f: impl FnOnce(&Arc<RoomSlot>, &mut Live) -> R,
    ) -> Result<R, JoinError> {
        loop {
            let slot = self.slot(name);
            if let Err(e) = self.ensure_loaded(&slot).await {
                let mut map = self.map.lock();
                if map.get(name).is_some_and(|s| Arc::ptr_eq(s, &slot)) {
                    map.remove(name);
                }
                return Err(e);
            }
            let map = self.map.lock();
            // The slot may have been unloaded while we loaded it; then start again.
            if !map.get(name).is_some_and(|s| Arc::ptr_eq(s, &slot)) {
                continue;
            }
            let mut live = slot.live.lock();
            drop(map);
            return Ok(f(&slot, &mut live));
        }
    }

    /// Stores an update (queued under the room lock, so the log's order is the order of
    /// application) and sends frames to every connection but `except`.
    /// Stores and fans out what the room decided; returns how many frames it queued.
    fn carry_out(
        &self,
        slot: &RoomSlot,
        live: &Live,
        fx: Effects,
        except: Option<ConnId>,
    ) -> usize {
        if let Some(update) = fx.persist {
            self.store.append(slot.name.clone(), update);
        }
        if fx.broadcast.is_empty() {
            return 0;
        }
        let frames: Vec<Bytes> = fx.broadcast.into_iter().map(frame_bytes).collect();
        let mut queued = 0;
        for (id, peer) in &live.peers {
            if Some(*id) != except {
                for frame in &frames {
                    send(peer, frame.clone());
                    queued += 1;
                }
            }
        }
        queued
    }

    /// Joins a room, loading it first if needed. Nothing is sent to the connection before the
    /// stored document is in memory. A room that isn't loaded is not opened while as many
    /// rooms as the server keeps are (each is a document in memory).
    pub async fn join(
        self: &Arc<Self>,
        name: &str,
        access: Access,
        reauthorize: Option<Reauthorize>,
    ) -> Result<(Membership, Outbox), JoinError> {
        {
            let map = self.map.lock();
            if !map.contains_key(name) && map.len() >= self.max_rooms {
                tracing::warn!(
                    rooms = map.len(),
                    "too many open rooms; a connection refused"
                );
                return Err(JoinError::Full);
            }
        }
        let queue_frames = self.queue_frames;
        let (slot, id, outbox) = self
            .with_live(name, |slot, live| {
                // Decided again under the room's lock: a session change between the upgrade
                // and now is either seen here or by the re-decision that follows it.
                let access = match &reauthorize {
                    Some(decide) => decide(name).map_err(JoinError::Denied)?,
                    None => access,
                };
                let (id, first) = live.room.connect(access);
                let (tx, rx) = mpsc::channel(queue_frames);
                for frame in first {
                    // A fresh channel has room for the first frames.
                    let _ = tx.try_send(frame_bytes(frame));
                }
                let kick = Arc::new(Kick::default());
                live.peers.insert(
                    id,
                    Peer {
                        tx,
                        kick: kick.clone(),
                        reauthorize,
                    },
                );
                live.generation += 1;
                Ok((slot.clone(), id, Outbox { rx, kick }))
            })
            .await??;
        let membership = Membership {
            rooms: self.clone(),
            slot,
            id,
        };
        Ok((membership, outbox))
    }

    /// Runs `f` on a room for the server itself (loading the room if needed); a room loaded only
    /// for this is let go again after `idle_unload`.
    async fn touch<R>(
        self: &Arc<Self>,
        name: &str,
        f: impl FnOnce(&Arc<RoomSlot>, &mut Live) -> R,
    ) -> Result<R, JoinError> {
        let (out, idle) = self
            .with_live(name, |slot, live| {
                let out = f(slot, live);
                let idle = live
                    .peers
                    .is_empty()
                    .then(|| (slot.clone(), live.generation));
                (out, idle)
            })
            .await?;
        if let Some((slot, generation)) = idle {
            self.schedule_unload(slot, generation);
        }
        Ok(out)
    }

    /// An edit by the server (see `Room::set_strings`): loads the room if needed, sends the
    /// update to every connection and stores it.
    pub async fn set_strings(
        self: &Arc<Self>,
        name: &str,
        map: &str,
        entries: &[(&str, &str)],
    ) -> Result<(), JoinError> {
        self.touch(name, |slot, live| {
            let fx = live.room.set_strings(map, entries);
            self.carry_out(slot, live, fx, None);
        })
        .await
    }

    /// An edit by the server (see `Room::edit`): loads the room if needed, sends the update to
    /// every connection and stores it.
    pub async fn edit(
        self: &Arc<Self>,
        name: &str,
        f: impl FnOnce(&yrs::Doc),
    ) -> Result<(), JoinError> {
        self.touch(name, |slot, live| {
            let fx = live.room.edit(f);
            self.carry_out(slot, live, fx, None);
        })
        .await
    }

    /// Replaces everything stored of a room by its state now, so what was deleted from it (a
    /// removed member's post-its and name) is no longer in its stored history. The state is
    /// taken and the replacement queued under the room's lock: no update is lost in between.
    pub async fn rewrite(self: &Arc<Self>, name: &str) -> Result<(), RewriteError> {
        let room: Arc<str> = name.into();
        let done = self
            .touch(name, |_, live| {
                let state = yrs::ReadTxn::encode_state_as_update_v1(
                    &yrs::Transact::transact(live.room.doc()),
                    &yrs::StateVector::default(),
                );
                self.store.queue(move |s| {
                    let through = s.load(&room)?.log_end.unwrap_or(LogPosition(0));
                    s.replace_snapshot(&room, &state, through)
                })
            })
            .await?;
        Ok(done.await?)
    }

    /// Reads a room's document (loading it if needed).
    pub async fn read<R>(
        self: &Arc<Self>,
        name: &str,
        f: impl FnOnce(&yrs::Doc) -> R,
    ) -> Result<R, JoinError> {
        self.touch(name, |_, live| f(live.room.doc())).await
    }

    /// Decides again what every connection to a loaded room whose name starts with `prefix`
    /// may do; connections that may no longer be there are closed (`CLOSE_NOT_ALLOWED`) with the reason.
    pub fn reauthorize(&self, prefix: &str) {
        let slots: Vec<Arc<RoomSlot>> = self
            .map
            .lock()
            .iter()
            .filter(|(name, _)| name.starts_with(prefix))
            .map(|(_, slot)| slot.clone())
            .collect();
        for slot in slots {
            let mut live = slot.live.lock();
            let Live { room, peers, .. } = &mut *live;
            for (id, peer) in peers.iter() {
                let Some(decide) = &peer.reauthorize else {
                    continue;
                };
                match decide(&slot.name) {
                    Ok(access) => {
                        room.set_access(*id, access);
                    }
                    Err(reason) => leave(room, *id, peer, reason),
                }
            }
        }
    }

    /// Lets the rooms whose names start with `prefix` go, without compacting them (their
    /// session is being deleted): every connection to them is read-only from now on, and is
    /// closed when the returned [`Closing`] is told to.
    pub fn close_all(&self, prefix: &str) -> Closing {
        self.close_where(|name| name.starts_with(prefix))
    }

    /// As [`Rooms::close_all`], for the rooms whose names `which` picks.
    pub fn close_where(&self, which: impl Fn(&str) -> bool) -> Closing {
        let slots: Vec<Arc<RoomSlot>> = {
            let mut map = self.map.lock();
            let names: Vec<Arc<str>> = map.keys().filter(|name| which(name)).cloned().collect();
            names.iter().filter_map(|n| map.remove(n)).collect()
        };
        let mut kicks = Vec::new();
        for slot in slots {
            let mut live = slot.live.lock();
            let Live { room, peers, .. } = &mut *live;
            for (id, peer) in peers.iter() {
                room.set_access(*id, Access::ReadOnly);
                kicks.push(peer.kick.clone());
            }
        }
        Closing(kicks)
    }

    fn schedule_unload(self: &Arc<Self>, slot: Arc<RoomSlot>, generation: u64) {
        let rooms = self.clone();
        let idle = self.idle_unload;
        tokio::spawn(async move {
            tokio::time::sleep(idle).await;
            let mut map = rooms.map.lock();
            let live = slot.live.lock();
            if live.peers.is_empty()
                && live.generation == generation
                && map.get(&slot.name).is_some_and(|s| Arc::ptr_eq(s, &slot))
            {
                map.remove(&slot.name);
                drop(live);
                drop(map);
                // Updates are queued in order, so the log is complete; fold it into a snapshot.
                rooms.store.compact(slot.name.clone());
                tracing::debug!(room = %slot.name, "unloaded idle room");
            }
        });
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RewriteError {
    #[error(transparent)]
    Join(#[from] JoinError),
    #[error(transparent)]
    Store(#[from] crate::storage::StoreError),
}

/// Connections made read-only by [`Rooms::close_all`], to be closed.
#[must_use = "the connections stay open until `close` is called"]
pub struct Closing(Vec<Arc<Kick>>);

impl Closing {
    /// Closes them (`CLOSE_NOT_ALLOWED`) with `reason`.
    pub fn close(self, reason: &str) {
        for kick in self.0 {
            kick.kick(CLOSE_NOT_ALLOWED, reason.to_owned());
        }
    }
}

/// A connection that may no longer be in its room: read-only at once (frames it sent
/// meanwhile change nothing), then closed (`CLOSE_NOT_ALLOWED`) with the reason.
fn leave(room: &mut Room, id: ConnId, peer: &Peer, reason: String) {
    room.set_access(id, Access::ReadOnly);
    peer.kick.kick(CLOSE_NOT_ALLOWED, reason);
}

impl Membership {
    pub fn room_name(&self) -> &str {
        &self.slot.name
    }

    /// Handles one frame of this connection and carries out the effects.
    /// Hands a frame to the room; returns the work it made.
    pub fn receive(&self, frame: &[u8]) -> Result<Work, ProtocolError> {
        let mut live = self.slot.live.lock();
        let start = Instant::now();
        let mut fx = match live.room.receive(self.id, frame) {
            Ok(fx) => fx,
            Err(error) => {
                if live.room.is_poisoned() {
                    // Yrs broke on this update: nobody may see a half-applied document. Everyone
                    // reconnects to the room as storage has it (the update was never stored).
                    tracing::error!(room = %self.slot.name, "document poisoned; reloading");
                    for peer in live.peers.values() {
                        peer.kick
                            .kick(1011, "this board is being reloaded; reconnect".into());
                    }
                    let mut map = self.rooms.map.lock();
                    if map
                        .get(&self.slot.name)
                        .is_some_and(|s| Arc::ptr_eq(s, &self.slot))
                    {
                        map.remove(&self.slot.name);
                    }
                }
                return Err(error);
            }
        };
        let mut frames = 0;
        if let Some(me) = live.peers.get(&self.id) {
            for frame in std::mem::take(&mut fx.reply) {
                send(me, frame_bytes(frame));
                frames += 1;
            }
        }
        frames += self.rooms.carry_out(&self.slot, &live, fx, Some(self.id));
        Ok(Work {
            room: start.elapsed(),
            frames,
        })
    }
}

/// What one received frame made the server do.
#[derive(Debug, Clone, Copy)]
pub struct Work {
    /// How long the room worked on it (decode, check, apply, queue), not counting the wait
    /// for the room's lock.
    pub room: Duration,
    /// Frames it queued for connections (replies and fan-out), each a send still to come.
    pub frames: usize,
}

/// Queues a frame; a connection whose queue is full can't keep up and is closed (it will
/// reconnect and catch up through sync step 1/2).
fn send(peer: &Peer, frame: Bytes) {
    if let Err(mpsc::error::TrySendError::Full(_)) = peer.tx.try_send(frame) {
        peer.kick.kick(1013, TOO_SLOW.to_owned());
    }
}

impl Drop for Membership {
    fn drop(&mut self) {
        let mut live = self.slot.live.lock();
        live.peers.remove(&self.id);
        if let Some(frame) = live.room.disconnect(self.id) {
            let frame = frame_bytes(frame);
            for peer in live.peers.values() {
                send(peer, frame.clone());
            }
        }
        if live.peers.is_empty() {
            let generation = live.generation;
            drop(live);
            self.rooms.schedule_unload(self.slot.clone(), generation);
        }
    }
}

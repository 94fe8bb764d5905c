//! The server's side of one shared document: bytes in, frames out.
//!
//! A [`Room`] owns the Yrs document, the awareness states and the list of connections. The server
//! feeds it every frame a connection sends ([`Room::receive`]) and carries out the returned
//! [`Effects`]: frames to send back, frames for every other connection, and an update to store.
//! Whether a connection may write is decided here, from the [`Access`] it was admitted with.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use thiserror::Error;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, Map, ReadTxn, StateVector, Transact, Update};

use super::awareness::AwarenessStates;
use super::wire::{self, Message, WireError};

/// Sizes a room accepts. Every limit protects the server from one connection.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest websocket message a client may send.
    pub max_message_bytes: usize,
    /// Largest document, counted as the stored bytes of its updates.
    pub max_doc_bytes: usize,
    /// Most bytes of updates that wait for missing predecessors.
    pub max_pending_bytes: usize,
    /// Largest awareness state of one client.
    pub max_awareness_state_bytes: usize,
    /// Most awareness client ids one connection may control.
    pub max_awareness_clients_per_connection: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_bytes: 4 << 20,
            max_doc_bytes: 64 << 20,
            max_pending_bytes: 1 << 20,
            max_awareness_state_bytes: 16 << 10,
            max_awareness_clients_per_connection: 4,
        }
    }
}

/// What a connection may do in a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    /// Reads and presence only; document updates are answered with permission-denied.
    ReadOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(pub u64);

/// Why a connection must be closed. The server sends the `Display` text as the close reason.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProtocolError {
    #[error("malformed message: {0}")]
    Malformed(#[from] WireError),
    #[error("message of {size} bytes is over the limit of {limit}")]
    MessageTooLarge { size: usize, limit: usize },
    #[error("document would grow to {size} bytes, over the limit of {limit}")]
    DocumentFull { size: usize, limit: usize },
    #[error("too many updates wait for missing predecessors ({size} bytes, limit {limit})")]
    TooMuchPending { size: usize, limit: usize },
    #[error("awareness state of {size} bytes is over the limit of {limit}")]
    AwarenessTooLarge { size: usize, limit: usize },
    #[error("connection controls more than {limit} awareness clients")]
    TooManyAwarenessClients { limit: usize },
    #[error("update could not be decoded")]
    InvalidUpdate,
    #[error("update could not be applied")]
    UpdateFailed,
    #[error("unknown connection")]
    UnknownConnection,
}

impl ProtocolError {
    /// The websocket close code that fits (RFC 6455 section 7.4.1).
    pub fn close_code(&self) -> u16 {
        match self {
            Self::MessageTooLarge { .. } | Self::DocumentFull { .. } => 1009,
            Self::TooMuchPending { .. }
            | Self::AwarenessTooLarge { .. }
            | Self::TooManyAwarenessClients { .. } => 1008,
            Self::UpdateFailed | Self::UnknownConnection => 1011,
            Self::Malformed(_) | Self::InvalidUpdate => 1002,
        }
    }
}

/// Stored updates that could not be loaded into a room.
#[derive(Debug, Error)]
#[error("stored update {index} of the room could not be applied")]
pub struct LoadError {
    pub index: usize,
}

/// A frame to send, shared between all the connections it goes to.
pub type Frame = Arc<[u8]>;

/// What the server must do after [`Room::receive`].
#[derive(Debug, Default)]
pub struct Effects {
    /// Frames for the connection that sent the message, in order.
    pub reply: Vec<Frame>,
    /// Frames for every other connection of the room, in order.
    pub broadcast: Vec<Frame>,
    /// A document update (v1 encoding) to make durable.
    pub persist: Option<Vec<u8>>,
}

struct Connection {
    access: Access,
    /// Awareness client ids this connection has announced; removed when it leaves.
    awareness_clients: HashSet<u64>,
}

pub struct Room {
    doc: Doc,
    awareness: AwarenessStates,
    connections: HashMap<ConnId, Connection>,
    /// Which connection controls each awareness client id.
    owners: HashMap<u64, ConnId>,
    next_conn: u64,
    limits: Limits,
    /// Stored bytes of the document: the sum of the updates that made it.
    doc_bytes: usize,
    /// Bytes of applied updates that still wait for predecessors.
    pending_bytes: usize,
    /// The sync step 2 frame with the whole document, for joiners with an empty state vector.
    full_state: Option<Frame>,
}

/// Runs a yrs call on untrusted data; a panic inside yrs becomes an error instead of unwinding
/// through the server.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
}

impl Room {
    pub fn new(limits: Limits) -> Self {
        Self {
            doc: Doc::new(),
            awareness: AwarenessStates::default(),
            connections: HashMap::new(),
            owners: HashMap::new(),
            next_conn: 1,
            limits,
            doc_bytes: 0,
            pending_bytes: 0,
            full_state: None,
        }
    }

    /// Applies stored updates, oldest first. Call before the first connection.
    pub fn load<'a>(
        &mut self,
        stored: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<(), LoadError> {
        for (index, update) in stored.into_iter().enumerate() {
            let ok = guarded(|| {
                let update = Update::decode_v1(update).ok()?;
                self.doc.transact_mut().apply_update(update).ok()
            })
            .flatten();
            if ok.is_none() {
                return Err(LoadError { index });
            }
            self.doc_bytes += update.len();
        }
        self.refresh_pending();
        Ok(())
    }

    pub fn doc(&self) -> &Doc {
        &self.doc
    }

    pub fn doc_bytes(&self) -> usize {
        self.doc_bytes
    }

    pub fn connection_count(&self) -> usize {
        self.connections.len()
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// An edit by the server itself: sets string entries of a root map. Every connection gets
    /// the update (returned as `broadcast`), and it is to be stored like any other.
    pub fn set_strings(&mut self, map: &str, entries: &[(&str, &str)]) -> Effects {
        let root = self.doc.get_or_insert_map(map);
        self.edit(|doc| {
            let mut txn = doc.transact_mut();
            for (key, value) in entries {
                root.insert(&mut txn, *key, *value);
            }
        })
    }

    /// An edit by the server itself, made by `f` on the document. Every connection gets the
    /// update (as `broadcast`), and it is to be stored like any other. An edit that adds nothing
    /// (the state vector stays the same) has no effects, so `f` must insert, not only delete.
    pub fn edit(&mut self, f: impl FnOnce(&Doc)) -> Effects {
        let before = self.doc.transact().state_vector();
        f(&self.doc);
        if self.doc.transact().state_vector() == before {
            return Effects::default();
        }
        let update = self.doc.transact().encode_diff_v1(&before);
        self.doc_bytes += update.len();
        self.full_state = None;
        Effects {
            reply: Vec::new(),
            broadcast: vec![Frame::from(wire::encode_update(&update))],
            persist: Some(update),
        }
    }

    /// Changes what a connection may do from now on (the server decides again when a session
    /// moves on). Returns false for an unknown connection.
    pub fn set_access(&mut self, id: ConnId, access: Access) -> bool {
        match self.connections.get_mut(&id) {
            Some(c) => {
                c.access = access;
                true
            }
            None => false,
        }
    }

    /// Admits a connection and returns the frames it gets first: our state vector (so it sends
    /// what we miss, e.g. edits made while we were down) and the current awareness states.
    pub fn connect(&mut self, access: Access) -> (ConnId, Vec<Frame>) {
        let id = ConnId(self.next_conn);
        self.next_conn += 1;
        self.connections.insert(
            id,
            Connection {
                access,
                awareness_clients: HashSet::new(),
            },
        );
        let sv = self.doc.transact().state_vector().encode_v1();
        let mut first = vec![Frame::from(wire::encode_step1(&sv))];
        if !self.awareness.is_empty() {
            first.push(Frame::from(wire::encode_awareness(
                &self.awareness.encode_all(),
            )));
        }
        (id, first)
    }

    /// Removes a connection; returns the awareness frame telling the others it is gone.
    pub fn disconnect(&mut self, id: ConnId) -> Option<Frame> {
        let conn = self.connections.remove(&id)?;
        for client in &conn.awareness_clients {
            self.owners.remove(client);
        }
        let removed = self
            .awareness
            .remove(conn.awareness_clients.iter().copied());
        (!removed.is_empty()).then(|| Frame::from(wire::encode_awareness(&removed)))
    }

    /// Handles one frame from a connection.
    pub fn receive(&mut self, id: ConnId, frame: &[u8]) -> Result<Effects, ProtocolError> {
        if frame.len() > self.limits.max_message_bytes {
            return Err(ProtocolError::MessageTooLarge {
                size: frame.len(),
                limit: self.limits.max_message_bytes,
            });
        }
        let access = self
            .connections
            .get(&id)
            .ok_or(ProtocolError::UnknownConnection)?
            .access;
        let mut fx = Effects::default();
        match wire::decode(frame)? {
            Message::SyncStep1(sv) => fx.reply.push(self.answer_step1(sv)?),
            Message::SyncStep2(update)
                if access == Access::ReadOnly && self.adds_no_blocks(update) =>
            {
                // A read-only client answering our step 1 with what we already have (its
                // replica's delete set, typically) is not trying to write.
            }
            Message::SyncStep2(update) | Message::Update(update) => {
                if access == Access::ReadOnly {
                    fx.reply.push(Frame::from(wire::encode_permission_denied(
                        "this connection may only read this document",
                    )));
                } else if self.apply(update)? {
                    fx.broadcast.push(Frame::from(wire::encode_update(update)));
                    fx.persist = Some(update.to_vec());
                }
            }
            Message::Awareness(payload) => {
                if let Some(frame) = self.apply_awareness(id, payload)? {
                    fx.broadcast.push(frame);
                }
            }
            Message::QueryAwareness => {
                fx.reply.push(Frame::from(wire::encode_awareness(
                    &self.awareness.encode_all(),
                )));
            }
            // Clients have nothing to tell a server about auth; ignore like y-websocket does.
            Message::Auth(_) => {}
        }
        Ok(fx)
    }

    fn answer_step1(&mut self, sv: &[u8]) -> Result<Frame, ProtocolError> {
        wire::validate_state_vector(sv)?;
        let sv = guarded(|| StateVector::decode_v1(sv))
            .and_then(Result::ok)
            .ok_or(ProtocolError::Malformed(WireError::Truncated))?;
        if sv.is_empty() {
            if let Some(full) = &self.full_state {
                return Ok(full.clone());
            }
            let update = self.doc.transact().encode_state_as_update_v1(&sv);
            let full = Frame::from(wire::encode_step2(&update));
            self.full_state = Some(full.clone());
            return Ok(full);
        }
        let diff = self.doc.transact().encode_diff_v1(&sv);
        Ok(Frame::from(wire::encode_step2(&diff)))
    }

    /// Whether an update carries no block the document lacks (deletions aside).
    fn adds_no_blocks(&self, bytes: &[u8]) -> bool {
        let Some(update) = guarded(|| Update::decode_v1(bytes).ok()).flatten() else {
            return false;
        };
        let ours = self.doc.transact().state_vector();
        update
            .state_vector()
            .iter()
            .all(|(client, clock)| ours.get(client) >= *clock)
    }

    /// Applies an update; returns whether it was not empty.
    fn apply(&mut self, bytes: &[u8]) -> Result<bool, ProtocolError> {
        // An empty v1 update: no structs, no deletes.
        if bytes == [0, 0] {
            return Ok(false);
        }
        let size = self.doc_bytes + bytes.len();
        if size > self.limits.max_doc_bytes {
            return Err(ProtocolError::DocumentFull {
                size,
                limit: self.limits.max_doc_bytes,
            });
        }
        let update = guarded(|| Update::decode_v1(bytes))
            .and_then(Result::ok)
            .ok_or(ProtocolError::InvalidUpdate)?;
        // An update whose first clock for some client lies beyond what we have can't be
        // integrated yet; yrs keeps it pending. Bound how much of that one room will hold.
        let gap = {
            let have = self.doc.transact().state_vector();
            update
                .state_vector_lower()
                .iter()
                .any(|(client, &clock)| clock > have.get(client))
        };
        if gap {
            let size = self.pending_bytes + bytes.len();
            if size > self.limits.max_pending_bytes {
                return Err(ProtocolError::TooMuchPending {
                    size,
                    limit: self.limits.max_pending_bytes,
                });
            }
            self.pending_bytes = size;
        }
        guarded(|| self.doc.transact_mut().apply_update(update))
            .and_then(Result::ok)
            .ok_or(ProtocolError::UpdateFailed)?;
        self.doc_bytes += bytes.len();
        self.full_state = None;
        self.refresh_pending();
        Ok(true)
    }

    fn refresh_pending(&mut self) {
        let txn = self.doc.transact();
        let store = txn.store();
        if store.pending_update().is_none() && store.pending_ds().is_none() {
            self.pending_bytes = 0;
        }
    }

    fn apply_awareness(
        &mut self,
        id: ConnId,
        payload: &[u8],
    ) -> Result<Option<Frame>, ProtocolError> {
        let entries = wire::decode_awareness(payload)?;
        if entries.is_empty() {
            return Ok(None);
        }
        let limit = self.limits.max_awareness_state_bytes;
        if let Some(e) = entries.iter().find(|e| e.json.len() > limit) {
            return Err(ProtocolError::AwarenessTooLarge {
                size: e.json.len(),
                limit,
            });
        }
        let conn = self
            .connections
            .get_mut(&id)
            .ok_or(ProtocolError::UnknownConnection)?;
        let mut accepted = Vec::with_capacity(entries.len());
        for entry in &entries {
            // A client id belongs to the connection that announced it first; others can't
            // touch it (nobody can make someone else vanish from the room).
            match self.owners.get(&entry.client) {
                Some(owner) if *owner != id => continue,
                _ => {}
            }
            if entry.is_removal() {
                conn.awareness_clients.remove(&entry.client);
                self.owners.remove(&entry.client);
            } else if conn.awareness_clients.insert(entry.client) {
                if conn.awareness_clients.len() > self.limits.max_awareness_clients_per_connection {
                    return Err(ProtocolError::TooManyAwarenessClients {
                        limit: self.limits.max_awareness_clients_per_connection,
                    });
                }
                self.owners.insert(entry.client, id);
            }
            if self.awareness.apply(entry) {
                accepted.push((entry.client, entry.clock, entry.json));
            }
        }
        if accepted.is_empty() {
            return Ok(None);
        }
        let payload = wire::encode_awareness_entries(accepted);
        Ok(Some(Frame::from(wire::encode_awareness(&payload))))
    }
}

//! The server's side of one shared document: bytes in, frames out.
//!
//! A [`Room`] owns the Yrs document, the awareness states and the list of connections. The server
//! feeds it every frame a connection sends ([`Room::receive`]) and carries out the returned
//! [`Effects`]: frames to send back, frames for every other connection, and an update to store.
//! Whether a connection may write is decided here, from the [`Access`] it was admitted with.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, Map, ReadTxn, StateVector, Transact, Update};

use super::awareness::AwarenessStates;
use super::update::{self, Change, ItemIndex, Loc, Parsed, Refused, StructKind, WriteGuard};
use super::wire::{self, Message, WireError};

mod terms;
pub use terms::{
    Access, CLOSE_NOT_ALLOWED, ConnId, Limits, LoadError, ProtocolError, READ_ONLY_REASON,
};

/// Whether every clock in `clocks` of `client` is in `deleted` (range by range: a range can
/// span billions of clocks).
fn all_deleted(deleted: &yrs::IdSet, client: u64, clocks: &std::ops::Range<u32>) -> bool {
    let Some((_, ranges)) = deleted.iter().find(|(c, _)| c.get() == client) else {
        return clocks.is_empty();
    };
    let mut at = clocks.start;
    for r in ranges.iter() {
        if r.start > at {
            break;
        }
        at = at.max(r.end);
        if at >= clocks.end {
            return true;
        }
    }
    at >= clocks.end
}

/// What of an update a guard allows.
enum Allowed {
    All,
    /// The update re-encoded with only the allowed sections and deletions.
    Part(Vec<u8>),
    Nothing,
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
    /// Where every item lives; built when the first guarded connection writes, then kept.
    index: Option<ItemIndex>,
    /// Which writer each client id belongs to, once its content named them as its author: a
    /// client id is one replica's, and nobody else may write with it.
    claims: HashMap<u64, Arc<str>>,
    /// Yrs panicked while applying an update: the document may be half-changed, so the room
    /// takes nothing more and the server loads it again from storage.
    poisoned: bool,
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
            index: None,
            claims: HashMap::new(),
            poisoned: false,
        }
    }

    /// Whether the document can no longer be trusted (see [`ProtocolError::Poisoned`]).
    pub fn is_poisoned(&self) -> bool {
        self.poisoned
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
    /// update (as `broadcast`), and it is to be stored like any other. The update is taken from
    /// the transactions themselves, not from a state-vector diff: an edit that only deletes
    /// (a removed member's name) moves no state vector, and must still reach every replica.
    pub fn edit(&mut self, f: impl FnOnce(&Doc)) -> Effects {
        const OBSERVER: &str = "werkmuur-server-edit";
        let captured = Arc::new(std::sync::Mutex::new(Vec::<Vec<u8>>::new()));
        let sink = captured.clone();
        let observed = self
            .doc
            .observe_update_v1(OBSERVER, move |_, e| {
                if let Ok(mut updates) = sink.lock() {
                    updates.push(e.update.clone());
                }
            })
            .is_ok();
        let before = self.doc.transact().state_vector();
        f(&self.doc);
        if observed {
            let _ = self.doc.unobserve_update_v1(OBSERVER);
        }
        let mut updates: Vec<Vec<u8>> = captured
            .lock()
            .map(|mut u| std::mem::take(&mut *u))
            .unwrap_or_default();
        // A diff from `before` misses deletions: only when the observer could not be set
        // (its key is free while `&mut self` is held) or our own updates don't merge.
        let diff = |doc: &Doc| {
            let txn = doc.transact();
            (txn.state_vector() != before).then(|| txn.encode_diff_v1(&before))
        };
        let update = if !observed {
            diff(&self.doc)
        } else if updates.len() <= 1 {
            updates.pop()
        } else {
            yrs::merge_updates_v1(&updates)
                .ok()
                .or_else(|| diff(&self.doc))
        };
        let Some(update) = update else {
            return Effects::default();
        };
        self.doc_bytes += update.len();
        self.full_state = None;
        if self.index.is_some()
            && let Ok(parsed) = update::parse(&update)
        {
            self.remember(&parsed);
        }
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
        if self.poisoned {
            return Err(ProtocolError::Poisoned);
        }
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
            .access
            .clone();
        let mut fx = Effects::default();
        match wire::decode(frame)? {
            Message::SyncStep1(sv) => fx.reply.push(self.answer_step1(sv)?),
            Message::SyncStep2(update) if access.is_read_only() && self.adds_no_blocks(update) => {
                // A read-only client answering our step 1 with what we already have (its
                // replica's delete set, typically) is not trying to write.
            }
            Message::SyncStep2(bytes) => self.receive_update(&access, bytes, true, &mut fx)?,
            Message::Update(bytes) => self.receive_update(&access, bytes, false, &mut fx)?,
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

    /// An update from a connection that may write: applied whole, in part or not at all, as
    /// its access says.
    fn receive_update(
        &mut self,
        access: &Access,
        bytes: &[u8],
        step2: bool,
        fx: &mut Effects,
    ) -> Result<(), ProtocolError> {
        let guard = match access {
            Access::ReadOnly => {
                fx.reply.push(Frame::from(wire::encode_permission_denied(
                    READ_ONLY_REASON,
                )));
                return Ok(());
            }
            Access::ReadWrite => None,
            Access::Guarded(guard) => Some(guard.clone()),
        };
        let parsed = self.parse(bytes)?;
        let allowed = match guard {
            None => Allowed::All,
            Some(guard) => {
                let (allowed, refused) = self.judge(guard.as_ref(), bytes, &parsed);
                // Someone else's changes in a sync step 2 are what the client saw of others:
                // dropped without a word.
                if let Some(r) = refused.filter(|r| !(r.foreign && step2)) {
                    fx.reply
                        .push(Frame::from(wire::encode_permission_denied(&r.reason)));
                }
                allowed
            }
        };
        let applied = match allowed {
            Allowed::All => self.apply(bytes, &parsed)?.then(|| bytes.to_vec()),
            Allowed::Part(part) => {
                let parsed = self.parse(&part)?;
                self.apply(&part, &parsed)?.then_some(part)
            }
            Allowed::Nothing => None,
        };
        if let Some(update) = applied {
            fx.broadcast.push(Frame::from(wire::encode_update(&update)));
            fx.persist = Some(update);
        }
        Ok(())
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

    /// Decodes an update for inspection (and refuses values nested too deeply for yrs).
    fn parse(&self, bytes: &[u8]) -> Result<Parsed, ProtocolError> {
        guarded(|| update::parse(bytes))
            .unwrap_or(Err(update::UpdateError::Malformed))
            .map_err(ProtocolError::from)
    }

    /// Applies an update (`parsed` is its decoding); returns whether it was not empty.
    fn apply(&mut self, bytes: &[u8], parsed: &Parsed) -> Result<bool, ProtocolError> {
        // An empty v1 update: no structs, no deletes.
        if bytes == [0, 0] || (parsed.sections.is_empty() && parsed.deletes.is_empty()) {
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
            .ok_or(ProtocolError::InvalidUpdate(update::UpdateError::Malformed))?;
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
        if self.index.is_some() {
            self.remember(parsed);
        }
        match guarded(|| self.doc.transact_mut().apply_update(update)) {
            Some(Ok(())) => {}
            Some(Err(_)) => return Err(ProtocolError::UpdateFailed),
            None => {
                self.poisoned = true;
                return Err(ProtocolError::Poisoned);
            }
        }
        self.doc_bytes += bytes.len();
        self.full_state = None;
        self.refresh_pending();
        Ok(true)
    }

    /// Records where the items of an update about to be applied live.
    fn remember(&mut self, parsed: &Parsed) {
        if let Some(index) = &mut self.index {
            let locs = index.locate_all(parsed);
            index.record(parsed, &locs);
        }
    }

    /// Splits an update into what `guard` allows and the first refusal. Each client's section
    /// is kept or dropped whole (its items follow each other); deletions are kept element by
    /// element. Deleting what is already deleted is allowed: every client's sync step 2 carries
    /// the whole delete set of its replica.
    fn judge(
        &mut self,
        guard: &dyn WriteGuard,
        bytes: &[u8],
        parsed: &Parsed,
    ) -> (Allowed, Option<Refused>) {
        if self.index.is_none() {
            match guarded(|| ItemIndex::of(&self.doc)) {
                Some(Ok(index)) => self.index = Some(index),
                _ => {
                    return (
                        Allowed::Nothing,
                        Some(Refused::new("this document can't be checked; try again")),
                    );
                }
            }
            let own = self.doc.client_id();
            self.claims.insert(own.get(), Arc::from(""));
        }
        let Some(index) = &self.index else {
            return (Allowed::Nothing, None);
        };
        let writer = guard.writer();
        let have = self.doc.transact().state_vector();
        let locs = index.locate_all(parsed);
        let mut first_refusal: Option<Refused> = None;
        let refuse = |r: Refused, first: &mut Option<Refused>| {
            // A refusal the writer should hear about wins over a silent one.
            if first.as_ref().is_none_or(|f| f.foreign && !r.foreign) {
                *first = Some(r);
            }
        };
        let mut keep = vec![true; parsed.sections.len()];
        let mut signed = Vec::new();
        for (si, section) in parsed.sections.iter().enumerate() {
            let known = have.get(&yrs::ClientID::new(section.client));
            match self.claims.get(&section.client) {
                Some(owner) if &**owner != writer => {
                    keep[si] = false;
                    refuse(
                        Refused::foreign("these changes belong to someone else"),
                        &mut first_refusal,
                    );
                    continue;
                }
                _ => {}
            }
            let mut changes = Vec::new();
            for (st, loc) in section.structs.iter().zip(&locs[si]) {
                if st.clock + st.len <= known {
                    continue; // already here
                }
                let StructKind::Item(item) = &st.kind else {
                    continue;
                };
                let change = match (loc, &item.content) {
                    (None, _) => {
                        keep[si] = false;
                        refuse(
                            Refused::new("these changes build on changes this server doesn't have"),
                            &mut first_refusal,
                        );
                        break;
                    }
                    (Some(Loc::Root { root, key }), update::Content::Values(values)) => {
                        Change::Insert {
                            root,
                            key: key.as_deref(),
                            values,
                        }
                    }
                    (
                        Some(Loc::Root {
                            root,
                            key: Some(key),
                        }),
                        update::Content::Deleted,
                    ) => Change::Delete {
                        root,
                        key: Some(key),
                        value: None,
                    },
                    (Some(Loc::Root { key: None, .. }), update::Content::Deleted) => continue,
                    (Some(Loc::Root { root, .. }), update::Content::Other(_)) => {
                        Change::Unusual { root: Some(root) }
                    }
                    (Some(Loc::Elsewhere), _) => Change::Unusual { root: None },
                };
                changes.push(change);
            }
            if !keep[si] || changes.is_empty() {
                continue;
            }
            for verdict in guard.check(&self.doc, &changes) {
                match verdict {
                    Ok(true) => signed.push(section.client),
                    Ok(false) => {}
                    Err(r) => {
                        keep[si] = false;
                        refuse(r, &mut first_refusal);
                    }
                }
            }
        }
        for (si, section) in parsed.sections.iter().enumerate() {
            if keep[si] && signed.contains(&section.client) {
                self.claims.insert(section.client, Arc::from(writer));
            }
        }
        // Deletions, element by element, asked of the guard all at once (taking back a
        // post-it also drops what was decided about it, in the same update).
        let Some(index) = &self.index else {
            return (Allowed::Nothing, first_refusal);
        };
        // Map keys this update gives a new value: the old value goes with it.
        let mut replaced: std::collections::HashSet<(&str, &str)> = Default::default();
        for (si, section) in parsed.sections.iter().enumerate() {
            if !keep[si] {
                continue;
            }
            for (st, loc) in section.structs.iter().zip(&locs[si]) {
                if let (
                    StructKind::Item(_),
                    Some(Loc::Root {
                        root,
                        key: Some(key),
                    }),
                ) = (&st.kind, loc)
                {
                    replaced.insert((root, key));
                }
            }
        }
        let mut all_deletes_kept = true;
        // For each change the guard is asked about: the client and clocks it would delete.
        let mut asked: Vec<(u64, std::ops::Range<u32>)> = Vec::new();
        let mut changes: Vec<Change> = Vec::new();
        let mut kept: HashMap<u64, Vec<std::ops::Range<u32>>> = HashMap::new();
        for (client, ranges) in &parsed.deletes {
            // Elements inserted by this update's kept sections may go again at once.
            let own = parsed
                .sections
                .iter()
                .zip(&keep)
                .find(|(s, k)| **k && s.client == *client)
                .map(|(s, _)| {
                    let start = s.structs.first().map_or(0, |st| st.clock);
                    let end = s.structs.last().map_or(0, |st| st.clock + st.len);
                    start..end
                });
            for range in ranges {
                let spans = index.within(*client, range.clone());
                // Clocks the index doesn't know: this update's own items, or nothing we
                // have (deleting them in advance would delete someone's future work).
                let mut at = range.start;
                let mut gaps = Vec::new();
                for span in &spans {
                    if span.clocks.start > at {
                        gaps.push(at..span.clocks.start);
                    }
                    at = span.clocks.end;
                }
                if at < range.end {
                    gaps.push(at..range.end);
                }
                for gap in gaps {
                    let inside = own
                        .as_ref()
                        .map(|o| gap.start.max(o.start)..gap.end.min(o.end))
                        .filter(|r| r.start < r.end);
                    if inside.as_ref() != Some(&gap) {
                        all_deletes_kept = false;
                    }
                    if let Some(r) = inside {
                        kept.entry(*client).or_default().push(r);
                    }
                }
                for span in spans {
                    match (span.loc, span.values) {
                        // Nothing of a root type: deleting it changes nothing anyone sees.
                        (Loc::Elsewhere, _) => kept.entry(*client).or_default().push(span.clocks),
                        (
                            Loc::Root {
                                root,
                                key: Some(key),
                            },
                            _,
                        ) => {
                            if replaced.contains(&(&**root, &**key)) {
                                kept.entry(*client).or_default().push(span.clocks);
                            } else {
                                asked.push((*client, span.clocks));
                                changes.push(Change::Delete {
                                    root,
                                    key: Some(key),
                                    value: None,
                                });
                            }
                        }
                        (Loc::Root { root, key: None }, Some(values)) => {
                            for (clock, value) in span.clocks.clone().zip(values) {
                                asked.push((*client, clock..clock + 1));
                                changes.push(Change::Delete {
                                    root,
                                    key: None,
                                    value: Some(value),
                                });
                            }
                        }
                        // Sequence elements without values (already deleted, or not plain
                        // values): the guard decides without a value.
                        (Loc::Root { root, key: None }, None) => {
                            asked.push((*client, span.clocks));
                            changes.push(Change::Delete {
                                root,
                                key: None,
                                value: None,
                            });
                        }
                    }
                }
            }
        }
        if !changes.is_empty() {
            let mut gone: Option<yrs::IdSet> = None;
            for ((client, clocks), verdict) in
                asked.into_iter().zip(guard.check(&self.doc, &changes))
            {
                match verdict {
                    Ok(_) => kept.entry(client).or_default().push(clocks),
                    Err(r) => {
                        all_deletes_kept = false;
                        // Deleting what is already deleted is no attempt (a step 2 carries the
                        // replica's whole delete set).
                        let deleted =
                            gone.get_or_insert_with(|| self.doc.transact().snapshot().delete_set);
                        let already = all_deleted(deleted, client, &clocks);
                        if !already {
                            refuse(r, &mut first_refusal);
                        }
                    }
                }
            }
        }
        let kept_deletes: Vec<(u64, Vec<std::ops::Range<u32>>)> = kept
            .into_iter()
            .map(|(client, mut ranges)| {
                ranges.sort_by_key(|r| r.start);
                let mut merged: Vec<std::ops::Range<u32>> = Vec::new();
                for r in ranges {
                    match merged.last_mut() {
                        Some(m) if r.start <= m.end => m.end = m.end.max(r.end),
                        _ => merged.push(r),
                    }
                }
                (client, merged)
            })
            .collect();
        let all = keep.iter().all(|k| *k) && all_deletes_kept;
        if all {
            return (Allowed::All, first_refusal);
        }
        let part = update::filtered(bytes, parsed, &keep, &kept_deletes);
        let nothing = !keep.iter().any(|k| *k) && kept_deletes.iter().all(|(_, r)| r.is_empty());
        if nothing {
            (Allowed::Nothing, first_refusal)
        } else {
            (Allowed::Part(part), first_refusal)
        }
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

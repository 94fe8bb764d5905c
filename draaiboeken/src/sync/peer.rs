//! The client's side of a sync connection: the browser app, the tests and the load tool run it.

use std::panic::{AssertUnwindSafe, catch_unwind};

use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

use super::awareness::AwarenessStates;
use super::room::{Frame, ProtocolError};
use super::wire::{self, Message, WireError};

/// The transaction origin of updates that came from the server. Observers of the document use it
/// to tell local edits (to send) from remote ones (already known to the server).
pub const REMOTE_ORIGIN: &str = "werkmuur-remote";

/// Something the server told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerEvent {
    /// The server sent its state (sync step 2): we now hold everything it had.
    Synced,
    /// A remote update was applied to the document.
    Changed,
    /// The server refused one of our updates.
    PermissionDenied(String),
    /// Awareness states changed for these clients.
    Awareness(Vec<u64>),
}

pub struct Peer {
    doc: Doc,
    awareness: AwarenessStates,
    local_clock: u32,
    local_state: Option<String>,
    synced: bool,
}

fn apply_remote(doc: &Doc, bytes: &[u8]) -> Result<(), ProtocolError> {
    catch_unwind(AssertUnwindSafe(|| {
        // Checked first: yrs decodes nested values recursively, with no depth limit.
        super::update::parse(bytes)?;
        let update = Update::decode_v1(bytes)
            .map_err(|_| ProtocolError::InvalidUpdate(super::update::UpdateError::Malformed))?;
        doc.transact_mut_with(REMOTE_ORIGIN)
            .apply_update(update)
            .map_err(|_| ProtocolError::UpdateFailed)
    }))
    .unwrap_or(Err(ProtocolError::UpdateFailed))
}

impl Peer {
    pub fn new(doc: Doc) -> Self {
        Self {
            doc,
            awareness: AwarenessStates::default(),
            local_clock: 0,
            local_state: None,
            synced: false,
        }
    }

    pub fn doc(&self) -> &Doc {
        &self.doc
    }

    pub fn is_synced(&self) -> bool {
        self.synced
    }

    pub fn awareness(&self) -> &AwarenessStates {
        &self.awareness
    }

    /// The frames to send when a connection opens: our state vector, and our presence if set.
    /// Calling it again after a reconnect is what merges offline edits both ways.
    pub fn hello(&mut self) -> Vec<Frame> {
        self.synced = false;
        let sv = self.doc.transact().state_vector().encode_v1();
        let mut frames = vec![Frame::from(wire::encode_step1(&sv))];
        if let Some(state) = &self.local_state {
            frames.push(self.awareness_frame(state));
        }
        frames
    }

    /// Handles one frame from the server: frames to send back, and what happened.
    pub fn receive(&mut self, frame: &[u8]) -> Result<(Vec<Frame>, Vec<PeerEvent>), ProtocolError> {
        let mut replies = Vec::new();
        let mut events = Vec::new();
        match wire::decode(frame)? {
            Message::SyncStep1(sv) => {
                wire::validate_state_vector(sv)?;
                let sv = StateVector::decode_v1(sv)
                    .map_err(|_| ProtocolError::Malformed(WireError::Truncated))?;
                let diff = self.doc.transact().encode_diff_v1(&sv);
                replies.push(Frame::from(wire::encode_step2(&diff)));
            }
            Message::SyncStep2(update) => {
                apply_remote(&self.doc, update)?;
                self.synced = true;
                events.push(PeerEvent::Changed);
                events.push(PeerEvent::Synced);
            }
            Message::Update(update) => {
                apply_remote(&self.doc, update)?;
                events.push(PeerEvent::Changed);
            }
            Message::Awareness(payload) => {
                let changed: Vec<u64> = wire::decode_awareness(payload)?
                    .iter()
                    .filter(|e| self.awareness.apply(e))
                    .map(|e| e.client)
                    .collect();
                if !changed.is_empty() {
                    events.push(PeerEvent::Awareness(changed));
                }
            }
            Message::Auth(Some(reason)) => events.push(PeerEvent::PermissionDenied(reason.into())),
            Message::Auth(None) => {}
            Message::QueryAwareness => {
                if let Some(state) = &self.local_state {
                    replies.push(self.awareness_frame(state));
                }
            }
        }
        Ok((replies, events))
    }

    /// Sets (or with `None` clears) our presence; returns the frame announcing it.
    pub fn set_local_state(&mut self, json: Option<&str>) -> Frame {
        self.local_clock += 1;
        self.local_state = json.map(str::to_owned);
        self.awareness_frame(json.unwrap_or("null"))
    }

    fn awareness_frame(&self, json: &str) -> Frame {
        let client = self.doc.client_id().get();
        let payload = wire::encode_awareness_entries([(client, self.local_clock, json)]);
        Frame::from(wire::encode_awareness(&payload))
    }

    /// The frame that carries a local update to the server.
    pub fn update_frame(update: &[u8]) -> Frame {
        Frame::from(wire::encode_update(update))
    }
}

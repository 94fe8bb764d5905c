//! The awareness states a room keeps for late joiners, merged by the rules of y-protocols.

use std::collections::HashMap;
use std::sync::Arc;

use super::wire::{self, AwarenessEntry};

/// Removed clients whose clocks we remember (so a stale update can't bring them back) before
/// we forget them all.
const MAX_REMEMBERED_REMOVALS: usize = 4096;

#[derive(Debug, Default)]
pub struct AwarenessStates {
    /// Client id → (clock, state). `None` is a removed client whose clock we still remember.
    clients: HashMap<u64, (u32, Option<Arc<str>>)>,
    removed: usize,
}

impl AwarenessStates {
    pub fn is_empty(&self) -> bool {
        self.clients.len() == self.removed
    }

    /// The present states, by client id.
    pub fn states(&self) -> impl Iterator<Item = (u64, &str)> {
        self.clients
            .iter()
            .filter_map(|(id, (_, s))| s.as_deref().map(|s| (*id, s)))
    }

    pub fn get(&self, client: u64) -> Option<&str> {
        self.clients.get(&client).and_then(|(_, s)| s.as_deref())
    }

    /// Merges one entry; returns whether it changed anything (and should be passed on).
    pub fn apply(&mut self, entry: &AwarenessEntry<'_>) -> bool {
        let newer = match self.clients.get(&entry.client) {
            None => true,
            Some((clock, state)) => {
                *clock < entry.clock
                    || (*clock == entry.clock && entry.is_removal() && state.is_some())
            }
        };
        if !newer {
            return false;
        }
        let state = (!entry.is_removal()).then(|| Arc::<str>::from(entry.json));
        let was_removed = matches!(self.clients.get(&entry.client), Some((_, None)));
        match (was_removed, state.is_none()) {
            (true, false) => self.removed -= 1,
            (false, true) => self.removed += 1,
            _ => {}
        }
        self.clients.insert(entry.client, (entry.clock, state));
        if self.removed > MAX_REMEMBERED_REMOVALS {
            self.clients.retain(|_, (_, s)| s.is_some());
            self.removed = 0;
        }
        true
    }

    /// Marks clients as gone; returns the encoded awareness payload announcing it (empty when
    /// none of them was present).
    pub fn remove(&mut self, clients: impl IntoIterator<Item = u64>) -> Vec<u8> {
        let mut gone = Vec::new();
        for client in clients {
            if let Some((clock, state)) = self.clients.get_mut(&client)
                && state.is_some()
            {
                *clock += 1;
                *state = None;
                self.removed += 1;
                gone.push((client, *clock));
            }
        }
        if gone.is_empty() {
            return Vec::new();
        }
        wire::encode_awareness_entries(gone.into_iter().map(|(c, k)| (c, k, "null")))
    }

    /// The encoded awareness payload with every present state.
    pub fn encode_all(&self) -> Vec<u8> {
        wire::encode_awareness_entries(
            self.clients
                .iter()
                .filter_map(|(id, (clock, s))| s.as_deref().map(|s| (*id, *clock, s))),
        )
    }
}

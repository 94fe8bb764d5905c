//! What a room admits: the sizes it accepts, the access a connection has, and why it closes
//! one.

use std::sync::Arc;

use thiserror::Error;

use crate::limit::Budget;
use crate::sync::update::{self, WriteGuard};
use crate::sync::wire::WireError;

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
    /// What one connection may make the server do per second: frames, bytes and work.
    pub budget: Budget,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_bytes: 4 << 20,
            max_doc_bytes: 64 << 20,
            max_pending_bytes: 1 << 20,
            max_awareness_state_bytes: 16 << 10,
            max_awareness_clients_per_connection: 4,
            budget: Budget::default(),
        }
    }
}

/// The websocket close code of a connection that may no longer be in its room (its session
/// ended or was deleted, its person removed or moved to another group, its link replaced), or
/// was never let in: final, a client doesn't come back with the same address. In the range
/// RFC 6455 leaves to applications; 1008 stays for a client that broke the room's limits and
/// may reconnect.
pub const CLOSE_NOT_ALLOWED: u16 = 4403;

/// The permission-denied reason of a read-only connection's write. Any other reason refuses
/// one change (see [`WriteGuard`]); the sender's replica then holds something the room doesn't.
pub const READ_ONLY_REASON: &str = "this connection may only read this document";

/// What a connection may do in a room.
#[derive(Debug, Clone)]
pub enum Access {
    /// Any change (the facilitator, the server's own tools, open walls).
    ReadWrite,
    /// Changes the guard allows, decided change by change before the update is applied;
    /// refused ones are answered with permission-denied and go nowhere.
    Guarded(Arc<dyn WriteGuard>),
    /// Reads and presence only; document updates are answered with permission-denied.
    ReadOnly,
}

impl Access {
    pub fn is_read_only(&self) -> bool {
        matches!(self, Access::ReadOnly)
    }

    /// The same kind of access (guards compared by who they let write).
    pub fn same_as(&self, other: &Access) -> bool {
        match (self, other) {
            (Access::ReadWrite, Access::ReadWrite) | (Access::ReadOnly, Access::ReadOnly) => true,
            (Access::Guarded(a), Access::Guarded(b)) => format!("{a:?}") == format!("{b:?}"),
            _ => false,
        }
    }
}

impl PartialEq for Access {
    fn eq(&self, other: &Access) -> bool {
        self.same_as(other)
    }
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
    #[error("update could not be decoded: {0}")]
    InvalidUpdate(#[from] update::UpdateError),
    #[error("update could not be applied")]
    UpdateFailed,
    #[error("unknown connection")]
    UnknownConnection,
    #[error("this board must be loaded again; reconnect")]
    Poisoned,
}

impl ProtocolError {
    /// The websocket close code that fits (RFC 6455 section 7.4.1).
    pub fn close_code(&self) -> u16 {
        match self {
            Self::MessageTooLarge { .. } | Self::DocumentFull { .. } => 1009,
            Self::TooMuchPending { .. }
            | Self::AwarenessTooLarge { .. }
            | Self::TooManyAwarenessClients { .. } => 1008,
            Self::UpdateFailed | Self::UnknownConnection | Self::Poisoned => 1011,
            Self::Malformed(_) | Self::InvalidUpdate(_) => 1002,
        }
    }
}

/// Stored updates that could not be loaded into a room.
#[derive(Debug, Error)]
#[error("stored update {index} of the room could not be applied")]
pub struct LoadError {
    pub index: usize,
}

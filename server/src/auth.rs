//! Who may do what in a room. The server asks an [`Authorize`] policy when a connection opens;
//! the room then enforces the answer on every message (see `draaiboeken::sync::Access`).

use draaiboeken::sync::Access;

/// A refusal, with the reason the client is told.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Denied(pub String);

pub trait Authorize: Send + Sync + 'static {
    /// The access of a connection to `room` that presented `token` (the `token` query parameter).
    fn access(&self, room: &str, token: Option<&str>) -> Result<Access, Denied>;
}

/// Every room open to everyone, read and write. The default until sessions hand out tokens.
#[derive(Debug, Default, Clone, Copy)]
pub struct OpenRooms;

impl Authorize for OpenRooms {
    fn access(&self, _room: &str, _token: Option<&str>) -> Result<Access, Denied> {
        Ok(Access::ReadWrite)
    }
}

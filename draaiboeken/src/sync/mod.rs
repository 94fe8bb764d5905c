//! The y-websocket sync protocol, sans IO: both ends of a connection as state machines that take
//! bytes and return frames. The server runs a [`Room`] per document; browsers, tests and the load
//! tool run a [`Peer`].

pub mod awareness;
pub mod peer;
pub mod room;
pub mod update;
pub mod wire;

pub use peer::{Peer, PeerEvent};

/// Longest room name, in bytes.
pub const MAX_ROOM_NAME: usize = 200;

/// Room names are path-like: segments of ASCII letters, digits, `-`, `_` and `.`, joined by
/// `/`, at most [`MAX_ROOM_NAME`] bytes; no empty, `.` or `..` segments.
pub fn is_room_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_ROOM_NAME
        && name.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
}
pub use room::{
    Access, CLOSE_NOT_ALLOWED, ConnId, Effects, Frame, Limits, LoadError, ProtocolError,
    READ_ONLY_REASON, Room,
};
pub use update::{Change, Refused, WriteGuard};

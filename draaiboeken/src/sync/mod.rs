//! The y-websocket sync protocol, sans IO: both ends of a connection as state machines that take
//! bytes and return frames. The server runs a [`Room`] per document; browsers, tests and the load
//! tool run a [`Peer`].

pub mod awareness;
pub mod peer;
pub mod room;
pub mod wire;

pub use peer::{Peer, PeerEvent};
pub use room::{Access, ConnId, Effects, Frame, Limits, LoadError, ProtocolError, Room};

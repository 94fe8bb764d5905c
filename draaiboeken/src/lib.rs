#![cfg_attr(test, allow(clippy::unwrap_used))]
//! Werkmuur's domain core. No IO: it compiles for the server and for the browser (wasm32).
//!
//! - [`agenda`]: a running session's agenda and clock, computed from stored timestamps.
//! - [`board`]: the shape of a post-it wall in its document.
//! - [`draaiboek`], [`werkvorm`]: session scripts as data, and the exercises they run.
//! - [`sync`]: the y-websocket protocol as state machines (server room, client peer).

pub mod agenda;
pub mod board;
pub mod draaiboek;
pub mod sync;
pub mod werkvorm;

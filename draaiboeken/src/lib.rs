#![cfg_attr(test, allow(clippy::unwrap_used))]
//! Werkmuur's domain core. No IO: it compiles for the server and for the browser (wasm32).
//!
//! - [`agenda`]: a running session's agenda and clock, computed from stored timestamps.
//! - [`board`]: the shape of a post-it board in its document, and its moderation.
//! - [`i18n`]: every string a user sees, one table per language (Dutch and English), and
//!   [`i18n::Text`], a text in several languages.
//! - [`limit`]: counting attempts per key in a window (join codes can't be guessed).
//! - [`proces`]: a process map: steps in order and phases, stickers, regie, expertise,
//!   challenges and the dreamteam.
//! - [`checkin`]: the one-word check-in: one word, and words grouped across Dutch variants.
//! - [`sessie`]: a session's documents, who may do what with them, and groups.
//! - [`export`]: what a session produced, as JSON, CSV, Markdown, HTML, ODT and SVG.
//! - [`draaiboek`], [`werkvorm`]: session scripts as data, and the exercises they run.
//! - [`route`]: the browser app's addresses and which bundle serves each.
//! - [`fit`]: what a screen that may not scroll shows of a board larger than itself.
//! - [`sync`]: the y-websocket protocol as state machines (server room, client peer).

pub mod agenda;
pub mod board;
pub mod checkin;
pub mod colour;
pub mod draaiboek;
pub mod export;
pub mod fit;
#[doc(hidden)]
pub mod fuzzing;
pub mod guard;
pub mod i18n;
pub mod limit;
pub mod proces;
pub mod route;
pub mod sessie;
pub mod sync;
pub mod werkvorm;

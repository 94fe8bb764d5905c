//! Werkmuur's one integration-test binary: the real server on port 0 with a fresh data
//! directory, real websocket clients, stock Yjs under Node, and headless Chromium.

mod interop;
mod support;
mod sync;

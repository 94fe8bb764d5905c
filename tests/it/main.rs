//! Werkmuur's one integration-test binary: the real server on port 0 with a fresh data
//! directory, real websocket clients, stock Yjs under Node, and headless Chromium.

// Tests fail by panicking; unwrap says where.
#![allow(clippy::unwrap_used)]

mod accounts;
mod boards;
mod crash;
mod export;
mod handover;
mod hardening;
mod interop;
mod lifecycle;
mod oidc;
mod openapi;
mod projector;
mod sessions;
mod strings;
mod support;
mod sync;
mod talen;
mod trust;
mod werkvormen;

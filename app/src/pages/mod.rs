//! One file per route.
pub mod console;
pub mod home;
pub mod join;
pub mod organiser;
pub mod projector;
pub mod room;
pub mod session;

pub mod home;
pub mod room;

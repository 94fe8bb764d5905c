//! The Werkmuur front end, compiled to WebAssembly. It holds a replica of each document it
//! shows (through [`sync::SyncClient`]); the server is the source of truth.
//!
//! Routes (one file each under `pages/`): `/` (join, start, or open a wall), `/j/{code}` (a phone
//! joins), `/s/{id}` (a participant in a session), `/f/{id}` (the facilitator's console),
//! `/r/{room}` (a standalone wall), `/o` (organisers: every session and its exports).

pub mod agenda_ui;
pub mod api;
pub mod board_ui;
pub mod export_ui;
pub mod i18n;
mod pages;
pub mod proces_ui;
pub mod qr;
pub mod sync;

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

/// What the address bar asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Room(String),
    Join(String),
    Session(String),
    Console(String),
    Projector(String),
    Organiser,
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Route {
    pub fn parse(path: &str) -> Route {
        if path == "/o" {
            return Route::Organiser;
        }
        if let Some(room) = path.strip_prefix("/r/").filter(|r| is_room_name(r)) {
            return Route::Room(room.to_owned());
        }
        for (prefix, make) in [
            ("/j/", Route::Join as fn(String) -> Route),
            ("/s/", Route::Session),
            ("/f/", Route::Console),
            ("/p/", Route::Projector),
        ] {
            if let Some(id) = path.strip_prefix(prefix).filter(|s| is_id(s)) {
                return make(id.to_owned());
            }
        }
        Route::Home
    }
}

pub use draaiboeken::sync::is_room_name;

/// A message that something went wrong, announced to screen readers; hidden while `error` is
/// `None`.
#[component]
pub fn ErrorAlert(error: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <p class="error" role="alert" hidden=move || error.get().is_none()>
            {move || error.get().unwrap_or_default()}
        </p>
    }
}

#[component]
fn App() -> impl IntoView {
    i18n::provide_lang();
    let path = window().location().pathname().unwrap_or_default();
    match Route::parse(&path) {
        Route::Home => view! { <pages::home::Home/> }.into_any(),
        Route::Room(room) => view! { <pages::room::RoomPage room=room/> }.into_any(),
        Route::Join(code) => view! { <pages::join::JoinPage code=code/> }.into_any(),
        Route::Session(id) => view! { <pages::session::SessionPage id=id/> }.into_any(),
        Route::Console(id) => view! { <pages::console::ConsolePage id=id/> }.into_any(),
        Route::Projector(id) => view! { <pages::projector::ProjectorPage id=id/> }.into_any(),
        Route::Organiser => view! { <pages::organiser::OrganiserPage/> }.into_any(),
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(root) = document().get_element_by_id("app") else {
        return;
    };
    let Ok(root) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(root) else {
        return;
    };
    root.set_inner_html("");
    leptos::mount::mount_to(root, App).forget();
}

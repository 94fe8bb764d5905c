//! The Werkmuur front end, compiled to WebAssembly. It holds a replica of each document it
//! shows (through [`sync::SyncClient`]); the server is the source of truth.
//!
//! Routes (one file each under `pages/`): `/` picks a wall, `/r/{room}` shows one.

pub mod i18n;
mod pages;
pub mod sync;

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

/// What the address bar asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Room(String),
}

impl Route {
    pub fn parse(path: &str) -> Route {
        match path.strip_prefix("/r/") {
            Some(room) if is_room_name(room) => Route::Room(room.to_owned()),
            _ => Route::Home,
        }
    }
}

/// The room names the server accepts (see `server::ws::validate_room_name`), as typed on a
/// phone: segments of letters, digits, `-`, `_` and `.`.
pub fn is_room_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
}

#[component]
fn App() -> impl IntoView {
    i18n::provide_lang();
    let path = window().location().pathname().unwrap_or_default();
    match Route::parse(&path) {
        Route::Home => view! { <pages::home::Home/> }.into_any(),
        Route::Room(room) => view! { <pages::room::RoomPage room=room/> }.into_any(),
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

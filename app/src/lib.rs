//! The Werkmuur front end, compiled to WebAssembly. It holds a replica of each document it
//! shows (through [`sync::SyncClient`]); the server is the source of truth.
//!
//! Routes (one file each under `pages/`): `/` (join, start, or open a wall), `/j/{code}` (a phone
//! joins), `/s/{id}` (a participant in a session), `/f/{id}` (the facilitator's console),
//! `/r/{room}` (a standalone wall), `/o` (organisers: every session and its exports).
//!
//! Built as one bundle per [`Surface`] (`src/bin/`): a phone never downloads the console's or
//! the projector's pages.

pub mod agenda_ui;
pub mod api;
pub mod board_ui;
pub mod export_ui;
pub mod fit;
pub mod i18n;
pub mod lifecycle_ui;
mod pages;
pub mod qr;
pub mod speech;
pub mod sync;
pub mod werkvorm;

use leptos::prelude::*;

pub use draaiboeken::route::{Route, Surface};
pub use draaiboeken::sync::is_room_name;

/// What went wrong, kept as what it is rather than as text, so that it is said in the
/// language the reader has now (one who switches language after a refusal reads it again in
/// the new one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A call that failed.
    Failure(api::ApiFailure),
    /// A message of ours.
    Said(i18n::Key),
}

impl Problem {
    pub fn text(&self, lang: i18n::Lang) -> String {
        match self {
            Problem::Failure(f) => pages::join::failure_text(f, lang),
            Problem::Said(key) => i18n::t(lang, *key).to_owned(),
        }
    }
}

impl From<api::ApiFailure> for Problem {
    fn from(f: api::ApiFailure) -> Problem {
        Problem::Failure(f)
    }
}

/// The foot of the pages people arrive on: the accessibility statement (drawn by the server
/// at this address, in the reader's language).
#[component]
pub fn SiteFoot() -> impl IntoView {
    view! {
        <footer class="site-foot">
            <p class="home-link"><a href=draaiboeken::route::STATEMENT_PATH>{i18n::tr(i18n::Key::Accessibility)}</a></p>
        </footer>
    }
}

/// A message that something went wrong, announced to screen readers; hidden while `error` is
/// `None`.
#[component]
pub fn ErrorAlert(error: RwSignal<Option<Problem>>) -> impl IntoView {
    let lang = i18n::use_lang();
    view! {
        <p class="error" role="alert" hidden=move || error.get().is_none()>
            {move || error.get().map(|p| p.text(lang.get()))}
        </p>
    }
}

/// The page for `route` in the way-in bundle; any address that isn't another surface's gets the
/// home page.
fn join_page(route: Route) -> AnyView {
    match route {
        Route::Join(code) => view! { <pages::join::JoinPage code=code/> }.into_any(),
        _ => view! { <pages::home::Home/> }.into_any(),
    }
}

/// Each bundle's pages; another surface's address (the server never sends it here) gets a link
/// to the home page.
fn phone_page(route: Route) -> AnyView {
    match route {
        Route::Room(room) => view! { <pages::room::RoomPage room=room/> }.into_any(),
        Route::Session(id) => view! { <pages::session::SessionPage id=id/> }.into_any(),
        _ => elsewhere(),
    }
}

fn console_page(route: Route) -> AnyView {
    match route {
        Route::Console(id) => view! { <pages::console::ConsolePage id=id/> }.into_any(),
        Route::Organiser => view! { <pages::organiser::OrganiserPage/> }.into_any(),
        _ => elsewhere(),
    }
}

fn projector_page(route: Route) -> AnyView {
    match route {
        Route::Projector(id) => view! { <pages::projector::ProjectorPage id=id/> }.into_any(),
        Route::ProjectorCode => view! { <pages::projector::ProjectorCodePage/> }.into_any(),
        _ => elsewhere(),
    }
}

/// A bundle was loaded for an address that isn't its own: offer the home page.
fn elsewhere() -> AnyView {
    view! {
        <main class="home">
            <p class="home-link"><a href="/">{i18n::tr(i18n::Key::Home)}</a></p>
        </main>
    }
    .into_any()
}

/// Mounts one surface's pages into `#app`, in place of the loading text. Each bundle's `main`
/// calls this with its own page function, so a bundle holds only its own pages' code.
fn mount(page: fn(Route) -> AnyView) {
    console_error_panic_hook::set_once();
    let Some(root) = document().get_element_by_id("app") else {
        return;
    };
    let Ok(root) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(root) else {
        return;
    };
    root.set_inner_html("");
    let path = window().location().pathname().unwrap_or_default();
    leptos::mount::mount_to(root.clone(), move || {
        i18n::provide_lang();
        page(Route::parse(&path))
    })
    .forget();
    // For tests and measurements: the bundle runs and the first screen is its own.
    let _ = root.set_attribute("data-app", "ready");
}

/// The way-in bundle (`src/bin/join.rs`).
pub fn start_join() {
    pages::join::capture_server_screen();
    mount(join_page);
}

/// The phone bundle (`src/bin/phone.rs`).
pub fn start_phone() {
    mount(phone_page);
}

/// The console bundle (`src/bin/console.rs`).
pub fn start_console() {
    mount(console_page);
}

/// The projector bundle (`src/bin/projector.rs`).
pub fn start_projector() {
    mount(projector_page);
}

//! `/o`: organisers. With the secret the server was started with (`--organiser-secret`), every
//! session is listed, and each one's exports (every [`ExportFile`]) can be downloaded, during or
//! after it. The secret stays in this browser tab only.

use draaiboeken::draaiboek::Text;
use draaiboeken::export::ExportFile;
use leptos::prelude::*;
use serde::Deserialize;

use crate::ErrorAlert;
use crate::agenda_ui::format_clock;
use crate::api;
use crate::export_ui::DownloadButton;
use crate::i18n::{Counted, Key, LanguageSwitch, tr, trn, use_lang};
use crate::pages::join::failure_text;

#[derive(Clone, Deserialize)]
struct Summary {
    id: String,
    code: String,
    title: Text,
    created_at: i64,
    ended_at: Option<i64>,
    members: usize,
}

const SECRET_KEY: &str = "werkmuur.organiser";

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn date(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:02}-{:02}-{} {}",
        d.get_date(),
        d.get_month() + 1,
        d.get_full_year(),
        format_clock(ms)
    )
}

#[component]
pub fn OrganiserPage() -> impl IntoView {
    let lang = use_lang();
    let secret = RwSignal::new(
        session_storage()
            .and_then(|s| s.get_item(SECRET_KEY).ok().flatten())
            .unwrap_or_default(),
    );
    let sessions = RwSignal::new(None::<Vec<Summary>>);
    let error = RwSignal::new(None::<String>);
    let load = move || {
        let token = secret.get_untracked();
        if token.trim().is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::get::<Vec<Summary>>("/api/sessions", Some(&token)).await {
                Ok(list) => {
                    if let Some(s) = session_storage() {
                        let _ = s.set_item(SECRET_KEY, &token);
                    }
                    error.set(None);
                    sessions.set(Some(list));
                }
                Err(f) => {
                    sessions.set(None);
                    error.set(Some(failure_text(&f, lang.get_untracked())));
                }
            }
        });
    };
    load();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        load();
    };
    let rows = move || {
        let list = sessions.get()?;
        if list.is_empty() {
            return Some(view! { <p class="empty">{tr(Key::NoSessions)}</p> }.into_any());
        }
        let items = list
            .into_iter()
            .map(|s| {
                let title = s.title.get(lang.get()).to_owned();
                let state = if s.ended_at.is_some() { tr(Key::SessionEnded)() } else { "" };
                let buttons = ExportFile::ALL
                    .into_iter()
                    .map(|file| {
                        view! {
                            <DownloadButton session=s.id.clone() token=secret file=file.name().to_owned()
                                code=s.code.clone() label=Signal::derive(move || tr(file.label())().to_owned())
                                error=error/>
                        }
                    })
                    .collect_view();
                view! {
                    <li class="session-row" data-code=s.code.clone()>
                        <h3>{title} " · " <span class="join-code">{s.code.clone()}</span></h3>
                        <p>{date(s.created_at)} " · " {trn(Counted::Members, s.members, &[])} " " {state}</p>
                        <div class="controls">{buttons}</div>
                    </li>
                }
            })
            .collect_view();
        Some(view! { <ul class="sessions">{items}</ul> }.into_any())
    };
    view! {
        <header class="bar">
            <h1 class="brand">{tr(Key::AppName)}</h1>
            <p class="room-name">{tr(Key::OrganiserHeading)}</p>
            <LanguageSwitch/>
        </header>
        <main class="organiser">
            <form class="stack" on:submit=submit>
                <label for="organiser-secret">{tr(Key::OrganiserSecret)}</label>
                <input id="organiser-secret" type="password" autocomplete="current-password"
                    aria-describedby="organiser-hint"
                    prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev))/>
                <p id="organiser-hint" class="hint">{tr(Key::OrganiserHint)}</p>
                <button type="submit" class="primary">{tr(Key::ShowSessions)}</button>
            </form>
            <ErrorAlert error=error/>
            {rows}
        </main>
    }
}

//! `/j/{code}`: a phone joins a session: name and role, then on to the session.
//!
//! The server sends this screen as plain HTML with the page, plus the session's title and roles
//! as JSON (`#prefetched`; see the server's `web.rs`). The bundle reads that instead of asking
//! again, keeps what was typed before it arrived, and sends a join that was tapped before it
//! arrived (the plain form came back as `?name=…&role=…`).

use draaiboeken::draaiboek::{Role, Text};
use leptos::prelude::*;

use crate::ErrorAlert;
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiFailure, tokens};
use crate::i18n::{Key, Lang, LanguageSwitch, tr, use_lang};

#[derive(Clone, Deserialize)]
struct JoinInfo {
    title: Text,
    roles: Vec<Role>,
    retention_days: u32,
}

#[derive(Serialize)]
struct JoinRequest {
    name: String,
    role: String,
}

#[derive(Deserialize)]
struct Joined {
    session_id: String,
    member_id: String,
    token: String,
}

/// The server-drawn form's state when the bundle took over: what the page's address and inputs
/// held, and the embedded lookup.
#[derive(Default)]
struct ServerScreen {
    prefetched: Option<Result<JoinInfo, ApiFailure>>,
    name: Option<String>,
    role: Option<String>,
    /// The plain form was sent before the bundle ran.
    submitted: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Prefetched {
    Info(JoinInfo),
    Refused { status: u16, message: String },
}

thread_local! {
    static SERVER_SCREEN: std::cell::RefCell<ServerScreen> = Default::default();
}

/// Reads the server-drawn join screen; call before the app replaces the page's content.
pub fn capture_server_screen() {
    let doc = document();
    let prefetched = doc.get_element_by_id("prefetched").and_then(|el| {
        let text = el.text_content()?;
        el.remove();
        match serde_json::from_str::<Prefetched>(&text).ok()? {
            Prefetched::Info(info) => Some(Ok(info)),
            Prefetched::Refused { status, message } => Some(Err(ApiFailure::Refused {
                status,
                code: None,
                message,
            })),
        }
    });
    let value = |selector: &str| {
        let el = doc.query_selector(selector).ok().flatten()?;
        let input = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(el).ok()?;
        Some(input.value())
    };
    let query = window().location().search().unwrap_or_default();
    let submitted = query.contains("name=") && query.contains("role=");
    SERVER_SCREEN.with_borrow_mut(|s| {
        *s = ServerScreen {
            prefetched,
            name: value("main.join input#name").filter(|n| !n.is_empty()),
            role: value("main.join input[name=role]:checked"),
            submitted,
        }
    });
}

pub fn failure_text(f: &ApiFailure, lang: Lang) -> String {
    match f {
        ApiFailure::Network => crate::i18n::t(lang, Key::NetworkError).to_owned(),
        // Said in the reader's language: the server's reason is English, for programmers.
        ApiFailure::Refused { status, code, .. } => {
            draaiboeken::i18n::refusal_text(lang, *status, *code).to_owned()
        }
    }
}

#[component]
pub fn JoinPage(code: String) -> impl IntoView {
    let lang = use_lang();
    let screen = SERVER_SCREEN.with_borrow_mut(std::mem::take);
    let info: RwSignal<Option<Result<JoinInfo, ApiFailure>>> = RwSignal::new(None);
    match screen.prefetched {
        Some(answer) => info.set(Some(answer)),
        None => {
            let path = format!("/api/join/{code}");
            leptos::task::spawn_local(async move {
                info.set(Some(api::get::<JoinInfo>(&path, None).await));
            });
        }
    }
    let name = RwSignal::new(screen.name.unwrap_or_default());
    let role = RwSignal::new(screen.role.unwrap_or_default());
    let error = RwSignal::new(None::<crate::Problem>);
    let busy = RwSignal::new(false);
    let join_code = code.clone();
    let join = move || {
        if busy.get_untracked() {
            return;
        }
        if role.get_untracked().is_empty() {
            error.set(Some(crate::Problem::Said(Key::ChooseRole)));
            return;
        }
        busy.set(true);
        let body = JoinRequest {
            name: name.get_untracked(),
            role: role.get_untracked(),
        };
        let path = format!("/api/sessions/{join_code}/join");
        leptos::task::spawn_local(async move {
            match api::post::<_, Joined>(&path, None, &body).await {
                Ok(joined) => {
                    tokens::save(&joined.session_id, &joined.token);
                    tokens::save_member(&joined.session_id, &joined.member_id);
                    let _ = window()
                        .location()
                        .set_href(&format!("/s/{}", joined.session_id));
                }
                Err(f) => {
                    error.set(Some(f.into()));
                    busy.set(false);
                }
            }
        });
    };
    if screen.submitted {
        // Not again on a reload.
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("/j/{code}")),
            );
        }
        if matches!(info.get_untracked(), Some(Ok(_))) && !name.get_untracked().trim().is_empty() {
            join();
        }
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        join();
    };
    view! {
        <header class="bar">
            <h1 class="brand">{tr(Key::AppName)}</h1>
            <p class="room-name">{code.clone()}</p>
            <LanguageSwitch/>
        </header>
        <main class="join">
            {move || match info.get() {
                None => view! { <p>{tr(Key::Loading)}</p> }.into_any(),
                Some(Err(f)) => view! {
                    <p class="error" role="alert">{
                        if matches!(f, ApiFailure::Refused { status: 404, .. }) {
                            crate::i18n::t(lang.get(), Key::NoSuchCode).to_owned()
                        } else {
                            failure_text(&f, lang.get())
                        }
                    }</p>
                    <p class="home-link"><a href="/">{tr(Key::Home)}</a></p>
                }.into_any(),
                Some(Ok(info)) => {
                    // Nobody joins in a role they didn't pick: only a single role is chosen
                    // for them.
                    if role.get_untracked().is_empty() && let [only] = info.roles.as_slice() {
                        role.set(only.id.clone());
                    }
                    let title = info.title.get(lang.get()).to_owned();
                    let days = info.retention_days;
                    let submit = submit.clone();
                    view! {
                        <h2>{title}</h2>
                        <form class="stack" on:submit=submit>
                            <label for="name">{tr(Key::NameLabel)}</label>
                            <input id="name" name="name" type="text" dir="auto" required maxlength="40"
                                autocomplete="given-name"
                                prop:value=move || name.get()
                                on:input=move |ev| name.set(event_target_value(&ev))/>
                            <fieldset class="roles">
                                <legend>{tr(Key::RoleLabel)}</legend>
                                {info.roles.iter().map(|r| {
                                    let id = r.id.clone();
                                    let checked_id = id.clone();
                                    let label = r.name.get(lang.get()).to_owned();
                                    let colour = r.colour.clone();
                                    view! {
                                        <label class="role">
                                            <input type="radio" name="role" value=id.clone() required
                                                prop:checked=move || role.get() == checked_id
                                                on:change=move |_| role.set(id.clone())/>
                                            // The role's sticker colour: an attribute, not an
                                            // inline style, so the CSP can forbid those.
                                            <svg class="swatch" width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
                                                <circle cx="9" cy="9" r="8" fill=colour stroke="#111" stroke-width="1"/>
                                            </svg>
                                            <span>{label}</span>
                                        </label>
                                    }
                                }).collect_view()}
                            </fieldset>
                            <ErrorAlert error=error/>
                            <button type="submit" class="primary" disabled=move || busy.get()>
                                {tr(Key::Join)}
                            </button>
                        </form>
                        <p class="hint retention">{move || crate::i18n::data_kept(lang.get(), days)}</p>
                    }.into_any()
                }
            }}
        </main>
    }
}

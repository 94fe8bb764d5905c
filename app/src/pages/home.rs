//! `/`: join a session by code, start a session from a draaiboek, or open a standalone wall.

use draaiboeken::draaiboek::Text;
use leptos::prelude::*;

use crate::ErrorAlert;
use serde::{Deserialize, Serialize};

use crate::api;
use crate::i18n::{Key, LanguageSwitch, tr, trf, use_lang};
use crate::is_room_name;
use crate::pages::join::failure_text;

#[derive(Clone, Deserialize)]
struct DraaiboekSummary {
    id: String,
    title: Text,
    total_minutes: u32,
}

#[derive(Serialize)]
struct Create {
    draaiboek: String,
}

#[derive(Deserialize)]
struct Created {
    facilitator_url: String,
}

#[component]
pub fn Home() -> impl IntoView {
    let lang = use_lang();
    let code = RwSignal::new(String::new());
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = draaiboeken::sessie::normalise_code(&code.get_untracked());
        if !code.is_empty() {
            let _ = window().location().set_href(&format!("/j/{code}"));
        }
    };

    let draaiboeken = RwSignal::new(Vec::<DraaiboekSummary>::new());
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        match api::get::<Vec<DraaiboekSummary>>("/api/draaiboeken", None).await {
            Ok(list) => {
                if let Some(first) = list.first() {
                    chosen.set(first.id.clone());
                }
                draaiboeken.set(list);
            }
            Err(f) => error.set(Some(failure_text(&f, lang.get_untracked()))),
        }
    });
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = Create {
            draaiboek: chosen.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::post::<_, Created>("/api/sessions", None, &body).await {
                Ok(created) => {
                    let _ = window().location().set_href(&created.facilitator_url);
                }
                Err(f) => error.set(Some(failure_text(&f, lang.get_untracked()))),
            }
        });
    };

    let name = RwSignal::new(String::new());
    let invalid = RwSignal::new(false);
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let room = name.get_untracked().trim().to_owned();
        if is_room_name(&room) {
            let _ = window().location().set_href(&format!("/r/{room}"));
        } else {
            invalid.set(true);
        }
    };
    view! {
        <header class="bar">
            <h1 class="brand">{tr(Key::AppName)}</h1>
            <LanguageSwitch/>
        </header>
        <main class="home">
            <p class="lead">{tr(Key::Tagline)}</p>
            <section aria-labelledby="join-heading">
                <h2 id="join-heading">{tr(Key::JoinHeading)}</h2>
                <form class="stack" on:submit=join>
                    <label for="code">{tr(Key::CodeLabel)}</label>
                    <input id="code" name="code" type="text" required maxlength="12"
                        autocomplete="off" autocapitalize="characters" spellcheck="false"
                        class="code-input" aria-describedby="code-hint"
                        prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev))/>
                    <p id="code-hint" class="hint">{tr(Key::CodeHint)}</p>
                    <button type="submit" class="primary">{tr(Key::Join)}</button>
                </form>
            </section>
            <section aria-labelledby="start-heading">
                <h2 id="start-heading">{tr(Key::StartHeading)}</h2>
                <form class="stack" on:submit=start>
                    <fieldset class="draaiboeken">
                        <legend>{tr(Key::ChooseDraaiboek)}</legend>
                        {move || draaiboeken.get().into_iter().map(|d| {
                            let id = d.id.clone();
                            let checked_id = id.clone();
                            let title = d.title.get(lang.get()).to_owned();
                            view! {
                                <label class="choice">
                                    <input type="radio" name="draaiboek" value=id.clone()
                                        prop:checked=move || chosen.get() == checked_id
                                        on:change=move |_| chosen.set(id.clone())/>
                                    <span>{title} " (" {trf(Key::Minutes, &[("n", &d.total_minutes)])} ")"</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <ErrorAlert error=error/>
                    <button type="submit" class="primary">{tr(Key::StartSession)}</button>
                </form>
            </section>
            <section aria-labelledby="wall-heading">
                <h2 id="wall-heading">{tr(Key::FreeWallHeading)}</h2>
                <form class="stack" on:submit=open>
                    <label for="room-name">{tr(Key::RoomLabel)}</label>
                    <input id="room-name" name="room" type="text" autocomplete="off"
                        autocapitalize="off" spellcheck="false" required maxlength="200"
                        aria-describedby="room-hint room-error"
                        aria-invalid=move || invalid.get().to_string()
                        prop:value=move || name.get()
                        on:input=move |ev| {
                            invalid.set(false);
                            name.set(event_target_value(&ev));
                        }/>
                    <p id="room-hint" class="hint">{tr(Key::RoomHint)}</p>
                    <p id="room-error" class="error" role="alert" hidden=move || !invalid.get()>
                        {tr(Key::InvalidRoom)}
                    </p>
                    <button type="submit">{tr(Key::Open)}</button>
                </form>
            </section>
        </main>
    }
}

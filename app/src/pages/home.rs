//! `/`: join a session by code, sign in to lead one (at `/o`), or open a standalone wall.

use leptos::prelude::*;

use crate::i18n::{Key, LanguageSwitch, tr};
use crate::is_room_name;

#[component]
pub fn Home() -> impl IntoView {
    let code = RwSignal::new(String::new());
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = draaiboeken::sessie::normalise_code(&code.get_untracked());
        if !code.is_empty() {
            let _ = window().location().set_href(&format!("/j/{code}"));
        }
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
                <p>{tr(Key::SignInHint)}</p>
                <p><a class="button primary" href="/o">{tr(Key::SignIn)}</a></p>
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
        <crate::SiteFoot/>
    }
}

//! `/`: choose a wall by name.

use leptos::prelude::*;

use crate::i18n::{Key, LanguageSwitch, tr};
use crate::is_room_name;

#[component]
pub fn Home() -> impl IntoView {
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
            <form class="stack" on:submit=open>
                <label for="room-name">{tr(Key::RoomLabel)}</label>
                <input
                    id="room-name"
                    name="room"
                    type="text"
                    inputmode="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    required
                    maxlength="200"
                    aria-describedby="room-hint room-error"
                    aria-invalid=move || invalid.get().to_string()
                    prop:value=move || name.get()
                    on:input=move |ev| {
                        invalid.set(false);
                        name.set(event_target_value(&ev));
                    }
                />
                <p id="room-hint" class="hint">{tr(Key::RoomHint)}</p>
                <p id="room-error" class="error" role="alert" hidden=move || !invalid.get()>
                    {tr(Key::InvalidRoom)}
                </p>
                <button type="submit" class="primary">{tr(Key::Open)}</button>
            </form>
        </main>
    }
}

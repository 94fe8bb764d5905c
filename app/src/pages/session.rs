//! `/s/{id}`: a participant's phone in a session: the current block, its instruction and the
//! time left, and the session's wall.

use leptos::prelude::*;

use crate::agenda_ui::{BlockClock, use_agenda, use_server_clock};
use crate::api::tokens;
use crate::i18n::{Key, Lang, tr, use_lang};
use crate::pages::room::Wall;
use crate::sync::room_url;

#[component]
pub fn SessionPage(id: String) -> impl IntoView {
    let Some(token) = tokens::load(&id) else {
        return view! {
            <main class="join">
                <p class="error" role="alert">{tr(Key::NoToken)}</p>
                <p><a href="/">{tr(Key::Home)}</a></p>
            </main>
        }
        .into_any();
    };
    let lang = use_lang();
    let (_agenda_client, agenda) = use_agenda(&id, &token);
    let now = use_server_clock();
    let instruction = move || {
        let a = agenda.get()?;
        let step = a.current_step()?;
        let text = step.instructions.participants.as_ref()?;
        Some(text.get(lang.get() == Lang::En).to_owned())
    };
    let wall_url = format!("{}?token={token}", room_url(&format!("sessie/{id}/wand")));
    view! {
        <Wall url=wall_url label=String::new()>
            <BlockClock agenda=agenda now=now/>
            <Show when=move || instruction().is_some()>
                <section class="instruction">
                    <h2>{tr(Key::Instruction)}</h2>
                    <p>{move || instruction().unwrap_or_default()}</p>
                </section>
            </Show>
        </Wall>
    }
    .into_any()
}

//! Reading a block's question aloud on a phone, with the browser's own speech synthesis (no
//! outside service), in the language the phone shows. A browser that can't speak shows no
//! button.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{SpeechSynthesis, SpeechSynthesisUtterance};

use crate::i18n::{Key, tr, use_lang};

/// A button that reads `text` aloud, and stops reading when pressed again.
#[component]
pub fn ReadAloud(#[prop(into)] text: Signal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let synth = window()
        .speech_synthesis()
        .ok()
        .filter(|s| s.is_instance_of::<SpeechSynthesis>())
        .map(SendWrapper::new);
    let speaking = RwSignal::new(false);
    // A new block is read from its start: what was being read stops.
    {
        let synth = synth.clone();
        Effect::new(move |_| {
            text.track();
            if let Some(s) = &synth {
                s.cancel();
            }
            speaking.set(false);
        });
    }
    synth.map(|synth| {
        let click = move |_| {
            synth.cancel();
            if speaking.get_untracked() {
                speaking.set(false);
                return;
            }
            let Some(words) = text.get_untracked().filter(|t| !t.trim().is_empty()) else {
                return;
            };
            let Ok(utterance) = SpeechSynthesisUtterance::new_with_text(&words) else {
                return;
            };
            utterance.set_lang(lang.get_untracked().code());
            let done = Closure::<dyn FnMut()>::new(move || speaking.set(false));
            utterance.set_onend(Some(done.as_ref().unchecked_ref()));
            utterance.set_onerror(Some(done.as_ref().unchecked_ref()));
            // Lives as long as the page: one small closure per reading.
            done.forget();
            synth.speak(&utterance);
            speaking.set(true);
        };
        view! {
            <button type="button" class="read-aloud" aria-pressed=move || speaking.get().to_string()
                hidden=move || text.with(|t| t.as_deref().is_none_or(|t| t.trim().is_empty()))
                on:click=click>
                {move || if speaking.get() { tr(Key::StopReading)() } else { tr(Key::ReadAloud)() }}
            </button>
        }
    })
}

//! Reading a block's question aloud on a phone, with the browser's own speech synthesis (no
//! outside service), each text in the language it is written in (the phone's, or Dutch where a
//! draaiboek has no translation). A browser that can't speak shows no button.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{SpeechSynthesis, SpeechSynthesisUtterance};

use crate::i18n::{Key, Lang, tr};

/// A button that reads `texts` aloud one after the other, and stops reading when pressed
/// again. Its label says which it will do (no `aria-pressed` beside a label that changes).
#[component]
pub fn ReadAloud(texts: Memo<Vec<(String, Lang)>>) -> impl IntoView {
    let synth = window()
        .speech_synthesis()
        .ok()
        .filter(|s| s.is_instance_of::<SpeechSynthesis>())
        .map(SendWrapper::new);
    let speaking = RwSignal::new(false);
    // Which reading is on: the end of one that was stopped must not end the next.
    let reading = RwSignal::new(0u32);
    // New texts (the next block, another language) are read from their start: what was being
    // read stops. A memo: the same texts again change nothing.
    {
        let synth = synth.clone();
        Effect::new(move |_| {
            texts.track();
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
            let said = texts.get_untracked();
            let said: Vec<_> = said.iter().filter(|(t, _)| !t.trim().is_empty()).collect();
            let Some(last) = said.len().checked_sub(1) else {
                return;
            };
            reading.update(|r| *r = r.wrapping_add(1));
            let this = reading.get_untracked();
            for (i, (words, lang)) in said.into_iter().enumerate() {
                let Ok(utterance) = SpeechSynthesisUtterance::new_with_text(words) else {
                    continue;
                };
                utterance.set_lang(lang.code());
                if i == last {
                    let done = Closure::<dyn FnMut()>::new(move || {
                        if reading.get_untracked() == this {
                            speaking.set(false);
                        }
                    });
                    utterance.set_onend(Some(done.as_ref().unchecked_ref()));
                    utterance.set_onerror(Some(done.as_ref().unchecked_ref()));
                    // Lives as long as the page: one small closure per reading.
                    done.forget();
                }
                synth.speak(&utterance);
            }
            speaking.set(true);
        };
        view! {
            <button type="button" class="read-aloud"
                hidden=move || texts.with(|t| t.iter().all(|(s, _)| s.trim().is_empty()))
                on:click=click>
                {move || if speaking.get() { tr(Key::StopReading)() } else { tr(Key::ReadAloud)() }}
            </button>
        }
    })
}

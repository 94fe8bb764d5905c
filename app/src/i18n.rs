//! The browser's side of the translation layer ([`draaiboeken::i18n`]): the language signal,
//! reactive strings, messages with elements in their placeholders, and the language menu.

use leptos::prelude::*;

pub use draaiboeken::i18n::{Counted, Key, Lang, Piece, data_kept, pieces, t, tf, tn};

use crate::sync::local_storage;

const STORAGE_KEY: &str = "werkmuur.lang";

/// The language signal, provided at the root: the saved choice, else the browser's, else Dutch.
pub fn provide_lang() -> RwSignal<Lang> {
    let saved = local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|code| Lang::from_code(&code));
    let browser = window()
        .navigator()
        .language()
        .and_then(|tag| Lang::from_tag(&tag));
    let lang = RwSignal::new(saved.or(browser).unwrap_or(Lang::DEFAULT));
    Effect::new(move |_| {
        let lang = lang.get();
        if let Some(s) = local_storage() {
            let _ = s.set_item(STORAGE_KEY, lang.code());
        }
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.code());
            let _ = html.set_attribute("dir", lang.direction().attribute());
        }
    });
    provide_context(lang);
    lang
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::DEFAULT))
}

/// A reactive translated string (for a message without placeholders).
pub fn tr(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || t(lang.get(), key)
}

/// The message `key` with its placeholders filled, in the current language (read like `tr(key)()`:
/// inside a reactive closure it follows the language).
pub fn trf(key: Key, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    tf(use_lang().get(), key, args)
}

/// The message about `count`, in the current language (as [`trf`]).
pub fn trn(key: Counted, count: usize, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    tn(use_lang().get(), key, count as u64, args)
}

/// The message `key`, reactive, with each placeholder drawn by `arg` from its name (an element
/// around a value, say), so the sentence stays one message in every language.
pub fn rich<V: IntoView + 'static>(
    key: Key,
    arg: impl Fn(&str) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        pieces(t(lang.get(), key))
            .map(|piece| match piece {
                Piece::Text(text) => text.into_any(),
                Piece::Placeholder(name) => arg(name).into_any(),
            })
            .collect_view()
    }
}

/// The language menu: every language, each named in itself.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let options = Lang::ALL
        .iter()
        .map(|&l| {
            view! {
                <option value=l.code() lang=l.code() prop:selected=move || lang.get() == l>
                    {l.name()}
                </option>
            }
        })
        .collect_view();
    view! {
        <select
            class="lang-switch"
            aria-label=move || t(lang.get(), Key::Language)
            on:change=move |ev| {
                if let Some(l) = Lang::from_code(&event_target_value(&ev)) {
                    lang.set(l);
                }
            }
        >
            {options}
        </select>
    }
}

//! The browser's side of the translation layer ([`draaiboeken::i18n`]): the language signal,
//! reactive strings and the language switch.

use leptos::prelude::*;

pub use draaiboeken::i18n::{Key, Lang, data_kept, t};

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
        .filter(|l| l.starts_with("en"))
        .map(|_| Lang::En);
    let lang = RwSignal::new(saved.or(browser).unwrap_or(Lang::Nl));
    Effect::new(move |_| {
        let lang = lang.get();
        if let Some(s) = local_storage() {
            let _ = s.set_item(STORAGE_KEY, lang.code());
        }
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.code());
        }
    });
    provide_context(lang);
    lang
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Nl))
}

/// A reactive translated string.
pub fn tr(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || t(lang.get(), key)
}

/// The button that switches between Dutch and English.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    view! {
        <button
            type="button"
            class="lang-switch"
            lang=move || lang.get().other().code()
            on:click=move |_| lang.update(|l| *l = l.other())
        >
            {tr(Key::SwitchLanguage)}
        </button>
    }
}

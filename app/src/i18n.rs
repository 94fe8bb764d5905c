//! The browser's side of the translation layer ([`draaiboeken::i18n`]): the language signal,
//! reactive strings, messages with elements in their placeholders, and the language menu.

use leptos::prelude::*;

pub use draaiboeken::i18n::{Counted, Key, Lang, Piece, data_kept, pieces, t, tf, tn};

use crate::sync::local_storage;

const STORAGE_KEY: &str = "werkmuur.lang";

/// The cookie that tells the server the device's choice, so the pages it draws (the join
/// screen) speak it too (the server's `web::LANG_COOKIE`).
const COOKIE: &str = "werkmuur_lang";

/// The language signal, provided at the root: the choice saved on this device, else the first
/// of the browser's languages (`navigator.languages`) that Werkmuur speaks, else Dutch. It sets
/// `lang` and `dir` on the page.
pub fn provide_lang() -> RwSignal<Lang> {
    let saved = local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|code| Lang::from_code(&code));
    let lang = RwSignal::new(saved.or_else(browser_lang).unwrap_or(Lang::DEFAULT));
    Effect::new(move |_| {
        let lang = lang.get();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.code());
            let _ = html.set_attribute("dir", lang.direction().attribute());
        }
    });
    provide_context(lang);
    lang
}

/// The first of the browser's languages, in its order of preference, that Werkmuur speaks.
fn browser_lang() -> Option<Lang> {
    let navigator = window().navigator();
    navigator
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .chain(navigator.language())
        .find_map(|tag| Lang::from_tag(&tag))
}

/// Remembers `lang` as this device's choice (a person's, in the language menu; never the
/// session's language the projector follows).
fn remember(lang: Lang) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(STORAGE_KEY, lang.code());
    }
    if let Ok(doc) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlDocument>(document()) {
        let _ = doc.set_cookie(&format!(
            "{COOKIE}={}; path=/; max-age=31536000; SameSite=Lax",
            lang.code()
        ));
    }
}

/// The session's language (the facilitator's choice, in the control state), for what the
/// room shares: the projector speaks it and check-in words group by it.
#[derive(Clone, Copy)]
struct SessionLang(Signal<Lang>);

/// Provides the session's language from the agenda, for [`session_lang`].
pub fn provide_session_lang(agenda: Memo<Option<crate::agenda_ui::Agenda>>) -> Signal<Lang> {
    let lang = Signal::derive(move || {
        agenda
            .get()
            .map(|a| a.control.lang)
            .unwrap_or(Lang::DEFAULT)
    });
    provide_context(SessionLang(lang));
    lang
}

/// The session's language, where a page provided it (else Dutch).
pub fn session_lang() -> Signal<Lang> {
    use_context::<SessionLang>().map_or_else(|| Signal::derive(|| Lang::DEFAULT), |s| s.0)
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

/// The message `key` with its placeholders filled, as a closure that follows the language: for
/// attributes (a control's name) of views that are drawn once, such as a keyed list's rows.
pub fn trf_live(
    key: Key,
    args: Vec<(&'static str, String)>,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let lang = use_lang();
    move || {
        let args: Vec<(&str, &dyn std::fmt::Display)> = args
            .iter()
            .map(|(k, v)| (*k, v as &dyn std::fmt::Display))
            .collect();
        tf(lang.get(), key, &args)
    }
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

/// Every language as an `<option>`, each named in itself (in its own `lang` and `dir`), the
/// one `lang` holds selected.
fn language_options(lang: impl Get<Value = Lang> + Copy + Send + Sync + 'static) -> impl IntoView {
    Lang::ALL
        .iter()
        .map(|&l| {
            view! {
                <option value=l.code() lang=l.code() dir=l.direction().attribute()
                    prop:selected=move || lang.get() == l>
                    {l.name()}
                </option>
            }
        })
        .collect_view()
}

/// The language menu: every language, each named in itself (in its own `lang` and `dir`).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let options = language_options(lang);
    view! {
        <select
            class="lang-switch"
            aria-label=move || t(lang.get(), Key::Language)
            on:change=move |ev| {
                if let Some(l) = Lang::from_code(&event_target_value(&ev)) {
                    remember(l);
                    lang.set(l);
                }
            }
        >
            {options}
        </select>
    }
}

/// The console's choice of the session's language: what the projector shows and the reports
/// are written in. `set` sends the facilitator's command.
#[component]
pub fn SessionLangSwitch(lang: Signal<Lang>, set: Callback<Lang>) -> impl IntoView {
    let options = language_options(lang);
    view! {
        <section class="session-lang" aria-labelledby="session-lang-heading">
            <h2 id="session-lang-heading">{tr(Key::SessionLanguage)}</h2>
            <select
                class="session-lang-switch"
                aria-labelledby="session-lang-heading"
                on:change=move |ev| {
                    if let Some(l) = Lang::from_code(&event_target_value(&ev)) {
                        set.run(l);
                    }
                }
            >
                {options}
            </select>
            <p class="hint">{tr(Key::SessionLanguageHint)}</p>
        </section>
    }
}

/// A paragraph marked with the language its text is in (WCAG 3.1.2; `Text::shown` says which),
/// so a screen reader or the browser's speech reads Dutch as Dutch on a Turkish screen.
#[component]
pub fn InLanguage(
    text: Memo<Option<(String, Lang)>>,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let l = move || text.with(|t| t.as_ref().map(|(_, l)| *l).unwrap_or_default());
    view! {
        <p class=class lang=move || l().code() dir=move || l().direction().attribute()>
            {move || text.with(|t| t.as_ref().map(|(s, _)| s.clone()).unwrap_or_default())}
        </p>
    }
}

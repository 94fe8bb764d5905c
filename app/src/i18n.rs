//! The one translation layer: every string the user sees comes from [`t`]. Dutch is the default;
//! English is complete. Add a key to [`Key`] and both languages below, or the build fails.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Self {
        match self {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    AppName,
    Tagline,
    RoomLabel,
    RoomHint,
    Open,
    InvalidRoom,
    NewNote,
    NoteHint,
    Add,
    WallHeading,
    EmptyWall,
    StatusConnecting,
    StatusOnline,
    StatusOffline,
    StatusDenied,
    SwitchLanguage,
    NoteCount,
    Home,
}

pub fn t(lang: Lang, key: Key) -> &'static str {
    use Key::*;
    match (lang, key) {
        (Lang::Nl, AppName) => "Werkmuur",
        (Lang::En, AppName) => "Werkmuur",
        (Lang::Nl, Tagline) => "Een gedeelde muur met briefjes voor leersessies.",
        (Lang::En, Tagline) => "A shared post-it wall for learning sessions.",
        (Lang::Nl, RoomLabel) => "Naam van de muur",
        (Lang::En, RoomLabel) => "Name of the wall",
        (Lang::Nl, RoomHint) => "Letters, cijfers, - en _; bijvoorbeeld buurt-oost.",
        (Lang::En, RoomHint) => "Letters, digits, - and _; for example buurt-oost.",
        (Lang::Nl, Open) => "Open de muur",
        (Lang::En, Open) => "Open the wall",
        (Lang::Nl, InvalidRoom) => "Gebruik alleen letters, cijfers, - en _.",
        (Lang::En, InvalidRoom) => "Use only letters, digits, - and _.",
        (Lang::Nl, NewNote) => "Nieuw briefje",
        (Lang::En, NewNote) => "New post-it",
        (Lang::Nl, NoteHint) => "Kort en krachtig: hoogstens 280 tekens.",
        (Lang::En, NoteHint) => "Short and clear: at most 280 characters.",
        (Lang::Nl, Add) => "Plak op de muur",
        (Lang::En, Add) => "Put on the wall",
        (Lang::Nl, WallHeading) => "De muur",
        (Lang::En, WallHeading) => "The wall",
        (Lang::Nl, EmptyWall) => "Nog geen briefjes. Schrijf de eerste!",
        (Lang::En, EmptyWall) => "No post-its yet. Write the first one!",
        (Lang::Nl, StatusConnecting) => "Verbinden…",
        (Lang::En, StatusConnecting) => "Connecting…",
        (Lang::Nl, StatusOnline) => "Verbonden",
        (Lang::En, StatusOnline) => "Connected",
        (Lang::Nl, StatusOffline) => {
            "Geen verbinding — je briefjes worden verstuurd zodra die terug is"
        }
        (Lang::En, StatusOffline) => {
            "Offline — your post-its are sent as soon as the connection returns"
        }
        (Lang::Nl, StatusDenied) => "Je mag op deze muur alleen kijken",
        (Lang::En, StatusDenied) => "You can only look at this wall",
        (Lang::Nl, SwitchLanguage) => "English",
        (Lang::En, SwitchLanguage) => "Nederlands",
        (Lang::Nl, NoteCount) => "briefjes",
        (Lang::En, NoteCount) => "post-its",
        (Lang::Nl, Home) => "Andere muur",
        (Lang::En, Home) => "Another wall",
    }
}

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

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
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

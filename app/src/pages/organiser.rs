//! `/o`: organisers and facilitators. They sign in with their account (the cookie is
//! `HttpOnly`: this page never sees it), then start a session from a draaiboek, and see the
//! sessions they manage (an organiser: every one) with each one's exports (every
//! [`ExportFile`]), during or after it.

use draaiboeken::draaiboek::Text;
use draaiboeken::export::ExportFile;
use draaiboeken::route::SignInRefusal;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ErrorAlert;
use crate::agenda_ui::format_clock;
use crate::api::{self, ApiFailure};
use crate::export_ui::DownloadButton;
use crate::i18n::{Counted, Key, LanguageSwitch, t, tf, tn, tr, trf, use_lang};

#[derive(Clone, Deserialize)]
struct Summary {
    id: String,
    code: String,
    title: Text,
    created_at: i64,
    ended_at: Option<i64>,
    members: usize,
    owner: Option<String>,
}

/// An account a session can be handed to (`GET /api/accounts`, organisers only).
#[derive(Clone, Deserialize)]
struct AccountChoice {
    name: String,
}

#[derive(Serialize)]
struct HandOver {
    account: String,
    new_link: bool,
}

#[derive(Deserialize)]
struct HandedOver {
    owner: String,
}

/// A console opened from the account (`POST /api/sessions/{id}/console`).
#[derive(Deserialize)]
struct ConsoleLink {
    facilitator_url: String,
}

/// The signed-in account (`GET /api/me`).
#[derive(Clone, Deserialize)]
struct SignedIn {
    name: String,
    /// `organiser` or `facilitator`.
    role: String,
}

/// Whether the server signs people in through the organisation's identity provider
/// (`GET /api/oidc`).
#[derive(Clone, Deserialize)]
struct OidcOffer {
    offered: bool,
}

/// Why a sign-in through the identity provider came back without one (`/o?oidc=…`).
fn refusal() -> Option<SignInRefusal> {
    let search = window().location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("oidc="))
        .and_then(SignInRefusal::parse)
}

#[derive(Serialize)]
struct SignIn {
    name: String,
    password: String,
}

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

fn date(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:02}-{:02}-{} {}",
        d.get_date(),
        d.get_month() + 1,
        d.get_full_year(),
        format_clock(ms)
    )
}

#[component]
pub fn OrganiserPage() -> impl IntoView {
    // `None` while asking the server; then who is signed in, if anyone.
    let me = RwSignal::new(None::<Option<SignedIn>>);
    leptos::task::spawn_local(async move {
        me.set(Some(
            api::get::<Option<SignedIn>>("/api/me", None)
                .await
                .ok()
                .flatten(),
        ));
    });
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            if api::post_empty("/api/logout").await.is_ok() {
                me.set(Some(None));
            }
        });
    };
    view! {
        <header class="bar">
            <h1 class="brand">{tr(Key::AppName)}</h1>
            <p class="room-name">{tr(Key::OrganiserHeading)}</p>
            {move || me.get().flatten().map(|account| view! {
                <p class="signed-in">{trf(Key::SignedInAs, &[("name", &account.name)])}</p>
                <button type="button" on:click=sign_out>{tr(Key::SignOut)}</button>
            })}
            <LanguageSwitch/>
        </header>
        <main class="organiser">
            {move || match me.get() {
                None => None,
                Some(None) => Some(view! { <SignInForm me=me/> }.into_any()),
                Some(Some(account)) => {
                    let organiser = account.role == "organiser";
                    Some(view! { <StartSession/> <Sessions organiser=organiser/> }.into_any())
                }
            }}
        </main>
        <crate::SiteFoot/>
    }
}

/// Through the organisation's identity provider, when the server offers it (a link: the
/// browser goes there and comes back signed in), and with name and password; on success `me`
/// is the account.
#[component]
fn SignInForm(me: RwSignal<Option<Option<SignedIn>>>) -> impl IntoView {
    let offered = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        if let Ok(offer) = api::get::<OidcOffer>("/api/oidc", None).await {
            offered.set(offer.offered);
        }
    });
    let refused = refusal();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<crate::Problem>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = SignIn {
            name: name.get_untracked(),
            password: password.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::post::<_, SignedIn>("/api/login", None, &body).await {
                Ok(account) => me.set(Some(Some(account))),
                Err(f) => {
                    error.set(Some(match f {
                        ApiFailure::Refused { status: 401, .. } => {
                            crate::Problem::Said(Key::WrongPassword)
                        }
                        f => f.into(),
                    }));
                    password.set(String::new());
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section aria-labelledby="sign-in-heading">
            <h2 id="sign-in-heading">{tr(Key::SignInHeading)}</h2>
            <p class="hint">{tr(Key::SignInHint)}</p>
            {refused.map(|r| view! { <p class="error" role="alert">{tr(r.message())}</p> })}
            <p class="oidc-sign-in" hidden=move || !offered.get()>
                <a class="button primary" href="/api/oidc/start">{tr(Key::SignInWithOrganisation)}</a>
            </p>
            <form class="stack" on:submit=submit>
                <label for="account-name">{tr(Key::AccountName)}</label>
                <input id="account-name" name="username" type="text" required maxlength="64"
                    autocomplete="username" autocapitalize="off" spellcheck="false"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for="account-password">{tr(Key::Password)}</label>
                <input id="account-password" name="password" type="password" required
                    autocomplete="current-password"
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))/>
                <ErrorAlert error=error/>
                <button type="submit" class="primary" aria-disabled=move || busy.get().to_string()>
                    {tr(Key::SignIn)}
                </button>
            </form>
        </section>
    }
}

/// Starts a session from a draaiboek and opens its console.
#[component]
fn StartSession() -> impl IntoView {
    let lang = use_lang();
    let draaiboeken = RwSignal::new(Vec::<DraaiboekSummary>::new());
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<crate::Problem>);
    leptos::task::spawn_local(async move {
        match api::get::<Vec<DraaiboekSummary>>("/api/draaiboeken", None).await {
            Ok(list) => {
                if let Some(first) = list.first() {
                    chosen.set(first.id.clone());
                }
                draaiboeken.set(list);
            }
            Err(f) => error.set(Some(f.into())),
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
                Err(f) => error.set(Some(f.into())),
            }
        });
    };
    view! {
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
    }
}

/// The sessions the account manages, newest first, each with its console, its exports, a
/// hand-over to a colleague and deletion.
#[component]
fn Sessions(organiser: bool) -> impl IntoView {
    let sessions = RwSignal::new(None::<Vec<Summary>>);
    let error = RwSignal::new(None::<crate::Problem>);
    // To whom a session was just handed over: said in the language on screen.
    let status = RwSignal::new(None::<String>);
    let lang = use_lang();
    let reload = move || {
        leptos::task::spawn_local(async move {
            match api::get::<Vec<Summary>>("/api/sessions", None).await {
                Ok(list) => sessions.set(Some(list)),
                Err(f) => error.set(Some(f.into())),
            }
        });
    };
    reload();
    // Organisers pick a colleague from the accounts; a facilitator types the name (the list
    // is for organisers only).
    let accounts = RwSignal::new(Vec::<AccountChoice>::new());
    if organiser {
        leptos::task::spawn_local(async move {
            if let Ok(list) = api::get::<Vec<AccountChoice>>("/api/accounts", None).await {
                accounts.set(list);
            }
        });
    }
    let ctx = RowCtx {
        sessions,
        error,
        status,
        reload: Callback::new(move |()| reload()),
    };
    let rows = move || {
        let list = sessions.get()?;
        if list.is_empty() {
            return Some(view! { <p class="empty">{tr(Key::NoSessions)}</p> }.into_any());
        }
        let items = list
            .into_iter()
            .map(|s| view! { <SessionRow s=s ctx=ctx/> })
            .collect_view();
        Some(view! { <ul class="sessions">{items}</ul> }.into_any())
    };
    view! {
        <section aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{tr(Key::SessionsHeading)}</h2>
            <ErrorAlert error=error/>
            <p class="announce" role="status">
                {move || status.get().map(|name| tf(lang.get(), Key::HandedOverTo, &[("name", &name)]))}
            </p>
            <datalist id="account-names">
                {move || accounts.get().into_iter().map(|a| view! { <option value=a.name/> }).collect_view()}
            </datalist>
            {rows}
        </section>
    }
}

/// What every row of [`Sessions`] shares.
#[derive(Clone, Copy)]
struct RowCtx {
    sessions: RwSignal<Option<Vec<Summary>>>,
    error: RwSignal<Option<crate::Problem>>,
    /// The name of whom a session was just handed over to.
    status: RwSignal<Option<String>>,
    reload: Callback<()>,
}

/// One session: its title and code, who runs it, its console, exports, hand-over and deletion.
/// Every control is described by the row's heading, so its name says which session it acts on.
#[component]
fn SessionRow(s: Summary, ctx: RowCtx) -> impl IntoView {
    let lang = use_lang();
    let RowCtx {
        sessions,
        error,
        status,
        reload,
    } = ctx;
    let title = {
        let text = s.title.clone();
        move || text.get(lang.get()).to_owned()
    };
    let heading = format!("session-{}", s.id);
    let open = {
        let id = s.id.clone();
        move |_| {
            let url = format!("/api/sessions/{id}/console");
            leptos::task::spawn_local(async move {
                match api::post::<_, ConsoleLink>(&url, None, &serde_json::json!({})).await {
                    Ok(link) => {
                        let _ = window().location().set_href(&link.facilitator_url);
                    }
                    Err(f) => error.set(Some(f.into())),
                }
            });
        }
    };
    let delete = {
        let id = s.id.clone();
        move |_| {
            let sure = window()
                .confirm_with_message(tr(Key::ConfirmDeleteSession)())
                .unwrap_or(false);
            if !sure {
                return;
            }
            let id = id.clone();
            leptos::task::spawn_local(async move {
                match api::delete(&format!("/api/sessions/{id}"), None).await {
                    Ok(()) => sessions.update(|list| {
                        if let Some(list) = list {
                            list.retain(|s| s.id != id);
                        }
                    }),
                    Err(f) => error.set(Some(f.into())),
                }
            });
        }
    };
    let to = RwSignal::new(String::new());
    let keep_link = RwSignal::new(false);
    let hand_over = {
        let id = s.id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let name = to.get_untracked().trim().to_owned();
            if name.is_empty() {
                return;
            }
            let question = trf(Key::ConfirmHandOver, &[("name", &name)]);
            if !window().confirm_with_message(&question).unwrap_or(false) {
                return;
            }
            let url = format!("/api/sessions/{id}/owner");
            let body = HandOver {
                account: name,
                new_link: !keep_link.get_untracked(),
            };
            leptos::task::spawn_local(async move {
                match api::put::<_, HandedOver>(&url, None, &body).await {
                    Ok(done) => {
                        error.set(None);
                        status.set(Some(done.owner));
                        reload.run(());
                    }
                    Err(f) => error.set(Some(f.into())),
                }
            });
        }
    };
    // Every text of the row follows the language, as the rest of the page does.
    let ended = s.ended_at.is_some();
    let state = move || {
        if ended {
            t(lang.get(), Key::SessionEnded)
        } else {
            ""
        }
    };
    let members = s.members as u64;
    let members = move || tn(lang.get(), Counted::Members, members, &[]);
    let buttons = ExportFile::ALL
        .into_iter()
        .map(|file| {
            view! {
                <DownloadButton session=s.id.clone() token=String::new() file=file.name().to_owned()
                    code=s.code.clone() label=Signal::derive(move || tr(file.label())().to_owned())
                    error=error/>
            }
        })
        .collect_view();
    let input = format!("hand-over-{}", s.id);
    view! {
        <li class="session-row" data-code=s.code.clone()>
            <h3 id=heading.clone()>{title} " · " <span class="join-code">{s.code.clone()}</span></h3>
            <p>{date(s.created_at)} " · " {members} " " {state}</p>
            {s.owner.map(|name| view! { <p class="owner">{move || tf(lang.get(), Key::SessionOwner, &[("name", &name)])}</p> })}
            <div class="controls">
                <button type="button" class="primary open-console" aria-describedby=heading.clone()
                    on:click=open>{tr(Key::OpenConsole)}</button>
                {buttons}
            </div>
            <details class="hand-over">
                <summary aria-describedby=heading.clone()>{tr(Key::HandOver)}</summary>
                <form class="stack" on:submit=hand_over>
                    <label for=input.clone()>{tr(Key::HandOverTo)}</label>
                    <input id=input type="text" list="account-names" required maxlength="64"
                        autocomplete="off" autocapitalize="off" spellcheck="false"
                        prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                    <label class="choice">
                        <input type="checkbox" prop:checked=move || keep_link.get()
                            on:change=move |ev| keep_link.set(event_target_checked(&ev))/>
                        <span>{tr(Key::KeepLink)}</span>
                    </label>
                    <button type="submit" aria-describedby=heading.clone()>{tr(Key::HandOverButton)}</button>
                </form>
            </details>
            <p><button type="button" class="danger delete-session" aria-describedby=heading
                on:click=delete>{tr(Key::DeleteSession)}</button></p>
        </li>
    }
}

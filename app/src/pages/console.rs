//! `/f/{id}#token`: the facilitator's console: the join code, the agenda with planned and actual
//! minutes, and the controls. The token arrives in the URL fragment (never sent to a server),
//! is kept on this device, and removed from the address bar.

use leptos::prelude::*;

use crate::ErrorAlert;
use send_wrapper::SendWrapper;
use serde::{Deserialize, Serialize};

use crate::agenda_ui::{BlockClock, format_duration, step_title, use_agenda, use_server_clock};
use crate::api::{self, tokens};
use crate::i18n::{Key, LanguageSwitch, tr, use_lang};
use crate::pages::join::failure_text;

#[derive(Clone, Deserialize)]
struct Member {
    name: String,
    role: String,
}

#[derive(Clone, Deserialize)]
struct DraaiboekRoles {
    roles: Vec<draaiboeken::draaiboek::Role>,
}

#[derive(Clone, Deserialize)]
struct SessionInfo {
    code: String,
    members: Vec<Member>,
    draaiboek: DraaiboekRoles,
}

impl SessionInfo {
    /// The role's name in `lang`, or its id if the draaiboek doesn't know it.
    fn role_name(&self, id: &str, lang: crate::i18n::Lang) -> String {
        self.draaiboek
            .roles
            .iter()
            .find(|r| r.id == id)
            .map_or(id, |r| r.name.get(lang == crate::i18n::Lang::En))
            .to_owned()
    }
}

#[derive(Serialize)]
struct Command {
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    minutes: Option<u32>,
}

fn token_from_fragment(id: &str) -> Option<String> {
    let location = window().location();
    let hash = location.hash().ok()?;
    let token = hash.strip_prefix('#').filter(|t| !t.is_empty())?.to_owned();
    tokens::save(id, &token);
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("/f/{id}")),
        );
    }
    Some(token)
}

#[component]
pub fn ConsolePage(id: String) -> impl IntoView {
    let Some(token) = token_from_fragment(&id).or_else(|| tokens::load(&id)) else {
        return view! {
            <main class="join"><p class="error" role="alert">{tr(Key::NoToken)}</p></main>
        }
        .into_any();
    };
    let lang = use_lang();
    let (_client, agenda) = use_agenda(&id, &token);
    let now = use_server_clock();
    let info = RwSignal::new(None::<SessionInfo>);
    let error = RwSignal::new(None::<String>);
    let refresh = {
        let (id, token) = (id.clone(), token.clone());
        move || {
            let (id, token) = (id.clone(), token.clone());
            leptos::task::spawn_local(async move {
                match api::get::<SessionInfo>(&format!("/api/sessions/{id}"), Some(&token)).await {
                    Ok(i) => info.set(Some(i)),
                    Err(f) => error.set(Some(failure_text(&f, lang.get_untracked()))),
                }
            });
        }
    };
    refresh();
    // The participant list follows joins every few seconds.
    let poll = SendWrapper::new(refresh.clone());
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let refresh = &*poll;
            refresh();
        },
        std::time::Duration::from_secs(5),
    ) {
        on_cleanup(move || handle.clear());
    }
    let send = SendWrapper::new({
        let (id, token) = (id.clone(), token.clone());
        move |action: &'static str, minutes: Option<u32>| {
            let (id, token) = (id.clone(), token.clone());
            leptos::task::spawn_local(async move {
                let body = Command { action, minutes };
                match api::post::<_, serde_json::Value>(
                    &format!("/api/sessions/{id}/agenda"),
                    Some(&token),
                    &body,
                )
                .await
                {
                    Ok(_) => error.set(None),
                    Err(f) => error.set(Some(failure_text(&f, lang.get_untracked()))),
                }
            });
        }
    });
    let button = move |key: Key, action: &'static str, minutes: Option<u32>| {
        let send = send.clone();
        view! { <button type="button" class="control" data-action=action on:click=move |_| send(action, minutes)>{tr(key)}</button> }
    };
    let state = Memo::new(move |_| {
        agenda.get().map(|a| {
            (
                a.state.current.is_some(),
                a.state.ended,
                a.state.running_since.is_some(),
            )
        })
    });
    let rows = move || {
        let Some(a) = agenda.get() else {
            return Vec::new();
        };
        let v = a.view(now.get());
        a.steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let current = v.current == Some(i);
                let planned = format_duration(v.steps[i].planned_ms);
                let actual = v.steps[i]
                    .actual_ms
                    .map(format_duration)
                    .unwrap_or_else(|| "–".into());
                let title = step_title(s, lang.get());
                view! {
                    <tr class:current=current aria-current=move || current.then_some("step")>
                        <td>{title}</td><td class="num">{planned}</td><td class="num">{actual}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let code = move || info.get().map(|i| i.code).unwrap_or_default();
    view! {
        <header class="bar">
            <h1 class="brand">{tr(Key::AppName)}</h1>
            <p class="room-name">{tr(Key::JoinCodeIs)} " " <strong class="join-code">{code}</strong></p>
            <a class="projector-link" href=format!("/p/{id}") target="_blank">{tr(Key::OpenProjector)}</a>
            <LanguageSwitch/>
        </header>
        <main class="console">
            <BlockClock agenda=agenda now=now/>
            <ErrorAlert error=error/>
            <div class="controls" role="group" aria-label=tr(Key::AgendaHeading)>
                {move || match state.get() {
                    None => ().into_any(),
                    Some((false, _, _)) => button(Key::BeginSession, "start", None).into_any(),
                    Some((_, true, _)) => ().into_any(),
                    Some((true, false, running)) => view! {
                        {button(Key::PreviousBlock, "back", None)}
                        {if running { button(Key::PauseTimer, "pause", None) } else { button(Key::ResumeTimer, "resume", None) }}
                        {button(Key::PlusOne, "extend", Some(1))}
                        {button(Key::PlusFive, "extend", Some(5))}
                        {button(Key::NextBlock, "next", None)}
                    }.into_any(),
                }}
            </div>
            <section aria-labelledby="agenda-heading">
                <h2 id="agenda-heading">{tr(Key::AgendaHeading)}</h2>
                <table class="agenda">
                    <thead><tr><th scope="col"></th><th scope="col">{tr(Key::Planned)}</th><th scope="col">{tr(Key::Actual)}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
            <section aria-labelledby="members-heading">
                <h2 id="members-heading">{tr(Key::Members)}</h2>
                <ul class="members">
                    {move || info.get().map(|i| i.members.iter().map(|m| {
                        let role = i.role_name(&m.role, lang.get());
                        view! { <li>{m.name.clone()} " (" {role} ")"</li> }
                    }).collect_view())}
                </ul>
            </section>
        </main>
    }
    .into_any()
}

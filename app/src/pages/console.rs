//! `/f/{id}#token`: the facilitator's console: the join code, the agenda with planned and actual
//! minutes, and the controls. The token arrives in the URL fragment (never sent to a server),
//! is kept on this device, and removed from the address bar.

mod groups;
use groups::GroupsPanel;
pub(crate) use groups::member_choices;
use leptos::prelude::*;

use crate::ErrorAlert;
use send_wrapper::SendWrapper;
use serde::{Deserialize, Serialize};

use draaiboeken::export::{BoardPicture, ExportFile, PictureFormat};
use draaiboeken::sessie::{ControlCommand, MemberInfo, SessionDoc};
use yrs::{Map, Transact};

use crate::agenda_ui::{
    Agenda, BlockClock, FacilitatorGuide, format_duration, step_title, use_agenda, use_server_clock,
};
use crate::api::{self, tokens};
use crate::board_ui::{doc_url, use_board};
use crate::export_ui::DownloadButton;
use crate::i18n::{Counted, Key, LanguageSwitch, rich, tr, trf, trn, use_lang};
use crate::sync::SyncClient;
use crate::werkvorm::{self, ConsoleCtx, PanelCtx};
use draaiboeken::draaiboek::Role;

#[derive(Clone, Deserialize)]
struct DraaiboekRoles {
    roles: Vec<draaiboeken::draaiboek::Role>,
}

#[derive(Clone, Deserialize)]
struct SessionInfo {
    code: String,
    draaiboek: DraaiboekRoles,
}

impl SessionInfo {
    /// The role's name in `lang`, or its id if the draaiboek doesn't know it.
    fn role_name(&self, id: &str, lang: crate::i18n::Lang) -> String {
        self.draaiboek
            .roles
            .iter()
            .find(|r| r.id == id)
            .map_or(id, |r| r.name.get(lang))
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
            <main class="join">
                <p class="error" role="alert">{tr(Key::NoToken)}</p>
                <p><a href="/o">{tr(Key::ConsoleFromAccount)}</a></p>
            </main>
        }
        .into_any();
    };
    let lang = use_lang();
    let (_client, agenda) = use_agenda(&id, &token);
    let session_lang = crate::i18n::provide_session_lang(agenda);
    let now = use_server_clock();
    let info = RwSignal::new(None::<SessionInfo>);
    let error = RwSignal::new(None::<crate::Problem>);
    let refresh = {
        let (id, token) = (id.clone(), token.clone());
        move || {
            let (id, token) = (id.clone(), token.clone());
            leptos::task::spawn_local(async move {
                match api::get::<SessionInfo>(&format!("/api/sessions/{id}"), Some(&token)).await {
                    Ok(i) => info.set(Some(i)),
                    Err(f) => error.set(Some(f.into())),
                }
            });
        }
    };
    refresh();
    let members = use_members(&id, &token);
    // A facilitator's command: posted, and a refusal shown in the console's error line.
    let post = {
        let (id, token) = (id.clone(), token.clone());
        move |what: &'static str, body: serde_json::Value| {
            let (url, token) = (format!("/api/sessions/{id}/{what}"), token.clone());
            leptos::task::spawn_local(async move {
                match api::post::<_, serde_json::Value>(&url, Some(&token), &body).await {
                    Ok(_) => error.set(None),
                    Err(f) => error.set(Some(f.into())),
                }
            });
        }
    };
    let send = SendWrapper::new({
        let post = post.clone();
        move |action: &'static str, minutes: Option<u32>| {
            post(
                "agenda",
                serde_json::to_value(Command { action, minutes }).unwrap_or_default(),
            );
        }
    });
    let control = SendWrapper::new(move |body: ControlCommand| {
        post("control", serde_json::to_value(body).unwrap_or_default());
    });
    // What the werkvormen' panels work with.
    let panel = PanelCtx {
        session: id.clone(),
        token: token.clone(),
        agenda,
        now,
        members,
        control: Callback::new({
            let control = control.clone();
            move |body| control(body)
        }),
    };
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
    let roles = Signal::derive(move || info.get().map(|i| i.draaiboek.roles).unwrap_or_default());
    view! {
        <header class="bar">
            <h1 class="brand">{tr(Key::AppName)}</h1>
            <p class="room-name">{rich(Key::JoinWithCode, move |_| view! { <strong class="join-code">{code}</strong> })}</p>
            <a class="projector-link" href=format!("/p/{id}") target="_blank">{tr(Key::OpenProjector)}</a>
            <LanguageSwitch/>
        </header>
        <main class="console">
            <div class="console-steer">
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
            // The block's own main actions (reveal, lock) right under the agenda's, above the
            // fold.
            <BlockControls agenda=agenda control=control.clone()/>
            <FacilitatorGuide agenda=agenda/>
            <section aria-labelledby="agenda-heading">
                <h2 id="agenda-heading">{tr(Key::AgendaHeading)}</h2>
                <table class="agenda">
                    <thead><tr><th scope="col"></th><th scope="col">{tr(Key::Planned)}</th><th scope="col">{tr(Key::Actual)}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
            <crate::i18n::SessionLangSwitch lang=session_lang set=Callback::new({
                let control = control.clone();
                move |lang| control(ControlCommand::SetLang { lang })
            })/>
            <PlaceField agenda=agenda control=control.clone()/>
            <ProjectorPanel session=id.clone() token=token.clone()/>
            <WrittenSoFar session=id.clone() token=token.clone() agenda=agenda members=members/>
            </div>
            <div class="console-work">
            {werkvorm::console_panels(panel.clone())}
            <Moderation session=id.clone() token=token.clone() agenda=agenda roles=roles members=members/>
            <GroupsPanel agenda=agenda members=members control=control.clone()/>
            {werkvorm::console_preparations(panel)}
            <ExportPanel session=id.clone() token=token.clone() code=Signal::derive(code) agenda=agenda control=control.clone() error=error/>
            <LinkPanel session=id.clone() token=token.clone() error=error/>
            <crate::lifecycle_ui::EndPanel session=id.clone() token=token.clone() error=error/>
            <section aria-labelledby="members-heading">
                <h2 id="members-heading">{tr(Key::Members)}</h2>
                <ul class="members">
                    {move || {
                        let groups = agenda.get().map(|a| a.control.groups).unwrap_or_default();
                        members.get().into_iter().map(|m| {
                            let role = info.get().map(|i| i.role_name(&m.role, lang.get())).unwrap_or_else(|| m.role.clone());
                            let group = groups.get(&m.id).copied();
                            view! {
                                <li class:online=m.online data-member=m.id.clone()>
                                    <span class="presence" aria-hidden="true"></span>
                                    <bdi>{m.name.clone()}</bdi> " (" {role} ") — "
                                    {if m.online { tr(Key::Online)() } else { tr(Key::OfflineMember)() }}
                                    {group.map(|g| view! { " · " {move || trf(Key::Group, &[("n", &g)])} })}
                                    " "
                                    <RemoveMember session=id.clone() token=token.clone() member=m.id.clone() name=m.name.clone() error=error/>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ul>
            </section>
            </div>
        </main>
    }
    .into_any()
}

/// Where the session is held, for the report (saved when the field is left).
#[component]
fn PlaceField(
    agenda: Memo<Option<Agenda>>,
    control: SendWrapper<impl Fn(ControlCommand) + Clone + 'static>,
) -> impl IntoView {
    let place = Memo::new(move |_| agenda.get().and_then(|a| a.control.place));
    view! {
        <p class="stack place">
            <label for="session-place">{tr(Key::PlaceLabel)}</label>
            <input id="session-place" type="text" dir="auto" autocomplete="off"
                maxlength=draaiboeken::sessie::MAX_PLACE_CHARS.to_string() aria-describedby="place-hint"
                prop:value=move || place.get().unwrap_or_default()
                on:change=move |ev| control(ControlCommand::SetPlace { place: event_target_value(&ev) })/>
            <span id="place-hint" class="hint">{tr(Key::PlaceHint)}</span>
        </p>
    }
}

#[derive(Deserialize)]
struct Rotated {
    facilitator_token: String,
}

/// The facilitator's link, and making a new one when it reached the wrong hands. The console
/// opens again with the new token (every screen on the old one is disconnected by the server)
/// and shows the new link once, to open on the other screens.
#[component]
fn LinkPanel(
    session: String,
    token: String,
    error: RwSignal<Option<crate::Problem>>,
) -> impl IntoView {
    let just_made = window()
        .location()
        .search()
        .is_ok_and(|q| q.contains("nieuwe-link"));
    let shown = just_made.then(|| {
        let origin = window().location().origin().unwrap_or_default();
        format!("{origin}/f/{session}#{token}")
    });
    if just_made {
        // Once: the link is not left in the address bar or the history.
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("/f/{session}")),
            );
        }
    }
    let rotate = move |_| {
        let sure = window()
            .confirm_with_message(tr(Key::ConfirmNewLink)())
            .unwrap_or(false);
        if !sure {
            return;
        }
        let (session, token) = (session.clone(), token.clone());
        leptos::task::spawn_local(async move {
            let url = format!("/api/sessions/{session}/rotate");
            match api::post::<_, Rotated>(&url, Some(&token), &serde_json::json!({})).await {
                Ok(r) => {
                    tokens::save(&session, &r.facilitator_token);
                    let _ = window()
                        .location()
                        .set_href(&format!("/f/{session}?nieuwe-link"));
                }
                Err(f) => error.set(Some(f.into())),
            }
        });
    };
    view! {
        <section class="link-panel" aria-labelledby="link-heading">
            <h2 id="link-heading">{tr(Key::LinkHeading)}</h2>
            {shown.map(|link| view! {
                <p role="status">{tr(Key::NewLinkMade)}</p>
                <input id="new-link" class="new-link" type="text" readonly value=link
                    aria-label=tr(Key::LinkHeading)/>
            })}
            <p class="hint">{tr(Key::LinkHint)}</p>
            <button type="button" on:click=rotate>{tr(Key::MakeNewLink)}</button>
        </section>
    }
}

/// Takes a member out of the session, after a confirmation: their name goes everywhere, their
/// notes stay without it (the API can also delete them).
#[component]
fn RemoveMember(
    session: String,
    token: String,
    member: String,
    name: String,
    error: RwSignal<Option<crate::Problem>>,
) -> impl IntoView {
    let label = {
        let name = name.clone();
        move || trf(Key::RemoveMember, &[("name", &name)])
    };
    let remove = move |_| {
        let question = trf(Key::ConfirmRemoveMember, &[("name", &name)]);
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        let url = format!("/api/sessions/{session}/members/{member}?notes=anonymous");
        let token = token.clone();
        leptos::task::spawn_local(async move {
            if let Err(f) = api::delete(&url, Some(&token)).await {
                error.set(Some(f.into()));
            }
        });
    };
    view! {
        <button type="button" class="link-button remove-member" on:click=remove>{label}</button>
    }
}

#[derive(Clone, Deserialize)]
struct ProjectorLink {
    code: String,
}

#[derive(Clone, Deserialize)]
struct JoinAddress {
    base_url: String,
}

/// How the room's screen gets the session: on this computer with the link, on the venue's
/// computer with the projector code typed at `/p` (read only, no controls).
#[component]
fn ProjectorPanel(session: String, token: String) -> impl IntoView {
    let link = RwSignal::new(None::<(String, String)>);
    {
        let session = session.clone();
        leptos::task::spawn_local(async move {
            let url = format!("/api/sessions/{session}/projector");
            let (Ok(l), Ok(a)) = (
                api::get::<ProjectorLink>(&url, Some(&token)).await,
                api::get::<JoinAddress>("/api/join-address", None).await,
            ) else {
                return;
            };
            link.set(Some((l.code, format!("{}/p", a.base_url))));
        });
    }
    view! {
        <section class="projector-panel" aria-labelledby="projector-heading">
            <h2 id="projector-heading">{tr(Key::ProjectorHeading)}</h2>
            <p><a href=format!("/p/{session}") target="_blank">{tr(Key::OpenProjector)}</a></p>
            {move || link.get().map(|(code, url)| view! {
                <p class="hint">{move || trf(Key::ProjectorElsewhere, &[("url", &url)])}</p>
                <p class="projector-pair-code" aria-label=tr(Key::ProjectorCodeLabel)><strong>{code}</strong></p>
            })}
        </section>
    }
}

/// The members, their roles and who is online, from the facilitator's members document.
fn use_members(session: &str, token: &str) -> Memo<Vec<MemberInfo>> {
    let client = SyncClient::connect(doc_url(session, &SessionDoc::Members, token));
    let version = client.version;
    let doc = SendWrapper::new(client.doc().clone());
    let closer = SendWrapper::new(client);
    on_cleanup(move || closer.close());
    Memo::new(move |_| {
        version.track();
        let map = doc.get_or_insert_map("leden");
        let txn = doc.transact();
        let mut members: Vec<MemberInfo> = map
            .iter(&txn)
            .filter_map(|(_, v)| serde_json::from_str(&v.to_string(&txn)).ok())
            .collect();
        members.sort_by(|a, b| a.joined_at.cmp(&b.joined_at).then_with(|| a.id.cmp(&b.id)));
        draaiboeken::sessie::distinct_names(&mut members);
        members
    })
}

/// Reveal, lock and the join code on the projector, for the current block.
#[component]
fn BlockControls(
    agenda: Memo<Option<Agenda>>,
    control: SendWrapper<impl Fn(ControlCommand) + Clone + 'static>,
) -> impl IntoView {
    let state = Memo::new(move |_| {
        let a = agenda.get()?;
        let (step, s) = a.running()?;
        let has_board = s.werkvorm.is_some_and(|w| w.rules().participants_write);
        Some((
            step,
            has_board && s.private,
            a.control.revealed.contains(&step),
            has_board,
            a.control.locked.contains(&step),
            a.control.show_code,
        ))
    });
    move || {
        let (c1, c2, c3) = (control.clone(), control.clone(), control.clone());
        let show_code = state.get().is_some_and(|s| s.5);
        let code_button = view! {
            <button type="button" data-action="show_code" aria-pressed=show_code.to_string()
                on:click=move |_| c3(ControlCommand::ShowCode { show: !show_code })>
                {if show_code { tr(Key::HideCode)() } else { tr(Key::ShowCode)() }}
            </button>
        };
        let Some((step, private, revealed, has_board, locked, _)) = state.get() else {
            return view! { <div class="controls">{code_button}</div> }.into_any();
        };
        view! {
            <div class="controls" role="group">
                {(private && !revealed).then(|| view! {
                    <button type="button" class="reveal" data-action="reveal"
                        on:click=move |_| c1(ControlCommand::Reveal { step })>{tr(Key::Reveal)}</button>
                })}
                {(private && revealed).then(|| view! { <p class="revealed">{tr(Key::RevealedNote)}</p> })}
                {has_board.then(|| view! {
                    <button type="button" data-action="lock" aria-pressed=locked.to_string()
                        on:click=move |_| c2(ControlCommand::Lock { step, locked: !locked })>
                        {if locked { tr(Key::Unlock)() } else { tr(Key::Lock)() }}
                    </button>
                })}
                {code_button}
            </div>
        }
        .into_any()
    }
}

/// The current block's board in the facilitator's hands (per group in a group block).
#[component]
fn Moderation(
    session: String,
    token: String,
    agenda: Memo<Option<Agenda>>,
    roles: Signal<Vec<Role>>,
    members: Memo<Vec<MemberInfo>>,
) -> impl IntoView {
    let chosen_group = RwSignal::new(None::<u32>);
    let target = Memo::new(move |_| {
        let a = agenda.get()?;
        let (step, s) = a.running()?;
        let werkvorm = s.werkvorm?;
        if !werkvorm.rules().participants_write {
            return None;
        }
        // A check-in's words are read on the one board.
        let groups: Vec<u32> = if werkvorm.rules().one_word {
            Vec::new()
        } else {
            a.control.boards_of(s).into_iter().flatten().collect()
        };
        // Someone in no group (a latecomer) writes on the room-wide board: offer it then.
        let ungrouped = !groups.is_empty()
            && members
                .get()
                .iter()
                .any(|m| !a.control.groups.contains_key(&m.id));
        Some((step, werkvorm, groups, ungrouped))
    });
    let picker = move || {
        let (_, werkvorm, groups, ungrouped) = target.get()?;
        if groups.is_empty() {
            return None;
        }
        let name = if werkvorm.rules().in_pairs {
            Key::Pair
        } else {
            Key::Group
        };
        let shown = shown_group(chosen_group.get(), &groups);
        let options = groups
            .iter()
            .map(|g| view! { <option value=g.to_string() selected=shown == Some(*g)>{trf(name, &[("n", g)])}</option> })
            .collect_view();
        Some(view! {
            <label class="inline">{tr(Key::BoardOf)}
                <select on:change=move |ev| chosen_group.set(event_target_value(&ev).parse().ok())>
                    {options}
                    {ungrouped.then(|| view! { <option value=NO_GROUP.to_string() selected=shown.is_none()>{tr(Key::NoGroup)}</option> })}
                </select>
            </label>
        })
    };
    let board = Memo::new(move |_| {
        let (step, werkvorm, groups, ungrouped) = target.get()?;
        let group = if ungrouped && chosen_group.get() == Some(NO_GROUP) {
            None
        } else {
            shown_group(chosen_group.get(), &groups)
        };
        Some((SessionDoc::Board { step, group }, werkvorm))
    });
    view! {
        {picker}
        {move || board.get().map(|(doc, werkvorm)| {
            let live = use_board(&session, &doc, &token);
            werkvorm::console(ConsoleCtx { werkvorm, live, roles: roles.get(), members })
        })}
    }
}

/// The menu's value for the room-wide board of a group block (no group is numbered 0).
const NO_GROUP: u32 = 0;

/// The group whose board the console shows: the one picked, while it exists; else the first.
/// In a group block everyone writes on a group's board, so the room-wide one is never shown.
fn shown_group(chosen: Option<u32>, groups: &[u32]) -> Option<u32> {
    chosen
        .filter(|g| groups.contains(g))
        .or_else(|| groups.first().copied())
}

#[derive(Clone, Default, PartialEq, serde::Deserialize)]
struct Written {
    step: Option<usize>,
    written: std::collections::BTreeMap<String, usize>,
}

/// While people write privately: who has written so far (not what), checked every few
/// seconds, so the facilitator reveals when everyone is in.
#[component]
fn WrittenSoFar(
    session: String,
    token: String,
    agenda: Memo<Option<Agenda>>,
    members: Memo<Vec<MemberInfo>>,
) -> impl IntoView {
    let waiting = Memo::new(move |_| {
        agenda.get().and_then(|a| {
            let step = a.current()?;
            (a.steps.get(step)?.private && !a.control.revealed.contains(&step)).then_some(step)
        })
    });
    let written = RwSignal::new(Written::default());
    let poll = SendWrapper::new(move || {
        if waiting.get_untracked().is_none() {
            return;
        }
        let (session, token) = (session.clone(), token.clone());
        leptos::task::spawn_local(async move {
            if let Ok(w) =
                api::get::<Written>(&format!("/api/sessions/{session}/written"), Some(&token)).await
            {
                written.set(w);
            }
        });
    });
    let poll = std::rc::Rc::new(poll);
    {
        let poll = poll.clone();
        Effect::new(move |_| {
            if waiting.get().is_some() {
                poll();
            }
        });
    }
    if let Ok(handle) = set_interval_with_handle(
        {
            let poll = SendWrapper::new(poll);
            move || poll()
        },
        std::time::Duration::from_secs(2),
    ) {
        on_cleanup(move || handle.clear());
    }
    move || {
        let step = waiting.get()?;
        let w = written.get();
        let w = if w.step == Some(step) {
            w.written
        } else {
            Default::default()
        };
        let all = members.get();
        let done = all
            .iter()
            .filter(|m| w.get(&m.id).is_some_and(|n| *n > 0))
            .count();
        let names = all
            .iter()
            .map(|m| {
                let ok = w.get(&m.id).is_some_and(|n| *n > 0);
                view! { <li class:done=ok><bdi>{m.name.clone()}</bdi> {if ok { " ✓" } else { " …" }}</li> }
            })
            .collect_view();
        Some(view! {
            <section class="written" aria-live="polite">
                <p class="written-count">{trn(Counted::Written, done, &[("total", &all.len())])}</p>
                <ul class="written-names">{names}</ul>
            </section>
        })
    }
}

/// Downloads of what the session produced so far: the report, the spreadsheet, the data.
#[component]
fn ExportPanel(
    session: String,
    token: String,
    code: Signal<String>,
    agenda: Memo<Option<Agenda>>,
    control: SendWrapper<impl Fn(ControlCommand) + Clone + 'static>,
    error: RwSignal<Option<crate::Problem>>,
) -> impl IntoView {
    let lang = use_lang();
    let buttons = ExportFile::ALL
        .into_iter()
        .map(|file| {
            view! {
                <DownloadButton session=session.clone() token=token.clone() file=file.name().to_owned()
                    code=code label=Signal::derive(move || tr(file.label())().to_owned()) error=error/>
            }
        })
        .collect_view();
    // Pictures: one per board of every block that has started (per group in group blocks).
    let pictures = move || {
        let a = agenda.get()?;
        let current = a.state.current?;
        let rows = a
            .steps
            .iter()
            .enumerate()
            .take(current + 1)
            .filter(|(i, s)| {
                s.werkvorm.is_some_and(|w| w.rules().participants_write)
                    && (!s.private || a.control.revealed.contains(i))
            })
            .map(|(i, s)| {
                let title = step_title(s, lang.get());
                let buttons = a
                    .control
                    .boards_of(s)
                    .into_iter()
                    .flat_map(|g| {
                        PictureFormat::ALL.map(|format| {
                            let file = BoardPicture { step: i, group: g, format }.name();
                            let ext = format.extension().to_uppercase();
                            let label = match g {
                                Some(g) => format!("{} ({ext})", trf(Key::Group, &[("n", &g)])),
                                None => ext,
                            };
                            view! {
                                <DownloadButton session=session.clone() token=token.clone() file=file
                                    code=code label=label error=error/>
                            }
                        })
                    })
                    .collect_view();
                view! { <li><span>{title}</span> " " {buttons}</li> }
            })
            .collect_view();
        Some(view! {
            <details class="pictures">
                <summary>{tr(Key::BoardPictures)}</summary>
                <ul class="picture-list">{rows}</ul>
            </details>
        })
    };
    let anonymous = Memo::new(move |_| agenda.get().is_some_and(|a| a.control.anonymous));
    view! {
        <section class="export" aria-labelledby="export-heading">
            <h2 id="export-heading">{tr(Key::ExportHeading)}</h2>
            <p class="hint">{tr(Key::ExportHint)}</p>
            <div class="controls">{buttons}</div>
            {pictures}
            <label class="choice">
                <input type="checkbox" prop:checked=move || anonymous.get()
                    on:change=move |ev| control(ControlCommand::SetAnonymous { anonymous: event_target_checked(&ev) })/>
                <span>{tr(Key::Anonymous)}</span>
            </label>
        </section>
    }
}

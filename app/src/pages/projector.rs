//! `/p/{id}`: the projector. No controls: the join code and QR code (while people join, or when
//! the facilitator asks), the current block with a large timer, and the block's board (the
//! check-in's word cloud, one group's board or all), readable from the back of the room. It
//! opens on the facilitator's computer with the token kept there, or on any computer with the
//! projector's own token: from its link's fragment, or from the projector code typed at `/p`
//! ([`ProjectorCodePage`]). That token reads what the room may see and steers nothing.

use draaiboeken::sessie::SessionDoc;
use draaiboeken::werkvorm::Werkvorm;
use leptos::prelude::*;
use serde::Deserialize;

use crate::agenda_ui::{BlockClock, step_title, use_agenda, use_server_clock};
use crate::api::{self, tokens};
use crate::board_ui::use_board;
use crate::fit::{Shown, use_fit};
use crate::i18n::{InLanguage, Key, provide_session_lang, t, tf, tr, trf, use_lang};
use crate::qr::QrCode;
use crate::werkvorm::{self, ProjectorCtx, StatusCtx};

/// What the projector shows of the current block's boards.
#[derive(Debug, Clone, PartialEq)]
enum ProjectorBoard {
    /// Private writing: nothing to show until the reveal.
    Waiting,
    /// One board for the whole room, shown bare (the check-in's words).
    Single(Werkvorm, SessionDoc),
    /// One board, or one per group (or pair), shown as the werkvorm shows it.
    Boards {
        werkvorm: Werkvorm,
        pairs: bool,
        boards: Vec<(Option<u32>, SessionDoc)>,
    },
    /// The plenary round: the boards of the group that has the floor, from earlier blocks.
    Plenary(Vec<(usize, Werkvorm, SessionDoc)>),
    /// A 1-op-1: which pair talks about which project, and the questions; their summaries are
    /// theirs (the core refuses the projector their boards).
    Pairs {
        pairs: Vec<(u32, String)>,
        questions: Vec<draaiboeken::draaiboek::Text>,
    },
}

#[derive(Clone, Deserialize)]
struct JoinAddress {
    base_url: String,
    problem: Option<String>,
}

#[derive(Clone, Deserialize)]
struct Roles {
    roles: Vec<draaiboeken::draaiboek::Role>,
}

#[derive(Clone, Deserialize)]
struct SessionInfo {
    code: String,
    draaiboek: Roles,
}

/// The projector token in the address's fragment (a projector link), kept and taken out of
/// the address bar.
fn token_from_fragment(id: &str) -> Option<String> {
    let hash = window().location().hash().ok()?;
    let token = hash.strip_prefix('#').filter(|t| !t.is_empty())?.to_owned();
    tokens::save_projector(id, &token);
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("/p/{id}")),
        );
    }
    Some(token)
}

#[component]
pub fn ProjectorPage(id: String) -> impl IntoView {
    let token = token_from_fragment(&id)
        .or_else(|| tokens::load_projector(&id))
        .or_else(|| tokens::load(&id));
    let Some(token) = token else {
        return view! {
            <main class="join">
                <p class="error" role="alert">{tr(Key::NoProjectorAccess)}</p>
                <p><a class="button" href="/p">{tr(Key::EnterProjectorCode)}</a></p>
            </main>
        }
        .into_any();
    };
    let (_agenda_client, agenda) = use_agenda(&id, &token);
    let now = use_server_clock();
    let address = RwSignal::new(None::<JoinAddress>);
    let code = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::new());
    {
        let (id, token) = (id.clone(), token.clone());
        leptos::task::spawn_local(async move {
            if let Ok(a) = api::get::<JoinAddress>("/api/join-address", None).await {
                address.set(Some(a));
            }
            if let Ok(s) =
                api::get::<SessionInfo>(&format!("/api/sessions/{id}"), Some(&token)).await
            {
                code.set(s.code);
                roles.set(s.draaiboek.roles);
            }
        });
    }
    let join_url = Signal::derive(move || {
        let base = address.get().map(|a| a.base_url).unwrap_or_default();
        format!("{base}/j/{}", code.get())
    });
    let qr_label = Signal::derive(move || format!("QR: {}", join_url.get()));
    let lang = use_lang();
    // The projector speaks the session's language (the console chooses it), once it is known;
    // the device's own choice is left as it was.
    provide_session_lang(agenda);
    Effect::new(move |_| {
        if let Some(a) = agenda.get() {
            lang.set(a.control.lang);
        }
    });
    let port = Memo::new(move |_| {
        address
            .get()
            .and_then(|a| a.base_url.rsplit(':').next().map(str::to_owned))
            .unwrap_or_default()
    });
    let problem = Memo::new(move |_| {
        address.get()?.problem.map(|p| match p.as_str() {
            "loopback" => Key::LoopbackOnly,
            _ => Key::NoNetwork,
        })
    });

    let board_view = Memo::new(move |_| {
        let a = agenda.get()?;
        let (step, s) = a.running()?;
        if s.werkvorm.is_some_and(|w| w.rules().gives_the_floor) {
            // The group with the floor: its boards of the earlier group blocks.
            let group = a.control.plenary.filter(|p| p.step == step)?.group;
            let boards = a.steps[..step]
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.groups.is_some()
                        && e.werkvorm
                            .is_some_and(|w| w.rules().participants_write && !w.rules().one_word)
                })
                .filter_map(|(i, e)| {
                    Some((
                        i,
                        e.werkvorm?,
                        SessionDoc::Board {
                            step: i,
                            group: Some(group),
                        },
                    ))
                })
                .collect();
            return Some(ProjectorBoard::Plenary(boards));
        }
        let werkvorm = s.werkvorm?;
        let rules = werkvorm.rules();
        if !rules.participants_write {
            return None;
        }
        if s.private && !a.control.revealed.contains(&step) {
            return Some(ProjectorBoard::Waiting);
        }
        if rules.in_pairs {
            let pairs = a
                .control
                .pair_numbers()
                .into_iter()
                .map(|p| (p, a.control.pair_names.get(&p).cloned().unwrap_or_default()))
                .collect();
            let questions = s.questions.clone();
            return Some(ProjectorBoard::Pairs { pairs, questions });
        }
        let mut groups = a.control.boards_of(s);
        if let Some(focus) = a.control.focus_group.filter(|_| groups != [None]) {
            groups = vec![Some(focus)];
        }
        let boards = groups
            .into_iter()
            .map(|group| (group, SessionDoc::Board { step, group }))
            .collect();
        Some(if rules.one_word {
            // A check-in's words are read on the one board.
            ProjectorBoard::Single(werkvorm, SessionDoc::Board { step, group: None })
        } else {
            ProjectorBoard::Boards {
                werkvorm,
                pairs: rules.in_pairs,
                boards,
            }
        })
    });
    let show_join = Memo::new(move |_| {
        agenda.get().is_none_or(|a| {
            a.control.show_code
                || a.current_step()
                    .is_none_or(|s| s.werkvorm.is_some_and(|w| w.rules().shows_join_code))
        })
    });
    // Each with the language it is in (an own draaiboek may have only Dutch).
    let prompt = Memo::new(move |_| {
        let a = agenda.get()?;
        let (t, l) = a.current_step()?.prompt.as_ref()?.shown(lang.get());
        Some((t.to_owned(), l))
    });
    // In a block without a board (a break, say), the room sees what comes after it.
    let up_next = move || {
        let a = agenda.get()?;
        let next = a.steps.get(a.current()? + 1)?;
        let title = step_title(next, lang.get());
        Some(trf(
            Key::UpNext,
            &[("title", &title), ("n", &next.planned_minutes)],
        ))
    };
    let instruction = Memo::new(move |_| {
        let a = agenda.get()?;
        let p = a.current_step()?.instructions.participants.as_ref()?;
        let (t, l) = p.shown(lang.get());
        Some((t.to_owned(), l))
    });
    let (session, token) = (id.clone(), token.clone());
    let boards = move || {
        // Rebuilt once the roles arrive, so stickers get their colours.
        roles.track();
        let (session, token) = (session.clone(), token.clone());
        board_view.get().map(move |b| match b {
            ProjectorBoard::Waiting => view! { <p class="big-message waiting">{tr(Key::WaitingForReveal)}</p> }.into_any(),
            ProjectorBoard::Single(werkvorm, doc) => {
                let live = use_board(&session, &doc, &token);
                werkvorm::projector(ProjectorCtx { werkvorm, live, roles: roles.get_untracked() })
            }
            ProjectorBoard::Boards { werkvorm, pairs, boards: list } => {
                let several = list.len() > 1;
                let name = if pairs { Key::Pair } else { Key::Group };
                list.into_iter()
                    .map(|(group, doc)| {
                        let live = use_board(&session, &doc, &token);
                        view! {
                            <section class=if several { "group-board several" } else { "group-board" }>
                                {group.map(|g| view! { <h2 class="group-name">{move || trf(name, &[("n", &g)])}</h2> })}
                                {werkvorm::projector(ProjectorCtx { werkvorm, live, roles: roles.get_untracked() })}
                            </section>
                        }
                    })
                    .collect_view()
                    .into_any()
            }
            ProjectorBoard::Pairs { pairs, questions } => {
                let pairs = pairs
                    .into_iter()
                    .map(|(n, project)| {
                        let text = if project.trim().is_empty() {
                            trf(Key::Pair, &[("n", &n)])
                        } else {
                            trf(Key::PairTalksAbout, &[("n", &n), ("name", &project)])
                        };
                        view! { <li class="postit pair-project" dir="auto">{text}</li> }
                    })
                    .collect_view();
                let questions = (!questions.is_empty()).then(|| {
                    let cards = questions
                        .iter()
                        .map(|q| {
                            let q = q.clone();
                            view! { <li class="postit question-card">{move || q.get(lang.get()).to_owned()}</li> }
                        })
                        .collect_view();
                    view! {
                        <section class="group-board several">
                            <h2 class="group-name">{tr(Key::QuestionCards)}</h2>
                            <ul class="notes">{cards}</ul>
                        </section>
                    }
                });
                view! {
                    <section class="group-board several pairs-board">
                        <p class="pairs-talking">{tr(Key::PairsTalking)}</p>
                        <ul class="notes">{pairs}</ul>
                    </section>
                    {questions}
                }
                .into_any()
            }
            ProjectorBoard::Plenary(list) => {
                let lang = lang.get_untracked();
                let a = agenda.get_untracked();
                list.into_iter()
                    .map(|(step, werkvorm, doc)| {
                        let live = use_board(&session, &doc, &token);
                        let title = a
                            .as_ref()
                            .and_then(|a| a.steps.get(step))
                            .map(|s| step_title(s, lang))
                            .unwrap_or_default();
                        view! {
                            <section class="group-board several plenary-board">
                                <h2 class="group-name">{title}</h2>
                                {werkvorm::projector(ProjectorCtx { werkvorm, live, roles: roles.get_untracked() })}
                            </section>
                        }
                    })
                    .collect_view()
                    .into_any()
            }
        })
    };

    // The wall fits the screen: smaller text, then pages that turn (see `fit`).
    let wall = NodeRef::<leptos::html::Section>::new();
    let (paused, set_paused) = signal(false);
    // A new block starts with its pages turning again.
    Effect::new(move |before: Option<Option<usize>>| {
        let block = agenda.with(|a| a.as_ref().and_then(|a| a.running().map(|(i, _)| i)));
        if before.is_some_and(|b| b != block) {
            set_paused.set(false);
        }
        block
    });
    let shown = use_fit(wall, now, paused);
    let unit = Memo::new(move |_| match board_view.get() {
        Some(ProjectorBoard::Boards { pairs: true, .. }) => Key::FitPairs,
        Some(ProjectorBoard::Plenary(_)) => Key::FitBoards,
        _ => Key::FitGroups,
    });
    let pages = move || shown.get().map(|s| pages_text(&s, unit.get(), lang.get()));

    view! {
        <main class=move || if show_join.get() { "projector" } else { "projector no-join" }>
            <aside class="join-panel" hidden=move || !show_join.get()>
                <p class="join-label">{tr(Key::JoinCodeIs)}</p>
                <p class="join-code projector-code">{move || code.get()}</p>
                <QrCode text=join_url label=qr_label/>
                <p class="join-url">{move || join_url.get()}</p>
                <p class="error" role="alert" hidden=move || problem.get().is_none()>
                    {move || problem.get().map(|k| t(lang.get(), k)).unwrap_or_default()}
                </p>
                <Show when=move || problem.get() == Some(Key::LoopbackOnly)>
                    <p><code>{move || format!("werkmuur serve --addr 0.0.0.0:{}", port.get())}</code></p>
                </Show>
            </aside>
            <div class="projector-main">
                <BlockClock agenda=agenda now=now/>
                {werkvorm::status(StatusCtx { agenda, now })}
                <Show when=move || prompt.with(Option::is_some)>
                    <InLanguage text=prompt class="projector-prompt"/>
                </Show>
                <Show when=move || board_view.get().is_none() && instruction.with(Option::is_some)>
                    <InLanguage text=instruction class="projector-instruction"/>
                </Show>
                <Show when=move || board_view.get().is_none() && up_next().is_some()>
                    <p class="projector-next">{move || up_next().unwrap_or_default()}</p>
                </Show>
                <section class="projector-wall" aria-label=tr(Key::WallHeading) node_ref=wall>
                    {boards}
                </section>
                // Under the wall, never over it: which page is on, and the one control.
                <footer class="projector-foot">
                    <p class="fit-pages" hidden=move || pages().is_none()>
                        {move || pages().unwrap_or_default()}
                    </p>
                    <div class="projector-tools">
                        // Only while there are pages to turn (or they are stopped).
                        <Show when=move || paused.get() || pages().is_some()>
                            <button type="button" class="pause-pages" on:click=move |_| set_paused.update(|p| *p = !*p)>
                                {move || t(lang.get(), if paused.get() { Key::ResumePages } else { Key::PausePages })}
                            </button>
                        </Show>
                        <button type="button" class="fullscreen" on:click=move |_| toggle_fullscreen()>{tr(Key::FullScreen)}</button>
                    </div>
                </footer>
            </div>
        </main>
    }
    .into_any()
}

/// "Groep 1–2 van 5 · Deel 1/3": which boards and which part of one the page on screen shows.
fn pages_text(s: &Shown, unit: Key, lang: draaiboeken::i18n::Lang) -> String {
    let boards = s.boards.as_ref().map(|(r, total)| {
        let shown = draaiboeken::fit::counted(r);
        tf(lang, unit, &[("groups", &shown), ("total", total)])
    });
    let part = s
        .part
        .map(|(page, pages)| tf(lang, Key::FitPart, &[("page", &page), ("pages", &pages)]));
    boards
        .into_iter()
        .chain(part)
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Full screen on (or off again): the projector's one control, since browsers only allow it
/// after a click or key press.
fn toggle_fullscreen() {
    let doc = document();
    if doc.fullscreen_element().is_some() {
        doc.exit_fullscreen();
    } else if let Some(root) = doc.document_element() {
        let _ = root.request_fullscreen();
    }
}

#[derive(Clone, Deserialize)]
struct Paired {
    session_id: String,
    token: String,
}

/// `/p`: the venue's computer types the projector code the console shows, and becomes that
/// session's projector.
#[component]
pub fn ProjectorCodePage() -> impl IntoView {
    let lang = use_lang();
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<crate::Problem>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = serde_json::json!({ "code": code.get_untracked() });
        leptos::task::spawn_local(async move {
            match api::post::<_, Paired>("/api/projector", None, &body).await {
                Ok(p) => {
                    tokens::save_projector(&p.session_id, &p.token);
                    let _ = window().location().assign(&format!("/p/{}", p.session_id));
                }
                Err(f) => {
                    error.set(Some(match &f {
                        api::ApiFailure::Refused { status: 404, .. } => {
                            crate::Problem::Said(Key::WrongProjectorCode)
                        }
                        api::ApiFailure::Refused { status: 410, .. } => {
                            crate::Problem::Said(Key::SessionOver)
                        }
                        _ => f.into(),
                    }));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <header class="bar">
            <p class="brand">{tr(Key::AppName)}</p>
            <crate::i18n::LanguageSwitch/>
        </header>
        <main class="join projector-code-page">
            <h1>{tr(Key::ProjectorCodeHeading)}</h1>
            <form on:submit=submit>
                <label for="projector-code">{tr(Key::ProjectorCodeLabel)}</label>
                <input id="projector-code" name="code" class="code-input" required
                    autocomplete="off" autocapitalize="characters" spellcheck="false"
                    maxlength="20" aria-describedby="projector-code-hint"
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))/>
                <p id="projector-code-hint" class="hint">{tr(Key::ProjectorCodeHint)}</p>
                <p class="error" role="alert" hidden=move || error.get().is_none()>
                    {move || error.get().map(|p| p.text(lang.get()))}
                </p>
                <button type="submit" disabled=move || busy.get()>{tr(Key::ShowSession)}</button>
            </form>
        </main>
    }
}

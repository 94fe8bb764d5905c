//! `/s/{id}`: a participant's phone in a session. Always the current block, its instruction
//! and the time left; below it whatever the block's werkvorm asks of this person: a word, a
//! post-it, or just listening. The screen follows the facilitator without a reload.

use draaiboeken::sessie::SessionDoc;
use draaiboeken::werkvorm::Werkvorm;
use leptos::prelude::*;
use serde::Deserialize;

use crate::agenda_ui::{BlockClock, use_agenda, use_server_clock};
use crate::api::{self, tokens};
use crate::board_ui::{ConnectionStatus, use_board};
use crate::i18n::{InLanguage, Key, LanguageSwitch, tr, use_lang};
use crate::sync::Status;
use crate::werkvorm::{self, PhoneCtx, StatusCtx};
use draaiboeken::draaiboek::Role;
use draaiboeken::sessie::CIVIL_SERVANT;

#[derive(Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum You {
    Facilitator,
    Participant { member_id: String },
}

#[derive(Clone, Deserialize)]
struct Roles {
    roles: Vec<Role>,
}

#[derive(Clone, Deserialize)]
struct MemberRole {
    id: String,
    role: String,
}

#[derive(Clone, Deserialize)]
struct Me {
    you: You,
    draaiboek: Roles,
    /// A participant sees only themselves here.
    members: Vec<MemberRole>,
}

/// What this phone needs to know about the session beside the agenda.
#[derive(Clone, Default)]
struct Context {
    roles: Vec<Role>,
    my_role: String,
}

/// What this phone shows below the clock; the view is rebuilt only when it changes.
#[derive(Debug, Clone, PartialEq)]
struct Target {
    doc: Option<SessionDoc>,
    werkvorm: Option<Werkvorm>,
    /// Participants may add post-its (not locked, not a revealed private block).
    writable: bool,
    /// The facilitator locked this block's board.
    locked: bool,
    group: Option<u32>,
    questions: Vec<draaiboeken::draaiboek::Text>,
}

#[component]
pub fn SessionPage(id: String) -> impl IntoView {
    let Some(token) = tokens::load(&id) else {
        return view! {
            <main class="join">
                <p class="error" role="alert">{tr(Key::NoToken)}</p>
                <p class="home-link"><a href="/">{tr(Key::Home)}</a></p>
            </main>
        }
        .into_any();
    };
    let lang = use_lang();
    let (agenda_client, agenda) = use_agenda(&id, &token);
    crate::i18n::provide_session_lang(agenda);
    // Connected means both: the agenda, and the board this block writes on.
    let agenda_status = agenda_client.status;
    let board_status = RwSignal::new(None::<Status>);
    let status = Signal::derive(move || match (agenda_status.get(), board_status.get()) {
        (Status::Online, Some(board)) => board,
        (agenda, _) => agenda,
    });
    let now = use_server_clock();
    let me = RwSignal::new(tokens::load_member(&id));
    let context = RwSignal::new(None::<Context>);
    {
        let (id, token) = (id.clone(), token.clone());
        leptos::task::spawn_local(async move {
            if let Ok(Me {
                you: You::Participant { member_id },
                draaiboek,
                members,
            }) = api::get::<Me>(&format!("/api/sessions/{id}"), Some(&token)).await
            {
                tokens::save_member(&id, &member_id);
                let my_role = members
                    .into_iter()
                    .find(|m| m.id == member_id)
                    .map(|m| m.role)
                    .unwrap_or_default();
                context.set(Some(Context {
                    roles: draaiboek.roles,
                    my_role,
                }));
                me.set(Some(member_id));
            }
        });
    }
    // Each with the language it is in: an own draaiboek without this phone's language shows
    // (and reads aloud) its Dutch.
    let instruction = Memo::new(move |_| {
        let a = agenda.get()?;
        let step = a.current_step()?;
        let text = step.instructions.participants.as_ref()?;
        let (t, l) = text.shown(lang.get());
        Some((t.to_owned(), l))
    });
    let prompt = Memo::new(move |_| {
        let a = agenda.get()?;
        let p = a.current_step()?.prompt.as_ref()?;
        let (t, l) = p.shown(lang.get());
        Some((t.to_owned(), l))
    });
    let read = Memo::new(move |_| {
        [prompt.get(), instruction.get()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
    });
    let target = Memo::new(move |_| {
        let a = agenda.get()?;
        let me = me.get()?;
        let (step, s) = a.running()?;
        let doc = a.control.board_for(&a.steps, step, &me);
        Some(Target {
            writable: !a.control.locked.contains(&step)
                && !matches!(doc, Some(SessionDoc::Board { .. }) if s.private
                    && !s.werkvorm.is_some_and(|w| w.rules().arrange_after_reveal)),
            locked: a.control.locked.contains(&step),
            group: a.control.board_group(s, &me),
            werkvorm: s.werkvorm,
            questions: s.questions.clone(),
            doc,
        })
    });
    let (session, token2) = (id.clone(), token.clone());
    view! {
        <header class="bar">
            <h1 class="brand">{tr(Key::AppName)}</h1>
            <ConnectionStatus status=status/>
            <LanguageSwitch/>
        </header>
        <main class="phone">
            <BlockClock agenda=agenda now=now/>
            <Show when=move || prompt.with(Option::is_some)>
                <section class="prompt">
                    <h2>{tr(Key::Question)}</h2>
                    <InLanguage text=prompt/>
                </section>
            </Show>
            <Show when=move || instruction.with(Option::is_some)>
                <section class="instruction">
                    <h2>{tr(Key::Instruction)}</h2>
                    <InLanguage text=instruction/>
                </section>
            </Show>
            <crate::speech::ReadAloud texts=read/>
            {werkvorm::status(StatusCtx { agenda, now })}
            {move || target.get().map(|t| {
                let context = context.get().unwrap_or_default();
                view! { <PhoneBoard session=session.clone() token=token2.clone() member=me.get_untracked().unwrap_or_default() target=t context=context board_status=board_status/> }
            })}
            <p class="home-link"><a href="/">{tr(Key::Home)}</a></p>
        </main>
    }
    .into_any()
}

/// The block's board on this phone, as its werkvorm shows it.
#[component]
fn PhoneBoard(
    session: String,
    token: String,
    member: String,
    target: Target,
    context: Context,
    board_status: RwSignal<Option<Status>>,
) -> impl IntoView {
    let (Some(doc), Some(werkvorm)) = (target.doc.clone(), target.werkvorm) else {
        board_status.set(None);
        let text = werkvorm::no_board(target.werkvorm);
        return view! { <p class="muted no-board">{tr(text)}</p> }.into_any();
    };
    let live = use_board(&session, &doc, &token);
    let status = live.status;
    Effect::new(move |_| board_status.set(Some(status.get())));
    on_cleanup(move || board_status.set(None));
    let ctx = PhoneCtx {
        werkvorm,
        live,
        member,
        writable: target.writable,
        locked: target.locked,
        // In pairs the pair is what counts, not the group.
        group: target.group.filter(|_| !werkvorm.rules().in_pairs),
        roles: context.roles,
        civil: context.my_role == CIVIL_SERVANT,
        questions: target.questions,
    };
    // Before the reveal a participant writes in their own document.
    match doc {
        SessionDoc::Own { .. } => werkvorm::phone_private(ctx),
        _ => werkvorm::phone(ctx),
    }
}

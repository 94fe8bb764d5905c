//! 1-op-1 gesprekken: prepared pairs (each civil servant with someone who isn't one), with
//! question cards and a short summary each. The facilitator makes and names the pairs before
//! the block; each pair writes on a board of its own.

use draaiboeken::agenda::Lead;
use draaiboeken::board;
use draaiboeken::draaiboek::Text;
use draaiboeken::sessie::{ControlCommand, MemberInfo, SessionDoc};
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use super::{PanelCtx, PhoneCtx, WerkvormUi};
use crate::agenda_ui::Agenda;
use crate::board_ui::{LiveBoard, post_note, use_board};
use crate::i18n::{Key, rich, tr, trf, use_lang};
use crate::pages::console::member_choices;

pub struct EenOpEen;

impl WerkvormUi for EenOpEen {
    fn phone(ctx: PhoneCtx) -> AnyView {
        view! {
            {ctx.locked_note()}
            <PairCard live=ctx.live.clone() me=ctx.member.clone() questions=ctx.questions.clone() writable=ctx.writable/>
        }
        .into_any()
    }

    fn console_prepare(ctx: PanelCtx) -> Option<AnyView> {
        let control = ctx.control;
        let control = SendWrapper::new(move |c: ControlCommand| control.run(c));
        let panel = view! {
            <PairsPanel session=ctx.session token=ctx.token agenda=ctx.agenda members=ctx.members control=control/>
        };
        Some(panel.into_any())
    }
}

/// A 1-op-1 on a phone: who you talk with and about what, the question cards, and your short
/// summary (one per person, replaced when saved again). The partner's summary shows too.
#[component]
fn PairCard(live: LiveBoard, me: String, questions: Vec<Text>, writable: bool) -> impl IntoView {
    let lang = use_lang();
    let doc = live.doc.clone();
    let pair = live.read(board::read_pair);
    let board = live.board;
    let mine = {
        let me = me.clone();
        move || {
            board
                .get()
                .notes
                .iter()
                .find(|n| n.author.as_deref() == Some(me.as_str()))
                .map(|n| n.text.clone())
        }
    };
    let summary = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let touched = RwSignal::new(false);
    // The saved summary fills the field once the board has arrived (after a reload, say),
    // unless the writer has started typing.
    Effect::new({
        let mine = mine.clone();
        move |_| {
            if let Some(text) = mine()
                && !touched.get_untracked()
            {
                summary.set(text);
            }
        }
    });
    let partners = {
        let me = me.clone();
        move || {
            pair.get()
                .members
                .into_iter()
                .filter(|(id, _)| *id != me)
                .map(|(_, name)| name)
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let others = {
        let me = me.clone();
        move || {
            let p = pair.get();
            board
                .get()
                .notes
                .iter()
                .filter(|n| n.author.as_deref() != Some(me.as_str()))
                .map(|n| {
                    let who = p
                        .members
                        .iter()
                        .find(|(id, _)| Some(id) == n.author.as_ref())
                        .map(|(_, name)| name.clone())
                        .unwrap_or_default();
                    view! { <li class="postit summary" dir="auto"><strong><bdi>{who}</bdi></strong> ": " {n.text.clone()}</li> }
                })
                .collect_view()
        }
    };
    let submit = {
        let me = me.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = summary.get_untracked();
            if text.trim().is_empty() {
                return;
            }
            for n in board::read_notes(&doc) {
                if n.author.as_deref() == Some(me.as_str()) {
                    board::delete(&doc, &n.id);
                }
            }
            post_note(&doc, text, Some(me.clone()));
            saved.set(true);
        }
    };
    let cards = questions
        .into_iter()
        .map(|q| view! { <li class="question-card">{move || q.get(lang.get()).to_owned()}</li> })
        .collect_view();
    view! {
        <section class="pair-card" aria-labelledby="pair-heading">
            <h2 id="pair-heading">{tr(Key::PairHeading)}</h2>
            {move || {
                let p = partners();
                if p.is_empty() {
                    view! { <p class="no-pair">{tr(Key::NoPair)}</p> }.into_any()
                } else {
                    view! { <p class="pair-with">{rich(Key::PairWith, move |_| view! { <strong class="partner">{p.clone()}</strong> })}</p> }.into_any()
                }
            }}
            {move || pair.get().name.map(|n| view! { <p class="pair-about">{rich(Key::PairAbout, move |_| view! { <strong>{n.clone()}</strong> })}</p> })}
            <h3>{tr(Key::QuestionCards)}</h3>
            <ol class="question-cards">{cards}</ol>
            {writable.then(|| view! {
                <form class="composer stack" on:submit=submit>
                    <label for="summary-text">{tr(Key::Summary)}</label>
                    <textarea id="summary-text" dir="auto" rows="4" maxlength=board::MAX_NOTE_CHARS.to_string()
                        prop:value=move || summary.get()
                        on:input=move |ev| { saved.set(false); touched.set(true); summary.set(event_target_value(&ev)) }></textarea>
                    <button type="submit">{tr(Key::SaveSummary)}</button>
                    <Show when=move || saved.get()><p class="saved" role="status">{tr(Key::SummarySaved)}</p></Show>
                </form>
            })}
            <ul class="notes summaries">{others}</ul>
        </section>
    }
}

/// The 1-op-1 pairs: made from the members (each civil servant with someone else), changed
/// by hand, named after their neighbourhood project; with how many summaries each has.
#[component]
fn PairsPanel(
    session: String,
    token: String,
    agenda: Memo<Option<Agenda>>,
    members: Memo<Vec<MemberInfo>>,
    control: SendWrapper<impl Fn(ControlCommand) + Clone + 'static>,
) -> impl IntoView {
    let step = Memo::new(move |_| {
        agenda.get().and_then(|a| {
            a.steps
                .iter()
                .position(|s| s.werkvorm.is_some_and(|w| w.rules().in_pairs))
        })
    });
    // Summaries are counted once the 1-op-1 has started.
    let started = Memo::new(move |_| {
        let a = agenda.get()?;
        let s = step.get()?;
        a.state.current.is_some_and(|c| c >= s).then_some(s)
    });
    let control = SendWrapper::new(control);
    let c0 = control.clone();
    let rows = {
        let control = control.clone();
        move || {
            let pairs = agenda.get().map(|a| a.control.pairs).unwrap_or_default();
            let c = control.clone();
            member_choices(
                members.get(),
                pairs,
                1,
                (Key::Pair, Key::MemberPair, Key::NoPairOption),
                move |member, pair| c(ControlCommand::AssignPair { member, pair }),
            )
        }
    };
    let names = move || {
        let a = agenda.get()?;
        let numbers = a.control.pair_numbers();
        if numbers.is_empty() {
            return Some(view! { <p class="empty">{tr(Key::NoPairs)}</p> }.into_any());
        }
        let members = members.get();
        let list = numbers
            .into_iter()
            .map(|p| {
                let who: Vec<String> = a
                    .control
                    .pair_members(p)
                    .iter()
                    .filter_map(|id| members.iter().find(|m| m.id == *id).map(|m| m.name.clone()))
                    .collect();
                let c = control.clone();
                let name = a.control.pair_names.get(&p).cloned().unwrap_or_default();
                let id = format!("pair-name-{p}");
                let progress = started.get().map(|step| {
                    view! { <PairProgress session=session.clone() token=token.clone() step=step pair=p size=who.len()/> }
                });
                view! {
                    <li class="pair" data-pair=p>
                        <strong>{trf(Key::Pair, &[("n", &p)])}</strong> ": " {who.join(", ")}
                        {progress}
                        <label for=id.clone()>{tr(Key::PairName)}</label>
                        <input id=id type="text" dir="auto" maxlength="80" prop:value=name
                            on:change=move |ev| c(ControlCommand::NamePair { pair: p, name: event_target_value(&ev) })/>
                    </li>
                }
            })
            .collect_view();
        Some(view! { <ul class="pairs">{list}</ul> }.into_any())
    };
    // Pairs are made before the session or during it, until the 1-op-1 is over.
    let applies = Memo::new(move |_| {
        agenda.get().is_some_and(|a| {
            draaiboeken::agenda::panel_applies(&a.steps, a.current(), Lead::FromStart, |s| {
                s.werkvorm.is_some_and(|w| w.rules().in_pairs)
            })
        })
    });
    view! {
        <Show when=move || applies.get()>
            <section class="pairs-panel" aria-labelledby="pairs-heading">
                <h2 id="pairs-heading">{tr(Key::PairsHeading)}</h2>
                <button type="button" data-action="make-pairs" on:click={
                    let c = c0.clone();
                    move |_| c(ControlCommand::MakePairs)
                }>{tr(Key::MakePairs)}</button>
                {names.clone()}
                <ul class="group-members">{rows.clone()}</ul>
            </section>
        </Show>
    }
}

/// How many of a pair have written their summary.
#[component]
fn PairProgress(
    session: String,
    token: String,
    step: usize,
    pair: u32,
    size: usize,
) -> impl IntoView {
    let live = use_board(
        &session,
        &SessionDoc::Board {
            step,
            group: Some(pair),
        },
        &token,
    );
    let board = live.board;
    let written = move || {
        let b = board.get();
        let authors: std::collections::BTreeSet<&str> =
            b.notes.iter().filter_map(|n| n.author.as_deref()).collect();
        authors.len()
    };
    view! { <span class="pair-progress" data-pair=pair>" · " {move || trf(Key::SummariesWritten, &[("written", &written()), ("total", &size)])}</span> }
}

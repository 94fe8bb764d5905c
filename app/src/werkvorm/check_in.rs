//! Check-in: each participant writes one word, privately, revealed all at once; the words are
//! grouped (`kansen` ~ `kans`) into a cloud, and the facilitator walks through them.

use draaiboeken::board::{self, Board};
use draaiboeken::checkin::{self, WordGroup};
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use super::{ConsoleCtx, PhoneCtx, ProjectorCtx, WerkvormUi};
use crate::board_ui::{LiveBoard, note_view};
use crate::i18n::{Key, rich, session_lang, tr, trf_live};

pub struct CheckIn;

impl WerkvormUi for CheckIn {
    /// The word, its nudge towards one word, and the word as received.
    fn phone_private(ctx: PhoneCtx) -> AnyView {
        let board = ctx.live.board;
        // The word as received sits above the field, where a small phone shows it after
        // sending, and is announced.
        view! {
            <p class="word-received" role="status">
                {move || board.get().notes.first().map(|n| {
                    let word = n.text.clone();
                    rich(Key::WordReceived, move |_| view! { <strong class="my-word">{word.clone()}</strong> })
                })}
            </p>
            {ctx.composer(true)}
            <p class="private-note">{tr(Key::WordPrivate)}</p>
            {ctx.locked_note()}
        }
        .into_any()
    }

    /// After the reveal: everyone's words.
    fn phone(ctx: PhoneCtx) -> AnyView {
        view! {
            <section class="wall" aria-labelledby="wall-heading">
                <h2 id="wall-heading">{tr(Key::WordsHeading)}</h2>
                <WordCloud board=ctx.live.board/>
            </section>
        }
        .into_any()
    }

    fn console(ctx: ConsoleCtx) -> AnyView {
        view! { <ModerateWords live=ctx.live/> }.into_any()
    }

    fn projector(ctx: ProjectorCtx) -> AnyView {
        view! { <WordCloud board=ctx.live.board/> }.into_any()
    }
}

/// The check-in's words, grouped, as a cloud sized by count, and the post-its themselves; the
/// word the facilitator is talking about stands out in both.
#[component]
fn WordCloud(board: Memo<Board>) -> impl IntoView {
    let session_lang = session_lang();
    move || {
        let b = board.get();
        let gs = checkin::group(&b, session_lang.get());
        if gs.is_empty() {
            return view! { <p class="empty">{tr(Key::EmptyWall)}</p> }.into_any();
        }
        let focus = b.focus_word.clone();
        let max = gs.iter().map(|g| g.count).max().unwrap_or(1);
        let words = gs
            .iter()
            .map(|g| {
                let current = focus.as_deref() == Some(g.key.as_str());
                let class = format!(
                    "word size-{}{}",
                    checkin::size(g.count, max),
                    if current { " focus" } else { "" }
                );
                view! {
                    <li class=class aria-current=current.then_some("true")
                        data-word=g.key.clone() data-count=g.count>
                        <bdi>{g.label.clone()}</bdi>
                        {(g.count > 1).then(|| view! { <span class="word-count">" ×" {g.count}</span> })}
                    </li>
                }
            })
            .collect_view();
        // The post-its in the cloud's order, so each group's notes stand together.
        let notes = gs
            .iter()
            .flat_map(|g| {
                let current = focus.as_deref() == Some(g.key.as_str());
                g.notes
                    .iter()
                    .filter_map(|id| b.notes.iter().find(|n| &n.id == id))
                    .map(move |n| note_view(n, current, None))
                    .collect::<Vec<_>>()
            })
            .collect_view();
        view! {
            <div class="checkin-board">
                <ul class="cloud" aria-label=tr(Key::WordsHeading)>{words}</ul>
                <ul class="notes word-notes-wall">{notes}</ul>
            </div>
        }
        .into_any()
    }
}

/// The facilitator's hands on a check-in: walk through the words for the toelichting, and
/// regroup words that belong together.
#[component]
fn ModerateWords(live: LiveBoard) -> impl IntoView {
    let session_lang = session_lang();
    let board = live.board;
    let doc = live.doc.clone();
    let step_focus = {
        let doc = doc.clone();
        move |delta: isize| {
            let b = board.get_untracked();
            let gs = checkin::group(&b, session_lang.get_untracked());
            if gs.is_empty() {
                return;
            }
            let focus = b.focus_word;
            let at = focus.and_then(|f| gs.iter().position(|g| g.key == f));
            let next = match at {
                None if delta > 0 => 0,
                None => gs.len() - 1,
                Some(i) => (i as isize + delta).rem_euclid(gs.len() as isize) as usize,
            };
            board::set_focus_word(&doc, Some(&gs[next].key));
        }
    };
    let (prev, next) = (
        SendWrapper::new(step_focus.clone()),
        SendWrapper::new(step_focus),
    );
    let hidden_doc = doc.clone();
    let rows = move || {
        // One source only: a memo derived from `board` beside `board` itself left this view
        // blind to changes of `board` alone (the focus), so everything comes from `board`.
        let b = board.get();
        let gs: Vec<WordGroup> = checkin::group(&b, session_lang.get());
        gs.iter()
            .map(|g| {
                let key = g.key.clone();
                let d = doc.clone();
                let focus = b.focus_word.as_deref() == Some(g.key.as_str());
                let members = g
                    .notes
                    .iter()
                    .filter_map(|id| b.notes.iter().find(|n| &n.id == id))
                    .map(|n| {
                        let (d, id) = (doc.clone(), n.id.clone());
                        let manual = n.word.clone();
                        let options = gs
                            .iter()
                            .map(|o| {
                                let selected = manual.as_deref() == Some(o.key.as_str());
                                view! { <option value=o.key.clone() selected=selected>{o.label.clone()}</option> }
                            })
                            .collect_view();
                        let label = trf_live(Key::BelongsTo, vec![("text", n.text.clone())]);
                        let hide_label = trf_live(Key::HideNamed, vec![("text", n.text.clone())]);
                        let (hd, hid) = (doc.clone(), n.id.clone());
                        view! {
                            <li>
                                <span class="word-note" dir="auto">{n.text.clone()}</span>
                                <button type="button" aria-label=hide_label
                                    on:click=move |_| board::set_hidden(&hd, &hid, true)>{tr(Key::Hide)}</button>
                                <select aria-label=label on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    board::set_word(&d, &id, (!v.is_empty()).then_some(v.as_str()));
                                }>
                                    <option value="" selected=manual.is_none()>{tr(Key::OwnGroup)}</option>
                                    {options}
                                </select>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <li class=if focus { "word-group focus" } else { "word-group" }>
                        <strong>{g.label.clone()}</strong> " ×" {g.count} " "
                        <button type="button" on:click=move |_| board::set_focus_word(&d, Some(&key))>{tr(Key::Highlight)}</button>
                        <ul class="word-notes">{members}</ul>
                    </li>
                }
            })
            .collect_view()
    };
    // Hidden words leave the cloud; they are listed here to bring them back.
    let hidden = {
        let doc = hidden_doc;
        move || {
            let b = board.get();
            let list = b
                .notes
                .iter()
                .filter(|n| n.hidden)
                .map(|n| {
                    let (d, id) = (doc.clone(), n.id.clone());
                    view! {
                        <li class="hidden-word">
                            <span dir="auto">{n.text.clone()}</span> " "
                            <button type="button" on:click=move |_| board::set_hidden(&d, &id, false)>{tr(Key::ShowNote)}</button>
                        </li>
                    }
                })
                .collect::<Vec<_>>();
            (!list.is_empty()).then(|| {
                view! {
                    <h3>{tr(Key::HiddenTag)}</h3>
                    <ul class="word-notes">{list}</ul>
                }
            })
        }
    };
    view! {
        <section class="moderation" aria-labelledby="words-heading">
            <h2 id="words-heading">{tr(Key::WordsHeading)}</h2>
            <div class="controls">
                <button type="button" on:click=move |_| prev(-1)>{tr(Key::PrevWord)}</button>
                <button type="button" on:click=move |_| next(1)>{tr(Key::NextWord)}</button>
            </div>
            <ul class="word-groups">{rows}</ul>
            {hidden}
        </section>
    }
}

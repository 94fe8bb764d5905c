//! Rollen en verantwoordelijkheden: coloured role stickers on the steps of the map ("now" and
//! "could"), each person their own, and the step × role table of what they add up to.

use draaiboeken::draaiboek::Role;
use draaiboeken::proces::{self, ProcessMap, ProcessStep, StickerKind};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::WerkvormUi;
use super::proces_map::{Below, Extras, StepTools};
use crate::i18n::{Key, tr, use_lang};

pub struct Rollen;

impl WerkvormUi for Rollen {
    const MAP: Extras = Extras {
        step: Some(sticker_picker),
        below: Some(matrix),
    };
}

/// A step's sticker picker: a "now" and a "could" sticker per role, each person their own.
fn sticker_picker(s: &ProcessStep, tools: &StepTools) -> AnyView {
    let (c, doc, lang, open) = (tools.ctx, tools.doc, tools.lang, tools.open);
    let rows = [
        (StickerKind::Now, Key::StickerNowLegend),
        (StickerKind::Could, Key::StickerCouldLegend),
    ]
    .into_iter()
    .map(|(kind, legend)| {
        let buttons = c
            .roles
            .iter()
            .map(|r| {
                let pressed = s.has(&r.id, kind, &c.me);
                let (doc, step, role, me) = (doc.clone(), s.note.id.clone(), r.id.clone(), c.me.clone());
                view! {
                    <button type="button" class=if kind == StickerKind::Now { "sticker-button now" } else { "sticker-button could" }
                        style=super::role_style(r) data-ink=super::role_ink(r) aria-pressed=if pressed { "true" } else { "false" }
                        data-role=r.id.clone() data-kind=kind.id()
                        on:click=move |_| proces::toggle_sticker(&doc, &step, &role, kind, &me)>
                        {r.name.get(lang).to_owned()}
                    </button>
                }
            })
            .collect_view();
        view! {
            <fieldset class="sticker-row">
                <legend>{tr(legend)}</legend>
                {buttons}
            </fieldset>
        }
    })
    .collect_view();
    let id = s.note.id.clone();
    let is_open = open.with_untracked(|o| o.contains(&id));
    view! {
        <details class="sticker-picker" prop:open=is_open on:toggle=move |ev| {
            let now_open = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                .is_some_and(|d| d.open());
            open.update_untracked(|o| {
                if now_open { o.insert(id.clone()); } else { o.remove(&id); }
            });
        }>
            <summary>{tr(Key::PlaceSticker)}</summary>
            {rows}
        </details>
    }
    .into_any()
}

fn matrix(below: Below) -> Option<AnyView> {
    Some(view! { <Matrix map=below.map roles=below.ctx.roles/> }.into_any())
}

/// The step × role table: how many stickers of each kind each role got on each step.
#[component]
fn Matrix(map: Memo<ProcessMap>, roles: Vec<Role>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let m = map.get();
        let l = lang.get();
        if m.steps.is_empty() {
            return None;
        }
        let head = roles
            .iter()
            .map(|r| view! { <th scope="col" style=super::role_style(r) data-ink=super::role_ink(r)>{r.name.get(l).to_owned()}</th> })
            .collect_view();
        let rows = m
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let cells = roles
                    .iter()
                    .map(|r| {
                        let (now, could) = (
                            s.count(&r.id, StickerKind::Now),
                            s.count(&r.id, StickerKind::Could),
                        );
                        let text = match (now, could) {
                            (0, 0) => String::new(),
                            (n, 0) => format!("● {n}"),
                            (0, c) => format!("○ {c}"),
                            (n, c) => format!("● {n} ○ {c}"),
                        };
                        view! { <td data-role=r.id.clone()>{text}</td> }
                    })
                    .collect_view();
                // Numbered as on the map, so a row is found on it (on the projector, perhaps
                // on another page).
                view! { <tr><th scope="row" dir="auto">{format!("{}. {}", i + 1, s.note.text)}</th>{cells}</tr> }
            })
            .collect_view();
        Some(view! {
            // Focusable, so a keyboard can scroll it where it is wider than a phone.
            <section class="matrix" tabindex="0">
                <h3>{tr(Key::Matrix)}</h3>
                <p class="hint">"● " {tr(Key::StickerNow)} " · ○ " {tr(Key::StickerCould)}</p>
                <table>
                    <thead><tr><th scope="col">{tr(Key::StepColumn)}</th>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        })
    }
}

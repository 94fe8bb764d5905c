//! The process map every werkvorm of draaiboeken 2 and 3 works on: the steps of a project on a
//! timeline, in phases, with what the werkvormen added to them (role stickers, regie,
//! expertise, challenges). The same component serves the phone, the console and the projector;
//! a werkvorm passes in what it adds ([`Extras`]: its pickers beside each step, its form or
//! table below the map). What a person may change is decided by the server; these views only
//! offer what makes sense.
//!
//! Steps move by drag (pointer events, so touch and mouse alike) and by buttons (earlier,
//! later, to a phase) for keyboards and small screens. Each step is keyed by its content, so
//! a change to one step leaves the others (and any field being typed in) alone.

use std::collections::BTreeSet;

use draaiboeken::board::{self, MAX_CLUSTER_CHARS};
use draaiboeken::draaiboek::Role;
use draaiboeken::proces::{self, Lead, ProcessMap, ProcessStep, StickerKind};
use draaiboeken::werkvorm::Werkvorm;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use yrs::Doc;

use super::{ConsoleCtx, PhoneCtx, ProjectorCtx};
use crate::board_ui::{Composer, LiveBoard, new_cluster_id};
use crate::i18n::{Key, Lang, tf, tr, trf_live, use_lang};

/// Who is looking at a process map, and what they may do there.
#[derive(Clone)]
pub struct ProcessCtx {
    /// Who acts: a member id, or `facilitator`.
    pub me: String,
    pub roles: Vec<Role>,
    pub facilitator: bool,
    /// May mark steps as coming from the municipal process (civil servants, the facilitator).
    pub civil: bool,
    /// May change the map now (an open board).
    pub writable: bool,
}

/// The map, read again on every change of the document.
pub fn use_process(live: &LiveBoard) -> Memo<ProcessMap> {
    live.read(proces::read)
}

/// What a werkvorm adds to the map (see `WerkvormUi::MAP`).
#[derive(Clone, Copy)]
pub struct Extras {
    /// Beside each step's controls, for whoever may change the map (a sticker or regie picker).
    pub step: Option<fn(&ProcessStep, &StepTools) -> AnyView>,
    /// Below the map (the step × role table, the expertise form, the challenges).
    pub below: Option<fn(Below) -> Option<AnyView>>,
}

impl Extras {
    /// The map alone.
    pub const NONE: Extras = Extras {
        step: None,
        below: None,
    };

    /// A picker beside each step.
    pub const fn step(tools: fn(&ProcessStep, &StepTools) -> AnyView) -> Extras {
        Extras {
            step: Some(tools),
            below: None,
        }
    }

    /// A view below the map.
    pub const fn below(view: fn(Below) -> Option<AnyView>) -> Extras {
        Extras {
            step: None,
            below: Some(view),
        }
    }
}

/// What a step's extra controls work with.
pub struct StepTools<'a> {
    pub ctx: &'a ProcessCtx,
    pub doc: &'a SendWrapper<Doc>,
    pub lang: Lang,
    /// Which steps' pickers are open: a change on the board redraws the steps, and an open
    /// picker must stay open under the thumb.
    pub open: RwSignal<BTreeSet<String>>,
}

/// What the view below the map works with.
pub struct Below {
    pub map: Memo<ProcessMap>,
    pub doc: SendWrapper<Doc>,
    pub ctx: ProcessCtx,
    /// May change the map here (an open board, not the projector).
    pub writable: bool,
}

/// A step's stickers as coloured dots: filled for "now", rings for "could".
fn sticker_dots(step: &ProcessStep, roles: &[Role], lang: Lang) -> impl IntoView + use<> {
    let mut dots = Vec::new();
    for r in roles {
        for kind in [StickerKind::Now, StickerKind::Could] {
            let n = step.count(&r.id, kind);
            if n == 0 {
                continue;
            }
            let name = r.name.get(lang).to_owned();
            let (class, label) = match kind {
                StickerKind::Now => ("sticker now", Key::StickerNowBy),
                StickerKind::Could => ("sticker could", Key::StickerCouldBy),
            };
            dots.push(view! {
                <li class=class style=super::role_style(r) data-ink=super::role_ink(r) data-role=r.id.clone() data-kind=kind.id()>
                    <span class="sticker-name">{tf(lang, label, &[("role", &name)])}</span>
                    {(n > 1).then(|| view! { <span class="sticker-count">" ×" {n}</span> })}
                </li>
            });
        }
    }
    (!dots.is_empty()).then(|| view! { <ul class="stickers">{dots}</ul> })
}

/// One row of the timeline.
#[derive(Clone, PartialEq)]
enum Row {
    Phase {
        id: String,
        name: String,
    },
    Step {
        step: ProcessStep,
        index: usize,
        total: usize,
    },
}

/// Where a dragged step lands: before step `id`, or at the end of a phase.
enum Drop {
    Before(String),
    After(String),
    Phase(Option<String>),
}

fn drop_target(x: i32, y: i32) -> Option<Drop> {
    let el = document().element_from_point(x as f32, y as f32)?;
    if let Ok(Some(step)) = el.closest("[data-step]") {
        let id = step.get_attribute("data-step")?;
        let rect = step.get_bounding_client_rect();
        let upper = f64::from(y) < rect.top() + rect.height() / 2.0;
        return Some(if upper {
            Drop::Before(id)
        } else {
            Drop::After(id)
        });
    }
    if let Ok(Some(phase)) = el.closest("[data-phase]") {
        let p = phase.get_attribute("data-phase")?;
        return Some(Drop::Phase((!p.is_empty()).then_some(p)));
    }
    None
}

fn carry_out_drop(doc: &Doc, dragged: &str, target: Drop) {
    let (id, after) = match target {
        Drop::Phase(p) => return proces::move_to_phase(doc, dragged, p.as_deref()),
        Drop::Before(id) => (id, false),
        Drop::After(id) => (id, true),
    };
    if id == dragged {
        return;
    }
    let map = proces::read(doc);
    let Some(target) = map.step(&id) else { return };
    let Some(i) = map
        .steps
        .iter()
        .filter(|s| s.note.id != dragged)
        .position(|s| s.note.id == id)
    else {
        return;
    };
    // The dragged step joins the phase of the step it lands next to.
    let phase = target.note.cluster.clone();
    proces::place(
        doc,
        dragged,
        if after { i + 1 } else { i },
        Some(phase.as_deref()),
    );
}

/// The process map: the timeline in phases, each step with what the werkvorm asks for.
#[component]
pub fn ProcessBoard(
    live: LiveBoard,
    werkvorm: Werkvorm,
    ctx: ProcessCtx,
    extras: Extras,
    /// The projector: large and without controls.
    #[prop(default = false)]
    big: bool,
) -> impl IntoView {
    let map = use_process(&live);
    let doc = live.doc.clone();
    let lang = use_lang();
    let dragging = RwSignal::new(None::<String>);
    // Which steps' pickers are open (see `StepTools::open`).
    let open = RwSignal::new(BTreeSet::<String>::new());
    // The group arranges a map it makes; the facilitator any map.
    let arrange = ctx.writable && (werkvorm.rules().makes_map || ctx.facilitator);
    let ctx = StoredValue::new(ctx);
    let doc_v = StoredValue::new(doc.clone());

    let phases_form = arrange.then(|| {
        let name = RwSignal::new(String::new());
        let doc = doc.clone();
        view! {
            <form class="phase-form inline-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let n = name.get_untracked();
                if n.trim().is_empty() { return; }
                board::add_cluster(&doc, &new_cluster_id(), &n);
                name.set(String::new());
            }>
                <label for="phase-name">{tr(Key::PhaseName)}</label>
                <input id="phase-name" type="text" dir="auto" maxlength=MAX_CLUSTER_CHARS.to_string()
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <button type="submit">{tr(Key::AddPhase)}</button>
            </form>
        }
    });

    let step_view = move |s: ProcessStep, index: usize, total: usize| {
        let c = ctx.get_value();
        let doc = doc_v.get_value();
        let l = lang.get_untracked();
        let id = s.note.id.clone();
        // The step's menus: the phases, and the other steps to merge with.
        let (phases, others) = map.with_untracked(|m| {
            let others: Vec<(String, String)> = m
                .steps
                .iter()
                .filter(|o| o.note.id != id)
                .map(|o| (o.note.id.clone(), o.note.text.clone()))
                .collect();
            (m.board.clusters.clone(), others)
        });
        let own = s.note.author.as_deref() == Some(c.me.as_str());
        let controls = (c.writable && !big).then(|| {
            let mut parts = Vec::new();
            if arrange {
                let (d1, d2, d3, i1, i2, i3) = (
                    doc.clone(),
                    doc.clone(),
                    doc.clone(),
                    id.clone(),
                    id.clone(),
                    id.clone(),
                );
                let current = s.note.cluster.clone().unwrap_or_default();
                let options = phases
                    .iter()
                    .map(|p| {
                        view! { <option value=p.id.clone() selected=p.id == current>{p.name.clone()}</option> }
                    })
                    .collect_view();
                let merge_options = others
                    .into_iter()
                    .map(|(id, text)| view! { <option value=id>{text}</option> })
                    .collect_view();
                let d4 = doc.clone();
                let i4 = id.clone();
                let text = s.note.text.clone();
                parts.push(view! {
                    <div class="step-tools">
                        <button type="button" class="step-up" disabled={index == 0}
                            aria-label=tf(l, Key::MoveUp, &[("step", &text)])
                            on:click=move |_| proces::nudge(&d1, &i1, -1)>"↑"</button>
                        <button type="button" class="step-down" disabled={index + 1 >= total}
                            aria-label=tf(l, Key::MoveDown, &[("step", &text)])
                            on:click=move |_| proces::nudge(&d2, &i2, 1)>"↓"</button>
                        <label class="select-label">{tr(Key::MoveToPhase)}
                            <select class="step-phase" on:change=move |ev| {
                                let v = event_target_value(&ev);
                                proces::move_to_phase(&d3, &i3, (!v.is_empty()).then_some(v.as_str()));
                            }>
                                <option value="" selected=current.is_empty()>{tr(Key::NoPhase)}</option>
                                {options}
                            </select>
                        </label>
                        <label class="select-label">{tr(Key::MergeWith)}
                            <select class="step-merge" on:change=move |ev| {
                                let v = event_target_value(&ev);
                                if !v.is_empty() { board::merge(&d4, &i4, &v); }
                            }>
                                <option value="" selected=true>"—"</option>
                                {merge_options}
                            </select>
                        </label>
                    </div>
                }.into_any());
            }
            if c.civil && (arrange || own) {
                let d = doc.clone();
                let i = id.clone();
                let checked = s.municipal;
                parts.push(view! {
                    <label class="check municipal-toggle">
                        <input type="checkbox" prop:checked=checked
                            on:change=move |ev| proces::set_municipal(&d, &i, event_target_checked(&ev))/>
                        {tr(Key::MunicipalStep)}
                    </label>
                }.into_any());
            }
            if own || c.facilitator {
                let d = doc.clone();
                let i = id.clone();
                let label = tf(l, Key::DeleteNamed, &[("text", &s.note.text)]);
                parts.push(view! {
                    <button type="button" class="step-delete" aria-label=label
                        on:click=move |_| board::delete(&d, &i)>"×"</button>
                }.into_any());
            }
            if let Some(tools) = extras.step {
                parts.push(tools(&s, &StepTools { ctx: &c, doc: &doc, lang: l, open }));
            }
            parts
        });
        let regie = s.regie.as_ref().map(|r| {
            let key = lead_key(r.who);
            let note = r.note.clone();
            view! {
                <p class=format!("regie regie-{}", r.who.id())>
                    <strong>{tr(key)}</strong>
                    {note.map(|n| view! { ": " {n} })}
                </p>
            }
        });
        let expertise = (!s.expertise.is_empty()).then(|| {
            let items = s
                .expertise
                .iter()
                .map(|x| {
                    let from = (!x.from.is_empty()).then(|| format!(" — {}", x.from));
                    let municipal = x.municipal.then(|| view! { <span class="badge">{tr(Key::MunicipalShort)}</span> });
                    let mine = c.facilitator || x.by.as_deref() == Some(c.me.as_str());
                    let remove = remove_button(c.writable && !big && mine, &doc, &x.id, &x.what, proces::remove_expertise);
                    view! { <li class="expertise-item">{x.what.clone()} {from} " " {municipal} {remove}</li> }
                })
                .collect_view();
            view! { <ul class="expertise">{items}</ul> }
        });
        let challenges = (!s.challenges.is_empty()).then(|| {
            let items = s
                .challenges
                .iter()
                .map(|x| {
                    let mine = c.facilitator || x.by.as_deref() == Some(c.me.as_str());
                    let remove = remove_button(
                        c.writable && !big && mine,
                        &doc,
                        &x.id,
                        &x.text,
                        proces::remove_challenge,
                    );
                    view! { <li class="challenge" dir="auto">{x.text.clone()} {remove}</li> }
                })
                .collect_view();
            view! { <ul class="challenges">{items}</ul> }
        });
        let handle = arrange.then(|| {
            let id = id.clone();
            let doc = doc.clone();
            view! {
                <span class="drag-handle" aria-hidden="true" title=tr(Key::DragHandle)
                    on:pointerdown=move |ev: leptos::ev::PointerEvent| {
                        ev.prevent_default();
                        if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                            let _ = t.set_pointer_capture(ev.pointer_id());
                        }
                        dragging.set(Some(id.clone()));
                    }
                    on:pointerup=move |ev: leptos::ev::PointerEvent| {
                        let Some(dragged) = dragging.get_untracked() else { return };
                        dragging.set(None);
                        if let Some(target) = drop_target(ev.client_x(), ev.client_y()) {
                            carry_out_drop(&doc, &dragged, target);
                        }
                    }
                    on:pointercancel=move |_| dragging.set(None)>"⠿"</span>
            }
        });
        let phase_name = s
            .note
            .cluster
            .as_ref()
            .and_then(|c| phases.iter().find(|p| &p.id == c))
            .map(|p| p.name.clone());
        let in_phase = phase_name.is_some();
        let class = move || {
            let mut c = String::from("step postit");
            if in_phase {
                c.push_str(" in-phase");
            }
            if s.municipal {
                c.push_str(" municipal");
            }
            if dragging.get().as_deref() == Some(id.as_str()) {
                c.push_str(" dragging");
            }
            c
        };
        let number = index + 1;
        view! {
            <li class=class data-step=s.note.id.clone() data-in-phase=phase_name>
                <div class="step-head">
                    {handle}
                    <span class="step-number">{number}"."</span>
                    <span class="step-text" dir="auto">{s.note.text.clone()}</span>
                    {(!s.note.merged.is_empty()).then(|| view! { <span class="merged">" ×" {s.note.merged.len() + 1}</span> })}
                    {s.municipal.then(|| view! { <span class="badge municipal-badge">{tr(Key::MunicipalShort)}</span> })}
                </div>
                {sticker_dots(&s, &c.roles, l)}
                {regie}
                {expertise}
                {challenges}
                {controls}
            </li>
        }
    };

    // The timeline as one keyed list of phase headings and steps: a change redraws only the
    // rows it touches, so an open menu or a half-typed note elsewhere stays as it is.
    let rows = Memo::new(move |_| {
        let m = map.get();
        // A step is drawn in one language: a change of language draws every step again.
        let l = lang.get().code();
        let total = m.steps.len();
        // What every step's menus list: the phases and the other steps.
        let menus: String = m
            .board
            .clusters
            .iter()
            .map(|c| format!("{}={}", c.id, c.name))
            .chain(
                m.steps
                    .iter()
                    .map(|s| format!("{}={}", s.note.id, s.note.text)),
            )
            .collect::<Vec<_>>()
            .join("|");
        let mut rows: Vec<(String, Row)> = Vec::new();
        let mut index = 0;
        for run in m.runs() {
            if let Some(p) = run.phase {
                rows.push((
                    format!("p|{}|{}|{}", p.id, p.name, rows.len()),
                    Row::Phase {
                        id: p.id.clone(),
                        name: p.name.clone(),
                    },
                ));
            }
            for s in run.steps {
                rows.push((
                    format!("s|{l}|{index}|{total}|{menus}|{s:?}"),
                    Row::Step {
                        step: s.clone(),
                        index,
                        total,
                    },
                ));
                index += 1;
            }
        }
        // Phases without steps yet, as places to drop a step.
        for c in m.board.clusters.iter().filter(|c| {
            !m.steps
                .iter()
                .any(|s| s.note.cluster.as_ref() == Some(&c.id))
        }) {
            rows.push((
                format!("e|{}|{}", c.id, c.name),
                Row::Phase {
                    id: c.id.clone(),
                    name: c.name.clone(),
                },
            ));
        }
        rows
    });
    let timeline = move || {
        view! {
            <Show when=move || map.with(|m| !m.steps.is_empty())
                fallback=|| view! { <p class="empty">{tr(Key::NoSteps)}</p> }>
                <ol class="timeline">
                    <For each=move || rows.get() key=|(k, _)| k.clone() children=move |(_, row)| match row {
                        Row::Phase { id, name } => view! {
                            <li class="phase-heading" data-phase=id><h3 class="phase-name">{name}</h3></li>
                        }.into_any(),
                        Row::Step { step, index, total, .. } => step_view(step, index, total).into_any(),
                    }/>
                </ol>
            </Show>
        }
    };

    let extra = move || {
        let c = ctx.get_value();
        extras.below.and_then(|below| {
            below(Below {
                map,
                doc: doc_v.get_value(),
                writable: c.writable && !big,
                ctx: c,
            })
        })
    };

    view! {
        <div class=if big { "process big" } else { "process" }>
            {phases_form}
            {timeline}
            {extra}
        </div>
    }
}

pub(super) fn lead_key(lead: Lead) -> Key {
    match lead {
        Lead::Initiatiefnemer => Key::LeadInitiator,
        Lead::Gemeente => Key::LeadMunicipality,
        Lead::Unclear => Key::LeadUnclear,
    }
}

/// A small × that takes an entry off the map, for those who may (its writer, the facilitator).
pub(super) fn remove_button(
    allowed: bool,
    doc: &SendWrapper<Doc>,
    id: &str,
    what: &str,
    remove: fn(&Doc, &str),
) -> Option<impl IntoView + use<>> {
    allowed.then(|| {
        let (doc, id) = (doc.clone(), id.to_owned());
        let label = trf_live(Key::Delete2, vec![("text", what.to_owned())]);
        view! { <button type="button" class="mini" aria-label=label on:click=move |_| remove(&doc, &id)>"×"</button> }
    })
}

/// Options for choosing a step, in timeline order.
pub(super) fn step_options(map: &ProcessMap) -> impl IntoView + use<> {
    map.steps
        .iter()
        .enumerate()
        .map(|(i, s)| view! { <option value=s.note.id.clone()>{format!("{}. {}", i + 1, s.note.text)}</option> })
        .collect_view()
}

/// A phone in a werkvorm on the map: the steps' composer where the werkvorm writes post-its
/// (proces in kaart, and regie, which can map its own), then the map.
pub fn phone(ctx: PhoneCtx, extras: Extras) -> AnyView {
    let writes = ctx.werkvorm.rules().writes_notes;
    ctx.layout(writes, Key::StepsHeading, |ctx| {
        view! {
            <ProcessBoard live=ctx.live.clone() werkvorm=ctx.werkvorm ctx=ctx.process_ctx() extras=extras/>
        }
    })
}

/// The console: the facilitator adds steps and has the map in hand.
pub fn console(ctx: ConsoleCtx, extras: Extras) -> AnyView {
    let process = ctx.process_ctx();
    view! {
        <Composer live=ctx.live.clone() one_word=false author=None/>
        <ProcessBoard live=ctx.live werkvorm=ctx.werkvorm ctx=process extras=extras/>
    }
    .into_any()
}

/// The projector: the map, large and read-only.
pub fn projector(ctx: ProjectorCtx, extras: Extras) -> AnyView {
    let process = ctx.process_ctx();
    view! { <ProcessBoard live=ctx.live werkvorm=ctx.werkvorm ctx=process extras=extras big=true/> }
        .into_any()
}

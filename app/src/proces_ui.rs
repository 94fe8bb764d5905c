//! Process maps in the browser: the steps of a project on a timeline, in phases, and what
//! the werkvormen add to them (role stickers, regie, expertise, challenges); the dreamteam;
//! and the 1-op-1 card. The same components serve the phone, the console and the projector:
//! what a person may change is decided by the server; these views only offer what makes sense.
//!
//! Steps move by drag (pointer events, so touch and mouse alike) and by buttons (earlier,
//! later, to a phase) for keyboards and small screens. Each step is keyed by its content, so
//! a change to one step leaves the others (and any field being typed in) alone.

use draaiboeken::board::{self, MAX_CLUSTER_CHARS};
use draaiboeken::draaiboek::Role;
use draaiboeken::proces::{self, Lead, ProcessMap, ProcessStep, StickerKind, TeamMember, TeamMode};
use draaiboeken::werkvorm::Werkvorm;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use yrs::Doc;

use crate::board_ui::{LiveBoard, new_cluster_id, new_id, post_note};
use crate::i18n::{Key, Lang, rich, tf, tr, trf, use_lang};

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
                <li class=class style=("--role", r.colour.clone()) data-role=r.id.clone() data-kind=kind.id()>
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
    /// The projector: large and without controls.
    #[prop(default = false)]
    big: bool,
) -> impl IntoView {
    let map = use_process(&live);
    let doc = live.doc.clone();
    let lang = use_lang();
    let dragging = RwSignal::new(None::<String>);
    // Which steps' sticker pickers are open: a change on the board redraws the steps, and an
    // open picker must stay open under the thumb.
    let open = RwSignal::new(std::collections::BTreeSet::<String>::new());
    let arrange = ctx.writable && (werkvorm == Werkvorm::ProcesInKaart || ctx.facilitator);
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
                <input id="phase-name" type="text" maxlength=MAX_CLUSTER_CHARS.to_string()
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
            match werkvorm {
                Werkvorm::Rollen => parts.push(sticker_picker(&s, &c, &doc, l, open).into_any()),
                Werkvorm::Regie => parts.push(regie_picker(&s, &doc).into_any()),
                _ => {}
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
                    view! { <li class="challenge">{x.text.clone()} {remove}</li> }
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
                    <span class="step-text">{s.note.text.clone()}</span>
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
                    format!("s|{index}|{total}|{menus}|{s:?}"),
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
        let doc = doc_v.get_value();
        let writable = c.writable && !big;
        match werkvorm {
            Werkvorm::Rollen => Some(view! { <Matrix map=map roles=c.roles.clone()/> }.into_any()),
            Werkvorm::Expertise if writable => Some(view! { <ExpertiseForm map=map doc=doc me=c.me.clone()/> }.into_any()),
            Werkvorm::Uitdagingen => Some(view! { <Challenges map=map doc=doc me=c.me.clone() writable=writable facilitator=c.facilitator/> }.into_any()),
            _ => None,
        }
    };

    view! {
        <div class=if big { "process big" } else { "process" }>
            {phases_form}
            {timeline}
            {extra}
        </div>
    }
}

fn sticker_picker(
    s: &ProcessStep,
    c: &ProcessCtx,
    doc: &SendWrapper<Doc>,
    lang: Lang,
    open: RwSignal<std::collections::BTreeSet<String>>,
) -> impl IntoView + use<> {
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
                        style=("--role", r.colour.clone()) aria-pressed=if pressed { "true" } else { "false" }
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
}

fn lead_key(lead: Lead) -> Key {
    match lead {
        Lead::Initiatiefnemer => Key::LeadInitiator,
        Lead::Gemeente => Key::LeadMunicipality,
        Lead::Unclear => Key::LeadUnclear,
    }
}

fn regie_picker(s: &ProcessStep, doc: &SendWrapper<Doc>) -> impl IntoView + use<> {
    let current = s.regie.as_ref().map(|r| r.who);
    let note = RwSignal::new(
        s.regie
            .as_ref()
            .and_then(|r| r.note.clone())
            .unwrap_or_default(),
    );
    let name = format!("regie-{}", s.note.id);
    let radios = Lead::ALL
        .into_iter()
        .map(|lead| {
            let key = lead_key(lead);
            let (doc, step) = (doc.clone(), s.note.id.clone());
            view! {
                <label class="radio">
                    <input type="radio" name=name.clone() value=lead.id() prop:checked=current == Some(lead)
                        on:change=move |_| proces::set_regie(&doc, &step, Some(lead), &note.get_untracked())/>
                    {tr(key)}
                </label>
            }
        })
        .collect_view();
    let unclear = (current == Some(Lead::Unclear)).then(|| {
        let (doc, step) = (doc.clone(), s.note.id.clone());
        let id = format!("regie-note-{}", s.note.id);
        view! {
            <label for=id.clone()>{tr(Key::RegieNote)}</label>
            <input id=id type="text" class="regie-note" maxlength=proces::MAX_TEXT_CHARS.to_string()
                prop:value=move || note.get()
                on:input=move |ev| note.set(event_target_value(&ev))
                on:change=move |_| proces::set_regie(&doc, &step, Some(Lead::Unclear), &note.get_untracked())/>
        }
    });
    view! {
        <fieldset class="regie-picker">
            <legend>{tr(Key::RegieLegend)}</legend>
            {radios}
            {unclear}
        </fieldset>
    }
}

/// A small × that takes an entry off the map, for those who may (its writer, the facilitator).
fn remove_button(
    allowed: bool,
    doc: &SendWrapper<Doc>,
    id: &str,
    what: &str,
    remove: fn(&Doc, &str),
) -> Option<impl IntoView + use<>> {
    allowed.then(|| {
        let (doc, id) = (doc.clone(), id.to_owned());
        let label = trf(Key::Delete2, &[("text", &what)]);
        view! { <button type="button" class="mini" aria-label=label on:click=move |_| remove(&doc, &id)>"×"</button> }
    })
}

/// Options for choosing a step, in timeline order.
fn step_options(map: &ProcessMap) -> impl IntoView + use<> {
    map.steps
        .iter()
        .enumerate()
        .map(|(i, s)| view! { <option value=s.note.id.clone()>{format!("{}. {}", i + 1, s.note.text)}</option> })
        .collect_view()
}

#[component]
fn ExpertiseForm(map: Memo<ProcessMap>, doc: SendWrapper<Doc>, me: String) -> impl IntoView {
    let what = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let municipal = RwSignal::new(false);
    let step = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let m = map.get_untracked();
        let s = step.get_untracked();
        let s = if m.step(&s).is_some() {
            s
        } else if let Some(first) = m.steps.first() {
            first.note.id.clone()
        } else {
            return;
        };
        proces::add_expertise(
            &doc,
            &new_id(),
            &s,
            &what.get_untracked(),
            &from.get_untracked(),
            municipal.get_untracked(),
            Some(&me),
        );
        what.set(String::new());
        from.set(String::new());
    };
    view! {
        <form class="annotation-form stack" on:submit=submit>
            <label for="expertise-step">{tr(Key::AttachTo)}</label>
            <select id="expertise-step" on:change=move |ev| step.set(event_target_value(&ev))>
                {move || step_options(&map.get())}
            </select>
            <label for="expertise-what">{tr(Key::ExpertiseWhat)}</label>
            <input id="expertise-what" type="text" maxlength=proces::MAX_TEXT_CHARS.to_string()
                prop:value=move || what.get() on:input=move |ev| what.set(event_target_value(&ev))/>
            <label for="expertise-from">{tr(Key::ExpertiseFrom)}</label>
            <input id="expertise-from" type="text" maxlength=proces::MAX_NAME_CHARS.to_string()
                prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
            <label class="check"><input id="expertise-municipal" type="checkbox" prop:checked=move || municipal.get()
                on:change=move |ev| municipal.set(event_target_checked(&ev))/> {tr(Key::ExpertiseMunicipal)}</label>
            <button type="submit">{tr(Key::AddExpertise)}</button>
        </form>
    }
}

#[component]
fn Challenges(
    map: Memo<ProcessMap>,
    doc: SendWrapper<Doc>,
    me: String,
    writable: bool,
    facilitator: bool,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let step = RwSignal::new(String::new());
    let form = writable.then(|| {
        let doc = doc.clone();
        let me = me.clone();
        view! {
            <form class="annotation-form stack" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let s = step.get_untracked();
                let at = (!s.is_empty()).then_some(s.as_str());
                proces::add_challenge(&doc, &new_id(), at, &text.get_untracked(), Some(&me));
                text.set(String::new());
            }>
                <label for="challenge-text">{tr(Key::ChallengeText)}</label>
                <input id="challenge-text" type="text" maxlength=proces::MAX_TEXT_CHARS.to_string()
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                <label for="challenge-step">{tr(Key::AttachTo)}</label>
                <select id="challenge-step" on:change=move |ev| step.set(event_target_value(&ev))>
                    <option value="">{tr(Key::Parked)}</option>
                    {move || step_options(&map.get())}
                </select>
                <button type="submit">{tr(Key::AddChallenge)}</button>
            </form>
        }
    });
    let parked = move || {
        let m = map.get();
        let items = m
            .parked
            .iter()
            .map(|c| {
                let mine = facilitator || c.by.as_deref() == Some(me.as_str());
                let remove = remove_button(
                    writable && mine,
                    &doc,
                    &c.id,
                    &c.text,
                    proces::remove_challenge,
                );
                view! { <li class="challenge">{c.text.clone()} {remove}</li> }
            })
            .collect_view();
        (!m.parked.is_empty()).then(|| {
            view! {
                <section class="parked">
                    <h3>{tr(Key::Parked)}</h3>
                    <ul class="challenges">{items}</ul>
                </section>
            }
        })
    };
    view! { {form} {parked} }
}

/// The step × role table: how many stickers of each kind each role got on each step.
#[component]
pub fn Matrix(map: Memo<ProcessMap>, roles: Vec<Role>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let m = map.get();
        let l = lang.get();
        if m.steps.is_empty() {
            return None;
        }
        let head = roles
            .iter()
            .map(|r| view! { <th scope="col" style=("--role", r.colour.clone())>{r.name.get(l).to_owned()}</th> })
            .collect_view();
        let rows = m
            .steps
            .iter()
            .map(|s| {
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
                view! { <tr><th scope="row">{s.note.text.clone()}</th>{cells}</tr> }
            })
            .collect_view();
        Some(view! {
            <section class="matrix">
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

/// Het dreamteam: who takes part (here today or wished for), what they bring, and how the
/// work is shared.
#[component]
pub fn Dreamteam(
    live: LiveBoard,
    ctx: ProcessCtx,
    #[prop(default = false)] big: bool,
) -> impl IntoView {
    let map = use_process(&live);
    let doc = live.doc.clone();
    let writable = ctx.writable && !big;
    let form = writable.then(|| {
        let name = RwSignal::new(String::new());
        let brings = RwSignal::new(String::new());
        let present = RwSignal::new(true);
        let doc = doc.clone();
        let me = ctx.me.clone();
        view! {
            <form class="annotation-form stack team-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                proces::put_team_member(&doc, &TeamMember {
                    id: new_id(),
                    name: name.get_untracked(),
                    present: present.get_untracked(),
                    brings: brings.get_untracked(),
                    lead: false,
                    by: Some(me.clone()),
                });
                name.set(String::new());
                brings.set(String::new());
            }>
                <label for="team-name">{tr(Key::TeamName)}</label>
                <input id="team-name" type="text" maxlength=proces::MAX_NAME_CHARS.to_string()
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <label class="check"><input id="team-present" type="checkbox" prop:checked=move || present.get()
                    on:change=move |ev| present.set(event_target_checked(&ev))/> {tr(Key::TeamPresent)}</label>
                <label for="team-brings">{tr(Key::TeamBrings)}</label>
                <input id="team-brings" type="text" maxlength=proces::MAX_TEXT_CHARS.to_string()
                    prop:value=move || brings.get() on:input=move |ev| brings.set(event_target_value(&ev))/>
                <button type="submit">{tr(Key::TeamAdd)}</button>
            </form>
        }
    });
    let mode = {
        let doc = doc.clone();
        move || {
            let m = map.get();
            let mode_key = |mode: TeamMode| match mode {
                TeamMode::Lead => Key::TeamModeLead,
                TeamMode::Equal => Key::TeamModeEqual,
            };
            if !writable {
                // Looking only (the projector): the choice as text, not a form.
                return m
                    .team_mode
                    .map(|mode| view! { <p class="team-mode-text"><strong>{tr(mode_key(mode))}</strong></p> })
                    .into_any();
            }
            let radios = [TeamMode::Lead, TeamMode::Equal]
                .into_iter()
                .map(|mode| {
                    let doc = doc.clone();
                    view! {
                        <label class="radio">
                            <input type="radio" name="team-mode" value=mode.id()
                                prop:checked=m.team_mode == Some(mode)
                                on:change=move |_| proces::set_team_mode(&doc, Some(mode))/>
                            {tr(mode_key(mode))}
                        </label>
                    }
                })
                .collect_view();
            view! { <fieldset class="team-mode"><legend>{tr(Key::TeamModeLegend)}</legend>{radios}</fieldset> }
                .into_any()
        }
    };
    let list = {
        let doc = doc.clone();
        let me = ctx.me.clone();
        let facilitator = ctx.facilitator;
        move || {
            let m = map.get();
            if m.team.is_empty() {
                return view! { <p class="empty">{tr(Key::TeamEmpty)}</p> }.into_any();
            }
            let lead_mode = m.team_mode == Some(TeamMode::Lead);
            m.team
                .iter()
                .map(|t| {
                    let lead = (writable && lead_mode).then(|| {
                        let (doc, id, is) = (doc.clone(), t.id.clone(), t.lead);
                        view! {
                            <label class="check"><input type="checkbox" prop:checked=is
                                on:change=move |ev| proces::set_lead(&doc, event_target_checked(&ev).then_some(id.as_str()))/>
                                {tr(Key::TeamLead)}</label>
                        }
                    });
                    let mine = facilitator || t.by.as_deref() == Some(me.as_str());
                    let remove = remove_button(writable && mine, &doc, &t.id, &t.name, proces::remove_team_member);
                    view! {
                        <li class=if t.present { "team-member postit" } else { "team-member postit wished" }>
                            <strong class="team-name">{t.name.clone()}</strong>
                            {t.lead.then(|| view! { <span class="badge lead-badge">{tr(Key::TeamLead)}</span> })}
                            {(!t.present).then(|| view! { <span class="badge">{tr(Key::TeamWished)}</span> })}
                            {(!t.brings.is_empty()).then(|| view! { <p class="team-brings">{t.brings.clone()}</p> })}
                            {lead}
                            {remove}
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        }
    };
    view! {
        <section class=if big { "dreamteam big" } else { "dreamteam" } aria-labelledby="team-heading">
            <h2 id="team-heading">{tr(Key::TeamHeading)}</h2>
            {form}
            {mode}
            <ul class="team">{list}</ul>
        </section>
    }
}

/// A 1-op-1 on a phone: who you talk with and about what, the question cards, and your short
/// summary (one per person, replaced when saved again). The partner's summary shows too.
#[component]
pub fn PairCard(
    live: LiveBoard,
    me: String,
    questions: Vec<draaiboeken::draaiboek::Text>,
    writable: bool,
) -> impl IntoView {
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
                    view! { <li class="postit summary"><strong>{who}</strong> ": " {n.text.clone()}</li> }
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
                    <textarea id="summary-text" rows="4" maxlength=board::MAX_NOTE_CHARS.to_string()
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

/// The plenary round: which group has the floor and its speaking time, for everyone.
#[component]
pub fn PlenaryStatus(
    agenda: Memo<Option<crate::agenda_ui::Agenda>>,
    now: ReadSignal<i64>,
) -> impl IntoView {
    let state = Memo::new(move |_| {
        let a = agenda.get()?;
        let step = a.current()?;
        let s = a.steps.get(step)?;
        if s.werkvorm != Some(Werkvorm::Plenair) {
            return None;
        }
        Some((
            a.control.plenary.filter(|p| p.step == step),
            a.control.speaking_ms(s),
        ))
    });
    move || {
        let (plenary, slot) = state.get()?;
        let Some(p) = plenary else {
            return Some(
                view! { <p class="plenary waiting">{tr(Key::PlenaryWaiting)}</p> }.into_any(),
            );
        };
        // Never more than the slot: the browser's estimate of the server clock may lag a little.
        let left = (slot - (now.get() - p.since)).min(slot);
        let over = left < 0;
        Some(view! {
            <section class=if over { "plenary overrun" } else { "plenary" } aria-live="polite" data-group=p.group>
                <p class="plenary-floor">{rich(Key::HasTheFloor, move |_| view! { <strong>{trf(Key::Group, &[("n", &p.group)])}</strong> })}</p>
                <p class="plenary-timer" role="timer">
                    {if over { tr(Key::TimeUp)() } else { "" }} " "
                    {if over { "+" } else { "" }}{crate::agenda_ui::format_duration(left.abs())}
                </p>
            </section>
        }.into_any())
    }
}

/// A board as its werkvorm shows it, read-only and large (the projector).
#[component]
pub fn ShownBoard(live: LiveBoard, werkvorm: Werkvorm, roles: Vec<Role>) -> impl IntoView {
    let ctx = ProcessCtx {
        me: String::new(),
        roles,
        facilitator: false,
        civil: false,
        writable: false,
    };
    if werkvorm.is_process() {
        view! { <ProcessBoard live=live werkvorm=werkvorm ctx=ctx big=true/> }.into_any()
    } else if werkvorm == Werkvorm::Dreamteam {
        view! { <Dreamteam live=live ctx=ctx big=true/> }.into_any()
    } else {
        view! { <crate::board_ui::Wall board=live.board/> }.into_any()
    }
}

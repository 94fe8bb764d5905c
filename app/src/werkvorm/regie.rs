//! Vaststellen van regie: per step of the map, who leads (the initiator, the municipality, or
//! unclear, with a note). A regie block can map its own steps too (its rules: `writes_notes`).

use draaiboeken::proces::{self, Lead, ProcessStep};
use leptos::prelude::*;

use super::WerkvormUi;
use super::proces_map::{Extras, StepTools, lead_key};
use crate::i18n::{Key, tr};

pub struct Regie;

impl WerkvormUi for Regie {
    const MAP: Extras = Extras::step(regie_picker);
}

/// Who leads this step, and a note when that is unclear.
fn regie_picker(s: &ProcessStep, tools: &StepTools) -> AnyView {
    let doc = tools.doc;
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
            <input id=id type="text" dir="auto" class="regie-note" maxlength=proces::MAX_TEXT_CHARS.to_string()
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
    .into_any()
}

//! Inventarisatie van expertise: per step of the map, which expertise it needs and from whom
//! (municipal or not), each person their own entries.

use draaiboeken::proces::{self, ProcessMap};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use yrs::Doc;

use super::WerkvormUi;
use super::proces_map::{Below, Extras, step_options};
use crate::board_ui::new_id;
use crate::i18n::{Key, tr};

pub struct Expertise;

impl WerkvormUi for Expertise {
    const MAP: Extras = Extras::below(form);
}

/// Below the map, where the map may be changed: the form.
fn form(below: Below) -> Option<AnyView> {
    below
        .writable
        .then(|| view! { <ExpertiseForm map=below.map doc=below.doc me=below.ctx.me/> }.into_any())
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
            <input id="expertise-what" type="text" dir="auto" maxlength=proces::MAX_TEXT_CHARS.to_string()
                prop:value=move || what.get() on:input=move |ev| what.set(event_target_value(&ev))/>
            <label for="expertise-from">{tr(Key::ExpertiseFrom)}</label>
            <input id="expertise-from" type="text" dir="auto" maxlength=proces::MAX_NAME_CHARS.to_string()
                prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
            <label class="check"><input id="expertise-municipal" type="checkbox" prop:checked=move || municipal.get()
                on:change=move |ev| municipal.set(event_target_checked(&ev))/> {tr(Key::ExpertiseMunicipal)}</label>
            <button type="submit">{tr(Key::AddExpertise)}</button>
        </form>
    }
}

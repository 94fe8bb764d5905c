//! Uitdagingen: challenges attached to steps of the map; external ones parked apart.

use draaiboeken::proces::{self, ProcessMap};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use yrs::Doc;

use super::WerkvormUi;
use super::proces_map::{Below, Extras, remove_button, step_options};
use crate::board_ui::new_id;
use crate::i18n::{Key, tr};

pub struct Uitdagingen;

impl WerkvormUi for Uitdagingen {
    const MAP: Extras = Extras::below(challenges);
}

/// Below the map: the form (where the map may be changed) and the parked challenges.
fn challenges(below: Below) -> Option<AnyView> {
    let (me, facilitator) = (below.ctx.me, below.ctx.facilitator);
    let view = view! {
        <Challenges map=below.map doc=below.doc me=me writable=below.writable facilitator=facilitator/>
    };
    Some(view.into_any())
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
                <input id="challenge-text" type="text" dir="auto" maxlength=proces::MAX_TEXT_CHARS.to_string()
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
                view! { <li class="challenge" dir="auto">{c.text.clone()} {remove}</li> }
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

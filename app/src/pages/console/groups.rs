//! The console's groups: everyone spread over groups (mixing roles) or one moved, what the
//! projector shows, and the one-choice-per-member menus groups and pairs share.

use draaiboeken::agenda::Lead;
use draaiboeken::sessie::{ControlCommand, MemberInfo};
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::agenda_ui::Agenda;
use crate::i18n::{Key, tr, trf, trf_live};

/// One choice per member: which group (or pair) they are in, or none. Offers one number more
/// than the highest in use (at least `least + 1`), to start a new one.
pub(crate) fn member_choices(
    members: Vec<MemberInfo>,
    current: std::collections::BTreeMap<String, u32>,
    least: u32,
    (name, label, none): (Key, Key, Key),
    pick: impl Fn(String, Option<u32>) + Clone + 'static,
) -> impl IntoView {
    let max = current.values().copied().max().unwrap_or(0).max(least) + 1;
    let used: std::collections::BTreeSet<u32> = current.values().copied().collect();
    members
        .into_iter()
        .map(|m| {
            let now = current.get(&m.id).copied();
            let pick = pick.clone();
            let id = m.id.clone();
            let options = (1..=max)
                .map(|n| {
                    // A number no one is in yet is said to be empty, not offered as if it were
                    // a group that exists.
                    let choice = trf(name, &[("n", &n)]);
                    let text = if used.contains(&n) {
                        choice
                    } else {
                        trf(Key::EmptyChoice, &[("choice", &choice)])
                    };
                    view! { <option value=n.to_string() selected=now == Some(n)>{text}</option> }
                })
                .collect_view();
            let label = trf_live(label, vec![("name", m.name.clone())]);
            view! {
                <li>
                    <span dir="auto">{m.name.clone()}</span>
                    <select aria-label=label data-member=m.id.clone()
                        on:change=move |ev| pick(id.clone(), event_target_value(&ev).parse().ok())>
                        <option value="" selected=now.is_none()>{tr(none)}</option>
                        {options}
                    </select>
                </li>
            }
        })
        .collect_view()
}

/// Groups: spread everyone (mixing roles), move one person, and what the projector shows.
#[component]
pub(super) fn GroupsPanel(
    agenda: Memo<Option<Agenda>>,
    members: Memo<Vec<MemberInfo>>,
    control: SendWrapper<impl Fn(ControlCommand) + Clone + 'static>,
) -> impl IntoView {
    // While a group block runs, and during the block before it.
    let has_groups = Memo::new(move |_| {
        agenda.get().is_some_and(|a| {
            draaiboeken::agenda::panel_applies(&a.steps, a.current(), Lead::OneStep, |s| {
                s.groups.is_some()
            })
        })
    });
    let count = RwSignal::new(String::new());
    let (c1, c2, c3) = (control.clone(), control.clone(), control);
    let spread = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        c1(ControlCommand::SpreadGroups {
            count: count.get_untracked().trim().parse().ok(),
        });
    };
    let c2 = SendWrapper::new(c2);
    let rows = move || {
        let groups = agenda.get().map(|a| a.control.groups).unwrap_or_default();
        let c = c2.clone();
        member_choices(
            members.get(),
            groups,
            2,
            (Key::Group, Key::MemberGroup, Key::NoGroup),
            move |member, group| c(ControlCommand::AssignGroup { member, group }),
        )
    };
    let focus = move || {
        let a = agenda.get()?;
        let numbers = a.control.group_numbers();
        if numbers.is_empty() {
            return None;
        }
        let current = a.control.focus_group;
        let c = c3.clone();
        let options = numbers
            .iter()
            .map(|g| view! { <option value=g.to_string() selected=current == Some(*g)>{trf(Key::Group, &[("n", g)])}</option> })
            .collect_view();
        Some(view! {
            <label class="inline">{tr(Key::ProjectorShows)}
                <select on:change=move |ev| c(ControlCommand::FocusGroup { group: event_target_value(&ev).parse().ok() })>
                    <option value="" selected=current.is_none()>{tr(Key::AllGroups)}</option>
                    {options}
                </select>
            </label>
        })
    };
    view! {
        <Show when=move || has_groups.get()>
            <section class="groups" aria-labelledby="groups-heading">
                <h2 id="groups-heading">{tr(Key::GroupsHeading)}</h2>
                <form class="inline-form" on:submit=spread.clone()>
                    <label for="group-count">{tr(Key::GroupCount)}</label>
                    <input id="group-count" type="number" min="1" max="50" inputmode="numeric"
                        prop:value=move || count.get() on:input=move |ev| count.set(event_target_value(&ev))/>
                    <button type="submit">{tr(Key::SpreadGroups)}</button>
                </form>
                {focus.clone()}
                <ul class="group-members">{rows.clone()}</ul>
            </section>
        </Show>
    }
}

//! Het dreamteam: who contributes time and energy (here today or wished for), what they bring,
//! and how the work is shared. It lives beside the map in the board's document.

use draaiboeken::proces::{self, TeamMember, TeamMode};
use leptos::prelude::*;

use super::proces_map::{ProcessCtx, remove_button, use_process};
use super::{ConsoleCtx, PhoneCtx, ProjectorCtx, WerkvormUi};
use crate::board_ui::{LiveBoard, new_id};
use crate::i18n::{Key, tr};

pub struct Dreamteam;

impl WerkvormUi for Dreamteam {
    fn phone(ctx: PhoneCtx) -> AnyView {
        view! {
            {ctx.group_note()}
            {ctx.locked_note()}
            <TeamBoard live=ctx.live.clone() ctx=ctx.process_ctx()/>
        }
        .into_any()
    }

    fn console(ctx: ConsoleCtx) -> AnyView {
        view! { <TeamBoard live=ctx.live.clone() ctx=ctx.process_ctx()/> }.into_any()
    }

    fn projector(ctx: ProjectorCtx) -> AnyView {
        view! { <TeamBoard live=ctx.live.clone() ctx=ctx.process_ctx() big=true/> }.into_any()
    }
}

/// Het dreamteam: who takes part (here today or wished for), what they bring, and how the
/// work is shared.
#[component]
fn TeamBoard(
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
                <input id="team-name" type="text" dir="auto" maxlength=proces::MAX_NAME_CHARS.to_string()
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <label class="check"><input id="team-present" type="checkbox" prop:checked=move || present.get()
                    on:change=move |ev| present.set(event_target_checked(&ev))/> {tr(Key::TeamPresent)}</label>
                <label for="team-brings">{tr(Key::TeamBrings)}</label>
                <input id="team-brings" type="text" dir="auto" maxlength=proces::MAX_TEXT_CHARS.to_string()
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
            let items = m
                .team
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
                            <strong class="team-name" dir="auto">{t.name.clone()}</strong>
                            {t.lead.then(|| view! { <span class="badge lead-badge">{tr(Key::TeamLead)}</span> })}
                            {(!t.present).then(|| view! { <span class="badge">{tr(Key::TeamWished)}</span> })}
                            {(!t.brings.is_empty()).then(|| view! { <p class="team-brings">{t.brings.clone()}</p> })}
                            {lead}
                            {remove}
                        </li>
                    }
                })
                .collect_view();
            // The list only when it has members: a list holds nothing but its items.
            view! { <ul class="team">{items}</ul> }.into_any()
        }
    };
    view! {
        <section class=if big { "dreamteam big" } else { "dreamteam" } aria-labelledby="team-heading">
            <h2 id="team-heading">{tr(Key::TeamHeading)}</h2>
            {form}
            {mode}
            {list}
        </section>
    }
}

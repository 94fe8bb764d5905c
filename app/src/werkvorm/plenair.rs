//! The plenary round: the groups' boards one by one, each group with its speaking time. The
//! facilitator gives the floor; phones and the projector show who has it and for how long.

use draaiboeken::sessie::ControlCommand;
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use super::{PanelCtx, StatusCtx, WerkvormUi};
use crate::agenda_ui::{Agenda, format_duration};
use crate::i18n::{Key, rich, tr, trf};

pub struct Plenair;

impl WerkvormUi for Plenair {
    fn status(ctx: StatusCtx) -> Option<AnyView> {
        Some(view! { <PlenaryStatus agenda=ctx.agenda now=ctx.now/> }.into_any())
    }

    fn console_panel(ctx: PanelCtx) -> Option<AnyView> {
        let control = SendWrapper::new(move |c: ControlCommand| ctx.control.run(c));
        Some(view! { <PlenaryPanel agenda=ctx.agenda now=ctx.now control=control/> }.into_any())
    }
}

/// The plenary round: which group has the floor and its speaking time, for everyone.
#[component]
fn PlenaryStatus(agenda: Memo<Option<Agenda>>, now: ReadSignal<i64>) -> impl IntoView {
    let state = Memo::new(move |_| {
        let a = agenda.get()?;
        let (step, s) = a.running()?;
        if !s.werkvorm.is_some_and(|w| w.rules().gives_the_floor) {
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
        let left = move || (slot - (now.get() - p.since)).min(slot);
        let over = move || left() < 0;
        let time_up = tr(Key::TimeUp);
        // Only who has the floor is announced (once, as it changes); the timer ticks silently.
        Some(view! {
            <section class=move || if over() { "plenary overrun" } else { "plenary" } data-group=p.group>
                <p class="plenary-floor" role="status">{rich(Key::HasTheFloor, move |_| view! { <strong>{trf(Key::Group, &[("n", &p.group)])}</strong> })}</p>
                <p class="plenary-timer" role="timer">
                    {move || if over() { time_up() } else { "" }} " "
                    {move || if over() { "+" } else { "" }}{move || format_duration(left().abs())}
                </p>
            </section>
        }.into_any())
    }
}

/// The plenary round: give the floor to each group in turn; everyone sees its speaking time.
#[component]
fn PlenaryPanel(
    agenda: Memo<Option<Agenda>>,
    now: ReadSignal<i64>,
    control: SendWrapper<impl Fn(ControlCommand) + Clone + 'static>,
) -> impl IntoView {
    let state = Memo::new(move |_| {
        let a = agenda.get()?;
        let (step, s) = a.running()?;
        s.werkvorm
            .is_some_and(|w| w.rules().gives_the_floor)
            .then(|| {
                (
                    a.control.group_numbers(),
                    a.control
                        .plenary
                        .filter(|p| p.step == step)
                        .map(|p| p.group),
                    a.control.speaking_ms(s),
                )
            })
    });
    let control = SendWrapper::new(control);
    move || {
        let (groups, current, slot) = state.get()?;
        let next = match current {
            None => groups.first().copied(),
            Some(c) => groups.iter().copied().find(|g| *g > c),
        };
        let give = groups
            .iter()
            .map(|g| {
                let c = control.clone();
                let g = *g;
                view! {
                    <button type="button" class="give-floor" data-group=g aria-pressed=(current == Some(g)).to_string()
                        on:click=move |_| c(ControlCommand::Plenary { group: Some(g) })>
                        {move || trf(Key::GiveFloor, &[("group", &trf(Key::Group, &[("n", &g)]))])}
                    </button>
                }
            })
            .collect_view();
        let (c1, c2) = (control.clone(), control.clone());
        Some(view! {
            <section class="plenary-panel" aria-labelledby="plenary-heading">
                <h2 id="plenary-heading">{tr(Key::PlenaryHeading)}</h2>
                <p class="hint">{trf(Key::SpeakingTime, &[("time", &format_duration(slot))])}</p>
                <PlenaryStatus agenda=agenda now=now/>
                <div class="controls" role="group">
                    {next.map(|g| view! {
                        <button type="button" class="next-group" data-action="next-group"
                            on:click=move |_| c1(ControlCommand::Plenary { group: Some(g) })>{tr(Key::NextGroup)}</button>
                    })}
                    {current.map(|_| view! {
                        <button type="button" data-action="end-round"
                            on:click=move |_| c2(ControlCommand::Plenary { group: None })>{tr(Key::EndRound)}</button>
                    })}
                </div>
                <div class="controls">{give}</div>
            </section>
        })
    }
}

//! Post-its: free post-its on a wall, clustered by the facilitator (succesfactoren, inzichten,
//! impact, …). Its views are every werkvorm's defaults (see [`WerkvormUi`]).

use leptos::prelude::*;

use super::{ConsoleCtx, PhoneCtx, ProjectorCtx, WerkvormUi};
use crate::board_ui::{Moderate, Wall};
use crate::i18n::{Key, tr};

pub struct PostIts;

impl WerkvormUi for PostIts {}

/// A phone: the composer and the wall, with the writer's own post-its to take back.
pub(super) fn phone(ctx: PhoneCtx) -> AnyView {
    ctx.layout(true, Key::WallHeading, |ctx| {
        view! { <Wall board=ctx.live.board own=ctx.own()/> }
    })
}

/// A phone writing privately: the composer and the participant's own post-its.
pub(super) fn phone_private(ctx: PhoneCtx) -> AnyView {
    ctx.layout(true, Key::YourNotes, |ctx| {
        view! {
            <p class="private-note">{tr(Key::NotesPrivate)}</p>
            <Wall board=ctx.live.board own=ctx.own()/>
        }
    })
}

/// The console: the facilitator's moderation of the wall.
pub(super) fn console(ctx: ConsoleCtx) -> AnyView {
    view! { <Moderate live=ctx.live members=ctx.members/> }.into_any()
}

/// The projector: the wall.
pub(super) fn projector(ctx: ProjectorCtx) -> AnyView {
    view! { <Wall board=ctx.live.board/> }.into_any()
}

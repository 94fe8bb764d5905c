//! Who may open and write which of a session's documents, decided from the agenda and the
//! control state; asked again whenever either changes.

use std::sync::Arc;

use thiserror::Error;

use super::{Control, MAX_GROUPS, SessionDoc};
use crate::agenda::{AgendaState, Step};
use crate::guard::BoardGuard;
use crate::sync::Access;
use crate::werkvorm::Werkvorm;

/// The step whose process map step `step` carries on with: the nearest earlier step that works
/// on a process map, when `step` itself works on process steps (roles, regie, expertise,
/// challenges). A proces-in-kaart step starts a new map.
pub fn process_source(steps: &[Step], step: usize) -> Option<usize> {
    let s = steps.get(step)?;
    if !s.werkvorm.is_some_and(|w| w.rules().on_process_steps) {
        return None;
    }
    (0..step)
        .rev()
        .find(|&i| steps[i].werkvorm.is_some_and(|w| w.is_process()))
}
/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Facilitator,
    /// A screen for the room (the projector, perhaps on the venue's computer): it reads what
    /// the room may see, in every group, and writes nothing.
    Projector,
    Participant {
        member: String,
        /// A civil servant (role [`CIVIL_SERVANT`]).
        civil: bool,
    },
}

/// Why a participant may not open a document.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refusal {
    #[error("no such document in a session")]
    UnknownDocument,
    #[error("this block has not started yet")]
    NotYet,
    #[error("this block has no board")]
    NoBoard,
    #[error("these notes are private until the facilitator reveals them")]
    Private,
    #[error("a pair's board is for the pair and the facilitator")]
    PairsOnly,
    #[error("these are someone else's private notes")]
    NotYours,
    #[error("this is another group's board")]
    OtherGroup,
    #[error("only the facilitator sees this")]
    FacilitatorOnly,
    #[error("no such member in this session")]
    NoMember,
    #[error("the session has ended")]
    Ended,
}

/// What `who` may do with document `doc` of a session whose agenda is `agenda`.
pub fn access(
    who: &Who,
    doc: &SessionDoc,
    steps: &[Step],
    agenda: &AgendaState,
    control: &Control,
) -> Result<Access, Refusal> {
    // Every document names a step of the script, and a group within bounds, whoever asks: a
    // session has a bounded number of documents.
    let known = match doc {
        SessionDoc::Board { step, group } => {
            *step < steps.len() && group.is_none_or(|g| (1..=MAX_GROUPS).contains(&g))
        }
        SessionDoc::Own { step, .. } => *step < steps.len(),
        SessionDoc::Agenda | SessionDoc::Members => true,
    };
    if !known {
        return Err(Refusal::UnknownDocument);
    }
    let (member, civil) = match who {
        Who::Facilitator => return Ok(Access::ReadWrite),
        Who::Projector => return projector_access(doc, steps, agenda, control),
        Who::Participant { member, civil } => (member, *civil),
    };
    // A participant's writes are checked change by change (see `crate::guard`).
    let guarded = |s: &Step, own: bool| {
        let werkvorm = s.werkvorm.unwrap_or(Werkvorm::DEFAULT);
        Access::Guarded(Arc::new(BoardGuard::new(member, civil, werkvorm, own)))
    };
    let current = agenda.running_step();
    let step_of = |step: usize| -> Result<&Step, Refusal> {
        let s = steps.get(step).ok_or(Refusal::UnknownDocument)?;
        if agenda.current.is_none_or(|c| step > c) {
            return Err(Refusal::NotYet);
        }
        Ok(s)
    };
    // Participants write only in the running block, in a board that isn't locked.
    let writable = |step: usize, s: &Step| {
        current == Some(step)
            && !control.locked.contains(&step)
            && s.werkvorm.is_some_and(|w| w.rules().participants_write)
    };
    match doc {
        SessionDoc::Agenda => Ok(Access::ReadOnly),
        SessionDoc::Members => Err(Refusal::FacilitatorOnly),
        SessionDoc::Own {
            step,
            member: owner,
        } => {
            if owner != member {
                return Err(Refusal::NotYours);
            }
            let s = step_of(*step)?;
            if !s.private {
                return Err(Refusal::NoBoard);
            }
            Ok(if writable(*step, s) && !control.revealed.contains(step) {
                guarded(s, true)
            } else {
                Access::ReadOnly
            })
        }
        SessionDoc::Board { step, group } => {
            let s = step_of(*step)?;
            if s.werkvorm.is_none_or(|w| !w.rules().participants_write) {
                return Err(Refusal::NoBoard);
            }
            if group.is_some() && *group != control.board_group(s, member) {
                return Err(Refusal::OtherGroup);
            }
            if s.private {
                // Before the reveal the board holds nothing for participants. After it, the
                // revealed notes: only the facilitator rearranges a check-in's words, while a
                // group puts its revealed process steps in order together.
                return if !control.revealed.contains(step) {
                    Err(Refusal::Private)
                } else if s.werkvorm.is_some_and(|w| w.rules().arrange_after_reveal)
                    && writable(*step, s)
                {
                    Ok(guarded(s, false))
                } else {
                    Ok(Access::ReadOnly)
                };
            }
            Ok(if writable(*step, s) {
                guarded(s, false)
            } else {
                Access::ReadOnly
            })
        }
    }
}

/// What the room's screen may read: the agenda, and every started block's boards (of every
/// group) once they hold what the room may see; never anyone's private notes or the members.
fn projector_access(
    doc: &SessionDoc,
    steps: &[Step],
    agenda: &AgendaState,
    control: &Control,
) -> Result<Access, Refusal> {
    match doc {
        SessionDoc::Agenda => Ok(Access::ReadOnly),
        SessionDoc::Members => Err(Refusal::FacilitatorOnly),
        SessionDoc::Own { .. } => Err(Refusal::NotYours),
        SessionDoc::Board { step, .. } => {
            let s = steps.get(*step).ok_or(Refusal::UnknownDocument)?;
            if agenda.current.is_none_or(|c| *step > c) {
                return Err(Refusal::NotYet);
            }
            if s.werkvorm.is_none_or(|w| !w.rules().participants_write) {
                return Err(Refusal::NoBoard);
            }
            if s.private && !control.revealed.contains(step) {
                return Err(Refusal::Private);
            }
            // A 1-op-1 is a conversation between two: its summaries are not for the room.
            if s.werkvorm.is_some_and(|w| w.rules().in_pairs) {
                return Err(Refusal::PairsOnly);
            }
            Ok(Access::ReadOnly)
        }
    }
}

//! A session's documents and who may do what with them.
//!
//! Every shared thing of a session is a document named `sessie/{id}/{doc}`:
//!
//! | `{doc}` | what | participants |
//! | --- | --- | --- |
//! | `agenda` | the agenda and [`Control`], written by the server | read |
//! | `leden` | map `leden`: member id → [`MemberInfo`] as JSON, written by the server | no |
//! | `blok/{n}` | the board of step `n` | see [`access`] |
//! | `blok/{n}/groep/{g}` | the board of group `g` in a group step | their own group only |
//! | `blok/{n}/eigen/{member}` | a member's private notes of step `n`, before the reveal | only that member |
//!
//! The decision is made here, from the agenda and the control state, so the server only
//! carries it out. It is made again whenever either changes: a connection that was allowed to
//! write to a block's board loses that right when the block ends.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::agenda::{AgendaState, Millis, Step};
use crate::guard::BoardGuard;
use crate::sync::Access;
use crate::werkvorm::Werkvorm;

/// One of a session's documents, by the part of its name after `sessie/{id}/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SessionDoc {
    Agenda,
    /// The members list, for the facilitator's screens.
    Members,
    /// A step's board, or one group's board in a group step.
    Board {
        step: usize,
        group: Option<u32>,
    },
    /// A member's private notes in a step.
    Own {
        step: usize,
        member: String,
    },
}

/// Largest step index and group number a document name may carry.
const MAX_INDEX: usize = 999;

fn index(s: &str) -> Option<usize> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|n| *n <= MAX_INDEX)
}

impl SessionDoc {
    pub fn parse(doc: &str) -> Option<SessionDoc> {
        let parts: Vec<&str> = doc.split('/').collect();
        match parts.as_slice() {
            ["agenda"] => Some(SessionDoc::Agenda),
            ["leden"] => Some(SessionDoc::Members),
            ["blok", n] => Some(SessionDoc::Board {
                step: index(n)?,
                group: None,
            }),
            ["blok", n, "groep", g] => Some(SessionDoc::Board {
                step: index(n)?,
                group: Some(u32::try_from(index(g)?).ok()?),
            }),
            ["blok", n, "eigen", m]
                if !m.is_empty()
                    && m.len() <= 64
                    && m.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                Some(SessionDoc::Own {
                    step: index(n)?,
                    member: (*m).to_owned(),
                })
            }
            _ => None,
        }
    }

    pub fn name(&self) -> String {
        match self {
            SessionDoc::Agenda => "agenda".into(),
            SessionDoc::Members => "leden".into(),
            SessionDoc::Board { step, group: None } => format!("blok/{step}"),
            SessionDoc::Board {
                step,
                group: Some(g),
            } => format!("blok/{step}/groep/{g}"),
            SessionDoc::Own { step, member } => format!("blok/{step}/eigen/{member}"),
        }
    }

    /// The full room name in session `session`.
    pub fn room(&self, session: &str) -> String {
        format!("sessie/{session}/{}", self.name())
    }
}

/// A member as every screen of the session sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberInfo {
    pub id: String,
    pub name: String,
    pub role: String,
    /// Has a screen connected to the session right now.
    #[serde(default)]
    pub online: bool,
    /// When they joined (server time, ms); lists are in this order.
    #[serde(default)]
    pub joined_at: i64,
}

/// What the facilitator decides beside the agenda: reveals, locks, groups and the projector.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Control {
    /// Steps whose private notes have been revealed.
    #[serde(default)]
    pub revealed: BTreeSet<usize>,
    /// Steps whose boards participants can no longer change.
    #[serde(default)]
    pub locked: BTreeSet<usize>,
    /// The projector shows the join code even when the block doesn't ask for it.
    #[serde(default)]
    pub show_code: bool,
    /// The projector shows only this group's board in group steps.
    #[serde(default)]
    pub focus_group: Option<u32>,
    /// Which group each member is in, for every group step (member id → group, from 1).
    #[serde(default)]
    pub groups: BTreeMap<String, u32>,
    /// Authors are left out of every export (and never shown on the wall).
    #[serde(default)]
    pub anonymous: bool,
    /// The 1-op-1 pairs (member id → pair, from 1), made apart from the groups.
    #[serde(default)]
    pub pairs: BTreeMap<String, u32>,
    /// What each pair talks about (the neighbourhood project), by pair number.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, String>))]
    pub pair_names: BTreeMap<u32, String>,
    /// The plenary round: which group has the floor, and since when.
    #[serde(default)]
    pub plenary: Option<Plenary>,
}

/// The group that has the floor in a plenary round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plenary {
    pub step: usize,
    pub group: u32,
    /// Server time (ms) the group started speaking.
    pub since: Millis,
}

/// The role id of civil servants: they mark steps of the municipal process, and each 1-op-1
/// pair has one.
pub const CIVIL_SERVANT: &str = "ambtenaar";

/// Longest pair name, in characters.
pub const MAX_PAIR_NAME_CHARS: usize = 80;

impl Control {
    pub fn group_of(&self, member: &str) -> Option<u32> {
        self.groups.get(member).copied()
    }

    /// The groups in use, in order.
    pub fn group_numbers(&self) -> Vec<u32> {
        let set: BTreeSet<u32> = self.groups.values().copied().collect();
        set.into_iter().collect()
    }

    /// The pairs in use, in order.
    pub fn pair_numbers(&self) -> Vec<u32> {
        let set: BTreeSet<u32> = self.pairs.values().copied().collect();
        set.into_iter().collect()
    }

    /// The members of pair `pair`, in id order.
    pub fn pair_members(&self, pair: u32) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(_, p)| **p == pair)
            .map(|(m, _)| m.as_str())
            .collect()
    }

    /// How long each group may speak in the plenary step `s`: its time shared out.
    pub fn speaking_ms(&self, s: &Step) -> Millis {
        let groups = self.group_numbers().len().max(1) as Millis;
        Millis::from(s.planned_minutes) * 60_000 / groups
    }

    /// The document a member writes in and reads during step `step`, and whether it is their
    /// private one. `None` when the step has no board for participants.
    pub fn board_for(&self, steps: &[Step], step: usize, member: &str) -> Option<SessionDoc> {
        let s = steps.get(step)?;
        let rules = s.werkvorm?.rules();
        if !rules.participants_write {
            return None;
        }
        if s.private && !self.revealed.contains(&step) {
            return Some(SessionDoc::Own {
                step,
                member: member.to_owned(),
            });
        }
        Some(SessionDoc::Board {
            step,
            group: self.board_group(s, member),
        })
    }

    /// The boards of step `s` as the room sees them: one per pair in a 1-op-1 and one per
    /// group in a group step once they are made, else the one board (`None`).
    pub fn boards_of(&self, s: &Step) -> Vec<Option<u32>> {
        let numbers = if in_pairs(s) {
            self.pair_numbers()
        } else if s.groups.is_some() {
            self.group_numbers()
        } else {
            Vec::new()
        };
        if numbers.is_empty() {
            vec![None]
        } else {
            numbers.into_iter().map(Some).collect()
        }
    }

    /// The group whose board `member` uses in step `s` (none outside group steps, or before
    /// the facilitator has made groups).
    pub fn board_group(&self, s: &Step, member: &str) -> Option<u32> {
        if in_pairs(s) {
            self.pairs.get(member).copied()
        } else if s.groups.is_some() {
            self.group_of(member)
        } else {
            None
        }
    }
}

fn in_pairs(s: &Step) -> bool {
    s.werkvorm.is_some_and(|w| w.rules().in_pairs)
}

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

/// What the facilitator can decide beside the agenda (`POST /api/sessions/{id}/control`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "action", deny_unknown_fields)]
pub enum ControlCommand {
    /// Shows everyone's private notes of a step on its board(s).
    Reveal { step: usize },
    /// Locks (or unlocks) a step's boards for participants.
    Lock { step: usize, locked: bool },
    /// Shows (or hides) the join code on the projector.
    ShowCode { show: bool },
    /// Focuses the projector on one group, or shows all (`null`).
    FocusGroup { group: Option<u32> },
    /// Spreads everyone over `count` groups (or as many as suit the next group block), mixing
    /// roles.
    SpreadGroups { count: Option<u32> },
    /// Puts one member in a group, or in none (`null`).
    AssignGroup { member: String, group: Option<u32> },
    /// Leaves authors out of every export, or puts them back.
    SetAnonymous { anonymous: bool },
    /// Makes the 1-op-1 pairs: each civil servant with a resident or initiator.
    MakePairs,
    /// Puts one member in a pair, or in none (`null`).
    AssignPair { member: String, pair: Option<u32> },
    /// Names what a pair talks about (the neighbourhood project); empty clears it.
    NamePair { pair: u32, name: String },
    /// Gives the floor to a group in the running plenary step (its speaking time starts
    /// now), or ends the round (`null`).
    Plenary { group: Option<u32> },
}

/// Why a control command can't be carried out.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ControlError {
    #[error("there is no step {0}")]
    NoStep(usize),
    #[error("step {0} is not private; there is nothing to reveal")]
    NotPrivate(usize),
    #[error("step {0} has not started yet")]
    NotStarted(usize),
    #[error("no member with id `{0}` in this session")]
    NoMember(String),
    #[error("use 1 to {MAX_GROUPS} groups")]
    BadGroup,
    #[error("the running block is not a plenary round")]
    NoPlenary,
}

/// Most private notes of one member that a reveal puts on the board.
pub const MAX_REVEALED_PER_MEMBER: usize = 50;

/// Most groups in a session.
pub const MAX_GROUPS: u32 = 50;

impl Control {
    /// Applies a facilitator's command. `members` are the session's members; `agenda` tells
    /// which steps have started.
    pub fn apply(
        &mut self,
        command: &ControlCommand,
        steps: &[Step],
        agenda: &AgendaState,
        members: &[MemberInfo],
        now: Millis,
    ) -> Result<(), ControlError> {
        let started = |step: usize| -> Result<&Step, ControlError> {
            let s = steps.get(step).ok_or(ControlError::NoStep(step))?;
            if agenda.current.is_none_or(|c| step > c) {
                return Err(ControlError::NotStarted(step));
            }
            Ok(s)
        };
        let valid_group = |g: u32| (1..=MAX_GROUPS).contains(&g);
        match command {
            ControlCommand::Reveal { step } => {
                if !started(*step)?.private {
                    return Err(ControlError::NotPrivate(*step));
                }
                self.revealed.insert(*step);
            }
            ControlCommand::Lock { step, locked } => {
                steps.get(*step).ok_or(ControlError::NoStep(*step))?;
                if *locked {
                    self.locked.insert(*step);
                } else {
                    self.locked.remove(step);
                }
            }
            ControlCommand::ShowCode { show } => self.show_code = *show,
            ControlCommand::SetAnonymous { anonymous } => self.anonymous = *anonymous,
            ControlCommand::FocusGroup { group } => {
                if group.is_some_and(|g| !valid_group(g)) {
                    return Err(ControlError::BadGroup);
                }
                self.focus_group = *group;
            }
            ControlCommand::SpreadGroups { count } => {
                // The current or next group step says how large groups are, and whether roles mix.
                let from = agenda.current.unwrap_or(0);
                let g = steps.iter().skip(from).find_map(|s| s.groups);
                let count = match count {
                    Some(c) if valid_group(*c) => *c,
                    Some(_) => return Err(ControlError::BadGroup),
                    None => {
                        group_count(members.len(), g.and_then(|g| g.min), g.and_then(|g| g.max))
                    }
                };
                self.groups = spread(members, count, g.is_some_and(|g| g.mix_roles));
                self.focus_group = None;
            }
            ControlCommand::MakePairs => {
                self.pairs = make_pairs(members);
                self.pair_names
                    .retain(|p, _| self.pairs.values().any(|q| q == p));
            }
            ControlCommand::AssignPair { member, pair } => {
                assign(&mut self.pairs, member, *pair, members)?
            }
            ControlCommand::NamePair { pair, name } => {
                if !valid_group(*pair) {
                    return Err(ControlError::BadGroup);
                }
                let name: String = name
                    .trim()
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(MAX_PAIR_NAME_CHARS)
                    .collect();
                if name.is_empty() {
                    self.pair_names.remove(pair);
                } else {
                    self.pair_names.insert(*pair, name);
                }
            }
            ControlCommand::Plenary { group } => match group {
                None => self.plenary = None,
                Some(g) => {
                    let step = agenda
                        .running_step()
                        .filter(|s| steps[*s].werkvorm == Some(Werkvorm::Plenair))
                        .ok_or(ControlError::NoPlenary)?;
                    if !valid_group(*g) {
                        return Err(ControlError::BadGroup);
                    }
                    self.plenary = Some(Plenary {
                        step,
                        group: *g,
                        since: now,
                    });
                }
            },
            ControlCommand::AssignGroup { member, group } => {
                assign(&mut self.groups, member, *group, members)?
            }
        }
        Ok(())
    }
}

/// Puts `member` in group (or pair) `to` of `into`, or takes them out (`None`).
fn assign(
    into: &mut BTreeMap<String, u32>,
    member: &str,
    to: Option<u32>,
    members: &[MemberInfo],
) -> Result<(), ControlError> {
    if !members.iter().any(|m| m.id == member) {
        return Err(ControlError::NoMember(member.to_owned()));
    }
    match to {
        Some(n) if (1..=MAX_GROUPS).contains(&n) => {
            into.insert(member.to_owned(), n);
        }
        Some(_) => return Err(ControlError::BadGroup),
        None => {
            into.remove(member);
        }
    }
    Ok(())
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Facilitator,
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
    #[error("these are someone else's private notes")]
    NotYours,
    #[error("this is another group's board")]
    OtherGroup,
    #[error("only the facilitator sees this")]
    FacilitatorOnly,
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
        Who::Participant { member, civil } => (member, *civil),
    };
    // A participant's writes are checked change by change (see `crate::guard`).
    let guarded = |s: &Step, own: bool| {
        let werkvorm = s.werkvorm.unwrap_or(Werkvorm::PostIts);
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

/// Spreads members over `count` groups of even size. With `mix_roles`, members are dealt out
/// role by role, so each group gets a share of every role; without, in the order they joined,
/// so people who came in together (and often sit together) stay together. Deterministic for the
/// same input.
pub fn spread(members: &[MemberInfo], count: u32, mix_roles: bool) -> BTreeMap<String, u32> {
    let count = count.max(1);
    if !mix_roles {
        let per = members.len().div_ceil(count as usize).max(1);
        return members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), (i / per) as u32 + 1))
            .collect();
    }
    let mut by_role: BTreeMap<&str, Vec<&MemberInfo>> = BTreeMap::new();
    for m in members {
        by_role.entry(m.role.as_str()).or_default().push(m);
    }
    let mut out = BTreeMap::new();
    let mut next = 0u32;
    for list in by_role.values() {
        for m in list {
            out.insert(m.id.clone(), next % count + 1);
            next += 1;
        }
    }
    out
}

/// A join code as typed, cleaned up the one way the home page and the server both use: only
/// letters and digits, in capitals (spaces, dashes and dots people type are dropped), and no
/// longer than any code could be.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(32)
        .collect()
}

/// Pairs for the 1-op-1: each civil servant with someone who isn't one, in the order they
/// joined. Left-over people join the pairs one by one (making threes), so nobody is alone;
/// without civil servants (or without anyone else), people pair up in joining order.
pub fn make_pairs(members: &[MemberInfo]) -> BTreeMap<String, u32> {
    let (civil, others): (Vec<&MemberInfo>, Vec<&MemberInfo>) =
        members.iter().partition(|m| m.role == CIVIL_SERVANT);
    let mut out = BTreeMap::new();
    if civil.is_empty() || others.is_empty() {
        let all: Vec<&MemberInfo> = civil.into_iter().chain(others).collect();
        let count = (all.len() / 2).max(1);
        for (i, m) in all.iter().enumerate() {
            out.insert(m.id.clone(), (i / 2).min(count - 1) as u32 + 1);
        }
        return out;
    }
    let count = civil.len().min(others.len());
    for list in [civil, others] {
        for (i, m) in list.iter().enumerate() {
            out.insert(m.id.clone(), (i % count) as u32 + 1);
        }
    }
    out
}

/// How many groups of `min..=max` people (4–6 when the draaiboek doesn't say) suit `n` people.
pub fn group_count(n: usize, min: Option<u32>, max: Option<u32>) -> u32 {
    let max = max.unwrap_or(6).max(1) as usize;
    let min = min.unwrap_or(4).clamp(1, max as u32) as usize;
    if n <= max {
        return 1;
    }
    let mut count = n.div_ceil(max);
    // Fewer, fuller groups if the groups would be too small.
    while count > 1 && n / count < min {
        count -= 1;
    }
    count as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agenda::{self, Command};
    use crate::draaiboek;

    fn draaiboek_1() -> Vec<Step> {
        let all = draaiboek::builtin().unwrap();
        let d = all.iter().find(|d| d.id == "ambtenaren").unwrap();
        agenda::steps(d)
    }

    fn at(step: usize, steps: &[Step]) -> AgendaState {
        let mut a = AgendaState::new(steps.len());
        a.apply(Command::Start, 0).unwrap();
        for _ in 0..step {
            a.apply(Command::Next, 1).unwrap();
        }
        a
    }

    /// A participant's (m1's) checked write access.
    fn writes(werkvorm: Werkvorm, own: bool) -> Access {
        Access::Guarded(Arc::new(BoardGuard::new("m1", false, werkvorm, own)))
    }

    fn me() -> Who {
        Who::Participant {
            member: "m1".into(),
            civil: false,
        }
    }

    #[test]
    fn names_round_trip_and_hostile_names_are_refused() {
        for doc in [
            SessionDoc::Agenda,
            SessionDoc::Members,
            SessionDoc::Board {
                step: 3,
                group: None,
            },
            SessionDoc::Board {
                step: 3,
                group: Some(2),
            },
            SessionDoc::Own {
                step: 1,
                member: "abc123".into(),
            },
        ] {
            assert_eq!(SessionDoc::parse(&doc.name()), Some(doc.clone()));
        }
        for bad in [
            "",
            "wand",
            "blok",
            "blok/x",
            "blok/-1",
            "blok/1000",
            "blok/0001",
            "blok/1/groep",
            "blok/1/eigen/a.b",
            "blok/1/eigen/",
            "blok/1/iets/2",
            "agenda/x",
        ] {
            assert_eq!(SessionDoc::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_facilitator_may_do_everything() {
        let steps = draaiboek_1();
        let a = AgendaState::new(steps.len());
        let doc = SessionDoc::Own {
            step: 1,
            member: "m2".into(),
        };
        assert_eq!(
            access(&Who::Facilitator, &doc, &steps, &a, &Control::default()),
            Ok(Access::ReadWrite)
        );
    }

    #[test]
    fn check_in_words_stay_private_until_revealed() {
        let steps = draaiboek_1();
        assert!(steps[1].private, "draaiboek 1's check-in is private");
        let a = at(1, &steps);
        let mut c = Control::default();
        let own = SessionDoc::Own {
            step: 1,
            member: "m1".into(),
        };
        let other = SessionDoc::Own {
            step: 1,
            member: "m2".into(),
        };
        let board = SessionDoc::Board {
            step: 1,
            group: None,
        };
        assert_eq!(
            access(&me(), &own, &steps, &a, &c),
            Ok(writes(Werkvorm::CheckIn, true))
        );
        assert_eq!(
            access(&me(), &other, &steps, &a, &c),
            Err(Refusal::NotYours)
        );
        assert_eq!(access(&me(), &board, &steps, &a, &c), Err(Refusal::Private));
        assert_eq!(c.board_for(&steps, 1, "m1"), Some(own.clone()));

        c.revealed.insert(1);
        assert_eq!(access(&me(), &own, &steps, &a, &c), Ok(Access::ReadOnly));
        assert_eq!(access(&me(), &board, &steps, &a, &c), Ok(Access::ReadOnly));
        assert_eq!(c.board_for(&steps, 1, "m1"), Some(board));
    }

    #[test]
    fn boards_open_with_their_block_and_close_for_writing_after_it_or_when_locked() {
        let steps = draaiboek_1();
        let inzichten = steps
            .iter()
            .position(|s| s.prompt.is_some())
            .expect("draaiboek 1 has an inzichten block with a prompt");
        let board = SessionDoc::Board {
            step: inzichten,
            group: None,
        };
        let mut c = Control::default();
        assert_eq!(
            access(&me(), &board, &steps, &at(1, &steps), &c),
            Err(Refusal::NotYet)
        );
        let a = at(inzichten, &steps);
        assert_eq!(
            access(&me(), &board, &steps, &a, &c),
            Ok(writes(Werkvorm::PostIts, false))
        );
        c.locked.insert(inzichten);
        assert_eq!(access(&me(), &board, &steps, &a, &c), Ok(Access::ReadOnly));
        c.locked.clear();
        let later = at(inzichten + 1, &steps);
        assert_eq!(
            access(&me(), &board, &steps, &later, &c),
            Ok(Access::ReadOnly)
        );
        // Blocks without writing have no board for participants.
        let intro = SessionDoc::Board {
            step: 0,
            group: None,
        };
        assert_eq!(
            access(&me(), &intro, &steps, &later, &c),
            Err(Refusal::NoBoard)
        );
        assert_eq!(
            access(&me(), &SessionDoc::Agenda, &steps, &later, &c),
            Ok(Access::ReadOnly)
        );
        assert_eq!(
            access(&me(), &SessionDoc::Members, &steps, &later, &c),
            Err(Refusal::FacilitatorOnly)
        );
    }

    #[test]
    fn a_group_board_is_for_its_group_only() {
        let steps = draaiboek_1();
        let step = steps.iter().position(|s| s.groups.is_some()).unwrap();
        let a = at(step, &steps);
        let mut c = Control::default();
        c.groups.insert("m1".into(), 2);
        let mine = SessionDoc::Board {
            step,
            group: Some(2),
        };
        let theirs = SessionDoc::Board {
            step,
            group: Some(1),
        };
        assert_eq!(
            access(&me(), &mine, &steps, &a, &c),
            Ok(writes(Werkvorm::Expertise, false))
        );
        assert_eq!(
            access(&me(), &theirs, &steps, &a, &c),
            Err(Refusal::OtherGroup)
        );
        assert_eq!(c.board_for(&steps, step, "m1"), Some(mine));
    }

    fn member(id: &str, role: &str) -> MemberInfo {
        MemberInfo {
            id: id.into(),
            name: id.into(),
            role: role.into(),
            online: true,
            joined_at: 0,
        }
    }

    #[test]
    fn spreading_mixes_roles_and_balances_sizes() {
        let members: Vec<MemberInfo> = (0..10)
            .map(|i| {
                member(
                    &format!("m{i}"),
                    if i < 4 { "bewoner" } else { "ambtenaar" },
                )
            })
            .collect();
        let groups = spread(&members, 2, true);
        assert_eq!(groups.len(), 10);
        for g in [1, 2] {
            let in_g: Vec<&MemberInfo> = members.iter().filter(|m| groups[&m.id] == g).collect();
            assert_eq!(in_g.len(), 5, "group {g}");
            assert_eq!(
                in_g.iter().filter(|m| m.role == "bewoner").count(),
                2,
                "group {g} gets half the bewoners"
            );
        }
        assert_eq!(spread(&members, 2, true), groups, "deterministic");
        // Without mixing, in joining order: the four bewoners (first in) stay together.
        let plain = spread(&members, 2, false);
        assert!((0..4).all(|i| plain[&format!("m{i}")] == 1));
        assert_eq!(plain.values().filter(|g| **g == 2).count(), 5);
    }

    #[test]
    fn group_counts_follow_the_size_range() {
        assert_eq!(group_count(0, None, None), 1);
        assert_eq!(group_count(6, None, None), 1);
        assert_eq!(
            group_count(7, None, None),
            1,
            "two groups of 3–4 are too small"
        );
        assert_eq!(group_count(8, None, None), 2);
        assert_eq!(group_count(12, None, None), 2);
        assert_eq!(group_count(13, None, None), 3);
        assert_eq!(group_count(30, Some(4), Some(6)), 5);
        assert_eq!(group_count(9, Some(2), Some(3)), 3);
    }

    #[test]
    fn control_commands_check_what_they_are_given() {
        let steps = draaiboek_1();
        let members: Vec<MemberInfo> = (0..9)
            .map(|i| member(&format!("m{i}"), "ambtenaar"))
            .collect();
        let mut c = Control::default();
        let a = at(1, &steps);
        let cmd = |json: &str| serde_json::from_str::<ControlCommand>(json).unwrap();
        assert_eq!(
            c.apply(
                &cmd(r#"{"action":"reveal","step":5}"#),
                &steps,
                &a,
                &members,
                0,
            ),
            Err(ControlError::NotStarted(5))
        );
        assert_eq!(
            c.apply(
                &cmd(r#"{"action":"reveal","step":0}"#),
                &steps,
                &a,
                &members,
                0,
            ),
            Err(ControlError::NotPrivate(0))
        );
        c.apply(
            &cmd(r#"{"action":"reveal","step":1}"#),
            &steps,
            &a,
            &members,
            0,
        )
        .unwrap();
        assert!(c.revealed.contains(&1));
        c.apply(
            &cmd(r#"{"action":"spread_groups","count":null}"#),
            &steps,
            &a,
            &members,
            0,
        )
        .unwrap();
        assert_eq!(
            c.group_numbers(),
            [1, 2],
            "nine people make two groups of 4–6"
        );
        c.apply(
            &cmd(r#"{"action":"assign_group","member":"m0","group":7}"#),
            &steps,
            &a,
            &members,
            0,
        )
        .unwrap();
        assert_eq!(c.group_of("m0"), Some(7));
        assert_eq!(
            c.apply(
                &cmd(r#"{"action":"assign_group","member":"nobody","group":1}"#),
                &steps,
                &a,
                &members,
                0,
            ),
            Err(ControlError::NoMember("nobody".into()))
        );
        assert_eq!(
            c.apply(
                &cmd(r#"{"action":"focus_group","group":0}"#),
                &steps,
                &a,
                &members,
                0,
            ),
            Err(ControlError::BadGroup)
        );
        assert!(
            serde_json::from_str::<ControlCommand>(r#"{"action":"reveal","step":1,"x":1}"#)
                .is_err()
        );
    }

    #[test]
    fn draaiboek_3_mixes_residents_and_civil_servants_in_its_groups() {
        let all = draaiboek::builtin().unwrap();
        let d = all
            .iter()
            .find(|d| d.id == "bewoners-en-ambtenaren")
            .unwrap();
        let steps = agenda::steps(d);
        assert!(steps.iter().any(|s| s.groups.is_some_and(|g| g.mix_roles)));
        let members: Vec<MemberInfo> = (0..8)
            .map(|i| {
                member(
                    &format!("m{i}"),
                    if i < 4 { "bewoner" } else { "ambtenaar" },
                )
            })
            .collect();
        let mut c = Control::default();
        let a = AgendaState::new(steps.len());
        c.apply(
            &ControlCommand::SpreadGroups { count: Some(2) },
            &steps,
            &a,
            &members,
            0,
        )
        .unwrap();
        for g in [1, 2] {
            let roles: Vec<&str> = members
                .iter()
                .filter(|m| c.groups[&m.id] == g)
                .map(|m| m.role.as_str())
                .collect();
            assert_eq!(
                roles.iter().filter(|r| **r == "bewoner").count(),
                2,
                "{roles:?}"
            );
            assert_eq!(roles.len(), 4);
        }
    }

    fn draaiboek(id: &str) -> Vec<Step> {
        let all = draaiboek::builtin().unwrap();
        agenda::steps(all.iter().find(|d| d.id == id).unwrap())
    }

    fn find(steps: &[Step], letter: &str) -> usize {
        steps
            .iter()
            .position(|s| s.letter.as_deref() == Some(letter))
            .unwrap()
    }

    #[test]
    fn codes_are_cleaned_up_one_way() {
        assert_eq!(normalise_code(" ac3-f4 7x "), "AC3F47X");
        assert_eq!(normalise_code("ac.3f\u{200b}é"), "AC3F");
        assert_eq!(normalise_code(&"a".repeat(1000)).len(), 32);
    }

    #[test]
    fn process_werkvormen_carry_on_the_nearest_earlier_map() {
        let d3 = draaiboek("bewoners-en-ambtenaren");
        let (c2, c3, c4, c5) = (
            find(&d3, "C.2"),
            find(&d3, "C.3"),
            find(&d3, "C.4"),
            find(&d3, "C.5"),
        );
        assert_eq!(
            process_source(&d3, c2),
            None,
            "proces in kaart starts a map"
        );
        assert_eq!(process_source(&d3, c3), Some(c2));
        assert_eq!(process_source(&d3, c4), Some(c3));
        assert_eq!(process_source(&d3, c5), None, "the dreamteam has no steps");
        let d1 = draaiboek_1();
        let (c, d) = (find(&d1, "C"), find(&d1, "D"));
        assert_eq!(process_source(&d1, c), None, "regie maps its own steps");
        assert_eq!(process_source(&d1, d), Some(c));
    }

    #[test]
    fn revealed_process_steps_are_arranged_by_the_group() {
        let d3 = draaiboek("bewoners-en-ambtenaren");
        let c2 = find(&d3, "C.2");
        let a = at(c2, &d3);
        let mut c = Control::default();
        c.groups.insert("m1".into(), 1);
        let board = SessionDoc::Board {
            step: c2,
            group: Some(1),
        };
        assert_eq!(access(&me(), &board, &d3, &a, &c), Err(Refusal::Private));
        c.revealed.insert(c2);
        assert_eq!(
            access(&me(), &board, &d3, &a, &c),
            Ok(writes(Werkvorm::ProcesInKaart, false))
        );
        c.locked.insert(c2);
        assert_eq!(access(&me(), &board, &d3, &a, &c), Ok(Access::ReadOnly));
        // A check-in's revealed words stay the facilitator's to arrange.
        let d1 = draaiboek_1();
        let b = find(&d1, "B");
        let mut c = Control::default();
        c.revealed.insert(b);
        let words = SessionDoc::Board {
            step: b,
            group: None,
        };
        assert_eq!(
            access(&me(), &words, &d1, &at(b, &d1), &c),
            Ok(Access::ReadOnly)
        );
    }

    #[test]
    fn pairs_put_a_civil_servant_with_a_resident_and_have_their_own_boards() {
        let d3 = draaiboek("bewoners-en-ambtenaren");
        let b = find(&d3, "B");
        let members: Vec<MemberInfo> = [
            ("r1", "bewoner"),
            ("r2", "initiatiefnemer"),
            ("r3", "bewoner"),
            ("a1", "ambtenaar"),
            ("a2", "ambtenaar"),
        ]
        .iter()
        .map(|(id, role)| member(id, role))
        .collect();
        let mut c = Control::default();
        let a = at(b, &d3);
        c.apply(&ControlCommand::MakePairs, &d3, &a, &members, 0)
            .unwrap();
        assert_eq!(c.pair_numbers(), [1, 2]);
        for p in [1, 2] {
            let roles: Vec<&str> = c
                .pair_members(p)
                .iter()
                .map(|m| members.iter().find(|x| x.id == *m).unwrap().role.as_str())
                .collect();
            assert_eq!(
                roles.iter().filter(|r| **r == CIVIL_SERVANT).count(),
                1,
                "{roles:?}"
            );
        }
        assert_eq!(
            c.pairs.values().filter(|p| **p == 1).count(),
            3,
            "r3 makes a three"
        );
        c.apply(
            &ControlCommand::NamePair {
                pair: 2,
                name: "  Moestuin\u{7} Noord ".into(),
            },
            &d3,
            &a,
            &members,
            0,
        )
        .unwrap();
        assert_eq!(c.pair_names[&2], "Moestuin Noord");
        // Pairs are the boards of the 1-op-1, not of group steps.
        let s = &d3[b];
        assert_eq!(c.boards_of(s), [Some(1), Some(2)]);
        assert_eq!(c.board_group(s, "a2"), Some(2));
        let other = SessionDoc::Board {
            step: b,
            group: Some(c.pairs["a1"] % 2 + 1),
        };
        let a1 = Who::Participant {
            member: "a1".into(),
            civil: true,
        };
        assert_eq!(access(&a1, &other, &d3, &a, &c), Err(Refusal::OtherGroup));
        // Without civil servants, people pair up in joining order.
        let residents: Vec<MemberInfo> = ["x", "y", "z"]
            .iter()
            .map(|id| member(id, "bewoner"))
            .collect();
        let pairs = make_pairs(&residents);
        assert_eq!(pairs.values().copied().collect::<Vec<_>>(), [1, 1, 1]);
    }

    #[test]
    fn the_plenary_gives_the_floor_only_in_a_plenary_block() {
        let d2 = draaiboek("bewoners");
        let d2_plenary = find(&d2, "D.2");
        let mut c = Control::default();
        c.groups.insert("m1".into(), 1);
        c.groups.insert("m2".into(), 2);
        let cmd = ControlCommand::Plenary { group: Some(2) };
        assert_eq!(
            c.apply(&cmd, &d2, &at(0, &d2), &[], 5),
            Err(ControlError::NoPlenary)
        );
        c.apply(&cmd, &d2, &at(d2_plenary, &d2), &[], 5).unwrap();
        assert_eq!(
            c.plenary,
            Some(Plenary {
                step: d2_plenary,
                group: 2,
                since: 5
            })
        );
        // Twenty minutes over two groups: ten each.
        assert_eq!(c.speaking_ms(&d2[d2_plenary]), 10 * 60_000);
        c.apply(
            &ControlCommand::Plenary { group: None },
            &d2,
            &at(d2_plenary, &d2),
            &[],
            9,
        )
        .unwrap();
        assert_eq!(c.plenary, None);
    }
}

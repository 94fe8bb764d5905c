//! What the facilitator decides beside the agenda ([`Control`]): reveals, locks, groups, the
//! projector's focus, the 1-op-1 pairs, the plenary floor and the session's language; and how groups and pairs are made.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{MemberInfo, SessionDoc};
use crate::agenda::{AgendaState, Millis, Step};
use crate::i18n::Lang;

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
    /// The session's language: the projector's and the reports'. Each person's own screens
    /// speak the language they chose on their device.
    #[serde(default)]
    pub lang: Lang,
    /// Where the session is held (a neighbourhood centre, a room), for the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
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
/// The longest place name kept, in characters.
pub const MAX_PLACE_CHARS: usize = 120;

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
    /// The session's language, for the projector and the reports.
    SetLang { lang: Lang },
    /// Makes the 1-op-1 pairs: each civil servant with a resident or initiator.
    MakePairs,
    /// Puts one member in a pair, or in none (`null`).
    AssignPair { member: String, pair: Option<u32> },
    /// Names what a pair talks about (the neighbourhood project); empty clears it.
    NamePair { pair: u32, name: String },
    /// Where the session is held, for the report; empty clears it.
    SetPlace { place: String },
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
            ControlCommand::SetLang { lang } => self.lang = *lang,
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
            ControlCommand::SetPlace { place } => {
                let place: String = place
                    .trim()
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(MAX_PLACE_CHARS)
                    .collect();
                self.place = (!place.is_empty()).then_some(place);
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
                        .filter(|s| {
                            steps[*s]
                                .werkvorm
                                .is_some_and(|w| w.rules().gives_the_floor)
                        })
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

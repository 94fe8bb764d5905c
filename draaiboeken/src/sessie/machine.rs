//! A session as a state machine, like [`crate::sync::room::Room`] for a document: the server
//! hands [`Session::apply`] a command and its clock and gets back what it must now do, in
//! order ([`Effect`]s: store, publish, decide access again, copy notes as the server). No IO
//! happens here, so every decision a session makes (what a reveal copies, which boards a
//! process map is carried into, what a pair's board says, which boards an export includes, who
//! may open what) is tested without a server.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::lifecycle::{self, Lifecycle, MAX_RETENTION_DAYS, Policy};
use super::{
    Control, ControlCommand, ControlError, MAX_REVEALED_PER_MEMBER, MemberInfo, Refusal,
    SessionDoc, Who, access, process_source,
};
use crate::agenda::{self, AgendaState, CommandError, Millis, Step};
use crate::board::{Note, PairInfo};
use crate::draaiboek::Draaiboek;
use crate::proces::ProcessMap;
use crate::sync::Access;

/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 40;
/// Most members of one session: a leersessie is a room of people, not a crowd; beyond this a
/// join is refused (each member is documents and screens the server keeps).
pub const MAX_MEMBERS: usize = 200;

/// Someone who joined a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub id: String,
    pub name: String,
    pub role: String,
    /// Server time (ms).
    pub joined_at: Millis,
}

/// What is stored of a session's state: the agenda, and the facilitator's decisions beside it.
/// State stored before `control` existed reads as an empty control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored {
    #[serde(flatten)]
    pub agenda: AgendaState,
    #[serde(default)]
    pub control: Control,
    /// When it ended and how long it is kept (stored before either existed: running, default).
    #[serde(default)]
    pub lifecycle: Lifecycle,
}

/// What a session can be asked to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// The facilitator steers the agenda.
    Agenda(agenda::Command),
    /// The facilitator decides beside the agenda: reveal, lock, groups, pairs, the floor.
    Control(ControlCommand),
    /// Someone joined (see [`Session::admit`]); already stored.
    Join(Member),
    /// The facilitator ends the session: no one joins any more, participants' tokens stop
    /// working and their connections close; the data is kept for the retention period.
    End,
    /// The server's periodic look at the session under its `Policy`: it ends on its own when
    /// due, and is deleted when its retention period is over.
    Tick(Policy),
    /// Removes a member: their name goes from every board, document and export; their
    /// post-its stay without a name or go, as `notes` says.
    Remove { member: String, notes: RemovedNotes },
}

/// What happens to a removed member's post-its.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RemovedNotes {
    /// They stay, without their writer.
    Anonymous,
    /// They are deleted.
    Deleted,
}

/// Why a command can't be carried out.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SessionError {
    #[error(transparent)]
    Agenda(#[from] CommandError),
    #[error(transparent)]
    Control(#[from] ControlError),
    #[error("give a name of 1 to {MAX_NAME_CHARS} characters")]
    Name,
    #[error("a name can't contain control characters")]
    NameControl,
    #[error("role `{role}` is not part of this session; choose one of: {roles}")]
    Role { role: String, roles: String },
    #[error("someone with this id has already joined")]
    AlreadyJoined,
    #[error("the session has ended")]
    Ended,
    #[error("this session is full: it has {MAX_MEMBERS} members")]
    Full,
    #[error("no such member in this session")]
    NoMember,
    #[error("keep a session's data for 1 to {MAX_RETENTION_DAYS} days")]
    Retention,
}

/// One thing the server must do after a command, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Store the session's state.
    Store(Box<Stored>),
    /// Write the agenda and control state into the session's control document (`agenda`),
    /// and with `steps` the steps too (they never change after the session was made).
    Publish { steps: bool },
    /// Write this member (name, role, online) into the facilitator's members document.
    PublishMember(String),
    /// Ask [`Session::access`] again for every open connection to the session's documents:
    /// what they may do has changed.
    Reauthorize,
    /// Copy private notes onto boards, as the server (see [`revealed`]).
    Reveal(Vec<Reveal>),
    /// Copy the process map of board `from` into board `to`, unless `to` already carries one.
    CarryOver { from: SessionDoc, to: SessionDoc },
    /// Write a 1-op-1 pair's names and project on its board, so its phones can show their
    /// partner without the member list.
    WritePair { board: SessionDoc, info: PairInfo },
    /// Delete the session and everything stored of it: its retention period is over.
    Delete,
    /// Forget member `0`: their record and token, their entry in the members document.
    Forget(String),
    /// On each of `boards`, the post-its of `member` lose their writer or go (`notes`); then
    /// each board's stored history is replaced by its state, so nothing of theirs is left.
    Disown {
        boards: Vec<SessionDoc>,
        member: String,
        notes: RemovedNotes,
    },
    /// Delete these documents and everything stored of them (a removed member's own notes).
    DeleteDocs(Vec<SessionDoc>),
}

/// One member's private notes of a step, onto the board they belong on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reveal {
    pub from: SessionDoc,
    pub author: String,
    pub to: SessionDoc,
}

/// The notes a reveal copies from a member's private document: at most
/// [`MAX_REVEALED_PER_MEMBER`], with the member as author.
pub fn revealed(notes: Vec<Note>, author: &str) -> Vec<Note> {
    notes
        .into_iter()
        .take(MAX_REVEALED_PER_MEMBER)
        .map(|n| Note {
            author: Some(author.to_owned()),
            ..n
        })
        .collect()
}

/// A step's block-wide board and its groups' boards, as an export reads them.
type ByStep = BTreeMap<usize, (Option<ProcessMap>, Vec<(Option<u32>, ProcessMap)>)>;

/// A session: its script, its agenda, the facilitator's decisions and its members.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub code: String,
    pub draaiboek: Draaiboek,
    pub steps: Vec<Step>,
    pub created_at: Millis,
    agenda: AgendaState,
    control: Control,
    lifecycle: Lifecycle,
    members: Vec<Member>,
}

impl Session {
    /// A new session of `draaiboek`, not started.
    pub fn new(id: String, code: String, draaiboek: Draaiboek, now: Millis) -> Session {
        let steps = agenda::steps(&draaiboek);
        let stored = Stored {
            agenda: AgendaState::new(steps.len()),
            control: Control::default(),
            lifecycle: Lifecycle::default(),
        };
        Session::restore(id, code, draaiboek, now, stored, Vec::new())
    }

    /// A session as it was stored.
    pub fn restore(
        id: String,
        code: String,
        draaiboek: Draaiboek,
        created_at: Millis,
        stored: Stored,
        members: Vec<Member>,
    ) -> Session {
        Session {
            steps: agenda::steps(&draaiboek),
            id,
            code,
            draaiboek,
            created_at,
            agenda: stored.agenda,
            control: stored.control,
            lifecycle: stored.lifecycle,
            members,
        }
    }

    pub fn agenda(&self) -> &AgendaState {
        &self.agenda
    }

    pub fn control(&self) -> &Control {
        &self.control
    }

    pub fn lifecycle(&self) -> &Lifecycle {
        &self.lifecycle
    }

    /// Whether the session has ended (see [`Command::End`]).
    pub fn ended(&self) -> bool {
        self.lifecycle.ended_at.is_some()
    }

    /// Keeps this session's data `days` after its end instead of the server's default; set
    /// when it is made.
    pub fn retain_for(&mut self, days: u32) -> Result<(), SessionError> {
        if !(1..=MAX_RETENTION_DAYS).contains(&days) {
            return Err(SessionError::Retention);
        }
        self.lifecycle.retention_days = Some(days);
        Ok(())
    }

    /// When the session ends on its own, if it has not ended (see [`lifecycle::ends_on_its_own`]).
    pub fn ends_at(&self, policy: &Policy) -> Option<Millis> {
        (!self.ended())
            .then(|| lifecycle::ends_on_its_own(policy, &self.agenda, &self.steps, self.created_at))
    }

    pub fn members(&self) -> &[Member] {
        &self.members
    }

    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    /// What is stored of the session's state now.
    pub fn stored(&self) -> Stored {
        Stored {
            agenda: self.agenda.clone(),
            control: self.control.clone(),
            lifecycle: self.lifecycle,
        }
    }

    /// The members as every screen sees them; `online` tells who has a screen connected.
    pub fn member_infos(&self, online: impl Fn(&str) -> bool) -> Vec<MemberInfo> {
        self.members
            .iter()
            .map(|m| MemberInfo {
                id: m.id.clone(),
                name: m.name.clone(),
                role: m.role.clone(),
                online: online(&m.id),
                joined_at: m.joined_at,
            })
            .collect()
    }

    /// Who member `member` is to the rules: a participant, a civil servant or not.
    pub fn who(&self, member: &str) -> Who {
        Who::Participant {
            member: member.to_owned(),
            civil: self
                .member(member)
                .is_some_and(|m| m.role == super::CIVIL_SERVANT),
        }
    }

    /// Someone who asks to join as `name` in `role`, checked; `id` and `now` are the server's.
    /// Stored by the server before [`Command::Join`] makes them a member, so a failed write
    /// leaves no one half-joined.
    pub fn admit(
        &self,
        id: String,
        name: &str,
        role: &str,
        now: Millis,
    ) -> Result<Member, SessionError> {
        if self.ended() {
            return Err(SessionError::Ended);
        }
        if self.members.len() >= MAX_MEMBERS {
            return Err(SessionError::Full);
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(SessionError::Name);
        }
        if name.chars().any(char::is_control) {
            return Err(SessionError::NameControl);
        }
        let roles = &self.draaiboek.roles;
        if !roles.iter().any(|r| r.id == role) {
            let ids: Vec<&str> = roles.iter().map(|r| r.id.as_str()).collect();
            return Err(SessionError::Role {
                role: role.to_owned(),
                roles: ids.join(", "),
            });
        }
        Ok(Member {
            id,
            name: name.to_owned(),
            role: role.to_owned(),
            joined_at: now,
        })
    }

    /// Carries out `command` at server time `now`: the session's state changes, and the
    /// effects say what the server must do about it. A refused command changes nothing.
    pub fn apply(&mut self, command: Command, now: Millis) -> Result<Vec<Effect>, SessionError> {
        if self.ended() && !matches!(command, Command::Tick(_)) {
            return Err(SessionError::Ended);
        }
        match command {
            Command::End => Ok(self.end(now)),
            Command::Remove { member, notes } => self.remove(member, notes),
            Command::Tick(policy) => Ok(match self.ends_at(&policy) {
                Some(at) if at <= now => self.end(now),
                Some(_) => Vec::new(),
                None if self
                    .lifecycle
                    .delete_at(&policy)
                    .is_some_and(|at| at <= now) =>
                {
                    vec![Effect::Delete]
                }
                None => Vec::new(),
            }),
            Command::Agenda(command) => {
                let mut next = self.agenda.clone();
                next.apply(command, now)?;
                // Pausing or extending changes no one's access; moving to another block does.
                let moved = next.running_step() != self.agenda.running_step();
                self.agenda = next;
                let mut effects = vec![
                    Effect::Store(Box::new(self.stored())),
                    Effect::Publish { steps: false },
                ];
                if moved {
                    effects.push(Effect::Reauthorize);
                    effects.extend(self.carry_overs());
                }
                Ok(effects)
            }
            Command::Control(command) => {
                let mut next = self.control.clone();
                let members = self.member_infos(|_| false);
                next.apply(&command, &self.steps, &self.agenda, &members, now)?;
                self.control = next;
                // Stored, published and access decided again first: once the private notes
                // are read-only, none can arrive after they were copied and stay hidden.
                let mut effects = vec![
                    Effect::Store(Box::new(self.stored())),
                    Effect::Publish { steps: false },
                    Effect::Reauthorize,
                ];
                match command {
                    ControlCommand::Reveal { step } => {
                        effects.push(Effect::Reveal(self.reveals(step)));
                        // Revealed after the next block began: that block gets the steps now.
                        effects.extend(self.carry_overs());
                    }
                    ControlCommand::SpreadGroups { .. } | ControlCommand::AssignGroup { .. } => {
                        effects.extend(self.carry_overs())
                    }
                    ControlCommand::MakePairs
                    | ControlCommand::AssignPair { .. }
                    | ControlCommand::NamePair { .. } => effects.extend(self.pair_boards()),
                    _ => {}
                }
                Ok(effects)
            }
            Command::Join(member) => {
                if self.member(&member.id).is_some() {
                    return Err(SessionError::AlreadyJoined);
                }
                let id = member.id.clone();
                self.members.push(member);
                Ok(vec![Effect::PublishMember(id)])
            }
        }
    }

    /// Ends the session at `now`: stored and published first, then access is decided again,
    /// which closes every participant's connection (read-only at once, then closed).
    fn end(&mut self, now: Millis) -> Vec<Effect> {
        self.lifecycle.ended_at = Some(now);
        vec![
            Effect::Store(Box::new(self.stored())),
            Effect::Publish { steps: false },
            Effect::Reauthorize,
        ]
    }

    /// Removes `member`: out of the members, groups and pairs; then forgotten by the server,
    /// their connections closed (access decided again), pair boards written anew, their
    /// post-its disowned on every board and their own documents deleted.
    fn remove(&mut self, member: String, notes: RemovedNotes) -> Result<Vec<Effect>, SessionError> {
        if self.member(&member).is_none() {
            return Err(SessionError::NoMember);
        }
        let boards: Vec<SessionDoc> = self
            .export_boards()
            .into_iter()
            .map(|(step, group)| SessionDoc::Board { step, group })
            .collect();
        let own = (0..self.steps.len())
            .filter(|s| self.steps[*s].private)
            .map(|step| SessionDoc::Own {
                step,
                member: member.clone(),
            })
            .collect();
        self.members.retain(|m| m.id != member);
        self.control.groups.remove(&member);
        self.control.pairs.remove(&member);
        let mut effects = vec![
            Effect::Store(Box::new(self.stored())),
            Effect::Publish { steps: false },
            Effect::Forget(member.clone()),
            Effect::Reauthorize,
        ];
        effects.extend(self.pair_boards());
        effects.push(Effect::Disown {
            boards,
            member,
            notes,
        });
        effects.push(Effect::DeleteDocs(own));
        Ok(effects)
    }

    /// Whether `who` may still use the session at all: after its end, participants' tokens
    /// no longer work (nor a removed member's); the facilitator (and organisers) keep
    /// reading it until it is deleted.
    pub fn admits(&self, who: &Who) -> Result<(), Refusal> {
        match who {
            Who::Participant { .. } | Who::Projector if self.ended() => Err(Refusal::Ended),
            Who::Participant { member, .. } if self.member(member).is_none() => {
                Err(Refusal::NoMember)
            }
            _ => Ok(()),
        }
    }

    /// What `who` may do with document `doc` of this session now. After the end nothing
    /// changes any more: participants are out, the facilitator reads.
    pub fn access(&self, who: &Who, doc: &SessionDoc) -> Result<Access, Refusal> {
        self.admits(who)?;
        if self.ended() {
            return access(who, doc, &self.steps, &self.agenda, &self.control)
                .map(|_| Access::ReadOnly);
        }
        if let SessionDoc::Own { member, .. } = doc
            && self.member(member).is_none()
        {
            return Err(Refusal::NoMember);
        }
        access(who, doc, &self.steps, &self.agenda, &self.control)
    }

    /// Every member's private notes of `step`, each onto their own group's board (or pair's,
    /// or the step's one board).
    fn reveals(&self, step: usize) -> Vec<Reveal> {
        let Some(s) = self.steps.get(step) else {
            return Vec::new();
        };
        self.members
            .iter()
            .map(|m| Reveal {
                from: SessionDoc::Own {
                    step,
                    member: m.id.clone(),
                },
                author: m.id.clone(),
                to: SessionDoc::Board {
                    step,
                    group: self.control.board_group(s, &m.id),
                },
            })
            .collect()
    }

    /// When the running block works on the steps of an earlier process map (roles, regie,
    /// expertise, challenges), each of its boards starts as a copy of the map it carries on
    /// from, group by group: the sheet stays on the table. The server copies each once;
    /// boards made later (new groups) get theirs when they are made.
    fn carry_overs(&self) -> Vec<Effect> {
        let Some(step) = self.agenda.running_step() else {
            return Vec::new();
        };
        let Some(source) = process_source(&self.steps, step) else {
            return Vec::new();
        };
        let (s, src) = (&self.steps[step], &self.steps[source]);
        if src.private && !self.control.revealed.contains(&source) {
            // Nothing to carry yet: the steps are still private. A later reveal carries them.
            return Vec::new();
        }
        self.control
            .boards_of(s)
            .into_iter()
            .map(|group| Effect::CarryOver {
                from: SessionDoc::Board {
                    step: source,
                    group: if src.groups.is_some() { group } else { None },
                },
                to: SessionDoc::Board { step, group },
            })
            .collect()
    }

    /// What every 1-op-1 pair board says about its pair.
    fn pair_boards(&self) -> Vec<Effect> {
        let mut effects = Vec::new();
        for (step, s) in self.steps.iter().enumerate() {
            if !s.werkvorm.is_some_and(|w| w.rules().in_pairs) {
                continue;
            }
            for pair in self.control.pair_numbers() {
                let members = self
                    .control
                    .pair_members(pair)
                    .into_iter()
                    .filter_map(|id| self.member(id).map(|m| (m.id.clone(), m.name.clone())))
                    .collect();
                effects.push(Effect::WritePair {
                    board: SessionDoc::Board {
                        step,
                        group: Some(pair),
                    },
                    info: PairInfo {
                        name: self.control.pair_names.get(&pair).cloned(),
                        members,
                    },
                });
            }
        }
        effects
    }

    /// The running step, when it is private and not yet revealed: the facilitator waits for
    /// everyone to have written before revealing.
    pub fn unrevealed_step(&self) -> Option<usize> {
        self.agenda
            .running_step()
            .filter(|s| self.steps.get(*s).is_some_and(|s| s.private))
            .filter(|s| !self.control.revealed.contains(s))
    }

    /// Each member's private document of `step`.
    pub fn own_docs(&self, step: usize) -> Vec<(String, SessionDoc)> {
        self.members
            .iter()
            .map(|m| {
                let doc = SessionDoc::Own {
                    step,
                    member: m.id.clone(),
                };
                (m.id.clone(), doc)
            })
            .collect()
    }

    /// The boards an export reads: of every block that has begun and whose board participants
    /// write, the block's one board and (in a group or pair block) each group's. Boards of
    /// private blocks that were never revealed are left out: private stays private, in exports
    /// too.
    pub fn export_boards(&self) -> Vec<(usize, Option<u32>)> {
        let mut boards = Vec::new();
        for (step, s) in self.steps.iter().enumerate() {
            if s.werkvorm.is_none_or(|w| !w.rules().participants_write)
                || (s.private && !self.control.revealed.contains(&step))
                || self.agenda.current.is_none_or(|c| step > c)
            {
                continue;
            }
            boards.push((step, None));
            let groups = self.control.boards_of(s).into_iter().flatten();
            boards.extend(groups.map(|g| (step, Some(g))));
        }
        boards
    }

    /// Of the boards [`Session::export_boards`] named, read in that order, those the export
    /// shows. The block-wide board of a group or pair block counts only if someone wrote
    /// something there that no group's board has (a carried-over map is on each).
    pub fn exported(
        &self,
        read: Vec<(usize, Option<u32>, ProcessMap)>,
    ) -> Vec<(usize, Option<u32>, ProcessMap)> {
        let mut by_step: ByStep = BTreeMap::new();
        for (step, group, board) in read {
            let entry = by_step.entry(step).or_default();
            match group {
                None => entry.0 = Some(board),
                Some(_) => entry.1.push((group, board)),
            }
        }
        let mut boards = Vec::new();
        for (step, (wide, groups)) in by_step {
            let elsewhere: HashSet<&str> = groups
                .iter()
                .flat_map(|(_, b)| b.board.notes.iter().map(|n| n.id.as_str()))
                .collect();
            let wide = wide.filter(|board| {
                groups.is_empty()
                    || !board.team.is_empty()
                    || board
                        .board
                        .notes
                        .iter()
                        .any(|n| !elsewhere.contains(n.id.as_str()))
            });
            boards.extend(wide.map(|b| (step, None, b)));
            boards.extend(groups.into_iter().map(|(g, b)| (step, g, b)));
        }
        boards
    }
}

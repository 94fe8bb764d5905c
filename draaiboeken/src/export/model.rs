//! The session as data: [`SessionExport`] (also the versioned JSON, [`SCHEMA`]) and [`build`],
//! which makes it from what the server hands over ([`Input`]).

use serde::Serialize;

use crate::agenda::{AgendaState, Step};
use crate::board::Board;
use crate::checkin;
use crate::draaiboek::{Draaiboek, Role, Text};
use crate::proces::{self, ProcessMap};
use crate::sessie::{Control, MemberInfo};
use crate::werkvorm::{Section, Werkvorm};

use crate::i18n::Lang;

/// The JSON schema's name and version; bump the version on any incompatible change.
pub const SCHEMA: &str = "werkmuur.session/1";

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionExport {
    pub schema: &'static str,
    pub code: String,
    pub draaiboek: String,
    pub title: Text,
    /// Server time (ms since the epoch) of the first block's start, and of the end.
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    /// When this export was made.
    pub exported_at: i64,
    /// Authors are left out everywhere.
    pub anonymous: bool,
    /// The session's language: the documents' unless asked for another.
    pub lang: Lang,
    /// Where it was held, if the facilitator said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The draaiboek's roles (ids are what `role` fields hold).
    pub roles: Vec<Role>,
    /// Everyone who took part (empty when anonymous).
    pub members: Vec<ExportMember>,
    pub blocks: Vec<ExportBlock>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportMember {
    pub name: String,
    /// A role id (see [`SessionExport::roles`]).
    pub role: String,
}

impl SessionExport {
    /// A role's name in the report's language (its id if the draaiboek doesn't know it).
    pub(super) fn role_name(&self, id: &str, lang: Lang) -> String {
        self.roles
            .iter()
            .find(|r| r.id == id)
            .map_or(id, |r| r.name.get(lang))
            .to_owned()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportBlock {
    pub letter: Option<String>,
    pub title: Text,
    pub werkvorm: Option<Werkvorm>,
    pub planned_minutes: u32,
    /// Whole minutes the block ran (rounded), once it has run.
    pub actual_minutes: Option<u32>,
    pub prompt: Option<Text>,
    /// The block's boards: one, or one per group.
    pub boards: Vec<ExportBoard>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportBoard {
    pub group: Option<u32>,
    pub clusters: Vec<ExportCluster>,
    /// Notes in no cluster.
    pub loose: Vec<ExportNote>,
    /// The check-in's words, grouped, largest first (empty for other werkvormen).
    pub words: Vec<ExportWord>,
    /// A process map's steps in timeline order, with what was said about them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process: Option<ExportProcess>,
    /// Het dreamteam.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<ExportTeam>,
    /// A 1-op-1 pair: what they talk about and who they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair: Option<ExportPair>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportProcess {
    pub steps: Vec<ExportStep>,
    /// Challenges from outside the collaboration, parked apart.
    pub parked: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportStep {
    pub text: String,
    /// The writer's own words, when the facilitator edited them.
    pub original: Option<String>,
    /// Texts of steps merged into this one.
    pub merged: Vec<String>,
    pub phase: Option<String>,
    /// Comes from the municipal process.
    pub municipal: bool,
    pub author: Option<String>,
    /// Stickers per role (in the draaiboek's role order; roles without any are left out).
    pub stickers: Vec<ExportStickers>,
    pub regie: Option<ExportRegie>,
    pub expertise: Vec<ExportExpertise>,
    pub challenges: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportStickers {
    /// A role id (see [`SessionExport::roles`]).
    pub role: String,
    /// "Is responsible now" stickers.
    pub now: usize,
    /// "Could be responsible" stickers.
    pub could: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportRegie {
    pub who: proces::Lead,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportExpertise {
    pub what: String,
    pub from: String,
    pub municipal: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportTeam {
    pub mode: Option<proces::TeamMode>,
    pub members: Vec<ExportTeamMember>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportTeamMember {
    pub name: String,
    pub present: bool,
    pub brings: String,
    pub lead: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportPair {
    pub name: Option<String>,
    /// The pair's names (empty when anonymous).
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportCluster {
    pub name: String,
    pub notes: Vec<ExportNote>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportNote {
    /// As the wall shows it (after the facilitator's edits).
    pub text: String,
    /// The writer's own words, when the facilitator edited them.
    pub original: Option<String>,
    pub author: Option<String>,
    /// The author's role id (see [`SessionExport::roles`]).
    pub role: Option<String>,
    /// Texts of notes merged into this one.
    pub merged: Vec<String>,
    /// Taken off the wall by the facilitator (kept here, left out of the report).
    pub hidden: bool,
    /// When it was written (ms since the epoch, by the writer's device clock).
    pub at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportWord {
    pub word: String,
    pub count: usize,
}

impl ExportBoard {
    /// Every note, clustered ones first.
    pub fn notes(&self) -> impl Iterator<Item = (Option<&str>, &ExportNote)> {
        self.clusters
            .iter()
            .flat_map(|c| c.notes.iter().map(move |n| (Some(c.name.as_str()), n)))
            .chain(self.loose.iter().map(|n| (None, n)))
    }

    /// Nothing for a report: no visible notes and no words.
    pub fn shows_nothing(&self) -> bool {
        self.words.is_empty()
            && self.notes().all(|(_, n)| n.hidden)
            && self
                .team
                .as_ref()
                .is_none_or(|t| t.members.is_empty() && t.mode.is_none())
            && self.process.as_ref().is_none_or(|p| p.parked.is_empty())
    }
}

/// What the server hands over to make an export.
pub struct Input<'a> {
    pub code: &'a str,
    pub draaiboek: &'a Draaiboek,
    pub steps: &'a [Step],
    pub agenda: &'a AgendaState,
    pub control: &'a Control,
    pub members: &'a [MemberInfo],
    /// Every board of the session that participants could write on: (step, group, board),
    /// read as a process map (which holds the plain board too).
    pub boards: Vec<(usize, Option<u32>, ProcessMap)>,
    pub anonymous: bool,
    pub now: i64,
}

fn minutes(ms: i64) -> u32 {
    ((ms.max(0) + 30_000) / 60_000) as u32
}

/// An author's name and role, by member id (none when anonymous or unknown).
type Author<'a> = &'a dyn Fn(&Option<String>) -> (Option<String>, Option<String>);

/// One step of a process map as exported.
fn export_step(
    p: &proces::ProcessStep,
    board: &Board,
    roles: &[Role],
    member: Author<'_>,
) -> ExportStep {
    let mut stickers: Vec<ExportStickers> = roles
        .iter()
        .map(|r| ExportStickers {
            role: r.id.clone(),
            now: p.count(&r.id, proces::StickerKind::Now),
            could: p.count(&r.id, proces::StickerKind::Could),
        })
        .collect();
    // Stickers of a role the draaiboek doesn't know (another client's) still count.
    for s in &p.stickers {
        if !roles.iter().any(|r| r.id == s.role) && !stickers.iter().any(|x| x.role == s.role) {
            stickers.push(ExportStickers {
                role: s.role.clone(),
                now: p.count(&s.role, proces::StickerKind::Now),
                could: p.count(&s.role, proces::StickerKind::Could),
            });
        }
    }
    stickers.retain(|s| s.now + s.could > 0);
    ExportStep {
        text: p.note.text.clone(),
        original: p.note.original.clone(),
        merged: p.note.merged.iter().map(|m| m.text.clone()).collect(),
        phase: p
            .note
            .cluster
            .as_ref()
            .and_then(|c| board.clusters.iter().find(|k| &k.id == c))
            .map(|c| c.name.clone()),
        municipal: p.municipal,
        author: member(&p.note.author).0,
        stickers,
        regie: p.regie.as_ref().map(|r| ExportRegie {
            who: r.who,
            note: r.note.clone(),
        }),
        expertise: p
            .expertise
            .iter()
            .map(|e| ExportExpertise {
                what: e.what.clone(),
                from: e.from.clone(),
                municipal: e.municipal,
            })
            .collect(),
        challenges: p.challenges.iter().map(|c| c.text.clone()).collect(),
    }
}

/// Builds the export of a session.
pub fn build(input: Input<'_>) -> SessionExport {
    let view = input.agenda.view(input.steps, input.now);
    let member = |id: &Option<String>| -> (Option<String>, Option<String>) {
        if input.anonymous {
            return (None, None);
        }
        match id
            .as_ref()
            .and_then(|id| input.members.iter().find(|m| &m.id == id))
        {
            Some(m) => (Some(m.name.clone()), Some(m.role.clone())),
            None => (None, None),
        }
    };
    let blocks = input
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // What the report shows of this block's boards is its werkvorm's to say.
            let section = s.werkvorm.map(|w| w.spec().section);
            let boards = input
                .boards
                .iter()
                .filter(|(step, _, _)| *step == i)
                .map(|(_, group, map)| {
                    let board = &map.board;
                    let process_like = section == Some(Section::Map);
                    // A process map's notes go in timeline order (hidden ones last).
                    let ordered: Vec<&crate::board::BoardNote> = if process_like {
                        map.steps
                            .iter()
                            .map(|p| &p.note)
                            .chain(board.notes.iter().filter(|n| n.hidden))
                            .collect()
                    } else {
                        board.notes.iter().collect()
                    };
                    let note = |n: &crate::board::BoardNote| {
                        let (author, role) = member(&n.author);
                        ExportNote {
                            text: n.text.clone(),
                            original: n.original.clone(),
                            author,
                            role,
                            merged: n.merged.iter().map(|m| m.text.clone()).collect(),
                            hidden: n.hidden,
                            at: n.at,
                        }
                    };
                    let clusters = board
                        .clusters
                        .iter()
                        .map(|c| ExportCluster {
                            name: c.name.clone(),
                            notes: ordered
                                .iter()
                                .filter(|n| n.cluster.as_deref() == Some(c.id.as_str()))
                                .map(|n| note(n))
                                .collect(),
                        })
                        .filter(|c| !c.notes.is_empty())
                        .collect();
                    let loose = ordered
                        .iter()
                        .filter(|n| n.cluster.is_none())
                        .map(|n| note(n))
                        .collect();
                    let words = if section == Some(Section::Words) {
                        checkin::group(board, input.control.lang)
                            .into_iter()
                            .map(|g| ExportWord {
                                word: g.label,
                                count: g.count,
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    let process = process_like.then(|| ExportProcess {
                        steps: map
                            .steps
                            .iter()
                            .map(|p| export_step(p, board, &input.draaiboek.roles, &member))
                            .collect(),
                        parked: map.parked.iter().map(|c| c.text.clone()).collect(),
                    });
                    let team = (section == Some(Section::Team)).then(|| ExportTeam {
                        mode: map.team_mode,
                        members: map
                            .team
                            .iter()
                            .map(|m| ExportTeamMember {
                                name: m.name.clone(),
                                present: m.present,
                                brings: m.brings.clone(),
                                lead: m.lead,
                            })
                            .collect(),
                    });
                    let pair = s
                        .werkvorm
                        .is_some_and(|w| w.rules().in_pairs)
                        .then_some(*group)
                        .flatten()
                        .map(|p| ExportPair {
                            name: input.control.pair_names.get(&p).cloned(),
                            members: input
                                .control
                                .pair_members(p)
                                .into_iter()
                                .filter_map(|m| member(&Some(m.to_owned())).0)
                                .collect(),
                        });
                    ExportBoard {
                        group: *group,
                        clusters,
                        loose,
                        words,
                        process,
                        team,
                        pair,
                    }
                })
                .collect();
            ExportBlock {
                letter: s.letter.clone(),
                title: s.title.clone(),
                werkvorm: s.werkvorm,
                planned_minutes: s.planned_minutes,
                actual_minutes: view.steps.get(i).and_then(|v| v.actual_ms).map(minutes),
                prompt: s.prompt.clone(),
                boards,
            }
        })
        .collect();
    SessionExport {
        schema: SCHEMA,
        code: input.code.to_owned(),
        draaiboek: input.draaiboek.id.clone(),
        title: input.draaiboek.title.clone(),
        started_at: input.agenda.started_at,
        ended_at: input.agenda.ended_at,
        exported_at: input.now,
        anonymous: input.anonymous,
        lang: input.control.lang,
        place: input.control.place.clone(),
        roles: input.draaiboek.roles.clone(),
        members: if input.anonymous {
            Vec::new()
        } else {
            input
                .members
                .iter()
                .map(|m| ExportMember {
                    name: m.name.clone(),
                    role: m.role.clone(),
                })
                .collect()
        },
        blocks,
    }
}

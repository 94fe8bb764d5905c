//! What a session produced, as documents organisers can use: the session as data
//! ([`SessionExport`], also the versioned JSON), a report in Markdown and as a standalone HTML
//! page with pictures of the boards, a CSV with one row per post-it, and each board as SVG.
//!
//! Everything here is pure: the server gathers the boards and hands them over. Texts written
//! by participants are hostile input: every renderer escapes for its format (HTML and SVG
//! entities, CSV quoting and spreadsheet formula neutralising).

use std::fmt::Write as _;

use serde::Serialize;

use crate::agenda::{AgendaState, Step};
use crate::board::Board;
use crate::checkin;
use crate::draaiboek::{Draaiboek, Role, Text};
use crate::proces::{self, ProcessMap};
use crate::sessie::{Control, MemberInfo};
use crate::werkvorm::Werkvorm;

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
    fn role_name(&self, id: &str, lang: Lang) -> String {
        self.roles
            .iter()
            .find(|r| r.id == id)
            .map_or(id, |r| r.name.get(lang.en()))
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
            let boards = input
                .boards
                .iter()
                .filter(|(step, _, _)| *step == i)
                .map(|(_, group, map)| {
                    let board = &map.board;
                    let process_like = s.werkvorm.is_some_and(Werkvorm::is_process);
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
                    let words = if s.werkvorm == Some(Werkvorm::CheckIn) {
                        checkin::group(board)
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
                    let team = (s.werkvorm == Some(Werkvorm::Dreamteam)).then(|| ExportTeam {
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

/// The report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

struct Words {
    report: &'static str,
    code: &'static str,
    participants: &'static str,
    anonymous: &'static str,
    planned: &'static str,
    actual: &'static str,
    minutes: &'static str,
    not_run: &'static str,
    question: &'static str,
    group: &'static str,
    words: &'static str,
    loose: &'static str,
    notes: &'static str,
    nothing: &'static str,
    edited_from: &'static str,
    merged_with: &'static str,
    steps: &'static str,
    step: &'static str,
    municipal_step: &'static str,
    now: &'static str,
    could: &'static str,
    roles_now: &'static str,
    roles_could: &'static str,
    regie: &'static str,
    leads: [&'static str; 3],
    expertise: &'static str,
    from: &'static str,
    municipal: &'static str,
    challenges: &'static str,
    parked: &'static str,
    matrix: &'static str,
    team: &'static str,
    present: &'static str,
    wished: &'static str,
    lead: &'static str,
    mode_lead: &'static str,
    mode_equal: &'static str,
    brings: &'static str,
    pair: &'static str,
}

const NL: Words = Words {
    report: "Verslag",
    code: "Sessiecode",
    participants: "Deelnemers",
    anonymous: "Deze sessie is anoniem: namen staan niet in het verslag.",
    planned: "gepland",
    actual: "werkelijk",
    minutes: "min",
    not_run: "niet gehouden",
    question: "Vraag",
    group: "Groep",
    words: "Woorden",
    loose: "Overig",
    notes: "Briefjes",
    nothing: "Geen briefjes.",
    edited_from: "oorspronkelijk",
    merged_with: "samengevoegd met",
    steps: "Stappen",
    step: "Stap",
    municipal_step: "uit het gemeentelijke proces",
    now: "nu",
    could: "zou kunnen",
    roles_now: "Nu verantwoordelijk",
    roles_could: "Zou verantwoordelijk kunnen zijn",
    regie: "Regie",
    leads: ["initiatiefnemer", "gemeente", "onduidelijk"],
    expertise: "Expertise",
    from: "van",
    municipal: "vanuit de gemeente",
    challenges: "Uitdagingen",
    parked: "Geparkeerd (van buitenaf)",
    matrix: "Rollen per stap",
    team: "Het dreamteam",
    present: "aanwezig",
    wished: "gewenst, niet aanwezig",
    lead: "trekker",
    mode_lead: "Er is een duidelijke trekker.",
    mode_equal: "Iedereen draagt evenveel bij.",
    brings: "brengt",
    pair: "Koppel",
};

const EN: Words = Words {
    report: "Report",
    code: "Session code",
    participants: "Participants",
    anonymous: "This session is anonymous: names are not in the report.",
    planned: "planned",
    actual: "actual",
    minutes: "min",
    not_run: "not held",
    question: "Question",
    group: "Group",
    words: "Words",
    loose: "Other",
    notes: "Post-its",
    nothing: "No post-its.",
    edited_from: "originally",
    merged_with: "merged with",
    steps: "Steps",
    step: "Step",
    municipal_step: "from the municipal process",
    now: "now",
    could: "could",
    roles_now: "Responsible now",
    roles_could: "Could be responsible",
    regie: "Lead",
    leads: ["initiator", "municipality", "unclear"],
    expertise: "Expertise",
    from: "from",
    municipal: "from the municipality",
    challenges: "Challenges",
    parked: "Parked (from outside)",
    matrix: "Roles per step",
    team: "The dream team",
    present: "present",
    wished: "wished for, not present",
    lead: "lead",
    mode_lead: "There is a clear lead.",
    mode_equal: "Everyone contributes equally.",
    brings: "brings",
    pair: "Pair",
};

impl Lang {
    fn words(self) -> &'static Words {
        match self {
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }

    fn en(self) -> bool {
        self == Lang::En
    }
}

fn block_title(b: &ExportBlock, lang: Lang) -> String {
    let title = b.title.get(lang.en());
    match &b.letter {
        Some(l) => format!("{l}. {title}"),
        None => title.to_owned(),
    }
}

fn timing(b: &ExportBlock, w: &Words) -> String {
    match b.actual_minutes {
        Some(a) => format!(
            "{} {} {}, {} {} {}",
            b.planned_minutes, w.minutes, w.planned, a, w.minutes, w.actual
        ),
        None => format!(
            "{} {} {}, {}",
            b.planned_minutes, w.minutes, w.planned, w.not_run
        ),
    }
}

/// A note in one line of running text (no markup).
fn note_line(n: &ExportNote, w: &Words) -> String {
    let mut s = n.text.clone();
    if !n.merged.is_empty() {
        let _ = write!(s, " ({} {})", w.merged_with, n.merged.join("; "));
    }
    if let Some(o) = &n.original {
        let _ = write!(s, " ({}: {o})", w.edited_from);
    }
    if let Some(a) = &n.author {
        let _ = write!(s, " — {a}");
    }
    s
}

/// Markdown: participants' text can't start a heading, list or HTML block, or a link.
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One piece of the report, in order; each format renders the same outline.
enum Part<'a> {
    Title(String),
    Line(String),
    Block(String),
    Timing(String),
    Question(String),
    Group(String),
    Label(String),
    Items(Vec<String>),
    /// A table with a header row (the step × role matrix).
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Picture {
        board: &'a ExportBoard,
        title: String,
    },
}

/// The report's outline: the session, then per block its timing, question, words and notes
/// (hidden notes left out), with a picture of each board.
fn outline(e: &SessionExport, lang: Lang) -> Vec<Part<'_>> {
    let w = lang.words();
    let mut parts = vec![
        Part::Title(format!("{}: {}", w.report, e.title.get(lang.en()))),
        Part::Line(format!("{}: {}", w.code, e.code)),
    ];
    if e.anonymous {
        parts.push(Part::Line(w.anonymous.to_owned()));
    } else if !e.members.is_empty() {
        let names: Vec<String> = e
            .members
            .iter()
            .map(|m| format!("{} ({})", m.name, e.role_name(&m.role, lang)))
            .collect();
        parts.push(Part::Line(format!(
            "{}: {}",
            w.participants,
            names.join(", ")
        )));
    }
    for b in &e.blocks {
        let heading = block_title(b, lang);
        parts.push(Part::Block(heading.clone()));
        parts.push(Part::Timing(timing(b, w)));
        if let Some(p) = &b.prompt {
            parts.push(Part::Question(format!(
                "{}: {}",
                w.question,
                p.get(lang.en())
            )));
        }
        if !b.boards.is_empty() && b.boards.iter().all(ExportBoard::shows_nothing) {
            parts.push(Part::Line(w.nothing.to_owned()));
            continue;
        }
        for board in &b.boards {
            let picture_title = match (board.group, &board.pair) {
                (Some(g), Some(pair)) => {
                    let mut t = format!("{} {g}", w.pair);
                    if let Some(name) = &pair.name {
                        let _ = write!(t, ": {name}");
                    }
                    if !pair.members.is_empty() {
                        let _ = write!(t, " ({})", pair.members.join(", "));
                    }
                    parts.push(Part::Group(t.clone()));
                    format!("{heading} — {t}")
                }
                (Some(g), None) => {
                    parts.push(Part::Group(format!("{} {g}", w.group)));
                    format!("{heading} — {} {g}", w.group)
                }
                (None, _) => heading.clone(),
            };
            if let Some(team) = &board.team {
                team_parts(&mut parts, team, w);
                if board.notes().all(|(_, n)| n.hidden) {
                    continue;
                }
            }
            if let Some(process) = &board.process {
                process_parts(&mut parts, process, e, lang);
                parts.push(Part::Picture {
                    board,
                    title: picture_title,
                });
                continue;
            }
            if !board.words.is_empty() {
                parts.push(Part::Label(w.words.to_owned()));
                parts.push(Part::Items(
                    board
                        .words
                        .iter()
                        .map(|word| format!("{} ×{}", word.word, word.count))
                        .collect(),
                ));
            }
            if board.notes().all(|(_, n)| n.hidden) {
                if board.words.is_empty() {
                    parts.push(Part::Line(w.nothing.to_owned()));
                }
                continue;
            }
            let items = |notes: &[ExportNote]| -> Vec<String> {
                notes
                    .iter()
                    .filter(|n| !n.hidden)
                    .map(|n| note_line(n, w))
                    .collect()
            };
            for c in &board.clusters {
                let list = items(&c.notes);
                if !list.is_empty() {
                    parts.push(Part::Label(c.name.clone()));
                    parts.push(Part::Items(list));
                }
            }
            let loose = items(&board.loose);
            if !loose.is_empty() {
                if !board.clusters.is_empty() {
                    parts.push(Part::Label(w.loose.to_owned()));
                } else if !board.words.is_empty() {
                    parts.push(Part::Label(w.notes.to_owned()));
                }
                parts.push(Part::Items(loose));
            }
            parts.push(Part::Picture {
                board,
                title: picture_title,
            });
        }
    }
    parts
}

fn team_parts(parts: &mut Vec<Part<'_>>, team: &ExportTeam, w: &Words) {
    if team.members.is_empty() && team.mode.is_none() {
        return;
    }
    parts.push(Part::Label(w.team.to_owned()));
    match team.mode {
        Some(proces::TeamMode::Lead) => parts.push(Part::Line(w.mode_lead.to_owned())),
        Some(proces::TeamMode::Equal) => parts.push(Part::Line(w.mode_equal.to_owned())),
        None => {}
    }
    parts.push(Part::Items(
        team.members
            .iter()
            .map(|m| {
                let mut line = format!(
                    "{} ({}{})",
                    m.name,
                    if m.present { w.present } else { w.wished },
                    if m.lead {
                        format!(", {}", w.lead)
                    } else {
                        String::new()
                    }
                );
                if !m.brings.is_empty() {
                    let _ = write!(line, " — {} {}", w.brings, m.brings);
                }
                line
            })
            .collect(),
    ));
}

/// A process map in the report: each step in timeline order with its phase and everything said
/// about it, the step × role table when there are stickers, and the parked challenges.
fn process_parts(parts: &mut Vec<Part<'_>>, p: &ExportProcess, e: &SessionExport, lang: Lang) {
    let w = lang.words();
    if p.steps.is_empty() && p.parked.is_empty() {
        parts.push(Part::Line(w.nothing.to_owned()));
        return;
    }
    let mut phase: Option<&str> = None;
    let mut items = Vec::new();
    for (i, step) in p.steps.iter().enumerate() {
        if step.phase.as_deref() != phase || i == 0 {
            if !items.is_empty() {
                parts.push(Part::Items(std::mem::take(&mut items)));
            }
            phase = step.phase.as_deref();
            parts.push(Part::Label(phase.unwrap_or(w.steps).to_owned()));
        }
        let mut line = format!("{}. {}", i + 1, step.text);
        if !step.merged.is_empty() {
            let _ = write!(line, " ({} {})", w.merged_with, step.merged.join("; "));
        }
        if let Some(o) = &step.original {
            let _ = write!(line, " ({}: {o})", w.edited_from);
        }
        if step.municipal {
            let _ = write!(line, " ({})", w.municipal_step);
        }
        if let Some(a) = &step.author {
            let _ = write!(line, " — {a}");
        }
        let details = step_details(step, e, lang);
        if !details.is_empty() {
            let _ = write!(line, ". {details}");
        }
        items.push(line);
    }
    if !items.is_empty() {
        parts.push(Part::Items(items));
    }
    let roles: Vec<&Role> = e
        .roles
        .iter()
        .filter(|r| {
            p.steps
                .iter()
                .any(|s| s.stickers.iter().any(|x| x.role == r.id))
        })
        .collect();
    if !roles.is_empty() {
        parts.push(Part::Label(w.matrix.to_owned()));
        let mut head = vec![w.step.to_owned()];
        head.extend(roles.iter().map(|r| r.name.get(lang.en()).to_owned()));
        let rows = p
            .steps
            .iter()
            .map(|s| {
                let mut row = vec![s.text.clone()];
                row.extend(roles.iter().map(
                    |r| match s.stickers.iter().find(|x| x.role == r.id) {
                        Some(x) if x.now > 0 && x.could > 0 => {
                            format!("{} {}, {} {}", x.now, w.now, x.could, w.could)
                        }
                        Some(x) if x.now > 0 => format!("{} {}", x.now, w.now),
                        Some(x) if x.could > 0 => format!("{} {}", x.could, w.could),
                        _ => String::new(),
                    },
                ));
                row
            })
            .collect();
        parts.push(Part::Table { head, rows });
    }
    if !p.parked.is_empty() {
        parts.push(Part::Label(w.parked.to_owned()));
        parts.push(Part::Items(p.parked.clone()));
    }
}

/// What was said about a step, in one line: stickers, regie, expertise and challenges.
fn step_details(step: &ExportStep, e: &SessionExport, lang: Lang) -> String {
    let w = lang.words();
    let stickers = |list: &[ExportStickers], pick: fn(&ExportStickers) -> usize| -> String {
        list.iter()
            .filter(|s| pick(s) > 0)
            .map(|s| format!("{} ×{}", e.role_name(&s.role, lang), pick(s)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts: Vec<String> = Vec::new();
    let now = stickers(&step.stickers, |s| s.now);
    if !now.is_empty() {
        parts.push(format!("{}: {now}", w.roles_now));
    }
    let could = stickers(&step.stickers, |s| s.could);
    if !could.is_empty() {
        parts.push(format!("{}: {could}", w.roles_could));
    }
    if let Some(r) = &step.regie {
        let who = w.leads[proces::Lead::ALL
            .iter()
            .position(|l| *l == r.who)
            .unwrap_or(2)];
        parts.push(match &r.note {
            Some(n) => format!("{}: {who} ({n})", w.regie),
            None => format!("{}: {who}", w.regie),
        });
    }
    if !step.expertise.is_empty() {
        let list: Vec<String> = step
            .expertise
            .iter()
            .map(|x| {
                let mut t = x.what.clone();
                if !x.from.is_empty() {
                    let _ = write!(t, " {} {}", w.from, x.from);
                }
                if x.municipal {
                    let _ = write!(t, ", {}", w.municipal);
                }
                t
            })
            .collect();
        parts.push(format!("{}: {}", w.expertise, list.join("; ")));
    }
    if !step.challenges.is_empty() {
        parts.push(format!("{}: {}", w.challenges, step.challenges.join("; ")));
    }
    parts.join(". ")
}

/// The report as Markdown.
pub fn to_markdown(e: &SessionExport, lang: Lang) -> String {
    let mut out = String::new();
    for part in outline(e, lang) {
        let _ = match part {
            Part::Title(t) => writeln!(out, "# {}\n", md_escape(&t)),
            Part::Line(t) => writeln!(out, "{}\n", md_escape(&t)),
            Part::Block(t) => writeln!(out, "## {}\n", md_escape(&t)),
            Part::Timing(t) => writeln!(out, "*{}*\n", md_escape(&t)),
            Part::Question(t) => writeln!(out, "> {}\n", md_escape(&t)),
            Part::Group(t) => writeln!(out, "### {}\n", md_escape(&t)),
            Part::Label(t) => writeln!(out, "**{}**\n", md_escape(&t)),
            Part::Items(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", md_escape(&item));
                }
                writeln!(out)
            }
            Part::Table { head, rows } => {
                let cell = |t: &str| md_escape(t);
                let _ = writeln!(
                    out,
                    "| {} |",
                    head.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")
                );
                let _ = writeln!(out, "|{}", " --- |".repeat(head.len()));
                for row in rows {
                    let _ = writeln!(
                        out,
                        "| {} |",
                        row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                    );
                }
                writeln!(out)
            }
            Part::Picture { .. } => Ok(()),
        };
    }
    out
}

/// Escapes text for HTML and XML (SVG) content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// Breaks text into lines of at most `width` characters, at spaces where it can.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_owned();
        while word.chars().count() > width {
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(head);
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

const NOTE_W: u32 = 220;
const NOTE_H: u32 = 150;
const GAP: u32 = 16;
const COLUMNS: u32 = 4;
const LINE_CHARS: usize = 22;
const MAX_LINES: usize = 6;

/// A picture of a board as it looks: its clusters as labelled rows of post-its, then the loose
/// ones (hidden notes left out). A standalone SVG document.
pub fn board_svg(board: &ExportBoard, title: &str) -> String {
    let mut body = String::new();
    let mut y = 60u32;
    let sections: Vec<(Option<&str>, Vec<&ExportNote>)> = board
        .clusters
        .iter()
        .map(|c| {
            (
                Some(c.name.as_str()),
                c.notes.iter().filter(|n| !n.hidden).collect(),
            )
        })
        .chain(std::iter::once((
            None,
            board.loose.iter().filter(|n| !n.hidden).collect(),
        )))
        .filter(|(_, notes): &(Option<&str>, Vec<&ExportNote>)| !notes.is_empty())
        .collect();
    for (name, notes) in &sections {
        if let Some(name) = name {
            let _ = write!(
                body,
                r#"<text x="{GAP}" y="{}" class="cluster">{}</text>"#,
                y + 24,
                xml_escape(name)
            );
            y += 36;
        }
        for (i, n) in notes.iter().enumerate() {
            let (col, row) = (i as u32 % COLUMNS, i as u32 / COLUMNS);
            let (x, ny) = (GAP + col * (NOTE_W + GAP), y + row * (NOTE_H + GAP));
            let _ = write!(
                body,
                r#"<g transform="translate({x},{ny})"><rect width="{NOTE_W}" height="{NOTE_H}" rx="4" class="note"/>"#
            );
            let mut lines = wrap(&n.text, LINE_CHARS);
            if lines.len() > MAX_LINES {
                lines.truncate(MAX_LINES);
                if let Some(last) = lines.last_mut() {
                    last.push('…');
                }
            }
            for (l, line) in lines.iter().enumerate() {
                let _ = write!(
                    body,
                    r#"<text x="12" y="{}">{}</text>"#,
                    28 + l as u32 * 20,
                    xml_escape(line)
                );
            }
            body.push_str("</g>");
        }
        let rows = (notes.len() as u32).div_ceil(COLUMNS);
        y += rows * (NOTE_H + GAP) + 8;
    }
    let width = GAP + COLUMNS * (NOTE_W + GAP);
    let height = y.max(100);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}"><style>text{{font-family:"DejaVu Sans",Arial,sans-serif;font-size:16px;fill:#111}}.title{{font-size:24px;font-weight:bold}}.cluster{{font-size:20px;font-weight:bold;fill:#0b4f9c}}.note{{fill:#fff27a;stroke:#d9c400;stroke-width:2}}</style><rect width="100%" height="100%" fill="#fdfdf8"/><text x="{GAP}" y="36" class="title">{label}</text>{body}</svg>"##,
        label = xml_escape(title),
    )
}

/// The report as one standalone HTML page that prints well, with a picture of each board.
pub fn to_html(e: &SessionExport, lang: Lang) -> String {
    let mut out = String::new();
    let title = format!("{}: {}", lang.words().report, e.title.get(lang.en()));
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>{title}</title><style>
body{{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.45}}
h1{{font-size:1.8rem}} h2{{font-size:1.35rem;border-bottom:3px solid #0b4f9c;padding-bottom:.2rem;margin-top:2rem}}
h3{{font-size:1.1rem}} h4{{margin:.8rem 0 .2rem}} .timing{{color:#333;font-style:italic}} .question{{border-left:6px solid #8a4b00;background:#fff6e5;padding:.5rem 1rem}}
ul li{{margin:.2rem 0}} table{{border-collapse:collapse;margin:.5rem 0}} th,td{{border:1px solid #999;padding:.25rem .5rem;text-align:left}} figure{{margin:1rem 0}} figure svg{{max-width:100%;height:auto;border:1px solid #ccc}}
@media print{{body{{margin:0;max-width:none}} h2,h3,h4{{break-after:avoid}} figure{{break-inside:avoid}}}}
</style></head><body>
"#,
        lang = if lang.en() { "en" } else { "nl" },
        title = xml_escape(&title),
    );
    let mut in_block = false;
    for part in outline(e, lang) {
        let _ = match part {
            Part::Title(t) => writeln!(out, "<h1>{}</h1>", xml_escape(&t)),
            Part::Line(t) => writeln!(out, "<p>{}</p>", xml_escape(&t)),
            Part::Block(t) => {
                if in_block {
                    out.push_str("</section>\n");
                }
                in_block = true;
                writeln!(out, "<section><h2>{}</h2>", xml_escape(&t))
            }
            Part::Timing(t) => writeln!(out, "<p class=\"timing\">{}</p>", xml_escape(&t)),
            Part::Question(t) => writeln!(out, "<p class=\"question\">{}</p>", xml_escape(&t)),
            Part::Group(t) => writeln!(out, "<h3>{}</h3>", xml_escape(&t)),
            Part::Label(t) => writeln!(out, "<h4>{}</h4>", xml_escape(&t)),
            Part::Items(items) => {
                out.push_str("<ul>");
                for item in items {
                    let _ = write!(out, "<li>{}</li>", xml_escape(&item));
                }
                writeln!(out, "</ul>")
            }
            Part::Table { head, rows } => {
                out.push_str("<table><thead><tr>");
                for h in head {
                    let _ = write!(out, "<th scope=\"col\">{}</th>", xml_escape(&h));
                }
                out.push_str("</tr></thead><tbody>");
                for row in rows {
                    out.push_str("<tr>");
                    for (i, c) in row.iter().enumerate() {
                        let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
                        let close = if i == 0 { "th" } else { "td" };
                        let _ = write!(out, "<{tag}>{}</{close}>", xml_escape(c));
                    }
                    out.push_str("</tr>");
                }
                writeln!(out, "</tbody></table>")
            }
            Part::Picture { board, title } => {
                writeln!(out, "<figure>{}</figure>", board_svg(board, &title))
            }
        };
    }
    if in_block {
        out.push_str("</section>\n");
    }
    out.push_str("</body></html>\n");
    out
}

/// The report as an OpenDocument text (`.odt`), which LibreOffice and Word open: headings,
/// paragraphs and lists in a zip archive. (The boards' pictures are in the HTML report.)
pub fn to_odt(e: &SessionExport, lang: Lang) -> Vec<u8> {
    let mut body = String::new();
    let heading = |body: &mut String, level: u8, t: &str| {
        write!(
            body,
            r#"<text:h text:style-name="H{level}" text:outline-level="{level}">{}</text:h>"#,
            xml_escape(t)
        )
    };
    let paragraph = |body: &mut String, style: &str, t: &str| {
        write!(
            body,
            r#"<text:p text:style-name="{style}">{}</text:p>"#,
            xml_escape(t)
        )
    };
    for part in outline(e, lang) {
        let _ = match part {
            Part::Title(t) => heading(&mut body, 1, &t),
            Part::Block(t) => heading(&mut body, 2, &t),
            Part::Group(t) => heading(&mut body, 3, &t),
            Part::Label(t) => heading(&mut body, 4, &t),
            Part::Line(t) => paragraph(&mut body, "P", &t),
            Part::Timing(t) => paragraph(&mut body, "Timing", &t),
            Part::Question(t) => paragraph(&mut body, "Question", &t),
            Part::Items(items) => {
                body.push_str("<text:list>");
                for item in items {
                    let _ = write!(
                        body,
                        "<text:list-item><text:p>{}</text:p></text:list-item>",
                        xml_escape(&item)
                    );
                }
                write!(body, "</text:list>")
            }
            Part::Table { head, rows } => {
                // One line per row, "step: role value; …": readable without table styles.
                body.push_str("<text:list>");
                for row in rows {
                    let cells: Vec<String> = head
                        .iter()
                        .zip(&row)
                        .skip(1)
                        .filter(|(_, c)| !c.is_empty())
                        .map(|(h, c)| format!("{h} {c}"))
                        .collect();
                    let _ = write!(
                        body,
                        "<text:list-item><text:p>{}: {}</text:p></text:list-item>",
                        xml_escape(row.first().map_or("", String::as_str)),
                        xml_escape(&cells.join("; "))
                    );
                }
                write!(body, "</text:list>")
            }
            Part::Picture { .. } => Ok(()),
        };
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"><office:automatic-styles>{STYLES}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>
"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>
"#;
    zip::stored(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.text".as_slice(),
        ),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", content.as_bytes()),
    ])
}

/// The report's paragraph styles (inside the document, so it needs no styles file).
const STYLES: &str = concat!(
    r##"<style:style style:name="H1" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.4cm"/><style:text-properties fo:font-size="20pt" fo:font-weight="bold"/></style:style>"##,
    r##"<style:style style:name="H2" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.6cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-size="15pt" fo:font-weight="bold" fo:color="#0b4f9c"/></style:style>"##,
    r##"<style:style style:name="H3" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.3cm" fo:keep-with-next="always"/><style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>"##,
    r##"<style:style style:name="H4" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold"/></style:style>"##,
    r##"<style:style style:name="P" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.2cm"/></style:style>"##,
    r##"<style:style style:name="Timing" style:family="paragraph"><style:text-properties fo:font-style="italic" fo:color="#333333"/></style:style>"##,
    r##"<style:style style:name="Question" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.2cm" fo:margin-bottom="0.2cm" fo:padding="0.2cm" fo:background-color="#fff6e5"/></style:style>"##,
);

/// A zip archive without compression, which is all an OpenDocument file needs (its
/// `mimetype` must even be stored uncompressed, first).
mod zip {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// The archive of `files` (name, bytes), each stored as is, dated 1980-01-01 so the same
    /// files give the same bytes.
    pub fn stored(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in files {
            let offset = out.len() as u32;
            let (crc, size) = (crc32(data), data.len() as u32);
            let header = |signature: u32, central_entry: bool| {
                let mut h = Vec::new();
                h.extend_from_slice(&signature.to_le_bytes());
                if central_entry {
                    h.extend_from_slice(&20u16.to_le_bytes()); // made by
                }
                h.extend_from_slice(&20u16.to_le_bytes()); // version needed
                h.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
                h.extend_from_slice(&0u16.to_le_bytes()); // stored
                h.extend_from_slice(&0u16.to_le_bytes()); // time
                h.extend_from_slice(&0x0021u16.to_le_bytes()); // date: 1980-01-01
                h.extend_from_slice(&crc.to_le_bytes());
                h.extend_from_slice(&size.to_le_bytes());
                h.extend_from_slice(&size.to_le_bytes());
                h.extend_from_slice(&(name.len() as u16).to_le_bytes());
                h.extend_from_slice(&0u16.to_le_bytes()); // extra
                if central_entry {
                    h.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
                    h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                    h.extend_from_slice(&offset.to_le_bytes());
                }
                h.extend_from_slice(name.as_bytes());
                h
            };
            out.extend(header(0x0403_4b50, false));
            out.extend_from_slice(data);
            central.extend(header(0x0201_4b50, true));
        }
        let central_offset = out.len() as u32;
        let central_size = central.len() as u32;
        out.extend(central);
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        out.extend_from_slice(&[0; 4]); // disk numbers
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&central_size.to_le_bytes());
        out.extend_from_slice(&central_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // comment
        out
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn crc32_matches_the_standard_check_value() {
            assert_eq!(super::crc32(b"123456789"), 0xCBF4_3926);
        }
    }
}

/// One CSV field: quoted when needed, and a leading `=`, `+`, `-`, `@` (a formula to a
/// spreadsheet) neutralised with an apostrophe.
fn csv_field(text: &str) -> String {
    let text = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    };
    if text.contains([';', '"', '\n', '\r', ',']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Days since 1970-01-01 as (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of the last Sunday of `month` in `year`.
fn last_sunday(year: i64, month: u32) -> i64 {
    // The first day of the next month, then back to a Sunday (1970-01-01 was a Thursday).
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let y = if nm <= 2 { ny - 1 } else { ny };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if nm > 2 { nm - 3 } else { nm + 9 } as i64;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let first_next = era * 146_097 + doe - 719_468;
    let last = first_next - 1;
    last - (last + 4).rem_euclid(7)
}

/// A moment as Amsterdam's local time, `2026-11-24 10:45`: CET, or CEST from the last Sunday
/// of March to the last Sunday of October (01:00 UTC both times), as the EU rules say.
pub fn amsterdam_time(ms: i64) -> String {
    const HOUR: i64 = 3_600_000;
    let (year, _, _) = civil_from_days(ms.div_euclid(24 * HOUR));
    let summer_start = last_sunday(year, 3) * 24 * HOUR + HOUR;
    let summer_end = last_sunday(year, 10) * 24 * HOUR + HOUR;
    let offset = if (summer_start..summer_end).contains(&ms) {
        2 * HOUR
    } else {
        HOUR
    };
    let local = ms + offset;
    let (y, m, d) = civil_from_days(local.div_euclid(24 * HOUR));
    let minutes = local.rem_euclid(24 * HOUR) / 60_000;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        minutes / 60,
        minutes % 60
    )
}

/// One row per post-it, for a spreadsheet: UTF-8 with a byte-order mark, `;` between fields
/// and CRLF line ends, which LibreOffice Calc and a Dutch Excel open as columns.
pub fn to_csv(e: &SessionExport, lang: Lang) -> String {
    let header: [&str; 13] = match lang {
        Lang::Nl => [
            "blok",
            "titel",
            "werkvorm",
            "groep",
            "cluster",
            "tekst",
            "oorspronkelijke tekst",
            "samengevoegd met",
            "auteur",
            "rol",
            "verborgen",
            "tijd",
            "bij de stap",
        ],
        Lang::En => [
            "block",
            "title",
            "werkvorm",
            "group",
            "cluster",
            "text",
            "original text",
            "merged with",
            "author",
            "role",
            "hidden",
            "time",
            "about the step",
        ],
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(";"));
    out.push_str("\r\n");
    for b in &e.blocks {
        for board in &b.boards {
            // A process step's row says what was said about it.
            let details = |text: &str| -> String {
                board
                    .process
                    .as_ref()
                    .and_then(|p| p.steps.iter().find(|s| s.text == text))
                    .map(|s| step_details(s, e, lang))
                    .unwrap_or_default()
            };
            for (cluster, n) in board.notes() {
                let row: [String; 13] = [
                    b.letter.clone().unwrap_or_default(),
                    b.title.get(lang.en()).to_owned(),
                    b.werkvorm.map(|w| w.id().to_owned()).unwrap_or_default(),
                    board.group.map(|g| g.to_string()).unwrap_or_default(),
                    cluster.unwrap_or_default().to_owned(),
                    n.text.clone(),
                    n.original.clone().unwrap_or_default(),
                    n.merged.join("; "),
                    n.author.clone().unwrap_or_default(),
                    n.role
                        .as_deref()
                        .map(|r| e.role_name(r, lang))
                        .unwrap_or_default(),
                    if n.hidden { "1" } else { "0" }.to_owned(),
                    n.at.map(amsterdam_time).unwrap_or_default(),
                    details(&n.text),
                ];
                let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
                out.push_str(&fields.join(";"));
                out.push_str("\r\n");
            }
        }
    }
    out
}

/// What session `session` produced so far: `boards` as [`crate::sessie::Session::exported`]
/// chose them, `members` with who is online.
pub fn of_session(
    session: &crate::sessie::Session,
    boards: Vec<(usize, Option<u32>, ProcessMap)>,
    members: &[MemberInfo],
    now: i64,
) -> SessionExport {
    build(Input {
        code: &session.code,
        draaiboek: &session.draaiboek,
        steps: &session.steps,
        agenda: session.agenda(),
        control: session.control(),
        members,
        boards,
        anonymous: session.control().anonymous,
        now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("gewoon"), "gewoon");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("zei \"ja\""), "\"zei \"\"ja\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1"), "'-1");
        assert_eq!(csv_field("twee\nregels"), "\"twee\nregels\"");
    }

    #[test]
    fn markup_in_notes_stays_text() {
        assert_eq!(
            xml_escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        assert_eq!(
            md_escape("# kop [link](x) <b>"),
            "\\# kop \\[link\\](x) \\<b\\>"
        );
    }

    #[test]
    fn amsterdam_time_follows_summer_time() {
        // 2026: summer time from 29 March to 25 October, switching at 01:00 UTC.
        let utc = |d: i64, h: i64, m: i64| ((d * 24 + h) * 60 + m) * 60_000;
        let mar29 = 20_541; // 2026-03-29, days since 1970-01-01
        assert_eq!(civil_from_days(mar29), (2026, 3, 29));
        assert_eq!(amsterdam_time(utc(mar29, 0, 59)), "2026-03-29 01:59");
        assert_eq!(amsterdam_time(utc(mar29, 1, 0)), "2026-03-29 03:00");
        let oct25 = mar29 + 210;
        assert_eq!(civil_from_days(oct25), (2026, 10, 25));
        assert_eq!(amsterdam_time(utc(oct25, 0, 59)), "2026-10-25 02:59");
        assert_eq!(amsterdam_time(utc(oct25, 1, 0)), "2026-10-25 02:00");
        assert_eq!(amsterdam_time(0), "1970-01-01 01:00");
        assert_eq!(amsterdam_time(1_800_000_000_000), "2027-01-15 09:00");
        assert_eq!(amsterdam_time(utc(oct25 + 30, 23, 30)), "2026-11-25 00:30");
    }

    #[test]
    fn wrapping_keeps_words_and_cuts_long_ones() {
        assert_eq!(wrap("een twee drie", 8), ["een twee", "drie"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert!(wrap("   ", 4).is_empty());
    }
}

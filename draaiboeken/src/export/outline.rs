//! The one outline of the report that every renderer walks ([`outline`]), and the report's
//! words in each language.

use std::fmt::Write as _;

use crate::draaiboek::Role;
use crate::proces;

use super::model::{
    ExportBlock, ExportBoard, ExportNote, ExportProcess, ExportStep, ExportStickers, ExportTeam,
    SessionExport,
};

/// The report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

pub(super) struct Words {
    pub(super) report: &'static str,
    pub(super) code: &'static str,
    pub(super) participants: &'static str,
    pub(super) anonymous: &'static str,
    pub(super) planned: &'static str,
    pub(super) actual: &'static str,
    pub(super) minutes: &'static str,
    pub(super) not_run: &'static str,
    pub(super) question: &'static str,
    pub(super) group: &'static str,
    pub(super) words: &'static str,
    pub(super) loose: &'static str,
    pub(super) notes: &'static str,
    pub(super) nothing: &'static str,
    pub(super) edited_from: &'static str,
    pub(super) merged_with: &'static str,
    pub(super) steps: &'static str,
    pub(super) step: &'static str,
    pub(super) municipal_step: &'static str,
    pub(super) now: &'static str,
    pub(super) could: &'static str,
    pub(super) roles_now: &'static str,
    pub(super) roles_could: &'static str,
    pub(super) regie: &'static str,
    pub(super) leads: [&'static str; 3],
    pub(super) expertise: &'static str,
    pub(super) from: &'static str,
    pub(super) municipal: &'static str,
    pub(super) challenges: &'static str,
    pub(super) parked: &'static str,
    pub(super) matrix: &'static str,
    pub(super) team: &'static str,
    pub(super) present: &'static str,
    pub(super) wished: &'static str,
    pub(super) lead: &'static str,
    pub(super) mode_lead: &'static str,
    pub(super) mode_equal: &'static str,
    pub(super) brings: &'static str,
    pub(super) pair: &'static str,
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
    pub(super) fn words(self) -> &'static Words {
        match self {
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }

    pub(super) fn en(self) -> bool {
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

/// One piece of the report, in order; each format renders the same outline.
pub(super) enum Part<'a> {
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
pub(super) fn outline(e: &SessionExport, lang: Lang) -> Vec<Part<'_>> {
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
pub(super) fn step_details(step: &ExportStep, e: &SessionExport, lang: Lang) -> String {
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

//! The one outline of the report that every renderer walks ([`outline`]). Its words are the
//! messages of [`crate::i18n`].

use std::fmt::Write as _;

use crate::draaiboek::Role;
use crate::i18n::{Key, Lang, t, tf};
use crate::proces;

use super::model::{
    ExportBlock, ExportBoard, ExportNote, ExportProcess, ExportStep, ExportStickers, ExportTeam,
    SessionExport,
};

fn block_title(b: &ExportBlock, lang: Lang) -> String {
    let title = b.title.get(lang);
    match &b.letter {
        Some(l) => format!("{l}. {title}"),
        None => title.to_owned(),
    }
}

fn timing(b: &ExportBlock, lang: Lang) -> String {
    let planned = ("planned", &b.planned_minutes as &dyn std::fmt::Display);
    match &b.actual_minutes {
        Some(actual) => tf(lang, Key::ReportTiming, &[planned, ("actual", actual)]),
        None => tf(lang, Key::ReportNotRun, &[planned]),
    }
}

/// What the facilitator did to a note or step: what was merged into it, its original words.
fn annotations(line: &mut String, merged: &[String], original: Option<&String>, lang: Lang) {
    if !merged.is_empty() {
        let notes = merged.join("; ");
        let _ = write!(
            line,
            " {}",
            tf(lang, Key::ReportMergedWith, &[("notes", &notes)])
        );
    }
    if let Some(o) = original {
        let _ = write!(line, " {}", tf(lang, Key::ReportOriginally, &[("text", o)]));
    }
}

/// A note in one line of running text (no markup).
fn note_line(n: &ExportNote, lang: Lang) -> String {
    let mut s = n.text.clone();
    annotations(&mut s, &n.merged, n.original.as_ref(), lang);
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
    let mut parts = vec![
        Part::Title(report_title(e, lang)),
        Part::Line(tf(lang, Key::ReportCode, &[("code", &e.code)])),
    ];
    if let Some(when) = when(e, lang) {
        parts.push(Part::Line(tf(lang, Key::ReportWhen, &[("when", &when)])));
    }
    if let Some(place) = &e.place {
        parts.push(Part::Line(tf(lang, Key::ReportPlace, &[("place", place)])));
    }
    if e.anonymous {
        parts.push(Part::Line(t(lang, Key::ReportAnonymous).to_owned()));
    } else if !e.members.is_empty() {
        let names: Vec<String> = e
            .members
            .iter()
            .map(|m| format!("{} ({})", m.name, e.role_name(&m.role, lang)))
            .collect();
        let names = names.join(", ");
        parts.push(Part::Line(tf(
            lang,
            Key::ReportParticipants,
            &[("names", &names)],
        )));
    }
    for b in &e.blocks {
        let heading = block_title(b, lang);
        parts.push(Part::Block(heading.clone()));
        parts.push(Part::Timing(timing(b, lang)));
        if let Some(p) = &b.prompt {
            let question = p.get(lang);
            parts.push(Part::Question(tf(
                lang,
                Key::ReportQuestion,
                &[("question", &question)],
            )));
        }
        let nothing = || Part::Line(t(lang, Key::ReportNothing).to_owned());
        if !b.boards.is_empty() && b.boards.iter().all(ExportBoard::shows_nothing) {
            parts.push(nothing());
            continue;
        }
        for board in &b.boards {
            let picture_title = match (board.group, &board.pair) {
                (Some(g), Some(pair)) => {
                    let mut title = tf(lang, Key::Pair, &[("n", &g)]);
                    if let Some(name) = &pair.name {
                        let _ = write!(title, ": {name}");
                    }
                    if !pair.members.is_empty() {
                        let _ = write!(title, " ({})", pair.members.join(", "));
                    }
                    parts.push(Part::Group(title.clone()));
                    format!("{heading} — {title}")
                }
                (Some(g), None) => {
                    let group = tf(lang, Key::Group, &[("n", &g)]);
                    parts.push(Part::Group(group.clone()));
                    format!("{heading} — {group}")
                }
                (None, _) => heading.clone(),
            };
            if let Some(team) = &board.team {
                team_parts(&mut parts, team, lang);
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
                parts.push(Part::Label(t(lang, Key::ReportWords).to_owned()));
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
                    parts.push(nothing());
                }
                continue;
            }
            let items = |notes: &[ExportNote]| -> Vec<String> {
                notes
                    .iter()
                    .filter(|n| !n.hidden)
                    .map(|n| note_line(n, lang))
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
                    parts.push(Part::Label(t(lang, Key::ReportLoose).to_owned()));
                } else if !board.words.is_empty() {
                    parts.push(Part::Label(t(lang, Key::ReportNotes).to_owned()));
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

fn team_parts(parts: &mut Vec<Part<'_>>, team: &ExportTeam, lang: Lang) {
    if team.members.is_empty() && team.mode.is_none() {
        return;
    }
    parts.push(Part::Label(t(lang, Key::TeamHeading).to_owned()));
    match team.mode {
        Some(proces::TeamMode::Lead) => parts.push(Part::Line(t(lang, Key::ReportModeLead).into())),
        Some(proces::TeamMode::Equal) => {
            parts.push(Part::Line(t(lang, Key::ReportModeEqual).into()))
        }
        None => {}
    }
    parts.push(Part::Items(
        team.members
            .iter()
            .map(|m| {
                let status = t(
                    lang,
                    match (m.present, m.lead) {
                        (true, false) => Key::ReportPresent,
                        (true, true) => Key::ReportPresentLead,
                        (false, false) => Key::ReportWished,
                        (false, true) => Key::ReportWishedLead,
                    },
                );
                let args: [(&str, &dyn std::fmt::Display); 3] = [
                    ("name", &m.name),
                    ("status", &status),
                    ("brings", &m.brings),
                ];
                if m.brings.is_empty() {
                    tf(lang, Key::ReportTeamMember, &args)
                } else {
                    tf(lang, Key::ReportTeamMemberBrings, &args)
                }
            })
            .collect(),
    ));
}

/// A process map in the report: each step in timeline order with its phase and everything said
/// about it, the step × role table when there are stickers, and the parked challenges.
fn process_parts(parts: &mut Vec<Part<'_>>, p: &ExportProcess, e: &SessionExport, lang: Lang) {
    if p.steps.is_empty() && p.parked.is_empty() {
        parts.push(Part::Line(t(lang, Key::ReportNothing).to_owned()));
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
            let label = phase.unwrap_or_else(|| t(lang, Key::ReportSteps));
            parts.push(Part::Label(label.to_owned()));
        }
        let mut line = format!("{}. {}", i + 1, step.text);
        annotations(&mut line, &step.merged, step.original.as_ref(), lang);
        if step.municipal {
            let _ = write!(line, " {}", t(lang, Key::ReportMunicipalStep));
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
        parts.push(Part::Label(t(lang, Key::Matrix).to_owned()));
        let mut head = vec![t(lang, Key::StepColumn).to_owned()];
        head.extend(roles.iter().map(|r| r.name.get(lang).to_owned()));
        let rows = p
            .steps
            .iter()
            .map(|s| {
                let mut row = vec![s.text.clone()];
                row.extend(roles.iter().map(
                    |r| match s.stickers.iter().find(|x| x.role == r.id) {
                        Some(x) => {
                            let args: [(&str, &dyn std::fmt::Display); 2] =
                                [("now", &x.now), ("could", &x.could)];
                            match (x.now > 0, x.could > 0) {
                                (true, true) => tf(lang, Key::ReportStickersBoth, &args),
                                (true, false) => tf(lang, Key::ReportStickersNow, &args),
                                (false, true) => tf(lang, Key::ReportStickersCould, &args),
                                (false, false) => String::new(),
                            }
                        }
                        None => String::new(),
                    },
                ));
                row
            })
            .collect();
        parts.push(Part::Table { head, rows });
    }
    if !p.parked.is_empty() {
        parts.push(Part::Label(t(lang, Key::ReportParked).to_owned()));
        parts.push(Part::Items(p.parked.clone()));
    }
}

/// What was said about a step, in one line: stickers, regie, expertise and challenges.
pub(super) fn step_details(step: &ExportStep, e: &SessionExport, lang: Lang) -> String {
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
        parts.push(tf(lang, Key::ReportRolesNow, &[("roles", &now)]));
    }
    let could = stickers(&step.stickers, |s| s.could);
    if !could.is_empty() {
        parts.push(tf(lang, Key::ReportRolesCould, &[("roles", &could)]));
    }
    if let Some(r) = &step.regie {
        let who = t(
            lang,
            match r.who {
                proces::Lead::Initiatiefnemer => Key::ReportLeadInitiator,
                proces::Lead::Gemeente => Key::ReportLeadMunicipality,
                proces::Lead::Unclear => Key::ReportLeadUnclear,
            },
        );
        parts.push(match &r.note {
            Some(why) => tf(lang, Key::ReportRegieWhy, &[("who", &who), ("why", why)]),
            None => tf(lang, Key::ReportRegie, &[("who", &who)]),
        });
    }
    if !step.expertise.is_empty() {
        let list: Vec<String> = step
            .expertise
            .iter()
            .map(|x| {
                let key = match (x.from.is_empty(), x.municipal) {
                    (true, false) => return x.what.clone(),
                    (true, true) => Key::ReportExpertiseMunicipal,
                    (false, false) => Key::ReportExpertiseFrom,
                    (false, true) => Key::ReportExpertiseFromMunicipal,
                };
                tf(lang, key, &[("what", &x.what), ("from", &x.from)])
            })
            .collect();
        let list = list.join("; ");
        parts.push(tf(lang, Key::ReportExpertise, &[("list", &list)]));
    }
    if !step.challenges.is_empty() {
        let list = step.challenges.join("; ");
        parts.push(tf(lang, Key::ReportChallenges, &[("list", &list)]));
    }
    parts.join(". ")
}

/// When the session was held, in Amsterdam's time: its start, and its end (only the time when
/// it ended on the same day); `None` before it started.
fn when(e: &SessionExport, lang: Lang) -> Option<String> {
    let start = super::amsterdam_local(e.started_at?);
    let from = lang.date_time(start);
    Some(match e.ended_at.map(super::amsterdam_local) {
        None => from,
        Some(end) if (end.year, end.month, end.day) == (start.year, start.month, start.day) => {
            format!("{from}–{:02}:{:02}", end.hour, end.minute)
        }
        Some(end) => format!("{from} – {}", lang.date_time(end)),
    })
}

/// The report's title: "Verslag: {the draaiboek's title}".
pub(super) fn report_title(e: &SessionExport, lang: Lang) -> String {
    let title = e.title.get(lang);
    tf(lang, Key::ReportTitle, &[("title", &title)])
}

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

use serde::{Deserialize, Serialize};

mod access;
mod control;
pub mod lifecycle;
mod machine;
#[cfg(test)]
mod machine_tests;
#[cfg(test)]
mod tests;

pub use access::{Refusal, Who, access, process_source};
pub use control::{
    CIVIL_SERVANT, Control, ControlCommand, ControlError, MAX_GROUPS, MAX_PAIR_NAME_CHARS,
    MAX_PLACE_CHARS, MAX_REVEALED_PER_MEMBER, Plenary, group_count, make_pairs, spread,
};
pub use machine::*;

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

/// Tells apart members who share a name, as the console lists them: the second "Anouk" to join
/// is shown as "Anouk (2)", the third as "Anouk (3)" (skipping a number someone already goes
/// by). Names are compared as people read them: case and surrounding spaces don't count.
/// `members` are in the order they joined; the first keeps their name as typed.
pub fn distinct_names(members: &mut [MemberInfo]) {
    let key = |name: &str| name.trim().to_lowercase();
    let taken: std::collections::HashSet<String> = members.iter().map(|m| key(&m.name)).collect();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut given = std::collections::HashSet::new();
    for m in members.iter_mut() {
        let n = seen.entry(key(&m.name)).or_default();
        *n += 1;
        if *n == 1 {
            continue;
        }
        let mut k = *n;
        let name = loop {
            let candidate = format!("{} ({k})", m.name.trim());
            if !taken.contains(&key(&candidate)) && given.insert(key(&candidate)) {
                break candidate;
            }
            k += 1;
        };
        m.name = name;
    }
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

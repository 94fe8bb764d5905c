//! The exercises (werkvormen) a block can run, one module each, and the one registry of them.
//!
//! A werkvorm's module declares everything the core knows of it, in one place ([`Spec`]): its
//! id in draaiboek files and the API, its [`Rules`] (who writes, private until revealed, on a
//! process map, shows the join code, ...), what participants may write on its board beyond
//! post-its and arranging a map ([`Entry`], asked by [`crate::guard`]), and the section the
//! report gives its boards ([`Section`]). [`Werkvorm::spec`] is the registry: the only place that
//! matches on werkvormen. Everything else asks the spec, so a new werkvorm is a new module here,
//! a line in the registry, its app module (`app/src/werkvorm/`) and its translations.

use serde::{Deserialize, Serialize};

pub mod check;

mod afsluiting;
mod check_in;
mod dreamteam;
mod een_op_een;
mod expertise;
mod introductie;
mod pauze;
mod plenair;
mod post_its;
mod proces_in_kaart;
mod regie;
mod rollen;
mod uitdagingen;

pub use check::{Current, Entry, Writer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Werkvorm {
    /// Introduction and information; the projector shows the join code.
    Introductie,
    /// Check-in: each participant writes one word, revealed all at once.
    CheckIn,
    /// Free post-its, clustered by the facilitator (succesfactoren, inzichten, impact, …).
    PostIts,
    /// Proces in kaart: steps on post-its, put in order and grouped into phases.
    ProcesInKaart,
    /// Vaststellen van regie: per step, who leads (initiatiefnemer, gemeente, unclear).
    Regie,
    /// Inventarisatie van expertise: per step, which expertise, from whom.
    Expertise,
    /// Uitdagingen: challenges attached to steps; external ones parked apart.
    Uitdagingen,
    /// Rollen en verantwoordelijkheden: coloured role stickers on steps.
    Rollen,
    /// Het dreamteam: who contributes time and energy, and what they bring.
    Dreamteam,
    /// 1-op-1 gesprekken: prepared pairs with question cards and a short summary.
    EenOpEen,
    /// Plenary round: the groups' boards one by one, with a speaking timer.
    Plenair,
    Pauze,
    Afsluiting,
}

/// What a werkvorm lets participants do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rules {
    /// Participants write on the board (otherwise only the facilitator does).
    pub participants_write: bool,
    /// Writing is private until the facilitator reveals, unless the block says otherwise.
    pub private_by_default: bool,
    /// Works on the steps of a process map made earlier.
    pub on_process_steps: bool,
    /// The projector shows the join code and QR code.
    pub shows_join_code: bool,
    /// After the reveal, participants arrange what was revealed together (a process map is put
    /// in order by the group; a check-in's words are not touched).
    pub arrange_after_reveal: bool,
    /// Participants work in the pairs the facilitator prepared, not in the groups.
    pub in_pairs: bool,
    /// Participants write post-its on the block's board (in their own private document of a
    /// private block they always do).
    pub writes_notes: bool,
    /// A post-it holds one word (the check-in).
    pub one_word: bool,
    /// Starts a process map: its post-its are the steps, which the group puts in order.
    pub makes_map: bool,
    /// A plenary round: the facilitator gives the groups the floor in turn.
    pub gives_the_floor: bool,
    /// A break: a block that needs no letter of its own in the script.
    pub is_break: bool,
}

impl Rules {
    /// Participants only look and listen.
    pub const LISTEN: Rules = Rules {
        participants_write: false,
        private_by_default: false,
        on_process_steps: false,
        shows_join_code: false,
        arrange_after_reveal: false,
        in_pairs: false,
        writes_notes: false,
        one_word: false,
        makes_map: false,
        gives_the_floor: false,
        is_break: false,
    };
    /// Participants write on the board, but no post-its (what their werkvorm's entries allow).
    pub const WRITE: Rules = Rules {
        participants_write: true,
        ..Rules::LISTEN
    };
    /// Participants write post-its.
    pub const NOTES: Rules = Rules {
        writes_notes: true,
        ..Rules::WRITE
    };
}

/// How the report shows a werkvorm's boards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Post-its in the facilitator's clusters.
    Notes,
    /// The check-in: the words, grouped across spelling variants.
    Words,
    /// A process map: its steps in phases, with what the werkvorm added to them.
    Map,
    /// The dreamteam: who is in it, and how the work is shared.
    Team,
}

/// Everything the core knows of one werkvorm.
#[derive(Debug)]
pub struct Spec {
    /// The name in draaiboek files and the API.
    pub id: &'static str,
    pub rules: Rules,
    /// What participants may write on the board beyond post-its and arranging a map: one
    /// entry per root map of the document.
    pub entries: &'static [Entry],
    /// How the report shows the block's boards.
    pub section: Section,
}

impl Werkvorm {
    pub const ALL: [Werkvorm; 13] = [
        Werkvorm::Introductie,
        Werkvorm::CheckIn,
        Werkvorm::PostIts,
        Werkvorm::ProcesInKaart,
        Werkvorm::Regie,
        Werkvorm::Expertise,
        Werkvorm::Uitdagingen,
        Werkvorm::Rollen,
        Werkvorm::Dreamteam,
        Werkvorm::EenOpEen,
        Werkvorm::Plenair,
        Werkvorm::Pauze,
        Werkvorm::Afsluiting,
    ];

    /// The registry: each werkvorm's module and what it declares.
    pub fn spec(self) -> &'static Spec {
        match self {
            Werkvorm::Introductie => &introductie::SPEC,
            Werkvorm::CheckIn => &check_in::SPEC,
            Werkvorm::PostIts => &post_its::SPEC,
            Werkvorm::ProcesInKaart => &proces_in_kaart::SPEC,
            Werkvorm::Regie => &regie::SPEC,
            Werkvorm::Expertise => &expertise::SPEC,
            Werkvorm::Uitdagingen => &uitdagingen::SPEC,
            Werkvorm::Rollen => &rollen::SPEC,
            Werkvorm::Dreamteam => &dreamteam::SPEC,
            Werkvorm::EenOpEen => &een_op_een::SPEC,
            Werkvorm::Plenair => &plenair::SPEC,
            Werkvorm::Pauze => &pauze::SPEC,
            Werkvorm::Afsluiting => &afsluiting::SPEC,
        }
    }

    /// The name used in draaiboek files and the API.
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    pub fn from_id(id: &str) -> Option<Werkvorm> {
        Self::ALL.into_iter().find(|w| w.id() == id)
    }

    pub fn ids() -> Vec<&'static str> {
        Self::ALL.iter().map(|w| w.id()).collect()
    }

    pub fn rules(self) -> Rules {
        self.spec().rules
    }

    /// Works on a process map: its board holds steps in order, and what the werkvorm adds
    /// to them (stickers, regie, expertise, challenges).
    pub fn is_process(self) -> bool {
        let rules = self.rules();
        rules.makes_map || rules.on_process_steps
    }

    /// What participants may write in root map `root` of the board, if anything.
    pub fn entry(self, root: &str) -> Option<&'static Entry> {
        self.spec().entries.iter().find(|e| e.root == root)
    }

    /// The werkvorm of a block that names none: free post-its.
    pub const DEFAULT: Werkvorm = Werkvorm::PostIts;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_match_serde() {
        for w in Werkvorm::ALL {
            assert_eq!(Werkvorm::from_id(w.id()), Some(w));
            assert_eq!(serde_json::to_value(w).unwrap(), serde_json::json!(w.id()));
        }
        assert_eq!(Werkvorm::from_id("one-word"), None);
    }

    #[test]
    fn the_rules_agree_with_each_other() {
        for w in Werkvorm::ALL {
            let r = w.rules();
            let what = w.id();
            // Writing post-its, one word, a map or entries all mean participants write.
            if r.writes_notes || r.one_word || r.makes_map || !w.spec().entries.is_empty() {
                assert!(r.participants_write, "{what}");
            }
            assert!(!r.one_word || r.writes_notes, "{what}");
            assert!(!(r.makes_map && r.on_process_steps), "{what}");
            assert_eq!(w.spec().section == Section::Map, w.is_process(), "{what}");
            let roots: std::collections::HashSet<_> =
                w.spec().entries.iter().map(|e| e.root).collect();
            assert_eq!(
                roots.len(),
                w.spec().entries.len(),
                "{what}: one entry per root"
            );
        }
    }
}

//! The exercises (werkvormen) a block can run, and what each lets participants write and see.

use serde::{Deserialize, Serialize};

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

    /// The name used in draaiboek files and the API.
    pub fn id(self) -> &'static str {
        match self {
            Werkvorm::Introductie => "introductie",
            Werkvorm::CheckIn => "check-in",
            Werkvorm::PostIts => "post-its",
            Werkvorm::ProcesInKaart => "proces-in-kaart",
            Werkvorm::Regie => "regie",
            Werkvorm::Expertise => "expertise",
            Werkvorm::Uitdagingen => "uitdagingen",
            Werkvorm::Rollen => "rollen",
            Werkvorm::Dreamteam => "dreamteam",
            Werkvorm::EenOpEen => "een-op-een",
            Werkvorm::Plenair => "plenair",
            Werkvorm::Pauze => "pauze",
            Werkvorm::Afsluiting => "afsluiting",
        }
    }

    pub fn from_id(id: &str) -> Option<Werkvorm> {
        Self::ALL.into_iter().find(|w| w.id() == id)
    }

    pub fn ids() -> Vec<&'static str> {
        Self::ALL.iter().map(|w| w.id()).collect()
    }

    pub fn rules(self) -> Rules {
        let none = Rules {
            participants_write: false,
            private_by_default: false,
            on_process_steps: false,
            shows_join_code: false,
            arrange_after_reveal: false,
            in_pairs: false,
        };
        let write = Rules {
            participants_write: true,
            ..none
        };
        match self {
            Werkvorm::Introductie => Rules {
                shows_join_code: true,
                ..none
            },
            Werkvorm::CheckIn => Rules {
                private_by_default: true,
                ..write
            },
            Werkvorm::PostIts | Werkvorm::Dreamteam => write,
            Werkvorm::ProcesInKaart => Rules {
                arrange_after_reveal: true,
                ..write
            },
            Werkvorm::EenOpEen => Rules {
                in_pairs: true,
                ..write
            },
            Werkvorm::Regie | Werkvorm::Expertise | Werkvorm::Uitdagingen | Werkvorm::Rollen => {
                Rules {
                    on_process_steps: true,
                    ..write
                }
            }
            Werkvorm::Plenair | Werkvorm::Pauze | Werkvorm::Afsluiting => none,
        }
    }

    /// Works on a process map: its board holds steps in order, and what the werkvorm adds
    /// to them (stickers, regie, expertise, challenges).
    pub fn is_process(self) -> bool {
        self == Werkvorm::ProcesInKaart || self.rules().on_process_steps
    }
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
}

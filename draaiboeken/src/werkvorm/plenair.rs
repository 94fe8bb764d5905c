//! Plenair: the groups present in turn; the facilitator gives each the floor for its share of
//! the block's time ([`crate::sessie::ControlCommand::Plenary`]), and the projector shows the
//! boards that group made in the earlier group blocks.

use super::{Rules, Section, Spec};

pub(super) const SPEC: Spec = Spec {
    id: "plenair",
    rules: Rules {
        gives_the_floor: true,
        ..Rules::LISTEN
    },
    entries: &[],
    section: Section::Notes,
};

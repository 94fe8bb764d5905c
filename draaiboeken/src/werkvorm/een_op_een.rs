//! 1-op-1 gesprekken: pairs the facilitator made (a civil servant with a resident or
//! initiator) talk through question cards and write a short summary on their pair's board. The
//! server writes the pair's names on that board ([`crate::board::write_pair`]).

use super::{Rules, Section, Spec};

pub(super) const SPEC: Spec = Spec {
    id: "een-op-een",
    rules: Rules {
        in_pairs: true,
        ..Rules::NOTES
    },
    entries: &[],
    section: Section::Notes,
};

//! Pauze: a break; the agenda's clock runs, no board.

use super::{Rules, Section, Spec};

pub(super) const SPEC: Spec = Spec {
    id: "pauze",
    rules: Rules {
        is_break: true,
        ..Rules::LISTEN
    },
    entries: &[],
    section: Section::Notes,
};

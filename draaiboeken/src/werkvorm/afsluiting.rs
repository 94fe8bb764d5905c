//! Afsluiting: the facilitator closes the session; no board.

use super::{Rules, Section, Spec};

pub(super) const SPEC: Spec = Spec {
    id: "afsluiting",
    rules: Rules::LISTEN,
    entries: &[],
    section: Section::Notes,
};

//! Post-its: everyone writes freely; the facilitator clusters, edits, hides and merges
//! (succesfactoren, inzichten, impact, ...).

use super::{Rules, Section, Spec};

pub(super) const SPEC: Spec = Spec {
    id: "post-its",
    rules: Rules::NOTES,
    entries: &[],
    section: Section::Notes,
};

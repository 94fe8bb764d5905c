//! Proces in kaart: a group writes the steps of its project on post-its and puts them in order
//! and in phases together ([`crate::proces`]); a civil servant marks a step as municipal.

use super::{Rules, Section, Spec};

pub(super) const SPEC: Spec = Spec {
    id: "proces-in-kaart",
    rules: Rules {
        arrange_after_reveal: true,
        makes_map: true,
        ..Rules::NOTES
    },
    entries: &[],
    section: Section::Map,
};

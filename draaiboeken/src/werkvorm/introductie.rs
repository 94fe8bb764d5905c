//! Introductie: the facilitator introduces the session while people join; the projector shows
//! the join code.

use super::{Rules, Section, Spec};

pub(super) const SPEC: Spec = Spec {
    id: "introductie",
    rules: Rules {
        shows_join_code: true,
        ..Rules::LISTEN
    },
    entries: &[],
    section: Section::Notes,
};

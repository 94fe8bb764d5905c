//! Check-in: each participant writes one word, privately until the facilitator reveals them
//! all at once; the words are grouped across spelling variants ([`crate::checkin`]).

use super::{Rules, Section, Spec};

pub(super) const SPEC: Spec = Spec {
    id: "check-in",
    rules: Rules {
        private_by_default: true,
        one_word: true,
        ..Rules::NOTES
    },
    entries: &[],
    section: Section::Words,
};

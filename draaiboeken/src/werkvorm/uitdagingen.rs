//! Uitdagingen: each person notes challenges at the steps of the map; challenges from outside
//! the collaboration are parked apart.

use yrs::Any;

use super::check::{Current, Entry, Writer, own_entry, own_gone};
use super::{Rules, Section, Spec};
use crate::proces;
use crate::sync::Refused;

pub(super) const SPEC: Spec = Spec {
    id: "uitdagingen",
    rules: Rules {
        on_process_steps: true,
        ..Rules::WRITE
    },
    entries: &[Entry {
        root: proces::CHALLENGES,
        insert: challenge,
        delete: gone,
    }],
    section: Section::Map,
};

fn challenge(w: &Writer, now: &Current, key: &str, values: &[Any]) -> Result<bool, Refused> {
    own_entry(
        w,
        now,
        proces::CHALLENGES,
        key,
        values,
        &["step", "text", "by"],
    )
}

fn gone(w: &Writer, now: &Current, key: &str) -> Result<bool, Refused> {
    own_gone(w, now, proces::CHALLENGES, key)
}

//! Inventarisatie van expertise: per step of the map, each person notes what expertise it
//! needs and from whom (also: from the municipality).

use yrs::Any;

use super::check::{Current, Entry, Writer, own_entry, own_gone};
use super::{Rules, Section, Spec};
use crate::proces;
use crate::sync::Refused;

pub(super) const SPEC: Spec = Spec {
    id: "expertise",
    rules: Rules {
        on_process_steps: true,
        ..Rules::WRITE
    },
    entries: &[Entry {
        root: proces::EXPERTISE,
        insert: expertise,
        delete: gone,
    }],
    section: Section::Map,
};

fn expertise(w: &Writer, now: &Current, key: &str, values: &[Any]) -> Result<bool, Refused> {
    let fields = ["step", "what", "from", "municipal", "by"];
    own_entry(w, now, proces::EXPERTISE, key, values, &fields)
}

fn gone(w: &Writer, now: &Current, key: &str) -> Result<bool, Refused> {
    own_gone(w, now, proces::EXPERTISE, key)
}

//! Vaststellen van regie: per step of the map, the group decides who leads (the initiator, the
//! municipality, or unclear), with a note. A regie block may also map its own steps.

use yrs::Any;

use super::check::{Current, Entry, Writer, group_gone, no, object, only_keys, short, string};
use super::{Rules, Section, Spec};
use crate::proces::{self, Lead, MAX_TEXT_CHARS};
use crate::sync::Refused;

pub(super) const SPEC: Spec = Spec {
    id: "regie",
    rules: Rules {
        on_process_steps: true,
        ..Rules::NOTES
    },
    entries: &[Entry {
        root: proces::REGIE,
        insert: regie,
        delete: group_gone,
    }],
    section: Section::Map,
};

/// Regie is the group's: anyone at the table sets it.
fn regie(_: &Writer, _: &Current, _: &str, values: &[Any]) -> Result<bool, Refused> {
    let map = object(values)?;
    only_keys(map, &["who", "note"])?;
    let who = string(map, "who").unwrap_or_default();
    if !Lead::ALL.iter().any(|l| l.id() == who) {
        return Err(no("regie is initiatiefnemer, gemeente or unclear"));
    }
    short(
        string(map, "note").unwrap_or_default(),
        MAX_TEXT_CHARS,
        "a note",
    )?;
    Ok(false)
}

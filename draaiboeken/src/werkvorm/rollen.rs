//! Rollen en verantwoordelijkheden: on the steps of the map carried over from proces in kaart,
//! each person puts coloured role stickers: who is responsible now, and who could be.

use yrs::Any;

use super::check::{Current, Entry, Writer, no, object, only_keys, short, string};
use super::{Rules, Section, Spec};
use crate::proces::{self, MAX_NAME_CHARS};
use crate::sync::Refused;

pub(super) const SPEC: Spec = Spec {
    id: "rollen",
    rules: Rules {
        on_process_steps: true,
        ..Rules::WRITE
    },
    entries: &[Entry {
        root: proces::STICKERS,
        insert: sticker,
        delete: unstick,
    }],
    section: Section::Map,
};

/// A sticker is each person's own; its key names its step, role, kind and writer.
fn sticker(w: &Writer, _: &Current, key: &str, values: &[Any]) -> Result<bool, Refused> {
    let map = object(values)?;
    only_keys(map, &["step", "role", "kind", "by"])?;
    let (Some(step), Some(role), Some(kind), Some(by)) = (
        string(map, "step"),
        string(map, "role"),
        string(map, "kind"),
        string(map, "by"),
    ) else {
        return Err(no("a sticker has a step, role, kind and writer"));
    };
    if by != w.member {
        return Err(Refused::foreign("a sticker in someone else's name"));
    }
    if !matches!(kind, "now" | "could") {
        return Err(no("a sticker is for now or could be"));
    }
    short(role, MAX_NAME_CHARS, "a role")?;
    if key != format!("{step}|{role}|{kind}|{by}") {
        return Err(no("a sticker's key names its step, role, kind and writer"));
    }
    Ok(true)
}

fn unstick(w: &Writer, _: &Current, key: &str) -> Result<bool, Refused> {
    if key.ends_with(&format!("|{}", w.member)) {
        Ok(false)
    } else {
        Err(no("that sticker is someone else's"))
    }
}

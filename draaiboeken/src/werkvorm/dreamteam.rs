//! Het dreamteam: the group names who puts time and energy into the project, what each brings,
//! who is here today, and whether the team works with a lead or in equal shares.

use yrs::Any;

use super::check::{
    Current, Entry, Writer, group_gone, is_bool, no, object, only_keys, short, string,
};
use super::{Rules, Section, Spec};
use crate::proces::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS};
use crate::sync::Refused;

pub(super) const SPEC: Spec = Spec {
    id: "dreamteam",
    rules: Rules::WRITE,
    entries: &[
        Entry {
            root: proces::TEAM,
            insert: team_member,
            delete: group_gone,
        },
        Entry {
            root: proces::TEAMWORK,
            insert: teamwork,
            delete: group_gone,
        },
    ],
    section: Section::Team,
};

/// The team is the group's: anyone at the table adds, changes or removes a member.
fn team_member(_: &Writer, _: &Current, _: &str, values: &[Any]) -> Result<bool, Refused> {
    let map = object(values)?;
    only_keys(map, &["name", "present", "brings", "lead", "by"])?;
    short(
        string(map, "name").unwrap_or_default(),
        MAX_NAME_CHARS,
        "a name",
    )?;
    short(
        string(map, "brings").unwrap_or_default(),
        MAX_TEXT_CHARS,
        "what they bring",
    )?;
    if !is_bool(map, "present") || !is_bool(map, "lead") {
        return Err(no("present and lead are true or false"));
    }
    Ok(false)
}

/// How the team shares the work: one key, `mode`.
fn teamwork(_: &Writer, _: &Current, key: &str, values: &[Any]) -> Result<bool, Refused> {
    if key != "mode" {
        return Err(no(&format!(
            "in this block you can't change {:?}",
            proces::TEAMWORK
        )));
    }
    match values {
        [Any::String(m)] if matches!(&**m, "lead" | "equal") => Ok(false),
        _ => Err(no("the team works with a lead or in equal shares")),
    }
}

//! The vocabulary a werkvorm's [`Entry`] checks a participant's change with: who writes, what
//! the document holds now, and small checks of plain values. [`crate::guard::BoardGuard`] asks
//! the entries; it decides post-its and the arranging of a map itself.

use std::cell::OnceCell;
use std::collections::HashMap;

use yrs::{Any, Doc, Map, Out, Transact};

use crate::board;
use crate::proces::{MAX_NAME_CHARS, MAX_TEXT_CHARS};
use crate::sync::Refused;

/// What participants may write in one root map of a board, and how it is checked.
#[derive(Debug)]
pub struct Entry {
    /// The root map (see [`crate::proces`] for the names).
    pub root: &'static str,
    /// A value set under `key`. `Ok(true)` when it carries the writer's name, which binds the
    /// writer's client id to them (see [`crate::sync::WriteGuard`]).
    pub insert: fn(&Writer, &Current, &str, &[Any]) -> Result<bool, Refused>,
    /// The entry under `key` taken away.
    pub delete: fn(&Writer, &Current, &str) -> Result<bool, Refused>,
}

/// Who writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    pub member: String,
    /// A civil servant: may mark steps as municipal.
    pub civil: bool,
}

/// What the document holds now, read once per update when a check needs it.
pub struct Current<'d> {
    doc: &'d Doc,
    /// Note id → author.
    authors: OnceCell<HashMap<String, Option<String>>>,
}

impl<'d> Current<'d> {
    pub fn new(doc: &'d Doc) -> Self {
        Current {
            doc,
            authors: OnceCell::new(),
        }
    }

    /// Every post-it's author, by post-it id.
    pub fn authors(&self) -> &HashMap<String, Option<String>> {
        self.authors.get_or_init(|| {
            board::read_notes(self.doc)
                .into_iter()
                .map(|n| (n.id, n.author))
                .collect()
        })
    }

    /// Whether every post-it with id `id` on the board (there is at least one) is `member`'s.
    /// Ids are unique on boards the guard kept, but not necessarily in what was stored before.
    pub fn only_by(&self, id: &str, member: &str) -> bool {
        let mut with_id = board::read_notes(self.doc)
            .into_iter()
            .filter(|n| n.id == id)
            .peekable();
        with_id.peek().is_some() && with_id.all(|n| n.author.as_deref() == Some(member))
    }

    /// The plain value under `key` in root map `root`.
    pub fn value(&self, root: &str, key: &str) -> Option<Any> {
        let map = self.doc.get_or_insert_map(root);
        match map.get(&self.doc.transact(), key) {
            Some(Out::Any(any)) => Some(any),
            _ => None,
        }
    }

    /// The `by` of an entry of map `root`, if it has one.
    pub fn by(&self, root: &str, key: &str) -> Option<String> {
        match self.value(root, key)? {
            Any::Map(m) => string(&m, "by").map(str::to_owned),
            _ => None,
        }
    }
}

pub fn no(reason: &str) -> Refused {
    Refused::new(reason)
}

pub fn string<'a>(map: &'a HashMap<String, Any>, key: &str) -> Option<&'a str> {
    match map.get(key) {
        Some(Any::String(s)) => Some(s),
        _ => None,
    }
}

pub fn only_keys(map: &HashMap<String, Any>, allowed: &[&str]) -> Result<(), Refused> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(no(&format!("unknown field {k:?}"))),
        None => Ok(()),
    }
}

pub fn short(s: &str, max: usize, what: &str) -> Result<(), Refused> {
    if s.chars().count() > max {
        return Err(no(&format!("{what} is longer than {max} characters")));
    }
    Ok(())
}

/// Absent, or true or false.
pub fn is_bool(map: &HashMap<String, Any>, key: &str) -> bool {
    matches!(map.get(key), Some(Any::Bool(_)) | None)
}

/// One plain object (a map entry's value).
pub fn object(values: &[Any]) -> Result<&HashMap<String, Any>, Refused> {
    match values {
        [Any::Map(map)] => Ok(map),
        _ => Err(no("a board entry is one plain object")),
    }
}

/// An entry that is each person's own (expertise, a challenge): in the writer's name, with
/// only the `allowed` fields, short texts, and never over someone else's.
pub fn own_entry(
    w: &Writer,
    now: &Current,
    root: &str,
    key: &str,
    values: &[Any],
    allowed: &[&str],
) -> Result<bool, Refused> {
    let map = object(values)?;
    only_keys(map, allowed)?;
    for field in ["step", "what", "text"] {
        if let Some(s) = string(map, field) {
            short(s, MAX_TEXT_CHARS, field)?;
        }
    }
    short(
        string(map, "from").unwrap_or_default(),
        MAX_NAME_CHARS,
        "from",
    )?;
    if !is_bool(map, "municipal") {
        return Err(no("municipal is true or false"));
    }
    if string(map, "by") != Some(w.member.as_str()) {
        return Err(Refused::foreign("an entry in someone else's name"));
    }
    own_gone(w, now, root, key).map(|_| true)
}

/// Taking away an entry that is each person's own: only one's own.
pub fn own_gone(w: &Writer, now: &Current, root: &str, key: &str) -> Result<bool, Refused> {
    match now.by(root, key) {
        Some(by) if by != w.member => Err(no("that entry is someone else's")),
        _ => Ok(false),
    }
}

/// An entry anyone writing on the board may take away (the group's own things).
pub fn group_gone(_: &Writer, _: &Current, _: &str) -> Result<bool, Refused> {
    Ok(false)
}

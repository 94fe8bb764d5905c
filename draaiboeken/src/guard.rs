//! What a participant may change on a board, change by change.
//!
//! [`crate::sessie::access`] decides whether a participant may write a document at all; a
//! [`BoardGuard`] then decides every change of every update they send (see
//! [`crate::sync::WriteGuard`]), from the werkvorm of the block and the shape of a board
//! ([`crate::board`], [`crate::proces`]):
//!
//! - post-its (`notes`) are written in the participant's own name, within the length of a
//!   post-it and the number a person may write in one block, where the werkvorm has
//!   participants write post-its (and always in their own private document); only the writer
//!   takes one back; where the werkvorm asks for one word, a post-it holds one word;
//! - on a process map the group arranges together: the order, the phases, which phase a step
//!   is in; only civil servants mark a step as municipal;
//! - what else participants write is the werkvorm's to say: its module's
//!   [`crate::werkvorm::Entry`]s (stickers, expertise and challenges are each person's own;
//!   regie and the dreamteam are the group's);
//! - the facilitator's decisions (hiding, editing, merging, word groups, focus), the pair's
//!   names and where a map was carried from are not for participants.
//!
//! Refusals that concern someone else's content (a post-it in another's name) are marked
//! foreign: a client's sync step 2 carries what it saw of others, and that is no attack.

use yrs::{Any, Doc};

use crate::board::{self, MAX_CLUSTER_CHARS, MAX_NOTE_CHARS, Meta};
use crate::checkin::{self, OneWord};
use crate::proces;
use crate::sync::{Change, Refused, WriteGuard};
use crate::werkvorm::check::{no, only_keys, short, string};
use crate::werkvorm::{Current, Werkvorm, Writer};

/// Most post-its one person writes on one board.
pub const MAX_NOTES_PER_MEMBER: usize = 50;
/// Longest id of a note, cluster or entry.
pub const MAX_ID_CHARS: usize = 64;
/// Longest key of a map entry (a sticker's key joins four parts).
pub const MAX_KEY_BYTES: usize = 256;

/// The rules for one participant on one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardGuard {
    writer: Writer,
    werkvorm: Werkvorm,
    /// The member's own private document of a block: post-its only.
    own: bool,
}

impl BoardGuard {
    pub fn new(member: &str, civil: bool, werkvorm: Werkvorm, own: bool) -> BoardGuard {
        BoardGuard {
            writer: Writer {
                member: member.to_owned(),
                civil,
            },
            werkvorm,
            own,
        }
    }

    fn member(&self) -> &str {
        &self.writer.member
    }

    fn writes_notes(&self) -> bool {
        self.own || self.werkvorm.rules().writes_notes
    }

    /// May arrange a process map: order, phases, a step's phase.
    fn arranges(&self) -> bool {
        !self.own && self.werkvorm.is_process()
    }

    /// What the werkvorm lets participants write in root map `root` (nothing in one's own
    /// private document but post-its).
    fn entry(&self, root: &str) -> Option<&'static crate::werkvorm::Entry> {
        (!self.own).then(|| self.werkvorm.entry(root)).flatten()
    }
}

impl BoardGuard {
    /// A new post-it. Its id must be new to the board (and to the other post-its of the same
    /// change, in `fresh`): what is decided about a post-it is keyed by its id, so a copy under
    /// someone else's id, taken back, would take their `meta` entry (a hide) with it.
    fn note<'v>(
        &self,
        now: &Current,
        value: &'v Any,
        fresh: &mut Vec<&'v str>,
    ) -> Result<bool, Refused> {
        let Any::Map(map) = value else {
            return Err(no("a post-it is a plain object"));
        };
        only_keys(map, &["id", "text", "author", "at"])?;
        let id = string(map, "id").ok_or_else(|| no("a post-it needs an id"))?;
        if id.is_empty() {
            return Err(no("a post-it needs an id"));
        }
        short(id, MAX_ID_CHARS, "a post-it's id")?;
        if now.authors().contains_key(id) || fresh.contains(&id) {
            return Err(no("a post-it with this id is already on the board"));
        }
        fresh.push(id);
        match string(map, "author") {
            Some(a) if a == self.member() => {}
            Some(_) => return Err(Refused::foreign("a post-it in someone else's name")),
            None => return Err(no("a post-it names its writer")),
        }
        let text = string(map, "text").ok_or_else(|| no("a post-it needs text"))?;
        if text.trim().is_empty() {
            return Err(no("a post-it needs text"));
        }
        short(text, MAX_NOTE_CHARS, "a post-it")?;
        if !matches!(map.get("at"), None | Some(Any::Number(_))) {
            return Err(no("a post-it's time is a number"));
        }
        if self.werkvorm.rules().one_word
            && !matches!(checkin::one_word(text), OneWord::Word(w) if w == text.trim())
        {
            return Err(no("the check-in takes one word"));
        }
        Ok(true)
    }

    /// A decision about post-it `key`: on a process map, its phase and (for civil servants)
    /// whether it is municipal; of a post-it on the board or one this update adds (`added`).
    fn meta(&self, now: &Current, added: &[&str], key: &str, value: &Any) -> Result<bool, Refused> {
        if !self.arranges() {
            return Err(no("only the facilitator decides about post-its here"));
        }
        if !now.authors().contains_key(key) && !added.contains(&key) {
            return Err(no("there is no step with this id on the board"));
        }
        let Any::Map(map) = value else {
            return Err(no("a step's details are a plain object"));
        };
        only_keys(
            map,
            &[
                "cluster",
                "hidden",
                "text",
                "merged_into",
                "word",
                "municipal",
            ],
        )?;
        let new = Meta::from_any(value);
        let old = now
            .value(board::META, key)
            .map(|v| Meta::from_any(&v))
            .unwrap_or_default();
        if let Some(c) = &new.cluster {
            short(c, MAX_ID_CHARS, "a phase id")?;
        }
        if new.municipal != old.municipal && !self.writer.civil {
            return Err(no("only civil servants mark steps as municipal"));
        }
        let expected = Meta {
            cluster: new.cluster.clone(),
            municipal: new.municipal,
            ..old
        };
        if new != expected {
            return Err(no("only the facilitator hides, edits or merges steps"));
        }
        Ok(false)
    }

    fn insert(
        &self,
        now: &Current,
        added: &[&str],
        root: &str,
        key: Option<&str>,
        values: &[Any],
    ) -> Result<bool, Refused> {
        if let Some(k) = key
            && (k.is_empty() || k.len() > MAX_KEY_BYTES)
        {
            return Err(no("a board entry's key is too long"));
        }
        match (root, key) {
            (board::NOTES, None) if self.writes_notes() => {
                let mut signed = false;
                let mut fresh = Vec::new();
                for v in values {
                    signed |= self.note(now, v, &mut fresh)?;
                }
                Ok(signed)
            }
            (board::NOTES, _) => Err(no("in this block you don't write post-its")),
            (board::META, Some(k)) => match values {
                [v] => self.meta(now, added, k, v),
                _ => Err(no("a step's details are one object")),
            },
            (board::CLUSTERS, Some(_)) if self.arranges() => match values {
                [Any::String(name)] => {
                    short(name, MAX_CLUSTER_CHARS, "a phase name").map(|_| false)
                }
                _ => Err(no("a phase has a name")),
            },
            (proces::ORDER, Some(_)) if self.arranges() => match values {
                [Any::Number(n)] if n.as_f64().is_some_and(f64::is_finite) => Ok(false),
                _ => Err(no("a step's place is a number")),
            },
            (root, key) => match (self.entry(root), key) {
                (Some(entry), Some(k)) => (entry.insert)(&self.writer, now, k, values),
                _ => Err(no(&format!("in this block you can't change {root:?}"))),
            },
        }
    }

    fn delete(
        &self,
        now: &Current,
        taken_back: &[&str],
        root: &str,
        key: Option<&str>,
        value: Option<&Any>,
    ) -> Result<bool, Refused> {
        match (root, key) {
            (board::NOTES, None) if self.writes_notes() => {
                let author = match value {
                    Some(Any::Map(m)) => string(m, "author"),
                    _ => None,
                };
                if author == Some(self.member()) {
                    Ok(false)
                } else {
                    Err(no("you can only take back your own post-its"))
                }
            }
            // Taking back one's own post-it also drops what was decided about it; nothing else
            // of `meta` is a participant's to remove.
            (board::META, Some(k)) if taken_back.contains(&k) && now.only_by(k, self.member()) => {
                Ok(false)
            }
            (board::META, Some(_)) => {
                Err(no("only the facilitator removes decisions about post-its"))
            }
            (board::CLUSTERS | proces::ORDER, Some(_)) if self.arranges() => Ok(false),
            (root, key) => match (self.entry(root), key) {
                (Some(entry), Some(k)) => (entry.delete)(&self.writer, now, k),
                _ => Err(no(&format!("in this block you can't remove from {root:?}"))),
            },
        }
    }
}

impl WriteGuard for BoardGuard {
    fn writer(&self) -> &str {
        self.member()
    }

    fn check(&self, doc: &Doc, changes: &[Change<'_>]) -> Vec<Result<bool, Refused>> {
        let now = Current::new(doc);
        // This writer's post-its on the board, counted when the first new one comes.
        let mut notes: Option<usize> = None;
        // Their post-its this update takes back.
        let taken_back: Vec<&str> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Delete {
                    root: board::NOTES,
                    value: Some(Any::Map(m)),
                    ..
                } if string(m, "author") == Some(self.member()) => string(m, "id"),
                _ => None,
            })
            .collect();
        // The ids of the post-its this update adds.
        let added: Vec<&str> = changes
            .iter()
            .flat_map(|c| match c {
                Change::Insert {
                    root: board::NOTES,
                    key: None,
                    values,
                } => values.iter(),
                _ => [].iter(),
            })
            .filter_map(|v| match v {
                Any::Map(m) => string(m, "id"),
                _ => None,
            })
            .collect();
        changes
            .iter()
            .map(|change| match *change {
                Change::Insert { root, key, values } => {
                    let verdict = self.insert(&now, &added, root, key, values);
                    if verdict.is_ok() && root == board::NOTES {
                        let mine = notes.get_or_insert_with(|| {
                            now.authors()
                                .values()
                                .filter(|a| a.as_deref() == Some(self.member()))
                                .count()
                        });
                        *mine += values.len();
                        if *mine > MAX_NOTES_PER_MEMBER {
                            return Err(no(&format!(
                                "at most {MAX_NOTES_PER_MEMBER} post-its per person in a block"
                            )));
                        }
                    }
                    verdict
                }
                Change::Delete { root, key, value } => {
                    self.delete(&now, &taken_back, root, key, value)
                }
                Change::Unusual { .. } => Err(no("this kind of change isn't part of a board")),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;

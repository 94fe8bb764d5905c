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
mod tests {
    use std::sync::Arc;

    use yrs::{Array, Doc, Map, Options, ReadTxn, StateVector, Transact};

    use super::*;
    use crate::board::Note;
    use crate::sync::room::{ConnId, Effects, Room};
    use crate::sync::{Access, wire};

    /// A replica with a fixed client id, as a phone would have.
    fn replica(client: u64) -> Doc {
        Doc::with_options(Options {
            client_id: yrs::ClientID::new(client),
            ..Options::default()
        })
    }

    fn edit(doc: &Doc, f: impl FnOnce(&Doc)) -> Vec<u8> {
        let before = doc.transact().state_vector();
        f(doc);
        wire::encode_update(&doc.transact().encode_diff_v1(&before))
    }

    fn note(doc: &Doc, id: &str, text: &str, author: &str) -> Vec<u8> {
        edit(doc, |d| {
            let notes = board::notes_array(d);
            board::push_note(
                &notes,
                &mut d.transact_mut(),
                &Note {
                    id: id.into(),
                    text: text.into(),
                    author: Some(author.into()),
                    at: None,
                },
            );
        })
    }

    /// Brings a replica up to the room's state.
    fn catch_up(room: &Room, doc: &Doc) {
        let sv = doc.transact().state_vector();
        let diff = room.doc().transact().encode_diff_v1(&sv);
        let update = yrs::Update::decode_v1(&diff).unwrap();
        doc.transact_mut().apply_update(update).unwrap();
    }

    fn denied(fx: &Effects) -> bool {
        fx.reply
            .iter()
            .any(|f| matches!(wire::decode(f), Ok(wire::Message::Auth(Some(_)))))
    }

    fn texts(room: &Room) -> Vec<String> {
        board::read_notes(room.doc())
            .into_iter()
            .map(|n| n.text)
            .collect()
    }

    struct Setup {
        room: Room,
        facilitator: ConnId,
        anouk: ConnId,
        bram: ConnId,
    }

    fn setup(werkvorm: Werkvorm) -> Setup {
        let mut room = Room::new(Default::default());
        let (facilitator, _) = room.connect(Access::ReadWrite);
        let guard =
            |m: &str, civil| Access::Guarded(Arc::new(BoardGuard::new(m, civil, werkvorm, false)));
        let (anouk, _) = room.connect(guard("anouk", false));
        let (bram, _) = room.connect(guard("bram", true));
        Setup {
            room,
            facilitator,
            anouk,
            bram,
        }
    }

    use yrs::updates::decoder::Decode;

    #[test]
    fn participants_write_post_its_in_their_own_name_only() {
        let mut s = setup(Werkvorm::PostIts);
        let a = replica(11);
        let fx = s
            .room
            .receive(s.anouk, &note(&a, "n1", "Buurtkamer", "anouk"))
            .unwrap();
        assert!(!denied(&fx) && fx.broadcast.len() == 1 && fx.persist.is_some());

        // In Bram's name: refused, not applied, not forwarded.
        let fx = s
            .room
            .receive(s.anouk, &note(&a, "n2", "Namens Bram", "bram"))
            .unwrap();
        assert!(denied(&fx), "{fx:?}");
        assert!(fx.broadcast.is_empty() && fx.persist.is_none());
        assert_eq!(texts(&s.room), ["Buurtkamer"]);

        // Without a name, too long, or not a post-it at all.
        let b = replica(22);
        let long = "x".repeat(MAX_NOTE_CHARS + 1);
        for frame in [
            edit(&b, |d| {
                let notes = board::notes_array(d);
                board::add_note(&notes, &mut d.transact_mut(), "n3", "anoniem");
            }),
            note(&b, "n4", &long, "bram"),
            edit(&b, |d| {
                let notes = board::notes_array(d);
                notes.push_back(&mut d.transact_mut(), "just a string");
            }),
            edit(&b, |d| {
                let meta = d.get_or_insert_map(board::META);
                meta.insert(
                    &mut d.transact_mut(),
                    "n1",
                    Meta {
                        hidden: true,
                        ..Meta::default()
                    }
                    .to_any(),
                );
            }),
            edit(&b, |d| {
                let text = d.get_or_insert_text("sneaky");
                yrs::Text::insert(&text, &mut d.transact_mut(), 0, "hi");
            }),
        ] {
            let fx = s.room.receive(s.bram, &frame).unwrap();
            assert!(denied(&fx) && fx.broadcast.is_empty(), "{fx:?}");
        }
        assert_eq!(texts(&s.room), ["Buurtkamer"]);
    }

    #[test]
    fn only_the_writer_takes_a_post_it_back_and_the_facilitator_moderates() {
        let mut s = setup(Werkvorm::PostIts);
        let (a, b) = (replica(11), replica(22));
        s.room
            .receive(s.anouk, &note(&a, "n1", "Van Anouk", "anouk"))
            .unwrap();
        s.room
            .receive(s.bram, &note(&b, "n2", "Van Bram", "bram"))
            .unwrap();
        catch_up(&s.room, &b);
        catch_up(&s.room, &a);

        let fx = s
            .room
            .receive(s.bram, &edit(&b, |d| board::delete(d, "n1")))
            .unwrap();
        assert!(denied(&fx) && fx.broadcast.is_empty());
        let fx = s
            .room
            .receive(s.anouk, &edit(&a, |d| board::delete(d, "n1")))
            .unwrap();
        assert!(!denied(&fx) && fx.broadcast.len() == 1);
        assert_eq!(texts(&s.room), ["Van Bram"]);

        // Bram's sync step 2 carries his replica's whole delete set, Anouk's deletion too:
        // deleting what is gone is no attempt.
        let b2 = replica(22);
        catch_up(&s.room, &b2);
        let all = b2
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let fx = s.room.receive(s.bram, &wire::encode_step2(&all)).unwrap();
        assert!(!denied(&fx), "{fx:?}");

        // The facilitator hides and edits.
        let f = replica(99);
        catch_up(&s.room, &f);
        let fx = s
            .room
            .receive(
                s.facilitator,
                &edit(&f, |d| board::set_hidden(d, "n2", true)),
            )
            .unwrap();
        assert!(!denied(&fx) && fx.broadcast.len() == 1);
        // Bram can't unhide it, nor edit its text.
        catch_up(&s.room, &b);
        for frame in [
            edit(&b, |d| board::set_hidden(d, "n2", false)),
            edit(&b, |d| board::edit_text(d, "n2", "anders")),
        ] {
            let fx = s.room.receive(s.bram, &frame).unwrap();
            assert!(denied(&fx), "{fx:?}");
        }
        let board = board::read(s.room.doc());
        assert!(board.notes.iter().all(|n| n.hidden), "{board:?}");
    }

    #[test]
    fn a_copy_under_someone_elses_id_is_refused_so_their_hide_stays() {
        let mut s = setup(Werkvorm::PostIts);
        let (a, b, f) = (replica(11), replica(22), replica(99));
        s.room
            .receive(s.bram, &note(&b, "n-b", "Van Bram", "bram"))
            .unwrap();
        catch_up(&s.room, &f);
        s.room
            .receive(
                s.facilitator,
                &edit(&f, |d| board::set_hidden(d, "n-b", true)),
            )
            .unwrap();
        // Anouk posts a copy with Bram's id, and twice the same id in one change.
        catch_up(&s.room, &a);
        let fx = s
            .room
            .receive(s.anouk, &note(&a, "n-b", "Kopie", "anouk"))
            .unwrap();
        assert!(denied(&fx) && fx.broadcast.is_empty(), "{fx:?}");
        let twice = edit(&replica(12), |d| {
            let notes = board::notes_array(d);
            let mut txn = d.transact_mut();
            for text in ["een", "twee"] {
                let n = Note {
                    id: "dubbel".into(),
                    text: text.into(),
                    author: Some("anouk".into()),
                    at: None,
                };
                board::push_note(&notes, &mut txn, &n);
            }
        });
        assert!(denied(&s.room.receive(s.anouk, &twice).unwrap()));
        // Nor can she remove the decision about Bram's post-it in any other way.
        let a = replica(13);
        catch_up(&s.room, &a);
        let fx = s
            .room
            .receive(
                s.anouk,
                &edit(&a, |d| {
                    let meta = d.get_or_insert_map(board::META);
                    meta.remove(&mut d.transact_mut(), "n-b");
                }),
            )
            .unwrap();
        assert!(denied(&fx), "{fx:?}");
        let board = board::read(s.room.doc());
        assert_eq!(board.notes.len(), 1);
        assert!(board.notes[0].hidden, "{board:?}");
    }

    #[test]
    fn on_a_process_map_decisions_are_about_steps_on_the_board() {
        let mut s = setup(Werkvorm::ProcesInKaart);
        let b = replica(22);
        // A phase for a step that isn't there: refused.
        let fx = s
            .room
            .receive(
                s.bram,
                &edit(&b, |d| proces::move_to_phase(d, "ghost", Some("c1"))),
            )
            .unwrap();
        assert!(denied(&fx), "{fx:?}");
        // A step written and put in a phase offline arrives in one update: kept.
        let b = replica(23);
        note(&b, "s1", "Idee", "bram");
        edit(&b, |d| proces::move_to_phase(d, "s1", Some("c1")));
        let all = b
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let fx = s.room.receive(s.bram, &wire::encode_step2(&all)).unwrap();
        assert!(!denied(&fx), "{fx:?}");
        let map = proces::read(s.room.doc());
        assert_eq!(map.steps.len(), 1, "{map:?}");
    }

    #[test]
    fn a_relay_of_someone_elses_changes_is_dropped_quietly_and_the_rest_kept() {
        let mut s = setup(Werkvorm::PostIts);
        // Bram wrote a note the room lost (a crash); Anouk's replica has it, and hers after it.
        let (a, b) = (replica(11), replica(22));
        let lost = note(&b, "n-b", "Van Bram", "bram");
        let Ok(wire::Message::Update(u)) = wire::decode(&lost) else {
            panic!()
        };
        a.transact_mut()
            .apply_update(yrs::Update::decode_v1(u).unwrap())
            .unwrap();
        note(&a, "n-a", "Van Anouk", "anouk");
        let all = a
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let fx = s.room.receive(s.anouk, &wire::encode_step2(&all)).unwrap();
        assert!(!denied(&fx), "a step 2 relay is no attempt: {fx:?}");
        assert_eq!(fx.broadcast.len(), 1);
        // Anouk's own note is in (held until Bram's arrives: it comes after his), his is not.
        let fx = s.room.receive(s.bram, &lost).unwrap();
        assert!(!denied(&fx));
        let mut t = texts(&s.room);
        t.sort();
        assert_eq!(t, ["Van Anouk", "Van Bram"]);

        // As a plain update, the same thing is an attempt and is told so.
        let c = replica(33);
        let forged = note(&c, "n-c", "Namens Bram", "bram");
        let fx = s.room.receive(s.anouk, &forged).unwrap();
        assert!(denied(&fx));
    }

    #[test]
    fn a_client_id_belongs_to_whoever_signed_with_it_first() {
        let mut s = setup(Werkvorm::PostIts);
        let a = replica(11);
        s.room
            .receive(s.anouk, &note(&a, "n1", "Eerste", "anouk"))
            .unwrap();
        // Bram writes with Anouk's client id, at her next clock: her next note would be lost.
        let squat = replica(11);
        catch_up(&s.room, &squat);
        let fx = s
            .room
            .receive(s.bram, &note(&squat, "n2", "Kaping", "bram"))
            .unwrap();
        assert!(denied(&fx) && fx.broadcast.is_empty());
        let fx = s
            .room
            .receive(s.anouk, &note(&a, "n3", "Tweede", "anouk"))
            .unwrap();
        assert!(!denied(&fx));
        assert_eq!(texts(&s.room), ["Eerste", "Tweede"]);
    }

    #[test]
    fn a_person_writes_at_most_the_limit_of_post_its_per_block() {
        let mut s = setup(Werkvorm::PostIts);
        let a = replica(11);
        for i in 0..MAX_NOTES_PER_MEMBER {
            let fx = s
                .room
                .receive(s.anouk, &note(&a, &format!("n{i}"), "idee", "anouk"))
                .unwrap();
            assert!(!denied(&fx), "note {i}");
        }
        let fx = s
            .room
            .receive(s.anouk, &note(&a, "over", "nog een", "anouk"))
            .unwrap();
        assert!(denied(&fx));
        assert_eq!(texts(&s.room).len(), MAX_NOTES_PER_MEMBER);
    }

    #[test]
    fn the_check_in_takes_one_word() {
        let mut s = setup(Werkvorm::CheckIn);
        let a = replica(11);
        let fx = s
            .room
            .receive(s.anouk, &note(&a, "w1", "heel erg moe", "anouk"))
            .unwrap();
        assert!(denied(&fx));
        // A refused change stays in that replica, and what builds on it is refused too: the
        // phone starts from the room's state again.
        let a = replica(12);
        let fx = s
            .room
            .receive(s.anouk, &note(&a, "w2", "moe", "anouk"))
            .unwrap();
        assert!(!denied(&fx));
    }

    #[test]
    fn process_maps_are_arranged_together_and_stickers_are_personal() {
        let mut s = setup(Werkvorm::ProcesInKaart);
        let (a, b) = (replica(11), replica(22));
        s.room
            .receive(s.anouk, &note(&a, "s1", "Idee", "anouk"))
            .unwrap();
        s.room
            .receive(s.anouk, &note(&a, "s2", "Plan", "anouk"))
            .unwrap();
        catch_up(&s.room, &b);
        // Bram (a civil servant) moves Anouk's step, makes a phase, marks a step municipal.
        for frame in [
            edit(&b, |d| proces::place(d, "s2", 0, None)),
            edit(&b, |d| {
                board::add_cluster(d, "c1", "Start");
            }),
            edit(&b, |d| proces::move_to_phase(d, "s1", Some("c1"))),
            edit(&b, |d| proces::set_municipal(d, "s1", true)),
        ] {
            let fx = s.room.receive(s.bram, &frame).unwrap();
            assert!(!denied(&fx), "{fx:?}");
        }
        // Anouk is not a civil servant, and nobody merges but the facilitator.
        catch_up(&s.room, &a);
        let fx = s
            .room
            .receive(s.anouk, &edit(&a, |d| proces::set_municipal(d, "s2", true)))
            .unwrap();
        assert!(denied(&fx));
        let a = replica(13);
        catch_up(&s.room, &a);
        let fx = s
            .room
            .receive(s.anouk, &edit(&a, |d| board::merge(d, "s2", "s1")))
            .unwrap();
        assert!(denied(&fx));
        let map = proces::read(s.room.doc());
        assert_eq!(map.steps[0].note.id, "s2");
        assert!(
            map.steps
                .iter()
                .any(|st| st.note.municipal && st.note.id == "s1")
        );

        // Stickers: in a rollen block, each person's own.
        let mut s = setup(Werkvorm::Rollen);
        let b = replica(22);
        let mine = edit(&b, |d| {
            proces::toggle_sticker(d, "s1", "bewoner", proces::StickerKind::Now, "bram")
        });
        assert!(!denied(&s.room.receive(s.bram, &mine).unwrap()));
        let a = replica(11);
        catch_up(&s.room, &a);
        let theirs = edit(&a, |d| {
            proces::toggle_sticker(d, "s1", "bewoner", proces::StickerKind::Now, "bram")
        });
        assert!(
            denied(&s.room.receive(s.anouk, &theirs).unwrap()),
            "taking Bram's sticker off"
        );
        let forged = edit(&replica(33), |d| {
            proces::toggle_sticker(d, "s1", "ambtenaar", proces::StickerKind::Could, "bram")
        });
        assert!(denied(&s.room.receive(s.anouk, &forged).unwrap()));
        let stickers = s.room.doc().get_or_insert_map(proces::STICKERS);
        assert_eq!(stickers.len(&s.room.doc().transact()), 1);
    }

    #[test]
    fn a_delete_range_of_billions_of_clocks_is_judged_by_ranges() {
        let mut s = setup(Werkvorm::PostIts);
        let b = replica(22);
        s.room
            .receive(s.bram, &note(&b, "n1", "Van Bram", "bram"))
            .unwrap();
        // Anouk deletes clocks 0..4e9 of Bram's client (and of one nobody has): found by the
        // fuzzer as a hang when deletions were judged clock by clock.
        let mut u = vec![0, 2];
        for client in [22u64, 77] {
            wire::write_var_u64(&mut u, client);
            u.push(1);
            u.push(0);
            wire::write_var_u64(&mut u, 4_000_000_000);
        }
        let fx = s.room.receive(s.anouk, &wire::encode_update(&u)).unwrap();
        assert!(denied(&fx) && fx.broadcast.is_empty(), "{fx:?}");
        assert_eq!(texts(&s.room), ["Van Bram"]);
    }

    #[test]
    fn values_nested_too_deep_for_yrs_close_the_connection_instead_of_the_server() {
        let mut s = setup(Werkvorm::PostIts);
        // One item whose content is an array nested a million levels deep.
        let mut u = vec![1, 1, 5, 0]; // one client, one struct, client 5, clock 0
        u.push(8); // info: Any content, no origins, parent written
        u.push(1); // parent is a root named …
        wire::write_bytes(&mut u, b"notes");
        u.push(1); // one value
        for _ in 0..1_000_000 {
            u.extend_from_slice(&[117, 1]);
        }
        u.push(126);
        u.push(0); // empty delete set
        for conn in [s.anouk, s.facilitator] {
            let err = s.room.receive(conn, &wire::encode_update(&u)).unwrap_err();
            assert_eq!(err.close_code(), 1002, "{err}");
        }
    }
}

//! The shape of a post-it board inside its Yrs document, and the facilitator's moderation.
//!
//! - root array `notes`: plain objects `{id, text}`, plus `author` (a member id) when known.
//!   Stock Yjs clients see the same thing as `ydoc.getArray('notes').toJSON()`.
//! - root map `meta`: note id → `{cluster?, hidden?, text?, merged_into?, word?}`, what the
//!   facilitator decided about a note (its cluster, hidden from the wall, an edited text, merged
//!   into another note, the word group it belongs to in a check-in, a process step from the
//!   municipal process).
//! - root map `clusters`: cluster id → name.
//! - root map `focus`: `word` → the check-in word group the projector highlights.
//!
//! Notes are never rewritten in place: edits and decisions live in `meta`, so a participant's
//! original stays in the document and concurrent edits don't fight over one value.

use std::collections::HashMap;

use yrs::{Any, Array, ArrayRef, Doc, Map, MapRef, Out, ReadTxn, Transact, TransactionMut};

pub const NOTES: &str = "notes";
pub const META: &str = "meta";
pub const CLUSTERS: &str = "clusters";
pub const FOCUS: &str = "focus";
/// A 1-op-1 pair's board: `name` → what they talk about, `m:{member}` → each one's name.
/// Written by the server, so a phone knows its partner without getting the member list.
pub const PAIR: &str = "pair";
/// Longest note text, in characters.
pub const MAX_NOTE_CHARS: usize = 280;
/// Longest cluster name, in characters.
pub const MAX_CLUSTER_CHARS: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: String,
    pub text: String,
    pub author: Option<String>,
    /// When it was written (ms since the epoch, by the writer's device clock).
    pub at: Option<i64>,
}

pub fn notes_array(doc: &Doc) -> ArrayRef {
    doc.get_or_insert_array(NOTES)
}

fn clean(text: &str, max: usize) -> String {
    text.trim()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(max)
        .collect()
}

/// Appends a note. The text is trimmed and cut to [`MAX_NOTE_CHARS`].
pub fn add_note(notes: &ArrayRef, txn: &mut TransactionMut, id: &str, text: &str) {
    push_note(
        notes,
        txn,
        &Note {
            id: id.to_owned(),
            text: text.to_owned(),
            author: None,
            at: None,
        },
    );
}

/// Appends a note with all its fields.
pub fn push_note(notes: &ArrayRef, txn: &mut TransactionMut, note: &Note) {
    let end = notes.len(txn);
    push_at(notes, txn, end, note);
}

/// Inserts a note with all its fields at `index`.
fn push_at(notes: &ArrayRef, txn: &mut TransactionMut, index: u32, note: &Note) {
    let mut fields = HashMap::from([
        ("id".to_owned(), Any::from(note.id.as_str())),
        (
            "text".to_owned(),
            Any::from(clean(&note.text, MAX_NOTE_CHARS)),
        ),
    ]);
    if let Some(author) = &note.author {
        fields.insert("author".to_owned(), Any::from(author.as_str()));
    }
    if let Some(at) = note.at {
        fields.insert("at".to_owned(), Any::from(at as f64));
    }
    notes.insert(txn, index, Any::from(fields));
}

/// Adds the notes the board doesn't hold yet (by id): a reveal done twice copies nothing twice.
pub fn add_missing_notes(doc: &Doc, notes: &[Note]) {
    let present: std::collections::HashSet<String> =
        read_notes(doc).into_iter().map(|n| n.id).collect();
    let array = notes_array(doc);
    let mut txn = doc.transact_mut();
    for n in notes.iter().filter(|n| !present.contains(&n.id)) {
        push_note(&array, &mut txn, n);
    }
}

fn as_note(value: Out) -> Option<Note> {
    let Out::Any(Any::Map(map)) = value else {
        return None;
    };
    match (map.get("id"), map.get("text")) {
        (Some(Any::String(id)), Some(Any::String(text))) => Some(Note {
            id: id.to_string(),
            text: text.to_string(),
            author: match map.get("author") {
                Some(Any::String(a)) => Some(a.to_string()),
                _ => None,
            },
            at: match map.get("at") {
                Some(Any::Number(yrs::any::Number::Float(n)))
                    if n.is_finite() && n.abs() < 1e15 =>
                {
                    Some(*n as i64)
                }
                Some(Any::Number(yrs::any::Number::Int(n))) => Some(*n),
                _ => None,
            },
        }),
        _ => None,
    }
}

/// The notes in wall order. Entries that aren't notes (another client's bug) are skipped.
pub fn notes<T: ReadTxn>(notes: &ArrayRef, txn: &T) -> Vec<Note> {
    notes.iter(txn).filter_map(as_note).collect()
}

/// The notes of a whole document.
pub fn read_notes(doc: &Doc) -> Vec<Note> {
    let array = notes_array(doc);
    notes(&array, &doc.transact())
}

/// What the facilitator decided about one note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub cluster: Option<String>,
    pub hidden: bool,
    pub text: Option<String>,
    pub merged_into: Option<String>,
    pub word: Option<String>,
    /// A process step from the municipal process (see [`crate::proces`]).
    pub municipal: bool,
}

impl Meta {
    pub(crate) fn from_any(any: &Any) -> Meta {
        let Any::Map(map) = any else {
            return Meta::default();
        };
        let s = |k: &str| match map.get(k) {
            Some(Any::String(s)) => Some(s.to_string()),
            _ => None,
        };
        Meta {
            cluster: s("cluster"),
            hidden: matches!(map.get("hidden"), Some(Any::Bool(true))),
            text: s("text"),
            merged_into: s("merged_into"),
            word: s("word"),
            municipal: matches!(map.get("municipal"), Some(Any::Bool(true))),
        }
    }

    pub(crate) fn to_any(&self) -> Any {
        let mut m: HashMap<String, Any> = HashMap::new();
        for (k, v) in [
            ("cluster", &self.cluster),
            ("text", &self.text),
            ("merged_into", &self.merged_into),
            ("word", &self.word),
        ] {
            if let Some(v) = v {
                m.insert(k.to_owned(), Any::from(v.as_str()));
            }
        }
        if self.hidden {
            m.insert("hidden".to_owned(), Any::Bool(true));
        }
        if self.municipal {
            m.insert("municipal".to_owned(), Any::Bool(true));
        }
        Any::from(m)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub id: String,
    pub name: String,
}

/// A note as the wall shows it: its current text, its cluster, and the notes merged into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardNote {
    pub id: String,
    pub text: String,
    /// The participant's own words, when the facilitator edited them.
    pub original: Option<String>,
    pub author: Option<String>,
    pub at: Option<i64>,
    pub cluster: Option<String>,
    pub hidden: bool,
    /// Notes merged into this one, as their writers wrote them.
    pub merged: Vec<Note>,
    /// The word group chosen by hand in a check-in.
    pub word: Option<String>,
    /// A process step from the municipal process.
    pub municipal: bool,
}

/// A whole board as every screen shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Board {
    /// In wall order; notes merged into another are left out (see [`BoardNote::merged`]).
    pub notes: Vec<BoardNote>,
    /// In order of their ids (which are made in creation order).
    pub clusters: Vec<Cluster>,
    /// The check-in word group the projector highlights.
    pub focus_word: Option<String>,
}

impl Board {
    pub fn visible(&self) -> impl Iterator<Item = &BoardNote> {
        self.notes.iter().filter(|n| !n.hidden)
    }

    /// Visible notes in `cluster` (`None`: not in any cluster).
    pub fn in_cluster<'a>(
        &'a self,
        cluster: Option<&'a str>,
    ) -> impl Iterator<Item = &'a BoardNote> {
        self.visible()
            .filter(move |n| n.cluster.as_deref() == cluster)
    }
}

fn string_map<T: ReadTxn>(map: &MapRef, txn: &T) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = map
        .iter(txn)
        .filter_map(|(k, v)| match v {
            Out::Any(Any::String(s)) => Some((k.to_owned(), s.to_string())),
            _ => None,
        })
        .collect();
    out.sort();
    out
}

/// Reads a board.
pub fn read(doc: &Doc) -> Board {
    let notes_ref = notes_array(doc);
    let meta_ref = doc.get_or_insert_map(META);
    let clusters_ref = doc.get_or_insert_map(CLUSTERS);
    let focus_ref = doc.get_or_insert_map(FOCUS);
    let txn = doc.transact();
    let all = notes(&notes_ref, &txn);
    let clusters: Vec<Cluster> = string_map(&clusters_ref, &txn)
        .into_iter()
        .map(|(id, name)| Cluster { id, name })
        .collect();
    let metas: HashMap<String, Meta> = meta_ref
        .iter(&txn)
        .filter_map(|(k, v)| match v {
            Out::Any(any) => Some((k.to_owned(), Meta::from_any(&any))),
            _ => None,
        })
        .collect();
    let ids: std::collections::HashSet<&str> = all.iter().map(|n| n.id.as_str()).collect();
    let mut merged: HashMap<String, Vec<Note>> = HashMap::new();
    for n in &all {
        if let Some(into) = metas.get(&n.id).and_then(|m| m.merged_into.as_ref())
            && ids.contains(into.as_str())
            && into != &n.id
        {
            merged.entry(into.clone()).or_default().push(n.clone());
        }
    }
    let known_cluster = |c: &Option<String>| {
        c.as_ref()
            .filter(|c| clusters.iter().any(|k| &k.id == *c))
            .cloned()
    };
    let board_notes = all
        .iter()
        .filter(|n| {
            !metas
                .get(&n.id)
                .and_then(|m| m.merged_into.as_ref())
                .is_some_and(|into| ids.contains(into.as_str()) && into != &n.id)
        })
        .map(|n| {
            let meta = metas.get(&n.id).cloned().unwrap_or_default();
            BoardNote {
                id: n.id.clone(),
                text: meta.text.clone().unwrap_or_else(|| n.text.clone()),
                original: meta.text.as_ref().map(|_| n.text.clone()),
                author: n.author.clone(),
                at: n.at,
                cluster: known_cluster(&meta.cluster),
                hidden: meta.hidden,
                merged: merged.remove(&n.id).unwrap_or_default(),
                municipal: meta.municipal,
                word: meta.word,
            }
        })
        .collect();
    let focus_word = match focus_ref.get(&txn, "word") {
        Some(Out::Any(Any::String(s))) => Some(s.to_string()),
        _ => None,
    };
    Board {
        notes: board_notes,
        clusters,
        focus_word,
    }
}

/// Changes what the facilitator decided about `note`.
pub fn update_meta(doc: &Doc, note: &str, change: impl FnOnce(&mut Meta)) {
    let meta_ref = doc.get_or_insert_map(META);
    let mut txn = doc.transact_mut();
    let mut meta = match meta_ref.get(&txn, note) {
        Some(Out::Any(any)) => Meta::from_any(&any),
        _ => Meta::default(),
    };
    change(&mut meta);
    meta_ref.insert(&mut txn, note, meta.to_any());
}

/// Puts `note` in `cluster` (`None`: out of every cluster).
pub fn set_cluster(doc: &Doc, note: &str, cluster: Option<&str>) {
    update_meta(doc, note, |m| m.cluster = cluster.map(str::to_owned));
}

pub fn set_hidden(doc: &Doc, note: &str, hidden: bool) {
    update_meta(doc, note, |m| m.hidden = hidden);
}

/// Replaces a note's text as the wall shows it (the original stays in the document).
pub fn edit_text(doc: &Doc, note: &str, text: &str) {
    let text = clean(text, MAX_NOTE_CHARS);
    update_meta(doc, note, |m| m.text = (!text.is_empty()).then_some(text));
}

/// Merges `from` into `into`: the wall shows them as one note.
pub fn merge(doc: &Doc, from: &str, into: &str) {
    if from != into {
        update_meta(doc, from, |m| m.merged_into = Some(into.to_owned()));
    }
}

/// Puts a check-in note in another word group, or back in its own (`None`).
pub fn set_word(doc: &Doc, note: &str, word: Option<&str>) {
    update_meta(doc, note, |m| m.word = word.map(str::to_owned));
}

/// Removes a note from the board for good.
pub fn delete(doc: &Doc, note: &str) {
    let notes_ref = notes_array(doc);
    let meta_ref = doc.get_or_insert_map(META);
    let mut txn = doc.transact_mut();
    let index = notes_ref
        .iter(&txn)
        .position(|v| as_note(v).is_some_and(|n| n.id == note));
    if let Some(i) = index {
        notes_ref.remove(&mut txn, i as u32);
    }
    meta_ref.remove(&mut txn, note);
}

/// The post-its written by `member` lose their writer (`keep`), or go with what was decided
/// about them: for a member who was removed from the session.
pub fn disown(doc: &Doc, member: &str, keep: bool) {
    let notes_ref = notes_array(doc);
    let meta_ref = doc.get_or_insert_map(META);
    let mut txn = doc.transact_mut();
    let theirs: Vec<(u32, Note)> = notes_ref
        .iter(&txn)
        .enumerate()
        .filter_map(|(i, v)| as_note(v).map(|n| (i as u32, n)))
        .filter(|(_, n)| n.author.as_deref() == Some(member))
        .collect();
    for (i, note) in theirs.into_iter().rev() {
        notes_ref.remove(&mut txn, i);
        if keep {
            let anonymous = Note {
                author: None,
                ..note
            };
            let at = notes_ref.len(&txn).min(i);
            push_at(&notes_ref, &mut txn, at, &anonymous);
        } else {
            meta_ref.remove(&mut txn, &note.id);
        }
    }
}

/// Adds a cluster named `name` with id `id`, and returns its id.
pub fn add_cluster(doc: &Doc, id: &str, name: &str) -> String {
    let clusters = doc.get_or_insert_map(CLUSTERS);
    let mut txn = doc.transact_mut();
    clusters.insert(&mut txn, id, clean(name, MAX_CLUSTER_CHARS));
    id.to_owned()
}

pub fn rename_cluster(doc: &Doc, id: &str, name: &str) {
    let clusters = doc.get_or_insert_map(CLUSTERS);
    let mut txn = doc.transact_mut();
    if clusters.get(&txn, id).is_some() {
        clusters.insert(&mut txn, id, clean(name, MAX_CLUSTER_CHARS));
    }
}

/// Removes a cluster; its notes return to the loose notes.
pub fn remove_cluster(doc: &Doc, id: &str) {
    let clusters = doc.get_or_insert_map(CLUSTERS);
    let mut txn = doc.transact_mut();
    clusters.remove(&mut txn, id);
}

/// Sets the check-in word group the projector highlights.
pub fn set_focus_word(doc: &Doc, word: Option<&str>) {
    let focus = doc.get_or_insert_map(FOCUS);
    let mut txn = doc.transact_mut();
    match word {
        Some(w) => {
            focus.insert(&mut txn, "word", w);
        }
        None => {
            focus.remove(&mut txn, "word");
        }
    }
}

/// Who a 1-op-1 pair is, as written on its board.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairInfo {
    pub name: Option<String>,
    /// (member id, name), in id order.
    pub members: Vec<(String, String)>,
}

pub fn read_pair(doc: &Doc) -> PairInfo {
    let map = doc.get_or_insert_map(PAIR);
    let txn = doc.transact();
    let mut info = PairInfo::default();
    for (k, v) in string_map(&map, &txn) {
        if k == "name" {
            info.name = Some(v);
        } else if let Some(m) = k.strip_prefix("m:") {
            info.members.push((m.to_owned(), v));
        }
    }
    info
}

/// Writes who the pair is, removing members who left it.
pub fn write_pair(doc: &Doc, info: &PairInfo) {
    let map = doc.get_or_insert_map(PAIR);
    let mut txn = doc.transact_mut();
    let stale: Vec<String> = map
        .keys(&txn)
        .filter(|k| {
            k.strip_prefix("m:")
                .is_some_and(|m| !info.members.iter().any(|(id, _)| id == m))
        })
        .map(str::to_owned)
        .collect();
    for k in stale {
        map.remove(&mut txn, &k);
    }
    match &info.name {
        Some(n) => {
            map.insert(&mut txn, "name", n.as_str());
        }
        None => {
            map.remove(&mut txn, "name");
        }
    }
    for (id, name) in &info.members {
        map.insert(&mut txn, format!("m:{id}"), name.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board_with(texts: &[&str]) -> Doc {
        let doc = Doc::new();
        let notes = notes_array(&doc);
        let mut txn = doc.transact_mut();
        for (i, t) in texts.iter().enumerate() {
            push_note(
                &notes,
                &mut txn,
                &Note {
                    id: format!("n{i}"),
                    text: (*t).to_owned(),
                    author: Some(format!("m{i}")),
                    at: Some(1_800_000_000_000 + i as i64),
                },
            );
        }
        drop(txn);
        doc
    }

    #[test]
    fn moderation_clusters_edits_hides_merges_and_deletes() {
        let doc = board_with(&["Tijd", "Geld", "tijd!", "Ruimte"]);
        add_cluster(&doc, "c1", "  Middelen  ");
        set_cluster(&doc, "n0", Some("c1"));
        set_cluster(&doc, "n1", Some("c1"));
        set_cluster(&doc, "n3", Some("gone"));
        edit_text(&doc, "n1", "Budget");
        merge(&doc, "n2", "n0");
        set_hidden(&doc, "n3", true);
        let b = read(&doc);
        assert_eq!(
            b.clusters,
            vec![Cluster {
                id: "c1".into(),
                name: "Middelen".into()
            }]
        );
        let ids: Vec<&str> = b.notes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["n0", "n1", "n3"], "n2 is merged into n0");
        assert_eq!(b.notes[0].merged.len(), 1);
        assert_eq!(b.notes[0].merged[0].text, "tijd!");
        assert_eq!(b.notes[1].text, "Budget");
        assert_eq!(b.notes[1].original.as_deref(), Some("Geld"));
        assert_eq!(b.notes[2].cluster, None, "unknown clusters count as none");
        assert_eq!(b.in_cluster(Some("c1")).count(), 2);
        assert_eq!(b.visible().count(), 2, "n3 is hidden");

        set_focus_word(&doc, Some("tijd"));
        assert_eq!(read(&doc).focus_word.as_deref(), Some("tijd"));
        set_focus_word(&doc, None);
        assert_eq!(read(&doc).focus_word, None);

        remove_cluster(&doc, "c1");
        delete(&doc, "n0");
        let b = read(&doc);
        assert!(b.notes.iter().all(|n| n.cluster.is_none()));
        // The merged note comes back once what it was merged into is gone.
        let ids: Vec<&str> = b.notes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["n1", "n2", "n3"]);
    }

    #[test]
    fn a_pair_is_written_and_rewritten() {
        let doc = Doc::new();
        let info = PairInfo {
            name: Some("Moestuin".into()),
            members: vec![("a".into(), "Anna".into()), ("b".into(), "Bram".into())],
        };
        write_pair(&doc, &info);
        assert_eq!(read_pair(&doc), info);
        let smaller = PairInfo {
            name: None,
            members: vec![("a".into(), "Anna".into())],
        };
        write_pair(&doc, &smaller);
        assert_eq!(read_pair(&doc), smaller);
    }

    #[test]
    fn texts_are_trimmed_cut_and_cleaned() {
        let long = "x".repeat(MAX_NOTE_CHARS + 10);
        let doc = board_with(&["  hallo\u{7}  ", &long]);
        let notes = read_notes(&doc);
        assert_eq!(notes[0].text, "hallo");
        assert_eq!(notes[1].text.chars().count(), MAX_NOTE_CHARS);
        assert_eq!(notes[0].author.as_deref(), Some("m0"));
        assert_eq!(notes[1].at, Some(1_800_000_000_001));
    }
}

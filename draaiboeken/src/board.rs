//! The shape of a post-it wall inside its Yrs document.
//!
//! A wall is a root array `notes` of plain objects `{id, text}`. Stock Yjs clients see the same
//! thing as `ydoc.getArray('notes').toJSON()`.

use std::collections::HashMap;

use yrs::{Any, Array, ArrayRef, Doc, Out, ReadTxn, Transact, TransactionMut};

pub const NOTES: &str = "notes";
/// Longest note text, in characters.
pub const MAX_NOTE_CHARS: usize = 280;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: String,
    pub text: String,
}

pub fn notes_array(doc: &Doc) -> ArrayRef {
    doc.get_or_insert_array(NOTES)
}

/// Appends a note. The text is trimmed and cut to [`MAX_NOTE_CHARS`].
pub fn add_note(notes: &ArrayRef, txn: &mut TransactionMut, id: &str, text: &str) {
    let text: String = text.trim().chars().take(MAX_NOTE_CHARS).collect();
    let fields = HashMap::from([
        ("id".to_owned(), Any::from(id)),
        ("text".to_owned(), Any::from(text)),
    ]);
    notes.push_back(txn, Any::from(fields));
}

/// The notes in wall order. Entries that aren't notes (another client's bug) are skipped.
pub fn notes<T: ReadTxn>(notes: &ArrayRef, txn: &T) -> Vec<Note> {
    notes
        .iter(txn)
        .filter_map(|value| match value {
            Out::Any(Any::Map(map)) => match (map.get("id"), map.get("text")) {
                (Some(Any::String(id)), Some(Any::String(text))) => Some(Note {
                    id: id.to_string(),
                    text: text.to_string(),
                }),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The notes of a whole document.
pub fn read_notes(doc: &Doc) -> Vec<Note> {
    let array = notes_array(doc);
    notes(&array, &doc.transact())
}

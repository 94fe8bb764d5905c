//! Reading a Yjs v1 update without applying it: which items it inserts, where, with what
//! content, and what it deletes.
//!
//! The server needs this to decide, update by update, whether a participant may make a change
//! (see [`WriteGuard`]) before the update reaches the document, and to keep only the allowed part
//! of an update that mixes allowed and refused changes. Yrs keeps the structure of a decoded
//! update to itself, so the update is walked here with yrs's own content decoder; the format is
//! the one `Update::decode_v1` reads (lib0 v1 encoding).
//!
//! Items often don't say where they belong: an item with a left or right origin belongs to the
//! parent (and map key) of that origin. [`ItemIndex`] remembers where every item of a document
//! lives, so such items can be placed without the document's private block store.
//!
//! Plain values (`Any`) are decoded with a nesting limit: yrs decodes them recursively, so a
//! deeply nested value would overflow the stack, which no `catch_unwind` can stop. Every
//! update passes through [`parse`] before yrs sees it.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use thiserror::Error;
use yrs::block::ItemContent;
use yrs::encoding::read::{Cursor, Read};
use yrs::updates::decoder::Decoder;
use yrs::{Any, ClientID, Doc, ID};

use super::wire::{MAX_CLIENT_ID, write_var_u64};

/// Deepest nesting of plain values (objects in arrays in objects …) an update may carry.
pub const MAX_ANY_DEPTH: usize = 24;

const HAS_ORIGIN: u8 = 0b1000_0000;
const HAS_RIGHT_ORIGIN: u8 = 0b0100_0000;
const HAS_PARENT_SUB: u8 = 0b0010_0000;
const GC: u8 = 0;
const SKIP: u8 = 10;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UpdateError {
    #[error("the update ends early or is malformed")]
    Malformed,
    #[error("a value in the update is nested deeper than {MAX_ANY_DEPTH} levels")]
    TooDeep,
    #[error("client id larger than 53 bits")]
    ClientId,
    #[error("the update has bytes after its end")]
    TrailingBytes,
}

impl From<yrs::encoding::read::Error> for UpdateError {
    fn from(_: yrs::encoding::read::Error) -> Self {
        UpdateError::Malformed
    }
}

/// An item's id: (client, clock).
pub type Id = (u64, u32);

/// What an inserted item holds, as far as permissions care.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// Plain values: array elements, or a map entry's value.
    Values(Vec<Any>),
    /// Deleted content: takes clock space, holds nothing. In a map it removes the key's value.
    Deleted,
    /// Anything else: text, nested types, binaries, embeds, formats, subdocuments.
    Other(u8),
}

/// Where an item says it belongs.
#[derive(Debug, Clone, PartialEq)]
pub enum Parent {
    /// A root type of the document, by name.
    Root(Arc<str>),
    /// A nested type (the item that holds it).
    Nested(Id),
    /// Not written: the parent of the item's origin.
    OfOrigin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub origin: Option<Id>,
    pub right_origin: Option<Id>,
    pub parent: Parent,
    pub key: Option<Arc<str>>,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StructKind {
    Item(Item),
    /// Garbage-collected clock space.
    Gc,
    /// A gap in the update (the receiver has it, or it is missing).
    Skip,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub clock: u32,
    pub len: u32,
    pub kind: StructKind,
}

/// The structs of one client, in clock order.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub client: u64,
    pub structs: Vec<Struct>,
    /// Its bytes in the update (from its struct count on), to copy it into a filtered update.
    span: Range<usize>,
}

/// A decoded update.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub sections: Vec<Section>,
    /// Deleted ranges per client.
    pub deletes: Vec<(u64, Vec<Range<u32>>)>,
}

/// A lib0 v1 reader that knows how far it has read and refuses values nested too deeply.
struct Reader<'a> {
    cursor: Cursor<'a>,
    depth: usize,
}

impl Reader<'_> {
    fn client(&mut self) -> Result<u64, yrs::encoding::read::Error> {
        let client: u64 = self.cursor.read_var()?;
        if client > MAX_CLIENT_ID {
            return Err(yrs::encoding::read::Error::Custom(
                "client id over 53 bits".into(),
            ));
        }
        Ok(client)
    }

    fn id(&mut self) -> Result<ID, yrs::encoding::read::Error> {
        let client = self.client()?;
        let clock: u32 = self.cursor.read_var()?;
        Ok(ID::new(ClientID::new(client), clock))
    }

    fn any(&mut self) -> Result<Any, yrs::encoding::read::Error> {
        // Only arrays (117) and objects (118) nest; refuse before yrs recurses into them.
        let tag = *self
            .cursor
            .buf
            .get(self.cursor.next)
            .ok_or(yrs::encoding::read::Error::EndOfBuffer(1))?;
        if tag != 117 && tag != 118 {
            return Any::decode(&mut self.cursor);
        }
        self.depth += 1;
        if self.depth > MAX_ANY_DEPTH {
            return Err(yrs::encoding::read::Error::Custom("too deep".into()));
        }
        self.cursor.next += 1;
        let len: usize = self.cursor.read_var()?;
        let out = if tag == 117 {
            let mut values = Vec::new();
            values.try_reserve(len.min(self.remaining()))?;
            for _ in 0..len {
                values.push(self.any()?);
            }
            Any::Array(values.into())
        } else {
            let mut map = HashMap::new();
            map.try_reserve(len.min(self.remaining()))?;
            for _ in 0..len {
                let key = self.cursor.read_string()?.to_owned();
                let value = self.any()?;
                map.insert(key, value);
            }
            Any::Map(Arc::new(map))
        };
        self.depth -= 1;
        Ok(out)
    }

    fn remaining(&self) -> usize {
        self.cursor.buf.len() - self.cursor.next
    }
}

impl Read for Reader<'_> {
    fn read_exact(&mut self, len: usize) -> Result<&[u8], yrs::encoding::read::Error> {
        self.cursor.read_exact(len)
    }
}

impl Decoder for Reader<'_> {
    fn reset_ds_cur_val(&mut self) {}
    fn read_ds_clock(&mut self) -> Result<u32, yrs::encoding::read::Error> {
        self.cursor.read_var()
    }
    fn read_ds_len(&mut self) -> Result<u32, yrs::encoding::read::Error> {
        self.cursor.read_var()
    }
    fn read_left_id(&mut self) -> Result<ID, yrs::encoding::read::Error> {
        self.id()
    }
    fn read_right_id(&mut self) -> Result<ID, yrs::encoding::read::Error> {
        self.id()
    }
    fn read_client(&mut self) -> Result<ClientID, yrs::encoding::read::Error> {
        Ok(ClientID::new(self.client()?))
    }
    fn read_info(&mut self) -> Result<u8, yrs::encoding::read::Error> {
        self.cursor.read_u8()
    }
    fn read_parent_info(&mut self) -> Result<bool, yrs::encoding::read::Error> {
        let info: u32 = self.cursor.read_var()?;
        Ok(info == 1)
    }
    fn read_type_ref(&mut self) -> Result<u8, yrs::encoding::read::Error> {
        self.cursor.read_u8()
    }
    fn read_len(&mut self) -> Result<u32, yrs::encoding::read::Error> {
        self.cursor.read_var()
    }
    fn read_any(&mut self) -> Result<Any, yrs::encoding::read::Error> {
        self.any()
    }
    fn read_json(&mut self) -> Result<Any, yrs::encoding::read::Error> {
        // serde_json limits its own nesting (128 levels).
        let src = self.cursor.read_string()?;
        Any::from_json(src)
    }
    fn read_key(&mut self) -> Result<Arc<str>, yrs::encoding::read::Error> {
        Ok(self.cursor.read_string()?.into())
    }
    fn read_to_end(&mut self) -> Result<&[u8], yrs::encoding::read::Error> {
        Ok(&self.cursor.buf[self.cursor.next..])
    }
}

fn as_id(id: ID) -> Id {
    (id.client.get(), id.clock)
}

/// Decodes a v1 update. Never panics; yrs's decoder of item contents runs on the bytes, so the
/// caller runs this under `catch_unwind` like every other yrs call on untrusted bytes.
pub fn parse(bytes: &[u8]) -> Result<Parsed, UpdateError> {
    let mut r = Reader {
        cursor: Cursor::new(bytes),
        depth: 0,
    };
    let clients: u32 = r.cursor.read_var()?;
    let mut sections = Vec::new();
    // Each section takes at least three bytes; more than the bytes allow is a lie.
    sections
        .try_reserve((clients as usize).min(bytes.len() / 3))
        .map_err(|_| UpdateError::Malformed)?;
    for _ in 0..clients {
        let start = r.cursor.next;
        let count: u32 = r.cursor.read_var()?;
        let client = r.client().map_err(|_| UpdateError::ClientId)?;
        let mut clock: u32 = r.cursor.read_var()?;
        let mut structs = Vec::new();
        structs
            .try_reserve((count as usize).min(r.remaining()))
            .map_err(|_| UpdateError::Malformed)?;
        for _ in 0..count {
            let info = r.cursor.read_u8()?;
            let (len, kind) = match info {
                SKIP => {
                    let len: u32 = r.cursor.read_var()?;
                    (len, StructKind::Skip)
                }
                GC => {
                    let len: u32 = r.cursor.read_var()?;
                    (len, StructKind::Gc)
                }
                info => {
                    let origin = (info & HAS_ORIGIN != 0)
                        .then(|| r.id().map(as_id))
                        .transpose()?;
                    let right_origin = (info & HAS_RIGHT_ORIGIN != 0)
                        .then(|| r.id().map(as_id))
                        .transpose()?;
                    let written = info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN) == 0;
                    let parent = if !written {
                        Parent::OfOrigin
                    } else if r.read_parent_info()? {
                        Parent::Root(r.cursor.read_string()?.into())
                    } else {
                        Parent::Nested(as_id(r.id()?))
                    };
                    let key = (written && info & HAS_PARENT_SUB != 0)
                        .then(|| r.cursor.read_string().map(Arc::<str>::from))
                        .transpose()?;
                    let content = ItemContent::decode(&mut r, info).map_err(|e| {
                        if r.depth > MAX_ANY_DEPTH {
                            UpdateError::TooDeep
                        } else {
                            UpdateError::from(e)
                        }
                    })?;
                    let (len, content) = match content {
                        ItemContent::Any(values) => (values.len() as u32, Content::Values(values)),
                        ItemContent::Deleted(n) => (n, Content::Deleted),
                        ItemContent::JSON(v) => (v.len() as u32, Content::Other(2)),
                        ItemContent::String(s) => {
                            (s.as_str().encode_utf16().count() as u32, Content::Other(4))
                        }
                        other => (1, Content::Other(other.get_ref_number())),
                    };
                    (
                        len,
                        StructKind::Item(Item {
                            origin,
                            right_origin,
                            parent,
                            key,
                            content,
                        }),
                    )
                }
            };
            if len == 0 {
                // Yrs drops empty structs without moving the clock.
                continue;
            }
            structs.push(Struct { clock, len, kind });
            clock = clock.checked_add(len).ok_or(UpdateError::Malformed)?;
        }
        sections.push(Section {
            client,
            structs,
            span: start..r.cursor.next,
        });
    }
    let ds_clients: u32 = r.cursor.read_var()?;
    let mut deletes = Vec::new();
    for _ in 0..ds_clients {
        let client = r.client().map_err(|_| UpdateError::ClientId)?;
        let n: u32 = r.cursor.read_var()?;
        let mut ranges = Vec::new();
        ranges
            .try_reserve((n as usize).min(r.remaining() / 2))
            .map_err(|_| UpdateError::Malformed)?;
        for _ in 0..n {
            let clock: u32 = r.cursor.read_var()?;
            let len: u32 = r.cursor.read_var()?;
            let end = clock.checked_add(len).ok_or(UpdateError::Malformed)?;
            ranges.push(clock..end);
        }
        deletes.push((client, ranges));
    }
    if r.remaining() != 0 {
        return Err(UpdateError::TrailingBytes);
    }
    Ok(Parsed { sections, deletes })
}

/// The update made of `bytes`' sections for which `keep` says yes, and the delete ranges given.
/// `parsed` must be `parse(bytes)`.
pub fn filtered(
    bytes: &[u8],
    parsed: &Parsed,
    keep: &[bool],
    deletes: &[(u64, Vec<Range<u32>>)],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let kept: Vec<&Section> = parsed
        .sections
        .iter()
        .zip(keep)
        .filter_map(|(s, k)| k.then_some(s))
        .collect();
    write_var_u64(&mut out, kept.len() as u64);
    for s in kept {
        out.extend_from_slice(&bytes[s.span.clone()]);
    }
    let deletes: Vec<_> = deletes.iter().filter(|(_, r)| !r.is_empty()).collect();
    write_var_u64(&mut out, deletes.len() as u64);
    for (client, ranges) in deletes {
        write_var_u64(&mut out, *client);
        write_var_u64(&mut out, ranges.len() as u64);
        for r in ranges {
            write_var_u64(&mut out, u64::from(r.start));
            write_var_u64(&mut out, u64::from(r.end - r.start));
        }
    }
    out
}

/// Where an item lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loc {
    /// In root type `root`; `key` for a map entry, `None` for a sequence (array) element.
    Root {
        root: Arc<str>,
        key: Option<Arc<str>>,
    },
    /// Inside a nested type, or garbage-collected: no root type to name.
    Elsewhere,
}

#[derive(Debug, Clone)]
struct Entry {
    len: u32,
    loc: Loc,
    /// The values of a sequence item, to tell whose element a deletion removes.
    values: Option<Arc<[Any]>>,
}

/// Where every item of a document lives, built from the updates applied to it.
#[derive(Debug, Default)]
pub struct ItemIndex {
    clients: HashMap<u64, BTreeMap<u32, Entry>>,
    /// Items whose origin the document doesn't have yet (yrs holds them as pending).
    waiting: Vec<(Id, u32, Item)>,
}

/// Part of an item: the clocks it covers, where it lives, and (for a sequence item with plain
/// values) the values from the first of those clocks on.
#[derive(Debug, Clone)]
pub struct Span<'a> {
    pub clocks: Range<u32>,
    pub loc: &'a Loc,
    pub values: Option<&'a [Any]>,
}

impl ItemIndex {
    /// The index of a whole document.
    pub fn of(doc: &Doc) -> Result<ItemIndex, UpdateError> {
        use yrs::{ReadTxn, StateVector, Transact};
        let state = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let parsed = parse(&state)?;
        let mut index = ItemIndex::default();
        let locs = index.locate_all(&parsed);
        index.record(&parsed, &locs);
        Ok(index)
    }

    /// The entry that holds clock `clock` of `client`, and the offset in it.
    fn entry(&self, (client, clock): Id) -> Option<(&Entry, u32)> {
        let (start, e) = self.clients.get(&client)?.range(..=clock).next_back()?;
        (clock < start + e.len).then(|| (e, clock - start))
    }

    /// Where the item holding `id` lives.
    pub fn find(&self, id: Id) -> Option<&Loc> {
        self.entry(id).map(|(e, _)| &e.loc)
    }

    /// The items of `client` that overlap `range`, each cut to it, in clock order. Work per
    /// item, not per clock: a hostile range or a garbage-collected item can span billions.
    pub fn within(&self, client: u64, range: Range<u32>) -> Vec<Span<'_>> {
        let mut out = Vec::new();
        let Some(entries) = self.clients.get(&client) else {
            return out;
        };
        let first = entries
            .range(..=range.start)
            .next_back()
            .map_or(range.start, |(s, _)| *s);
        for (start, e) in entries.range(first..range.end) {
            let from = (*start).max(range.start);
            let to = start.saturating_add(e.len).min(range.end);
            if from >= to {
                continue;
            }
            let offset = (from - start) as usize;
            out.push(Span {
                clocks: from..to,
                loc: &e.loc,
                values: e
                    .values
                    .as_ref()
                    .map(|v| v.get(offset..).unwrap_or_default()),
            });
        }
        out
    }

    /// Where each struct of `parsed` lives (`None`: its origin is unknown, so yrs will hold it
    /// back until the origin arrives).
    pub fn locate_all(&self, parsed: &Parsed) -> Vec<Vec<Option<Loc>>> {
        let mut locs: Vec<Vec<Option<Option<Loc>>>> = parsed
            .sections
            .iter()
            .map(|s| vec![None; s.structs.len()])
            .collect();
        for (si, section) in parsed.sections.iter().enumerate() {
            for ti in 0..section.structs.len() {
                if locs[si][ti].is_none() {
                    self.resolve(parsed, &mut locs, si, ti);
                }
            }
        }
        locs.into_iter()
            .map(|s| s.into_iter().map(Option::flatten).collect())
            .collect()
    }

    /// Resolves struct (si, ti). An item without a written parent lives where its origin
    /// lives, so the whole chain of in-update origins gets one answer; walked without recursion
    /// (a hostile update can chain a million items), with cycles answered `None`.
    fn resolve(
        &self,
        parsed: &Parsed,
        locs: &mut [Vec<Option<Option<Loc>>>],
        si: usize,
        ti: usize,
    ) {
        let mut path = vec![(si, ti)];
        let mut seen = std::collections::HashSet::from([(si, ti)]);
        let answer: Option<Loc> = loop {
            let (si, ti) = *path.last().expect("path starts non-empty");
            if let Some(loc) = &locs[si][ti] {
                break loc.clone();
            }
            let item = match &parsed.sections[si].structs[ti].kind {
                StructKind::Gc => break Some(Loc::Elsewhere),
                StructKind::Skip => break None,
                StructKind::Item(item) => item,
            };
            let origin = match &item.parent {
                Parent::Root(root) => {
                    break Some(Loc::Root {
                        root: root.clone(),
                        key: item.key.clone(),
                    });
                }
                Parent::Nested(_) => break Some(Loc::Elsewhere),
                Parent::OfOrigin => match item.origin.or(item.right_origin) {
                    Some(o) => o,
                    None => break None,
                },
            };
            if let Some(loc) = self.find(origin) {
                break Some(loc.clone());
            }
            let inner = parsed
                .sections
                .iter()
                .position(|s| s.client == origin.0)
                .and_then(|osi| {
                    let structs = &parsed.sections[osi].structs;
                    let oti = structs.partition_point(|s| s.clock + s.len <= origin.1);
                    structs
                        .get(oti)
                        .filter(|s| s.clock <= origin.1)
                        .map(|_| (osi, oti))
                });
            match inner {
                Some(o) if seen.insert(o) => path.push(o),
                // A cycle, or an origin nobody has: yrs will hold the item back.
                _ => break None,
            }
        };
        for (si, ti) in path {
            locs[si][ti] = Some(answer.clone());
        }
    }

    /// Remembers where the structs of an applied update live.
    pub fn record(&mut self, parsed: &Parsed, locs: &[Vec<Option<Loc>>]) {
        for (section, locs) in parsed.sections.iter().zip(locs) {
            for (st, loc) in section.structs.iter().zip(locs) {
                match (&st.kind, loc) {
                    (StructKind::Skip, _) => {}
                    (StructKind::Gc, _) => {
                        let entry = Entry {
                            len: st.len,
                            loc: Loc::Elsewhere,
                            values: None,
                        };
                        self.clients
                            .entry(section.client)
                            .or_default()
                            .insert(st.clock, entry);
                    }
                    (StructKind::Item(item), Some(loc)) => {
                        self.insert(section.client, st.clock, st.len, loc.clone(), item);
                    }
                    (StructKind::Item(item), None) => {
                        if self.waiting.len() < 10_000 {
                            self.waiting
                                .push(((section.client, st.clock), st.len, item.clone()));
                        }
                    }
                }
            }
        }
        self.settle_waiting();
    }

    /// Remembers an item at `loc`; a sequence item's plain values are kept, to tell whose
    /// element a later deletion removes.
    fn insert(&mut self, client: u64, clock: u32, len: u32, loc: Loc, item: &Item) {
        let values = match (&item.content, &loc) {
            (Content::Values(v), Loc::Root { key: None, .. }) => Some(Arc::from(v.as_slice())),
            _ => None,
        };
        self.clients
            .entry(client)
            .or_default()
            .insert(clock, Entry { len, loc, values });
    }

    /// Places waiting items whose origin has arrived.
    fn settle_waiting(&mut self) {
        loop {
            let mut placed = false;
            let waiting = std::mem::take(&mut self.waiting);
            for (id, len, item) in waiting {
                let origin = item.origin.or(item.right_origin);
                match origin.and_then(|o| self.find(o)).cloned() {
                    Some(loc) => {
                        self.insert(id.0, id.1, len, loc, &item);
                        placed = true;
                    }
                    None => self.waiting.push((id, len, item)),
                }
            }
            if !placed || self.waiting.is_empty() {
                break;
            }
        }
    }
}

/// A change an update would make, as a [`WriteGuard`] is asked about it.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// New elements in root sequence `root`, or a new value for `key` in root map `root`.
    Insert {
        root: &'a str,
        key: Option<&'a str>,
        values: &'a [Any],
    },
    /// Content that isn't plain values (text, nested types, …), or lives outside root types.
    Unusual { root: Option<&'a str> },
    /// Removes an element of root sequence `root` (its value, when known), or the value of
    /// `key` in root map `root` (the guard reads the current value from the document).
    Delete {
        root: &'a str,
        key: Option<&'a str>,
        value: Option<&'a Any>,
    },
}

/// Why a guard refuses a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub reason: String,
    /// The change is someone else's (a client passing on what it saw of others, as every
    /// client's sync step 2 does): refused without telling, since nobody is trying anything.
    pub foreign: bool,
}

impl Refused {
    pub fn new(reason: impl Into<String>) -> Refused {
        Refused {
            reason: reason.into(),
            foreign: false,
        }
    }

    pub fn foreign(reason: impl Into<String>) -> Refused {
        Refused {
            reason: reason.into(),
            foreign: true,
        }
    }
}

/// Decides, change by change, what one connection may do to a document. The domain supplies
/// it (see `crate::guard`); the room asks it before an update reaches the document.
pub trait WriteGuard: Send + Sync + fmt::Debug {
    /// Who writes through this connection (a member id); client ids are bound to it.
    fn writer(&self) -> &str;

    /// One verdict per change, in order. `doc` is the document before the update. `Ok(true)`:
    /// allowed, and the content names this writer as its author, which binds the client id that
    /// made it to them.
    fn check(&self, doc: &Doc, changes: &[Change<'_>]) -> Vec<Result<bool, Refused>>;
}

#[cfg(test)]
mod tests {
    use yrs::types::ToJson;
    use yrs::updates::decoder::Decode;
    use yrs::{Array, Map, Options, ReadTxn, StateVector, Text, Transact, Update};

    use super::*;

    fn doc(client: u64) -> Doc {
        Doc::with_options(Options {
            client_id: ClientID::new(client),
            ..Options::default()
        })
    }

    /// A document with every kind of content, edited by two clients.
    fn busy() -> Doc {
        let a = doc(1);
        let notes = a.get_or_insert_array("notes");
        let meta = a.get_or_insert_map("meta");
        let text = a.get_or_insert_text("t");
        {
            let mut txn = a.transact_mut();
            notes.push_back(
                &mut txn,
                Any::from(HashMap::from([("id".to_owned(), Any::from("n1"))])),
            );
            notes.push_back(&mut txn, 42);
            meta.insert(&mut txn, "k", "v");
            meta.insert(&mut txn, "k", "w");
            text.insert(&mut txn, 0, "hallo wereld ✓");
            notes.insert(&mut txn, 1, yrs::MapPrelim::default());
        }
        let b = doc(2);
        let u = a
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        b.transact_mut()
            .apply_update(Update::decode_v1(&u).unwrap())
            .unwrap();
        {
            let notes = b.get_or_insert_array("notes");
            let mut txn = b.transact_mut();
            notes.remove(&mut txn, 0);
            notes.push_back(&mut txn, "laatste");
        }
        b
    }

    #[test]
    fn reads_what_yrs_writes_and_rebuilds_it_byte_for_byte() {
        let d = busy();
        let full = d
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let parsed = parse(&full).unwrap();
        assert_eq!(parsed.sections.len(), 2);
        assert!(!parsed.deletes.is_empty());
        let keep = vec![true; parsed.sections.len()];
        let rebuilt = filtered(&full, &parsed, &keep, &parsed.deletes);
        let copy = Doc::new();
        copy.transact_mut()
            .apply_update(Update::decode_v1(&rebuilt).unwrap())
            .unwrap();
        assert_eq!(
            copy.get_or_insert_array("notes").to_json(&copy.transact()),
            d.get_or_insert_array("notes").to_json(&d.transact())
        );
        // Every item is placed: the ones after an origin where their origin lives.
        let index = ItemIndex::of(&d).unwrap();
        let locs = index.locate_all(&parsed);
        assert!(locs.iter().flatten().all(Option::is_some));
        let roots: std::collections::BTreeSet<String> = locs
            .iter()
            .flatten()
            .filter_map(|l| match l {
                Some(Loc::Root { root, .. }) => Some(root.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(roots, ["meta", "notes", "t"].map(String::from).into());
    }

    #[test]
    fn refuses_hostile_bytes_without_panicking() {
        let d = busy();
        let full = d
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        // Every truncation and every single-byte change decodes or fails cleanly.
        for cut in 0..full.len() {
            let _ = parse(&full[..cut]);
        }
        for i in 0..full.len() {
            for b in [0u8, 1, 0x7f, 0x80, 0xff] {
                let mut m = full.clone();
                m[i] = b;
                let _ = parse(&m);
            }
        }
        assert_eq!(parse(&[0xff; 12]), Err(UpdateError::Malformed));
        let mut trailing = full.clone();
        trailing.push(0);
        assert_eq!(parse(&trailing), Err(UpdateError::TrailingBytes));
    }
}

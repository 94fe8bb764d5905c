//! A process map on a board: the steps of a project in order, grouped into phases, and what
//! the werkvormen that work on it add to each step.
//!
//! The steps are the board's notes (see [`crate::board`]); phases are its clusters. Beside
//! them, in the same document:
//!
//! - root map `order`: step id → position (a number); steps without one keep their place in
//!   the notes array. Moving a step writes only its own position, so two people moving
//!   different steps at once never undo each other.
//! - note meta `municipal`: the step comes from the municipal process (marked by a civil
//!   servant or the facilitator).
//! - root map `stickers`: `{step}|{role}|{kind}|{by}` → `{step, role, kind, by}`: one coloured
//!   sticker per person, role and kind on a step ("is responsible now" or "could be").
//! - root map `regie`: step id → `{who, note?}`: who leads the step.
//! - root map `expertise`: id → `{step, what, from, municipal, by?}`.
//! - root map `uitdagingen`: id → `{step?, text, by?}`; without a step the challenge is
//!   parked (it comes from outside the collaboration).
//! - root map `team`: id → `{name, present, brings, lead, by?}`: het dreamteam.
//! - root map `teamwork`: `mode` → `"lead"` or `"equal"`.
//! - root map `proces`: `from` → the document this map was carried over from.
//!
//! Every value is a plain object, as a stock Yjs client would write it; entries that don't
//! have this shape (another client's bug) are skipped when reading.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use yrs::{Any, Doc, Map, MapRef, Out, ReadTxn, Transact};

use crate::board::{self, Board, BoardNote, Cluster};

pub const ORDER: &str = "order";
pub const STICKERS: &str = "stickers";
pub const REGIE: &str = "regie";
pub const EXPERTISE: &str = "expertise";
pub const CHALLENGES: &str = "uitdagingen";
pub const TEAM: &str = "team";
pub const TEAMWORK: &str = "teamwork";
pub const PROCES: &str = "proces";
/// Longest text of an annotation (expertise, challenge, team member), in characters.
pub const MAX_TEXT_CHARS: usize = 200;
/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// The two kinds of sticker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StickerKind {
    /// Responsible for the step now, by convention.
    Now,
    /// Could be responsible, apart from convention.
    Could,
}

impl StickerKind {
    pub fn id(self) -> &'static str {
        match self {
            StickerKind::Now => "now",
            StickerKind::Could => "could",
        }
    }

    fn from_id(s: &str) -> Option<StickerKind> {
        match s {
            "now" => Some(StickerKind::Now),
            "could" => Some(StickerKind::Could),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sticker {
    pub role: String,
    pub kind: StickerKind,
    /// Who put it there (a member id, or `facilitator`).
    pub by: String,
}

/// Who leads a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Lead {
    Initiatiefnemer,
    Gemeente,
    Unclear,
}

impl Lead {
    pub const ALL: [Lead; 3] = [Lead::Initiatiefnemer, Lead::Gemeente, Lead::Unclear];

    pub fn id(self) -> &'static str {
        match self {
            Lead::Initiatiefnemer => "initiatiefnemer",
            Lead::Gemeente => "gemeente",
            Lead::Unclear => "unclear",
        }
    }

    fn from_id(s: &str) -> Option<Lead> {
        Self::ALL.into_iter().find(|l| l.id() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Regie {
    pub who: Lead,
    /// Why it is unclear, or what was said about it.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expertise {
    pub id: String,
    pub what: String,
    /// From whom (a person, a department, an organisation).
    pub from: String,
    /// Should come from the municipality.
    pub municipal: bool,
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Challenge {
    pub id: String,
    pub text: String,
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamMember {
    pub id: String,
    pub name: String,
    /// In the room today (otherwise: wished for).
    pub present: bool,
    /// What they bring: time, energy, knowledge, a network…
    pub brings: String,
    /// The clear lead (trekker).
    pub lead: bool,
    pub by: Option<String>,
}

/// How the dreamteam shares the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TeamMode {
    /// One clear lead (trekker).
    Lead,
    /// Everyone contributes equally.
    Equal,
}

impl TeamMode {
    pub fn id(self) -> &'static str {
        match self {
            TeamMode::Lead => "lead",
            TeamMode::Equal => "equal",
        }
    }
}

/// One step of the map with everything said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessStep {
    pub note: BoardNote,
    pub municipal: bool,
    pub stickers: Vec<Sticker>,
    pub regie: Option<Regie>,
    pub expertise: Vec<Expertise>,
    pub challenges: Vec<Challenge>,
}

impl ProcessStep {
    /// How many stickers of `role` and `kind` the step has.
    pub fn count(&self, role: &str, kind: StickerKind) -> usize {
        self.stickers
            .iter()
            .filter(|s| s.role == role && s.kind == kind)
            .count()
    }

    /// Whether `by` put a sticker of `role` and `kind` on this step.
    pub fn has(&self, role: &str, kind: StickerKind, by: &str) -> bool {
        self.stickers
            .iter()
            .any(|s| s.role == role && s.kind == kind && s.by == by)
    }
}

/// Consecutive steps of the timeline in one phase (or in none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseRun<'a> {
    pub phase: Option<&'a Cluster>,
    pub steps: Vec<&'a ProcessStep>,
}

/// A whole process map as every screen shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcessMap {
    /// The board underneath (notes, clusters, moderation).
    pub board: Board,
    /// Visible steps, in timeline order.
    pub steps: Vec<ProcessStep>,
    /// Challenges that belong to no step (from outside the collaboration), and those whose
    /// step is gone.
    pub parked: Vec<Challenge>,
    pub team: Vec<TeamMember>,
    pub team_mode: Option<TeamMode>,
    /// The document this map was carried over from.
    pub carried_from: Option<String>,
}

impl ProcessMap {
    /// The timeline cut into runs of consecutive steps in the same phase.
    pub fn runs(&self) -> Vec<PhaseRun<'_>> {
        let mut runs: Vec<PhaseRun<'_>> = Vec::new();
        for s in &self.steps {
            let phase = s
                .note
                .cluster
                .as_ref()
                .and_then(|c| self.board.clusters.iter().find(|k| &k.id == c));
            match runs.last_mut() {
                Some(run) if run.phase.map(|p| &p.id) == phase.map(|p| &p.id) => run.steps.push(s),
                _ => runs.push(PhaseRun {
                    phase,
                    steps: vec![s],
                }),
            }
        }
        runs
    }

    pub fn step(&self, id: &str) -> Option<&ProcessStep> {
        self.steps.iter().find(|s| s.note.id == id)
    }

    /// Where `id` is in the timeline.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.note.id == id)
    }
}

fn clean(text: &str, max: usize) -> String {
    text.trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect()
}

type Fields = HashMap<String, Any>;

fn fields(value: Out) -> Option<Fields> {
    match value {
        Out::Any(Any::Map(map)) => Some((*map).clone()),
        _ => None,
    }
}

fn text_of(f: &Fields, key: &str) -> Option<String> {
    match f.get(key) {
        Some(Any::String(s)) => Some(s.to_string()),
        _ => None,
    }
}

fn flag(f: &Fields, key: &str) -> bool {
    matches!(f.get(key), Some(Any::Bool(true)))
}

fn number(value: &Out) -> Option<f64> {
    match value {
        Out::Any(Any::Number(yrs::any::Number::Float(n))) if n.is_finite() => Some(*n),
        Out::Any(Any::Number(yrs::any::Number::Int(n))) => Some(*n as f64),
        _ => None,
    }
}

fn object(entries: &[(&str, Any)]) -> Any {
    Any::from(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<HashMap<String, Any>>(),
    )
}

fn entries<T: ReadTxn>(map: &MapRef, txn: &T) -> Vec<(String, Fields)> {
    let mut out: Vec<(String, Fields)> = map
        .iter(txn)
        .filter_map(|(k, v)| Some((k.to_owned(), fields(v)?)))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Reads a process map.
pub fn read(doc: &Doc) -> ProcessMap {
    read_placed(doc).0
}

/// Reads a process map, with the position each step is sorted by (a step without a stored
/// one sits at its index in the notes).
fn read_placed(doc: &Doc) -> (ProcessMap, Vec<f64>) {
    let board = board::read(doc);
    let order_ref = doc.get_or_insert_map(ORDER);
    let stickers_ref = doc.get_or_insert_map(STICKERS);
    let regie_ref = doc.get_or_insert_map(REGIE);
    let expertise_ref = doc.get_or_insert_map(EXPERTISE);
    let challenges_ref = doc.get_or_insert_map(CHALLENGES);
    let team_ref = doc.get_or_insert_map(TEAM);
    let teamwork_ref = doc.get_or_insert_map(TEAMWORK);
    let proces_ref = doc.get_or_insert_map(PROCES);
    let txn = doc.transact();

    let order: HashMap<String, f64> = order_ref
        .iter(&txn)
        .filter_map(|(k, v)| Some((k.to_owned(), number(&v)?)))
        .collect();
    let mut stickers: HashMap<String, Vec<Sticker>> = HashMap::new();
    for (_, f) in entries(&stickers_ref, &txn) {
        let (Some(step), Some(role), Some(kind), Some(by)) = (
            text_of(&f, "step"),
            text_of(&f, "role"),
            text_of(&f, "kind").and_then(|k| StickerKind::from_id(&k)),
            text_of(&f, "by"),
        ) else {
            continue;
        };
        stickers
            .entry(step)
            .or_default()
            .push(Sticker { role, kind, by });
    }
    let mut regie: HashMap<String, Regie> = HashMap::new();
    for (step, f) in entries(&regie_ref, &txn) {
        if let Some(who) = text_of(&f, "who").and_then(|w| Lead::from_id(&w)) {
            regie.insert(
                step,
                Regie {
                    who,
                    note: text_of(&f, "note").filter(|n| !n.is_empty()),
                },
            );
        }
    }
    let mut expertise: HashMap<String, Vec<Expertise>> = HashMap::new();
    for (id, f) in entries(&expertise_ref, &txn) {
        let (Some(step), Some(what)) = (text_of(&f, "step"), text_of(&f, "what")) else {
            continue;
        };
        expertise.entry(step).or_default().push(Expertise {
            id,
            what,
            from: text_of(&f, "from").unwrap_or_default(),
            municipal: flag(&f, "municipal"),
            by: text_of(&f, "by"),
        });
    }
    let mut challenges: HashMap<Option<String>, Vec<Challenge>> = HashMap::new();
    for (id, f) in entries(&challenges_ref, &txn) {
        let Some(text) = text_of(&f, "text") else {
            continue;
        };
        challenges
            .entry(text_of(&f, "step"))
            .or_default()
            .push(Challenge {
                id,
                text,
                by: text_of(&f, "by"),
            });
    }
    let team = entries(&team_ref, &txn)
        .into_iter()
        .filter_map(|(id, f)| {
            Some(TeamMember {
                name: text_of(&f, "name")?,
                present: flag(&f, "present"),
                brings: text_of(&f, "brings").unwrap_or_default(),
                lead: flag(&f, "lead"),
                by: text_of(&f, "by"),
                id,
            })
        })
        .collect();
    let team_mode = match teamwork_ref.get(&txn, "mode") {
        Some(Out::Any(Any::String(s))) if &*s == "lead" => Some(TeamMode::Lead),
        Some(Out::Any(Any::String(s))) if &*s == "equal" => Some(TeamMode::Equal),
        _ => None,
    };
    let carried_from = match proces_ref.get(&txn, "from") {
        Some(Out::Any(Any::String(s))) => Some(s.to_string()),
        _ => None,
    };
    drop(txn);

    let mut placed: Vec<(f64, usize, &BoardNote)> = board
        .notes
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.hidden)
        .map(|(i, n)| (order.get(&n.id).copied().unwrap_or(i as f64), i, n))
        .collect();
    placed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let positions = placed.iter().map(|(pos, _, _)| *pos).collect();
    let steps: Vec<ProcessStep> = placed
        .into_iter()
        .map(|(_, _, n)| ProcessStep {
            municipal: n.municipal,
            stickers: stickers.remove(&n.id).unwrap_or_default(),
            regie: regie.remove(&n.id),
            expertise: expertise.remove(&n.id).unwrap_or_default(),
            challenges: challenges.remove(&Some(n.id.clone())).unwrap_or_default(),
            note: n.clone(),
        })
        .collect();
    // Challenges of steps that are gone are parked rather than lost.
    let mut parked = challenges.remove(&None).unwrap_or_default();
    let mut orphans: Vec<Challenge> = challenges.into_values().flatten().collect();
    orphans.sort_by(|a, b| a.id.cmp(&b.id));
    parked.extend(orphans);
    let map = ProcessMap {
        board,
        steps,
        parked,
        team,
        team_mode,
        carried_from,
    };
    (map, positions)
}

/// Smallest gap between two positions before the whole timeline is numbered afresh.
const MIN_GAP: f64 = 1e-6;

/// Moves step `id` to place `to` of the timeline (counted without the step itself), and into
/// `phase` when given (`Some(None)`: out of every phase).
pub fn place(doc: &Doc, id: &str, to: usize, phase: Option<Option<&str>>) {
    let (map, positions) = read_placed(doc);
    let Some(from) = map.index_of(id) else {
        return;
    };
    let order_ref = doc.get_or_insert_map(ORDER);
    let positions: Vec<(String, f64)> = map
        .steps
        .iter()
        .map(|s| s.note.id.clone())
        .zip(positions)
        .collect();
    let mut others: Vec<(String, f64)> = positions;
    others.remove(from);
    let to = to.min(others.len());
    let before = to.checked_sub(1).map(|i| others[i].1);
    let after = others.get(to).map(|o| o.1);
    let mut txn = doc.transact_mut();
    let fits = match (before, after) {
        (Some(b), Some(a)) => a - b > MIN_GAP * 2.0,
        _ => true,
    };
    if fits {
        let pos = match (before, after) {
            (Some(b), Some(a)) => (a + b) / 2.0,
            (Some(b), None) => b + 1.0,
            (None, Some(a)) => a - 1.0,
            (None, None) => 0.0,
        };
        order_ref.insert(&mut txn, id, pos);
    } else {
        // Out of room between two neighbours: number every step afresh.
        others.insert(to, (id.to_owned(), 0.0));
        for (i, (step, _)) in others.iter().enumerate() {
            order_ref.insert(&mut txn, step.as_str(), i as f64);
        }
    }
    drop(txn);
    if let Some(phase) = phase {
        board::set_cluster(doc, id, phase);
    }
}

/// Moves step `id` one place earlier (`-1`) or later (`1`) in the timeline. A step that
/// moves past a neighbour in another phase joins that phase, so runs stay whole.
pub fn nudge(doc: &Doc, id: &str, by: isize) {
    let map = read(doc);
    let Some(from) = map.index_of(id) else {
        return;
    };
    let Some(to) = from.checked_add_signed(by).filter(|t| *t < map.steps.len()) else {
        return;
    };
    let own = map.steps[from].note.cluster.clone();
    let neighbour = map.steps[to].note.cluster.clone();
    if own != neighbour {
        // First cross into the neighbour's phase, without moving.
        board::set_cluster(doc, id, neighbour.as_deref());
        return;
    }
    place(doc, id, to, None);
}

/// Puts step `id` at the end of phase `phase`; into a phase without steps yet, it goes where
/// it stands. `None` takes it out of its phase, where it stands.
pub fn move_to_phase(doc: &Doc, id: &str, phase: Option<&str>) {
    let map = read(doc);
    let others: Vec<&ProcessStep> = map.steps.iter().filter(|s| s.note.id != id).collect();
    let last = phase.and_then(|p| {
        others
            .iter()
            .rposition(|s| s.note.cluster.as_deref() == Some(p))
    });
    match last {
        Some(i) => place(doc, id, i + 1, Some(phase)),
        None => board::set_cluster(doc, id, phase),
    }
}

/// Marks step `id` as coming from the municipal process, or not.
pub fn set_municipal(doc: &Doc, id: &str, municipal: bool) {
    board::update_meta(doc, id, |m| m.municipal = municipal);
}

fn sticker_key(step: &str, role: &str, kind: StickerKind, by: &str) -> String {
    format!("{step}|{role}|{}|{by}", kind.id())
}

/// Puts `by`'s sticker of `role` and `kind` on step `step`, or takes it off if it is there.
pub fn toggle_sticker(doc: &Doc, step: &str, role: &str, kind: StickerKind, by: &str) {
    let stickers = doc.get_or_insert_map(STICKERS);
    let key = sticker_key(step, role, kind, by);
    let mut txn = doc.transact_mut();
    if stickers.get(&txn, &key).is_some() {
        stickers.remove(&mut txn, &key);
    } else {
        let value = object(&[
            ("step", Any::from(step)),
            ("role", Any::from(role)),
            ("kind", Any::from(kind.id())),
            ("by", Any::from(by)),
        ]);
        stickers.insert(&mut txn, key, value);
    }
}

/// Says who leads step `step` (`None`: not decided), with a note.
pub fn set_regie(doc: &Doc, step: &str, who: Option<Lead>, note: &str) {
    let regie = doc.get_or_insert_map(REGIE);
    let mut txn = doc.transact_mut();
    match who {
        Some(who) => {
            let note = clean(note, MAX_TEXT_CHARS);
            regie.insert(
                &mut txn,
                step,
                object(&[("who", Any::from(who.id())), ("note", Any::from(note))]),
            );
        }
        None => {
            regie.remove(&mut txn, step);
        }
    }
}

fn insert(doc: &Doc, map: &str, id: &str, value: Any) {
    let map = doc.get_or_insert_map(map);
    let mut txn = doc.transact_mut();
    map.insert(&mut txn, id, value);
}

fn remove(doc: &Doc, map: &str, id: &str) {
    let map = doc.get_or_insert_map(map);
    let mut txn = doc.transact_mut();
    map.remove(&mut txn, id);
}

fn by_field(by: Option<&str>) -> Vec<(&'static str, Any)> {
    by.map(|b| vec![("by", Any::from(b))]).unwrap_or_default()
}

/// Adds expertise to step `step`. Empty `what` adds nothing.
pub fn add_expertise(
    doc: &Doc,
    id: &str,
    step: &str,
    what: &str,
    from: &str,
    municipal: bool,
    by: Option<&str>,
) {
    let what = clean(what, MAX_TEXT_CHARS);
    if what.is_empty() {
        return;
    }
    let mut f = vec![
        ("step", Any::from(step)),
        ("what", Any::from(what)),
        ("from", Any::from(clean(from, MAX_NAME_CHARS))),
        ("municipal", Any::Bool(municipal)),
    ];
    f.extend(by_field(by));
    insert(doc, EXPERTISE, id, object(&f));
}

pub fn remove_expertise(doc: &Doc, id: &str) {
    remove(doc, EXPERTISE, id);
}

/// Adds a challenge to step `step`, or parks it (`None`). Empty text adds nothing.
pub fn add_challenge(doc: &Doc, id: &str, step: Option<&str>, text: &str, by: Option<&str>) {
    let text = clean(text, MAX_TEXT_CHARS);
    if text.is_empty() {
        return;
    }
    let mut f = vec![("text", Any::from(text))];
    if let Some(step) = step {
        f.push(("step", Any::from(step)));
    }
    f.extend(by_field(by));
    insert(doc, CHALLENGES, id, object(&f));
}

/// Attaches a challenge to another step, or parks it.
pub fn move_challenge(doc: &Doc, id: &str, step: Option<&str>) {
    let map = doc.get_or_insert_map(CHALLENGES);
    let mut txn = doc.transact_mut();
    let Some(mut f) = map.get(&txn, id).and_then(fields) else {
        return;
    };
    match step {
        Some(s) => f.insert("step".to_owned(), Any::from(s)),
        None => f.remove("step"),
    };
    map.insert(&mut txn, id, Any::from(f));
}

pub fn remove_challenge(doc: &Doc, id: &str) {
    remove(doc, CHALLENGES, id);
}

/// Adds (or replaces) a dreamteam member. An empty name adds nothing.
pub fn put_team_member(doc: &Doc, member: &TeamMember) {
    let name = clean(&member.name, MAX_NAME_CHARS);
    if name.is_empty() {
        return;
    }
    let mut f = vec![
        ("name", Any::from(name)),
        ("present", Any::Bool(member.present)),
        ("brings", Any::from(clean(&member.brings, MAX_TEXT_CHARS))),
        ("lead", Any::Bool(member.lead)),
    ];
    f.extend(by_field(member.by.as_deref()));
    insert(doc, TEAM, &member.id, object(&f));
}

pub fn remove_team_member(doc: &Doc, id: &str) {
    remove(doc, TEAM, id);
}

/// Makes `id` the team's one lead (or no one), and sets the mode to match.
pub fn set_lead(doc: &Doc, id: Option<&str>) {
    let map = read(doc);
    for m in &map.team {
        let lead = Some(m.id.as_str()) == id;
        if m.lead != lead {
            put_team_member(doc, &TeamMember { lead, ..m.clone() });
        }
    }
    set_team_mode(
        doc,
        Some(if id.is_some() {
            TeamMode::Lead
        } else {
            TeamMode::Equal
        }),
    );
}

pub fn set_team_mode(doc: &Doc, mode: Option<TeamMode>) {
    let map = doc.get_or_insert_map(TEAMWORK);
    let mut txn = doc.transact_mut();
    match mode {
        Some(m) => {
            map.insert(&mut txn, "mode", m.id());
        }
        None => {
            map.remove(&mut txn, "mode");
        }
    }
}

/// Whether this map was already carried over from somewhere.
pub fn is_carried(doc: &Doc) -> bool {
    let proces = doc.get_or_insert_map(PROCES);
    proces.get(&doc.transact(), "from").is_some()
}

/// Carries a process map on into the next block's document: `source` is the earlier block's
/// document as an update, `from` its name. Everything comes along (steps, order, phases and
/// what was said about them), as a sheet stays on the table. The two documents go their own
/// ways afterwards. Does nothing if `target` was carried over before.
pub fn carry_over(
    target: &Doc,
    source: &[u8],
    from: &str,
) -> Result<(), yrs::encoding::read::Error> {
    use yrs::updates::decoder::Decode;
    if is_carried(target) {
        return Ok(());
    }
    let update = yrs::Update::decode_v1(source)?;
    // Root types are made before the transaction: making one inside it would wait for itself.
    let proces = target.get_or_insert_map(PROCES);
    let mut txn = target.transact_mut();
    // A source the target can't take (never seen) stays out; the mark is still set, so the
    // block starts empty rather than trying again and again.
    let _ = txn.apply_update(update);
    proces.insert(&mut txn, "from", from);
    Ok(())
}

#[cfg(test)]
mod tests;

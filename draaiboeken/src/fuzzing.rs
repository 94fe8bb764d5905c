//! What the fuzz targets (`fuzz/`) run, kept here so the kept corpus also runs in `cargo test`
//! and the targets stay one line each. Each function takes any bytes and must not panic; the
//! frame target also checks that a participant's bytes never change what isn't theirs.

use std::sync::Arc;

use yrs::{Doc, ReadTxn, StateVector, Transact};

use crate::board::{self, Note};
use crate::guard::BoardGuard;
use crate::sync::room::Room;
use crate::sync::{Access, wire};
use crate::werkvorm::Werkvorm;

/// Panics that the server catches (yrs's, on hostile updates) are not findings: keep the
/// default report but let `catch_unwind` do its work, instead of libFuzzer's abort-on-panic.
/// A panic nobody catches still ends the run as a crash.
pub fn init() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::env::var_os("WERKMUUR_FUZZ_SHOW_PANICS").is_some() {
            default(info);
        }
    }));
}

/// A board with a note by Bram and one by the facilitator, an open connection of the
/// facilitator's, and Anouk's guarded one.
fn room(werkvorm: Werkvorm) -> (Room, crate::sync::ConnId, crate::sync::ConnId) {
    let mut room = Room::new(Default::default());
    let (facilitator, _) = room.connect(Access::ReadWrite);
    let guard = BoardGuard::new("anouk", false, werkvorm, false);
    let (anouk, _) = room.connect(Access::Guarded(Arc::new(guard)));
    let seed = Doc::new();
    {
        let notes = board::notes_array(&seed);
        let mut txn = seed.transact_mut();
        for (id, author) in [("b1", Some("bram")), ("f1", None)] {
            board::push_note(
                &notes,
                &mut txn,
                &Note {
                    id: id.into(),
                    text: "bestaand".into(),
                    author: author.map(str::to_owned),
                    at: None,
                },
            );
        }
    }
    let update = seed
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let _ = room.receive(facilitator, &wire::encode_update(&update));
    (room, facilitator, anouk)
}

fn bram_and_facilitator_notes(room: &Room) -> Vec<Note> {
    board::read_notes(room.doc())
        .into_iter()
        .filter(|n| n.author.as_deref() != Some("anouk"))
        .collect()
}

/// Bytes as websocket frames from a participant (as they come, and as the update of an update
/// message), on a post-it board and on a process map. Nothing Anouk sends changes a post-it
/// that isn't hers, and the room stays usable for the facilitator.
pub fn frames(data: &[u8]) {
    for werkvorm in [Werkvorm::PostIts, Werkvorm::ProcesInKaart] {
        let (mut room, facilitator, anouk) = room(werkvorm);
        let before = bram_and_facilitator_notes(&room);
        let _ = room.receive(anouk, data);
        let _ = room.receive(anouk, &wire::encode_update(data));
        let _ = room.receive(anouk, &wire::encode_step2(data));
        assert_eq!(
            bram_and_facilitator_notes(&room),
            before,
            "a participant changed someone else's post-its"
        );
        // The facilitator may do anything the protocol allows; the room survives it.
        let _ = room.receive(facilitator, data);
        let _ = room.receive(facilitator, &wire::encode_update(data));
        let sv = room.doc().transact().state_vector();
        let _ = room.receive(
            facilitator,
            &wire::encode_step1(&yrs::updates::encoder::Encode::encode_v1(&sv)),
        );
    }
}

/// Bytes as the wire decoders see them.
pub fn wire(data: &[u8]) {
    if let Ok(wire::Message::Awareness(payload)) = wire::decode(data) {
        let _ = wire::decode_awareness(payload);
    }
    let _ = wire::decode_awareness(data);
    let _ = wire::validate_state_vector(data);
    let _ = crate::sync::update::parse(data);
}

/// Bytes as a draaiboek file.
pub fn draaiboek(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(d) = crate::draaiboek::parse("fuzz.toml", text)
    {
        let steps = crate::agenda::steps(&d);
        let _ = crate::agenda::AgendaState::new(steps.len());
    }
}

/// Bytes as the JSON bodies of the facilitator's commands, applied to a running session of
/// each built-in draaiboek.
pub fn json(data: &[u8]) {
    let agenda_cmd = serde_json::from_slice::<crate::agenda::Command>(data);
    let control_cmd = serde_json::from_slice::<crate::sessie::ControlCommand>(data);
    if agenda_cmd.is_err() && control_cmd.is_err() {
        return;
    }
    let Ok(builtins) = crate::draaiboek::builtin() else {
        return;
    };
    let member = |id: &str, role: &str| -> Option<crate::sessie::MemberInfo> {
        serde_json::from_value(serde_json::json!({ "id": id, "name": id, "role": role })).ok()
    };
    let members: Vec<_> = [
        member("m1", crate::sessie::CIVIL_SERVANT),
        member("m2", "bewoner"),
    ]
    .into_iter()
    .flatten()
    .collect();
    for d in builtins {
        let steps = crate::agenda::steps(&d);
        let mut agenda = crate::agenda::AgendaState::new(steps.len());
        let _ = agenda.apply(crate::agenda::Command::Start, 0);
        let _ = agenda.apply(crate::agenda::Command::Next, 1_000);
        if let Ok(c) = &agenda_cmd {
            let _ = agenda.apply(*c, 2_000);
            let _ = agenda.view(&steps, 3_000);
        }
        if let Ok(c) = &control_cmd {
            let mut control = crate::sessie::Control::default();
            let _ = control.apply(c, &steps, &agenda, &members, 4_000);
        }
    }
}

/// A fuzz target: any bytes in, no panic out.
pub type Target = fn(&[u8]);

/// Every target by name (the names of `fuzz/fuzz_targets/` and `fuzz/corpus/`).
pub const TARGETS: [(&str, Target); 4] = [
    ("frames", frames),
    ("wire", wire),
    ("draaiboek", draaiboek),
    ("json", json),
];

pub fn target(name: &str) -> Option<Target> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Inputs that reach deep: real frames of every kind a phone sends, for the corpus.
pub fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    use crate::proces;
    let mut out = Vec::new();
    let phone = Doc::new();
    let edit = |f: &dyn Fn(&Doc)| {
        let before = phone.transact().state_vector();
        f(&phone);
        phone.transact().encode_diff_v1(&before)
    };
    let updates = [
        edit(&|d| {
            let notes = board::notes_array(d);
            board::push_note(
                &notes,
                &mut d.transact_mut(),
                &Note {
                    id: "a1".into(),
                    text: "Vergunning".into(),
                    author: Some("anouk".into()),
                    at: Some(1),
                },
            );
        }),
        edit(&|d| proces::place(d, "a1", 0, None)),
        edit(&|d| {
            board::add_cluster(d, "c1", "Start");
        }),
        edit(&|d| proces::move_to_phase(d, "a1", Some("c1"))),
        edit(&|d| proces::toggle_sticker(d, "a1", "bewoner", proces::StickerKind::Now, "anouk")),
        edit(&|d| proces::set_regie(d, "a1", Some(proces::Lead::Gemeente), "samen")),
        edit(&|d| board::set_hidden(d, "b1", true)),
        edit(&|d| board::delete(d, "a1")),
    ];
    for u in &updates {
        out.push(("frames", wire::encode_update(u)));
        out.push(("frames", u.clone()));
        out.push(("wire", wire::encode_step2(u)));
    }
    let sv = yrs::updates::encoder::Encode::encode_v1(&phone.transact().state_vector());
    out.push(("frames", wire::encode_step1(&sv)));
    out.push(("wire", wire::encode_step1(&sv)));
    out.push(("frames", wire::encode_awareness(&[1, 7, 1, 2, b'{', b'}'])));
    out.push(("wire", wire::encode_awareness(&[1, 7, 1, 2, b'{', b'}'])));
    for (file, source) in crate::draaiboek::BUILTIN_SOURCES {
        let _ = file;
        out.push(("draaiboek", source.as_bytes().to_vec()));
    }
    for body in [
        r#"{"action":"start"}"#,
        r#"{"action":"extend","minutes":5}"#,
        r#"{"action":"reveal","step":1}"#,
        r#"{"action":"spread_groups","count":2}"#,
        r#"{"action":"assign_group","member":"m1","group":2}"#,
        r#"{"action":"lock","step":1,"locked":true}"#,
        r#"{"action":"plenary","group":1}"#,
        r#"{"action":"make_pairs"}"#,
    ] {
        out.push(("json", body.as_bytes().to_vec()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes [`seeds`] into `fuzz/corpus/`: `cargo test -p draaiboeken write_seeds -- --ignored`.
    #[test]
    #[ignore]
    fn write_seeds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
        for (i, (target, data)) in seeds().into_iter().enumerate() {
            let dir = root.join(target);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(format!("seed-{i:03}")), data).unwrap();
        }
    }

    #[test]
    fn the_seeds_run_clean() {
        for (name, data) in seeds() {
            target(name).expect("a target of that name")(&data);
        }
    }

    /// Every input the fuzzers kept (`fuzz/corpus/`), as a regression test.
    #[test]
    fn the_kept_corpus_runs_clean() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
        let mut ran = 0;
        for (name, target) in TARGETS {
            let Ok(dir) = std::fs::read_dir(root.join(name)) else {
                continue;
            };
            for entry in dir.flatten() {
                let data = std::fs::read(entry.path()).unwrap();
                target(&data);
                ran += 1;
            }
        }
        assert!(ran > 0, "the corpus is in fuzz/corpus");
    }
}

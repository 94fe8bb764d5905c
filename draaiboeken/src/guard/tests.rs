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

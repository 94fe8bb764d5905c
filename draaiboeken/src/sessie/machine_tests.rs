//! The session state machine, driven as the server drives it, without a server: commands in,
//! effects out.

use super::*;
use crate::agenda::{self, Millis, Step};
use crate::board::Note;
use crate::draaiboek::{self, Draaiboek};
use crate::proces::ProcessMap;
use crate::sync::Access;

fn builtin(id: &str) -> Draaiboek {
    draaiboek::builtin()
        .unwrap()
        .into_iter()
        .find(|d| d.id == id)
        .unwrap()
}

fn session(draaiboek: &str) -> Session {
    Session::new("s1".into(), "ACDEFH".into(), builtin(draaiboek), 0)
}

fn find(steps: &[Step], letter: &str) -> usize {
    steps
        .iter()
        .position(|s| s.letter.as_deref() == Some(letter))
        .unwrap()
}

/// Joins `id` in `role`, as the server does: admitted, then a member.
fn join(s: &mut Session, id: &str, role: &str) {
    let m = s.admit(id.into(), id, role, 5).unwrap();
    assert_eq!(
        s.apply(Command::Join(m), 5).unwrap(),
        [Effect::PublishMember(id.into())]
    );
}

fn agenda(s: &mut Session, c: agenda::Command) -> Vec<Effect> {
    s.apply(Command::Agenda(c), 10).unwrap()
}

fn control(s: &mut Session, c: ControlCommand) -> Vec<Effect> {
    s.apply(Command::Control(c), 20).unwrap()
}

/// Moves the agenda on to step `to`.
fn go_to(s: &mut Session, to: usize) {
    if s.agenda().current.is_none() {
        agenda(s, agenda::Command::Start);
    }
    while s.agenda().current.is_some_and(|c| c < to) {
        agenda(s, agenda::Command::Next);
    }
}

fn kinds(effects: &[Effect]) -> Vec<&'static str> {
    effects
        .iter()
        .map(|e| match e {
            Effect::Store(_) => "store",
            Effect::Publish { .. } => "publish",
            Effect::PublishMember(_) => "member",
            Effect::Reauthorize => "reauthorize",
            Effect::Reveal(_) => "reveal",
            Effect::CarryOver { .. } => "carry",
            Effect::WritePair { .. } => "pair",
            Effect::Delete => "delete",
            Effect::Forget(_) => "forget",
            Effect::Disown { .. } => "disown",
            Effect::DeleteDocs(_) => "delete docs",
        })
        .collect()
}

#[test]
fn moving_on_stores_publishes_and_decides_access_again_but_pausing_only_stores() {
    let mut s = session("ambtenaren");
    let started = agenda(&mut s, agenda::Command::Start);
    assert_eq!(kinds(&started), ["store", "publish", "reauthorize"]);
    assert_eq!(started[0], Effect::Store(Box::new(s.stored())));
    assert_eq!(
        kinds(&agenda(&mut s, agenda::Command::Pause)),
        ["store", "publish"]
    );
    assert_eq!(
        kinds(&agenda(&mut s, agenda::Command::Resume)),
        ["store", "publish"]
    );
    assert_eq!(
        kinds(&agenda(&mut s, agenda::Command::Next)),
        ["store", "publish", "reauthorize"]
    );
}

#[test]
fn a_refused_command_changes_nothing() {
    let mut s = session("ambtenaren");
    let before = s.stored();
    assert!(matches!(
        s.apply(Command::Agenda(agenda::Command::Next), 1),
        Err(SessionError::Agenda(_))
    ));
    assert!(matches!(
        s.apply(Command::Control(ControlCommand::Reveal { step: 1 }), 1),
        Err(SessionError::Control(_))
    ));
    assert_eq!(s.stored(), before);
}

#[test]
fn joining_checks_name_and_role_and_happens_once() {
    let mut s = session("ambtenaren");
    assert_eq!(
        s.admit("a".into(), "  ", "ambtenaar", 1),
        Err(SessionError::Name)
    );
    let long = "x".repeat(MAX_NAME_CHARS + 1);
    assert_eq!(
        s.admit("a".into(), &long, "ambtenaar", 1),
        Err(SessionError::Name)
    );
    assert_eq!(
        s.admit("a".into(), "An\u{7}ouk", "ambtenaar", 1),
        Err(SessionError::NameControl)
    );
    assert!(matches!(
        s.admit("a".into(), "Anouk", "wethouder", 1),
        Err(SessionError::Role { .. })
    ));
    let m = s.admit("a".into(), "  Anouk ", "ambtenaar", 1).unwrap();
    assert_eq!(m.name, "Anouk");
    s.apply(Command::Join(m.clone()), 1).unwrap();
    assert_eq!(
        s.apply(Command::Join(m), 1),
        Err(SessionError::AlreadyJoined)
    );
    assert_eq!(s.members().len(), 1);
    assert_eq!(
        s.who("a"),
        Who::Participant {
            member: "a".into(),
            civil: true
        }
    );
}

#[test]
fn a_reveal_closes_the_private_notes_first_then_copies_each_onto_its_board() {
    let mut s = session("ambtenaren");
    join(&mut s, "m1", "ambtenaar");
    join(&mut s, "m2", "ambtenaar");
    let step = find(&s.steps, "B");
    go_to(&mut s, step);
    let own = SessionDoc::Own {
        step,
        member: "m1".into(),
    };
    let m1 = s.who("m1");
    assert!(matches!(s.access(&m1, &own), Ok(Access::Guarded(_))));
    assert_eq!(s.unrevealed_step(), Some(step));
    let fx = control(&mut s, ControlCommand::Reveal { step });
    assert_eq!(kinds(&fx), ["store", "publish", "reauthorize", "reveal"]);
    let Effect::Reveal(reveals) = &fx[3] else {
        unreachable!()
    };
    let board = SessionDoc::Board { step, group: None };
    assert_eq!(
        reveals,
        &[
            Reveal {
                from: own.clone(),
                author: "m1".into(),
                to: board.clone()
            },
            Reveal {
                from: SessionDoc::Own {
                    step,
                    member: "m2".into()
                },
                author: "m2".into(),
                to: board
            },
        ]
    );
    // What the server then decides again: the private notes are read-only now.
    assert!(matches!(s.access(&m1, &own), Ok(Access::ReadOnly)));
    assert_eq!(s.unrevealed_step(), None);
}

#[test]
fn revealed_notes_carry_their_writer_and_stop_at_the_limit() {
    let notes: Vec<Note> = (0..MAX_REVEALED_PER_MEMBER + 5)
        .map(|i| Note {
            id: format!("n{i}"),
            text: "kans".into(),
            author: None,
            at: None,
        })
        .collect();
    let out = revealed(notes, "m1");
    assert_eq!(out.len(), MAX_REVEALED_PER_MEMBER);
    assert!(out.iter().all(|n| n.author.as_deref() == Some("m1")));
}

#[test]
fn a_map_is_carried_into_each_group_once_its_steps_are_revealed() {
    let mut s = session("bewoners-en-ambtenaren");
    for (id, role) in [
        ("a", "ambtenaar"),
        ("b", "bewoner"),
        ("c", "initiatiefnemer"),
    ] {
        join(&mut s, id, role);
    }
    let map = find(&s.steps, "C.2");
    let roles = find(&s.steps, "C.3");
    go_to(&mut s, map);
    control(&mut s, ControlCommand::SpreadGroups { count: Some(2) });
    // The roles block starts before the private map was revealed: nothing to carry yet.
    let fx = agenda(&mut s, agenda::Command::Next);
    assert_eq!(s.agenda().running_step(), Some(roles));
    assert_eq!(kinds(&fx), ["store", "publish", "reauthorize"]);
    // Revealed now: the reveal, then each group's map into that group's roles board.
    let fx = control(&mut s, ControlCommand::Reveal { step: map });
    assert_eq!(
        kinds(&fx),
        [
            "store",
            "publish",
            "reauthorize",
            "reveal",
            "carry",
            "carry"
        ]
    );
    for (effect, g) in fx[4..].iter().zip([1, 2]) {
        assert_eq!(
            effect,
            &Effect::CarryOver {
                from: SessionDoc::Board {
                    step: map,
                    group: Some(g)
                },
                to: SessionDoc::Board {
                    step: roles,
                    group: Some(g)
                },
            }
        );
    }
}

#[test]
fn pairs_get_their_names_written_on_their_boards() {
    let mut s = session("bewoners-en-ambtenaren");
    join(&mut s, "a", "ambtenaar");
    join(&mut s, "b", "bewoner");
    let step = find(&s.steps, "B");
    let fx = control(&mut s, ControlCommand::MakePairs);
    assert_eq!(kinds(&fx), ["store", "publish", "reauthorize", "pair"]);
    let fx = control(
        &mut s,
        ControlCommand::NamePair {
            pair: 1,
            name: "Moestuin Noord".into(),
        },
    );
    assert_eq!(
        fx[3],
        Effect::WritePair {
            board: SessionDoc::Board {
                step,
                group: Some(1)
            },
            info: crate::board::PairInfo {
                name: Some("Moestuin Noord".into()),
                members: vec![("a".into(), "a".into()), ("b".into(), "b".into())],
            },
        }
    );
}

#[test]
fn a_private_document_of_someone_who_never_joined_does_not_exist() {
    let mut s = session("ambtenaren");
    let step = find(&s.steps, "B");
    go_to(&mut s, step);
    let doc = SessionDoc::Own {
        step,
        member: "ghost".into(),
    };
    assert_eq!(
        s.access(&Who::Facilitator, &doc).err(),
        Some(Refusal::NoMember)
    );
}

fn map_with(notes: &[&str]) -> ProcessMap {
    let doc = yrs::Doc::new();
    let list: Vec<Note> = notes
        .iter()
        .map(|id| Note {
            id: (*id).into(),
            text: "tekst".into(),
            author: None,
            at: None,
        })
        .collect();
    crate::board::add_missing_notes(&doc, &list);
    crate::proces::read(&doc)
}

#[test]
fn an_export_reads_begun_and_revealed_boards_and_keeps_a_block_wide_board_only_for_its_own_notes() {
    let mut s = session("bewoners-en-ambtenaren");
    join(&mut s, "a", "ambtenaar");
    join(&mut s, "b", "bewoner");
    let free = find(&s.steps, "C.1");
    let map = find(&s.steps, "C.2");
    go_to(&mut s, map);
    control(&mut s, ControlCommand::SpreadGroups { count: Some(2) });
    let wanted = s.export_boards();
    // C.1 with its one board and both groups; the private map before its reveal: nothing.
    for board in [(free, None), (free, Some(1)), (free, Some(2))] {
        assert!(wanted.contains(&board), "{board:?} in {wanted:?}");
    }
    assert!(wanted.iter().all(|(step, _)| *step != map), "{wanted:?}");
    control(&mut s, ControlCommand::Reveal { step: map });
    assert!(s.export_boards().contains(&(map, Some(1))));

    // The block-wide board holds only what the groups have: left out. With a note of its own: kept.
    let read = |wide: &[&str]| {
        vec![
            (free, None, map_with(wide)),
            (free, Some(1), map_with(&["x"])),
            (free, Some(2), map_with(&["y"])),
        ]
    };
    let groups_only: Vec<_> = s
        .exported(read(&["x"]))
        .into_iter()
        .map(|(st, g, _)| (st, g))
        .collect();
    assert_eq!(groups_only, [(free, Some(1)), (free, Some(2))]);
    let with_own: Vec<_> = s
        .exported(read(&["x", "z"]))
        .into_iter()
        .map(|(st, g, _)| (st, g))
        .collect();
    assert_eq!(with_own, [(free, None), (free, Some(1)), (free, Some(2))]);
}

#[test]
fn an_ended_session_admits_no_one_changes_nothing_and_participants_are_out() {
    let mut s = session("ambtenaren");
    join(&mut s, "anouk", "ambtenaar");
    let post_its = find(&s.steps, "E");
    go_to(&mut s, post_its);
    let board = SessionDoc::Board {
        step: post_its,
        group: None,
    };
    let anouk = s.who("anouk");
    assert!(matches!(s.access(&anouk, &board), Ok(Access::Guarded(_))));
    assert_eq!(s.access(&Who::Projector, &board), Ok(Access::ReadOnly));

    let ended = s.apply(Command::End, 30).unwrap();
    assert_eq!(kinds(&ended), ["store", "publish", "reauthorize"]);
    assert_eq!(s.lifecycle().ended_at, Some(30));
    assert_eq!(ended[0], Effect::Store(Box::new(s.stored())));
    // Her open connections are decided again: refused, so closed; her token is refused too.
    assert_eq!(s.access(&anouk, &board).unwrap_err(), Refusal::Ended);
    assert_eq!(s.admits(&anouk), Err(Refusal::Ended));
    // So is the room's screen.
    assert_eq!(s.access(&Who::Projector, &board), Err(Refusal::Ended));
    // The facilitator still reads everything, and writes nothing.
    assert_eq!(s.access(&Who::Facilitator, &board), Ok(Access::ReadOnly));
    assert_eq!(s.admits(&Who::Facilitator), Ok(()));
    // No one joins, and no command changes it any more.
    assert_eq!(
        s.admit("bram".into(), "Bram", "ambtenaar", 40),
        Err(SessionError::Ended)
    );
    for command in [
        Command::End,
        Command::Agenda(agenda::Command::Next),
        Command::Control(ControlCommand::MakePairs),
    ] {
        assert_eq!(s.apply(command, 40), Err(SessionError::Ended));
    }
    // Stored and restored, it is still over.
    let restored = Session::restore(
        s.id.clone(),
        s.code.clone(),
        s.draaiboek.clone(),
        0,
        serde_json::from_str(&serde_json::to_string(&s.stored()).unwrap()).unwrap(),
        s.members().to_vec(),
    );
    assert!(restored.ended());
}

#[test]
fn a_session_ends_on_its_own_after_its_last_block_and_is_deleted_after_its_retention() {
    let policy = lifecycle::Policy {
        end_after_ms: 1_000,
        end_unstarted_after_ms: 50_000,
        retention_days: 2,
    };
    let tick = |s: &mut Session, now| s.apply(Command::Tick(policy), now).unwrap();

    // Never started: it ends `end_unstarted_after_ms` after it was made.
    let mut s = session("ambtenaren");
    assert_eq!(s.ends_at(&policy), Some(50_000));
    assert!(tick(&mut s, 49_999).is_empty());
    assert_eq!(
        kinds(&tick(&mut s, 50_000)),
        ["store", "publish", "reauthorize"]
    );

    // Running: after the planned agenda (from its start, extensions included) and the grace.
    let mut s = session("ambtenaren");
    go_to(&mut s, 1);
    let planned: Millis = s
        .steps
        .iter()
        .map(|st| Millis::from(st.planned_minutes))
        .sum();
    let due = 10 + planned * 60_000 + 1_000;
    assert_eq!(s.ends_at(&policy), Some(due));
    s.apply(Command::Agenda(agenda::Command::Extend { minutes: 5 }), 20)
        .unwrap();
    assert_eq!(s.ends_at(&policy), Some(due + 5 * 60_000));

    // Its last block over: `end_after_ms` later.
    let last = s.steps.len() - 1;
    go_to(&mut s, last);
    s.apply(Command::Agenda(agenda::Command::Next), 100)
        .unwrap();
    assert_eq!(s.ends_at(&policy), Some(1_100));
    assert!(tick(&mut s, 1_099).is_empty());
    assert!(!tick(&mut s, 1_100).is_empty());
    assert!(s.ended() && s.ends_at(&policy).is_none());

    // Kept for its retention period after the end, then deleted; its own period wins.
    let kept = 1_100 + 2 * lifecycle::DAY_MS;
    assert_eq!(s.lifecycle().delete_at(&policy), Some(kept));
    assert!(tick(&mut s, kept - 1).is_empty());
    assert_eq!(tick(&mut s, kept), [Effect::Delete]);
    let mut own = session("ambtenaren");
    own.retain_for(7).unwrap();
    own.apply(Command::End, 0).unwrap();
    assert_eq!(
        own.lifecycle().delete_at(&policy),
        Some(7 * lifecycle::DAY_MS)
    );
    for days in [0, lifecycle::MAX_RETENTION_DAYS + 1] {
        assert_eq!(own.retain_for(days), Err(SessionError::Retention));
    }
}

#[test]
fn a_session_admits_at_most_its_members() {
    let mut s = session("ambtenaren");
    for i in 0..MAX_MEMBERS {
        join(&mut s, &format!("m{i}"), "ambtenaar");
    }
    assert_eq!(
        s.admit("over".into(), "Een te veel", "ambtenaar", 5),
        Err(SessionError::Full)
    );
}

#[test]
fn a_removed_member_is_forgotten_out_of_their_groups_and_pairs_and_their_notes_disowned() {
    let mut s = session("ambtenaren");
    join(&mut s, "anouk", "ambtenaar");
    join(&mut s, "bram", "ambtenaar");
    let (check_in, post_its) = (find(&s.steps, "B"), find(&s.steps, "E"));
    go_to(&mut s, post_its);
    let notes = RemovedNotes::Anonymous;
    let fx = s
        .apply(
            Command::Remove {
                member: "anouk".into(),
                notes,
            },
            30,
        )
        .unwrap();
    assert_eq!(
        kinds(&fx),
        [
            "store",
            "publish",
            "forget",
            "reauthorize",
            "disown",
            "delete docs"
        ]
    );
    assert_eq!(fx[2], Effect::Forget("anouk".into()));
    let Effect::Disown { boards, .. } = &fx[4] else {
        panic!("{fx:?}")
    };
    assert!(boards.contains(&SessionDoc::Board {
        step: post_its,
        group: None
    }));
    assert_eq!(
        fx[5],
        Effect::DeleteDocs(vec![SessionDoc::Own {
            step: check_in,
            member: "anouk".into()
        }])
    );
    assert!(s.member("anouk").is_none() && s.member("bram").is_some());
    // Her token opens nothing any more; removing her again is refused.
    assert_eq!(s.admits(&s.who("anouk")), Err(Refusal::NoMember));
    let again = Command::Remove {
        member: "anouk".into(),
        notes,
    };
    assert_eq!(s.apply(again, 40), Err(SessionError::NoMember));
}

#[test]
fn the_facilitator_sets_the_sessions_language_which_is_stored_and_exported() {
    use crate::i18n::Lang;
    let mut s = session("ambtenaren");
    assert_eq!(
        s.control().lang,
        Lang::Nl,
        "Dutch until the facilitator says otherwise"
    );
    let command: ControlCommand =
        serde_json::from_str(r#"{"action":"set_lang","lang":"ar"}"#).unwrap();
    assert_eq!(command, ControlCommand::SetLang { lang: Lang::Ar });
    assert!(
        serde_json::from_str::<ControlCommand>(r#"{"action":"set_lang","lang":"fr"}"#).is_err()
    );
    // Before the session starts (the projector is set up first), and it is published.
    let effects = control(&mut s, command);
    assert_eq!(kinds(&effects), ["store", "publish", "reauthorize"]);
    assert_eq!(s.control().lang, Lang::Ar);

    // Stored, and restored as it was; state stored before the language existed is Dutch.
    let json = serde_json::to_string(&s.stored()).unwrap();
    assert!(json.contains(r#""lang":"ar""#), "{json}");
    let restored = Session::restore(
        s.id.clone(),
        s.code.clone(),
        s.draaiboek.clone(),
        0,
        serde_json::from_str(&json).unwrap(),
        Vec::new(),
    );
    assert_eq!(restored.control().lang, Lang::Ar);
    let old = json.replace(r#","lang":"ar""#, "");
    assert_ne!(old, json);
    let old: Stored = serde_json::from_str(&old).unwrap();
    assert_eq!(old.control.lang, Lang::Nl);

    // The export says it, and its documents speak it unless asked for another language.
    let e = crate::export::of_session(&s, Vec::new(), &[], 30);
    assert_eq!(e.lang, Lang::Ar);

    control(&mut s, ControlCommand::SetLang { lang: Lang::Tr });
    assert_eq!(s.control().lang, Lang::Tr);
}

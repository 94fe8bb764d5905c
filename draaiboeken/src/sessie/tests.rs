//! The rules of a session's documents, groups and pairs.

use std::sync::Arc;

use super::*;
use crate::agenda::{self, Command};
use crate::agenda::{AgendaState, Step};
use crate::draaiboek;
use crate::guard::BoardGuard;
use crate::sync::Access;
use crate::werkvorm::Werkvorm;

fn draaiboek_1() -> Vec<Step> {
    let all = draaiboek::builtin().unwrap();
    let d = all.iter().find(|d| d.id == "ambtenaren").unwrap();
    agenda::steps(d)
}

fn at(step: usize, steps: &[Step]) -> AgendaState {
    let mut a = AgendaState::new(steps.len());
    a.apply(Command::Start, 0).unwrap();
    for _ in 0..step {
        a.apply(Command::Next, 1).unwrap();
    }
    a
}

/// A participant's (m1's) checked write access.
fn writes(werkvorm: Werkvorm, own: bool) -> Access {
    Access::Guarded(Arc::new(BoardGuard::new("m1", false, werkvorm, own)))
}

fn me() -> Who {
    Who::Participant {
        member: "m1".into(),
        civil: false,
    }
}

#[test]
fn names_round_trip_and_hostile_names_are_refused() {
    for doc in [
        SessionDoc::Agenda,
        SessionDoc::Members,
        SessionDoc::Board {
            step: 3,
            group: None,
        },
        SessionDoc::Board {
            step: 3,
            group: Some(2),
        },
        SessionDoc::Own {
            step: 1,
            member: "abc123".into(),
        },
    ] {
        assert_eq!(SessionDoc::parse(&doc.name()), Some(doc.clone()));
    }
    for bad in [
        "",
        "wand",
        "blok",
        "blok/x",
        "blok/-1",
        "blok/1000",
        "blok/0001",
        "blok/1/groep",
        "blok/1/eigen/a.b",
        "blok/1/eigen/",
        "blok/1/iets/2",
        "agenda/x",
    ] {
        assert_eq!(SessionDoc::parse(bad), None, "{bad}");
    }
}

#[test]
fn the_facilitator_may_do_everything() {
    let steps = draaiboek_1();
    let a = AgendaState::new(steps.len());
    let doc = SessionDoc::Own {
        step: 1,
        member: "m2".into(),
    };
    assert_eq!(
        access(&Who::Facilitator, &doc, &steps, &a, &Control::default()),
        Ok(Access::ReadWrite)
    );
}

#[test]
fn check_in_words_stay_private_until_revealed() {
    let steps = draaiboek_1();
    assert!(steps[1].private, "draaiboek 1's check-in is private");
    let a = at(1, &steps);
    let mut c = Control::default();
    let own = SessionDoc::Own {
        step: 1,
        member: "m1".into(),
    };
    let other = SessionDoc::Own {
        step: 1,
        member: "m2".into(),
    };
    let board = SessionDoc::Board {
        step: 1,
        group: None,
    };
    assert_eq!(
        access(&me(), &own, &steps, &a, &c),
        Ok(writes(Werkvorm::CheckIn, true))
    );
    assert_eq!(
        access(&me(), &other, &steps, &a, &c),
        Err(Refusal::NotYours)
    );
    assert_eq!(access(&me(), &board, &steps, &a, &c), Err(Refusal::Private));
    assert_eq!(c.board_for(&steps, 1, "m1"), Some(own.clone()));

    c.revealed.insert(1);
    assert_eq!(access(&me(), &own, &steps, &a, &c), Ok(Access::ReadOnly));
    assert_eq!(access(&me(), &board, &steps, &a, &c), Ok(Access::ReadOnly));
    assert_eq!(c.board_for(&steps, 1, "m1"), Some(board));
}

#[test]
fn boards_open_with_their_block_and_close_for_writing_after_it_or_when_locked() {
    let steps = draaiboek_1();
    let inzichten = steps
        .iter()
        .position(|s| s.prompt.is_some())
        .expect("draaiboek 1 has an inzichten block with a prompt");
    let board = SessionDoc::Board {
        step: inzichten,
        group: None,
    };
    let mut c = Control::default();
    assert_eq!(
        access(&me(), &board, &steps, &at(1, &steps), &c),
        Err(Refusal::NotYet)
    );
    let a = at(inzichten, &steps);
    assert_eq!(
        access(&me(), &board, &steps, &a, &c),
        Ok(writes(Werkvorm::PostIts, false))
    );
    c.locked.insert(inzichten);
    assert_eq!(access(&me(), &board, &steps, &a, &c), Ok(Access::ReadOnly));
    c.locked.clear();
    let later = at(inzichten + 1, &steps);
    assert_eq!(
        access(&me(), &board, &steps, &later, &c),
        Ok(Access::ReadOnly)
    );
    // Blocks without writing have no board for participants.
    let intro = SessionDoc::Board {
        step: 0,
        group: None,
    };
    assert_eq!(
        access(&me(), &intro, &steps, &later, &c),
        Err(Refusal::NoBoard)
    );
    assert_eq!(
        access(&me(), &SessionDoc::Agenda, &steps, &later, &c),
        Ok(Access::ReadOnly)
    );
    assert_eq!(
        access(&me(), &SessionDoc::Members, &steps, &later, &c),
        Err(Refusal::FacilitatorOnly)
    );
}

#[test]
fn a_group_board_is_for_its_group_only() {
    let steps = draaiboek_1();
    let step = steps.iter().position(|s| s.groups.is_some()).unwrap();
    let a = at(step, &steps);
    let mut c = Control::default();
    c.groups.insert("m1".into(), 2);
    let mine = SessionDoc::Board {
        step,
        group: Some(2),
    };
    let theirs = SessionDoc::Board {
        step,
        group: Some(1),
    };
    assert_eq!(
        access(&me(), &mine, &steps, &a, &c),
        Ok(writes(Werkvorm::Expertise, false))
    );
    assert_eq!(
        access(&me(), &theirs, &steps, &a, &c),
        Err(Refusal::OtherGroup)
    );
    assert_eq!(c.board_for(&steps, step, "m1"), Some(mine));
}

#[test]
fn the_projector_reads_what_the_room_may_see_and_writes_nothing() {
    let steps = draaiboek_1();
    let group_step = steps.iter().position(|s| s.groups.is_some()).unwrap();
    let c = Control::default();
    let read =
        |doc: &SessionDoc, a: &AgendaState, c: &Control| access(&Who::Projector, doc, &steps, a, c);
    // Every group's board of a running group block, read only.
    let a = at(group_step, &steps);
    for group in [Some(1), Some(2), None] {
        let doc = SessionDoc::Board {
            step: group_step,
            group,
        };
        assert_eq!(read(&doc, &a, &c), Ok(Access::ReadOnly), "{group:?}");
    }
    assert_eq!(read(&SessionDoc::Agenda, &a, &c), Ok(Access::ReadOnly));
    // Never the members, nor anyone's private notes, nor a block to come.
    assert_eq!(
        read(&SessionDoc::Members, &a, &c),
        Err(Refusal::FacilitatorOnly)
    );
    let own = SessionDoc::Own {
        step: 1,
        member: "m1".into(),
    };
    assert_eq!(read(&own, &a, &c), Err(Refusal::NotYours));
    let later = SessionDoc::Board {
        step: group_step + 1,
        group: None,
    };
    assert_eq!(read(&later, &a, &c), Err(Refusal::NotYet));
    // A private block's board only after the reveal.
    let check_in = at(1, &steps);
    let board = SessionDoc::Board {
        step: 1,
        group: None,
    };
    assert_eq!(read(&board, &check_in, &c), Err(Refusal::Private));
    let mut revealed = Control::default();
    revealed.revealed.insert(1);
    assert_eq!(read(&board, &check_in, &revealed), Ok(Access::ReadOnly));
    // A 1-op-1's boards are the pairs' own: never on the room's screen.
    let d3 = draaiboek("bewoners-en-ambtenaren");
    let pairs = d3
        .iter()
        .position(|s| s.werkvorm.is_some_and(|w| w.rules().in_pairs))
        .unwrap();
    let running = at(pairs, &d3);
    for group in [Some(1), None] {
        let doc = SessionDoc::Board { step: pairs, group };
        assert_eq!(
            access(&Who::Projector, &doc, &d3, &running, &c),
            Err(Refusal::PairsOnly)
        );
    }
}

fn member(id: &str, role: &str) -> MemberInfo {
    MemberInfo {
        id: id.into(),
        name: id.into(),
        role: role.into(),
        online: true,
        joined_at: 0,
    }
}

#[test]
fn spreading_mixes_roles_and_balances_sizes() {
    let members: Vec<MemberInfo> = (0..10)
        .map(|i| {
            member(
                &format!("m{i}"),
                if i < 4 { "bewoner" } else { "ambtenaar" },
            )
        })
        .collect();
    let groups = spread(&members, 2, true);
    assert_eq!(groups.len(), 10);
    for g in [1, 2] {
        let in_g: Vec<&MemberInfo> = members.iter().filter(|m| groups[&m.id] == g).collect();
        assert_eq!(in_g.len(), 5, "group {g}");
        assert_eq!(
            in_g.iter().filter(|m| m.role == "bewoner").count(),
            2,
            "group {g} gets half the bewoners"
        );
    }
    assert_eq!(spread(&members, 2, true), groups, "deterministic");
    // Without mixing, in joining order: the four bewoners (first in) stay together.
    let plain = spread(&members, 2, false);
    assert!((0..4).all(|i| plain[&format!("m{i}")] == 1));
    assert_eq!(plain.values().filter(|g| **g == 2).count(), 5);
}

#[test]
fn group_counts_follow_the_size_range() {
    assert_eq!(group_count(0, None, None), 1);
    assert_eq!(group_count(6, None, None), 1);
    assert_eq!(
        group_count(7, None, None),
        1,
        "two groups of 3–4 are too small"
    );
    assert_eq!(group_count(8, None, None), 2);
    assert_eq!(group_count(12, None, None), 2);
    assert_eq!(group_count(13, None, None), 3);
    assert_eq!(group_count(30, Some(4), Some(6)), 5);
    assert_eq!(group_count(9, Some(2), Some(3)), 3);
}

#[test]
fn control_commands_check_what_they_are_given() {
    let steps = draaiboek_1();
    let members: Vec<MemberInfo> = (0..9)
        .map(|i| member(&format!("m{i}"), "ambtenaar"))
        .collect();
    let mut c = Control::default();
    let a = at(1, &steps);
    let cmd = |json: &str| serde_json::from_str::<ControlCommand>(json).unwrap();
    assert_eq!(
        c.apply(
            &cmd(r#"{"action":"reveal","step":5}"#),
            &steps,
            &a,
            &members,
            0,
        ),
        Err(ControlError::NotStarted(5))
    );
    assert_eq!(
        c.apply(
            &cmd(r#"{"action":"reveal","step":0}"#),
            &steps,
            &a,
            &members,
            0,
        ),
        Err(ControlError::NotPrivate(0))
    );
    c.apply(
        &cmd(r#"{"action":"reveal","step":1}"#),
        &steps,
        &a,
        &members,
        0,
    )
    .unwrap();
    assert!(c.revealed.contains(&1));
    c.apply(
        &cmd(r#"{"action":"spread_groups","count":null}"#),
        &steps,
        &a,
        &members,
        0,
    )
    .unwrap();
    assert_eq!(
        c.group_numbers(),
        [1, 2],
        "nine people make two groups of 4–6"
    );
    c.apply(
        &cmd(r#"{"action":"assign_group","member":"m0","group":7}"#),
        &steps,
        &a,
        &members,
        0,
    )
    .unwrap();
    assert_eq!(c.group_of("m0"), Some(7));
    assert_eq!(
        c.apply(
            &cmd(r#"{"action":"assign_group","member":"nobody","group":1}"#),
            &steps,
            &a,
            &members,
            0,
        ),
        Err(ControlError::NoMember("nobody".into()))
    );
    assert_eq!(
        c.apply(
            &cmd(r#"{"action":"focus_group","group":0}"#),
            &steps,
            &a,
            &members,
            0,
        ),
        Err(ControlError::BadGroup)
    );
    assert!(
        serde_json::from_str::<ControlCommand>(r#"{"action":"reveal","step":1,"x":1}"#).is_err()
    );
}

#[test]
fn draaiboek_3_mixes_residents_and_civil_servants_in_its_groups() {
    let all = draaiboek::builtin().unwrap();
    let d = all
        .iter()
        .find(|d| d.id == "bewoners-en-ambtenaren")
        .unwrap();
    let steps = agenda::steps(d);
    assert!(steps.iter().any(|s| s.groups.is_some_and(|g| g.mix_roles)));
    let members: Vec<MemberInfo> = (0..8)
        .map(|i| {
            member(
                &format!("m{i}"),
                if i < 4 { "bewoner" } else { "ambtenaar" },
            )
        })
        .collect();
    let mut c = Control::default();
    let a = AgendaState::new(steps.len());
    c.apply(
        &ControlCommand::SpreadGroups { count: Some(2) },
        &steps,
        &a,
        &members,
        0,
    )
    .unwrap();
    for g in [1, 2] {
        let roles: Vec<&str> = members
            .iter()
            .filter(|m| c.groups[&m.id] == g)
            .map(|m| m.role.as_str())
            .collect();
        assert_eq!(
            roles.iter().filter(|r| **r == "bewoner").count(),
            2,
            "{roles:?}"
        );
        assert_eq!(roles.len(), 4);
    }
}

fn draaiboek(id: &str) -> Vec<Step> {
    let all = draaiboek::builtin().unwrap();
    agenda::steps(all.iter().find(|d| d.id == id).unwrap())
}

fn find(steps: &[Step], letter: &str) -> usize {
    steps
        .iter()
        .position(|s| s.letter.as_deref() == Some(letter))
        .unwrap()
}

#[test]
fn codes_are_cleaned_up_one_way() {
    assert_eq!(normalise_code(" ac3-f4 7x "), "AC3F47X");
    assert_eq!(normalise_code("ac.3f\u{200b}é"), "AC3F");
    assert_eq!(normalise_code(&"a".repeat(1000)).len(), 32);
}

#[test]
fn process_werkvormen_carry_on_the_nearest_earlier_map() {
    let d3 = draaiboek("bewoners-en-ambtenaren");
    let (c2, c3, c4, c5) = (
        find(&d3, "C.2"),
        find(&d3, "C.3"),
        find(&d3, "C.4"),
        find(&d3, "C.5"),
    );
    assert_eq!(
        process_source(&d3, c2),
        None,
        "proces in kaart starts a map"
    );
    assert_eq!(process_source(&d3, c3), Some(c2));
    assert_eq!(process_source(&d3, c4), Some(c3));
    assert_eq!(process_source(&d3, c5), None, "the dreamteam has no steps");
    let d1 = draaiboek_1();
    let (c, d) = (find(&d1, "C"), find(&d1, "D"));
    assert_eq!(process_source(&d1, c), None, "regie maps its own steps");
    assert_eq!(process_source(&d1, d), Some(c));
}

#[test]
fn revealed_process_steps_are_arranged_by_the_group() {
    let d3 = draaiboek("bewoners-en-ambtenaren");
    let c2 = find(&d3, "C.2");
    let a = at(c2, &d3);
    let mut c = Control::default();
    c.groups.insert("m1".into(), 1);
    let board = SessionDoc::Board {
        step: c2,
        group: Some(1),
    };
    assert_eq!(access(&me(), &board, &d3, &a, &c), Err(Refusal::Private));
    c.revealed.insert(c2);
    assert_eq!(
        access(&me(), &board, &d3, &a, &c),
        Ok(writes(Werkvorm::ProcesInKaart, false))
    );
    c.locked.insert(c2);
    assert_eq!(access(&me(), &board, &d3, &a, &c), Ok(Access::ReadOnly));
    // A check-in's revealed words stay the facilitator's to arrange.
    let d1 = draaiboek_1();
    let b = find(&d1, "B");
    let mut c = Control::default();
    c.revealed.insert(b);
    let words = SessionDoc::Board {
        step: b,
        group: None,
    };
    assert_eq!(
        access(&me(), &words, &d1, &at(b, &d1), &c),
        Ok(Access::ReadOnly)
    );
}

#[test]
fn pairs_put_a_civil_servant_with_a_resident_and_have_their_own_boards() {
    let d3 = draaiboek("bewoners-en-ambtenaren");
    let b = find(&d3, "B");
    let members: Vec<MemberInfo> = [
        ("r1", "bewoner"),
        ("r2", "initiatiefnemer"),
        ("r3", "bewoner"),
        ("a1", "ambtenaar"),
        ("a2", "ambtenaar"),
    ]
    .iter()
    .map(|(id, role)| member(id, role))
    .collect();
    let mut c = Control::default();
    let a = at(b, &d3);
    c.apply(&ControlCommand::MakePairs, &d3, &a, &members, 0)
        .unwrap();
    assert_eq!(c.pair_numbers(), [1, 2]);
    for p in [1, 2] {
        let roles: Vec<&str> = c
            .pair_members(p)
            .iter()
            .map(|m| members.iter().find(|x| x.id == *m).unwrap().role.as_str())
            .collect();
        assert_eq!(
            roles.iter().filter(|r| **r == CIVIL_SERVANT).count(),
            1,
            "{roles:?}"
        );
    }
    assert_eq!(
        c.pairs.values().filter(|p| **p == 1).count(),
        3,
        "r3 makes a three"
    );
    c.apply(
        &ControlCommand::NamePair {
            pair: 2,
            name: "  Moestuin\u{7} Noord ".into(),
        },
        &d3,
        &a,
        &members,
        0,
    )
    .unwrap();
    assert_eq!(c.pair_names[&2], "Moestuin Noord");
    // Pairs are the boards of the 1-op-1, not of group steps.
    let s = &d3[b];
    assert_eq!(c.boards_of(s), [Some(1), Some(2)]);
    assert_eq!(c.board_group(s, "a2"), Some(2));
    let other = SessionDoc::Board {
        step: b,
        group: Some(c.pairs["a1"] % 2 + 1),
    };
    let a1 = Who::Participant {
        member: "a1".into(),
        civil: true,
    };
    assert_eq!(access(&a1, &other, &d3, &a, &c), Err(Refusal::OtherGroup));
    // Without civil servants, people pair up in joining order.
    let residents: Vec<MemberInfo> = ["x", "y", "z"]
        .iter()
        .map(|id| member(id, "bewoner"))
        .collect();
    let pairs = make_pairs(&residents);
    assert_eq!(pairs.values().copied().collect::<Vec<_>>(), [1, 1, 1]);
}

#[test]
fn the_plenary_gives_the_floor_only_in_a_plenary_block() {
    let d2 = draaiboek("bewoners");
    let d2_plenary = find(&d2, "D.2");
    let mut c = Control::default();
    c.groups.insert("m1".into(), 1);
    c.groups.insert("m2".into(), 2);
    let cmd = ControlCommand::Plenary { group: Some(2) };
    assert_eq!(
        c.apply(&cmd, &d2, &at(0, &d2), &[], 5),
        Err(ControlError::NoPlenary)
    );
    c.apply(&cmd, &d2, &at(d2_plenary, &d2), &[], 5).unwrap();
    assert_eq!(
        c.plenary,
        Some(Plenary {
            step: d2_plenary,
            group: 2,
            since: 5
        })
    );
    // Twenty minutes over two groups: ten each.
    assert_eq!(c.speaking_ms(&d2[d2_plenary]), 10 * 60_000);
    c.apply(
        &ControlCommand::Plenary { group: None },
        &d2,
        &at(d2_plenary, &d2),
        &[],
        9,
    )
    .unwrap();
    assert_eq!(c.plenary, None);
}

#[test]
fn members_who_share_a_name_are_told_apart_in_the_order_they_joined() {
    let member = |id: &str, name: &str| MemberInfo {
        id: id.into(),
        name: name.into(),
        role: "bewoner".into(),
        online: false,
        joined_at: 0,
    };
    let mut members = vec![
        member("a", "Anouk"),
        member("b", "Bram"),
        member("c", "anouk "),
        member("d", "Anouk (3)"),
        member("e", "Anouk"),
    ];
    distinct_names(&mut members);
    let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        ["Anouk", "Bram", "anouk (2)", "Anouk (3)", "Anouk (4)"]
    );
    let mut alone = vec![member("a", "Anouk")];
    distinct_names(&mut alone);
    assert_eq!(alone[0].name, "Anouk");
}

#[test]
fn the_place_is_kept_clean_and_short_and_an_empty_one_clears_it() {
    let steps = draaiboek_1();
    let a = at(0, &steps);
    let mut c = Control::default();
    let mut set = |place: &str| {
        c.apply(
            &ControlCommand::SetPlace {
                place: place.into(),
            },
            &steps,
            &a,
            &[],
            0,
        )
        .unwrap();
        c.place.clone()
    };
    assert_eq!(
        set("  Buurthuis De Meeuw\u{7}, zaal 2 "),
        Some("Buurthuis De Meeuw, zaal 2".into())
    );
    assert_eq!(
        set(&"x".repeat(500)).map(|p| p.chars().count()),
        Some(MAX_PLACE_CHARS)
    );
    assert_eq!(set("   "), None);
}

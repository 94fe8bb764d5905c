use super::*;

fn map_with(steps: &[&str]) -> Doc {
    let doc = Doc::new();
    let notes = board::notes_array(&doc);
    let mut txn = doc.transact_mut();
    for (i, t) in steps.iter().enumerate() {
        board::add_note(&notes, &mut txn, &format!("s{i}"), t);
    }
    drop(txn);
    doc
}

fn order(doc: &Doc) -> Vec<String> {
    read(doc)
        .steps
        .iter()
        .map(|s| s.note.text.clone())
        .collect()
}

#[test]
fn steps_move_by_place_nudge_and_phase() {
    let doc = map_with(&["Plan", "Budget", "Uitvoeren", "Evalueren"]);
    assert_eq!(order(&doc), ["Plan", "Budget", "Uitvoeren", "Evalueren"]);
    place(&doc, "s3", 0, None);
    assert_eq!(order(&doc), ["Evalueren", "Plan", "Budget", "Uitvoeren"]);
    place(&doc, "s3", 3, None);
    assert_eq!(order(&doc), ["Plan", "Budget", "Uitvoeren", "Evalueren"]);
    nudge(&doc, "s1", -1);
    assert_eq!(order(&doc), ["Budget", "Plan", "Uitvoeren", "Evalueren"]);
    nudge(&doc, "s1", -1);
    assert_eq!(
        order(&doc),
        ["Budget", "Plan", "Uitvoeren", "Evalueren"],
        "the first step can't go earlier"
    );

    board::add_cluster(&doc, "p1", "Voorbereiding");
    board::add_cluster(&doc, "p2", "Uitvoering");
    move_to_phase(&doc, "s0", Some("p1"));
    move_to_phase(&doc, "s1", Some("p1"));
    move_to_phase(&doc, "s2", Some("p2"));
    move_to_phase(&doc, "s3", Some("p2"));
    let map = read(&doc);
    let runs: Vec<(Option<&str>, Vec<&str>)> = map
        .runs()
        .iter()
        .map(|r| {
            (
                r.phase.map(|p| p.name.as_str()),
                r.steps.iter().map(|s| s.note.text.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        runs,
        [
            (Some("Voorbereiding"), vec!["Plan", "Budget"]),
            (Some("Uitvoering"), vec!["Uitvoeren", "Evalueren"]),
        ]
    );
    // Nudging across a phase border first changes the phase, then the place.
    nudge(&doc, "s2", -1);
    let map = read(&doc);
    assert_eq!(map.step("s2").unwrap().note.cluster.as_deref(), Some("p1"));
    assert_eq!(order(&doc), ["Plan", "Budget", "Uitvoeren", "Evalueren"]);
    nudge(&doc, "s2", -1);
    assert_eq!(order(&doc), ["Plan", "Uitvoeren", "Budget", "Evalueren"]);
}

#[test]
fn crowded_positions_are_numbered_afresh() {
    let doc = map_with(&["a", "b", "c"]);
    // Keep squeezing "c" between "a" and "b" (and back) until the gap runs out.
    for _ in 0..80 {
        place(&doc, "s2", 1, None);
        place(&doc, "s1", 1, None);
    }
    let texts = order(&doc);
    assert_eq!(texts.len(), 3);
    assert_eq!(texts[0], "a");
    place(&doc, "s2", 2, None);
    assert_eq!(order(&doc), ["a", "b", "c"]);
}

#[test]
fn concurrent_moves_of_different_steps_both_land() {
    let a = map_with(&["1", "2", "3", "4"]);
    let b = Doc::new();
    let sync = |from: &Doc, to: &Doc| {
        let sv = to.transact().state_vector();
        let update = from.transact().encode_state_as_update_v1(&sv);
        to.transact_mut()
            .apply_update(yrs::Update::decode_v1(&update).unwrap())
            .unwrap();
    };
    use yrs::updates::decoder::Decode;
    sync(&a, &b);
    place(&a, "s0", 3, None); // 2 3 4 1
    place(&b, "s3", 0, None); // 4 1 2 3
    sync(&a, &b);
    sync(&b, &a);
    assert_eq!(order(&a), order(&b));
    let o = order(&a);
    assert_eq!(o.len(), 4);
    // Each move kept its own intent relative to the unmoved steps 2 and 3.
    let pos = |t: &str| o.iter().position(|x| x == t).unwrap();
    assert!(pos("4") < pos("2"));
    assert!(pos("1") > pos("3"));
}

#[test]
fn stickers_regie_expertise_challenges_and_team() {
    let doc = map_with(&["Aanvraag", "Besluit"]);
    toggle_sticker(&doc, "s0", "bewoner", StickerKind::Now, "m1");
    toggle_sticker(&doc, "s0", "bewoner", StickerKind::Now, "m2");
    toggle_sticker(&doc, "s0", "ambtenaar", StickerKind::Could, "m1");
    toggle_sticker(&doc, "s1", "ambtenaar", StickerKind::Now, "m1");
    toggle_sticker(&doc, "s1", "ambtenaar", StickerKind::Now, "m1"); // off again
    set_regie(
        &doc,
        "s0",
        Some(Lead::Unclear),
        "  hangt af van het budget ",
    );
    set_regie(&doc, "s1", Some(Lead::Gemeente), "");
    set_municipal(&doc, "s1", true);
    add_expertise(
        &doc,
        "e1",
        "s0",
        "Subsidieregels",
        "Team buurtbudget",
        true,
        Some("m1"),
    );
    add_expertise(&doc, "e2", "s0", "   ", "", false, None);
    add_challenge(
        &doc,
        "c1",
        Some("s1"),
        "Lang wachten op besluit",
        Some("m2"),
    );
    add_challenge(&doc, "c2", None, "Aannemer komt niet", None);
    add_challenge(&doc, "c3", Some("gone"), "Over een weggehaalde stap", None);
    let map = read(&doc);
    let s0 = map.step("s0").unwrap();
    assert_eq!(s0.count("bewoner", StickerKind::Now), 2);
    assert_eq!(s0.count("ambtenaar", StickerKind::Could), 1);
    assert!(s0.has("bewoner", StickerKind::Now, "m2"));
    assert!(!s0.has("bewoner", StickerKind::Could, "m2"));
    assert_eq!(map.step("s1").unwrap().stickers, vec![]);
    assert_eq!(
        s0.regie,
        Some(Regie {
            who: Lead::Unclear,
            note: Some("hangt af van het budget".into())
        })
    );
    assert_eq!(map.step("s1").unwrap().regie.as_ref().unwrap().note, None);
    assert!(map.step("s1").unwrap().municipal);
    assert!(!s0.municipal);
    assert_eq!(s0.expertise.len(), 1, "empty expertise is not added");
    assert!(s0.expertise[0].municipal);
    assert_eq!(
        map.step("s1").unwrap().challenges[0].text,
        "Lang wachten op besluit"
    );
    let parked: Vec<&str> = map.parked.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(parked, ["Aannemer komt niet", "Over een weggehaalde stap"]);
    move_challenge(&doc, "c2", Some("s0"));
    assert_eq!(read(&doc).step("s0").unwrap().challenges.len(), 1);

    for (id, name, present) in [("t1", "Fatima", true), ("t2", "Wijkagent", false)] {
        put_team_member(
            &doc,
            &TeamMember {
                id: id.into(),
                name: name.into(),
                present,
                brings: "tijd".into(),
                lead: false,
                by: None,
            },
        );
    }
    set_lead(&doc, Some("t1"));
    let map = read(&doc);
    assert_eq!(map.team_mode, Some(TeamMode::Lead));
    assert!(map.team[0].lead && !map.team[1].lead);
    assert!(!map.team[1].present);
    set_lead(&doc, None);
    let map = read(&doc);
    assert_eq!(map.team_mode, Some(TeamMode::Equal));
    assert!(map.team.iter().all(|m| !m.lead));
}

#[test]
fn a_map_is_carried_over_once_with_everything_on_it() {
    let source = map_with(&["Plan", "Uitvoeren"]);
    place(&source, "s1", 0, None);
    toggle_sticker(&source, "s0", "bewoner", StickerKind::Now, "m1");
    let bytes = source
        .transact()
        .encode_state_as_update_v1(&yrs::StateVector::default());
    let target = Doc::new();
    carry_over(&target, &bytes, "blok/3/groep/1").unwrap();
    let map = read(&target);
    assert_eq!(order(&target), ["Uitvoeren", "Plan"]);
    assert_eq!(map.carried_from.as_deref(), Some("blok/3/groep/1"));
    assert_eq!(map.step("s0").unwrap().stickers.len(), 1);
    // The new block goes its own way; a second carry-over changes nothing.
    board::delete(&target, "s0");
    carry_over(&target, &bytes, "blok/3/groep/1").unwrap();
    assert_eq!(order(&target), ["Uitvoeren"]);
    assert_eq!(order(&source), ["Uitvoeren", "Plan"]);
    assert!(carry_over(&Doc::new(), b"\xff\xff", "x").is_err());
}

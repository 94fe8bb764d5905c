//! The werkvormen of draaiboeken 2 and 3 over the real protocol: 1-op-1 pairs whose boards say
//! who is in them, revealed process steps the group may arrange, and a process map that comes
//! along, group by group, into the blocks that work on it.

use serde_json::json;
use werkmuur_tests::SyncClient;

use crate::boards::control;
use crate::sessions::{command, create, fixture, join};
use crate::support::Fixture;

fn url(f: &Fixture, id: &str, doc: &str, token: &str) -> String {
    format!(
        "{}?token={token}",
        f.server.room_url(&format!("sessie/{id}/{doc}"))
    )
}

async fn open(f: &Fixture, id: &str, doc: &str, token: &str) -> SyncClient {
    let mut c = SyncClient::connect(&url(f, id, doc, token)).await.unwrap();
    c.synced().await.unwrap();
    c
}

// Draaiboek 3's steps: A, B (1-op-1), C.1, C.2 (proces in kaart, private), C.3 (rollen), …
const B: usize = 1;
const C2: usize = 3;
const C3: usize = 4;

/// A new session of draaiboek 3: its id, join code and facilitator token.
async fn draaiboek_3(f: &Fixture) -> (String, String, String) {
    let s = create(f, "bewoners-en-ambtenaren").await;
    let field = |k: &str| s[k].as_str().unwrap().to_owned();
    (field("id"), field("code"), field("facilitator_token"))
}

#[tokio::test]
async fn pairs_process_steps_and_a_map_carried_on_in_draaiboek_3() {
    let (f, _) = fixture().await;
    let (id, code, ft) = draaiboek_3(&f).await;
    let mut people = Vec::new();
    for (name, role) in [
        ("Anouk", "bewoner"),
        ("Bram", "initiatiefnemer"),
        ("Chris", "ambtenaar"),
        ("Dewi", "ambtenaar"),
    ] {
        let p = join(&f, &code, name, role).await.json();
        people.push((
            p["member_id"].as_str().unwrap().to_owned(),
            p["token"].as_str().unwrap().to_owned(),
        ));
    }
    let next = || async {
        let r = command(&f, &id, &ft, json!({ "action": "next" })).await;
        assert_eq!(r.status, 200, "{}", r.body);
    };

    // Pairs are made before the session starts; each pair's board says who is in it.
    let r = control(&f, &id, &people[0].1, json!({ "action": "make_pairs" })).await;
    assert_eq!(r.status, 403, "only the facilitator makes pairs");
    let r = control(&f, &id, &ft, json!({ "action": "make_pairs" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let pairs = r.json()["control"]["pairs"].clone();
    let pair_of = |m: &str| pairs[m].as_u64().unwrap() as u32;
    let anouk_pair = pair_of(&people[0].0);
    let r = control(
        &f,
        &id,
        &ft,
        json!({ "action": "name_pair", "pair": anouk_pair, "name": "Moestuin Noord" }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = command(&f, &id, &ft, json!({ "action": "start" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    next().await; // B. 1-op-1
    let mut own_pair = open(
        &f,
        &id,
        &format!("blok/{B}/groep/{anouk_pair}"),
        &people[0].1,
    )
    .await;
    own_pair
        .until("the pair written on its board", |c| {
            draaiboeken::board::read_pair(c.peer.doc()).members.len() == 2
        })
        .await
        .unwrap();
    let info = draaiboeken::board::read_pair(own_pair.peer.doc());
    assert_eq!(info.name.as_deref(), Some("Moestuin Noord"));
    assert!(info.members.iter().any(|(_, n)| n == "Anouk"));
    assert!(
        info.members
            .iter()
            .any(|(_, n)| n == "Chris" || n == "Dewi"),
        "{info:?}"
    );
    let other = if anouk_pair == 1 { 2 } else { 1 };
    SyncClient::refused_with(
        &url(&f, &id, &format!("blok/{B}/groep/{other}"), &people[0].1),
        403,
    )
    .await;
    own_pair.author = Some(people[0].0.clone());
    own_pair.add_note("s1", "Samen oogsten").await.unwrap();
    own_pair.round_trip().await.unwrap();

    // C.1: groups that mix roles; C.2: steps written privately, then revealed.
    next().await;
    let r = control(
        &f,
        &id,
        &ft,
        json!({ "action": "spread_groups", "count": 2 }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let groups = r.json()["control"]["groups"].clone();
    let group_of = |m: &str| groups[m].as_u64().unwrap() as u32;
    next().await; // C.2
    let (anouk, at) = people[0].clone();
    let g = group_of(&anouk);
    let mut own = open(&f, &id, &format!("blok/{C2}/eigen/{anouk}"), &at).await;
    own.author = Some(anouk.clone());
    own.add_note("p1", "Idee bedenken").await.unwrap();
    own.add_note("p2", "Subsidie aanvragen").await.unwrap();
    own.round_trip().await.unwrap();
    SyncClient::refused_with(&url(&f, &id, &format!("blok/{C2}/groep/{g}"), &at), 403).await;
    let r = control(&f, &id, &ft, json!({ "action": "reveal", "step": C2 })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // After the reveal the group arranges its steps: Anouk may write on the group's map.
    let mut map = open(&f, &id, &format!("blok/{C2}/groep/{g}"), &at).await;
    map.until("the revealed steps", |c| c.note_texts().len() == 2)
        .await
        .unwrap();
    let order = map.peer.doc().get_or_insert_map(draaiboeken::proces::ORDER);
    map.edit(|txn| {
        yrs::Map::insert(&order, txn, "p2", -1.0);
    })
    .await
    .unwrap();
    map.round_trip().await.unwrap();
    assert!(
        map.events
            .iter()
            .all(|e| !matches!(e, draaiboeken::sync::PeerEvent::PermissionDenied(_))),
        "a revealed process map is the group's to arrange"
    );

    // C.3 carries the map on, per group, with its order.
    next().await;
    let mut roles = open(&f, &id, &format!("blok/{C3}/groep/{g}"), &ft).await;
    roles
        .until("the carried map", |c| {
            draaiboeken::proces::read(c.peer.doc()).steps.len() == 2
        })
        .await
        .unwrap();
    let carried = draaiboeken::proces::read(roles.peer.doc());
    let texts: Vec<&str> = carried.steps.iter().map(|s| s.note.text.as_str()).collect();
    assert_eq!(texts, ["Subsidie aanvragen", "Idee bedenken"]);
    assert_eq!(carried.carried_from, Some(format!("blok/{C2}/groep/{g}")));
    // The other group's map stays its own (nothing of Anouk's there).
    let other_group = if g == 1 { 2 } else { 1 };
    let theirs = open(&f, &id, &format!("blok/{C3}/groep/{other_group}"), &ft).await;
    assert!(!theirs.note_texts().iter().any(|t| t == "Idee bedenken"));

    // No plenary round in this block: the command is refused with a reason.
    let r = control(&f, &id, &ft, json!({ "action": "plenary", "group": 1 })).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("plenary"), "{}", r.body);
}

#[tokio::test]
async fn steps_revealed_after_the_next_block_began_still_come_along() {
    let (f, _) = fixture().await;
    let (id, code, ft) = draaiboek_3(&f).await;
    let p = join(&f, &code, "Anouk", "bewoner").await.json();
    let (member, token) = (
        p["member_id"].as_str().unwrap().to_owned(),
        p["token"].as_str().unwrap().to_owned(),
    );
    let r = command(&f, &id, &ft, json!({ "action": "start" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    for _ in 0..C2 {
        let r = command(&f, &id, &ft, json!({ "action": "next" })).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let mut own = open(&f, &id, &format!("blok/{C2}/eigen/{member}"), &token).await;
    own.author = Some(member.clone());
    own.add_note("p1", "Idee bedenken").await.unwrap();
    own.round_trip().await.unwrap();
    // The facilitator moves on before revealing: C.3 has nothing to carry yet.
    let r = command(&f, &id, &ft, json!({ "action": "next" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut roles = open(&f, &id, &format!("blok/{C3}"), &ft).await;
    assert!(roles.note_texts().is_empty());
    assert!(!draaiboeken::proces::is_carried(roles.peer.doc()));
    let r = control(&f, &id, &ft, json!({ "action": "reveal", "step": C2 })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    roles
        .until("the revealed step carried into C.3", |c| {
            c.note_texts() == ["Idee bedenken"]
        })
        .await
        .unwrap();
}

//! Block boards over the sync protocol: private check-in words that reach nobody before the
//! reveal, boards that open and close with their block, locks, group boards, and the
//! facilitator's members document. Access is decided again, live, whenever the session moves.

use serde_json::{Value, json};
use werkmuur_tests::SyncClient;
use yrs::{Map, Transact};

use crate::sessions::{call, command, create, fixture, join};
use crate::support::Fixture;

pub(crate) async fn control(
    f: &Fixture,
    id: &str,
    token: &str,
    cmd: Value,
) -> werkmuur_tests::Response {
    call(
        f,
        "POST",
        &format!("/api/sessions/{id}/control"),
        Some(token),
        Some(cmd),
    )
    .await
}

pub(crate) struct Session {
    pub(crate) id: String,
    pub(crate) ft: String,
    /// (member id, token) per participant.
    pub(crate) people: Vec<(String, String)>,
}

impl Session {
    pub(crate) fn url(&self, f: &Fixture, doc: &str, token: &str) -> String {
        format!(
            "{}?token={token}",
            f.server.room_url(&format!("sessie/{}/{doc}", self.id))
        )
    }

    pub(crate) async fn open(&self, f: &Fixture, doc: &str, token: &str) -> SyncClient {
        let mut c = SyncClient::connect(&self.url(f, doc, token)).await.unwrap();
        c.author = self
            .people
            .iter()
            .find(|(_, t)| t == token)
            .map(|(m, _)| m.clone());
        c.synced().await.unwrap();
        c
    }

    pub(crate) async fn next(&self, f: &Fixture) {
        let r = command(f, &self.id, &self.ft, json!({ "action": "next" })).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

/// A session of draaiboek 1 with `names` joined and the agenda started.
pub(crate) async fn started(f: &Fixture, names: &[&str]) -> Session {
    let s = create(f, "ambtenaren").await;
    let (id, code, ft) = (
        s["id"].as_str().unwrap().to_owned(),
        s["code"].as_str().unwrap().to_owned(),
        s["facilitator_token"].as_str().unwrap().to_owned(),
    );
    let mut people = Vec::new();
    for name in names {
        let p = join(f, &code, name, "ambtenaar").await.json();
        people.push((
            p["member_id"].as_str().unwrap().to_owned(),
            p["token"].as_str().unwrap().to_owned(),
        ));
    }
    let r = command(f, &id, &ft, json!({ "action": "start" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    Session { id, ft, people }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn check_in_words_reach_nobody_before_the_reveal_and_everyone_after() {
    let (f, _) = fixture().await;
    let s = started(&f, &["Anouk", "Bram"]).await;
    s.next(&f).await; // B. Check-in, private.
    let ((a, at), (b, bt)) = (s.people[0].clone(), s.people[1].clone());

    // Before the check-in starts, nobody may write it; now Anouk writes hers privately.
    let mut anouk = s.open(&f, &format!("blok/1/eigen/{a}"), &at).await;
    anouk.add_note("w-a", "Nieuwsgierig").await.unwrap();
    anouk.round_trip().await.unwrap();

    // Bram can open neither her notes nor the board, and what he does get never carries her word.
    SyncClient::refused_with(&s.url(&f, &format!("blok/1/eigen/{a}"), &bt), 403).await;
    SyncClient::refused_with(&s.url(&f, "blok/1", &bt), 403).await;
    let mut bram = s.open(&f, &format!("blok/1/eigen/{b}"), &bt).await;
    let mut bram_agenda = s.open(&f, "agenda", &bt).await;
    bram.add_note("w-b", "kansen").await.unwrap();
    bram.round_trip().await.unwrap();
    // The facilitator's view of the board is empty until the reveal: nothing was copied.
    let mut console = s.open(&f, "blok/1", &s.ft).await;
    assert!(console.note_texts().is_empty());

    // The facilitator sees who has written (not what), to wait for everyone before the reveal.
    let w = call(
        &f,
        "GET",
        &format!("/api/sessions/{}/written", s.id),
        Some(&s.ft),
        None,
    )
    .await;
    assert_eq!(w.status, 200, "{}", w.body);
    assert_eq!(w.json()["written"], json!({ a.as_str(): 1, b.as_str(): 1 }));
    let w = call(
        &f,
        "GET",
        &format!("/api/sessions/{}/written", s.id),
        Some(&bt),
        None,
    )
    .await;
    assert_eq!(w.status, 403);

    // Only the facilitator reveals, and only a block that has started and is private.
    let r = control(&f, &s.id, &bt, json!({ "action": "reveal", "step": 1 })).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = control(&f, &s.id, &s.ft, json!({ "action": "reveal", "step": 5 })).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = control(&f, &s.id, &s.ft, json!({ "action": "reveal", "step": 0 })).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = control(&f, &s.id, &s.ft, json!({ "action": "reveal", "step": 1 })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["control"]["revealed"], json!([1]));

    bram_agenda
        .until("the reveal in the control document", |c| {
            let map = c.peer.doc().get_or_insert_map("agenda");
            let txn = c.peer.doc().transact();
            map.get(&txn, "control")
                .is_some_and(|v| v.to_string(&txn).contains("\"revealed\":[1]"))
        })
        .await
        .unwrap();
    assert!(
        !contains(&bram.received, "Nieuwsgierig")
            && !contains(&bram_agenda.received, "Nieuwsgierig"),
        "Anouk's word reached Bram before the reveal"
    );
    console
        .until("both words on the board", |c| c.note_texts().len() == 2)
        .await
        .unwrap();
    let notes = draaiboeken::board::read_notes(console.peer.doc());
    let by_a = notes.iter().find(|n| n.text == "Nieuwsgierig").unwrap();
    assert_eq!(
        by_a.author.as_deref(),
        Some(a.as_str()),
        "the author is the server's word"
    );

    // After the reveal the board is readable and the private notes are closed for writing.
    let board = s.open(&f, "blok/1", &bt).await;
    let mut texts = board.note_texts();
    texts.sort();
    assert_eq!(texts, ["Nieuwsgierig", "kansen"]);
    anouk.add_note("w-a2", "te laat").await.unwrap();
    anouk.denied().await.unwrap();

    // Revealing twice copies nothing twice.
    let r = control(&f, &s.id, &s.ft, json!({ "action": "reveal", "step": 1 })).await;
    assert_eq!(r.status, 200);
    let fresh = s.open(&f, "blok/1", &s.ft).await;
    assert_eq!(fresh.note_texts().len(), 2);
}

#[tokio::test]
async fn boards_open_and_close_with_their_block_locks_and_groups() {
    let (f, _) = fixture().await;
    let s = started(&f, &["Anouk", "Bram", "Chris", "Dewi"]).await;
    let (a, at) = s.people[0].clone();
    // Block C (regie) is still ahead: its board can't be opened yet.
    SyncClient::refused_with(&s.url(&f, "blok/2", &at), 403).await;
    s.next(&f).await;
    s.next(&f).await; // C. Regie: participants write on the board.
    let mut c = s.open(&f, "blok/2", &at).await;
    c.add_note("n1", "Vergunning aanvragen").await.unwrap();
    c.round_trip().await.unwrap();
    assert!(
        c.events
            .iter()
            .all(|e| !matches!(e, draaiboeken::sync::PeerEvent::PermissionDenied(_)))
    );

    // A lock makes the open connection read-only at once; unlocking opens it again.
    let r = control(
        &f,
        &s.id,
        &s.ft,
        json!({ "action": "lock", "step": 2, "locked": true }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    c.add_note("n2", "op slot").await.unwrap();
    c.denied().await.unwrap();
    let r = control(
        &f,
        &s.id,
        &s.ft,
        json!({ "action": "lock", "step": 2, "locked": false }),
    )
    .await;
    assert_eq!(r.status, 200);
    let mut c = s.open(&f, "blok/2", &at).await;
    c.add_note("n3", "weer open").await.unwrap();
    c.round_trip().await.unwrap();
    assert!(
        c.events
            .iter()
            .all(|e| !matches!(e, draaiboeken::sync::PeerEvent::PermissionDenied(_)))
    );

    // The next block (D, in groups) closes C's board for writing, live.
    s.next(&f).await;
    c.add_note("n4", "na afloop").await.unwrap();
    c.denied().await.unwrap();
    let texts = s.open(&f, "blok/2", &s.ft).await.note_texts();
    assert_eq!(texts, ["Vergunning aanvragen", "weer open"]);

    // Groups: two groups of two, with every member in one; a phone opens only its own group.
    let r = control(
        &f,
        &s.id,
        &s.ft,
        json!({ "action": "spread_groups", "count": 2 }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let groups = r.json()["control"]["groups"].clone();
    assert_eq!(groups.as_object().unwrap().len(), 4);
    let mine = groups[&a].as_u64().unwrap();
    let theirs = 3 - mine;
    let mut g = s.open(&f, &format!("blok/3/groep/{mine}"), &at).await;
    g.add_note("g1", "Juridische kennis").await.unwrap();
    g.round_trip().await.unwrap();
    SyncClient::refused_with(&s.url(&f, &format!("blok/3/groep/{theirs}"), &at), 403).await;
    // Moving Anouk to the other group closes her connection to the old one, with a reason.
    let r = control(
        &f,
        &s.id,
        &s.ft,
        json!({ "action": "assign_group", "member": a, "group": theirs }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (code, reason) = g.closed().await.unwrap().expect("a close frame");
    assert_eq!(code, draaiboeken::sync::CLOSE_NOT_ALLOWED);
    assert!(reason.contains("group"), "{reason}");
    s.open(&f, &format!("blok/3/groep/{theirs}"), &at).await;
}

#[tokio::test]
async fn the_facilitator_sees_who_is_online_and_participants_do_not_see_the_list() {
    let (f, _) = fixture().await;
    let s = started(&f, &["Anouk", "Bram"]).await;
    let (a, at) = s.people[0].clone();
    SyncClient::refused_with(&s.url(&f, "leden", &at), 403).await;
    let online = |c: &SyncClient| -> Vec<(String, bool)> {
        let map = c.peer.doc().get_or_insert_map("leden");
        let txn = c.peer.doc().transact();
        let mut list: Vec<Value> = map
            .iter(&txn)
            .map(|(_, v)| serde_json::from_str(&v.to_string(&txn)).unwrap())
            .collect();
        // Joined at the same (manual) time: by name within that.
        list.sort_by_key(|m| {
            (
                m["joined_at"].as_i64(),
                m["name"].as_str().map(str::to_owned),
            )
        });
        list.iter()
            .map(|m| (m["name"].as_str().unwrap().to_owned(), m["online"] == true))
            .collect()
    };
    let mut leden = s.open(&f, "leden", &s.ft).await;
    assert_eq!(
        online(&leden),
        [("Anouk".to_owned(), false), ("Bram".to_owned(), false)]
    );
    let phone = s.open(&f, "agenda", &at).await;
    // A phone that comes back with its replica (whose delete set the server already has) is
    // reading, not writing: no permission-denied for it.
    s.next(&f).await;
    let mut back = SyncClient::connect_with(&s.url(&f, "agenda", &at), phone.peer.doc().clone())
        .await
        .unwrap();
    back.synced().await.unwrap();
    back.round_trip().await.unwrap();
    assert!(
        back.events
            .iter()
            .all(|e| !matches!(e, draaiboeken::sync::PeerEvent::PermissionDenied(_))),
        "{:?}",
        back.events
    );
    back.close().await;
    leden
        .until("Anouk online", |c| online(c)[0].1)
        .await
        .unwrap();
    phone.close().await;
    leden
        .until("Anouk offline", |c| !online(c)[0].1)
        .await
        .unwrap();
    // A participant's view of the session lists only themselves.
    let v = call(
        &f,
        "GET",
        &format!("/api/sessions/{}", s.id),
        Some(&at),
        None,
    )
    .await
    .json();
    assert_eq!(v["members"].as_array().unwrap().len(), 1);
    assert_eq!(v["members"][0]["id"], a.as_str());
}

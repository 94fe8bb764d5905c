//! A session's end and deletion, replayed as the attacks of issue 16 tried them: after the
//! end the code admits no one and participants' tokens and connections stop; a deleted or
//! expired session is gone down to the bytes of the database's files; a copy of someone
//! else's post-it can't undo the facilitator's hide.

use std::path::Path;

use serde_json::json;
use werkmuur_tests::SyncClient;

use crate::boards::{Session, started};
use crate::sessions::{call, fixture, join};
use crate::support::{Fixture, start_with};

/// The bytes of the database's files (the database and its WAL).
fn raw_files(data_dir: &Path) -> Vec<u8> {
    ["werkmuur.sqlite3", "werkmuur.sqlite3-wal"]
        .iter()
        .flat_map(|f| std::fs::read(data_dir.join(f)).unwrap_or_default())
        .collect()
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// A started session of draaiboek 1 at its regie block (participants write on `blok/2`),
/// with `name` joined; their post-it `marker` is on the board and durable.
async fn written(f: &Fixture, name: &str, marker: &str) -> (Session, SyncClient) {
    let s = started(f, &[name]).await;
    s.next(f).await;
    s.next(f).await;
    let (_, token) = &s.people[0];
    let mut phone = s.open(f, "blok/2", token).await;
    phone.add_note("n1", marker).await.unwrap();
    let mut console = s.open(f, "blok/2", &s.ft).await;
    console
        .until("the marker", |c| c.note_texts().iter().any(|t| t == marker))
        .await
        .unwrap();
    // A command is stored through the storage worker after every update queued before it:
    // when it is answered, the post-it is in the files.
    let pause = json!({ "action": "pause" });
    assert_eq!(
        crate::sessions::command(f, &s.id, &s.ft, pause)
            .await
            .status,
        200
    );
    (s, phone)
}

/// The session's join code, as the facilitator sees it.
async fn code(f: &Fixture, s: &Session) -> String {
    let r = call(
        f,
        "GET",
        &format!("/api/sessions/{}", s.id),
        Some(&s.ft),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn after_the_end_the_code_admits_no_one_and_participants_are_out() {
    let f = start_with(|_| {}).await;
    let (s, mut phone) = written(&f, "Anouk", "Buurtkamer").await;
    let (_, token) = s.people[0].clone();
    let code = code(&f, &s).await;
    let mut console = s.open(&f, "blok/2", &s.ft).await;

    // A participant can't end it; the facilitator can.
    let end = format!("/api/sessions/{}/end", s.id);
    assert_eq!(call(&f, "POST", &end, Some(&token), None).await.status, 403);
    let r = call(&f, "POST", &end, Some(&s.ft), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["delete_at"].as_i64().is_some(), "{}", r.body);
    assert_eq!(call(&f, "POST", &end, Some(&s.ft), None).await.status, 410);

    // The phone's connection is closed, with the reason.
    let (close, reason) = phone.closed().await.unwrap().expect("a close frame");
    assert_eq!(close, draaiboeken::sync::CLOSE_NOT_ALLOWED);
    assert!(reason.contains("ended"), "{reason}");
    // Its token opens nothing any more, over HTTP or websocket.
    let own = call(
        &f,
        "GET",
        &format!("/api/sessions/{}", s.id),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(own.status, 410, "{}", own.body);
    SyncClient::refused_with(&s.url(&f, "agenda", &token), 403).await;
    // The code admits no one, and tells so.
    let late = join(&f, &code, "Laatkomer", "ambtenaar").await;
    assert_eq!(late.status, 410, "{}", late.body);
    assert_eq!(
        call(&f, "GET", &format!("/api/join/{code}"), None, None)
            .await
            .status,
        410
    );
    // The facilitator still reads the board, and writes nothing on it.
    assert_eq!(console.note_texts(), ["Buurtkamer"]);
    console.add_note("n9", "Na afloop").await.unwrap();
    console.denied().await.unwrap();
    let export = call(
        &f,
        "GET",
        &format!("/api/sessions/{}/export/notes.csv", s.id),
        Some(&s.ft),
        None,
    )
    .await;
    assert_eq!(export.status, 200);
    assert!(export.body.contains("Buurtkamer"));
}

#[tokio::test]
async fn an_organiser_deletes_a_session_and_nothing_of_it_is_left_in_the_files() {
    let f = start_with(|s| s.organiser_secret = Some("organiser-secret-0123456789".into())).await;
    let (marker, name) = ("Marker-7f3a-Buurtkamer", "Naam-c41e");
    let (s, mut phone) = written(&f, name, marker).await;
    let data = f.server.data_dir();
    assert!(holds(&raw_files(&data), marker), "the marker is stored");
    assert!(holds(&raw_files(&data), name), "the name is stored");

    let path = format!("/api/sessions/{}", s.id);
    let (_, token) = s.people[0].clone();
    assert_eq!(
        call(&f, "DELETE", &path, Some(&token), None).await.status,
        403
    );
    let r = call(
        &f,
        "DELETE",
        &path,
        Some("organiser-secret-0123456789"),
        None,
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);

    let (close, reason) = phone.closed().await.unwrap().expect("a close frame");
    assert_eq!(
        (close, reason.as_str()),
        (
            draaiboeken::sync::CLOSE_NOT_ALLOWED,
            "this session was deleted"
        )
    );
    assert_eq!(call(&f, "GET", &path, Some(&s.ft), None).await.status, 401);
    let bytes = raw_files(&data);
    assert!(!holds(&bytes, marker), "the post-it is gone from the files");
    assert!(!holds(&bytes, name), "the name is gone from the files");
}

#[tokio::test]
async fn a_session_ends_on_its_own_and_is_deleted_after_its_retention_period() {
    let clock = werkmuur_tests::ManualClock::new(1_800_000_000_000);
    let c = clock.clone();
    let f = start_with(move |s| {
        s.clock = c;
        s.sweep_every = std::time::Duration::from_millis(20);
        s.lifecycle.end_after_ms = 60_000;
    })
    .await;
    let (marker, name) = ("Marker-e01b-Speeltuin", "Naam-9d2f");
    let (s, mut phone) = written(&f, name, marker).await;
    // Past the last block's planned end and the grace after it: it ends on its own.
    clock.advance(24 * 60 * 60_000);
    let (_, reason) = phone.closed().await.unwrap().expect("a close frame");
    assert!(reason.contains("ended"), "{reason}");
    let mut console = s.open(&f, "blok/2", &s.ft).await;
    // Its retention period after the end: deleted, the facilitator's screen closed too.
    clock.advance(91 * draaiboeken::sessie::lifecycle::DAY_MS);
    let (_, reason) = console.closed().await.unwrap().expect("a close frame");
    assert_eq!(reason, "this session was deleted");
    let bytes = raw_files(&f.server.data_dir());
    assert!(!holds(&bytes, marker) && !holds(&bytes, name));
}

#[tokio::test]
async fn a_copy_under_someone_elses_id_is_refused_and_their_hidden_post_it_stays_hidden() {
    let f = start_with(|_| {}).await;
    let s = started(&f, &["Anouk", "Bram"]).await;
    s.next(&f).await;
    s.next(&f).await;
    let (anouk, bram) = (s.people[0].1.clone(), s.people[1].1.clone());
    let mut b = s.open(&f, "blok/2", &bram).await;
    b.add_note("n-bram", "Van Bram").await.unwrap();
    let mut console = s.open(&f, "blok/2", &s.ft).await;
    console
        .until("Bram's post-it", |c| c.note_texts().len() == 1)
        .await
        .unwrap();
    console
        .edit_doc(|d| draaiboeken::board::set_hidden(d, "n-bram", true))
        .await
        .unwrap();
    // Anouk posts a copy with Bram's id, to take it back with his post-it's `meta`.
    let mut a = s.open(&f, "blok/2", &anouk).await;
    a.until("the hide", |c| {
        draaiboeken::board::read(c.peer.doc()).notes[0].hidden
    })
    .await
    .unwrap();
    a.add_note("n-bram", "Kopie").await.unwrap();
    a.denied().await.unwrap();
    let fresh = s.open(&f, "blok/2", &s.ft).await;
    let board = draaiboeken::board::read(fresh.peer.doc());
    assert_eq!(board.notes.len(), 1, "{board:?}");
    assert!(board.notes[0].hidden);
}

#[tokio::test]
async fn a_removed_member_is_gone_from_boards_exports_and_files_their_notes_anonymous_or_gone() {
    let f = start_with(|_| {}).await;
    let (anouk, bram) = ("Naam-Anouk-81f0", "Naam-Bram-2c7d");
    let s = started(&f, &[anouk, bram]).await;
    s.next(&f).await;
    s.next(&f).await;
    let (a_id, a_token) = s.people[0].clone();
    let (b_id, b_token) = s.people[1].clone();
    let mut a = s.open(&f, "blok/2", &a_token).await;
    a.add_note("n-a", "Marker-blijft-4e1a").await.unwrap();
    let mut b = s.open(&f, "blok/2", &b_token).await;
    b.add_note("n-b", "Marker-gaat-9b3c").await.unwrap();
    let mut console = s.open(&f, "blok/2", &s.ft).await;
    console
        .until("both post-its", |c| c.note_texts().len() == 2)
        .await
        .unwrap();

    // A participant can't remove anyone; the facilitator can.
    let remove = |member: &str, notes: &str| {
        format!("/api/sessions/{}/members/{member}?notes={notes}", s.id)
    };
    let r = call(
        &f,
        "DELETE",
        &remove(&b_id, "deleted"),
        Some(&a_token),
        None,
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = call(&f, "DELETE", &remove(&a_id, "anonymous"), Some(&s.ft), None).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = call(&f, "DELETE", &remove(&b_id, "deleted"), Some(&s.ft), None).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let (close, _) = b.closed().await.unwrap().expect("a close frame");
    assert_eq!(close, draaiboeken::sync::CLOSE_NOT_ALLOWED);
    let own = call(
        &f,
        "GET",
        &format!("/api/sessions/{}", s.id),
        Some(&b_token),
        None,
    )
    .await;
    assert_eq!(own.status, 401, "{}", own.body);

    // Anouk's post-it stays without her name; Bram's is gone.
    let fresh = s.open(&f, "blok/2", &s.ft).await;
    let notes = draaiboeken::board::read_notes(fresh.peer.doc());
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(
        (notes[0].text.as_str(), notes[0].author.as_ref()),
        ("Marker-blijft-4e1a", None)
    );
    for file in ["session.json", "notes.csv", "report.md"] {
        let path = format!("/api/sessions/{}/export/{file}", s.id);
        let export = call(&f, "GET", &path, Some(&s.ft), None).await;
        assert_eq!(export.status, 200);
        assert!(
            !export.body.contains(anouk) && !export.body.contains(bram),
            "{file}"
        );
        assert!(!export.body.contains("Marker-gaat-9b3c"), "{file}");
    }
    let bytes = raw_files(&f.server.data_dir());
    for gone in [anouk, bram, "Marker-gaat-9b3c"] {
        assert!(!holds(&bytes, gone), "{gone} is still in the files");
    }
}

#[tokio::test]
/// A delete-only edit by the server reaches open replicas too (it moves no state vector).
async fn a_removed_members_name_leaves_the_open_consoles_at_once() {
    let (f, _) = fixture().await;
    let s = started(&f, &["Anouk", "Bram"]).await;
    let (b, _) = s.people[1].clone();
    let mut leden = s.open(&f, "leden", &s.ft).await;
    let has = |c: &SyncClient, m: &str| {
        use yrs::{Map, Transact};
        let map = c.peer.doc().get_or_insert_map("leden");
        map.get(&c.peer.doc().transact(), m).is_some()
    };
    assert!(has(&leden, &b));
    let r = call(
        &f,
        "DELETE",
        &format!("/api/sessions/{}/members/{b}?notes=anonymous", s.id),
        Some(&s.ft),
        None,
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.body);
    leden.until("gone", |c| !has(c, &b)).await.unwrap();
}

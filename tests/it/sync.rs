//! The sync endpoint over real websockets: convergence, offline merges, late joiners, restarts,
//! hostile input, read-only connections, awareness and keep-alives.

use std::sync::Arc;
use std::time::Duration;

use draaiboeken::board;
use draaiboeken::sync::{Access, wire};
use tokio_tungstenite::tungstenite::Message;
use werkmuur_server::{Authorize, Denied};
use werkmuur_tests::{SyncClient, local_edit};
use yrs::{Doc, Text, Transact};

use crate::support::{start, start_with};

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn connected(url: &str) -> SyncClient {
    let mut client = SyncClient::connect(url).await.expect("connects");
    client.synced().await.expect("syncs");
    client
}

#[tokio::test]
async fn two_clients_converge_on_concurrent_edits() {
    let fixture = start().await;
    let url = fixture.server.room_url("muur/ABC/wand");
    let mut a = connected(&url).await;
    let mut b = connected(&url).await;

    // Both edit before seeing the other's edit.
    a.add_note("a1", "Vertrouwen").await.unwrap();
    b.add_note("b1", "Tijd").await.unwrap();
    a.add_note("a2", "Samen eten").await.unwrap();

    a.until("b's note", |c| c.note_texts().len() == 3)
        .await
        .unwrap();
    b.until("a's notes", |c| c.note_texts().len() == 3)
        .await
        .unwrap();
    assert_eq!(a.note_texts(), b.note_texts(), "same order on both");
    assert_eq!(
        sorted(a.note_texts()),
        ["Samen eten", "Tijd", "Vertrouwen"].map(String::from)
    );
}

#[tokio::test]
async fn rooms_are_separate() {
    let fixture = start().await;
    let mut a = connected(&fixture.server.room_url("kamer/een")).await;
    let mut b = connected(&fixture.server.room_url("kamer/twee")).await;
    a.add_note("x", "alleen in een").await.unwrap();
    b.add_note("y", "alleen in twee").await.unwrap();
    a.round_trip().await.unwrap();
    b.round_trip().await.unwrap();
    // A third client in room one sees only room one's note.
    let c = connected(&fixture.server.room_url("kamer/een")).await;
    assert_eq!(c.note_texts(), ["alleen in een"]);
}

#[tokio::test]
async fn an_offline_client_merges_on_reconnect() {
    let fixture = start().await;
    let url = fixture.server.room_url("offline");
    let mut online = connected(&url).await;
    let mut leaver = connected(&url).await;
    online.add_note("1", "voor").await.unwrap();
    leaver
        .until("first note", |c| c.note_texts().len() == 1)
        .await
        .unwrap();

    // The leaver goes offline, keeping its document, and edits there.
    let doc: Doc = leaver.peer.doc().clone();
    leaver.close().await;
    let notes = board::notes_array(&doc);
    local_edit(&doc, |txn| {
        board::add_note(&notes, txn, "off", "offline geschreven")
    });
    online.add_note("2", "terwijl offline").await.unwrap();

    let mut back = SyncClient::connect_with(&url, doc).await.unwrap();
    back.until("both offline and online notes", |c| {
        c.note_texts().len() == 3
    })
    .await
    .unwrap();
    online
        .until("the offline note", |c| c.note_texts().len() == 3)
        .await
        .unwrap();
    assert_eq!(back.note_texts(), online.note_texts());
    assert!(
        online
            .note_texts()
            .contains(&"offline geschreven".to_owned())
    );
}

#[tokio::test]
async fn a_late_joiner_gets_a_multi_megabyte_document() {
    let fixture = start().await;
    let url = fixture.server.room_url("groot");
    let mut writer = connected(&url).await;
    // About 3 MB of text in 30 updates.
    let chunk = "werkmuur ".repeat(11_000);
    let text = writer.peer.doc().get_or_insert_text("lang");
    for _ in 0..30 {
        writer
            .edit(|txn| {
                let len = text.len(txn);
                text.insert(txn, len, &chunk);
            })
            .await
            .unwrap();
    }
    writer.round_trip().await.unwrap();
    let expected = chunk.len() * 30;
    assert!(expected > 2_900_000);

    let late = connected(&url).await;
    let text = late.peer.doc().get_or_insert_text("lang");
    let len = text.len(&late.peer.doc().transact()) as usize;
    assert_eq!(
        len, expected,
        "late joiner holds the whole document after sync step 2"
    );
}

#[tokio::test]
async fn restart_keeps_the_state() {
    let mut fixture = start().await;
    let url = fixture.server.room_url("blijft");
    let mut a = connected(&url).await;
    for i in 0..5 {
        a.add_note(&i.to_string(), &format!("briefje {i}"))
            .await
            .unwrap();
    }
    // Another client has seen all five, so the server has applied them.
    let mut b = connected(&url).await;
    b.until("five notes", |c| c.note_texts().len() == 5)
        .await
        .unwrap();
    let before = b.note_texts();
    drop((a, b));

    fixture.server.restart().await.unwrap();
    let c = connected(&fixture.server.room_url("blijft")).await;
    assert_eq!(c.note_texts(), before);
}

#[tokio::test]
async fn shutdown_folds_the_log_into_a_snapshot_without_losing_anything() {
    let mut fixture = start().await;
    let url = fixture.server.room_url("compact");
    let mut a = connected(&url).await;
    for i in 0..40 {
        a.add_note(&i.to_string(), &format!("n{i}")).await.unwrap();
    }
    a.round_trip().await.unwrap();
    drop(a);
    fixture.server.stop().await.unwrap();

    let db =
        rusqlite::Connection::open(fixture.server.data_dir().join("werkmuur.sqlite3")).unwrap();
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM doc_snapshots WHERE room = 'compact'"),
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM doc_updates WHERE room = 'compact'"),
        0
    );

    fixture.server.restart().await.unwrap();
    let c = connected(&fixture.server.room_url("compact")).await;
    let expected: Vec<String> = (0..40).map(|i| format!("n{i}")).collect();
    assert_eq!(c.note_texts(), expected);
}

#[tokio::test]
async fn after_a_crash_that_lost_updates_a_reconnecting_client_pushes_them_back() {
    let mut fixture = start().await;
    let url = fixture.server.room_url("crash");
    let mut client = connected(&url).await;
    client.add_note("1", "bewaard").await.unwrap();
    client.round_trip().await.unwrap();
    fixture.server.stop().await.unwrap();
    // Keep the data directory as it is now: what a crash would leave if the next update
    // never reached the disk.
    let data = fixture.server.data_dir();
    let before = data.with_extension("before-crash");
    copy_dir(&data, &before);

    fixture.server.restart().await.unwrap();
    let doc = client.peer.doc().clone();
    drop(client);
    let mut client = SyncClient::connect_with(&fixture.server.room_url("crash"), doc)
        .await
        .unwrap();
    client.synced().await.unwrap();
    client.add_note("2", "na de herstart").await.unwrap();
    client.round_trip().await.unwrap();
    let doc = client.peer.doc().clone();
    drop(client);
    fixture.server.stop().await.unwrap();

    // "Crash": the server comes back with the older data.
    std::fs::remove_dir_all(&data).unwrap();
    std::fs::rename(&before, &data).unwrap();
    fixture.server.restart().await.unwrap();
    let url = fixture.server.room_url("crash");
    assert_eq!(
        connected(&url).await.note_texts(),
        ["bewaard"],
        "the server lost note 2"
    );

    // The client that still has note 2 reconnects and pushes it back.
    let mut back = SyncClient::connect_with(&url, doc).await.unwrap();
    back.round_trip().await.unwrap();
    assert_eq!(
        connected(&url).await.note_texts(),
        ["bewaard", "na de herstart"]
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// Sends `message` from a fresh client and returns the close code the server answered with,
/// while `good` keeps editing and syncing.
async fn refused(url: &str, message: Message) -> (u16, String) {
    let mut bad = connected(url).await;
    bad.send_raw(message).await.unwrap();
    bad.closed()
        .await
        .unwrap()
        .expect("server closes with a code and reason")
}

#[tokio::test]
async fn malformed_truncated_and_oversized_frames_are_refused_while_others_carry_on() {
    let fixture = start_with(|s| s.limits.max_message_bytes = 64 << 10).await;
    let url = fixture.server.room_url("vijandig");
    let mut good = connected(&url).await;
    let mut watcher = connected(&url).await;

    let doc = Doc::new();
    let text = doc.get_or_insert_text("t");
    let valid_update = local_edit(&doc, |txn| text.insert(txn, 0, "hallo"));
    let full = wire::encode_update(&valid_update);
    let truncated = full[..full.len() - 3].to_vec();
    let mut garbage_update = vec![0u8, 2];
    wire::write_bytes(&mut garbage_update, &[0xff, 0xff, 0xff, 0x01, 0x02]);
    let mut huge_id_awareness = Vec::new();
    wire::write_var_u64(&mut huge_id_awareness, 1);
    wire::write_var_u64(&mut huge_id_awareness, 1 << 60);
    wire::write_var_u64(&mut huge_id_awareness, 1);
    wire::write_bytes(&mut huge_id_awareness, b"{}");

    let cases: Vec<(&str, Message, u16)> = vec![
        ("empty frame", Message::Binary(Vec::new().into()), 1002),
        ("unknown type", Message::Binary(vec![9, 1, 2].into()), 1002),
        ("truncated update", Message::Binary(truncated.into()), 1002),
        (
            "garbage update",
            Message::Binary(garbage_update.into()),
            1002,
        ),
        (
            "awareness client id over 53 bits",
            Message::Binary(wire::encode_awareness(&huge_id_awareness).into()),
            1002,
        ),
        (
            "invalid awareness JSON",
            Message::Binary(
                wire::encode_awareness(&wire::encode_awareness_entries([(5, 1, "{kapot")])).into(),
            ),
            1002,
        ),
        ("text frame", Message::Text("hallo".into()), 1003),
        (
            "oversized frame",
            Message::Binary(vec![0u8; 200 << 10].into()),
            1009,
        ),
    ];
    for (i, (name, message, code)) in cases.into_iter().enumerate() {
        let (got, reason) = refused(&url, message).await;
        assert_eq!(got, code, "{name}: close code (reason: {reason})");
        assert!(!reason.is_empty(), "{name}: a close reason is given");
        // The well-behaved clients still sync.
        let text = format!("na {name}");
        good.add_note(&i.to_string(), &text).await.unwrap();
        watcher
            .until("good client's note", |c| c.note_texts().contains(&text))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn updates_with_missing_predecessors_are_bounded() {
    let fixture = start_with(|s| s.limits.max_pending_bytes = 2_000).await;
    let url = fixture.server.room_url("gaten");
    // Updates that depend on an earlier update the server never gets.
    let doc = Doc::new();
    let text = doc.get_or_insert_text("t");
    local_edit(&doc, |txn| text.insert(txn, 0, "eerste"));
    let mut bad = connected(&url).await;
    for _ in 0..20 {
        let update = local_edit(&doc, |txn| text.insert(txn, 0, &"x".repeat(200)));
        // Once the server has closed the connection, sending fails; that's expected.
        if bad.send(&wire::encode_update(&update)).await.is_err() {
            break;
        }
    }
    let close = bad.closed().await.unwrap();
    let (code, reason) = close.expect("closed with a reason");
    assert_eq!(code, 1008, "{reason}");
    assert!(reason.contains("missing predecessors"), "{reason}");
    // The room still works.
    let mut good = connected(&url).await;
    good.add_note("1", "gaat door").await.unwrap();
    good.round_trip().await.unwrap();
    let other = connected(&url).await;
    assert_eq!(other.note_texts(), ["gaat door"]);
}

/// Rooms under `alleen-lezen/` are writable only with the token `schrijver`.
struct ReadOnlyRooms;

impl Authorize for ReadOnlyRooms {
    fn access(&self, room: &str, token: Option<&str>) -> Result<Access, Denied> {
        match (room.starts_with("alleen-lezen/"), token) {
            (_, Some("verboden")) => Err(Denied("this token is refused".into())),
            (true, Some("schrijver")) | (false, _) => Ok(Access::ReadWrite),
            (true, _) => Ok(Access::ReadOnly),
        }
    }
}

#[tokio::test]
async fn a_read_only_connection_has_its_updates_refused() {
    let fixture = start_with(|s| s.authorizer = Arc::new(ReadOnlyRooms)).await;
    let url = fixture.server.room_url("alleen-lezen/agenda");
    let mut writer = connected(&format!("{url}?token=schrijver")).await;
    let mut reader = connected(&url).await;

    reader.add_note("r", "mag niet").await.unwrap();
    reader.denied().await.unwrap();

    // The writer's edit reaches the reader; the reader's never reached anyone or the store.
    writer.add_note("w", "van de facilitator").await.unwrap();
    reader
        .until("writer's note", |c| {
            c.note_texts().contains(&"van de facilitator".to_owned())
        })
        .await
        .unwrap();
    let fresh = connected(&url).await;
    assert_eq!(fresh.note_texts(), ["van de facilitator"]);
    assert_eq!(writer.note_texts(), ["van de facilitator"]);

    // A refused token gets no websocket at all.
    SyncClient::refused_with(&format!("{url}?token=verboden"), 403).await;
}

#[tokio::test]
async fn awareness_is_shared_and_removed_when_a_connection_closes() {
    let fixture = start().await;
    let url = fixture.server.room_url("aanwezig");
    let mut a = connected(&url).await;
    let mut b = connected(&url).await;
    a.set_presence(Some(r#"{"naam":"Anouk"}"#)).await.unwrap();
    let a_id = a.peer.doc().client_id().get();
    b.until("a's presence", |c| c.peer.awareness().get(a_id).is_some())
        .await
        .unwrap();

    // A late joiner gets the current states right away.
    let mut c = connected(&url).await;
    c.until("a's presence", |c| c.peer.awareness().get(a_id).is_some())
        .await
        .unwrap();

    a.close().await;
    b.until("a's presence removed", |c| {
        c.peer.awareness().get(a_id).is_none()
    })
    .await
    .unwrap();
    c.until("a's presence removed", |c| {
        c.peer.awareness().get(a_id).is_none()
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_connection_cannot_remove_someone_elses_presence() {
    let fixture = start().await;
    let url = fixture.server.room_url("aanwezig2");
    let mut a = connected(&url).await;
    let mut b = connected(&url).await;
    a.set_presence(Some(r#"{"naam":"Anouk"}"#)).await.unwrap();
    let a_id = a.peer.doc().client_id().get();
    b.until("a's presence", |c| c.peer.awareness().get(a_id).is_some())
        .await
        .unwrap();
    // b claims a's id is gone, with a higher clock.
    let forged = wire::encode_awareness(&wire::encode_awareness_entries([(a_id, 99, "null")]));
    b.send(&forged).await.unwrap();
    // A late joiner still sees a.
    let mut c = connected(&url).await;
    c.until("a's presence", |c| c.peer.awareness().get(a_id).is_some())
        .await
        .unwrap();
}

#[tokio::test]
async fn idle_connections_get_keepalives() {
    let fixture = start_with(|s| s.keepalive = Duration::from_millis(200)).await;
    let mut idle = connected(&fixture.server.room_url("stil")).await;
    let before = idle.frames_by_type[wire::MSG_AWARENESS as usize];
    // Nothing else happens in the room: any awareness frame now is a keep-alive.
    idle.until("two keep-alives", |c| {
        c.frames_by_type[wire::MSG_AWARENESS as usize] >= before + 2
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn invalid_room_names_are_refused() {
    let fixture = start().await;
    for room in ["a%20b", "a/../b", "%C3%BC"] {
        SyncClient::refused_with(&fixture.server.room_url(room), 400).await;
    }
}

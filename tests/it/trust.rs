//! Trust over the wire: what a participant may not write never reaches anyone (proved on the
//! raw bytes another participant receives), and the limits that keep one client from wrecking a
//! session for the others.

use bytes::Bytes;
use draaiboeken::limit::Rate;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;
use werkmuur_tests::{ClientError, SyncClient};
use yrs::{Map, Transact};

use crate::boards::started;
use crate::sessions::{call, command, fixture};
use crate::support::{Fixture, start_with};

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn denied(c: &SyncClient) -> usize {
    c.events
        .iter()
        .filter(|e| matches!(e, draaiboeken::sync::PeerEvent::PermissionDenied(_)))
        .count()
}

/// A session of draaiboek 1 at its inzichten (post-its), with two participants.
async fn at_inzichten(f: &Fixture) -> (String, String, Vec<(String, String)>) {
    let s = started(f, &["Anouk", "Bram"]).await;
    for _ in 0..6 {
        s.next(f).await;
    }
    (s.id, s.ft, s.people)
}

async fn open(f: &Fixture, id: &str, token: &str, author: Option<&str>) -> SyncClient {
    let url = format!(
        "{}?token={token}",
        f.server.room_url(&format!("sessie/{id}/blok/6"))
    );
    let mut c = SyncClient::connect(&url).await.unwrap();
    c.author = author.map(str::to_owned);
    c.synced().await.unwrap();
    c
}

#[tokio::test]
async fn a_refused_write_is_neither_applied_nor_forwarded() {
    let (f, _) = fixture().await;
    let (id, ft, people) = at_inzichten(&f).await;
    let ((a, at), (b, bt)) = (people[0].clone(), people[1].clone());
    let mut bram = open(&f, &id, &bt, Some(&b)).await;
    bram.add_note("b1", "Van Bram").await.unwrap();
    bram.round_trip().await.unwrap();
    assert_eq!(denied(&bram), 0, "his own post-it is his to write");

    let mut anouk = open(&f, &id, &at, Some(&a)).await;
    anouk
        .until("Bram's post-it", |c| c.note_texts().len() == 1)
        .await
        .unwrap();
    // In Bram's name.
    anouk.author = Some(b.clone());
    anouk.add_note("a1", "VALS-IN-NAAM").await.unwrap();
    anouk.denied().await.unwrap();
    // Bram's post-it away, or hidden.
    let mut forger = open(&f, &id, &at, Some(&a)).await;
    forger
        .until("Bram's post-it", |c| c.note_texts().len() == 1)
        .await
        .unwrap();
    forger
        .edit_doc(|doc| draaiboeken::board::delete(doc, "b1"))
        .await
        .unwrap();
    forger.denied().await.unwrap();
    let mut hider = open(&f, &id, &at, Some(&a)).await;
    hider
        .edit_doc(|doc| draaiboeken::board::set_hidden(doc, "b1", true))
        .await
        .unwrap();
    hider.denied().await.unwrap();
    // A legitimate post-it after all that goes through, and reaches Bram: everything before it
    // has been handled.
    let mut honest = open(&f, &id, &at, Some(&a)).await;
    honest.add_note("a2", "Echt van Anouk").await.unwrap();
    bram.until("Anouk's real post-it", |c| c.note_texts().len() == 2)
        .await
        .unwrap();
    assert!(
        !contains(&bram.received, "VALS-IN-NAAM"),
        "the forged post-it reached Bram"
    );
    let console = open(&f, &id, &ft, None).await;
    let board = draaiboeken::board::read(console.peer.doc());
    let mut texts: Vec<&str> = board.notes.iter().map(|n| n.text.as_str()).collect();
    texts.sort();
    assert_eq!(texts, ["Echt van Anouk", "Van Bram"]);
    assert!(board.notes.iter().all(|n| !n.hidden));
}

#[tokio::test]
async fn a_flooding_connection_is_slowed_then_closed_and_the_others_carry_on() {
    let f = start_with(twenty_frames_a_second).await;
    let url = f.server.room_url("vloed");
    let mut calm = SyncClient::connect(&url).await.unwrap();
    calm.synced().await.unwrap();
    let mut flood = SyncClient::connect(&url).await.unwrap();
    flood.synced().await.unwrap();
    // Thirty within the rate's reach: slowed, none lost.
    for i in 0..30 {
        flood.add_note(&format!("f{i}"), "vloed").await.unwrap();
    }
    flood.round_trip().await.unwrap();
    calm.until("thirty post-its", |c| c.note_texts().len() == 30)
        .await
        .unwrap();
    // Hundreds more at once: more than a second behind, so the connection is closed.
    flood_until_closed(&mut flood, Flood::Notes).await;
    let throttling = &f.server.settings.throttling;
    assert!(throttling.frames_held_back() > 0);
    assert_eq!(throttling.connections_closed(), 1);
    // The calm client carries on.
    calm.add_note("c1", "rustig").await.unwrap();
    calm.round_trip().await.unwrap();
    let fresh = SyncClient::connect(&url).await.unwrap();
    let mut fresh = fresh;
    fresh.synced().await.unwrap();
    assert!(fresh.note_texts().contains(&"rustig".to_owned()));
}

#[tokio::test]
async fn pings_count_against_the_rate() {
    let f = start_with(twenty_frames_a_second).await;
    let mut pinger = SyncClient::connect(&f.server.room_url("ping"))
        .await
        .unwrap();
    pinger.synced().await.unwrap();
    flood_until_closed(&mut pinger, Flood::Pings).await;
}

/// A frame rate a test can go over: 20 a second, no more saved up, closed after 1 s over it.
fn twenty_frames_a_second(s: &mut werkmuur_server::Settings) {
    s.limits.budget.frames = Rate::new(20.0, 20.0);
    s.limits.budget.max_throttle_ms = 1_000;
}

enum Flood {
    Notes,
    Pings,
}

/// Sends 400 post-its or pings as fast as the socket takes them, then expects the server to
/// have closed the connection (1008) for going over its rate.
async fn flood_until_closed(client: &mut SyncClient, flood: Flood) {
    let mut closed = Ok(None);
    for i in 0..400 {
        let sent = match flood {
            Flood::Notes => client.add_note(&format!("g{i}"), "vloed").await,
            Flood::Pings => client.send_raw(Message::Ping(Bytes::new())).await,
        };
        if let Err(e) = sent {
            closed = Err(e);
            break;
        }
    }
    if closed.is_ok() {
        closed = client.closed().await;
    }
    match closed {
        Ok(Some((code, reason))) => {
            assert_eq!(code, 1008);
            assert!(reason.contains("too many messages"), "{reason}");
        }
        other => panic!("expected a close 1008, got {other:?}"),
    }
}

/// A stock client dragging a post-it: an update and a cursor (awareness) message 60 times a
/// second, under the server's default limits, is never held back.
#[tokio::test]
async fn a_drag_at_sixty_updates_a_second_is_never_held_back() {
    let f = start_with(|_| {}).await;
    let url = f.server.room_url("slepen");
    let mut watcher = SyncClient::connect(&url).await.unwrap();
    watcher.synced().await.unwrap();
    let mut dragger = SyncClient::connect(&url).await.unwrap();
    dragger.synced().await.unwrap();
    // The pace of the drag is what is tested, not a wait for something to happen.
    let mut frame = tokio::time::interval(std::time::Duration::from_micros(16_667));
    // A stalled test thread must not catch up in a burst no person's drag makes.
    frame.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let position = dragger.peer.doc().get_or_insert_map("drag");
    for i in 0..180 {
        frame.tick().await;
        dragger
            .edit(|txn| {
                position.insert(txn, "x", i as i64);
            })
            .await
            .unwrap();
        let cursor = format!(r#"{{"x":{i}}}"#);
        dragger.set_presence(Some(&cursor)).await.unwrap();
    }
    dragger.round_trip().await.unwrap();
    watcher
        .until("the end of the drag", |c| {
            c.peer
                .doc()
                .get_or_insert_map("drag")
                .get(&c.peer.doc().transact(), "x")
                .and_then(|v| v.cast::<i64>().ok())
                == Some(179)
        })
        .await
        .unwrap();
    assert_eq!(f.server.settings.throttling.frames_held_back(), 0);
    assert_eq!(f.server.settings.throttling.connections_closed(), 0);
}

#[tokio::test]
async fn one_address_gets_only_so_many_connections() {
    let f = start_with(|s| s.max_connections_per_address = 3).await;
    let url = f.server.room_url("zaal");
    let mut open = Vec::new();
    for _ in 0..3 {
        let mut c = SyncClient::connect(&url).await.unwrap();
        c.synced().await.unwrap();
        open.push(c);
    }
    SyncClient::refused_with(&url, 429).await;
    // The open ones still work.
    open[0].add_note("n1", "nog steeds").await.unwrap();
    open[1]
        .until("the post-it", |c| c.note_texts().len() == 1)
        .await
        .unwrap();
    // Plain HTTP is not counted.
    let r = call(&f, "GET", "/api/time", None, None).await;
    assert_eq!(r.status, 200);
    // A connection that ends gives its place back.
    open.pop().unwrap().close().await;
    let mut again = None;
    for _ in 0..100 {
        // The server counts the connection off when it has seen it close; try until then.
        match SyncClient::connect(&url).await {
            Ok(c) => {
                again = Some(c);
                break;
            }
            Err(ClientError::Ws(_)) => tokio::task::yield_now().await,
            Err(e) => panic!("{e}"),
        }
    }
    again.expect("a place again").synced().await.unwrap();
}

#[tokio::test]
async fn the_facilitator_link_can_be_made_anew_and_the_old_one_stops_at_once() {
    let (f, _) = fixture().await;
    let (id, ft, people) = at_inzichten(&f).await;
    let mut console = open(&f, &id, &ft, None).await;
    let rotate = |token: String| {
        let f = &f;
        let id = id.clone();
        async move {
            call(
                f,
                "POST",
                &format!("/api/sessions/{id}/rotate"),
                Some(&token),
                None,
            )
            .await
        }
    };
    assert_eq!(
        rotate(people[0].1.clone()).await.status,
        403,
        "not for participants"
    );
    let r = rotate(ft.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let fresh = r.json()["facilitator_token"].as_str().unwrap().to_owned();
    assert_ne!(fresh, ft);
    assert_eq!(
        r.json()["facilitator_url"],
        format!("/f/{id}#{fresh}"),
        "the token travels in the fragment"
    );
    // The old link: its open screen is closed, and it opens nothing any more.
    let (code, reason) = console.closed().await.unwrap().expect("a close frame");
    assert_eq!(code, draaiboeken::sync::CLOSE_NOT_ALLOWED);
    assert!(reason.contains("replaced"), "{reason}");
    let old = call(&f, "GET", &format!("/api/sessions/{id}"), Some(&ft), None).await;
    assert_eq!(old.status, 401);
    SyncClient::refused_with(
        &format!(
            "{}?token={ft}",
            f.server.room_url(&format!("sessie/{id}/blok/6"))
        ),
        403,
    )
    .await;
    // The new one steers, and participants carry on.
    let r = command(&f, &id, &fresh, json!({ "action": "pause" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut phone = open(&f, &id, &people[0].1, Some(&people[0].0)).await;
    phone.add_note("p1", "nog steeds hier").await.unwrap();
    phone.round_trip().await.unwrap();
    assert_eq!(denied(&phone), 0);
    phone.close().await;
    // A restart remembers which link is the one.
    let mut f = f;
    f.server.restart().await.unwrap();
    let get = |token: String| {
        let f = &f;
        let path = format!("/api/sessions/{id}");
        async move { call(f, "GET", &path, Some(&token), None).await.status }
    };
    assert_eq!(get(fresh.clone()).await, 200);
    assert_eq!(get(ft.clone()).await, 401);
}

#[tokio::test]
async fn a_session_has_a_bounded_number_of_documents_even_for_the_facilitator() {
    let (f, _) = fixture().await;
    let (id, ft, people) = at_inzichten(&f).await;
    let url = |doc: &str| {
        format!(
            "{}?token={ft}",
            f.server.room_url(&format!("sessie/{id}/{doc}"))
        )
    };
    for doc in [
        "blok/99".to_owned(),
        "blok/6/groep/0".to_owned(),
        format!("blok/6/groep/{}", draaiboeken::sessie::MAX_GROUPS + 1),
        "blok/1/eigen/niemand".to_owned(),
    ] {
        SyncClient::refused_with(&url(&doc), 403).await;
    }
    // What exists opens.
    let own = format!("blok/1/eigen/{}", people[0].0);
    for doc in ["blok/6", "blok/6/groep/2", own.as_str()] {
        let mut c = SyncClient::connect(&url(doc)).await.unwrap();
        c.synced().await.unwrap();
    }
}

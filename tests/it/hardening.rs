//! The attacks of issue 16 on connections, replayed against the real server: half-open and
//! idle HTTP connections are closed by the header-read timeout, and connections over the
//! server's cap are refused instead of taking its last file descriptors.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::start_with;

/// Longer than any timeout set here: a connection still open after it was not closed.
const PATIENCE: Duration = Duration::from_secs(10);

/// Reads until the server closes the connection; what it sent before.
async fn until_closed(tcp: &mut TcpStream) -> String {
    let mut got = Vec::new();
    tokio::time::timeout(PATIENCE, tcp.read_to_end(&mut got))
        .await
        .expect("the server closes the connection")
        .ok();
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn half_sent_and_idle_connections_are_closed_by_the_header_timeout() {
    let f = start_with(|s| s.header_read_timeout = Duration::from_millis(200)).await;
    let addr = f.server.addr;
    // Slowloris: half a request's headers, then nothing.
    let mut half = TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: werkmuur\r\nX-Slow: ")
        .await
        .unwrap();
    // A connection that never says anything.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    // A keep-alive connection after its answer.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: werkmuur\r\n\r\n")
        .await
        .unwrap();
    for tcp in [&mut half, &mut silent] {
        assert!(!until_closed(tcp).await.contains("200 OK"));
    }
    let answered = until_closed(&mut idle).await;
    assert!(answered.starts_with("HTTP/1.1 200 OK"), "{answered}");
    assert!(answered.ends_with("ok"), "{answered}");
}

#[tokio::test]
async fn connections_over_the_cap_are_refused_and_websockets_count() {
    let f = start_with(|s| s.max_connections = Some(2)).await;
    let addr = f.server.addr;
    // A websocket and an idle HTTP connection fill the cap.
    let _ws = werkmuur_tests::SyncClient::connect(&f.server.room_url("muur"))
        .await
        .unwrap();
    let _idle = TcpStream::connect(addr).await.unwrap();
    let mut over = TcpStream::connect(addr).await.unwrap();
    let answer = until_closed(&mut over).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("Retry-After: 10"), "{answer}");
}

#[tokio::test]
async fn guessing_tokens_and_the_organisers_secret_gets_429_even_for_a_right_one() {
    const SECRET: &str = "organisers-secret-4b1d9e";
    let f = start_with(|s| s.organiser_secret = Some(SECRET.into())).await;
    let list = |token: String| {
        let addr = f.server.addr;
        async move {
            let auth = format!("Bearer {token}");
            werkmuur_tests::http(
                addr,
                "GET",
                "/api/sessions",
                &[("Authorization", &auth)],
                None,
            )
            .await
            .unwrap()
        }
    };
    for i in 0..werkmuur_server::sessions::CODE_GUESSES_PER_WINDOW {
        let r = list(format!("guess-{i}")).await;
        assert_eq!(r.status, 401, "guess {i}: {}", r.body);
    }
    let r = list("one-guess-too-many".into()).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("Retry-After").is_some());
    // The right secret now waits too, so the answer can't confirm a guess; and so does a
    // websocket's token.
    assert_eq!(list(SECRET.into()).await.status, 429);
    let url = format!("{}?token=guess", f.server.room_url("sessie/x/agenda"));
    werkmuur_tests::SyncClient::refused_with(&url, 429).await;
}

#[tokio::test]
async fn creation_and_members_are_bounded() {
    let f = start_with(|s| s.sessions_per_address_per_hour = 3).await;
    // Sessions: three an hour from one address, then 429 with a reason.
    let mut created = Vec::new();
    for _ in 0..3 {
        created.push(crate::sessions::create(&f, "ambtenaren").await);
    }
    let body = serde_json::json!({ "draaiboek": "ambtenaren" });
    let r = crate::sessions::call_signed_in(&f, "POST", "/api/sessions", Some(body)).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("Retry-After").is_some());
    // Members: a session is full at its most, with a reason.
    let code = created[0]["code"].as_str().unwrap();
    for i in 0..draaiboeken::sessie::MAX_MEMBERS {
        let r = crate::sessions::join(&f, code, &format!("Lid {i}"), "ambtenaar").await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = crate::sessions::join(&f, code, "Een te veel", "ambtenaar").await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.json()["error"].as_str().unwrap().contains("full"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn open_rooms_are_bounded() {
    let f = start_with(|s| s.max_rooms = 2).await;
    // Open rooms: with two open, a third is closed at once (1013), the open ones still join.
    let _a = werkmuur_tests::SyncClient::connect(&f.server.room_url("muur/a"))
        .await
        .unwrap();
    let _b = werkmuur_tests::SyncClient::connect(&f.server.room_url("muur/b"))
        .await
        .unwrap();
    let mut c = werkmuur_tests::SyncClient::connect(&f.server.room_url("muur/c"))
        .await
        .unwrap();
    let (code, reason) = c.closed().await.unwrap().expect("a close frame");
    assert_eq!(code, 1013, "{reason}");
    let mut again = werkmuur_tests::SyncClient::connect(&f.server.room_url("muur/a"))
        .await
        .unwrap();
    again.synced().await.unwrap();
}

//! The server as a process of its own. Crash safety: the server is killed with SIGKILL at random
//! moments while participants write
//! post-its, and started again on the same data directory; the phones reconnect with the
//! replicas they kept. In the end every post-it any phone wrote is on the board, and stays
//! there after one more restart.
//!
//! Rounds: `WERKMUUR_CRASH_ROUNDS` (3 by default; the README's reliability section has the
//! long run's figures). The moments are random, from a seed printed in the log
//! (`WERKMUUR_CRASH_SEED` replays one).

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;

use draaiboeken::guard::MAX_NOTES_PER_MEMBER;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use werkmuur_tests::{ClientError, SyncClient, http};
use yrs::Doc;

/// The real server in its own process.
struct Process {
    child: Child,
    addr: SocketAddr,
}

impl Process {
    async fn start(data_dir: &std::path::Path) -> Process {
        Self::start_logging(data_dir, None).await
    }

    /// With `log`: everything it logs (at trace level) goes to that file.
    async fn start_logging(data_dir: &std::path::Path, log: Option<&std::path::Path>) -> Process {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_werkmuur-test-server"));
        cmd.arg(data_dir)
            .env("WERKMUUR_ORGANISER_SECRET", ORGANISER_SECRET)
            .stdout(Stdio::piped())
            .kill_on_drop(true);
        if let Some(log) = log {
            cmd.env("WERKMUUR_LOG", "trace")
                .stderr(std::fs::File::create(log).expect("log file"));
        }
        let mut child = cmd.spawn().expect("the test server starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(werkmuur_tests::PATIENCE, lines.next_line())
            .await
            .expect("the server says where it listens")
            .expect("stdout")
            .expect("a line");
        let port: u16 = line
            .strip_prefix("listening ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        Process {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        }
    }

    /// SIGKILL: no shutdown, no last write.
    async fn kill(mut self) {
        self.child.start_kill().expect("kill");
        let status = self.child.wait().await.expect("wait");
        assert!(!status.success(), "the server was killed, not stopped");
    }

    /// SIGTERM: a graceful stop, which stores everything.
    async fn terminate(mut self) {
        let pid = self.child.id().expect("running");
        let ok = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("kill(1)")
            .success();
        assert!(ok, "SIGTERM sent");
        let status = self.child.wait().await.expect("wait");
        assert!(status.success(), "a graceful stop: {status}");
    }

    async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Value) -> Value {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a));
        }
        let r = http(self.addr, method, path, &headers, Some(&body.to_string()))
            .await
            .expect("HTTP");
        assert!(r.status < 300, "{method} {path}: {} {}", r.status, r.body);
        r.json()
    }

    /// A new session of draaiboek 1: its id, join code and facilitator token.
    async fn create_session(&self) -> (String, String, String) {
        let s = self
            .call(
                "POST",
                "/api/sessions",
                Some(ORGANISER_SECRET),
                json!({ "draaiboek": "ambtenaren" }),
            )
            .await;
        let field = |k: &str| s[k].as_str().unwrap().to_owned();
        (field("id"), field("code"), field("facilitator_token"))
    }

    /// Joins `name` as a civil servant: member id and token.
    async fn join(&self, code: &str, name: &str) -> (String, String) {
        let p = self
            .call(
                "POST",
                &format!("/api/sessions/{code}/join"),
                None,
                json!({ "name": name, "role": "ambtenaar" }),
            )
            .await;
        let field = |k: &str| p[k].as_str().unwrap().to_owned();
        (field("member_id"), field("token"))
    }

    fn board_url(&self, session: &str, token: &str) -> String {
        format!(
            "ws://{}/sync/sessie/{session}/blok/{INZICHTEN}?token={token}",
            self.addr
        )
    }
}

/// The test server's organisers' secret, the way a tool starts sessions.
const ORGANISER_SECRET: &str = "het-geheim-van-de-crashtest";

/// Draaiboek 1's block F: post-its for everyone.
const INZICHTEN: usize = 6;

/// A small deterministic generator (xorshift), so a seed replays a run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A phone: on the session's board (a participant, whose writes the server checks, at most
/// [`MAX_NOTES_PER_MEMBER`] post-its), or on an open wall (no limit, so more to lose).
struct Phone {
    member: String,
    /// `None`: on the open wall.
    token: Option<String>,
    doc: Doc,
    written: usize,
}

impl Phone {
    fn url(&self, s: &Process, session: &str) -> String {
        match &self.token {
            Some(token) => s.board_url(session, token),
            None => format!("ws://{}/sync/{WALL}", s.addr),
        }
    }

    fn may_write(&self) -> bool {
        self.token.is_none() || self.written < MAX_NOTES_PER_MEMBER
    }
}

const WALL: &str = "crash-wall";

/// Writes post-its as fast as the connection takes them, reading what comes in between,
/// until the connection dies.
async fn write_until_killed(url: String, mut phone: Phone) -> Phone {
    let Ok(mut c) = SyncClient::connect_with(&url, phone.doc.clone()).await else {
        return phone;
    };
    c.author = Some(phone.member.clone());
    loop {
        if phone.may_write() {
            let id = format!("{}-{}", phone.member, phone.written);
            let sent = c.add_note(&id, &format!("briefje {}", phone.written)).await;
            // The note is in the replica whether or not the server got it.
            phone.written += 1;
            if sent.is_err() {
                break;
            }
        }
        match tokio::time::timeout(Duration::from_millis(4), c.pump()).await {
            Ok(Err(ClientError::Closed(_) | ClientError::Ws(_))) => break,
            Ok(Err(e)) => panic!("{e}"),
            _ => {}
        }
    }
    phone
}

fn note_ids(doc: &Doc) -> BTreeSet<String> {
    draaiboeken::board::read_notes(doc)
        .into_iter()
        .map(|n| n.id)
        .collect()
}

#[tokio::test]
async fn every_post_it_survives_the_server_being_killed_mid_write() {
    werkmuur_tests::init_tracing();
    let rounds: usize = std::env::var("WERKMUUR_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let seed: u64 = std::env::var("WERKMUUR_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    tracing::info!(seed, rounds, "crash test");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    // A session of draaiboek 1 at its inzichten, with four phones.
    let server = Process::start(&data).await;
    let (id, code, ft) = server.create_session().await;
    let mut phones = Vec::new();
    for name in ["Anouk", "Bram", "Chris", "Dewi"] {
        let (member, token) = server.join(&code, name).await;
        phones.push(Phone {
            member,
            token: Some(token),
            doc: Doc::new(),
            written: 0,
        });
    }
    for i in 0..4 {
        phones.push(Phone {
            member: format!("wall{i}"),
            token: None,
            doc: Doc::new(),
            written: 0,
        });
    }
    let agenda = format!("/api/sessions/{id}/agenda");
    server
        .call("POST", &agenda, Some(&ft), json!({ "action": "start" }))
        .await;
    for _ in 0..INZICHTEN {
        server
            .call("POST", &agenda, Some(&ft), json!({ "action": "next" }))
            .await;
    }

    let mut server = Some(server);
    for round in 0..rounds {
        let s = server.take().unwrap();
        let writers: Vec<_> = phones
            .drain(..)
            .map(|p| tokio::spawn(write_until_killed(p.url(&s, &id), p)))
            .collect();
        // A random moment: sometimes while phones still connect and resync, mostly mid-write.
        tokio::time::sleep(Duration::from_millis(20 + rng.below(400))).await;
        s.kill().await;
        for w in writers {
            phones.push(w.await.unwrap());
        }
        let total: usize = phones.iter().map(|p| p.written).sum();
        tracing::info!(round, total, "killed");
        server = Some(Process::start(&data).await);
    }

    // The phones come back once more and hand over what the server missed.
    let s = server.take().unwrap();
    let mut clients = Vec::new();
    for p in &phones {
        let mut c = SyncClient::connect_with(&p.url(&s, &id), p.doc.clone())
            .await
            .unwrap();
        c.synced().await.unwrap();
        c.round_trip().await.unwrap();
        clients.push(c);
    }
    // What each board should hold: every post-it its phones wrote.
    let expect = |on_wall: bool| -> BTreeSet<String> {
        phones
            .iter()
            .filter(|p| p.token.is_none() == on_wall)
            .flat_map(|p| note_ids(&p.doc))
            .collect()
    };
    let (session_notes, wall_notes) = (expect(false), expect(true));
    assert_eq!(
        session_notes.len() + wall_notes.len(),
        phones.iter().map(|p| p.written).sum::<usize>(),
        "each phone's replica holds what it wrote"
    );
    assert!(
        session_notes.len() > rounds && wall_notes.len() > rounds,
        "the phones got to write"
    );
    let check = |addr: SocketAddr| {
        let boards = [
            (
                format!("ws://{addr}/sync/sessie/{id}/blok/{INZICHTEN}?token={ft}"),
                session_notes.clone(),
            ),
            (format!("ws://{addr}/sync/{WALL}"), wall_notes.clone()),
        ];
        async move {
            for (url, written) in boards {
                let mut console = SyncClient::connect(&url).await.unwrap();
                console.synced().await.unwrap();
                let on_board = note_ids(console.peer.doc());
                let lost: Vec<&String> = written.difference(&on_board).collect();
                assert!(
                    lost.is_empty(),
                    "lost {} of {} post-its, e.g. {:?}",
                    lost.len(),
                    written.len(),
                    &lost[..lost.len().min(5)]
                );
                assert_eq!(on_board.len(), written.len(), "nothing made up");
            }
        }
    };
    check(s.addr).await;
    for c in clients {
        c.close().await;
    }
    // And what the server has now stays: a graceful stop, a new start, and it is all there.
    s.terminate().await;
    let s = Process::start(&data).await;
    check(s.addr).await;
    tracing::info!(
        rounds,
        notes = session_notes.len() + wall_notes.len(),
        lost = 0,
        "crash test passed"
    );
    s.kill().await;
}

#[tokio::test]
async fn tokens_never_reach_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let s = Process::start_logging(&dir.path().join("data"), Some(&log)).await;
    let (id, code, ft) = s.create_session().await;
    let (member, pt) = s.join(&code, "Anouk").await;
    // Tokens in headers, in websocket queries, right and wrong.
    s.call("GET", &format!("/api/sessions/{id}"), Some(&pt), json!({}))
        .await;
    s.call(
        "POST",
        &format!("/api/sessions/{id}/agenda"),
        Some(&ft),
        json!({ "action": "start" }),
    )
    .await;
    let mut agenda = SyncClient::connect(&format!(
        "ws://{}/sync/sessie/{id}/agenda?token={pt}",
        s.addr
    ))
    .await
    .unwrap();
    agenda.synced().await.unwrap();
    // A post-it's text goes through the websocket library, which logs frames at trace.
    let r = s
        .call(
            "POST",
            &format!("/api/sessions/{id}/agenda"),
            Some(&ft),
            json!({ "action": "next" }),
        )
        .await;
    assert_eq!(r["agenda"]["current"], 1, "{r}");
    let marker = "Logvrijmarker";
    let own = |token: &str| {
        format!(
            "ws://{}/sync/sessie/{id}/blok/1/eigen/{member}?token={token}",
            s.addr
        )
    };
    // The facilitator reads along, so the server also writes the post-it out in a frame.
    let mut console = SyncClient::connect(&own(&ft)).await.unwrap();
    console.synced().await.unwrap();
    let mut board = SyncClient::connect(&own(&pt)).await.unwrap();
    board.author = Some(member.clone());
    board.synced().await.unwrap();
    board.add_note("n1", marker).await.unwrap();
    console
        .until("the post-it", |c| c.note_texts() == [marker])
        .await
        .unwrap();
    board.close().await;
    console.close().await;
    let wrong = "wrong-token-0123456789abcdef";
    SyncClient::refused_with(
        &format!("ws://{}/sync/sessie/{id}/agenda?token={wrong}", s.addr),
        403,
    )
    .await;
    let r = http(
        s.addr,
        "GET",
        &format!("/api/sessions/{id}"),
        &[("Authorization", &format!("Bearer {wrong}"))],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 401);
    agenda.close().await;
    s.terminate().await;
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains(&id),
        "the log is written (and names the session)"
    );
    for secret in [ft.as_str(), pt.as_str(), wrong] {
        assert!(!logged.contains(secret), "a token is in the log");
    }
    // Nor is what was written: not as text, not as the hex of its bytes.
    let hex: String = marker.bytes().map(|b| format!("{b:02x}")).collect();
    assert!(!logged.contains(marker), "a post-it is in the log");
    assert!(!logged.contains(&hex), "a post-it is in the log, in hex");
}

#[tokio::test]
async fn every_response_carries_a_strict_content_security_policy_and_the_usual_headers() {
    let dir = tempfile::tempdir().unwrap();
    let s = Process::start(&dir.path().join("data")).await;
    for path in ["/", "/api/time", "/j/ABCDEF", "/no-such-file.js"] {
        let r = http(s.addr, "GET", path, &[], None).await.unwrap();
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(
            csp.contains("object-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(
            !csp.contains("unsafe-inline"),
            "{path}: no inline script or style"
        );
        for (name, value) in [
            ("x-content-type-options", "nosniff"),
            ("x-frame-options", "DENY"),
            ("referrer-policy", "no-referrer"),
            ("cross-origin-opener-policy", "same-origin"),
        ] {
            assert_eq!(r.header(name), Some(value), "{path}: {name}");
        }
        assert!(
            r.header("permissions-policy")
                .is_some_and(|p| p.contains("camera=()"))
        );
    }
    s.terminate().await;
}

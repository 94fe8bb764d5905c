//! Draaiboeken and sessions over HTTP, the agenda's control document over the sync protocol,
//! permissions, and a restart in the middle of a session. The server's clock is a
//! `ManualClock`, so timers are checked without waiting.

use std::sync::Arc;

use serde_json::{Value, json};
use werkmuur_tests::{ManualClock, Response, SyncClient, http};
use yrs::{Map, Transact};

use crate::support::{Fixture, start_with};

const T0: i64 = 1_800_000_000_000;
const MINUTE: i64 = 60_000;

pub async fn fixture() -> (Fixture, Arc<ManualClock>) {
    let clock = ManualClock::new(T0);
    let c = clock.clone();
    let fixture = start_with(move |s| s.clock = c).await;
    (fixture, clock)
}

pub async fn call(
    f: &Fixture,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Response {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(a) = &auth {
        headers.push(("Authorization", a));
    }
    let body = body.map(|b| b.to_string());
    http(f.server.addr, method, path, &headers, body.as_deref())
        .await
        .expect("HTTP request")
}

/// A request with the fixture's organiser's sign-in cookie, as their browser sends it.
pub async fn call_signed_in(
    f: &Fixture,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Response {
    let headers = [
        ("Content-Type", "application/json"),
        ("Cookie", f.cookie.as_str()),
    ];
    let body = body.map(|b| b.to_string());
    http(f.server.addr, method, path, &headers, body.as_deref())
        .await
        .expect("HTTP request")
}

/// A new session of `draaiboek`, started by the fixture's organiser.
pub async fn create(f: &Fixture, draaiboek: &str) -> Value {
    let body = json!({ "draaiboek": draaiboek });
    let r = call_signed_in(f, "POST", "/api/sessions", Some(body)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

pub async fn join(f: &Fixture, code: &str, name: &str, role: &str) -> Response {
    call(
        f,
        "POST",
        &format!("/api/sessions/{code}/join"),
        None,
        Some(json!({ "name": name, "role": role })),
    )
    .await
}

/// The session as the holder of `token` sees it (expects 200).
pub async fn session(f: &Fixture, id: &str, token: &str) -> Value {
    let r = call(f, "GET", &format!("/api/sessions/{id}"), Some(token), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

pub async fn command(f: &Fixture, id: &str, token: &str, cmd: Value) -> Response {
    call(
        f,
        "POST",
        &format!("/api/sessions/{id}/agenda"),
        Some(token),
        Some(cmd),
    )
    .await
}

#[tokio::test]
async fn draaiboeken_are_listed_with_nested_blocks() {
    let (f, _) = fixture().await;
    let r = call(&f, "GET", "/api/draaiboeken", None, None).await;
    assert_eq!(r.status, 200);
    let list = r.json();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ambtenaren", "bewoners", "bewoners-en-ambtenaren"]);

    let d = call(&f, "GET", "/api/draaiboeken/bewoners", None, None)
        .await
        .json();
    assert_eq!(d["total_minutes"], 125);
    let c = &d["blocks"][2];
    assert_eq!(
        (c["letter"].as_str(), c["minutes"].as_i64()),
        (Some("C"), Some(30))
    );
    let subs: Vec<(&str, i64, &str)> = c["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["letter"].as_str().unwrap(),
                b["minutes"].as_i64().unwrap(),
                b["werkvorm"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        subs,
        [
            ("C.1", 10, "post-its"),
            ("C.2", 10, "proces-in-kaart"),
            ("C.3", 10, "rollen")
        ]
    );

    let missing = call(&f, "GET", "/api/draaiboeken/bestaat-niet", None, None).await;
    assert_eq!(missing.status, 404);
    assert!(
        missing.json()["error"]
            .as_str()
            .unwrap()
            .contains("bestaat-niet")
    );
}

#[tokio::test]
async fn a_session_of_each_draaiboek_is_joined_by_code_and_stepped_through() {
    let (f, clock) = fixture().await;
    for (draaiboek, role, steps) in [
        ("ambtenaren", "ambtenaar", 8),
        ("bewoners", "bewoner", 10),
        ("bewoners-en-ambtenaren", "initiatiefnemer", 9),
    ] {
        let s = create(&f, draaiboek).await;
        let (id, code, ftoken) = (
            s["id"].as_str().unwrap(),
            s["code"].as_str().unwrap(),
            s["facilitator_token"].as_str().unwrap(),
        );
        assert_eq!(code.len(), 6);
        assert!(
            code.chars().all(|c| "ACDEFHJKMNPRTUVWXY34679".contains(c)),
            "{code}"
        );
        assert!(
            s["facilitator_url"]
                .as_str()
                .unwrap()
                .contains(&format!("#{ftoken}")),
            "token in the fragment"
        );

        // Typed on a phone: lower case, with a dash.
        let typed = format!("{}-{}", &code[..3], &code[3..]).to_lowercase();
        let info = call(&f, "GET", &format!("/api/join/{typed}"), None, None)
            .await
            .json();
        assert!(
            info["roles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["id"] == role)
        );
        let joined = join(&f, &typed, "Samira", role).await;
        assert_eq!(joined.status, 201, "{}", joined.body);
        let ptoken = joined.json()["token"].as_str().unwrap().to_owned();

        let view = session(&f, id, &ptoken).await;
        assert_eq!(view["you"]["kind"], "participant");
        assert_eq!(view["members"][0]["name"], "Samira");
        assert_eq!(view["steps"].as_array().unwrap().len(), steps);
        assert_eq!(view["agenda"]["current"], Value::Null);

        let v = command(&f, id, ftoken, json!({ "action": "start" }))
            .await
            .json();
        assert_eq!(v["agenda"]["current"], 0);
        let planned = v["agenda"]["steps"][0]["planned_ms"].as_i64().unwrap();
        // Step through every block, each taking two minutes.
        for i in 0..steps {
            clock.advance(2 * MINUTE);
            let v = session(&f, id, &ptoken).await;
            assert_eq!(v["agenda"]["current"], i, "{draaiboek}");
            if i == 0 {
                assert_eq!(
                    v["agenda"]["remaining_ms"].as_i64().unwrap(),
                    planned - 2 * MINUTE
                );
            }
            let v = command(&f, id, ftoken, json!({ "action": "next" })).await;
            assert_eq!(v.status, 200, "{}", v.body);
        }
        let v = session(&f, id, ftoken).await;
        assert_eq!(v["agenda"]["ended"], true);
        let actual: Vec<i64> = v["agenda"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["actual_ms"].as_i64().unwrap())
            .collect();
        assert_eq!(actual, vec![2 * MINUTE; steps], "{draaiboek}");
    }
}

#[tokio::test]
async fn timers_pause_extend_and_show_overrun_and_expected_end() {
    let (f, clock) = fixture().await;
    let s = create(&f, "ambtenaren").await;
    let (id, t) = (
        s["id"].as_str().unwrap(),
        s["facilitator_token"].as_str().unwrap(),
    );
    command(&f, id, t, json!({ "action": "start" })).await;
    clock.advance(MINUTE);
    command(&f, id, t, json!({ "action": "pause" })).await;
    clock.advance(10 * MINUTE);
    let v = command(&f, id, t, json!({ "action": "extend", "minutes": 5 }))
        .await
        .json();
    // Block A: 5 planned + 5 extended, 1 spent.
    assert_eq!(v["agenda"]["remaining_ms"], 9 * MINUTE);
    assert_eq!(v["agenda"]["running"], false);
    // Everything after A: 115 - 5 planned minutes.
    assert_eq!(
        v["agenda"]["expected_end_ms"],
        T0 + 11 * MINUTE + 9 * MINUTE + 110 * MINUTE
    );
    let again = command(&f, id, t, json!({ "action": "pause" })).await;
    assert_eq!(again.status, 409);
    assert!(
        again.json()["error"]
            .as_str()
            .unwrap()
            .contains("already paused")
    );
    command(&f, id, t, json!({ "action": "resume" })).await;
    clock.advance(12 * MINUTE);
    let v = session(&f, id, t).await;
    assert_eq!(v["agenda"]["remaining_ms"], -3 * MINUTE);
    assert_eq!(v["agenda"]["overrun"], true);
    let bad = command(&f, id, t, json!({ "action": "extend", "minutes": 500 })).await;
    assert_eq!(bad.status, 409);
}

#[tokio::test]
async fn permissions_are_refused_with_a_reason() {
    let (f, _) = fixture().await;
    let a = create(&f, "ambtenaren").await;
    let b = create(&f, "bewoners").await;
    let (id, code) = (a["id"].as_str().unwrap(), a["code"].as_str().unwrap());
    let p = join(&f, code, "Joost", "ambtenaar").await.json();
    let ptoken = p["token"].as_str().unwrap();

    let r = command(&f, id, ptoken, json!({ "action": "start" })).await;
    assert_eq!(r.status, 403);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("only the facilitator")
    );

    let other = b["facilitator_token"].as_str().unwrap();
    let r = call(&f, "GET", &format!("/api/sessions/{id}"), Some(other), None).await;
    assert_eq!(r.status, 403, "another session's facilitator");

    let r = call(&f, "GET", &format!("/api/sessions/{id}"), None, None).await;
    assert_eq!(r.status, 401);
    assert!(r.json()["error"].as_str().unwrap().contains("Bearer"));
    let r = call(
        &f,
        "GET",
        &format!("/api/sessions/{id}"),
        Some("geraden"),
        None,
    )
    .await;
    assert_eq!(r.status, 401);

    let r = join(&f, "ZZZZZZ", "Joost", "ambtenaar").await;
    assert_eq!(r.status, 404);
    let r = join(&f, code, "Joost", "koning").await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["code"], "role", "screens say it in their language");
    assert!(
        r.json()["error"].as_str().unwrap().contains("ambtenaar"),
        "lists the roles"
    );
    let r = join(&f, code, "", "ambtenaar").await;
    assert_eq!(r.status, 422);
    let r = join(&f, code, &"x".repeat(41), "ambtenaar").await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["code"], "name");

    let r = http(
        f.server.addr,
        "POST",
        "/api/sessions",
        &[("Content-Type", "application/json"), ("Cookie", &f.cookie)],
        Some("{\"draaiboek\":"),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].is_string(), "JSON error body: {}", r.body);
    let r = call_signed_in(
        &f,
        "POST",
        "/api/sessions",
        Some(json!({ "draaiboek": "ambtenaren", "extra": 1 })),
    )
    .await;
    assert_eq!(r.status, 400);
    let r = call(&f, "GET", "/api/bestaat-niet", None, None).await;
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].as_str().unwrap().contains("openapi"));
}

pub(crate) fn agenda_state(c: &SyncClient) -> Option<Value> {
    let map = c.peer.doc().get_or_insert_map("agenda");
    let txn = c.peer.doc().transact();
    let state = map.get(&txn, "state")?;
    Some(serde_json::from_str(&state.to_string(&txn)).unwrap())
}

#[tokio::test]
async fn the_agenda_document_is_read_only_for_participants_and_live() {
    let (f, clock) = fixture().await;
    let s = create(&f, "bewoners").await;
    let (id, code, ft) = (
        s["id"].as_str().unwrap(),
        s["code"].as_str().unwrap(),
        s["facilitator_token"].as_str().unwrap(),
    );
    let p = join(&f, code, "Fatima", "bewoner").await.json();
    let pt = p["token"].as_str().unwrap();
    let room = format!("sessie/{id}/agenda");

    // Without a token, or with another session's, no websocket.
    for url in [
        f.server.room_url(&room),
        format!("{}?token=onzin", f.server.room_url(&room)),
    ] {
        SyncClient::refused_with(&url, 403).await;
    }

    let mut phone = SyncClient::connect(&format!("{}?token={pt}", f.server.room_url(&room)))
        .await
        .unwrap();
    phone.synced().await.unwrap();
    assert_eq!(
        agenda_state(&phone).unwrap()["current"],
        Value::Null,
        "published at creation"
    );

    // The facilitator starts; the phone sees it live.
    clock.advance(MINUTE);
    command(&f, id, ft, json!({ "action": "start" })).await;
    phone
        .until("the start", |c| {
            agenda_state(c).is_some_and(|s| s["current"] == 0)
        })
        .await
        .unwrap();
    assert_eq!(agenda_state(&phone).unwrap()["running_since"], T0 + MINUTE);

    // The phone's own write to the agenda is refused and reaches nobody.
    let map = phone.peer.doc().get_or_insert_map("agenda");
    phone
        .edit(|txn| {
            map.insert(txn, "state", "{\"gekaapt\":true}");
        })
        .await
        .unwrap();
    phone.denied().await.unwrap();
    let mut fresh = SyncClient::connect(&format!("{}?token={ft}", f.server.room_url(&room)))
        .await
        .unwrap();
    fresh.synced().await.unwrap();
    assert_eq!(agenda_state(&fresh).unwrap()["current"], 0);

    // The old single wall is gone: boards belong to blocks now (see boards.rs).
    SyncClient::refused_with(
        &format!(
            "{}?token={pt}",
            f.server.room_url(&format!("sessie/{id}/wand"))
        ),
        403,
    )
    .await;
}

#[tokio::test]
async fn own_draaiboeken_are_validated_saved_and_kept() {
    let (mut f, _) = fixture().await;
    let upload = |body: String| {
        let (addr, cookie) = (f.server.addr, f.cookie.clone());
        async move {
            http(
                addr,
                "POST",
                "/api/draaiboeken",
                &[("Content-Type", "text/plain"), ("Cookie", &cookie)],
                Some(&body),
            )
            .await
            .unwrap()
        }
    };
    let bad = upload("id = \"eigen\"\ntitle = \"Eigen\"\n\n[[blocks]]\nletter = \"A\"\nminutes = 5\nwerkvorm = \"brainstorm\"\n".into()).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let problems = bad.json()["problems"].as_array().unwrap().clone();
    assert!(
        problems
            .iter()
            .any(|p| p["field"] == "blocks[0].werkvorm" && p["line"] == 7),
        "{problems:?}"
    );

    let good = draaiboeken::draaiboek::BUILTIN_SOURCES[0]
        .1
        .replace("id = \"ambtenaren\"", "id = \"eigen-sessie\"");
    let r = upload(good.clone()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let clash = upload(draaiboeken::draaiboek::BUILTIN_SOURCES[0].1.to_owned()).await;
    assert_eq!(clash.status, 409);

    f.server.restart().await.unwrap();
    let r = call(&f, "GET", "/api/draaiboeken/eigen-sessie", None, None).await;
    assert_eq!(r.status, 200, "kept across a restart");
    assert_eq!(r.json()["builtin"], false);
    create(&f, "eigen-sessie").await;
}

#[tokio::test]
async fn a_restart_mid_session_brings_everything_back_with_the_timer_still_running() {
    let (mut f, clock) = fixture().await;
    let s = create(&f, "bewoners-en-ambtenaren").await;
    let (id, code, ft) = (
        s["id"].as_str().unwrap().to_owned(),
        s["code"].as_str().unwrap().to_owned(),
        s["facilitator_token"].as_str().unwrap().to_owned(),
    );
    let pt = join(&f, &code, "Kees", "ambtenaar").await.json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    join(&f, &code, "Ayse", "bewoner").await;
    command(&f, &id, &ft, json!({ "action": "start" })).await;
    clock.advance(4 * MINUTE);
    command(&f, &id, &ft, json!({ "action": "next" })).await;
    clock.advance(MINUTE);
    let before = session(&f, &id, &pt).await;
    assert_eq!(before["agenda"]["current"], 1);
    let r = call(
        &f,
        "POST",
        &format!("/api/sessions/{id}/control"),
        Some(&ft),
        Some(json!({ "action": "spread_groups", "count": 2 })),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    f.server.stop().await.unwrap();
    // Three minutes pass while the server is down.
    clock.advance(3 * MINUTE);
    f.server.restart().await.unwrap();

    let after = session(&f, &id, &ft).await;
    assert_eq!(after["code"], code.as_str());
    assert_eq!(after["agenda"]["current"], 1);
    assert_eq!(after["agenda"]["running"], true);
    let names: Vec<&str> = after["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Kees", "Ayse"]);
    assert_eq!(session(&f, &id, &pt).await["members"][0]["name"], "Kees");
    assert_eq!(
        after["control"]["groups"].as_object().unwrap().len(),
        2,
        "the facilitator's groups are kept"
    );
    // Block B (10 min) has run 1 minute before and 3 during the outage.
    assert_eq!(after["agenda"]["remaining_ms"], 6 * MINUTE);
    assert_eq!(after["agenda"]["steps"][0]["actual_ms"], 4 * MINUTE);
    // The facilitator's token still steers; joining still works.
    let v = command(&f, &id, &ft, json!({ "action": "next" })).await;
    assert_eq!(v.status, 200);
    assert_eq!(join(&f, &code, "Nieuw", "bewoner").await.status, 201);
}

#[tokio::test]
async fn join_codes_cannot_be_guessed_from_one_address() {
    let (f, clock) = fixture().await;
    let s = create(&f, "bewoners").await;
    let code = s["code"].as_str().unwrap().to_owned();
    // Someone tries codes: each wrong one is a plain 404, until the address has used its tries.
    let wrong = |i: u32| format!("ZZ{i:04}");
    for i in 0..werkmuur_server::sessions::CODE_GUESSES_PER_WINDOW {
        let r = call(&f, "GET", &format!("/api/join/{}", wrong(i)), None, None).await;
        assert_eq!(r.status, 404, "{}", r.body);
    }
    let r = call(&f, "GET", "/api/join/ZZ9999", None, None).await;
    assert_eq!(r.status, 429, "{}", r.body);
    let wait: i64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(wait > 0 && wait <= 600, "retry after {wait} s");
    assert!(r.body.contains("try again"), "{}", r.body);
    // Even the right code waits now: the answer must not tell a right guess from a wrong one.
    let r = join(&f, &code, "Eva", "bewoner").await;
    assert_eq!(r.status, 429, "{}", r.body);
    // After the window the address may join again.
    clock.advance(werkmuur_server::sessions::CODE_GUESS_WINDOW_MS);
    let r = join(&f, &code, "Eva", "bewoner").await;
    assert_eq!(r.status, 201, "{}", r.body);
}

//! The room's screen as a role of its own: the console gives a projector code, the venue's
//! computer types it, and that screen reads what the room may see and nothing else.

use serde_json::{Value, json};
use werkmuur_tests::SyncClient;

use crate::boards::{Session, control, started};
use crate::sessions::{call, call_signed_in, fixture};
use crate::support::Fixture;

async fn link(f: &Fixture, id: &str, token: Option<&str>) -> (u16, Value) {
    let r = call(
        f,
        "GET",
        &format!("/api/sessions/{id}/projector"),
        token,
        None,
    )
    .await;
    let body = if r.status == 200 {
        r.json()
    } else {
        Value::Null
    };
    (r.status, body)
}

async fn pair(f: &Fixture, code: &str) -> (u16, Value) {
    let r = call(
        f,
        "POST",
        "/api/projector",
        None,
        Some(json!({ "code": code })),
    )
    .await;
    let body = if r.status == 200 {
        r.json()
    } else {
        Value::Null
    };
    (r.status, body)
}

async fn denied_with(s: &Session, f: &Fixture, doc: &str, token: &str) {
    SyncClient::refused_with(&s.url(f, doc, token), 403).await;
}

#[tokio::test]
async fn a_screen_with_the_projector_code_reads_what_the_room_sees_and_nothing_more() {
    let (f, _) = fixture().await;
    let s = started(&f, &["Anouk", "Bram"]).await;
    let (a, at) = s.people[0].clone();

    // Who may see the code: the facilitator and the organiser, not a participant or anyone.
    assert_eq!(link(&f, &s.id, None).await.0, 401);
    assert_eq!(link(&f, &s.id, Some(&at)).await.0, 403);
    let (status, l) = link(&f, &s.id, Some(&s.ft)).await;
    assert_eq!(status, 200);
    let code = l["code"].as_str().unwrap().to_owned();
    let by_organiser = call_signed_in(
        &f,
        "GET",
        &format!("/api/sessions/{}/projector", s.id),
        None,
    )
    .await;
    assert_eq!(by_organiser.status, 200, "{}", by_organiser.body);
    assert_eq!(by_organiser.json()["code"], code.as_str());

    // The venue's computer types it, as people do: lower case, a space for the dash.
    assert_eq!(pair(&f, "ZZZZ-ZZZZ").await.0, 404);
    let (status, p) = pair(&f, &code.to_lowercase().replace('-', " ")).await;
    assert_eq!(status, 200);
    assert_eq!(p["session_id"], s.id.as_str());
    let pt = p["token"].as_str().unwrap().to_owned();
    assert_eq!(l["token"], pt.as_str());
    assert_eq!(l["projector_url"], format!("/p/{}#{pt}", s.id));

    // It sees the session without its members, and steers nothing.
    let view = call(
        &f,
        "GET",
        &format!("/api/sessions/{}", s.id),
        Some(&pt),
        None,
    )
    .await;
    assert_eq!(view.status, 200, "{}", view.body);
    let view = view.json();
    assert_eq!(view["you"]["kind"], "projector");
    assert_eq!(view["members"], json!([]));
    assert_eq!(
        control(
            &f,
            &s.id,
            &pt,
            json!({ "action": "show_code", "show": true })
        )
        .await
        .status,
        403
    );
    for (method, path) in [
        ("POST", "agenda"),
        ("POST", "rotate"),
        ("GET", "written"),
        ("GET", "projector"),
        ("POST", "end"),
        ("GET", "export/verslag.html"),
    ] {
        let body = (method == "POST").then(|| json!({ "action": "next" }));
        let r = call(
            &f,
            method,
            &format!("/api/sessions/{}/{path}", s.id),
            Some(&pt),
            body,
        )
        .await;
        assert_eq!(r.status, 403, "{method} {path}: {}", r.body);
    }
    let r = call(
        &f,
        "DELETE",
        &format!("/api/sessions/{}", s.id),
        Some(&pt),
        None,
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);

    // The check-in: nothing before the reveal, not anyone's own words, not the members.
    s.next(&f).await;
    let mut anouk = s.open(&f, &format!("blok/1/eigen/{a}"), &at).await;
    anouk.add_note("w-a", "Nieuwsgierig").await.unwrap();
    anouk.round_trip().await.unwrap();
    denied_with(&s, &f, "blok/1", &pt).await;
    denied_with(&s, &f, &format!("blok/1/eigen/{a}"), &pt).await;
    denied_with(&s, &f, "leden", &pt).await;
    denied_with(&s, &f, "blok/2", &pt).await;
    let r = control(&f, &s.id, &s.ft, json!({ "action": "reveal", "step": 1 })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut screen = s.open(&f, "blok/1", &pt).await;
    screen
        .until("the revealed word", |c| c.note_texts() == ["Nieuwsgierig"])
        .await
        .unwrap();
    // What it writes is refused, and reaches no one.
    screen.add_note("p-1", "VAN-HET-SCHERM").await.unwrap();
    screen.denied().await.unwrap();
    let console = s.open(&f, "blok/1", &s.ft).await;
    assert!(!console.note_texts().iter().any(|t| t == "VAN-HET-SCHERM"));

    // A new facilitator link replaces the projector's too: its screen closes, the old code and
    // token open nothing, and the new code works.
    let r = call(
        &f,
        "POST",
        &format!("/api/sessions/{}/rotate", s.id),
        Some(&s.ft),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let fresh = r.json()["facilitator_token"].as_str().unwrap().to_owned();
    let (_, reason) = screen.closed().await.unwrap().expect("a close frame");
    assert!(reason.contains("replaced"), "{reason}");
    assert_eq!(pair(&f, &code).await.0, 404);
    let old = call(
        &f,
        "GET",
        &format!("/api/sessions/{}", s.id),
        Some(&pt),
        None,
    )
    .await;
    assert_eq!(old.status, 401);
    let (_, l2) = link(&f, &s.id, Some(&fresh)).await;
    assert_ne!(l2["code"], code.as_str());
    let (status, p2) = pair(&f, l2["code"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    let pt2 = p2["token"].as_str().unwrap().to_owned();

    // A restart keeps the code; the end of the session closes the screen out.
    let mut f = f;
    f.server.restart().await.unwrap();
    assert_eq!(pair(&f, l2["code"].as_str().unwrap()).await.0, 200);
    let r = call(
        &f,
        "POST",
        &format!("/api/sessions/{}/end", s.id),
        Some(&fresh),
        Some(json!({})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after = call(
        &f,
        "GET",
        &format!("/api/sessions/{}", s.id),
        Some(&pt2),
        None,
    )
    .await;
    assert_eq!(after.status, 410, "{}", after.body);
    assert_eq!(pair(&f, l2["code"].as_str().unwrap()).await.0, 410);
}

#[tokio::test]
async fn projector_codes_cannot_be_guessed_from_one_address() {
    let (f, _) = fixture().await;
    let s = started(&f, &[]).await;
    let (_, l) = link(&f, &s.id, Some(&s.ft)).await;
    let mut refused = 0;
    let mut statuses = Vec::new();
    for i in 0..120 {
        let (status, _) = pair(&f, &format!("AAAA{i:04}")).await;
        statuses.push(status);
        if status == 429 {
            refused += 1;
        }
    }
    assert!(statuses[..100].iter().all(|s| *s == 404), "{statuses:?}");
    assert_eq!(refused, 20, "{statuses:?}");
    // Even the right code waits now: the answer must not tell a right guess from a wrong one.
    assert_eq!(pair(&f, l["code"].as_str().unwrap()).await.0, 429);
}

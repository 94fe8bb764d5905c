//! Handing a session to another account, and opening its console from an account instead of
//! the facilitator link (issue #16: "facilitator: the sessions they run, or were handed").

use serde_json::{Value, json};
use werkmuur_server::accounts::Role;
use werkmuur_tests::SyncClient;

use crate::accounts::{create_as, list, send};
use crate::sessions::{agenda_state, call, command, create};
use crate::support::{Fixture, PASSWORD, add_account, sign_in, start};

async fn open_console(f: &Fixture, id: &str, cookie: &str) -> (u16, String) {
    let path = format!("/api/sessions/{id}/console");
    let r = send(f, "POST", &path, &[("Cookie", cookie)], None).await;
    let token = if r.status == 200 {
        let link = r.json();
        let token = link["facilitator_token"].as_str().unwrap().to_owned();
        assert_eq!(link["facilitator_url"], format!("/f/{id}#{token}"));
        token
    } else {
        r.body
    };
    (r.status, token)
}

async fn hand_over(f: &Fixture, id: &str, cookie: &str, body: Value) -> (u16, Value) {
    let path = format!("/api/sessions/{id}/owner");
    let r = send(
        f,
        "PUT",
        &path,
        &[("Cookie", cookie)],
        Some(&body.to_string()),
    )
    .await;
    let value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (r.status, value)
}

/// The status of reading the session with `token`: 200 while it opens the console.
async fn reads(f: &Fixture, id: &str, token: &str) -> u16 {
    let r = call(f, "GET", &format!("/api/sessions/{id}"), Some(token), None).await;
    r.status
}

async fn console_screen(f: &Fixture, id: &str, token: &str) -> SyncClient {
    let url = format!(
        "{}?token={token}",
        f.server.room_url(&format!("sessie/{id}/agenda"))
    );
    let mut screen = SyncClient::connect(&url).await.unwrap();
    screen.synced().await.unwrap();
    screen
}

async fn owner_in_list(f: &Fixture, cookie: &str, id: &str) -> Value {
    let r = send(f, "GET", "/api/sessions", &[("Cookie", cookie)], None).await;
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .map_or(Value::Null, |s| s["owner"].clone())
}

#[tokio::test]
async fn a_facilitator_hands_a_session_to_a_colleague_who_runs_it_from_their_account() {
    let f = start().await;
    for name in ["fatima", "gijs", "hanna"] {
        add_account(&f.server.data_dir(), name, PASSWORD, Role::Facilitator);
    }
    let fatima = sign_in(&f.server, "fatima", PASSWORD).await.unwrap();
    let gijs = sign_in(&f.server, "gijs", PASSWORD).await.unwrap();
    let hanna = sign_in(&f.server, "hanna", PASSWORD).await.unwrap();
    let created = create_as(&f, &fatima).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let link = created["facilitator_token"].as_str().unwrap().to_owned();
    assert_eq!(owner_in_list(&f, &fatima, &id).await, "fatima");

    // Her own account opens the console without the link, and it steers.
    let (status, hers) = open_console(&f, &id, &fatima).await;
    assert_eq!(status, 200, "{hers}");
    let r = command(&f, &id, &hers, json!({ "action": "start" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut on_the_link = console_screen(&f, &id, &link).await;
    let mut on_her_account = console_screen(&f, &id, &hers).await;

    // Who may not: a colleague it isn't theirs, the link alone (no account), no one.
    for cookie in [&gijs, &hanna] {
        assert_eq!(open_console(&f, &id, cookie).await.0, 403);
        let (status, _) = hand_over(&f, &id, cookie, json!({ "account": "hanna" })).await;
        assert_eq!(status, 403);
    }
    let path = format!("/api/sessions/{id}/console");
    assert_eq!(call(&f, "POST", &path, Some(&link), None).await.status, 401);
    let path = format!("/api/sessions/{id}/owner");
    let r = call(
        &f,
        "PUT",
        &path,
        Some(&link),
        Some(json!({ "account": "gijs" })),
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);

    // Refused with a reason, and nothing changes: no such account, or no account named.
    let (status, body) = hand_over(&f, &id, &fatima, json!({ "account": "niemand" })).await;
    assert_eq!(status, 422);
    assert!(
        body["error"].as_str().unwrap().contains("niemand"),
        "{body}"
    );
    assert_eq!(
        body["code"], "no_such_account",
        "screens say it in their language"
    );
    let (status, _) = hand_over(&f, &id, &fatima, json!({ "to": "gijs" })).await;
    assert_eq!(status, 400);
    assert_eq!(reads(&f, &id, &hers).await, 200);
    assert_eq!(owner_in_list(&f, &fatima, &id).await, "fatima");

    // Handed over (the name as typed): her link and her account's console stop at once, also
    // on the screens that had them open, and the session leaves her list for his.
    let (status, body) = hand_over(&f, &id, &fatima, json!({ "account": " Gijs " })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "owner": "gijs", "new_link": true }));
    for screen in [&mut on_the_link, &mut on_her_account] {
        let (_, reason) = screen.closed().await.unwrap().expect("a close frame");
        assert!(reason.contains("replaced"), "{reason}");
    }
    assert_eq!(reads(&f, &id, &link).await, 401);
    assert_eq!(reads(&f, &id, &hers).await, 401);
    assert!(!list(&f, &fatima).await.contains(&id));
    assert_eq!(open_console(&f, &id, &fatima).await.0, 403);
    assert_eq!(owner_in_list(&f, &gijs, &id).await, "gijs");
    assert_eq!(owner_in_list(&f, &f.cookie, &id).await, "gijs");

    // He runs it from his account, also after a restart.
    let (status, his) = open_console(&f, &id, &gijs).await;
    assert_eq!(status, 200, "{his}");
    let r = command(&f, &id, &his, json!({ "action": "next" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut f = f;
    f.server.restart().await.unwrap();
    assert_eq!(reads(&f, &id, &his).await, 200);
    assert_eq!(reads(&f, &id, &link).await, 401);
    assert_eq!(owner_in_list(&f, &gijs, &id).await, "gijs");
}

#[tokio::test]
async fn an_organiser_picks_an_account_and_may_keep_the_link_and_the_projector() {
    let f = start().await;
    for name in ["fatima", "gijs"] {
        add_account(&f.server.data_dir(), name, PASSWORD, Role::Facilitator);
    }
    let fatima = sign_in(&f.server, "fatima", PASSWORD).await.unwrap();

    // The accounts to pick from: for organisers only.
    let r = send(&f, "GET", "/api/accounts", &[("Cookie", &f.cookie)], None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let accounts = r.json();
    let names: Vec<&str> = accounts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["fatima", "gijs", "organisator"]);
    assert_eq!(accounts[0]["role"], "facilitator");
    assert_eq!(accounts[2]["role"], "organiser");
    let r = send(&f, "GET", "/api/accounts", &[("Cookie", &fatima)], None).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(
        call(&f, "GET", "/api/accounts", None, None).await.status,
        401
    );

    // Handed on twice, keeping the link: the room's screen and the link go on working; each
    // previous owner's own console stops.
    let created = create(&f, "ambtenaren").await;
    let id = created["id"].as_str().unwrap().to_owned();
    let link = created["facilitator_token"].as_str().unwrap().to_owned();
    let projector = call(
        &f,
        "GET",
        &format!("/api/sessions/{id}/projector"),
        Some(&link),
        None,
    )
    .await
    .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let keep = |to: &str| json!({ "account": to, "new_link": false });
    let (status, body) = hand_over(&f, &id, &f.cookie, keep("fatima")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["new_link"], false);
    let (_, hers) = open_console(&f, &id, &fatima).await;
    let mut her_screen = console_screen(&f, &id, &hers).await;
    let mut room_screen = console_screen(&f, &id, &link).await;
    let (status, _) = hand_over(&f, &id, &f.cookie, keep("gijs")).await;
    assert_eq!(status, 200);
    let (_, reason) = her_screen.closed().await.unwrap().expect("a close frame");
    assert!(reason.contains("replaced"), "{reason}");
    assert_eq!(reads(&f, &id, &hers).await, 401);
    for token in [&link, &projector] {
        assert_eq!(reads(&f, &id, token).await, 200);
    }
    // The link's screen is still open: it hears the next change.
    let r = command(&f, &id, &link, json!({ "action": "start" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    room_screen
        .until("the start", |c| {
            agenda_state(c).is_some_and(|s| s["current"] == 0)
        })
        .await
        .unwrap();
}

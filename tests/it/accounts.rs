//! Organiser and facilitator accounts against the real server: what needs a sign-in, the
//! cookie, wrong passwords, another site's pages, and who sees and manages which session. Each
//! attack of issue #16 on uploads and creation is replayed and shown refused.

use serde_json::{Value, json};
use werkmuur_server::accounts::Role;
use werkmuur_server::storage::Store;
use werkmuur_server::storage::sqlite::SqliteStore;
use werkmuur_tests::{Response, http};

use crate::sessions::{call, call_signed_in, create};
use crate::support::{Fixture, ORGANISER, PASSWORD, add_account, sign_in, start, start_with};

/// A request with `headers` besides the JSON content type.
pub(crate) async fn send(
    f: &Fixture,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Response {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    http(f.server.addr, method, path, &all, body)
        .await
        .expect("HTTP request")
}

fn draaiboek(id: &str) -> String {
    draaiboeken::draaiboek::BUILTIN_SOURCES[0]
        .1
        .replace("id = \"ambtenaren\"", &format!("id = \"{id}\""))
}

async fn upload(f: &Fixture, cookie: &str, source: &str) -> Response {
    let headers = [("Content-Type", "text/plain"), ("Cookie", cookie)];
    http(
        f.server.addr,
        "POST",
        "/api/draaiboeken",
        &headers,
        Some(source),
    )
    .await
    .expect("HTTP request")
}

#[tokio::test]
async fn starting_sessions_and_uploading_need_a_sign_in() {
    let f = start().await;
    let body = json!({ "draaiboek": "ambtenaren" }).to_string();
    let r = send(&f, "POST", "/api/sessions", &[], Some(&body)).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = upload(&f, "", &draaiboek("eigen")).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = call(&f, "GET", "/api/sessions", None, None).await;
    assert_eq!(r.status, 401, "{}", r.body);
    // A forged or stale cookie is no sign-in.
    let forged = format!("werkmuur_login={}", "ab".repeat(32));
    let r = send(
        &f,
        "POST",
        "/api/sessions",
        &[("Cookie", &forged)],
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);
    // Signed in, both work.
    assert_eq!(upload(&f, &f.cookie, &draaiboek("eigen")).await.status, 201);
    create(&f, "eigen").await;
}

#[tokio::test]
async fn a_sign_in_sets_a_strict_http_only_cookie_and_signing_out_ends_it() {
    let f = start().await;
    let r = send(
        &f,
        "POST",
        "/api/login",
        &[],
        Some(&json!({ "name": "Organisator ", "password": PASSWORD }).to_string()),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({ "name": ORGANISER, "role": "organiser" }));
    let set = r.header("set-cookie").expect("a cookie").to_owned();
    for attribute in [
        "werkmuur_login=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=43200",
    ] {
        assert!(set.contains(attribute), "{attribute} in {set}");
    }
    assert!(!set.contains("Secure"), "not over plain http: {set}");
    let cookie = set.split(';').next().unwrap().to_owned();
    let me = send(&f, "GET", "/api/me", &[("Cookie", &cookie)], None).await;
    assert_eq!(me.json()["name"], ORGANISER);

    let out = send(&f, "POST", "/api/logout", &[("Cookie", &cookie)], None).await;
    assert_eq!(out.status, 204);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    let me = send(&f, "GET", "/api/me", &[("Cookie", &cookie)], None).await;
    assert_eq!(
        me.json(),
        Value::Null,
        "the old cookie is dead: {}",
        me.body
    );
    // The fixture's own sign-in is another one, and still works.
    let me = send(&f, "GET", "/api/me", &[("Cookie", &f.cookie)], None).await;
    assert_eq!(me.json()["name"], ORGANISER);

    // Behind https, the cookie is Secure.
    let https = start_with(|s| s.public_url = Some("https://werkmuur.example.nl".into())).await;
    let r = send(
        &https,
        "POST",
        "/api/login",
        &[],
        Some(&json!({ "name": ORGANISER, "password": PASSWORD }).to_string()),
    )
    .await;
    assert!(r.header("set-cookie").unwrap().contains("Secure"));
}

#[tokio::test]
async fn wrong_passwords_are_refused_alike_and_then_slowed_even_for_the_right_one() {
    let f = start().await;
    let login =
        |name: &str, password: &str| json!({ "name": name, "password": password }).to_string();
    let wrong = send(
        &f,
        "POST",
        "/api/login",
        &[],
        Some(&login(ORGANISER, "niet het wachtwoord")),
    )
    .await;
    let unknown = send(
        &f,
        "POST",
        "/api/login",
        &[],
        Some(&login("niemand", PASSWORD)),
    )
    .await;
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert_eq!(wrong.body, unknown.body, "no telling which names exist");
    assert!(wrong.header("set-cookie").is_none());
    let odd = send(&f, "POST", "/api/login", &[], Some("{\"name\":\"x\"}")).await;
    assert_eq!(odd.status, 400, "{}", odd.body);
    let huge = login(ORGANISER, &"x".repeat(100_000));
    assert_eq!(
        send(&f, "POST", "/api/login", &[], Some(&huge))
            .await
            .status,
        401
    );

    let per_window = werkmuur_server::accounts::PASSWORD_GUESSES_PER_WINDOW;
    // Three wrong above, ten allowed: seven more still get an answer.
    for i in 3..per_window {
        let r = send(
            &f,
            "POST",
            "/api/login",
            &[],
            Some(&login(ORGANISER, &format!("gok nummer {i}"))),
        )
        .await;
        assert_eq!(r.status, 401, "guess {i}: {}", r.body);
    }
    let r = send(
        &f,
        "POST",
        "/api/login",
        &[],
        Some(&login(ORGANISER, "nog een gok erbij")),
    )
    .await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("Retry-After").is_some());
    let right = sign_in(&f.server, ORGANISER, PASSWORD).await;
    assert_eq!(
        right.map_err(|r| r.status),
        Err(429),
        "the right one waits too"
    );
}

#[tokio::test]
async fn another_sites_page_cannot_act_with_the_cookie() {
    let f = start().await;
    let evil = [
        ("Cookie", f.cookie.as_str()),
        ("Origin", "http://evil.example"),
    ];
    // The attack of #16: a `text/plain` upload from another site's page (no preflight).
    let headers = [("Content-Type", "text/plain"), evil[0], evil[1]];
    let r = http(
        f.server.addr,
        "POST",
        "/api/draaiboeken",
        &headers,
        Some(&draaiboek("kwaad")),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 403, "{}", r.body);
    let body = json!({ "draaiboek": "ambtenaren" }).to_string();
    let r = send(&f, "POST", "/api/sessions", &evil, Some(&body)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = send(&f, "POST", "/api/logout", &evil, None).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = call(&f, "GET", "/api/draaiboeken/kwaad", None, None).await;
    assert_eq!(r.status, 404, "nothing was uploaded");
    // From its own page it works.
    let own = format!("http://{}", f.server.addr);
    let r = send(
        &f,
        "POST",
        "/api/sessions",
        &[evil[0], ("Origin", &own)],
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

#[tokio::test]
async fn uploads_never_replace_an_operators_file_or_another_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let operator = dir.path().join("eigen");
    std::fs::create_dir_all(&operator).unwrap();
    std::fs::write(operator.join("wijk.toml"), draaiboek("wijk")).unwrap();
    let own_dir = operator.clone();
    let f = start_with(move |s| s.draaiboeken_dir = Some(own_dir)).await;
    add_account(&f.server.data_dir(), "bram", PASSWORD, Role::Facilitator);
    let bram = sign_in(&f.server, "bram", PASSWORD).await.unwrap();

    for (cookie, id) in [(&f.cookie, "wijk"), (&bram, "ambtenaren")] {
        let r = upload(&f, cookie, &draaiboek(id)).await;
        assert_eq!(r.status, 409, "{id}: {}", r.body);
    }
    assert_eq!(
        std::fs::read_to_string(operator.join("wijk.toml")).unwrap(),
        draaiboek("wijk")
    );
    assert_eq!(upload(&f, &bram, &draaiboek("van-bram")).await.status, 201);
    let r = upload(&f, &f.cookie, &draaiboek("van-bram")).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.json()["error"].as_str().unwrap().contains("someone else"));
    let newer = draaiboek("van-bram").replacen("title = ", "title = \"Nieuw\"\n# ", 1);
    assert_eq!(
        upload(&f, &bram, &newer).await.status,
        201,
        "his own, again"
    );
    let big = format!("{}\n# {}", draaiboek("groot"), "x".repeat(300 * 1024));
    assert_eq!(upload(&f, &bram, &big).await.status, 413);
}

pub(crate) async fn list(f: &Fixture, cookie: &str) -> Vec<String> {
    let r = send(f, "GET", "/api/sessions", &[("Cookie", cookie)], None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut ids: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

pub(crate) async fn create_as(f: &Fixture, cookie: &str) -> Value {
    let body = json!({ "draaiboek": "ambtenaren" }).to_string();
    let r = send(
        f,
        "POST",
        "/api/sessions",
        &[("Cookie", cookie)],
        Some(&body),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn organisers_manage_every_session_and_facilitators_their_own() {
    let f = start().await;
    // Made while the server runs, as `werkmuur organiser add` does: it works at once.
    add_account(&f.server.data_dir(), "fatima", PASSWORD, Role::Facilitator);
    add_account(&f.server.data_dir(), "gijs", PASSWORD, Role::Facilitator);
    let fatima = sign_in(&f.server, "fatima", PASSWORD).await.unwrap();
    let gijs = sign_in(&f.server, "gijs", PASSWORD).await.unwrap();
    let hers = create_as(&f, &fatima).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let his = create_as(&f, &gijs).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let organisers = create(&f, "ambtenaren").await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut all = vec![hers.clone(), his.clone(), organisers.clone()];
    all.sort();
    assert_eq!(list(&f, &f.cookie).await, all);
    assert_eq!(list(&f, &fatima).await, std::slice::from_ref(&hers));
    assert_eq!(list(&f, &gijs).await, std::slice::from_ref(&his));

    let export = |id: &str| format!("/api/sessions/{id}/export/session.json");
    assert_eq!(
        send(&f, "GET", &export(&hers), &[("Cookie", &fatima)], None)
            .await
            .status,
        200
    );
    assert_eq!(
        send(&f, "GET", &export(&hers), &[("Cookie", &f.cookie)], None)
            .await
            .status,
        200
    );
    for (path, method) in [
        (export(&his), "GET"),
        (format!("/api/sessions/{his}"), "DELETE"),
    ] {
        let r = send(&f, method, &path, &[("Cookie", &fatima)], None).await;
        assert_eq!(r.status, 403, "{method} {path}: {}", r.body);
    }
    let end = format!("/api/sessions/{his}/end");
    assert_eq!(
        send(&f, "POST", &end, &[("Cookie", &fatima)], None)
            .await
            .status,
        403
    );
    assert_eq!(
        send(&f, "POST", &end, &[("Cookie", &gijs)], None)
            .await
            .status,
        200
    );
    let r = call_signed_in(&f, "DELETE", &format!("/api/sessions/{his}"), None).await;
    assert_eq!(r.status, 204, "an organiser deletes any: {}", r.body);

    // Sessions remember who made them across a restart.
    let mut f = f;
    f.server.restart().await.unwrap();
    assert_eq!(list(&f, &fatima).await, std::slice::from_ref(&hers));

    // An account deleted on the command line is signed out at once.
    let mut store = SqliteStore::open(&f.server.data_dir()).unwrap();
    assert!(store.delete_account("fatima").unwrap());
    let r = send(&f, "GET", "/api/sessions", &[("Cookie", &fatima)], None).await;
    assert_eq!(r.status, 401, "{}", r.body);
}

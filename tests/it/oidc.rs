//! Sign-in through an identity provider, against a real one: `oidc-provider` under Node
//! (tests/js/oidc-provider.mjs), its own login page submitted by hand, every redirect followed
//! by hand. No browser here; `browser-oidc.mjs` does it in Chromium.

use std::net::SocketAddr;
use std::process::Stdio;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use werkmuur_server::Settings;
use werkmuur_server::accounts::Role;
use werkmuur_server::oidc::OidcSettings;
use werkmuur_tests::{PATIENCE, Response, TestServer, http, init_tracing};

use crate::support::{ORGANISER, PASSWORD, add_account, js_dir, repo_root, run_node, sign_in};

pub const CLIENT_ID: &str = "werkmuur";
pub const CLIENT_SECRET: &str = "geheim-van-de-test-client";

/// The provider, running until dropped.
pub struct TestProvider {
    pub issuer: String,
    pub addr: SocketAddr,
    _child: Child,
}

impl TestProvider {
    /// Starts tests/js/oidc-provider.mjs for Werkmuur at `public_url`, and waits for the line
    /// that says where it listens.
    pub async fn start(public_url: &str) -> TestProvider {
        let mut child = Command::new("node")
            .arg(js_dir().join("oidc-provider.mjs"))
            .args([
                &format!("{public_url}/api/oidc/callback"),
                CLIENT_ID,
                CLIENT_SECRET,
            ])
            .current_dir(js_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs (is Node.js installed?)");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let issuer = tokio::time::timeout(PATIENCE, async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(issuer) = line.strip_prefix("issuer ") {
                    return issuer.to_owned();
                }
            }
            panic!("the provider stopped before it listened")
        })
        .await
        .expect("the provider listens");
        // It goes on writing (notices); a closed pipe would stop it.
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                tracing::debug!("oidc-provider: {line}");
            }
        });
        let port: u16 = issuer.rsplit(':').next().unwrap().parse().unwrap();
        TestProvider {
            issuer,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            _child: child,
        }
    }
}

/// The OIDC settings for a server of this provider: roles from `werkmuur_roles`, everyone
/// else a facilitator.
pub fn oidc_settings(issuer: &str) -> OidcSettings {
    OidcSettings {
        issuer: issuer.to_owned(),
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        role_claim: Some("werkmuur_roles".into()),
        default_role: Some(Role::Facilitator),
    }
}

/// A server signing in through a real provider, the fixture's organiser account beside it.
pub struct OidcFixture {
    pub server: TestServer,
    pub provider: TestProvider,
    _dir: tempfile::TempDir,
}

pub async fn start_with_provider() -> OidcFixture {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let public_url = format!("http://{}", listener.local_addr().unwrap());
    let provider = TestProvider::start(&public_url).await;
    let mut settings = Settings::new(dir.path().join("data"));
    settings.web_dir = repo_root().join("target/web");
    settings.public_url = Some(public_url);
    settings.oidc = Some(oidc_settings(&provider.issuer));
    add_account(&settings.data_dir, ORGANISER, PASSWORD, Role::Organiser);
    let server = TestServer::start_on(settings, listener).unwrap();
    OidcFixture {
        server,
        provider,
        _dir: dir,
    }
}

fn set_cookies(r: &Response) -> Vec<String> {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.split(';').next().unwrap().trim().to_owned())
        .collect()
}

/// The value of cookie `name` that `r` sets (empty: it clears it).
fn cookie_set(r: &Response, name: &str) -> Option<String> {
    set_cookies(r)
        .into_iter()
        .find_map(|c| c.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

/// The path and query of a URL.
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    format!("/{}", rest.split_once('/').map_or("", |(_, p)| p))
}

async fn get(addr: SocketAddr, path: &str, cookie: &str) -> Response {
    let headers: Vec<(&str, &str)> = if cookie.is_empty() {
        vec![]
    } else {
        vec![("Cookie", cookie)]
    };
    http(addr, "GET", path, &headers, None).await.unwrap()
}

/// A sign-in started at Werkmuur and done at the provider's login page as `login`: the
/// browser cookie Werkmuur set, and the callback path the provider sends the browser to.
pub async fn through_provider(f: &OidcFixture, login: &str) -> (String, String) {
    let start = get(f.server.addr, "/api/oidc/start", "").await;
    assert_eq!(start.status, 303, "{}", start.body);
    let browser = cookie_set(&start, "werkmuur_oidc").expect("the browser cookie");
    let mut location = start.header("location").unwrap().to_owned();
    assert!(location.starts_with(&f.provider.issuer), "{location}");
    assert!(
        location.contains("code_challenge_method=S256"),
        "{location}"
    );
    assert!(location.contains("nonce="), "{location}");
    let mut jar: Vec<String> = Vec::new();
    let own = f.server.http_url("");
    for _ in 0..10 {
        if location.starts_with(&own) {
            return (
                format!("werkmuur_oidc={browser}"),
                path_of(&location).to_owned(),
            );
        }
        let r = get(f.provider.addr, &path_of(&location), &jar.join("; ")).await;
        for c in set_cookies(&r) {
            let name = c.split('=').next().unwrap().to_owned();
            jar.retain(|j| !j.starts_with(&format!("{name}=")));
            jar.push(c);
        }
        if let Some(next) = r.header("location") {
            location = next.to_owned();
            continue;
        }
        // The provider's login page: any name and password.
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains(r#"name="login""#), "{}", r.body);
        let action = r.body.split(r#"action=""#).nth(1).unwrap();
        let action = &action[..action.find('"').unwrap()];
        let form = format!("prompt=login&login={login}&password=wat-dan-ook");
        let cookie = jar.join("; ");
        let posted = http(
            f.provider.addr,
            "POST",
            &path_of(action),
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Cookie", &cookie),
            ],
            Some(&form),
        )
        .await
        .unwrap();
        for c in set_cookies(&posted) {
            jar.push(c);
        }
        location = posted
            .header("location")
            .unwrap_or_else(|| panic!("{} {}", posted.status, posted.body))
            .to_owned();
    }
    panic!("the provider never sent the browser back");
}

/// Werkmuur's answer to the callback: where it sends the browser, and its sign-in cookie.
async fn callback(f: &OidcFixture, path: &str, browser: &str) -> (String, Option<String>) {
    let r = get(f.server.addr, path, browser).await;
    assert_eq!(r.status, 303, "{}", r.body);
    // The browser cookie is spent, whatever happened.
    assert_eq!(cookie_set(&r, "werkmuur_oidc").as_deref(), Some(""));
    let login = cookie_set(&r, "werkmuur_login").map(|t| format!("werkmuur_login={t}"));
    (r.header("location").unwrap().to_owned(), login)
}

async fn me(f: &OidcFixture, cookie: &str) -> Value {
    get(f.server.addr, "/api/me", cookie).await.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_signs_in_through_the_provider_and_starts_a_session() {
    let f = start_with_provider().await;
    let offered = get(f.server.addr, "/api/oidc", "").await.json();
    assert_eq!(offered, json!({ "offered": true }));

    let (browser, path) = through_provider(&f, "organisator-olga").await;
    let (location, cookie) = callback(&f, &path, &browser).await;
    assert_eq!(location, "/o");
    let cookie = cookie.expect("signed in");
    assert_eq!(
        me(&f, &cookie).await,
        json!({ "name": "organisator-olga", "role": "organiser" })
    );
    let body = json!({ "draaiboek": "ambtenaren" }).to_string();
    let created = http(
        f.server.addr,
        "POST",
        "/api/sessions",
        &[("Content-Type", "application/json"), ("Cookie", &cookie)],
        Some(&body),
    )
    .await
    .unwrap();
    assert_eq!(created.status, 201, "{}", created.body);

    // The same callback again: refused, nobody signed in.
    let (location, again) = callback(&f, &path, &browser).await;
    assert_eq!(location, "/o?oidc=expired");
    assert_eq!(again, None);

    // The account has no password: signing in with one answers as an unknown name.
    assert_eq!(
        sign_in(&f.server, "organisator-olga", "wat-dan-ook-maar-lang")
            .await
            .unwrap_err()
            .status,
        401
    );

    // A second sign-in of the same person is the same account; someone without a role in the
    // claim is a facilitator, who doesn't see the organiser's session.
    let (browser, path) = through_provider(&f, "organisator-olga").await;
    let (_, again) = callback(&f, &path, &browser).await;
    assert_eq!(me(&f, &again.unwrap()).await["name"], "organisator-olga");
    let (browser, path) = through_provider(&f, "fenna").await;
    let (_, fenna) = callback(&f, &path, &browser).await;
    let fenna = fenna.unwrap();
    assert_eq!(
        me(&f, &fenna).await,
        json!({ "name": "fenna", "role": "facilitator" })
    );
    let sessions = get(f.server.addr, "/api/sessions", &fenna).await;
    assert_eq!(sessions.json(), json!([]), "{}", sessions.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_state_another_browser_and_a_refusal_at_the_provider_sign_no_one_in() {
    let f = start_with_provider().await;
    let (browser, path) = through_provider(&f, "fenna").await;
    // A state that was never handed out.
    let forged = path.replace("state=", "state=x");
    assert_ne!(forged, path);
    assert_eq!(
        callback(&f, &forged, &browser).await,
        ("/o?oidc=expired".into(), None)
    );
    // The right one still works after it, once.
    let (location, cookie) = callback(&f, &path, &browser).await;
    assert_eq!((location.as_str(), cookie.is_some()), ("/o", true));

    // Another browser (without the cookie, or with another's) can't finish it.
    let (_, path) = through_provider(&f, "fenna").await;
    let (other, _) = through_provider(&f, "fenna").await;
    assert_eq!(
        callback(&f, &path, &other).await,
        ("/o?oidc=expired".into(), None)
    );
    let (_, path) = through_provider(&f, "fenna").await;
    assert_eq!(
        callback(&f, &path, "").await,
        ("/o?oidc=expired".into(), None)
    );

    // The provider says no: the callback carries its error.
    let start = get(f.server.addr, "/api/oidc/start", "").await;
    let browser = format!(
        "werkmuur_oidc={}",
        cookie_set(&start, "werkmuur_oidc").unwrap()
    );
    let state = start
        .header("location")
        .unwrap()
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("state="))
        .unwrap()
        .to_owned();
    let denied = format!("/api/oidc/callback?error=access_denied&state={state}");
    assert_eq!(
        callback(&f, &denied, &browser).await,
        ("/o?oidc=refused".into(), None)
    );

    // Guessing states is limited like every other credential: soon even a right one waits.
    let (browser, path) = through_provider(&f, "fenna").await;
    let mut limited = false;
    for i in 0..200 {
        let (location, _) =
            callback(&f, &format!("/api/oidc/callback?state=guess{i}&code=x"), "").await;
        if location == "/o?oidc=too-many" {
            limited = true;
            break;
        }
    }
    assert!(limited, "wrong states are never limited");
    assert_eq!(
        callback(&f, &path, &browser).await,
        ("/o?oidc=too-many".into(), None)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_provider_it_is_off_and_with_an_unreachable_one_passwords_still_work() {
    let off = crate::support::start().await;
    let offered = http(off.server.addr, "GET", "/api/oidc", &[], None)
        .await
        .unwrap();
    assert_eq!(offered.json(), json!({ "offered": false }));
    for path in ["/api/oidc/start", "/api/oidc/callback?state=x&code=y"] {
        let r = http(off.server.addr, "GET", path, &[], None).await.unwrap();
        assert_eq!(r.status, 404, "{path}");
        assert!(
            r.json()["error"]
                .as_str()
                .unwrap()
                .contains("not configured")
        );
    }

    // A provider that isn't there (a port nobody listens on): the server starts, says so on
    // a sign-in through it, and passwords go on working.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let f = crate::support::start_with(|s| {
        s.public_url = Some("http://127.0.0.1:9".into());
        s.oidc = Some(oidc_settings(&issuer));
    })
    .await;
    let r = http(f.server.addr, "GET", "/api/oidc/start", &[], None)
        .await
        .unwrap();
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/o?oidc=unreachable"));
    assert!(sign_in(&f.server, ORGANISER, PASSWORD).await.is_ok());
}
/// In Chromium: the organiser at `/o` clicks "Inloggen via je organisatie", signs in on the
/// provider's own page (another site: `localhost`) and starts a session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_browser_an_organiser_signs_in_through_the_provider_and_starts_a_session() {
    assert!(
        repo_root().join("target/web/join.html").is_file(),
        "the web app is not built: run scripts/build-web (scripts/test does)"
    );
    let f = start_with_provider().await;
    run_node(
        "browser-oidc.mjs",
        &[&f.server.http_url(""), "organisator-olga"],
    )
    .await;
}

use std::path::{Path, PathBuf};
use std::process::Command;

use werkmuur_server::Settings;
use werkmuur_server::accounts::{Role, new_account};
use werkmuur_server::storage::Store;
use werkmuur_server::storage::sqlite::SqliteStore;
use werkmuur_tests::{Response, TestServer, http, init_tracing};

/// A server with its own temporary data directory (removed when dropped), and an organiser's
/// account signed in.
pub struct Fixture {
    pub server: TestServer,
    /// The `Cookie` header of [`ORGANISER`]'s sign-in.
    pub cookie: String,
    _dir: tempfile::TempDir,
}

/// The organiser every fixture has, and their password.
pub const ORGANISER: &str = "organisator";
pub const PASSWORD: &str = "een lang wachtwoord voor de test";

pub async fn start() -> Fixture {
    start_with(|_| {}).await
}

pub async fn start_with(configure: impl FnOnce(&mut Settings)) -> Fixture {
    init_tracing();
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut settings = Settings::new(dir.path().join("data"));
    settings.web_dir = repo_root().join("target/web");
    configure(&mut settings);
    add_account(&settings.data_dir, ORGANISER, PASSWORD, Role::Organiser);
    let server = TestServer::start(settings).await.expect("server starts");
    let cookie = sign_in(&server, ORGANISER, PASSWORD)
        .await
        .expect("the fixture's organiser signs in");
    Fixture {
        server,
        cookie,
        _dir: dir,
    }
}

/// Makes an account in the database of `data_dir`, as `werkmuur organiser add` does.
pub fn add_account(data_dir: &Path, name: &str, password: &str, role: Role) {
    let mut store = SqliteStore::open(data_dir).expect("the database opens");
    let account = new_account(name, password, role, 0).expect("a valid account");
    store
        .insert_account(&account)
        .expect("the account is stored");
}

/// Signs in through `POST /api/login`: the `Cookie` header to send, or the refusal.
pub async fn sign_in(server: &TestServer, name: &str, password: &str) -> Result<String, Response> {
    let body = serde_json::json!({ "name": name, "password": password }).to_string();
    let r = http(
        server.addr,
        "POST",
        "/api/login",
        &[("Content-Type", "application/json")],
        Some(&body),
    )
    .await
    .expect("HTTP request");
    if r.status != 200 {
        return Err(r);
    }
    let set_cookie = r
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.clone())
        .expect("a sign-in sets a cookie");
    Ok(set_cookie
        .split(';')
        .next()
        .expect("a cookie")
        .trim()
        .to_owned())
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

/// The Node packages the JS tests use, installed by `npm ci` in tests/js (scripts/test does it).
pub fn js_dir() -> PathBuf {
    let dir = repo_root().join("tests/js");
    assert!(
        dir.join("node_modules").is_dir(),
        "tests/js/node_modules is missing: run `npm ci --prefix tests/js` (scripts/test does)"
    );
    dir
}

/// Runs a Node script from tests/js with arguments; fails the test with its output if it fails.
pub async fn run_node(script: &str, args: &[&str]) {
    let dir = js_dir();
    let mut cmd = Command::new("node");
    cmd.arg(dir.join(script))
        .args(args)
        .current_dir(&dir)
        .env("WERKMUUR_STRINGS", crate::strings::file());
    let output = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("node task")
        .expect("node runs (is Node.js installed?)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        output.status
    );
    tracing::info!("{script}: {stdout}");
}

use std::path::{Path, PathBuf};
use std::process::Command;

use werkmuur_server::Settings;
use werkmuur_tests::{TestServer, init_tracing};

/// A server with its own temporary data directory (removed when dropped).
pub struct Fixture {
    pub server: TestServer,
    _dir: tempfile::TempDir,
}

pub async fn start() -> Fixture {
    start_with(|_| {}).await
}

pub async fn start_with(configure: impl FnOnce(&mut Settings)) -> Fixture {
    init_tracing();
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut settings = Settings::new(dir.path().join("data"));
    settings.web_dir = repo_root().join("target/web");
    configure(&mut settings);
    let server = TestServer::start(settings).await.expect("server starts");
    Fixture { server, _dir: dir }
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
    cmd.arg(dir.join(script)).args(args).current_dir(&dir);
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

//! Stock clients against our server: `yjs` + `y-websocket` under Node, and the browser app.

use werkmuur_server::accounts::Role;

use crate::support::{ORGANISER, PASSWORD, add_account, repo_root, run_node, start, start_with};

/// The organisers' secret the slow phone's server is started with: a tool starts its session.
const ORGANISER_SECRET: &str = "geheim-van-de-organisatie";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stock_y_websocket_syncs_sees_awareness_and_merges_offline_edits() {
    let fixture = start().await;
    run_node("yjs-interop.mjs", &[&fixture.server.sync_base()]).await;
}

/// Runs a browser script from tests/js against a fresh server with the built app.
async fn run_browser_script(script: &str) {
    assert!(
        repo_root().join("target/web/join.html").is_file(),
        "the web app is not built: run scripts/build-web (scripts/test does)"
    );
    let fixture = start().await;
    run_node(script, &[&fixture.server.http_url(""), ORGANISER, PASSWORD]).await;
}

/// Behaviour only (one measured round, its timings printed, not asserted); `scripts/bench-web`
/// runs the measured rounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_slow_connection_the_join_screen_comes_with_the_page_and_nothing_typed_before_the_bundle_is_lost()
 {
    assert!(
        repo_root().join("target/web/join.html").is_file(),
        "the web app is not built: run scripts/build-web (scripts/test does)"
    );
    let fixture = start_with(|s| s.organiser_secret = Some(ORGANISER_SECRET.to_owned())).await;
    run_node(
        "browser-slow-phone.mjs",
        &[&fixture.server.http_url(""), "1", ORGANISER_SECRET],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_it_added_in_one_browser_page_shows_in_another() {
    run_browser_script("browser-two-pages.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_created_joined_from_a_phone_and_followed_live_in_the_browser() {
    run_browser_script("browser-session.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draaiboek_1_runs_from_start_to_end_with_a_console_a_projector_and_three_phones() {
    run_browser_script("browser-draaiboek-1.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draaiboek_2_runs_with_process_maps_stickers_and_a_plenary_round_in_two_groups() {
    run_browser_script("browser-draaiboek-2.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draaiboek_3_runs_with_pairs_process_maps_roles_challenges_and_the_dreamteam() {
    run_browser_script("browser-draaiboek-3.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_arabic_projector_and_phone_run_right_to_left_beside_a_turkish_phone() {
    run_browser_script("browser-talen.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_hands_a_session_to_a_facilitator_who_runs_it_from_her_account() {
    assert!(
        repo_root().join("target/web/join.html").is_file(),
        "the web app is not built: run scripts/build-web (scripts/test does)"
    );
    let fixture = start().await;
    add_account(
        &fixture.server.data_dir(),
        "fatima",
        PASSWORD,
        Role::Facilitator,
    );
    run_node(
        "browser-overdragen.mjs",
        &[
            &fixture.server.http_url(""),
            ORGANISER,
            PASSWORD,
            "fatima",
            PASSWORD,
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_projector_fits_1_to_120_post_its_6_groups_and_30_steps_with_stickers_on_three_screens()
{
    run_browser_script("browser-projector-fit.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draaiboek_1_with_twenty_phones_fits_both_projectors_at_every_block() {
    run_browser_script("browser-twintig.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_session_runs_by_keyboard_alone_with_visible_focus_and_announcements() {
    run_browser_script("browser-toetsenbord.mjs").await;
}

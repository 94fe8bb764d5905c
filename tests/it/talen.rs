//! Turkish and Arabic beside Dutch and English: the join screen the server draws speaks the
//! phone's language (its own choice first, else `Accept-Language`) and is right to left in
//! Arabic; the session's language, set by the facilitator, is the exports'; check-in words
//! group as Turkish does.

use serde_json::json;
use werkmuur_tests::{Response, http};

use crate::sessions::{call, command, create, join};
use crate::support::{Fixture, repo_root, start_with};

/// A web directory with the page shells `scripts/build-web` writes (without bundles: the join
/// screen is the server's own), so this test needs no wasm build.
fn shells() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let shell = std::fs::read_to_string(repo_root().join("public/shell.html")).unwrap();
    for surface in ["join", "phone", "console", "projector"] {
        std::fs::write(
            dir.path().join(format!("{surface}.html")),
            shell.replace("__SURFACE__", surface),
        )
        .unwrap();
    }
    std::fs::copy(
        repo_root().join("style/style.css"),
        dir.path().join("style.css"),
    )
    .unwrap();
    dir
}

async fn join_screen(f: &Fixture, code: &str, headers: &[(&str, &str)]) -> String {
    let r = http(f.server.addr, "GET", &format!("/j/{code}"), headers, None)
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[tokio::test]
async fn the_join_screen_speaks_the_phones_language_and_is_right_to_left_in_arabic() {
    let web = shells();
    let path = web.path().to_owned();
    let f = start_with(move |s| s.web_dir = path).await;
    let s = create(&f, "bewoners").await;
    let code = s["code"].as_str().unwrap();

    let arabic = join_screen(&f, code, &[("Accept-Language", "ar-MA,ar;q=0.9,fr;q=0.5")]).await;
    assert!(
        arabic.contains(r#"<html lang="ar" dir="rtl""#),
        "{}",
        &arabic[..200]
    );
    for text in [
        "جلسة تعلّم للسكان", // the draaiboek's title
        "اسمك",             // your name
        "دورك",             // your role
        "ساكن الحي",        // a role
        "صاحب المبادرة",
        "انضمام",  // join
        "90 يومًا", // kept 90 days (Western digits, the form for 11 to 99)
    ] {
        assert!(
            arabic.contains(text),
            "{text} is not on the Arabic join screen"
        );
    }
    // The screen itself (the JSON beside it holds every language of the draaiboek's texts).
    let screen =
        &arabic[arabic.find(r#"<div id="app">"#).unwrap()..arabic.find("<noscript>").unwrap()];
    for dutch in [
        "Je naam",
        "Je rol",
        "Bewoner",
        "Doe mee",
        "Leersessie",
        "bewaren",
    ] {
        assert!(!screen.contains(dutch), "{dutch} on the Arabic join screen");
    }
    assert!(arabic.contains(r#"<input id="name" name="name" type="text" dir="auto""#));

    // The first language Werkmuur speaks, by preference; the device's own choice first.
    let turkish = join_screen(&f, code, &[("Accept-Language", "de-DE,tr;q=0.8,en;q=0.7")]).await;
    assert!(turkish.contains(r#"<html lang="tr" dir="ltr""#));
    assert!(turkish.contains("Adınız") && turkish.contains("Mahalle sakini"));
    let chosen = join_screen(
        &f,
        code,
        &[("Accept-Language", "ar"), ("Cookie", "werkmuur_lang=tr")],
    )
    .await;
    assert!(chosen.contains(r#"<html lang="tr" dir="ltr""#));
    let dutch = join_screen(&f, code, &[]).await;
    assert!(dutch.contains(r#"<html lang="nl" dir="ltr""#) && dutch.contains("Je naam"));

    // Every other page says the device's language from its first byte too.
    let projector = http(
        f.server.addr,
        "GET",
        &format!("/p/{}", s["id"].as_str().unwrap()),
        &[("Accept-Language", "ar")],
        None,
    )
    .await
    .unwrap();
    assert!(
        projector
            .body
            .contains(r#"<html lang="ar" dir="rtl" data-surface="projector""#)
    );
}

async fn control(f: &Fixture, id: &str, ft: &str, body: serde_json::Value) -> Response {
    let path = format!("/api/sessions/{id}/control");
    call(f, "POST", &path, Some(ft), Some(body)).await
}

async fn download(f: &Fixture, id: &str, ft: &str, file: &str) -> Response {
    let path = format!("/api/sessions/{id}/export/{file}");
    call(f, "GET", &path, Some(ft), None).await
}

#[tokio::test]
async fn exports_speak_the_sessions_language() {
    let f = start_with(|_| {}).await;
    let s = create(&f, "ambtenaren").await;
    let (id, code, ft) = (
        s["id"].as_str().unwrap(),
        s["code"].as_str().unwrap(),
        s["facilitator_token"].as_str().unwrap(),
    );
    let set_lang = |lang: &str| json!({ "action": "set_lang", "lang": lang });
    assert_eq!(control(&f, id, ft, set_lang("tr")).await.status, 200);
    let refused = control(&f, id, ft, set_lang("fr")).await;
    assert!((400..500).contains(&refused.status), "{}", refused.status);

    let mut people = Vec::new();
    for name in ["Ayşe", "Burak", "Cem", "Deniz"] {
        let p = join(&f, code, name, "ambtenaar").await.json();
        people.push((
            p["member_id"].as_str().unwrap().to_owned(),
            p["token"].as_str().unwrap().to_owned(),
        ));
    }
    assert_eq!(
        command(&f, id, ft, json!({ "action": "start" }))
            .await
            .status,
        200
    );
    assert_eq!(
        command(&f, id, ft, json!({ "action": "next" }))
            .await
            .status,
        200
    );
    // The check-in: Turkish words, as people type them.
    for ((member, token), word) in people.iter().zip(["İstanbul", "istanbul", "ILIK", "ılık"]) {
        let url = format!(
            "{}?token={token}",
            f.server
                .room_url(&format!("sessie/{id}/blok/1/eigen/{member}"))
        );
        let mut own = werkmuur_tests::SyncClient::connect(&url).await.unwrap();
        own.synced().await.unwrap();
        let notes = draaiboeken::board::notes_array(own.peer.doc());
        own.edit(|txn| {
            draaiboeken::board::push_note(
                &notes,
                txn,
                &draaiboeken::board::Note {
                    id: format!("w-{member}"),
                    text: word.into(),
                    author: Some(member.clone()),
                    at: Some(1_800_000_000_000),
                },
            )
        })
        .await
        .unwrap();
        own.round_trip().await.unwrap();
    }
    assert_eq!(
        control(&f, id, ft, json!({ "action": "reveal", "step": 1 }))
            .await
            .status,
        200
    );

    let data = download(&f, id, ft, "session.json").await.json();
    assert_eq!(data["lang"], "tr");
    let md = download(&f, id, ft, "report.md").await;
    assert_eq!(md.status, 200);
    for text in [
        "# Rapor: Memurlar için öğrenme oturumu",
        "Oturum kodu: ",
        "## B. Açılış: tek kelime",
        "**Kelimeler**",
        "- İstanbul ×2",
        "- ILIK ×2",
        "Katılımcılar: Ayşe (Memur)",
    ] {
        assert!(md.body.contains(text), "{text} not in\n{}", md.body);
    }
    assert!(!md.body.contains("Verslag") && !md.body.contains("Woorden"));
    let csv = download(&f, id, ft, "notes.csv").await;
    assert!(
        csv.body
            .starts_with("\u{feff}bölüm;başlık;çalışma biçimi;grup")
    );

    // Another language on request, Arabic right to left.
    let html = download(&f, id, ft, "report.html?lang=ar").await;
    assert_eq!(html.status, 200);
    assert!(
        html.body.contains(r#"<html lang="ar" dir="rtl">"#),
        "{}",
        &html.body[..300]
    );
    for text in [
        "تقرير: جلسة تعلّم لموظفي البلدية",
        "البداية: كلمة واحدة",
        "الكلمات",
    ] {
        assert!(html.body.contains(text), "{text} not in the Arabic report");
    }
    assert!(!html.body.contains("Rapor"));
    // The OpenDocument report in Arabic: well-formed, right to left, in Arabic.
    let odt = download(&f, id, ft, "report.odt?lang=ar").await;
    assert_eq!(odt.status, 200);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(odt.bytes.clone())).unwrap();
    let mut content = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("content.xml").unwrap(), &mut content)
        .unwrap();
    let mut reader = quick_xml::Reader::from_str(&content);
    while !matches!(
        reader.read_event().expect("content.xml is well-formed"),
        quick_xml::events::Event::Eof
    ) {}
    assert!(content.contains(r#"style:writing-mode="rl-tb""#));
    assert!(content.contains("تقرير: جلسة تعلّم لموظفي البلدية"));

    // The session's language changed: the documents follow.
    assert_eq!(control(&f, id, ft, set_lang("ar")).await.status, 200);
    let md = download(&f, id, ft, "report.md").await;
    assert!(md.body.starts_with("# تقرير: "), "{}", &md.body[..80]);
}

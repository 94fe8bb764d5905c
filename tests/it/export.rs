//! Exports of a recorded session of draaiboek 1 (check-in with reveal, a board with clusters,
//! edits, hiding and merging, a group block, inzichten), made over the real protocol and HTTP:
//! golden files of every format, and each file opened by a real reader (a CSV parser, an XML
//! parser for the HTML and SVG). Who may export, and anonymity.

use serde_json::{Value, json};
use werkmuur_tests::{ManualClock, SyncClient};
use yrs::{Map, Transact};

use crate::sessions::{call, command, create, join};
use crate::support::{Fixture, start_with};

const T0: i64 = 1_800_000_000_000;
const MINUTE: i64 = 60_000;
const SECRET: &str = "organisatie-geheim-voor-de-test";

struct Recorded {
    f: Fixture,
    id: String,
    code: String,
    ft: String,
    pt: String,
}

async fn connect(f: &Fixture, id: &str, doc: &str, token: &str) -> SyncClient {
    let url = format!(
        "{}?token={token}",
        f.server.room_url(&format!("sessie/{id}/{doc}"))
    );
    let mut c = SyncClient::connect(&url).await.unwrap();
    c.synced().await.unwrap();
    c
}

/// A note written at a fixed moment (the test's manual clock doesn't reach phones).
async fn note(c: &mut SyncClient, id: &str, text: &str, author: &str) {
    let notes = draaiboeken::board::notes_array(c.peer.doc());
    c.edit(|txn| {
        draaiboeken::board::push_note(
            &notes,
            txn,
            &draaiboeken::board::Note {
                id: id.into(),
                text: text.into(),
                author: Some(author.into()),
                at: Some(T0 + 3_600_000),
            },
        )
    })
    .await
    .unwrap();
    c.round_trip().await.unwrap();
}

/// Sends what the facilitator did to their replica (moderation is document edits).
async fn moderate(c: &mut SyncClient, f: impl FnOnce(&yrs::Doc)) {
    c.edit_doc(f).await.unwrap();
    c.round_trip().await.unwrap();
}

async fn next(r: &Recorded, clock: &ManualClock, minutes: i64) {
    clock.advance(minutes * MINUTE);
    let v = command(&r.f, &r.id, &r.ft, json!({ "action": "next" })).await;
    assert_eq!(v.status, 200, "{}", v.body);
}

async fn control(r: &Recorded, cmd: Value) {
    let v = call(
        &r.f,
        "POST",
        &format!("/api/sessions/{}/control", r.id),
        Some(&r.ft),
        Some(cmd),
    )
    .await;
    assert_eq!(v.status, 200, "{}", v.body);
}

/// Draaiboek 1 run from start to end with three people.
async fn recorded() -> Recorded {
    let clock = ManualClock::new(T0);
    let c = clock.clone();
    let f = start_with(move |s| {
        s.clock = c;
        s.organiser_secret = Some(SECRET.into());
    })
    .await;
    let s = create(&f, "ambtenaren").await;
    let (id, code, ft) = (
        s["id"].as_str().unwrap().to_owned(),
        s["code"].as_str().unwrap().to_owned(),
        s["facilitator_token"].as_str().unwrap().to_owned(),
    );
    let mut people = Vec::new();
    for name in ["Anouk", "Bram", "Chris"] {
        clock.advance(1000);
        let p = join(&f, &code, name, "ambtenaar").await.json();
        people.push((
            p["member_id"].as_str().unwrap().to_owned(),
            p["token"].as_str().unwrap().to_owned(),
        ));
    }
    let pt = people[0].1.clone();
    let r = Recorded {
        f,
        id,
        code,
        ft,
        pt,
    };
    let v = command(&r.f, &r.id, &r.ft, json!({ "action": "start" })).await;
    assert_eq!(v.status, 200);

    // B. Check-in: three private words, revealed.
    next(&r, &clock, 4).await;
    for ((member, token), word) in people.iter().zip(["Nieuwsgierig", "kansen", "Kans"]) {
        let mut own = connect(&r.f, &r.id, &format!("blok/1/eigen/{member}"), token).await;
        note(&mut own, &format!("w-{word}"), word, member).await;
    }
    control(&r, json!({ "action": "reveal", "step": 1 })).await;
    control(
        &r,
        json!({ "action": "set_place", "place": "Buurthuis De Meeuw" }),
    )
    .await;

    // C. Regie: a board with hostile text, clustered, edited, hidden and merged by hand.
    next(&r, &clock, 12).await;
    let (a, b) = (people[0].clone(), people[1].clone());
    let mut anouk = connect(&r.f, &r.id, "blok/2", &a.1).await;
    note(&mut anouk, "c1", "Vergunning aanvragen: gemeente", &a.0).await;
    note(&mut anouk, "c2", "<script>alert('x')</script> & co", &a.0).await;
    note(&mut anouk, "c3", "=HYPERLINK(\"http://x\")", &a.0).await;
    let mut bram = connect(&r.f, &r.id, "blok/2", &b.1).await;
    note(&mut bram, "c4", "Subsidie; \"snel\" regelen", &b.0).await;
    note(&mut bram, "c5", "vergunning aanvragen", &b.0).await;
    let mut console = connect(&r.f, &r.id, "blok/2", &r.ft).await;
    console
        .until("five notes", |c| c.note_texts().len() == 5)
        .await
        .unwrap();
    moderate(&mut console, |doc| {
        use draaiboeken::board::*;
        add_cluster(doc, "k1", "Bij de gemeente");
        set_cluster(doc, "c1", Some("k1"));
        set_cluster(doc, "c4", Some("k1"));
        edit_text(doc, "c4", "Subsidie snel regelen");
        merge(doc, "c5", "c1");
        set_hidden(doc, "c3", true);
    })
    .await;

    // D. Expertise in two groups (in joining order: Anouk and Bram, then Chris).
    next(&r, &clock, 9).await;
    control(&r, json!({ "action": "spread_groups", "count": 2 })).await;
    for (i, (member, token)) in people.iter().enumerate() {
        let group = if i < 2 { 1 } else { 2 };
        let mut g = connect(&r.f, &r.id, &format!("blok/3/groep/{group}"), token).await;
        g.until("the map carried over from C", |c| {
            !c.note_texts().is_empty()
        })
        .await
        .unwrap();
        moderate(&mut g, |doc| {
            draaiboeken::proces::add_expertise(
                doc,
                &format!("d{i}"),
                "c1",
                &format!("Expertise {}", i + 1),
                "buurtteam",
                false,
                Some(member),
            )
        })
        .await;
        assert!(
            !g.events
                .iter()
                .any(|e| matches!(e, draaiboeken::sync::PeerEvent::PermissionDenied(_))),
            "expertise is the participant's to add"
        );
    }

    // Break, E (nothing written), F: inzichten.
    next(&r, &clock, 21).await;
    next(&r, &clock, 10).await;
    next(&r, &clock, 30).await;
    let (cm, ct) = people[2].clone();
    let mut chris = connect(&r.f, &r.id, "blok/6", &ct).await;
    note(&mut chris, "f1", "Eén vast aanspreekpunt per buurt", &cm).await;
    next(&r, &clock, 18).await;
    next(&r, &clock, 5).await;
    r
}

async fn download(r: &Recorded, file: &str, token: &str) -> werkmuur_tests::Response {
    call(
        &r.f,
        "GET",
        &format!("/api/sessions/{}/export/{file}", r.id),
        Some(token),
        None,
    )
    .await
}

/// The body with the session's random code replaced, for golden files.
fn stable(r: &Recorded, body: &str) -> String {
    body.replace(&r.code, "CODE")
}

#[tokio::test]
async fn every_export_matches_its_golden_file_and_opens_in_a_reader() {
    let r = recorded().await;

    let json = download(&r, "session.json", &r.ft).await;
    assert_eq!(json.status, 200, "{}", json.body);
    assert_eq!(json.header("content-type"), Some("application/json"));
    assert_eq!(
        json.header("content-disposition"),
        Some(format!("attachment; filename=\"werkmuur-{}-session.json\"", r.code).as_str())
    );
    let data = json.json();
    assert_eq!(data["schema"], "werkmuur.session/1");
    insta::assert_snapshot!("session.json", stable(&r, &json.body));

    let md = download(&r, "report.md", &r.ft).await;
    assert_eq!(md.status, 200);
    insta::assert_snapshot!("report.md", stable(&r, &md.body));
    assert!(
        !md.body.contains("HYPERLINK"),
        "hidden notes stay out of the report"
    );

    let html = download(&r, "report.html", &r.ft).await;
    assert_eq!(html.status, 200);
    insta::assert_snapshot!("report.html", stable(&r, &html.body));
    // A real XML reader: well-formed, and no element came from a participant's text.
    let mut reader = quick_xml::Reader::from_str(&html.body);
    let mut elements = std::collections::BTreeSet::new();
    let mut text = String::new();
    loop {
        match reader.read_event().expect("the report is well-formed") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                elements.insert(String::from_utf8_lossy(e.name().as_ref()).into_owned());
            }
            quick_xml::events::Event::Text(t) => {
                text.push_str(&t.decode().unwrap());
                text.push(' ');
            }
            quick_xml::events::Event::GeneralRef(g) => {
                text.push_str(&format!("&{};", String::from_utf8_lossy(&g)));
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(!elements.contains("script"), "{elements:?}");
    assert!(
        elements.contains("svg") && elements.contains("rect"),
        "board pictures"
    );
    assert!(text.contains("Eén vast aanspreekpunt per buurt"));

    let csv = download(&r, "notes.csv", &r.ft).await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv.body.starts_with('\u{feff}'), "a BOM, for Excel");
    insta::assert_snapshot!("notes.csv", stable(&r, &csv.body));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[5], "tekst");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // 3 words, 4 regie steps (the fifth is merged into the first), each of D's two group
    // boards with those 4 steps carried over (their expertise in the last column), 1 insight.
    assert_eq!(rows.len(), 3 + 4 + 4 + 4 + 1);
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let hostile = rows.iter().find(|r| r[5].contains("HYPERLINK")).unwrap();
    assert!(hostile[5].starts_with('\''), "a formula is neutralised");
    assert_eq!(&hostile[10], "1", "marked hidden");
    let edited = rows
        .iter()
        .find(|r| &r[5] == "Subsidie snel regelen")
        .unwrap();
    assert_eq!(&edited[6], "Subsidie; \"snel\" regelen");
    assert_eq!(&edited[4], "Bij de gemeente");
    assert_eq!(&edited[8], "Bram");
    // T0 + 1 h is 2027-01-15 09:00 UTC: 10:00 in Amsterdam (winter time), as Dutch writes it.
    assert_eq!(&edited[11], "15-01-2027 10:00");

    // The OpenDocument report: a zip a real reader opens, its mimetype first, its content XML.
    let odt = download(&r, "report.odt", &r.ft).await;
    assert_eq!(odt.status, 200);
    assert_eq!(
        odt.header("content-type"),
        Some("application/vnd.oasis.opendocument.text")
    );
    // Kept as test output, to open by hand (LibreOffice: `soffice --headless --convert-to pdf`).
    let out = crate::support::repo_root().join("tests/output");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("export-report.odt"), &odt.bytes).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(odt.bytes.clone())).unwrap();
    assert_eq!(archive.by_index(0).unwrap().name().unwrap(), "mimetype");
    let mut content = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("content.xml").unwrap(), &mut content)
        .unwrap();
    let mut reader = quick_xml::Reader::from_str(&content);
    let mut paragraphs = Vec::new();
    loop {
        match reader.read_event().expect("content.xml is well-formed") {
            quick_xml::events::Event::Text(t) => paragraphs.push(t.decode().unwrap().into_owned()),
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(
        paragraphs
            .iter()
            .any(|p| p == "Eén vast aanspreekpunt per buurt — Chris")
    );
    insta::assert_snapshot!("report.odt-content.xml", stable(&r, &content));

    let svg = download(&r, "board-2.svg", &r.ft).await;
    assert_eq!(svg.status, 200);
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    insta::assert_snapshot!("board-2.svg", svg.body);
    let mut reader = quick_xml::Reader::from_str(&svg.body);
    let mut notes = 0;
    loop {
        match reader.read_event().expect("the SVG is well-formed") {
            quick_xml::events::Event::Empty(e) if e.name().as_ref() == b"rect" => notes += 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(notes, 1 + 3, "the background and three visible notes");
    // The same picture as PNG: it decodes, at the SVG's size, and is not blank.
    let png = download(&r, "board-2.png", &r.ft).await;
    assert_eq!(png.status, 200, "{}", png.body);
    assert_eq!(png.header("content-type"), Some("image/png"));
    let decoder = png::Decoder::new(std::io::Cursor::new(png.bytes.clone()));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.width, 16 + 4 * (220 + 16));
    let yellow = pixels
        .chunks(4)
        .filter(|p| p[0] > 240 && p[1] > 230 && p[2] < 150)
        .count();
    let dark = pixels
        .chunks(4)
        .filter(|p| p[0] < 60 && p[1] < 60 && p[2] < 60)
        .count();
    assert!(
        yellow > 3 * 200 * 100,
        "three post-its: {yellow} yellow pixels"
    );
    assert!(dark > 500, "text was drawn: {dark} dark pixels");
    std::fs::write(out.join("export-board-2.png"), &png.bytes).unwrap();

    let group = download(&r, "board-3-2.svg", &r.ft).await;
    assert_eq!(group.status, 200);
    // Group 2's board: the map carried over from C (its expertise is in the report's outline).
    assert!(group.body.contains("Subsidie snel regelen"));

    let en = call(
        &r.f,
        "GET",
        &format!("/api/sessions/{}/export/report.md?lang=en", r.id),
        Some(&r.ft),
        None,
    )
    .await;
    assert!(
        en.body
            .starts_with("# Report: Learning session for civil servants")
    );
}

#[tokio::test]
async fn only_the_facilitator_and_organisers_export_and_anonymity_removes_names() {
    let r = recorded().await;
    for (token, status) in [(r.pt.as_str(), 403), ("onzin", 401), (SECRET, 200)] {
        let v = download(&r, "session.json", token).await;
        assert_eq!(v.status, status, "{}", v.body);
    }
    // Who is asking is answered before what: no file names for a participant.
    assert_eq!(download(&r, "report.pdf", &r.pt).await.status, 403);
    for file in [
        "report.pdf",
        "board-x.svg",
        "board-99.svg",
        "board-2-x.svg",
        "..%2Fetc",
    ] {
        let v = download(&r, file, &r.ft).await;
        assert_eq!(v.status, 404, "{file}: {}", v.body);
    }
    let bad = call(
        &r.f,
        "GET",
        &format!("/api/sessions/{}/export/report.md?lang=fr", r.id),
        Some(&r.ft),
        None,
    )
    .await;
    assert_eq!(bad.status, 400);

    // Organisers list the sessions; a facilitator can't.
    let list = call(&r.f, "GET", "/api/sessions", Some(SECRET), None).await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.json()[0]["code"], r.code.as_str());
    assert_eq!(list.json()[0]["members"], 3);
    let list = call(&r.f, "GET", "/api/sessions", Some(&r.ft), None).await;
    assert_eq!(list.status, 401, "a facilitator's link is no account");

    // Anonymous: no names anywhere.
    control(&r, json!({ "action": "set_anonymous", "anonymous": true })).await;
    for file in draaiboeken::export::ExportFile::ALL {
        let v = download(&r, file.name(), &r.ft).await;
        assert_eq!(v.status, 200, "{}: {}", file.name(), v.body);
        let file = file.name();
        for name in ["Anouk", "Bram", "Chris"] {
            assert!(!v.body.contains(name), "{name} in {file}");
        }
    }
    let data = download(&r, "session.json", &r.ft).await.json();
    assert_eq!(data["anonymous"], true);
    assert_eq!(data["members"], json!([]));
    // The control document says so too (phones and the console read it there).
    let agenda = connect(&r.f, &r.id, "agenda", &r.pt).await;
    let map = agenda.peer.doc().get_or_insert_map("agenda");
    let txn = agenda.peer.doc().transact();
    let control: Value =
        serde_json::from_str(&map.get(&txn, "control").unwrap().to_string(&txn)).unwrap();
    assert_eq!(control["anonymous"], true);
}

/// Every draaiboek, run to the end with a post-it in each block that has a board: every format
/// comes out and opens.
#[tokio::test]
async fn a_finished_session_of_each_draaiboek_exports_in_every_format() {
    let clock = ManualClock::new(T0);
    let c = clock.clone();
    let f = start_with(move |s| s.clock = c).await;
    for (draaiboek, role) in [
        ("ambtenaren", "ambtenaar"),
        ("bewoners", "bewoner"),
        ("bewoners-en-ambtenaren", "initiatiefnemer"),
    ] {
        let s = create(&f, draaiboek).await;
        let (id, code, ft) = (
            s["id"].as_str().unwrap().to_owned(),
            s["code"].as_str().unwrap().to_owned(),
            s["facilitator_token"].as_str().unwrap().to_owned(),
        );
        let p = join(&f, &code, "Samira", role).await.json();
        let (member, pt) = (
            p["member_id"].as_str().unwrap().to_owned(),
            p["token"].as_str().unwrap().to_owned(),
        );
        let v = command(&f, &id, &ft, json!({ "action": "start" }))
            .await
            .json();
        let steps = v["steps"].as_array().unwrap().clone();
        let mut written = 0;
        for (i, step) in steps.iter().enumerate() {
            let werkvorm = step["werkvorm"].as_str().unwrap_or("");
            let writes = draaiboeken::werkvorm::Werkvorm::from_id(werkvorm)
                .is_some_and(|w| w.rules().participants_write);
            if writes {
                let private = step["private"] == true;
                let doc = if private {
                    format!("blok/{i}/eigen/{member}")
                } else {
                    format!("blok/{i}")
                };
                let mut c = connect(&f, &id, &doc, &pt).await;
                // The werkvorm decides what is written: a check-in takes one word, and
                // stickers, expertise, challenges and the dreamteam are no post-its.
                let text = if werkvorm == "check-in" {
                    format!("Briefje{i}")
                } else {
                    format!("Briefje in blok {i}")
                };
                note(&mut c, &format!("n{i}"), &text, &member).await;
                let post_its = matches!(
                    werkvorm,
                    "check-in" | "post-its" | "proces-in-kaart" | "regie" | "een-op-een"
                );
                if post_its {
                    written += 1;
                } else {
                    c.denied().await.unwrap();
                }
                if private && post_its {
                    let r = call(
                        &f,
                        "POST",
                        &format!("/api/sessions/{id}/control"),
                        Some(&ft),
                        Some(json!({ "action": "reveal", "step": i })),
                    )
                    .await;
                    assert_eq!(r.status, 200, "{}", r.body);
                }
            }
            clock.advance(MINUTE);
            assert_eq!(
                command(&f, &id, &ft, json!({ "action": "next" }))
                    .await
                    .status,
                200
            );
        }
        assert!(written > 0, "{draaiboek} has blocks to write in");
        let get = |file: &str| {
            let path = format!("/api/sessions/{id}/export/{file}");
            let ft = ft.clone();
            let f = &f;
            async move { call(f, "GET", &path, Some(&ft), None).await }
        };
        let data = get("session.json").await.json();
        // Distinct texts: a process map carried on into the next block shows its steps again.
        let notes: std::collections::BTreeSet<String> = data["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|b| b["boards"].as_array().unwrap())
            .flat_map(|b| {
                let loose = b["loose"].as_array().unwrap().iter();
                let clustered = b["clusters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|c| c["notes"].as_array().unwrap());
                loose
                    .chain(clustered)
                    .map(|n| n["text"].as_str().unwrap().to_owned())
            })
            .collect();
        assert_eq!(
            notes.len(),
            written,
            "{draaiboek}: every post-it is in the data"
        );
        let csv = get("notes.csv").await;
        let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .map(Result::unwrap)
            .collect();
        // One row per post-it on each board it stands on (carried maps repeat their steps).
        let boards: usize = data["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|b| b["boards"].as_array().unwrap())
            .map(|b| {
                b["loose"].as_array().unwrap().len()
                    + b["clusters"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c["notes"].as_array().unwrap().len())
                        .sum::<usize>()
            })
            .sum();
        assert_eq!(rows.len(), boards, "{draaiboek}: one row per post-it");
        let texts: std::collections::BTreeSet<&str> =
            rows.iter().map(|r| r.get(5).unwrap()).collect();
        assert_eq!(
            texts,
            notes.iter().map(String::as_str).collect(),
            "{draaiboek}: the CSV has every post-it"
        );
        let first_board = data["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .position(|b| !b["boards"].as_array().unwrap().is_empty())
            .unwrap();
        for file in ["report.html".to_owned(), format!("board-{first_board}.svg")] {
            let body = get(&file).await.body;
            let mut reader = quick_xml::Reader::from_str(&body);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{draaiboek} {file}: {e}"),
                }
            }
            assert!(body.contains("Briefje"), "{draaiboek} {file}");
        }
        let md = get("report.md").await.body;
        assert!(md.contains("Briefje in blok"), "{draaiboek}");
        let odt = get("report.odt").await;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(odt.bytes)).unwrap();
        let mut content = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("content.xml").unwrap(), &mut content)
            .unwrap();
        assert!(content.contains("Briefje in blok"), "{draaiboek}");
    }
}

use super::*;

/// (letter, minutes, werkvorm id or "" for a block of sub-blocks, sub-blocks)
type Row = (
    &'static str,
    u32,
    &'static str,
    &'static [(&'static str, u32, &'static str)],
);

/// The schedules of Bijlage 3 of the source report, transcribed. A break has letter "".
const SOURCE_TABLES: [(&str, &[Row]); 3] = [
    (
        "ambtenaren",
        &[
            ("A", 5, "introductie", &[]),
            ("B", 15, "check-in", &[]),
            ("C", 10, "regie", &[]),
            ("D", 20, "expertise", &[]),
            ("", 10, "pauze", &[]),
            ("E", 30, "post-its", &[]),
            ("F", 20, "post-its", &[]),
            ("G", 5, "afsluiting", &[]),
        ],
    ),
    (
        "bewoners",
        &[
            ("A", 5, "introductie", &[]),
            ("B", 15, "check-in", &[]),
            (
                "C",
                30,
                "",
                &[
                    ("C.1", 10, "post-its"),
                    ("C.2", 10, "proces-in-kaart"),
                    ("C.3", 10, "rollen"),
                ],
            ),
            ("", 10, "pauze", &[]),
            (
                "D",
                60,
                "",
                &[
                    ("D.1", 30, "post-its"),
                    ("D.2", 20, "plenair"),
                    ("D.3", 10, "post-its"),
                ],
            ),
            ("F", 5, "afsluiting", &[]),
        ],
    ),
    (
        "bewoners-en-ambtenaren",
        &[
            ("A", 5, "introductie", &[]),
            ("B", 10, "een-op-een", &[]),
            (
                "C",
                40,
                "",
                &[
                    ("C.1", 5, "post-its"),
                    ("C.2", 10, "proces-in-kaart"),
                    ("C.3", 15, "rollen"),
                    ("C.4", 5, "uitdagingen"),
                    ("C.5", 5, "dreamteam"),
                ],
            ),
            // The source lost this break's length; the file assumes 10 minutes.
            ("", 10, "pauze", &[]),
            ("D", 3, "afsluiting", &[]),
        ],
    ),
];

fn werkvorm_id(b: &Block) -> &'static str {
    b.werkvorm.map_or("", |w| w.id())
}

#[test]
fn built_in_draaiboeken_match_the_source_schedules() {
    let builtin = builtin().unwrap_or_else(|e| panic!("built-in draaiboeken must parse:\n{e}"));
    assert_eq!(builtin.len(), SOURCE_TABLES.len());
    for (d, (id, rows)) in builtin.iter().zip(SOURCE_TABLES) {
        assert_eq!(d.id, id);
        let got: Vec<_> = d
            .blocks
            .iter()
            .map(|b| {
                let subs: Vec<_> = b
                    .blocks
                    .iter()
                    .map(|s| {
                        (
                            s.letter.clone().unwrap_or_default(),
                            s.minutes,
                            werkvorm_id(s),
                        )
                    })
                    .collect();
                (
                    b.letter.clone().unwrap_or_default(),
                    b.minutes,
                    werkvorm_id(b),
                    subs,
                )
            })
            .collect();
        let want: Vec<_> = rows
            .iter()
            .map(|(l, m, w, subs)| {
                let subs: Vec<_> = subs
                    .iter()
                    .map(|(l, m, w)| (l.to_string(), *m, *w))
                    .collect();
                (l.to_string(), *m, *w, subs)
            })
            .collect();
        assert_eq!(got, want, "draaiboek {id}");
    }
    let breaks: Vec<bool> = builtin
        .iter()
        .map(|d| d.blocks.iter().any(|b| b.assumed_minutes))
        .collect();
    assert_eq!(
        breaks,
        [false, false, true],
        "only draaiboek 3's break is an assumption"
    );
    assert_eq!(
        builtin
            .iter()
            .map(Draaiboek::total_minutes)
            .collect::<Vec<_>>(),
        [115, 125, 68]
    );
}

#[test]
fn every_built_in_text_has_dutch_and_english() {
    for d in builtin().unwrap() {
        let mut texts = vec![&d.title, &d.doelgroep, &d.doel, &d.voorbereiding];
        texts.extend(d.roles.iter().map(|r| &r.name));
        let mut blocks: Vec<&Block> = d.blocks.iter().collect();
        blocks.extend(d.blocks.iter().flat_map(|b| &b.blocks));
        for b in blocks {
            texts.push(&b.title);
            texts.extend(b.prompt.iter());
            texts.extend(b.instructions.facilitator.iter());
            texts.extend(b.instructions.participants.iter());
            let leaf = b.blocks.is_empty() && b.werkvorm != Some(crate::werkvorm::Werkvorm::Pauze);
            if leaf {
                assert!(
                    b.instructions.facilitator.is_some(),
                    "{}: {:?} has no facilitator instruction",
                    d.id,
                    b.letter
                );
            }
        }
        for t in texts {
            assert!(
                t.translation(Lang::En).is_some(),
                "{}: `{}` has no English",
                d.id,
                t.dutch()
            );
        }
    }
}

/// The schedule lines ("5 min A | Inleiding …") of draaiboeken 1 and 2 in the OCR'd source file
/// itself. (Draaiboek 3's table came through the OCR scrambled; it is checked by hand above.)
#[test]
fn the_source_file_agrees_on_letters_and_minutes() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/seeds/004_ccbd58cf881694f6.txt");
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the source report belongs beside the repo ({}): {e}",
            path.display()
        )
    });
    let start = source
        .find("DEEL 2: DRARIBOEKEN")
        .expect("draaiboeken part");
    let part = &source[start..];
    let schedules: Vec<Vec<(String, u32)>> = part
        .split("Tijdschema programma")
        .skip(1)
        .take(2)
        .map(|section| {
            section
                .lines()
                .map_while(|l| (!l.starts_with("A)")).then_some(l))
                .filter_map(|line| {
                    let (minutes, rest) = line.trim().split_once(" min ")?;
                    let minutes: u32 = minutes.trim().parse().ok()?;
                    let (letter, _) = rest.split_once('|')?;
                    let letter = letter.trim();
                    let letter = if letter.starts_with("Pauze") {
                        ""
                    } else {
                        letter
                    };
                    Some((letter.to_owned(), minutes))
                })
                .collect()
        })
        .collect();
    let lens: Vec<usize> = schedules.iter().map(Vec::len).collect();
    assert_eq!(
        lens,
        [7, 5],
        "schedule lines found in the source: {schedules:?}"
    );
    let builtin = builtin().unwrap();
    for (schedule, d) in schedules.iter().zip(&builtin) {
        // The source writes the break as "10 min Pauze", without letter or bar; compare the rest.
        let ours: Vec<(String, u32)> = d
            .blocks
            .iter()
            .filter(|b| b.letter.is_some())
            .map(|b| (b.letter.clone().unwrap_or_default(), b.minutes))
            .collect();
        assert_eq!(schedule, &ours, "draaiboek {}", d.id);
    }
}

fn errors(source: &str) -> String {
    match parse("mijn.toml", source) {
        Ok(_) => panic!("expected errors for:\n{source}"),
        Err(e) => e.to_string(),
    }
}

const MINIMAL: &str = r##"
id = "mini"
title = "Mini"
doelgroep = "Iedereen"
doel = "Proberen"
voorbereiding = "Niets"

[[roles]]
id = "bewoner"
name = "Bewoner"
colour = "#e07b00"

[[blocks]]
letter = "A"
title = "Start"
minutes = 5
werkvorm = "introductie"
"##;

#[test]
fn a_minimal_draaiboek_parses() {
    let d = parse("mini.toml", MINIMAL).unwrap();
    assert_eq!(d.total_minutes(), 5);
    assert_eq!(d.title.get(Lang::En), "Mini", "English falls back to Dutch");
}

#[test]
fn validation_messages() {
    let cases: [(&str, String); 10] = [
        (
            "unknown_werkvorm",
            MINIMAL.replace("\"introductie\"", "\"brainstorm\""),
        ),
        ("missing_title", MINIMAL.replace("title = \"Start\"\n", "")),
        (
            "sub_blocks_do_not_add_up",
            format!(
                "{MINIMAL}\n[[blocks]]\nletter = \"B\"\ntitle = \"Groep\"\nminutes = 20\n\
                 [[blocks.blocks]]\nletter = \"B.1\"\ntitle = \"Een\"\nminutes = 5\nwerkvorm = \"post-its\"\n\
                 [[blocks.blocks]]\nletter = \"B.2\"\ntitle = \"Twee\"\nminutes = 10\nwerkvorm = \"rollen\"\n"
            ),
        ),
        (
            "duplicate_letter",
            format!(
                "{MINIMAL}\n[[blocks]]\nletter = \"A\"\ntitle = \"Nog een\"\nminutes = 5\nwerkvorm = \"pauze\"\n"
            ),
        ),
        (
            "bad_minutes",
            MINIMAL.replace("minutes = 5", "minutes = -3"),
        ),
        (
            "unknown_field",
            MINIMAL.replace("minutes = 5", "minuten = 5"),
        ),
        (
            "unknown_language",
            MINIMAL.replace(
                "title = \"Start\"",
                "title = { nl = \"Start\", en = \"Start\", fr = \"Début\" }",
            ),
        ),
        (
            "text_not_a_string",
            MINIMAL.replace("title = \"Start\"", "title = { nl = 3 }"),
        ),
        (
            "toml_syntax",
            MINIMAL.replace("title = \"Start\"", "title = \"Start"),
        ),
        (
            "several_at_once",
            MINIMAL
                .replace("id = \"mini\"", "id = \"Mini Sessie\"")
                .replace("colour = \"#e07b00\"", "colour = \"oranje\"")
                .replace("letter = \"A\"", "letter = \"a\""),
        ),
    ];
    for (name, source) in cases {
        insta::assert_snapshot!(name, errors(&source));
    }
}

#[test]
fn the_parser_survives_mangled_input() {
    // Deterministic xorshift: the same mutations on every run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut rejected = 0;
    let rounds = 3000;
    for round in 0..rounds {
        let (_, source) = BUILTIN_SOURCES[round % BUILTIN_SOURCES.len()];
        let mut bytes = source.as_bytes().to_vec();
        for _ in 0..1 + next() % 4 {
            let at = (next() as usize) % bytes.len();
            match next() % 4 {
                0 => bytes[at] = (next() % 128) as u8,
                1 => bytes.truncate(at),
                2 => {
                    bytes.remove(at);
                }
                _ => {
                    let from = (next() as usize) % bytes.len();
                    let piece: Vec<u8> = bytes[from..(from + 40).min(bytes.len())].to_vec();
                    let at = at.min(bytes.len());
                    bytes.splice(at..at, piece);
                }
            }
            if bytes.is_empty() {
                break;
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        if parse("mangled.toml", &text).is_err() {
            rejected += 1;
        }
    }
    assert!(
        rejected > rounds / 2,
        "only {rejected} of {rounds} mangled files were rejected"
    );
    let huge = "#".repeat(MAX_SOURCE_BYTES + 1);
    assert!(errors(&huge).contains("over the limit"));
}

#[test]
fn every_participant_text_of_the_builtin_draaiboeken_is_in_every_language() {
    use crate::i18n::Lang;
    fn participant_texts<'a>(blocks: &'a [Block], out: &mut Vec<&'a Text>) {
        for b in blocks {
            out.push(&b.title);
            out.extend(b.instructions.participants.as_ref());
            out.extend(b.prompt.as_ref());
            out.extend(&b.questions);
            participant_texts(&b.blocks, out);
        }
    }
    for d in builtin().unwrap() {
        let mut texts = vec![&d.title];
        texts.extend(d.roles.iter().map(|r| &r.name));
        participant_texts(&d.blocks, &mut texts);
        for text in texts {
            for &lang in Lang::ALL {
                let t = text.translation(lang);
                assert!(
                    t.is_some_and(|t| !t.trim().is_empty()),
                    "{}: {:?} has no {}",
                    d.id,
                    text.dutch(),
                    lang.code()
                );
            }
            let arabic = text.translation(Lang::Ar).unwrap_or_default();
            assert!(
                arabic.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c)),
                "{}: {arabic:?} is not Arabic",
                d.id
            );
        }
    }
}

#[test]
fn an_own_draaiboek_without_a_translation_shows_the_dutch() {
    use crate::i18n::Lang;
    let source = r##"
id = "eigen"
title = { nl = "Onze buurtavond", en = "Our neighbourhood evening" }
doelgroep = "Buren"
doel = "Kennismaken"
voorbereiding = "Koffie"

[[roles]]
id = "bewoner"
name = "Bewoner"
colour = "#e07b00"

[[blocks]]
letter = "A"
title = "Check-in"
minutes = 5
werkvorm = "check-in"
instructions.participants = "Schrijf één woord."
"##;
    let d = parse("eigen.toml", source).unwrap();
    for lang in [Lang::Tr, Lang::Ar] {
        assert_eq!(d.title.get(lang), "Onze buurtavond");
        assert_eq!(d.roles[0].name.get(lang), "Bewoner");
        assert_eq!(d.blocks[0].title.get(lang), "Check-in");
        let p = d.blocks[0].instructions.participants.as_ref().unwrap();
        assert_eq!(p.get(lang), "Schrijf één woord.");
        assert_eq!(p.translation(lang), None);
    }
    assert_eq!(d.title.get(Lang::En), "Our neighbourhood evening");
    // A Turkish or Arabic text of its own is taken.
    let with = source.replace(
        r#"title = "Check-in""#,
        r#"title = { nl = "Check-in", tr = "Açılış", ar = "البداية" }"#,
    );
    let d = parse("eigen.toml", &with).unwrap();
    assert_eq!(d.blocks[0].title.get(Lang::Tr), "Açılış");
    assert_eq!(d.blocks[0].title.get(Lang::Ar), "البداية");
    assert_eq!(d.blocks[0].title.get(Lang::En), "Check-in");
}

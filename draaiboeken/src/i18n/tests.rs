//! The languages compared: placeholders, plural forms, names.

use super::*;

/// Every plural category a language's rules give for some number.
fn categories(lang: Lang) -> Vec<Plural> {
    let mut seen = Vec::new();
    for n in (0..=1000).chain([1_000_000, u64::MAX]) {
        let p = lang.plural(n);
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen
}

#[test]
fn every_language_uses_the_placeholders_dutch_uses() {
    for &lang in Lang::ALL {
        for &key in Key::ALL {
            assert_eq!(
                placeholders(t(lang, key)),
                placeholders(t(Lang::Nl, key)),
                "{key:?} in {}",
                lang.code()
            );
        }
        for &key in Counted::ALL {
            let dutch = placeholders(counted(Lang::Nl, key, Plural::Other));
            assert!(dutch.contains(&"count"), "{key:?} doesn't show its count");
            for p in categories(lang) {
                assert_eq!(
                    placeholders(counted(lang, key, p)),
                    dutch,
                    "{key:?} ({p:?}) in {}",
                    lang.code()
                );
            }
        }
    }
}

#[test]
fn no_message_has_a_stray_brace_or_is_empty() {
    for &lang in Lang::ALL {
        let counted_messages = Counted::ALL.iter().flat_map(|&k| {
            categories(lang)
                .into_iter()
                .map(move |p| counted(lang, k, p))
        });
        for m in Key::ALL.iter().map(|&k| t(lang, k)).chain(counted_messages) {
            assert!(!m.trim().is_empty(), "an empty message in {}", lang.code());
            let text: String = pieces(m)
                .filter_map(|p| match p {
                    Piece::Text(t) => Some(t),
                    Piece::Placeholder(_) => None,
                })
                .collect();
            assert!(!text.contains(['{', '}']), "{m:?} in {}", lang.code());
        }
    }
}

#[test]
fn languages_are_known_by_code_and_tag() {
    assert_eq!(Lang::ALL[0], Lang::DEFAULT);
    for &lang in Lang::ALL {
        assert_eq!(Lang::from_code(lang.code()), Some(lang));
        assert!(!lang.name().is_empty());
    }
    assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
    assert_eq!(Lang::from_tag("NL_nl"), Some(Lang::Nl));
    assert_eq!(Lang::from_tag("fr-FR"), None);
    assert_eq!(Lang::from_tag(""), None);
    assert_eq!(Lang::from_tag("tr-TR"), Some(Lang::Tr));
    assert_eq!(Lang::from_tag("ar-MA"), Some(Lang::Ar));
    assert_eq!(Lang::codes(), "nl, en, tr, ar");
    assert_eq!(Lang::Ar.direction(), Direction::RightToLeft);
    assert_eq!(Lang::Tr.direction(), Direction::LeftToRight);
    let names: Vec<&str> = Lang::ALL.iter().map(|l| l.name()).collect();
    assert_eq!(names, ["Nederlands", "English", "Türkçe", "العربية"]);
}

#[test]
fn counted_messages_follow_the_plural_rules() {
    assert_eq!(tn(Lang::Nl, Counted::Notes, 1, &[]), "1 briefje");
    assert_eq!(tn(Lang::Nl, Counted::Notes, 0, &[]), "0 briefjes");
    assert_eq!(
        tn(Lang::En, Counted::Written, 2, &[("total", &3)]),
        "2 of 3 have written something"
    );
    assert_eq!(tf(Lang::En, Key::Group, &[("n", &2)]), "Group 2");
}

#[test]
fn a_language_is_json_by_its_code() {
    assert_eq!(serde_json::to_string(&Lang::Ar).unwrap(), r#""ar""#);
    assert_eq!(serde_json::from_str::<Lang>(r#""tr""#).unwrap(), Lang::Tr);
    let err = serde_json::from_str::<Lang>(r#""fr""#).unwrap_err();
    assert!(err.to_string().contains("nl, en, tr, ar"), "{err}");
    assert_eq!(Lang::default(), Lang::Nl);
}

#[test]
fn turkish_has_one_and_other() {
    assert_eq!(Lang::Tr.plural(1), Plural::One);
    for n in [0, 2, 5, 11, 21, 101, 1_000_000] {
        assert_eq!(Lang::Tr.plural(n), Plural::Other, "{n}");
    }
    assert_eq!(tn(Lang::Tr, Counted::Notes, 3, &[]), "3 not");
    assert_eq!(
        tn(Lang::Tr, Counted::Written, 2, &[("total", &5)]),
        "5 kişiden 2 kişi bir şey yazdı"
    );
}

#[test]
fn arabic_follows_the_cldr_rule() {
    let cases = [
        (0, Plural::Zero),
        (1, Plural::One),
        (2, Plural::Two),
        (3, Plural::Few),
        (10, Plural::Few),
        (11, Plural::Many),
        (26, Plural::Many),
        (99, Plural::Many),
        (100, Plural::Other),
        (101, Plural::Other),
        (102, Plural::Other),
        (103, Plural::Few),
        (110, Plural::Few),
        (111, Plural::Many),
        (199, Plural::Many),
        (200, Plural::Other),
        (1000, Plural::Other),
        (1003, Plural::Few),
        (1011, Plural::Many),
        (u64::MAX, Plural::Many), // …615: 15 in the last two digits
    ];
    for (n, p) in cases {
        assert_eq!(Lang::Ar.plural(n), p, "{n}");
    }
    assert_eq!(categories(Lang::Ar).len(), 6);
    assert_eq!(tn(Lang::Ar, Counted::Notes, 2, &[]), "2 ملاحظتان");
    assert_eq!(tn(Lang::Ar, Counted::Notes, 5, &[]), "5 ملاحظات");
    assert_eq!(tn(Lang::Ar, Counted::Members, 12, &[]), "12 مشاركًا");
    assert_eq!(tn(Lang::Ar, Counted::Members, 100, &[]), "100 مشارك");
    assert!(data_kept(Lang::Ar, 90).contains("90 يومًا"));
    assert!(data_kept(Lang::Ar, 7).contains("7 أيام"));
}

#[test]
fn dates_are_written_as_each_language_writes_them() {
    let t = LocalTime {
        year: 2026,
        month: 3,
        day: 4,
        hour: 9,
        minute: 5,
    };
    let written: Vec<String> = Lang::ALL.iter().map(|l| l.date_time(t)).collect();
    assert_eq!(
        written,
        [
            "04-03-2026 09:05",
            "04/03/2026 09:05",
            "04.03.2026 09:05",
            "04/03/2026 09:05"
        ]
    );
    // Western digits in Arabic too.
    assert!(written[3].is_ascii());
}

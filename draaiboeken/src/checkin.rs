//! The one-word check-in: keeping it to one word, and grouping the words the room wrote.
//!
//! Words are grouped by a key that depends on the word's language ([`key`]): a word in Arabic
//! script is kept as written, without its optional marks; otherwise the session's language
//! decides. Dutch folds case, accents, punctuation and the common variants of a word: plurals
//! (`kansen`, `auto's`) and diminutives (`huisje`, `bloemetje`). Turkish folds case as Turkish
//! does (`I` is the capital of `ı`, `İ` of `i`) and keeps ç, ğ, ı, ö, ş, ü (letters of their
//! own: `kır` and `kir` are different words). The facilitator can still regroup a note by hand
//! ([`crate::board::set_word`]).

use std::collections::BTreeMap;

use crate::board::Board;
use crate::i18n::Lang;

/// What a participant typed, as a check-in word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OneWord {
    Empty,
    Word(String),
    /// More than one word: a friendly nudge, with the longest word as a suggestion (in "heel
    /// erg moe" the telling word is rarely the first).
    TooMany {
        suggestion: String,
    },
}

/// A combining mark: Arabic harakat, tanween and the dagger alef, or the Latin combining
/// accents. Part of a word, though not alphanumeric.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{064b}'..='\u{065f}' | '\u{0670}')
}

/// `text` with tag-like markup (`<b>`, `</i>`, `<span class=x>`) replaced by spaces: someone
/// who types `<b>moe</b>` means the word `moe`, and markup is never part of a word. Anything
/// else with a `<` (`<3`, `a < b`) stays as typed.
fn without_markup(text: &str) -> std::borrow::Cow<'_, str> {
    /// The longest tag taken for markup, `<` and `>` included.
    const MAX_TAG: usize = 64;
    if !text.contains('<') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let body = tail[1..].strip_prefix('/').unwrap_or(&tail[1..]);
        let tag_len = tail
            .find('>')
            .filter(|end| *end < MAX_TAG && !tail[1..*end].contains('<'))
            .filter(|_| body.starts_with(|c: char| c.is_ascii_alphabetic()));
        match tag_len {
            Some(end) => {
                out.push(' ');
                rest = &tail[end + 1..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// Checks a check-in answer. A hyphenated word counts as one.
pub fn one_word(text: &str) -> OneWord {
    let text = without_markup(text);
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && !is_mark(c)))
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [] => OneWord::Empty,
        [w] => OneWord::Word((*w).to_owned()),
        many => OneWord::TooMany {
            suggestion: many
                .iter()
                .fold("", |best, w| {
                    if w.chars().count() > best.chars().count() {
                        w
                    } else {
                        best
                    }
                })
                .to_owned(),
        },
    }
}

fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Strips `suffix` when at least `keep` characters remain.
fn strip<'a>(word: &'a str, suffix: &str, keep: usize) -> Option<&'a str> {
    word.strip_suffix(suffix)
        .filter(|stem| stem.chars().count() >= keep)
}

/// Whether `c` is a letter of the Arabic script (the Arabic blocks, presentation forms too).
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06ff}' | '\u{0750}'..='\u{077f}' | '\u{08a0}'..='\u{08ff}'
        | '\u{fb50}'..='\u{fdff}' | '\u{fe70}'..='\u{feff}')
        && c.is_alphabetic()
}

/// Lower case as `lang` writes it. `İ` is the capital of `i` everywhere (`İstanbul` is
/// `istanbul` in any session; `char::to_lowercase` would leave a combining dot); in Turkish
/// `I` is the capital of `ı`.
fn lower(c: char, lang: Lang) -> impl Iterator<Item = char> {
    let special = match c {
        '\u{130}' => Some('i'),
        'I' if lang == Lang::Tr => Some('\u{131}'),
        _ => None,
    };
    special.into_iter().chain(
        special
            .is_none()
            .then(|| c.to_lowercase())
            .into_iter()
            .flatten(),
    )
}

/// The grouping key of a check-in word in a session in `lang`:
/// - a word in Arabic script is kept as written, without tatweel (the stretching stroke,
///   `كـلمة`) and without harakat (the optional vowel marks, `كَلِمَة`): neither is a letter,
///   and most people write without them. Letters stay as they are: alef with or without
///   hamza, ta marbuta and ha are different spellings a person chose;
/// - in a Turkish session: Turkish lower case, no punctuation, and a suffix after an apostrophe
///   left off (`İstanbul'da` ~ `istanbul`); accents are letters in Turkish and stay;
/// - in a Dutch session: lower case, no accents or punctuation, and without the common Dutch
///   plural and diminutive endings;
/// - otherwise (English, or a Latin word in an Arabic session): lower case, no accents or
///   punctuation.
pub fn key(word: &str, lang: Lang) -> String {
    if word.chars().any(is_arabic) {
        return word
            .chars()
            .filter(|&c| c != '\u{640}' && !is_mark(c))
            .filter(|c| c.is_alphanumeric())
            .collect();
    }
    if lang == Lang::Tr {
        let stem = word
            .split_once(['\'', '\u{2019}'])
            .map_or(word, |(stem, _)| stem);
        let stem = if stem.chars().count() >= 2 {
            stem
        } else {
            word
        };
        return stem
            .chars()
            .flat_map(|c| lower(c, Lang::Tr))
            .filter(|c| c.is_alphanumeric())
            .collect();
    }
    let w: String = word
        .chars()
        .flat_map(|c| lower(c, lang))
        .map(fold_accent)
        .filter(|c| c.is_alphanumeric())
        .collect();
    if lang == Lang::Nl { dutch_stem(&w) } else { w }
}

/// `w` (lower case, no accents) without the common Dutch plural and diminutive endings.
fn dutch_stem(w: &str) -> String {
    // Diminutives first (bloemetjes → bloem), then plurals (kansen → kans, auto's → auto).
    let w = w
        .strip_suffix('s')
        .filter(|s| s.ends_with("je"))
        .unwrap_or(w);
    let mut stem = ["etje", "pje", "kje", "tje", "je"]
        .iter()
        .find_map(|s| strip(w, s, 4))
        .unwrap_or(w)
        .to_owned();
    if let Some(s) = strip(&stem, "en", 3) {
        stem = s.to_owned();
    } else if let Some(s) = strip(&stem, "s", 3)
        && (s.ends_with(is_vowel)
            || ["el", "er", "em", "en", "eur"]
                .iter()
                .any(|e| s.ends_with(e)))
    {
        stem = s.to_owned();
    }
    // A final adjective -e (blije → blij, onduidelijke → onduidelijk).
    if stem.chars().count() >= 5
        && stem.ends_with('e')
        && !stem.ends_with("ee")
        && !stem.ends_with("ie")
    {
        stem.pop();
    }
    // kansen → kans, bommen → bom: a doubled final consonant after stripping is one.
    let chars: Vec<char> = stem.chars().collect();
    if let [.., a, b] = chars.as_slice()
        && a == b
        && !is_vowel(*a)
        && chars.len() > 3
        && stem != w
    {
        stem.pop();
    }
    stem
}

/// One group of the check-in: the words that count as the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordGroup {
    pub key: String,
    /// The spelling used most (the first of those, on a tie).
    pub label: String,
    pub count: usize,
    /// The notes in this group, in wall order.
    pub notes: Vec<String>,
}

/// Groups the visible notes of a check-in board in a session in `lang` (see [`key`]), largest
/// group first (then by key, in code point order: the language's lower case).
pub fn group(board: &Board, lang: Lang) -> Vec<WordGroup> {
    let mut groups: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for n in board.visible() {
        let word = match one_word(&n.text) {
            OneWord::Word(w) | OneWord::TooMany { suggestion: w } => w,
            OneWord::Empty => continue,
        };
        let k = n.word.clone().unwrap_or_else(|| key(&word, lang));
        let entry = groups.entry(k).or_default();
        entry.0.push(n.id.clone());
        for _ in 0..=n.merged.len() {
            entry.1.push(word.clone());
        }
    }
    let mut out: Vec<WordGroup> = groups
        .into_iter()
        .map(|(key, (notes, words))| {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for w in &words {
                match counts.iter_mut().find(|(s, _)| s == w) {
                    Some((_, c)) => *c += 1,
                    None => counts.push((w.clone(), 1)),
                }
            }
            let best = counts.iter().map(|(_, c)| *c).max().unwrap_or(0);
            let label = counts
                .into_iter()
                .find(|(_, c)| *c == best)
                .map(|(w, _)| w)
                .unwrap_or_else(|| key.clone());
            WordGroup {
                count: words.len(),
                key,
                label,
                notes,
            }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    out
}

/// A word cloud size from 1 (smallest) to 5 for a group of `count` when the largest has `max`.
pub fn size(count: usize, max: usize) -> u8 {
    if max <= 1 {
        return 3;
    }
    (1 + (count.saturating_sub(1) * 4) / (max - 1)).min(5) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::BoardNote;

    #[test]
    fn one_word_nudges_instead_of_refusing() {
        assert_eq!(one_word("  "), OneWord::Empty);
        assert_eq!(
            one_word(" Nieuwsgierig! "),
            OneWord::Word("Nieuwsgierig".into())
        );
        assert_eq!(one_word("top-down"), OneWord::Word("top-down".into()));
        // Markup typed around a word is not part of it; a `<` that isn't markup is no tag.
        for typed in ["<b>x</b>", "<i>x", "x</span>", "<span class=\"a\">x</span>"] {
            assert_eq!(one_word(typed), OneWord::Word("x".into()), "{typed}");
        }
        assert_eq!(
            one_word("moe<br>blij"),
            OneWord::TooMany {
                suggestion: "blij".into()
            }
        );
        assert_eq!(one_word("<3"), OneWord::Word("3".into()));
        assert_eq!(one_word("a<b"), OneWord::Word("a<b".into()));
        assert_eq!(one_word("<<b>>"), OneWord::Empty);
        assert_eq!(
            one_word("heel erg nieuwsgierig"),
            OneWord::TooMany {
                suggestion: "nieuwsgierig".into()
            }
        );
        assert_eq!(
            one_word("best wel moe"),
            OneWord::TooMany {
                suggestion: "best".into()
            },
            "the first of the longest"
        );
    }

    #[test]
    fn dutch_variants_share_a_key() {
        for (a, b) in [
            ("Kans", "kansen"),
            ("huis", "Huisje"),
            ("bloem", "bloemetjes"),
            ("boom", "boompje"),
            ("stoel", "stoeltje"),
            ("ruimte", "ruimtes"),
            ("auto", "auto's"),
            ("idee", "ideeën"),
            ("Café", "cafe"),
            ("blij", "blije"),
            ("onduidelijk", "Onduidelijke"),
            ("uitdaging", "uitdagingen"),
            ("bom", "bommen"),
            ("Frustratie!", "frustratie"),
            ("woning", "woninkje"),
        ] {
            if (a, b) == ("woning", "woninkje") {
                // Not every diminutive is caught; the facilitator regroups those by hand.
                assert_ne!(key(a, Lang::Nl), key(b, Lang::Nl));
                continue;
            }
            assert_eq!(key(a, Lang::Nl), key(b, Lang::Nl), "{a} ~ {b}");
        }
        for (a, b) in [("open", "op"), ("moe", "moeilijk"), ("chaos", "chaotisch")] {
            assert_ne!(key(a, Lang::Nl), key(b, Lang::Nl), "{a} ≁ {b}");
        }
    }

    fn note(id: &str, text: &str) -> BoardNote {
        BoardNote {
            id: id.into(),
            text: text.into(),
            original: None,
            author: None,
            at: None,
            cluster: None,
            hidden: false,
            merged: Vec::new(),
            word: None,
            municipal: false,
        }
    }

    #[test]
    fn groups_count_variants_and_follow_manual_regrouping() {
        let mut board = Board {
            notes: vec![
                note("a", "Kansen"),
                note("b", "kans"),
                note("c", "Moe"),
                note("d", "kans"),
                note("e", "Vermoeid"),
                note("f", "   "),
            ],
            ..Board::default()
        };
        let g = group(&board, Lang::Nl);
        assert_eq!(g.len(), 3);
        assert_eq!((g[0].label.as_str(), g[0].count), ("kans", 3));
        assert_eq!(g[0].notes, ["a", "b", "d"]);
        assert_eq!((g[1].label.as_str(), g[1].count), ("Moe", 1));

        board.notes[4].word = Some(key("moe", Lang::Nl));
        let g = group(&board, Lang::Nl);
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].count, 2, "Vermoeid joined Moe by hand");

        board.notes[2].hidden = true;
        assert_eq!(group(&board, Lang::Nl)[1].count, 1);
    }

    #[test]
    fn dutch_folding_is_for_dutch_sessions_only() {
        assert_eq!(key("kansen", Lang::Nl), "kans");
        assert_eq!(key("Kansen", Lang::En), "kansen");
        assert_eq!(key("Café", Lang::En), "cafe");
        assert_ne!(key("chances", Lang::En), key("chance", Lang::En));
        // A Turkish word that happens to end like a Dutch plural keeps its ending.
        assert_eq!(key("Ekmeğen", Lang::Tr), "ekmeğen");
        assert_eq!(key("kapıcıyken", Lang::Tr), "kapıcıyken");
    }

    #[test]
    fn turkish_folds_case_as_turkish_does() {
        let tr = |w| key(w, Lang::Tr);
        // İ is the capital of i, I of ı.
        assert_eq!(tr("İstanbul"), "istanbul");
        assert_eq!(tr("İSTANBUL"), "istanbul");
        assert_eq!(tr("istanbul"), tr("İstanbul"));
        assert_eq!(tr("ILIK"), "ılık");
        assert_eq!(tr("Ilık"), tr("ılık"));
        // ISTANBUL is ıstanbul to Turkish: not the same word (the facilitator can regroup).
        assert_eq!(tr("ISTANBUL"), "ıstanbul");
        assert_ne!(tr("ISTANBUL"), tr("istanbul"));
        // Dotted and dotless are different letters, and so are the other Turkish letters.
        for (a, b) in [
            ("kır", "kir"),
            ("ılık", "ilik"),
            ("öl", "ol"),
            ("çok", "cok"),
            ("şu", "su"),
        ] {
            assert_ne!(tr(a), tr(b), "{a} ≁ {b}");
        }
        assert_eq!(tr("Umutlu!"), "umutlu");
        assert_eq!(tr("ÇOK"), "çok");
        assert_eq!(tr("ŞAŞKIN"), "şaşkın");
        // A suffix after an apostrophe (on a name) is left off.
        assert_eq!(tr("İstanbul'da"), "istanbul");
        assert_eq!(tr("Ankara’ya"), "ankara");
        // Outside a Turkish session, İ is still i, and I is i.
        assert_eq!(key("İstanbul", Lang::Nl), "istanbul");
        assert_eq!(key("ISTANBUL", Lang::Nl), "istanbul");
        assert_eq!(key("İstanbul", Lang::En), key("ISTANBUL", Lang::En));
    }

    #[test]
    fn arabic_words_are_kept_intact_without_optional_marks() {
        for lang in [Lang::Ar, Lang::Nl, Lang::Tr, Lang::En] {
            // Harakat and tatweel are not letters: the same word.
            assert_eq!(key("كَلِمَة", lang), "كلمة");
            assert_eq!(key("كـلمة", lang), "كلمة");
            assert_eq!(key("أمل!", lang), "أمل");
            // Letters stay: no Dutch stripping of anything, no folding of hamza or ta marbuta.
            assert_ne!(key("أمل", lang), key("امل", lang));
            assert_ne!(key("فرصة", lang), key("فرصه", lang));
            assert_eq!(key("متحمسون", lang), "متحمسون");
        }
        // A Latin word in an Arabic session: case and accents only.
        assert_eq!(key("Kansen", Lang::Ar), "kansen");
        // A word ending in a vowel mark is one word, as written.
        assert_eq!(one_word(" شُكْرًا "), OneWord::Word("شُكْرًا".into()));
        assert_eq!(one_word("كَتَبَ"), OneWord::Word("كَتَبَ".into()));
    }

    #[test]
    fn groups_follow_the_sessions_language() {
        let board = Board {
            notes: vec![
                note("a", "İstanbul"),
                note("b", "istanbul"),
                note("c", "ILIK"),
                note("d", "ılık"),
                note("e", "أَمَل"),
                note("f", "أمل"),
            ],
            ..Board::default()
        };
        let g = group(&board, Lang::Tr);
        let counts: Vec<(&str, usize)> = g.iter().map(|g| (g.key.as_str(), g.count)).collect();
        assert_eq!(counts, [("istanbul", 2), ("ılık", 2), ("أمل", 2)]);
        assert_eq!(g[0].label, "İstanbul", "the first spelling on a tie");
        // In a Dutch session ILIK is ilik, and ılık keeps its ı.
        assert_eq!(group(&board, Lang::Nl).len(), 4);
    }

    #[test]
    fn sizes_span_one_to_five() {
        assert_eq!(size(1, 1), 3);
        assert_eq!(size(1, 5), 1);
        assert_eq!(size(5, 5), 5);
        assert_eq!(size(3, 5), 3);
    }
}

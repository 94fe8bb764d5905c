//! Named placeholders: `{name}` in a message stands for the value called `name`. A name is
//! lowercase ASCII letters and `_`; any other brace is text.

use std::fmt::{Display, Write as _};

/// A piece of a message: text as it is, or a placeholder's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// The message in pieces, in order (no empty text pieces).
pub fn pieces(message: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = message;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if let Some(name) = placeholder_at(rest) {
            rest = &rest[name.len() + 2..];
            return Some(Piece::Placeholder(name));
        }
        // Text up to the next placeholder (a brace that opens none is text).
        let mut end = rest.len();
        for (i, _) in rest.match_indices('{').filter(|(i, _)| *i > 0) {
            if placeholder_at(&rest[i..]).is_some() {
                end = i;
                break;
            }
        }
        let (text, after) = rest.split_at(end);
        rest = after;
        Some(Piece::Text(text))
    })
}

/// The placeholder's name if `text` starts with one.
fn placeholder_at(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('{')?;
    let end = inner.find('}')?;
    let name = &inner[..end];
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')).then_some(name)
}

/// The message with each placeholder replaced by its value in `args`; a placeholder without a
/// value stays as it is, so the mistake shows.
pub fn fill(message: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(message.len() + 16);
    for piece in pieces(message) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Placeholder(name) => match args.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => {
                    let _ = write!(out, "{value}");
                }
                None => {
                    let _ = write!(out, "{{{name}}}");
                }
            },
        }
    }
    out
}

/// The names of the message's placeholders, sorted, each once.
pub fn placeholders(message: &str) -> Vec<&str> {
    let mut names: Vec<&str> = pieces(message)
        .filter_map(|p| match p {
            Piece::Placeholder(name) => Some(name),
            Piece::Text(_) => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill("{done} van {total}", &[("total", &3), ("done", &"1")]),
            "1 van 3"
        );
        assert_eq!(fill("{n}{n}", &[("n", &7)]), "77");
        assert_eq!(fill("zonder", &[("n", &7)]), "zonder");
        assert_eq!(fill("{missing} blijft", &[]), "{missing} blijft");
    }

    #[test]
    fn other_braces_are_text() {
        for text in ["{", "}", "{}", "{A}", "{a b}", "a {", "{{n}", "x{1}y"] {
            assert_eq!(
                fill(text, &[("n", &1), ("a", &2)]),
                text.replace("{{n}", "{1")
            );
        }
        assert_eq!(
            pieces("a {n} {x").collect::<Vec<_>>(),
            [
                Piece::Text("a "),
                Piece::Placeholder("n"),
                Piece::Text(" {x")
            ]
        );
        assert_eq!(placeholders("{b} {a} {b} {C}"), ["a", "b"]);
    }
}

//! The report as Markdown.

use std::fmt::Write as _;

use super::model::SessionExport;
use super::outline::{Part, outline};
use crate::i18n::Lang;

/// The report as Markdown.
pub fn to_markdown(e: &SessionExport, lang: Lang) -> String {
    let mut out = String::new();
    for part in outline(e, lang) {
        let _ = match part {
            Part::Title(t) => writeln!(out, "# {}\n", md_escape(&t)),
            Part::Line(t) => writeln!(out, "{}\n", md_escape(&t)),
            Part::Block(t) => writeln!(out, "## {}\n", md_escape(&t)),
            Part::Timing(t) => writeln!(out, "*{}*\n", md_escape(&t)),
            Part::Question(t) => writeln!(out, "> {}\n", md_escape(&t)),
            Part::Group(t) => writeln!(out, "### {}\n", md_escape(&t)),
            Part::Label(t) => writeln!(out, "**{}**\n", md_escape(&t)),
            Part::Items(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", md_escape(&item));
                }
                writeln!(out)
            }
            Part::Table { head, rows } => {
                let cell = |t: &str| md_escape(t);
                let _ = writeln!(
                    out,
                    "| {} |",
                    head.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")
                );
                let _ = writeln!(out, "|{}", " --- |".repeat(head.len()));
                for row in rows {
                    let _ = writeln!(
                        out,
                        "| {} |",
                        row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                    );
                }
                writeln!(out)
            }
            Part::Picture { .. } => Ok(()),
        };
    }
    out
}

/// Markdown: participants' text can't start a heading, list or HTML block, or a link.
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_notes_stays_text() {
        assert_eq!(
            super::super::xml_escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        assert_eq!(
            super::md_escape("# kop [link](x) <b>"),
            "\\# kop \\[link\\](x) \\<b\\>"
        );
    }
}

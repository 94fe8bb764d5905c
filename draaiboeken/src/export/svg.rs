//! A picture of a board as SVG (the server draws the PNG from it).

use std::fmt::Write as _;

use super::model::{ExportBoard, ExportNote};
use super::xml_escape;

/// Breaks text into lines of at most `width` characters, at spaces where it can.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_owned();
        while word.chars().count() > width {
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(head);
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

const NOTE_W: u32 = 220;
const NOTE_H: u32 = 150;
const GAP: u32 = 16;
const COLUMNS: u32 = 4;
const LINE_CHARS: usize = 22;
const MAX_LINES: usize = 6;

/// A picture of a board as it looks: its clusters as labelled rows of post-its, then the loose
/// ones (hidden notes left out). A standalone SVG document.
pub fn board_svg(board: &ExportBoard, title: &str) -> String {
    let mut body = String::new();
    let mut y = 60u32;
    let sections: Vec<(Option<&str>, Vec<&ExportNote>)> = board
        .clusters
        .iter()
        .map(|c| {
            (
                Some(c.name.as_str()),
                c.notes.iter().filter(|n| !n.hidden).collect(),
            )
        })
        .chain(std::iter::once((
            None,
            board.loose.iter().filter(|n| !n.hidden).collect(),
        )))
        .filter(|(_, notes): &(Option<&str>, Vec<&ExportNote>)| !notes.is_empty())
        .collect();
    for (name, notes) in &sections {
        if let Some(name) = name {
            let _ = write!(
                body,
                r#"<text x="{GAP}" y="{}" class="cluster">{}</text>"#,
                y + 24,
                xml_escape(name)
            );
            y += 36;
        }
        for (i, n) in notes.iter().enumerate() {
            let (col, row) = (i as u32 % COLUMNS, i as u32 / COLUMNS);
            let (x, ny) = (GAP + col * (NOTE_W + GAP), y + row * (NOTE_H + GAP));
            let _ = write!(
                body,
                r#"<g transform="translate({x},{ny})"><rect width="{NOTE_W}" height="{NOTE_H}" rx="4" class="note"/>"#
            );
            let mut lines = wrap(&n.text, LINE_CHARS);
            if lines.len() > MAX_LINES {
                lines.truncate(MAX_LINES);
                if let Some(last) = lines.last_mut() {
                    last.push('…');
                }
            }
            for (l, line) in lines.iter().enumerate() {
                let _ = write!(
                    body,
                    r#"<text x="12" y="{}">{}</text>"#,
                    28 + l as u32 * 20,
                    xml_escape(line)
                );
            }
            body.push_str("</g>");
        }
        let rows = (notes.len() as u32).div_ceil(COLUMNS);
        y += rows * (NOTE_H + GAP) + 8;
    }
    let width = GAP + COLUMNS * (NOTE_W + GAP);
    let height = y.max(100);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}"><style>text{{font-family:"DejaVu Sans",Arial,sans-serif;font-size:16px;fill:#111}}.title{{font-size:24px;font-weight:bold}}.cluster{{font-size:20px;font-weight:bold;fill:#0b4f9c}}.note{{fill:#fff27a;stroke:#d9c400;stroke-width:2}}</style><rect width="100%" height="100%" fill="#fdfdf8"/><text x="{GAP}" y="36" class="title">{label}</text>{body}</svg>"##,
        label = xml_escape(title),
    )
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_keeps_words_and_cuts_long_ones() {
        assert_eq!(wrap("een twee drie", 8), ["een twee", "drie"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert!(wrap("   ", 4).is_empty());
    }
}

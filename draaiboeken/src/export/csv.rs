//! One row per post-it, for a spreadsheet.

use super::model::SessionExport;
use super::outline::step_details;
use super::time::amsterdam_local;
use crate::i18n::{Key, Lang, t};

/// One CSV field: quoted when needed, and a leading `=`, `+`, `-`, `@` (a formula to a
/// spreadsheet) neutralised with an apostrophe.
fn csv_field(text: &str) -> String {
    let text = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    };
    if text.contains([';', '"', '\n', '\r', ',']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One row per post-it, for a spreadsheet: UTF-8 with a byte-order mark, `;` between fields
/// and CRLF line ends, which LibreOffice Calc and a Dutch Excel open as columns.
pub fn to_csv(e: &SessionExport, lang: Lang) -> String {
    let header: Vec<&str> = [
        Key::CsvBlock,
        Key::CsvTitle,
        Key::CsvWerkvorm,
        Key::CsvGroup,
        Key::CsvCluster,
        Key::CsvText,
        Key::CsvOriginal,
        Key::CsvMerged,
        Key::CsvAuthor,
        Key::CsvRole,
        Key::CsvHidden,
        Key::CsvTime,
        Key::CsvAboutStep,
    ]
    .into_iter()
    .map(|k| t(lang, k))
    .collect();
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(";"));
    out.push_str("\r\n");
    for b in &e.blocks {
        for board in &b.boards {
            // A process step's row says what was said about it.
            let details = |text: &str| -> String {
                board
                    .process
                    .as_ref()
                    .and_then(|p| p.steps.iter().find(|s| s.text == text))
                    .map(|s| step_details(s, e, lang))
                    .unwrap_or_default()
            };
            for (cluster, n) in board.notes() {
                let row: [String; 13] = [
                    b.letter.clone().unwrap_or_default(),
                    b.title.get(lang).to_owned(),
                    b.werkvorm.map(|w| w.id().to_owned()).unwrap_or_default(),
                    board.group.map(|g| g.to_string()).unwrap_or_default(),
                    cluster.unwrap_or_default().to_owned(),
                    n.text.clone(),
                    n.original.clone().unwrap_or_default(),
                    n.merged.join("; "),
                    n.author.clone().unwrap_or_default(),
                    n.role
                        .as_deref()
                        .map(|r| e.role_name(r, lang))
                        .unwrap_or_default(),
                    if n.hidden { "1" } else { "0" }.to_owned(),
                    n.at.map(|at| lang.date_time(amsterdam_local(at)))
                        .unwrap_or_default(),
                    details(&n.text),
                ];
                let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
                out.push_str(&fields.join(";"));
                out.push_str("\r\n");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("gewoon"), "gewoon");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("zei \"ja\""), "\"zei \"\"ja\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1"), "'-1");
        assert_eq!(csv_field("twee\nregels"), "\"twee\nregels\"");
    }
}

//! The report as one standalone HTML page.

use std::fmt::Write as _;

use super::model::SessionExport;
use super::outline::{Part, outline, report_title};
use super::svg::board_svg;
use super::xml_escape;
use crate::i18n::{Direction, Lang};

/// The report as one standalone HTML page that prints well, with a picture of each board.
pub fn to_html(e: &SessionExport, lang: Lang) -> String {
    let mut out = String::new();
    let title = report_title(e, lang);
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html lang="{lang}"{dir}><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>{title}</title><style>
body{{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.45}}
h1{{font-size:1.8rem}} h2{{font-size:1.35rem;border-bottom:3px solid #0b4f9c;padding-bottom:.2rem;margin-top:2rem}}
h3{{font-size:1.1rem}} h4{{margin:.8rem 0 .2rem}} .timing{{color:#333;font-style:italic}} .question{{border-left:6px solid #8a4b00;background:#fff6e5;padding:.5rem 1rem}}
ul li{{margin:.2rem 0}} table{{border-collapse:collapse;margin:.5rem 0}} th,td{{border:1px solid #999;padding:.25rem .5rem;text-align:left}} figure{{margin:1rem 0}} figure svg{{max-width:100%;height:auto;border:1px solid #ccc}}
@media print{{body{{margin:0;max-width:none}} h2,h3,h4{{break-after:avoid}} figure{{break-inside:avoid}}}}
</style></head><body>
"#,
        lang = lang.code(),
        // Left to right is what a page does anyway: the attribute only for the others.
        dir = match lang.direction() {
            Direction::LeftToRight => String::new(),
            d => format!(r#" dir="{}""#, d.attribute()),
        },
        title = xml_escape(&title),
    );
    let mut in_block = false;
    for part in outline(e, lang) {
        let _ = match part {
            Part::Title(t) => writeln!(out, "<h1>{}</h1>", xml_escape(&t)),
            Part::Line(t) => writeln!(out, "<p>{}</p>", xml_escape(&t)),
            Part::Block(t) => {
                if in_block {
                    out.push_str("</section>\n");
                }
                in_block = true;
                writeln!(out, "<section><h2>{}</h2>", xml_escape(&t))
            }
            Part::Timing(t) => writeln!(out, "<p class=\"timing\">{}</p>", xml_escape(&t)),
            Part::Question(t) => writeln!(out, "<p class=\"question\">{}</p>", xml_escape(&t)),
            Part::Group(t) => writeln!(out, "<h3>{}</h3>", xml_escape(&t)),
            Part::Label(t) => writeln!(out, "<h4>{}</h4>", xml_escape(&t)),
            Part::Items(items) => {
                out.push_str("<ul>");
                for item in items {
                    // What people wrote runs as written, in a report of either direction.
                    let _ = write!(out, "<li dir=\"auto\">{}</li>", xml_escape(&item));
                }
                writeln!(out, "</ul>")
            }
            Part::Table { head, rows } => {
                out.push_str("<table><thead><tr>");
                for h in head {
                    let _ = write!(out, "<th scope=\"col\">{}</th>", xml_escape(&h));
                }
                out.push_str("</tr></thead><tbody>");
                for row in rows {
                    out.push_str("<tr>");
                    for (i, c) in row.iter().enumerate() {
                        let tag = if i == 0 {
                            "th scope=\"row\" dir=\"auto\""
                        } else {
                            "td"
                        };
                        let close = if i == 0 { "th" } else { "td" };
                        let _ = write!(out, "<{tag}>{}</{close}>", xml_escape(c));
                    }
                    out.push_str("</tr>");
                }
                writeln!(out, "</tbody></table>")
            }
            Part::Picture { board, title } => {
                writeln!(out, "<figure>{}</figure>", board_svg(board, &title))
            }
        };
    }
    if in_block {
        out.push_str("</section>\n");
    }
    out.push_str("</body></html>\n");
    out
}

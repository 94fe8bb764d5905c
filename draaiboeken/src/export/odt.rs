//! The report as an OpenDocument text: three small files in a zip archive, written by the
//! `zip` crate. Every entry is stored uncompressed (the `mimetype` must be, and first, as ODF
//! says; the others are a few kilobytes) and dated 1980-01-01, so the same report gives the same
//! bytes.

use std::fmt::Write as _;
use std::io::Write as _;

use zip::write::{SimpleFileOptions, ZipWriter};
use zip::{CompressionMethod, result::ZipError};

use super::model::SessionExport;
use super::outline::{Part, outline};
use super::xml_escape;
use crate::i18n::{Direction, Lang};

/// The report as an OpenDocument text (`.odt`), which LibreOffice and Word open: headings,
/// paragraphs and lists in a zip archive. (The boards' pictures are in the HTML report.)
pub fn to_odt(e: &SessionExport, lang: Lang) -> Result<Vec<u8>, OdtError> {
    let mut body = String::new();
    let heading = |body: &mut String, level: u8, t: &str| {
        write!(
            body,
            r#"<text:h text:style-name="H{level}" text:outline-level="{level}">{}</text:h>"#,
            xml_escape(t)
        )
    };
    let paragraph = |body: &mut String, style: &str, t: &str| {
        write!(
            body,
            r#"<text:p text:style-name="{style}">{}</text:p>"#,
            xml_escape(t)
        )
    };
    for part in outline(e, lang) {
        let _ = match part {
            Part::Title(t) => heading(&mut body, 1, &t),
            Part::Block(t) => heading(&mut body, 2, &t),
            Part::Group(t) => heading(&mut body, 3, &t),
            Part::Label(t) => heading(&mut body, 4, &t),
            Part::Line(t) => paragraph(&mut body, "P", &t),
            Part::Timing(t) => paragraph(&mut body, "Timing", &t),
            Part::Question(t) => paragraph(&mut body, "Question", &t),
            Part::Items(items) => {
                body.push_str("<text:list>");
                for item in items {
                    let _ = write!(
                        body,
                        "<text:list-item><text:p>{}</text:p></text:list-item>",
                        xml_escape(&item)
                    );
                }
                write!(body, "</text:list>")
            }
            Part::Table { head, rows } => {
                // One line per row, "step: role value; …": readable without table styles.
                body.push_str("<text:list>");
                for row in rows {
                    let cells: Vec<String> = head
                        .iter()
                        .zip(&row)
                        .skip(1)
                        .filter(|(_, c)| !c.is_empty())
                        .map(|(h, c)| format!("{h} {c}"))
                        .collect();
                    let _ = write!(
                        body,
                        "<text:list-item><text:p>{}: {}</text:p></text:list-item>",
                        xml_escape(row.first().map_or("", String::as_str)),
                        xml_escape(&cells.join("; "))
                    );
                }
                write!(body, "</text:list>")
            }
            Part::Picture { .. } => Ok(()),
        };
    }
    let styles = styles(lang);
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"><office:automatic-styles>{styles}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>
"#
    );
    let manifest = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="{MEDIA_TYPE}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>
"#
    );
    stored(&[
        ("mimetype", MEDIA_TYPE.as_bytes()),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", content.as_bytes()),
    ])
}

/// An OpenDocument text's media type, also its `mimetype` entry.
pub const MEDIA_TYPE: &str = "application/vnd.oasis.opendocument.text";

/// The zip writer failed (it writes to memory, so only a bug of its own would make it).
#[derive(Debug, thiserror::Error)]
#[error("writing the OpenDocument archive: {0}")]
pub struct OdtError(#[from] ZipError);

/// The archive of `files` (name, bytes) in this order, each stored as is.
fn stored(files: &[(&str, &[u8])]) -> Result<Vec<u8>, OdtError> {
    // `DEFAULT`, not `default()`: the latter dates entries now when zip's `time` feature is on.
    let options = SimpleFileOptions::DEFAULT.compression_method(CompressionMethod::Stored);
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in files {
        zip.start_file(*name, options)?;
        zip.write_all(data).map_err(ZipError::Io)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The report's paragraph styles for `lang`: right to left (and the language named, so a word
/// processor picks its fonts and spelling) in a right-to-left language.
fn styles(lang: Lang) -> String {
    if lang.direction() == Direction::LeftToRight {
        return STYLES.to_owned();
    }
    let rtl = r#"style:writing-mode="rl-tb" fo:text-align="start""#;
    let language = format!(r#"style:language-complex="{}""#, lang.code());
    STYLES
        .split_inclusive("</style:style>")
        .map(|style| {
            let style = if style.contains("<style:paragraph-properties ") {
                style.replacen(
                    "<style:paragraph-properties ",
                    &format!("<style:paragraph-properties {rtl} "),
                    1,
                )
            } else {
                style.replacen(
                    r#"style:family="paragraph">"#,
                    &format!(r#"style:family="paragraph"><style:paragraph-properties {rtl}/>"#),
                    1,
                )
            };
            if style.contains("<style:text-properties ") {
                style.replacen(
                    "<style:text-properties ",
                    &format!("<style:text-properties {language} "),
                    1,
                )
            } else {
                style.replacen(
                    "</style:style>",
                    &format!("<style:text-properties {language}/></style:style>"),
                    1,
                )
            }
        })
        .collect()
}

/// The report's paragraph styles (inside the document, so it needs no styles file).
const STYLES: &str = concat!(
    r##"<style:style style:name="H1" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.4cm"/><style:text-properties fo:font-size="20pt" fo:font-weight="bold"/></style:style>"##,
    r##"<style:style style:name="H2" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.6cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-size="15pt" fo:font-weight="bold" fo:color="#0b4f9c"/></style:style>"##,
    r##"<style:style style:name="H3" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.3cm" fo:keep-with-next="always"/><style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>"##,
    r##"<style:style style:name="H4" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold"/></style:style>"##,
    r##"<style:style style:name="P" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.2cm"/></style:style>"##,
    r##"<style:style style:name="Timing" style:family="paragraph"><style:text-properties fo:font-style="italic" fo:color="#333333"/></style:style>"##,
    r##"<style:style style:name="Question" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.2cm" fo:margin-bottom="0.2cm" fo:padding="0.2cm" fo:background-color="#fff6e5"/></style:style>"##,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arabic_report_runs_right_to_left_and_a_dutch_one_is_unchanged() {
        assert_eq!(styles(Lang::Nl), STYLES);
        let ar = styles(Lang::Ar);
        assert_eq!(ar.matches("<style:style ").count(), 7);
        assert_eq!(ar.matches(r#"style:writing-mode="rl-tb""#).count(), 7);
        assert_eq!(ar.matches(r#"style:language-complex="ar""#).count(), 7);
        assert_eq!(
            ar.matches("<style:paragraph-properties").count(),
            7,
            "one per style"
        );
    }
}

//! What a session produced, as documents organisers can use: the session as data
//! ([`SessionExport`], also the versioned JSON), a report in Markdown, as a standalone HTML
//! page with pictures of the boards and as OpenDocument text, a CSV with one row per post-it,
//! and each board as SVG. [`ExportFile`] is the list of those documents, which the API, the
//! console and the organisers' page all take from here.
//!
//! Everything here is pure: the server gathers the boards and hands them over. Texts written
//! by participants are hostile input: every renderer escapes for its format (HTML and SVG
//! entities, CSV quoting and spreadsheet formula neutralising).
//!
//! `model` builds the export; `outline` is the one outline of the report that the Markdown,
//! HTML and ODT renderers walk; each format has a file of its own.

mod csv;
mod html;
mod markdown;
mod model;
mod odt;
mod outline;
mod svg;
mod time;

pub use crate::i18n::Lang;
pub use csv::to_csv;
pub use html::to_html;
pub use markdown::to_markdown;
pub use model::*;
pub use odt::{OdtError, to_odt};
pub use svg::board_svg;
pub use time::{amsterdam_local, amsterdam_time};

use crate::i18n::Key;

/// A document of the whole session, as `GET /api/sessions/{id}/export/{name}` serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFile {
    Html,
    Odt,
    Markdown,
    Csv,
    Json,
}

impl ExportFile {
    /// Every document, in the order the console and the organisers' page offer them.
    pub const ALL: [ExportFile; 5] = [
        ExportFile::Html,
        ExportFile::Odt,
        ExportFile::Markdown,
        ExportFile::Csv,
        ExportFile::Json,
    ];

    /// Its file name, the last segment of its address.
    pub fn name(self) -> &'static str {
        match self {
            ExportFile::Html => "report.html",
            ExportFile::Odt => "report.odt",
            ExportFile::Markdown => "report.md",
            ExportFile::Csv => "notes.csv",
            ExportFile::Json => "session.json",
        }
    }

    pub fn from_name(name: &str) -> Option<ExportFile> {
        ExportFile::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Its `Content-Type`.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFile::Html => "text/html; charset=utf-8",
            ExportFile::Odt => odt::MEDIA_TYPE,
            ExportFile::Markdown => "text/markdown; charset=utf-8",
            ExportFile::Csv => "text/csv; charset=utf-8",
            ExportFile::Json => "application/json",
        }
    }

    /// What its download button says.
    pub fn label(self) -> Key {
        match self {
            ExportFile::Html => Key::ExportReport,
            ExportFile::Odt => Key::ExportOdt,
            ExportFile::Markdown => Key::ExportMarkdown,
            ExportFile::Csv => Key::ExportCsv,
            ExportFile::Json => Key::ExportJson,
        }
    }

    /// The document's bytes (texts in `lang`; the JSON has every language).
    pub fn render(self, e: &SessionExport, lang: Lang) -> Result<Vec<u8>, RenderError> {
        Ok(match self {
            ExportFile::Html => to_html(e, lang).into(),
            ExportFile::Odt => to_odt(e, lang)?,
            ExportFile::Markdown => to_markdown(e, lang).into(),
            ExportFile::Csv => to_csv(e, lang).into(),
            ExportFile::Json => serde_json::to_vec_pretty(e)?,
        })
    }
}

/// A document could not be made (neither happens with the data an export holds).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Odt(#[from] OdtError),
    #[error("writing the session's JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// How a board's picture comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    Svg,
    Png,
}

impl PictureFormat {
    /// In the order the console offers them.
    pub const ALL: [PictureFormat; 2] = [PictureFormat::Png, PictureFormat::Svg];

    pub fn extension(self) -> &'static str {
        match self {
            PictureFormat::Svg => "svg",
            PictureFormat::Png => "png",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            PictureFormat::Svg => "image/svg+xml",
            PictureFormat::Png => "image/png",
        }
    }
}

/// A picture of one board: `board-{step}.svg`, or `board-{step}-{group}.png` for a group's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardPicture {
    pub step: usize,
    pub group: Option<u32>,
    pub format: PictureFormat,
}

impl BoardPicture {
    pub fn name(&self) -> String {
        let ext = self.format.extension();
        match self.group {
            Some(g) => format!("board-{}-{g}.{ext}", self.step),
            None => format!("board-{}.{ext}", self.step),
        }
    }

    /// At most three digits for the step, a group up to 999.
    pub fn from_name(name: &str) -> Option<BoardPicture> {
        let rest = name.strip_prefix("board-")?;
        let (rest, format) = PictureFormat::ALL.into_iter().find_map(|f| {
            let rest = rest.strip_suffix(f.extension())?.strip_suffix('.')?;
            Some((rest, f))
        })?;
        let (step, group) = match rest.split_once('-') {
            Some((s, g)) => (s, Some(g.parse::<u32>().ok()?)),
            None => (rest, None),
        };
        if step.len() > 3 || group.is_some_and(|g| g > 999) {
            return None;
        }
        Some(BoardPicture {
            step: step.parse().ok()?,
            group,
            format,
        })
    }
}

/// Any file the export address serves, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    File(ExportFile),
    Picture(BoardPicture),
}

impl Download {
    pub fn from_name(name: &str) -> Option<Download> {
        ExportFile::from_name(name)
            .map(Download::File)
            .or_else(|| BoardPicture::from_name(name).map(Download::Picture))
    }

    /// The names there are, for an error message: `report.html, …, board-{step}[-{group}].svg
    /// (or .png)`.
    pub fn names() -> String {
        let files: Vec<&str> = ExportFile::ALL.iter().map(|f| f.name()).collect();
        let pictures: Vec<&str> = PictureFormat::ALL.iter().map(|f| f.extension()).collect();
        format!(
            "{} or board-{{step}}[-{{group}}].{{{}}}",
            files.join(", "),
            pictures.join(",")
        )
    }
}

/// Escapes text for HTML and XML (SVG) content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// What session `session` produced so far: `boards` as [`crate::sessie::Session::exported`]
/// chose them, `members` with who is online.
pub fn of_session(
    session: &crate::sessie::Session,
    boards: Vec<(usize, Option<u32>, crate::proces::ProcessMap)>,
    members: &[crate::sessie::MemberInfo],
    now: i64,
) -> SessionExport {
    build(Input {
        code: &session.code,
        draaiboek: &session.draaiboek,
        steps: &session.steps,
        agenda: session.agenda(),
        control: session.control(),
        members,
        boards,
        anonymous: session.control().anonymous,
        now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_found_by_its_name() {
        for f in ExportFile::ALL {
            assert_eq!(Download::from_name(f.name()), Some(Download::File(f)));
        }
        assert_eq!(ExportFile::from_name("report.pdf"), None);
    }

    #[test]
    fn board_pictures_are_named_by_step_and_group() {
        for (name, step, group, format) in [
            ("board-2.svg", 2, None, PictureFormat::Svg),
            ("board-3-2.png", 3, Some(2), PictureFormat::Png),
            ("board-999-999.svg", 999, Some(999), PictureFormat::Svg),
        ] {
            let p = BoardPicture {
                step,
                group,
                format,
            };
            assert_eq!(Download::from_name(name), Some(Download::Picture(p)));
            assert_eq!(p.name(), name);
        }
        for wrong in [
            "board-x.svg",
            "board-2-x.svg",
            "board-1000.svg",
            "board-2-1000.png",
            "board-.svg",
            "board-2-.svg",
            "board-2.gif",
            "board-2svg",
            "..%2Fetc",
        ] {
            assert_eq!(Download::from_name(wrong), None, "{wrong}");
        }
    }
}

//! Board pictures as PNG: the export's SVG drawn by resvg with this machine's fonts, for
//! slides and documents that don't take SVG.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error("no fonts found on this machine to draw text with; install fonts-dejavu-core")]
    NoFonts,
    #[error("the picture could not be drawn: {0}")]
    Svg(#[from] usvg::Error),
    #[error("the picture is too large to draw")]
    TooLarge,
    #[error("the picture could not be encoded: {0}")]
    Encode(String),
}

/// The system's fonts, loaded once.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            tracing::info!(faces = db.len(), "fonts loaded for PNG pictures");
            Arc::new(db)
        })
        .clone()
}

/// Largest picture drawn, in pixels (width × height).
const MAX_PIXELS: u64 = 40_000_000;

/// Draws `svg` as a PNG.
pub fn from_svg(svg: &str) -> Result<Vec<u8>, PngError> {
    let fontdb = fonts();
    if fontdb.is_empty() {
        return Err(PngError::NoFonts);
    }
    let options = usvg::Options {
        fontdb,
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)?;
    let size = tree.size().to_int_size();
    if u64::from(size.width()) * u64::from(size.height()) > MAX_PIXELS {
        return Err(PngError::TooLarge);
    }
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or(PngError::TooLarge)?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| PngError::Encode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_small_pictures_and_refuses_huge_ones() {
        let small = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#fff27a"/></svg>"##;
        let png = from_svg(small).expect("drawn");
        assert_eq!(&png[1..4], b"PNG");
        let huge = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10000" height="10000"></svg>"#;
        assert!(matches!(from_svg(huge), Err(PngError::TooLarge)));
        assert!(matches!(from_svg("<svg"), Err(PngError::Svg(_))));
    }
}

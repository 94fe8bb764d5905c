//! Role colours: what a draaiboek may give as one, and which text colour reads on it.

/// `#rrggbb`, the only form a draaiboek's colour takes.
pub fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s.bytes().skip(1).all(|b| b.is_ascii_hexdigit())
}

/// The text colour for writing on `colour` (`#rrggbb`): black or white, whichever contrasts more
/// by WCAG's relative luminance, so a draaiboek's own colours stay readable (WCAG 1.4.3).
/// Orange takes black, dark blue white. Anything else than `#rrggbb` counts as black.
pub fn ink_on(colour: &str) -> &'static str {
    let channel = |i: usize| {
        let v = colour
            .get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.0, |b| f64::from(b) / 255.0);
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    // Contrast with black is (L + 0.05) / 0.05 and with white 1.05 / (L + 0.05): equal at
    // L = sqrt(1.05 × 0.05) − 0.05 ≈ 0.179.
    if luminance > 0.179 { "#000" } else { "#fff" }
}

/// WCAG's contrast ratio of two `#rrggbb` colours, for the tests.
#[cfg(test)]
fn contrast(a: &str, b: &str) -> f64 {
    let l = |c: &str| {
        let ch = |i: usize| {
            let v = f64::from(u8::from_str_radix(&c[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5)
    };
    let (x, y) = (l(a), l(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_colours_take_the_ink_that_reads_on_them() {
        assert_eq!(ink_on("#e07b00"), "#000", "orange");
        assert_eq!(ink_on("#2e8b3d"), "#000", "green");
        assert_eq!(ink_on("#1f6fd1"), "#fff", "blue");
        assert_eq!(ink_on("#ffffff"), "#000");
        assert_eq!(ink_on("#000000"), "#fff");
    }

    #[test]
    fn every_colour_gets_text_of_at_least_4_5_to_1() {
        // Every 17th step of each channel: 4,096 colours across the whole cube.
        for r in (0..=255).step_by(17) {
            for g in (0..=255).step_by(17) {
                for b in (0..=255).step_by(17) {
                    let c = format!("#{r:02x}{g:02x}{b:02x}");
                    let ink = if ink_on(&c) == "#000" {
                        "#000000"
                    } else {
                        "#ffffff"
                    };
                    let ratio = contrast(&c, ink);
                    assert!(ratio >= 4.5, "{ink} on {c} is {ratio:.2}:1");
                }
            }
        }
    }

    #[test]
    fn a_malformed_colour_is_not_a_panic() {
        assert_eq!(ink_on("#e0"), "#fff");
        assert_eq!(ink_on("oranje"), "#fff");
        assert!(!is_colour("#e07b0"));
        assert!(is_colour("#E07B00"));
    }
}

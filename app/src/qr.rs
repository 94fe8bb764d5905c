//! A QR code as an SVG path: one square per dark module, drawn by Leptos (no inner HTML, no
//! inline styles, so the Content-Security-Policy stays strict).

use leptos::prelude::*;
use qrcode::{Color, EcLevel, QrCode};

/// The path and width (in modules, with a 4-module quiet zone) of `text` as a QR code.
pub fn qr_path(text: &str) -> Option<(String, usize)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let mut d = String::new();
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % width + quiet, i / width + quiet);
            d.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some((d, width + 2 * quiet))
}

#[component]
pub fn QrCode(text: Signal<String>, label: Signal<String>) -> impl IntoView {
    move || {
        let (d, size) = qr_path(&text.get())?;
        Some(view! {
            <svg class="qr" viewBox=format!("0 0 {size} {size}") role="img" aria-label=label.get()
                shape-rendering="crispEdges">
                <rect width=size height=size fill="#fff"/>
                <path d=d fill="#000"/>
            </svg>
        })
    }
}

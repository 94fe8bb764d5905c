//! The browser app: static files built from `app`, `public` and `style` (see `scripts/build-web`).

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Serves `web_dir`; any path that is not a file gets `index.html`, so app routes such as
/// `/r/{room}` load the app. Without a built app, every page says how to build it.
pub fn routes(web_dir: &Path) -> Router {
    let index = web_dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(dir = %web_dir.display(), "no built web app; run scripts/build-web");
        return Router::new().fallback(|| async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Html(
                    "<!doctype html><meta charset=utf-8><title>Werkmuur</title>\
                     <p>De webapp is nog niet gebouwd. Voer <code>scripts/build-web</code> uit.\
                     <p>The web app has not been built. Run <code>scripts/build-web</code>.",
                ),
            )
                .into_response()
        });
    }
    let files = ServeDir::new(web_dir)
        .precompressed_gzip()
        .fallback(ServeFile::new(index).precompressed_gzip());
    Router::new()
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}

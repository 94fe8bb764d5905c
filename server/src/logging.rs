//! What the log may say: never a payload, at any level. Werkmuur's own events name rooms,
//! sessions and sizes, never what was written or a token; the libraries it uses are held
//! below the levels at which they print what passes through them (tungstenite writes every
//! frame, post-it text included, in hex at trace; hyper its buffers), whatever `WERKMUUR_LOG`
//! asks for.

use tracing::{Level, Metadata};
use tracing_subscriber::filter::{FilterFn, filter_fn};

/// Libraries that log payloads at debug or trace.
const PAYLOAD_TARGETS: &[&str] = &[
    "tungstenite",
    "tokio_tungstenite",
    "hyper",
    "hyper_util",
    "h2",
    "axum::extract::ws",
];

/// Whether an event or span may be logged: anything, except debug and trace from
/// [`PAYLOAD_TARGETS`].
pub fn allowed(metadata: &Metadata<'_>) -> bool {
    *metadata.level() <= Level::INFO
        || !PAYLOAD_TARGETS.iter().any(|t| {
            metadata
                .target()
                .strip_prefix(t)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
        })
}

/// [`allowed`] as a filter for a layer, beside the level filter:
/// `fmt::layer().with_filter(env_filter.and(logging::no_payloads()))`.
pub fn no_payloads() -> FilterFn<fn(&Metadata<'_>) -> bool> {
    filter_fn(allowed as fn(&Metadata<'_>) -> bool)
}

//! The projector bundle: only its own pages (see `draaiboeken::route::Surface`).
fn main() {
    werkmuur_app::start_projector();
}

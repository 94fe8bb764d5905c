//! The way-in bundle: the home page and the join screen (see `draaiboeken::route::Surface`).
fn main() {
    werkmuur_app::start_join();
}

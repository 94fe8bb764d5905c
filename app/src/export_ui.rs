//! A button that downloads one export file of a session (the console's and the organisers').

use leptos::prelude::*;

use crate::api;

/// Downloads `file` of session `session` (in the session's language, which the server knows),
/// named after the session's code; a refusal is shown in `error` (in the page's language).
#[component]
pub fn DownloadButton(
    session: String,
    #[prop(into)] token: Signal<String>,
    file: String,
    #[prop(into)] code: Signal<String>,
    #[prop(into)] label: Signal<String>,
    error: RwSignal<Option<crate::Problem>>,
) -> impl IntoView {
    let data = file.clone();
    let click = move |_| {
        let path = format!("/api/sessions/{session}/export/{file}");
        let name = format!("werkmuur-{}-{file}", code.get_untracked());
        let token = token.get_untracked();
        leptos::task::spawn_local(async move {
            if let Err(f) = api::download(&path, &token, &name).await {
                error.set(Some(f.into()));
            }
        });
    };
    view! { <button type="button" data-export=data on:click=click>{move || label.get()}</button> }
}

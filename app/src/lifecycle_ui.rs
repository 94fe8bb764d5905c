//! The console's end of a session: how long its data is kept, and ending it.

use leptos::prelude::*;
use serde::Deserialize;

use crate::api;
use crate::i18n::{Key, data_kept, tr, use_lang};

#[derive(Clone, Deserialize)]
struct Lifecycle {
    ended_at: Option<i64>,
    retention_days: u32,
}

#[derive(Clone, Deserialize)]
struct WithLifecycle {
    lifecycle: Lifecycle,
}

/// How long the session's data is kept, and the button that ends it (after a confirmation);
/// once ended, that it has.
#[component]
pub fn EndPanel(
    session: String,
    token: String,
    error: RwSignal<Option<crate::Problem>>,
) -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(None::<Lifecycle>);
    {
        let (session, token) = (session.clone(), token.clone());
        leptos::task::spawn_local(async move {
            let url = format!("/api/sessions/{session}");
            if let Ok(s) = api::get::<WithLifecycle>(&url, Some(&token)).await {
                state.set(Some(s.lifecycle));
            }
        });
    }
    let end = move |_| {
        let sure = window()
            .confirm_with_message(tr(Key::ConfirmEndSession)())
            .unwrap_or(false);
        if !sure {
            return;
        }
        let (session, token) = (session.clone(), token.clone());
        leptos::task::spawn_local(async move {
            let url = format!("/api/sessions/{session}/end");
            match api::post::<_, Lifecycle>(&url, Some(&token), &serde_json::json!({})).await {
                Ok(l) => state.set(Some(l)),
                Err(f) => error.set(Some(f.into())),
            }
        });
    };
    view! {
        <section class="end-panel" aria-labelledby="end-heading">
            <h2 id="end-heading">{tr(Key::EndSession)}</h2>
            {move || state.get().map(|l| view! {
                <p class="hint retention">{data_kept(lang.get(), l.retention_days)}</p>
                {if l.ended_at.is_some() {
                    view! { <p role="status" class="ended">{tr(Key::SessionOver)}</p> }.into_any()
                } else {
                    view! {
                        <button type="button" class="end-session" on:click=end.clone()>
                            {tr(Key::EndSession)}
                        </button>
                    }.into_any()
                }}
            })}
        </section>
    }
}

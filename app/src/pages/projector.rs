//! `/p/{id}`: the projector. No controls: the join code and QR code, the current block with a
//! large timer, and the session's wall, readable from the back of the room. It opens on the
//! facilitator's computer and uses the token kept there.

use draaiboeken::board;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::Deserialize;

use crate::agenda_ui::{BlockClock, use_agenda, use_server_clock};
use crate::api::{self, tokens};
use crate::i18n::{Key, t, tr, use_lang};
use crate::qr::QrCode;
use crate::sync::{SyncClient, room_url};

#[derive(Clone, Deserialize)]
struct JoinAddress {
    base_url: String,
    problem: Option<String>,
}

#[derive(Clone, Deserialize)]
struct SessionInfo {
    code: String,
}

#[component]
pub fn ProjectorPage(id: String) -> impl IntoView {
    let Some(token) = tokens::load(&id) else {
        return view! { <main class="join"><p class="error" role="alert">{tr(Key::NoToken)}</p></main> }.into_any();
    };
    let (_agenda_client, agenda) = use_agenda(&id, &token);
    let now = use_server_clock();
    let address = RwSignal::new(None::<JoinAddress>);
    let code = RwSignal::new(String::new());
    {
        let (id, token) = (id.clone(), token.clone());
        leptos::task::spawn_local(async move {
            if let Ok(a) = api::get::<JoinAddress>("/api/join-address", None).await {
                address.set(Some(a));
            }
            if let Ok(s) =
                api::get::<SessionInfo>(&format!("/api/sessions/{id}"), Some(&token)).await
            {
                code.set(s.code);
            }
        });
    }
    let join_url = Signal::derive(move || {
        let base = address.get().map(|a| a.base_url).unwrap_or_default();
        format!("{base}/j/{}", code.get())
    });
    let qr_label = Signal::derive(move || format!("QR: {}", join_url.get()));
    let lang = use_lang();
    let port = Memo::new(move |_| {
        address
            .get()
            .and_then(|a| a.base_url.rsplit(':').next().map(str::to_owned))
            .unwrap_or_default()
    });
    let problem = Memo::new(move |_| {
        address.get()?.problem.map(|p| match p.as_str() {
            "loopback" => Key::LoopbackOnly,
            _ => Key::NoNetwork,
        })
    });

    // The wall, read-only here.
    let wall = SyncClient::connect(format!(
        "{}?token={token}",
        room_url(&format!("sessie/{id}/wand"))
    ));
    let version = wall.version;
    let replica = SendWrapper::new((wall.doc().clone(), board::notes_array(wall.doc())));
    let notes = Memo::new(move |_| {
        version.track();
        let (doc, notes) = &*replica;
        board::notes(notes, &yrs::Transact::transact(doc))
    });
    let closer = SendWrapper::new(wall);
    on_cleanup(move || closer.close());

    view! {
        <main class="projector">
            <aside class="join-panel">
                <p class="join-label">{tr(Key::JoinCodeIs)}</p>
                <p class="join-code projector-code">{move || code.get()}</p>
                <QrCode text=join_url label=qr_label/>
                <p class="join-url">{move || join_url.get()}</p>
                <p class="error" role="alert" hidden=move || problem.get().is_none()>
                    {move || problem.get().map(|k| t(lang.get(), k)).unwrap_or_default()}
                </p>
                <Show when=move || problem.get() == Some(Key::LoopbackOnly)>
                    <p><code>{move || format!("werkmuur serve --addr 0.0.0.0:{}", port.get())}</code></p>
                </Show>
            </aside>
            <div class="projector-main">
                <BlockClock agenda=agenda now=now/>
                <section class="projector-wall" aria-label=tr(Key::WallHeading)>
                    <ul class="notes">
                        <For each=move || notes.get() key=|n| n.id.clone()
                            children=|n| view! { <li class="postit">{n.text}</li> }/>
                    </ul>
                </section>
            </div>
        </main>
    }
    .into_any()
}

//! `/r/{room}`: one shared post-it wall. Write a note; every open page of the room shows it.
//! [`Wall`] is the wall itself, also used inside a session.

use draaiboeken::board::{self, MAX_NOTE_CHARS};
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::i18n::{Key, LanguageSwitch, tr};
use crate::sync::{Status, SyncClient, room_url};

#[component]
pub fn RoomPage(room: String) -> impl IntoView {
    view! { <Wall url=room_url(&room) label=room/> }
}

/// A post-it wall synced from `url`, with a composer. `label` names it in the header; children
/// go between the header and the composer. The unsent text is kept on the device, so a reload
/// or a dead battery's restart doesn't lose it.
#[component]
pub fn Wall(
    url: String,
    label: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let draft_key = format!("werkmuur.draft.{}", url.split('?').next().unwrap_or(&url));
    let client = SyncClient::connect(url);
    let notes_ref = board::notes_array(client.doc());
    let version = client.version;
    let status = client.status;

    // Browser-only values (the document is not Send); Leptos' closures want Send.
    let replica = SendWrapper::new((client.doc().clone(), notes_ref));
    let notes = Memo::new({
        let replica = replica.clone();
        move |_| {
            version.track();
            let (doc, notes) = &*replica;
            board::notes(notes, &yrs::Transact::transact(doc))
        }
    });

    let storage = window()
        .local_storage()
        .ok()
        .flatten()
        .map(SendWrapper::new);
    let saved = storage
        .as_ref()
        .and_then(|s| s.get_item(&draft_key).ok().flatten())
        .unwrap_or_default();
    let draft = RwSignal::new(saved);
    Effect::new(move |_| {
        let text = draft.get();
        if let Some(s) = &storage {
            let _ = if text.is_empty() {
                s.remove_item(&draft_key)
            } else {
                s.set_item(&draft_key, &text)
            };
        }
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = draft.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        let id = format!("{:016x}", fastrand::u64(..));
        let (doc, notes) = &*replica;
        let mut txn = yrs::Transact::transact_mut(doc);
        board::add_note(notes, &mut txn, &id, &text);
        drop(txn);
        draft.set(String::new());
    };
    let closer = SendWrapper::new(client.clone());
    on_cleanup(move || closer.close());

    let status_text = move || match status.get() {
        Status::Connecting => tr(Key::StatusConnecting)(),
        Status::Online => tr(Key::StatusOnline)(),
        Status::Offline => tr(Key::StatusOffline)(),
        Status::ReadOnly => tr(Key::StatusDenied)(),
    };
    let status_class = move || match status.get() {
        Status::Online => "status online",
        Status::Connecting => "status connecting",
        Status::Offline | Status::ReadOnly => "status offline",
    };

    view! {
        <header class="bar">
            <h1 class="brand">{tr(Key::AppName)}</h1>
            <p class="room-name">{label}</p>
            <p class=status_class role="status" data-status=move || format!("{:?}", status.get())>
                {status_text}
            </p>
            <LanguageSwitch/>
        </header>
        {children.map(|c| c())}
        <main class="room">
            <form class="composer stack" on:submit=add>
                <label for="note-text">{tr(Key::NewNote)}</label>
                <textarea
                    id="note-text"
                    name="note"
                    rows="3"
                    maxlength=MAX_NOTE_CHARS.to_string()
                    aria-describedby="note-hint"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                ></textarea>
                <p id="note-hint" class="hint">{tr(Key::NoteHint)}</p>
                <button type="submit" class="primary">{tr(Key::Add)}</button>
            </form>
            <section class="wall" aria-labelledby="wall-heading">
                <h2 id="wall-heading">
                    {tr(Key::WallHeading)}
                    " "
                    <span class="count">
                        "(" {move || notes.get().len()} " "
                        {move || if notes.get().len() == 1 { tr(Key::NoteCountOne)() } else { tr(Key::NoteCount)() }}
                        ")"
                    </span>
                </h2>
                <Show
                    when=move || !notes.get().is_empty()
                    fallback=move || view! { <p class="empty">{tr(Key::EmptyWall)}</p> }
                >
                    <ul class="notes" aria-live="polite">
                        <For
                            each=move || notes.get()
                            key=|note| note.id.clone()
                            children=|note| view! { <li class="postit">{note.text}</li> }
                        />
                    </ul>
                </Show>
                <p class="home-link"><a href="/">{tr(Key::Home)}</a></p>
            </section>
        </main>
    }
}

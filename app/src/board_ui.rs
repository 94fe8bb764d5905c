//! Boards in the browser: a live connection to one board, the wall (clusters and post-its),
//! the composer, and the facilitator's moderation. Every surface uses
//! the same pieces; what a surface may do is decided by the server, never here.

use draaiboeken::board::{self, Board, MAX_CLUSTER_CHARS, MAX_NOTE_CHARS};
use draaiboeken::checkin::{self, OneWord};
use draaiboeken::sessie::{MemberInfo, SessionDoc};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use yrs::Doc;

use crate::i18n::{Key, rich, tr, trf, trf_live};
use crate::sync::{Status, SyncClient, local_storage, room_url};

/// A live board: the replica's document and the board as read after every change.
#[derive(Clone)]
pub struct LiveBoard {
    pub doc: SendWrapper<Doc>,
    pub board: Memo<Board>,
    /// Ticks on every change of the document (for views that read more than the board).
    pub version: RwSignal<u64>,
    pub status: RwSignal<Status>,
    /// Where unsent text for this board is kept on the device.
    pub draft_key: String,
}

/// The websocket URL of a session document.
pub fn doc_url(session: &str, doc: &SessionDoc, token: &str) -> String {
    format!("{}?token={token}", room_url(&doc.room(session)))
}

/// Connects to a session's board for as long as the calling component lives.
pub fn use_board(session: &str, doc: &SessionDoc, token: &str) -> LiveBoard {
    use_board_url(
        doc_url(session, doc, token),
        format!("werkmuur.draft.{}", doc.room(session)),
    )
}

/// Connects to the board at `url` for as long as the calling component lives; unsent text is
/// kept on the device under `draft_key`.
pub fn use_board_url(url: String, draft_key: String) -> LiveBoard {
    let client = SyncClient::connect(url);
    let version = client.version;
    let replica = SendWrapper::new(client.doc().clone());
    let board = read_on_change(&replica, version, board::read);
    let status = client.status;
    let closer = SendWrapper::new(client);
    on_cleanup(move || closer.close());
    LiveBoard {
        doc: replica,
        board,
        version,
        status,
        draft_key,
    }
}

/// What `read` finds in `doc`, read again whenever `version` ticks (every change).
fn read_on_change<T: PartialEq + Send + Sync + 'static>(
    doc: &SendWrapper<Doc>,
    version: RwSignal<u64>,
    read: fn(&Doc) -> T,
) -> Memo<T> {
    let doc = doc.clone();
    Memo::new(move |_| {
        version.track();
        read(&doc)
    })
}

impl LiveBoard {
    /// Something else the board's document holds, read again on every change.
    pub fn read<T: PartialEq + Send + Sync + 'static>(&self, read: fn(&Doc) -> T) -> Memo<T> {
        read_on_change(&self.doc, self.version, read)
    }
}

/// Puts a new note by `author` on a board, written now.
pub fn post_note(doc: &Doc, text: String, author: Option<String>) {
    let notes = board::notes_array(doc);
    let mut txn = yrs::Transact::transact_mut(doc);
    board::push_note(
        &notes,
        &mut txn,
        &board::Note {
            id: new_id(),
            text,
            author,
            at: Some(js_sys::Date::now() as i64),
        },
    );
}

pub fn new_id() -> String {
    format!("{:016x}", fastrand::u64(..))
}

/// A cluster id that sorts in creation order.
pub fn new_cluster_id() -> String {
    format!(
        "c{:013}{:04x}",
        js_sys::Date::now() as u64,
        fastrand::u16(..)
    )
}

/// A text field's content kept on the device, so a reload or a lost connection loses nothing.
pub fn kept_draft(key: String) -> RwSignal<String> {
    let storage = local_storage().map(SendWrapper::new);
    let saved = storage
        .as_ref()
        .and_then(|s| s.get_item(&key).ok().flatten())
        .unwrap_or_default();
    let draft = RwSignal::new(saved);
    Effect::new(move |_| {
        let text = draft.get();
        if let Some(s) = &storage {
            let _ = if text.is_empty() {
                s.remove_item(&key)
            } else {
                s.set_item(&key, &text)
            };
        }
    });
    draft
}

/// The connection state, said plainly.
#[component]
pub fn ConnectionStatus(#[prop(into)] status: Signal<Status>) -> impl IntoView {
    let text = move || match status.get() {
        Status::Connecting => tr(Key::StatusConnecting)(),
        Status::Online => tr(Key::StatusOnline)(),
        Status::Offline => tr(Key::StatusOffline)(),
        Status::ReadOnly => tr(Key::StatusDenied)(),
    };
    let class = move || match status.get() {
        Status::Online => "status online",
        Status::Connecting => "status connecting",
        Status::Offline | Status::ReadOnly => "status offline",
    };
    view! {
        <p class=class role="status" data-status=move || format!("{:?}", status.get())>{text}</p>
    }
}

/// How close to the limit a post-it's counter starts to show what is left.
const COUNT_FROM: usize = 40;

/// Writing post-its: a big field and one button, for one thumb. In `one_word` mode more than
/// one word gets a friendly suggestion instead of being sent, and the word replaces the
/// writer's earlier one.

#[component]
pub fn Composer(live: LiveBoard, one_word: bool, author: Option<String>) -> impl IntoView {
    let draft = kept_draft(live.draft_key.clone());
    let nudge = RwSignal::new(None::<String>);
    let doc = live.doc.clone();
    // A writer's post-its on this board, against the most the server takes from one person.
    let full = {
        let (board, author) = (live.board, author.clone());
        Memo::new(move |_| {
            board.with(|b| {
                b.notes
                    .iter()
                    .filter(|n| n.author.is_some() && n.author == author)
                    .count()
            }) >= draaiboeken::guard::MAX_NOTES_PER_MEMBER
        })
    };
    // Sending an empty word or post-it says so, instead of doing nothing.
    let empty = RwSignal::new(false);
    // Characters typed: a post-it says how many are left near the limit, and how many too many
    // past it (a long paste is never cut off unseen).
    let used = Memo::new(move |_| draft.with(|d| d.trim().chars().count()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = draft.get_untracked();
        let text = if one_word {
            match checkin::one_word(&text) {
                OneWord::Empty => {
                    empty.set(true);
                    return;
                }
                OneWord::TooMany { suggestion } => {
                    nudge.set(Some(suggestion));
                    return;
                }
                OneWord::Word(w) => w,
            }
        } else if text.trim().is_empty() {
            empty.set(true);
            return;
        } else if used.get_untracked() > MAX_NOTE_CHARS {
            return;
        } else {
            // What was counted is what is sent.
            text.trim().to_owned()
        };
        if !one_word && full.get_untracked() {
            // The server takes no more from this writer here (see `guard`).
            return;
        }
        if one_word {
            // One word each: the new one replaces the old (this is the writer's own document).
            for n in board::read_notes(&doc) {
                board::delete(&doc, &n.id);
            }
        }
        post_note(&doc, text, author.clone());
        nudge.set(None);
        draft.set(String::new());
    };
    let (label, button, hint) = if one_word {
        (Key::YourWord, Key::SendWord, Key::OneWordHint)
    } else {
        (Key::NewNote, Key::Add, Key::NoteHint)
    };
    let field = if one_word {
        view! {
            <input id="note-text" name="note" type="text" dir="auto" autocomplete="off" autocapitalize="off"
                enterkeyhint="send" maxlength="60" aria-describedby="note-hint"
                prop:value=move || draft.get()
                on:input=move |ev| { nudge.set(None); empty.set(false); draft.set(event_target_value(&ev)) }/>
        }
        .into_any()
    } else {
        view! {
            <textarea id="note-text" name="note" dir="auto" rows="3"
                aria-describedby="note-hint note-counter"
                prop:value=move || draft.get()
                on:input=move |ev| { empty.set(false); draft.set(event_target_value(&ev)) }></textarea>
        }
        .into_any()
    };
    view! {
        <form class="composer stack" on:submit=submit>
            <label for="note-text">{tr(label)}</label>
            {field}
            <p id="note-hint" class="hint">{tr(hint)}</p>
            {(!one_word).then(|| view! {
                <p id="note-counter" aria-live="polite"
                    class="counter" class:over={move || used.get() > MAX_NOTE_CHARS}>
                    {move || {
                        let used = used.get();
                        if used > MAX_NOTE_CHARS {
                            trf(Key::CharsOver, &[("n", &(used - MAX_NOTE_CHARS))])
                        } else if used + COUNT_FROM >= MAX_NOTE_CHARS {
                            trf(Key::CharsLeft, &[("n", &(MAX_NOTE_CHARS - used))])
                        } else {
                            String::new()
                        }
                    }}
                </p>
            })}
            <Show when=move || empty.get()>
                <p class="nudge empty" role="status">{tr(if one_word { Key::EmptyWord } else { Key::EmptyNote })}</p>
            </Show>
            <Show when=move || nudge.get().is_some()>
                <div class="nudge" role="status">
                    <p>{rich(Key::OneWordNudge, move |_| view! { <strong class="suggestion">{move || nudge.get().unwrap_or_default()}</strong> })}</p>
                    <button type="button" on:click=move |_| {
                        if let Some(s) = nudge.get_untracked() { draft.set(s); }
                        nudge.set(None);
                    }>{tr(Key::UseSuggestion)}</button>
                </div>
            </Show>
            <Show when=move || !one_word && full.get()>
                <p class="nudge" role="status">{tr(Key::NotesFull)}</p>
            </Show>
            <button type="submit" class="primary" disabled=move || !one_word && full.get()>{tr(button)}</button>
        </form>
    }
}

/// Who may take their own post-its back off a board: the writer, while the board is open.
#[derive(Clone)]
pub struct Own {
    pub member: String,
    pub doc: SendWrapper<Doc>,
}

pub(crate) fn note_view(
    n: &board::BoardNote,
    focus: bool,
    own: Option<&Own>,
) -> impl IntoView + use<> {
    let merged = n.merged.len();
    let delete = own
        .filter(|o| n.author.as_deref() == Some(o.member.as_str()))
        .map(|o| {
            let (doc, id) = (o.doc.clone(), n.id.clone());
            let label = trf_live(Key::DeleteNamed, vec![("text", n.text.clone())]);
            view! {
                <button type="button" class="note-delete" aria-label=label
                    on:click=move |_| board::delete(&doc, &id)>"×"</button>
            }
        });
    view! {
        <li class=if focus { "postit focus" } else { "postit" } dir="auto" data-note=n.id.clone()>
            {n.text.clone()}
            {(merged > 0).then(|| view! { <span class="merged">" ×" {merged + 1}</span> })}
            {delete}
        </li>
    }
}

/// The wall: named clusters with their post-its, then the loose ones. With `own`, the
/// writer's post-its get a button to take them off again.
#[component]
pub fn Wall(board: Memo<Board>, #[prop(default = None)] own: Option<Own>) -> impl IntoView {
    move || {
        let own = own.as_ref();
        let b = board.get();
        if b.visible().next().is_none() {
            return view! { <p class="empty">{tr(Key::EmptyWall)}</p> }.into_any();
        }
        let clusters = b
            .clusters
            .iter()
            .filter(|c| b.in_cluster(Some(&c.id)).next().is_some())
            .map(|c| {
                let notes = b
                    .in_cluster(Some(&c.id))
                    .map(|n| note_view(n, false, own))
                    .collect_view();
                view! {
                    <section class="cluster">
                        <h3 class="cluster-name" dir="auto">{c.name.clone()}</h3>
                        <ul class="notes">{notes}</ul>
                    </section>
                }
            })
            .collect_view();
        let loose: Vec<_> = b
            .in_cluster(None)
            .map(|n| note_view(n, false, own))
            .collect();
        let has_clusters = !b.clusters.is_empty() && !loose.is_empty();
        view! {
            {clusters}
            {(!loose.is_empty()).then(|| view! {
                <section class="cluster loose">
                    {has_clusters.then(|| view! { <h3 class="cluster-name">{tr(Key::Loose)}</h3> })}
                    <ul class="notes" aria-live="polite">{loose}</ul>
                </section>
            })}
        }
        .into_any()
    }
}

/// The facilitator's hands on a board: clusters (by drag, or by list for keyboard and touch),
/// names, edits, hiding, merging, deleting.
#[component]
pub fn Moderate(live: LiveBoard, members: Memo<Vec<MemberInfo>>) -> impl IntoView {
    let board = live.board;
    let doc = live.doc.clone();
    let dragging = RwSignal::new(None::<String>);
    let new_cluster = RwSignal::new(String::new());
    let add_cluster = {
        let doc = doc.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let name = new_cluster.get_untracked();
            if name.trim().is_empty() {
                return;
            }
            board::add_cluster(&doc, &new_cluster_id(), &name);
            new_cluster.set(String::new());
        }
    };
    let clusters = {
        let doc = doc.clone();
        move || {
            let b = board.get();
            b.clusters
                .iter()
                .map(|c| {
                    let (id, id2, id3) = (c.id.clone(), c.id.clone(), c.id.clone());
                    let (d1, d2, d3) = (doc.clone(), doc.clone(), doc.clone());
                    let count = b.in_cluster(Some(&c.id)).count();
                    let label = trf(Key::ClusterName, &[("cluster", &c.name)]);
                    view! {
                        <li class="cluster-drop" data-cluster=c.id.clone()
                            on:dragover=move |ev| ev.prevent_default()
                            on:drop=move |ev| {
                                ev.prevent_default();
                                if let Some(note) = dragging.get_untracked() {
                                    board::set_cluster(&d3, &note, Some(&id3));
                                }
                                dragging.set(None);
                            }>
                            <input type="text" dir="auto" aria-label=label maxlength=MAX_CLUSTER_CHARS.to_string()
                                prop:value=c.name.clone()
                                on:change=move |ev| board::rename_cluster(&d1, &id, &event_target_value(&ev))/>
                            <span class="count">"(" {count} ")"</span>
                            <button type="button" on:click=move |_| board::remove_cluster(&d2, &id2)>{tr(Key::RemoveCluster)}</button>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    // Rows are keyed by what they show, so a note arriving doesn't redraw (and empty) the
    // field the facilitator is typing in.
    let row = move |n: board::BoardNote| {
        let id = n.id.clone();
        let d = doc.clone();
        let (d_cluster, d_edit, d_enter, d_hide, d_del, d_merge) =
            (d.clone(), d.clone(), d.clone(), d.clone(), d.clone(), d);
        let (i_cluster, i_edit, i_enter, i_hide, i_del, i_merge, i_drag) = (
            id.clone(),
            id.clone(),
            id.clone(),
            id.clone(),
            id.clone(),
            id.clone(),
            id.clone(),
        );
        let hidden = n.hidden;
        let current = n.cluster.clone().unwrap_or_default();
        let current2 = current.clone();
        let me = n.id.clone();
        let cluster_options = move || {
            board
                .get()
                .clusters
                .iter()
                .map(|c| {
                    let selected = c.id == current2;
                    view! { <option value=c.id.clone() selected=selected>{c.name.clone()}</option> }
                })
                .collect_view()
        };
        let merge_options = move || {
            board
                .get()
                .notes
                .iter()
                .filter(|o| o.id != me)
                .map(|o| view! { <option value=o.id.clone()>{o.text.chars().take(40).collect::<String>()}</option> })
                .collect_view()
        };
        // Every control is named with the note it acts on.
        // Closures, so that the names follow a change of language.
        let named = |key: Key| trf_live(key, vec![("text", n.text.clone())]);
        let (text_label, cluster_label, merge_label) = (
            named(Key::EditText),
            named(Key::ClusterOf),
            named(Key::MergeNamed),
        );
        let hide_label = named(if hidden {
            Key::ShowNamed
        } else {
            Key::HideNamed
        });
        let delete_label = named(Key::DeleteNamed);
        // The whole note can be read and edited: the field grows with it.
        let rows = (n.text.chars().count() / 36 + 1).clamp(1, 8);
        let author = n.author.clone().map(|a| {
            move || {
                members
                    .get()
                    .into_iter()
                    .find(|m| m.id == a)
                    .map(|m| trf(Key::WrittenBy, &[("name", &m.name)]))
            }
        });
        view! {
            <li class=if hidden { "moderate-note hidden-note" } else { "moderate-note" } draggable="true"
                data-note=id.clone() data-text=n.text.clone()
                on:dragstart=move |_| dragging.set(Some(i_drag.clone()))>
                <textarea dir="auto" class="note-text" aria-label=text_label rows=rows.to_string()
                    maxlength=MAX_NOTE_CHARS.to_string()
                    prop:value=n.text.clone()
                    on:change=move |ev| board::edit_text(&d_edit, &i_edit, &event_target_value(&ev))
                    on:keydown=move |ev| {
                        // Enter saves, as in a one-line field; Shift+Enter starts a new line.
                        if ev.key() == "Enter" && !ev.shift_key() {
                            ev.prevent_default();
                            board::edit_text(&d_enter, &i_enter, &event_target_value(&ev));
                        }
                    }></textarea>
                <p class="note-meta">
                    {author.map(|a| view! { <span class="author" dir="auto">{a}</span> })}
                    {n.original.clone().map(|o| view! { " " <span class="original">"(" {o} ")"</span> })}
                    {hidden.then(|| view! { " " <span class="tag">{tr(Key::HiddenTag)}</span> })}
                </p>
                <label class="inline">{tr(Key::MoveTo)}
                    <select aria-label=cluster_label on:change=move |ev| {
                        let v = event_target_value(&ev);
                        board::set_cluster(&d_cluster, &i_cluster, (!v.is_empty()).then_some(v.as_str()));
                    }>
                        <option value="" selected=current.is_empty()>{tr(Key::Loose)}</option>
                        {cluster_options}
                    </select>
                </label>
                <label class="inline">{tr(Key::MergeInto)}
                    <select aria-label=merge_label on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if !v.is_empty() { board::merge(&d_merge, &i_merge, &v); }
                    }>
                        <option value="" selected=true>{tr(Key::NotMerged)}</option>
                        {merge_options}
                    </select>
                </label>
                <button type="button" aria-label=hide_label on:click=move |_| board::set_hidden(&d_hide, &i_hide, !hidden)>
                    {tr(if hidden { Key::ShowNote } else { Key::Hide })}
                </button>
                <button type="button" class="danger" aria-label=delete_label
                    on:click=move |_| board::delete(&d_del, &i_del)>{tr(Key::Delete)}</button>
            </li>
        }
    };
    let notes = view! {
        <For
            each=move || board.get().notes
            key=|n| (n.id.clone(), n.text.clone(), n.cluster.clone(), n.hidden, n.original.is_some())
            children=row
        />
    };
    view! {
        <section class="moderation" aria-labelledby="moderation-heading">
            <h2 id="moderation-heading">{tr(Key::ModerationHeading)}</h2>
            <p class="hint">{tr(Key::DragHint)}</p>
            <form class="inline-form" on:submit=add_cluster>
                <label for="new-cluster">{tr(Key::NewClusterLabel)}</label>
                <input id="new-cluster" type="text" dir="auto" maxlength=MAX_CLUSTER_CHARS.to_string()
                    prop:value=move || new_cluster.get()
                    on:input=move |ev| new_cluster.set(event_target_value(&ev))/>
                <button type="submit">{tr(Key::AddCluster)}</button>
            </form>
            <ul class="cluster-list">{clusters}</ul>
            <ul class="moderate-notes">{notes}</ul>
        </section>
    }
}

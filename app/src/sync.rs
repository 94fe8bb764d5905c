//! The browser's sync client: a replica of one room's document, kept in step with the server over
//! a websocket by the core's [`Peer`]. It reconnects with backoff, and edits made while offline
//! are merged by the sync step 1/2 exchange on reconnect. Views read the document and listen to
//! `version`, which ticks on every change.

use std::cell::RefCell;
use std::rc::Rc;

use draaiboeken::sync::{Peer, PeerEvent, peer::REMOTE_ORIGIN};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};
use yrs::{Doc, Origin, Transact};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Connecting,
    Online,
    Offline,
    /// The server refused a write: this connection is read-only.
    ReadOnly,
}

struct Inner {
    url: String,
    peer: Peer,
    ws: Option<WebSocket>,
    attempts: u32,
    closed_by_us: bool,
    handlers: Vec<Box<dyn std::any::Any>>,
}

/// A live connection to one room. Cheap to clone; dropping the last clone closes it.
#[derive(Clone)]
pub struct SyncClient {
    inner: Rc<RefCell<Inner>>,
    socket: Rc<RefCell<Option<WebSocket>>>,
    doc: Doc,
    /// See [`SyncClient::forget_replica`].
    forgotten: Rc<std::cell::Cell<bool>>,
    pub status: RwSignal<Status>,
    pub version: RwSignal<u64>,
}

const OBSERVER_KEY: &str = "werkmuur-sync";

/// `ws://host/sync/{room}` (or `wss://` on https) for the page's own host.
pub fn room_url(room: &str) -> String {
    let location = window().location();
    let scheme = match location.protocol().as_deref() {
        Ok("https:") => "wss",
        _ => "ws",
    };
    let host = location.host().unwrap_or_default();
    format!("{scheme}://{host}/sync/{room}")
}

/// Largest replica kept on the device, in bytes of its encoded state.
const MAX_STORED_BYTES: usize = 1 << 20;

fn storage_key(url: &str) -> String {
    // Without the query string: the token is not part of the room's identity.
    format!("werkmuur.doc.{}", url.split('?').next().unwrap_or(url))
}

/// This device's local storage, if the browser allows it.
pub fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Restores the replica kept on this device, if any.
fn restore(doc: &Doc, key: &str) {
    let Some(hex) = local_storage().and_then(|s| s.get_item(key).ok().flatten()) else {
        return;
    };
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
        })
        .collect();
    let Some(bytes) = bytes else { return };
    if let Ok(update) = <yrs::Update as yrs::updates::decoder::Decode>::decode_v1(&bytes) {
        // Applied as remote: it isn't new, so nothing is sent now; sync step 1/2 on connect
        // tells the server what it lacks.
        let _ = doc.transact_mut_with(REMOTE_ORIGIN).apply_update(update);
    }
}

/// Keeps the replica on this device, so edits made offline survive a reload.
fn persist(doc: &Doc, key: &str) {
    let state =
        yrs::ReadTxn::encode_state_as_update_v1(&doc.transact(), &yrs::StateVector::default());
    let Some(storage) = local_storage() else {
        return;
    };
    if state.len() > MAX_STORED_BYTES {
        let _ = storage.remove_item(key);
        return;
    }
    let hex: String = state.iter().map(|b| format!("{b:02x}")).collect();
    let _ = storage.set_item(key, &hex);
}

impl SyncClient {
    pub fn connect(url: String) -> Self {
        let doc = Doc::new();
        let key = storage_key(&url);
        restore(&doc, &key);
        // Save the replica a moment after changes settle.
        let save_pending = Rc::new(std::cell::Cell::new(false));
        // Set once a change of ours was refused: the replica is then not kept any more.
        let forgotten = Rc::new(std::cell::Cell::new(false));
        let skip_save = forgotten.clone();
        let socket: Rc<RefCell<Option<WebSocket>>> = Rc::new(RefCell::new(None));
        let version = RwSignal::new(0u64);
        let remote = Origin::from(REMOTE_ORIGIN);
        // Local edits go straight to the server when online; when offline they wait in the
        // document and reach the server through sync step 2 after reconnecting.
        let send_socket = socket.clone();
        let save_doc = doc.clone();
        doc.observe_update_v1(
            OBSERVER_KEY,
            move |txn: &yrs::TransactionMut, event: &yrs::UpdateEvent| {
                if !skip_save.get() && !save_pending.replace(true) {
                    let (doc, key, pending) = (save_doc.clone(), key.clone(), save_pending.clone());
                    set_timeout(
                        move || {
                            pending.set(false);
                            persist(&doc, &key);
                        },
                        std::time::Duration::from_millis(300),
                    );
                }
                if txn.origin() == Some(&remote) {
                    return;
                }
                version.update(|v| *v += 1);
                if let Some(ws) = send_socket.borrow().as_ref()
                    && ws.ready_state() == WebSocket::OPEN
                {
                    let _ = ws.send_with_u8_array(&Peer::update_frame(&event.update));
                }
            },
        )
        .expect("a fresh document has no transaction open");
        let client = Self {
            inner: Rc::new(RefCell::new(Inner {
                url,
                peer: Peer::new(doc.clone()),
                ws: None,
                attempts: 0,
                closed_by_us: false,
                handlers: Vec::new(),
            })),
            socket,
            doc,
            status: RwSignal::new(Status::Connecting),
            version,
            forgotten,
        };
        client.open();
        client
    }

    pub fn doc(&self) -> &Doc {
        &self.doc
    }

    fn open(&self) {
        if self.inner.borrow().closed_by_us {
            return;
        }
        let url = self.inner.borrow().url.clone();
        let ws = match WebSocket::new(&url) {
            Ok(ws) => ws,
            Err(_) => {
                self.schedule_reconnect();
                return;
            }
        };
        ws.set_binary_type(BinaryType::Arraybuffer);
        self.status.set(Status::Connecting);

        let this = self.clone_weakly();
        let on_open = Closure::<dyn FnMut()>::new(move || {
            let Some(this) = this.upgrade() else { return };
            let hello = this.inner.borrow_mut().peer.hello();
            if let Some(ws) = this.socket.borrow().as_ref() {
                for frame in hello {
                    let _ = ws.send_with_u8_array(&frame);
                }
            }
            this.inner.borrow_mut().attempts = 0;
            this.status.set(Status::Online);
        });
        let this = self.clone_weakly();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(this) = this.upgrade() else { return };
            let Ok(buf) = e.data().dyn_into::<js_sys::ArrayBuffer>() else {
                return;
            };
            let bytes = js_sys::Uint8Array::new(&buf).to_vec();
            this.receive(&bytes);
        });
        let this = self.clone_weakly();
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            let Some(this) = this.upgrade() else { return };
            this.socket.borrow_mut().take();
            if this.inner.borrow().closed_by_us {
                return;
            }
            // The server says this connection may no longer be in the room (the session ended
            // or was deleted, the participant removed, the link replaced). Coming back with the
            // same address would only be refused, again and again: stay as we are. Any other
            // close (limits, a reload, the network) is retried.
            if e.code() == draaiboeken::sync::CLOSE_NOT_ALLOWED {
                this.status.set(Status::ReadOnly);
                return;
            }
            if this.status.get_untracked() != Status::ReadOnly {
                this.status.set(Status::Offline);
            }
            this.schedule_reconnect();
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let mut inner = self.inner.borrow_mut();
        inner.handlers = vec![Box::new(on_open), Box::new(on_message), Box::new(on_close)];
        inner.ws = Some(ws.clone());
        *self.socket.borrow_mut() = Some(ws);
    }

    fn receive(&self, frame: &[u8]) {
        let result = self.inner.borrow_mut().peer.receive(frame);
        match result {
            Ok((replies, events)) => {
                if let Some(ws) = self.socket.borrow().as_ref() {
                    for reply in replies {
                        let _ = ws.send_with_u8_array(&reply);
                    }
                }
                for event in events {
                    match event {
                        PeerEvent::Changed => self.version.update(|v| *v += 1),
                        PeerEvent::PermissionDenied(reason) => {
                            if reason != draaiboeken::sync::READ_ONLY_REASON {
                                // One change of ours was refused: this replica now holds what
                                // the room never will, so it is not kept on the device (a
                                // reload starts from the room's state).
                                leptos::logging::warn!("werkmuur: change refused: {reason}");
                                self.forget_replica();
                            }
                            self.status.set(Status::ReadOnly);
                        }
                        PeerEvent::Synced | PeerEvent::Awareness(_) => {}
                    }
                }
            }
            Err(error) => {
                leptos::logging::warn!("werkmuur: bad message from server: {error}");
                if let Some(ws) = self.socket.borrow().as_ref() {
                    let _ = ws.close();
                }
            }
        }
    }

    fn forget_replica(&self) {
        let key = storage_key(&self.inner.borrow().url);
        self.forgotten.set(true);
        if let Some(s) = local_storage() {
            let _ = s.remove_item(&key);
        }
    }

    fn schedule_reconnect(&self) {
        let attempts = {
            let mut inner = self.inner.borrow_mut();
            inner.attempts += 1;
            inner.attempts
        };
        // 0.5 s, 1 s, 2 s, … up to 10 s, with jitter so a room's phones don't return at once.
        let base = (500u32 << attempts.min(5)).min(10_000);
        let delay = base / 2 + fastrand::u32(0..=base / 2);
        let this = self.clone_weakly();
        set_timeout(
            move || {
                if let Some(this) = this.upgrade() {
                    this.open();
                }
            },
            std::time::Duration::from_millis(u64::from(delay)),
        );
    }

    fn clone_weakly(&self) -> WeakClient {
        WeakClient {
            inner: Rc::downgrade(&self.inner),
            socket: Rc::downgrade(&self.socket),
            doc: self.doc.clone(),
            forgotten: self.forgotten.clone(),
            status: self.status,
            version: self.version,
        }
    }

    /// Closes the connection for good.
    pub fn close(&self) {
        self.inner.borrow_mut().closed_by_us = true;
        let _ = self.doc.unobserve_update_v1(OBSERVER_KEY);
        if let Some(ws) = self.socket.borrow_mut().take() {
            // The handlers go with this client; the socket's last events must not call them.
            ws.set_onopen(None);
            ws.set_onmessage(None);
            ws.set_onclose(None);
            let _ = ws.close();
        }
    }
}

struct WeakClient {
    inner: std::rc::Weak<RefCell<Inner>>,
    socket: std::rc::Weak<RefCell<Option<WebSocket>>>,
    doc: Doc,
    forgotten: Rc<std::cell::Cell<bool>>,
    status: RwSignal<Status>,
    version: RwSignal<u64>,
}

impl WeakClient {
    fn upgrade(&self) -> Option<SyncClient> {
        Some(SyncClient {
            inner: self.inner.upgrade()?,
            socket: self.socket.upgrade()?,
            doc: self.doc.clone(),
            forgotten: self.forgotten.clone(),
            status: self.status,
            version: self.version,
        })
    }
}

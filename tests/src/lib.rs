//! Test support shared by the integration tests (`it/`) and the load tool: the real server on an
//! ephemeral port with its own data directory, and a y-websocket protocol client over
//! tokio-tungstenite driving the same `Peer` state machine the browser app uses.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use draaiboeken::board;
use draaiboeken::sync::{Frame, Peer, PeerEvent};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use werkmuur_server::{ServerError, Settings};
use yrs::{Doc, ReadTxn, Transact, TransactionMut};

/// How long a test waits for something that should happen at once before it fails.
pub const PATIENCE: Duration = Duration::from_secs(20);

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("websocket: {0}")]
    Ws(#[from] tokio_tungstenite::tungstenite::Error),
    #[error("protocol: {0}")]
    Protocol(#[from] draaiboeken::sync::ProtocolError),
    #[error("the server closed the connection: {0:?}")]
    Closed(Option<(u16, String)>),
    #[error("timed out waiting for {0}")]
    Timeout(&'static str),
}

/// A server running in this process.
pub struct TestServer {
    pub addr: SocketAddr,
    pub settings: Settings,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ServerError>>>,
}

impl TestServer {
    /// Starts the real server on 127.0.0.1:0 with `settings`.
    pub async fn start(settings: Settings) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        Self::start_on(settings, listener)
    }

    /// Starts the real server on `listener`, for settings that name its address (the public
    /// URL of a server that signs in through an identity provider).
    pub fn start_on(
        settings: Settings,
        listener: tokio::net::TcpListener,
    ) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(werkmuur_server::launch_with_listener(
            settings.clone(),
            listener,
            async move {
                let _ = stopped.await;
            },
        ));
        Ok(Self {
            addr,
            settings,
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub fn http_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The base URL a stock y-websocket provider is given (`ws://HOST/sync`).
    pub fn sync_base(&self) -> String {
        format!("ws://{}/sync", self.addr)
    }

    pub fn room_url(&self, room: &str) -> String {
        format!("{}/{room}", self.sync_base())
    }

    /// Shuts down gracefully (connections closed, updates stored) and waits for it.
    pub async fn stop(&mut self) -> Result<(), ServerError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.unwrap_or(Ok(())),
            None => Ok(()),
        }
    }

    /// Stops the server and starts it again on a new port with the same data directory.
    pub async fn restart(&mut self) -> Result<(), ServerError> {
        self.stop().await?;
        let settings = self.settings.clone();
        *self = Self::start(settings).await?;
        Ok(())
    }

    pub fn data_dir(&self) -> PathBuf {
        self.settings.data_dir.clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A y-websocket protocol client.
pub struct SyncClient {
    ws: Ws,
    pub peer: Peer,
    /// Every event so far, in order.
    pub events: Vec<PeerEvent>,
    /// Frames received, counted by first byte (message type).
    pub frames_by_type: [usize; 4],
    /// Every byte received, frame after frame: what a snooping client would see.
    pub received: Vec<u8>,
    /// Whose post-its [`SyncClient::add_note`] writes (a member id); none for open walls.
    pub author: Option<String>,
}

impl SyncClient {
    /// Connects with a fresh document and sends sync step 1.
    pub async fn connect(url: &str) -> Result<Self, ClientError> {
        Self::connect_with(url, Doc::new()).await
    }

    /// Connects with an existing document (e.g. one edited offline) and sends sync step 1.
    pub async fn connect_with(url: &str, doc: Doc) -> Result<Self, ClientError> {
        let (ws, _) = tokio_tungstenite::connect_async_with_config(url, None, true).await?;
        let mut client = Self {
            ws,
            peer: Peer::new(doc),
            events: Vec::new(),
            frames_by_type: [0; 4],
            received: Vec::new(),
            author: None,
        };
        for frame in client.peer.hello() {
            client.send(&frame).await?;
        }
        Ok(client)
    }

    pub async fn send(&mut self, frame: &[u8]) -> Result<(), ClientError> {
        self.ws
            .send(Message::Binary(bytes::Bytes::copy_from_slice(frame)))
            .await?;
        Ok(())
    }

    /// Sends raw websocket messages (for hostile-input tests).
    pub async fn send_raw(&mut self, message: Message) -> Result<(), ClientError> {
        self.ws.send(message).await?;
        Ok(())
    }

    /// Reads one message from the server and handles it. Returns the new events.
    pub async fn pump(&mut self) -> Result<Vec<PeerEvent>, ClientError> {
        loop {
            let message = match self.ws.next().await {
                None => return Err(ClientError::Closed(None)),
                Some(message) => message?,
            };
            match message {
                Message::Binary(frame) => {
                    self.received.extend_from_slice(&frame);
                    if let Some(&t) = frame.first()
                        && (t as usize) < self.frames_by_type.len()
                    {
                        self.frames_by_type[t as usize] += 1;
                    }
                    let (replies, events) = self.peer.receive(&frame)?;
                    for reply in replies {
                        self.send(&reply).await?;
                    }
                    self.events.extend(events.iter().cloned());
                    return Ok(events);
                }
                Message::Close(frame) => {
                    return Err(ClientError::Closed(frame.map(close_parts)));
                }
                _ => {}
            }
        }
    }

    /// Handles messages until `done` holds, failing after [`PATIENCE`].
    pub async fn until(
        &mut self,
        what: &'static str,
        mut done: impl FnMut(&Self) -> bool,
    ) -> Result<(), ClientError> {
        let wait = async {
            while !done(self) {
                self.pump().await?;
            }
            Ok(())
        };
        tokio::time::timeout(PATIENCE, wait)
            .await
            .map_err(|_| ClientError::Timeout(what))?
    }

    /// A round trip: sends sync step 1 and waits for the answer. The server handles a
    /// connection's messages in order, so afterwards it has applied everything we sent before.
    pub async fn round_trip(&mut self) -> Result<(), ClientError> {
        for frame in self.peer.hello() {
            self.send(&frame).await?;
        }
        self.synced().await
    }

    /// Waits until the server has refused one of our updates (permission-denied).
    pub async fn denied(&mut self) -> Result<(), ClientError> {
        self.until("permission denied", |c| {
            c.events
                .iter()
                .any(|e| matches!(e, PeerEvent::PermissionDenied(_)))
        })
        .await
    }

    pub async fn synced(&mut self) -> Result<(), ClientError> {
        self.until("sync step 2", |c| c.peer.is_synced()).await
    }

    /// Reads until the server closes the connection; returns its close code and reason.
    pub async fn closed(&mut self) -> Result<Option<(u16, String)>, ClientError> {
        let wait = async {
            loop {
                match self.pump().await {
                    Err(ClientError::Closed(close)) => return Ok(close),
                    Err(ClientError::Ws(_)) => return Ok(None),
                    Err(e) => return Err(e),
                    Ok(_) => {}
                }
            }
        };
        tokio::time::timeout(PATIENCE, wait)
            .await
            .map_err(|_| ClientError::Timeout("the server to close"))?
    }

    /// Makes a local edit and sends it as an update.
    /// Get root types (`doc.get_or_insert_*`) before calling: yrs can't create them inside a
    /// transaction.
    pub async fn edit(&mut self, f: impl FnOnce(&mut TransactionMut)) -> Result<(), ClientError> {
        let update = local_edit(self.peer.doc(), f);
        self.send(&Peer::update_frame(&update)).await
    }

    /// Changes the replica with `f` (which makes its own transactions, like the core's board
    /// functions) and sends what changed as one update.
    pub async fn edit_doc(&mut self, f: impl FnOnce(&Doc)) -> Result<(), ClientError> {
        let doc = self.peer.doc().clone();
        let before = doc.transact().state_vector();
        f(&doc);
        let update = doc.transact().encode_diff_v1(&before);
        self.send(&Peer::update_frame(&update)).await
    }

    /// Writes a post-it, in [`SyncClient::author`]'s name when set.
    pub async fn add_note(&mut self, id: &str, text: &str) -> Result<(), ClientError> {
        let notes = board::notes_array(self.peer.doc());
        let note = board::Note {
            id: id.to_owned(),
            text: text.to_owned(),
            author: self.author.clone(),
            at: None,
        };
        self.edit(|txn| board::push_note(&notes, txn, &note)).await
    }

    pub fn note_texts(&self) -> Vec<String> {
        board::read_notes(self.peer.doc())
            .into_iter()
            .map(|n| n.text)
            .collect()
    }

    pub async fn set_presence(&mut self, json: Option<&str>) -> Result<(), ClientError> {
        let frame: Frame = self.peer.set_local_state(json);
        self.send(&frame).await
    }

    /// Connects and expects the upgrade to be refused with `status`.
    pub async fn refused_with(url: &str, status: u16) {
        match Self::connect(url).await {
            Err(ClientError::Ws(tokio_tungstenite::tungstenite::Error::Http(resp))) => {
                assert_eq!(resp.status().as_u16(), status, "{url}");
            }
            Err(other) => panic!("{url}: expected HTTP {status}, got {other}"),
            Ok(_) => panic!("{url}: expected HTTP {status}, but the websocket opened"),
        }
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

fn close_parts(frame: CloseFrame) -> (u16, String) {
    (u16::from(frame.code), frame.reason.to_string())
}

/// Runs `f` in a transaction on `doc` and returns the update it made (v1 encoding). Get root
/// types before calling: yrs can't create them inside a transaction.
pub fn local_edit(doc: &Doc, f: impl FnOnce(&mut TransactionMut)) -> Vec<u8> {
    let before = doc.transact().state_vector();
    {
        let mut txn = doc.transact_mut();
        f(&mut txn);
    }
    doc.transact().encode_diff_v1(&before)
}

/// A clock the test moves by hand, so timers are tested without waiting.
#[derive(Debug)]
pub struct ManualClock(std::sync::atomic::AtomicI64);

impl ManualClock {
    pub fn new(start_ms: i64) -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self(std::sync::atomic::AtomicI64::new(start_ms)))
    }

    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, std::sync::atomic::Ordering::SeqCst);
    }
}

impl werkmuur_server::Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// An HTTP response as a test sees it.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy for binary bodies; see `bytes`).
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A plain HTTP/1.1 request over a fresh connection (`Connection: close`).
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<Response> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = TcpStream::connect(addr).await?;
    let body = body.unwrap_or("");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let rest = raw.get(split + 4..).unwrap_or_default();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let bytes = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Ok(Response {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    })
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&rest[..line_end]);
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        let after = &rest[line_end + 2..];
        if n == 0 || after.len() < n {
            break;
        }
        out.extend_from_slice(&after[..n]);
        rest = after[n..].strip_prefix(b"\r\n").unwrap_or(&after[n..]);
    }
    out
}

/// Initialises tracing for tests and tools once (`RUST_LOG` picks the level).
pub fn init_tracing() {
    use tracing_subscriber::Layer;
    use tracing_subscriber::filter::FilterExt;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let level = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    // As the server logs: the libraries never print payloads, also in tests.
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_test_writer()
                .with_filter(level.and(werkmuur_server::logging::no_payloads())),
        )
        .try_init();
}

//! The accept loop: every TCP connection served by hyper's HTTP/1 with a header-read timeout
//! (which also closes keep-alive connections that stay idle between requests) and counted
//! against one cap of open connections, derived from the open-file limit. A websocket keeps
//! its place under the cap until it closes: the count travels with the socket.
//!
//! axum's own `serve` has neither timeout nor cap, so a slowloris (connections that send half
//! a header, or nothing, and wait) could hold every file descriptor the process may open.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

/// File descriptors kept free of connections: the database and its journal, draaiboek files,
/// the log, the accept of one connection too many (to tell it so).
pub const RESERVED_FILES: u64 = 64;

/// What the accept loop holds connections to.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// How long a client may take to send a request's headers, and how long a keep-alive
    /// connection may stay idle between requests.
    pub header_read_timeout: Duration,
    /// Most open connections (websockets included).
    pub max_connections: usize,
}

/// Raises the soft open-file limit to the hard limit and returns the number of connections
/// that leaves room for (see [`RESERVED_FILES`]).
pub fn connection_cap() -> usize {
    let files = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(files) => files,
        Err(error) => {
            tracing::warn!(%error, "could not read or raise the open-file limit; assuming 1024");
            1024
        }
    };
    let cap = files.saturating_sub(RESERVED_FILES).max(16);
    usize::try_from(cap).unwrap_or(usize::MAX)
}

/// A TCP stream that holds its place under the connection cap until it is dropped, also after
/// it became a websocket.
struct Counted {
    tcp: TcpStream,
    _permit: OwnedSemaphorePermit,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }
}

/// The answer to a connection over the cap, before it is closed.
const FULL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n\
Retry-After: 10\r\nConnection: close\r\nContent-Length: 36\r\n\r\n\
too many open connections; try again";

/// Serves `app` on `listener` until `shutdown` resolves; then asks every HTTP connection to
/// finish its request and close, and waits for them.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: HttpLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let cap = limits.max_connections.clamp(1, u32::MAX as usize >> 3);
    let permits = Arc::new(Semaphore::new(cap));
    let (stop_tx, stop_rx) = watch::channel(false);
    // Each connection's task holds a sender; when all are dropped, every HTTP connection is done.
    let (running, mut all_done) = tokio::sync::mpsc::channel::<()>(1);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        let (tcp, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, most likely: wait for some to close.
                    tracing::error!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            tracing::warn!(address = %addr.ip(), "too many open connections; one refused");
            tokio::spawn(refuse(tcp));
            continue;
        };
        // Small frames must go out at once: without TCP_NODELAY, Nagle's algorithm and delayed
        // ACKs hold a keystroke's update back for up to 40 ms.
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "could not set TCP_NODELAY");
        }
        let io = TokioIo::new(Counted {
            tcp,
            _permit: permit,
        });
        let service = service(app.clone(), addr);
        let conn = http.serve_connection(io, service).with_upgrades();
        let mut stop = stop_rx.clone();
        let running = running.clone();
        tokio::spawn(async move {
            let _running = running;
            tokio::pin!(conn);
            tokio::select! {
                result = conn.as_mut() => log_end(result),
                _ = async { stop.wait_for(|s| *s).await.map(|_| ()) } => {
                    conn.as_mut().graceful_shutdown();
                    log_end(conn.await);
                }
            }
        });
    }
    let _ = stop_tx.send(true);
    drop(running);
    // Websockets are no longer hyper's (they were handed off when upgraded): they close on
    // the server's own signal, without being waited for here.
    let _ = all_done.recv().await;
    Ok(())
}

/// The router for one connection, with the peer's address for `ConnectInfo` (join codes and
/// websockets are counted per address).
fn service(
    app: Router,
    addr: SocketAddr,
) -> impl hyper::service::Service<
    hyper::Request<Incoming>,
    Response = axum::response::Response,
    Error = Infallible,
    Future = impl Future<Output = Result<axum::response::Response, Infallible>> + Send,
> + Clone {
    hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(addr));
        tower_service::Service::call(&mut app.clone(), request)
    })
}

fn log_end(result: Result<(), hyper::Error>) {
    if let Err(error) = result {
        // Timeouts and clients that went away; never a payload.
        tracing::debug!(%error, "connection ended");
    }
}

async fn refuse(mut tcp: TcpStream) {
    let _ = tcp.write_all(FULL).await;
    let _ = tcp.shutdown().await;
}

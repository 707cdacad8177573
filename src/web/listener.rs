//! The listening side of `serve`: an accept loop that holds at most `max_connections` open
//! connections (more wait in the kernel's backlog), a deadline on every connection (its
//! request headers within the header timeout, an idle keep-alive or a stalled transfer
//! within the idle timeout), and draining that stops accepting before connections wind down.
//!
//! Our own loop over hyper rather than `axum::serve`, which sets no timer, no header deadline
//! and no cap: 1,100 half-sent requests held it forever and used up its file descriptors.
//! hyper's own `header_read_timeout` also runs while a keep-alive connection waits for its
//! next request, so it cannot give headers a short deadline and idle connections a long one;
//! the watchdog here does both from what it sees on the socket and the service.
//!
//! axum's graceful shutdown stops accepting and winds down every connection at the same
//! moment; closing an idle keep-alive connection then races with a client that is sending on
//! it. Stopping the accept loop first, and answering the open connections once more with
//! `Connection: close` (the caller's layer), moves clients on without a failed request.

use std::{
    convert::Infallible,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU8, AtomicU64, Ordering},
    },
    task::{Context, Poll},
    time::{Duration, Instant},
};

use axum::{Router, body::Body, extract::ConnectInfo, http::Request};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{Notify, OwnedSemaphorePermit, Semaphore, watch},
};
use tower::ServiceExt as _;

/// The most a connection's read buffer grows to (hyper's default is about 400 KiB). While a
/// body streams in, hyper doubles the buffer on every full read: 64 uploads at once held
/// 26 MiB in these buffers alone, each grown through glibc's mmap, and handed the form parser
/// and the upload budget chunks of that size to copy. Request headers must still fit in it.
const READ_BUFFER_MAX: usize = 64 * 1024;

/// The client's socket address, as `ConnectInfo<Peer>`.
#[derive(Clone, Copy, Debug)]
pub struct Peer(pub SocketAddr);

/// How long a connection may take at each step, and how many may be open.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
}

/// Serves `app` on `listener` until `draining` is set, then accepts nothing more (dropping
/// its socket: under socket activation the service manager keeps its own copy, so new
/// connections wait for the next process; otherwise they are refused and a load balancer
/// tries elsewhere). Once `stopping` is set, each connection finishes its request in flight
/// and closes. Returns when every connection has closed.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut draining: watch::Receiver<bool>,
    stopping: watch::Receiver<bool>,
) {
    let places = Arc::new(Semaphore::new(limits.max_connections));
    let mut complained = None::<Instant>;
    loop {
        let place = tokio::select! {
            biased;
            _ = draining.wait_for(|d| *d) => break,
            place = places.clone().acquire_owned() => place.expect("the semaphore is never closed"),
        };
        let accepted = tokio::select! {
            biased;
            _ = draining.wait_for(|d| *d) => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => {
                let _ = stream.set_nodelay(true);
                let connection = Connection::new(stream, peer, limits, place);
                tokio::spawn(connection.run(app.clone(), stopping.clone()));
            }
            Err(e) => {
                // Out of file descriptors or memory, or a connection reset before accept:
                // say so at most once a minute and try again shortly.
                if complained.is_none_or(|t| t.elapsed() > Duration::from_secs(60)) {
                    tracing::warn!("accept error: {e} (retrying)");
                    complained = Some(Instant::now());
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    drop(listener);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = places.acquire_many(all).await;
}

/// What a connection is doing, for its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Phase {
    /// Between requests, waiting for the first byte of the next one.
    Idle = 0,
    /// A request has begun (or the connection is new): its headers are due.
    Headers = 1,
    /// The service has the request: body bytes or response bytes must keep moving.
    Busy = 2,
}

/// The connection's phase and its times (milliseconds since it opened), shared by the socket
/// wrapper, the service and the watchdog.
struct Activity {
    opened: Instant,
    phase: AtomicU8,
    phase_since: AtomicU64,
    last_io: AtomicU64,
    changed: Notify,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            phase: AtomicU8::new(Phase::Headers as u8),
            phase_since: AtomicU64::new(0),
            last_io: AtomicU64::new(0),
            changed: Notify::new(),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Acquire) {
            0 => Phase::Idle,
            1 => Phase::Headers,
            _ => Phase::Busy,
        }
    }

    fn enter(&self, phase: Phase) {
        self.phase_since.store(self.now(), Ordering::Release);
        self.phase.store(phase as u8, Ordering::Release);
        self.changed.notify_one();
    }

    fn bytes_moved(&self, read: bool) {
        self.last_io.store(self.now(), Ordering::Release);
        if read && self.phase() == Phase::Idle {
            self.enter(Phase::Headers);
        }
    }

    /// When the connection is to be closed if nothing changes.
    fn deadline(&self, limits: &Limits) -> Instant {
        let at = |millis: u64, after: Duration| self.opened + Duration::from_millis(millis) + after;
        match self.phase() {
            Phase::Idle => at(
                self.phase_since.load(Ordering::Acquire),
                limits.idle_timeout,
            ),
            Phase::Headers => at(
                self.phase_since.load(Ordering::Acquire),
                limits.header_timeout,
            ),
            Phase::Busy => at(self.last_io.load(Ordering::Acquire), limits.idle_timeout),
        }
    }
}

struct Connection {
    stream: TcpStream,
    peer: SocketAddr,
    limits: Limits,
    activity: Arc<Activity>,
    _place: OwnedSemaphorePermit,
}

impl Connection {
    fn new(
        stream: TcpStream,
        peer: SocketAddr,
        limits: Limits,
        place: OwnedSemaphorePermit,
    ) -> Self {
        Connection {
            stream,
            peer,
            limits,
            activity: Arc::new(Activity::new()),
            _place: place,
        }
    }

    /// Serves requests until the client closes, a deadline passes (the socket is dropped), or
    /// `stopping` asks it to finish its request and close.
    async fn run(self, app: Router, mut stopping: watch::Receiver<bool>) {
        let Connection {
            stream,
            peer,
            limits,
            activity,
            _place,
        } = self;
        let io = TokioIo::new(WatchedIo {
            inner: stream,
            activity: activity.clone(),
        });
        let service_activity = activity.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            let activity = service_activity.clone();
            activity.enter(Phase::Busy);
            request.extensions_mut().insert(ConnectInfo(Peer(peer)));
            let app = app.clone();
            async move {
                let response = app
                    .oneshot(request.map(Body::new))
                    .await
                    .unwrap_or_else(|never: Infallible| match never {});
                Ok::<_, Infallible>(response.map(|body| {
                    Body::new(WatchedBody {
                        inner: body,
                        activity,
                    })
                }))
            }
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .keep_alive(true)
            .max_buf_size(READ_BUFFER_MAX)
            .serve_connection(io, service);
        tokio::pin!(conn);
        let mut winding_down = false;
        loop {
            let deadline = activity.deadline(&limits);
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(target: "paideia::http", "connection from {peer}: {e}");
                    }
                    return;
                }
                _ = activity.changed.notified() => {}
                _ = tokio::time::sleep_until(deadline.into()) => {
                    if activity.deadline(&limits) <= Instant::now() {
                        tracing::debug!(
                            target: "paideia::http",
                            "closing connection from {peer}: no progress while {:?}",
                            activity.phase()
                        );
                        return;
                    }
                }
                _ = stopping.wait_for(|s| *s), if !winding_down => {
                    conn.as_mut().graceful_shutdown();
                    winding_down = true;
                }
            }
        }
    }
}

/// A socket whose reads and writes are reported to the connection's `Activity`.
struct WatchedIo {
    inner: TcpStream,
    activity: Arc<Activity>,
}

/// A response body whose end is reported to the connection's `Activity`.
struct WatchedBody {
    inner: Body,
    activity: Arc<Activity>,
}

impl AsyncRead for WatchedIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.bytes_moved(true);
        }
        result
    }
}

impl AsyncWrite for WatchedIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.bytes_moved(false);
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.bytes_moved(false);
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl http_body::Body for WatchedBody {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// hyper drops a response body once it has been written (or the connection failed): the
/// connection is idle again until the next request's first byte.
impl Drop for WatchedBody {
    fn drop(&mut self) {
        self.activity.enter(Phase::Idle);
    }
}

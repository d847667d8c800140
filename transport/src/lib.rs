//! The default transport of generated crates (their feature `rustls`): HTTP/1.1 on hyper's
//! connection API with a small pool of our own ([`pool`]), TLS by rustls with post-quantum
//! hybrid key exchange (X25519MLKEM768, then X25519) on *ring* and RustCrypto's ML-KEM (no
//! OpenSSL, no C compiler beyond ring's small assembly; [`tls`] has the other providers), and
//! Mozilla's root certificates compiled in (`webpki-roots`), so it behaves the same on every
//! machine. Extra roots (a corporate CA, a test server) can be added.
//!
//! A crate of its own so that the protocol runtime compiles beside ring, rustls and hyper
//! rather than after them; generated crates hand [`default_http_client`] to the runtime
//! through their `ServiceInfo`.
//!
//! Why not hyper-util's pooled client: a query-protocol client sends one small request at a
//! time per connection and reads the body whole; the few lines of pooling here do that,
//! and leave out six crates (hyper-util, hyper-rustls, futures-util and company) that every
//! user would otherwise compile.
#![forbid(unsafe_code)]
// As in the runtime: nothing from the network may panic the caller.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::string_slice, clippy::arithmetic_side_effects)
)]

mod pool;
pub mod tls;

use aws_query_runtime::values::TimeoutConfig;
use aws_query_runtime::http::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse, Scheme, SendOptions, SharedHttpClient};
use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use pool::{Checkout, Conn, Pool, PoolKey, PoolSettings, Slot};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

type Sender = SendRequest<Full<Bytes>>;

/// The transport a client uses when its configuration sets none: a [`HyperClient`] with
/// the configuration's connect timeout. Generated crates put this function in their
/// `ServiceInfo` when their `rustls` feature is on.
pub fn default_http_client(timeouts: Option<&TimeoutConfig>) -> SharedHttpClient {
    Arc::new(HyperClient::builder().connect_timeout(timeouts.and_then(|t| t.connect_timeout())).build())
}

/// hyper + rustls, pooled. Clones share the pool.
#[derive(Clone)]
pub struct HyperClient {
    inner: Arc<Inner>,
}

struct Inner {
    tls: Result<TlsConnector, String>,
    connect_timeout: Option<Duration>,
    tcp_keepalive: Option<Duration>,
    pool: Arc<Pool>,
    counts: Arc<Counts>,
}

impl std::fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HyperClient")
    }
}

impl Default for HyperClient {
    fn default() -> Self {
        HyperClient::builder().build()
    }
}

impl HyperClient {
    pub fn builder() -> HyperClientBuilder {
        HyperClientBuilder {
            connect_timeout: Some(Duration::from_millis(3100)),
            tcp_keepalive: Some(Duration::from_secs(60)),
            pool: PoolSettings::default(),
            extra_roots: Vec::new(),
        }
    }
}

/// Builds a [`HyperClient`].
#[derive(Clone, Debug)]
pub struct HyperClientBuilder {
    connect_timeout: Option<Duration>,
    tcp_keepalive: Option<Duration>,
    pool: PoolSettings,
    extra_roots: Vec<Vec<u8>>,
}

impl HyperClientBuilder {
    /// Time to establish the connection, TLS handshake included (default 3.1 s; `None`
    /// waits for the OS).
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// At most this many connections to one host (scheme, host and port) at a time, in use
    /// or idle (default 64; at least 1). A request beyond it waits for a connection to be
    /// free, within the call's attempt timeout.
    pub fn max_connections_per_host(mut self, n: usize) -> Self {
        self.pool.max_per_host = n.max(1);
        self
    }

    /// Idle connections kept per host (default 16); more are closed when returned.
    pub fn max_idle_per_host(mut self, n: usize) -> Self {
        self.pool.max_idle_per_host = n;
        self
    }

    /// How long an unused connection is kept before it is closed (default 90 s).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool.idle_timeout = timeout;
        self
    }

    /// TCP keepalive probes after this much silence on a connection (default 60 s; `None`
    /// turns them off), so that a peer or middlebox that vanished is noticed.
    pub fn tcp_keepalive(mut self, idle: Option<Duration>) -> Self {
        self.tcp_keepalive = idle;
        self
    }

    /// Trusts one more root certificate (DER), besides Mozilla's.
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.extra_roots.push(der.into());
        self
    }

    pub fn build(self) -> HyperClient {
        let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        for der in self.extra_roots {
            // A certificate that does not parse is not trusted; the handshake then fails
            // with a clear TLS error instead of a panic here.
            let _ = roots.add(rustls::pki_types::CertificateDer::from(der));
        }
        // Every provider of `tls` supports TLS 1.3 and 1.2, so this does not fail; if a provider
        // ever did not, each HTTPS connection fails with the reason instead of a panic here.
        let tls = rustls::ClientConfig::builder_with_provider(tls::provider())
            .with_safe_default_protocol_versions()
            .map(|b| TlsConnector::from(Arc::new(b.with_root_certificates(roots).with_no_client_auth())))
            .map_err(|e| format!("the TLS provider ({}) cannot make a client: {e}", tls::PROVIDER));
        HyperClient {
            inner: Arc::new(Inner {
                tls,
                connect_timeout: self.connect_timeout,
                tcp_keepalive: self.tcp_keepalive,
                pool: Arc::new(Pool::new(self.pool)),
                counts: Arc::default(),
            }),
        }
    }
}

impl HttpClient for HyperClient {
    fn send<'a>(&'a self, request: HttpRequest, options: &'a SendOptions) -> BoxFuture<'a, Result<HttpResponse, ConnectorError>> {
        Box::pin(self.send_request(request, options.max_body_bytes, options.read_timeout))
    }
}

impl HyperClient {
    async fn send_request(&self, request: HttpRequest, limit: usize, read_timeout: Option<Duration>) -> Result<HttpResponse, ConnectorError> {
        let key = pool_key(&request);
        let req = to_hyper(&request)?;
        let mut conn = self.checkout(&key).await?;
        let response = match await_response(conn.sender()?.send_request(req), read_timeout, &key).await? {
            Ok(response) => response,
            // The server closed a pooled connection before the request went out: nothing
            // was sent, so another connection may try once (as hyper-util's client does).
            Err(e) if conn.reused && e.is_canceled() => {
                drop(conn);
                conn = self.checkout(&key).await?;
                await_response(conn.sender()?.send_request(to_hyper(&request)?), read_timeout, &key).await?.map_err(classify)?
            }
            Err(e) => return Err(classify(e)),
        };
        let out = read_response(response, limit).await?;
        if let Some(conn) = conn.finish() {
            self.inner.pool.release(key, conn);
        }
        Ok(out)
    }

    /// A pooled connection to `key`, or a new one; waits while the host is at its limit.
    async fn checkout(&self, key: &PoolKey) -> Result<InFlight, ConnectorError> {
        match self.inner.pool.acquire(key).await? {
            Checkout::Pooled(conn) => Ok(InFlight { conn: Some(conn), reused: true }),
            Checkout::Open(slot) => Ok(InFlight { conn: Some(self.connect(key, slot).await?), reused: false }),
        }
    }

    /// A new connection (TCP, then TLS for `https`), its driver spawned on the runtime
    /// holding `slot` until the socket is closed.
    async fn connect(&self, key: &PoolKey, slot: Slot) -> Result<Conn, ConnectorError> {
        let connecting = self.open(key, slot);
        match self.inner.connect_timeout {
            Some(limit) => match tokio::time::timeout(limit, connecting).await {
                Ok(result) => result,
                Err(_) => Err(ConnectorError::timeout(format!("connecting to {}:{} took longer than {limit:?}", key.1, key.2))),
            },
            None => connecting.await,
        }
    }

    async fn open(&self, (scheme, host, port): &PoolKey, slot: Slot) -> Result<Conn, ConnectorError> {
        let tcp = tcp_connect(host, *port, self.inner.tcp_keepalive).await?;
        // From here the socket carries its slot: it is given back when the socket closes.
        let socket = Socket::new(tcp, slot, self.inner.counts.clone());
        match scheme {
            Scheme::Http => handshake(socket).await,
            Scheme::Https => {
                let name = rustls::pki_types::ServerName::try_from(bare_host(host).to_owned())
                    .map_err(|e| ConnectorError::other(format!("{host} is not a valid TLS server name: {e}")))?;
                let connector = self.inner.tls.as_ref().map_err(|e| ConnectorError::other(e.clone()))?;
                let tls = connector.connect(name, socket).await.map_err(|e| tls_error(host, *port, e))?;
                handshake(tls).await
            }
        }
    }

    /// Connections open now, to every host.
    pub fn open_connections(&self) -> usize {
        self.inner.counts.open.load(Ordering::SeqCst)
    }

    /// The most connections that were open at once since this client was built (for
    /// monitoring, and for tests of the pool's limits).
    pub fn peak_open_connections(&self) -> usize {
        self.inner.counts.peak.load(Ordering::SeqCst)
    }
}

/// Waits for the response to a request sent on a connection (its status line and headers),
/// at most `read_timeout`: a server that took the connection and does not answer fails the
/// attempt with a timeout (retried). The connection is then dropped with the request on it,
/// which closes it.
async fn await_response<F, T>(response: F, read_timeout: Option<Duration>, (_, host, port): &PoolKey) -> Result<T, ConnectorError>
where
    F: std::future::Future<Output = T>,
{
    match read_timeout {
        Some(limit) => tokio::time::timeout(limit, response)
            .await
            .map_err(|_| ConnectorError::timeout(format!("no response from {host}:{port} within {limit:?} (read timeout)"))),
        None => Ok(response.await),
    }
}

/// A connection with a request on it. Dropped before [`InFlight::finish`] (the attempt
/// timed out, the response failed), it closes the connection: a connection left with an
/// unanswered request cannot be reused, and closing it frees its slot now.
struct InFlight {
    conn: Option<Conn>,
    reused: bool,
}

impl InFlight {
    fn sender(&mut self) -> Result<&mut Sender, ConnectorError> {
        // Only `finish` takes the connection, and it consumes the value: never `None` here.
        self.conn.as_mut().map(|c| &mut c.sender).ok_or_else(|| ConnectorError::other("the connection was returned"))
    }

    /// The connection, its response read whole: back to the pool.
    fn finish(mut self) -> Option<Conn> {
        self.conn.take()
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            conn.driver.abort();
        }
    }
}

/// URLs bracket IPv6 literals (`[::1]`); sockets and TLS names take them bare.
fn bare_host(host: &str) -> &str {
    host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host)
}

/// A TCP connection with Nagle off (requests are small and written at once; waiting only
/// adds latency) and keepalive probes on when asked.
async fn tcp_connect(host: &str, port: u16, keepalive: Option<Duration>) -> Result<TcpStream, ConnectorError> {
    let tcp = TcpStream::connect((bare_host(host), port)).await.map_err(|e| connect_error(host, port, e))?;
    let _ = tcp.set_nodelay(true);
    if let Some(idle) = keepalive {
        // Best effort: a platform without the socket option still gets a working connection.
        let probes = socket2::TcpKeepalive::new().with_time(idle).with_interval(idle.min(Duration::from_secs(15)));
        let _ = socket2::SockRef::from(&tcp).set_tcp_keepalive(&probes);
    }
    Ok(tcp)
}

async fn handshake<T>(stream: T) -> Result<Conn, ConnectorError>
where
    T: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let (sender, connection) = http1::handshake(Io::new(stream)).await.map_err(ConnectorError::io)?;
    // The connection's driver; it ends (closing the socket) when the server closes, the
    // last sender is dropped, or the pool aborts it.
    let driver = tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(Conn { sender, driver: driver.abort_handle() })
}

/// Live sockets, counted where they are made and dropped.
#[derive(Default)]
struct Counts {
    open: AtomicUsize,
    peak: AtomicUsize,
}

/// A TCP connection holding its pool slot: fields drop in order, so the socket is closed
/// before the slot is given back, and no socket is open without one.
struct Socket {
    tcp: TcpStream,
    _slot: Slot,
    counts: Arc<Counts>,
}

impl Socket {
    fn new(tcp: TcpStream, slot: Slot, counts: Arc<Counts>) -> Socket {
        let open = counts.open.fetch_add(1, Ordering::SeqCst).saturating_add(1);
        counts.peak.fetch_max(open, Ordering::SeqCst);
        Socket { tcp, _slot: slot, counts }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // Counted out just before the socket and then the slot go (the fields, in order,
        // after this): a new socket needs that slot, so the peak never passes the limit.
        self.counts.open.fetch_sub(1, Ordering::SeqCst);
    }
}

impl AsyncRead for Socket {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for Socket {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().tcp).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_write_vectored(self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().tcp).poll_write_vectored(cx, bufs)
    }
}

fn pool_key(request: &HttpRequest) -> PoolKey {
    let scheme = request.scheme();
    (scheme, request.host().to_ascii_lowercase(), request.port().unwrap_or(scheme.default_port()))
}

/// The request in hyper's terms: origin-form target, our headers, `Host` when absent.
fn to_hyper(request: &HttpRequest) -> Result<http::Request<Full<Bytes>>, ConnectorError> {
    let mut builder = http::Request::builder().method(request.method()).uri(request.path_and_query());
    if request.header("host").is_none() {
        builder = builder.header("host", request.authority());
    }
    for (k, v) in request.headers() {
        builder = builder.header(k.as_str(), v.as_str());
    }
    builder.body(Full::new(request.body().clone())).map_err(ConnectorError::other)
}

/// Reads the body whole, refusing one longer than `limit` without reading it.
async fn read_response(response: http::Response<hyper::body::Incoming>, limit: usize) -> Result<HttpResponse, ConnectorError> {
    let status = response.status().as_u16();
    let declared = response
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| u64::try_from(limit).is_ok_and(|limit| n > limit)) {
        return Err(ConnectorError::body_too_large(limit));
    }
    let (parts, mut body) = response.into_parts();
    // The declared length sizes the buffer, up to 1 MiB: a header alone reserves no more.
    let capacity = declared.map_or(8192, |n| usize::try_from(n).unwrap_or(usize::MAX).min(1 << 20));
    let mut buf = BytesMut::with_capacity(capacity);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(ConnectorError::io)?;
        if let Ok(data) = frame.into_data() {
            if buf.len().saturating_add(data.len()) > limit {
                return Err(ConnectorError::body_too_large(limit));
            }
            buf.extend_from_slice(&data);
        }
    }
    let mut out = HttpResponse::new(status, buf.freeze());
    for (k, v) in &parts.headers {
        out = out.with_header(k.as_str(), String::from_utf8_lossy(v.as_bytes()));
    }
    Ok(out)
}

/// tokio-rustls reports a failed handshake (an untrusted certificate, no common protocol)
/// as `InvalidData`: retrying cannot fix it. Anything else happened on the wire.
fn tls_error(host: &str, port: u16, e: io::Error) -> ConnectorError {
    if e.kind() == io::ErrorKind::InvalidData {
        ConnectorError::other(format!("TLS with {host}:{port}: {e}"))
    } else {
        connect_error(host, port, e)
    }
}

fn connect_error(host: &str, port: u16, e: io::Error) -> ConnectorError {
    let message = format!("connecting to {host}:{port}: {e}");
    if e.kind() == io::ErrorKind::TimedOut {
        ConnectorError::timeout(message)
    } else {
        ConnectorError::io(message)
    }
}

/// A request hyper refuses to send, or a response that is not HTTP, is not worth retrying;
/// everything else on the wire is an I/O error (retryable).
fn classify(e: hyper::Error) -> ConnectorError {
    if e.is_user() || e.is_parse() {
        ConnectorError::other(e)
    } else {
        ConnectorError::io(e)
    }
}

/// Tokio's I/O traits seen through hyper's. Reads go through a buffer of ours, zeroed once
/// per connection, so that no `unsafe` is needed for hyper's uninitialised read buffers.
struct Io<T> {
    io: T,
    scratch: Box<[u8]>,
}

impl<T> Io<T> {
    fn new(io: T) -> Self {
        Io { io, scratch: vec![0; 32 * 1024].into_boxed_slice() }
    }
}

impl<T: AsyncRead + Unpin> hyper::rt::Read for Io<T> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, mut buf: hyper::rt::ReadBufCursor<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let n = buf.remaining().min(this.scratch.len());
        let Some(scratch) = this.scratch.get_mut(..n) else { return Poll::Ready(Ok(())) };
        let mut read = ReadBuf::new(scratch);
        match Pin::new(&mut this.io).poll_read(cx, &mut read) {
            Poll::Ready(Ok(())) => {
                buf.put_slice(read.filled());
                Poll::Ready(Ok(()))
            }
            other => other,
        }
    }
}

impl<T: AsyncWrite + Unpin> hyper::rt::Write for Io<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn connections_have_keepalive_and_no_nagle() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let tcp = tcp_connect("127.0.0.1", port, Some(Duration::from_secs(30))).await.unwrap();
        let socket = socket2::SockRef::from(&tcp);
        assert!(socket.keepalive().unwrap());
        #[cfg(any(target_os = "linux", target_os = "macos"))]
        assert_eq!(socket.tcp_keepalive_time().unwrap(), Duration::from_secs(30));
        assert!(tcp.nodelay().unwrap());
        let tcp = tcp_connect("127.0.0.1", port, None).await.unwrap();
        assert!(!socket2::SockRef::from(&tcp).keepalive().unwrap());
    }

    /// A loopback server that accepts every connection, reads what it is sent, and never
    /// answers; the count of connections it accepted.
    async fn silent_server() -> (u16, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
        use tokio::io::AsyncReadExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        let server = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    while matches!(socket.read(&mut buf).await, Ok(n) if n > 0) {}
                });
            }
        });
        (port, accepted, server)
    }

    fn request(port: u16) -> HttpRequest {
        HttpRequest::new("POST", &format!("http://127.0.0.1:{port}/")).unwrap()
    }

    #[tokio::test]
    async fn a_server_that_never_answers_hits_the_read_timeout() {
        let (port, accepted, server) = silent_server().await;
        let client = HyperClient::builder().build();
        let options = SendOptions::new(1 << 20).with_read_timeout(Some(Duration::from_millis(200)));
        let started = std::time::Instant::now();
        let err = client.send(request(port), &options).await.unwrap_err();
        let elapsed = started.elapsed();
        assert_eq!(err.kind(), aws_query_runtime::http::ConnectorErrorKind::Timeout, "{err}");
        assert!(err.is_retryable());
        assert!(err.to_string().contains("read timeout"), "{err}");
        assert!(elapsed >= Duration::from_millis(200) && elapsed < Duration::from_secs(5), "{elapsed:?}");
        assert_eq!(accepted.load(Ordering::SeqCst), 1, "the connection was made: only the answer was missing");
        // The connection left with an unanswered request is closed, not pooled.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while client.open_connections() > 0 {
            assert!(std::time::Instant::now() < deadline, "the timed-out connection is still open");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        // The next request opens a new connection (and times out the same way).
        let err = client.send(request(port), &options).await.unwrap_err();
        assert_eq!(err.kind(), aws_query_runtime::http::ConnectorErrorKind::Timeout, "{err}");
        assert_eq!(accepted.load(Ordering::SeqCst), 2);
        server.abort();
    }

    #[tokio::test]
    async fn without_a_read_timeout_the_transport_keeps_waiting() {
        let (port, _, server) = silent_server().await;
        let client = HyperClient::builder().build();
        // No read timeout: the caller's own limit (the client's attempt timeout) ends the wait.
        let options = SendOptions::new(1 << 20);
        let waiting = client.send(request(port), &options);
        assert!(tokio::time::timeout(Duration::from_millis(300), waiting).await.is_err());
        server.abort();
    }
}

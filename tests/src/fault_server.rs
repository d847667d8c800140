//! A loopback HTTP server that misbehaves on request: errors, throttling, resets, slow or
//! endless or truncated bodies. Each connection serves one request (`Connection: close`), and
//! takes the next behaviour from the script (the last one repeats).
//!
//! [`KeepAliveServer`] is the well-behaved opposite, for the transport's own tests: HTTP/1.1
//! keep-alive, optionally over TLS, counting connections and requests.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Behavior {
    /// A complete response.
    Respond { status: u16, content_type: &'static str, body: Vec<u8> },
    /// Waits, then responds.
    Delay(Duration, Box<Behavior>),
    /// Closes the connection without a response.
    Close,
    /// Resets the connection (RST).
    Reset,
    /// Declares `declared` bytes, sends `sent`, then closes.
    Truncated { declared: usize, sent: Vec<u8> },
    /// Sends the head, then one byte every `interval`, for ever (slow loris).
    Drip { interval: Duration },
    /// A chunked body of `total` bytes, no Content-Length (size unknown up front).
    ChunkedJunk { total: usize },
}

impl Behavior {
    pub fn ok(body: impl Into<Vec<u8>>) -> Behavior {
        Behavior::Respond { status: 200, content_type: "text/xml", body: body.into() }
    }

    pub fn status(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Behavior {
        Behavior::Respond { status, content_type, body: body.into() }
    }

    /// A query-protocol error document.
    pub fn error(status: u16, code: &str) -> Behavior {
        let body = format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>injected {code}</Message></Error>\
             <RequestId>fault-{code}</RequestId></ErrorResponse>"
        );
        Behavior::status(status, "text/xml", body)
    }
}

/// A running server; stops when dropped.
pub struct FaultServer {
    pub endpoint: String,
    requests: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultServer {
    /// Starts a server that follows `script` (one behaviour per request, the last repeating).
    pub async fn start(script: Vec<Behavior>) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let endpoint = format!("http://{}", listener.local_addr().expect("local address"));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let behavior = {
                    let mut s = script.lock().unwrap();
                    if s.len() > 1 { s.pop_front() } else { s.front().cloned() }
                };
                let counter = counter.clone();
                tokio::spawn(async move {
                    if let Some(b) = behavior {
                        serve(stream, b, &counter).await;
                    }
                });
            }
        });
        FaultServer { endpoint, requests, task }
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, behavior: Behavior, counter: &AtomicUsize) {
    if read_request(&mut stream).await.is_none() {
        return;
    }
    counter.fetch_add(1, Ordering::SeqCst);
    respond(&mut stream, behavior).await;
}

/// Reads one request (head and `Content-Length` body).
pub(crate) async fn read_request<S: AsyncRead + Unpin>(stream: &mut S) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(buf)
}

async fn respond(stream: &mut TcpStream, behavior: Behavior) {
    match behavior {
        Behavior::Respond { status, content_type, body } => {
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
        }
        Behavior::Delay(d, then) => {
            tokio::time::sleep(d).await;
            Box::pin(respond(stream, *then)).await;
        }
        Behavior::Close => {
            let _ = stream.shutdown().await;
        }
        Behavior::Reset => {
            let _ = stream.set_zero_linger();
        }
        Behavior::Truncated { declared, sent } => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {declared}\r\n\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&sent).await;
            let _ = stream.shutdown().await;
        }
        Behavior::Drip { interval } => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000000\r\n\r\n").await;
            loop {
                if stream.write_all(b"<").await.is_err() {
                    return;
                }
                tokio::time::sleep(interval).await;
            }
        }
        Behavior::ChunkedJunk { total } => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n").await;
            let chunk = vec![b'a'; 64 * 1024];
            let mut sent = 0;
            while sent < total {
                let n = chunk.len().min(total - sent);
                let frame = format!("{n:x}\r\n");
                if stream.write_all(frame.as_bytes()).await.is_err()
                    || stream.write_all(&chunk[..n]).await.is_err()
                    || stream.write_all(b"\r\n").await.is_err()
                {
                    return;
                }
                sent += n;
            }
            let _ = stream.write_all(b"0\r\n\r\n").await;
        }
    }
}

/// A keep-alive HTTP/1.1 server on loopback that answers every request with `body`; with a
/// TLS config, over TLS. It can close each connection after `requests_per_connection`
/// requests without saying so, as servers with a short idle timeout do.
pub struct KeepAliveServer {
    pub endpoint: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
    closed: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl KeepAliveServer {
    pub async fn start(body: Vec<u8>, tls: Option<Arc<rustls::ServerConfig>>, requests_per_connection: usize) -> KeepAliveServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let endpoint = format!("{}://{addr}", if tls.is_some() { "https" } else { "http" });
        let (connections, requests) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let closed = Arc::new(AtomicUsize::new(0));
        let (conns, reqs, done) = (connections.clone(), requests.clone(), closed.clone());
        let body = Arc::new(body);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                conns.fetch_add(1, Ordering::SeqCst);
                let (tls, reqs, body, done) = (tls.clone(), reqs.clone(), body.clone(), done.clone());
                tokio::spawn(async move {
                    match tls {
                        Some(config) => {
                            if let Ok(stream) = tokio_rustls::TlsAcceptor::from(config).accept(stream).await {
                                serve_keep_alive(stream, &body, &reqs, requests_per_connection).await;
                            }
                        }
                        None => serve_keep_alive(stream, &body, &reqs, requests_per_connection).await,
                    }
                    // The stream was dropped (closed) above.
                    done.fetch_add(1, Ordering::SeqCst);
                });
            }
        });
        KeepAliveServer { endpoint, connections, requests, closed, task }
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Requests answered so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Connections the server has closed (or lost) so far.
    pub fn closed(&self) -> usize {
        self.closed.load(Ordering::SeqCst)
    }
}

impl Drop for KeepAliveServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_keep_alive<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, body: &[u8], counter: &AtomicUsize, limit: usize) {
    for _ in 0..limit {
        if read_request(&mut stream).await.is_none() {
            return;
        }
        counter.fetch_add(1, Ordering::SeqCst);
        let head = format!("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n", body.len());
        if stream.write_all(head.as_bytes()).await.is_err() || stream.write_all(body).await.is_err() || stream.flush().await.is_err() {
            return;
        }
    }
    let _ = stream.shutdown().await;
}

/// One request as a [`HandlerServer`] received it: its parts, and the exact bytes.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    /// The request target (`/`, `/path?query`).
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The request exactly as it came over the wire, head and body.
    pub raw: Vec<u8>,
}

impl Received {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn parse(raw: Vec<u8>) -> Option<Received> {
        let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = std::str::from_utf8(&raw[..head_end]).ok()?;
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next()?.split(' ');
        let (method, target) = (request_line.next()?.to_owned(), request_line.next()?.to_owned());
        let headers: Vec<(String, String)> =
            lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.to_owned(), v.trim().to_owned())).collect();
        let len: usize = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-length")).and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
        let end = head_end + 4 + len;
        let raw = raw.get(..end)?.to_vec();
        Some(Received { method, target, headers, body: raw[head_end + 4..].to_vec(), raw })
    }
}

/// What a [`HandlerServer`] does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A response with these headers (and `Content-Length`); the connection stays open.
    Respond { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// Waits, then does the rest.
    Delay(Duration, Box<Reply>),
    /// Resets the connection (RST) without a response.
    Reset,
    /// Closes the connection without a response.
    Close,
}

impl Reply {
    pub fn xml(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Respond { status, headers: vec![("Content-Type".into(), "text/xml".into())], body: body.into() }
    }
}

/// Connection and request counts of a [`HandlerServer`].
#[derive(Default, Debug)]
pub struct Counts {
    pub connections: AtomicUsize,
    pub open: AtomicUsize,
    /// The most connections open at once.
    pub peak_open: AtomicUsize,
    pub requests: AtomicUsize,
}

/// A keep-alive HTTP/1.1 server on loopback whose every answer comes from a function of
/// the request: for protocol behaviour that depends on what was sent (a clock that is off,
/// a signature to check, faults drawn from a seeded generator).
pub struct HandlerServer {
    pub endpoint: String,
    pub counts: Arc<Counts>,
    task: tokio::task::JoinHandle<()>,
}

impl HandlerServer {
    pub async fn start(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> HandlerServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let endpoint = format!("http://{}", listener.local_addr().expect("local address"));
        let counts = Arc::new(Counts::default());
        let handler = Arc::new(handler);
        let c = counts.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                c.connections.fetch_add(1, Ordering::SeqCst);
                let open = c.open.fetch_add(1, Ordering::SeqCst) + 1;
                c.peak_open.fetch_max(open, Ordering::SeqCst);
                let (c, handler) = (c.clone(), handler.clone());
                tokio::spawn(async move {
                    serve_with(stream, &*handler, &c).await;
                    c.open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        HandlerServer { endpoint, counts, task }
    }

    pub fn requests(&self) -> usize {
        self.counts.requests.load(Ordering::SeqCst)
    }

    pub fn connections(&self) -> usize {
        self.counts.connections.load(Ordering::SeqCst)
    }

    pub fn open(&self) -> usize {
        self.counts.open.load(Ordering::SeqCst)
    }

    pub fn peak_open(&self) -> usize {
        self.counts.peak_open.load(Ordering::SeqCst)
    }
}

impl Drop for HandlerServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_with(mut stream: TcpStream, handler: &(dyn Fn(&Received) -> Reply + Send + Sync), counts: &Counts) {
    while let Some(raw) = read_request(&mut stream).await {
        let Some(request) = Received::parse(raw) else { return };
        counts.requests.fetch_add(1, Ordering::SeqCst);
        let mut reply = handler(&request);
        loop {
            match reply {
                Reply::Delay(d, then) => {
                    // Watching the socket meanwhile, as servers do: a client that gave up
                    // and closed the connection ends it now, not when the delay is over.
                    if !sleep_unless_closed(&stream, d).await {
                        return;
                    }
                    reply = *then;
                }
                Reply::Reset => {
                    let _ = stream.set_zero_linger();
                    return;
                }
                Reply::Close => return,
                Reply::Respond { status, headers, body } => {
                    let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
                    for (k, v) in headers {
                        head.push_str(&format!("{k}: {v}\r\n"));
                    }
                    head.push_str("\r\n");
                    if stream.write_all(head.as_bytes()).await.is_err() || stream.write_all(&body).await.is_err() {
                        return;
                    }
                    break;
                }
            }
        }
    }
}

/// Sleeps for `d`; `false` as soon as the peer closes the connection.
async fn sleep_unless_closed(stream: &TcpStream, d: Duration) -> bool {
    let sleep = tokio::time::sleep(d);
    tokio::pin!(sleep);
    let mut probe = [0u8; 1];
    tokio::select! {
        _ = &mut sleep => true,
        read = stream.peek(&mut probe) => match read {
            Ok(n) if n > 0 => {
                // More bytes from the client (a pipelined request): wait out the delay.
                sleep.await;
                true
            }
            _ => false,
        },
    }
}

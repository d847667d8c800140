//! The independent signature check: requests as they went over the wire, verified by
//! botocore's own SigV4 signer (`tests/python/sigv4_verify.py`), and [`CaptureProxy`], a
//! loopback TCP proxy that records the bytes a client sends to a real server (moto).

use serde_json::json;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The credentials the requests were signed with.
pub struct SignedWith<'a> {
    pub access_key: &'a str,
    pub secret_key: &'a str,
    pub session_token: Option<&'a str>,
}

/// Verifies every request (raw HTTP/1.1 bytes, sent over plain HTTP) with botocore's
/// signer; panics naming each one botocore signs differently. Returns how many it checked.
pub fn verify_with_botocore(what: &str, requests: &[Vec<u8>], creds: &SignedWith<'_>) -> usize {
    assert!(!requests.is_empty(), "{what}: no request was captured to verify");
    let entries: Vec<_> = requests
        .iter()
        .map(|raw| {
            let mut b64 = String::new();
            aws_query_runtime::base64::encode(raw, &mut b64);
            json!({
                "raw": b64,
                "scheme": "http",
                "access_key": creds.access_key,
                "secret_key": creds.secret_key,
                "session_token": creds.session_token,
            })
        })
        .collect();
    let dir = crate::scratch(&format!("sigv4-{}-{}", what.replace(|c: char| !c.is_ascii_alphanumeric(), "-"), std::process::id()));
    let file = dir.join("requests.json");
    std::fs::write(&file, serde_json::to_vec(&entries).unwrap()).unwrap();
    let script = crate::repo().join("tests/python/sigv4_verify.py");
    let out = std::process::Command::new(crate::project_python()).arg(&script).arg(&file).output().expect("run the SigV4 verifier");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{what}: {} failed:\n{}", script.display(), String::from_utf8_lossy(&out.stderr)));
    let failures: Vec<&str> = report["failures"].as_array().into_iter().flatten().filter_map(|f| f.as_str()).collect();
    assert!(out.status.success() && failures.is_empty(), "{what}: botocore signs {} of {} requests differently:\n{}", failures.len(), requests.len(), failures.join("\n"));
    let checked = report["checked"].as_u64().unwrap_or(0) as usize;
    assert_eq!(checked, requests.len());
    crate::summary(&format!("sigv4 (botocore's signer): {what}: {checked} requests verified"));
    checked
}

/// The bytes clients sent, one buffer per connection, in the order they connected.
type Streams = Arc<Mutex<Vec<Arc<Mutex<Vec<u8>>>>>>;

/// A loopback TCP proxy to `upstream` recording what clients send (each connection's bytes
/// in order), on a thread of its own so that blocking clients can use it too.
pub struct CaptureProxy {
    pub endpoint: String,
    streams: Streams,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl CaptureProxy {
    /// Proxies to `upstream` (`http://127.0.0.1:PORT`).
    pub fn start(upstream: &str) -> CaptureProxy {
        let upstream: SocketAddr = upstream.trim_start_matches("http://").trim_end_matches('/').parse().expect("a loopback upstream");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        listener.set_nonblocking(true).unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let streams: Streams = Arc::default();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let recorded = streams.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let accepting = async {
                    while let Ok((client, _)) = listener.accept().await {
                        let bytes: Arc<Mutex<Vec<u8>>> = Arc::default();
                        recorded.lock().unwrap().push(bytes.clone());
                        tokio::spawn(relay(client, upstream, bytes));
                    }
                };
                tokio::select! {
                    _ = accepting => {}
                    _ = stopped => {}
                }
            });
        });
        CaptureProxy { endpoint, streams, stop: Some(stop) }
    }

    /// Every request sent so far, as raw bytes, connection by connection.
    pub fn requests(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for stream in self.streams.lock().unwrap().iter() {
            let bytes = stream.lock().unwrap().clone();
            let mut rest = bytes.as_slice();
            while let Some(len) = request_len(rest) {
                out.push(rest[..len].to_vec());
                rest = &rest[len..];
            }
        }
        out
    }
}

impl Drop for CaptureProxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The length of the first complete request in `bytes` (head and `Content-Length` body).
fn request_len(bytes: &[u8]) -> Option<usize> {
    let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&bytes[..head_end]).to_ascii_lowercase();
    let body: usize = head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    (bytes.len() >= head_end + body).then_some(head_end + body)
}

async fn relay(mut client: tokio::net::TcpStream, upstream: SocketAddr, bytes: Arc<Mutex<Vec<u8>>>) {
    let Ok(server) = tokio::net::TcpStream::connect(upstream).await else { return };
    let (mut from_client, mut to_client) = client.split();
    let (mut from_server, mut to_server) = tokio::io::split(server);
    let requests = async {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            let n = match from_client.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            bytes.lock().unwrap().extend_from_slice(&chunk[..n]);
            if to_server.write_all(&chunk[..n]).await.is_err() {
                break;
            }
        }
        let _ = to_server.shutdown().await;
    };
    let responses = async {
        let _ = tokio::io::copy(&mut from_server, &mut to_client).await;
        let _ = to_client.shutdown().await;
    };
    tokio::join!(requests, responses);
}

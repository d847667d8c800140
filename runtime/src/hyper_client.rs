//! The default transport (feature `rustls`): hyper's HTTP/1.1 client with connection
//! pooling, TLS by rustls on the `ring` provider (no OpenSSL, no C compiler beyond ring's
//! small assembly), and Mozilla's root certificates compiled in (`webpki-roots`), so it
//! behaves the same on every machine. Extra roots (a corporate CA, a test server) can be
//! added.

use crate::http::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse, SendOptions};
use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::sync::Arc;
use std::time::Duration;

type HttpsConnector = hyper_rustls::HttpsConnector<HttpConnector>;

/// hyper + rustls, pooled.
#[derive(Clone)]
pub struct HyperClient {
    client: Client<HttpsConnector, Full<Bytes>>,
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
        HyperClientBuilder { connect_timeout: Some(Duration::from_millis(3100)), extra_roots: Vec::new() }
    }
}

/// Builds a [`HyperClient`].
#[derive(Clone, Debug)]
pub struct HyperClientBuilder {
    connect_timeout: Option<Duration>,
    extra_roots: Vec<Vec<u8>>,
}

impl HyperClientBuilder {
    /// Time to establish the TCP connection (default 3.1 s; `None` waits for the OS).
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Trusts one more root certificate (DER), besides Mozilla's.
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.extra_roots.push(der.into());
        self
    }

    pub fn build(self) -> HyperClient {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(self.connect_timeout);

        let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        for der in self.extra_roots {
            // A certificate that does not parse is not trusted; the handshake then fails
            // with a clear TLS error instead of a panic here.
            let _ = roots.add(rustls::pki_types::CertificateDer::from(der));
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = match rustls::ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions() {
            Ok(b) => b.with_root_certificates(roots).with_no_client_auth(),
            // ring supports the default protocol versions; this arm keeps it panic-free.
            Err(_) => rustls::ClientConfig::builder().with_root_certificates(rustls::RootCertStore::empty()).with_no_client_auth(),
        };
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new()).pool_idle_timeout(Duration::from_secs(90)).build(https);
        HyperClient { client }
    }
}

impl HttpClient for HyperClient {
    fn send<'a>(&'a self, request: HttpRequest, options: &'a SendOptions) -> BoxFuture<'a, Result<HttpResponse, ConnectorError>> {
        Box::pin(async move {
            let mut builder = http::Request::builder().method(request.method()).uri(request.uri());
            for (k, v) in request.headers() {
                // hyper derives Host from the URI; a second one would be a duplicate.
                if !k.eq_ignore_ascii_case("host") {
                    builder = builder.header(k.as_str(), v.as_str());
                }
            }
            let req = builder.body(Full::new(request.body().clone())).map_err(ConnectorError::other)?;
            let response = self.client.request(req).await.map_err(classify)?;
            let status = response.status().as_u16();
            let headers: Vec<(String, String)> = response
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect();
            let limit = options.max_body_bytes;
            let declared = response
                .headers()
                .get(http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if declared.is_some_and(|n| n > limit as u64) {
                return Err(ConnectorError::body_too_large(limit));
            }
            let mut body = response.into_body();
            let mut buf = BytesMut::with_capacity(declared.map_or(8192, |n| n as usize));
            while let Some(frame) = body.frame().await {
                let frame = frame.map_err(ConnectorError::io)?;
                if let Ok(data) = frame.into_data() {
                    if buf.len() + data.len() > limit {
                        return Err(ConnectorError::body_too_large(limit));
                    }
                    buf.extend_from_slice(&data);
                }
            }
            let mut out = HttpResponse::new(status, buf.freeze());
            for (k, v) in headers {
                out = out.with_header(k, v);
            }
            Ok(out)
        })
    }
}

/// A connect timeout is a timeout; everything else on the wire is an I/O error (retryable);
/// a request hyper refuses to send is not.
fn classify(e: hyper_util::client::legacy::Error) -> ConnectorError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return ConnectorError::timeout(e);
            }
        }
        source = s.source();
    }
    if e.is_connect() {
        return ConnectorError::io(e);
    }
    match std::error::Error::source(&e).and_then(|s| s.downcast_ref::<hyper::Error>()) {
        Some(h) if h.is_user() => ConnectorError::other(e),
        _ => ConnectorError::io(e),
    }
}

//! HTTP requests and responses as the client sees them, and the transport trait that sends
//! one request.
//!
//! The types are deliberately small (no `http` crate in the public API): a transport of
//! your own — another HTTP stack, a proxy, a test double — implements [`HttpClient`] in a
//! few lines. [`test_util`] has an in-memory transport that replays canned responses and
//! captures what was sent; the default network transport is the `aws-query-transport` crate.

use bytes::Bytes;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub(crate) mod plain;
pub mod test_util;

/// The transport of the credential providers and `Config::from_env`'s region lookup when no
/// client gives one: plain HTTP, which is what the metadata endpoints speak.
pub(crate) fn metadata_transport() -> SharedHttpClient {
    std::sync::Arc::new(plain::PlainHttpClient)
}

/// A boxed future, as transports and credential providers return them.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One HTTP request, fully built and signed.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    method: String,
    scheme: Scheme,
    host: String,
    port: Option<u16>,
    path_and_query: String,
    headers: Vec<(String, String)>,
    body: Bytes,
}

/// `http` or `https`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// 80 or 443.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

impl HttpRequest {
    /// A request to `url` (absolute: `https://host[:port]/path?query`).
    pub fn new(method: impl Into<String>, url: &str) -> Result<Self, InvalidUrl> {
        Ok(Self::from_url(method, Url::parse(url)?))
    }

    /// A request to a URL already parsed.
    pub fn from_url(method: impl Into<String>, url: Url) -> Self {
        HttpRequest {
            method: method.into(),
            scheme: url.scheme,
            host: url.host,
            port: url.port,
            path_and_query: if url.path.is_empty() { "/".to_owned() } else { url.path },
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    pub fn method(&self) -> &str {
        &self.method
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host, without port (`[::1]` for IPv6 literals).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, when the URL names one.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The value of the `Host` header: the host, and the port unless it is the scheme's default.
    pub fn authority(&self) -> String {
        match self.port {
            Some(p) if p != self.scheme.default_port() => format!("{}:{p}", self.host),
            _ => self.host.clone(),
        }
    }

    /// Path and query string, starting with `/`.
    pub fn path_and_query(&self) -> &str {
        &self.path_and_query
    }

    /// The absolute URL.
    pub fn uri(&self) -> String {
        match self.port {
            Some(p) => format!("{}://{}:{p}{}", self.scheme.as_str(), self.host, self.path_and_query),
            None => format!("{}://{}{}", self.scheme.as_str(), self.host, self.path_and_query),
        }
    }

    /// Headers in the order they were added (names as given; compare case-insensitively).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Adds a header (a second value of the same name is a second header line).
    pub fn add_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    /// Replaces every value of header `name`.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.into()));
    }

    /// The headers, to change them as aws-smithy-runtime-api's `headers_mut()` does
    /// (`insert`, `append`, `remove`).
    pub fn headers_mut(&mut self) -> HeadersMut<'_> {
        HeadersMut(&mut self.headers)
    }

    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body as text (query-protocol bodies always are).
    pub fn body_str(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or("<binary body>")
    }

    pub fn set_body(&mut self, body: impl Into<Bytes>) {
        self.body = body.into();
    }

    /// Puts `prefix` before the host (`endpoint.hostPrefix` of an operation).
    pub fn prefix_host(&mut self, prefix: &str) {
        self.host.insert_str(0, prefix);
    }
}

/// A request's headers, to change (from [`HttpRequest::headers_mut`]); names compare
/// case-insensitively.
#[derive(Debug)]
pub struct HeadersMut<'a>(&'a mut Vec<(String, String)>);

impl HeadersMut<'_> {
    /// Replaces every value of `name`; returns the first value it had.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) -> Option<String> {
        let name = name.into();
        let old = self.remove(&name);
        self.0.push((name, value.into()));
        old
    }

    /// Adds a value (a second header line of the same name); `true` if the name was there.
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) -> bool {
        let name = name.into();
        let had = self.contains_key(&name);
        self.0.push((name, value.into()));
        had
    }

    /// Removes every value of `name`; returns the first.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let first = self.get(name).map(str::to_owned);
        self.0.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        first
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// An HTTP status code, as aws-smithy-runtime-api's type of the same name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusCode(u16);

impl StatusCode {
    pub fn as_u16(self) -> u16 {
        self.0
    }

    /// 2xx.
    pub fn is_success(self) -> bool {
        (200..300).contains(&self.0)
    }

    /// 4xx.
    pub fn is_client_error(self) -> bool {
        (400..500).contains(&self.0)
    }

    /// 5xx.
    pub fn is_server_error(self) -> bool {
        (500..600).contains(&self.0)
    }
}

/// A status must be three digits, 100 to 999.
impl TryFrom<u16> for StatusCode {
    type Error = InvalidStatusCode;

    fn try_from(status: u16) -> Result<Self, InvalidStatusCode> {
        if (100..1000).contains(&status) {
            Ok(StatusCode(status))
        } else {
            Err(InvalidStatusCode(status))
        }
    }
}

impl From<StatusCode> for u16 {
    fn from(status: StatusCode) -> u16 {
        status.0
    }
}

impl PartialEq<u16> for StatusCode {
    fn eq(&self, other: &u16) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A number that is not an HTTP status (100 to 999).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidStatusCode(pub u16);

impl fmt::Display for InvalidStatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not an HTTP status code (100 to 999)", self.0)
    }
}

impl std::error::Error for InvalidStatusCode {}

/// Headers are printed, but `Authorization` and `X-Amz-Security-Token` values are not:
/// requests end up in logs.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| if is_secret_header(k) { (k.as_str(), "** redacted **") } else { (k.as_str(), v.as_str()) })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("uri", &self.uri())
            .field("headers", &headers)
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}

fn is_secret_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("x-amz-security-token")
}

/// One HTTP response, its body read whole.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl HttpResponse {
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        HttpResponse { status, headers: Vec::new(), body: body.into() }
    }

    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The status, with aws-smithy-runtime-api's methods (`as_u16`, `is_success`, ...).
    pub fn status(&self) -> StatusCode {
        StatusCode(self.status)
    }

    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn body(&self) -> &Bytes {
        &self.body
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}

/// What a transport needs to know for one request besides the request itself.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SendOptions {
    /// The largest response body accepted; a longer one fails with
    /// [`ConnectorErrorKind::BodyTooLarge`] without being read whole.
    pub max_body_bytes: usize,
    /// The longest wait for the response once the request is sent (until its status line
    /// and headers arrive): the configuration's
    /// [`read_timeout`](crate::values::TimeoutConfig::read_timeout). A transport that honours
    /// it fails the request with a [`ConnectorErrorKind::Timeout`] error (retried). `None`:
    /// no such limit (the attempt timeout still applies).
    pub read_timeout: Option<Duration>,
}

impl SendOptions {
    pub fn new(max_body_bytes: usize) -> Self {
        SendOptions { max_body_bytes, read_timeout: None }
    }

    /// These options with `read_timeout` (see [`SendOptions::read_timeout`]).
    pub fn with_read_timeout(mut self, read_timeout: Option<Duration>) -> Self {
        self.read_timeout = read_timeout;
        self
    }
}

/// Sends one HTTP request and reads the response body whole.
///
/// Implement it to plug in another HTTP stack; the client adds signing, retries, timeouts
/// and parsing around it. It must not retry on its own.
pub trait HttpClient: Send + Sync + fmt::Debug + 'static {
    fn send<'a>(&'a self, request: HttpRequest, options: &'a SendOptions) -> BoxFuture<'a, Result<HttpResponse, ConnectorError>>;
}

/// A transport shared by clients and their clones.
pub type SharedHttpClient = Arc<dyn HttpClient>;

/// Why a request got no response.
#[derive(Debug)]
pub struct ConnectorError {
    kind: ConnectorErrorKind,
    source: Box<dyn std::error::Error + Send + Sync>,
}

/// The kinds of transport failure the retry logic tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectorErrorKind {
    /// Connecting timed out.
    Timeout,
    /// An I/O error: refused or reset connection, a connection closed mid-response.
    Io,
    /// The response body is larger than [`SendOptions::max_body_bytes`].
    BodyTooLarge,
    /// The caller's doing (aws-sdk-rust's `ConnectorError::user`): a request the transport
    /// cannot send as it is. Not retried.
    User,
    /// Anything else (a malformed response, a TLS failure, a bad request).
    Other,
}

impl ConnectorError {
    pub fn new(kind: ConnectorErrorKind, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ConnectorError { kind, source: source.into() }
    }

    pub fn timeout(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::new(ConnectorErrorKind::Timeout, source)
    }

    pub fn io(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::new(ConnectorErrorKind::Io, source)
    }

    pub fn other(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::new(ConnectorErrorKind::Other, source)
    }

    /// A failure caused by the request itself, not the network; not retried.
    pub fn user(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::new(ConnectorErrorKind::User, source)
    }

    pub fn body_too_large(limit: usize) -> Self {
        Self::new(ConnectorErrorKind::BodyTooLarge, format!("the response body is larger than the limit of {limit} bytes"))
    }

    pub fn kind(&self) -> ConnectorErrorKind {
        self.kind
    }

    pub fn is_timeout(&self) -> bool {
        self.kind == ConnectorErrorKind::Timeout
    }

    pub fn is_io(&self) -> bool {
        self.kind == ConnectorErrorKind::Io
    }

    pub fn is_user(&self) -> bool {
        self.kind == ConnectorErrorKind::User
    }

    /// Neither a timeout, nor I/O, nor the caller's doing (an oversized body counts here).
    pub fn is_other(&self) -> bool {
        matches!(self.kind, ConnectorErrorKind::Other | ConnectorErrorKind::BodyTooLarge)
    }

    /// The transport's own error.
    pub fn into_source(self) -> Box<dyn std::error::Error + Send + Sync> {
        self.source
    }

    /// Worth another attempt: timeouts and I/O failures are transient.
    pub fn is_retryable(&self) -> bool {
        matches!(self.kind, ConnectorErrorKind::Timeout | ConnectorErrorKind::Io)
    }
}

impl fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ConnectorErrorKind::Timeout => "timed out",
            ConnectorErrorKind::Io => "I/O error",
            ConnectorErrorKind::BodyTooLarge => "response too large",
            ConnectorErrorKind::User => "request error",
            ConnectorErrorKind::Other => "transport error",
        };
        write!(f, "{what}: {}", self.source)?;
        // hyper wraps the interesting cause (connection refused, reset) a level or two down.
        let mut cause = self.source.source();
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        Ok(())
    }
}

impl std::error::Error for ConnectorError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// A URL that is not `http(s)://host[:port][/path]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidUrl(pub String);

impl fmt::Display for InvalidUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid URL: {}", self.0)
    }
}

impl std::error::Error for InvalidUrl {}

/// An absolute `http`/`https` URL, split into the parts requests need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub scheme: Scheme,
    /// Host without port; IPv6 literals keep their brackets.
    pub host: String,
    pub port: Option<u16>,
    /// Path and query, `""` or starting with `/`.
    pub path: String,
}

impl Url {
    /// Parses `http(s)://host[:port][/path][?query]`. Refused, so that a request never goes
    /// somewhere the text did not plainly say: user information (`user@host`), fragments,
    /// control characters anywhere, empty host labels, and host characters no host name has.
    pub fn parse(url: &str) -> Result<Url, InvalidUrl> {
        let bad = |why: &str| InvalidUrl(format!("`{}`: {why}", url.escape_debug()));
        if url.chars().any(char::is_control) {
            return Err(bad("URLs cannot have control characters"));
        }
        if url.contains('#') {
            return Err(bad("a fragment (`#`) is not sent to servers"));
        }
        let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("no scheme (`https://`)"))?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "https" => Scheme::Https,
            "http" => Scheme::Http,
            _ => return Err(bad("the scheme must be http or https")),
        };
        let (authority, path) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
        if authority.contains(['@', '\\']) {
            return Err(bad("user information (`@`) and backslashes are not supported"));
        }
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => {
                let (address, after) = v6.split_once(']').ok_or_else(|| bad("unclosed IPv6 address"))?;
                if address.is_empty() || !address.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
                    return Err(bad("not an IPv6 address"));
                }
                let port = match after.strip_prefix(':') {
                    Some(p) => Some(p),
                    None if after.is_empty() => None,
                    None => return Err(bad("junk after the IPv6 address")),
                };
                (format!("[{address}]"), port)
            }
            None => {
                let (host, port) = match authority.split_once(':') {
                    Some((h, p)) => (h, Some(p)),
                    None => (authority, None),
                };
                // A trailing dot (a fully qualified name) is allowed; empty labels are not.
                let labels = host.strip_suffix('.').unwrap_or(host);
                let label_ok = |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if host.is_empty() {
                    return Err(bad("no host"));
                }
                if !labels.split('.').all(label_ok) {
                    return Err(bad("the host has characters a host name cannot have, or an empty label"));
                }
                (host.to_owned(), port)
            }
        };
        let port = match port {
            Some(p) => Some(p.parse::<u16>().map_err(|_| bad("the port is not a number from 0 to 65535"))?),
            None => None,
        };
        let path = if path.starts_with('?') { format!("/{path}") } else { path.to_owned() };
        Ok(Url { scheme, host: host.to_ascii_lowercase(), port, path })
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.host)?;
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        f.write_str(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        let u = Url::parse("https://example.com/custom").unwrap();
        assert_eq!((u.scheme, u.host.as_str(), u.port, u.path.as_str()), (Scheme::Https, "example.com", None, "/custom"));
        let u = Url::parse("http://127.0.0.1:5000").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.path.as_str()), ("127.0.0.1", Some(5000), ""));
        let u = Url::parse("http://[::1]:8080/x?y=1").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.path.as_str()), ("[::1]", Some(8080), "/x?y=1"));
        assert!(Url::parse("ftp://x").is_err());
        assert!(Url::parse("http://:80").is_err());
        assert!(Url::parse("http://a:99999").is_err());
        assert!(Url::parse("example.com").is_err());
        assert!(Url::parse("http://a b").is_err());
        for bad in [
            "https://evil.example@good.example/",
            "https://good.example#@evil.example/",
            "https://good.example\\@evil.example/",
            "https://a..b/",
            "https://.a/",
            "https://a/\r\nX-Injected: 1",
            "https://a/p\u{85}",
            "https://a\u{e9}/",
            "https://a b/",
            "https://a:/",
            "https://a:1:2/",
            "https://[]/",
            "https://[::1]x/",
            "https://[::1/",
            "https://[::g]/",
            "https:///path",
            "https://",
            "//host/path",
            "host:443",
        ] {
            assert!(Url::parse(bad).is_err(), "{bad:?}");
        }
        let u = Url::parse("HTTPS://Example.COM.:8443?x=1").unwrap();
        assert_eq!((u.scheme, u.host.as_str(), u.port, u.path.as_str()), (Scheme::Https, "example.com.", Some(8443), "/?x=1"));
    }

    #[test]
    fn debug_hides_secrets() {
        let mut r = HttpRequest::new("POST", "https://example.com/").unwrap();
        r.add_header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/..., Signature=abc");
        r.add_header("X-Amz-Security-Token", "TOKEN");
        let shown = format!("{r:?}");
        assert!(!shown.contains("AKID") && !shown.contains("TOKEN"), "{shown}");
        assert_eq!(r.authority(), "example.com");
    }

    #[test]
    fn connector_error_kinds() {
        let cases = [
            (ConnectorError::timeout("slow"), [true, false, false, false], true),
            (ConnectorError::io("reset"), [false, true, false, false], true),
            (ConnectorError::user("bad header"), [false, false, true, false], false),
            (ConnectorError::other("tls"), [false, false, false, true], false),
            (ConnectorError::body_too_large(10), [false, false, false, true], false),
        ];
        for (e, [timeout, io, user, other], retryable) in cases {
            assert_eq!([e.is_timeout(), e.is_io(), e.is_user(), e.is_other()], [timeout, io, user, other], "{e}");
            assert_eq!(e.is_retryable(), retryable, "{e}");
        }
        assert_eq!(ConnectorError::user("bad header").to_string(), "request error: bad header");
        assert_eq!(ConnectorError::io("reset").into_source().to_string(), "reset");
    }
}

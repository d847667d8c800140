//! AWS Signature Version 4, on RustCrypto's `hmac` and `sha2`.
//!
//! [`sign`] adds `X-Amz-Date`, `X-Amz-Security-Token` (for temporary credentials) and
//! `Authorization` to a request. [`presign`] puts the authentication in the URL instead
//! (query-string signing, botocore's `SigV4QueryAuth`): what IAM authentication tokens of
//! ElastiCache and RDS are. The canonical request and string to sign are returned too, so the
//! AWS SigV4 test suite can check every step. The derived signing key depends only on the
//! date, region and service, so [`SigningKeyCache`] keeps it for the day.

use crate::credentials::Credentials;
use crate::hex::hex;
use crate::http::HttpRequest;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

type HmacSha256 = Hmac<Sha256>;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Headers never signed: proxies and the transport may change them.
const UNSIGNED_HEADERS: &[&str] =
    &["authorization", "user-agent", "x-amzn-trace-id", "expect", "transfer-encoding", "content-length", "connection"];

/// Where and as what a request is signed.
#[derive(Debug, Clone)]
pub struct SigningParams<'a> {
    pub region: &'a str,
    /// The signing name of the service (`elasticache`).
    pub service: &'a str,
    pub time: SystemTime,
    /// Put the session token in the signed headers (as botocore does); when `false` it is
    /// added after signing.
    pub sign_security_token: bool,
}

/// The steps of one signature, for tests and debugging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningOutput {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature: String,
    pub authorization: String,
}

/// Signs `request` in place.
pub fn sign(
    request: &mut HttpRequest,
    credentials: &Credentials,
    params: &SigningParams<'_>,
    cache: Option<&SigningKeyCache>,
) -> SigningOutput {
    let (date_time, date) = format_time(params.time);
    if request.header("x-amz-date").is_none() {
        request.add_header("X-Amz-Date", date_time.clone());
    }
    let token = credentials.session_token();
    if let (Some(token), true) = (token, params.sign_security_token) {
        request.set_header("X-Amz-Security-Token", token);
    }
    if request.header("host").is_none() {
        request.add_header("Host", request.authority());
    }
    let payload = hex(&Sha256::digest(request.body()));
    let (canonical_request, signed_headers) = canonical_request(request, &payload);
    let scope = format!("{date}/{}/{}/aws4_request", params.region, params.service);
    let string_to_sign = format!("{ALGORITHM}\n{date_time}\n{scope}\n{}", hex(&Sha256::digest(canonical_request.as_bytes())));
    let key = match cache {
        Some(cache) => cache.key(credentials.secret_access_key(), &date, params.region, params.service),
        None => signing_key(credentials.secret_access_key(), &date, params.region, params.service),
    };
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key_id()
    );
    request.set_header("Authorization", authorization.clone());
    if let (Some(token), false) = (token, params.sign_security_token) {
        request.set_header("X-Amz-Security-Token", token);
    }
    SigningOutput { canonical_request, string_to_sign, signature, authorization }
}

/// A presigned request: its URL, which carries the authentication, and the steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presigned {
    pub url: String,
    pub output: SigningOutput,
}

/// Presigns `request` for `expires_in` (query-string SigV4, as botocore's `SigV4QueryAuth`
/// does it). The URL is the request's own, its query parameters first as they are, then
/// `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
/// `X-Amz-SignedHeaders`, `X-Amz-Security-Token` (temporary credentials only) and last
/// `X-Amz-Signature`. Signed: the request's headers (`host` at least), its query with the
/// authentication parameters but the signature, the SHA-256 of its body. `expires_in` is
/// written in whole seconds.
pub fn presign(request: &HttpRequest, credentials: &Credentials, params: &SigningParams<'_>, expires_in: Duration) -> Presigned {
    let (date_time, date) = format_time(params.time);
    let mut request = request.clone();
    if request.header("host").is_none() {
        request.add_header("Host", request.authority());
    }
    let (_, signed_headers) = canonical_headers(&request);
    let scope = format!("{date}/{}/{}/aws4_request", params.region, params.service);
    let mut auth = String::with_capacity(256);
    let mut param = |name: &str, value: &str| {
        if !auth.is_empty() {
            auth.push('&');
        }
        auth.push_str(name);
        auth.push('=');
        crate::query::encode_into(value, &mut auth);
    };
    param("X-Amz-Algorithm", ALGORITHM);
    param("X-Amz-Credential", &format!("{}/{scope}", credentials.access_key_id()));
    param("X-Amz-Date", &date_time);
    param("X-Amz-Expires", &expires_in.as_secs().to_string());
    param("X-Amz-SignedHeaders", &signed_headers);
    if let Some(token) = credentials.session_token() {
        param("X-Amz-Security-Token", token);
    }
    // The request's own parameters first, then the authentication's (the order botocore writes).
    let (path, own) = request.path_and_query().split_once('?').unwrap_or((request.path_and_query(), ""));
    let query = if own.is_empty() { auth } else { format!("{own}&{auth}") };
    let payload = hex(&Sha256::digest(request.body()));
    let canonical_request = canonical_request_of(request.method(), path, &query, &request, &payload).0;
    let string_to_sign = format!("{ALGORITHM}\n{date_time}\n{scope}\n{}", hex(&Sha256::digest(canonical_request.as_bytes())));
    let key = signing_key(credentials.secret_access_key(), &date, params.region, params.service);
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    let uri = request.uri();
    let base = uri.split_once('?').map_or(uri.as_str(), |(base, _)| base);
    let url = format!("{base}?{query}&X-Amz-Signature={signature}");
    Presigned { url, output: SigningOutput { canonical_request, string_to_sign, signature, authorization: String::new() } }
}

/// The canonical request and the `SignedHeaders` list.
fn canonical_request(request: &HttpRequest, payload: &str) -> (String, String) {
    let (path, query) = match request.path_and_query().split_once('?') {
        Some((p, q)) => (p, q),
        None => (request.path_and_query(), ""),
    };
    canonical_request_of(request.method(), path, query, request, payload)
}

/// The headers as signed (lowercased names, normalized values, sorted) and the
/// `SignedHeaders` list.
fn canonical_headers(request: &HttpRequest) -> (Vec<(String, String)>, String) {
    // Header names lowercased, values trimmed with inner runs of spaces collapsed; repeated
    // headers joined with commas in the order they appear.
    let mut headers: Vec<(String, String)> = Vec::with_capacity(request.headers().len());
    for (name, value) in request.headers() {
        let name = name.to_ascii_lowercase();
        if UNSIGNED_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let value = normalize_value(value);
        match headers.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => {
                v.push(',');
                v.push_str(&value);
            }
            None => headers.push((name, value)),
        }
    }
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    let signed_headers = headers.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(";");
    (headers, signed_headers)
}

/// The canonical request of `method`, `path` and `query` with `request`'s headers.
fn canonical_request_of(method: &str, path: &str, query: &str, request: &HttpRequest, payload: &str) -> (String, String) {
    let (headers, signed_headers) = canonical_headers(request);
    let mut out = String::with_capacity(256usize.saturating_add(request.body().len() / 8));
    out.push_str(method);
    out.push('\n');
    out.push_str(&canonical_uri(path));
    out.push('\n');
    out.push_str(&canonical_query(query));
    out.push('\n');
    for (name, value) in &headers {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed_headers);
    out.push('\n');
    out.push_str(payload);
    (out, signed_headers)
}

/// Trims a header value and collapses runs of whitespace (folded lines included) to one space.
fn normalize_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The path with `.` and `..` segments resolved and empty segments dropped (not S3's rule),
/// each segment percent-encoded. A `%` already in the path is encoded again, as AWS expects
/// for every service but S3.
fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::with_capacity(path.len().saturating_add(8));
    for s in &segments {
        out.push('/');
        crate::query::encode_into(s, &mut out);
    }
    if out.is_empty() || (path.ends_with('/') && !segments.is_empty()) {
        out.push('/');
    }
    out
}

/// Query parameters decoded, re-encoded with the unreserved set, and sorted by name then value.
fn canonical_query(query: &str) -> String {
    if query.is_empty() {
        return String::new();
    }
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let mut key = String::new();
            let mut value = String::new();
            crate::query::encode_into(&percent_decode(k), &mut key);
            crate::query::encode_into(&percent_decode(v), &mut value);
            (key, value)
        })
        .collect();
    params.sort();
    params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

fn percent_decode(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if let (b'%', [h, l, after @ ..]) = (b, tail) {
            if let (Some(h), Some(l)) = (hex_value(*h), hex_value(*l)) {
                out.push(h << 4 | l);
                rest = after;
                continue;
            }
        }
        out.push(b);
        rest = tail;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(b: u8) -> Option<u8> {
    // A hex digit is below 16, so it fits a byte.
    char::from(b).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// `kSigning` = HMAC chain over date, region, service and `aws4_request`.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// `(20150830T123600Z, 20150830)` for a time.
fn format_time(time: SystemTime) -> (String, String) {
    let t = crate::time::Utc::of(&crate::primitives::DateTime::from(time));
    let date = format!("{:04}{:02}{:02}", t.year, t.month, t.day);
    let date_time = format!("{date}T{:02}{:02}{:02}Z", t.hour, t.minute, t.second);
    (date_time, date)
}

/// The derived signing key of the current day, per secret, region and service.
#[derive(Default)]
pub struct SigningKeyCache {
    slot: Mutex<Option<CachedKey>>,
}

struct CachedKey {
    secret_digest: [u8; 32],
    date: String,
    region: String,
    service: String,
    key: [u8; 32],
}

impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKeyCache")
    }
}

impl SigningKeyCache {
    fn key(&self, secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
        // The secret itself is not kept: a digest tells whether it changed.
        let secret_digest: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = slot.as_ref() {
            if c.secret_digest == secret_digest && c.date == date && c.region == region && c.service == service {
                return c.key;
            }
        }
        let key = signing_key(secret, date, region, service);
        *slot = Some(CachedKey {
            secret_digest,
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            key,
        });
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_and_query_canonical_forms() {
        assert_eq!(canonical_uri("/example1/example2/../.."), "/");
        assert_eq!(canonical_uri("//example//"), "/example/");
        assert_eq!(canonical_uri("/./example"), "/example");
        assert_eq!(canonical_uri("/example space/"), "/example%20space/");
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_query("Param-3=Value3&Param=Value2&%E1%88%B4=Value1"), "%E1%88%B4=Value1&Param=Value2&Param-3=Value3");
        assert_eq!(canonical_query("Param1=value2&Param1=Value1"), "Param1=Value1&Param1=value2");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%41%zz%4"), "A%zz%4");
        assert_eq!(percent_decode("%e1%88%B4"), "\u{1234}");
    }
}

//! The AWS query request body: `Action=…&Version=…&Name=value&List.member.1=…`.
//!
//! Generated serializers walk the input and call [`QueryWriter`]; the writer keeps the
//! current parameter name in one buffer (`enter`/`leave`), so no name is allocated per
//! value. Values are percent-encoded except RFC 3986 unreserved characters.

use crate::http::{HttpRequest, Url};
use crate::primitives::{Blob, DateTime};

/// How a timestamp member is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `2015-01-25T08:00:00Z` (the query protocol's default).
    Iso8601,
    /// `1422172800` (`unixTimestamp`).
    EpochSeconds,
    /// `Sun, 25 Jan 2015 08:00:00 GMT` (`rfc822`).
    HttpDate,
}

/// Where a key segment is appended; returned by [`QueryWriter::enter`].
#[derive(Debug, Clone, Copy)]
pub struct Mark(usize);

/// Writes one form-urlencoded query body.
pub struct QueryWriter {
    body: String,
    key: String,
    token: fn() -> String,
}

impl QueryWriter {
    /// Starts a body with `Action` and `Version`.
    pub fn new(action: &str, version: &str) -> Self {
        let mut body = String::with_capacity(256);
        body.push_str("Action=");
        encode_into(action, &mut body);
        body.push_str("&Version=");
        encode_into(version, &mut body);
        QueryWriter { body, key: String::with_capacity(64), token: crate::idempotency::new_token }
    }

    /// Uses `source` for idempotency tokens the caller did not set (tests make them fixed).
    pub fn with_token_source(mut self, source: fn() -> String) -> Self {
        self.token = source;
        self
    }

    /// Appends `.segment` to the current name.
    pub fn enter(&mut self, segment: &str) -> Mark {
        let mark = Mark(self.key.len());
        if !self.key.is_empty() {
            self.key.push('.');
        }
        encode_into(segment, &mut self.key);
        mark
    }

    /// Appends `.n` (list and map positions count from 1).
    pub fn enter_index(&mut self, n: usize) -> Mark {
        let mark = Mark(self.key.len());
        use std::fmt::Write;
        let _ = write!(self.key, ".{n}");
        mark
    }

    /// Returns to the name before the matching `enter`.
    pub fn leave(&mut self, mark: Mark) {
        self.key.truncate(mark.0);
    }

    fn start_value(&mut self) {
        self.body.push('&');
        self.body.push_str(&self.key);
        self.body.push('=');
    }

    pub fn string(&mut self, value: &str) {
        self.start_value();
        encode_into(value, &mut self.body);
    }

    /// An empty list: `Name=`.
    pub fn empty(&mut self) {
        self.start_value();
    }

    pub fn bool(&mut self, value: bool) {
        self.start_value();
        self.body.push_str(if value { "true" } else { "false" });
    }

    pub fn i64(&mut self, value: i64) {
        use std::fmt::Write;
        self.start_value();
        let _ = write!(self.body, "{value}");
    }

    pub fn f64(&mut self, value: f64) {
        self.start_value();
        self.float_value(value);
    }

    pub fn f32(&mut self, value: f32) {
        self.start_value();
        // Through the shortest decimal of the f32, not of its widened f64 (10.8, not 10.800000190734863).
        match value.to_string().parse::<f64>() {
            Ok(v) if value.is_finite() => self.float_value(v),
            _ => self.float_value(f64::from(value)),
        }
    }

    /// A float, percent-encoded like any value: the `+` of an exponent (`1e+16`) would
    /// otherwise reach the service as a space.
    fn float_value(&mut self, value: f64) {
        let mut s = String::with_capacity(24);
        crate::number::write_float(value, &mut s);
        encode_into(&s, &mut self.body);
    }

    pub fn timestamp_iso8601(&mut self, value: &DateTime) {
        self.start_value();
        let mut s = String::with_capacity(27);
        crate::time::format_iso8601(value, &mut s);
        encode_into(&s, &mut self.body);
    }

    pub fn timestamp_epoch_seconds(&mut self, value: &DateTime) {
        self.start_value();
        let mut s = String::with_capacity(24);
        crate::time::format_epoch_seconds(value, &mut s);
        encode_into(&s, &mut self.body);
    }

    pub fn timestamp_http_date(&mut self, value: &DateTime) {
        self.start_value();
        let mut s = String::with_capacity(29);
        crate::time::format_http_date(value, &mut s);
        encode_into(&s, &mut self.body);
    }

    pub fn blob(&mut self, value: &Blob) {
        self.start_value();
        let mut s = String::with_capacity((value.as_slice().len() / 3).saturating_add(1).saturating_mul(4));
        crate::base64::encode(value.as_slice(), &mut s);
        encode_into(&s, &mut self.body);
    }

    // Members: `Name=value` when the value is set, nothing when it is not. Generated
    // serializers call one of these per member of an input.

    /// Strings and enums.
    pub fn string_member<S: AsRef<str> + ?Sized>(&mut self, name: &str, value: Option<&S>) {
        if let Some(v) = value {
            let mark = self.enter(name);
            self.string(v.as_ref());
            self.leave(mark);
        }
    }

    pub fn bool_member(&mut self, name: &str, value: Option<bool>) {
        if let Some(v) = value {
            let mark = self.enter(name);
            self.bool(v);
            self.leave(mark);
        }
    }

    /// Integers and longs alike.
    pub fn int_member(&mut self, name: &str, value: Option<impl Into<i64>>) {
        if let Some(v) = value {
            let mark = self.enter(name);
            self.i64(v.into());
            self.leave(mark);
        }
    }

    pub fn f32_member(&mut self, name: &str, value: Option<f32>) {
        if let Some(v) = value {
            let mark = self.enter(name);
            self.f32(v);
            self.leave(mark);
        }
    }

    pub fn f64_member(&mut self, name: &str, value: Option<f64>) {
        if let Some(v) = value {
            let mark = self.enter(name);
            self.f64(v);
            self.leave(mark);
        }
    }

    pub fn blob_member(&mut self, name: &str, value: Option<&Blob>) {
        if let Some(v) = value {
            let mark = self.enter(name);
            self.blob(v);
            self.leave(mark);
        }
    }

    /// A timestamp in the member's wire format.
    pub fn timestamp_member(&mut self, name: &str, value: Option<&DateTime>, format: TimestampFormat) {
        if let Some(v) = value {
            let mark = self.enter(name);
            match format {
                TimestampFormat::Iso8601 => self.timestamp_iso8601(v),
                TimestampFormat::EpochSeconds => self.timestamp_epoch_seconds(v),
                TimestampFormat::HttpDate => self.timestamp_http_date(v),
            }
            self.leave(mark);
        }
    }

    /// An idempotency token: the caller's, or a new one.
    pub fn token_member(&mut self, name: &str, value: Option<&str>) {
        let mark = self.enter(name);
        self.idempotency_token(value);
        self.leave(mark);
    }

    /// Any other member (a structure, list or map), written by `write`.
    pub fn member<T: ?Sized>(&mut self, name: &str, value: Option<&T>, write: impl FnOnce(&mut Self, &T)) {
        if let Some(v) = value {
            let mark = self.enter(name);
            write(self, v);
            self.leave(mark);
        }
    }

    /// A list at the current name: `Name.member.1=…` (or `Name.<member>.N`), flattened
    /// `Name.1=…` when `member` is `None`, and `Name=` when empty.
    pub fn list<T>(&mut self, member: Option<&str>, items: &[T], mut item: impl FnMut(&mut Self, &T)) {
        if items.is_empty() {
            self.empty();
            return;
        }
        let outer = member.map(|m| self.enter(m));
        for (n, value) in (1..).zip(items) {
            let mark = self.enter_index(n);
            item(self, value);
            self.leave(mark);
        }
        if let Some(mark) = outer {
            self.leave(mark);
        }
    }

    /// A list at the current name as the ec2 protocol writes it: `Name.1=…`, and nothing
    /// at all when empty.
    pub fn list_or_nothing<T>(&mut self, items: &[T], item: impl FnMut(&mut Self, &T)) {
        if !items.is_empty() {
            self.list(None, items, item);
        }
    }

    /// A map at the current name, entries in the order given (botocore sends them in the
    /// order the caller built the map): `Name.entry.N.key=…&Name.entry.N.value=…`,
    /// flattened without `entry` when `entry` is `None`. An empty map writes nothing.
    pub fn map<'m, K: 'm, V: 'm>(
        &mut self,
        entry: Option<&str>,
        key_name: &str,
        value_name: &str,
        entries: impl IntoIterator<Item = (&'m K, &'m V)>,
        mut key: impl FnMut(&mut Self, &K),
        mut value: impl FnMut(&mut Self, &V),
    ) {
        let outer = entry.map(|e| self.enter(e));
        for (n, (k, v)) in (1..).zip(entries) {
            let mark = self.enter_index(n);
            let inner = self.enter(key_name);
            key(self, k);
            self.leave(inner);
            let inner = self.enter(value_name);
            value(self, v);
            self.leave(inner);
            self.leave(mark);
        }
        if let Some(mark) = outer {
            self.leave(mark);
        }
    }

    /// An idempotency token: the caller's, or a fresh one.
    pub fn idempotency_token(&mut self, value: Option<&str>) {
        match value {
            Some(v) => self.string(v),
            None => {
                let token = (self.token)();
                self.string(&token);
            }
        }
    }

    /// The finished body.
    pub fn finish(self) -> String {
        self.body
    }
}

/// `Content-Type` of every query-protocol request (botocore sends the charset too).
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// The unsigned request of a query-protocol call: `method` to the endpoint's path joined
/// with the operation's `uri`, the operation's host prefix (if any) before the host, and the
/// form-urlencoded `body` — gzip-compressed when `compress_from` is set and the body is at
/// least that long (the operation allows it and the crate was built with feature `gzip`).
pub fn build_request(
    endpoint: &Url,
    method: &str,
    uri: &str,
    host_prefix: Option<&str>,
    body: String,
    compress_from: Option<usize>,
) -> HttpRequest {
    let base = endpoint.path.split('?').next().unwrap_or_default().trim_end_matches('/');
    let path = if uri.starts_with('/') { format!("{base}{uri}") } else { format!("{base}/{uri}") };
    let url = Url { path, ..endpoint.clone() };
    let mut request = HttpRequest::from_url(method, url);
    if let Some(prefix) = host_prefix {
        request.prefix_host(prefix);
    }
    request.add_header("Content-Type", CONTENT_TYPE);
    let body: bytes::Bytes = match compress_from {
        Some(min) if body.len() >= min => match crate::compression::gzip(body.as_bytes()) {
            Some(compressed) => {
                request.add_header("Content-Encoding", "gzip");
                compressed.into()
            }
            None => body.into(),
        },
        _ => body.into(),
    };
    request.add_header("Content-Length", body.len().to_string());
    request.set_body(body);
    request
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode_into(value: &str, out: &mut String) {
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 15));
        }
    }
}

/// An uppercase hex digit for `n` < 16.
fn hex_digit(n: u8) -> char {
    char::from_digit(u32::from(n), 16).map_or('0', |c| c.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_in_both_styles() {
        let mut w = QueryWriter::new("Op", "1");
        let ids = ["a".to_owned(), "b".to_owned()];
        let none: [String; 0] = [];
        let write = |w: &mut QueryWriter, v: &String| w.string(v);
        w.member("Query", Some(&ids[..]), |w, v| w.list(Some("member"), v, write));
        w.member("QueryEmpty", Some(&none[..]), |w, v| w.list(Some("member"), v, write));
        w.member("Ec2", Some(&ids[..]), |w, v| w.list_or_nothing(v, write));
        w.member("Ec2Empty", Some(&none[..]), |w, v| w.list_or_nothing(v, write));
        assert_eq!(w.finish(), "Action=Op&Version=1&Query.member.1=a&Query.member.2=b&QueryEmpty=&Ec2.1=a&Ec2.2=b");
    }

    #[test]
    fn writes_nested_names() {
        let mut w = QueryWriter::new("CopySnapshot", "2015-02-02");
        let m = w.enter("Tags");
        for (i, (k, v)) in [("a b", "c&d"), ("é", "~")].iter().enumerate() {
            let item = w.enter("Tag");
            let n = w.enter_index(i + 1);
            let key = w.enter("Key");
            w.string(k);
            w.leave(key);
            let value = w.enter("Value");
            w.string(v);
            w.leave(value);
            w.leave(n);
            w.leave(item);
        }
        w.leave(m);
        let m = w.enter("Empty");
        w.empty();
        w.leave(m);
        assert_eq!(
            w.finish(),
            "Action=CopySnapshot&Version=2015-02-02&Tags.Tag.1.Key=a%20b&Tags.Tag.1.Value=c%26d\
             &Tags.Tag.2.Key=%C3%A9&Tags.Tag.2.Value=~&Empty="
        );
    }

    #[test]
    fn floats() {
        let mut w = QueryWriter::new("A", "1");
        let m = w.enter("F");
        w.f32(10.8);
        w.leave(m);
        assert_eq!(w.finish(), "Action=A&Version=1&F=10.8");
        // The exponent's `+` is percent-encoded, as botocore sends it (a bare `+` is a space).
        let mut w = QueryWriter::new("A", "1");
        let m = w.enter("F");
        w.f64(-6.1184377179543994e209);
        w.leave(m);
        let m = w.enter("G");
        w.f32(1e20);
        w.leave(m);
        assert_eq!(w.finish(), "Action=A&Version=1&F=-6.1184377179543994e%2B209&G=1e%2B20");
    }

    #[test]
    fn epoch_seconds_keep_their_fraction() {
        let mut w = QueryWriter::new("A", "1");
        for (name, t) in [("A", "2014-04-29T18:30:38Z"), ("B", "2014-04-29T18:30:38.123456Z"), ("C", "1970-01-01T00:00:00.000001Z")] {
            let m = w.enter(name);
            w.timestamp_epoch_seconds(&crate::time::parse_timestamp(t).unwrap());
            w.leave(m);
        }
        assert_eq!(w.finish(), "Action=A&Version=1&A=1398796238&B=1398796238.123456&C=1e-06");
    }
}

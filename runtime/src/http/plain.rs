//! A plain-HTTP/1.1 transport for the metadata endpoints that credential sources read — EC2
//! instance metadata and the ECS/EKS container endpoint, both `http://` on link-local or
//! loopback addresses by AWS's design. One request per connection, bounded in size.
//!
//! It lets `Config::from_env()` find the instance's region before any client (and so any
//! transport) exists, and keeps the chain working with a custom transport or without the
//! default TLS one. `https://` is refused: such endpoints go through a client's transport.

use super::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse, Scheme, SendOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Room for the status line and headers beyond the body limit.
const HEAD_BYTES: usize = 16 << 10;

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PlainHttpClient;

impl HttpClient for PlainHttpClient {
    fn send<'a>(&'a self, request: HttpRequest, options: &'a SendOptions) -> BoxFuture<'a, Result<HttpResponse, ConnectorError>> {
        Box::pin(send(request, options.max_body_bytes))
    }
}

async fn send(request: HttpRequest, max_body: usize) -> Result<HttpResponse, ConnectorError> {
    if request.scheme() != Scheme::Http {
        return Err(ConnectorError::other(format!(
            "{} is https: it needs a client's transport (the default one comes with feature `rustls`)",
            request.authority()
        )));
    }
    // An IPv6 literal comes bracketed (`[fd00:ec2::254]`); the socket wants it bare.
    let host = request.host().trim_start_matches('[').trim_end_matches(']');
    let port = request.port().unwrap_or(80);
    let mut stream = tokio::net::TcpStream::connect((host, port)).await.map_err(ConnectorError::io)?;
    let mut head = format!("{} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", request.method(), request.path_and_query(), request.authority());
    for (name, value) in request.headers() {
        if !name.eq_ignore_ascii_case("host") && !name.eq_ignore_ascii_case("connection") {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", request.body().len()));
    stream.write_all(head.as_bytes()).await.map_err(ConnectorError::io)?;
    stream.write_all(request.body()).await.map_err(ConnectorError::io)?;
    let limit = max_body.saturating_add(HEAD_BYTES);
    let mut raw = Vec::new();
    let read = (&mut stream).take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1)).read_to_end(&mut raw).await;
    read.map_err(ConnectorError::io)?;
    if raw.len() > limit {
        return Err(ConnectorError::body_too_large(max_body));
    }
    parse(&raw)
}

/// A whole response read until the server closed: status, headers, body (by
/// `Content-Length`, chunked, or to the end).
fn parse(raw: &[u8]) -> Result<HttpResponse, ConnectorError> {
    let malformed = |why: &str| ConnectorError::other(format!("malformed HTTP response: {why}"));
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| malformed("no end of headers"))?;
    let (head, rest) = raw.split_at(split);
    let body = rest.get(4..).unwrap_or_default();
    let head = std::str::from_utf8(head).map_err(|_| malformed("headers are not text"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.")
        .and_then(|s| s.get(2..5))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| malformed("no status line"))?;
    let headers: Vec<(&str, &str)> = lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim(), v.trim())).collect();
    let header = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v);
    let body = if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        dechunk(body).ok_or_else(|| malformed("bad chunked body"))?
    } else if let Some(length) = header("content-length") {
        let length: usize = length.parse().map_err(|_| malformed("bad Content-Length"))?;
        body.get(..length).ok_or_else(|| malformed("body shorter than its Content-Length"))?.to_vec()
    } else {
        body.to_vec()
    };
    let mut response = HttpResponse::new(status, body);
    for (name, value) in headers {
        response = response.with_header(name, value);
    }
    Ok(response)
}

/// A chunked body, decoded.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(body.get(..line_end)?).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = body.get(line_end.checked_add(2)?..)?;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size.checked_add(2)?..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_length_chunked_and_closed_bodies() {
        let r = parse(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nX-A: b\r\n\r\nus-east-1tail").unwrap();
        assert_eq!((r.status().as_u16(), r.body().as_ref(), r.header("x-a")), (200, &b"us-east-1"[..], Some("b")));
        let r = parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab\r\n\r\n3\r\ncde\r\n0\r\n\r\n").unwrap();
        assert_eq!(r.body().as_ref(), b"ab\r\ncde");
        let r = parse(b"HTTP/1.0 404 Not Found\r\n\r\nnope").unwrap();
        assert_eq!((r.status().as_u16(), r.body().as_ref()), (404, &b"nope"[..]));
        for bad in [&b"garbage"[..], b"HTTP/1.1 2\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort"] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}

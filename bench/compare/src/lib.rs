//! Both clients, configured the same way over in-memory transports that answer every
//! request with one canned response.

use aws_query_runtime::http::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse, SendOptions};

/// A transport for the generated crate that answers every request with `response`.
#[derive(Debug, Clone)]
pub struct Fixed(pub HttpResponse);

impl HttpClient for Fixed {
    fn send<'a>(&'a self, _request: HttpRequest, _options: &'a SendOptions) -> BoxFuture<'a, Result<HttpResponse, ConnectorError>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/data/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The generated crate's client.
pub fn ours(body: Vec<u8>) -> elasticache::Client {
    use elasticache::config::{Credentials, Region};
    let config = elasticache::Config::builder()
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "bench"))
        .http_client(Fixed(HttpResponse::new(200, body)))
        .build();
    elasticache::Client::from_conf(config)
}

/// aws-sdk-elasticache's client, with its own test transport.
pub fn theirs(body: Vec<u8>) -> aws_sdk_elasticache::Client {
    use aws_sdk_elasticache::config::{BehaviorVersion, Credentials, Region};
    let body = bytes::Bytes::from(body);
    let http = aws_smithy_http_client::test_util::infallible_client_fn(move |_req| {
        http::Response::builder().status(200).body(aws_smithy_types::body::SdkBody::from(body.clone())).expect("a valid response")
    });
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "bench"))
        .http_client(http)
        .build();
    aws_sdk_elasticache::Client::from_conf(config)
}

/// A minimal HTTP/1.1 server on 127.0.0.1 that answers every request on a kept-alive
/// connection with `body` (200, `text/xml`): the same bytes for both clients, so that the
/// loopback comparison measures the clients' transports, not the server. Runs on a thread
/// of its own; returns the endpoint URL.
pub fn loopback_server(body: Vec<u8>) -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nx-amzn-RequestId: 00000000-0000-0000-0000-000000000000\r\n\r\n",
        body.len()
    );
    let response: std::sync::Arc<Vec<u8>> = std::sync::Arc::new([head.as_bytes(), &body].concat());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let response = response.clone();
            std::thread::spawn(move || {
                let _ = stream.set_nodelay(true);
                let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
                let mut writer = stream;
                loop {
                    // Headers, then a Content-Length body (both clients send one).
                    let mut length = 0usize;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        match reader.read_line(&mut line) {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {}
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some((name, value)) = line.split_once(':') {
                            if name.eq_ignore_ascii_case("content-length") {
                                length = value.trim().parse().unwrap_or(0);
                            }
                        }
                    }
                    let mut request_body = vec![0; length];
                    if reader.read_exact(&mut request_body).is_err() || writer.write_all(&response).is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

/// The generated crate's client with its default transport (hyper + rustls, pooled), for
/// the loopback server at `url`.
pub fn ours_over_http(url: &str) -> elasticache::Client {
    use elasticache::config::{Credentials, Region};
    let config = elasticache::Config::builder()
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "bench"))
        .endpoint_url(url)
        .build();
    elasticache::Client::from_conf(config)
}

/// aws-sdk-elasticache's client with its default HTTP client, for the loopback server at `url`.
pub fn theirs_over_http(url: &str) -> aws_sdk_elasticache::Client {
    use aws_sdk_elasticache::config::{BehaviorVersion, Credentials, Region};
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "bench"))
        .endpoint_url(url)
        .build();
    aws_sdk_elasticache::Client::from_conf(config)
}

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

//! Retries, timeouts and hostile responses over real HTTP, against a fault-injecting loopback
//! server (`project_tests::fault_server`): 500s then success, throttling then success, a
//! reset connection, a response slower than the timeout, the retry quota running out, and
//! responses no client should choke on (huge, endless, truncated, malformed, bombs).

use elasticache::config::{Credentials, Region, RetryConfig, TimeoutConfig};
use elasticache::error::SdkError;
use project_tests::fault_server::{Behavior, FaultServer};
use project_tests::{fixture, repo};
use std::time::{Duration, Instant};

fn retry() -> RetryConfig {
    RetryConfig::standard().with_initial_backoff(Duration::from_millis(2)).with_throttling_backoff(Duration::from_millis(2))
}

fn client_with(server: &FaultServer, retry: RetryConfig, timeouts: TimeoutConfig) -> elasticache::Client {
    let config = elasticache::Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(server.endpoint.clone())
        .credentials_provider(Credentials::new("AKIDFAULT", "SECRETFAULT", Some("TOKENFAULT".into()), None, "static"))
        .retry_config(retry)
        .timeout_config(timeouts)
        .max_response_body_bytes(1 << 20)
        .build();
    elasticache::Client::from_conf(config)
}

fn client(server: &FaultServer) -> elasticache::Client {
    client_with(server, retry(), TimeoutConfig::builder().operation_attempt_timeout(Duration::from_secs(5)).build())
}

type CopyError = SdkError<elasticache::operation::copy_snapshot::CopySnapshotError>;

async fn copy(client: &elasticache::Client) -> Result<elasticache::operation::copy_snapshot::CopySnapshotOutput, CopyError> {
    client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await
}

#[tokio::test]
async fn server_errors_then_success() {
    let ok = Behavior::ok(fixture("copy-snapshot.xml"));
    let server = FaultServer::start(vec![Behavior::error(500, "InternalFailure"), Behavior::status(503, "text/html", "busy"), ok]).await;
    let out = copy(&client(&server)).await.unwrap();
    assert!(out.snapshot().is_some());
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn throttling_then_success() {
    let ok = Behavior::ok(fixture("copy-snapshot.xml"));
    let server = FaultServer::start(vec![Behavior::error(400, "Throttling"), Behavior::error(400, "RequestLimitExceeded"), ok]).await;
    copy(&client(&server)).await.unwrap();
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn reset_and_closed_connections_are_retried() {
    let ok = Behavior::ok(fixture("copy-snapshot.xml"));
    let server = FaultServer::start(vec![Behavior::Reset, Behavior::Close, ok]).await;
    copy(&client(&server)).await.unwrap();
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_retryable() {
    let body = fixture("copy-snapshot.xml");
    let truncated = Behavior::Truncated { declared: body.len(), sent: body[..body.len() / 2].to_vec() };
    let server = FaultServer::start(vec![truncated.clone(), Behavior::ok(body)]).await;
    copy(&client(&server)).await.unwrap();
    assert_eq!(server.requests(), 2);

    let server = FaultServer::start(vec![truncated]).await;
    let err = copy(&client(&server)).await.unwrap_err();
    let SdkError::DispatchFailure(f) = &err else { panic!("{err:?}") };
    assert!(f.is_io(), "{err}");
    assert_eq!(err.attempts(), 3);
}

#[tokio::test]
async fn a_slow_response_times_out_then_succeeds() {
    let ok = Behavior::ok(fixture("copy-snapshot.xml"));
    let slow = Behavior::Delay(Duration::from_secs(3), Box::new(ok.clone()));
    let server = FaultServer::start(vec![slow.clone(), ok]).await;
    let timeouts = TimeoutConfig::builder().operation_attempt_timeout(Duration::from_millis(300)).build();
    let started = Instant::now();
    copy(&client_with(&server, retry(), timeouts.clone())).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2), "the slow attempt was not cut off");
    assert_eq!(server.requests(), 2);

    let server = FaultServer::start(vec![slow]).await;
    let err = copy(&client_with(&server, retry(), timeouts)).await.unwrap_err();
    let SdkError::TimeoutError(t) = &err else { panic!("{err:?}") };
    assert_eq!(t.timeout(), Duration::from_millis(300));
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().contains("attempt timeout"), "{err}");
}

#[tokio::test]
async fn the_operation_timeout_bounds_the_whole_call() {
    let slow = Behavior::Delay(Duration::from_secs(3), Box::new(Behavior::ok(fixture("copy-snapshot.xml"))));
    let server = FaultServer::start(vec![slow]).await;
    let timeouts = TimeoutConfig::builder()
        .operation_attempt_timeout(Duration::from_millis(400))
        .operation_timeout(Duration::from_millis(600))
        .build();
    let started = Instant::now();
    let err = copy(&client_with(&server, retry().with_max_attempts(10), timeouts)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
}

#[tokio::test]
async fn the_retry_quota_stops_retries_when_everything_fails() {
    let server = FaultServer::start(vec![Behavior::error(500, "InternalFailure")]).await;
    // A quota of 30: a retry after a server error costs 14, so two retries fit, then none.
    let client = client_with(&server, retry().with_max_attempts(5).with_retry_quota(30), TimeoutConfig::default());
    let err = copy(&client).await.unwrap_err();
    assert_eq!(err.attempts(), 3, "two retries fit in the quota: {err}");
    assert_eq!(client.handle().retry_quota_available(), 2);
    for _ in 0..3 {
        let err = copy(&client).await.unwrap_err();
        assert_eq!(err.attempts(), 1, "the spent quota allows no retry");
    }
    assert_eq!(server.requests(), 6);
}

#[tokio::test]
async fn a_connect_failure_is_a_dispatch_failure() {
    // A port held (bound, never listening) for the whole test, so no one else can take it:
    // a connect to it is refused.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = socket.local_addr().unwrap();
    let config = elasticache::Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://{addr}"))
        .credentials_provider(Credentials::new("a", "b", None, None, "t"))
        .retry_config(retry())
        .build();
    let err = copy(&elasticache::Client::from_conf(config)).await.unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().to_lowercase().contains("refused"), "{err}");
    drop(socket);
}

/// Hostile or broken responses: each one a typed error, promptly, never a panic.
#[tokio::test]
async fn hostile_responses_are_typed_errors() {
    let doctype = b"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>\
        <CopySnapshotResponse><CopySnapshotResult><Snapshot><SnapshotName>&lol2;</SnapshotName></Snapshot></CopySnapshotResult></CopySnapshotResponse>".to_vec();
    let deep = format!("<CopySnapshotResponse><CopySnapshotResult>{}</CopySnapshotResult></CopySnapshotResponse>", "<a>".repeat(10_000)).into_bytes();
    let mut invalid_utf8 = b"<CopySnapshotResponse><CopySnapshotResult><Snapshot><SnapshotName>".to_vec();
    invalid_utf8.extend_from_slice(&[0xff, 0xfe, 0x80]);
    invalid_utf8.extend_from_slice(b"</SnapshotName></Snapshot></CopySnapshotResult></CopySnapshotResponse>");
    type Check = fn(&CopyError) -> bool;
    let cases: Vec<(&str, Behavior, Check)> = vec![
        ("an entity bomb", Behavior::ok(doctype), |e| matches!(e, SdkError::ResponseError(_)) && e.to_string().contains("DOCTYPE")),
        ("deep nesting", Behavior::ok(deep), |e| matches!(e, SdkError::ResponseError(_)) && e.to_string().contains("nested deeper")),
        ("invalid UTF-8", Behavior::ok(invalid_utf8), |e| matches!(e, SdkError::ResponseError(_))),
        ("a truncated document", Behavior::ok(&b"<CopySnapshotResponse><CopySnapshotResult><Snap"[..]), |e| matches!(e, SdkError::ResponseError(_))),
        ("a number that is not one", Behavior::ok(&b"<CopySnapshotResponse><CopySnapshotResult><Snapshot><NumCacheNodes>abc</NumCacheNodes></Snapshot></CopySnapshotResult></CopySnapshotResponse>"[..]), |e| e.to_string().contains("NumCacheNodes") && e.to_string().contains("`abc` is not an integer")),
        ("a bad timestamp", Behavior::ok(&b"<CopySnapshotResponse><CopySnapshotResult><Snapshot><CacheClusterCreateTime>yesterday</CacheClusterCreateTime></Snapshot></CopySnapshotResult></CopySnapshotResponse>"[..]), |e| e.to_string().contains("CacheClusterCreateTime") && e.to_string().contains("not a timestamp")),
        ("a JSON body", Behavior::status(200, "application/json", r#"{"Snapshot": {}}"#), |e| matches!(e, SdkError::ResponseError(_))),
        ("an error document in a 200", Behavior::error(200, "SnapshotNotFoundFault"), |e| e.as_service_error().is_some_and(|s| s.is_snapshot_not_found_fault())),
        ("an HTML 403", Behavior::status(403, "text/html", "<html><body>Forbidden</body></html>"), |e| e.to_string().contains("HTTP status 403") && e.to_string().contains("text/html")),
        ("a declared body over the limit", Behavior::ok(vec![b'a'; 2 << 20]), |e| matches!(e, SdkError::ResponseError(_)) && e.to_string().contains("larger than the limit")),
        ("an undeclared body over the limit", Behavior::ChunkedJunk { total: 64 << 20 }, |e| matches!(e, SdkError::ResponseError(_)) && e.to_string().contains("larger than the limit")),
    ];
    for (what, behavior, check) in cases {
        let server = FaultServer::start(vec![behavior]).await;
        let started = Instant::now();
        let err = copy(&client(&server)).await.expect_err(what);
        assert!(check(&err), "{what}: {err:?}\n{err}");
        assert!(started.elapsed() < Duration::from_secs(3), "{what} took {:?}", started.elapsed());
        assert!(!format!("{err:?}{err}").contains("SECRETFAULT") && !format!("{err:?}{err}").contains("TOKENFAULT"), "{what} leaked a secret");
    }
}

#[tokio::test]
async fn an_empty_200_is_an_empty_output() {
    // botocore reads an empty success body as an output with nothing set; so do we.
    let server = FaultServer::start(vec![Behavior::ok(Vec::new())]).await;
    let out = copy(&client(&server)).await.unwrap();
    assert!(out.snapshot().is_none());
}

#[tokio::test]
async fn a_slow_loris_hits_the_attempt_timeout() {
    let server = FaultServer::start(vec![Behavior::Drip { interval: Duration::from_millis(50) }]).await;
    let timeouts = TimeoutConfig::builder().operation_attempt_timeout(Duration::from_millis(400)).build();
    let started = Instant::now();
    let err = copy(&client_with(&server, RetryConfig::disabled(), timeouts)).await.unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

// The default transport's own behaviour: connection reuse, a pooled connection the server
// closed, TLS with an extra root, an untrusted certificate.

use elasticache::config::http::HyperClient;
use project_tests::fault_server::KeepAliveServer;
use std::sync::Arc;

fn tls_file(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/data/tls").join(name)).unwrap()
}

fn tls_server_config() -> Arc<rustls::ServerConfig> {
    // The transport's own provider (rustls' ready-made *ring* one is deprecated).
    let provider = aws_query_transport::tls::provider();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(tls_file("leaf.key.der").into());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![tls_file("leaf.der").into()], key)
        .unwrap();
    Arc::new(config)
}

fn client_over(endpoint: &str, transport: HyperClient) -> elasticache::Client {
    client_over_with(endpoint, transport, retry())
}

fn client_over_with(endpoint: &str, transport: HyperClient, retry: RetryConfig) -> elasticache::Client {
    let config = elasticache::Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("AKIDTLS", "SECRETTLS", None, None, "static"))
        .retry_config(retry)
        .http_client(transport)
        .build();
    elasticache::Client::from_conf(config)
}

/// Waits (polling, up to 5 s) until `done` holds; fails the test if it never does.
async fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[tokio::test]
async fn sequential_calls_reuse_one_connection() {
    let server = KeepAliveServer::start(fixture("copy-snapshot.xml"), None, usize::MAX).await;
    let client = client_over(&server.endpoint, HyperClient::default());
    for _ in 0..3 {
        assert!(copy(&client).await.unwrap().snapshot().is_some());
    }
    assert_eq!((server.connections(), server.requests()), (1, 3));
}

#[tokio::test]
async fn a_pooled_connection_the_server_closed_is_replaced() {
    // The server closes each connection after one response, without `Connection: close`.
    // No retries: a stale pooled connection must be replaced by the transport itself, not
    // papered over by the retry loop.
    let server = KeepAliveServer::start(fixture("copy-snapshot.xml"), None, 1).await;
    let client = client_over_with(&server.endpoint, HyperClient::default(), RetryConfig::disabled());
    for call in 1..=3 {
        copy(&client).await.unwrap();
        // The next call starts only once the server has closed this call's connection.
        wait_until(&format!("the server closed connection {call}"), || server.closed() >= call).await;
    }
    assert_eq!((server.connections(), server.requests()), (3, 3));
}

#[tokio::test]
async fn https_with_an_extra_root_certificate() {
    let server = KeepAliveServer::start(fixture("copy-snapshot.xml"), Some(tls_server_config()), usize::MAX).await;
    assert!(server.endpoint.starts_with("https://127.0.0.1:"));
    let transport = HyperClient::builder().add_root_certificate(tls_file("ca.der")).build();
    let client = client_over(&server.endpoint, transport);
    let out = copy(&client).await.unwrap();
    assert_eq!(out.snapshot().and_then(|s| s.snapshot_name()), Some("prod-redis-copy-2016-05-26"));
    copy(&client).await.unwrap();
    assert_eq!((server.connections(), server.requests()), (1, 2));
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_dispatch_failure() {
    let server = KeepAliveServer::start(fixture("copy-snapshot.xml"), Some(tls_server_config()), usize::MAX).await;
    let err = copy(&client_over(&server.endpoint, HyperClient::default())).await.unwrap_err();
    let SdkError::DispatchFailure(_) = &err else { panic!("{err:?}") };
    assert!(err.to_string().contains("certificate"), "{err}");
    assert_eq!(err.attempts(), 1, "a certificate failure is not retried");
    assert_eq!(server.requests(), 0);
}

#[tokio::test]
async fn a_connect_timeout_is_a_retryable_timeout() {
    // A listener whose accept queue is full and never drained: the kernel stops answering
    // SYNs, so a connect hangs until the client's connect timeout.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    for _ in 0..4 {
        if let Ok(Ok(stream)) = tokio::time::timeout(Duration::from_millis(200), tokio::net::TcpStream::connect(addr)).await {
            queued.push(stream);
        }
    }
    let config = elasticache::Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://{addr}"))
        .credentials_provider(Credentials::new("a", "b", None, None, "t"))
        .retry_config(retry().with_max_attempts(2))
        // The operation timeout is a guard: if the full accept queue does not make connects
        // hang, the call would otherwise wait for ever on an unanswered request (and then
        // fails the checks below instead of hanging).
        .timeout_config(
            TimeoutConfig::builder().connect_timeout(Duration::from_millis(300)).operation_timeout(Duration::from_secs(5)).build(),
        )
        .build();
    let started = Instant::now();
    let err = copy(&elasticache::Client::from_conf(config)).await.unwrap_err();
    let SdkError::DispatchFailure(f) = &err else { panic!("{err:?}") };
    assert!(f.is_timeout(), "{err}");
    assert_eq!(err.attempts(), 2, "a connect timeout is retried");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    drop(queued);
}

// Clock skew: a server whose clock is 20 minutes ahead of this machine's refuses requests
// signed more than 5 minutes away from its own time, as AWS does, with its time in `Date`.

use project_tests::fault_server::{HandlerServer, Received, Reply};
use std::sync::Mutex;
use std::time::SystemTime;

/// `Tue, 29 Apr 2014 18:30:38 GMT` for `t`.
fn http_date(t: SystemTime) -> String {
    let mut s = String::new();
    aws_query_runtime::time::format_http_date(&aws_query_runtime::primitives::DateTime::from(t), &mut s);
    s
}

/// The `X-Amz-Date` of a request (`20150830T123600Z`) as seconds since the epoch.
fn signed_at(request: &Received) -> i64 {
    let d = request.header("x-amz-date").expect("a signed request has X-Amz-Date");
    let iso = format!("{}-{}-{}T{}:{}:{}Z", &d[0..4], &d[4..6], &d[6..8], &d[9..11], &d[11..13], &d[13..15]);
    aws_query_runtime::time::parse_timestamp(&iso).unwrap().secs()
}

/// A server whose clock is `offset` ahead, answering skewed requests with `code` (and its
/// `Date` when `send_date`); the signing times it saw, in order, with whether it accepted.
async fn skewed_server(offset: Duration, code: &'static str, send_date: bool) -> (HandlerServer, Arc<Mutex<Vec<(i64, bool)>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let body = fixture("copy-snapshot.xml");
    let server = HandlerServer::start(move |request| {
        let server_now = SystemTime::now() + offset;
        let server_secs = server_now.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64;
        let at = signed_at(request);
        let accepted = (server_secs - at).abs() <= 5 * 60;
        log.lock().unwrap().push((at - server_secs, accepted));
        let mut reply = if accepted {
            Reply::xml(200, body.clone())
        } else {
            let error = format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>Signature expired</Message></Error>\
                 <RequestId>skew-1</RequestId></ErrorResponse>"
            );
            Reply::xml(403, error)
        };
        if let (Reply::Respond { headers, .. }, true) = (&mut reply, send_date) {
            headers.push(("Date".to_owned(), http_date(server_now)));
        }
        reply
    })
    .await;
    (server, seen)
}

fn skew_client(endpoint: &str) -> elasticache::Client {
    let config = elasticache::Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("AKIDSKEW", "SECRETSKEW", None, None, "static"))
        .retry_config(retry())
        .build();
    elasticache::Client::from_conf(config)
}

#[tokio::test]
async fn a_server_clock_20_minutes_ahead_is_learned_and_later_calls_use_it() {
    for code in ["RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException", "SignatureDoesNotMatch"] {
        let (server, seen) = skewed_server(Duration::from_secs(20 * 60), code, true).await;
        let client = skew_client(&server.endpoint);
        copy(&client).await.unwrap_or_else(|e| panic!("{code}: {e}"));
        copy(&client).await.unwrap();
        let seen = seen.lock().unwrap().clone();
        let accepted: Vec<bool> = seen.iter().map(|(_, ok)| *ok).collect();
        // Refused once, signed again with the server's time, then right from the start.
        assert_eq!(accepted, [false, true, true], "{code}: {seen:?}");
        let (first_off, _) = seen[0];
        assert!((-20 * 60 - 60..=-20 * 60 + 60).contains(&first_off), "{code}: the first request was signed {first_off} s from the server's clock");
    }
}

#[tokio::test]
async fn a_skew_error_without_a_skewed_date_is_not_retried_as_skew() {
    // The server refuses every request but its `Date` is this machine's time: nothing to
    // learn, so the error is the answer (these codes are not retryable otherwise).
    let seen = Arc::new(Mutex::new(0));
    let count = seen.clone();
    let server = HandlerServer::start(move |_| {
        *count.lock().unwrap() += 1;
        let mut reply = Reply::xml(403, "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error></ErrorResponse>");
        if let Reply::Respond { headers, .. } = &mut reply {
            headers.push(("Date".to_owned(), http_date(SystemTime::now())));
        }
        reply
    })
    .await;
    let err = copy(&skew_client(&server.endpoint)).await.unwrap_err();
    assert_eq!(err.attempts(), 1, "{err}");
    assert_eq!(*seen.lock().unwrap(), 1);
    // Without a `Date` at all, likewise.
    let (server, seen) = skewed_server(Duration::from_secs(20 * 60), "RequestTimeTooSkewed", false).await;
    let err = copy(&skew_client(&server.endpoint)).await.unwrap_err();
    assert_eq!((err.attempts(), seen.lock().unwrap().len()), (1, 1), "{err}");
}

#[tokio::test]
async fn the_pool_keeps_to_its_connection_limit_per_host() {
    let body = fixture("copy-snapshot.xml");
    // Slow answers, so that the calls overlap and the limit is what holds them back.
    let server = HandlerServer::start(move |_| Reply::Delay(Duration::from_millis(30), Box::new(Reply::xml(200, body.clone())))).await;
    let transport = HyperClient::builder().max_connections_per_host(3).build();
    let client = client_over_with(&server.endpoint, transport, RetryConfig::disabled());
    let calls: Vec<_> = (0..24).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { copy(&client).await })
    }).collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(server.requests(), 24);
    assert!(server.peak_open() <= 3, "{} connections were open at once", server.peak_open());
    assert!(server.connections() <= 3, "{} connections were opened", server.connections());
}

#[tokio::test]
async fn idle_connections_are_closed_after_the_idle_timeout() {
    let body = fixture("copy-snapshot.xml");
    let server = HandlerServer::start(move |_| Reply::xml(200, body.clone())).await;
    let transport = HyperClient::builder().idle_timeout(Duration::from_millis(100)).build();
    let client = client_over(&server.endpoint, transport);
    copy(&client).await.unwrap();
    copy(&client).await.unwrap();
    assert_eq!(server.connections(), 1, "the second call reused the pooled connection");
    // Nothing else touches the pool: only its reaper can close the connection.
    wait_until("the pool closed its idle connection", || server.open() == 0).await;
    copy(&client).await.unwrap();
    assert_eq!(server.connections(), 2, "a new connection after the idle one was closed");
}

// The read timeout: the longest wait for a response once the request is sent.

#[tokio::test]
async fn a_server_that_never_answers_hits_the_read_timeout_and_is_retried() {
    // Reads each request (one per connection) and answers none within the test.
    let silent = FaultServer::start(vec![Behavior::Delay(Duration::from_secs(3600), Box::new(Behavior::ok("")))]).await;
    let read_timeout = TimeoutConfig::builder().read_timeout(Duration::from_millis(300)).build();
    let started = Instant::now();
    let err = copy(&client_with(&silent, retry(), read_timeout.clone())).await.unwrap_err();
    let elapsed = started.elapsed();
    let SdkError::DispatchFailure(f) = &err else { panic!("{err:?}") };
    assert!(f.is_timeout(), "{err}");
    assert!(err.to_string().contains("read timeout"), "{err}");
    assert_eq!(err.attempts(), 3, "a read timeout is retried");
    assert!(elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(10), "{elapsed:?}");
    // Each attempt on a new connection (the server reads one request per connection): the
    // one left with an unanswered request is closed, not used again.
    assert_eq!(silent.requests(), 3);

    // A first answer slower than the read timeout, then a prompt one: the retry succeeds.
    let ok = Behavior::ok(fixture("copy-snapshot.xml"));
    let server = FaultServer::start(vec![Behavior::Delay(Duration::from_secs(3), Box::new(ok.clone())), ok]).await;
    let started = Instant::now();
    copy(&client_with(&server, retry(), read_timeout)).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2), "the slow attempt was not cut off");
    assert_eq!(server.requests(), 2);
}

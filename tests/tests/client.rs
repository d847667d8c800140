//! The generated client over the in-memory transport: the requests it sends (byte for byte
//! what botocore sends), the typed values it returns, validation, errors, retries, and that
//! secrets stay out of every printed form.

use aws_query_runtime::http::test_util::ReplayClient;
use aws_query_runtime::http::{ConnectorErrorKind, HttpResponse};
use elasticache::config::{Credentials, Region, RetryConfig};
use elasticache::error::SdkError;
use elasticache::types::ChangeType;
use elasticache::{Client, Config};
use project_tests::fixture;
use serde_json::Value;
use std::time::Duration;

fn expected(name: &str) -> Value {
    serde_json::from_slice(&fixture(name)).unwrap()
}

fn config(replay: &ReplayClient) -> Config {
    Config::builder()
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE", Some("TOKENEXAMPLE".into()), None, "static"))
        .http_client(replay.clone())
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)).with_throttling_backoff(Duration::from_millis(1)))
        .build()
}

#[tokio::test]
async fn copy_snapshot_sends_what_botocore_sends() {
    let replay = ReplayClient::new([HttpResponse::new(200, fixture("copy-snapshot.xml"))]);
    let client = Client::from_conf(config(&replay));
    let out = client
        .copy_snapshot()
        .source_snapshot_name("nightly")
        .target_snapshot_name("export-1")
        .target_bucket("my-bucket")
        .send()
        .await
        .unwrap();

    let request = replay.last_request().unwrap();
    // botocore 1.44.8's QuerySerializer for the same parameters, percent-encoded.
    assert_eq!(
        request.body_str(),
        "Action=CopySnapshot&Version=2015-02-02&SourceSnapshotName=nightly&TargetSnapshotName=export-1&TargetBucket=my-bucket"
    );
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri(), "https://elasticache.us-west-2.amazonaws.com/");
    assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded; charset=utf-8"));
    assert_eq!(request.header("x-amz-security-token"), Some("TOKENEXAMPLE"));
    let auth = request.header("authorization").unwrap();
    assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), "{auth}");
    assert!(auth.contains("/us-west-2/elasticache/aws4_request"), "{auth}");
    assert!(auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token"), "{auth}");
    let ua = request.header("user-agent").unwrap();
    // The crate's own version (update-model bumps it), read from its manifest.
    let manifest = std::fs::read_to_string(project_tests::repo().join("generated/elasticache/Cargo.toml")).unwrap();
    let version = manifest.lines().find_map(|l| l.strip_prefix("version = \"")).unwrap().trim_end_matches('"');
    assert!(ua.starts_with(&format!("elasticache/{version} aws-query-runtime/")), "{ua}");

    let parsed = expected("copy-snapshot.expected.json");
    let snapshot = out.snapshot().unwrap();
    assert_eq!(snapshot.snapshot_name(), parsed["parsed"]["Snapshot"]["SnapshotName"].as_str());
    assert_eq!(snapshot.node_snapshots().len(), parsed["parsed"]["Snapshot"]["NodeSnapshots"].as_array().unwrap().len());
    assert!(elasticache::RequestId::request_id(&out).is_some());
}

#[tokio::test]
async fn describe_parameters_give_typed_change_types() {
    let replay = ReplayClient::new([
        HttpResponse::new(200, fixture("describe-cache-parameters.xml")),
        HttpResponse::new(200, fixture("describe-engine-default-parameters.xml")),
    ]);
    let client = Client::from_conf(config(&replay));

    let out = client.describe_cache_parameters().cache_parameter_group_name("default.redis7").send().await.unwrap();
    let parsed = &expected("describe-cache-parameters.expected.json")["parsed"];
    for (key, items) in [("Parameters", out.parameters().len()), ("CacheNodeTypeSpecificParameters", out.cache_node_type_specific_parameters().len())] {
        assert_eq!(items, parsed[key].as_array().unwrap().len(), "{key}");
    }
    for (ours, theirs) in out.parameters().iter().zip(parsed["Parameters"].as_array().unwrap()) {
        let want = match theirs["ChangeType"].as_str() {
            Some("immediate") => Some(ChangeType::Immediate),
            Some("requires-reboot") => Some(ChangeType::RequiresReboot),
            other => other.map(ChangeType::from),
        };
        assert_eq!(ours.change_type(), want.as_ref(), "{:?}", ours.parameter_name());
    }
    assert!(out.parameters().iter().any(|p| p.change_type() == Some(&ChangeType::Immediate)));
    assert!(out.parameters().iter().any(|p| p.change_type() == Some(&ChangeType::RequiresReboot)));
    assert_eq!(
        replay.last_request().unwrap().body_str(),
        "Action=DescribeCacheParameters&Version=2015-02-02&CacheParameterGroupName=default.redis7"
    );

    let out = client.describe_engine_default_parameters().cache_parameter_group_family("redis7").send().await.unwrap();
    let defaults = out.engine_defaults().unwrap();
    let parsed = &expected("describe-engine-default-parameters.expected.json")["parsed"]["EngineDefaults"];
    assert_eq!(defaults.marker(), parsed["Marker"].as_str());
    let types: Vec<Option<&str>> = defaults.parameters().iter().map(|p| p.change_type().map(ChangeType::as_str)).collect();
    let want: Vec<Option<&str>> = parsed["Parameters"].as_array().unwrap().iter().map(|p| p["ChangeType"].as_str()).collect();
    assert_eq!(types, want);
    let node_types: Vec<Option<&str>> =
        defaults.cache_node_type_specific_parameters().iter().map(|p| p.change_type().map(ChangeType::as_str)).collect();
    let want: Vec<Option<&str>> =
        parsed["CacheNodeTypeSpecificParameters"].as_array().unwrap().iter().map(|p| p["ChangeType"].as_str()).collect();
    assert_eq!(node_types, want);
}

#[tokio::test]
async fn invalid_input_is_refused_before_sending_with_every_problem() {
    let replay = ReplayClient::new([]);
    let client = Client::from_conf(config(&replay));
    let err = client.copy_snapshot().target_snapshot_name("x").send().await.unwrap_err();
    let SdkError::ConstructionFailure(_) = &err else { panic!("expected a construction failure, got {err:?}") };
    let text = err.to_string();
    assert!(text.contains("`SourceSnapshotName` is required but not set"), "{text}");
    assert_eq!(err.attempts(), 0);

    // Several problems at once, inside list items too.
    let err = client
        .increase_replica_count()
        .apply_immediately(true)
        .replica_configuration(elasticache::types::ConfigureShard::builder().node_group_id("12345").build())
        .send()
        .await
        .unwrap_err();
    let SdkError::ConstructionFailure(failure) = &err else { panic!("{err:?}") };
    let validation = failure.source_error().downcast_ref::<elasticache::error::ValidationError>().unwrap();
    let problems: Vec<String> = validation.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "`ReplicationGroupId` is required but not set",
            "`ReplicaConfiguration[0].NodeGroupId` has length 5, above the maximum of 4",
            "`ReplicaConfiguration[0].NewReplicaCount` is required but not set",
        ]
    );
    assert!(replay.requests().is_empty(), "nothing may be sent for an invalid input");
}

#[tokio::test]
async fn service_errors_are_typed_and_explain_themselves() {
    let replay = ReplayClient::new([HttpResponse::new(404, fixture("error-parameter-group-not-found.xml"))]);
    let client = Client::from_conf(config(&replay));
    let err = client.describe_cache_parameters().cache_parameter_group_name("nope").send().await.unwrap_err();
    assert!(err.as_service_error().is_some_and(|e| e.is_cache_parameter_group_not_found_fault()), "{err:?}");
    assert_eq!(err.code(), Some("CacheParameterGroupNotFound"));
    let text = err.to_string();
    assert!(text.starts_with("DescribeCacheParameters failed: CacheParameterGroupNotFound: "), "{text}");
    assert!(text.contains("request id"), "{text}");
    // Any operation's error converts into the service-wide error.
    let service: elasticache::Error = err.into();
    assert!(matches!(service, elasticache::Error::CacheParameterGroupNotFoundFault(_)));
}

#[tokio::test]
async fn an_error_document_in_a_200_is_an_error() {
    let replay = ReplayClient::new([HttpResponse::new(200, fixture("error-snapshot-not-found.xml"))]);
    let client = Client::from_conf(config(&replay));
    let err = client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap_err();
    assert!(err.as_service_error().is_some_and(|e| e.is_snapshot_not_found_fault()), "{err:?}");
}

#[tokio::test]
async fn an_html_500_is_a_clear_unhandled_error_after_retries() {
    let html = "<!doctype html>\n<html lang=en><title>500 Internal Server Error</title></html>";
    let replay = ReplayClient::new((0..3).map(|_| HttpResponse::new(500, html).with_header("Content-Type", "text/html")));
    let client = Client::from_conf(config(&replay));
    let err = client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert_eq!(replay.requests().len(), 3);
    let service = err.as_service_error().unwrap();
    assert!(matches!(service, elasticache::operation::copy_snapshot::CopySnapshotError::Unhandled(_)));
    assert_eq!(service.meta().status(), 500);
    let text = err.to_string();
    assert!(text.contains("HTTP status 500") && text.contains("text/html") && text.contains("after 3 attempts"), "{text}");
}

#[tokio::test]
async fn throttling_is_retried_and_client_errors_are_not() {
    let throttled = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>";
    let replay = ReplayClient::new([HttpResponse::new(400, throttled), HttpResponse::new(200, fixture("copy-snapshot.xml"))]);
    let client = Client::from_conf(config(&replay));
    client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap();
    assert_eq!(replay.requests().len(), 2);
    // Both attempts went out signed: each carries its own signature and signing date.
    for (i, request) in replay.requests().iter().enumerate() {
        assert!(request.header("authorization").is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 ")), "attempt {i} is not signed");
        assert!(request.header("x-amz-date").is_some(), "attempt {i} has no x-amz-date");
    }

    let replay = ReplayClient::new([HttpResponse::new(404, fixture("error-snapshot-not-found.xml"))]);
    let client = Client::from_conf(config(&replay));
    let err = client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap_err();
    assert_eq!((err.attempts(), replay.requests().len()), (1, 1), "a modeled client error is an answer, not retried");
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    let replay = ReplayClient::new([]);
    replay.push_error(ConnectorErrorKind::Io, "connection reset by peer");
    replay.push(HttpResponse::new(200, fixture("copy-snapshot.xml")));
    let client = Client::from_conf(config(&replay));
    client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap();

    let replay = ReplayClient::new([]);
    for _ in 0..3 {
        replay.push_error(ConnectorErrorKind::Io, "connection refused");
    }
    let client = Client::from_conf(config(&replay));
    let err = client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap_err();
    let SdkError::DispatchFailure(failure) = &err else { panic!("{err:?}") };
    assert!(failure.is_io());
    assert!(err.to_string().contains("connection refused") && err.to_string().contains("after 3 attempts"), "{err}");
}

#[tokio::test]
async fn unknown_enum_values_can_be_sent() {
    let replay = ReplayClient::new([HttpResponse::new(200, fixture("describe-cache-parameters.xml"))]);
    let client = Client::from_conf(config(&replay));
    client
        .describe_cache_parameters()
        .cache_parameter_group_name("g")
        .source("from-the-future")
        .send()
        .await
        .unwrap();
    assert!(replay.last_request().unwrap().body_str().ends_with("&Source=from-the-future"));
}

#[tokio::test]
async fn missing_region_or_credentials_are_construction_failures() {
    let replay = ReplayClient::new([]);
    let client = Client::from_conf(Config::builder().http_client(replay.clone()).credentials_provider(Credentials::new("a", "b", None, None, "t")).build());
    let err = client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap_err();
    assert!(err.to_string().contains("Missing Region"), "{err}");

    let client = Client::from_conf(Config::builder().region(Region::new("eu-west-1")).http_client(replay.clone()).build());
    let err = client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap_err();
    assert!(err.to_string().contains("no credentials provider"), "{err}");
    assert!(replay.requests().is_empty());
}

#[tokio::test]
async fn endpoint_url_overrides_the_rules() {
    let replay = ReplayClient::new([HttpResponse::new(200, fixture("copy-snapshot.xml"))]);
    let client = Client::from_conf(config(&replay).to_builder().endpoint_url("http://127.0.0.1:5000").build());
    client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap();
    let request = replay.last_request().unwrap();
    assert_eq!(request.uri(), "http://127.0.0.1:5000/");
    assert!(request.header("authorization").unwrap().contains("/us-west-2/elasticache/"));
}

#[tokio::test]
async fn secrets_never_appear_in_debug_display_or_errors() {
    let replay = ReplayClient::new([HttpResponse::new(403, "<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>bad</Message></Error></ErrorResponse>")]);
    let config = config(&replay);
    let client = Client::from_conf(config.clone());
    let err = client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap_err();
    let request = replay.last_request().unwrap();
    let shown = [
        format!("{config:?}"),
        format!("{client:?}"),
        format!("{err}"),
        format!("{err:?}"),
        format!("{request:?}"),
        format!("{:?}", Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE", Some("TOKENEXAMPLE".into()), None, "static")),
    ];
    for text in &shown {
        assert!(!text.contains("SECRETEXAMPLE") && !text.contains("TOKENEXAMPLE"), "a secret leaked: {text}");
    }
    // The signature is derived from the secret; it stays out of printed requests too.
    let auth = request.header("authorization").unwrap();
    let signature = auth.rsplit("Signature=").next().unwrap();
    assert!(shown.iter().all(|t| !t.contains(signature)));
}

/// The members `models/elasticache/codegen.toml` lists as secrets (`AuthToken`, `Passwords`)
/// are redacted in every `Debug` that could show them: inputs, their builders, the fluent
/// builders, and the `AuthenticationMode` type that carries passwords too.
#[tokio::test]
async fn secret_members_are_redacted_in_debug() {
    use elasticache::operation::create_user::CreateUserInput;
    use elasticache::operation::modify_replication_group::ModifyReplicationGroupInput;
    use elasticache::types::AuthenticationMode;
    const TOKEN: &str = "AUTH-TOKEN-0123456789abcdef";
    const PASSWORD: &str = "PASSWORD-0123456789abcdef";
    let replay = ReplayClient::new([HttpResponse::new(200, "<ModifyReplicationGroupResponse/>")]);
    let client = Client::from_conf(config(&replay));
    let fluent = client.modify_replication_group().replication_group_id("rg").auth_token(TOKEN);
    let input = ModifyReplicationGroupInput::builder().replication_group_id("rg").auth_token(TOKEN);
    let user = CreateUserInput::builder().user_id("u").passwords(PASSWORD);
    let mode = AuthenticationMode::builder().passwords(PASSWORD).build();
    let shown = [
        format!("{fluent:?}"),
        format!("{input:?}"),
        format!("{:?}", input.clone().build()),
        format!("{user:?}"),
        format!("{:?}", user.clone().build()),
        format!("{mode:?}"),
        format!("{:#?}", mode),
    ];
    for text in &shown {
        assert!(!text.contains(TOKEN) && !text.contains(PASSWORD), "a secret member leaked: {text}");
        assert!(text.contains("*** Sensitive Data Redacted ***"), "{text}");
    }
    // Other members still show: the redaction is per member.
    assert!(shown[1].contains("\"rg\"") && shown[3].contains("\"u\""), "{shown:?}");
    // And the secret is still sent: redaction is for printing only.
    fluent.send().await.unwrap();
    assert!(replay.last_request().unwrap().body_str().contains("AuthToken=AUTH-TOKEN-0123456789abcdef"));
}

/// A region goes into the host name: one that is not host labels would send the signed
/// request (session token included) elsewhere (`evil.example/` used to reach
/// `https://elasticache.evil.example/.amazonaws.com/`). Each is refused before anything is
/// signed or sent, as is an endpoint URL without a scheme or host, or with user information.
#[tokio::test]
async fn invalid_regions_and_endpoints_are_refused_before_sending() {
    let long = format!("us-east-{}", "1".repeat(60));
    let regions = [
        "evil.example/", "us-east-1/", "a@evil.example", "us-east-1?", "us-east-1#", "us east 1", "us-east-1 ", "",
        "us-east-1.", ".us-east-1", "us..east-1", "US-EAST-1", "Us-East-1", long.as_str(), "-us-east-1", "us_east_1",
        "us-east-1:443", "us-east-1\r\nX-Injected: 1", "us-\u{e9}ast-1",
    ];
    for region in regions {
        let replay = ReplayClient::new([HttpResponse::new(200, "<CopySnapshotResponse/>")]);
        let config = Config::builder()
            .region(Region::new(region.to_owned()))
            .credentials_provider(Credentials::new("AKID", "SECRET", Some("TOKEN".into()), None, "static"))
            .http_client(replay.clone())
            .build();
        let client = Client::from_conf(config);
        let err = client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap_err();
        let SdkError::ConstructionFailure(_) = &err else { panic!("{region:?}: {err:?}") };
        assert!(err.to_string().contains("invalid region"), "{region:?}: {err}");
        assert!(replay.requests().is_empty(), "{region:?}: a request was sent");
    }
    for url in [
        "localhost:5000", "127.0.0.1", "http://", "https:///path", "ftp://host", "//host", "https://user:pw@evil.example",
        "https://good.example@evil.example/", "https://good.example#@evil.example", "https://a..b", "http://host\r\n",
        "https://good.example\\@evil.example",
    ] {
        let replay = ReplayClient::new([HttpResponse::new(200, "<CopySnapshotResponse/>")]);
        let config = Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(url)
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "static"))
            .http_client(replay.clone())
            .build();
        let err = Client::from_conf(config).copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap_err();
        let SdkError::ConstructionFailure(_) = &err else { panic!("{url:?}: {err:?}") };
        assert!(err.to_string().contains("invalid endpoint_url"), "{url:?}: {err}");
        assert!(replay.requests().is_empty(), "{url:?}: a request was sent");
    }
    // What is valid still works: real regions, and an endpoint with a port and a path.
    for region in ["us-east-1", "eu-west-3", "us-gov-west-1", "cn-north-1", "us-isob-east-1"] {
        let replay = ReplayClient::new([HttpResponse::new(200, "<CopySnapshotResponse/>")]);
        let config = Config::builder().region(Region::new(region)).credentials_provider(Credentials::new("a", "b", None, None, "t"));
        let client = Client::from_conf(config.http_client(replay.clone()).build());
        client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap();
        assert!(replay.requests()[0].host().starts_with("elasticache.") && replay.requests()[0].host().contains(region));
    }
}

/// A credentials provider that never answers (an unreachable metadata service, say) cannot
/// hang a call: loading gets the operation timeout, or without one the attempt timeout.
#[tokio::test]
async fn credential_loading_is_bounded_by_the_calls_timeouts() {
    use elasticache::config::{ProvideCredentials, TimeoutConfig};

    #[derive(Debug)]
    struct NeverAnswers;

    impl ProvideCredentials for NeverAnswers {
        fn provide_credentials<'a>(&'a self) -> aws_query_runtime::credentials::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            aws_query_runtime::credentials::future::ProvideCredentials::new(std::future::pending())
        }
    }

    for timeouts in [
        TimeoutConfig::builder().operation_attempt_timeout(Duration::from_millis(200)).build(),
        TimeoutConfig::builder().operation_timeout(Duration::from_millis(200)).build(),
    ] {
        let replay = ReplayClient::new([HttpResponse::new(200, "<CopySnapshotResponse/>")]);
        let config = Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(NeverAnswers)
            .timeout_config(timeouts.clone())
            .http_client(replay.clone())
            .build();
        let started = std::time::Instant::now();
        let err = Client::from_conf(config).copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap_err();
        // The operation timeout makes it a timeout of the call; without one, the attempt
        // timeout bounds the load and says so.
        match timeouts.operation_timeout() {
            Some(_) => assert!(matches!(err, SdkError::TimeoutError(_)), "{timeouts:?}: {err:?}"),
            None => {
                let SdkError::ConstructionFailure(_) = &err else { panic!("{timeouts:?}: {err:?}") };
                assert!(err.to_string().contains("gave no credentials within"), "{err}");
            }
        }
        assert!(replay.requests().is_empty());
        // Generous: this shows the call ends, it does not measure speed.
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    }
}

/// `Config::from_env` reads endpoint URLs from the environment it is given: the service's
/// own (`AWS_ENDPOINT_URL_ELASTICACHE`) before the global one, none when told to ignore them.
#[tokio::test]
async fn endpoint_urls_from_the_environment() {
    use aws_query_runtime::credentials::Env;
    let home = project_tests::scratch("client-endpoint-env");
    let home = home.display().to_string();
    let endpoint = |vars: &[(&str, &str)]| {
        let mut vars = vars.to_vec();
        vars.extend([("HOME", home.as_str()), ("AWS_REGION", "eu-west-1")]);
        let env = Env::from_vars(&vars);
        async move { Client::new(&Config::from_env_vars(env).await).handle().endpoint_url().unwrap() }
    };
    assert_eq!(endpoint(&[]).await, "https://elasticache.eu-west-1.amazonaws.com");
    assert_eq!(endpoint(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:1")]).await, "http://127.0.0.1:1");
    let both = [("AWS_ENDPOINT_URL", "http://127.0.0.1:1"), ("AWS_ENDPOINT_URL_ELASTICACHE", "http://127.0.0.1:2")];
    assert_eq!(endpoint(&both).await, "http://127.0.0.1:2");
    let ignored = [("AWS_ENDPOINT_URL_ELASTICACHE", "http://127.0.0.1:2"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")];
    assert_eq!(endpoint(&ignored).await, "https://elasticache.eu-west-1.amazonaws.com");
}

/// `customize()`: request mutations reach the wire (and are signed), on every attempt; a
/// config override changes what it sets for this call only and keeps the rest.
#[tokio::test]
async fn customized_calls_mutate_the_request_and_override_the_config() {
    let replay = ReplayClient::new([
        HttpResponse::new(500, ""),
        HttpResponse::new(200, fixture("copy-snapshot.xml")),
        HttpResponse::new(200, fixture("copy-snapshot.xml")),
    ]);
    let client = Client::from_conf(config(&replay));
    client
        .copy_snapshot()
        .source_snapshot_name("nightly")
        .target_snapshot_name("export-1")
        .customize()
        .mutate_request(|req| {
            req.headers_mut().insert("x-run", "7");
        })
        .config_override(Config::builder().region(Region::new("eu-west-1")))
        .send()
        .await
        .unwrap();
    let requests = replay.requests();
    // The 500 was retried (the client's retry config kept), both attempts mutated.
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.header("x-run"), Some("7"));
        assert_eq!(request.host(), "elasticache.eu-west-1.amazonaws.com");
        let authorization = request.header("authorization").unwrap();
        assert!(authorization.contains("/eu-west-1/elasticache/") && authorization.contains(";x-run"), "{authorization}");
    }
    // The client itself is unchanged.
    client.copy_snapshot().source_snapshot_name("nightly").target_snapshot_name("export-2").send().await.unwrap();
    let last = replay.last_request().unwrap();
    assert_eq!((last.host(), last.header("x-run")), ("elasticache.us-west-2.amazonaws.com", None));
}

/// `map_request` replaces the request before signing (in order with `mutate_request`); its
/// error fails the call as a `ConstructionFailure` with that error as the source, and
/// nothing is sent.
#[tokio::test]
async fn map_request_replaces_the_request_or_fails_the_call() {
    let replay = ReplayClient::new([HttpResponse::new(200, fixture("copy-snapshot.xml"))]);
    let client = Client::from_conf(config(&replay));
    client
        .copy_snapshot()
        .source_snapshot_name("nightly")
        .target_snapshot_name("export-1")
        .customize()
        .mutate_request(|req| {
            req.headers_mut().insert("x-step", "1");
        })
        .map_request(|mut req| {
            let step = req.header("x-step").map(str::to_owned);
            req.headers_mut().insert("x-mapped", format!("after-{}", step.as_deref().unwrap_or("none")));
            Ok::<_, std::io::Error>(req)
        })
        .send()
        .await
        .unwrap();
    let sent = replay.last_request().unwrap();
    assert_eq!(sent.header("x-mapped"), Some("after-1"));
    assert!(sent.header("authorization").unwrap().contains(";x-mapped;"), "signed after the map");

    let err = client
        .copy_snapshot()
        .source_snapshot_name("nightly")
        .target_snapshot_name("export-2")
        .customize()
        .map_request(|_| Err(std::io::Error::other("no requests today")))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, elasticache::error::SdkError::ConstructionFailure(_)), "{err:?}");
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(source.to_string(), "no requests today");
    assert_eq!(replay.requests().len(), 1, "the failed map sent nothing");
}

/// `config_override` applies only the settings given to its builder.
#[test]
fn a_config_override_applies_only_what_it_sets() {
    let base = Config::builder().region(Region::new("us-west-2")).endpoint_url("http://127.0.0.1:1").retry_config(RetryConfig::disabled()).build();
    let over = Config::builder().timeout_config(elasticache::config::timeout::TimeoutConfig::builder().operation_timeout(Duration::from_secs(9)).build());
    let merged = over.apply_to(&base);
    assert_eq!(merged.region(), Some(&Region::new("us-west-2")));
    assert_eq!(merged.endpoint_url(), Some("http://127.0.0.1:1"));
    assert_eq!(merged.retry_config().map(|r| r.max_attempts()), Some(1));
    assert_eq!(merged.timeout_config().and_then(|t| t.operation_timeout()), Some(Duration::from_secs(9)));
    // A default-looking value that was set is applied too.
    let merged = Config::builder().retry_config(RetryConfig::standard()).apply_to(&base);
    assert_eq!(merged.retry_config().map(|r| r.max_attempts()), Some(3));
}

/// aws-sdk-rust's configuration names: app names are validated, behaviour versions
/// accepted, statuses typed.
#[test]
fn aws_sdk_configuration_names() {
    use elasticache::config::{AppName, BehaviorVersion};
    assert!(AppName::new("ops-toolkit_2.0").is_ok());
    for bad in ["", "has space", "slash/no", "é"] {
        assert!(AppName::new(bad).is_err(), "{bad:?}");
    }
    let config = Config::builder().behavior_version(BehaviorVersion::latest()).app_name(AppName::new("tool").unwrap()).build();
    assert_eq!(config.app_name().map(|a| a.as_ref()), Some("tool"));
    // aws-sdk-rust's shorthand, accepted the same way (one behaviour: nothing to change).
    let latest = Config::builder().behavior_version_latest().app_name(AppName::new("tool").unwrap()).build();
    assert_eq!(format!("{latest:?}"), format!("{config:?}"));
    assert!(BehaviorVersion::latest().is_at_least(BehaviorVersion::v2023_11_09()));
    let status = HttpResponse::new(503, "").status();
    assert_eq!((status.as_u16(), status.is_server_error(), status.is_success(), status.is_client_error()), (503, true, false, false));
    assert!(aws_query_runtime::http::StatusCode::try_from(99).is_err());
}

#[tokio::test(start_paused = true)]
async fn adaptive_retries_wait_for_the_clients_rate_limiter() {
    let throttled = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>";
    let responses = || [HttpResponse::new(400, throttled), HttpResponse::new(200, fixture("copy-snapshot.xml"))];
    // No backoff: any wait is the rate limiter's (time is paused, so waits are exact).
    let no_backoff = |retry: RetryConfig| retry.with_initial_backoff(Duration::ZERO).with_throttling_backoff(Duration::ZERO);

    let replay = ReplayClient::new(responses());
    let client = Client::from_conf(config(&replay).to_builder().retry_config(no_backoff(RetryConfig::adaptive())).build());
    let started = tokio::time::Instant::now();
    client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap();
    // Throttled before any rate was measured: the bucket fills at its floor, 0.5 token/s,
    // so the retry waited 2 s for its token.
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(2) && waited < Duration::from_millis(2100), "{waited:?}");
    assert_eq!(replay.requests().len(), 2);

    // Standard mode, the same responses: no wait.
    let replay = ReplayClient::new(responses());
    let client = Client::from_conf(config(&replay).to_builder().retry_config(no_backoff(RetryConfig::standard())).build());
    let started = tokio::time::Instant::now();
    client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap();
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(replay.requests().len(), 2);
}

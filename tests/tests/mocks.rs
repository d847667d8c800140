//! Typed mocks (aws-query-mocks, aws-smithy-mocks' shape) on the generated crate: rules by
//! operation, request matching, sequences, rule modes, and how mocked responses go through
//! the client's pipeline (HTTP responses parsed and retried, modeled ones returned as they are).

use aws_query_mocks::{mock, mock_client, MockResponse, MockResponseInterceptor, RuleMode};
use elasticache::config::http::HttpResponse;
use elasticache::config::RetryConfig;
use elasticache::operation::copy_snapshot::{CopySnapshotError, CopySnapshotOutput};
use elasticache::operation::describe_cache_clusters::DescribeCacheClustersOutput;
use elasticache::operation::describe_snapshots::DescribeSnapshotsOutput;
use elasticache::types::error::SnapshotNotFoundFault;
use elasticache::types::{CacheCluster, Snapshot};
use elasticache::Client;
use std::time::Duration;

fn snapshot(name: &str) -> Snapshot {
    Snapshot::builder().snapshot_name(name).snapshot_status("available").build()
}

fn copy_output(name: &str) -> CopySnapshotOutput {
    CopySnapshotOutput::builder().snapshot(snapshot(name)).build()
}

async fn copy(client: &Client, source: &str) -> Result<CopySnapshotOutput, elasticache::error::SdkError<CopySnapshotError>> {
    client.copy_snapshot().source_snapshot_name(source).target_snapshot_name(format!("{source}-copy")).send().await
}

#[tokio::test]
async fn an_output_rule_answers_matching_calls() {
    let rule = mock!(Client::copy_snapshot)
        .match_requests(|req| req.source_snapshot_name() == Some("nightly") && req.target_snapshot_name() == Some("nightly-copy"))
        .then_output(|| copy_output("nightly-copy"));
    let client = mock_client!(elasticache, [&rule]);
    let out = copy(&client, "nightly").await.unwrap();
    assert_eq!(out.snapshot().and_then(|s| s.snapshot_name()), Some("nightly-copy"));
    assert_eq!(rule.num_calls(), 1);
    // A simple rule is spent after one call in sequential mode.
    assert!(!rule.is_exhausted());
}

#[tokio::test]
async fn an_error_rule_gives_the_modeled_error() {
    let rule = mock!(Client::copy_snapshot)
        .then_error(|| CopySnapshotError::SnapshotNotFoundFault(SnapshotNotFoundFault::builder().message("no such snapshot").build()));
    let client = mock_client!(elasticache, [&rule]);
    let err = copy(&client, "nightly").await.unwrap_err();
    // The raw response of a mocked modeled error is empty, with a 400 when the error has no status.
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400));
    assert_eq!(err.attempts(), 1);
    match err.into_service_error() {
        CopySnapshotError::SnapshotNotFoundFault(fault) => assert_eq!(fault.message(), Some("no such snapshot")),
        other => panic!("expected SnapshotNotFoundFault, got {other:?}"),
    }
}

#[tokio::test]
async fn http_responses_are_parsed_like_the_services() {
    let ok = r#"<CopySnapshotResponse><CopySnapshotResult><Snapshot><SnapshotName>from-xml</SnapshotName></Snapshot></CopySnapshotResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CopySnapshotResponse>"#;
    let fault = r#"<ErrorResponse><Error><Type>Sender</Type><Code>SnapshotNotFoundFault</Code><Message>gone</Message></Error><RequestId>req-2</RequestId></ErrorResponse>"#;
    let rule = mock!(Client::copy_snapshot)
        .sequence()
        .http_response(move || HttpResponse::new(200, ok))
        .http_status(404, Some(fault.to_owned()))
        .build();
    let client = mock_client!(elasticache, RuleMode::MatchAny, [&rule]);
    let out = copy(&client, "a").await.unwrap();
    assert_eq!(out.snapshot().and_then(|s| s.snapshot_name()), Some("from-xml"));
    assert_eq!(elasticache::RequestId::request_id(&out), Some("req-1"));
    let err = copy(&client, "b").await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(404));
    assert!(err.into_service_error().is_snapshot_not_found_fault());
    assert!(rule.is_exhausted());
}

#[tokio::test(start_paused = true)]
async fn retryable_responses_are_retried_each_taking_the_next_response() {
    let rule = mock!(Client::describe_cache_clusters)
        .sequence()
        .http_status(503, None)
        .times(2)
        .output(|| DescribeCacheClustersOutput::builder().cache_clusters(CacheCluster::builder().cache_cluster_id("c1").build()).build())
        .build();
    let client = mock_client!(elasticache, RuleMode::Sequential, [&rule], |c| c.retry_config(RetryConfig::standard().with_max_attempts(3)));
    let out = client.describe_cache_clusters().send().await.unwrap();
    assert_eq!(out.cache_clusters()[0].cache_cluster_id(), Some("c1"));
    assert_eq!(rule.num_calls(), 3);
    assert!(rule.is_exhausted());
}

#[tokio::test(start_paused = true)]
async fn a_rule_without_responses_left_for_a_retry_ends_the_call() {
    let rule = mock!(Client::describe_cache_clusters).sequence().http_status(500, None).build();
    let client = mock_client!(elasticache, RuleMode::Sequential, [&rule], |c| c.retry_config(RetryConfig::standard().with_max_attempts(3)));
    let err = client.describe_cache_clusters().send().await.unwrap_err();
    assert_eq!(err.attempts(), 2);
    assert!(err.to_string().contains("no response left for attempt 2"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn repeatedly_never_exhausts() {
    let rule = mock!(Client::describe_cache_clusters).sequence().http_status(500, None).repeatedly().build();
    let client = mock_client!(elasticache, RuleMode::Sequential, [&rule], |c| c.retry_config(RetryConfig::standard().with_max_attempts(4)));
    let err = client.describe_cache_clusters().send().await.unwrap_err();
    assert_eq!((err.attempts(), rule.num_calls()), (4, 4));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(500));
    assert!(!rule.is_exhausted());
}

#[tokio::test]
async fn sequential_rules_answer_in_order() {
    let first = mock!(Client::copy_snapshot).then_output(|| copy_output("first"));
    let second = mock!(Client::copy_snapshot).then_output(|| copy_output("second"));
    let client = mock_client!(elasticache, RuleMode::Sequential, [&first, &second]);
    let names = [copy(&client, "a").await.unwrap(), copy(&client, "b").await.unwrap()];
    let names: Vec<_> = names.iter().filter_map(|o| o.snapshot().and_then(|s| s.snapshot_name())).collect();
    assert_eq!(names, ["first", "second"]);
}

#[tokio::test]
#[should_panic(expected = "the next rule does not match this CopySnapshot call")]
async fn sequential_mode_panics_on_a_call_out_of_order() {
    let rule = mock!(Client::copy_snapshot).match_requests(|req| req.source_snapshot_name() == Some("expected")).then_output(|| copy_output("x"));
    let client = mock_client!(elasticache, RuleMode::Sequential, [&rule]);
    let _ = copy(&client, "other").await;
}

#[tokio::test]
async fn match_any_picks_the_first_matching_rule_every_time() {
    let a = mock!(Client::copy_snapshot).match_requests(|req| req.source_snapshot_name() == Some("a")).then_output(|| copy_output("for-a"));
    let b = mock!(Client::copy_snapshot).match_requests(|req| req.source_snapshot_name() == Some("b")).then_output(|| copy_output("for-b"));
    let client = mock_client!(elasticache, RuleMode::MatchAny, [&a, &b]);
    for source in ["b", "a", "b"] {
        let out = copy(&client, source).await.unwrap();
        assert_eq!(out.snapshot().and_then(|s| s.snapshot_name()), Some(format!("for-{source}").as_str()));
    }
    assert_eq!((a.num_calls(), b.num_calls()), (1, 2));
}

#[tokio::test]
#[should_panic(expected = "no rule answers this DescribeSnapshots call")]
async fn a_call_no_rule_answers_panics() {
    let rule = mock!(Client::copy_snapshot).then_output(|| copy_output("x"));
    let client = mock_client!(elasticache, RuleMode::MatchAny, [&rule]);
    let _ = client.describe_snapshots().send().await;
}

#[tokio::test]
async fn passthrough_sends_unanswered_calls_to_the_transport() {
    let interceptor = MockResponseInterceptor::new().allow_passthrough();
    let config = elasticache::Config::builder()
        .with_test_defaults_v2()
        .http_client(aws_query_mocks::create_mock_http_client())
        .retry_config(RetryConfig::disabled())
        .interceptor(interceptor)
        .build();
    let err = Client::from_conf(config).describe_snapshots().send().await.unwrap_err();
    assert!(err.to_string().contains("a mocked client sent a request that no rule answered"), "{err}");
}

#[tokio::test]
async fn computed_responses_see_the_input() {
    let output = mock!(Client::describe_snapshots).then_compute_output(|req| {
        DescribeSnapshotsOutput::builder().snapshots(snapshot(req.snapshot_name().unwrap_or("none"))).build()
    });
    let client = mock_client!(elasticache, RuleMode::MatchAny, [&output]);
    let out = client.describe_snapshots().snapshot_name("wanted").send().await.unwrap();
    assert_eq!(out.snapshots()[0].snapshot_name(), Some("wanted"));

    let either = mock!(Client::copy_snapshot).then_compute_response(|req| match req.source_snapshot_name() {
        Some("missing") => MockResponse::Error(CopySnapshotError::SnapshotNotFoundFault(SnapshotNotFoundFault::builder().build())),
        _ => MockResponse::Output(copy_output("made")),
    });
    let client = mock_client!(elasticache, RuleMode::MatchAny, [&either]);
    assert!(copy(&client, "missing").await.unwrap_err().into_service_error().is_snapshot_not_found_fault());
    assert!(copy(&client, "present").await.is_ok());
}

#[tokio::test]
async fn invalid_input_fails_before_any_rule_is_asked() {
    let rule = mock!(Client::copy_snapshot).then_output(|| copy_output("x"));
    let client = mock_client!(elasticache, RuleMode::MatchAny, [&rule]);
    // TargetSnapshotName is required.
    let err = client.copy_snapshot().source_snapshot_name("a").send().await.unwrap_err();
    assert!(matches!(err, elasticache::error::SdkError::ConstructionFailure(_)), "{err:?}");
    assert_eq!(rule.num_calls(), 0);
}

#[tokio::test]
async fn into_source_gives_the_error_inside() {
    let rule = mock!(Client::copy_snapshot)
        .then_error(|| CopySnapshotError::SnapshotNotFoundFault(SnapshotNotFoundFault::builder().message("no such snapshot").build()));
    let client = mock_client!(elasticache, RuleMode::MatchAny, [&rule]);
    // A service error: the operation's error enum, boxed.
    let source = copy(&client, "nightly").await.unwrap_err().into_source().expect("a source");
    let error = source.downcast_ref::<CopySnapshotError>().expect("the operation's error");
    assert!(error.is_snapshot_not_found_fault(), "{error:?}");
    // A construction failure: the builder's error (TargetSnapshotName is required).
    let err = client.copy_snapshot().source_snapshot_name("a").send().await.unwrap_err();
    let source = err.into_source().expect("a source");
    assert_eq!(source.to_string(), "invalid CopySnapshot input (1 problem): `TargetSnapshotName` is required but not set");
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn paginators_take_one_response_per_page() {
    let pages = mock!(Client::describe_snapshots)
        .sequence()
        .output(|| DescribeSnapshotsOutput::builder().snapshots(snapshot("one")).marker("m2").build())
        .output(|| DescribeSnapshotsOutput::builder().snapshots(snapshot("two")).build())
        .build();
    let client = mock_client!(elasticache, RuleMode::MatchAny, [&pages]);
    let all = client.describe_snapshots().into_paginator().items().send().try_collect().await.unwrap();
    let names: Vec<_> = all.iter().filter_map(|s| s.snapshot_name()).collect();
    assert_eq!(names, ["one", "two"]);
    assert_eq!(pages.num_calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn waiters_poll_through_the_rules() {
    use elasticache::client::Waiters;
    let cluster = |status: &str| DescribeCacheClustersOutput::builder().cache_clusters(CacheCluster::builder().cache_cluster_id("c1").cache_cluster_status(status).build()).build();
    let polls = mock!(Client::describe_cache_clusters).sequence().output(move || cluster("creating")).output(move || cluster("available")).build();
    let client = mock_client!(elasticache, RuleMode::MatchAny, [&polls]);
    client.wait_until_cache_cluster_available().cache_cluster_id("c1").wait(Duration::from_secs(600)).await.unwrap();
    assert_eq!(polls.num_calls(), 2);
}

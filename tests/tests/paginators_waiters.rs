//! Paginators and waiters over canned responses (the in-memory transport): pages linked by
//! markers, a service that repeats a marker, an empty page, nested tokens; waiters reaching
//! success, failure, an expected error, an unexpected error, and running out of attempts or
//! time. The same against moto is in `moto.rs`.

use aws_query_runtime::http::test_util::ReplayClient;
use aws_query_runtime::http::HttpResponse;
use aws_query_runtime::waiter::WaiterError;
use elasticache::error::ProvideErrorMetadata;
use elasticache::client::Waiters;
use elasticache::config::{Credentials, Region};
use elasticache::{Client, Config};
use futures_util::StreamExt;
use std::time::{Duration, Instant};

fn client(replay: &ReplayClient) -> Client {
    Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("a", "b", None, None, "t"))
            .http_client(replay.clone())
            .build(),
    )
}

fn parameters_page(names: &[&str], marker: Option<&str>) -> HttpResponse {
    let params: String = names
        .iter()
        .map(|n| format!("<Parameter><ParameterName>{n}</ParameterName><ChangeType>immediate</ChangeType></Parameter>"))
        .collect();
    let marker = marker.map(|m| format!("<Marker>{m}</Marker>")).unwrap_or_default();
    HttpResponse::new(
        200,
        format!(
            "<DescribeCacheParametersResponse><DescribeCacheParametersResult><Parameters>{params}</Parameters>{marker}\
             </DescribeCacheParametersResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeCacheParametersResponse>"
        ),
    )
}

#[tokio::test]
async fn three_pages_linked_by_marker() {
    let replay = ReplayClient::new([
        parameters_page(&["a", "b"], Some("m1")),
        parameters_page(&["c", "d"], Some("m/2")),
        parameters_page(&["e"], None),
    ]);
    let client = client(&replay);
    let mut pages = client.describe_cache_parameters().cache_parameter_group_name("default.redis7").into_paginator().page_size(2).send();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().parameters().len());
    }
    assert_eq!(sizes, [2, 2, 1]);
    let bodies: Vec<String> = replay.requests().iter().map(|r| r.body_str().to_owned()).collect();
    let base = "Action=DescribeCacheParameters&Version=2015-02-02&CacheParameterGroupName=default.redis7&MaxRecords=2";
    assert_eq!(bodies, [base.to_owned(), format!("{base}&Marker=m1"), format!("{base}&Marker=m%2F2")]);

    // The items, as a `futures::Stream` too.
    let replay = ReplayClient::new([parameters_page(&["a", "b"], Some("m1")), parameters_page(&["c"], None)]);
    let client = self::client(&replay);
    let stream = client.describe_cache_parameters().cache_parameter_group_name("g").into_paginator().items().send();
    // Through the `futures` `Stream` trait (the inherent `collect` would be chosen otherwise).
    let items: Vec<_> = StreamExt::collect(stream).await;
    let names: Vec<_> = items.into_iter().map(|p| p.unwrap().parameter_name.unwrap()).collect();
    assert_eq!(names, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_repeated_marker_is_an_error_not_a_loop() {
    let replay = ReplayClient::new([
        parameters_page(&["a"], Some("same")),
        parameters_page(&["b"], Some("same")),
        parameters_page(&["c"], Some("same")),
    ]);
    let client = client(&replay);
    let results: Vec<_> = client.describe_cache_parameters().cache_parameter_group_name("g").into_paginator().send().collect::<Vec<_>>().await;
    assert_eq!(results.len(), 3, "two pages, then the error");
    assert!(results[0].is_ok() && results[1].is_ok());
    let err = results[2].as_ref().unwrap_err();
    assert!(err.to_string().contains("returned the pagination token it was sent (`same`)"), "{err}");
    assert_eq!(replay.requests().len(), 2, "the same page is not requested again");
}

#[tokio::test]
async fn a_repeated_marker_is_followed_when_asked() {
    let replay = ReplayClient::new([
        parameters_page(&["a"], Some("same")),
        parameters_page(&["b"], Some("same")),
        parameters_page(&["c"], None),
    ]);
    let client = client(&replay);
    let paginator = client.describe_cache_parameters().cache_parameter_group_name("g").into_paginator();
    let items: Vec<_> = paginator.stop_on_duplicate_token(false).items().send().collect::<Vec<_>>().await;
    let names: Vec<&str> = items.iter().map(|p| p.as_ref().unwrap().parameter_name().unwrap()).collect();
    assert_eq!(names, ["a", "b", "c"], "every page, the repeated token followed");
    let requests = replay.requests();
    let bodies: Vec<&str> = requests.iter().map(|r| r.body_str()).collect();
    assert_eq!(bodies.len(), 3);
    assert!(bodies[1].ends_with("&Marker=same") && bodies[2].ends_with("&Marker=same"), "{bodies:?}");
}

#[tokio::test]
async fn an_empty_page_ends_the_stream() {
    let replay = ReplayClient::new([parameters_page(&[], Some(""))]);
    let client = client(&replay);
    let pages: Vec<_> = client.describe_cache_parameters().cache_parameter_group_name("g").into_paginator().send().collect().await;
    assert_eq!(pages.len(), 1);
    assert!(pages[0].as_ref().unwrap().parameters().is_empty());
    let replay = ReplayClient::new([parameters_page(&[], None)]);
    let items: Vec<_> = self::client(&replay).describe_cache_parameters().cache_parameter_group_name("g").into_paginator().items().send().collect().await;
    assert!(items.is_empty());
}

#[tokio::test]
async fn errors_end_the_stream_after_being_reported() {
    let replay = ReplayClient::new([
        parameters_page(&["a"], Some("m1")),
        HttpResponse::new(404, "<ErrorResponse><Error><Code>CacheParameterGroupNotFound</Code><Message>gone</Message></Error></ErrorResponse>"),
    ]);
    let client = client(&replay);
    let mut items = client.describe_cache_parameters().cache_parameter_group_name("g").into_paginator().items().send();
    assert!(items.next().await.unwrap().is_ok());
    let err = items.next().await.unwrap().unwrap_err();
    assert!(err.as_service_error().is_some_and(|e| e.is_cache_parameter_group_not_found_fault()));
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn nested_tokens_and_result_keys() {
    let page = |names: &[&str], marker: Option<&str>| {
        let params: String = names.iter().map(|n| format!("<Parameter><ParameterName>{n}</ParameterName></Parameter>")).collect();
        let marker = marker.map(|m| format!("<Marker>{m}</Marker>")).unwrap_or_default();
        HttpResponse::new(
            200,
            format!(
                "<DescribeEngineDefaultParametersResponse><DescribeEngineDefaultParametersResult><EngineDefaults>\
                 <Parameters>{params}</Parameters>{marker}</EngineDefaults></DescribeEngineDefaultParametersResult>\
                 </DescribeEngineDefaultParametersResponse>"
            ),
        )
    };
    let replay = ReplayClient::new([page(&["x", "y"], Some("next")), page(&["z"], None)]);
    let client = client(&replay);
    let items: Vec<_> = client
        .describe_engine_default_parameters()
        .cache_parameter_group_family("redis7")
        .into_paginator()
        .items()
        .send()
        .collect()
        .await;
    let names: Vec<_> = items.into_iter().map(|p| p.unwrap().parameter_name.unwrap()).collect();
    assert_eq!(names, ["x", "y", "z"]);
    assert!(replay.requests()[1].body_str().ends_with("&Marker=next"));
}

fn clusters(statuses: &[&str]) -> HttpResponse {
    let items: String = statuses
        .iter()
        .enumerate()
        .map(|(i, s)| format!("<CacheCluster><CacheClusterId>c{i}</CacheClusterId><CacheClusterStatus>{s}</CacheClusterStatus></CacheCluster>"))
        .collect();
    HttpResponse::new(
        200,
        format!(
            "<DescribeCacheClustersResponse><DescribeCacheClustersResult><CacheClusters>{items}</CacheClusters>\
             </DescribeCacheClustersResult></DescribeCacheClustersResponse>"
        ),
    )
}

fn not_found() -> HttpResponse {
    HttpResponse::new(404, "<ErrorResponse><Error><Code>CacheClusterNotFound</Code><Message>none</Message></Error></ErrorResponse>")
}

const FAST: Duration = Duration::from_millis(1);

#[tokio::test]
async fn available_after_some_polls() {
    let replay = ReplayClient::new([clusters(&["creating"]), clusters(&["creating", "available"]), clusters(&["available", "available"])]);
    let client = client(&replay);
    let done = client
        .wait_until_cache_cluster_available()
        .cache_cluster_id("c0")
        .min_delay(FAST)
        .max_delay(FAST * 4)
        .wait(Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(done.as_result().unwrap().cache_clusters().len(), 2);
    assert_eq!(replay.requests().len(), 3, "`pathAll` needs every cluster available");
    assert!(replay.requests()[0].body_str().contains("CacheClusterId=c0"));
}

#[tokio::test]
async fn a_failure_acceptor_names_itself() {
    let replay = ReplayClient::new([clusters(&["creating"]), clusters(&["available", "restore-failed"])]);
    let err = client(&replay).wait_until_cache_cluster_available().min_delay(FAST).wait(Duration::from_secs(5)).await.unwrap_err();
    let WaiterError::FailureState(failure) = &err else { panic!("{err:?}") };
    assert_eq!((failure.acceptor(), failure.poll_count()), ("pathAny CacheClusters[].CacheClusterStatus == \"restore-failed\"", 2));
    let text = err.to_string();
    assert!(text.contains("CacheClusterAvailable failed after 2 attempts") && text.contains("restore-failed"), "{text}");
}

#[tokio::test]
async fn an_expected_error_is_success_and_an_unexpected_one_ends_the_wait() {
    let replay = ReplayClient::new([clusters(&["deleting"]), not_found()]);
    let done = client(&replay).wait_until_cache_cluster_deleted().cache_cluster_id("c0").min_delay(FAST).wait(Duration::from_secs(5)).await;
    assert!(done.unwrap().as_result().is_err(), "the error acceptor `CacheClusterNotFound` means deleted");

    let replay = ReplayClient::new([not_found()]);
    let err = client(&replay).wait_until_cache_cluster_available().cache_cluster_id("c0").min_delay(FAST).wait(Duration::from_secs(5)).await.unwrap_err();
    let WaiterError::OperationFailed(failed) = &err else { panic!("{err:?}") };
    assert_eq!(failed.poll_count(), 1);
    assert!(failed.error().as_service_error().is_some_and(|e| e.is_cache_cluster_not_found_fault()));
    // The failed call's code and message, as aws-sdk-rust's `WaiterError` gives them.
    assert_eq!((err.code(), err.message()), (Some("CacheClusterNotFound"), Some("none")));
}

#[tokio::test]
async fn a_waiter_error_without_a_service_error_has_empty_metadata() {
    // A failure acceptor that matched an output, not an error: nothing to report.
    let replay = ReplayClient::new([clusters(&["restore-failed"])]);
    let err = client(&replay).wait_until_cache_cluster_available().min_delay(FAST).wait(Duration::from_secs(5)).await.unwrap_err();
    assert!(matches!(err, WaiterError::FailureState(_)), "{err:?}");
    assert_eq!((err.code(), err.message()), (None, None));
    // Attempts that ran out on outputs: nothing either.
    let replay = ReplayClient::new((0..3).map(|_| clusters(&["modifying"])));
    let err = client(&replay).wait_until_cache_cluster_available().min_delay(FAST).max_attempts(Some(2)).wait(Duration::from_secs(5)).await.unwrap_err();
    assert!(matches!(err, WaiterError::ExceededMaxAttempts(_)), "{err:?}");
    assert_eq!((err.code(), err.message()), (None, None));
}

#[tokio::test]
async fn attempts_and_time_run_out() {
    let replay = ReplayClient::new((0..5).map(|_| clusters(&["modifying"])));
    let err = client(&replay)
        .wait_until_cache_cluster_available()
        .min_delay(FAST)
        .max_attempts(Some(3))
        .wait(Duration::from_secs(5))
        .await
        .unwrap_err();
    assert!(matches!(&err, WaiterError::ExceededMaxAttempts(e) if e.poll_count() == 3), "{err:?}");
    assert!(err.last_poll().is_some());

    let replay = ReplayClient::new((0..1000).map(|_| clusters(&["modifying"])));
    let started = Instant::now();
    let err = client(&replay)
        .wait_until_cache_cluster_available()
        .min_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(50))
        .max_attempts(None)
        .wait(Duration::from_millis(300))
        .await
        .unwrap_err();
    // Generous: this shows the wait ends (does not hang), it does not measure speed.
    assert!(started.elapsed() < Duration::from_millis(300) + Duration::from_secs(3), "{:?}", started.elapsed());
    assert!(matches!(err, WaiterError::ExceededMaxWait(_)), "{err:?}");
    assert!(err.to_string().contains("timed out") && err.to_string().contains("modifying"), "{err}");
}

/// A transport whose requests never get an answer.
#[derive(Debug)]
struct Hangs;

impl aws_query_runtime::http::HttpClient for Hangs {
    fn send<'a>(
        &'a self,
        _: aws_query_runtime::http::HttpRequest,
        _: &'a aws_query_runtime::http::SendOptions,
    ) -> aws_query_runtime::http::BoxFuture<'a, Result<HttpResponse, aws_query_runtime::http::ConnectorError>> {
        Box::pin(std::future::pending())
    }
}

#[tokio::test]
async fn max_wait_bounds_a_poll_that_hangs() {
    // The client's own attempt timeout is 60 s: only the waiter's bound can end this.
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("a", "b", None, None, "t"))
        .http_client(Hangs)
        .build();
    let started = Instant::now();
    let err = Client::from_conf(config).wait_until_cache_cluster_available().min_delay(FAST).wait(Duration::from_millis(200)).await.unwrap_err();
    let WaiterError::ExceededMaxWait(exceeded) = &err else { panic!("{err:?}") };
    assert_eq!((exceeded.poll_count(), exceeded.last_poll().is_none()), (1, true), "{err}");
    // Generous: this shows the wait ends at its bound, it does not measure speed.
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_zero_min_delay_does_not_poll_in_a_tight_loop() {
    let replay = ReplayClient::new((0..10_000).map(|_| clusters(&["modifying"])));
    let max_wait = Duration::from_millis(200);
    let err = client(&replay)
        .wait_until_cache_cluster_available()
        .min_delay(Duration::ZERO)
        .max_delay(Duration::ZERO)
        .max_attempts(None)
        .wait(max_wait)
        .await
        .unwrap_err();
    assert!(matches!(err, WaiterError::ExceededMaxWait(_)), "{err:?}");
    // Every pause but the last is at least the floor: at most max_wait / floor + 2 polls,
    // however fast or slow the machine (an unbounded loop makes thousands).
    let bound = (max_wait.as_millis() / aws_query_runtime::waiter::MIN_DELAY_FLOOR.as_millis()) as usize + 2;
    let polls = replay.requests().len();
    assert!((1..=bound).contains(&polls), "{polls} polls in {max_wait:?}");
}

/// aws-smithy-async's `try_next` and `collect::<Result<Vec<_>, _>>()`: items until the end,
/// or the first error (after which nothing more is requested).
#[tokio::test]
async fn try_next_and_collect_into_a_result() {
    let replay = ReplayClient::new([parameters_page(&["a", "b"], Some("m1")), parameters_page(&["c"], None)]);
    let mut items = client(&replay).describe_cache_parameters().cache_parameter_group_name("g").into_paginator().items().send();
    let mut names = Vec::new();
    while let Some(p) = items.try_next().await.unwrap() {
        names.push(p.parameter_name.unwrap());
    }
    assert_eq!(names, ["a", "b", "c"]);
    assert!(items.try_next().await.unwrap().is_none());

    let replay = ReplayClient::new([parameters_page(&["a"], Some("m1")), parameters_page(&["b"], None)]);
    let all = client(&replay).describe_cache_parameters().cache_parameter_group_name("g").into_paginator().items().send();
    let all: Vec<_> = all.collect::<Result<Vec<_>, _>>().await.unwrap();
    assert_eq!(all.len(), 2);

    let replay = ReplayClient::new([
        parameters_page(&["a"], Some("m1")),
        HttpResponse::new(404, "<ErrorResponse><Error><Code>CacheParameterGroupNotFound</Code><Message>gone</Message></Error></ErrorResponse>"),
        parameters_page(&["never"], None),
    ]);
    let pages = client(&replay).describe_cache_parameters().cache_parameter_group_name("g").into_paginator().send();
    let err = pages.collect::<Result<Vec<_>, _>>().await.unwrap_err();
    assert!(err.as_service_error().is_some_and(|e| e.is_cache_parameter_group_not_found_fault()), "{err:?}");
    assert_eq!(replay.requests().len(), 2);
}

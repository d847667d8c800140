//! The clients against a real server: moto's ElastiCache (`cargo xtask test` installs the
//! pinned moto, starts `moto_server` on a free loopback port and sets `MOTO_ENDPOINT`).
//!
//! The async and the blocking client run the same flow: create a cluster, describe it,
//! snapshot it, describe and delete the snapshot, delete the cluster; a missing snapshot is
//! the modeled `SnapshotNotFoundFault`. moto implements neither CopySnapshot nor
//! DescribeCacheParameters and answers them with an HTML 500: the client retries as
//! configured, then returns an unhandled error carrying the status and the attempts, which
//! the tracing output shows too.
//!
//! Every flow goes through a loopback proxy that records the bytes the client sends, and
//! ends by having botocore's own SigV4 signer verify each request's signature
//! (`project_tests::sigv4_check`).

use elasticache::config::{Credentials, Region, RetryConfig};
use elasticache::error::SdkError;
use elasticache::operation::copy_snapshot::CopySnapshotError;
use elasticache::operation::describe_snapshots::DescribeSnapshotsError;
use project_tests::sigv4_check::{verify_with_botocore, CaptureProxy, SignedWith};
use std::time::Duration;

const SIGNED_WITH: SignedWith<'static> =
    SignedWith { access_key: "AKIDMOTO", secret_key: "SECRETMOTO", session_token: Some("TOKENMOTO//+=") };

/// A proxy to moto recording what the client sends.
fn proxy() -> CaptureProxy {
    CaptureProxy::start(&project_tests::moto_endpoint())
}

fn config(proxy: &CaptureProxy) -> elasticache::Config {
    let token = SIGNED_WITH.session_token.map(str::to_owned);
    elasticache::Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(&proxy.endpoint)
        .credentials_provider(Credentials::new(SIGNED_WITH.access_key, SIGNED_WITH.secret_key, token, None, "static"))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(5)))
        .build()
}

/// Every request of the flow, as moto received it, signed as botocore signs it.
fn verify_signatures(flow: &str, proxy: &CaptureProxy) {
    verify_with_botocore(flow, &proxy.requests(), &SIGNED_WITH);
}

/// Names unique to one test run, so that tests sharing one moto do not collide.
fn name(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

#[tokio::test]
async fn async_client_flow() {
    let proxy = proxy();
    let client = elasticache::Client::from_conf(config(&proxy));
    let cluster = name("c");
    let snapshot = name("s");

    let created = client
        .create_cache_cluster()
        .cache_cluster_id(&cluster)
        .engine("redis")
        .cache_node_type("cache.t3.micro")
        .num_cache_nodes(1)
        .send()
        .await
        .unwrap();
    let c = created.cache_cluster().unwrap();
    assert_eq!(c.cache_cluster_id(), Some(cluster.as_str()));
    assert_eq!(c.engine(), Some("redis"));

    let described = client.describe_cache_clusters().cache_cluster_id(&cluster).send().await.unwrap();
    assert_eq!(described.cache_clusters().len(), 1);
    let c = &described.cache_clusters()[0];
    assert_eq!(c.cache_cluster_id(), Some(cluster.as_str()));
    assert_eq!(c.cache_node_type(), Some("cache.t3.micro"));
    assert_eq!(c.num_cache_nodes(), Some(1));
    assert_eq!(c.cache_cluster_status(), Some("available"));

    let snap = client.create_snapshot().snapshot_name(&snapshot).cache_cluster_id(&cluster).send().await.unwrap();
    assert_eq!(snap.snapshot().and_then(|s| s.snapshot_name()), Some(snapshot.as_str()));
    assert_eq!(snap.snapshot().and_then(|s| s.cache_cluster_id()), Some(cluster.as_str()));

    let snaps = client.describe_snapshots().snapshot_name(&snapshot).send().await.unwrap();
    assert_eq!(snaps.snapshots().len(), 1);
    assert_eq!(snaps.snapshots()[0].snapshot_name(), Some(snapshot.as_str()));

    let deleted = client.delete_snapshot().snapshot_name(&snapshot).send().await.unwrap();
    assert_eq!(deleted.snapshot().and_then(|s| s.snapshot_name()), Some(snapshot.as_str()));
    let err = client.describe_snapshots().snapshot_name(&snapshot).send().await.unwrap_err();
    assert!(err.as_service_error().is_some_and(DescribeSnapshotsError::is_snapshot_not_found_fault), "{err:?}");

    let gone = client.delete_cache_cluster().cache_cluster_id(&cluster).send().await.unwrap();
    assert_eq!(gone.cache_cluster().and_then(|c| c.cache_cluster_status()), Some("deleting"));
    verify_signatures("async_client_flow", &proxy);
}

#[tokio::test]
async fn missing_snapshot_is_the_modeled_fault() {
    let proxy = proxy();
    let client = elasticache::Client::from_conf(config(&proxy));
    let err = client.describe_snapshots().snapshot_name("no-such-snapshot").send().await.unwrap_err();
    let service = err.as_service_error().expect("a service error");
    assert!(service.is_snapshot_not_found_fault(), "{err:?}");
    assert!(matches!(service, DescribeSnapshotsError::SnapshotNotFoundFault(_)));
    assert_eq!(err.attempts(), 1, "a modeled error is not retried");
    assert!(err.to_string().contains("SnapshotNotFoundFault"), "{err}");
    verify_signatures("missing_snapshot_is_the_modeled_fault", &proxy);
}

#[tokio::test]
async fn unimplemented_operations_are_unhandled_errors_after_retries() {
    let proxy = proxy();
    let client = elasticache::Client::from_conf(config(&proxy));
    let err = client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().await.unwrap_err();
    let SdkError::ServiceError(service) = &err else { panic!("{err:?}") };
    assert!(matches!(service.err(), CopySnapshotError::Unhandled(_)));
    assert_eq!((err.attempts(), service.raw().status().as_u16()), (3, 500));
    let err = client.describe_cache_parameters().cache_parameter_group_name("default.redis7").send().await.unwrap_err();
    assert_eq!(err.as_service_error().map(|e| e.meta().status()), Some(500), "{err:?}");
    verify_signatures("unimplemented_operations_are_unhandled_errors_after_retries", &proxy);
}

#[test]
fn blocking_client_flow() {
    let proxy = proxy();
    let client = elasticache::blocking::Client::from_conf(config(&proxy));
    let cluster = name("bc");
    let snapshot = name("bs");
    let created = client
        .create_cache_cluster()
        .cache_cluster_id(&cluster)
        .engine("redis")
        .cache_node_type("cache.t3.micro")
        .num_cache_nodes(1)
        .send()
        .unwrap();
    assert_eq!(created.cache_cluster().and_then(|c| c.cache_cluster_id()), Some(cluster.as_str()));
    let described = client.describe_cache_clusters().cache_cluster_id(&cluster).send().unwrap();
    assert_eq!(described.cache_clusters().len(), 1);
    assert_eq!(described.cache_clusters()[0].cache_cluster_status(), Some("available"));
    client.create_snapshot().snapshot_name(&snapshot).cache_cluster_id(&cluster).send().unwrap();
    let snaps = client.describe_snapshots().snapshot_name(&snapshot).send().unwrap();
    assert_eq!(snaps.snapshots()[0].snapshot_name(), Some(snapshot.as_str()));
    client.delete_snapshot().snapshot_name(&snapshot).send().unwrap();
    let err = client.describe_snapshots().snapshot_name(&snapshot).send().unwrap_err();
    assert!(err.as_service_error().is_some_and(DescribeSnapshotsError::is_snapshot_not_found_fault), "{err:?}");
    let err = client.copy_snapshot().source_snapshot_name("a").target_snapshot_name("b").send().unwrap_err();
    assert_eq!((err.attempts(), err.as_service_error().map(|e| e.meta().status())), (3, Some(500)), "{err}");
    let gone = client.delete_cache_cluster().cache_cluster_id(&cluster).send().unwrap();
    assert_eq!(gone.cache_cluster().and_then(|c| c.cache_cluster_status()), Some("deleting"));
    verify_signatures("blocking_client_flow", &proxy);
}

#[tokio::test]
async fn blocking_client_refuses_to_run_inside_async_code() {
    let proxy = proxy();
    let client = elasticache::blocking::Client::from_conf(config(&proxy));
    let err = client.describe_snapshots().send().unwrap_err();
    assert!(err.to_string().contains("called from async code"), "{err}");
}

/// 45 clusters through the `describe_cache_clusters` paginator, 20 a page: every one, once.
#[tokio::test]
async fn paginator_lists_every_cluster_once() {
    let proxy = proxy();
    let client = elasticache::Client::from_conf(config(&proxy));
    let prefix = name("page");
    for i in 0..45 {
        client
            .create_cache_cluster()
            .cache_cluster_id(format!("{prefix}-{i:02}"))
            .engine("redis")
            .cache_node_type("cache.t3.micro")
            .num_cache_nodes(1)
            .send()
            .await
            .unwrap();
    }
    let mut pages = client.describe_cache_clusters().into_paginator().page_size(20).send();
    let mut seen = std::collections::BTreeMap::new();
    let mut page_count = 0;
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        assert!(page.cache_clusters().len() <= 20, "a page holds at most MaxRecords clusters");
        page_count += 1;
        for c in page.cache_clusters() {
            let id = c.cache_cluster_id().unwrap().to_owned();
            if id.starts_with(&prefix) {
                *seen.entry(id).or_insert(0) += 1;
            }
        }
    }
    assert_eq!(seen.len(), 45, "{seen:?}");
    assert!(seen.values().all(|n| *n == 1), "a cluster was listed twice: {seen:?}");
    assert!(page_count >= 3, "45 clusters at 20 a page take at least 3 pages, got {page_count}");
    for i in 0..45 {
        client.delete_cache_cluster().cache_cluster_id(format!("{prefix}-{i:02}")).send().await.unwrap();
    }
    verify_signatures("paginator_lists_every_cluster_once", &proxy);
}

#[tokio::test]
async fn waiters_against_moto() {
    let proxy = proxy();
    use elasticache::client::Waiters;
    use elasticache::waiters::cache_cluster_deleted::WaitUntilCacheClusterDeletedError;
    let client = elasticache::Client::from_conf(config(&proxy));
    let cluster = name("w");
    client
        .create_cache_cluster()
        .cache_cluster_id(&cluster)
        .engine("redis")
        .cache_node_type("cache.t3.micro")
        .num_cache_nodes(1)
        .send()
        .await
        .unwrap();
    let available = client
        .wait_until_cache_cluster_available()
        .cache_cluster_id(&cluster)
        .min_delay(Duration::from_millis(100))
        .wait(Duration::from_secs(30))
        .await
        .unwrap();
    let clusters = available.as_result().unwrap().cache_clusters();
    assert_eq!(clusters[0].cache_cluster_status(), Some("available"));

    // moto leaves a deleted cluster `deleting` for ever: no acceptor matches, and the wait
    // must end in a timeout within its maximum wait.
    client.delete_cache_cluster().cache_cluster_id(&cluster).send().await.unwrap();
    let started = std::time::Instant::now();
    let err = client
        .wait_until_cache_cluster_deleted()
        .cache_cluster_id(&cluster)
        .min_delay(Duration::from_millis(200))
        .max_delay(Duration::from_millis(400))
        .wait(Duration::from_secs(2))
        .await
        .unwrap_err();
    // Generous: this shows the wait ends (does not hang), it does not measure speed.
    assert!(started.elapsed() <= Duration::from_secs(2 + 3), "the wait overran: {:?}", started.elapsed());
    assert!(matches!(err, WaitUntilCacheClusterDeletedError::ExceededMaxWait(_)), "{err:?}");
    assert!(err.to_string().contains("deleting"), "{err}");

    // A missing cluster: `CacheClusterDeleted` expects `CacheClusterNotFound` (success);
    // `CacheClusterAvailable` expects no error, so the error ends the wait.
    let deleted = client.wait_until_cache_cluster_deleted().cache_cluster_id("never-existed").wait(Duration::from_secs(10)).await;
    assert!(deleted.is_ok(), "{deleted:?}");
    let err = client
        .wait_until_cache_cluster_available()
        .cache_cluster_id("never-existed")
        .wait(Duration::from_secs(10))
        .await
        .unwrap_err();
    assert!(matches!(&err, aws_query_runtime::waiter::WaiterError::OperationFailed(f) if f.poll_count() == 1), "{err:?}");
    verify_signatures("waiters_against_moto", &proxy);
}

#[test]
fn blocking_paginator_and_waiter() {
    let proxy = proxy();
    use elasticache::blocking::Waiters;
    let client = elasticache::blocking::Client::from_conf(config(&proxy));
    let cluster = name("bw");
    client.create_cache_cluster().cache_cluster_id(&cluster).engine("redis").cache_node_type("cache.t3.micro").num_cache_nodes(1).send().unwrap();
    client.wait_until_cache_cluster_available().cache_cluster_id(&cluster).min_delay(Duration::from_millis(50)).wait(Duration::from_secs(30)).unwrap();
    let ids: Vec<String> = client
        .describe_cache_clusters()
        .into_paginator()
        .page_size(20)
        .items()
        .send()
        .map(|c| c.unwrap().cache_cluster_id.unwrap())
        .collect();
    assert_eq!(ids.iter().filter(|id| **id == cluster).count(), 1);
    client.delete_cache_cluster().cache_cluster_id(&cluster).send().unwrap();
    verify_signatures("blocking_paginator_and_waiter", &proxy);
}

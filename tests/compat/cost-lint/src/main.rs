//! A cost linter: flags clusters on previous-generation node types, idle-looking clusters, and
//! serverless caches without usage limits (unbounded cost) or with oversized ones.
//!
//! usage: cost-lint [--max-storage-gb N]

use aws_sdk_elasticache::types::{CacheCluster, DataStorageUnit, ServerlessCache};
use aws_sdk_elasticache::Client;

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Finding {
    PreviousGeneration { cluster: String, node_type: String },
    SingleNodeNoReplication { cluster: String },
    ServerlessUnbounded { cache: String },
    ServerlessStorageAbove { cache: String, gb: i32 },
}

const PREVIOUS_GENERATION: [&str; 6] = ["cache.t1.", "cache.m1.", "cache.m3.", "cache.m4.", "cache.r3.", "cache.t2."];

pub fn lint_cluster(c: &CacheCluster) -> Vec<Finding> {
    let mut out = Vec::new();
    let id = c.cache_cluster_id().unwrap_or("?").to_owned();
    if let Some(node_type) = c.cache_node_type() {
        if PREVIOUS_GENERATION.iter().any(|p| node_type.starts_with(p)) {
            out.push(Finding::PreviousGeneration { cluster: id.clone(), node_type: node_type.to_owned() });
        }
    }
    if c.engine() == Some("redis") && c.replication_group_id().is_none() && c.cache_nodes().len() == 1 {
        out.push(Finding::SingleNodeNoReplication { cluster: id });
    }
    out
}

pub fn lint_serverless(s: &ServerlessCache, max_storage_gb: i32) -> Vec<Finding> {
    let name = s.serverless_cache_name().unwrap_or("?").to_owned();
    let Some(limits) = s.cache_usage_limits() else {
        return vec![Finding::ServerlessUnbounded { cache: name }];
    };
    match limits.data_storage() {
        None => vec![Finding::ServerlessUnbounded { cache: name }],
        Some(storage) => match (storage.maximum(), storage.unit()) {
            (Some(gb), Some(DataStorageUnit::Gb)) if gb > max_storage_gb => vec![Finding::ServerlessStorageAbove { cache: name, gb }],
            (None, _) => vec![Finding::ServerlessUnbounded { cache: name }],
            _ => Vec::new(),
        },
    }
}

pub async fn lint(client: &Client, max_storage_gb: i32) -> anyhow::Result<Vec<Finding>> {
    let clusters = client
        .describe_cache_clusters()
        .show_cache_node_info(true)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await?;
    let caches = client.describe_serverless_caches().into_paginator().items().send().try_collect().await?;
    let mut findings: Vec<Finding> = clusters.iter().flat_map(lint_cluster).collect();
    findings.extend(caches.iter().flat_map(|s| lint_serverless(s, max_storage_gb)));
    findings.sort();
    Ok(findings)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let max = match args.iter().position(|a| a == "--max-storage-gb") {
        Some(i) => args.get(i + 1).ok_or_else(|| anyhow::anyhow!("--max-storage-gb needs a value"))?.parse()?,
        None => 100,
    };
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .region(aws_sdk_elasticache::config::Region::new("us-west-2"))
        .build();
    let findings = lint(&Client::from_conf(config), max).await?;
    for f in &findings {
        println!("{f:?}");
    }
    if !findings.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::operation::describe_cache_clusters::DescribeCacheClustersOutput;
    use aws_sdk_elasticache::operation::describe_serverless_caches::{DescribeServerlessCachesError, DescribeServerlessCachesOutput};
    use aws_sdk_elasticache::types::error::ServerlessCacheNotFoundFault;
    use aws_sdk_elasticache::types::{CacheNode, CacheUsageLimits, DataStorage, EcpuPerSecond};
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    fn cluster(id: &str, node_type: &str, nodes: usize, group: Option<&str>) -> CacheCluster {
        let mut b = CacheCluster::builder().cache_cluster_id(id).cache_node_type(node_type).engine("redis").set_replication_group_id(group.map(str::to_owned));
        for n in 0..nodes {
            b = b.cache_nodes(CacheNode::builder().cache_node_id(format!("{n:04}")).cache_node_status("available").build());
        }
        b.build()
    }

    fn serverless(name: &str, limits: Option<CacheUsageLimits>) -> ServerlessCache {
        ServerlessCache::builder().serverless_cache_name(name).status("available").set_cache_usage_limits(limits).build()
    }

    fn storage(gb: i32) -> CacheUsageLimits {
        CacheUsageLimits::builder()
            .data_storage(DataStorage::builder().maximum(gb).unit(DataStorageUnit::Gb).build())
            .ecpu_per_second(EcpuPerSecond::builder().maximum(5000).build())
            .build()
    }

    #[test]
    fn single_cluster_rules() {
        assert_eq!(
            lint_cluster(&cluster("old", "cache.m4.large", 2, Some("g"))),
            vec![Finding::PreviousGeneration { cluster: "old".into(), node_type: "cache.m4.large".into() }]
        );
        assert_eq!(lint_cluster(&cluster("lonely", "cache.r7g.large", 1, None)), vec![Finding::SingleNodeNoReplication { cluster: "lonely".into() }]);
        assert!(lint_cluster(&cluster("fine", "cache.r7g.large", 1, Some("g"))).is_empty());
    }

    #[test]
    fn serverless_rules() {
        assert_eq!(lint_serverless(&serverless("open", None), 100), vec![Finding::ServerlessUnbounded { cache: "open".into() }]);
        assert_eq!(lint_serverless(&serverless("big", Some(storage(500))), 100), vec![Finding::ServerlessStorageAbove { cache: "big".into(), gb: 500 }]);
        assert!(lint_serverless(&serverless("ok", Some(storage(50))), 100).is_empty());
    }

    #[tokio::test]
    async fn lints_clusters_and_serverless_caches() {
        let clusters = mock!(Client::describe_cache_clusters)
            .match_requests(|req| req.show_cache_node_info() == Some(true))
            .then_output(|| {
                DescribeCacheClustersOutput::builder()
                    .cache_clusters(cluster("old", "cache.t2.micro", 2, Some("g1")))
                    .cache_clusters(cluster("fine", "cache.r7g.large", 2, Some("g2")))
                    .build()
            });
        let caches = mock!(Client::describe_serverless_caches).then_output(|| {
            DescribeServerlessCachesOutput::builder()
                .serverless_caches(serverless("sessions", None))
                .serverless_caches(serverless("catalog", Some(storage(20))))
                .build()
        });
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&clusters, &caches]);

        let findings = lint(&client, 100).await.unwrap();
        assert_eq!(
            findings,
            vec![
                Finding::PreviousGeneration { cluster: "old".into(), node_type: "cache.t2.micro".into() },
                Finding::ServerlessUnbounded { cache: "sessions".into() },
            ]
        );
    }

    #[tokio::test]
    async fn a_failing_listing_fails_the_lint() {
        let clusters = mock!(Client::describe_cache_clusters).then_output(|| DescribeCacheClustersOutput::builder().build());
        let caches = mock!(Client::describe_serverless_caches).then_error(|| {
            DescribeServerlessCachesError::ServerlessCacheNotFoundFault(ServerlessCacheNotFoundFault::builder().message("gone").build())
        });
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&clusters, &caches]);
        let err = lint(&client, 100).await.unwrap_err();
        let sdk = err
            .downcast_ref::<aws_sdk_elasticache::error::SdkError<DescribeServerlessCachesError>>()
            .expect("the serverless listing's error");
        assert!(sdk.as_service_error().is_some_and(|e| e.is_serverless_cache_not_found_fault()));
    }
}

//! Smoke tests for a local ElastiCache emulator: creates a cluster and a parameter group,
//! reads them back, deletes them, and logs each call's request id.
//!
//! usage: emulator-smoke <endpoint-url>   (e.g. http://127.0.0.1:5000)

use aws_sdk_elasticache::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_elasticache::operation::RequestId;
use aws_sdk_elasticache::{Client, Config};

pub fn emulator_client(endpoint: &str) -> Client {
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "emulator"))
        .endpoint_url(endpoint)
        .build();
    Client::from_conf(config)
}

#[derive(Debug, Default)]
pub struct Log {
    pub steps: Vec<String>,
}

impl Log {
    fn step(&mut self, what: &str, request_id: Option<&str>) {
        self.steps.push(format!("{what} [{}]", request_id.unwrap_or("-")));
    }
}

pub async fn smoke(client: &Client, name: &str) -> Result<Log, Box<dyn std::error::Error + Send + Sync>> {
    let mut log = Log::default();

    let group = client
        .create_cache_parameter_group()
        .cache_parameter_group_name(format!("{name}-params"))
        .cache_parameter_group_family("redis7")
        .description("smoke test")
        .send()
        .await?;
    log.step("create parameter group", group.request_id());

    let created = client
        .create_cache_cluster()
        .cache_cluster_id(name)
        .engine("redis")
        .cache_node_type("cache.t3.micro")
        .num_cache_nodes(1)
        .cache_parameter_group_name(format!("{name}-params"))
        .send()
        .await?;
    log.step("create cluster", created.request_id());
    let status = created.cache_cluster().and_then(|c| c.cache_cluster_status()).unwrap_or_default();
    if status != "creating" && status != "available" {
        return Err(format!("unexpected status {status:?}").into());
    }

    let described = client.describe_cache_clusters().cache_cluster_id(name).show_cache_node_info(true).send().await?;
    log.step("describe cluster", described.request_id());
    let found = described.cache_clusters().iter().any(|c| c.cache_cluster_id() == Some(name));
    if !found {
        return Err(format!("cluster {name} not listed").into());
    }

    let deleted = client.delete_cache_cluster().cache_cluster_id(name).send().await?;
    log.step("delete cluster", deleted.request_id());
    let dropped = client.delete_cache_parameter_group().cache_parameter_group_name(format!("{name}-params")).send().await?;
    log.step("delete parameter group", dropped.request_id());
    Ok(log)
}

#[tokio::main]
async fn main() {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:5000".to_owned());
    let client = emulator_client(&endpoint);
    match smoke(&client, "smoke-1").await {
        Ok(log) => log.steps.iter().for_each(|s| println!("ok: {s}")),
        Err(e) => {
            eprintln!("smoke test failed: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::error::SdkError;
    use aws_sdk_elasticache::operation::create_cache_cluster::{CreateCacheClusterError, CreateCacheClusterOutput};
    use aws_sdk_elasticache::operation::create_cache_parameter_group::CreateCacheParameterGroupOutput;
    use aws_sdk_elasticache::operation::delete_cache_cluster::DeleteCacheClusterOutput;
    use aws_sdk_elasticache::operation::delete_cache_parameter_group::DeleteCacheParameterGroupOutput;
    use aws_sdk_elasticache::operation::describe_cache_clusters::DescribeCacheClustersOutput;
    use aws_sdk_elasticache::types::error::InsufficientCacheClusterCapacityFault;
    use aws_sdk_elasticache::types::{CacheCluster, CacheParameterGroup};
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    fn cluster(status: &str) -> CacheCluster {
        CacheCluster::builder().cache_cluster_id("smoke-1").cache_cluster_status(status).num_cache_nodes(1).build()
    }

    #[test]
    fn the_client_points_at_the_emulator() {
        let client = emulator_client("http://127.0.0.1:5000");
        assert_eq!(client.config().region().map(|r| r.as_ref()), Some("us-east-1"));
    }

    #[tokio::test]
    async fn runs_every_step_in_order() {
        let create_group = mock!(Client::create_cache_parameter_group)
            .match_requests(|req| req.cache_parameter_group_name() == Some("smoke-1-params") && req.cache_parameter_group_family() == Some("redis7"))
            .then_output(|| {
                CreateCacheParameterGroupOutput::builder()
                    .cache_parameter_group(CacheParameterGroup::builder().cache_parameter_group_name("smoke-1-params").build())
                    .build()
            });
        let create = mock!(Client::create_cache_cluster)
            .match_requests(|req| req.num_cache_nodes() == Some(1) && req.engine() == Some("redis"))
            .then_output(|| CreateCacheClusterOutput::builder().cache_cluster(cluster("creating")).build());
        let describe = mock!(Client::describe_cache_clusters)
            .match_requests(|req| req.show_cache_node_info() == Some(true))
            .then_output(|| DescribeCacheClustersOutput::builder().cache_clusters(cluster("available")).build());
        let delete = mock!(Client::delete_cache_cluster)
            .then_output(|| DeleteCacheClusterOutput::builder().cache_cluster(cluster("deleting")).build());
        let drop_group = mock!(Client::delete_cache_parameter_group).then_output(|| DeleteCacheParameterGroupOutput::builder().build());
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&create_group, &create, &describe, &delete, &drop_group]);

        let log = smoke(&client, "smoke-1").await.unwrap();
        // Modeled outputs from the mocks carry no request id.
        assert_eq!(
            log.steps,
            ["create parameter group [-]", "create cluster [-]", "describe cluster [-]", "delete cluster [-]", "delete parameter group [-]"]
        );
        for rule in [&create_group, &create, &describe, &delete, &drop_group] {
            assert_eq!(rule.num_calls(), 1);
        }
    }

    #[tokio::test]
    async fn stops_at_the_first_failure() {
        let create_group = mock!(Client::create_cache_parameter_group).then_output(|| CreateCacheParameterGroupOutput::builder().build());
        let create = mock!(Client::create_cache_cluster).then_error(|| {
            CreateCacheClusterError::InsufficientCacheClusterCapacityFault(InsufficientCacheClusterCapacityFault::builder().message("no capacity").build())
        });
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&create_group, &create]);
        let err = smoke(&client, "smoke-1").await.unwrap_err();
        let err = err.downcast_ref::<SdkError<CreateCacheClusterError>>().expect("the create call's error");
        assert!(err.as_service_error().is_some_and(|e| e.is_insufficient_cache_cluster_capacity_fault()), "{err:?}");
        assert_eq!(create.num_calls(), 1);
    }

    #[tokio::test]
    async fn responses_parse_from_the_wire() {
        let xml = r#"<CreateCacheParameterGroupResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <CreateCacheParameterGroupResult>
    <CacheParameterGroup>
      <CacheParameterGroupName>smoke-1-params</CacheParameterGroupName>
      <CacheParameterGroupFamily>redis7</CacheParameterGroupFamily>
      <Description>smoke test</Description>
    </CacheParameterGroup>
  </CreateCacheParameterGroupResult>
  <ResponseMetadata><RequestId>d0e0c0a0-1111-4222-8333-444455556666</RequestId></ResponseMetadata>
</CreateCacheParameterGroupResponse>"#;
        let create_group = mock!(Client::create_cache_parameter_group).sequence().http_status(200, Some(xml.to_owned())).build();
        let client = mock_client!(aws_sdk_elasticache, [&create_group]);
        let out = client
            .create_cache_parameter_group()
            .cache_parameter_group_name("smoke-1-params")
            .cache_parameter_group_family("redis7")
            .description("smoke test")
            .send()
            .await
            .unwrap();
        assert_eq!(out.cache_parameter_group().and_then(|g| g.cache_parameter_group_family()), Some("redis7"));
    }
}

//! Deploys a replication group from a spec and waits until it is available, with the SDK's
//! waiter; on failure says whether it timed out, ended in a failure state, or could not poll.
//!
//! usage: deploy-wait <group-id> <node-type> <replicas>

use aws_sdk_elasticache::client::Waiters;
use aws_sdk_elasticache::error::SdkError;
use aws_sdk_elasticache::operation::create_replication_group::{CreateReplicationGroupError, CreateReplicationGroupOutput};
use aws_sdk_elasticache::types::{NodeGroupConfiguration, Tag};
use aws_sdk_elasticache::waiters::replication_group_available::WaitUntilReplicationGroupAvailableError;
use aws_sdk_elasticache::Client;
use std::time::Duration;

pub struct Spec {
    pub id: String,
    pub node_type: String,
    pub replicas: i32,
    pub azs: Vec<String>,
    pub team: String,
}

#[derive(Debug, PartialEq)]
pub enum WaitOutcome {
    Available { endpoint: Option<String> },
    TimedOut,
    Failed(String),
    PollError(String),
}

pub async fn create(client: &Client, spec: &Spec) -> Result<CreateReplicationGroupOutput, SdkError<CreateReplicationGroupError>> {
    client
        .create_replication_group()
        .replication_group_id(&spec.id)
        .replication_group_description(format!("{} cache", spec.team))
        .engine("redis")
        .cache_node_type(&spec.node_type)
        .num_cache_clusters(spec.replicas + 1)
        .set_preferred_cache_cluster_azs(Some(spec.azs.clone()))
        .automatic_failover_enabled(spec.replicas > 0)
        .multi_az_enabled(spec.replicas > 0)
        .transit_encryption_enabled(true)
        .at_rest_encryption_enabled(true)
        .node_group_configuration(NodeGroupConfiguration::builder().node_group_id("0001").replica_count(spec.replicas).build())
        .tags(Tag::builder().key("team").value(&spec.team).build())
        .send()
        .await
}

pub async fn wait_available(client: &Client, id: &str, max: Duration) -> WaitOutcome {
    let result = client.wait_until_replication_group_available().replication_group_id(id).wait(max).await;
    match result {
        Ok(final_poll) => {
            let out = final_poll.as_result().ok();
            let endpoint = out
                .and_then(|o| o.replication_groups().first())
                .and_then(|g| g.node_groups().first())
                .and_then(|n| n.primary_endpoint())
                .and_then(|e| e.address())
                .map(str::to_owned);
            WaitOutcome::Available { endpoint }
        }
        Err(WaitUntilReplicationGroupAvailableError::ExceededMaxWait(_)) => WaitOutcome::TimedOut,
        Err(WaitUntilReplicationGroupAvailableError::FailureState(state)) => {
            let status = match state.final_poll().as_result() {
                Ok(out) => out.replication_groups().first().and_then(|g| g.status()).unwrap_or("?").to_owned(),
                Err(e) => format!("error: {e}"),
            };
            WaitOutcome::Failed(status)
        }
        Err(WaitUntilReplicationGroupAvailableError::OperationFailed(failed)) => WaitOutcome::PollError(format!("{:?}", failed.error())),
        Err(other) => WaitOutcome::PollError(other.to_string()),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        return Err("usage: deploy-wait <group-id> <node-type> <replicas>".into());
    }
    let spec = Spec {
        id: args[0].clone(),
        node_type: args[1].clone(),
        replicas: args[2].parse()?,
        azs: vec!["us-east-1a".into(), "us-east-1b".into()],
        team: std::env::var("TEAM").unwrap_or_else(|_| "platform".into()),
    };
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .region(aws_sdk_elasticache::config::Region::new("us-east-1"))
        .build();
    let client = Client::from_conf(config);
    create(&client, &spec).await?;
    println!("{:?}", wait_available(&client, &spec.id, Duration::from_secs(3600)).await);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::operation::describe_replication_groups::{DescribeReplicationGroupsError, DescribeReplicationGroupsOutput};
    use aws_sdk_elasticache::types::error::ReplicationGroupAlreadyExistsFault;
    use aws_sdk_elasticache::types::{Endpoint, NodeGroup, ReplicationGroup};
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    fn spec() -> Spec {
        Spec { id: "orders".into(), node_type: "cache.r7g.large".into(), replicas: 1, azs: vec!["us-east-1a".into(), "us-east-1b".into()], team: "orders".into() }
    }

    fn status(s: &str) -> DescribeReplicationGroupsOutput {
        let group = ReplicationGroup::builder().replication_group_id("orders").status(s).node_groups(
            NodeGroup::builder().node_group_id("0001").primary_endpoint(Endpoint::builder().address("orders.abc.cache.amazonaws.com").port(6379).build()).build(),
        );
        DescribeReplicationGroupsOutput::builder().replication_groups(group.build()).build()
    }

    #[tokio::test]
    async fn create_sends_the_spec() {
        let rule = mock!(Client::create_replication_group)
            .match_requests(|req| {
                req.num_cache_clusters() == Some(2)
                    && req.preferred_cache_cluster_azs() == ["us-east-1a".to_owned(), "us-east-1b".to_owned()]
                    && req.automatic_failover_enabled() == Some(true)
                    && req.node_group_configuration().first().and_then(|n| n.replica_count()) == Some(1)
                    && req.tags().first().and_then(|t| t.value()) == Some("orders")
            })
            .then_output(|| CreateReplicationGroupOutput::builder().replication_group(ReplicationGroup::builder().status("creating").build()).build());
        let client = mock_client!(aws_sdk_elasticache, [&rule]);
        let out = create(&client, &spec()).await.unwrap();
        assert_eq!(out.replication_group().and_then(|g| g.status()), Some("creating"));
    }

    #[tokio::test]
    async fn create_conflicts_are_typed() {
        let rule = mock!(Client::create_replication_group).then_error(|| {
            CreateReplicationGroupError::ReplicationGroupAlreadyExistsFault(ReplicationGroupAlreadyExistsFault::builder().message("exists").build())
        });
        let client = mock_client!(aws_sdk_elasticache, [&rule]);
        let err = create(&client, &spec()).await.unwrap_err();
        assert!(err.into_service_error().is_replication_group_already_exists_fault());
    }

    #[tokio::test(start_paused = true)]
    async fn waits_through_creating_until_available() {
        let polls = mock!(Client::describe_replication_groups)
            .match_requests(|req| req.replication_group_id() == Some("orders"))
            .sequence()
            .output(|| status("creating"))
            .times(2)
            .output(|| status("available"))
            .build();
        let client = mock_client!(aws_sdk_elasticache, RuleMode::MatchAny, [&polls]);
        let outcome = wait_available(&client, "orders", Duration::from_secs(3600)).await;
        assert_eq!(outcome, WaitOutcome::Available { endpoint: Some("orders.abc.cache.amazonaws.com".into()) });
        assert_eq!(polls.num_calls(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_deleted_group_is_a_failure_state() {
        let polls = mock!(Client::describe_replication_groups).sequence().output(|| status("creating")).output(|| status("deleted")).build();
        let client = mock_client!(aws_sdk_elasticache, RuleMode::MatchAny, [&polls]);
        let outcome = wait_available(&client, "orders", Duration::from_secs(3600)).await;
        assert_eq!(outcome, WaitOutcome::Failed("deleted".into()));
    }

    #[tokio::test(start_paused = true)]
    async fn a_missing_group_stops_the_waiter() {
        let polls = mock!(Client::describe_replication_groups).then_error(|| {
            DescribeReplicationGroupsError::ReplicationGroupNotFoundFault(
                aws_sdk_elasticache::types::error::ReplicationGroupNotFoundFault::builder().message("no such group").build(),
            )
        });
        let client = mock_client!(aws_sdk_elasticache, RuleMode::MatchAny, [&polls]);
        let outcome = wait_available(&client, "orders", Duration::from_secs(3600)).await;
        // No acceptor of the waiter matches this error: the waiter stops with it.
        assert!(matches!(outcome, WaitOutcome::PollError(ref s) if s.contains("ReplicationGroupNotFoundFault")), "{outcome:?}");
    }
}

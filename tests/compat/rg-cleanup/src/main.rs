//! Cleans up stale test environments: pages through every replication group, picks those whose
//! id starts with a prefix and that are older than a number of hours, and deletes them with a
//! final snapshot (or only lists them with `--dry-run`).
//!
//! usage: rg-cleanup <prefix> <max-age-hours> [--dry-run]

use anyhow::Context;
use aws_sdk_elasticache::primitives::DateTime;
use aws_sdk_elasticache::types::ReplicationGroup;
use aws_sdk_elasticache::Client;
use std::time::{Duration, SystemTime};

pub struct Plan {
    pub prefix: String,
    pub max_age: Duration,
    pub dry_run: bool,
}

/// Whether `group` is stale at `now`: its id has the prefix, it is `available` (not already
/// being deleted or changed), and it was created before `now - max_age`.
pub fn is_stale(group: &ReplicationGroup, plan: &Plan, now: SystemTime) -> bool {
    let created = match group.replication_group_create_time() {
        Some(t) => SystemTime::try_from(*t).unwrap_or(now),
        None => return false,
    };
    group.replication_group_id().is_some_and(|id| id.starts_with(&plan.prefix))
        && group.status() == Some("available")
        && now.duration_since(created).unwrap_or_default() > plan.max_age
}

pub async fn stale_groups(client: &Client, plan: &Plan, now: SystemTime) -> anyhow::Result<Vec<String>> {
    let pages: Vec<_> = client
        .describe_replication_groups()
        .into_paginator()
        .page_size(20)
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .context("listing replication groups")?;
    Ok(pages
        .iter()
        .flat_map(|page| page.replication_groups())
        .filter(|g| is_stale(g, plan, now))
        .filter_map(|g| g.replication_group_id().map(str::to_owned))
        .collect())
}

pub async fn cleanup(client: &Client, plan: &Plan, now: SystemTime) -> anyhow::Result<Vec<String>> {
    let stale = stale_groups(client, plan, now).await?;
    if plan.dry_run {
        return Ok(stale);
    }
    let mut deleted = Vec::new();
    for id in stale {
        let out = client
            .delete_replication_group()
            .replication_group_id(&id)
            .retain_primary_cluster(false)
            .final_snapshot_identifier(format!("{id}-final"))
            .send()
            .await
            .with_context(|| format!("deleting {id}"))?;
        let status = out.replication_group().and_then(|g| g.status()).unwrap_or("?");
        println!("{id}: {status}");
        deleted.push(id);
    }
    Ok(deleted)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let prefix = args.first().context("usage: rg-cleanup <prefix> <max-age-hours> [--dry-run]")?.clone();
    let hours: u64 = args.get(1).context("missing max-age-hours")?.parse()?;
    let plan = Plan { prefix, max_age: Duration::from_secs(hours * 3600), dry_run: args.iter().any(|a| a == "--dry-run") };
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .region(aws_sdk_elasticache::config::Region::new(std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into())))
        .build();
    let client = Client::from_conf(config);
    let done = cleanup(&client, &plan, SystemTime::now()).await?;
    println!("{} group(s) {}", done.len(), if plan.dry_run { "would be deleted" } else { "deleted" });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::operation::delete_replication_group::{DeleteReplicationGroupError, DeleteReplicationGroupOutput};
    use aws_sdk_elasticache::operation::describe_replication_groups::DescribeReplicationGroupsOutput;
    use aws_sdk_elasticache::types::error::InvalidReplicationGroupStateFault;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    const NOW: i64 = 1_700_000_000;

    fn group(id: &str, status: &str, age_hours: i64) -> ReplicationGroup {
        ReplicationGroup::builder()
            .replication_group_id(id)
            .status(status)
            .replication_group_create_time(DateTime::from_secs(NOW - age_hours * 3600))
            .build()
    }

    fn plan(dry_run: bool) -> Plan {
        Plan { prefix: "ci-".into(), max_age: Duration::from_secs(24 * 3600), dry_run }
    }

    fn now() -> SystemTime {
        SystemTime::try_from(DateTime::from_secs(NOW)).unwrap()
    }

    #[test]
    fn staleness_needs_prefix_state_and_age() {
        assert!(is_stale(&group("ci-1", "available", 48), &plan(true), now()));
        assert!(!is_stale(&group("ci-2", "available", 2), &plan(true), now()));
        assert!(!is_stale(&group("prod-1", "available", 480), &plan(true), now()));
        assert!(!is_stale(&group("ci-3", "deleting", 48), &plan(true), now()));
        assert!(!is_stale(&ReplicationGroup::builder().replication_group_id("ci-4").build(), &plan(true), now()));
    }

    #[tokio::test]
    async fn dry_run_pages_and_deletes_nothing() {
        let page1 = mock!(Client::describe_replication_groups)
            .match_requests(|req| req.marker().is_none() && req.max_records() == Some(20))
            .then_output(|| {
                DescribeReplicationGroupsOutput::builder()
                    .replication_groups(group("ci-old", "available", 30))
                    .replication_groups(group("prod", "available", 900))
                    .marker("m2")
                    .build()
            });
        let page2 = mock!(Client::describe_replication_groups)
            .match_requests(|req| req.marker() == Some("m2"))
            .then_output(|| DescribeReplicationGroupsOutput::builder().replication_groups(group("ci-older", "available", 90)).build());
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&page1, &page2]);

        let groups = cleanup(&client, &plan(true), now()).await.unwrap();
        assert_eq!(groups, vec!["ci-old".to_owned(), "ci-older".to_owned()]);
        assert_eq!((page1.num_calls(), page2.num_calls()), (1, 1));
    }

    #[tokio::test]
    async fn deletes_with_a_final_snapshot() {
        let list = mock!(Client::describe_replication_groups)
            .then_output(|| DescribeReplicationGroupsOutput::builder().replication_groups(group("ci-old", "available", 30)).build());
        let delete = mock!(Client::delete_replication_group)
            .match_requests(|req| {
                req.replication_group_id() == Some("ci-old")
                    && req.final_snapshot_identifier() == Some("ci-old-final")
                    && req.retain_primary_cluster() == Some(false)
            })
            .then_output(|| {
                DeleteReplicationGroupOutput::builder()
                    .replication_group(ReplicationGroup::builder().replication_group_id("ci-old").status("deleting").build())
                    .build()
            });
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&list, &delete]);

        assert_eq!(cleanup(&client, &plan(false), now()).await.unwrap(), vec!["ci-old".to_owned()]);
        assert_eq!(delete.num_calls(), 1);
    }

    #[tokio::test]
    async fn a_failed_delete_names_the_group() {
        let list = mock!(Client::describe_replication_groups)
            .then_output(|| DescribeReplicationGroupsOutput::builder().replication_groups(group("ci-old", "available", 30)).build());
        let delete = mock!(Client::delete_replication_group).then_error(|| {
            DeleteReplicationGroupError::InvalidReplicationGroupStateFault(
                InvalidReplicationGroupStateFault::builder().message("not available").build(),
            )
        });
        let client = mock_client!(aws_sdk_elasticache, RuleMode::MatchAny, [&list, &delete]);

        let err = cleanup(&client, &plan(false), now()).await.unwrap_err();
        assert_eq!(err.to_string(), "deleting ci-old");
        let source = err.root_cause().to_string();
        assert!(source.contains("not available"), "{source}");
    }
}

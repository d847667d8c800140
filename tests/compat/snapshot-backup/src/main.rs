//! Nightly backup: takes a manual snapshot of every replication group whose id starts with a
//! prefix, skips groups that are not `available`, and prunes manual snapshots older than the
//! retention.
//!
//! usage: snapshot-backup <group-prefix> <retention-days>

use aws_sdk_elasticache::error::SdkError;
use aws_sdk_elasticache::operation::create_snapshot::CreateSnapshotError;
use aws_sdk_elasticache::primitives::{DateTime, DateTimeFormat};
use aws_sdk_elasticache::types::{ReplicationGroup, Snapshot};
use aws_sdk_elasticache::Client;
use std::time::SystemTime;

#[derive(Debug, Default, PartialEq)]
pub struct Report {
    pub created: Vec<String>,
    pub skipped: Vec<String>,
    pub quota_exceeded: Vec<String>,
    pub pruned: Vec<String>,
}

/// Every replication group, all pages.
async fn groups(client: &Client) -> Result<Vec<ReplicationGroup>, aws_sdk_elasticache::Error> {
    let mut pages = client.describe_replication_groups().into_paginator().send();
    let mut groups = Vec::new();
    while let Some(page) = pages.try_next().await? {
        groups.extend(page.replication_groups().iter().cloned());
    }
    Ok(groups)
}

/// The snapshot name for a group on a day: `<group>-backup-<yyyy-mm-dd>`.
pub fn snapshot_name(group: &str, at: DateTime) -> String {
    let stamp = at.fmt(DateTimeFormat::DateTime).unwrap_or_default();
    format!("{group}-backup-{}", &stamp[..10])
}

pub async fn backup(client: &Client, prefix: &str, now: DateTime) -> Result<Report, aws_sdk_elasticache::Error> {
    let mut report = Report::default();
    for group in groups(client).await? {
        let Some(id) = group.replication_group_id() else { continue };
        if !id.starts_with(prefix) {
            continue;
        }
        if group.status() != Some("available") {
            report.skipped.push(id.to_owned());
            continue;
        }
        let name = snapshot_name(id, now);
        match client.create_snapshot().replication_group_id(id).snapshot_name(&name).send().await {
            Ok(out) => {
                let status = out.snapshot().and_then(Snapshot::snapshot_status).unwrap_or("unknown");
                println!("{name}: {status}");
                report.created.push(name);
            }
            Err(SdkError::ServiceError(e)) if matches!(e.err(), CreateSnapshotError::SnapshotQuotaExceededFault(_)) => {
                report.quota_exceeded.push(id.to_owned());
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(report)
}

/// Deletes manual snapshots of groups with `prefix` created more than `days` before `now`.
pub async fn prune(client: &Client, prefix: &str, days: i64, now: DateTime) -> Result<Vec<String>, aws_sdk_elasticache::Error> {
    let cutoff = now.secs() - days * 86_400;
    let snapshots: Vec<Snapshot> = client
        .describe_snapshots()
        .snapshot_source("manual")
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await?;
    let mut pruned = Vec::new();
    for snapshot in snapshots {
        let (Some(name), Some(group)) = (snapshot.snapshot_name(), snapshot.replication_group_id()) else { continue };
        let created = snapshot.node_snapshots().first().and_then(|n| n.snapshot_create_time());
        if group.starts_with(prefix) && created.is_some_and(|t| t.secs() < cutoff) {
            client.delete_snapshot().snapshot_name(name).send().await?;
            pruned.push(name.to_owned());
        }
    }
    Ok(pruned)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let prefix = args.next().ok_or("usage: snapshot-backup <group-prefix> <retention-days>")?;
    let days: i64 = args.next().ok_or("missing retention-days")?.parse()?;
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .region(aws_sdk_elasticache::config::Region::new(std::env::var("AWS_REGION")?))
        .build();
    let client = Client::from_conf(config);
    let now = DateTime::from(SystemTime::now());
    let mut report = backup(&client, &prefix, now).await?;
    report.pruned = prune(&client, &prefix, days, now).await?;
    println!("{report:?}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::operation::create_snapshot::CreateSnapshotOutput;
    use aws_sdk_elasticache::operation::delete_snapshot::DeleteSnapshotOutput;
    use aws_sdk_elasticache::operation::describe_replication_groups::DescribeReplicationGroupsOutput;
    use aws_sdk_elasticache::operation::describe_snapshots::DescribeSnapshotsOutput;
    use aws_sdk_elasticache::types::error::SnapshotQuotaExceededFault;
    use aws_sdk_elasticache::types::NodeSnapshot;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    fn group(id: &str, status: &str) -> ReplicationGroup {
        ReplicationGroup::builder().replication_group_id(id).status(status).build()
    }

    #[test]
    fn names_carry_the_day() {
        let at = DateTime::from_secs(1_700_000_000); // 2023-11-14T22:13:20Z
        assert_eq!(snapshot_name("web", at), "web-backup-2023-11-14");
    }

    #[tokio::test]
    async fn snapshots_available_groups_with_the_prefix() {
        let list = mock!(Client::describe_replication_groups).then_output(|| {
            DescribeReplicationGroupsOutput::builder()
                .replication_groups(group("web-1", "available"))
                .replication_groups(group("web-2", "modifying"))
                .replication_groups(group("batch-1", "available"))
                .build()
        });
        let create = mock!(Client::create_snapshot)
            .match_requests(|req| req.replication_group_id() == Some("web-1") && req.snapshot_name() == Some("web-1-backup-2023-11-14"))
            .then_output(|| {
                CreateSnapshotOutput::builder()
                    .snapshot(Snapshot::builder().snapshot_name("web-1-backup-2023-11-14").snapshot_status("creating").build())
                    .build()
            });
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&list, &create]);

        let report = backup(&client, "web", DateTime::from_secs(1_700_000_000)).await.unwrap();
        assert_eq!(report.created, vec!["web-1-backup-2023-11-14".to_owned()]);
        assert_eq!(report.skipped, vec!["web-2".to_owned()]);
        assert!(report.quota_exceeded.is_empty());
        assert_eq!(create.num_calls(), 1);
    }

    #[tokio::test]
    async fn quota_errors_are_reported_not_fatal() {
        let list = mock!(Client::describe_replication_groups)
            .then_output(|| DescribeReplicationGroupsOutput::builder().replication_groups(group("web-1", "available")).build());
        let create = mock!(Client::create_snapshot)
            .then_error(|| CreateSnapshotError::SnapshotQuotaExceededFault(SnapshotQuotaExceededFault::builder().message("quota").build()));
        let client = mock_client!(aws_sdk_elasticache, [&list, &create]);

        let report = backup(&client, "web", DateTime::from_secs(1_700_000_000)).await.unwrap();
        assert_eq!(report.quota_exceeded, vec!["web-1".to_owned()]);
        assert!(report.created.is_empty());
    }

    #[tokio::test]
    async fn pages_through_every_group() {
        let pages = mock!(Client::describe_replication_groups)
            .sequence()
            .output(|| DescribeReplicationGroupsOutput::builder().replication_groups(group("web-1", "modifying")).marker("page-2").build())
            .output(|| DescribeReplicationGroupsOutput::builder().replication_groups(group("web-2", "snapshotting")).build())
            .build();
        let client = mock_client!(aws_sdk_elasticache, RuleMode::MatchAny, [&pages]);

        let report = backup(&client, "web", DateTime::from_secs(1_700_000_000)).await.unwrap();
        assert_eq!(report.skipped, vec!["web-1".to_owned(), "web-2".to_owned()]);
        assert_eq!(pages.num_calls(), 2);
    }

    #[tokio::test]
    async fn prunes_only_old_snapshots_of_the_prefix() {
        let now = DateTime::from_secs(1_700_000_000);
        let old = DateTime::from_secs(1_700_000_000 - 10 * 86_400);
        let fresh = DateTime::from_secs(1_700_000_000 - 86_400);
        let snapshot = move |name: &str, group: &str, at: DateTime| {
            Snapshot::builder()
                .snapshot_name(name)
                .replication_group_id(group)
                .node_snapshots(NodeSnapshot::builder().snapshot_create_time(at).build())
                .build()
        };
        let list = mock!(Client::describe_snapshots)
            .match_requests(|req| req.snapshot_source() == Some("manual"))
            .then_output(move || {
                DescribeSnapshotsOutput::builder()
                    .snapshots(snapshot("web-old", "web-1", old))
                    .snapshots(snapshot("web-new", "web-1", fresh))
                    .snapshots(snapshot("batch-old", "batch-1", old))
                    .build()
            });
        let delete = mock!(Client::delete_snapshot)
            .match_requests(|req| req.snapshot_name() == Some("web-old"))
            .then_output(|| DeleteSnapshotOutput::builder().build());
        let client = mock_client!(aws_sdk_elasticache, RuleMode::MatchAny, [&list, &delete]);

        let pruned = prune(&client, "web", 7, now).await.unwrap();
        assert_eq!(pruned, vec!["web-old".to_owned()]);
        assert_eq!(delete.num_calls(), 1);
    }
}

//! Tracks self-service updates: lists update actions that are not applied and already missed
//! their recommended apply-by date (`SlaMet::No`), and applies them in one batch (`--apply`).
//!
//! usage: update-tracker [--apply]

use aws_sdk_elasticache::primitives::DateTime;
use aws_sdk_elasticache::types::{ServiceUpdateStatus, SlaMet, TimeRangeFilter, UpdateAction, UpdateActionStatus};
use aws_sdk_elasticache::Client;
use std::collections::BTreeMap;

pub fn overdue(a: &UpdateAction) -> bool {
    let pending = matches!(a.update_action_status(), Some(UpdateActionStatus::NotApplied | UpdateActionStatus::Scheduled) | None);
    pending && a.sla_met() == Some(&SlaMet::No)
}

pub async fn overdue_actions(client: &Client, released_after: DateTime) -> Result<Vec<UpdateAction>, aws_sdk_elasticache::Error> {
    let mut pages = client
        .describe_update_actions()
        .service_update_status(ServiceUpdateStatus::Available)
        .service_update_time_range(TimeRangeFilter::builder().start_time(released_after).build())
        .update_action_status(UpdateActionStatus::NotApplied)
        .update_action_status(UpdateActionStatus::Scheduled)
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(action) = pages.try_next().await? {
        if overdue(&action) {
            out.push(action);
        }
    }
    Ok(out)
}

/// Applies each update to its replication groups; returns the groups that could not be
/// processed with the service's reason.
pub async fn apply(client: &Client, actions: &[UpdateAction]) -> Result<Vec<(String, String)>, aws_sdk_elasticache::Error> {
    let mut by_update: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for a in actions {
        if let (Some(update), Some(group)) = (a.service_update_name(), a.replication_group_id()) {
            by_update.entry(update).or_default().push(group.to_owned());
        }
    }
    let mut failed = Vec::new();
    for (update, groups) in by_update {
        let out = client
            .batch_apply_update_action()
            .service_update_name(update)
            .set_replication_group_ids(Some(groups))
            .send()
            .await?;
        for u in out.unprocessed_update_actions() {
            failed.push((u.replication_group_id().unwrap_or("?").to_owned(), u.error_message().unwrap_or("").to_owned()));
        }
    }
    Ok(failed)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .region(aws_sdk_elasticache::config::Region::new("us-east-1"))
        .build();
    let client = Client::from_conf(config);
    let since = DateTime::from_secs(DateTime::from(std::time::SystemTime::now()).secs() - 180 * 86_400);
    let actions = overdue_actions(&client, since).await?;
    for a in &actions {
        println!("{:?} {:?} due {:?}", a.service_update_name(), a.replication_group_id(), a.service_update_recommended_apply_by_date().map(|d| d.to_string()));
    }
    if std::env::args().any(|a| a == "--apply") {
        for (group, why) in apply(&client, &actions).await? {
            eprintln!("{group}: {why}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::operation::batch_apply_update_action::BatchApplyUpdateActionOutput;
    use aws_sdk_elasticache::operation::describe_update_actions::DescribeUpdateActionsOutput;
    use aws_sdk_elasticache::types::{ProcessedUpdateAction, UnprocessedUpdateAction};
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    fn action(update: &str, group: &str, status: UpdateActionStatus, sla: SlaMet) -> UpdateAction {
        UpdateAction::builder()
            .service_update_name(update)
            .replication_group_id(group)
            .update_action_status(status)
            .sla_met(sla)
            .service_update_recommended_apply_by_date(DateTime::from_secs(1_700_000_000))
            .build()
    }

    #[test]
    fn only_pending_actions_past_their_sla_are_overdue() {
        assert!(overdue(&action("u1", "g1", UpdateActionStatus::NotApplied, SlaMet::No)));
        assert!(!overdue(&action("u1", "g2", UpdateActionStatus::NotApplied, SlaMet::Yes)));
        assert!(!overdue(&action("u1", "g3", UpdateActionStatus::Complete, SlaMet::No)));
        assert!(!overdue(&action("u1", "g4", UpdateActionStatus::NotApplied, SlaMet::Na)));
        assert_eq!(SlaMet::from("n/a"), SlaMet::Na);
        assert_eq!(UpdateActionStatus::WaitingToStart.as_str(), "waiting-to-start");
    }

    #[tokio::test]
    async fn lists_overdue_actions_with_the_filters() {
        let since = DateTime::from_secs(1_690_000_000);
        let rule = mock!(Client::describe_update_actions)
            .match_requests(move |req| {
                req.service_update_status() == [ServiceUpdateStatus::Available]
                    && req.update_action_status() == [UpdateActionStatus::NotApplied, UpdateActionStatus::Scheduled]
                    && req.service_update_time_range().and_then(|r| r.start_time()) == Some(&since)
            })
            .then_output(|| {
                DescribeUpdateActionsOutput::builder()
                    .update_actions(action("u1", "g1", UpdateActionStatus::NotApplied, SlaMet::No))
                    .update_actions(action("u1", "g2", UpdateActionStatus::Scheduled, SlaMet::Yes))
                    .build()
            });
        let client = mock_client!(aws_sdk_elasticache, [&rule]);
        let actions = overdue_actions(&client, since).await.unwrap();
        assert_eq!(actions.len(), 1);
        assert_eq!(actions[0].replication_group_id(), Some("g1"));
    }

    #[tokio::test]
    async fn applies_one_batch_per_update_and_reports_leftovers() {
        let u1 = mock!(Client::batch_apply_update_action)
            .match_requests(|req| req.service_update_name() == Some("u1") && req.replication_group_ids() == ["g1".to_owned(), "g2".to_owned()])
            .then_output(|| {
                BatchApplyUpdateActionOutput::builder()
                    .processed_update_actions(ProcessedUpdateAction::builder().replication_group_id("g1").update_action_status(UpdateActionStatus::Scheduling).build())
                    .unprocessed_update_actions(UnprocessedUpdateAction::builder().replication_group_id("g2").error_message("group is modifying").build())
                    .build()
            });
        let u2 = mock!(Client::batch_apply_update_action)
            .match_requests(|req| req.service_update_name() == Some("u2"))
            .then_output(|| BatchApplyUpdateActionOutput::builder().build());
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&u1, &u2]);
        let actions = [
            action("u1", "g1", UpdateActionStatus::NotApplied, SlaMet::No),
            action("u2", "g3", UpdateActionStatus::NotApplied, SlaMet::No),
            action("u1", "g2", UpdateActionStatus::NotApplied, SlaMet::No),
        ];
        let failed = apply(&client, &actions).await.unwrap();
        assert_eq!(failed, vec![("g2".to_owned(), "group is modifying".to_owned())]);
        assert_eq!((u1.num_calls(), u2.num_calls()), (1, 1));
    }
}

//! Enforces the tagging policy: every resource ARN given must carry `owner` and `cost-center`;
//! missing tags are added from defaults, forbidden ones removed. Calls are marked with a header
//! so that they can be told apart in CloudTrail, and run with a longer timeout.
//!
//! usage: tagger <owner> <cost-center> <arn>...

use aws_sdk_elasticache::config::timeout::TimeoutConfig;
use aws_sdk_elasticache::types::Tag;
use aws_sdk_elasticache::Client;
use std::collections::BTreeMap;
use std::time::Duration;

pub const REQUIRED: [&str; 2] = ["owner", "cost-center"];
pub const FORBIDDEN: [&str; 1] = ["temp"];

#[derive(Debug, Default, PartialEq)]
pub struct Change {
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

pub async fn current_tags(client: &Client, arn: &str) -> Result<BTreeMap<String, String>, aws_sdk_elasticache::Error> {
    let out = client
        .list_tags_for_resource()
        .resource_name(arn)
        .customize()
        .mutate_request(|req| {
            req.headers_mut().insert("x-tagger-run", "1");
        })
        .config_override(aws_sdk_elasticache::Config::builder().timeout_config(TimeoutConfig::builder().operation_timeout(Duration::from_secs(30)).build()))
        .send()
        .await?;
    Ok(out
        .tag_list()
        .iter()
        .filter_map(|t| Some((t.key()?.to_owned(), t.value().unwrap_or_default().to_owned())))
        .collect())
}

pub async fn enforce(client: &Client, arn: &str, defaults: &BTreeMap<&str, &str>) -> Result<Change, aws_sdk_elasticache::Error> {
    let tags = current_tags(client, arn).await?;
    let mut change = Change::default();
    let missing: Vec<Tag> = REQUIRED
        .iter()
        .filter(|k| !tags.contains_key(**k))
        .filter_map(|k| Some(Tag::builder().key(*k).value(*defaults.get(k)?).build()))
        .collect();
    if !missing.is_empty() {
        change.added = missing.iter().filter_map(|t| t.key().map(str::to_owned)).collect();
        client.add_tags_to_resource().resource_name(arn).set_tags(Some(missing)).send().await?;
    }
    let forbidden: Vec<String> = FORBIDDEN.iter().filter(|k| tags.contains_key(**k)).map(|k| k.to_string()).collect();
    if !forbidden.is_empty() {
        let mut remove = client.remove_tags_from_resource().resource_name(arn);
        for key in &forbidden {
            remove = remove.tag_keys(key);
        }
        remove.send().await?;
        change.removed = forbidden;
    }
    Ok(change)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        return Err("usage: tagger <owner> <cost-center> <arn>...".into());
    }
    let defaults = BTreeMap::from([("owner", args[0].as_str()), ("cost-center", args[1].as_str())]);
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .region(aws_sdk_elasticache::config::Region::new("us-east-1"))
        .build();
    let client = Client::from_conf(config);
    for arn in &args[2..] {
        println!("{arn}: {:?}", enforce(&client, arn, &defaults).await?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::operation::add_tags_to_resource::AddTagsToResourceOutput;
    use aws_sdk_elasticache::operation::list_tags_for_resource::{ListTagsForResourceError, ListTagsForResourceOutput};
    use aws_sdk_elasticache::operation::remove_tags_from_resource::RemoveTagsFromResourceOutput;
    use aws_sdk_elasticache::types::error::InvalidArnFault;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    const ARN: &str = "arn:aws:elasticache:us-east-1:123456789012:cluster:web-1";

    fn tag(k: &str, v: &str) -> Tag {
        Tag::builder().key(k).value(v).build()
    }

    fn defaults() -> BTreeMap<&'static str, &'static str> {
        BTreeMap::from([("owner", "platform"), ("cost-center", "cc-42")])
    }

    #[tokio::test]
    async fn adds_missing_and_removes_forbidden_tags() {
        let list = mock!(Client::list_tags_for_resource)
            .match_requests(|req| req.resource_name() == Some(ARN))
            .then_output(|| ListTagsForResourceOutput::builder().tag_list(tag("owner", "web")).tag_list(tag("temp", "yes")).build());
        let add = mock!(Client::add_tags_to_resource)
            .match_requests(|req| req.tags() == [tag("cost-center", "cc-42")])
            .then_output(|| AddTagsToResourceOutput::builder().build());
        let remove = mock!(Client::remove_tags_from_resource)
            .match_requests(|req| req.tag_keys() == ["temp".to_owned()])
            .then_output(|| RemoveTagsFromResourceOutput::builder().build());
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&list, &add, &remove]);

        let change = enforce(&client, ARN, &defaults()).await.unwrap();
        assert_eq!(change, Change { added: vec!["cost-center".into()], removed: vec!["temp".into()] });
        assert_eq!((list.num_calls(), add.num_calls(), remove.num_calls()), (1, 1, 1));
    }

    #[tokio::test]
    async fn a_compliant_resource_is_left_alone() {
        let list = mock!(Client::list_tags_for_resource)
            .then_output(|| ListTagsForResourceOutput::builder().tag_list(tag("owner", "web")).tag_list(tag("cost-center", "cc-1")).build());
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&list]);
        assert_eq!(enforce(&client, ARN, &defaults()).await.unwrap(), Change::default());
    }

    #[tokio::test]
    async fn a_bad_arn_is_reported() {
        let list = mock!(Client::list_tags_for_resource)
            .then_error(|| ListTagsForResourceError::InvalidArnFault(InvalidArnFault::builder().message("bad arn").build()));
        let client = mock_client!(aws_sdk_elasticache, [&list]);
        let err = enforce(&client, "arn:nope", &defaults()).await.unwrap_err();
        assert!(matches!(err, aws_sdk_elasticache::Error::InvalidArnFault(_)));
    }
}

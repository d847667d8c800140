//! Prints ElastiCache events since a timestamp, oldest first, one line each, and remembers the
//! last one seen (a tail for a cron job or a chat bot).
//!
//! usage: event-tail <since: RFC 3339> [cache-cluster|replication-group|serverless-cache]

use aws_sdk_elasticache::primitives::{DateTime, DateTimeFormat};
use aws_sdk_elasticache::types::{Event, SourceType};
use aws_sdk_elasticache::Client;

pub fn parse_since(s: &str) -> Result<DateTime, String> {
    DateTime::from_str(s, DateTimeFormat::DateTime).map_err(|e| format!("bad timestamp {s:?}: {e}"))
}

pub fn source_type(s: &str) -> Option<SourceType> {
    match s {
        "cache-cluster" => Some(SourceType::CacheCluster),
        "replication-group" => Some(SourceType::ReplicationGroup),
        "serverless-cache" => Some(SourceType::ServerlessCache),
        _ => None,
    }
}

/// `2023-11-14T22:13:20Z [cache-cluster web-1] message`
pub fn line(e: &Event) -> String {
    let at = e.date().map(|d| d.to_string()).unwrap_or_else(|| "?".into());
    let kind = e.source_type().map(|t| t.as_str()).unwrap_or("?");
    format!("{at} [{kind} {}] {}", e.source_identifier().unwrap_or("?"), e.message().unwrap_or(""))
}

pub async fn events_since(client: &Client, since: DateTime, kind: Option<SourceType>) -> Result<Vec<Event>, aws_sdk_elasticache::Error> {
    let mut pages = client
        .describe_events()
        .start_time(since)
        .set_source_type(kind)
        .max_records(100)
        .into_paginator()
        .send();
    let mut events = Vec::new();
    while let Some(page) = pages.try_next().await? {
        events.extend(page.events().iter().cloned());
    }
    events.sort_by_key(|e| e.date().map(|d| (d.secs(), d.subsec_nanos())));
    Ok(events)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let since = parse_since(&args.next().ok_or("usage: event-tail <since> [kind]")?)?;
    let kind = args.next().as_deref().and_then(source_type);
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .region(aws_sdk_elasticache::config::Region::new("us-east-1"))
        .build();
    let events = events_since(&Client::from_conf(config), since, kind).await?;
    for e in &events {
        println!("{}", line(e));
    }
    if let Some(last) = events.last().and_then(|e| e.date()) {
        println!("next: {}", last.fmt(DateTimeFormat::DateTime)?);
        println!("(epoch {:.3})", last.as_secs_f64());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::operation::describe_events::DescribeEventsOutput;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    fn event(id: &str, secs: i64, message: &str) -> Event {
        Event::builder()
            .source_identifier(id)
            .source_type(SourceType::CacheCluster)
            .message(message)
            .date(DateTime::from_secs(secs))
            .build()
    }

    #[test]
    fn timestamps_parse_and_print_in_rfc3339() {
        let t = parse_since("2023-11-14T22:13:20.5Z").unwrap();
        assert_eq!(t.secs(), 1_700_000_000);
        assert_eq!(t.subsec_nanos(), 500_000_000);
        assert_eq!(t.as_secs_f64(), 1_700_000_000.5);
        assert_eq!(t.to_string(), "2023-11-14T22:13:20.5Z");
        assert_eq!(DateTime::from_millis(1_700_000_000_500), t);
        assert_eq!(DateTime::from_fractional_secs(1_700_000_000, 0.5), t);
        assert_eq!(t.to_millis().unwrap(), 1_700_000_000_500);
        assert_eq!(DateTime::from_secs(0).fmt(DateTimeFormat::HttpDate).unwrap(), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(DateTime::from_secs(86_400).fmt(DateTimeFormat::EpochSeconds).unwrap(), "86400");
        assert!(parse_since("yesterday").is_err());
    }

    #[test]
    fn lines_are_readable() {
        let e = event("web-1", 1_700_000_000, "Cache cluster created");
        assert_eq!(line(&e), "2023-11-14T22:13:20Z [cache-cluster web-1] Cache cluster created");
        assert_eq!(source_type("serverless-cache"), Some(SourceType::ServerlessCache));
        assert_eq!(source_type("nope"), None);
    }

    #[tokio::test]
    async fn pages_are_merged_oldest_first() {
        let since = DateTime::from_secs(1_699_990_000);
        let page1 = mock!(Client::describe_events)
            .match_requests(move |req| req.start_time() == Some(&since) && req.source_type() == Some(&SourceType::CacheCluster) && req.marker().is_none())
            .then_output(|| DescribeEventsOutput::builder().events(event("web-1", 1_700_000_300, "later")).marker("p2").build());
        let page2 = mock!(Client::describe_events)
            .match_requests(|req| req.marker() == Some("p2"))
            .then_output(|| DescribeEventsOutput::builder().events(event("web-2", 1_700_000_100, "earlier")).build());
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&page1, &page2]);

        let events = events_since(&client, since, Some(SourceType::CacheCluster)).await.unwrap();
        let messages: Vec<_> = events.iter().filter_map(|e| e.message()).collect();
        assert_eq!(messages, ["earlier", "later"]);
    }

    #[tokio::test]
    async fn event_dates_parse_from_the_wire() {
        let xml = r#"<DescribeEventsResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <DescribeEventsResult>
    <Events>
      <Event>
        <SourceIdentifier>web-1</SourceIdentifier>
        <SourceType>cache-cluster</SourceType>
        <Message>Finished modifying number of nodes from 1 to 3</Message>
        <Date>2023-11-14T22:13:20.250Z</Date>
      </Event>
    </Events>
  </DescribeEventsResult>
  <ResponseMetadata><RequestId>e1</RequestId></ResponseMetadata>
</DescribeEventsResponse>"#;
        let rule = mock!(Client::describe_events).sequence().http_status(200, Some(xml.to_owned())).build();
        let client = mock_client!(aws_sdk_elasticache, [&rule]);
        let events = events_since(&client, DateTime::from_secs(0), None).await.unwrap();
        let date = events[0].date().unwrap();
        assert_eq!((date.secs(), date.subsec_nanos()), (1_700_000_000, 250_000_000));
        assert_eq!(line(&events[0]), "2023-11-14T22:13:20.25Z [cache-cluster web-1] Finished modifying number of nodes from 1 to 3");
    }
}

//! The error handling of an ops CLI: every failure becomes one line for the operator (code,
//! message, request id) and an exit code; throttling and server errors are retried by the SDK
//! and only reported when they persist.
//!
//! usage: error-report <cache-cluster-id>

use aws_sdk_elasticache::config::retry::RetryConfig;
use aws_sdk_elasticache::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_elasticache::operation::describe_cache_clusters::DescribeCacheClustersError;
use aws_sdk_elasticache::operation::RequestId;
use aws_sdk_elasticache::Client;

#[derive(Debug, PartialEq)]
pub struct Report {
    pub exit_code: i32,
    pub line: String,
}

/// One line and an exit code for any failure of a call.
pub fn report<E>(err: &SdkError<E>) -> Report
where
    E: ProvideErrorMetadata + RequestId + std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            let status = service.raw().status().as_u16();
            Report {
                exit_code: if status >= 500 { 3 } else { 2 },
                line: format!(
                    "{}: {} (HTTP {status}, request {})",
                    e.code().unwrap_or("Unknown"),
                    e.message().unwrap_or("no message"),
                    e.request_id().unwrap_or("-"),
                ),
            }
        }
        SdkError::TimeoutError(_) => Report { exit_code: 4, line: "timed out".to_owned() },
        SdkError::DispatchFailure(_) => Report { exit_code: 4, line: format!("could not reach the service: {}", DisplayErrorContext(err)) },
        _ => Report { exit_code: 1, line: format!("{}", DisplayErrorContext(err)) },
    }
}

pub async fn status(client: &Client, id: &str) -> Result<String, SdkError<DescribeCacheClustersError>> {
    let out = client.describe_cache_clusters().cache_cluster_id(id).send().await?;
    Ok(out.cache_clusters().first().and_then(|c| c.cache_cluster_status()).unwrap_or("unknown").to_owned())
}

/// The service-wide error, for code that does not care which call failed.
pub fn is_not_found(err: &aws_sdk_elasticache::Error) -> bool {
    matches!(
        err,
        aws_sdk_elasticache::Error::CacheClusterNotFoundFault(_) | aws_sdk_elasticache::Error::ReplicationGroupNotFoundFault(_)
    )
}

#[tokio::main]
async fn main() {
    let Some(id) = std::env::args().nth(1) else {
        eprintln!("usage: error-report <cache-cluster-id>");
        std::process::exit(64);
    };
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .region(aws_sdk_elasticache::config::Region::new("us-east-1"))
        .retry_config(RetryConfig::standard().with_max_attempts(4))
        .build();
    let client = Client::from_conf(config);
    match status(&client, &id).await {
        Ok(s) => println!("{id}: {s}"),
        Err(err) => {
            let r = report(&err);
            eprintln!("{}", r.line);
            let service_wide = aws_sdk_elasticache::Error::from(err);
            if is_not_found(&service_wide) {
                eprintln!("(check the id and the region)");
            }
            std::process::exit(r.exit_code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::error::ErrorMetadata;
    use aws_sdk_elasticache::operation::describe_cache_clusters::DescribeCacheClustersOutput;
    use aws_sdk_elasticache::types::error::CacheClusterNotFoundFault;
    use aws_sdk_elasticache::types::CacheCluster;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    const NOT_FOUND: &str = r#"<ErrorResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <Error><Type>Sender</Type><Code>CacheClusterNotFound</Code><Message>CacheCluster web-9 not found.</Message></Error>
  <RequestId>0a1b2c3d-4e5f-4000-8000-000000000003</RequestId>
</ErrorResponse>"#;

    const THROTTLED: &str = r#"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>t-1</RequestId></ErrorResponse>"#;

    #[tokio::test]
    async fn a_modeled_error_is_one_line() {
        let rule = mock!(Client::describe_cache_clusters).sequence().http_status(404, Some(NOT_FOUND.to_owned())).build();
        let client = mock_client!(aws_sdk_elasticache, [&rule]);
        let err = status(&client, "web-9").await.unwrap_err();
        assert!(err.as_service_error().is_some_and(|e| e.is_cache_cluster_not_found_fault()));
        let r = report(&err);
        assert_eq!(r.exit_code, 2);
        // The request id part depends on where the SDK reads it (header or body): not asserted.
        assert!(r.line.starts_with("CacheClusterNotFound: CacheCluster web-9 not found. (HTTP 404, request "), "{}", r.line);
        assert!(is_not_found(&aws_sdk_elasticache::Error::from(err)));
    }

    #[tokio::test]
    async fn mocked_modeled_errors_carry_their_metadata() {
        let rule = mock!(Client::describe_cache_clusters).then_error(|| {
            DescribeCacheClustersError::CacheClusterNotFoundFault(
                CacheClusterNotFoundFault::builder()
                    .message("gone")
                    .meta(ErrorMetadata::builder().code("CacheClusterNotFound").message("gone").build())
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_elasticache, [&rule]);
        let err = status(&client, "web-9").await.unwrap_err();
        assert_eq!(err.code(), Some("CacheClusterNotFound"));
        let service = err.into_service_error();
        assert_eq!(service.message(), Some("gone"));
        assert_eq!(service.meta().code(), Some("CacheClusterNotFound"));
        assert!(matches!(service, DescribeCacheClustersError::CacheClusterNotFoundFault(_)));
    }

    #[tokio::test]
    async fn unmodeled_codes_are_generic_errors() {
        let rule = mock!(Client::describe_cache_clusters)
            .then_error(|| DescribeCacheClustersError::generic(ErrorMetadata::builder().code("InvalidClientTokenId").message("bad key").build()));
        let client = mock_client!(aws_sdk_elasticache, [&rule]);
        let err = status(&client, "web-1").await.unwrap_err();
        assert_eq!(err.code(), Some("InvalidClientTokenId"));
        assert_eq!(err.message(), Some("bad key"));
        assert!(!is_not_found(&aws_sdk_elasticache::Error::from(err)));
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_is_retried_until_it_succeeds() {
        let rule = mock!(Client::describe_cache_clusters)
            .sequence()
            .http_status(400, Some(THROTTLED.to_owned()))
            .times(2)
            .output(|| {
                DescribeCacheClustersOutput::builder()
                    .cache_clusters(CacheCluster::builder().cache_cluster_id("web-1").cache_cluster_status("available").build())
                    .build()
            })
            .build();
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&rule], |c| c.retry_config(RetryConfig::standard().with_max_attempts(3)));
        assert_eq!(status(&client, "web-1").await.unwrap(), "available");
        assert_eq!(rule.num_calls(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn persistent_server_errors_are_reported_after_the_last_attempt() {
        let rule = mock!(Client::describe_cache_clusters).sequence().http_status(503, None).repeatedly().build();
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&rule], |c| c.retry_config(RetryConfig::standard().with_max_attempts(2)));
        let err = status(&client, "web-1").await.unwrap_err();
        assert_eq!(rule.num_calls(), 2);
        assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(503));
        assert_eq!(report(&err).exit_code, 3);
    }
}

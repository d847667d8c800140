//! Programs that also use aws-sdk crates (feature `aws-types`): aws-config's `SdkConfig`
//! converts into this crate's `Config` (`Config::from(&sdk_config)`), and
//! `Client::new(&sdk_config)` works as in aws-sdk-elasticache; calls are signed with the
//! credentials of aws-config's provider.

use aws_types::sdk_config::{RetryConfig, TimeoutConfig};
use elasticache::config::http::{test_util::ReplayClient, HttpResponse};
use std::time::Duration;

fn sdk_config() -> aws_types::SdkConfig {
    let credentials = aws_credential_types::Credentials::new("AKIDSDK", "sdk-secret", Some("sdk-token".into()), None, "test");
    aws_types::SdkConfig::builder()
        .region(aws_types::region::Region::new("eu-west-2"))
        .credentials_provider(aws_types::sdk_config::SharedCredentialsProvider::new(credentials))
        .endpoint_url("https://elasticache.example.com")
        .retry_config(RetryConfig::standard().with_max_attempts(7))
        .timeout_config(TimeoutConfig::builder().operation_timeout(Duration::from_secs(9)).build())
        .app_name(aws_types::app_name::AppName::new("interop-test").unwrap())
        .build()
}

#[test]
fn config_from_sdk_config() {
    let sdk = sdk_config();
    let config = elasticache::Config::from(&sdk);
    assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-west-2"));
    assert_eq!(config.endpoint_url(), Some("https://elasticache.example.com"));
    assert_eq!(config.retry_config().map(|r| r.max_attempts()), Some(7));
    assert_eq!(config.timeout_config().and_then(|t| t.operation_timeout()), Some(Duration::from_secs(9)));
    assert_eq!(config.app_name().map(|a| a.as_ref()), Some("interop-test"));
    assert!(!config.use_dual_stack() && !config.use_fips());
    assert_eq!(config.retry_config().map(|r| r.mode()), Some(elasticache::config::retry::RetryMode::Standard));
    assert_eq!(config.timeout_config().and_then(|t| t.read_timeout()), None);
    // Adaptive retries and a read timeout carry over too.
    let adaptive = aws_types::SdkConfig::builder()
        .retry_config(RetryConfig::adaptive().with_max_attempts(4))
        .timeout_config(TimeoutConfig::builder().read_timeout(Duration::from_secs(2)).build())
        .build();
    let adaptive = elasticache::Config::from(&adaptive);
    let retry = adaptive.retry_config().map(|r| (r.mode(), r.max_attempts()));
    assert_eq!(retry, Some((elasticache::config::retry::RetryMode::Adaptive, 4)));
    assert_eq!(adaptive.timeout_config().and_then(|t| t.read_timeout()), Some(Duration::from_secs(2)));
    let dual = aws_types::SdkConfig::builder().use_dual_stack(true).use_fips(true).build();
    let dual = elasticache::Config::from(&dual);
    assert!(dual.use_dual_stack() && dual.use_fips());
    // Client::new takes the SdkConfig as aws-sdk-elasticache's does.
    let client = elasticache::Client::new(&sdk);
    assert_eq!(client.config().region().map(|r| r.as_ref()), Some("eu-west-2"));
    assert_eq!(client.handle().endpoint_url().unwrap(), "https://elasticache.example.com");
    assert!(client.handle().user_agent().ends_with(" app/interop-test"), "{}", client.handle().user_agent());
}

#[tokio::test]
async fn calls_are_signed_with_aws_config_credentials() {
    let replay = ReplayClient::new([HttpResponse::new(
        200,
        "<DescribeCacheClustersResponse><DescribeCacheClustersResult/></DescribeCacheClustersResponse>",
    )]);
    let config = elasticache::Config::from(&sdk_config()).to_builder().http_client(replay.clone()).build();
    elasticache::Client::new(&config).describe_cache_clusters().send().await.unwrap();
    let sent = &replay.requests()[0];
    assert!(sent.header("authorization").is_some_and(|a| a.contains("Credential=AKIDSDK/")), "{sent:?}");
    assert_eq!(sent.header("x-amz-security-token"), Some("sdk-token"));
}

/// A program that keeps aws-config passes its providers to the builder as they are
/// (feature `aws-credential-types`): here an aws-credential-types `SharedCredentialsProvider`,
/// the type aws-config's loaders give.
#[tokio::test]
async fn aws_credential_types_providers_are_accepted_as_they_are() {
    let replay = ReplayClient::new([HttpResponse::new(
        200,
        "<DescribeCacheClustersResponse><DescribeCacheClustersResult/></DescribeCacheClustersResponse>",
    )]);
    let aws_provider = aws_credential_types::provider::SharedCredentialsProvider::new(aws_credential_types::Credentials::new(
        "AKIDAWS", "secret", None, None, "aws-config",
    ));
    let config = elasticache::Config::builder()
        .region(elasticache::config::Region::new("us-east-1"))
        .credentials_provider(aws_provider)
        .http_client(replay.clone())
        .build();
    elasticache::Client::new(&config).describe_cache_clusters().send().await.unwrap();
    let sent = &replay.requests()[0];
    assert!(sent.header("authorization").is_some_and(|a| a.contains("Credential=AKIDAWS/")), "{sent:?}");
}

/// A program that keeps aws-config hands its settings to the builder as they are
/// (feature `aws-types`): `config::Builder::from(&sdk_config)`, aws-config's `RetryConfig`
/// and `TimeoutConfig`.
#[test]
fn aws_config_settings_are_accepted_by_the_builder() {
    let builder = elasticache::config::Builder::from(&sdk_config());
    let config = builder
        .retry_config(RetryConfig::standard().with_max_attempts(9))
        .timeout_config(TimeoutConfig::builder().operation_timeout(Duration::from_secs(42)).build())
        .build();
    assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-west-2"));
    assert_eq!(config.retry_config().map(|r| r.max_attempts()), Some(9));
    assert_eq!(config.timeout_config().and_then(|t| t.operation_timeout()), Some(Duration::from_secs(42)));
}

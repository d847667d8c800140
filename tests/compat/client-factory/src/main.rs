//! The shared client factory of a service team: one place that decides region, endpoint,
//! retries, timeouts and the app name for every tool, from a small settings struct; prints
//! the effective settings.
//!
//! usage: client-factory [--endpoint URL] [--attempts N] [--fips]

use aws_sdk_elasticache::config::retry::RetryConfig;
use aws_sdk_elasticache::config::timeout::TimeoutConfig;
use aws_sdk_elasticache::config::{AppName, BehaviorVersion, Credentials, Region};
use aws_sdk_elasticache::{Client, Config};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Settings {
    pub region: String,
    pub endpoint: Option<String>,
    pub max_attempts: u32,
    pub attempt_timeout: Duration,
    pub fips: bool,
    pub static_keys: Option<(String, String)>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { region: "us-east-1".into(), endpoint: None, max_attempts: 3, attempt_timeout: Duration::from_secs(5), fips: false, static_keys: None }
    }
}

pub fn config(settings: &Settings) -> Config {
    let mut builder = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(settings.region.clone()))
        .retry_config(RetryConfig::standard().with_max_attempts(settings.max_attempts).with_initial_backoff(Duration::from_millis(50)))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_attempt_timeout(settings.attempt_timeout)
                .operation_timeout(settings.attempt_timeout * settings.max_attempts)
                .build(),
        )
        .app_name(AppName::new("ops-toolkit").expect("a valid app name"))
        .use_fips(settings.fips);
    if let Some(url) = &settings.endpoint {
        builder = builder.endpoint_url(url);
    }
    if let Some((key, secret)) = &settings.static_keys {
        builder = builder.credentials_provider(Credentials::new(key, secret, None, None, "settings"));
    }
    builder.build()
}

pub fn client(settings: &Settings) -> Client {
    Client::from_conf(config(settings))
}

/// A copy of a client's configuration with a different region (for cross-region tools).
pub fn in_region(client: &Client, region: &'static str) -> Client {
    let conf = client.config().to_builder().region(Region::from_static(region)).build();
    Client::from_conf(conf)
}

pub fn describe(config: &Config) -> String {
    let retry = config.retry_config().map(|r| (r.mode(), r.max_attempts()));
    let attempt = config.timeout_config().and_then(|t| t.operation_attempt_timeout());
    format!(
        "region={} retry={:?} attempt_timeout={:?} app={}",
        config.region().map(|r| r.as_ref()).unwrap_or("-"),
        retry,
        attempt,
        config.app_name().map(|a| a.to_string()).unwrap_or_default(),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let settings = Settings {
        endpoint: value("--endpoint"),
        max_attempts: value("--attempts").and_then(|n| n.parse().ok()).unwrap_or(3),
        fips: args.iter().any(|a| a == "--fips"),
        ..Settings::default()
    };
    println!("{}", describe(&config(&settings)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::config::retry::RetryMode;
    use aws_sdk_elasticache::operation::describe_cache_engine_versions::DescribeCacheEngineVersionsOutput;
    use aws_sdk_elasticache::types::CacheEngineVersion;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    #[test]
    fn settings_reach_the_config() {
        let conf = config(&Settings { max_attempts: 5, ..Settings::default() });
        assert_eq!(conf.region().map(|r| r.as_ref()), Some("us-east-1"));
        let retry = conf.retry_config().unwrap();
        assert_eq!(retry.max_attempts(), 5);
        assert_eq!(retry.mode(), RetryMode::Standard);
        assert_eq!(retry.initial_backoff(), Duration::from_millis(50));
        let timeouts = conf.timeout_config().unwrap();
        assert_eq!(timeouts.operation_attempt_timeout(), Some(Duration::from_secs(5)));
        assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(25)));
        assert_eq!(timeouts.connect_timeout(), Some(Duration::from_secs(2)));
        assert_eq!(conf.app_name(), Some(&AppName::new("ops-toolkit").unwrap()));
        assert_eq!(describe(&conf), "region=us-east-1 retry=Some((Standard, 5)) attempt_timeout=Some(5s) app=ops-toolkit");
    }

    #[test]
    fn app_names_are_validated() {
        assert!(AppName::new("has spaces").is_err());
    }

    #[test]
    fn clients_can_be_copied_to_another_region() {
        let base = client(&Settings::default());
        let other = in_region(&base, "eu-west-1");
        assert_eq!(other.config().region(), Some(&Region::new("eu-west-1")));
        assert_eq!(other.config().retry_config().map(|r| r.max_attempts()), Some(3));
    }

    #[tokio::test(start_paused = true)]
    async fn the_factory_retry_budget_applies_to_calls() {
        let rule = mock!(Client::describe_cache_engine_versions)
            .sequence()
            .http_status(500, None)
            .times(2)
            .output(|| DescribeCacheEngineVersionsOutput::builder().cache_engine_versions(CacheEngineVersion::builder().engine("valkey").engine_version("8.0").build()).build())
            .build();
        let retry = RetryConfig::standard().with_max_attempts(3).with_initial_backoff(Duration::from_millis(50));
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&rule], |b| b.retry_config(retry.clone()));
        let out = client.describe_cache_engine_versions().engine("valkey").send().await.unwrap();
        assert_eq!(out.cache_engine_versions()[0].engine_version(), Some("8.0"));
        assert_eq!(rule.num_calls(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn one_attempt_means_no_retry() {
        let rule = mock!(Client::describe_cache_engine_versions).sequence().http_status(500, None).repeatedly().build();
        let client = mock_client!(aws_sdk_elasticache, RuleMode::Sequential, [&rule], |b| b.retry_config(RetryConfig::disabled()));
        let err = client.describe_cache_engine_versions().send().await.unwrap_err();
        assert_eq!(rule.num_calls(), 1);
        assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(500));
    }
}

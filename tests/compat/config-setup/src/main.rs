//! How most ElastiCache tools start: the configuration from aws-config (the default chain, a
//! named profile, a region chain with a fallback), a client made from it, and a client
//! configuration adjusted from it for one tool. Prints where the settings came from.
//!
//! usage: config-setup [--profile NAME]

use aws_config::default_provider::credentials::DefaultCredentialsChain;
use aws_config::default_provider::region::DefaultRegionChain;
use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::ProvideCredentials;
use aws_sdk_elasticache::{config, Client};
use std::time::Duration;

/// The team's configuration: the profile's (or the default chain's), `us-east-1` when
/// nothing names a region. The region chain is given the profile too: a loader's
/// `profile_name` does not reach a region provider passed to it.
pub async fn load(profile: Option<&str>) -> SdkConfig {
    let region = match profile {
        Some(p) => RegionProviderChain::first_try(DefaultRegionChain::builder().profile_name(p).build()).or_else("us-east-1"),
        None => RegionProviderChain::default_provider().or_else("us-east-1"),
    };
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).region(region);
    if let Some(profile) = profile {
        loader = loader.profile_name(profile);
    }
    loader.load().await
}

/// A client for a batch job: more attempts, a bounded operation, over the shared settings.
pub fn batch_client(shared: &SdkConfig) -> Client {
    let conf = config::Builder::from(shared)
        .retry_config(RetryConfig::standard().with_max_attempts(5))
        .timeout_config(TimeoutConfig::builder().operation_timeout(Duration::from_secs(30)).build())
        .build();
    Client::from_conf(conf)
}

/// An error and its causes, on one line.
fn with_causes(err: &dyn std::error::Error) -> String {
    let mut line = err.to_string();
    let mut cause = err.source();
    while let Some(e) = cause {
        line.push_str(&format!(": {e}"));
        cause = e.source();
    }
    line
}

/// The access key the configuration resolves to, for the start-up log.
pub async fn access_key(conf: &SdkConfig) -> Result<String, String> {
    let provider = conf.credentials_provider().ok_or("no credentials provider")?;
    provider.provide_credentials().await.map(|c| c.access_key_id().to_owned()).map_err(|e| with_causes(&e))
}

/// A profile's own keys, without the rest of the chain.
pub async fn profile_key(profile: &str) -> Result<String, String> {
    let provider = ProfileFileCredentialsProvider::builder().profile_name(profile).build();
    provider.provide_credentials().await.map(|c| c.access_key_id().to_owned()).map_err(|e| with_causes(&e))
}

/// Keys from the environment only.
pub async fn env_key() -> Result<String, String> {
    let provider = EnvironmentVariableCredentialsProvider::new();
    provider.provide_credentials().await.map(|c| c.access_key_id().to_owned()).map_err(|e| with_causes(&e))
}

/// The default chain for a profile, as a provider of its own.
pub async fn chain_key(profile: &str) -> Result<String, String> {
    let chain = DefaultCredentialsChain::builder().profile_name(profile).build().await;
    chain.provide_credentials().await.map(|c| c.access_key_id().to_owned()).map_err(|e| with_causes(&e))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let profile = args.iter().position(|a| a == "--profile").and_then(|i| args.get(i + 1)).map(String::as_str);
    let shared = load(profile).await;
    println!("region: {}", shared.region().map(Region::to_string).unwrap_or_else(|| "none".into()));
    match access_key(&shared).await {
        Ok(key) => println!("access key: {key}"),
        Err(e) => println!("no credentials: {e}"),
    }
    let _plain = Client::new(&shared);
    let _batch = batch_client(&shared);
    // The other ways programs start.
    let _env = aws_config::load_from_env().await;
    let _defaults = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let _fixed = aws_config::from_env().region(Region::new("eu-west-1")).load().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One test: it sets the process's environment, which every loader reads.
    #[tokio::test]
    async fn profiles_regions_and_clients_from_the_environment() {
        let dir = std::env::temp_dir().join(format!("config-setup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(
            &config,
            "[default]\nregion = us-east-2\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = S1\n\n\
             [profile ops]\nregion = eu-central-1\naws_access_key_id = AKIDOPS\naws_secret_access_key = S2\n\n\
             [profile noregion]\naws_access_key_id = AKIDNR\naws_secret_access_key = S3\n",
        )
        .unwrap();
        for var in ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"] {
            std::env::remove_var(var);
        }
        std::env::set_var("AWS_CONFIG_FILE", &config);
        std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", dir.join("none"));
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");

        let shared = load(None).await;
        assert_eq!(shared.region().map(|r| r.as_ref()), Some("us-east-2"));
        assert_eq!(access_key(&shared).await.unwrap(), "AKIDDEFAULT");

        let ops = load(Some("ops")).await;
        assert_eq!(ops.region().map(|r| r.as_ref()), Some("eu-central-1"));
        assert_eq!(access_key(&ops).await.unwrap(), "AKIDOPS");
        assert_eq!(Client::new(&ops).config().region().map(|r| r.as_ref()), Some("eu-central-1"));
        let batch = batch_client(&ops);
        assert_eq!(batch.config().region().map(|r| r.as_ref()), Some("eu-central-1"));
        assert_eq!(batch.config().retry_config().map(|r| r.max_attempts()), Some(5));

        // No region anywhere: the chain's fallback.
        let fallback = load(Some("noregion")).await;
        assert_eq!(fallback.region().map(|r| r.as_ref()), Some("us-east-1"));

        assert_eq!(profile_key("ops").await.unwrap(), "AKIDOPS");
        assert_eq!(chain_key("ops").await.unwrap(), "AKIDOPS");
        assert!(env_key().await.is_err(), "no keys in the environment");
        std::env::set_var("AWS_ACCESS_KEY_ID", "AKIDENV");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "S4");
        assert_eq!(env_key().await.unwrap(), "AKIDENV");
        assert_eq!(access_key(&aws_config::load_from_env().await).await.unwrap(), "AKIDENV");
        assert_eq!(access_key(&aws_config::load_defaults(BehaviorVersion::latest()).await).await.unwrap(), "AKIDENV");

        // An unknown profile: no panic, an error that names it.
        let err = profile_key("nope").await.unwrap_err();
        assert!(err.contains("nope"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

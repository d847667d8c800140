//! aws-query-config: a program set up the aws-config way gets the region, credentials and
//! settings of the environment and profile, with what it sets in code winning, and every
//! service crate takes the result in `Client::new(&config)` and `config::Builder::from(&config)`.
//! Bad input — an unknown profile, a malformed file, a region no provider knows — fails as
//! aws-config fails, with no panic.

use aws_query_config::default_provider::credentials::DefaultCredentialsChain;
use aws_query_config::meta::region::RegionProviderChain;
use aws_query_config::{BehaviorVersion, ConfigLoader, Region, SdkConfig};
use aws_query_runtime::credentials::{CredentialsErrorKind, Env, ProvideCredentials};
use aws_query_runtime::http::test_util::ReplayClient;
use std::path::PathBuf;

/// A temporary folder with a `config` file of `text`; removed on drop.
struct Files(PathBuf);

impl Files {
    fn new(name: &str, text: &str) -> Files {
        let dir = std::env::temp_dir().join(format!("aws-query-config-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config"), text).unwrap();
        Files(dir)
    }

    fn config(&self) -> String {
        self.0.join("config").display().to_string()
    }

    /// The environment of a machine with these files and no instance metadata.
    fn env(&self, more: &[(&str, &str)]) -> Env {
        let config = self.config();
        let mut vars = vec![("AWS_CONFIG_FILE", config.as_str()), ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"), ("AWS_EC2_METADATA_DISABLED", "true")];
        vars.extend_from_slice(more);
        Env::from_vars(&vars)
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const PROFILES: &str = "[default]\nregion = us-east-2\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = S1\n\
                        [profile ops]\nregion = eu-central-1\naws_access_key_id = AKIDOPS\naws_secret_access_key = S2\nuse_fips_endpoint = true\n";

async fn access_key(config: &SdkConfig) -> Result<String, aws_query_runtime::credentials::CredentialsError> {
    let provider = config.credentials_provider().expect("a credentials provider");
    provider.provide_credentials().await.map(|c| c.access_key_id().to_owned())
}

#[tokio::test]
async fn profile_name_selects_region_credentials_and_settings() {
    let files = Files::new("profile", PROFILES);
    let config = aws_query_config::defaults(BehaviorVersion::latest()).env(files.env(&[])).load().await;
    assert_eq!(config.region(), Some(&Region::new("us-east-2")));
    assert_eq!(access_key(&config).await.unwrap(), "AKIDDEFAULT");
    assert!(!config.use_fips());

    let config = aws_query_config::defaults(BehaviorVersion::latest()).env(files.env(&[])).profile_name("ops").load().await;
    assert_eq!(config.region(), Some(&Region::new("eu-central-1")));
    assert_eq!(access_key(&config).await.unwrap(), "AKIDOPS");
    assert!(config.use_fips());

    // What service crates take, with no feature: `Client::new(&config)`, `Builder::from(&config)`.
    let client = elasticache::Client::new(&config);
    assert_eq!(client.config().region(), Some(&Region::new("eu-central-1")));
    let conf = elasticache::config::Builder::from(&config).region(Region::new("ap-south-1")).build();
    assert_eq!(conf.region(), Some(&Region::new("ap-south-1")));
    assert!(conf.use_fips());
}

#[tokio::test]
async fn settings_in_code_win_over_the_environment() {
    let files = Files::new("code", PROFILES);
    let env = files.env(&[("AWS_REGION", "eu-west-1"), ("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "S")]);
    let from_env = ConfigLoader::default().env(env.clone()).load().await;
    assert_eq!(from_env.region(), Some(&Region::new("eu-west-1")));
    assert_eq!(access_key(&from_env).await.unwrap(), "AKIDENV");

    let retry = aws_query_config::retry::RetryConfig::standard().with_max_attempts(7);
    let timeouts = aws_query_config::timeout::TimeoutConfig::builder().operation_timeout(std::time::Duration::from_secs(9)).build();
    let config = aws_query_config::from_env()
        .env(env)
        .region(RegionProviderChain::first_try(None::<Region>).or_else("us-west-2"))
        .test_credentials()
        .endpoint_url("http://127.0.0.1:9")
        .retry_config(retry.clone())
        .timeout_config(timeouts.clone())
        .app_name(aws_query_config::AppName::new("corpus-app").unwrap())
        .load()
        .await;
    assert_eq!(config.region(), Some(&Region::new("us-west-2")));
    assert_eq!(access_key(&config).await.unwrap(), "ANOTREAL");
    assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:9"));
    assert_eq!(config.retry_config(), Some(&retry));
    assert_eq!(config.timeout_config(), Some(&timeouts));
    assert_eq!(config.app_name().map(|a| a.as_ref()), Some("corpus-app"));

    let unsigned = aws_query_config::from_env().env(files.env(&[])).no_credentials().load().await;
    assert!(unsigned.credentials_provider().is_none());
}

#[tokio::test]
async fn an_unknown_profile_is_not_loaded_and_says_which() {
    let files = Files::new("unknown", PROFILES);
    let config = aws_query_config::from_env().env(files.env(&[])).profile_name("nope").load().await;
    assert_eq!(config.region(), None, "the unknown profile has no region, and the default's is not used");
    let err = access_key(&config).await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    assert!(err.to_string().contains("profile `nope` is not in the shared config or credentials file"), "{err}");

    let chain = DefaultCredentialsChain::builder().env(files.env(&[])).profile_name("nope").build().await;
    let err = chain.provide_credentials().await.unwrap_err();
    assert!(err.to_string().starts_with("no credentials found (environment: "), "{err}");
}

#[tokio::test]
async fn a_malformed_config_file_names_the_file_and_line() {
    let files = Files::new("malformed", "[default]\nregion = us-east-2\naws_access_key_id AKID\n");
    let config = aws_query_config::from_env().env(files.env(&[])).load().await;
    let err = access_key(&config).await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    let expected = format!("could not parse the profile files: {}: line 3: expected an '=' sign defining a property", files.config());
    assert!(err.to_string().contains(&expected), "{err}");
}

#[tokio::test]
async fn a_region_chain_that_yields_nothing_leaves_the_region_unset_and_calls_fail_before_sending() {
    let files = Files::new("noregion", "");
    let chain = RegionProviderChain::first_try(None::<Region>).or_else(None::<Region>);
    let config = aws_query_config::from_env().env(files.env(&[])).region(chain).test_credentials().load().await;
    assert_eq!(config.region(), None);
    let replay = ReplayClient::new([]);
    let client = elasticache::Client::from_conf(elasticache::config::Builder::from(&config).http_client(replay.clone()).build());
    let err = client.describe_cache_clusters().send().await.unwrap_err();
    let elasticache::error::SdkError::ConstructionFailure(_) = &err else { panic!("expected a construction failure, got {err:?}") };
    assert!(err.to_string().contains("Missing Region"), "{err}");
    assert!(replay.requests().is_empty());
}

#[tokio::test]
async fn an_assumed_role_reports_its_source_credentials_failing() {
    let files = Files::new("assume", "");
    let config = aws_query_config::from_env().env(files.env(&[])).region(Region::new("us-east-1")).load().await;
    let provider = aws_query_config::sts::AssumeRoleProvider::builder("arn:aws:iam::123456789012:role/ops")
        .session_name("corpus")
        .configure(&config)
        .build()
        .await;
    let err = provider.provide_credentials().await.unwrap_err();
    assert!(err.to_string().starts_with("the source credentials to assume `arn:aws:iam::123456789012:role/ops`: no credentials found"), "{err}");
}

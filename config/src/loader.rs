//! [`ConfigLoader`]: the configuration of the environment, with what the program sets.

use crate::default_provider::credentials::DefaultCredentialsChain;
use crate::default_provider::region::DefaultRegionChain;
use crate::meta::region::ProvideRegion;
use crate::{AppName, BehaviorVersion, SdkConfig};
use aws_query_runtime::config::{RetryConfig, TimeoutConfig};
use aws_query_runtime::credentials::{Credentials, Env, ProvideCredentials, SharedCredentialsProvider};
use aws_query_runtime::http::{HttpClient, SharedHttpClient};
use std::sync::Arc;

/// Loads an [`SdkConfig`]: each setting the program gives, else the environment's and the
/// profile's (as [`Config::from_env`](aws_query_runtime::config::Config::from_env) reads
/// them), else the default.
#[derive(Debug, Default)]
pub struct ConfigLoader {
    behavior_version: Option<BehaviorVersion>,
    region: Option<Box<dyn ProvideRegion>>,
    credentials: Option<SharedCredentialsProvider>,
    no_credentials: bool,
    profile_name: Option<String>,
    endpoint_url: Option<String>,
    retry_config: Option<RetryConfig>,
    timeout_config: Option<TimeoutConfig>,
    app_name: Option<AppName>,
    http_client: Option<SharedHttpClient>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    disable_request_compression: Option<bool>,
    request_min_compression_size_bytes: Option<u32>,
    env: Option<Env>,
}

impl ConfigLoader {
    pub fn behavior_version(mut self, behavior_version: BehaviorVersion) -> Self {
        self.behavior_version = Some(behavior_version);
        self
    }

    /// Where the region comes from: a [`Region`](crate::Region), a `&'static str`, a
    /// [`RegionProviderChain`](crate::meta::region::RegionProviderChain), … (default: the
    /// [`DefaultRegionChain`]).
    pub fn region(mut self, region: impl ProvideRegion + 'static) -> Self {
        self.region = Some(Box::new(region));
        self
    }

    /// The credentials (default: the [`DefaultCredentialsChain`]).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(provider));
        self.no_credentials = false;
        self
    }

    /// No credentials: calls go unsigned.
    pub fn no_credentials(mut self) -> Self {
        self.credentials = None;
        self.no_credentials = true;
        self
    }

    /// Fixed credentials for tests, aws-config's (access key `ANOTREAL`).
    pub fn test_credentials(self) -> Self {
        self.credentials_provider(Credentials::new("ANOTREAL", "notrealrnrELgWzOk3IfjzDKtFBhDby", None, None, "test"))
    }

    /// The profile to read instead of `AWS_PROFILE`'s (or `default`): for the region, the
    /// credentials and every setting profiles hold.
    pub fn profile_name(mut self, profile_name: impl Into<String>) -> Self {
        self.profile_name = Some(profile_name.into());
        self
    }

    /// Every service's endpoint (a test server, a proxy).
    pub fn endpoint_url(mut self, endpoint_url: impl Into<String>) -> Self {
        self.endpoint_url = Some(endpoint_url.into());
        self
    }

    pub fn retry_config(mut self, retry_config: RetryConfig) -> Self {
        self.retry_config = Some(retry_config);
        self
    }

    pub fn timeout_config(mut self, timeout_config: TimeoutConfig) -> Self {
        self.timeout_config = Some(timeout_config);
        self
    }

    pub fn app_name(mut self, app_name: AppName) -> Self {
        self.app_name = Some(app_name);
        self
    }

    /// The transport of every client of this configuration (a type of this project's
    /// [`HttpClient`], not aws-smithy's).
    pub fn http_client(mut self, http_client: impl HttpClient) -> Self {
        self.http_client = Some(Arc::new(http_client));
        self
    }

    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = Some(use_fips);
        self
    }

    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = Some(use_dual_stack);
        self
    }

    pub fn disable_request_compression(mut self, disable_request_compression: bool) -> Self {
        self.disable_request_compression = Some(disable_request_compression);
        self
    }

    pub fn request_min_compression_size_bytes(mut self, size: u32) -> Self {
        self.request_min_compression_size_bytes = Some(size);
        self
    }

    /// The environment variables to read instead of the process's (a fixed set in tests).
    /// Not in aws-config, which takes them through `configure(ProviderConfig)`.
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// The configuration. Nothing here fails: a region no provider knows leaves the region
    /// unset (a call then fails saying so), and credentials are loaded at the first call.
    pub async fn load(self) -> SdkConfig {
        let mut env = self.env.unwrap_or_else(Env::process);
        if let Some(profile) = &self.profile_name {
            env = env.with_var("AWS_PROFILE", profile.as_str());
        }
        let region = match &self.region {
            Some(provider) => provider.region().await,
            None => DefaultRegionChain::builder().env(env.clone()).build().region().await,
        };
        let mut b = SdkConfig::from_env_vars_with_region(env.clone(), region.clone()).to_builder();
        let credentials = match (self.credentials, self.no_credentials) {
            (_, true) => None,
            (Some(provider), false) => Some(provider),
            (None, false) => Some(SharedCredentialsProvider::new(DefaultCredentialsChain::from_env(env, region))),
        };
        b.set_credentials_provider(credentials);
        if let Some(url) = self.endpoint_url {
            b = b.endpoint_url(url);
        }
        if let Some(retry) = self.retry_config {
            b = b.retry_config(retry);
        }
        if let Some(timeouts) = self.timeout_config {
            b = b.timeout_config(timeouts);
        }
        if let Some(app) = self.app_name {
            b = b.app_name(app);
        }
        b.set_http_client(self.http_client);
        if let Some(on) = self.use_fips {
            b = b.use_fips(on);
        }
        if let Some(on) = self.use_dual_stack {
            b = b.use_dual_stack(on);
        }
        if let Some(off) = self.disable_request_compression {
            b = b.disable_request_compression(off);
        }
        if let Some(n) = self.request_min_compression_size_bytes {
            b = b.request_min_compression_size_bytes(n);
        }
        b.set_behavior_version(self.behavior_version);
        b.build()
    }
}

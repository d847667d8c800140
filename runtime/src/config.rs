//! Client configuration: region, credentials, endpoint, transport, retries and timeouts.
//!
//! ```
//! use aws_query_runtime::config::{Config, Region};
//! use aws_query_runtime::credentials::Credentials;
//!
//! let config = Config::builder()
//!     .region(Region::new("us-west-2"))
//!     .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "static"))
//!     .build();
//! assert_eq!(config.region().map(|r| r.as_ref()), Some("us-west-2"));
//! ```

use crate::credentials::settings::{ClientSettings, Settings};
use crate::credentials::sts::StsCall;
use crate::credentials::{DefaultCredentialsChain, Env, ImdsClient, ProvideCredentials, SharedCredentialsProvider};
use crate::http::{HttpClient, SharedHttpClient};
pub use crate::retry::RetryConfig;
// The values a configuration is made of, which the lower layers (credentials, the transport)
// take as they are; here at the paths aws-sdk-rust's `config` module has them.
pub use crate::values::{AppName, BehaviorVersion, InvalidAppName, Region, TimeoutConfig, TimeoutConfigBuilder};
use std::fmt;
use std::sync::Arc;

/// The largest response body read by default (64 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 << 20;

/// How a client reaches its service.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<Region>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) credentials: Option<SharedCredentialsProvider>,
    pub(crate) http_client: Option<SharedHttpClient>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) use_global_endpoint: bool,
    pub(crate) max_body_bytes: usize,
    pub(crate) app_name: Option<AppName>,
    pub(crate) disable_request_compression: bool,
    pub(crate) request_min_compression_size_bytes: usize,
    /// Set by [`Config::from_env`]: where to look up `AWS_ENDPOINT_URL_<SERVICE>` for the
    /// service.
    pub(crate) service_endpoint_from_env: Option<Env>,
    /// Tests only: asked, in order, whether they answer a call (see [`crate::intercept`]).
    #[cfg(feature = "test-util")]
    pub(crate) interceptors: Vec<Arc<dyn crate::intercept::Intercept>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Config");
        d.field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("credentials_provider", &self.credentials)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("retry_config", &self.retry)
            .field("timeout_config", &self.timeouts)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("use_global_endpoint", &self.use_global_endpoint)
            .field("max_response_body_bytes", &self.max_body_bytes);
        #[cfg(feature = "test-util")]
        d.field("interceptors", &self.interceptors);
        d.finish_non_exhaustive()
    }
}

impl Config {
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Configuration from the environment, as the AWS SDKs read it:
    ///
    /// - region: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, then the
    ///   instance's region from EC2 instance metadata (unless `AWS_EC2_METADATA_DISABLED`);
    /// - credentials: the [`DefaultCredentialsChain`] (environment, profile — static keys,
    ///   `credential_process`, assume role, SSO, web identity —, web identity token,
    ///   container endpoint, instance metadata);
    /// - `AWS_PROFILE`, `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`; `AWS_ENDPOINT_URL`
    ///   (and `AWS_ENDPOINT_URL_<SERVICE>`), `AWS_USE_FIPS_ENDPOINT`,
    ///   `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_STS_REGIONAL_ENDPOINTS`, `AWS_MAX_ATTEMPTS`,
    ///   `AWS_RETRY_MODE` (`standard` or `adaptive`; another value is ignored),
    ///   `AWS_SDK_UA_APP_ID`, or the profile's keys of the same meaning.
    pub async fn from_env() -> Config {
        Self::from_env_vars(Env::process()).await
    }

    /// [`from_env`](Self::from_env) with the environment variables of `env` (a fixed set
    /// in tests) instead of the process's.
    pub async fn from_env_vars(env: Env) -> Config {
        // One IMDS client for the region and the credentials: one session token for both.
        let imds = Arc::new(ImdsClient::new(env.clone()));
        let region = match Settings::load(&env).region() {
            Some(region) => Some(region),
            None => crate::region::from_imds_client(&imds).await,
        };
        Self::from_env_parts(env, region, imds)
    }

    /// [`from_env_vars`](Self::from_env_vars) with the region given instead of looked up:
    /// for a loader that finds the region through providers of its own (aws-query-config's
    /// `ConfigLoader`, with [`crate::region`]'s sources).
    pub fn from_env_vars_with_region(env: Env, region: Option<Region>) -> Config {
        let imds = Arc::new(ImdsClient::new(env.clone()));
        Self::from_env_parts(env, region, imds)
    }

    fn from_env_parts(env: Env, region: Option<Region>, imds: Arc<ImdsClient>) -> Config {
        let settings = Settings::load(&env);
        let mut builder = Config::builder().client_settings(&settings.client_settings());
        builder = builder
            .region(region)
            .credentials_provider(DefaultCredentialsChain::builder().env(env.clone()).imds_client(imds).build());
        if !settings.flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls") {
            if let Some(url) = settings.get("AWS_ENDPOINT_URL", "endpoint_url") {
                builder = builder.endpoint_url(url);
            }
            builder.config.service_endpoint_from_env = Some(env.clone());
        }
        builder.build()
    }

    /// A builder holding this configuration, to change parts of it.
    pub fn to_builder(&self) -> Builder {
        Builder::from(self.clone())
    }

    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The credentials provider (a clone sharing its cache), as aws-sdk-rust's `Config` and
    /// `SdkConfig` give it.
    pub fn credentials_provider(&self) -> Option<SharedCredentialsProvider> {
        self.credentials.clone()
    }

    /// Always `Some` (a client always has a retry configuration); an `Option` as in
    /// aws-sdk-rust, whose configuration may leave it to the runtime.
    pub fn retry_config(&self) -> Option<&RetryConfig> {
        Some(&self.retry)
    }

    /// Always `Some`, as [`retry_config`](Self::retry_config).
    pub fn timeout_config(&self) -> Option<&TimeoutConfig> {
        Some(&self.timeouts)
    }

    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    pub fn use_global_endpoint(&self) -> bool {
        self.use_global_endpoint
    }

    pub fn max_response_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    pub fn app_name(&self) -> Option<&AppName> {
        self.app_name.as_ref()
    }

    /// The size from which request bodies are gzip-compressed (operations that allow it),
    /// or `None` when compression is off.
    pub fn request_compression_threshold(&self) -> Option<usize> {
        (!self.disable_request_compression).then_some(self.request_min_compression_size_bytes)
    }

    pub(crate) fn http_client(&self) -> Option<&SharedHttpClient> {
        self.http_client.as_ref()
    }
}

/// Builds a [`Config`]. Every setting has `x(value)` and `set_x(Option)` forms.
#[derive(Clone, Debug)]
pub struct Builder {
    config: Config,
    /// The settings given to this builder (bits of [`set`]), which a
    /// [`config_override`](crate::client::CustomizableOperation::config_override) applies.
    set: u32,
}

/// One bit per setting of [`Builder`].
mod set {
    pub const REGION: u32 = 1;
    pub const ENDPOINT_URL: u32 = 1 << 1;
    pub const CREDENTIALS: u32 = 1 << 2;
    pub const HTTP_CLIENT: u32 = 1 << 3;
    pub const RETRY: u32 = 1 << 4;
    pub const TIMEOUTS: u32 = 1 << 5;
    pub const USE_FIPS: u32 = 1 << 6;
    pub const USE_DUAL_STACK: u32 = 1 << 7;
    pub const USE_GLOBAL_ENDPOINT: u32 = 1 << 8;
    pub const MAX_BODY_BYTES: u32 = 1 << 9;
    pub const APP_NAME: u32 = 1 << 10;
    pub const DISABLE_REQUEST_COMPRESSION: u32 = 1 << 11;
    pub const REQUEST_MIN_COMPRESSION_SIZE_BYTES: u32 = 1 << 12;
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            config: Config {
                region: None,
                endpoint_url: None,
                credentials: None,
                http_client: None,
                retry: RetryConfig::standard(),
                timeouts: TimeoutConfig::default(),
                use_fips: false,
                use_dual_stack: false,
                use_global_endpoint: false,
                max_body_bytes: DEFAULT_MAX_BODY_BYTES,
                app_name: None,
                disable_request_compression: false,
                request_min_compression_size_bytes: 10_240,
                service_endpoint_from_env: None,
                #[cfg(feature = "test-util")]
                interceptors: Vec::new(),
            },
            set: 0,
        }
    }
}

impl Builder {
    pub fn region(mut self, region: impl Into<Option<Region>>) -> Self {
        self.config.region = region.into();
        self.set |= set::REGION;
        self
    }

    pub fn set_region(&mut self, region: Option<Region>) -> &mut Self {
        self.config.region = region;
        self.set |= set::REGION;
        self
    }

    /// Sends every request to this URL instead of the endpoint the rules choose
    /// (`http://127.0.0.1:5000` for a local server).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self.set |= set::ENDPOINT_URL;
        self
    }

    pub fn set_endpoint_url(&mut self, url: Option<String>) -> &mut Self {
        self.config.endpoint_url = url;
        self.set |= set::ENDPOINT_URL;
        self
    }

    pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
        self.config.credentials = Some(SharedCredentialsProvider::new(provider));
        self.set |= set::CREDENTIALS;
        self
    }

    pub fn set_credentials_provider(&mut self, provider: Option<SharedCredentialsProvider>) -> &mut Self {
        self.config.credentials = provider;
        self.set |= set::CREDENTIALS;
        self
    }

    /// The transport (default: hyper with rustls, with feature `rustls`).
    pub fn http_client(mut self, client: impl HttpClient) -> Self {
        self.config.http_client = Some(Arc::new(client));
        self.set |= set::HTTP_CLIENT;
        self
    }

    pub fn set_http_client(&mut self, client: Option<SharedHttpClient>) -> &mut Self {
        self.config.http_client = client;
        self.set |= set::HTTP_CLIENT;
        self
    }

    /// This runtime's `RetryConfig`, or with feature `aws-types` aws-config's.
    pub fn retry_config(mut self, retry: impl Into<RetryConfig>) -> Self {
        self.config.retry = retry.into();
        self.set |= set::RETRY;
        self
    }

    pub fn set_retry_config(&mut self, retry: Option<RetryConfig>) -> &mut Self {
        self.config.retry = retry.unwrap_or_default();
        self.set |= set::RETRY;
        self
    }

    /// This runtime's `TimeoutConfig`, or with feature `aws-types` aws-config's.
    pub fn timeout_config(mut self, timeouts: impl Into<TimeoutConfig>) -> Self {
        self.config.timeouts = timeouts.into();
        self.set |= set::TIMEOUTS;
        self
    }

    pub fn set_timeout_config(&mut self, timeouts: Option<TimeoutConfig>) -> &mut Self {
        self.config.timeouts = timeouts.unwrap_or_default();
        self.set |= set::TIMEOUTS;
        self
    }

    pub fn use_fips(mut self, on: bool) -> Self {
        self.config.use_fips = on;
        self.set |= set::USE_FIPS;
        self
    }

    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.config.use_dual_stack = on;
        self.set |= set::USE_DUAL_STACK;
        self
    }

    /// The rule-set parameter `AWS::STS::UseGlobalEndpoint` (STS only): `true` sends the
    /// regions that had it to STS's global endpoint, as `AWS_STS_REGIONAL_ENDPOINTS=legacy`
    /// does. Default `false`: regional endpoints.
    pub fn use_global_endpoint(mut self, on: bool) -> Self {
        self.config.use_global_endpoint = on;
        self.set |= set::USE_GLOBAL_ENDPOINT;
        self
    }

    /// The largest response body accepted (default 64 MiB); a larger one fails the call
    /// without being read whole.
    pub fn max_response_body_bytes(mut self, n: usize) -> Self {
        self.config.max_body_bytes = n;
        self.set |= set::MAX_BODY_BYTES;
        self
    }

    /// Added to the user agent (`app/NAME`).
    pub fn app_name(mut self, name: AppName) -> Self {
        self.set_app_name(Some(name));
        self
    }

    pub fn set_app_name(&mut self, name: Option<AppName>) -> &mut Self {
        self.config.app_name = name;
        self.set |= set::APP_NAME;
        self
    }

    /// Accepted for aws-sdk-rust compatibility, with no effect: this crate has one
    /// behaviour, that of aws-sdk-rust's latest behaviour version (standard retries, a 3.1 s
    /// connect timeout).
    pub fn behavior_version(self, version: BehaviorVersion) -> Self {
        let _ = version;
        self
    }

    /// aws-sdk-rust's `behavior_version(BehaviorVersion::latest())`: no effect, see
    /// [`behavior_version`](Self::behavior_version).
    pub fn behavior_version_latest(self) -> Self {
        self
    }

    /// See [`behavior_version`](Self::behavior_version): no effect.
    pub fn set_behavior_version(&mut self, version: Option<BehaviorVersion>) -> &mut Self {
        let _ = version;
        self
    }

    pub fn disable_request_compression(mut self, off: bool) -> Self {
        self.config.disable_request_compression = off;
        self.set |= set::DISABLE_REQUEST_COMPRESSION;
        self
    }

    pub fn request_min_compression_size_bytes(mut self, n: u32) -> Self {
        self.config.request_min_compression_size_bytes = n as usize;
        self.set |= set::REQUEST_MIN_COMPRESSION_SIZE_BYTES;
        self
    }

    pub fn build(self) -> Config {
        self.config
    }

    /// `base` with the settings given to this builder, and only those, replaced: what a
    /// call's [`config_override`](crate::client::CustomizableOperation::config_override)
    /// makes of the client's configuration.
    pub fn apply_to(&self, base: &Config) -> Config {
        let mut c = base.clone();
        let (o, given) = (&self.config, |bit: u32| self.set & bit != 0);
        if given(set::REGION) {
            c.region.clone_from(&o.region);
        }
        if given(set::ENDPOINT_URL) {
            c.endpoint_url.clone_from(&o.endpoint_url);
        }
        if given(set::CREDENTIALS) {
            c.credentials.clone_from(&o.credentials);
        }
        if given(set::HTTP_CLIENT) {
            c.http_client.clone_from(&o.http_client);
        }
        if given(set::RETRY) {
            c.retry = o.retry.clone();
        }
        if given(set::TIMEOUTS) {
            c.timeouts = o.timeouts.clone();
        }
        if given(set::USE_FIPS) {
            c.use_fips = o.use_fips;
        }
        if given(set::USE_DUAL_STACK) {
            c.use_dual_stack = o.use_dual_stack;
        }
        if given(set::USE_GLOBAL_ENDPOINT) {
            c.use_global_endpoint = o.use_global_endpoint;
        }
        if given(set::MAX_BODY_BYTES) {
            c.max_body_bytes = o.max_body_bytes;
        }
        if given(set::APP_NAME) {
            c.app_name.clone_from(&o.app_name);
        }
        if given(set::DISABLE_REQUEST_COMPRESSION) {
            c.disable_request_compression = o.disable_request_compression;
        }
        if given(set::REQUEST_MIN_COMPRESSION_SIZE_BYTES) {
            c.request_min_compression_size_bytes = o.request_min_compression_size_bytes;
        }
        c
    }
}

/// `&Config` converts into `Config` (a clone), so that `Client::new(&config)` takes either
/// this crate's `Config` or, with feature `aws-types`, aws-config's `SdkConfig`.
impl From<&Config> for Config {
    fn from(config: &Config) -> Config {
        config.clone()
    }
}

/// A builder holding `config`, as aws-sdk-rust's `config::Builder::from(&sdk_config)`.
impl From<&Config> for Builder {
    fn from(config: &Config) -> Builder {
        Builder::from(config.clone())
    }
}

impl From<Config> for Builder {
    fn from(config: Config) -> Builder {
        Builder { config, set: 0 }
    }
}

/// What aws-config resolved, for programs that also use aws-sdk crates (feature `aws-types`):
/// region, credentials provider (through [`AwsConfigCredentials`](crate::credentials::AwsConfigCredentials)),
/// endpoint URL, FIPS and dual-stack, retries (attempts and backoff), timeouts, app name,
/// request compression. aws-config's HTTP client is not carried over: the default
/// transport (or one set on the builder) is used.
#[cfg(feature = "aws-types")]
impl From<&aws_types::SdkConfig> for Config {
    fn from(sdk: &aws_types::SdkConfig) -> Config {
        let mut b = Config::builder().region(sdk.region().map(|r| Region::new(r.as_ref().to_owned())));
        if let Some(provider) = sdk.credentials_provider() {
            b = b.credentials_provider(crate::credentials::AwsConfigCredentials::new(provider));
        }
        if let Some(url) = sdk.endpoint_url() {
            b = b.endpoint_url(url);
        }
        b = b.use_fips(sdk.use_fips().unwrap_or(false)).use_dual_stack(sdk.use_dual_stack().unwrap_or(false));
        if let Some(retry) = sdk.retry_config() {
            b = b.retry_config(retry);
        }
        if let Some(t) = sdk.timeout_config() {
            b = b.timeout_config(t);
        }
        if let Some(app) = sdk.app_name() {
            // aws-config's app names are valid ones already.
            b.set_app_name(AppName::new(app.to_string()).ok());
        }
        b = b.disable_request_compression(sdk.disable_request_compression().unwrap_or(false));
        if let Some(n) = sdk.request_min_compression_size_bytes() {
            b = b.request_min_compression_size_bytes(n);
        }
        b.build()
    }
}

#[cfg(feature = "aws-types")]
impl From<aws_types::SdkConfig> for Config {
    fn from(sdk: aws_types::SdkConfig) -> Config {
        Config::from(&sdk)
    }
}

/// `config::Builder::from(&sdk_config)` with aws-config's `SdkConfig` (feature `aws-types`).
#[cfg(feature = "aws-types")]
impl From<&aws_types::SdkConfig> for Builder {
    fn from(sdk: &aws_types::SdkConfig) -> Builder {
        Builder::from(Config::from(sdk))
    }
}

/// aws-config's retry settings (feature `aws-types`): mode, attempts, backoff.
#[cfg(feature = "aws-types")]
impl From<&aws_types::sdk_config::RetryConfig> for RetryConfig {
    fn from(retry: &aws_types::sdk_config::RetryConfig) -> RetryConfig {
        // aws-smithy-types' `RetryMode` (not re-exported by aws-types) by its name: `Adaptive`
        // or `Standard`; a mode this runtime does not know is standard.
        let mode = format!("{:?}", retry.mode()).parse().unwrap_or(crate::retry::RetryMode::Standard);
        RetryConfig::standard()
            .with_retry_mode(mode)
            .with_max_attempts(retry.max_attempts())
            .with_initial_backoff(retry.initial_backoff())
            .with_max_backoff(retry.max_backoff())
    }
}

#[cfg(feature = "aws-types")]
impl From<aws_types::sdk_config::RetryConfig> for RetryConfig {
    fn from(retry: aws_types::sdk_config::RetryConfig) -> RetryConfig {
        RetryConfig::from(&retry)
    }
}

/// aws-config's timeouts (feature `aws-types`); what it leaves unset keeps this runtime's
/// default (the connect and attempt timeouts).
#[cfg(feature = "aws-types")]
impl From<&aws_types::sdk_config::TimeoutConfig> for TimeoutConfig {
    fn from(t: &aws_types::sdk_config::TimeoutConfig) -> TimeoutConfig {
        let mut timeouts = TimeoutConfig::default();
        timeouts.connect = t.connect_timeout().or(timeouts.connect);
        timeouts.read = t.read_timeout();
        timeouts.attempt = t.operation_attempt_timeout().or(timeouts.attempt);
        timeouts.operation = t.operation_timeout();
        timeouts
    }
}

#[cfg(feature = "aws-types")]
impl From<aws_types::sdk_config::TimeoutConfig> for TimeoutConfig {
    fn from(t: aws_types::sdk_config::TimeoutConfig) -> TimeoutConfig {
        TimeoutConfig::from(&t)
    }
}

impl Builder {
    /// What every client takes from the environment and profile: FIPS, dual-stack, STS's
    /// global endpoint, attempts, retry mode, app name ([`ClientSettings`]).
    pub(crate) fn client_settings(mut self, settings: &ClientSettings) -> Self {
        self = self.use_fips(settings.use_fips).use_dual_stack(settings.use_dual_stack).use_global_endpoint(settings.use_global_endpoint);
        if settings.max_attempts.is_some() || settings.retry_mode.is_some() {
            let mut retry = RetryConfig::standard();
            if let Some(mode) = settings.retry_mode {
                retry = retry.with_retry_mode(mode);
            }
            if let Some(n) = settings.max_attempts {
                retry = retry.with_max_attempts(n);
            }
            self = self.retry_config(retry);
        }
        if let Some(app) = &settings.app_name {
            self = self.app_name(app.clone());
        }
        self
    }
}

/// The configuration of the STS calls a credentials provider makes, as the STS hook receives
/// it ([`crate::credentials::sts::Sts`]).
impl From<StsCall> for Config {
    fn from(call: StsCall) -> Config {
        let mut builder = Config::builder().client_settings(&call.settings).region(call.region);
        builder.set_endpoint_url(call.endpoint_url);
        if let Some(left) = call.operation_timeout {
            builder = builder.timeout_config(TimeoutConfig::builder().operation_timeout(left).build());
        }
        builder.set_http_client(Some(call.http));
        builder.set_credentials_provider(call.credentials.map(SharedCredentialsProvider::new));
        builder.build()
    }
}

/// Test helpers (feature `test-util`).
#[cfg(feature = "test-util")]
impl Builder {
    /// Adds an interceptor that may answer calls in the service's place (what typed mocks
    /// use; see [`crate::intercept`]). Interceptors are asked in the order they were added.
    pub fn interceptor(mut self, interceptor: impl crate::intercept::Intercept) -> Self {
        self.config.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Test credentials ([`Credentials::for_tests`](crate::credentials::Credentials::for_tests)).
    pub fn with_test_defaults(mut self) -> Self {
        self.config.credentials = Some(SharedCredentialsProvider::new(crate::credentials::Credentials::for_tests()));
        self
    }

    /// [`with_test_defaults`](Self::with_test_defaults), and region `us-east-1` unless one
    /// is set.
    pub fn with_test_defaults_v2(self) -> Self {
        let mut builder = self.with_test_defaults();
        if builder.config.region.is_none() {
            builder.config.region = Some(Region::from_static("us-east-1"));
        }
        builder
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_env_reads_region_profile_and_flags() {
        let dir = std::env::temp_dir().join(format!("aqr-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config_file = dir.join("config");
        std::fs::write(&config_file, "[profile dev]\nregion = eu-west-3\nmax_attempts = 5\nsts_regional_endpoints = legacy\n").unwrap();
        let path = config_file.to_string_lossy().into_owned();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let c = rt.block_on(Config::from_env_vars(Env::from_vars(&[
            ("AWS_CONFIG_FILE", &path),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
            ("AWS_PROFILE", "dev"),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
        ])));
        assert_eq!(c.region().map(|r| r.as_ref()), Some("eu-west-3"));
        assert_eq!(c.retry_config().map(|r| r.max_attempts()), Some(5));
        assert!(c.use_fips() && !c.use_dual_stack() && c.use_global_endpoint());
        let c = rt.block_on(Config::from_env_vars(Env::from_vars(&[("AWS_REGION", "ap-south-1"), ("AWS_CONFIG_FILE", &path)])));
        assert_eq!(c.region().map(|r| r.as_ref()), Some("ap-south-1"));
        assert!(!c.use_global_endpoint());
        // No region anywhere and IMDS disabled: none, at once.
        let c = rt.block_on(Config::from_env_vars(Env::from_vars(&[("AWS_EC2_METADATA_DISABLED", "true"), ("HOME", "/nonexistent")])));
        assert_eq!(c.region(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn retry_mode_from_the_environment_or_profile() {
        use crate::retry::RetryMode;
        let dir = std::env::temp_dir().join(format!("aqr-config-mode-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config_file = dir.join("config");
        std::fs::write(&config_file, "[default]\nretry_mode = adaptive\n[profile odd]\nretry_mode = legacy\nmax_attempts = 4\n").unwrap();
        let path = config_file.to_string_lossy().into_owned();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let load = |vars: &[(&str, &str)]| {
            let mut all = vec![("AWS_CONFIG_FILE", path.as_str()), ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"), ("AWS_REGION", "us-east-1")];
            all.extend_from_slice(vars);
            let c = rt.block_on(Config::from_env_vars(Env::from_vars(&all)));
            c.retry_config().map(|r| (r.mode(), r.max_attempts()))
        };
        // The profile's `retry_mode`, then `AWS_RETRY_MODE` over it, in any case.
        assert_eq!(load(&[]), Some((RetryMode::Adaptive, 3)));
        assert_eq!(load(&[("AWS_RETRY_MODE", "Standard")]), Some((RetryMode::Standard, 3)));
        assert_eq!(load(&[("AWS_RETRY_MODE", "ADAPTIVE"), ("AWS_MAX_ATTEMPTS", "7")]), Some((RetryMode::Adaptive, 7)));
        // An unknown mode is ignored, as an invalid `max_attempts` is (the variable, when set,
        // hides the profile's key, as for every setting).
        assert_eq!(load(&[("AWS_PROFILE", "odd")]), Some((RetryMode::Standard, 4)));
        assert_eq!(load(&[("AWS_RETRY_MODE", "legacy"), ("AWS_MAX_ATTEMPTS", "many")]), Some((RetryMode::Standard, 3)));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

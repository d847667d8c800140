//! aws-config's surface on this project's own configuration chain: rename this crate to
//! `aws-config` in Cargo.toml and programs that set themselves up through aws-config compile
//! unchanged with this project's service crates.
//!
//! ```toml
//! [dependencies]
//! aws-config = { package = "aws-query-config", version = "0.1" }
//! aws-sdk-elasticache = { package = "elasticache", version = "0.1" }
//! ```
//!
//! ```no_run
//! # async fn f() {
//! # use aws_query_config as aws_config;
//! use aws_config::meta::region::RegionProviderChain;
//! use aws_config::BehaviorVersion;
//!
//! let region = RegionProviderChain::default_provider().or_else("us-west-2");
//! let config = aws_config::defaults(BehaviorVersion::latest()).region(region).profile_name("ops").load().await;
//! // then `aws_sdk_elasticache::Client::new(&config)`, or `config::Builder::from(&config)`.
//! # let _ = config;
//! # }
//! ```
//!
//! [`SdkConfig`] is the runtime's configuration itself, so every service crate of this
//! project takes it in `Client::new(&config)` and `config::Builder::from(&config)` with no
//! feature to enable. The providers are the runtime's (one implementation for `Config::from_env()`
//! and for this crate), under aws-config's names and paths, and usable outside a client
//! (`provider.provide_credentials().await`): this crate supplies STS and a transport when no
//! client does.
//!
//! # What differs from aws-config
//!
//! | aws-config | here |
//! |---|---|
//! | `SdkConfig` is `aws_types::SdkConfig` | the runtime's `Config`, with the same accessors (`region()`, `credentials_provider()`, `endpoint_url()`, `retry_config()`, `timeout_config()`, `app_name()`) and `builder()`; aws-sdk crates do not take it (keep aws-config itself beside them) |
//! | `ConfigLoader::http_client`, `sleep_impl`, `time_source`, `identity_cache` take aws-smithy's types | `http_client` takes this project's `HttpClient`; the others are not here (Tokio's timer, the system clock, one cache per provider) |
//! | `configure(ProviderConfig)` on providers, `ConfigLoader::profile_files` | `env(Env)` on `ConfigLoader`, `DefaultCredentialsChain` and `DefaultRegionChain`; profile files through `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE` |
//! | `token_provider`, bearer tokens, `login` | not here: ElastiCache and STS sign with SigV4 |
//! | `ImdsCredentialsProvider::builder().imds_client(..)`, `EcsCredentialsProvider::builder().dns(..)` and timeouts | `builder().build()` only: the runtime's settings (1 s per IMDS attempt, 5 s per load) |
//! | malformed profile files: `ProfileFileError::InvalidProfile` | the same outcome — every profile unusable, "could not parse the profile files: PATH: line N: …" — as an invalid-configuration `CredentialsError` |
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod loader;
mod standalone;

pub mod default_provider;
pub mod ecs;
pub mod environment;
pub mod imds;
pub mod meta;
pub mod profile;
pub mod sso;
pub mod sts;
pub mod web_identity_token;

pub use aws_query_runtime::config::Config as SdkConfig;
pub use aws_query_runtime::config::{AppName, BehaviorVersion, InvalidAppName, Region};
pub use loader::ConfigLoader;

/// Retries: standard and adaptive modes.
pub mod retry {
    pub use aws_query_runtime::retry::{RetryConfig, RetryMode};
}

/// Timeouts: connect, read, attempt, operation.
pub mod timeout {
    pub use aws_query_runtime::config::{TimeoutConfig, TimeoutConfigBuilder};
}

/// A loader with the latest behavior version: as [`defaults`]`(BehaviorVersion::latest())`.
pub fn from_env() -> ConfigLoader {
    defaults(BehaviorVersion::latest())
}

/// The configuration of the environment: as [`load_defaults`]`(BehaviorVersion::latest())`.
pub async fn load_from_env() -> SdkConfig {
    from_env().load().await
}

/// A loader for behavior version `version`, to change settings before
/// [`load`](ConfigLoader::load).
pub fn defaults(version: BehaviorVersion) -> ConfigLoader {
    ConfigLoader::default().behavior_version(version)
}

/// The configuration of the environment (region, credentials, endpoint, retries, …) for
/// behavior version `version`.
pub async fn load_defaults(version: BehaviorVersion) -> SdkConfig {
    defaults(version).load().await
}

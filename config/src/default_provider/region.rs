//! The default region chain: `AWS_REGION` / `AWS_DEFAULT_REGION`, the profile's `region`,
//! then EC2 instance metadata.

use crate::environment::region::EnvironmentVariableRegionProvider;
use crate::imds::region::ImdsRegionProvider;
use crate::meta::region::{future, ProvideRegion, RegionProviderChain};
use crate::profile::region::ProfileFileRegionProvider;
use aws_query_runtime::config::Region;
use aws_query_runtime::credentials::Env;

/// The default region chain, as a provider.
pub fn default_provider() -> impl ProvideRegion {
    DefaultRegionChain::builder().build()
}

/// Environment, profile, instance metadata, in that order.
#[derive(Debug)]
pub struct DefaultRegionChain(RegionProviderChain);

impl DefaultRegionChain {
    /// The first region the sources know.
    pub async fn region(&self) -> Option<Region> {
        self.0.region().await
    }

    pub fn builder() -> Builder {
        Builder::default()
    }
}

impl ProvideRegion for DefaultRegionChain {
    fn region(&self) -> future::ProvideRegion<'_> {
        future::ProvideRegion::new(DefaultRegionChain::region(self))
    }
}

/// Builds a [`DefaultRegionChain`].
#[derive(Debug, Default)]
pub struct Builder {
    profile: Option<String>,
    env: Option<Env>,
}

impl Builder {
    /// The profile to read `region` from, instead of `AWS_PROFILE`'s (or `default`).
    pub fn profile_name(mut self, name: &str) -> Self {
        self.profile = Some(name.to_owned());
        self
    }

    /// The environment variables to read instead of the process's (a fixed set in tests).
    /// Not in aws-config, which takes them through `configure(ProviderConfig)`.
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    pub fn build(self) -> DefaultRegionChain {
        let mut env = self.env.unwrap_or_else(Env::process);
        if let Some(profile) = self.profile {
            env = env.with_var("AWS_PROFILE", profile);
        }
        DefaultRegionChain(
            RegionProviderChain::first_try(EnvironmentVariableRegionProvider::from_env(env.clone()))
                .or_else(ProfileFileRegionProvider::from_env(env.clone()))
                .or_else(ImdsRegionProvider::from_env(env)),
        )
    }
}

//! The default credentials chain: environment, profile (static keys, `credential_process`,
//! SSO, assumed roles, web identity), web identity token, container endpoint, instance
//! metadata — the runtime's [`DefaultCredentialsChain`](aws_query_runtime::credentials::DefaultCredentialsChain),
//! usable outside a client too.

use crate::meta::region::ProvideRegion;
use crate::standalone::{delegate_provider, Standalone};
use aws_query_runtime::config::Region;
use aws_query_runtime::credentials::{self as rt, Env, ProvideCredentials};

/// The default chain, built.
pub async fn default_provider() -> impl ProvideCredentials {
    DefaultCredentialsChain::builder().build().await
}

/// The first source that has credentials, cached until shortly before they expire. When
/// none has, the error lists what each source said.
#[derive(Debug)]
pub struct DefaultCredentialsChain(Standalone<rt::DefaultCredentialsChain>);

impl DefaultCredentialsChain {
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The chain over `env`, with `region` for STS when the environment names none.
    pub(crate) fn from_env(env: Env, region: Option<Region>) -> Self {
        DefaultCredentialsChain(Standalone::new(rt::DefaultCredentialsChain::builder().env(env).build(), region))
    }
}

delegate_provider!(DefaultCredentialsChain);

/// Builds a [`DefaultCredentialsChain`].
#[derive(Debug, Default)]
pub struct Builder {
    profile_name: Option<String>,
    region: Option<Box<dyn ProvideRegion>>,
    env: Option<Env>,
}

impl Builder {
    /// The region for the chain's STS calls (assumed roles, web identity) when the
    /// environment and profile name none.
    pub fn region(mut self, region: impl ProvideRegion + 'static) -> Self {
        self.region = Some(Box::new(region));
        self
    }

    /// [`region`](Self::region), or none.
    pub fn set_region(&mut self, region: Option<impl ProvideRegion + 'static>) -> &mut Self {
        self.region = region.map(|r| Box::new(r) as Box<dyn ProvideRegion>);
        self
    }

    /// The profile to use instead of `AWS_PROFILE`'s.
    pub fn profile_name(mut self, name: &str) -> Self {
        self.profile_name = Some(name.to_owned());
        self
    }

    /// The environment variables to read instead of the process's (a fixed set in tests).
    /// Not in aws-config, which takes them through `configure(ProviderConfig)`.
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    pub async fn build(self) -> DefaultCredentialsChain {
        let region = match &self.region {
            Some(provider) => provider.region().await,
            None => None,
        };
        let mut env = self.env.unwrap_or_else(Env::process);
        if let Some(profile) = self.profile_name {
            env = env.with_var("AWS_PROFILE", profile);
        }
        DefaultCredentialsChain::from_env(env, region)
    }
}

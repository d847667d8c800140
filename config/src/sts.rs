//! Credentials of an assumed role: STS `AssumeRole`, signed with other credentials.

use crate::SdkConfig;
use aws_query_runtime::config::Region;
use aws_query_runtime::credentials::sts::{AssumeRoleRequest, StsCall};
use aws_query_runtime::credentials::{
    Credentials, CredentialsCache, CredentialsError, Env, LoadContext, ProvideCredentials, SharedCredentialsProvider,
};
use aws_query_runtime::http::SharedHttpClient;
use std::time::Duration;
use aws_query_runtime::credentials::future;

/// Assumes role `role_arn` with the source credentials (the configuration's, or the default
/// chain's), and keeps what STS gives until shortly before it expires.
#[derive(Debug)]
pub struct AssumeRoleProvider {
    request: AssumeRoleRequest,
    region: Option<Region>,
    endpoint_url: Option<String>,
    source: SharedCredentialsProvider,
    http: Option<SharedHttpClient>,
    env: Env,
    cache: CredentialsCache,
}

impl AssumeRoleProvider {
    /// A builder for role `role` (its ARN).
    pub fn builder(role: impl Into<String>) -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder::new(role)
    }

    async fn load(&self, ctx: &LoadContext) -> Result<Credentials, CredentialsError> {
        let source = self
            .source
            .provide_credentials_with(ctx)
            .await
            .map_err(|e| e.context(format!("the source credentials to assume `{}`", self.request.role_arn)))?;
        let http = ctx.http_client().or(self.http.as_ref()).cloned().ok_or_else(|| {
            CredentialsError::invalid_configuration(
                "assuming a role outside a client needs a transport: enable aws-query-config's `rustls` feature \
                 (a default), or use the provider through a client",
            )
        })?;
        let mut call = StsCall::from_env(&self.env, ctx, http, Some(source));
        if let Some(region) = &self.region {
            call.region = region.clone();
        }
        if self.endpoint_url.is_some() {
            call.endpoint_url.clone_from(&self.endpoint_url);
        }
        let sts = ctx.sts().unwrap_or(&aws_query_credentials_sts::STS);
        sts.assume_role(call, self.request.clone()).await
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move { self.provide_credentials_with(&LoadContext::new()).await })
    }

    fn provide_credentials_with<'a>(&'a self, ctx: &'a LoadContext) -> future::ProvideCredentials<'a> {
        future::ProvideCredentials::new(self.cache.get_or_load(ctx.deadline(), self.load(ctx)))
    }

    fn invalidate(&self, rejected: &Credentials) {
        self.cache.invalidate(rejected)
    }
}

/// Builds an [`AssumeRoleProvider`].
#[derive(Debug)]
pub struct AssumeRoleProviderBuilder {
    request: AssumeRoleRequest,
    region: Option<Region>,
    endpoint_url: Option<String>,
    source: Option<SharedCredentialsProvider>,
}

impl AssumeRoleProviderBuilder {
    /// A builder for role `role` (its ARN).
    pub fn new(role: impl Into<String>) -> Self {
        AssumeRoleProviderBuilder { request: AssumeRoleRequest::new(role, None), region: None, endpoint_url: None, source: None }
    }

    /// The external ID the role's trust policy asks for.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.request.external_id = Some(id.into());
        self
    }

    /// The session name (default `aws-query-<milliseconds since 1970>`).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.request.role_session_name = name.into();
        self
    }

    /// How long the credentials last (STS's default, one hour, when unset); whole seconds.
    pub fn session_length(mut self, length: Duration) -> Self {
        self.request.duration_seconds = Some(i32::try_from(length.as_secs()).unwrap_or(i32::MAX));
        self
    }

    /// The region of the STS endpoint (default: the environment's or profile's, else
    /// `us-east-1`).
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// Region, endpoint URL and source credentials from `conf`, as the STS client aws-config
    /// makes from it.
    pub fn configure(mut self, conf: &SdkConfig) -> Self {
        if let Some(region) = conf.region() {
            self.region = Some(region.clone());
        }
        if let Some(url) = conf.endpoint_url() {
            self.endpoint_url = Some(url.to_owned());
        }
        if let Some(provider) = conf.credentials_provider() {
            self.source = Some(provider);
        }
        self
    }

    /// The provider, with the configured source credentials or else the default chain's.
    pub async fn build(self) -> AssumeRoleProvider {
        let source = match self.source.clone() {
            Some(source) => source,
            None => SharedCredentialsProvider::new(crate::default_provider::credentials::DefaultCredentialsChain::builder().build().await),
        };
        self.build_from_provider(source).await
    }

    /// The provider, with `provider`'s credentials as the source.
    pub async fn build_from_provider(self, provider: impl ProvideCredentials) -> AssumeRoleProvider {
        AssumeRoleProvider {
            request: self.request,
            region: self.region,
            endpoint_url: self.endpoint_url,
            source: SharedCredentialsProvider::new(provider),
            http: crate::standalone::default_http(),
            env: Env::process(),
            cache: CredentialsCache::default(),
        }
    }
}

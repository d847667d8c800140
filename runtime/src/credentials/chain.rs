//! The default chain: every source in aws-config's order, one cache in front.

use super::imds::{ImdsClient, ImdsCredentialsProvider};
use super::{
    ContainerCredentialsProvider, Credentials, CredentialsCache, CredentialsError, CredentialsErrorKind, Env,
    EnvironmentProvider, LoadContext, ProfileProvider, ProvideCredentials, WebIdentityTokenProvider,
};
use crate::http::{BoxFuture, HttpClient, SharedHttpClient};
use std::sync::Arc;
use std::time::Duration;
use super::future;

/// The standard chain, in aws-config's order; the first source that is configured gives
/// the credentials (a source that is configured but fails ends the search with its error):
///
/// 1. the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`;
/// 2. the profile (`AWS_PROFILE`, default `default`) of `~/.aws/config` and
///    `~/.aws/credentials`: static keys, `credential_process`, SSO (`sso_session` or legacy
///    `sso_start_url`), `web_identity_token_file`, and roles assumed over any of them
///    (`role_arn` with `source_profile` or `credential_source`);
/// 3. web identity: `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` (EKS IRSA);
/// 4. the container endpoint: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (ECS) or
///    `AWS_CONTAINER_CREDENTIALS_FULL_URI` (EKS Pod Identity);
/// 5. EC2 instance metadata (IMDSv2).
///
/// What it finds is cached until five minutes before it expires (credentials without expiry
/// until a service rejects them as expired); one load runs at a time, bounded by the load
/// timeout (default 5 s) and by the operation timeout of the call that started it. Assuming
/// a role and web identity need STS, which a client passes in (generated crates with
/// `credentials = "full"`, the default).
#[derive(Debug)]
pub struct DefaultCredentialsChain {
    environment: EnvironmentProvider,
    profile: ProfileProvider,
    web_identity: WebIdentityTokenProvider,
    container: ContainerCredentialsProvider,
    imds: Arc<ImdsCredentialsProvider>,
    cache: CredentialsCache,
}

impl DefaultCredentialsChain {
    pub fn new() -> Self {
        Self::builder().build()
    }

    pub fn builder() -> DefaultCredentialsChainBuilder {
        DefaultCredentialsChainBuilder::default()
    }

    async fn load(&self, ctx: &LoadContext) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        let sources: [(&str, BoxFuture<'_, Result<Credentials, CredentialsError>>); 5] = [
            ("environment", Box::pin(self.environment.provide_credentials())),
            ("profile", Box::pin(self.profile.load(ctx))),
            ("web identity", Box::pin(self.web_identity.load(ctx))),
            ("container", Box::pin(self.container.load(ctx))),
            ("IMDS", Box::pin(self.imds.load(ctx))),
        ];
        // Futures do nothing until awaited: each source runs only if the ones before it
        // had nothing configured.
        for (name, source) in sources {
            match source.await {
                Ok(c) => return Ok(c),
                Err(e) if e.kind() == CredentialsErrorKind::NotLoaded => tried.push(format!("{name}: {e}")),
                Err(e) => return Err(e),
            }
        }
        Err(CredentialsError::not_loaded(format!("no credentials found ({})", tried.join("; "))))
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let ctx = LoadContext::default();
            self.cache.get_or_load_or(None, self.load(&ctx), || self.imds.fallback()).await
        })
    }

    fn provide_credentials_with<'a>(&'a self, ctx: &'a LoadContext) -> future::ProvideCredentials<'a> {
        future::ProvideCredentials::new(self.cache.get_or_load_or(ctx.deadline(), self.load(ctx), || self.imds.fallback()))
    }

    fn invalidate(&self, rejected: &Credentials) {
        self.cache.invalidate(rejected)
    }
}

/// Builds a [`DefaultCredentialsChain`].
#[derive(Debug, Default)]
pub struct DefaultCredentialsChainBuilder {
    env: Option<Env>,
    profile: Option<String>,
    http: Option<SharedHttpClient>,
    load_timeout: Option<Duration>,
    imds: Option<Arc<ImdsClient>>,
}

impl DefaultCredentialsChainBuilder {
    /// Where the chain reads environment variables (default: the process's).
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// The profile to read instead of `AWS_PROFILE`'s.
    pub fn profile_name(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// The transport for IMDS, the container endpoint, SSO and STS (default: the calling
    /// client's).
    pub fn http_client(mut self, http: impl HttpClient) -> Self {
        self.http = Some(Arc::new(http));
        self
    }

    /// The longest one load may take (default 5 s); a `credential_process` still running
    /// then is killed.
    pub fn load_timeout(mut self, timeout: Duration) -> Self {
        self.load_timeout = Some(timeout);
        self
    }

    /// The IMDS client `Config::from_env` asked for the region, so that what it learnt
    /// (its token, an endpoint that does not answer) carries over.
    pub(crate) fn imds_client(mut self, client: Arc<ImdsClient>) -> Self {
        self.imds = Some(client);
        self
    }

    pub fn build(self) -> DefaultCredentialsChain {
        let env = self.env.unwrap_or_else(Env::process);
        let client = self.imds.unwrap_or_else(|| Arc::new(ImdsClient::new(env.clone())));
        let imds = Arc::new(ImdsCredentialsProvider::with_parts(client, self.http.clone()));
        DefaultCredentialsChain {
            environment: EnvironmentProvider::with_env(env.clone()),
            profile: ProfileProvider::with_parts(env.clone(), self.profile, self.http.clone(), imds.clone()),
            web_identity: WebIdentityTokenProvider::with_parts(env.clone(), self.http.clone()),
            container: ContainerCredentialsProvider::with_parts(env, self.http),
            imds,
            cache: CredentialsCache::new(self.load_timeout.unwrap_or(CredentialsCache::DEFAULT_LOAD_TIMEOUT)),
        }
    }
}

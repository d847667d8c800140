//! Web identity (EKS IRSA): a token file and a role, exchanged for credentials by STS
//! `AssumeRoleWithWebIdentity`.

use super::sts::WebIdentityRequest;
use super::{default_session_name, fetch, Credentials, CredentialsCache, CredentialsError, Env, LoadContext, ProvideCredentials};
use crate::http::SharedHttpClient;
use super::future;

/// `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME`. The token file
/// is read at every load (the cluster rotates it). Needs a client whose crate has STS.
#[derive(Debug, Default)]
pub struct WebIdentityTokenProvider {
    env: Env,
    http: Option<SharedHttpClient>,
    cache: CredentialsCache,
}

impl WebIdentityTokenProvider {
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// Reads the environment from `vars` instead of the process (for tests).
    pub fn from_vars(vars: &[(&str, &str)]) -> Self {
        Self::with_env(Env::from_vars(vars))
    }

    pub(crate) fn with_env(env: Env) -> Self {
        Self::with_parts(env, None)
    }

    pub(crate) fn with_parts(env: Env, http: Option<SharedHttpClient>) -> Self {
        WebIdentityTokenProvider { env, http, cache: CredentialsCache::default() }
    }

    /// Loads without the cache (the chain has its own).
    pub(crate) async fn load(&self, ctx: &LoadContext) -> Result<Credentials, CredentialsError> {
        let Some(token_file) = self.env.non_empty("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return Err(CredentialsError::not_loaded("AWS_WEB_IDENTITY_TOKEN_FILE is not set"));
        };
        let Some(role_arn) = self.env.non_empty("AWS_ROLE_ARN") else {
            return Err(CredentialsError::invalid_configuration("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"));
        };
        let session = self.env.non_empty("AWS_ROLE_SESSION_NAME");
        assume(&self.env, self.http.as_ref(), ctx, &role_arn, &token_file, session.as_deref()).await
    }
}

impl ProvideCredentials for WebIdentityTokenProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move { self.cache.get_or_load(None, self.load(&LoadContext::default())).await })
    }

    fn provide_credentials_with<'a>(&'a self, ctx: &'a LoadContext) -> future::ProvideCredentials<'a> {
        future::ProvideCredentials::new(self.cache.get_or_load(ctx.deadline(), self.load(ctx)))
    }

    fn invalidate(&self, rejected: &Credentials) {
        self.cache.invalidate(rejected)
    }
}

/// Reads the token in `token_file` and exchanges it for the credentials of `role_arn`
/// (the environment's variables, or a profile's `web_identity_token_file`).
pub(crate) async fn assume(
    env: &Env,
    http: Option<&SharedHttpClient>,
    ctx: &LoadContext,
    role_arn: &str,
    token_file: &str,
    session_name: Option<&str>,
) -> Result<Credentials, CredentialsError> {
    let sts = super::sts::required(ctx, "web identity")?;
    let token = std::fs::read_to_string(token_file).map_err(|e| {
        CredentialsError::invalid_configuration(format!("the web identity token file `{token_file}` cannot be read: {e}"))
    })?;
    let token = token.trim();
    if token.is_empty() {
        return Err(CredentialsError::invalid_configuration(format!("the web identity token file `{token_file}` is empty")));
    }
    let http = fetch::transport(http, ctx);
    let call = super::sts::call(env, ctx, http, None);
    let request = WebIdentityRequest {
        role_arn: role_arn.to_owned(),
        role_session_name: session_name.map_or_else(|| default_session_name("web-identity"), str::to_owned),
        web_identity_token: token.to_owned(),
    };
    sts.assume_role_with_web_identity(call, request).await
}

//! The STS calls of the credential providers, as a hook: the runtime cannot depend on a
//! generated crate (generated crates depend on the runtime), so a crate that can — crate
//! `aws-query-credentials`, with the generated `sts` client — implements [`Sts`], and each
//! generated crate generated with `credentials = "full"` hands its implementation to the
//! runtime in its `ServiceInfo`. A client passes it to its credentials provider in the
//! [`LoadContext`].

use super::{Credentials, CredentialsError, Env, LoadContext};
use crate::config::{Config, Region, Settings, TimeoutConfig};
use crate::http::{BoxFuture, SharedHttpClient};
use std::fmt;
use std::time::Instant;

/// `AssumeRole` and `AssumeRoleWithWebIdentity`. `config` says where and how to call STS:
/// region, endpoint, transport, timeouts, and for `assume_role` the source credentials to
/// sign with.
pub trait Sts: Send + Sync + fmt::Debug + 'static {
    fn assume_role(&self, config: Config, request: AssumeRoleRequest) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;

    /// An unsigned call: the token is the proof of identity.
    fn assume_role_with_web_identity(
        &self,
        config: Config,
        request: WebIdentityRequest,
    ) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

/// The parameters of `AssumeRole`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AssumeRoleRequest {
    pub role_arn: String,
    pub role_session_name: String,
    pub external_id: Option<String>,
    pub duration_seconds: Option<i32>,
}

/// The parameters of `AssumeRoleWithWebIdentity`.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebIdentityRequest {
    pub role_arn: String,
    pub role_session_name: String,
    pub web_identity_token: String,
}

/// The token is a secret.
impl fmt::Debug for WebIdentityRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityRequest")
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.role_session_name)
            .field("web_identity_token", &"** redacted **")
            .finish()
    }
}

/// The STS implementation of the calling client, or an error saying why there is none.
pub(crate) fn required(ctx: &LoadContext, what: &str) -> Result<&'static dyn Sts, CredentialsError> {
    ctx.sts().ok_or_else(|| {
        CredentialsError::invalid_configuration(format!(
            "{what} needs STS, which this client does not have: its crate was generated with \
             `credentials = \"basic\"` (as the `sts` crate is), or the provider was used outside a client. \
             Use the provider through a client of a crate with the full chain, or give this client other credentials"
        ))
    })
}

/// How to reach STS: the region of the environment or profile, else the calling client's,
/// else `us-east-1`; `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL`, FIPS, dual-stack and
/// `AWS_STS_REGIONAL_ENDPOINTS` as for any client; the operation timeout what is left until
/// the caller's deadline.
pub(crate) fn config(env: &Env, ctx: &LoadContext, http: SharedHttpClient, credentials: Option<Credentials>) -> Config {
    let settings = Settings::load(env);
    let region = settings.region().or_else(|| ctx.region().cloned()).unwrap_or(Region::from_static("us-east-1"));
    let mut builder = settings.apply(Config::builder()).region(region);
    if let Some(url) = settings.endpoint_url("STS") {
        builder = builder.endpoint_url(url);
    }
    if let Some(deadline) = ctx.deadline() {
        let left = deadline.saturating_duration_since(Instant::now());
        builder = builder.timeout_config(TimeoutConfig::builder().operation_timeout(left).build());
    }
    builder.set_http_client(Some(http));
    builder.set_credentials_provider(credentials.map(super::SharedCredentialsProvider::new));
    builder.build()
}

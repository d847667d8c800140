//! The STS calls of the credential providers, as a hook: the runtime cannot depend on a
//! generated crate (generated crates depend on the runtime), so a crate that can — crate
//! `aws-query-credentials-sts`, with the generated `sts` client — implements [`Sts`], and each
//! generated crate generated with `credentials = "full"` hands its implementation to the
//! runtime in its `ServiceInfo`. A client passes it to its credentials provider in the
//! [`LoadContext`].

use super::settings::{ClientSettings, Settings};
use super::{Credentials, CredentialsError, Env, LoadContext};
use crate::http::{BoxFuture, SharedHttpClient};
use crate::values::Region;
use std::fmt;
use std::time::{Duration, Instant};

/// `AssumeRole` and `AssumeRoleWithWebIdentity`. `call` says where and how to call STS:
/// region, endpoint, settings, transport, time left, and for `assume_role` the source
/// credentials to sign with (`Config::from(call)` is the client configuration it describes).
pub trait Sts: Send + Sync + fmt::Debug + 'static {
    fn assume_role(&self, call: StsCall, request: AssumeRoleRequest) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;

    /// An unsigned call: the token is the proof of identity.
    fn assume_role_with_web_identity(
        &self,
        call: StsCall,
        request: WebIdentityRequest,
    ) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

/// Where and how a credentials provider calls STS.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct StsCall {
    pub region: Region,
    /// `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL` (or the profile's `endpoint_url`).
    pub endpoint_url: Option<String>,
    /// FIPS, dual-stack, STS's global endpoint, attempts, app name, from the environment.
    pub settings: ClientSettings,
    /// The calling client's transport (or the metadata endpoints' plain HTTP).
    pub http: SharedHttpClient,
    /// What is left until the calling operation's deadline.
    pub operation_timeout: Option<Duration>,
    /// The source credentials to sign with (`AssumeRole`); none for the unsigned call.
    pub credentials: Option<Credentials>,
}

impl StsCall {
    /// How to reach STS from `env` and the calling context, as the runtime's own providers
    /// do (see [`call`]): for providers outside the runtime (aws-query-config's
    /// `AssumeRoleProvider`), which may then set `region`.
    pub fn from_env(env: &Env, ctx: &LoadContext, http: SharedHttpClient, credentials: Option<Credentials>) -> StsCall {
        call(env, ctx, http, credentials)
    }
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

impl AssumeRoleRequest {
    /// `role_arn` as `role_session_name`; a session name of `None` is one made up from the
    /// time (`aws-query-<millis>`), as the profile provider's. The other fields are public.
    pub fn new(role_arn: impl Into<String>, role_session_name: Option<String>) -> Self {
        AssumeRoleRequest {
            role_arn: role_arn.into(),
            role_session_name: role_session_name.unwrap_or_else(|| super::default_session_name("aws-query")),
            external_id: None,
            duration_seconds: None,
        }
    }
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
pub(crate) fn call(env: &Env, ctx: &LoadContext, http: SharedHttpClient, credentials: Option<Credentials>) -> StsCall {
    let settings = Settings::load(env);
    StsCall {
        region: settings.region().or_else(|| ctx.region().cloned()).unwrap_or(Region::from_static("us-east-1")),
        endpoint_url: settings.endpoint_url("STS"),
        settings: settings.client_settings(),
        http,
        operation_timeout: ctx.deadline().map(|deadline| deadline.saturating_duration_since(Instant::now())),
        credentials,
    }
}

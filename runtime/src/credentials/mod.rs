//! Credentials and where they come from.
//!
//! [`DefaultCredentialsChain`] (what [`Config::from_env`](crate::config::Config::from_env)
//! uses) looks where aws-config's default chain looks, in the same order: the environment,
//! the shared `config`/`credentials` files' profile (static keys, `credential_process`, assume
//! role, SSO, web identity), the web identity token of the environment (EKS IRSA), the
//! container endpoint (ECS, EKS Pod Identity), and EC2's instance metadata (IMDSv2). Each
//! source is also a provider of its own. With feature `aws-credential-types`, any provider of
//! aws-config can be passed through `AwsConfigCredentials`.
//!
//! Sources that call STS (assume role, web identity) do so through the [`sts::Sts`] hook a
//! generated crate gives the runtime (crate `aws-query-credentials-sts`, which uses the generated
//! `sts` crate); a client passes it to its provider in a [`LoadContext`], with its transport
//! and the deadline of the call.
//!
//! Secrets never appear in `Debug` or `Display` output.

mod cache;
mod chain;
mod container;
mod fetch;
mod imds;
mod process;
mod profile;
pub mod settings;
mod sso;
pub mod sts;
mod web_identity;

pub use cache::CredentialsCache;
pub use chain::{DefaultCredentialsChain, DefaultCredentialsChainBuilder};
pub use container::ContainerCredentialsProvider;
pub use imds::ImdsCredentialsProvider;
pub use profile::{ProfileFiles, ProfileProvider};
pub use web_identity::WebIdentityTokenProvider;

pub(crate) use imds::ImdsClient;
pub(crate) use profile::selected_profile;

use crate::values::Region;
use crate::http::SharedHttpClient;

/// Any error, boxed: what aws-credential-types' error constructors take.
type BoxError = Box<dyn std::error::Error + Send + Sync>;
use std::fmt;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

/// An access key, its secret, and for temporary credentials a session token and expiry.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials(Arc<Inner>);

#[derive(PartialEq, Eq)]
struct Inner {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    provider_name: &'static str,
}

impl Credentials {
    /// Same arguments as aws-credential-types' `Credentials::new`.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiry: Option<SystemTime>,
        provider_name: &'static str,
    ) -> Self {
        Credentials(Arc::new(Inner {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry,
            provider_name,
        }))
    }

    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    pub fn secret_access_key(&self) -> &str {
        &self.0.secret_access_key
    }

    pub fn session_token(&self) -> Option<&str> {
        self.0.session_token.as_deref()
    }

    pub fn expiry(&self) -> Option<SystemTime> {
        self.0.expiry
    }

    /// Which provider made them (`"static"`, `"Environment"`, `"Profile"`, `"AssumeRole"`,
    /// `"WebIdentityToken"`, `"Sso"`, `"CredentialProcess"`, `"ContainerCredentials"`,
    /// `"Imds"`, …).
    pub fn provider_name(&self) -> &'static str {
        self.0.provider_name
    }

    /// The same keys with another expiry (static stability: IMDS credentials kept in use
    /// while the service cannot give new ones).
    pub(crate) fn with_expiry(&self, expiry: SystemTime) -> Credentials {
        let c = &self.0;
        Credentials::new(&*c.access_key_id, &*c.secret_access_key, c.session_token.clone(), Some(expiry), c.provider_name)
    }
}

/// Test helpers (feature `test-util`).
#[cfg(feature = "test-util")]
impl Credentials {
    /// Fixed, obviously fake keys for tests (the values aws-credential-types' `for_tests` has).
    pub fn for_tests() -> Self {
        Credentials::new("ANOTREAL", "notrealrnrELgWzOk3IfjzDKtFBhDby", None, None, "test")
    }
}

/// The access key id is shown (it is not secret, and it tells keys apart); the secret and
/// the session token are not.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Credentials");
        d.field("provider_name", &self.0.provider_name)
            .field("access_key_id", &self.0.access_key_id)
            .field("secret_access_key", &"** redacted **");
        if self.0.session_token.is_some() {
            d.field("session_token", &"** redacted **");
        }
        if let Some(expiry) = self.0.expiry {
            d.field("expiry", &crate::primitives::DateTime::from(expiry));
        }
        d.finish()
    }
}

/// Why no credentials could be had.
#[derive(Debug)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// Broad reasons, to tell "not configured here" (try the next provider) from a real failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// This provider has nothing configured; a chain moves on.
    NotLoaded,
    /// Configuration is present but wrong.
    InvalidConfiguration,
    /// The provider failed (a process exited non-zero, a service refused, an aws-config
    /// provider failed).
    ProviderError,
    /// Loading took longer than the provider timeout or the call's operation timeout.
    TimedOut,
}

impl CredentialsError {
    pub fn new(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        CredentialsError { kind, message: message.into(), source: None }
    }

    /// This provider has nothing configured (a chain moves on). As aws-credential-types'
    /// constructors, each of these takes a message (`&str`, `String`) or an error, whose text
    /// becomes the message.
    pub fn not_loaded(cause: impl Into<BoxError>) -> Self {
        Self::new(CredentialsErrorKind::NotLoaded, cause.into().to_string())
    }

    pub fn invalid_configuration(cause: impl Into<BoxError>) -> Self {
        Self::new(CredentialsErrorKind::InvalidConfiguration, cause.into().to_string())
    }

    /// The provider failed with `cause` (kept as the source).
    pub fn provider_error(cause: impl Into<BoxError>) -> Self {
        Self::provider_error_with("the credentials provider failed", cause)
    }

    /// The provider failed: what it was doing (`message`), and why (`source`).
    pub fn provider_error_with(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        CredentialsError { kind: CredentialsErrorKind::ProviderError, message: message.into(), source: Some(source.into()) }
    }

    /// An error of no other kind (aws-credential-types' `unhandled`): a provider error.
    pub fn unhandled(cause: impl Into<BoxError>) -> Self {
        Self::provider_error(cause)
    }

    pub fn timed_out(cause: impl Into<BoxError>) -> Self {
        Self::new(CredentialsErrorKind::TimedOut, cause.into().to_string())
    }

    /// Loading took longer than `timeout`.
    pub fn provider_timed_out(timeout: std::time::Duration) -> Self {
        Self::timed_out(format!("the credentials provider timed out after {timeout:?}"))
    }

    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The same error, its message prefixed (`profile `dev`: …`).
    pub fn context(mut self, prefix: impl fmt::Display) -> Self {
        self.message = format!("{prefix}: {}", self.message);
        self
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// What a client knows that a provider may need to load credentials: the client's
/// transport and region, the STS implementation of the client's crate, and when the call
/// that asks must end. Clients make it; a provider of your own can ignore it.
#[derive(Clone, Debug, Default)]
pub struct LoadContext {
    http: Option<SharedHttpClient>,
    region: Option<Region>,
    sts: Option<&'static dyn sts::Sts>,
    deadline: Option<Instant>,
}

impl LoadContext {
    pub fn new() -> Self {
        LoadContext::default()
    }

    pub fn with_http_client(mut self, http: Option<SharedHttpClient>) -> Self {
        self.http = http;
        self
    }

    pub fn with_region(mut self, region: Option<Region>) -> Self {
        self.region = region;
        self
    }

    pub fn with_sts(mut self, sts: Option<&'static dyn sts::Sts>) -> Self {
        self.sts = sts;
        self
    }

    pub fn with_deadline(mut self, deadline: Option<Instant>) -> Self {
        self.deadline = deadline;
        self
    }

    /// The calling client's transport.
    pub fn http_client(&self) -> Option<&SharedHttpClient> {
        self.http.as_ref()
    }

    /// The calling client's region.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// STS, when the calling client's crate has it (`credentials = "full"`).
    pub fn sts(&self) -> Option<&'static dyn sts::Sts> {
        self.sts
    }

    /// When the calling operation times out.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }
}

/// The future of [`ProvideCredentials`](super::ProvideCredentials)'s methods, as
/// aws-credential-types' `future::ProvideCredentials`.
pub mod future {
    use super::{Credentials, CredentialsError};
    use crate::http::BoxFuture;
    use std::fmt;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// Credentials, now or later.
    pub struct ProvideCredentials<'a>(BoxFuture<'a, Result<Credentials, CredentialsError>>);

    impl<'a> ProvideCredentials<'a> {
        /// Credentials to be loaded by `future`.
        pub fn new(future: impl Future<Output = Result<Credentials, CredentialsError>> + Send + 'a) -> Self {
            ProvideCredentials(Box::pin(future))
        }

        /// Credentials (or the error) known already.
        pub fn ready(result: Result<Credentials, CredentialsError>) -> Self {
            ProvideCredentials(Box::pin(std::future::ready(result)))
        }
    }

    impl Future for ProvideCredentials<'_> {
        type Output = Result<Credentials, CredentialsError>;

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            self.0.as_mut().poll(cx)
        }
    }

    impl fmt::Debug for ProvideCredentials<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("ProvideCredentials")
        }
    }
}

/// Something that gives credentials when asked, perhaps fetching or refreshing them.
///
/// Implement [`provide_credentials`](Self::provide_credentials) as for aws-credential-types'
/// trait of the same name — the same signature, so that a provider written for aws-sdk-rust
/// compiles here unchanged —; the other two methods have defaults.
pub trait ProvideCredentials: Send + Sync + fmt::Debug + 'static {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a;

    /// What a client calls: the same, with the client's [`LoadContext`] (its transport, its
    /// STS implementation, the call's deadline). Defaults to `provide_credentials()`.
    fn provide_credentials_with<'a>(&'a self, ctx: &'a LoadContext) -> future::ProvideCredentials<'a> {
        let _ = ctx;
        self.provide_credentials()
    }

    /// The service rejected `rejected` as expired: a caching provider forgets them, so that
    /// the next call loads afresh. Defaults to nothing.
    fn invalidate(&self, rejected: &Credentials) {
        let _ = rejected;
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(std::future::ready(Ok(self.clone())))
    }
}

/// A provider shared by clients and their clones.
#[derive(Clone, Debug)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    pub fn new(provider: impl ProvideCredentials) -> Self {
        SharedCredentialsProvider(Arc::new(provider))
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        self.0.provide_credentials()
    }

    fn provide_credentials_with<'a>(&'a self, ctx: &'a LoadContext) -> future::ProvideCredentials<'a> {
        self.0.provide_credentials_with(ctx)
    }

    fn invalidate(&self, rejected: &Credentials) {
        self.0.invalidate(rejected)
    }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    pub fn new() -> Self {
        EnvironmentProvider::default()
    }

    /// Reads from `vars` instead of the process environment (for tests).
    pub fn from_vars(vars: &[(&str, &str)]) -> Self {
        EnvironmentProvider { env: Env::from_vars(vars) }
    }

    pub(crate) fn with_env(env: Env) -> Self {
        EnvironmentProvider { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let key = self.env.get("AWS_ACCESS_KEY_ID").filter(|v| !v.is_empty());
        let secret = self.env.get("AWS_SECRET_ACCESS_KEY").filter(|v| !v.is_empty());
        match (key, secret) {
            (None, None) => Err(CredentialsError::not_loaded("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")),
            (Some(_), None) => Err(CredentialsError::invalid_configuration("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")),
            (None, Some(_)) => Err(CredentialsError::invalid_configuration("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")),
            (Some(key), Some(secret)) => {
                let token = self.env.get("AWS_SESSION_TOKEN").filter(|v| !v.is_empty());
                Ok(Credentials::new(key, secret, token, None, "Environment"))
            }
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(std::future::ready(self.load()))
    }
}

/// Where providers read environment variables: the process's, or a fixed set (tests, or a
/// program that decides what its providers see). Files the variables name (`HOME`,
/// `AWS_CONFIG_FILE`, token files) are read from the file system either way.
#[derive(Clone, Default)]
pub struct Env {
    fixed: Option<Arc<Vec<(String, String)>>>,
    /// Set by [`Env::with_var`]: read before `fixed` or the process's.
    overrides: Arc<Vec<(String, String)>>,
}

/// Names only: a fixed set may hold `AWS_SECRET_ACCESS_KEY`.
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |vars: &[(String, String)]| vars.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        let mut d = f.debug_tuple("Env");
        match &self.fixed {
            None => d.field(&"process"),
            Some(vars) => d.field(&names(vars)),
        };
        if !self.overrides.is_empty() {
            d.field(&names(&self.overrides));
        }
        d.finish()
    }
}

impl Env {
    /// The process's environment.
    pub fn process() -> Self {
        Env::default()
    }

    /// Exactly `vars`, nothing of the process's.
    pub fn from_vars(vars: &[(&str, &str)]) -> Self {
        Env { fixed: Some(Arc::new(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())), ..Env::default() }
    }

    /// This environment with variable `name` set to `value`, whatever it held: how a
    /// profile chosen in code (`profile_name(..)`) reaches every reader of `AWS_PROFILE`.
    pub fn with_var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        let mut overrides: Vec<(String, String)> = self.overrides.iter().filter(|(k, _)| *k != name).cloned().collect();
        overrides.push((name, value.into()));
        self.overrides = Arc::new(overrides);
        self
    }

    pub fn get(&self, name: &str) -> Option<String> {
        if let Some((_, v)) = self.overrides.iter().find(|(k, _)| k == name) {
            return Some(v.clone());
        }
        match &self.fixed {
            Some(vars) => vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            None => std::env::var(name).ok(),
        }
    }

    /// The variable, when set and not empty.
    pub(crate) fn non_empty(&self, name: &str) -> Option<String> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }

    /// `HOME` (or `USERPROFILE`).
    pub(crate) fn home(&self) -> Option<std::path::PathBuf> {
        self.non_empty("HOME").or_else(|| self.non_empty("USERPROFILE")).map(std::path::PathBuf::from)
    }
}

/// Credentials from any aws-config provider (`aws_config::sso`, `imds`, web identity, …),
/// with feature `aws-credential-types`.
#[cfg(feature = "aws-credential-types")]
#[derive(Debug)]
pub struct AwsConfigCredentials<P> {
    provider: P,
}

#[cfg(feature = "aws-credential-types")]
impl<P: aws_credential_types::provider::ProvideCredentials + 'static> AwsConfigCredentials<P> {
    pub fn new(provider: P) -> Self {
        AwsConfigCredentials { provider }
    }
}

#[cfg(feature = "aws-credential-types")]
impl<P: aws_credential_types::provider::ProvideCredentials + 'static> ProvideCredentials for AwsConfigCredentials<P> {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        from_aws_config(&self.provider)
    }
}

/// Any aws-credential-types provider — aws-config's chains and providers, a program's own —
/// is one of this crate's as it is (feature `aws-credential-types`), so that
/// `config::Builder::credentials_provider(aws_config_provider)` compiles unchanged.
#[cfg(feature = "aws-credential-types")]
impl<P: aws_credential_types::provider::ProvideCredentials + 'static> ProvideCredentials for P {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        from_aws_config(self)
    }
}

/// `provider`'s credentials as this crate's.
#[cfg(feature = "aws-credential-types")]
fn from_aws_config<P: aws_credential_types::provider::ProvideCredentials>(provider: &P) -> future::ProvideCredentials<'_> {
    future::ProvideCredentials::new(async move {
        let c = provider
            .provide_credentials()
            .await
            .map_err(|e| CredentialsError::provider_error_with("the aws-config credentials provider failed", e))?;
        Ok(Credentials::new(c.access_key_id(), c.secret_access_key(), c.session_token().map(str::to_owned), c.expiry(), "aws-config"))
    })
}

/// Milliseconds since the Unix epoch as a `SystemTime` (the SSO portal's expiry field).
pub(crate) fn system_time_from_millis(millis: f64) -> Option<SystemTime> {
    if !millis.is_finite() || millis < 0.0 {
        return None;
    }
    SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::from_millis(millis as u64))
}

/// An ISO-8601 expiry (`2030-01-01T00:00:00Z`).
pub(crate) fn parse_expiry(text: &str) -> Option<SystemTime> {
    crate::time::parse_timestamp(text).ok().and_then(|t| SystemTime::try_from(t).ok())
}

/// A session name for an assumed role when the configuration gives none.
pub(crate) fn default_session_name(prefix: &str) -> String {
    let millis = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis());
    format!("{prefix}-{millis}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_errors_never_show_secrets() {
        let c = Credentials::new("AKIDEXAMPLE", "SECRET/KEY", Some("SESSIONTOKEN".into()), None, "static");
        let shown = format!("{c:?}");
        assert!(shown.contains("AKIDEXAMPLE"), "{shown}");
        assert!(!shown.contains("SECRET/KEY") && !shown.contains("SESSIONTOKEN"), "{shown}");
        let vars = [("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "SECRET/KEY")];
        let shown = format!("{:?} {:?}", EnvironmentProvider::from_vars(&vars), ProfileProvider::from_vars(&vars));
        assert!(shown.contains("AWS_SECRET_ACCESS_KEY") && !shown.contains("SECRET/KEY"), "{shown}");
    }

    #[test]
    fn environment() {
        let load = |p: &EnvironmentProvider| p.load();
        let c = load(&EnvironmentProvider::from_vars(&[
            ("AWS_ACCESS_KEY_ID", "AK"),
            ("AWS_SECRET_ACCESS_KEY", "SK"),
            ("AWS_SESSION_TOKEN", "T"),
        ]))
        .unwrap();
        assert_eq!((c.access_key_id(), c.secret_access_key(), c.session_token()), ("AK", "SK", Some("T")));
        let e = load(&EnvironmentProvider::from_vars(&[])).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
        let e = load(&EnvironmentProvider::from_vars(&[("AWS_ACCESS_KEY_ID", "AK")])).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    }

    #[test]
    fn expiry_fields() {
        assert_eq!(system_time_from_millis(1_000.0), SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::from_secs(1)));
        assert_eq!(system_time_from_millis(-1.0), None);
        assert_eq!(system_time_from_millis(f64::NAN), None);
        assert!(parse_expiry("2030-01-01T00:00:00Z").is_some());
        assert!(parse_expiry("soon").is_none());
    }
}

//! Credentials and where they come from: static keys, the environment, the shared
//! `credentials`/`config` files (profiles, `credential_process`), and — with feature
//! `aws-credential-types` — any provider of aws-config (SSO, IMDS, web identity, …).
//!
//! Secrets never appear in `Debug` or `Display` output.

mod profile;

pub use profile::{ProfileFiles, ProfileProvider};

use crate::http::BoxFuture;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

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

    /// Which provider made them (`"static"`, `"Environment"`, `"Profile"`, …).
    pub fn provider_name(&self) -> &'static str {
        self.0.provider_name
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
            d.field("expiry", &time::OffsetDateTime::from(expiry));
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
    /// The provider failed (a process exited non-zero, an aws-config provider failed).
    ProviderError,
}

impl CredentialsError {
    pub fn new(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        CredentialsError { kind, message: message.into(), source: None }
    }

    pub fn not_loaded(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::NotLoaded, message)
    }

    pub fn invalid_configuration(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::InvalidConfiguration, message)
    }

    pub fn provider_error(message: impl Into<String>, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        CredentialsError { kind: CredentialsErrorKind::ProviderError, message: message.into(), source: Some(source.into()) }
    }

    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
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

/// Something that gives credentials when asked, perhaps fetching or refreshing them.
pub trait ProvideCredentials: Send + Sync + fmt::Debug + 'static {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(std::future::ready(Ok(self.clone())))
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
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.0.provide_credentials()
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
        EnvironmentProvider { env: Env::fixed(vars) }
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
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(std::future::ready(self.load()))
    }
}

/// The standard chain: the environment, then the shared files of the selected profile
/// (static keys, `credential_process`). What it finds is cached until shortly before it
/// expires.
#[derive(Debug)]
pub struct DefaultCredentialsChain {
    env: EnvironmentProvider,
    profile: ProfileProvider,
    cache: CredentialsCache,
}

impl DefaultCredentialsChain {
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    pub(crate) fn with_env(env: Env) -> Self {
        DefaultCredentialsChain {
            env: EnvironmentProvider { env: env.clone() },
            profile: ProfileProvider::with_env(env),
            cache: CredentialsCache::default(),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        for provider in [&self.env as &dyn ProvideCredentials, &self.profile] {
            match provider.provide_credentials().await {
                Ok(c) => return Ok(c),
                Err(e) if e.kind() == CredentialsErrorKind::NotLoaded => tried.push(e.to_string()),
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
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.get_or_load(self.load()))
    }
}

/// Keeps credentials until five minutes before they expire (for ever if they do not).
#[derive(Debug, Default)]
pub struct CredentialsCache {
    slot: Mutex<Option<Credentials>>,
    /// Held while loading, so that concurrent calls on an empty cache wait for one load
    /// (one `credential_process` run) instead of each starting their own.
    loading: tokio::sync::Mutex<()>,
}

impl CredentialsCache {
    const REFRESH_BEFORE: Duration = Duration::from_secs(300);

    fn cached(&self) -> Option<Credentials> {
        let slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        let c = slot.as_ref()?;
        match c.expiry() {
            Some(expiry) if SystemTime::now() + Self::REFRESH_BEFORE >= expiry => None,
            _ => Some(c.clone()),
        }
    }

    /// The cached credentials, or what `load` gives (then cached).
    pub async fn get_or_load(
        &self,
        load: impl std::future::Future<Output = Result<Credentials, CredentialsError>>,
    ) -> Result<Credentials, CredentialsError> {
        if let Some(c) = self.cached() {
            return Ok(c);
        }
        let _loading = self.loading.lock().await;
        if let Some(c) = self.cached() {
            return Ok(c);
        }
        let fresh = load.await?;
        *self.slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(fresh.clone());
        Ok(fresh)
    }
}

/// Where providers read environment variables: the process, or a fixed set (tests).
#[derive(Clone, Default)]
pub(crate) struct Env {
    fixed: Option<Arc<Vec<(String, String)>>>,
}

/// Names only: a fixed set may hold `AWS_SECRET_ACCESS_KEY`.
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Env(process)"),
            Some(vars) => f.debug_tuple("Env").field(&vars.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>()).finish(),
        }
    }
}

impl Env {
    pub(crate) fn process() -> Self {
        Env { fixed: None }
    }

    pub(crate) fn fixed(vars: &[(&str, &str)]) -> Self {
        Env { fixed: Some(Arc::new(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())) }
    }

    pub(crate) fn get(&self, name: &str) -> Option<String> {
        match &self.fixed {
            Some(vars) => vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            None => std::env::var(name).ok(),
        }
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
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let c = self
                .provider
                .provide_credentials()
                .await
                .map_err(|e| CredentialsError::provider_error("the aws-config credentials provider failed", e))?;
            Ok(Credentials::new(
                c.access_key_id(),
                c.secret_access_key(),
                c.session_token().map(str::to_owned),
                c.expiry(),
                "aws-config",
            ))
        })
    }
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
    fn concurrent_calls_on_an_empty_cache_load_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let cache = Arc::new(CredentialsCache::default());
        let loads = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let (cache, loads) = (cache.clone(), loads.clone());
                rt.spawn(async move {
                    cache
                        .get_or_load(async {
                            loads.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(10)).await;
                            Ok(Credentials::new("AK", "SK", None, None, "test"))
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(rt.block_on(task).unwrap().unwrap().access_key_id(), "AK");
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn environment() {
        let block_on = |p: &EnvironmentProvider| p.load();
        let c = block_on(&EnvironmentProvider::from_vars(&[
            ("AWS_ACCESS_KEY_ID", "AK"),
            ("AWS_SECRET_ACCESS_KEY", "SK"),
            ("AWS_SESSION_TOKEN", "T"),
        ]))
        .unwrap();
        assert_eq!((c.access_key_id(), c.secret_access_key(), c.session_token()), ("AK", "SK", Some("T")));
        let e = block_on(&EnvironmentProvider::from_vars(&[])).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
        let e = block_on(&EnvironmentProvider::from_vars(&[("AWS_ACCESS_KEY_ID", "AK")])).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    }
}

//! IAM authentication tokens: the password of an IAM-enabled user of ElastiCache (Valkey and
//! Redis OSS 7.0 and later, serverless caches) and of an RDS or Aurora database user. A token
//! is a SigV4-presigned `connect` request ([`crate::sigv4::presign`]) without its scheme,
//! valid for up to 15 minutes; a connection opened with it stays open after it expires, so an
//! application asks for a new one for each new connection (or keeps one fresh with a
//! [`TokenProvider`]).
//!
//! - ElastiCache ([`elasticache`]): `GET http://{cache_name}/?Action=connect&User={user_id}`
//!   (with `&ResourceType=ServerlessCache` for a serverless cache), signed for service
//!   `elasticache` in the cache's region; the token is that URL without `http://`.
//! - RDS and Aurora ([`rds`]): `GET https://{hostname}:{port}/?Action=connect&DBUser={user}`,
//!   signed for service `rds-db`, valid 15 minutes; the token is that URL without
//!   `https://`, as botocore's `generate_db_auth_token` makes it.
//!
//! Credentials come from the configuration's provider, through the whole chain (environment,
//! profile, web identity, container, instance metadata), and a token is valid for no longer
//! than the credentials that signed it. Generated crates re-export these generators bound to
//! their own STS implementation (for credentials that assume a role); see their
//! `auth_token` module.

use crate::config::Config;
use crate::credentials::sts::Sts;
use crate::credentials::{Credentials, CredentialsError, LoadContext, ProvideCredentials, SharedCredentialsProvider};
use crate::http::{HttpRequest, SharedHttpClient};
use crate::sigv4::{presign, SigningParams};
use crate::values::Region;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::Mutex;

/// The longest a token can be valid: 15 minutes (what both services accept).
pub const MAX_EXPIRES_IN: Duration = Duration::from_secs(900);

/// A token: the password to connect with, and when it stops being accepted for new
/// connections. `Display` gives the token (it is what a client library takes as the
/// password); `Debug` does not.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthToken {
    token: String,
    expires_at: SystemTime,
}

impl AuthToken {
    /// The token, to pass as the password.
    pub fn as_str(&self) -> &str {
        &self.token
    }

    /// The token percent-encoded, for the password of a URL (`rediss://user:{token}@host`),
    /// whose parser decodes it back.
    pub fn percent_encoded(&self) -> String {
        let mut out = String::with_capacity(self.token.len().saturating_add(self.token.len() / 4));
        crate::query::encode_into(&self.token, &mut out);
        out
    }

    /// When the token stops opening connections (the sooner of its expiry and the expiry of
    /// the credentials that signed it).
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }
}

impl fmt::Display for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.token)
    }
}

/// The token is a password: not printed.
impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthToken").field("token", &"** redacted **").field("expires_at", &crate::primitives::DateTime::from(self.expires_at)).finish()
    }
}

/// Why no token was made.
#[derive(Debug)]
pub struct AuthTokenError {
    kind: AuthTokenErrorKind,
    message: String,
    source: Option<CredentialsError>,
}

/// What kind of problem an [`AuthTokenError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthTokenErrorKind {
    /// A setting of the generator is missing or not valid (empty user, a cache name with a
    /// scheme, an expiry of 0 or more than 15 minutes, ...).
    InvalidConfig,
    /// Neither the generator nor the configuration names a region.
    NoRegion,
    /// Neither the generator nor the configuration has a credentials provider.
    NoCredentials,
    /// The credentials provider failed (the source says why).
    Credentials,
}

impl AuthTokenError {
    fn new(kind: AuthTokenErrorKind, message: impl Into<String>) -> Self {
        AuthTokenError { kind, message: message.into(), source: None }
    }

    fn invalid(message: impl Into<String>) -> Self {
        AuthTokenError::new(AuthTokenErrorKind::InvalidConfig, message)
    }

    pub fn kind(&self) -> AuthTokenErrorKind {
        self.kind
    }
}

impl fmt::Display for AuthTokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AuthTokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// What any token request needs besides its own settings: where and as whom to sign.
#[derive(Clone, Default)]
struct Signer {
    region: Option<Region>,
    credentials: Option<SharedCredentialsProvider>,
    expires_in: Option<Duration>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A provider's own Debug never shows secrets; say only whether there is one.
        f.debug_struct("Signer")
            .field("region", &self.region)
            .field("credentials", &self.credentials.as_ref().map(|_| "a provider"))
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

impl Signer {
    fn expires_in(&self) -> Result<Duration, AuthTokenError> {
        let expires_in = self.expires_in.unwrap_or(MAX_EXPIRES_IN);
        if expires_in.as_secs() == 0 || expires_in > MAX_EXPIRES_IN {
            return Err(AuthTokenError::invalid(format!(
                "expires_in must be 1 to 900 seconds (tokens are valid for 15 minutes at most); {} s was asked",
                expires_in.as_secs_f64()
            )));
        }
        Ok(expires_in)
    }

    /// Presigns `url` for `service` with the region and credentials of this signer, else the
    /// configuration's; `sts` for credentials that assume a role.
    async fn token(&self, url: &str, service: &str, config: &Config, sts: Option<&'static dyn Sts>, now: SystemTime) -> Result<AuthToken, AuthTokenError> {
        let expires_in = self.expires_in()?;
        let region = self.region.clone().or_else(|| config.region().cloned()).ok_or_else(|| {
            AuthTokenError::new(AuthTokenErrorKind::NoRegion, "no region: set one on the generator's config or on the client configuration")
        })?;
        let provider = self.credentials.clone().or_else(|| config.credentials_provider()).ok_or_else(|| {
            AuthTokenError::new(AuthTokenErrorKind::NoCredentials, "no credentials provider: set one on the generator's config or on the client configuration")
        })?;
        let http: Option<SharedHttpClient> = config.http_client().cloned();
        let ctx = LoadContext::new().with_region(Some(region.clone())).with_sts(sts).with_http_client(http);
        let credentials = provider.provide_credentials_with(&ctx).await.map_err(|e| AuthTokenError {
            kind: AuthTokenErrorKind::Credentials,
            message: "loading the credentials to sign the token with failed".to_owned(),
            source: Some(e),
        })?;
        sign(url, service, &region, &credentials, expires_in, now)
    }
}

/// The token of `url` (a `GET` with the `connect` action in its query), valid for
/// `expires_in` from `now`, and for no longer than `credentials`.
fn sign(url: &str, service: &str, region: &Region, credentials: &Credentials, expires_in: Duration, now: SystemTime) -> Result<AuthToken, AuthTokenError> {
    let request = HttpRequest::new("GET", url).map_err(|e| AuthTokenError::invalid(format!("the token's URL is not valid ({e})")))?;
    let params = SigningParams { region: region.as_ref(), service, time: now, sign_security_token: true };
    let presigned = presign(&request, credentials, &params, expires_in);
    // The URL without its scheme, its host spelled as given (the URL type writes hosts in
    // lower case; botocore keeps the case, and the signature covers the lower-case `host`
    // header either way) and a port named even when it is the scheme's default.
    let after_scheme = presigned.url.split_once("://").map_or(presigned.url.as_str(), |(_, rest)| rest);
    let path_and_query = after_scheme.find('/').map_or("", |at| after_scheme.get(at..).unwrap_or(""));
    let authority = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = authority.find('/').map_or(authority, |at| authority.get(..at).unwrap_or(authority));
    let token = format!("{authority}{path_and_query}");
    let mut expires_at = now.checked_add(expires_in).unwrap_or(now);
    if let Some(credentials_expiry) = credentials.expiry() {
        expires_at = expires_at.min(credentials_expiry);
    }
    Ok(AuthToken { token, expires_at })
}

/// A host name as a URL's authority can carry it: not empty, no scheme, path, query or
/// whitespace.
fn check_host(what: &str, value: &str) -> Result<(), AuthTokenError> {
    if value.is_empty() {
        return Err(AuthTokenError::invalid(format!("{what} is empty")));
    }
    if value.contains("://") {
        return Err(AuthTokenError::invalid(format!("{what} `{value}` has a scheme: give the name alone")));
    }
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '@' | '\\')) {
        return Err(AuthTokenError::invalid(format!("{what} `{value}` contains `{}`, which a host name cannot", c.escape_debug())));
    }
    Ok(())
}

/// ElastiCache (Valkey, Redis OSS, serverless) tokens.
pub mod elasticache {
    use super::*;

    /// What a token is for: the replication group (or serverless cache), the IAM-enabled
    /// user, and how long it is valid.
    #[derive(Clone, Debug)]
    pub struct Config {
        cache_name: String,
        user_id: String,
        serverless: bool,
        signer: Signer,
    }

    impl Config {
        pub fn builder() -> ConfigBuilder {
            ConfigBuilder::default()
        }

        pub fn cache_name(&self) -> &str {
            &self.cache_name
        }

        pub fn user_id(&self) -> &str {
            &self.user_id
        }

        pub fn serverless(&self) -> bool {
            self.serverless
        }

        /// How long tokens are valid (15 minutes unless set).
        pub fn expires_in(&self) -> Duration {
            self.signer.expires_in.unwrap_or(MAX_EXPIRES_IN)
        }

        /// The URL a token presigns.
        fn url(&self) -> String {
            let mut url = format!("http://{}/?Action=connect&User=", self.cache_name);
            crate::query::encode_into(&self.user_id, &mut url);
            if self.serverless {
                url.push_str("&ResourceType=ServerlessCache");
            }
            url
        }
    }

    /// Builds a [`Config`].
    #[derive(Clone, Debug, Default)]
    pub struct ConfigBuilder {
        cache_name: Option<String>,
        user_id: Option<String>,
        serverless: bool,
        signer: Signer,
    }

    impl ConfigBuilder {
        /// The replication group id, or the serverless cache's name (lowercase, as
        /// ElastiCache names them).
        pub fn cache_name(mut self, name: impl Into<String>) -> Self {
            self.cache_name = Some(name.into());
            self
        }

        /// The ElastiCache user id (its `UserId`, which IAM policies name), not its user name.
        pub fn user_id(mut self, id: impl Into<String>) -> Self {
            self.user_id = Some(id.into());
            self
        }

        /// A serverless cache (the token then names `ResourceType=ServerlessCache`).
        pub fn serverless(mut self, serverless: bool) -> Self {
            self.serverless = serverless;
            self
        }

        /// How long tokens are valid: 1 second to 15 minutes (the default).
        pub fn expires_in(mut self, expires_in: Duration) -> Self {
            self.signer.expires_in = Some(expires_in);
            self
        }

        /// The cache's region, when it is not the client configuration's.
        pub fn region(mut self, region: Region) -> Self {
            self.signer.region = Some(region);
            self
        }

        /// Credentials to sign with, when not the client configuration's provider.
        pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
            self.signer.credentials = Some(SharedCredentialsProvider::new(provider));
            self
        }

        pub fn build(self) -> Result<Config, AuthTokenError> {
            let cache_name = self.cache_name.ok_or_else(|| AuthTokenError::invalid("cache_name is not set"))?;
            let user_id = self.user_id.ok_or_else(|| AuthTokenError::invalid("user_id is not set"))?;
            check_host("cache_name", &cache_name)?;
            if user_id.is_empty() {
                return Err(AuthTokenError::invalid("user_id is empty"));
            }
            self.signer.expires_in()?;
            Ok(Config { cache_name, user_id, serverless: self.serverless, signer: self.signer })
        }
    }

    /// Makes tokens for one cache and user.
    #[derive(Clone, Debug)]
    pub struct AuthTokenGenerator {
        config: Config,
    }

    impl AuthTokenGenerator {
        pub fn new(config: Config) -> Self {
            AuthTokenGenerator { config }
        }

        /// A token, signed now with the credentials of the generator's provider, else the
        /// client configuration's (`sts`: the calling crate's STS implementation, for
        /// credentials that assume a role; generated crates pass theirs).
        pub async fn auth_token_with(&self, config: &crate::config::Config, sts: Option<&'static dyn Sts>) -> Result<AuthToken, AuthTokenError> {
            self.auth_token_at(config, sts, SystemTime::now()).await
        }

        /// [`auth_token_with`](Self::auth_token_with) as of `now` (tests compare tokens made
        /// at a fixed time).
        pub async fn auth_token_at(&self, config: &crate::config::Config, sts: Option<&'static dyn Sts>, now: SystemTime) -> Result<AuthToken, AuthTokenError> {
            self.config.signer.token(&self.config.url(), "elasticache", config, sts, now).await
        }

        pub fn config(&self) -> &Config {
            &self.config
        }
    }
}

/// RDS and Aurora tokens (MySQL, PostgreSQL, MariaDB engines with IAM database
/// authentication), as botocore's `generate_db_auth_token` makes them.
pub mod rds {
    use super::*;

    /// What a token is for: the database endpoint and port, and the database user.
    #[derive(Clone, Debug)]
    pub struct Config {
        hostname: String,
        port: u16,
        username: String,
        signer: Signer,
    }

    impl Config {
        pub fn builder() -> ConfigBuilder {
            ConfigBuilder::default()
        }

        pub fn hostname(&self) -> &str {
            &self.hostname
        }

        pub fn port(&self) -> u16 {
            self.port
        }

        pub fn username(&self) -> &str {
            &self.username
        }

        fn url(&self) -> String {
            let mut url = format!("https://{}:{}/?Action=connect&DBUser=", self.hostname, self.port);
            crate::query::encode_into(&self.username, &mut url);
            url
        }
    }

    /// Builds a [`Config`].
    #[derive(Clone, Debug, Default)]
    pub struct ConfigBuilder {
        hostname: Option<String>,
        port: Option<u16>,
        username: Option<String>,
        signer: Signer,
    }

    impl ConfigBuilder {
        /// The instance's or cluster's endpoint (`mydb.123456789012.us-east-1.rds.amazonaws.com`).
        pub fn hostname(mut self, hostname: impl Into<String>) -> Self {
            self.hostname = Some(hostname.into());
            self
        }

        pub fn port(mut self, port: u16) -> Self {
            self.port = Some(port);
            self
        }

        /// The database user (created with IAM authentication).
        pub fn username(mut self, username: impl Into<String>) -> Self {
            self.username = Some(username.into());
            self
        }

        /// How long tokens are valid: 1 second to 15 minutes (the default, as botocore's).
        pub fn expires_in(mut self, expires_in: Duration) -> Self {
            self.signer.expires_in = Some(expires_in);
            self
        }

        /// The database's region, when it is not the client configuration's.
        pub fn region(mut self, region: Region) -> Self {
            self.signer.region = Some(region);
            self
        }

        /// Credentials to sign with, when not the client configuration's provider.
        pub fn credentials_provider(mut self, provider: impl ProvideCredentials) -> Self {
            self.signer.credentials = Some(SharedCredentialsProvider::new(provider));
            self
        }

        pub fn build(self) -> Result<Config, AuthTokenError> {
            let hostname = self.hostname.ok_or_else(|| AuthTokenError::invalid("hostname is not set"))?;
            let port = self.port.ok_or_else(|| AuthTokenError::invalid("port is not set"))?;
            let username = self.username.ok_or_else(|| AuthTokenError::invalid("username is not set"))?;
            check_host("hostname", &hostname)?;
            if hostname.contains(':') {
                return Err(AuthTokenError::invalid(format!("hostname `{hostname}` has a port: give it with port(..)")));
            }
            if port == 0 {
                return Err(AuthTokenError::invalid("port is 0"));
            }
            if username.is_empty() {
                return Err(AuthTokenError::invalid("username is empty"));
            }
            self.signer.expires_in()?;
            Ok(Config { hostname, port, username, signer: self.signer })
        }
    }

    /// Makes tokens for one database user.
    #[derive(Clone, Debug)]
    pub struct AuthTokenGenerator {
        config: Config,
    }

    impl AuthTokenGenerator {
        pub fn new(config: Config) -> Self {
            AuthTokenGenerator { config }
        }

        /// A token, signed now (see the ElastiCache generator's
        /// [`auth_token_with`](super::elasticache::AuthTokenGenerator::auth_token_with)).
        pub async fn auth_token_with(&self, config: &crate::config::Config, sts: Option<&'static dyn Sts>) -> Result<AuthToken, AuthTokenError> {
            self.auth_token_at(config, sts, SystemTime::now()).await
        }

        /// As of `now`.
        pub async fn auth_token_at(&self, config: &crate::config::Config, sts: Option<&'static dyn Sts>, now: SystemTime) -> Result<AuthToken, AuthTokenError> {
            self.config.signer.token(&self.config.url(), "rds-db", config, sts, now).await
        }

        pub fn config(&self) -> &Config {
            &self.config
        }
    }
}

/// Anything that makes tokens: the ElastiCache and RDS generators, bound to a client
/// configuration. [`TokenProvider`] keeps one of its tokens fresh.
pub trait MakeToken: Send + Sync + fmt::Debug + 'static {
    /// A new token, as of `now`.
    fn make_token(&self, now: SystemTime) -> crate::http::BoxFuture<'_, Result<AuthToken, AuthTokenError>>;
}

/// A generator with the client configuration it signs with (and the calling crate's STS
/// implementation): what a [`TokenProvider`] asks for tokens.
#[derive(Clone, Debug)]
pub struct Bound<G> {
    generator: G,
    config: Config,
    sts: Option<&'static dyn Sts>,
}

impl<G> Bound<G> {
    pub fn new(generator: G, config: Config, sts: Option<&'static dyn Sts>) -> Self {
        Bound { generator, config, sts }
    }
}

impl MakeToken for Bound<elasticache::AuthTokenGenerator> {
    fn make_token(&self, now: SystemTime) -> crate::http::BoxFuture<'_, Result<AuthToken, AuthTokenError>> {
        Box::pin(self.generator.auth_token_at(&self.config, self.sts, now))
    }
}

impl MakeToken for Bound<rds::AuthTokenGenerator> {
    fn make_token(&self, now: SystemTime) -> crate::http::BoxFuture<'_, Result<AuthToken, AuthTokenError>> {
        Box::pin(self.generator.auth_token_at(&self.config, self.sts, now))
    }
}

/// A token kept fresh for a connection pool: [`token`](Self::token) hands out the cached
/// token, and a new one once less than `refresh_before` (one minute by default) is left before
/// it expires — its own expiry or its credentials', whichever comes first. One refresh runs
/// at a time; callers that come meanwhile wait for it. Clones share the cache. Cheap to call
/// on every new connection.
#[derive(Clone)]
pub struct TokenProvider {
    make: Arc<dyn MakeToken>,
    refresh_before: Duration,
    cached: Arc<Mutex<Option<AuthToken>>>,
}

impl fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenProvider").field("make", &self.make).field("refresh_before", &self.refresh_before).finish_non_exhaustive()
    }
}

impl TokenProvider {
    /// Tokens from `make`, renewed a minute before they expire.
    pub fn new(make: impl MakeToken) -> Self {
        TokenProvider { make: Arc::new(make), refresh_before: Duration::from_secs(60), cached: Arc::default() }
    }

    /// Renews tokens when less than `margin` is left (at most 14 minutes).
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin.min(Duration::from_secs(840));
        self
    }

    /// A token valid for at least the refresh margin.
    pub async fn token(&self) -> Result<AuthToken, AuthTokenError> {
        self.token_at(SystemTime::now()).await
    }

    /// [`token`](Self::token) as of `now`.
    pub async fn token_at(&self, now: SystemTime) -> Result<AuthToken, AuthTokenError> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref() {
            let left = token.expires_at.duration_since(now).unwrap_or_default();
            if left > self.refresh_before {
                return Ok(token.clone());
            }
        }
        let token = self.make.make_token(now).await?;
        *cached = Some(token.clone());
        Ok(token)
    }

    /// [`token`](Self::token) for synchronous code (a connection pool's callback), on a
    /// runtime of its own for the rare refresh. Not from inside an async task: use
    /// [`token`](Self::token) there.
    #[cfg(feature = "blocking")]
    pub fn blocking_token(&self) -> Result<AuthToken, AuthTokenError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| AuthTokenError::invalid(format!("no runtime for the token refresh: {e}")))?;
        runtime.block_on(self.token())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
    }

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn client(credentials: Credentials) -> crate::config::Config {
        crate::config::Config::builder().region(Region::new("us-east-1")).credentials_provider(credentials).build()
    }

    #[test]
    fn elasticache_tokens_have_the_documented_shape() {
        block_on(async {
            let config = elasticache::Config::builder().cache_name("mycache").user_id("my user").build().unwrap();
            let credentials = Credentials::new("AKID", "SECRET", None, None, "test");
            let token = elasticache::AuthTokenGenerator::new(config).auth_token_at(&client(credentials), None, at(1_700_000_000)).await.unwrap();
            let t = token.as_str();
            assert!(t.starts_with("mycache/?Action=connect&User=my%20user&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20231114%2Fus-east-1%2Felasticache%2Faws4_request&X-Amz-Date=20231114T221320Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature="), "{t}");
            assert_eq!(token.expires_at(), at(1_700_000_900));
            assert!(!format!("{token:?}").contains("X-Amz-Signature"));
        });
    }

    #[test]
    fn serverless_and_session_tokens() {
        block_on(async {
            let config = elasticache::Config::builder().cache_name("c").user_id("u").serverless(true).expires_in(Duration::from_secs(60)).build().unwrap();
            let credentials = Credentials::new("AKID", "SECRET", Some("TOKEN/+=".into()), Some(at(1_000_030)), "test");
            let token = elasticache::AuthTokenGenerator::new(config).auth_token_at(&client(credentials), None, at(1_000_000)).await.unwrap();
            assert!(token.as_str().contains("&ResourceType=ServerlessCache&X-Amz-Algorithm="), "{token}");
            assert!(token.as_str().contains("&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Security-Token=TOKEN%2F%2B%3D&X-Amz-Signature="), "{token}");
            // The credentials expire before the token would: the token says so.
            assert_eq!(token.expires_at(), at(1_000_030));
        });
    }

    #[test]
    fn bad_settings_are_refused() {
        let build = |name: &str, user: &str| elasticache::Config::builder().cache_name(name).user_id(user).build().map(|_| ()).map_err(|e| e.to_string());
        assert!(build("", "u").unwrap_err().contains("cache_name is empty"));
        assert!(build("c", "").unwrap_err().contains("user_id is empty"));
        assert!(build("http://c", "u").unwrap_err().contains("has a scheme"));
        assert!(build("c/d", "u").unwrap_err().contains("contains `/`"));
        assert!(build("c d", "u").unwrap_err().contains("contains ` `"));
        for secs in [0, 901] {
            let e = elasticache::Config::builder().cache_name("c").user_id("u").expires_in(Duration::from_secs(secs)).build().unwrap_err();
            assert_eq!(e.kind(), AuthTokenErrorKind::InvalidConfig, "{e}");
        }
        let e = rds::Config::builder().hostname("h:5432").port(5432).username("u").build().unwrap_err();
        assert!(e.to_string().contains("has a port"), "{e}");
    }

    #[test]
    fn no_region_or_no_credentials_is_an_error() {
        block_on(async {
            let generator = elasticache::AuthTokenGenerator::new(elasticache::Config::builder().cache_name("c").user_id("u").build().unwrap());
            let no_region = crate::config::Config::builder().credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test")).build();
            assert_eq!(generator.auth_token_with(&no_region, None).await.unwrap_err().kind(), AuthTokenErrorKind::NoRegion);
            let no_credentials = crate::config::Config::builder().region(Region::new("us-east-1")).build();
            assert_eq!(generator.auth_token_with(&no_credentials, None).await.unwrap_err().kind(), AuthTokenErrorKind::NoCredentials);
        });
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let config = elasticache::Config::builder()
            .cache_name("c")
            .user_id("u")
            .credentials_provider(Credentials::new("AKIDSECRETLESS", "VERYSECRETKEY", Some("SESSIONTOKEN".into()), None, "t"))
            .build()
            .unwrap();
        let shown = format!("{:?}", elasticache::AuthTokenGenerator::new(config));
        for secret in ["VERYSECRETKEY", "SESSIONTOKEN"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }

    #[derive(Debug)]
    struct Counting(std::sync::atomic::AtomicU64);

    impl MakeToken for Counting {
        fn make_token(&self, now: SystemTime) -> crate::http::BoxFuture<'_, Result<AuthToken, AuthTokenError>> {
            let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async move { Ok(AuthToken { token: format!("token-{n}"), expires_at: now + Duration::from_secs(900) }) })
        }
    }

    #[test]
    fn the_provider_renews_a_minute_before_expiry() {
        block_on(async {
            let provider = TokenProvider::new(Counting(Default::default()));
            assert_eq!(provider.token_at(at(0)).await.unwrap().as_str(), "token-0");
            assert_eq!(provider.token_at(at(839)).await.unwrap().as_str(), "token-0");
            assert_eq!(provider.token_at(at(840)).await.unwrap().as_str(), "token-1");
            assert_eq!(provider.clone().token_at(at(900)).await.unwrap().as_str(), "token-1");
        });
    }
}

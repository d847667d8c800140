//! EC2 instance metadata, version 2: a session token (`PUT /latest/api/token`), then the
//! role name and its credentials, or the instance's region.
//!
//! As aws-config: 1 s per request (connecting included), 4 attempts, a new token after a
//! 401; `AWS_EC2_METADATA_DISABLED`, `AWS_EC2_METADATA_SERVICE_ENDPOINT` /
//! `_ENDPOINT_MODE` (or the profile's `ec2_metadata_service_endpoint[_mode]`). Beyond it: an
//! endpoint that did not answer at all is not asked again for a minute, so that a machine
//! without IMDS (a laptop, a container without the hop) does not stall every load.

use super::{fetch, Credentials, CredentialsCache, CredentialsError, Env, LoadContext, ProvideCredentials};
use super::settings::Settings;
use crate::values::Region;
use crate::http::{HttpRequest, SharedHttpClient, Url};
use crate::retry::{RetryConfig, RetryKind};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use super::future;

const TOKEN_TTL_SECONDS: u64 = 21_600;
const TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(1);
const ATTEMPTS: u32 = 4;
/// How long an endpoint that never answered is left alone.
const UNREACHABLE_FOR: Duration = Duration::from_secs(60);

/// Why a metadata request failed.
#[derive(Debug)]
pub(crate) enum ImdsError {
    /// `AWS_EC2_METADATA_DISABLED`, or the instance refuses tokens (403).
    Disabled(String),
    /// No answer at all (not on EC2, or the hop limit drops responses).
    Unreachable(String),
    /// 404: no such metadata (no role attached).
    NotFound,
    /// Anything else.
    Failed(CredentialsError),
}

impl ImdsError {
    fn into_credentials_error(self, what: &str) -> CredentialsError {
        match self {
            ImdsError::Disabled(why) | ImdsError::Unreachable(why) => CredentialsError::not_loaded(why),
            ImdsError::NotFound => CredentialsError::not_loaded(format!("IMDS has no {what}")),
            ImdsError::Failed(e) => e,
        }
    }
}

/// The IMDSv2 client: its session token and what it knows of the endpoint's reachability.
#[derive(Debug, Default)]
pub(crate) struct ImdsClient {
    env: Env,
    /// The session token and when to stop using it.
    token: Mutex<Option<(String, Instant)>>,
    unreachable_until: Mutex<Option<Instant>>,
}

impl ImdsClient {
    pub(crate) fn new(env: Env) -> Self {
        ImdsClient { env, ..Default::default() }
    }

    pub(crate) fn disabled(&self) -> bool {
        self.env.get("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// The endpoint, without a trailing `/`.
    fn endpoint(&self) -> Result<String, ImdsError> {
        let settings = Settings::load(&self.env);
        let invalid = |why: String| ImdsError::Failed(CredentialsError::invalid_configuration(why));
        let url = match settings.get("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint") {
            Some(url) => url,
            None => match settings.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode") {
                None => "http://169.254.169.254".to_owned(),
                Some(mode) if mode.eq_ignore_ascii_case("IPv4") => "http://169.254.169.254".to_owned(),
                Some(mode) if mode.eq_ignore_ascii_case("IPv6") => "http://[fd00:ec2::254]".to_owned(),
                Some(mode) => return Err(invalid(format!("the IMDS endpoint mode `{mode}` is neither IPv4 nor IPv6"))),
            },
        };
        let parsed = Url::parse(&url).map_err(|e| invalid(format!("the IMDS endpoint: {e}")))?;
        Ok(parsed.to_string().trim_end_matches('/').to_owned())
    }

    /// The text at `path` (`/latest/meta-data/...`).
    pub(crate) async fn get(&self, http: &SharedHttpClient, path: &str) -> Result<String, ImdsError> {
        if self.disabled() {
            return Err(ImdsError::Disabled("IMDS is disabled (AWS_EC2_METADATA_DISABLED is true)".into()));
        }
        if let Some(until) = *self.unreachable_until.lock().unwrap_or_else(|p| p.into_inner()) {
            if Instant::now() < until {
                return Err(ImdsError::Unreachable("IMDS did not answer a moment ago; not asked again yet".into()));
            }
        }
        let base = self.endpoint()?;
        let retry = RetryConfig::standard();
        let mut answered = false;
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            if attempt > 1 {
                tokio::time::sleep(retry.backoff(RetryKind::Transient, attempt.saturating_sub(1), crate::retry::jitter())).await;
            }
            let token = match self.token(http, &base).await {
                Ok(token) => token,
                Err(Attempt::Retry(why, got_response)) => {
                    answered |= got_response;
                    last = why;
                    continue;
                }
                Err(Attempt::Fail(e)) => return Err(e),
            };
            let mut request = HttpRequest::new("GET", &format!("{base}{path}"))
                .map_err(|e| ImdsError::Failed(CredentialsError::invalid_configuration(e.to_string())))?;
            request.add_header(TOKEN_HEADER, token);
            match fetch::send(http, request, ATTEMPT_TIMEOUT).await {
                Ok(response) => {
                    answered = true;
                    match response.status().as_u16() {
                        200 => {
                            return fetch::body_text(&response, "IMDS").map(str::to_owned).map_err(ImdsError::Failed);
                        }
                        404 => return Err(ImdsError::NotFound),
                        401 => {
                            // The token expired or the instance restarted: a new one, then again.
                            *self.token.lock().unwrap_or_else(|p| p.into_inner()) = None;
                            last = "IMDS rejected the session token (401)".into();
                        }
                        s if s >= 500 => last = format!("IMDS answered {s}"),
                        s => return Err(failed(format!("IMDS answered {s} for {path}"))),
                    }
                }
                Err(e) => last = e.to_string(),
            }
        }
        if !answered {
            *self.unreachable_until.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now().checked_add(UNREACHABLE_FOR);
            return Err(ImdsError::Unreachable(format!("IMDS could not be reached: {last}")));
        }
        Err(failed(format!("IMDS failed {ATTEMPTS} times: {last}")))
    }

    /// The session token, fetched when there is none or it is about to expire.
    async fn token(&self, http: &SharedHttpClient, base: &str) -> Result<String, Attempt> {
        if let Some((token, until)) = &*self.token.lock().unwrap_or_else(|p| p.into_inner()) {
            if Instant::now() < *until {
                return Ok(token.clone());
            }
        }
        let mut request = HttpRequest::new("PUT", &format!("{base}/latest/api/token"))
            .map_err(|e| Attempt::Fail(ImdsError::Failed(CredentialsError::invalid_configuration(e.to_string()))))?;
        request.add_header(TTL_HEADER, TOKEN_TTL_SECONDS.to_string());
        let response = match fetch::send(http, request, ATTEMPT_TIMEOUT).await {
            Ok(response) => response,
            Err(e) => return Err(Attempt::Retry(e.to_string(), false)),
        };
        match response.status().as_u16() {
            200 => {}
            403 => return Err(Attempt::Fail(ImdsError::Disabled("the instance refuses IMDS tokens (403): IMDS is turned off".into()))),
            s if s >= 500 => return Err(Attempt::Retry(format!("IMDS answered {s} for a token"), true)),
            s => return Err(Attempt::Fail(failed(format!("IMDS answered {s} for a token")))),
        }
        let token = fetch::body_text(&response, "IMDS token").map_err(|e| Attempt::Fail(ImdsError::Failed(e)))?.trim().to_owned();
        if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Attempt::Fail(failed("IMDS sent a session token that is not a header value".into())));
        }
        let ttl = response.header(TTL_HEADER).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(TOKEN_TTL_SECONDS);
        // Renew two minutes early (half the TTL for a short one).
        let keep = Duration::from_secs(ttl.saturating_sub(120).max(ttl / 2));
        if let Some(until) = Instant::now().checked_add(keep) {
            *self.token.lock().unwrap_or_else(|p| p.into_inner()) = Some((token.clone(), until));
        }
        Ok(token)
    }

    /// The instance's region (`placement/region`), or `None`.
    pub(crate) async fn region(&self, http: &SharedHttpClient) -> Option<Region> {
        let text = self.get(http, "/latest/meta-data/placement/region").await.ok()?;
        let region = text.trim();
        let valid = !region.is_empty() && region.len() <= 64 && region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        valid.then(|| Region::new(region.to_owned()))
    }
}

/// One attempt's failure: worth another attempt (and whether the endpoint answered), or final.
enum Attempt {
    Retry(String, bool),
    Fail(ImdsError),
}

fn failed(message: String) -> ImdsError {
    ImdsError::Failed(CredentialsError::provider_error_with(message, "IMDS error"))
}

/// Credentials of the instance's role, from IMDSv2.
///
/// Static stability, as aws-config: when IMDS fails (or times out) and there are credentials
/// from before, they are used again, their expiry pushed 10 to 15 minutes ahead, with a
/// warning (feature `tracing`) — an IMDS outage does not fail every call. Credentials IMDS
/// sends already expired are treated the same way.
#[derive(Debug)]
pub struct ImdsCredentialsProvider {
    client: Arc<ImdsClient>,
    http: Option<SharedHttpClient>,
    last: Mutex<Option<Credentials>>,
    cache: CredentialsCache,
}

impl Default for ImdsCredentialsProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ImdsCredentialsProvider {
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// Reads the environment from `vars` instead of the process (for tests).
    pub fn from_vars(vars: &[(&str, &str)]) -> Self {
        Self::with_env(Env::from_vars(vars))
    }

    pub(crate) fn with_env(env: Env) -> Self {
        Self::with_parts(Arc::new(ImdsClient::new(env)), None)
    }

    pub(crate) fn with_parts(client: Arc<ImdsClient>, http: Option<SharedHttpClient>) -> Self {
        ImdsCredentialsProvider { client, http, last: Mutex::new(None), cache: CredentialsCache::default() }
    }

    /// Loads without the cache (the chain has its own).
    pub(crate) async fn load(&self, ctx: &LoadContext) -> Result<Credentials, CredentialsError> {
        if self.client.disabled() {
            return Err(CredentialsError::not_loaded("IMDS is disabled (AWS_EC2_METADATA_DISABLED is true)"));
        }
        match self.fetch(ctx).await {
            Ok(fresh) => {
                let fresh = match fresh.expiry() {
                    Some(expiry) if expiry <= SystemTime::now() => extended(&fresh, "IMDS sent expired credentials"),
                    _ => fresh,
                };
                *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(fresh.clone());
                Ok(fresh)
            }
            Err(e) => self.fallback().ok_or(e),
        }
    }

    async fn fetch(&self, ctx: &LoadContext) -> Result<Credentials, CredentialsError> {
        let http = fetch::transport(self.http.as_ref(), ctx);
        let roles = self
            .client
            .get(&http, "/latest/meta-data/iam/security-credentials/")
            .await
            .map_err(|e| e.into_credentials_error("IAM role for this instance"))?;
        let role = roles.lines().next().unwrap_or("").trim();
        // The name goes into a path: an IAM role name's characters only.
        if role.is_empty() || !role.bytes().all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b)) {
            return Err(CredentialsError::provider_error_with("IMDS sent an invalid role name", "invalid response"));
        }
        let document = self
            .client
            .get(&http, &format!("/latest/meta-data/iam/security-credentials/{role}"))
            .await
            .map_err(|e| e.into_credentials_error("credentials for the instance's role"))?;
        fetch::parse_json_credentials(&document, "Imds", "IMDS")
    }

    /// The last credentials, their expiry pushed ahead, when there are any.
    pub(crate) fn fallback(&self) -> Option<Credentials> {
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner()).clone()?;
        let c = extended(&last, "IMDS could not give new credentials");
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(c.clone());
        Some(c)
    }
}

/// `c` with its expiry 10 to 15 minutes from now, as aws-config extends them.
fn extended(c: &Credentials, why: &str) -> Credentials {
    let ahead = Duration::from_secs(600).saturating_add(Duration::from_secs_f64(300.0 * crate::retry::jitter()));
    crate::trace::warn(&format!(
        "{why}; using the last ones for another {} minutes (static stability)",
        ahead.as_secs() / 60
    ));
    c.with_expiry(SystemTime::now().checked_add(ahead).unwrap_or(SystemTime::UNIX_EPOCH))
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move { self.cache.get_or_load_or(None, self.load(&LoadContext::default()), || self.fallback()).await })
    }

    fn provide_credentials_with<'a>(&'a self, ctx: &'a LoadContext) -> future::ProvideCredentials<'a> {
        future::ProvideCredentials::new(self.cache.get_or_load_or(ctx.deadline(), self.load(ctx), || self.fallback()))
    }

    fn invalidate(&self, rejected: &Credentials) {
        self.cache.invalidate(rejected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(vars: &[(&str, &str)]) -> Result<String, String> {
        let mut vars = vars.to_vec();
        vars.push(("HOME", "/nonexistent"));
        ImdsClient::new(Env::from_vars(&vars)).endpoint().map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn endpoints_and_modes() {
        assert_eq!(endpoint(&[]).unwrap(), "http://169.254.169.254");
        assert_eq!(endpoint(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")]).unwrap(), "http://[fd00:ec2::254]");
        assert_eq!(endpoint(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv4")]).unwrap(), "http://169.254.169.254");
        let custom = [("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338/"), ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")];
        assert_eq!(endpoint(&custom).unwrap(), "http://127.0.0.1:1338");
        assert!(endpoint(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5")]).unwrap_err().contains("neither IPv4 nor IPv6"));
        assert!(endpoint(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254")]).is_err());
    }
}

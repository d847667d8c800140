//! Container credentials: the endpoint ECS gives a task (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`)
//! and EKS Pod Identity gives a pod (`AWS_CONTAINER_CREDENTIALS_FULL_URI`).

use super::{fetch, Credentials, CredentialsCache, CredentialsError, Env, LoadContext, ProvideCredentials};
use crate::http::{HttpRequest, Scheme, SharedHttpClient, Url};
use crate::retry::{RetryConfig, RetryKind};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;
use super::future;

/// Where a relative URI is resolved: ECS's task metadata address.
const ECS_HOST: &str = "http://169.254.170.2";
/// One attempt: connecting and reading the response.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPTS: u32 = 3;

/// Credentials from the container endpoint:
///
/// - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`: a path on `http://169.254.170.2` (ECS);
/// - else `AWS_CONTAINER_CREDENTIALS_FULL_URI`: a URL, which must be `https`, or `http` on a
///   loopback address, ECS's 169.254.170.2, or EKS Pod Identity's 169.254.170.23 /
///   `fd00:ec2::23` (any other host is refused, so that a stray variable cannot send the
///   request elsewhere);
/// - `Authorization` from the file in `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, else from
///   `AWS_CONTAINER_AUTHORIZATION_TOKEN`, read at every fetch (the agent rotates the file).
#[derive(Debug, Default)]
pub struct ContainerCredentialsProvider {
    env: Env,
    http: Option<SharedHttpClient>,
    cache: CredentialsCache,
}

impl ContainerCredentialsProvider {
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
        ContainerCredentialsProvider { env, http, cache: CredentialsCache::default() }
    }

    /// The endpoint, or not-loaded when neither variable is set.
    fn endpoint(&self) -> Result<Url, CredentialsError> {
        if let Some(relative) = self.env.non_empty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            if !relative.starts_with('/') {
                return Err(CredentialsError::invalid_configuration(format!(
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI `{relative}` does not start with `/`"
                )));
            }
            return Url::parse(&format!("{ECS_HOST}{relative}"))
                .map_err(|e| CredentialsError::invalid_configuration(format!("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: {e}")));
        }
        let Some(full) = self.env.non_empty("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            return Err(CredentialsError::not_loaded(
                "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
            ));
        };
        let url = Url::parse(&full)
            .map_err(|e| CredentialsError::invalid_configuration(format!("AWS_CONTAINER_CREDENTIALS_FULL_URI: {e}")))?;
        if !allowed_full_uri(&url) {
            return Err(CredentialsError::invalid_configuration(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` is refused: over http, only loopback addresses, \
                 169.254.170.2, 169.254.170.23 and fd00:ec2::23 are allowed (or use https)"
            )));
        }
        Ok(url)
    }

    /// The `Authorization` value, read now.
    fn authorization(&self) -> Result<Option<String>, CredentialsError> {
        let token = match self.env.non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(path) => Some(std::fs::read_to_string(&path).map_err(|e| {
                CredentialsError::invalid_configuration(format!("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE `{path}` cannot be read: {e}"))
            })?),
            None => self.env.non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        let token = token.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        if token.as_deref().is_some_and(|t| t.contains(['\r', '\n'])) {
            return Err(CredentialsError::invalid_configuration("the container authorization token spans several lines"));
        }
        Ok(token)
    }

    /// Loads without the cache (the chain has its own).
    pub(crate) async fn load(&self, ctx: &LoadContext) -> Result<Credentials, CredentialsError> {
        let url = self.endpoint()?;
        let authorization = self.authorization()?;
        let http = fetch::transport(self.http.as_ref(), ctx);
        let what = "the container credentials endpoint";
        let retry = RetryConfig::standard();
        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            let mut request = HttpRequest::from_url("GET", url.clone());
            request.add_header("Accept", "application/json");
            if let Some(token) = &authorization {
                request.add_header("Authorization", token.clone());
            }
            let failure = match fetch::send(&http, request, ATTEMPT_TIMEOUT).await {
                Ok(response) if response.status().as_u16() == 200 => {
                    return fetch::parse_json_credentials(fetch::body_text(&response, what)?, "ContainerCredentials", what);
                }
                Ok(response) if response.status().as_u16() < 500 => return Err(refused(&response)),
                Ok(response) => CredentialsError::provider_error_with(format!("{what} answered {}", response.status().as_u16()), "server error"),
                Err(e) => CredentialsError::provider_error_with(format!("{what} could not be reached"), e),
            };
            if attempt >= ATTEMPTS {
                return Err(failure);
            }
            tokio::time::sleep(retry.backoff(RetryKind::Transient, attempt, crate::retry::jitter())).await;
        }
    }
}

/// A 4xx of the endpoint: its `code` and `message` when it sent JSON.
fn refused(response: &crate::http::HttpResponse) -> CredentialsError {
    let json = std::str::from_utf8(response.body()).ok().and_then(|t| crate::minijson::parse(t.trim()).ok());
    let field = |k: &str| json.as_ref().and_then(|j| j.get(k)).and_then(|v| v.as_str()).unwrap_or("").to_owned();
    CredentialsError::provider_error_with(
        format!("the container credentials endpoint refused the request ({})", response.status().as_u16()),
        format!("{} {}", field("code"), field("message")).trim().to_owned(),
    )
}

/// `https`, or `http` to a loopback address or the ECS / EKS Pod Identity agents.
fn allowed_full_uri(url: &Url) -> bool {
    if url.scheme == Scheme::Https {
        return true;
    }
    let host = url.host.trim_start_matches('[').trim_end_matches(']');
    if host == "localhost" {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback() || ip == Ipv4Addr::new(169, 254, 170, 2) || ip == Ipv4Addr::new(169, 254, 170, 23),
        Ok(IpAddr::V6(ip)) => ip.is_loopback() || ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23),
        Err(_) => false,
    }
}

impl ProvideCredentials for ContainerCredentialsProvider {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(vars: &[(&str, &str)]) -> Result<String, CredentialsError> {
        ContainerCredentialsProvider::from_vars(vars).endpoint().map(|u| u.to_string())
    }

    #[test]
    fn endpoints_allowed_and_refused() {
        let full = |uri: &str| endpoint(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri)]);
        assert_eq!(endpoint(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds?id=1")]).unwrap(), "http://169.254.170.2/v2/creds?id=1");
        assert!(endpoint(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "@evil.example/x")]).is_err());
        for ok in [
            "http://127.0.0.1:8080/creds",
            "http://127.1.2.3/creds",
            "http://localhost/creds",
            "http://[::1]:9/creds",
            "http://169.254.170.2/v2",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "https://creds.example.com/x",
        ] {
            assert!(full(ok).is_ok(), "{ok}");
        }
        for refused in ["http://creds.example.com/x", "http://10.0.0.1/x", "http://169.254.169.254/x", "ftp://127.0.0.1/x"] {
            assert_eq!(full(refused).unwrap_err().kind(), super::super::CredentialsErrorKind::InvalidConfiguration, "{refused}");
        }
        assert_eq!(endpoint(&[]).unwrap_err().kind(), super::super::CredentialsErrorKind::NotLoaded);
    }

    #[test]
    fn token_with_a_line_break_is_refused() {
        let p = ContainerCredentialsProvider::from_vars(&[("AWS_CONTAINER_AUTHORIZATION_TOKEN", "a\r\nX-Injected: 1")]);
        assert!(p.authorization().is_err());
        let p = ContainerCredentialsProvider::from_vars(&[("AWS_CONTAINER_AUTHORIZATION_TOKEN", " tok ")]);
        assert_eq!(p.authorization().unwrap().as_deref(), Some("tok"));
    }
}

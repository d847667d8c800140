//! IAM Identity Center (SSO): the token `aws sso login` cached under `~/.aws/sso/cache/`,
//! exchanged for a role's credentials by the portal's `GetRoleCredentials`; a token of an
//! `sso-session` that is about to expire is refreshed first with SSO-OIDC `CreateToken` and
//! written back. Both calls are one small JSON request each, made here by hand.

use super::{system_time_from_millis, Credentials, CredentialsError, Env};
use super::settings::Settings;
use crate::http::{HttpRequest, HttpResponse, SharedHttpClient};
use crate::minijson::Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// A token this close to expiry is refreshed (when it can be).
const REFRESH_BEFORE: Duration = Duration::from_secs(300);
/// At most one refresh attempt per session in this time.
const MIN_TIME_BETWEEN_REFRESHES: Duration = Duration::from_secs(30);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// A profile's SSO settings (its own, or its `sso-session` section's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SsoConfig {
    profile: String,
    /// `None` for a legacy profile (`sso_start_url` in the profile; its token cannot be
    /// refreshed).
    session: Option<String>,
    start_url: String,
    region: String,
    account_id: String,
    role_name: String,
}

impl SsoConfig {
    /// The SSO settings of profile `name`, `None` when it has none.
    pub(crate) fn from_profile(files: &super::ProfileFiles, name: &str) -> Result<Option<SsoConfig>, CredentialsError> {
        let get = |key: &str| files.get(name, key).filter(|v| !v.is_empty());
        let keys = ["sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name"];
        if keys.iter().all(|k| get(k).is_none()) {
            return Ok(None);
        }
        let invalid = |why: String| CredentialsError::invalid_configuration(format!("profile `{name}`: {why}"));
        let session = get("sso_session").map(str::to_owned);
        let (start_url, region) = match &session {
            Some(session) => {
                for key in ["sso_start_url", "sso_region"] {
                    if get(key).is_some() {
                        return Err(invalid(format!("with sso_session, `{key}` belongs in the [sso-session {session}] section")));
                    }
                }
                if !files.has_sso_session(session) {
                    return Err(invalid(format!("its sso_session `{session}` has no [sso-session {session}] section")));
                }
                let from_session = |key: &str| files.sso_session(session, key).filter(|v| !v.is_empty()).map(str::to_owned);
                (from_session("sso_start_url"), from_session("sso_region"))
            }
            None => (get("sso_start_url").map(str::to_owned), get("sso_region").map(str::to_owned)),
        };
        let missing = |key: &str| invalid(format!("SSO needs `{key}`"));
        let region = region.ok_or_else(|| missing("sso_region"))?;
        if region.is_empty() || !region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(invalid(format!("sso_region `{region}` is not a region name")));
        }
        Ok(Some(SsoConfig {
            profile: name.to_owned(),
            start_url: start_url.ok_or_else(|| missing("sso_start_url"))?,
            region,
            account_id: get("sso_account_id").ok_or_else(|| missing("sso_account_id"))?.to_owned(),
            role_name: get("sso_role_name").ok_or_else(|| missing("sso_role_name"))?.to_owned(),
            session,
        }))
    }

    /// What to tell the user to run.
    fn login_command(&self) -> String {
        match &self.session {
            Some(session) => format!("aws sso login --sso-session {session}"),
            None => format!("aws sso login --profile {}", self.profile),
        }
    }
}

/// When each session's token was last refreshed, so that a failing refresh is not retried
/// on every load.
#[derive(Debug, Default)]
pub(crate) struct SsoTokenState {
    last_refresh: Mutex<BTreeMap<String, Instant>>,
}

impl SsoTokenState {
    /// Records an attempt now, if the last one is old enough; `false` when it is not.
    fn may_refresh(&self, session: &str) -> bool {
        let mut last = self.last_refresh.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if last.get(session).is_some_and(|t| now.duration_since(*t) < MIN_TIME_BETWEEN_REFRESHES) {
            return false;
        }
        last.insert(session.to_owned(), now);
        true
    }
}

/// A token file of `~/.aws/sso/cache/`, as read (every key kept, to write back).
struct CachedToken {
    path: PathBuf,
    json: BTreeMap<String, Json>,
    access_token: String,
    expires_at: SystemTime,
}

impl CachedToken {
    fn field(&self, key: &str) -> Option<&str> {
        self.json.get(key).and_then(Json::as_str).filter(|v| !v.is_empty())
    }

    /// The client registration and refresh token that `CreateToken` needs, if all are there
    /// and the registration has not expired.
    fn refresh_parts(&self) -> Option<(&str, &str, &str)> {
        let registration_expires = self.field("registrationExpiresAt").and_then(super::parse_expiry)?;
        if registration_expires <= SystemTime::now() {
            return None;
        }
        Some((self.field("clientId")?, self.field("clientSecret")?, self.field("refreshToken")?))
    }
}

/// The role's credentials, through the cached token.
pub(crate) async fn load(
    env: &Env,
    http: &SharedHttpClient,
    config: &SsoConfig,
    state: &SsoTokenState,
) -> Result<Credentials, CredentialsError> {
    let settings = Settings::load(env);
    let token = token(env, http, &settings, config, state).await?;
    get_role_credentials(http, &settings, config, &token).await
}

/// The access token to use: the cached one, refreshed when it is about to expire and can be.
async fn token(
    env: &Env,
    http: &SharedHttpClient,
    settings: &Settings,
    config: &SsoConfig,
    state: &SsoTokenState,
) -> Result<String, CredentialsError> {
    let key = config.session.as_deref().unwrap_or(&config.start_url);
    let home = env.home().ok_or_else(|| CredentialsError::invalid_configuration("SSO: no home folder (HOME is not set)"))?;
    let path = home.join(".aws").join("sso").join("cache").join(format!("{}.json", cache_file_name(key)));
    let cached = read_cached_token(&path, config)?;
    let now = SystemTime::now();
    let expired = cached.expires_at <= now;
    let mut refresh_error = None;
    if let Some(session) = &config.session {
        let expires_soon = now.checked_add(REFRESH_BEFORE).is_none_or(|soon| cached.expires_at <= soon);
        if expires_soon && cached.refresh_parts().is_some() && state.may_refresh(session) {
            match refresh(http, settings, config, &cached).await {
                Ok(fresh) => return Ok(fresh),
                Err(e) => refresh_error = Some(e),
            }
        }
    }
    if !expired {
        return Ok(cached.access_token);
    }
    let why = match refresh_error {
        Some(e) => format!(", and refreshing it failed ({e})"),
        None if config.session.is_some() => " and cannot be refreshed".to_owned(),
        None => String::new(),
    };
    Err(CredentialsError::invalid_configuration(format!(
        "profile `{}`: the SSO token in {} has expired{why}; run `{}`",
        config.profile,
        path.display(),
        config.login_command()
    )))
}

/// The cache file name: the SHA-1 of the session name (or, for legacy profiles, of the
/// start URL), in hex, as the AWS CLI writes it.
fn cache_file_name(key: &str) -> String {
    use sha1::Digest;
    crate::hex::hex(&sha1::Sha1::digest(key.as_bytes()))
}

fn read_cached_token(path: &Path, config: &SsoConfig) -> Result<CachedToken, CredentialsError> {
    let login = config.login_command();
    let text = std::fs::read_to_string(path).map_err(|e| {
        CredentialsError::invalid_configuration(format!(
            "profile `{}`: no SSO token in {} ({e}); run `{login}`",
            config.profile,
            path.display()
        ))
    })?;
    let bad = |why: &str| {
        CredentialsError::invalid_configuration(format!("the SSO token file {}: {why}; run `{login}`", path.display()))
    };
    // The parse error could quote the file, which holds secrets: say only that it failed.
    let Ok(Json::Object(json)) = crate::minijson::parse(text.trim()) else { return Err(bad("not a JSON object")) };
    let access_token = json.get("accessToken").and_then(Json::as_str).filter(|t| !t.is_empty()).ok_or_else(|| bad("no `accessToken`"))?;
    if !access_token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad("`accessToken` is not a header value"));
    }
    let expires_at = json
        .get("expiresAt")
        .and_then(Json::as_str)
        .and_then(super::parse_expiry)
        .ok_or_else(|| bad("no valid `expiresAt`"))?;
    Ok(CachedToken { path: path.to_owned(), access_token: access_token.to_owned(), expires_at, json })
}

/// SSO-OIDC `CreateToken` with the refresh token; the new token is written to the cache file.
async fn refresh(http: &SharedHttpClient, settings: &Settings, config: &SsoConfig, cached: &CachedToken) -> Result<String, CredentialsError> {
    let Some((client_id, client_secret, refresh_token)) = cached.refresh_parts() else {
        return Err(CredentialsError::invalid_configuration("the SSO token has no refresh token"));
    };
    let mut body = BTreeMap::new();
    for (k, v) in [("clientId", client_id), ("clientSecret", client_secret), ("grantType", "refresh_token"), ("refreshToken", refresh_token)] {
        body.insert(k.to_owned(), Json::String(v.to_owned()));
    }
    let base = endpoint(settings, "SSO_OIDC", "oidc", &config.region)?;
    let mut request = HttpRequest::new("POST", &format!("{base}/token")).map_err(|e| CredentialsError::invalid_configuration(e.to_string()))?;
    request.add_header("Content-Type", "application/json");
    request.set_body(Json::Object(body).render());
    let response = successful(send(http, request, "SSO-OIDC CreateToken").await?, "SSO-OIDC CreateToken")?;
    let json = response_json(&response, "SSO-OIDC CreateToken")?;
    let access_token = json.get("accessToken").and_then(Json::as_str).filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()));
    let expires_in = json.get("expiresIn").and_then(Json::as_f64).filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9);
    let (Some(access_token), Some(expires_in)) = (access_token, expires_in) else {
        return Err(CredentialsError::provider_error_with("SSO-OIDC CreateToken", "no accessToken or expiresIn in the response"));
    };
    let mut updated = cached.json.clone();
    let mut expires_at = String::new();
    // `expires_in` is below 1e9 seconds (checked above): the sum stays in range.
    let at = SystemTime::now().checked_add(Duration::from_secs(expires_in as u64)).unwrap_or(SystemTime::UNIX_EPOCH);
    crate::time::format_iso8601(&at.into(), &mut expires_at);
    updated.insert("accessToken".into(), Json::String(access_token.to_owned()));
    updated.insert("expiresAt".into(), Json::String(expires_at));
    if let Some(new_refresh) = json.get("refreshToken").and_then(Json::as_str).filter(|t| !t.is_empty()) {
        updated.insert("refreshToken".into(), Json::String(new_refresh.to_owned()));
    }
    write_cached_token(&cached.path, &Json::Object(updated))?;
    Ok(access_token.to_owned())
}

/// Writes through a temporary file and a rename, so that a reader never sees half a file.
fn write_cached_token(path: &Path, json: &Json) -> Result<(), CredentialsError> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, json.render())
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| CredentialsError::provider_error_with(format!("the refreshed SSO token could not be written to {}", path.display()), e))
}

/// The portal's `GetRoleCredentials`.
async fn get_role_credentials(
    http: &SharedHttpClient,
    settings: &Settings,
    config: &SsoConfig,
    token: &str,
) -> Result<Credentials, CredentialsError> {
    let base = endpoint(settings, "SSO", "portal.sso", &config.region)?;
    let mut url = format!("{base}/federation/credentials?account_id=");
    crate::query::encode_into(&config.account_id, &mut url);
    url.push_str("&role_name=");
    crate::query::encode_into(&config.role_name, &mut url);
    let mut request = HttpRequest::new("GET", &url).map_err(|e| CredentialsError::invalid_configuration(e.to_string()))?;
    request.add_header("x-amz-sso_bearer_token", token);
    let what = "the SSO portal's GetRoleCredentials";
    let response = send(http, request, what).await?;
    if matches!(response.status().as_u16(), 401 | 403) {
        return Err(CredentialsError::invalid_configuration(format!(
            "profile `{}`: the SSO portal does not accept the cached token ({}); run `{}`",
            config.profile,
            response.status().as_u16(),
            config.login_command()
        )));
    }
    let response = successful(response, what)?;
    let json = response_json(&response, what)?;
    let bad = |why: &str| CredentialsError::provider_error_with(what.to_owned(), why.to_owned());
    let role = json.get("roleCredentials").ok_or_else(|| bad("no roleCredentials in the response"))?;
    let field = |k: &str| role.get(k).and_then(Json::as_str).filter(|v| !v.is_empty());
    let key = field("accessKeyId").ok_or_else(|| bad("no accessKeyId"))?;
    let secret = field("secretAccessKey").ok_or_else(|| bad("no secretAccessKey"))?;
    let session = field("sessionToken").ok_or_else(|| bad("no sessionToken"))?;
    let expiry = role.get("expiration").and_then(Json::as_f64).and_then(system_time_from_millis).ok_or_else(|| bad("no expiration"))?;
    Ok(Credentials::new(key, secret, Some(session.to_owned()), Some(expiry), "Sso"))
}

/// `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL`, else `https://{prefix}.{region}.{dnsSuffix}`.
fn endpoint(settings: &Settings, service: &str, prefix: &str, region: &str) -> Result<String, CredentialsError> {
    if let Some(url) = settings.endpoint_url(service) {
        return Ok(url.trim_end_matches('/').to_owned());
    }
    let suffix = crate::endpoint::partitions::partition_of(region).dns_suffix;
    Ok(format!("https://{prefix}.{region}.{suffix}"))
}

async fn send(http: &SharedHttpClient, request: HttpRequest, what: &str) -> Result<HttpResponse, CredentialsError> {
    super::fetch::send(http, request, REQUEST_TIMEOUT)
        .await
        .map_err(|e| CredentialsError::provider_error_with(format!("{what} could not be reached"), e))
}

/// A 200 response, else an error carrying the status and the service's error code
/// (`"error"` of OIDC, `"message"` of the portal), never the body as a whole.
fn successful(response: HttpResponse, what: &str) -> Result<HttpResponse, CredentialsError> {
    if response.status().as_u16() == 200 {
        return Ok(response);
    }
    let json = std::str::from_utf8(response.body()).ok().and_then(|t| crate::minijson::parse(t.trim()).ok());
    let detail: String = json
        .as_ref()
        .and_then(|j| j.get("error").or_else(|| j.get("message")).or_else(|| j.get("Message")))
        .and_then(Json::as_str)
        .unwrap_or("")
        .chars()
        .take(200)
        .collect();
    Err(CredentialsError::provider_error_with(format!("{what} failed ({})", response.status().as_u16()), detail))
}

fn response_json(response: &HttpResponse, what: &str) -> Result<Json, CredentialsError> {
    std::str::from_utf8(response.body())
        .ok()
        .and_then(|t| crate::minijson::parse(t.trim()).ok())
        .ok_or_else(|| CredentialsError::provider_error_with(what.to_owned(), "the response is not JSON"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::ProfileFiles;

    #[test]
    fn cache_file_names_are_the_cli_s() {
        // Names the AWS CLI gives (aws-config's tests list the same).
        assert_eq!(cache_file_name("admin"), "d033e22ae348aeb5660fc2140aec35850c4da997");
        assert_eq!(cache_file_name("https://d-92671207e4.awsapps.com/start"), "13f9d35043871d073ab260e020f0ffde092cb14b");
    }

    #[test]
    fn profiles_and_sessions() {
        let files = ProfileFiles::parse(
            "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
             [sso-session corp]\nsso_start_url = https://corp.example/start\nsso_region = eu-west-1\n\
             [profile legacy]\nsso_start_url = https://corp.example/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n\
             [profile mixed]\nsso_session = corp\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n\
             [profile orphan]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n\
             [profile norole]\nsso_session = corp\nsso_account_id = 1\n\
             [profile badregion]\nsso_start_url = u\nsso_region = x.evil\nsso_account_id = 1\nsso_role_name = R\n",
            "",
        );
        let dev = SsoConfig::from_profile(&files, "dev").unwrap().unwrap();
        assert_eq!((dev.session.as_deref(), dev.region.as_str(), dev.role_name.as_str()), (Some("corp"), "eu-west-1", "Dev"));
        assert_eq!(dev.login_command(), "aws sso login --sso-session corp");
        let legacy = SsoConfig::from_profile(&files, "legacy").unwrap().unwrap();
        assert_eq!((legacy.session.as_deref(), legacy.login_command()), (None, "aws sso login --profile legacy".to_owned()));
        for (profile, says) in [("mixed", "belongs in"), ("orphan", "no [sso-session nope]"), ("norole", "sso_role_name"), ("badregion", "not a region")] {
            let e = SsoConfig::from_profile(&files, profile).unwrap_err();
            assert!(e.to_string().contains(says), "{profile}: {e}");
        }
        assert!(SsoConfig::from_profile(&ProfileFiles::parse("[profile p]\nregion = x\n", ""), "p").unwrap().is_none());
    }
}

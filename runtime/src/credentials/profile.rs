//! The shared `credentials` and `config` files, and the provider that reads a profile's
//! static keys or runs its `credential_process`.
//!
//! Files: `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`) and
//! `AWS_CONFIG_FILE` (default `~/.aws/config`); profile: `AWS_PROFILE` (default `default`).
//! In `config`, sections are `[profile NAME]` (and `[default]`); in `credentials`, `[NAME]`.
//! A key in `credentials` wins over the same key in `config`.

use super::{Credentials, CredentialsCache, CredentialsError, Env, ProvideCredentials};
use crate::http::BoxFuture;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::SystemTime;

/// The profiles of the two shared files, merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileFiles {
    profiles: BTreeMap<String, BTreeMap<String, String>>,
}

impl ProfileFiles {
    /// Parses the texts of a `config` and a `credentials` file.
    pub fn parse(config: &str, credentials: &str) -> Self {
        let mut files = ProfileFiles::default();
        for (section, key, value) in sections(config) {
            let name = if section == "default" {
                Some("default")
            } else {
                section.strip_prefix("profile").filter(|r| r.starts_with(char::is_whitespace)).map(str::trim)
            };
            if let Some(name) = name {
                files.profiles.entry(name.to_owned()).or_default().insert(key, value);
            }
        }
        for (section, key, value) in sections(credentials) {
            files.profiles.entry(section).or_default().insert(key, value);
        }
        files
    }

    /// Reads the files the environment points at; a missing file is an empty one.
    pub(crate) fn load(env: &Env) -> Self {
        let home = env.get("HOME").or_else(|| env.get("USERPROFILE")).map(PathBuf::from);
        let path = |var: &str, default: &str| {
            env.get(var).map(|p| expand_home(&p, home.as_deref())).or_else(|| home.as_ref().map(|h| h.join(".aws").join(default)))
        };
        let read = |p: Option<PathBuf>| p.and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default();
        ProfileFiles::parse(&read(path("AWS_CONFIG_FILE", "config")), &read(path("AWS_SHARED_CREDENTIALS_FILE", "credentials")))
    }

    /// Key `key` of profile `profile`.
    pub fn get(&self, profile: &str, key: &str) -> Option<&str> {
        self.profiles.get(profile)?.get(key).map(String::as_str)
    }

    pub fn has_profile(&self, profile: &str) -> bool {
        self.profiles.contains_key(profile)
    }
}

fn expand_home(path: &str, home: Option<&std::path::Path>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

/// `(section, key, value)` of an INI text: comments (`#`, `;`) and indented sub-properties
/// are skipped, keys are lowercased, values trimmed.
fn sections(text: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut section: Option<String> = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue; // a nested sub-property (`s3 =\n  max_concurrent_requests = 10`)
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            section = rest.split(']').next().map(|s| s.trim().to_owned());
            continue;
        }
        let (Some(section), Some((key, value))) = (&section, line.split_once('=')) else { continue };
        out.push((section.clone(), key.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    out
}

/// Credentials of a profile in the shared files: static keys, or a `credential_process`
/// (its output cached until shortly before it expires).
#[derive(Debug)]
pub struct ProfileProvider {
    env: Env,
    profile: Option<String>,
    cache: CredentialsCache,
}

impl ProfileProvider {
    /// The profile `AWS_PROFILE` names, or `default`.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// A given profile.
    pub fn named(profile: impl Into<String>) -> Self {
        ProfileProvider { env: Env::process(), profile: Some(profile.into()), cache: CredentialsCache::default() }
    }

    /// Reads the environment from `vars` instead of the process (for tests).
    pub fn from_vars(vars: &[(&str, &str)]) -> Self {
        Self::with_env(Env::fixed(vars))
    }

    pub(crate) fn with_env(env: Env) -> Self {
        ProfileProvider { env, profile: None, cache: CredentialsCache::default() }
    }

    fn profile_name(&self) -> String {
        self.profile.clone().or_else(|| self.env.get("AWS_PROFILE")).filter(|p| !p.is_empty()).unwrap_or_else(|| "default".into())
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let files = ProfileFiles::load(&self.env);
        let name = self.profile_name();
        if !files.has_profile(&name) {
            return Err(CredentialsError::not_loaded(format!("profile `{name}` is not in the shared config or credentials file")));
        }
        let get = |k: &str| files.get(&name, k).filter(|v| !v.is_empty());
        if let (Some(key), Some(secret)) = (get("aws_access_key_id"), get("aws_secret_access_key")) {
            let token = get("aws_session_token").map(str::to_owned);
            return Ok(Credentials::new(key, secret, token, None, "Profile"));
        }
        if let Some(command) = get("credential_process") {
            return run_credential_process(command.to_owned()).await;
        }
        if get("role_arn").is_some() || get("sso_session").is_some() || get("sso_start_url").is_some() {
            return Err(CredentialsError::invalid_configuration(format!(
                "profile `{name}` uses role assumption or SSO; build with feature `aws-credential-types` and pass an \
                 aws-config provider through `AwsConfigCredentials`"
            )));
        }
        Err(CredentialsError::not_loaded(format!("profile `{name}` has neither keys nor credential_process")))
    }
}

impl Default for ProfileProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.get_or_load(self.load()))
    }
}

/// Runs `credential_process` through the shell and reads its JSON (`Version` 1).
async fn run_credential_process(command: String) -> Result<Credentials, CredentialsError> {
    let output = tokio::task::spawn_blocking(move || {
        let mut cmd = if cfg!(windows) {
            let mut c = std::process::Command::new("cmd");
            c.arg("/C").arg(&command);
            c
        } else {
            let mut c = std::process::Command::new("sh");
            c.arg("-c").arg(&command);
            c
        };
        cmd.stdin(std::process::Stdio::null()).output()
    })
    .await
    .map_err(|e| CredentialsError::provider_error("credential_process could not be run", e))?
    .map_err(|e| CredentialsError::provider_error("credential_process could not be started", e))?;
    if !output.status.success() {
        // stderr is the process's own message; stdout may hold secrets and is not shown.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr: String = stderr.trim().chars().take(300).collect();
        return Err(CredentialsError::provider_error(
            format!("credential_process exited with {}", output.status),
            stderr,
        ));
    }
    parse_process_output(&String::from_utf8_lossy(&output.stdout))
}

/// The JSON a `credential_process` prints.
pub(crate) fn parse_process_output(stdout: &str) -> Result<Credentials, CredentialsError> {
    let bad = |what: &str| CredentialsError::invalid_configuration(format!("credential_process output: {what}"));
    // The parse error could quote the output, which holds secrets: say only where it failed.
    let json = crate::minijson::parse(stdout.trim()).map_err(|_| bad("not valid JSON"))?;
    match json.get("Version").and_then(|v| v.as_f64()) {
        Some(1.0) => {}
        _ => return Err(bad("`Version` must be 1")),
    }
    let field = |k: &str| json.get(k).and_then(|v| v.as_str()).filter(|s| !s.is_empty());
    let key = field("AccessKeyId").ok_or_else(|| bad("no `AccessKeyId`"))?;
    let secret = field("SecretAccessKey").ok_or_else(|| bad("no `SecretAccessKey`"))?;
    let expiry = match field("Expiration") {
        Some(text) => {
            let t = crate::time::parse_timestamp(text).map_err(|_| bad("`Expiration` is not an ISO-8601 time"))?;
            Some(SystemTime::from(t))
        }
        None => None,
    };
    Ok(Credentials::new(key, secret, field("SessionToken").map(str::to_owned), expiry, "CredentialProcess"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_files_with_credentials_first() {
        let config = "[default]\nregion = us-west-2\naws_access_key_id = FROMCONFIG\n\n[profile dev]\nregion=eu-west-1\n\
                      s3 =\n  max_concurrent_requests = 10\n# comment\n[profile]\nx=1\n";
        let credentials = "[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n; note\n[dev]\nAWS_ACCESS_KEY_ID=DEV\n";
        let f = ProfileFiles::parse(config, credentials);
        assert_eq!(f.get("default", "region"), Some("us-west-2"));
        assert_eq!(f.get("default", "aws_access_key_id"), Some("AKID"));
        assert_eq!(f.get("dev", "region"), Some("eu-west-1"));
        assert_eq!(f.get("dev", "aws_access_key_id"), Some("DEV"));
        assert_eq!(f.get("dev", "s3"), Some(""));
        assert!(!f.has_profile("profile"));
    }

    #[test]
    fn process_output() {
        let c = parse_process_output(
            r#"{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "SK", "SessionToken": "T", "Expiration": "2030-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!((c.access_key_id(), c.session_token()), ("AK", Some("T")));
        assert!(c.expiry().is_some());
        let e = parse_process_output(r#"{"Version": 2, "AccessKeyId": "AK", "SecretAccessKey": "SUPERSECRET"}"#).unwrap_err();
        assert!(!e.to_string().contains("SUPERSECRET"));
        let e = parse_process_output(r#"{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "SUPERSECRET""#).unwrap_err();
        assert!(!e.to_string().contains("SUPERSECRET"), "{e}");
    }
}

//! The shared `credentials` and `config` files, and the provider that gets a profile's
//! credentials: static keys, `credential_process`, SSO, web identity, and roles assumed on
//! top of any of them (`role_arn` with `source_profile` chains or `credential_source`).
//!
//! Files: `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`) and
//! `AWS_CONFIG_FILE` (default `~/.aws/config`); profile: `AWS_PROFILE` (default `default`).
//! In `config`, sections are `[profile NAME]` (and `[default]`) and `[sso-session NAME]`; in
//! `credentials`, `[NAME]`. A key in `credentials` wins over the same key in `config`.
//!
//! How a profile becomes a chain follows aws-config: a profile with `role_arn` assumes that
//! role with the credentials of its `source_profile` (or of its `credential_source`); after
//! the first profile, static keys end the chain even beside a `role_arn`.

use super::container::ContainerCredentialsProvider;
use super::imds::ImdsCredentialsProvider;
use super::sso::{SsoConfig, SsoTokenState};
use super::sts::AssumeRoleRequest;
use super::{
    default_session_name, fetch, process, web_identity, CredentialsCache, Credentials, CredentialsError, Env,
    EnvironmentProvider, LoadContext, ProvideCredentials,
};
use crate::http::SharedHttpClient;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use super::future;

/// The profiles (and SSO sessions) of the two shared files, merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileFiles {
    profiles: BTreeMap<String, BTreeMap<String, String>>,
    sso_sessions: BTreeMap<String, BTreeMap<String, String>>,
    /// The first line of the files the SDKs' parsers reject (`path: line N: problem`): the
    /// profiles are then unusable, as in aws-config and botocore, rather than half read.
    problem: Option<String>,
}

impl ProfileFiles {
    /// Parses the texts of a `config` and a `credentials` file (leniently: lines the SDKs'
    /// parsers reject are skipped; [`problem`](Self::problem) is for files read from disk).
    pub fn parse(config: &str, credentials: &str) -> Self {
        Self::merge(scan(config).entries, scan(credentials).entries)
    }

    /// The profiles of a `config` and a `credentials` file's entries.
    fn merge(config: Vec<(String, String, String)>, credentials: Vec<(String, String, String)>) -> Self {
        let mut files = ProfileFiles::default();
        for (section, key, value) in config {
            if section == "default" {
                files.profiles.entry("default".to_owned()).or_default().insert(key, value);
            } else if let Some(name) = section_name(&section, "profile") {
                files.profiles.entry(name.to_owned()).or_default().insert(key, value);
            } else if let Some(name) = section_name(&section, "sso-session") {
                files.sso_sessions.entry(name.to_owned()).or_default().insert(key, value);
            }
        }
        for (section, key, value) in credentials {
            files.profiles.entry(section).or_default().insert(key, value);
        }
        files
    }

    /// Reads the files the environment points at; a missing file is an empty one.
    pub(crate) fn load(env: &Env) -> Self {
        let home = env.home();
        let path = |var: &str, default: &str| {
            env.non_empty(var)
                .map(|p| expand_home(&p, home.as_deref()))
                .or_else(|| home.as_ref().map(|h| h.join(".aws").join(default)))
        };
        let read = |p: Option<PathBuf>| {
            let scanned = scan(&p.as_ref().and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default());
            let problem = scanned.problem.zip(p).map(|((line, why), p)| format!("{}: line {line}: {why}", p.display()));
            (scanned.entries, problem)
        };
        let (config, config_problem) = read(path("AWS_CONFIG_FILE", "config"));
        let (credentials, credentials_problem) = read(path("AWS_SHARED_CREDENTIALS_FILE", "credentials"));
        ProfileFiles { problem: config_problem.or(credentials_problem), ..ProfileFiles::merge(config, credentials) }
    }

    /// Why the files cannot be used (the first line their parser rejects), if they cannot.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Key `key` of profile `profile`.
    pub fn get(&self, profile: &str, key: &str) -> Option<&str> {
        self.profiles.get(profile)?.get(key).map(String::as_str)
    }

    pub fn has_profile(&self, profile: &str) -> bool {
        self.profiles.contains_key(profile)
    }

    /// Key `key` of the `[sso-session NAME]` section `session`.
    pub fn sso_session(&self, session: &str, key: &str) -> Option<&str> {
        self.sso_sessions.get(session)?.get(key).map(String::as_str)
    }

    pub fn has_sso_session(&self, session: &str) -> bool {
        self.sso_sessions.contains_key(session)
    }
}

/// `NAME` of a `[KIND NAME]` section header.
fn section_name<'a>(section: &'a str, kind: &str) -> Option<&'a str> {
    section.strip_prefix(kind).filter(|r| r.starts_with(char::is_whitespace)).map(str::trim).filter(|n| !n.is_empty())
}

fn expand_home(path: &str, home: Option<&std::path::Path>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

/// An INI text as the SDKs read it: its `(section, key, value)` entries, and the first line
/// (numbered from 1) their parsers reject, if any, with why in aws-config's words.
struct Scanned {
    entries: Vec<(String, String, String)>,
    problem: Option<(usize, &'static str)>,
}

/// Reads `text` once: comments (`#`, `;`) and indented sub-properties
/// (`s3 =\n  max_concurrent_requests = 10`) are skipped, keys lowercased, values trimmed. A
/// property outside any profile, a header without `]`, a line that is neither a header nor
/// `key = value` is a problem (the first is kept); the entries are what the rest gives.
fn scan(text: &str) -> Scanned {
    let mut entries = Vec::new();
    let mut problem = None;
    let mut section: Option<String> = None;
    for (n, raw) in (1..).zip(text.lines()) {
        let line = raw.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        let mut flag = |why| {
            problem.get_or_insert((n, why));
        };
        if raw.starts_with([' ', '\t']) {
            if section.is_none() {
                flag("expected a profile definition, found a continuation line");
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            if !rest.contains(']') {
                flag("profile definition must end with ']'");
            }
            section = rest.split(']').next().map(|s| s.trim().to_owned());
            continue;
        }
        let Some(section) = &section else {
            flag("expected a profile definition");
            continue;
        };
        match line.split_once('=') {
            None => flag("expected an '=' sign defining a property"),
            Some((key, _)) if key.trim().is_empty() => flag("property did not have a name"),
            Some((key, value)) => entries.push((section.clone(), key.trim().to_ascii_lowercase(), value.trim().to_owned())),
        }
    }
    Scanned { entries, problem }
}

/// The profile `AWS_PROFILE` names, or `default`.
pub(crate) fn selected_profile(env: &Env) -> String {
    env.non_empty("AWS_PROFILE").unwrap_or_else(|| "default".into())
}

/// A profile resolved into what to do: get base credentials, then assume each role in turn.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ProfileChain {
    pub(crate) base: Base,
    /// Innermost first: the first role is assumed with the base credentials.
    pub(crate) roles: Vec<Role>,
}

/// Where a chain's first credentials come from.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Base {
    Static(Credentials),
    Process(String),
    Sso(SsoConfig),
    WebIdentity { role_arn: String, token_file: String, session_name: Option<String> },
    Named(NamedSource),
}

/// `credential_source` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NamedSource {
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

/// A role to assume, from a profile's `role_arn`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Role {
    pub(crate) profile: String,
    pub(crate) role_arn: String,
    pub(crate) external_id: Option<String>,
    pub(crate) session_name: Option<String>,
    pub(crate) duration_seconds: Option<i32>,
}

/// Resolves profile `selected` into a chain. Not-loaded when the profile does not exist or
/// has no credentials at all; invalid configuration for anything inconsistent, naming the
/// profiles involved.
pub(crate) fn resolve(files: &ProfileFiles, selected: &str) -> Result<ProfileChain, CredentialsError> {
    if let Some(problem) = files.problem() {
        return Err(CredentialsError::invalid_configuration(format!("could not parse the profile files: {problem}")));
    }
    if !files.has_profile(selected) {
        return Err(CredentialsError::not_loaded(format!("profile `{selected}` is not in the shared config or credentials file")));
    }
    let invalid = |profile: &str, why: String| CredentialsError::invalid_configuration(format!("profile `{profile}`: {why}"));
    let mut visited: Vec<&str> = Vec::new();
    let mut roles = Vec::new();
    let mut name = selected;
    let base = loop {
        if visited.contains(&name) {
            let path: Vec<String> = visited.iter().chain([&name]).map(|p| format!("`{p}`")).collect();
            return Err(CredentialsError::invalid_configuration(format!(
                "the profiles' source_profile settings form a cycle: {}",
                path.join(" → ")
            )));
        }
        if !files.has_profile(name) {
            let from = visited.last().copied().unwrap_or(selected);
            return Err(invalid(from, format!("its source_profile `{name}` is not in the shared config or credentials file")));
        }
        visited.push(name);
        let get = |key: &str| files.get(name, key).filter(|v| !v.is_empty());
        // After the first profile, static keys end the chain (aws-config and botocore agree).
        if visited.len() > 1 {
            if let Some(c) = static_keys(name, &get)? {
                break Base::Static(c);
            }
        }
        let Some(role_arn) = get("role_arn").filter(|_| get("web_identity_token_file").is_none()) else {
            match base_of(files, name)? {
                Some(base) => break base,
                None if visited.len() == 1 => {
                    return Err(CredentialsError::not_loaded(format!(
                        "profile `{name}` has no credentials (keys, credential_process, role_arn, SSO or web identity)"
                    )))
                }
                None => {
                    // The profile whose `source_profile` this is: the one before it.
                    let from = visited.iter().rev().nth(1).copied().unwrap_or(name);
                    return Err(invalid(from, format!("its source_profile `{name}` has no credentials")));
                }
            }
        };
        roles.push(Role {
            profile: name.to_owned(),
            role_arn: role_arn.to_owned(),
            external_id: get("external_id").map(str::to_owned),
            session_name: get("role_session_name").map(str::to_owned),
            duration_seconds: match get("duration_seconds") {
                Some(d) => Some(d.parse::<i32>().ok().filter(|d| *d > 0).ok_or_else(|| {
                    invalid(name, format!("duration_seconds `{d}` is not a positive number of seconds"))
                })?),
                None => None,
            },
        });
        match (get("source_profile"), get("credential_source")) {
            (Some(_), Some(_)) => return Err(invalid(name, "it has both source_profile and credential_source; keep one".into())),
            (None, None) => return Err(invalid(name, "it has role_arn but neither source_profile nor credential_source".into())),
            // A profile that names itself uses its own static keys under its role.
            (Some(source), None) if source == name => match static_keys(name, &get)? {
                Some(c) => break Base::Static(c),
                None => return Err(invalid(name, "it is its own source_profile but has no aws_access_key_id".into())),
            },
            (Some(source), None) => name = source,
            (None, Some(source)) => break Base::Named(named_source(name, source)?),
        }
    };
    roles.reverse();
    Ok(ProfileChain { base, roles })
}

/// The base credentials of a profile without a role to assume, in aws-config's order:
/// `credential_source`, web identity, SSO, `credential_process`, static keys.
fn base_of(files: &ProfileFiles, name: &str) -> Result<Option<Base>, CredentialsError> {
    let get = |key: &str| files.get(name, key).filter(|v| !v.is_empty());
    if let Some(source) = get("credential_source") {
        return Ok(Some(Base::Named(named_source(name, source)?)));
    }
    if let (Some(role_arn), Some(token_file)) = (get("role_arn"), get("web_identity_token_file")) {
        return Ok(Some(Base::WebIdentity {
            role_arn: role_arn.to_owned(),
            token_file: token_file.to_owned(),
            session_name: get("role_session_name").map(str::to_owned),
        }));
    }
    if let Some(sso) = SsoConfig::from_profile(files, name)? {
        return Ok(Some(Base::Sso(sso)));
    }
    if let Some(command) = get("credential_process") {
        return Ok(Some(Base::Process(command.to_owned())));
    }
    Ok(static_keys(name, &get)?.map(Base::Static))
}

fn static_keys<'a>(name: &str, get: &impl Fn(&str) -> Option<&'a str>) -> Result<Option<Credentials>, CredentialsError> {
    match (get("aws_access_key_id"), get("aws_secret_access_key")) {
        (Some(key), Some(secret)) => {
            let token = get("aws_session_token").map(str::to_owned);
            Ok(Some(Credentials::new(key, secret, token, None, "Profile")))
        }
        (Some(_), None) => Err(CredentialsError::invalid_configuration(format!(
            "profile `{name}`: aws_access_key_id is set but aws_secret_access_key is not"
        ))),
        _ => Ok(None),
    }
}

fn named_source(profile: &str, source: &str) -> Result<NamedSource, CredentialsError> {
    match source {
        "Environment" => Ok(NamedSource::Environment),
        "Ec2InstanceMetadata" => Ok(NamedSource::Ec2InstanceMetadata),
        "EcsContainer" => Ok(NamedSource::EcsContainer),
        other => Err(CredentialsError::invalid_configuration(format!(
            "profile `{profile}`: credential_source `{other}` is not one of Environment, Ec2InstanceMetadata, EcsContainer"
        ))),
    }
}

/// Credentials of a profile in the shared files: static keys, `credential_process`, SSO,
/// web identity, and assumed roles over any of them (assuming a role needs a client whose
/// crate has STS, `credentials = "full"`). What it gets is cached until shortly before it
/// expires.
#[derive(Debug)]
pub struct ProfileProvider {
    env: Env,
    profile: Option<String>,
    http: Option<SharedHttpClient>,
    /// For `credential_source = Ec2InstanceMetadata` (shared with the chain's IMDS source).
    imds: Arc<ImdsCredentialsProvider>,
    sso: SsoTokenState,
    cache: CredentialsCache,
    /// Set by [`ProfileProvider::from_files`]: these profiles instead of the shared files.
    files: Option<ProfileFiles>,
}

impl ProfileProvider {
    /// The profile `AWS_PROFILE` names, or `default`.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// A given profile.
    pub fn named(profile: impl Into<String>) -> Self {
        let env = Env::process();
        let imds = Arc::new(ImdsCredentialsProvider::with_env(env.clone()));
        Self::with_parts(env, Some(profile.into()), None, imds)
    }

    /// Reads the environment from `vars` instead of the process (for tests).
    pub fn from_vars(vars: &[(&str, &str)]) -> Self {
        Self::with_env(Env::from_vars(vars))
    }

    pub(crate) fn with_env(env: Env) -> Self {
        let imds = Arc::new(ImdsCredentialsProvider::with_env(env.clone()));
        Self::with_parts(env, None, None, imds)
    }

    pub(crate) fn with_parts(
        env: Env,
        profile: Option<String>,
        http: Option<SharedHttpClient>,
        imds: Arc<ImdsCredentialsProvider>,
    ) -> Self {
        ProfileProvider { env, profile, http, imds, sso: SsoTokenState::default(), cache: CredentialsCache::default(), files: None }
    }

    /// Profile `profile` of `files` rather than of the shared files: for providers described
    /// in code (aws-query-config's `SsoCredentialsProvider`) or profiles a program keeps
    /// elsewhere. The environment is still the process's (`HOME` for the SSO token cache).
    pub fn from_files(files: ProfileFiles, profile: impl Into<String>) -> Self {
        let env = Env::process();
        let imds = Arc::new(ImdsCredentialsProvider::with_env(env.clone()));
        ProfileProvider { files: Some(files), ..Self::with_parts(env, Some(profile.into()), None, imds) }
    }

    fn profile_name(&self) -> String {
        self.profile.clone().filter(|p| !p.is_empty()).unwrap_or_else(|| selected_profile(&self.env))
    }

    /// Loads without the cache (the chain has its own).
    pub(crate) async fn load(&self, ctx: &LoadContext) -> Result<Credentials, CredentialsError> {
        let files = self.files.clone().unwrap_or_else(|| ProfileFiles::load(&self.env));
        let chain = resolve(&files, &self.profile_name())?;
        let mut credentials = self.base(&chain.base, ctx).await?;
        for role in &chain.roles {
            credentials = self.assume(role, credentials, ctx).await.map_err(|e| e.context(format!("profile `{}`", role.profile)))?;
        }
        Ok(credentials)
    }

    async fn base(&self, base: &Base, ctx: &LoadContext) -> Result<Credentials, CredentialsError> {
        match base {
            Base::Static(c) => Ok(c.clone()),
            Base::Process(command) => process::run(command).await,
            Base::Sso(config) => {
                let http = fetch::transport(self.http.as_ref(), ctx);
                super::sso::load(&self.env, &http, config, &self.sso).await
            }
            Base::WebIdentity { role_arn, token_file, session_name } => {
                web_identity::assume(&self.env, self.http.as_ref(), ctx, role_arn, token_file, session_name.as_deref()).await
            }
            Base::Named(source) => {
                let loaded = match source {
                    NamedSource::Environment => EnvironmentProvider::with_env(self.env.clone()).provide_credentials().await,
                    NamedSource::Ec2InstanceMetadata => self.imds.load(ctx).await,
                    NamedSource::EcsContainer => {
                        ContainerCredentialsProvider::with_parts(self.env.clone(), self.http.clone()).load(ctx).await
                    }
                };
                // The profile asks for this source: its absence is a configuration error.
                loaded.map_err(|e| {
                    CredentialsError::invalid_configuration(format!("credential_source `{source:?}` gave no credentials: {e}"))
                })
            }
        }
    }

    async fn assume(&self, role: &Role, source: Credentials, ctx: &LoadContext) -> Result<Credentials, CredentialsError> {
        let sts = super::sts::required(ctx, "assuming the role of its role_arn")?;
        let http = fetch::transport(self.http.as_ref(), ctx);
        let call = super::sts::call(&self.env, ctx, http, Some(source));
        let request = AssumeRoleRequest {
            role_arn: role.role_arn.clone(),
            role_session_name: role.session_name.clone().unwrap_or_else(|| default_session_name("aws-query")),
            external_id: role.external_id.clone(),
            duration_seconds: role.duration_seconds,
        };
        sts.assume_role(call, request).await
    }
}

impl Default for ProfileProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProvideCredentials for ProfileProvider {
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

    #[test]
    fn malformed_files_name_the_line_and_make_the_profiles_unusable() {
        let cases = [
            ("region = us-east-1\n[default]\n", Some((1, "expected a profile definition"))),
            ("[default]\nregion = us-east-1\n[profile dev\n", Some((3, "profile definition must end with ']'"))),
            ("# c\n[default]\n\nregion us-east-1\n", Some((4, "expected an '=' sign defining a property"))),
            ("[default]\n = x\n", None), // indented: a sub-property
            ("[default]\n= x\n", Some((2, "property did not have a name"))),
            ("  x = 1\n[default]\n", Some((1, "expected a profile definition, found a continuation line"))),
            ("[default]\ns3 =\n  max_concurrent_requests = 10\n; note\n", None),
        ];
        for (text, expected) in cases {
            assert_eq!(scan(text).problem, expected, "{text:?}");
        }
        let dir = std::env::temp_dir().join(format!("aws-query-profile-problem-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(&config, "[default]\naws_access_key_id = AKID\naws_secret_access_key\n").unwrap();
        let env = Env::from_vars(&[("AWS_CONFIG_FILE", config.to_str().unwrap()), ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")]);
        let err = resolve(&ProfileFiles::load(&env), "default").unwrap_err();
        assert_eq!(err.kind(), super::super::CredentialsErrorKind::InvalidConfiguration);
        let expected = format!("could not parse the profile files: {}: line 3: expected an '=' sign defining a property", config.display());
        assert!(err.to_string().contains(&expected), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn merges_files_with_credentials_first() {
        let config = "[default]\nregion = us-west-2\naws_access_key_id = FROMCONFIG\n\n[profile dev]\nregion=eu-west-1\n\
                      s3 =\n  max_concurrent_requests = 10\n# comment\n[profile]\nx=1\n[sso-session corp]\nsso_region = eu-west-1\n";
        let credentials = "[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n; note\n[dev]\nAWS_ACCESS_KEY_ID=DEV\n";
        let f = ProfileFiles::parse(config, credentials);
        assert_eq!(f.get("default", "region"), Some("us-west-2"));
        assert_eq!(f.get("default", "aws_access_key_id"), Some("AKID"));
        assert_eq!(f.get("dev", "region"), Some("eu-west-1"));
        assert_eq!(f.get("dev", "aws_access_key_id"), Some("DEV"));
        assert_eq!(f.get("dev", "s3"), Some(""));
        assert!(!f.has_profile("profile"));
        assert_eq!(f.sso_session("corp", "sso_region"), Some("eu-west-1"));
        assert!(!f.has_profile("sso-session corp") && !f.has_profile("corp"));
    }

    fn chain(config: &str, selected: &str) -> Result<ProfileChain, CredentialsError> {
        resolve(&ProfileFiles::parse(config, ""), selected)
    }

    fn role(profile: &str, arn: &str) -> Role {
        Role { profile: profile.into(), role_arn: arn.into(), external_id: None, session_name: None, duration_seconds: None }
    }

    #[test]
    fn source_profile_chains_of_any_length() {
        let config = "[profile a]\nrole_arn = arn:a\nsource_profile = b\nexternal_id = X\nrole_session_name = S\nduration_seconds = 900\n\
                      [profile b]\nrole_arn = arn:b\nsource_profile = c\n\
                      [profile c]\naws_access_key_id = AK\naws_secret_access_key = SK\nrole_arn = arn:ignored\nsource_profile = a\n";
        let c = chain(config, "a").unwrap();
        assert_eq!(c.base, Base::Static(Credentials::new("AK", "SK", None, None, "Profile")));
        let mut a = role("a", "arn:a");
        a.external_id = Some("X".into());
        a.session_name = Some("S".into());
        a.duration_seconds = Some(900);
        assert_eq!(c.roles, vec![role("b", "arn:b"), a]);
    }

    #[test]
    fn bases_and_their_order() {
        let c = chain("[profile a]\nrole_arn = arn:a\ncredential_source = Ec2InstanceMetadata\n", "a").unwrap();
        assert_eq!((c.base, c.roles), (Base::Named(NamedSource::Ec2InstanceMetadata), vec![role("a", "arn:a")]));
        let c = chain("[profile a]\nrole_arn = arn:a\nsource_profile = a\naws_access_key_id = AK\naws_secret_access_key = SK\n", "a").unwrap();
        assert_eq!((c.base, c.roles), (Base::Static(Credentials::new("AK", "SK", None, None, "Profile")), vec![role("a", "arn:a")]));
        // role_arn beside a token file is web identity, not a role over another source.
        let c = chain("[profile a]\nrole_arn = arn:a\nweb_identity_token_file = /t\n", "a").unwrap();
        assert_eq!(c.base, Base::WebIdentity { role_arn: "arn:a".into(), token_file: "/t".into(), session_name: None });
        assert!(c.roles.is_empty());
        // credential_process beats static keys in the first profile, as in aws-config.
        let c = chain("[profile a]\ncredential_process = x\naws_access_key_id = AK\naws_secret_access_key = SK\n", "a").unwrap();
        assert_eq!(c.base, Base::Process("x".into()));
    }

    #[test]
    fn configuration_errors_name_the_profiles() {
        let e = chain("[profile a]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nrole_arn = arn:b\nsource_profile = a\n", "a").unwrap_err();
        assert!(e.to_string().contains("cycle: `a` → `b` → `a`"), "{e}");
        let e = chain("[profile a]\nrole_arn = arn:a\nsource_profile = nope\n", "a").unwrap_err();
        assert!(e.to_string().contains("profile `a`: its source_profile `nope` is not"), "{e}");
        let e = chain("[profile a]\nrole_arn = arn:a\n", "a").unwrap_err();
        assert!(e.to_string().contains("neither source_profile nor credential_source"), "{e}");
        let e = chain("[profile a]\nrole_arn = arn:a\nsource_profile = b\ncredential_source = Environment\n[profile b]\n", "a").unwrap_err();
        assert!(e.to_string().contains("both"), "{e}");
        let e = chain("[profile a]\nrole_arn = arn:a\ncredential_source = Laptop\n", "a").unwrap_err();
        assert!(e.to_string().contains("`Laptop`"), "{e}");
        let e = chain("[profile a]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nregion = x\n", "a").unwrap_err();
        assert!(e.to_string().contains("source_profile `b` has no credentials"), "{e}");
        let e = chain("[profile a]\nrole_arn = arn:a\nsource_profile = a\nduration_seconds = soon\n", "a").unwrap_err();
        assert!(e.to_string().contains("duration_seconds"), "{e}");
        // Nothing at all in the selected profile, or no such profile: the chain moves on.
        assert_eq!(chain("[profile a]\nregion = x\n", "a").unwrap_err().kind(), super::super::CredentialsErrorKind::NotLoaded);
        assert_eq!(chain("", "a").unwrap_err().kind(), super::super::CredentialsErrorKind::NotLoaded);
    }
}

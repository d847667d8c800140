//! Settings as the AWS SDKs read them (the environment, then the selected profile of the shared
//! files), for the configuration (`Config::from_env`) and for the credential sources that make
//! calls of their own (STS, SSO, instance metadata).

use super::{Env, ProfileFiles};
use crate::retry::RetryMode;
use crate::values::{AppName, Region};

/// Settings as the AWS SDKs read them: an environment variable, else the selected profile's
/// key of the same meaning.
pub(crate) struct Settings {
    env: Env,
    files: ProfileFiles,
    profile: String,
}

impl Settings {
    pub(crate) fn load(env: &Env) -> Settings {
        Settings { files: ProfileFiles::load(env), profile: super::selected_profile(env), env: env.clone() }
    }

    /// Variable `var`, else the profile's `key` (empty values count as unset).
    pub(crate) fn get(&self, var: &str, key: &str) -> Option<String> {
        self.env.non_empty(var).or_else(|| self.files.get(&self.profile, key).filter(|v| !v.is_empty()).map(str::to_owned))
    }

    pub(crate) fn flag(&self, var: &str, key: &str) -> bool {
        self.get(var, key).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
    pub(crate) fn region(&self) -> Option<Region> {
        self.env_region().or_else(|| self.profile_region())
    }

    /// `AWS_REGION`, `AWS_DEFAULT_REGION`.
    pub(crate) fn env_region(&self) -> Option<Region> {
        env_region(&self.env)
    }

    /// The profile's `region`.
    pub(crate) fn profile_region(&self) -> Option<Region> {
        self.files.get(&self.profile, "region").filter(|v| !v.is_empty()).map(|v| Region::new(v.to_owned()))
    }

    /// The endpoint URL for service `suffix` (`STS`, `SSO_OIDC`): `AWS_ENDPOINT_URL_<SUFFIX>`,
    /// else `AWS_ENDPOINT_URL` or the profile's `endpoint_url`, unless
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`.
    pub(crate) fn endpoint_url(&self, suffix: &str) -> Option<String> {
        if self.flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls") {
            return None;
        }
        self.env.non_empty(&format!("AWS_ENDPOINT_URL_{suffix}")).or_else(|| self.get("AWS_ENDPOINT_URL", "endpoint_url"))
    }

    /// What every client takes from the environment: FIPS, dual-stack, STS's global
    /// endpoint, attempts, retry mode, app name.
    pub(crate) fn client_settings(&self) -> ClientSettings {
        ClientSettings {
            use_fips: self.flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
            use_dual_stack: self.flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"),
            use_global_endpoint: self
                .get("AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("legacy")),
            max_attempts: self.get("AWS_MAX_ATTEMPTS", "max_attempts").and_then(|v| v.trim().parse::<u32>().ok()),
            // Like an invalid `max_attempts`, a mode that is neither `standard` nor `adaptive`
            // is ignored.
            retry_mode: self.get("AWS_RETRY_MODE", "retry_mode").and_then(|v| v.parse::<RetryMode>().ok()),
            // An app id with characters a user agent cannot carry is left out.
            app_name: self.get("AWS_SDK_UA_APP_ID", "sdk_ua_app_id").and_then(|app| AppName::new(app).ok()),
        }
    }
}

/// The settings every client takes from the environment and the profile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientSettings {
    /// `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint`.
    pub use_fips: bool,
    /// `AWS_USE_DUALSTACK_ENDPOINT` / `use_dualstack_endpoint`.
    pub use_dual_stack: bool,
    /// `AWS_STS_REGIONAL_ENDPOINTS=legacy` / `sts_regional_endpoints`.
    pub use_global_endpoint: bool,
    /// `AWS_MAX_ATTEMPTS` / `max_attempts`.
    pub max_attempts: Option<u32>,
    /// `AWS_RETRY_MODE` / `retry_mode`.
    pub retry_mode: Option<RetryMode>,
    /// `AWS_SDK_UA_APP_ID` / `sdk_ua_app_id`.
    pub app_name: Option<AppName>,
}

/// `AWS_REGION`, else `AWS_DEFAULT_REGION`: no file is read.
pub(crate) fn env_region(env: &Env) -> Option<Region> {
    env.non_empty("AWS_REGION").or_else(|| env.non_empty("AWS_DEFAULT_REGION")).map(Region::new)
}

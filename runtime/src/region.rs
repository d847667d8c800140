//! Where a region comes from, one source at a time, as the AWS SDKs look for it: the
//! environment (`AWS_REGION`, `AWS_DEFAULT_REGION`), the selected profile's `region`, then the
//! instance's region from EC2 instance metadata. [`Config::from_env`](crate::config::Config::from_env)
//! tries them in that order; a loader that lets programs chain providers of their own
//! (aws-query-config's `RegionProviderChain`) calls them one by one.

use crate::credentials::settings::{self, Settings};
use crate::credentials::{CredentialsCache, Env, ImdsClient};
use crate::values::Region;

/// `AWS_REGION`, else `AWS_DEFAULT_REGION` (empty values count as unset).
pub fn from_env(env: &Env) -> Option<Region> {
    settings::env_region(env)
}

/// The `region` of the profile `AWS_PROFILE` selects (`default` without it), from the shared
/// config and credentials files.
pub fn from_profile(env: &Env) -> Option<Region> {
    Settings::load(env).profile_region()
}

/// The instance's region from EC2 instance metadata (IMDSv2); `None` when
/// `AWS_EC2_METADATA_DISABLED` is set, when there is no instance metadata, or after the
/// credentials load timeout (5 s), so a machine without IMDS waits at most that.
pub async fn from_imds(env: &Env) -> Option<Region> {
    from_imds_client(&ImdsClient::new(env.clone())).await
}

pub(crate) async fn from_imds_client(imds: &ImdsClient) -> Option<Region> {
    if imds.disabled() {
        return None;
    }
    tokio::time::timeout(CredentialsCache::DEFAULT_LOAD_TIMEOUT, imds.region(&crate::http::metadata_transport())).await.ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_before_profile_and_each_alone() {
        let dir = std::env::temp_dir().join(format!("aws-query-region-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(&config, "[default]\nregion = eu-west-1\n[profile other]\nregion = ap-south-1\n").unwrap();
        let file = config.to_str().unwrap();
        let base = [("AWS_CONFIG_FILE", file), ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")];
        let env = Env::from_vars(&[base[0], base[1], ("AWS_DEFAULT_REGION", "us-east-2")]);
        assert_eq!(from_env(&env), Some(Region::new("us-east-2")));
        assert_eq!(from_profile(&env), Some(Region::new("eu-west-1")));
        let env = env.with_var("AWS_REGION", "us-west-2").with_var("AWS_PROFILE", "other");
        assert_eq!(from_env(&env), Some(Region::new("us-west-2")));
        assert_eq!(from_profile(&env), Some(Region::new("ap-south-1")));
        let env = Env::from_vars(&base).with_var("AWS_PROFILE", "missing");
        assert_eq!((from_env(&env), from_profile(&env)), (None, None));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

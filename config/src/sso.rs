//! Credentials from IAM Identity Center (SSO), described in code rather than in a profile.

pub use credentials::SsoCredentialsProvider;

/// [`SsoCredentialsProvider`] and its builder, at aws-config's paths.
pub mod credentials {
    use crate::standalone::Standalone;
    use aws_query_runtime::config::Region;
    use aws_query_runtime::credentials::{
        Credentials, CredentialsError, LoadContext, ProfileFiles, ProfileProvider, ProvideCredentials,
    };
    use aws_query_runtime::credentials::future;

    /// The role `role_name` of account `account_id`, with the token `aws sso login` cached for
    /// `start_url` (or for SSO session `session_name`), exactly as a profile with those
    /// settings: the same token cache, refresh and errors.
    #[derive(Debug)]
    pub struct SsoCredentialsProvider {
        inner: Result<Standalone<ProfileProvider>, String>,
    }

    impl SsoCredentialsProvider {
        pub fn builder() -> Builder {
            Builder::default()
        }
    }

    impl ProvideCredentials for SsoCredentialsProvider {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::new(async move { self.provide_credentials_with(&LoadContext::new()).await })
        }

        fn provide_credentials_with<'a>(&'a self, ctx: &'a LoadContext) -> future::ProvideCredentials<'a> {
            match &self.inner {
                Ok(provider) => provider.provide_credentials_with(ctx),
                Err(why) => future::ProvideCredentials::new(std::future::ready(Err(CredentialsError::invalid_configuration(why.clone())))),
            }
        }

        fn invalidate(&self, rejected: &Credentials) {
            if let Ok(provider) = &self.inner {
                provider.invalidate(rejected)
            }
        }
    }

    /// Builds an [`SsoCredentialsProvider`]: account ID, role name, start URL and region are
    /// required.
    #[derive(Debug, Default)]
    pub struct Builder {
        account_id: Option<String>,
        role_name: Option<String>,
        start_url: Option<String>,
        region: Option<Region>,
        session_name: Option<String>,
    }

    impl Builder {
        pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
            self.account_id = Some(account_id.into());
            self
        }

        pub fn role_name(mut self, role_name: impl Into<String>) -> Self {
            self.role_name = Some(role_name.into());
            self
        }

        pub fn start_url(mut self, start_url: impl Into<String>) -> Self {
            self.start_url = Some(start_url.into());
            self
        }

        /// The region of the SSO portal (`sso_region`).
        pub fn region(mut self, region: Region) -> Self {
            self.region = Some(region);
            self
        }

        /// The SSO session (`[sso-session NAME]`), for tokens that refresh; without it the
        /// legacy form (a token per start URL, no refresh).
        pub fn session_name(mut self, name: impl Into<String>) -> Self {
            self.session_name = Some(name.into());
            self
        }

        /// The provider. What is missing or malformed is reported by the first load, as an
        /// invalid configuration.
        pub fn build(self) -> SsoCredentialsProvider {
            SsoCredentialsProvider { inner: self.profile().map(|files| Standalone::new(ProfileProvider::from_files(files, "sso"), None)) }
        }

        /// The profile these settings make, as the runtime's SSO source reads profiles.
        fn profile(&self) -> Result<ProfileFiles, String> {
            let required = |value: &Option<String>, what: &str| {
                let value = value.as_deref().ok_or_else(|| format!("SsoCredentialsProvider: {what} is required"))?;
                match value.contains(['\n', '\r', '[', ']']) || value.trim().is_empty() {
                    true => Err(format!("SsoCredentialsProvider: {what} `{}` is not a valid value", value.escape_debug())),
                    false => Ok(value.trim().to_owned()),
                }
            };
            let account = required(&self.account_id, "account_id")?;
            let role = required(&self.role_name, "role_name")?;
            let url = required(&self.start_url, "start_url")?;
            let region = required(&self.region.as_ref().map(|r| r.as_ref().to_owned()), "region")?;
            let text = match &self.session_name {
                Some(_) => {
                    let session = required(&self.session_name, "session_name")?;
                    format!(
                        "[profile sso]\nsso_session = {session}\nsso_account_id = {account}\nsso_role_name = {role}\n\
                         [sso-session {session}]\nsso_start_url = {url}\nsso_region = {region}\n"
                    )
                }
                None => format!("[profile sso]\nsso_start_url = {url}\nsso_region = {region}\nsso_account_id = {account}\nsso_role_name = {role}\n"),
            };
            Ok(ProfileFiles::parse(&text, ""))
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[tokio::test]
        async fn missing_or_malformed_settings_fail_the_load_with_their_name() {
            let err = SsoCredentialsProvider::builder().account_id("123").build().provide_credentials().await.unwrap_err();
            assert_eq!(err.to_string(), "SsoCredentialsProvider: role_name is required");
            let err = Builder::default()
                .account_id("123")
                .role_name("r\n[profile x]")
                .start_url("https://start")
                .region(Region::new("eu-west-1"))
                .build()
                .provide_credentials()
                .await
                .unwrap_err();
            assert!(err.to_string().contains("role_name `r\\n[profile x]` is not a valid value"), "{err}");
        }

        #[test]
        fn the_settings_make_the_profile_a_user_would_write() {
            let b = Builder::default().account_id("123456789012").role_name("Admin").start_url("https://d-1.example").region(Region::new("eu-west-1"));
            let legacy = b.profile().unwrap();
            assert_eq!(legacy.get("sso", "sso_start_url"), Some("https://d-1.example"));
            assert_eq!(legacy.get("sso", "sso_account_id"), Some("123456789012"));
            let session = b.session_name("corp").profile().unwrap();
            assert_eq!(session.get("sso", "sso_session"), Some("corp"));
            assert_eq!(session.sso_session("corp", "sso_region"), Some("eu-west-1"));
        }
    }
}

//! Credentials and region from a profile of the shared files (`~/.aws/config`,
//! `~/.aws/credentials`, or `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`).

pub use credentials::ProfileFileCredentialsProvider;
pub use region::ProfileFileRegionProvider;

/// A profile's credentials: static keys, `credential_process`, SSO, web identity, and roles
/// assumed over any of them.
pub mod credentials {
    use crate::standalone::{delegate_provider, Standalone};
    use aws_query_runtime::credentials::ProfileProvider;

    /// The credentials of profile `AWS_PROFILE` (or `default`, or the one named on the
    /// builder). A profile that does not exist, or has no credentials, is "not loaded" (a
    /// chain goes on); files that do not parse, or a profile that is inconsistent, are an
    /// invalid configuration naming the file, line or profile.
    #[derive(Debug)]
    pub struct ProfileFileCredentialsProvider(Standalone<ProfileProvider>);

    impl ProfileFileCredentialsProvider {
        pub fn builder() -> Builder {
            Builder::default()
        }
    }

    delegate_provider!(ProfileFileCredentialsProvider);

    /// Builds a [`ProfileFileCredentialsProvider`].
    #[derive(Debug, Default)]
    pub struct Builder {
        profile_name: Option<String>,
    }

    impl Builder {
        /// The profile to use instead of `AWS_PROFILE`'s.
        pub fn profile_name(mut self, profile_name: impl Into<String>) -> Self {
            self.profile_name = Some(profile_name.into());
            self
        }

        pub fn build(self) -> ProfileFileCredentialsProvider {
            let provider = match self.profile_name {
                Some(name) => ProfileProvider::named(name),
                None => ProfileProvider::new(),
            };
            ProfileFileCredentialsProvider(Standalone::new(provider, None))
        }
    }
}

/// A profile's `region`.
pub mod region {
    use crate::meta::region::{future, ProvideRegion};
    use aws_query_runtime::credentials::Env;

    /// The `region` of profile `AWS_PROFILE` (or `default`, or the one named on the builder).
    #[derive(Debug, Default)]
    pub struct ProfileFileRegionProvider {
        env: Env,
    }

    impl ProfileFileRegionProvider {
        pub fn new() -> Self {
            Self::default()
        }

        pub fn builder() -> Builder {
            Builder::default()
        }

        pub(crate) fn from_env(env: Env) -> Self {
            ProfileFileRegionProvider { env }
        }
    }

    impl ProvideRegion for ProfileFileRegionProvider {
        fn region(&self) -> future::ProvideRegion<'_> {
            future::ProvideRegion::ready(aws_query_runtime::region::from_profile(&self.env))
        }
    }

    /// Builds a [`ProfileFileRegionProvider`].
    #[derive(Debug, Default)]
    pub struct Builder {
        profile_name: Option<String>,
    }

    impl Builder {
        /// The profile to read instead of `AWS_PROFILE`'s.
        pub fn profile_name(mut self, profile_name: impl Into<String>) -> Self {
            self.profile_name = Some(profile_name.into());
            self
        }

        pub fn build(self) -> ProfileFileRegionProvider {
            let env = Env::process();
            ProfileFileRegionProvider { env: self.profile_name.map_or(env.clone(), |p| env.with_var("AWS_PROFILE", p)) }
        }
    }
}

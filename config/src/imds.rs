//! EC2 instance metadata (IMDSv2): the instance role's credentials
//! ([`credentials::ImdsCredentialsProvider`]) and the instance's region
//! ([`region::ImdsRegionProvider`]), at aws-config's paths.

/// The instance role's credentials.
pub mod credentials {
    use crate::standalone::delegate_provider;

    /// Credentials of the instance's role, from IMDSv2, reused for a while when IMDS fails
    /// (static stability, as aws-config's). Disabled by `AWS_EC2_METADATA_DISABLED`.
    #[derive(Debug)]
    pub struct ImdsCredentialsProvider(aws_query_runtime::credentials::ImdsCredentialsProvider);

    impl ImdsCredentialsProvider {
        pub fn builder() -> Builder {
            Builder::default()
        }
    }

    delegate_provider!(ImdsCredentialsProvider);

    /// Builds an [`ImdsCredentialsProvider`].
    #[derive(Debug, Default)]
    pub struct Builder {}

    impl Builder {
        pub fn build(self) -> ImdsCredentialsProvider {
            ImdsCredentialsProvider(aws_query_runtime::credentials::ImdsCredentialsProvider::new())
        }
    }
}

/// The instance's region.
pub mod region {
    use crate::meta::region::{future, ProvideRegion};
    use aws_query_runtime::credentials::Env;

    /// The instance's region (`placement/region`), at most 5 s of waiting on a machine
    /// without instance metadata; none when `AWS_EC2_METADATA_DISABLED` is set.
    #[derive(Debug, Default)]
    pub struct ImdsRegionProvider {
        env: Env,
    }

    impl ImdsRegionProvider {
        pub fn builder() -> Builder {
            Builder::default()
        }

        pub(crate) fn from_env(env: Env) -> Self {
            ImdsRegionProvider { env }
        }
    }

    impl ProvideRegion for ImdsRegionProvider {
        fn region(&self) -> future::ProvideRegion<'_> {
            future::ProvideRegion::new(aws_query_runtime::region::from_imds(&self.env))
        }
    }

    /// Builds an [`ImdsRegionProvider`].
    #[derive(Debug, Default)]
    pub struct Builder {}

    impl Builder {
        pub fn build(self) -> ImdsRegionProvider {
            ImdsRegionProvider::default()
        }
    }
}

//! Credentials and region from environment variables.

pub use credentials::EnvironmentVariableCredentialsProvider;
pub use region::EnvironmentVariableRegionProvider;

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`.
pub mod credentials {
    use crate::standalone::delegate_provider;
    use aws_query_runtime::credentials::EnvironmentProvider;

    /// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
    /// `AWS_SESSION_TOKEN`; not loaded when
    /// they are unset, so a chain goes on to its next source.
    #[derive(Debug, Default)]
    pub struct EnvironmentVariableCredentialsProvider(EnvironmentProvider);

    impl EnvironmentVariableCredentialsProvider {
        pub fn new() -> Self {
            Self::default()
        }
    }

    delegate_provider!(EnvironmentVariableCredentialsProvider);
}

/// `AWS_REGION`, `AWS_DEFAULT_REGION`.
pub mod region {
    use crate::meta::region::{future, ProvideRegion};
    use aws_query_runtime::credentials::Env;

    /// The region of `AWS_REGION`, else `AWS_DEFAULT_REGION`.
    #[derive(Debug, Default)]
    pub struct EnvironmentVariableRegionProvider {
        env: Env,
    }

    impl EnvironmentVariableRegionProvider {
        pub fn new() -> Self {
            Self::default()
        }

        pub(crate) fn from_env(env: Env) -> Self {
            EnvironmentVariableRegionProvider { env }
        }
    }

    impl ProvideRegion for EnvironmentVariableRegionProvider {
        fn region(&self) -> future::ProvideRegion<'_> {
            future::ProvideRegion::ready(aws_query_runtime::region::from_env(&self.env))
        }
    }
}

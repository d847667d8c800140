//! The paths programs import from aws-credential-types, naming aws-query-runtime's types:
//! with `aws-credential-types = { package = "aws-query-credential-types", version = "0.1" }`
//! in Cargo.toml, `use aws_credential_types::{provider::ProvideCredentials, Credentials};` and
//! the like compile unchanged against this project's service crates. Only re-exports: no code
//! of its own.
#![forbid(unsafe_code)]

pub use aws_query_runtime::credentials::Credentials;

/// [`ProvideCredentials`](provider::ProvideCredentials), the future it returns, and the
/// shared provider.
pub mod provider {
    pub use aws_query_runtime::credentials::{future, ProvideCredentials, SharedCredentialsProvider};

    /// [`CredentialsError`](error::CredentialsError).
    pub mod error {
        pub use aws_query_runtime::credentials::{CredentialsError, CredentialsErrorKind};
    }
}

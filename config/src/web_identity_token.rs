//! Credentials for a web identity token (EKS IRSA): `AWS_WEB_IDENTITY_TOKEN_FILE`,
//! `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`, exchanged with STS `AssumeRoleWithWebIdentity`.

use crate::standalone::{delegate_provider, Standalone};
use aws_query_runtime::credentials::WebIdentityTokenProvider;

/// The role of the web identity token the environment names; not loaded when it names none.
#[derive(Debug)]
pub struct WebIdentityTokenCredentialsProvider(Standalone<WebIdentityTokenProvider>);

impl WebIdentityTokenCredentialsProvider {
    pub fn builder() -> Builder {
        Builder::default()
    }
}

delegate_provider!(WebIdentityTokenCredentialsProvider);

/// Builds a [`WebIdentityTokenCredentialsProvider`].
#[derive(Debug, Default)]
pub struct Builder {}

impl Builder {
    pub fn build(self) -> WebIdentityTokenCredentialsProvider {
        WebIdentityTokenCredentialsProvider(Standalone::new(WebIdentityTokenProvider::new(), None))
    }
}

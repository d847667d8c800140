//! Credentials from the container credentials endpoint (ECS tasks, EKS Pod Identity):
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)`.

use crate::standalone::delegate_provider;
use aws_query_runtime::credentials::ContainerCredentialsProvider;

/// The container endpoint's credentials; not loaded when neither variable is set. A full URI
/// must be HTTPS or a loopback (or EKS's, ECS's link-local) address: any other host is an
/// invalid configuration, never a request.
#[derive(Debug)]
pub struct EcsCredentialsProvider(ContainerCredentialsProvider);

impl EcsCredentialsProvider {
    pub fn builder() -> Builder {
        Builder::default()
    }
}

delegate_provider!(EcsCredentialsProvider);

/// Builds an [`EcsCredentialsProvider`].
#[derive(Debug, Default)]
pub struct Builder {}

impl Builder {
    pub fn build(self) -> EcsCredentialsProvider {
        EcsCredentialsProvider(ContainerCredentialsProvider::new())
    }
}

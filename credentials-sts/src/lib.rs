//! The STS calls of aws-query-runtime's credential providers — `AssumeRole` for profiles
//! with `role_arn`, `AssumeRoleWithWebIdentity` for EKS IRSA and `web_identity_token_file` —
//! made with the generated `sts` crate.
//!
//! Why a crate of its own: the runtime cannot depend on a generated crate (every generated
//! crate depends on the runtime), so the runtime defines the hook
//! ([`aws_query_runtime::credentials::sts::Sts`]) and this crate implements it. A crate
//! generated with `credentials = "full"` (the default) depends on this one and puts [`STS`]
//! in its service description; its clients hand it to their credentials provider. The `sts`
//! crate itself is generated with `credentials = "basic"`, since this crate depends on it.
#![forbid(unsafe_code)]

use aws_query_runtime::config::Config;
use aws_query_runtime::credentials::sts::{AssumeRoleRequest, Sts, StsCall, WebIdentityRequest};
use aws_query_runtime::credentials::{Credentials, CredentialsError};
use aws_query_runtime::http::BoxFuture;
use std::time::SystemTime;

/// STS through the generated client.
#[derive(Debug, Clone, Copy, Default)]
pub struct GeneratedSts;

/// What generated crates put in their `ServiceInfo`.
pub static STS: GeneratedSts = GeneratedSts;

impl Sts for GeneratedSts {
    fn assume_role(&self, call: StsCall, request: AssumeRoleRequest) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let failed = |e| CredentialsError::provider_error_with(format!("STS AssumeRole of `{}` failed", request.role_arn), e);
            let out = sts::Client::from_conf(Config::from(call))
                .assume_role()
                .role_arn(&request.role_arn)
                .role_session_name(&request.role_session_name)
                .set_external_id(request.external_id.clone())
                .set_duration_seconds(request.duration_seconds)
                .send()
                .await
                .map_err(|e| failed(Box::new(e)))?;
            credentials(out.credentials(), "AssumeRole")
        })
    }

    fn assume_role_with_web_identity(
        &self,
        call: StsCall,
        request: WebIdentityRequest,
    ) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let out = sts::Client::from_conf(Config::from(call))
                .assume_role_with_web_identity()
                .role_arn(&request.role_arn)
                .role_session_name(&request.role_session_name)
                .web_identity_token(&request.web_identity_token)
                .send()
                .await
                .map_err(|e| {
                    CredentialsError::provider_error_with(
                        format!("STS AssumeRoleWithWebIdentity of `{}` failed", request.role_arn),
                        Box::new(e),
                    )
                })?;
            credentials(out.credentials(), "WebIdentityToken")
        })
    }
}

/// The runtime's credentials from STS's `Credentials` (every member is required by the
/// model; a response without one is an error, not a panic).
fn credentials(c: Option<&sts::types::Credentials>, provider_name: &'static str) -> Result<Credentials, CredentialsError> {
    let missing = |what: &str| CredentialsError::provider_error_with(format!("STS sent no {what}"), "incomplete response");
    let c = c.ok_or_else(|| missing("Credentials"))?;
    let access_key_id = c.access_key_id().ok_or_else(|| missing("AccessKeyId"))?;
    let secret_access_key = c.secret_access_key().ok_or_else(|| missing("SecretAccessKey"))?;
    let session_token = c.session_token().ok_or_else(|| missing("SessionToken"))?.to_owned();
    let expiration = c.expiration().ok_or_else(|| missing("Expiration"))?;
    let expiration = SystemTime::try_from(*expiration)
        .map_err(|e| CredentialsError::provider_error_with(format!("STS sent an expiration this system cannot hold ({expiration})"), e.to_string()))?;
    Ok(Credentials::new(access_key_id, secret_access_key, Some(session_token), Some(expiration), provider_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_credentials_are_errors() {
        let full = sts::types::Credentials::builder()
            .access_key_id("AK")
            .secret_access_key("SK")
            .session_token("T")
            .expiration(sts::primitives::DateTime::from_secs(0))
            .build();
        let c = credentials(Some(&full), "AssumeRole").unwrap();
        assert_eq!((c.access_key_id(), c.session_token(), c.expiry()), ("AK", Some("T"), Some(SystemTime::UNIX_EPOCH)));
        let e = credentials(Some(&sts::types::Credentials::builder().access_key_id("AK").build()), "AssumeRole").unwrap_err();
        assert!(e.to_string().contains("SecretAccessKey"), "{e}");
        assert!(credentials(None, "AssumeRole").is_err());
    }
}

//! HTTP for the credential providers: one request through the calling client's transport
//! (or the default one), bounded in time and in size, and the JSON credential documents
//! that IMDS and the container endpoint return.

use super::{parse_expiry, Credentials, CredentialsError, LoadContext};
use crate::http::{ConnectorError, HttpRequest, HttpResponse, SendOptions, SharedHttpClient};
use std::time::Duration;

/// The largest response a credentials endpoint may send (real ones are under 2 KB).
const MAX_BODY_BYTES: usize = 64 << 10;

/// Sends `request`; no response within `timeout` (connecting included) is a timeout.
pub(crate) async fn send(http: &SharedHttpClient, request: HttpRequest, timeout: Duration) -> Result<HttpResponse, ConnectorError> {
    let options = SendOptions::new(MAX_BODY_BYTES);
    match tokio::time::timeout(timeout, http.send(request, &options)).await {
        Ok(result) => result,
        Err(_) => Err(ConnectorError::timeout(format!("no response within {timeout:?}"))),
    }
}

/// The transport for a provider's requests: its own if it was given one, else the calling
/// client's, else plain HTTP (what the metadata endpoints speak).
pub(crate) fn transport(own: Option<&SharedHttpClient>, ctx: &LoadContext) -> SharedHttpClient {
    own.or(ctx.http_client()).cloned().unwrap_or_else(crate::http::metadata_transport)
}

/// A response body as text.
pub(crate) fn body_text<'a>(response: &'a HttpResponse, what: &str) -> Result<&'a str, CredentialsError> {
    std::str::from_utf8(response.body())
        .map_err(|_| CredentialsError::provider_error_with(format!("{what}: the response is not UTF-8"), "invalid response"))
}

/// The JSON credentials document of IMDS and of the container endpoint:
/// `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration` (and, from IMDS, `Code`).
pub(crate) fn parse_json_credentials(text: &str, provider_name: &'static str, what: &str) -> Result<Credentials, CredentialsError> {
    let bad = |why: &str| CredentialsError::provider_error_with(format!("{what}: {why}"), "invalid credentials document");
    // A parse error could quote the document, which holds secrets: say only that it failed.
    let json = crate::minijson::parse(text.trim()).map_err(|_| bad("the response is not valid JSON"))?;
    let field = |k: &str| json.get(k).and_then(|v| v.as_str()).filter(|s| !s.is_empty());
    if let Some(code) = field("Code").filter(|c| *c != "Success") {
        let message = field("Message").unwrap_or("");
        return Err(CredentialsError::provider_error_with(format!("{what}: {code}"), message.to_owned()));
    }
    let key = field("AccessKeyId").ok_or_else(|| bad("no `AccessKeyId`"))?;
    let secret = field("SecretAccessKey").ok_or_else(|| bad("no `SecretAccessKey`"))?;
    let token = field("Token").ok_or_else(|| bad("no `Token`"))?;
    let expiry = field("Expiration").ok_or_else(|| bad("no `Expiration`"))?;
    let expiry = parse_expiry(expiry).ok_or_else(|| bad("`Expiration` is not an ISO-8601 time"))?;
    Ok(Credentials::new(key, secret, Some(token.to_owned()), Some(expiry), provider_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_documents() {
        let c = parse_json_credentials(
            r#"{"Code":"Success","AccessKeyId":"AK","SecretAccessKey":"SK","Token":"T","Expiration":"2030-01-01T00:00:00Z"}"#,
            "Imds",
            "IMDS",
        )
        .unwrap();
        assert_eq!((c.access_key_id(), c.session_token(), c.provider_name()), ("AK", Some("T"), "Imds"));
        let e = parse_json_credentials(r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"no trust"}"#, "Imds", "IMDS").unwrap_err();
        assert!(e.to_string().contains("AssumeRoleUnauthorizedAccess") && e.to_string().contains("no trust"), "{e}");
        for bad in [r#"{"AccessKeyId":"AK","SecretAccessKey":"SUPERSECRET""#, r#"{"AccessKeyId":"AK","SecretAccessKey":"SUPERSECRET"}"#, "[]"] {
            let e = parse_json_credentials(bad, "Imds", "IMDS").unwrap_err();
            assert!(!e.to_string().contains("SUPERSECRET"), "{e}");
        }
    }
}

//! `credential_process`: a command of the user's that prints credentials as JSON.

use super::{parse_expiry, Credentials, CredentialsError};

/// Runs `command` through the shell (`sh -c`, or `cmd /C` on Windows, as aws-config does)
/// and reads its JSON (`Version` 1).
///
/// The process is killed when the future is dropped: when the load times out (the cache's
/// provider timeout, the call's operation timeout) or the call is dropped, nothing is left
/// running. Tokio reaps it. A command that forks children of its own and exits must end them
/// itself; one that `exec`s (what a shell does with a single command) is the process killed.
/// Like the default transport, it needs a Tokio runtime with I/O enabled (`#[tokio::main]`,
/// `enable_all()`).
pub(crate) async fn run(command: &str) -> Result<Credentials, CredentialsError> {
    let mut cmd = if cfg!(windows) {
        let mut c = tokio::process::Command::new("cmd");
        c.arg("/C").arg(command);
        c
    } else {
        let mut c = tokio::process::Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    let child = cmd.spawn().map_err(|e| CredentialsError::provider_error_with("credential_process could not be started", e))?;
    let output =
        child.wait_with_output().await.map_err(|e| CredentialsError::provider_error_with("credential_process could not be run", e))?;
    if !output.status.success() {
        // stderr is the process's own message; stdout may hold secrets and is not shown.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr: String = stderr.trim().chars().take(300).collect();
        return Err(CredentialsError::provider_error_with(format!("credential_process exited with {}", output.status), stderr));
    }
    parse_output(&String::from_utf8_lossy(&output.stdout))
}

/// The JSON a `credential_process` prints.
pub(crate) fn parse_output(stdout: &str) -> Result<Credentials, CredentialsError> {
    let bad = |what: &str| CredentialsError::invalid_configuration(format!("credential_process output: {what}"));
    // The parse error could quote the output, which holds secrets: say only where it failed.
    let json = crate::minijson::parse(stdout.trim()).map_err(|_| bad("not valid JSON"))?;
    match json.get("Version").and_then(|v| v.as_f64()) {
        Some(1.0) => {}
        _ => return Err(bad("`Version` must be 1")),
    }
    let field = |k: &str| json.get(k).and_then(|v| v.as_str()).filter(|s| !s.is_empty());
    let key = field("AccessKeyId").ok_or_else(|| bad("no `AccessKeyId`"))?;
    let secret = field("SecretAccessKey").ok_or_else(|| bad("no `SecretAccessKey`"))?;
    let expiry = match field("Expiration") {
        Some(text) => Some(parse_expiry(text).ok_or_else(|| bad("`Expiration` is not an ISO-8601 time"))?),
        None => None,
    };
    Ok(Credentials::new(key, secret, field("SessionToken").map(str::to_owned), expiry, "CredentialProcess"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn process_output() {
        let c = parse_output(
            r#"{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "SK", "SessionToken": "T", "Expiration": "2030-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!((c.access_key_id(), c.session_token()), ("AK", Some("T")));
        assert!(c.expiry().is_some());
        let e = parse_output(r#"{"Version": 2, "AccessKeyId": "AK", "SecretAccessKey": "SUPERSECRET"}"#).unwrap_err();
        assert!(!e.to_string().contains("SUPERSECRET"));
        let e = parse_output(r#"{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "SUPERSECRET""#).unwrap_err();
        assert!(!e.to_string().contains("SUPERSECRET"), "{e}");
    }
}

//! What the client tells `tracing`, against moto (see `moto.rs`): CopySnapshot, which moto
//! answers with an HTML 500, is retried the configured number of times; the call's span
//! shows the operation and the attempts, and there is one event per retry and one for
//! giving up. Secrets (the secret key, the session token, members `codegen.toml` marks
//! secret) never reach the log, at any level. One test in its own binary, with a global
//! subscriber: `tracing`'s per-thread subscribers miss events when tests run in parallel.

use elasticache::config::{Credentials, Region, RetryConfig};
use elasticache::error::SdkError;
use elasticache::operation::copy_snapshot::CopySnapshotError;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A `tracing` subscriber writing into a buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn subscriber(out: Captured) -> impl tracing::Subscriber {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || out.clone())
        .finish()
}

#[tokio::test]
async fn copy_snapshot_html_500_is_retried_then_unhandled() {
    let logs = Captured::default();
    tracing::subscriber::set_global_default(subscriber(logs.clone())).unwrap();
    let config = config().retry_config(RetryConfig::standard().with_max_attempts(4).with_initial_backoff(Duration::from_millis(5))).build();
    let client = elasticache::Client::from_conf(config);
    let err = client
        .copy_snapshot()
        .source_snapshot_name("nightly")
        .target_snapshot_name("export-1")
        .target_bucket("my-bucket")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 4, "{err}");
    let SdkError::ServiceError(service) = &err else { panic!("{err:?}") };
    assert!(matches!(service.err(), CopySnapshotError::Unhandled(_)));
    assert_eq!(service.raw().status().as_u16(), 500);
    let text = err.to_string();
    assert!(text.contains("HTTP status 500") && text.contains("after 4 attempts") && text.contains("<!doctype html>"), "{text}");

    let log = logs.text();
    assert!(log.contains("operation=\"CopySnapshot\""), "{log}");
    assert_eq!(log.lines().filter(|l| l.contains(": retrying ")).count(), 3, "{log}");
    assert!(log.contains("giving up") && log.contains("the maximum number of attempts was reached"), "{log}");
    assert!(log.contains("attempts=4"), "{log}");
    assert!(log.contains("call failed"), "{log}");

    // The span carries the request id the service gave.
    let err = client.describe_snapshots().snapshot_name("no-such-snapshot").send().await.unwrap_err();
    let id = err.request_id().expect("moto sends a request id");
    let log = logs.text();
    assert!(log.contains(&format!("request_id=\"{id}\"")), "{log}");

    // Secrets stay out of the log at every level, whatever the call does.
    const SECRET: &str = "SECRET-TRACE-0123456789";
    const TOKEN: &str = "SESSION-TOKEN-TRACE-0123456789";
    const AUTH_TOKEN: &str = "AUTH-TOKEN-TRACE-0123456789";
    let credentials = Credentials::new("AKIDTRACE", SECRET, Some(TOKEN.to_owned()), None, "static");
    let client = elasticache::Client::from_conf(self::config().credentials_provider(credentials).build());
    let before = logs.text().len();
    let err = client.modify_replication_group().replication_group_id("no-such-group").auth_token(AUTH_TOKEN).send().await.unwrap_err();
    assert!(err.as_service_error().is_some(), "{err}");
    let log = logs.text();
    let new = &log[before..];
    assert!(new.contains("operation=\"ModifyReplicationGroup\""), "{new}");
    for secret in [SECRET, TOKEN, AUTH_TOKEN] {
        assert!(!log.contains(secret), "{secret} reached the log: {new}");
    }
}

fn config() -> elasticache::config::Builder {
    elasticache::Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(project_tests::moto_endpoint())
        .credentials_provider(Credentials::new("AKIDMOTO", "SECRETMOTO", None, None, "static"))
}

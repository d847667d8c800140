//! A snapshot auditor written with the support crates' own paths, as code shared between
//! several aws-sdk crates is: errors through aws-smithy-runtime-api's `SdkError` and
//! aws-smithy-types' metadata, dates as aws-smithy-types' `DateTime`, the configuration as
//! aws-types' `SdkConfig`, credentials through aws-credential-types.
//!
//! usage: support-paths REGION

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials};
use aws_credential_types::Credentials;
use aws_sdk_elasticache::Client;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::DateTime;
use aws_types::region::Region;
use aws_types::SdkConfig;

/// One line for any call's error, whatever the service: code and message when the service
/// sent them, the whole chain of causes otherwise.
pub fn describe<E, R>(err: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            format!("{}: {}", e.code().unwrap_or("Unknown"), e.message().unwrap_or("no message"))
        }
        other => format!("failed: {}", DisplayErrorContext(other)),
    }
}

/// The shared configuration of the auditor's clients.
pub fn shared_config(region: &str, credentials: Credentials) -> SdkConfig {
    SdkConfig::builder()
        .region(Region::new(region.to_owned()))
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(credentials))
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .build()
}

/// Names and creation times (RFC 3339) of the snapshots older than `cutoff`.
pub async fn older_than(client: &Client, cutoff: DateTime) -> Result<Vec<(String, String)>, String> {
    let out = client.describe_snapshots().send().await.map_err(|e| describe(&e))?;
    let mut old = Vec::new();
    for snapshot in out.snapshots() {
        let created = snapshot.node_snapshots().first().and_then(|n| n.snapshot_create_time());
        if let (Some(name), Some(created)) = (snapshot.snapshot_name(), created) {
            if created.secs() < cutoff.secs() {
                old.push((name.to_owned(), created.fmt(Format::DateTime).map_err(|e| e.to_string())?));
            }
        }
    }
    Ok(old)
}

/// Credentials from the team's secret store (here a fixed map, keyed by environment), as a
/// provider of its own: the way programs plug in credentials no SDK knows.
#[derive(Debug)]
pub struct SecretStoreProvider {
    environment: String,
    store: std::collections::HashMap<String, (String, String)>,
}

impl SecretStoreProvider {
    pub fn new(environment: &str, store: std::collections::HashMap<String, (String, String)>) -> Self {
        SecretStoreProvider { environment: environment.to_owned(), store }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        match self.store.get(&self.environment) {
            Some((key, secret)) if secret.is_empty() => Err(CredentialsError::invalid_configuration(format!("the secret of {key} is empty"))),
            Some((key, secret)) => Ok(Credentials::new(key, secret, None, None, "secret-store")),
            None => Err(CredentialsError::not_loaded(format!("no credentials for {}", self.environment))),
        }
    }
}

impl ProvideCredentials for SecretStoreProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.load())
    }
}

/// Whether the credentials load (for a start-up check).
pub async fn can_sign(provider: &impl ProvideCredentials) -> bool {
    provider.provide_credentials().await.is_ok()
}

#[tokio::main]
async fn main() {
    let region = std::env::args().nth(1).unwrap_or_else(|| "us-east-1".into());
    let conf = shared_config(&region, Credentials::new("AKID", "SECRET", None, None, "example"));
    let client = Client::new(&conf);
    let cutoff = DateTime::from_secs(1_700_000_000);
    match older_than(&client, cutoff).await {
        Ok(old) => old.iter().for_each(|(name, when)| println!("{name} {when}")),
        Err(e) => eprintln!("{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::operation::describe_snapshots::DescribeSnapshotsOutput;
    use aws_sdk_elasticache::types::{NodeSnapshot, Snapshot};
    use aws_smithy_mocks::{mock, mock_client};

    fn snapshot(name: &str, secs: i64) -> Snapshot {
        Snapshot::builder().snapshot_name(name).node_snapshots(NodeSnapshot::builder().snapshot_create_time(DateTime::from_secs(secs)).build()).build()
    }

    #[tokio::test]
    async fn old_snapshots_with_their_dates() {
        let rule = mock!(Client::describe_snapshots).then_output(|| {
            DescribeSnapshotsOutput::builder().snapshots(snapshot("old", 1_600_000_000)).snapshots(snapshot("new", 1_800_000_000)).build()
        });
        let client = mock_client!(aws_sdk_elasticache, [&rule]);
        let old = older_than(&client, DateTime::from_secs(1_700_000_000)).await.unwrap();
        assert_eq!(old, vec![("old".to_owned(), "2020-09-13T12:26:40Z".to_owned())]);
    }

    #[tokio::test]
    async fn service_errors_read_through_the_support_paths() {
        let rule = mock!(Client::describe_snapshots).sequence().http_status(400, Some(
            "<ErrorResponse><Error><Type>Sender</Type><Code>SnapshotNotFoundFault</Code><Message>Snapshot nope not found.</Message></Error><RequestId>r-1</RequestId></ErrorResponse>".to_owned(),
        )).build();
        let client = mock_client!(aws_sdk_elasticache, [&rule]);
        let err = older_than(&client, DateTime::from_secs(0)).await.unwrap_err();
        assert_eq!(err, "SnapshotNotFoundFault: Snapshot nope not found.");
    }

    #[tokio::test]
    async fn a_provider_of_its_own_signs_and_fails_clearly() {
        let store = std::collections::HashMap::from([
            ("prod".to_owned(), ("AKIDPROD".to_owned(), "S".to_owned())),
            ("broken".to_owned(), ("AKIDBROKEN".to_owned(), String::new())),
        ]);
        let prod = SecretStoreProvider::new("prod", store.clone());
        assert_eq!(prod.provide_credentials().await.unwrap().access_key_id(), "AKIDPROD");
        let conf = SdkConfig::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(prod))
            .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
            .build();
        assert!(can_sign(&conf.credentials_provider().unwrap()).await);
        let err = SecretStoreProvider::new("dev", store.clone()).provide_credentials().await.unwrap_err();
        let mut text = err.to_string();
        let mut cause = std::error::Error::source(&err);
        while let Some(c) = cause {
            text = format!("{text}: {c}");
            cause = c.source();
        }
        assert!(text.contains("no credentials for dev"), "{text}");
        assert!(SecretStoreProvider::new("broken", store).provide_credentials().await.is_err());
    }

    #[tokio::test]
    async fn the_shared_configuration_and_its_credentials() {
        let conf = shared_config("eu-west-1", Credentials::new("AKIDX", "S", None, None, "test"));
        assert_eq!(conf.region().map(|r| r.as_ref()), Some("eu-west-1"));
        let provider = conf.credentials_provider().unwrap();
        assert!(can_sign(&provider).await);
        assert_eq!(provider.provide_credentials().await.unwrap().access_key_id(), "AKIDX");
        assert_eq!(Client::new(&conf).config().region().map(|r| r.as_ref()), Some("eu-west-1"));
    }
}

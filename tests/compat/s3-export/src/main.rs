//! Exports a snapshot to an S3 bucket with CopySnapshot's `TargetBucket`, and explains the
//! failures operators hit (missing snapshot, bucket permissions, name clash).
//!
//! usage: s3-export <snapshot> <bucket> [<prefix>]

use aws_sdk_elasticache::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_elasticache::operation::copy_snapshot::{CopySnapshotError, CopySnapshotOutput};
use aws_sdk_elasticache::Client;

#[derive(Debug, PartialEq)]
pub enum Outcome {
    Started { name: String, status: String },
    NoSuchSnapshot,
    AlreadyExported,
    Refused { code: String, message: String },
}

/// The exported copy's name: `<prefix>/<snapshot>` or the snapshot's own name.
pub fn target_name(snapshot: &str, prefix: Option<&str>) -> String {
    match prefix {
        Some(p) => format!("{}/{snapshot}", p.trim_end_matches('/')),
        None => snapshot.to_owned(),
    }
}

pub async fn export(client: &Client, snapshot: &str, bucket: &str, prefix: Option<&str>) -> Result<Outcome, SdkError<CopySnapshotError>> {
    let result: Result<CopySnapshotOutput, _> = client
        .copy_snapshot()
        .source_snapshot_name(snapshot)
        .target_snapshot_name(target_name(snapshot, prefix))
        .target_bucket(bucket)
        .send()
        .await;
    match result {
        Ok(out) => {
            let copy = out.snapshot();
            Ok(Outcome::Started {
                name: copy.and_then(|s| s.snapshot_name()).unwrap_or_default().to_owned(),
                status: copy.and_then(|s| s.snapshot_status()).unwrap_or_default().to_owned(),
            })
        }
        Err(err) => match err.as_service_error() {
            Some(e) if e.is_snapshot_not_found_fault() => Ok(Outcome::NoSuchSnapshot),
            Some(e) if e.is_snapshot_already_exists_fault() => Ok(Outcome::AlreadyExported),
            // S3 permission problems come back as InvalidParameterValue with the reason.
            Some(CopySnapshotError::InvalidParameterValueException(e)) => Ok(Outcome::Refused {
                code: e.code().unwrap_or("InvalidParameterValue").to_owned(),
                message: e.message().unwrap_or_default().to_owned(),
            }),
            _ => Err(err),
        },
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(snapshot), Some(bucket)) = (args.first(), args.get(1)) else {
        eprintln!("usage: s3-export <snapshot> <bucket> [<prefix>]");
        std::process::exit(2);
    };
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .region(aws_sdk_elasticache::config::Region::new("us-east-1"))
        .build();
    let client = Client::from_conf(config);
    match export(&client, snapshot, bucket, args.get(2).map(String::as_str)).await {
        Ok(outcome) => println!("{outcome:?}"),
        Err(err) => {
            eprintln!("export failed: {}", DisplayErrorContext(&err));
            if let Some(code) = err.code() {
                eprintln!("error code: {code}");
            }
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::types::error::{InvalidParameterValueException, SnapshotNotFoundFault};
    use aws_sdk_elasticache::types::Snapshot;
    use aws_smithy_mocks::{mock, mock_client};

    #[test]
    fn prefixes_join_with_one_slash() {
        assert_eq!(target_name("nightly", Some("exports/")), "exports/nightly");
        assert_eq!(target_name("nightly", None), "nightly");
    }

    #[tokio::test]
    async fn sends_the_target_bucket() {
        let copy = mock!(Client::copy_snapshot)
            .match_requests(|req| {
                req.source_snapshot_name() == Some("nightly")
                    && req.target_snapshot_name() == Some("exports/nightly")
                    && req.target_bucket() == Some("my-export-bucket")
            })
            .then_output(|| {
                CopySnapshotOutput::builder()
                    .snapshot(Snapshot::builder().snapshot_name("exports/nightly").snapshot_status("exporting").build())
                    .build()
            });
        let client = mock_client!(aws_sdk_elasticache, [&copy]);

        let outcome = export(&client, "nightly", "my-export-bucket", Some("exports")).await.unwrap();
        assert_eq!(outcome, Outcome::Started { name: "exports/nightly".into(), status: "exporting".into() });
        assert_eq!(copy.num_calls(), 1);
    }

    #[tokio::test]
    async fn missing_snapshot_is_an_outcome() {
        let copy = mock!(Client::copy_snapshot)
            .then_error(|| CopySnapshotError::SnapshotNotFoundFault(SnapshotNotFoundFault::builder().message("nightly not found").build()));
        let client = mock_client!(aws_sdk_elasticache, [&copy]);
        assert_eq!(export(&client, "nightly", "b", None).await.unwrap(), Outcome::NoSuchSnapshot);
    }

    #[tokio::test]
    async fn bucket_refusals_keep_the_service_message() {
        let copy = mock!(Client::copy_snapshot).then_error(|| {
            CopySnapshotError::InvalidParameterValueException(
                InvalidParameterValueException::builder()
                    .message("No permission to access S3 bucket my-export-bucket")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_elasticache, [&copy]);
        let outcome = export(&client, "nightly", "my-export-bucket", None).await.unwrap();
        let Outcome::Refused { message, .. } = outcome else { panic!("expected a refusal, got {outcome:?}") };
        assert_eq!(message, "No permission to access S3 bucket my-export-bucket");
    }

    #[tokio::test]
    async fn an_error_document_is_parsed_into_the_modeled_error() {
        let body = r#"<ErrorResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <Error><Type>Sender</Type><Code>SnapshotAlreadyExistsFault</Code><Message>exists</Message></Error>
  <RequestId>8f1b2c3d-0000-4000-8000-000000000001</RequestId>
</ErrorResponse>"#;
        let copy = mock!(Client::copy_snapshot).sequence().http_status(400, Some(body.to_owned())).build();
        let client = mock_client!(aws_sdk_elasticache, [&copy]);
        assert_eq!(export(&client, "nightly", "b", None).await.unwrap(), Outcome::AlreadyExported);
    }

    #[tokio::test]
    async fn other_failures_are_returned_with_their_code() {
        let body = r#"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"#;
        let copy = mock!(Client::copy_snapshot).sequence().http_status(403, Some(body.to_owned())).build();
        let client = mock_client!(aws_sdk_elasticache, [&copy]);
        let err = export(&client, "nightly", "b", None).await.unwrap_err();
        assert_eq!(err.code(), Some("AccessDenied"));
        assert_eq!(err.message(), Some("not allowed"));
        assert!(format!("{}", DisplayErrorContext(&err)).contains("AccessDenied"));
    }
}

//! Every fixture response, read by the generated `elasticache` crate, equals what botocore's
//! own parser made of it (`tests/data/fixtures/*.expected.json`), errors included; and the
//! seed operations give the typed values users match on.

use elasticache::error::ProvideErrorMetadata;
use elasticache::operation::RequestId;
use elasticache::operation::copy_snapshot::{CopySnapshot, CopySnapshotError};
use elasticache::operation::describe_cache_parameters::{DescribeCacheParameters, DescribeCacheParametersError};
use elasticache::operation::describe_engine_default_parameters::DescribeEngineDefaultParameters;
use elasticache::types::ChangeType;
use aws_query_runtime::error::ParseError;
use aws_query_runtime::http::HttpResponse;
use aws_query_runtime::operation::Operation;
use project_tests::{fixture, json_diff, repo};
use serde_json::Value;

#[test]
fn every_fixture_matches_botocore() {
    let dir = repo().join("tests/data/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".expected.json"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 9, "fixtures: {names:?}");
    let mut failures = Vec::new();
    let mut failed = 0;
    for name in &names {
        let expected: Value = serde_json::from_slice(&fixture(name)).unwrap();
        let xml = fixture(&name.replace(".expected.json", ".xml"));
        let op = expected["operation"].as_str().unwrap();
        let status = expected["status"].as_u64().unwrap_or(200) as u16;
        match elasticache_json::parse_response(op, status, &xml) {
            Ok(actual) => {
                let mut diffs = Vec::new();
                json_diff(&expected["parsed"], &actual, "", &mut diffs);
                if !diffs.is_empty() {
                    failed += 1;
                }
                failures.extend(diffs.into_iter().take(5).map(|d| format!("{name}: {d}")));
            }
            Err(e) => {
                failed += 1;
                failures.push(format!("{name}: {e}"));
            }
        }
    }
    project_tests::summary(&format!("fixtures: {} passed, {failed} failed", names.len() - failed));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn change_type_is_typed() {
    let body = fixture("describe-cache-parameters.xml");
    let expected: Value = serde_json::from_slice(&fixture("describe-cache-parameters.expected.json")).unwrap();
    let out = DescribeCacheParameters::parse_response(&HttpResponse::new(200, body.clone())).unwrap();
    let count = |v: &Value, key: &str, value: &str| {
        v[key].as_array().unwrap().iter().filter(|p| p["ChangeType"] == value).count()
    };
    let typed = |t: ChangeType| out.parameters().iter().filter(|p| p.change_type() == Some(&t)).count();
    assert_eq!(out.parameters().len(), 100);
    assert_eq!(typed(ChangeType::Immediate), count(&expected["parsed"], "Parameters", "immediate"));
    assert_eq!(typed(ChangeType::RequiresReboot), count(&expected["parsed"], "Parameters", "requires-reboot"));
    assert!(typed(ChangeType::Immediate) > 0 && typed(ChangeType::RequiresReboot) > 0);
    let node_specific = out.cache_node_type_specific_parameters();
    assert_eq!(node_specific.len(), 12);
    assert!(node_specific.iter().all(|p| p.cache_node_type_specific_values().len() == 64));
    let typed_node = |t: ChangeType| node_specific.iter().filter(|p| p.change_type() == Some(&t)).count();
    let parsed = &expected["parsed"];
    assert_eq!(typed_node(ChangeType::Immediate), count(parsed, "CacheNodeTypeSpecificParameters", "immediate"));
    assert_eq!(typed_node(ChangeType::RequiresReboot), count(parsed, "CacheNodeTypeSpecificParameters", "requires-reboot"));

    let body = fixture("describe-engine-default-parameters.xml");
    let out = DescribeEngineDefaultParameters::parse_response(&HttpResponse::new(200, body.clone())).unwrap();
    let defaults = out.engine_defaults().unwrap();
    assert!(defaults.parameters().iter().any(|p| p.change_type() == Some(&ChangeType::Immediate)));
    assert!(defaults.parameters().iter().any(|p| p.change_type() == Some(&ChangeType::RequiresReboot)));
}

#[test]
fn unknown_enum_values_round_trip() {
    let v = ChangeType::from("some-new-value");
    assert!(matches!(v, ChangeType::Unknown(_)));
    assert_eq!(v.as_str(), "some-new-value");
    assert_eq!(ChangeType::from("immediate"), ChangeType::Immediate);
    assert_eq!(ChangeType::RequiresReboot.as_str(), "requires-reboot");
    let body = br#"<DescribeCacheParametersResponse><DescribeCacheParametersResult><Parameters><Parameter>
        <ParameterName>x</ParameterName><ChangeType>on-full-moon</ChangeType></Parameter></Parameters>
        </DescribeCacheParametersResult></DescribeCacheParametersResponse>"#;
    let out = DescribeCacheParameters::parse_response(&HttpResponse::new(200, &body[..])).unwrap();
    assert_eq!(out.parameters()[0].change_type().map(ChangeType::as_str), Some("on-full-moon"));
}

#[test]
fn modeled_errors_by_wire_code() {
    let err = match DescribeCacheParameters::parse_response(&HttpResponse::new(404, fixture("error-parameter-group-not-found.xml"))) {
        Err(ParseError::Service(e)) => e,
        other => panic!("expected a service error, got {other:?}"),
    };
    assert!(err.is_cache_parameter_group_not_found_fault(), "{err:?}");
    assert!(matches!(err, DescribeCacheParametersError::CacheParameterGroupNotFoundFault(_)));
    assert_eq!(err.code(), Some("CacheParameterGroupNotFound"));
    assert!(err.request_id().is_some());
    let shown = err.to_string();
    assert!(shown.starts_with("DescribeCacheParameters failed: CacheParameterGroupNotFound: "), "{shown}");

    let err = match CopySnapshot::parse_response(&HttpResponse::new(404, fixture("error-snapshot-not-found.xml"))) {
        Err(ParseError::Service(e)) => e,
        other => panic!("expected a service error, got {other:?}"),
    };
    assert!(err.is_snapshot_not_found_fault());
    let CopySnapshotError::SnapshotNotFoundFault(inner) = &err else { panic!() };
    assert_eq!(inner.message(), Some("Snapshot prod-redis-nightly not found."));

    // The shape's member is `message`, the document's element `<Message>`: the accessor
    // falls back to the document's message, as aws-sdk-rust's does.
    let err = match DescribeCacheParameters::parse_response(&HttpResponse::new(400, fixture("error-invalid-parameter-value.xml"))) {
        Err(ParseError::Service(e)) => e,
        other => panic!("expected a service error, got {other:?}"),
    };
    let DescribeCacheParametersError::InvalidParameterValueException(inner) = &err else { panic!("{err:?}") };
    assert_eq!(inner.message, None);
    assert_eq!(inner.message(), Some("MaxRecords must be between 20 and 100."));

    let err = match CopySnapshot::parse_response(&HttpResponse::new(500, fixture("error-unmodeled.xml"))) {
        Err(ParseError::Service(e)) => e,
        other => panic!("expected a service error, got {other:?}"),
    };
    assert!(matches!(err, CopySnapshotError::Unhandled(_)));
    assert_eq!(err.code(), Some("InternalFailure"));
    assert_eq!(err.meta().status(), 500);
}

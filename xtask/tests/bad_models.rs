//! A malformed model fails `cargo xtask regenerate --model` with the file, the JSON path and
//! what is wrong, a non-zero exit code and no panic.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

fn model() -> Value {
    let text = std::fs::read_to_string(repo().join("models/elasticache/service-2.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Runs the generator on `text`; returns (exit success, stderr, model path).
fn generate(name: &str, text: &str) -> (bool, String, PathBuf) {
    let dir = repo().join("target/test-bad-models").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("service-2.json");
    std::fs::write(&file, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regenerate", "--model"])
        .arg(&file)
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "generator panicked:\n{stderr}");
    (out.status.success(), stderr, file)
}

#[test]
fn dangling_shape_reference() {
    let mut m = model();
    m["shapes"]["CopySnapshotMessage"]["members"]["TargetBucket"]["shape"] = json!("NoSuchShape");
    let (ok, stderr, file) = generate("dangling", &m.to_string());
    assert!(!ok);
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    assert!(
        stderr.contains("at shapes.CopySnapshotMessage.members.TargetBucket.shape: refers to shape `NoSuchShape`"),
        "{stderr}"
    );
}

#[test]
fn list_without_member() {
    let mut m = model();
    m["shapes"]["TagList"].as_object_mut().unwrap().remove("member");
    let (ok, stderr, file) = generate("no-member", &m.to_string());
    assert!(!ok);
    assert!(stderr.contains(&format!("{}: at shapes.TagList: a list shape needs a `member`", file.display())), "{stderr}");
}

#[test]
fn not_json() {
    let (ok, stderr, file) = generate("not-json", "{\"metadata\": {\"apiVersion\": \"x\",");
    assert!(!ok);
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    assert!(stderr.contains("not valid JSON"), "{stderr}");
    assert!(stderr.contains("line 1"), "{stderr}");
}

#[test]
fn wrong_type_names_the_path() {
    let mut m = model();
    m["shapes"]["CopySnapshotMessage"]["members"]["TargetBucket"]["shape"] = json!(42);
    let (ok, stderr, _) = generate("wrong-type", &m.to_string());
    assert!(!ok);
    assert!(stderr.contains("at shapes.CopySnapshotMessage.members.TargetBucket.shape: invalid type: integer `42`"), "{stderr}");
}

#[test]
fn duplicate_rust_names_are_warnings() {
    // A clash gets a suffix: the crate is generated, and the command says what it renamed.
    let mut m = model();
    let members = m["shapes"]["CopySnapshotMessage"]["members"].as_object_mut().unwrap();
    members.insert("targetBucket".into(), json!({"shape": "String"}));
    let (ok, stderr, _) = generate("duplicate", &m.to_string());
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("warning: ")
            && stderr.contains("at shapes.CopySnapshotMessage.members.targetBucket: member `target_bucket` is taken by another name of the model; this one is generated as `target_bucket_2`"),
        "{stderr}"
    );
}

#[test]
fn every_problem_is_reported() {
    let mut m = model();
    m["shapes"]["CopySnapshotMessage"]["members"]["TargetBucket"]["shape"] = json!("Missing1");
    m["shapes"]["Parameter"]["members"]["ChangeType"]["shape"] = json!("Missing2");
    let (ok, stderr, _) = generate("several", &m.to_string());
    assert!(!ok);
    assert!(stderr.contains("Missing1") && stderr.contains("Missing2"), "{stderr}");
}

/// Writes `file` beside a copy of the current model, then generates.
fn generate_with(name: &str, file: &str, text: &Value) -> (bool, String, PathBuf) {
    let dir = repo().join("target/test-bad-models").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let companion = dir.join(file);
    std::fs::write(&companion, text.to_string()).unwrap();
    let (ok, stderr, _) = generate(name, &model().to_string());
    (ok, stderr, companion)
}

#[test]
fn unsupported_jmespath_fails_generation_clearly() {
    let waiters = json!({"version": 2, "waiters": {"Filtered": {
        "operation": "DescribeCacheClusters", "delay": 15, "maxAttempts": 40,
        "acceptors": [{"matcher": "pathAll", "state": "success", "expected": "available",
                       "argument": "CacheClusters[?Engine == 'redis'] | [0].CacheClusterStatus"}]}}});
    let (ok, stderr, file) = generate_with("bad-waiter", "waiters-2.json", &waiters);
    assert!(!ok);
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    assert!(stderr.contains("at waiters.Filtered.acceptors[0]"), "{stderr}");
    assert!(stderr.contains("a pipe `|` is not supported"), "{stderr}");

    let waiters = json!({"version": 2, "waiters": {"Typo": {
        "operation": "DescribeCacheClusters", "delay": 15, "maxAttempts": 40,
        "acceptors": [{"matcher": "pathAny", "state": "failure", "expected": "x",
                       "argument": "CacheClusters[].ClusterStatus"}]}}});
    let (ok, stderr, _) = generate_with("typo-waiter", "waiters-2.json", &waiters);
    assert!(!ok);
    assert!(stderr.contains("`ClusterStatus` is not a member of `CacheCluster`"), "{stderr}");
}

#[test]
fn a_paginator_key_that_cannot_be_aggregated_fails_generation() {
    // A structure: botocore aggregates lists, strings and numbers only.
    let paginators = json!({"pagination": {"DescribeEngineDefaultParameters": {
        "input_token": "Marker", "output_token": "EngineDefaults.Marker", "limit_key": "MaxRecords", "result_key": "EngineDefaults"}}});
    let (ok, stderr, file) = generate_with("bad-paginator", "paginators-1.json", &paginators);
    assert!(!ok);
    let expected = format!(
        "{}: at pagination.DescribeEngineDefaultParameters.result_key: `EngineDefaults` must be a list, string or number",
        file.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
}

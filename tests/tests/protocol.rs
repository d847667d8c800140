//! botocore's query and ec2 protocol compliance suites, run against code generated from
//! each case's own model (`tests/protocol-suite/`, made by `cargo xtask regenerate`).
//!
//! Input cases compare method, URI, host, the headers the case lists and the body, byte for
//! byte as botocore's runner does; a body that differs only in parameter order still passes
//! but is listed. Output cases compare the parsed value with `result` exactly (integers by
//! value, floats by bits, timestamps to the microsecond: `project_tests::json_diff`), or the
//! error with `errorCode`, `errorMessage` and `error`.
//!
//! The run prints `protocol: N passed, M failed` (the query suites) and
//! `protocol ec2: N passed, M failed`, and every failing case with its reason.
//! [`KNOWN_FAILURES`] lists cases we cannot pass yet, with why: they still run, count as
//! failed, and the test fails if one of them starts passing (so the list stays honest).

use project_tests::{fixed_token, gunzip, json_diff, repo};
use protocol_suite::{Case, CASES};
use serde_json::Value;
use std::collections::BTreeMap;

/// Cases that fail today, by id, with the reason. Empty means every case passes.
const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "SDKAppliedContentEncoding_ec2Query",
        "the gzip body is checked against botocore's, and botocore's EC2Serializer sends the \
         lower-case member `data` as it is where Smithy's ec2Query (and this generator, as the \
         suite's other cases require: `Ec2TimestampsInput`, `Ec2ProtocolIdempotencyTokenAutoFill`) \
         capitalises it to `Data`; botocore lists these ec2 cases in its own ignore list",
    ),
    (
        "SDKAppendsGzipAndIgnoresHttpProvidedEncoding_ec2Query",
        "as SDKAppliedContentEncoding_ec2Query: botocore's body has `data=`, ours `Data=`",
    ),
];

/// The query suites and the ec2 suites, files relative to `tests/data/protocol/`.
const QUERY_SUITES: &[&str] = &["input-query.json", "output-query.json", "legacy/input-query.json", "legacy/output-query.json"];
const EC2_SUITES: &[&str] = &["input-ec2.json", "output-ec2.json"];

/// The endpoint when a suite gives no `clientEndpoint`.
const DEFAULT_ENDPOINT: &str = "https://example.com";

struct SuiteCase {
    id: String,
    suite: &'static str,
    /// The suite's `clientEndpoint`: the endpoint the runner's client is configured with.
    endpoint: Option<String>,
    case: Value,
    /// The suite's shapes (the model of its cases).
    shapes: Value,
}

fn load_cases(files: &[&'static str]) -> Vec<SuiteCase> {
    let mut out = Vec::new();
    for &suite_file in files {
        let path = repo().join("tests/data/protocol").join(suite_file);
        let suites: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (si, suite) in suites.as_array().unwrap().iter().enumerate() {
            for (ci, case) in suite["cases"].as_array().unwrap().iter().enumerate() {
                let id = match case["id"].as_str() {
                    Some(id) => id.to_owned(),
                    None => format!("{}#{si}.{ci}", suite_file.trim_end_matches(".json")),
                };
                let endpoint = suite["clientEndpoint"].as_str().map(str::to_owned);
                out.push(SuiteCase { id, suite: suite_file, endpoint, case: case.clone(), shapes: suite["shapes"].clone() });
            }
        }
    }
    out
}

/// Runs one case; `Ok(note)` when it passes (a note such as "parameter order differs").
fn run_case(generated: &Case, case: &SuiteCase) -> Result<Option<String>, String> {
    if let Some(expected) = case.case.get("serialized") {
        run_input(generated, &case.case, expected, case.endpoint.as_deref())
    } else {
        run_output(generated, &case.case, &case.shapes).map(|()| None)
    }
}

fn run_input(generated: &Case, case: &Value, expected: &Value, endpoint: Option<&str>) -> Result<Option<String>, String> {
    let params = &case["params"];
    let endpoint = endpoint.unwrap_or(DEFAULT_ENDPOINT);
    let request = (generated.request)(generated.operation, params, endpoint, fixed_token)?;
    let mut problems = Vec::new();

    if let Some(method) = expected["method"].as_str() {
        if request.method() != method {
            problems.push(format!("method {}, expected {method}", request.method()));
        }
    }
    let uri = expected["uri"].as_str().unwrap_or("/");
    if request.path_and_query() != uri {
        problems.push(format!("URI {}, expected {uri}", request.path_and_query()));
    }
    if let Some(host) = expected["host"].as_str() {
        let host_only = host.split('/').next().unwrap_or(host);
        if request.authority() != host_only {
            problems.push(format!("host {}, expected {host_only}", request.authority()));
        }
    }
    for (name, value) in expected["headers"].as_object().into_iter().flatten() {
        let value = value.as_str().unwrap_or_default();
        match request.headers().iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
            // botocore's runner accepts the charset its query serializer adds.
            Some((_, v)) if v == value || (name.eq_ignore_ascii_case("content-type") && *v == format!("{value}; charset=utf-8")) => {}
            Some((_, v)) => problems.push(format!("header {name}: {v:?}, expected {value:?}")),
            None => problems.push(format!("header {name} missing")),
        }
    }
    for name in expected["requireHeaders"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        if !request.headers().iter().any(|(k, _)| k.eq_ignore_ascii_case(name)) {
            problems.push(format!("required header {name} missing"));
        }
    }
    let mut note = None;
    match expected["body"].as_str() {
        Some(body) if request.body_str() != body => {
            if pairs_sorted(request.body_str()) == pairs_sorted(body) {
                note = Some("passes, but its parameters are in a different order".to_owned());
            } else {
                problems.push(format!("body\n      got:      {}\n      expected: {body}", request.body_str()));
            }
        }
        Some(_) => {}
        // Compression cases give no body (compressed bytes differ between gzip encoders):
        // ours must inflate to exactly what botocore's own code compresses for the case
        // (`tests/data/protocol/gzip-bodies.json`, made by `tests/python/protocol_gzip.py`).
        None if request.header("content-encoding") == Some("gzip") => {
            let plain = gunzip(request.body()).map_err(|e| format!("the body is not gzip: {e}"))?;
            let id = case["id"].as_str().unwrap_or_default();
            let expected = gzip_bodies()[id].as_str().ok_or_else(|| format!("no botocore body for {id} in gzip-bodies.json"))?;
            if plain != expected {
                problems.push(format!("the gzip body holds {plain:.80}…, expected {expected:.80}…"));
            }
        }
        None if !request.body().is_empty() => problems.push("a body was sent but the case expects none".to_owned()),
        None => {}
    }
    if problems.is_empty() {
        Ok(note)
    } else {
        Err(problems.join("; "))
    }
}

/// botocore's uncompressed bodies of the compression cases, by case id.
fn gzip_bodies() -> &'static Value {
    static BODIES: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    BODIES.get_or_init(|| {
        let text = std::fs::read_to_string(repo().join("tests/data/protocol/gzip-bodies.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    })
}

fn pairs_sorted(body: &str) -> Vec<&str> {
    let mut pairs: Vec<&str> = body.split('&').collect();
    pairs.sort_unstable();
    pairs
}

/// The suite's `result` with its timestamps (epoch seconds; botocore's runner turns them
/// into datetimes with `fromtimestamp`, to the nearest microsecond) in the spelling of the
/// generated JSON, following the output shape through structures, lists and maps.
fn timestamps_spelled(value: &Value, shape: &str, shapes: &Value) -> Value {
    let def = &shapes[shape];
    let member_shape = |m: &Value| m["shape"].as_str().unwrap_or_default().to_owned();
    match (def["type"].as_str(), value) {
        (Some("timestamp"), Value::Number(n)) => {
            let micros = (n.as_f64().unwrap_or(f64::NAN) * 1e6).round() as i128;
            Value::String(project_tests::iso8601_micros(micros))
        }
        (Some("structure"), Value::Object(fields)) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| {
                    let member = def["members"].get(k).map(member_shape);
                    (k.clone(), member.map_or_else(|| v.clone(), |m| timestamps_spelled(v, &m, shapes)))
                })
                .collect(),
        ),
        (Some("list"), Value::Array(items)) => {
            Value::Array(items.iter().map(|v| timestamps_spelled(v, &member_shape(&def["member"]), shapes)).collect())
        }
        (Some("map"), Value::Object(entries)) => Value::Object(
            entries.iter().map(|(k, v)| (k.clone(), timestamps_spelled(v, &member_shape(&def["value"]), shapes))).collect(),
        ),
        _ => value.clone(),
    }
}

fn run_output(generated: &Case, case: &Value, shapes: &Value) -> Result<(), String> {
    let response = &case["response"];
    let status = response["status_code"].as_u64().unwrap_or(200) as u16;
    let body = response["body"].as_str().unwrap_or_default();
    let parsed = (generated.parse_response)(generated.operation, status, body.as_bytes())?;
    let mut diffs = Vec::new();
    if case.get("errorCode").is_some() || case.get("error").is_some() {
        let error = &parsed["Error"];
        if let Some(code) = case["errorCode"].as_str() {
            if error["Code"].as_str() != Some(code) {
                diffs.push(format!("error code {}, expected {code}", error["Code"]));
            }
        }
        if let Some(message) = case["errorMessage"].as_str() {
            if error["Message"].as_str() != Some(message) {
                diffs.push(format!("error message {}, expected {message}", error["Message"]));
            }
        }
        let mut members = parsed.clone();
        if let Some(map) = members.as_object_mut() {
            map.remove("Error");
        }
        json_diff(&case["error"], &members, "error", &mut diffs);
    } else {
        if parsed.get("Error").is_some() {
            return Err(format!("parsed as an error: {}", parsed["Error"]));
        }
        let output = case["given"]["output"]["shape"].as_str().unwrap_or_default();
        let expected = timestamps_spelled(&case["result"], output, shapes);
        json_diff(&expected, &parsed, "result", &mut diffs);
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("; "))
    }
}

#[test]
fn botocore_query_protocol_suites() {
    run_suites(QUERY_SUITES, 120, "the four suites hold 38 + 38 + 25 + 19 cases", "protocol");
}

#[test]
fn botocore_ec2_protocol_suites() {
    run_suites(EC2_SUITES, 58, "the two suites hold 29 + 29 cases", "protocol ec2");
}

/// Runs every case of `files` and prints `{label}: N passed, M failed`.
fn run_suites(files: &[&'static str], count: usize, why: &str, label: &str) {
    let cases = load_cases(files);
    assert_eq!(cases.len(), count, "{why}");
    let generated: Vec<&Case> = CASES.iter().filter(|c| files.contains(&c.suite)).collect();
    assert_eq!(generated.len(), cases.len(), "tests/protocol-suite is stale: run `cargo xtask regenerate`");
    let known: BTreeMap<&str, &str> = KNOWN_FAILURES.iter().copied().collect();

    let (mut passed, mut failed) = (0, 0);
    let mut per_suite: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut report = Vec::new();
    let mut surprises = Vec::new();
    for (case, generated) in cases.iter().zip(generated) {
        assert_eq!(case.id, generated.id, "tests/protocol-suite is stale: run `cargo xtask regenerate`");
        let entry = per_suite.entry(case.suite).or_default();
        match run_case(generated, case) {
            Ok(note) => {
                passed += 1;
                entry.0 += 1;
                if let Some(note) = note {
                    report.push(format!("  note {}: {note}", case.id));
                }
                if let Some(reason) = known.get(case.id.as_str()) {
                    surprises.push(format!("{} passes but is listed as a known failure ({reason})", case.id));
                }
            }
            Err(reason) => {
                failed += 1;
                entry.1 += 1;
                match known.get(case.id.as_str()) {
                    Some(why) => report.push(format!("  FAIL {} (known: {why}): {reason}", case.id)),
                    None => {
                        report.push(format!("  FAIL {}: {reason}", case.id));
                        surprises.push(format!("{} fails: {reason}", case.id));
                    }
                }
            }
        }
    }
    for (suite, (p, f)) in &per_suite {
        println!("  {suite}: {p} passed, {f} failed");
    }
    for line in &report {
        println!("{line}");
    }
    project_tests::summary(&format!("{label}: {passed} passed, {failed} failed"));
    assert!(surprises.is_empty(), "unexpected results:\n{}", surprises.join("\n"));
}

//! Differential test against botocore: random but valid inputs and outputs for every
//! ElastiCache operation (and for the models of botocore's query protocol suites, which use
//! what ElastiCache does not: maps, flattened lists, floats, longs, blobs, epoch-second
//! timestamps, idempotency tokens, host labels, recursion), made by
//! `tests/python/differential.py` with botocore's own query serializer and parser as the
//! reference.
//!
//! * Requests: our body and botocore's (`percent_encode_sequence` of its serialized params)
//!   must hold the same key/value pairs in the same order, byte for byte; and, form-decoded,
//!   the same pairs as the body botocore's client puts on the wire (which url-encodes with
//!   `+` for a space: the same data, spelled differently).
//! * Responses: our parsed value equals what botocore's client makes of the same XML
//!   (`project_tests::json_diff`: timestamps by instant, floats by value), errors included.
//!
//! `DIFFERENTIAL_SEED` (default [`DEFAULT_SEED`]; `random` for a fresh one),
//! `DIFFERENTIAL_CASES` (ElastiCache cases each way, default [`DEFAULT_CASES`]) and
//! `DIFFERENTIAL_SUITE_CASES` (suite-model cases each way, default [`DEFAULT_SUITE_CASES`])
//! choose the run. The cases in `tests/data/differential/regressions.json` — every mismatch
//! found so far — always run too. The run ends with `differential: N passed, M failed`.

use project_tests::{fixed_token, gunzip, json_diff, project_python, repo, scratch};
use serde_json::Value;
use std::process::Command;
use std::time::Instant;

/// The seed CI runs.
const DEFAULT_SEED: &str = "20150202";
/// ElastiCache cases each way (requests, responses) when `DIFFERENTIAL_CASES` is not set.
const DEFAULT_CASES: usize = 5000;
/// Suite-model cases each way when `DIFFERENTIAL_SUITE_CASES` is not set.
const DEFAULT_SUITE_CASES: usize = 1000;
/// Failures shown in full; the rest get one line each.
const SHOWN: usize = 8;
const ENDPOINT: &str = "https://elasticache.us-east-1.amazonaws.com";
const SUITE_ENDPOINT: &str = "https://example.com";

fn env_count(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(n) => n.parse().unwrap_or_else(|_| panic!("{name} is not a number: {n:?}")),
        Err(_) => default,
    }
}

/// `k=v` pairs of a form body, as written.
fn pairs(body: &str) -> Vec<(&str, &str)> {
    body.split('&').map(|p| p.split_once('=').unwrap_or((p, ""))).collect()
}

/// Form-decodes one key or value: `+` is a space, `%XX` a byte.
fn form_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s.get(i + 1..i + 3).ok_or_else(|| format!("a truncated escape in {s:?}"))?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("a bad escape in {s:?}"))?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| format!("{s:?} is not UTF-8 once decoded"))
}

fn decoded_pairs(body: &str) -> Result<Vec<(String, String)>, String> {
    pairs(body).into_iter().map(|(k, v)| Ok((form_decode(k)?, form_decode(v)?))).collect()
}

/// Where two pair lists first differ, described.
fn first_difference<T: PartialEq + std::fmt::Debug>(ours: &[T], theirs: &[T]) -> Option<String> {
    match ours.iter().zip(theirs).position(|(a, b)| a != b) {
        Some(i) => Some(format!("pair {i}: ours {:?}, botocore {:?}", ours[i], theirs[i])),
        None if ours.len() > theirs.len() => Some(format!("ours has {} more pairs, from {:?}", ours.len() - theirs.len(), ours[theirs.len()])),
        None if ours.len() < theirs.len() => Some(format!("botocore has {} more pairs, from {:?}", theirs.len() - ours.len(), theirs[ours.len()])),
        None => None,
    }
}

/// The generated code a case runs against: ElastiCache's, or a protocol-suite case module's.
fn suite_case(case: &Value) -> Option<&'static protocol_suite::Case> {
    case["module"].as_u64().map(|i| &protocol_suite::CASES[i as usize])
}

/// The case's params, with every float the script lists set from its exact text: serde_json
/// (without feature `float_roundtrip`) may read a long double 1 ulp off, and the generated
/// code must get the double botocore serialized.
fn params(case: &Value) -> Result<Value, String> {
    let mut params = case["params"].clone();
    for entry in case["exact_floats"].as_array().into_iter().flatten() {
        let (Some(path), Some(text)) = (entry[0].as_array(), entry[1].as_str()) else { return Err("a bad exact_floats entry".into()) };
        let mut at = &mut params;
        for step in path {
            at = match step {
                Value::String(key) => at.get_mut(key.as_str()),
                Value::Number(i) => at.get_mut(i.as_u64().unwrap_or(u64::MAX) as usize),
                _ => None,
            }
            .ok_or_else(|| format!("exact_floats: no {path:?} in the params"))?;
        }
        let exact: f64 = text.parse().map_err(|_| format!("exact_floats: {text:?} is not a number"))?;
        *at = serde_json::Number::from_f64(exact).map(Value::Number).ok_or("exact_floats: not finite")?;
    }
    Ok(params)
}

fn check_request(case: &Value) -> Result<(), String> {
    let op = case["operation"].as_str().unwrap_or_default();
    let params = &params(case)?;
    let request = match suite_case(case) {
        Some(suite) => (suite.request)(op, params, SUITE_ENDPOINT, fixed_token)?,
        None => elasticache_json::request(op, params, ENDPOINT, fixed_token)?,
    };
    // A suite model with request compression gzips a long body: compare what it holds.
    let ours = match request.header("content-encoding") {
        Some("gzip") => gunzip(request.body()).map_err(|e| format!("the gzip body does not inflate: {e}"))?,
        _ => request.body_str().to_owned(),
    };
    let expected = case["body"].as_str().ok_or("the case has no body")?;
    if let Some(diff) = first_difference(&pairs(&ours), &pairs(expected)) {
        return Err(format!("{diff}\n      ours:     {ours}\n      botocore: {expected}"));
    }
    // The body botocore's client sends spells some characters differently (`+` for a space,
    // `~` as is); decoded, it must be the same pairs.
    if let Some(client) = case["client_body"].as_str() {
        if let Some(diff) = first_difference(&decoded_pairs(&ours)?, &decoded_pairs(client)?) {
            return Err(format!("form-decoded, unlike the body botocore's client sends: {diff}"));
        }
    }
    if request.method() != "POST" || request.header("content-type") != Some(aws_query_runtime::query::CONTENT_TYPE) {
        return Err(format!("{} with content type {:?}", request.method(), request.header("content-type")));
    }
    Ok(())
}

fn check_response(case: &Value) -> Result<(), String> {
    let op = case["operation"].as_str().unwrap_or_default();
    let status = case["status"].as_u64().unwrap_or(200) as u16;
    let xml = case["xml"].as_str().ok_or("the case has no xml")?;
    let ours = match suite_case(case) {
        Some(suite) => (suite.parse_response)(op, status, xml.as_bytes())?,
        None => elasticache_json::parse_response(op, status, xml.as_bytes())?,
    };
    let mut diffs = Vec::new();
    json_diff(&case["expected"], &ours, "", &mut diffs);
    if diffs.is_empty() {
        return Ok(());
    }
    let more: String = diffs.iter().skip(1).take(5).map(|d| format!("\n      {d}")).collect();
    let hidden = match diffs.len().saturating_sub(6) {
        0 => String::new(),
        n => format!("\n      … and {n} more"),
    };
    Err(format!("{}{more}{hidden}", diffs[0]))
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
}

/// Runs the cases of one kind, from ElastiCache's model or the suites', collecting failures.
fn run(cases: &[&Value], kind: &str, suites: bool, source: &str, failures: &mut Vec<String>) -> Tally {
    let mut tally = Tally::default();
    for case in cases.iter().filter(|c| c["kind"] == kind && c.get("module").is_some() == suites) {
        let result = std::panic::catch_unwind(|| if kind == "request" { check_request(case) } else { check_response(case) })
            .unwrap_or_else(|_| Err("panicked".to_owned()));
        let Err(why) = result else {
            tally.passed += 1;
            continue;
        };
        tally.failed += 1;
        let id = case["id"].as_str().unwrap_or("?");
        let op = case["operation"].as_str().unwrap_or("?");
        let model = case["suite"].as_str().map(|s| format!("{s} ")).unwrap_or_default();
        let line = if failures.len() < SHOWN {
            let input = if kind == "request" { case["params"].to_string() } else { case["xml"].to_string() };
            let input: String = input.chars().take(3000).collect();
            format!("\n      input: {input}\n      {why}")
        } else {
            format!(": {}", why.lines().next().unwrap_or_default())
        };
        failures.push(format!("  FAIL {source} {id} ({kind}, {model}{op}){line}"));
    }
    tally
}

/// Requests of the run (every `SIGNED_EVERY`-th), signed as the client signs them and sent
/// by the default transport to a loopback server; the bytes it received go to botocore's
/// own SigV4 signer (`project_tests::sigv4_check`), which must sign them identically.
const SIGNED_EVERY: usize = 10;

fn verify_sample_signatures(cases: &[&Value]) {
    use aws_query_runtime::credentials::Credentials;
    use aws_query_runtime::http::{HttpClient, SendOptions};
    use aws_query_runtime::sigv4::{sign, SigningParams};
    use project_tests::fault_server::{HandlerServer, Reply};
    use project_tests::sigv4_check::{verify_with_botocore, SignedWith};
    use std::sync::{Arc, Mutex};

    let creds = SignedWith { access_key: "AKIDDIFF", secret_key: "SECRET/DIFF+key", session_token: Some("TOKEN/DIFF+=") };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let captured = runtime.block_on(async {
        let raw: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
        let seen = raw.clone();
        let server = HandlerServer::start(move |request| {
            seen.lock().unwrap().push(request.raw.clone());
            Reply::xml(200, "<ok/>")
        })
        .await;
        let transport = elasticache::config::http::HyperClient::default();
        let requests = cases.iter().filter(|c| c["kind"] == "request").step_by(SIGNED_EVERY);
        for (i, case) in requests.enumerate() {
            let op = case["operation"].as_str().unwrap_or_default();
            let Ok(params) = params(case) else { continue };
            let built = match suite_case(case) {
                Some(suite) => (suite.request)(op, &params, &server.endpoint, fixed_token),
                None => elasticache_json::request(op, &params, &server.endpoint, fixed_token),
            };
            // A host prefix (`foo.127.0.0.1`) cannot reach the loopback server.
            let Some(mut request) = built.ok().filter(|r| r.host() == "127.0.0.1") else { continue };
            // Half with a session token, half without; different times.
            let token = (i % 2 == 0).then(|| creds.session_token.unwrap_or_default().to_owned());
            let credentials = Credentials::new(creds.access_key, creds.secret_key, token, None, "test");
            let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_400_000_000 + 7_919 * i as u64);
            sign(&mut request, &credentials, &SigningParams { region: "us-west-2", service: "elasticache", time, sign_security_token: true }, None);
            transport.send(request, &SendOptions::new(1 << 20)).await.expect("the loopback server answers");
        }
        let raw = raw.lock().unwrap().clone();
        raw
    });
    // Requests without a token are checked with credentials that have none.
    let (with, without): (Vec<Vec<u8>>, Vec<Vec<u8>>) =
        captured.into_iter().partition(|r| String::from_utf8_lossy(r).to_ascii_lowercase().contains("x-amz-security-token:"));
    verify_with_botocore("differential requests with a session token", &with, &creds);
    verify_with_botocore("differential requests without one", &without, &SignedWith { session_token: None, ..creds });
}

#[test]
fn differential_against_botocore() {
    let started = Instant::now();
    let seed = match std::env::var("DIFFERENTIAL_SEED") {
        Ok(s) if s == "random" => {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
            (nanos % 1_000_000_000_000).to_string()
        }
        Ok(s) if !s.is_empty() => s,
        _ => DEFAULT_SEED.to_owned(),
    };
    let count = env_count("DIFFERENTIAL_CASES", DEFAULT_CASES);
    let suite_count = env_count("DIFFERENTIAL_SUITE_CASES", DEFAULT_SUITE_CASES);
    println!("differential: seed {seed}, {count} ElastiCache and {suite_count} suite-model cases each way");

    let python = project_python();
    let script = repo().join("tests/python/differential.py");
    let out = scratch("differential").join("cases.json");
    let made = Command::new(&python)
        .arg(&script)
        .arg(repo().join("models/elasticache/service-2.json"))
        .arg(&out)
        .args(["--seed", &seed, "--cases", &count.to_string()])
        .arg("--suites")
        .arg(repo().join("tests/data/protocol"))
        .args(["--suite-cases", &suite_count.to_string()])
        .output()
        .expect("run the differential script");
    assert!(made.status.success(), "{} failed:\n{}", script.display(), String::from_utf8_lossy(&made.stderr));
    let generated: Value = serde_json::from_slice(&std::fs::read(&out).expect("read the cases")).expect("cases are JSON");
    let kept: Value = serde_json::from_slice(
        &std::fs::read(repo().join("tests/data/differential/regressions.json")).expect("read the regression cases"),
    )
    .expect("regression cases are JSON");
    let made_in = started.elapsed();

    let random: Vec<&Value> = generated["cases"].as_array().expect("cases").iter().collect();
    let kept: Vec<&Value> = kept["cases"].as_array().expect("regression cases").iter().collect();
    // As many cases as asked, and every operation each way (the script spreads cases over
    // the operations in turn).
    let every = generated["operations"].as_u64().unwrap_or(0) as usize;
    for kind in ["request", "response"] {
        let of_kind = |suites: bool| random.iter().filter(move |c| c["kind"] == kind && c.get("module").is_some() == suites);
        assert_eq!((of_kind(false).count(), of_kind(true).count()), (count, suite_count), "{kind} cases");
        let mut ops: Vec<&str> = of_kind(false).filter_map(|c| c["operation"].as_str()).collect();
        ops.sort_unstable();
        ops.dedup();
        assert_eq!(ops.len(), every.min(count), "operations with {kind} cases");
    }

    let mut failures = Vec::new();
    let (mut passed, mut failed) = (0, 0);
    for (suites, label) in [(false, "ElastiCache"), (true, "suite models")] {
        for kind in ["request", "response"] {
            let fresh = run(&random, kind, suites, "random", &mut failures);
            let old = run(&kept, kind, suites, "regression", &mut failures);
            println!(
                "  {label} {kind}s: {} passed, {} failed (random {}/{}, regression {}/{})",
                fresh.passed + old.passed,
                fresh.failed + old.failed,
                fresh.passed,
                fresh.passed + fresh.failed,
                old.passed,
                old.passed + old.failed,
            );
            passed += fresh.passed + old.passed;
            failed += fresh.failed + old.failed;
        }
    }
    for line in &failures {
        println!("{line}");
    }
    if !failures.is_empty() {
        println!(
            "  one case again: {} tests/python/differential.py models/elasticache/service-2.json OUT.json \
             --suites tests/data/protocol --seed {seed} --pick ID",
            python.display()
        );
        println!(
            "  kept once fixed: the same with OUT = tests/data/differential/regressions.json and --regression NAME --why TEXT \
             (tests/data/differential/README.md)"
        );
    }
    println!("  time: {:.1} s, {:.1} s of it making the cases with botocore", started.elapsed().as_secs_f64(), made_in.as_secs_f64());
    project_tests::summary(&format!("differential: {passed} passed, {failed} failed"));
    assert_eq!(failed, 0, "{failed} differential cases disagree with botocore (seed {seed})");
    verify_sample_signatures(&random);
}

/// The expected bodies of the protocol suite's gzip cases are what botocore's code makes of
/// them: the checked-in file is still exactly what its script prints.
#[test]
fn gzip_expectations_are_botocores_output() {
    let script = repo().join("tests/python/protocol_gzip.py");
    let out = Command::new(project_python()).arg(&script).output().expect("run the gzip script");
    assert!(out.status.success(), "{} failed:\n{}", script.display(), String::from_utf8_lossy(&out.stderr));
    let checked_in = std::fs::read_to_string(repo().join("tests/data/protocol/gzip-bodies.json")).unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout) == checked_in,
        "tests/data/protocol/gzip-bodies.json is not what {} prints: rerun it (see its header)",
        script.display()
    );
}

/// The change log's member trees are laid out as Python's `pprint.pformat` lays out the same
/// dicts, lists and strings (`tests/python/pformat.py`; strings never split): every tree of
/// every report between consecutive history models.
#[test]
fn change_log_trees_are_laid_out_as_pprint() {
    use codegen::diff::render::pformat;
    let dir = repo().join("tests/data/history");
    let mut stems: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_owned))
        .collect();
    stems.sort();
    let load = |stem: &str| {
        let text = std::fs::read_to_string(dir.join(format!("{stem}.json"))).unwrap();
        codegen::Sources::from_texts(stem, &text, &[]).unwrap()
    };
    let (mut trees, mut ours, mut lists) = (Vec::new(), Vec::new(), 0);
    for pair in stems.windows(2) {
        let report = codegen::diff::diff(&load(&pair[0]), &load(&pair[1]), &codegen::diff::plain_settings()).unwrap();
        for op in &report.operations {
            for side in [&op.request, &op.response] {
                for tree in [&side.added, &side.removed, &side.changed].into_iter().filter(|t| !t.is_empty()) {
                    let json = serde_json::to_value(tree).unwrap();
                    lists += usize::from(json.to_string().contains('['));
                    trees.push(json);
                    ours.push(pformat(tree));
                }
            }
        }
    }
    let mut child = Command::new(project_python())
        .arg(repo().join("tests/python/pformat.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    serde_json::to_writer(child.stdin.take().unwrap(), &trees).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pformat.py failed");
    let theirs: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(theirs.len(), ours.len());
    let differing: Vec<String> = ours
        .iter()
        .zip(&theirs)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("ours:\n{a}\npprint:\n{b}"))
        .collect();
    println!("pprint layout: {} trees ({lists} with lists) from {} model pairs, {} differ", ours.len(), stems.len() - 1, differing.len());
    assert!(differing.is_empty(), "{}", differing.join("\n\n"));
    assert!(lists > 0, "no tree with a list: the comparison would not cover lists");
}

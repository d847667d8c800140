//! Helpers shared by the workspace test suites.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_owned()
}

/// A scratch folder under `target/`, emptied first.
pub fn scratch(name: &str) -> PathBuf {
    let dir = repo().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

/// A file of `tests/data/fixtures/`.
pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/data/fixtures").join(name)).unwrap_or_else(|e| panic!("read fixture {name}: {e}"))
}

/// The idempotency token botocore's runner patches in (`uuid4` is mocked).
pub fn fixed_token() -> String {
    "00000000-0000-4000-8000-000000000000".to_owned()
}

/// A gzip body, inflated to text.
pub fn gunzip(body: &[u8]) -> std::io::Result<String> {
    use std::io::Read;
    let mut out = String::new();
    flate2::read::GzDecoder::new(body).read_to_string(&mut out)?;
    Ok(out)
}

/// The moto server's endpoint, from `MOTO_ENDPOINT` (set by `cargo xtask test`, which
/// installs and starts moto); panics with how to get one when it is not set.
pub fn moto_endpoint() -> String {
    std::env::var("MOTO_ENDPOINT").unwrap_or_else(|_| {
        panic!("MOTO_ENDPOINT is not set: run the suites with `cargo xtask test`, which installs and starts moto")
    })
}

/// Runs cargo with `args` in `dir`, with its own target folder (the outer `cargo test`
/// holds the workspace's), and the environment of the outer build removed.
pub fn cargo(dir: &Path, target: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(dir).args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("CARGO_") && k != "CARGO_HOME" || k == "RUSTFLAGS" || k == "CI" {
            cmd.env_remove(&k);
        }
    }
    cmd.env("CARGO_TARGET_DIR", target);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run cargo")
}

/// Copies `from` to `to` recursively (files only, no symlinks), skipping `target` folders.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder").flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&path, &dest);
            }
        } else {
            std::fs::copy(&path, &dest).expect("copy file");
        }
    }
}

pub fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Differences between botocore's parsed value and ours, as `path: reason` lines.
/// Timestamps compare by instant (botocore gives ISO strings or epoch numbers, we give
/// epoch seconds), floats by value (NaN equals NaN), everything else exactly.
pub fn json_diff(expected: &serde_json::Value, actual: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    use serde_json::Value;
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => json_diff(ev, av, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}: missing (expected {ev})")),
                }
            }
            for k in a.keys().filter(|k| !e.contains_key(*k)) {
                out.push(format!("{path}.{k}: unexpected {}", a[k]));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!("{path}: {} items, expected {}", a.len(), e.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                json_diff(ev, av, &format!("{path}[{i}]"), out);
            }
        }
        (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => {
            let instant = aws_query_runtime::time::parse_timestamp(s).ok().map(|t| t.unix_timestamp_nanos() as f64 / 1e9);
            match (instant, n.as_f64()) {
                (Some(t), Some(n)) if (t - n).abs() < 1e-6 => {}
                _ => out.push(format!("{path}: {actual}, expected {expected}")),
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (e.as_f64().unwrap_or(f64::NAN), a.as_f64().unwrap_or(f64::NAN));
            if (e - a).abs() > 1e-9 * e.abs().max(1.0) {
                out.push(format!("{path}: {a}, expected {e}"));
            }
        }
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{path}: {a}, expected {e}")),
    }
}

pub mod fake_http;
pub mod fault_server;

/// Prints a suite's summary line (`protocol: 120 passed, 0 failed`) where the person or CI
/// running the tests sees it: straight to stderr, past the test harness's capture of
/// `println!`, which only shows the output of failing tests.
pub fn summary(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The README's examples (the migration guide's, among others) compile as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

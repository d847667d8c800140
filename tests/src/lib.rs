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

/// Runs cargo with `args` in `dir`, with its own target folder (the outer `cargo test` holds
/// the workspace's), `--locked` and the environment of the outer build removed
/// (`xtask::nested::cargo`). A workspace other than the project's gets its lock file from
/// [`lock_from_root`] first.
pub fn cargo(dir: &Path, target: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let (subcommand, rest) = args.split_first().expect("a cargo subcommand");
    let mut cmd = xtask::nested::cargo(dir, subcommand);
    cmd.args(rest).env("CARGO_TARGET_DIR", target).envs(env.iter().copied());
    cmd.output().expect("run cargo")
}

/// Gives the scratch workspace at `dir` the project's committed versions (its `Cargo.lock`,
/// pruned to what the workspace uses); panics naming any package it would resolve anew.
pub fn lock_from_root(dir: &Path) {
    let seeds = xtask::nested::seed_paths(&repo(), &[xtask::nested::Committed::Root]);
    xtask::nested::lock(dir, &seeds).unwrap_or_else(|e| panic!("{e}"));
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

/// Differences between botocore's parsed value and ours, as `path: reason` lines. Exact:
/// integers by value, floats by their bits (`-0.0` is not `0.0`; botocore and the generated
/// JSON both write non-finite floats as the strings `NaN`, `Infinity`, `-Infinity`), an
/// integer never equal to a float nor a string to a number, strings byte for byte.
/// Timestamps are strings on both sides, in one spelling (`2014-04-29T18:30:38.123456Z`,
/// UTC, microseconds when not zero): the generated JSON writes them so, and the suites put
/// botocore's values into it (see [`iso8601_micros`]), so they compare to the microsecond.
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
        (Value::Number(e), Value::Number(a)) => {
            let same = match (integer(e), integer(a), e.as_f64(), a.as_f64()) {
                (Some(e), Some(a), _, _) => e == a,
                (None, None, Some(e), Some(a)) => e.to_bits() == a.to_bits(),
                _ => false,
            };
            if !same {
                out.push(format!("{path}: {a}, expected {e}"));
            }
        }
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{path}: {a}, expected {e}")),
    }
}

/// A JSON number written as an integer (`5`, not `5.0`), exactly.
fn integer(n: &serde_json::Number) -> Option<i128> {
    n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from))
}

/// `2014-04-29T18:30:38.123456Z`: the one spelling of a timestamp in the suites' JSON, for
/// an instant given in microseconds since the epoch. Computed with the `time` crate's own
/// calendar, not the runtime's writer whose output it is compared with.
pub fn iso8601_micros(micros: i128) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(micros * 1000).expect("a timestamp in time's range");
    let fraction = match t.microsecond() {
        0 => String::new(),
        us => format!(".{us:06}"),
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

pub mod fake_http;
pub mod fault_server;
pub mod sigv4_check;

/// The project's Python with botocore: `PROJECT_PYTHON` (set by `cargo xtask test`), else
/// `.venv/bin/python`. Never skips: without one the calling test fails and says how to get it.
pub fn project_python() -> PathBuf {
    let candidates: Vec<PathBuf> =
        std::env::var_os("PROJECT_PYTHON").map(PathBuf::from).into_iter().chain([repo().join(".venv/bin/python")]).collect();
    let works = |python: &PathBuf| {
        Command::new(python).args(["-c", "import botocore"]).output().map(|o| o.status.success()).unwrap_or(false)
    };
    match candidates.iter().find(|p| works(p)) {
        Some(python) => python.clone(),
        None => panic!(
            "no Python with botocore (tried {candidates:?}): run `cargo xtask test`, which makes .venv/ from \
             tests/python/requirements.txt and passes its python as PROJECT_PYTHON"
        ),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn differs(expected: serde_json::Value, actual: serde_json::Value) -> bool {
        let mut out = Vec::new();
        json_diff(&expected, &actual, "", &mut out);
        !out.is_empty()
    }

    #[test]
    fn the_comparator_lets_no_near_miss_through() {
        assert!(!differs(json!({"a": [1, 2.5, "x", true, null]}), json!({"a": [1, 2.5, "x", true, null]})));
        assert!(differs(json!(2147483647), json!(2147483646)), "an integer off by one");
        assert!(differs(json!(9007199254740993u64), json!(9007199254740992u64)), "integers past a double's precision");
        assert!(differs(json!(1), json!(1.0)), "an integer is not a float");
        assert!(differs(json!(1.0), json!(1)), "a float is not an integer");
        assert!(differs(json!("1"), json!(1)), "a string is not a number");
        assert!(differs(json!(1), json!("1")), "a number is not a string");
        assert!(differs(json!(0.3), json!(0.1 + 0.2)), "one unit in the last place");
        assert!(differs(json!(0.0), json!(-0.0)), "the sign of zero");
        assert!(differs(json!(1398796238.5), json!(1398796238.0)), "a dropped fractional second");
        assert!(differs(json!("2014-04-29T18:30:38.123456Z"), json!("2014-04-29T18:30:38.123457Z")), "a microsecond");
        assert!(differs(json!("2014-04-29T18:30:38Z"), json!("2014-04-29T18:30:38.500000Z")), "half a second");
        assert!(differs(json!({"a": 1}), json!({"a": 1, "b": 2})), "an extra member");
        assert!(differs(json!([1, 2]), json!([1])), "a missing item");
    }

    #[test]
    fn timestamps_are_spelled_as_the_generated_json_spells_them() {
        assert_eq!(iso8601_micros(1_398_796_238_000_000), "2014-04-29T18:30:38Z");
        assert_eq!(iso8601_micros(946_845_296_123_000), "2000-01-02T20:34:56.123000Z");
        assert_eq!(iso8601_micros(-500_000), "1969-12-31T23:59:59.500000Z");
    }
}

//! `cargo xtask test`: every test of the project, as CI runs it.
//!
//! 1. A project-local Python virtualenv (`.venv/`) with the pinned packages of
//!    `tests/python/requirements.txt` (moto, botocore), made or updated when needed.
//! 2. `moto_server` on a free loopback port, for the client suites (`MOTO_ENDPOINT`).
//! 3. `cargo test --workspace` (every cargo here with `--locked`), the transport's tests with
//!    its other TLS providers (classical *ring*, aws-lc), clippy on every crate and target with
//!    warnings denied (every feature but the alternative TLS providers, which replace the
//!    default rather than add to it, then the transport with each of them), then the
//!    generated crates' documentation with warnings denied, then each generated crate with
//!    no operation, each operation feature alone and all of them (`cargo xtask
//!    check-features`), then the aws-sdk-elasticache compatibility corpus against this project's crates (`cargo xtask
//!    compat`, in the workspace's target folder), then four services of the pinned botocore
//!    generated, built and endpoint-tested (`cargo xtask check-services --only
//!    elasticache,sts,importexport,sdb`), then the crates as published (`cargo xtask
//!    package --list`: offline, no build).
//!
//! moto is stopped whatever happens.

use crate::args::{repo_root, Args, Command as XtaskCommand};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const COMMAND: XtaskCommand = XtaskCommand {
    name: "test",
    usage: "\
usage: cargo xtask test

Every test of the project, as CI runs it: the pinned Python packages in .venv/, moto on
127.0.0.1, cargo test of the workspace, the transport with its other TLS providers, clippy
with warnings denied, the generated crates' docs, each operation feature alone
(check-features), the compatibility corpus, four services of
the pinned botocore, the packages as published.
",
    flags: &[],
    values: &[],
    positional: None,
};

pub fn run(_: &Args) -> Result<(), String> {
    let root = repo_root();
    let venv = ensure_venv(&root)?;
    let moto = Moto::start(&venv)?;
    eprintln!("==> moto_server listening at {}", moto.endpoint);
    let python = venv.join("bin/python");
    let python = python.to_string_lossy().into_owned();
    let features = workspace_features(&root)?;
    let steps: Vec<Step> = vec![
        ("workspace tests", vec!["test", "--workspace"], vec![("MOTO_ENDPOINT", moto.endpoint.as_str()), ("PROJECT_PYTHON", python.as_str())]),
        ("the transport with classical key exchange", vec!["test", "-p", "aws-query-transport", "--no-default-features", "--features", "tls-ring"], vec![]),
        ("the transport on aws-lc", vec!["test", "-p", "aws-query-transport", "--no-default-features", "--features", "tls-aws-lc"], vec![]),
        ("clippy, every crate and target", vec!["clippy", "--workspace", "--all-targets", "--features", &features, "--", "-D", "warnings"], vec![]),
        (
            "clippy, the transport with classical key exchange",
            vec!["clippy", "-p", "aws-query-transport", "--all-targets", "--no-default-features", "--features", "tls-ring", "--", "-D", "warnings"],
            vec![],
        ),
        (
            "clippy, the transport on aws-lc",
            vec!["clippy", "-p", "aws-query-transport", "--all-targets", "--no-default-features", "--features", "tls-aws-lc", "--", "-D", "warnings"],
            vec![],
        ),
        ("docs of the generated crates", vec!["doc", "-p", "elasticache", "-p", "aws-query-sts", "--no-deps"], vec![("RUSTDOCFLAGS", "-D warnings")]),
    ];
    for (what, args, env) in steps {
        eprintln!("==> {what}: cargo {} --locked", args.join(" "));
        let (subcommand, rest) = args.split_first().ok_or("error: no cargo subcommand")?;
        // `--locked`: the project's own build resolves nothing that is not committed either.
        // The project's own build, not a nested one: the caller's CI and compiler flags apply.
        let passed = ["CI", "RUSTFLAGS", "RUSTDOCFLAGS"].into_iter().filter_map(|k| Some((k, std::env::var(k).ok()?)));
        let status = xtask::nested::cargo(&root, subcommand)
            .args(rest)
            .envs(passed)
            .envs(env)
            .status()
            .map_err(|e| format!("error: cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("error: {what} failed"));
        }
    }
    drop(moto);
    eprintln!("==> every operation feature of the generated crates: cargo xtask check-features");
    crate::check_features::run(&Args::of(&crate::check_features::COMMAND, &[])?)?;
    eprintln!("==> the aws-sdk-elasticache compatibility corpus: cargo xtask compat");
    crate::compat::run(&Args::of(&crate::compat::COMMAND, &[])?)?;
    // The whole release is `cargo xtask check-services` (a scheduled workflow); here a subset
    // small enough for every run: ElastiCache, STS and the two smallest query services.
    let pinned = pinned_botocore(&root)?;
    eprintln!("==> query-family services of botocore {pinned}: cargo xtask check-services --only {CHECKED_SERVICES}");
    crate::check_services::run(&Args::of(&crate::check_services::COMMAND, &["--botocore", &pinned, "--only", CHECKED_SERVICES])?)?;
    eprintln!("==> packages as published: cargo xtask package --list");
    crate::package::run(&Args::of(&crate::package::COMMAND, &["--list"])?)?;
    eprintln!("==> all tests passed");
    Ok(())
}

/// Features that replace a default TLS provider (aws-query-transport's `tls-pq`, a generated
/// crate's `rustls`) rather than add to it: two providers in one build are a compile error, so
/// the workspace's clippy run takes every feature but these (a new alternative missing here
/// fails that run with the transport's "two TLS providers" error).
const ALTERNATIVE_TLS: [&str; 6] = ["tls-ring", "tls-aws-lc", "tls-aws-lc-fips", "rustls-ring", "rustls-aws-lc", "rustls-aws-lc-fips"];

/// Every feature of every workspace package (`package/feature`, comma-separated) but the
/// alternative TLS providers: what `--all-features` would be if providers were additive.
fn workspace_features(root: &Path) -> Result<String, String> {
    let out = xtask::nested::cargo(root, "metadata")
        .args(["--no-deps", "--format-version", "1"])
        .output()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!("error: cargo metadata failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("error: cargo metadata: {e}"))?;
    let mut features = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let name = package["name"].as_str().unwrap_or_default();
        for feature in package["features"].as_object().into_iter().flatten().map(|(f, _)| f) {
            if !ALTERNATIVE_TLS.contains(&feature.as_str()) && feature != "default" {
                features.push(format!("{name}/{feature}"));
            }
        }
    }
    Ok(features.join(","))
}

/// The services `cargo xtask test` generates and builds from botocore (`check-services`).
const CHECKED_SERVICES: &str = "elasticache,sts,importexport,sdb";

/// The botocore version `tests/python/requirements.txt` pins.
fn pinned_botocore(root: &Path) -> Result<String, String> {
    let path = root.join("tests/python/requirements.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("error: {}: {e}", path.display()))?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("botocore=="))
        .map(|v| v.trim().to_owned())
        .ok_or_else(|| format!("error: {} pins no botocore version (`botocore==X.Y.Z`)", path.display()))
}

/// One cargo run: what it checks, its arguments, its environment.
type Step<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, &'a str)>);

/// `.venv/` with the pinned requirements; reinstalled when the requirements file changes.
fn ensure_venv(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join(".venv");
    let requirements = root.join("tests/python/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).map_err(|e| format!("error: {}: {e}", requirements.display()))?;
    let stamp = venv.join("requirements.installed");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) && venv.join("bin/moto_server").exists() {
        return Ok(venv);
    }
    eprintln!("==> setting up {} (pinned Python packages for the test suites)", venv.display());
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    if !venv.join("bin/python").exists() {
        run_cmd(Command::new(&python).args(["-m", "venv"]).arg(&venv), "create the virtualenv")?;
    }
    let pip = venv.join("bin/pip");
    run_cmd(Command::new(&pip).args(["install", "--quiet", "--disable-pip-version-check", "-r"]).arg(&requirements), "install the test requirements")?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("error: {}: {e}", stamp.display()))?;
    Ok(venv)
}

fn run_cmd(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("error: cannot {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("error: could not {what} ({status})"))
    }
}

/// A running `moto_server`, stopped on drop.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Moto {
    fn start(venv: &Path) -> Result<Moto, String> {
        // Ask the OS for a free port, then hand it to moto.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("error: no free port: {e}"))?
            .port();
        let log_path = std::env::temp_dir().join(format!("moto-{port}.log"));
        let log = std::fs::File::create(&log_path).map_err(|e| format!("error: moto log {}: {e}", log_path.display()))?;
        let child = Command::new(venv.join("bin/moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| format!("error: cannot start moto_server: {e}"))?;
        let mut moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if answers(port) {
                return Ok(moto);
            }
            // A moto that exited (a bad install, the port taken) will never answer: say so now.
            match moto.child.try_wait() {
                Ok(Some(status)) => {
                    return Err(format!("error: moto_server exited ({status}) before answering; see {}", log_path.display()))
                }
                Ok(None) => {}
                Err(e) => return Err(format!("error: cannot check on moto_server: {e}; see {}", log_path.display())),
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(format!("error: moto_server did not answer on port {port} within 60 s; see {}", log_path.display()))
    }
}

/// moto answers plain HTTP on `port`.
fn answers(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    if s.write_all(b"GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.")
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

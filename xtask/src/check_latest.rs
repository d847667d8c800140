//! `cargo xtask check-latest [--write]`: the dependency watch. In a scratch copy of the
//! repository (`target/check-latest/repo/`), every committed lock file is resolved afresh
//! (`cargo update`: the newest release each manifest allows), and then, with warnings denied:
//!
//! 1. `cargo xtask test` there (every crate built, clippy on every target and feature, every
//!    suite, the compatibility corpus on this project's crates, four services generated and
//!    built, the packages);
//! 2. the compatibility corpus against aws-sdk-elasticache itself (`compat --control`);
//! 3. `cargo check --all-targets` of the benches, of each compile-bench app and of the fuzz
//!    targets.
//!
//! It prints what changed in each lock file, packages whose `rust-version` is above the
//! workspace's, deprecated items the build used, and each step that failed with its first
//! errors. With `--write`, and only when every step passed, the refreshed lock files are
//! copied into the repository and the report is put at the top of `CHANGELOG.md`.
//!
//! A maintenance command: upstream releases must not block a submission, so it is not part
//! of `cargo xtask test`; a scheduled workflow runs it (`.github/workflows/check-latest.yml`).

use crate::args::{repo_root, Args, Command};
use crate::changelog;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;
use xtask::nested::{self, Committed, Lock};

pub const COMMAND: Command = Command {
    name: "check-latest",
    usage: "\
usage: cargo xtask check-latest [--write]

The dependency watch: in a scratch copy (target/check-latest/repo/), every lock file resolved
afresh, then `cargo xtask test`, `compat --control`, the benches, the compile-bench apps and
the fuzz targets checked with warnings denied; prints what changed and what broke (versions,
deprecations, rust-version); the report is kept in target/check-latest/report.md.

  --write   when every step passed: the fresh lock files into the repository and the report
            at the top of CHANGELOG.md
",
    flags: &["write"],
    values: &[],
    positional: None,
};

pub fn run(args: &Args) -> Result<(), String> {
    let write = args.flag("write");
    let root = repo_root();
    let scratch = root.join("target/check-latest");
    let copy = scratch.join("repo");
    eprintln!("==> check-latest: copying the repository to {}", copy.display());
    if copy.exists() {
        std::fs::remove_dir_all(&copy).map_err(|e| format!("error: {}: {e}", copy.display()))?;
    }
    copy_repository(&root, &copy)?;

    let mut report = Report::default();
    for committed in Committed::all() {
        let before = Lock::read(&root.join(committed.path()))?;
        eprintln!("==> check-latest: cargo update in {}", committed.dir().display());
        let out = nested::cargo(&copy.join(committed.dir()), "update").arg("--quiet").output().map_err(|e| format!("error: cannot run cargo: {e}"))?;
        if !out.status.success() {
            report.failed.push((format!("cargo update in {}", committed.dir().display()), first_lines(&text(&out), 20)));
            continue;
        }
        let after = Lock::read(&copy.join(committed.path()))?;
        report.changes.push((committed.path(), after.changes_since(&before)));
    }
    report.msrv = above_msrv(&root, &copy)?;

    let target = scratch.join("target");
    let steps: Vec<(String, PathBuf, Vec<&str>)> = {
        let mut steps = vec![
            ("cargo xtask test".to_owned(), PathBuf::new(), vec!["xtask", "test"]),
            ("cargo xtask compat --control".to_owned(), PathBuf::new(), vec!["xtask", "compat", "--control"]),
            ("cargo check --all-targets (bench/)".to_owned(), PathBuf::from("bench"), vec!["check", "--all-targets"]),
            ("cargo check (fuzz/)".to_owned(), PathBuf::from("fuzz"), vec!["check"]),
        ];
        for app in nested::BENCH_APPS {
            steps.push((format!("cargo check (bench/compile/{app})"), Path::new("bench/compile").join(app), vec!["check"]));
        }
        steps
    };
    for (what, dir, args) in steps {
        eprintln!("==> check-latest: {what}");
        let (subcommand, rest) = args.split_first().ok_or("error: no cargo subcommand")?;
        // The scratch copy's own target folder (its versions differ from the checkout's);
        // `cargo xtask` there picks its own `target/` unless told.
        let mut cmd = nested::cargo(&copy.join(&dir), subcommand);
        cmd.args(rest).env("RUSTFLAGS", "-D warnings").env("RUSTDOCFLAGS", "-D warnings");
        if dir.as_os_str().is_empty() {
            cmd.env("CARGO_TARGET_DIR", &target);
        } else {
            cmd.env("CARGO_TARGET_DIR", target.join(dir.to_string_lossy().replace('/', "-")));
        }
        let out = cmd.output().map_err(|e| format!("error: cannot run cargo: {e}"))?;
        let all = text(&out);
        report.deprecated.extend(deprecations(&all));
        if !out.status.success() {
            report.failed.push((what, first_errors(&all)));
        }
    }
    report.deprecated.sort();
    report.deprecated.dedup();

    let rendered = report.render(&changelog::today()?);
    print!("{rendered}");
    std::fs::write(scratch.join("report.md"), &rendered).map_err(|e| format!("error: {}: {e}", scratch.display()))?;
    if !write {
        return if report.failed.is_empty() { Ok(()) } else { Err(format!("error: {} step(s) failed with the newest releases", report.failed.len())) };
    }
    if !report.failed.is_empty() {
        return Err(format!("error: {} step(s) failed: the lock files are not written", report.failed.len()));
    }
    for committed in Committed::all() {
        let (from, to) = (copy.join(committed.path()), root.join(committed.path()));
        std::fs::copy(&from, &to).map_err(|e| format!("error: {}: {e}", to.display()))?;
    }
    prepend_changelog(&root.join("CHANGELOG.md"), &rendered)?;
    eprintln!("==> the refreshed lock files are in the repository; the report is at the top of CHANGELOG.md");
    Ok(())
}

#[derive(Default)]
struct Report {
    /// Each lock file and what moved in it.
    changes: Vec<(PathBuf, Vec<String>)>,
    /// `name version (rust-version X)` above the workspace's.
    msrv: Vec<String>,
    /// Deprecation warnings the builds printed (first line of each).
    deprecated: Vec<String>,
    /// Steps that failed, with their first errors.
    failed: Vec<(String, String)>,
}

impl Report {
    fn render(&self, date: &str) -> String {
        let mut out = format!("## Dependencies: `cargo xtask check-latest` ({date})\n\n");
        for (path, changes) in &self.changes {
            if changes.is_empty() {
                let _ = writeln!(out, "- `{}`: no newer versions", path.display());
            } else {
                let _ = writeln!(out, "- `{}`: {}", path.display(), changes.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "));
            }
        }
        let _ = writeln!(
            out,
            "\nAbove the workspace's `rust-version`: {}\n\nDeprecated items used: {}\n",
            none_or(&self.msrv),
            none_or(&self.deprecated)
        );
        if self.failed.is_empty() {
            out.push_str("Every step passed (`cargo xtask test`, `compat --control`, the benches, the compile-bench apps and the fuzz targets, warnings denied).\n");
        } else {
            for (what, errors) in &self.failed {
                let _ = writeln!(out, "Failed: {what}\n\n```text\n{errors}\n```\n");
            }
        }
        out
    }
}

fn none_or(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
    }
}

/// The repository's files (no `target/`, `.git/` or tool folders), with `.venv/` linked rather
/// than copied so that the suites find the pinned Python packages.
fn copy_repository(root: &Path, to: &Path) -> Result<(), String> {
    fn copy(from: &Path, to: &Path, top: bool) -> Result<(), String> {
        std::fs::create_dir_all(to).map_err(|e| format!("error: {}: {e}", to.display()))?;
        for entry in std::fs::read_dir(from).map_err(|e| format!("error: {}: {e}", from.display()))?.flatten() {
            let name = entry.file_name();
            let skip = name == "target" || (top && [".git", ".venv", ".tools"].iter().any(|n| name == *n));
            if skip {
                continue;
            }
            let (src, dest) = (entry.path(), to.join(&name));
            if src.is_dir() {
                copy(&src, &dest, false)?;
            } else {
                std::fs::copy(&src, &dest).map_err(|e| format!("error: {}: {e}", src.display()))?;
            }
        }
        Ok(())
    }
    copy(root, to, true)?;
    let venv = root.join(".venv");
    if venv.is_dir() {
        symlink_dir(&venv, &to.join(".venv"))?;
    }
    Ok(())
}

#[cfg(unix)]
fn symlink_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::os::unix::fs::symlink(from, to).map_err(|e| format!("error: {}: {e}", to.display()))
}

#[cfg(not(unix))]
fn symlink_dir(_: &Path, _: &Path) -> Result<(), String> {
    // The suites then make a virtualenv of their own in the copy.
    Ok(())
}

/// Packages of the refreshed workspace whose `rust-version` is above the workspace's own.
fn above_msrv(root: &Path, copy: &Path) -> Result<Vec<String>, String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("error: Cargo.toml: {e}"))?;
    let ours = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("rust-version = \"")?.strip_suffix('"').map(str::to_owned))
        .ok_or("error: Cargo.toml has no rust-version")?;
    let out = nested::cargo(copy, "metadata").args(["--format-version", "1"]).output().map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!("error: cargo metadata failed:\n{}", text(&out)));
    }
    let metadata: Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("error: cargo metadata: {e}"))?;
    let mut above = Vec::new();
    for p in metadata["packages"].as_array().into_iter().flatten() {
        if let Some(wanted) = p["rust_version"].as_str() {
            if version_key(wanted) > version_key(&ours) {
                above.push(format!("{} {} (rust-version {wanted}; the workspace's is {ours})", p["name"].as_str().unwrap_or("?"), p["version"].as_str().unwrap_or("?")));
            }
        }
    }
    above.sort();
    Ok(above)
}

/// `1.86` / `1.86.1` as (major, minor, patch), for comparing (`1.88` is `1.88.0`).
fn version_key(v: &str) -> [u64; 3] {
    let mut parts = v.split('.').map(|n| n.parse().unwrap_or(0));
    [parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0)]
}

/// The first line of each deprecation warning or error (`use of deprecated ...`).
fn deprecations(output: &str) -> Vec<String> {
    output.lines().filter(|l| l.contains("use of deprecated")).map(|l| l.trim().to_owned()).collect()
}

/// What failed: the first failing test's panic message (a test run) or the first compiler
/// error (a build), with a little context; else the output's last lines.
fn first_errors(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    let panic = lines.iter().position(|l| l.contains("panicked at"));
    let error = lines.iter().position(|l| l.starts_with("error"));
    let from = |at: usize, n: usize| lines.iter().skip(at).take(n).copied().collect::<Vec<_>>().join("\n");
    match (panic, error) {
        (Some(p), _) => format!("{}\n...\n{}", from(p, 6), lines.iter().filter(|l| l.starts_with("error")).copied().collect::<Vec<_>>().join("\n")),
        (None, Some(e)) => from(e, 25),
        (None, None) => lines.iter().rev().take(25).rev().copied().collect::<Vec<_>>().join("\n"),
    }
}

fn first_lines(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join("\n")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Puts `entry` at the top of the project's change log.
fn prepend_changelog(path: &Path, entry: &str) -> Result<(), String> {
    let heading = "# Changelog\n\nNewest first: the project's releases and each refresh of the committed lock files \
                   (`cargo xtask check-latest --write`, with its report).\n\n";
    let old = std::fs::read_to_string(path).ok();
    std::fs::write(path, changelog::prepend(old.as_deref(), entry, heading)).map_err(|e| format!("error: {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(version_key("1.88") > version_key("1.86"));
        assert!(version_key("1.86.1") > version_key("1.86"));
        assert!(version_key("1.9") < version_key("1.86"));
        assert_eq!(version_key("1.88.0"), version_key("1.88"));
    }
}

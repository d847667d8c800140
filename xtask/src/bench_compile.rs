//! `cargo xtask bench-compile`: what the generated crate costs an application, next to
//! aws-sdk-elasticache. Tiny apps that call DescribeCacheParameters are built one after the
//! other, each in a fresh target folder:
//!
//! - `bench/compile/ours`: this project's `elasticache`, region and credentials from its own
//!   default chain (`Config::from_env`);
//! - `bench/compile/ours-one-op`: the same app with the crate's default runtime and the one
//!   operation it calls (`default-features = false`, features `default-runtime` and
//!   `describe-cache-parameters`);
//! - `bench/compile/ours-ten-ops`: a ten-operation app (clusters, replication groups,
//!   parameters, snapshots, tags), the crate with those ten operations;
//! - with `--baseline REV`, the same app as it was at git revision `REV` (say, the commit
//!   before a change), built from `git archive REV`: what the change costs;
//! - `bench/compile/ours-config-crate`: the first app written the aws-config way
//!   (`aws_config::load_defaults`, `Client::new(&config)`), with aws-query-config and
//!   `elasticache` under the names `aws-config` and `aws-sdk-elasticache` in Cargo.toml;
//! - `bench/compile/ours-smithy-types`: the first app plus aws-smithy-types, what depending
//!   on it for `DateTime` instead of the runtime's own type would add;
//! - `bench/compile/ours-aws-config`: `elasticache` with aws-config for region and
//!   credentials (feature `aws-credential-types`), the way to run on EC2/ECS/EKS/SSO before
//!   the crate had the whole chain;
//! - `bench/compile/sdk`: aws-sdk-elasticache + aws-config + tokio.
//!
//! For each:
//!
//! - a clean debug build (wall time, crates compiled), and its floor: the compiler time of all
//!   its crates (`cargo build --timings`) divided by the cores (`available_parallelism`), the
//!   time no schedule can beat;
//!   the project's other crates (runtime, transport, STS, credentials) are built as cargo
//!   builds crates from a registry, without incremental compilation: that is how an
//!   application gets them, as it gets aws-config and the aws-smithy crates, which the
//!   aws-sdk app takes from the registry; only the service crate (and the app) are
//!   incremental in both;
//! - a rebuild after the service crate alone changed: its `src/lib.rs` touched, then a
//!   build. aws-sdk-elasticache is copied out of the registry and patched in by path, so
//!   that every service crate is a path crate built the same way (a registry crate cannot
//!   be touched);
//! - a clean release build (wall time), and the stripped release binary's size.
//!
//! Each app resolves from its committed `Cargo.lock` and the project's (`xtask::nested`; the
//! baseline app from the lock files of its revision, or this checkout's when that revision
//! has none), so both sides build the versions the repository records. Dependencies are fetched first and not timed. Clean debug builds run `--runs N` times
//! (default 3) and touch rebuilds five times; the table shows medians, the log every run.
//! The release build runs once. Run it on a quiet machine.

use crate::args::{repo_root, Args, Command as XtaskCommand};
use std::path::{Path, PathBuf};
use std::process::Command;
use xtask::nested::{self, Committed, Lock};
use std::time::{Duration, Instant};

struct App {
    name: &'static str,
    dir: &'static str,
    /// The service crate whose rebuild is measured.
    service_crate: &'static str,
    source: Source,
    /// The app depends on aws-config (left out by `--ours-only`).
    aws_config: bool,
    /// The app's package, and so its binary.
    binary: &'static str,
}

/// Where an app and its service crate come from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// This checkout.
    Tree,
    /// This checkout's app, the service crate from the registry (copied out to be touched).
    Registry,
    /// The app and the project as they were at the `--baseline` revision.
    Baseline,
}

const APPS: [App; 8] = [
    App {
        name: "elasticache (generated), default chain",
        dir: "bench/compile/ours",
        service_crate: "elasticache",
        source: Source::Tree,
        aws_config: false,
        binary: "app-ours",
    },
    App {
        name: "the same app, the crate with its one operation (`default-runtime`, `describe-cache-parameters`)",
        dir: "bench/compile/ours-one-op",
        service_crate: "elasticache",
        source: Source::Tree,
        aws_config: false,
        binary: "app-ours-one-op",
    },
    App {
        name: "a ten-operation app, the crate with those ten",
        dir: "bench/compile/ours-ten-ops",
        service_crate: "elasticache",
        source: Source::Tree,
        aws_config: false,
        binary: "app-ours-ten-ops",
    },
    App {
        name: "elasticache at the baseline revision",
        dir: "bench/compile/ours",
        service_crate: "elasticache",
        source: Source::Baseline,
        aws_config: false,
        binary: "app-ours",
    },
    App {
        name: "elasticache (generated) + aws-smithy-types (the DateTime alternative)",
        dir: "bench/compile/ours-smithy-types",
        service_crate: "elasticache",
        source: Source::Tree,
        aws_config: false,
        binary: "app-ours-smithy-types",
    },
    App {
        name: "the first app written the aws-config way, aws-query-config + elasticache renamed in Cargo.toml",
        dir: "bench/compile/ours-config-crate",
        service_crate: "elasticache",
        source: Source::Tree,
        aws_config: false,
        binary: "app-ours-config-crate",
    },
    App {
        name: "elasticache (generated) + aws-config for credentials",
        dir: "bench/compile/ours-aws-config",
        service_crate: "elasticache",
        source: Source::Tree,
        aws_config: true,
        binary: "app-ours-aws-config",
    },
    App {
        name: "aws-sdk-elasticache + aws-config",
        dir: "bench/compile/sdk",
        service_crate: "aws-sdk-elasticache",
        source: Source::Registry,
        aws_config: true,
        binary: "app-sdk",
    },
];

/// Touch-and-rebuild rounds per app (cheap, and the noisiest figure).
const REBUILD_RUNS: usize = 5;

#[derive(Default)]
struct Measures {
    debug: Duration,
    /// The compiler time of the clean debug build's crates over the cores (median of runs).
    floor: Duration,
    crates: usize,
    rebuild: Duration,
    release: Duration,
    size: u64,
}

pub const COMMAND: XtaskCommand = XtaskCommand {
    name: "bench-compile",
    usage: "\
usage: cargo xtask bench-compile [--ours-only] [--only APP,...] [--runs N] [--baseline REV]

Builds a tiny app on the generated crate (default chain; with aws-config for credentials) and
the same app on aws-sdk-elasticache, each from scratch: times, crates, binary size. Run it on
a quiet machine.

  --ours-only      leave out the apps with aws-config
  --only a,b       these apps only (folders of bench/compile: ours, ours-one-op, ours-ten-ops,
                   ours-config-crate, ours-aws-config, ours-smithy-types, sdk)
  --runs N         clean debug builds per app, the median reported (default 3)
  --baseline REV   also the app as it was at git revision REV
",
    flags: &["ours-only"],
    values: &["runs", "baseline", "only"],
    positional: None,
};

pub fn run(args: &Args) -> Result<(), String> {
    let only_ours = args.flag("ours-only");
    let runs = match args.value("runs")? {
        Some(n) => n.parse().ok().filter(|n| *n > 0).ok_or("error: --runs needs a number above 0")?,
        None => 3,
    };
    let baseline = args.value("baseline")?;
    let root = repo_root();
    let scratch = root.join("target/bench-compile");
    let mut results = Vec::new();
    let only: Option<Vec<String>> = args.value("only")?.map(|s| s.split(',').map(str::to_owned).collect());
    if let Some(unknown) = only.iter().flatten().find(|o| !APPS.iter().any(|a| a.folder() == o.as_str())) {
        return Err(format!("error: --only {unknown}: no such app under bench/compile"));
    }
    let wanted = |a: &&App| {
        !(only_ours && a.aws_config)
            && (a.source != Source::Baseline || baseline.is_some())
            && only.as_ref().is_none_or(|o| o.iter().any(|f| f == a.folder()))
    };
    for app in APPS.iter().filter(wanted) {
        let work = scratch.join(format!("{}{}", app.binary, if app.source == Source::Baseline { "-baseline" } else { "" }));
        let _ = std::fs::remove_dir_all(&work);
        // The project the app is built from: this checkout, or the baseline revision's files.
        let project = match (&baseline, app.source) {
            (Some(rev), Source::Baseline) => extract_revision(&root, rev, &work.join("project"))?,
            _ => root.clone(),
        };
        let dir = project.join(app.dir);
        // Each app from the lock files of the revision it is built at (this checkout's, or the
        // baseline's when that revision has them; an older one, from this checkout's).
        let seeds = Committed::BenchApp(app.folder()).seeds();
        let from = if nested::seed_paths(&project, &seeds).iter().all(|p| p.is_file()) { &project } else { &root };
        nested::lock(&dir, &nested::seed_paths(from, &seeds))?;
        eprintln!("==> {}: fetching dependencies (not timed)", app.name);
        cargo(&dir, None, &["fetch"])?;
        let (dir, service_src, config) = if app.source == Source::Registry {
            let src = vendor(&dir, app.service_crate, &work.join("vendor"))?;
            let patch = format!("patch.crates-io.{}.path={:?}", app.service_crate, src.display().to_string());
            let config = vec!["--config".to_owned(), patch];
            // The patch moves the service crate from the registry to a path, which the lock
            // file records: a copy of the app takes that change (same versions), so that every
            // timed build stays `--locked` and the committed lock is left as it is.
            let copy = work.join("app");
            copy_tree(&dir, &copy).map_err(|e| format!("error: copying {}: {e}", dir.display()))?;
            let args: Vec<&str> = ["update", "--offline", "-p", app.service_crate].into_iter().chain(config.iter().map(String::as_str)).collect();
            cargo(&copy, None, &args)?;
            (copy, src, config)
        } else {
            let config = registry_like(&dir, app.binary, app.service_crate)?;
            (dir.clone(), project.join("generated").join(app.service_crate), config)
        };
        let m = measure(app, &dir, &work, &service_src, &config, runs)?;
        eprintln!(
            "    median debug {:.1} s ({} crates), median rebuild {:.1} s, release {:.1} s, binary {}",
            m.debug.as_secs_f64(),
            m.crates,
            m.rebuild.as_secs_f64(),
            m.release.as_secs_f64(),
            mib(m.size)
        );
        results.push((app, m));
    }
    print_table(&results);
    Ok(())
}

fn measure(app: &App, dir: &Path, work: &Path, service_src: &Path, config: &[String], runs: usize) -> Result<Measures, String> {
    let debug_target = work.join("debug-build");
    let release_target = work.join("release-build");
    let mut m = Measures::default();
    let with = |args: &[&str]| -> Vec<String> { args.iter().map(|a| a.to_string()).chain(config.iter().cloned()).collect() };

    let mut debug = Vec::new();
    let mut floors = Vec::new();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    for run in 1..=runs {
        eprintln!("==> {}: clean debug build ({run} of {runs})", app.name);
        let _ = std::fs::remove_dir_all(&debug_target);
        let (took, out) = timed(|| cargo(dir, Some(&debug_target), &with(&["build", "--timings"])))?;
        m.crates = out.lines().filter(|l| l.trim_start().starts_with("Compiling ")).count();
        debug.push(took);
        let report = debug_target.join("cargo-timings/cargo-timing.html");
        let text = std::fs::read_to_string(&report).map_err(|e| format!("error: {}: {e}", report.display()))?;
        floors.push(Duration::from_secs_f64(compiler_seconds(&text)? / cores));
    }
    eprintln!("    clean debug builds: {}; floors (compiler time / {cores} cores): {}", list(&debug), list(&floors));
    m.debug = median(debug);
    m.floor = median(floors);

    eprintln!("==> {}: rebuild after touching `{}` ({REBUILD_RUNS} times)", app.name, app.service_crate);
    let mut rebuilds = Vec::new();
    for _ in 0..REBUILD_RUNS {
        touch(&service_src.join("src/lib.rs"))?;
        rebuilds.push(timed(|| cargo(dir, Some(&debug_target), &with(&["build"])))?.0);
    }
    eprintln!("    rebuilds: {}", list(&rebuilds));
    m.rebuild = median(rebuilds);

    eprintln!("==> {}: clean release build", app.name);
    m.release = timed(|| cargo(dir, Some(&release_target), &with(&["build", "--release"])))?.0;
    let binary = release_target.join("release").join(app.binary);
    m.size = std::fs::metadata(&binary).map_err(|e| format!("error: {}: {e}", binary.display()))?.len();
    Ok(m)
}

/// The compiler time of every unit of a build, in seconds, from cargo's `--timings` report:
/// the sum of the `duration` of each entry of its `UNIT_DATA` list.
fn compiler_seconds(report: &str) -> Result<f64, String> {
    let start = report.find("const UNIT_DATA = ").ok_or("error: the --timings report has no UNIT_DATA")? + "const UNIT_DATA = ".len();
    let rest = &report[start..];
    let end = rest.find(";\n").ok_or("error: the --timings report's UNIT_DATA does not end")?;
    let units: serde_json::Value = serde_json::from_str(&rest[..end]).map_err(|e| format!("error: the --timings report's UNIT_DATA: {e}"))?;
    let units = units.as_array().ok_or("error: the --timings report's UNIT_DATA is not a list")?;
    units.iter().map(|u| u["duration"].as_f64().ok_or_else(|| format!("error: a unit of the --timings report has no duration: {u}"))).sum()
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn list(runs: &[Duration]) -> String {
    runs.iter().map(|d| format!("{:.1} s", d.as_secs_f64())).collect::<Vec<_>>().join(", ")
}

fn timed<T>(f: impl FnOnce() -> Result<T, String>) -> Result<(Duration, T), String> {
    let start = Instant::now();
    let value = f()?;
    Ok((start.elapsed(), value))
}

/// Sets a file's modification time to now, as an editor saving it would.
fn touch(file: &Path) -> Result<(), String> {
    let f = std::fs::File::options().write(true).open(file).map_err(|e| format!("error: {}: {e}", file.display()))?;
    f.set_modified(std::time::SystemTime::now()).map_err(|e| format!("error: {}: {e}", file.display()))
}

/// The files of the repository at revision `rev` (`git archive`), under `into`.
fn extract_revision(root: &Path, rev: &str, into: &Path) -> Result<PathBuf, String> {
    use std::process::Stdio;
    std::fs::create_dir_all(into).map_err(|e| format!("error: {}: {e}", into.display()))?;
    let mut archive = Command::new("git")
        .current_dir(root)
        .args(["archive", "--format=tar", rev])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("error: cannot run git: {e}"))?;
    let stdout = archive.stdout.take().ok_or("error: no output from git archive")?;
    let untar = Command::new("tar").arg("-x").arg("-C").arg(into).stdin(stdout).status();
    let archived = archive.wait().map_err(|e| format!("error: git archive: {e}"))?;
    let untarred = untar.map_err(|e| format!("error: cannot run tar: {e}"))?;
    if !archived.success() || !untarred.success() {
        return Err(format!("error: could not extract revision `{rev}` (git archive {archived}, tar {untarred})"));
    }
    Ok(into.to_owned())
}

/// `--config` arguments that build the app's path dependencies other than the service
/// crate as registry crates are built (no incremental compilation). The path packages are
/// those of the app's `Cargo.lock` without a `source`; the app itself is one of them.
fn registry_like(app_dir: &Path, app: &str, service_crate: &str) -> Result<Vec<String>, String> {
    Ok(registry_like_args(&Lock::read(&app_dir.join("Cargo.lock"))?, app, service_crate))
}

fn registry_like_args(lock: &Lock, app: &str, service_crate: &str) -> Vec<String> {
    let path_packages = lock.packages().filter(|p| p.source.is_none() && p.name != app && p.name != service_crate);
    path_packages.flat_map(|p| ["--config".to_owned(), format!("profile.dev.package.{}.incremental=false", p.name)]).collect()
}

/// Copies `name`'s source, at the version the app's `Cargo.lock` pins, out of cargo's
/// registry cache into `into`; returns the copy's folder.
fn vendor(app_dir: &Path, name: &str, into: &Path) -> Result<PathBuf, String> {
    let lock = Lock::read(&app_dir.join("Cargo.lock"))?;
    let version = lock
        .versions(name)
        .first()
        .map(|v| v.to_string())
        .ok_or_else(|| format!("error: {name} is not in {}/Cargo.lock", app_dir.display()))?;
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .ok_or("error: neither CARGO_HOME nor HOME is set")?;
    let wanted = format!("{name}-{version}");
    let registry = home.join("registry/src");
    let src = std::fs::read_dir(&registry)
        .map_err(|e| format!("error: {}: {e}", registry.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join(&wanted))
        .find(|p| p.is_dir())
        .ok_or_else(|| format!("error: {wanted} is not under {}", registry.display()))?;
    let dest = into.join(&wanted);
    copy_tree(&src, &dest).map_err(|e| format!("error: copying {}: {e}", src.display()))?;
    Ok(dest)
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Runs cargo in `dir` (with `target` as its target folder), `--locked` and with none of the
/// outer cargo's or the user's build settings (a fresh machine's build); returns its stderr.
fn cargo(dir: &Path, target: Option<&PathBuf>, args: &[impl AsRef<str>]) -> Result<String, String> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    let (subcommand, rest) = args.split_first().ok_or("error: no cargo subcommand")?;
    let mut cmd = nested::pristine_cargo(dir, subcommand);
    cmd.args(rest);
    if let Some(t) = target {
        cmd.env("CARGO_TARGET_DIR", t);
    }
    let out = cmd.output().map_err(|e| format!("error: cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        return Err(format!("error: `cargo {}` failed in {}:\n{stderr}", args.join(" "), dir.display()));
    }
    Ok(stderr)
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn print_table(results: &[(&App, Measures)]) {
    println!();
    println!("| app | clean debug build (median) | its floor: compiler time / cores | crates compiled | rebuild after touching the service crate (median) | clean release build | stripped release binary |");
    println!("|---|---|---|---|---|---|---|");
    for (app, m) in results {
        println!(
            "| {} | {:.1} s | {:.1} s | {} | {:.1} s | {:.1} s | {} |",
            app.name,
            m.debug.as_secs_f64(),
            m.floor.as_secs_f64(),
            m.crates,
            m.rebuild.as_secs_f64(),
            m.release.as_secs_f64(),
            mib(m.size)
        );
    }
    // Each app against aws-sdk-elasticache + aws-config when it was built, else against the
    // first app (the default chain).
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    let reference = results.iter().find(|(a, _)| a.source == Source::Registry).or(results.first());
    let Some((base_app, base)) = reference else { return };
    for (app, m) in results.iter().filter(|(a, _)| a.binary != base_app.binary || a.source != base_app.source) {
        println!(
            "| `{}` / `{}` | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            app.binary_label(),
            base_app.binary_label(),
            ratio(m.debug.as_secs_f64(), base.debug.as_secs_f64()),
            ratio(m.floor.as_secs_f64(), base.debug.as_secs_f64()),
            ratio(m.crates as f64, base.crates as f64),
            ratio(m.rebuild.as_secs_f64(), base.rebuild.as_secs_f64()),
            ratio(m.release.as_secs_f64(), base.release.as_secs_f64()),
            ratio(m.size as f64, base.size as f64),
        );
    }
}

impl App {
    /// The app's folder under `bench/compile`.
    fn folder(&self) -> &'static str {
        self.dir.rsplit('/').next().unwrap_or(self.dir)
    }

    /// A short name for the ratio rows.
    fn binary_label(&self) -> String {
        match self.source {
            Source::Baseline => format!("{} (baseline)", self.binary),
            _ => self.binary.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An app's lock as cargo writes it (abridged): the app, the service crate, a support
    /// crate, a registry crate.
    const LOCK: &str = r#"version = 4

[[package]]
name = "app-ours"
version = "0.0.0"
dependencies = [
 "elasticache",
 "tokio",
]

[[package]]
name = "aws-query-runtime"
version = "0.1.0"
dependencies = [
 "tokio",
]

[[package]]
name = "elasticache"
version = "0.1.1"
dependencies = [
 "aws-query-runtime",
]

[[package]]
name = "tokio"
version = "1.54.1"
source = "registry+https://example.invalid/index"
checksum = "0000"
"#;

    /// The compiler time of a `--timings` report is the sum of its units' durations.
    #[test]
    fn compiler_time_is_read_from_the_timings_report() {
        let report = "<script>\nconst UNIT_DATA = [{\"i\":0,\"name\":\"a\",\"duration\":1.25,\"rmeta_time\":0.5},\
            {\"i\":1,\"name\":\"b\",\"duration\":2.5}];\nconst CONCURRENCY_DATA = [];\n</script>";
        assert_eq!(compiler_seconds(report).unwrap(), 3.75);
        assert!(compiler_seconds("<html></html>").is_err());
        let no_duration = "const UNIT_DATA = [{\"i\":0}];\n";
        assert!(compiler_seconds(no_duration).unwrap_err().contains("no duration"));
    }

    /// The support crates, and only they, are built as registry crates: path packages but
    /// the app and the service crate.
    #[test]
    fn the_support_crates_are_built_as_registry_crates() {
        let lock = Lock::parse(LOCK).unwrap();
        let read: Vec<_> = lock.packages().map(|p| (p.name.as_str(), p.version.as_str(), p.is_registry())).collect();
        assert_eq!(
            read,
            [("app-ours", "0.0.0", false), ("aws-query-runtime", "0.1.0", false), ("elasticache", "0.1.1", false), ("tokio", "1.54.1", true)]
        );
        let args = registry_like_args(&lock, "app-ours", "elasticache");
        assert_eq!(args, ["--config", "profile.dev.package.aws-query-runtime.incremental=false"]);
    }
}

//! `cargo xtask bench-compile`: what the generated crate costs an application, next to
//! aws-sdk-elasticache. Two tiny apps that call DescribeCacheParameters (`bench/compile/ours`
//! on this project's `elasticache`, `bench/compile/sdk` on aws-sdk-elasticache + aws-config +
//! tokio) are built one after the other, each in a fresh target folder:
//!
//! - a clean debug build (wall time, crates compiled);
//! - a rebuild after the service crate alone changed: its `src/lib.rs` touched, then a
//!   build. aws-sdk-elasticache is copied out of the registry and patched in by path for
//!   both apps' builds, so that both service crates are path crates built the same way
//!   (a registry crate cannot be touched);
//! - a clean release build (wall time), and the stripped release binary's size.
//!
//! Dependencies are fetched first and not timed. Clean debug builds run `--runs N` times
//! (default 3) and touch rebuilds five times; the table shows medians, the log every run.
//! The release build runs once. Run it on a quiet machine.

use crate::repo_root;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct App {
    name: &'static str,
    dir: &'static str,
    /// The service crate whose rebuild is measured.
    service_crate: &'static str,
    /// Whether the service crate comes from the registry (and is copied out to be touched).
    from_registry: bool,
    binary: &'static str,
}

const APPS: [App; 2] = [
    App {
        name: "elasticache (generated)",
        dir: "bench/compile/ours",
        service_crate: "elasticache",
        from_registry: false,
        binary: "app-ours",
    },
    App {
        name: "aws-sdk-elasticache",
        dir: "bench/compile/sdk",
        service_crate: "aws-sdk-elasticache",
        from_registry: true,
        binary: "app-sdk",
    },
];

/// Touch-and-rebuild rounds per app (cheap, and the noisiest figure).
const REBUILD_RUNS: usize = 5;

#[derive(Default)]
struct Measures {
    debug: Duration,
    crates: usize,
    rebuild: Duration,
    release: Duration,
    size: u64,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut only_ours = false;
    let mut runs = 3;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--ours-only" => only_ours = true,
            "--runs" => {
                runs = args.next().and_then(|n| n.parse().ok()).filter(|n| *n > 0).ok_or("error: --runs needs a number above 0")?;
            }
            other => return Err(format!("error: unexpected argument `{other}` (bench-compile [--ours-only] [--runs N])")),
        }
    }
    let root = repo_root();
    let scratch = root.join("target/bench-compile");
    let mut results = Vec::new();
    for app in APPS.iter().filter(|a| !only_ours || !a.from_registry) {
        let dir = root.join(app.dir);
        eprintln!("==> {}: fetching dependencies (not timed)", app.name);
        cargo(&dir, None, &["fetch"])?;
        let work = scratch.join(app.binary);
        let _ = std::fs::remove_dir_all(&work);
        let (service_src, config) = if app.from_registry {
            let src = vendor(&dir, app.service_crate, &work.join("vendor"))?;
            let patch = format!("patch.crates-io.{}.path={:?}", app.service_crate, src.display().to_string());
            (src, vec!["--config".to_owned(), patch])
        } else {
            (root.join("generated").join(app.service_crate), Vec::new())
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
    for run in 1..=runs {
        eprintln!("==> {}: clean debug build ({run} of {runs})", app.name);
        let _ = std::fs::remove_dir_all(&debug_target);
        let (took, out) = timed(|| cargo(dir, Some(&debug_target), &with(&["build"])))?;
        m.crates = out.lines().filter(|l| l.trim_start().starts_with("Compiling ")).count();
        debug.push(took);
    }
    eprintln!("    clean debug builds: {}", list(&debug));
    m.debug = median(debug);

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

/// Copies `name`'s source, at the version the app's `Cargo.lock` pins, out of cargo's
/// registry cache into `into`; returns the copy's folder.
fn vendor(app_dir: &Path, name: &str, into: &Path) -> Result<PathBuf, String> {
    let lock = std::fs::read_to_string(app_dir.join("Cargo.lock")).map_err(|e| format!("error: {}/Cargo.lock: {e}", app_dir.display()))?;
    let version = lock
        .split("[[package]]")
        .find(|p| p.contains(&format!("name = \"{name}\"\n")))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"')))
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

/// Runs cargo in `dir` (with `target` as its target folder); returns its stderr.
fn cargo(dir: &Path, target: Option<&PathBuf>, args: &[impl AsRef<str>]) -> Result<String, String> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(dir).args(&args);
    // The outer cargo's settings must not leak into the measured builds.
    for (k, _) in std::env::vars() {
        if k.starts_with("CARGO_") && k != "CARGO_HOME" || k == "RUSTFLAGS" {
            cmd.env_remove(&k);
        }
    }
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
    println!("| app | clean debug build (median) | crates compiled | rebuild after touching the service crate (median) | clean release build | stripped release binary |");
    println!("|---|---|---|---|---|---|");
    for (app, m) in results {
        println!(
            "| {} | {:.1} s | {} | {:.1} s | {:.1} s | {} |",
            app.name,
            m.debug.as_secs_f64(),
            m.crates,
            m.rebuild.as_secs_f64(),
            m.release.as_secs_f64(),
            mib(m.size)
        );
    }
    if let [(_, ours), (_, sdk)] = results {
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        println!(
            "| ours / sdk | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            ratio(ours.debug.as_secs_f64(), sdk.debug.as_secs_f64()),
            ratio(ours.crates as f64, sdk.crates as f64),
            ratio(ours.rebuild.as_secs_f64(), sdk.rebuild.as_secs_f64()),
            ratio(ours.release.as_secs_f64(), sdk.release.as_secs_f64()),
            ratio(ours.size as f64, sdk.size as f64),
        );
    }
}

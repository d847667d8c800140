//! `cargo xtask update-model --verify`: the model diff's verdict checked against
//! cargo-semver-checks, which compares the public APIs of the previous and the new
//! generated crate as rustdoc sees them.
//!
//! Both crates are generated standalone (same settings as the project's crate, no build
//! script) under the update's staging folder and compared with every feature on, as a patch
//! release, so that cargo-semver-checks reports everything it would require a minor or
//! major release for. The two verdicts agree when cargo-semver-checks requires a major
//! release exactly when the model diff finds a breaking change the compiler can see, and
//! a minor one only where the model diff says at least additive. The model diff also calls
//! breaking what only validation sees (a request member that becomes required): those are
//! shown, not compared; so are cargo-semver-checks' warn-level lints.

use crate::update_plan::Update;
use codegen::diff::Impact;
use codegen::{RuntimeDep, Sources};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The cargo-semver-checks release the project uses, installed into `.tools/` on first use.
const VERSION: &str = "0.51.0";

/// Compares the update's previous and new crate; fails when the verdicts disagree.
pub fn verify(root: &Path, stage: &Path, update: &Update) -> Result<(), String> {
    let tool = install(root)?;
    let dir = stage.join("verify").join(&update.service);
    let (old, new) = (dir.join("old"), dir.join("new"));
    standalone(root, update, &update.old, &old)?;
    standalone(root, update, &update.new, &new)?;
    eprintln!("==> {}: cargo-semver-checks {} -> {} (builds both crates' rustdoc)", update.service, update.previous, update.next);
    let out = Command::new(&tool)
        .args(["semver-checks", "check-release", "--all-features", "--release-type", "patch", "--manifest-path"])
        .arg(new.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(&old)
        .env("CARGO_TARGET_DIR", root.join("target/semver-checks"))
        .output()
        .map_err(|e| format!("error: cannot run {}: {e}", tool.display()))?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // The whole report (with each failure's items and source lines), kept for review.
    let log = root.join("target/semver-checks").join(format!("{}-{}.log", update.service, update.next));
    std::fs::create_dir_all(root.join("target/semver-checks")).map_err(|e| format!("error: {}: {e}", log.display()))?;
    std::fs::write(&log, &text).map_err(|e| format!("error: {}: {e}", log.display()))?;
    let Some(summary) = text.lines().map(str::trim).find(|l| l.starts_with("Summary")) else {
        return Err(format!("error: cargo-semver-checks did not finish ({}):\n{text}", out.status));
    };
    let lints = |kind: &str| -> Vec<String> {
        let prefix = format!("--- {kind} ");
        text.lines().filter_map(|l| l.strip_prefix(prefix.as_str())).map(|l| l.trim_end_matches(" ---").to_owned()).collect()
    };
    let (failures, warnings) = (lints("failure"), lints("warning"));
    let tool_major = summary.contains("requires new major version");
    let tool_minor = summary.contains("requires new minor version");
    let (visible, validation): (Vec<_>, Vec<_>) = update
        .report
        .compatibility
        .iter()
        .filter(|c| c.impact == Impact::Breaking)
        .partition(|c| !validation_only(&c.message));
    for checked in text.lines().map(str::trim).filter(|l| l.starts_with("Checked")) {
        eprintln!("  cargo-semver-checks: {checked}");
    }
    eprintln!("  cargo-semver-checks: {summary}");
    for f in &failures {
        eprintln!("    {f}");
    }
    // Warn-level lints are advice, not requirements (cargo-semver-checks does not fail on
    // them), so they are shown, not compared. The one generated crates meet: a new enum
    // value moves `Unknown`, the last variant, in the derived `PartialOrd` order.
    for w in &warnings {
        eprintln!("    warning (not compared): {w}");
    }
    let verdict = update.report.verdict;
    eprintln!(
        "  model diff: {} ({} breaking changes the compiler sees, {} only validation sees)",
        verdict.map_or("no changes", |v| v.as_str()),
        visible.len(),
        validation.len()
    );
    for c in &validation {
        eprintln!("    validation only: {}: {}", c.subject, c.message);
    }
    // Agreement: a major release exactly when the model diff has a breaking change the
    // compiler sees; a minor one (deprecations, say) only where the model diff says at least
    // additive.
    let model_breaking = !visible.is_empty();
    let minor_missed = tool_minor && verdict < Some(Impact::Additive);
    if tool_major != model_breaking || minor_missed {
        return Err(format!(
            "error: {}: cargo-semver-checks and the model diff disagree (see above); the model diff's rules \
             (codegen/src/diff/) miss or overstate a change. Nothing was changed. Its report: {}",
            update.service,
            log.display()
        ));
    }
    let agreed = if tool_major { "breaking" } else if tool_minor { "additive" } else { "no breaking change" };
    eprintln!("  agree: {agreed} (cargo-semver-checks' report: {})", log.display());
    Ok(())
}

/// Breaking changes that leave the API as it was and only change what validation accepts.
fn validation_only(message: &str) -> bool {
    message.starts_with("new required member") || message.ends_with("is now required")
}

/// The crate of `sources` with the project's settings, standalone, at `dir`. Both sides get
/// the same version, so that only the APIs differ.
fn standalone(root: &Path, update: &Update, sources: &Sources, dir: &Path) -> Result<(), String> {
    let mut settings = update.project.settings.clone();
    settings.version = "1.0.0".to_owned();
    settings.sync = None;
    settings.standalone = true;
    settings.runtime = RuntimeDep::Path(root.join("runtime").to_string_lossy().into_owned());
    let generated = codegen::generate(sources, &settings).map_err(|e| e.to_string())?;
    codegen::write::write_files(dir, &generated.files).map_err(|e| format!("error: {}: {e}", dir.display()))?;
    // The project's versions (cargo-semver-checks runs its own cargo, without `--locked`, but
    // finds this lock file complete).
    xtask::nested::lock(dir, &xtask::nested::seed_paths(root, &[xtask::nested::Committed::Root]))
}

/// `.tools/bin/cargo-semver-checks`, installed with `cargo install --locked` when missing.
fn install(root: &Path) -> Result<PathBuf, String> {
    let tools = root.join(".tools");
    let tool = tools.join("bin").join(format!("cargo-semver-checks{}", std::env::consts::EXE_SUFFIX));
    let installed = Command::new(&tool).arg("--version").output().ok().filter(|o| o.status.success());
    if installed.is_some_and(|o| String::from_utf8_lossy(&o.stdout).contains(VERSION)) {
        return Ok(tool);
    }
    eprintln!("==> installing cargo-semver-checks {VERSION} into {} (once; a long build)", tools.display());
    let status = xtask::nested::cargo(root, "install")
        .args(["--quiet", &format!("cargo-semver-checks@{VERSION}"), "--root"])
        .arg(&tools)
        .status()
        .map_err(|e| format!("error: cannot run cargo install: {e}"))?;
    if !status.success() {
        return Err(format!("error: cargo install cargo-semver-checks failed ({status})"));
    }
    Ok(tool)
}

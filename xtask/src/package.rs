//! `cargo xtask package`: the crates as they are published — the hand-written ones (runtime,
//! transport, credentials, config, the support-crate shims, mocks) and every generated
//! crate — in a workspace of their own (`target/publish/`, laid out as the repository),
//! packaged by cargo.
//!
//! A generated crate in the project's workspace keeps itself in sync with its model through
//! its build script and an optional build dependency on the generator (feature
//! `regenerate`); neither belongs in a published crate (the generator is not published, and
//! the hosted documentation builds with every feature on). So the published form is
//! generated from the same model and settings without the sync (no build script, no
//! `regenerate` feature), with the runtime and its siblings as versioned path dependencies:
//! its `src/` is byte for byte the checked-in crate's. Its `CHANGELOG.md` is copied beside it.
//!
//! `--list` (what `cargo xtask test` runs): `cargo package --list`, offline, and a check that
//! no test data or benches are in the packages. `--dry-run`: `cargo publish --dry-run`, which
//! builds each package from its `.crate` (the runtime's from a local overlay of the registry)
//! and needs the registry's index; then the size of each `.crate`.

use crate::args::{repo_root, Args, Command as XtaskCommand};
use codegen::{Project, RuntimeDep};
use xtask::nested::{self, Committed};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The hand-written crates that are published, in the order they depend on each other
/// (`credentials` also needs the generated `sts`): folders of the repository, copied as they are.
const HAND_WRITTEN: [&str; 9] = [
    "runtime",
    "transport",
    "credentials-sts",
    "config",
    "shims/smithy-types",
    "shims/smithy-runtime-api",
    "shims/aws-types",
    "shims/credential-types",
    "mocks",
];

pub const COMMAND: XtaskCommand = XtaskCommand {
    name: "package",
    usage: "\
usage: cargo xtask package [--list | --dry-run]

The runtime and every generated crate as published, in target/publish/.

  --list      cargo package --list of every package (offline; the default)
  --dry-run   cargo publish --dry-run of every package (needs the registry's index), with
              the .crate sizes
",
    flags: &["list", "dry-run"],
    values: &[],
    positional: None,
};

pub fn run(args: &Args) -> Result<(), String> {
    let dry_run = args.flag("dry-run");
    let list = args.flag("list");
    let root = repo_root();
    let publish = prepare(&root)?;
    if list || !dry_run {
        check_lists(&publish)?;
    }
    if dry_run {
        // Only this run's `.crate` files (an older version's would be listed too).
        let _ = std::fs::remove_dir_all(publish.join("target/package"));
        cargo(&publish, &["publish", "--dry-run", "--workspace", "--allow-dirty"])?;
        for (name, bytes) in crate_files(&publish)? {
            eprintln!("  {name}: {bytes} bytes ({:.1} KiB)", bytes as f64 / 1024.0);
        }
    }
    eprintln!(
        "==> {}: the packages as published. To publish: cargo publish --workspace --allow-dirty --manifest-path {}",
        publish.display(),
        publish.join("Cargo.toml").display()
    );
    Ok(())
}

/// Writes `target/publish/`: a workspace laid out as the repository (so that every path
/// dependency points where it does here) with the hand-written crates and the published
/// form of every generated crate. Returns its folder.
pub fn prepare(root: &Path) -> Result<PathBuf, String> {
    let publish = root.join("target/publish");
    // Everything but cargo's own output (kept, so that a second dry run builds less).
    if let Ok(entries) = std::fs::read_dir(&publish) {
        for entry in entries.flatten().filter(|e| e.file_name() != "target") {
            let path = entry.path();
            let removed = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
            removed.map_err(|e| format!("error: {}: {e}", path.display()))?;
        }
    }
    let mut members: Vec<String> = Vec::new();
    for folder in HAND_WRITTEN {
        copy_dir(&root.join(folder), &publish.join(folder))?;
        members.push(folder.to_owned());
    }
    for project in Project::all(root).map_err(|e| format!("error: {e}"))? {
        let name = &project.settings.crate_name;
        if !project.settings.publish {
            continue;
        }
        if !matches!(project.settings.runtime, RuntimeDep::PathAndVersion { .. }) {
            return Err(format!("error: {name}: no runtime version to depend on (runtime/Cargo.toml)"));
        }
        // No build script and no `regenerate` feature: the generator is not published.
        let settings = codegen::Settings { sync: None, ..project.settings.clone() };
        // Only the crate itself: a JSON bridge crate is test support, never published.
        let generated = Project { settings, ..project.clone() }.generate().map_err(|e| e.to_string())?;
        let out = project.out.strip_prefix(root).unwrap_or(&project.out).to_path_buf();
        let dir = publish.join(&out);
        codegen::write::write_files(&dir, &generated.files).map_err(|e| format!("error: {}: {e}", dir.display()))?;
        let changelog = project.out.join("CHANGELOG.md");
        if changelog.is_file() {
            std::fs::copy(&changelog, dir.join("CHANGELOG.md")).map_err(|e| format!("error: {}: {e}", changelog.display()))?;
        }
        members.push(out.to_string_lossy().replace('\\', "/"));
    }
    let manifest = format!(
        "# Written by `cargo xtask package`: the crates as they are published.\n\
         [workspace]\nresolver = \"2\"\nmembers = [{}]\n\n{}",
        members.iter().map(|m| format!("{m:?}")).collect::<Vec<_>>().join(", "),
        workspace_package(root)?
    );
    std::fs::write(publish.join("Cargo.toml"), manifest).map_err(|e| format!("error: {}: {e}", publish.display()))?;
    nested::lock(&publish, &nested::seed_paths(root, &[Committed::Root]))?;
    Ok(publish)
}

/// The `[workspace.package]` table of the project's manifest (what the runtime inherits).
fn workspace_package(root: &Path) -> Result<String, String> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("error: {}: {e}", path.display()))?;
    let start = text.find("[workspace.package]").ok_or("error: Cargo.toml has no [workspace.package]")?;
    let rest = &text[start..];
    let end = rest[1..].find("\n[").map_or(rest.len(), |i| i + 2);
    Ok(rest[..end].to_owned())
}

/// `cargo package --list` of every package: each must hold its sources and no test data,
/// benches or build output.
fn check_lists(publish: &Path) -> Result<(), String> {
    let out = cargo_output(publish, &["package", "--list", "--workspace", "--allow-dirty", "--offline"])?;
    let files: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
    let unwanted: Vec<&&str> = files
        .iter()
        .filter(|f| {
            ["tests/", "benches/", "target/", "data/partitions.json", "examples/"].iter().any(|p| f.contains(p))
        })
        .collect();
    if !unwanted.is_empty() {
        return Err(format!("error: the packages hold files they should not: {unwanted:?}"));
    }
    for needed in ["src/lib.rs", "README.md", "Cargo.toml"] {
        if !files.iter().any(|f| f.ends_with(needed)) {
            return Err(format!("error: no package holds {needed}:\n{out}"));
        }
    }
    eprintln!("==> cargo package --list: {} files, no test data or benches", files.len());
    Ok(())
}

/// The `.crate` files cargo made, with their sizes: in `target/package/`, or for a
/// dry run of several packages in `target/package/tmp-crate/`.
fn crate_files(publish: &Path) -> Result<Vec<(String, u64)>, String> {
    let mut out = Vec::new();
    for dir in [publish.join("target/package/tmp-crate"), publish.join("target/package")] {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".crate") && !out.iter().any(|(n, _)| *n == name) {
                out.push((name, entry.metadata().map_err(|e| e.to_string())?.len()));
            }
        }
    }
    if out.is_empty() {
        return Err(format!("error: no .crate files under {}", publish.join("target/package").display()));
    }
    out.sort();
    Ok(out)
}

fn cargo_command(dir: &Path, args: &[&str]) -> Command {
    let (subcommand, rest) = args.split_first().map_or(("", &[][..]), |(s, r)| (*s, r));
    let mut cmd = nested::cargo(dir, subcommand);
    cmd.args(rest);
    cmd
}

fn cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    eprintln!("==> cargo {} (in {})", args.join(" "), dir.display());
    let status = cargo_command(dir, args).status().map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("error: cargo {} failed ({status})", args.join(" ")))
    }
}

fn cargo_output(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = cargo_command(dir, args).output().map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("error: cargo {} failed:\n{}", args.join(" "), String::from_utf8_lossy(&out.stderr)))
    }
}

/// Copies folder `from` to `to`, skipping `target` folders.
fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("error: {}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("error: {}: {e}", from.display()))?.flatten() {
        let (src, dest) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&src, &dest)?;
            }
        } else {
            std::fs::copy(&src, &dest).map_err(|e| format!("error: {}: {e}", src.display()))?;
        }
    }
    Ok(())
}

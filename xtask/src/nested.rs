//! Nested cargo builds: every cargo that the tests, xtask and the benches start in a workspace
//! of their own (a generated crate, a copy of the compatibility corpus, a bench app, the crates
//! as published) resolves from committed lock files only, and builds with `--locked`.
//!
//! Why: a nested workspace without a lock file resolves the newest release of everything, so
//! an upstream release can turn a clean clone red with no commit of ours (rustls 0.23.48's
//! deprecation did). [`lock`] writes the union of the committed lock files it is given into the
//! nested workspace, lets cargo drop what that workspace does not use (`cargo update
//! --workspace`, which unlocks only the workspace's own packages), and refuses the result when
//! cargo had to choose a registry version that none of those files holds. [`cargo`] then adds
//! `--locked`, so nothing can move between the check and the build.
//!
//! The committed lock files are listed once, in [`Committed`]; `cargo xtask locks` brings
//! them up to date with their manifests and `cargo xtask check-latest` tries the newest
//! releases in a scratch copy.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every lock file of the repository: the workspace's and those of the nested workspaces whose
/// dependencies the root lock does not cover (paths from the repository root).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Committed {
    /// The project's workspace.
    Root,
    /// The compatibility corpus as written (aws-sdk-elasticache, aws-smithy-mocks, anyhow).
    Compat,
    /// The criterion benches' workspace.
    Bench,
    /// One app of `cargo xtask bench-compile`, each a workspace of its own (so that cargo
    /// unifies no features across them).
    BenchApp(&'static str),
    /// The cargo-fuzz targets.
    Fuzz,
}

/// The apps of `cargo xtask bench-compile` (folders of `bench/compile/`).
pub const BENCH_APPS: [&str; 7] = ["ours", "ours-one-op", "ours-ten-ops", "ours-config-crate", "ours-aws-config", "ours-smithy-types", "sdk"];

impl Committed {
    /// Every committed lock file.
    pub fn all() -> Vec<Committed> {
        let mut all = vec![Committed::Root, Committed::Compat, Committed::Bench, Committed::Fuzz];
        all.extend(BENCH_APPS.map(Committed::BenchApp));
        all
    }

    /// The workspace folder, relative to the repository root.
    pub fn dir(self) -> PathBuf {
        match self {
            Committed::Root => PathBuf::new(),
            Committed::Compat => PathBuf::from("tests/compat"),
            Committed::Bench => PathBuf::from("bench"),
            Committed::BenchApp(app) => Path::new("bench/compile").join(app),
            Committed::Fuzz => PathBuf::from("fuzz"),
        }
    }

    /// The lock file, relative to the repository root.
    pub fn path(self) -> PathBuf {
        self.dir().join("Cargo.lock")
    }

    /// The lock files this one is resolved from when it is made or brought up to date: the
    /// nested workspaces that build this project's crates start from the root lock, so that
    /// shared dependencies are the versions the project is tested with.
    pub fn seeds(self) -> Vec<Committed> {
        match self {
            Committed::BenchApp(_) => vec![self, Committed::Root],
            _ => vec![self],
        }
    }
}

/// A lock file's packages, by name and version.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lock {
    packages: BTreeMap<(String, String), Package>,
}

/// One `[[package]]` of a lock file; dependencies as (name, version).
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub source: Option<String>,
    pub checksum: Option<String>,
    pub dependencies: BTreeSet<(String, String)>,
}

impl Package {
    /// From a registry (not a path package of some workspace).
    pub fn is_registry(&self) -> bool {
        self.source.as_deref().is_some_and(|s| s.starts_with("registry+") || s.starts_with("sparse+"))
    }
}

#[derive(Deserialize)]
struct LockFile {
    version: Option<u32>,
    #[serde(default)]
    package: Vec<RawPackage>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: String,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

impl Lock {
    /// Reads a lock file; an error names the file.
    pub fn read(path: &Path) -> Result<Lock, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("error: {}: {e}", path.display()))?;
        Lock::parse(&text).map_err(|e| format!("error: {}: {e}", path.display()))
    }

    /// Parses a lock file of format 3 or 4 (where a dependency names its version only when
    /// the file holds more than one version of that package).
    pub fn parse(text: &str) -> Result<Lock, String> {
        let file: LockFile = toml::from_str(text).map_err(|e| format!("not a Cargo.lock: {e}"))?;
        if !matches!(file.version, Some(3 | 4)) {
            return Err(format!("lock file format {:?} (this reader knows 3 and 4)", file.version));
        }
        let mut versions: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for p in &file.package {
            versions.entry(&p.name).or_default().push(&p.version);
        }
        let mut packages = BTreeMap::new();
        for p in &file.package {
            let mut dependencies = BTreeSet::new();
            for dep in &p.dependencies {
                let mut words = dep.split(' ');
                let name = words.next().unwrap_or_default();
                let version = match words.next() {
                    Some(v) => v,
                    None => match versions.get(name).map(Vec::as_slice) {
                        Some([only]) => only,
                        _ => return Err(format!("{} {}: dependency `{dep}` names no single package", p.name, p.version)),
                    },
                };
                dependencies.insert((name.to_owned(), version.to_owned()));
            }
            let package = Package {
                name: p.name.clone(),
                version: p.version.clone(),
                source: p.source.clone(),
                checksum: p.checksum.clone(),
                dependencies,
            };
            packages.insert((p.name.clone(), p.version.clone()), package);
        }
        Ok(Lock { packages })
    }

    /// The registry packages of several lock files; a package that two files hold with
    /// different dependency lists (other features enabled) gets the union of both lists, so
    /// that every dependency edge either file locked stays locked.
    pub fn union<'a>(locks: impl IntoIterator<Item = &'a Lock>) -> Lock {
        let mut out = Lock::default();
        for lock in locks {
            for (key, p) in lock.packages.iter().filter(|(_, p)| p.is_registry()) {
                match out.packages.get_mut(key) {
                    Some(have) => have.dependencies.extend(p.dependencies.iter().cloned()),
                    None => {
                        out.packages.insert(key.clone(), p.clone());
                    }
                }
            }
        }
        // A dependency on a path package of another workspace means nothing here.
        let known: BTreeSet<(String, String)> = out.packages.keys().cloned().collect();
        for p in out.packages.values_mut() {
            p.dependencies.retain(|d| known.contains(d));
        }
        out
    }

    /// The file cargo reads (format 4), dependencies spelled out with their version where
    /// the file holds several versions of a package.
    pub fn render(&self) -> String {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for (name, _) in self.packages.keys() {
            *count.entry(name).or_default() += 1;
        }
        let mut out = String::from("# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n");
        for p in self.packages.values() {
            out.push_str(&format!("\n[[package]]\nname = {:?}\nversion = {:?}\n", p.name, p.version));
            if let Some(source) = &p.source {
                out.push_str(&format!("source = {source:?}\n"));
            }
            if let Some(checksum) = &p.checksum {
                out.push_str(&format!("checksum = {checksum:?}\n"));
            }
            if !p.dependencies.is_empty() {
                out.push_str("dependencies = [\n");
                for (name, version) in &p.dependencies {
                    if count.get(name.as_str()).copied().unwrap_or(0) > 1 {
                        out.push_str(&format!(" \"{name} {version}\",\n"));
                    } else {
                        out.push_str(&format!(" {name:?},\n"));
                    }
                }
                out.push_str("]\n");
            }
        }
        out
    }

    /// Registry packages of this lock that `committed` does not hold (same name, version and
    /// checksum), as `name version`.
    pub fn not_in(&self, committed: &Lock) -> Vec<String> {
        self.registry()
            .filter(|p| committed.packages.get(&(p.name.clone(), p.version.clone())).is_none_or(|c| c.checksum != p.checksum))
            .map(|p| format!("{} {}", p.name, p.version))
            .collect()
    }

    /// Every package, registry and path, by name and version.
    pub fn packages(&self) -> impl Iterator<Item = &Package> {
        self.packages.values()
    }

    /// The registry packages.
    pub fn registry(&self) -> impl Iterator<Item = &Package> {
        self.packages.values().filter(|p| p.is_registry())
    }

    /// What moved from `old` to `self` among registry packages: `+ name version`, `- name
    /// version`, `name old -> new` (a package whose only version changed).
    pub fn changes_since(&self, old: &Lock) -> Vec<String> {
        let names: BTreeSet<&str> = old.registry().chain(self.registry()).map(|p| p.name.as_str()).collect();
        let mut out = Vec::new();
        for name in names {
            let was: BTreeSet<&str> = old.registry().filter(|p| p.name == name).map(|p| p.version.as_str()).collect();
            let now: BTreeSet<&str> = self.registry().filter(|p| p.name == name).map(|p| p.version.as_str()).collect();
            match (was.len(), now.len()) {
                _ if was == now => {}
                (1, 1) => out.push(format!("{name} {} -> {}", was.iter().next().unwrap_or(&""), now.iter().next().unwrap_or(&""))),
                _ => {
                    out.extend(was.difference(&now).map(|v| format!("- {name} {v}")));
                    out.extend(now.difference(&was).map(|v| format!("+ {name} {v}")));
                }
            }
        }
        out
    }

    /// The version(s) of `name`.
    pub fn versions(&self, name: &str) -> Vec<&str> {
        self.packages.values().filter(|p| p.name == name).map(|p| p.version.as_str()).collect()
    }
}

/// Gives the nested workspace at `dir` a lock file made from the committed lock files
/// `seeds` (paths), and fails, naming each package, if resolving the workspace needs a
/// registry version that none of them holds. Build afterwards with [`cargo`] (`--locked`).
pub fn lock(dir: &Path, seeds: &[PathBuf]) -> Result<(), String> {
    let (union, resolved) = resolve(dir, seeds)?;
    let new = resolved.not_in(&union);
    if !new.is_empty() {
        let shown: Vec<String> = seeds.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "error: the workspace at {} needs versions that no committed lock file holds: {}\n\
             (committed: {}); record them with `cargo xtask locks`, which resolves each committed \
             lock file from its manifests",
            dir.display(),
            new.join(", "),
            shown.join(", ")
        ));
    }
    Ok(())
}

/// Writes the union of `seeds` into `dir/Cargo.lock` and lets cargo resolve the workspace from
/// it; returns the union and what cargo wrote.
pub fn resolve(dir: &Path, seeds: &[PathBuf]) -> Result<(Lock, Lock), String> {
    let committed: Vec<Lock> = seeds.iter().map(|p| Lock::read(p)).collect::<Result<_, _>>()?;
    let union = Lock::union(&committed);
    let file = dir.join("Cargo.lock");
    std::fs::write(&file, union.render()).map_err(|e| format!("error: {}: {e}", file.display()))?;
    // Unlocks only the workspace's own packages: every other version stays as locked, what
    // the workspace does not use is dropped, and only what is missing is resolved anew.
    let out = cargo(dir, "update")
        .args(["--workspace", "--quiet"])
        .output()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if !out.status.success() {
        let shown: Vec<String> = seeds.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "error: the workspace at {} does not resolve from the committed lock files ({}):\n{}",
            dir.display(),
            shown.join(", "),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok((union, Lock::read(&file)?))
}

/// Fails, naming each, when a committed lock file (under the repository `root`) does not hold
/// everything its workspace's manifests need: `cargo update --workspace --locked` in each,
/// which resolves without writing. `cargo xtask locks` brings them up to date.
pub fn check_committed(root: &Path) -> Result<(), String> {
    let mut stale = Vec::new();
    for committed in Committed::all() {
        let out = cargo(&root.join(committed.dir()), "update")
            .args(["--workspace", "--locked", "--quiet"])
            .output()
            .map_err(|e| format!("error: cannot run cargo: {e}"))?;
        if !out.status.success() {
            stale.push(format!("{}:\n{}", committed.path().display(), String::from_utf8_lossy(&out.stderr).trim_end()));
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!("error: committed lock files that their manifests have outgrown (run `cargo xtask locks`):\n{}", stale.join("\n")))
    }
}

/// `cargo <subcommand>` in `dir`, with `--locked` where the subcommand resolves dependencies,
/// and without what the outer cargo set for the package it is building or testing (so the
/// nested build is the one its manifest describes). The user's cargo settings
/// (`CARGO_HOME`, `CARGO_INCREMENTAL`, `CARGO_PROFILE_*`, network and registry settings,
/// `CARGO_BUILD_JOBS`) carry over; `RUSTFLAGS`, `RUSTDOCFLAGS`, `CI` and the target folder
/// are the caller's to set.
pub fn cargo(dir: &Path, subcommand: &str) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(dir).arg(subcommand);
    if LOCKED.contains(&subcommand) {
        cmd.arg("--locked");
    }
    for (k, _) in std::env::vars_os() {
        let Some(k) = k.to_str() else { continue };
        if !kept(k) {
            cmd.env_remove(k);
        }
    }
    cmd
}

/// [`cargo`] with the user's build settings removed as well (incremental compilation,
/// profiles, jobs): for measurements, which must build as a fresh machine does.
pub fn pristine_cargo(dir: &Path, subcommand: &str) -> Command {
    let mut cmd = cargo(dir, subcommand);
    for (k, _) in std::env::vars_os() {
        if let Some(k) = k.to_str().filter(|k| k.starts_with("CARGO_") && *k != "CARGO_HOME") {
            cmd.env_remove(k);
        }
    }
    cmd
}

/// The subcommands that resolve dependencies, to which [`cargo`] adds `--locked`.
const LOCKED: [&str; 14] =
    ["bench", "build", "check", "clippy", "doc", "fetch", "metadata", "package", "publish", "run", "rustdoc", "test", "tree", "install"];

/// Whether an environment variable of this process reaches a nested cargo.
fn kept(k: &str) -> bool {
    if k == "RUSTFLAGS" || k == "RUSTDOCFLAGS" || k == "CI" {
        return false;
    }
    if !k.starts_with("CARGO_") {
        return true;
    }
    k == "CARGO_HOME"
        || k == "CARGO_INCREMENTAL"
        || k == "CARGO_BUILD_JOBS"
        || ["CARGO_PROFILE_", "CARGO_NET_", "CARGO_HTTP_", "CARGO_REGISTRIES_", "CARGO_REGISTRY_", "CARGO_TERM_"].iter().any(|p| k.starts_with(p))
}

/// The committed lock files `seeds` as paths under the repository `root`.
pub fn seed_paths(root: &Path, seeds: &[Committed]) -> Vec<PathBuf> {
    seeds.iter().map(|c| root.join(c.path())).collect()
}

/// The first error cargo or rustc printed (short format: one line each), else the last lines.
pub fn first_error(output: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stderr.lines().chain(stdout.lines()).collect();
    match lines.iter().find(|l| l.contains("error")) {
        Some(line) => line.trim().to_owned(),
        None => lines.iter().rev().take(5).rev().copied().collect::<Vec<_>>().join("\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = r#"version = 4

[[package]]
name = "a"
version = "0.1.0"
dependencies = [
 "b 1.0.0",
 "c",
]

[[package]]
name = "b"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "11"

[[package]]
name = "b"
version = "2.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "22"

[[package]]
name = "c"
version = "0.3.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "33"
dependencies = [
 "b 2.0.0",
]
"#;

    #[test]
    fn reads_dependencies_with_and_without_versions() {
        let lock = Lock::parse(TWO).unwrap();
        let a = &lock.packages[&("a".to_owned(), "0.1.0".to_owned())];
        assert!(!a.is_registry());
        assert_eq!(a.dependencies, [("b", "1.0.0"), ("c", "0.3.0")].map(|(n, v)| (n.to_owned(), v.to_owned())).into());
        assert_eq!(lock.versions("b"), ["1.0.0", "2.0.0"]);
        assert_eq!(lock.registry().count(), 3);
    }

    #[test]
    fn a_bare_dependency_with_two_versions_is_refused() {
        let text = TWO.replace("\"b 2.0.0\"", "\"b\"");
        assert!(Lock::parse(&text).unwrap_err().contains("names no single package"));
    }

    #[test]
    fn union_keeps_registry_packages_and_both_dependency_lists() {
        let one = Lock::parse(TWO).unwrap();
        let other = Lock::parse(
            "version = 4\n\n[[package]]\nname = \"c\"\nversion = \"0.3.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\
             checksum = \"33\"\ndependencies = [\n \"d\",\n]\n\n[[package]]\nname = \"d\"\nversion = \"4.0.0\"\n\
             source = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"44\"\n",
        )
        .unwrap();
        let union = Lock::union([&one, &other]);
        assert_eq!(union.registry().map(|p| format!("{} {}", p.name, p.version)).collect::<Vec<_>>(), ["b 1.0.0", "b 2.0.0", "c 0.3.0", "d 4.0.0"]);
        let c = &union.packages[&("c".to_owned(), "0.3.0".to_owned())];
        assert_eq!(c.dependencies.len(), 2);
        // What cargo reads back is the same set, versions spelled out where b has two.
        let rendered = union.render();
        assert!(rendered.contains(" \"b 2.0.0\",\n \"d\",\n"), "{rendered}");
        assert_eq!(Lock::parse(&rendered).unwrap(), union);
    }

    #[test]
    fn packages_not_committed_are_named() {
        let committed = Lock::parse(TWO).unwrap();
        let moved = Lock::parse(&TWO.replace("version = \"0.3.0\"", "version = \"0.3.1\"")).unwrap();
        assert_eq!(moved.not_in(&committed), ["c 0.3.1"]);
        let other_checksum = Lock::parse(&TWO.replace("\"33\"", "\"34\"")).unwrap();
        assert_eq!(other_checksum.not_in(&committed), ["c 0.3.0"]);
        assert!(committed.not_in(&committed).is_empty());
    }

    #[test]
    fn changes_are_listed_by_package() {
        let old = Lock::parse(TWO).unwrap();
        let new = Lock::parse(&TWO.replace("version = \"0.3.0\"", "version = \"0.3.1\"").replace("version = \"1.0.0\"", "version = \"1.5.0\"").replace("\"b 1.0.0\"", "\"b 1.5.0\""))
            .unwrap();
        assert_eq!(new.changes_since(&old), ["- b 1.0.0", "+ b 1.5.0", "c 0.3.0 -> 0.3.1"]);
        assert!(old.changes_since(&old).is_empty());
    }

    #[test]
    fn the_outer_builds_variables_stay_out() {
        for gone in ["CARGO_MANIFEST_DIR", "CARGO_PKG_NAME", "CARGO_TARGET_DIR", "CARGO_PRIMARY_PACKAGE", "RUSTFLAGS", "CI"] {
            assert!(!kept(gone), "{gone}");
        }
        for kept_one in ["CARGO_HOME", "CARGO_INCREMENTAL", "CARGO_PROFILE_DEV_DEBUG", "CARGO_NET_OFFLINE", "PATH", "HOME"] {
            assert!(kept(kept_one), "{kept_one}");
        }
    }
}

//! `cargo xtask check-features`: every generated crate of the project (and the snapshot crate)
//! builds, warnings denied,
//! with no operation, with each operation feature alone, and with all of them, and its feature
//! count is under the package registry's limit.
//!
//! The operation features come from the IR (`Service::features`), the count from the crate's
//! generated `Cargo.toml` (what the registry would see). Each build is `cargo clippy -p <crate>
//! --no-default-features --features <...> -- -D warnings` in the project's workspace: only the
//! generated crate is rebuilt between runs, about a second each for one operation.

use crate::args::{repo_root, Args, Command as XtaskCommand};
use codegen::ir::features::REGISTRY_LIMIT;
use codegen::Project;
use std::path::Path;
use std::time::Instant;

pub const COMMAND: XtaskCommand = XtaskCommand {
    name: "check-features",
    usage: "\
usage: cargo xtask check-features [--only CRATE,...] [--sample N]

Each generated crate of models/*/codegen.toml checked (clippy, warnings denied) with no
operation, no operation but `default-runtime`, each operation feature alone, and all of
them; prints each crate's feature count against the registry's limit of 300.

  --only a,b     these crates only (their `codegen.toml` names)
  --sample N     at most N single-feature builds per crate, spread evenly over its features
",
    flags: &[],
    values: &["only", "sample"],
    positional: None,
};

pub fn run(args: &Args) -> Result<(), String> {
    let root = repo_root();
    let only: Option<Vec<String>> = args.value("only")?.map(|s| s.split(',').map(str::to_owned).collect());
    let sample = match args.value("sample")? {
        Some(n) => Some(n.parse::<usize>().map_err(|_| format!("error: --sample {n}: expected a number"))?),
        None => None,
    };
    let projects = Project::all(&root).map_err(|e| format!("error: {e}"))?;
    if let Some(missing) = only.iter().flatten().find(|o| !projects.iter().any(|p| &p.settings.crate_name == *o)) {
        return Err(format!("error: --only {missing}: no models/*/codegen.toml generates that crate"));
    }
    // The project's crates, and the snapshot crate (a small model of edge cases).
    let mut crates = Vec::new();
    for project in &projects {
        if only.as_ref().is_none_or(|o| o.contains(&project.settings.crate_name)) {
            crates.push((project.ir().map_err(|e| e.to_string())?, project.out.clone()));
        }
    }
    if only.is_none() {
        crates.push((crate::snapshot::ir(&root)?, root.join(crate::snapshot::OUT)));
    }
    let mut failures = Vec::new();
    for (svc, out) in &crates {
        let package = svc.package_name.clone();
        let count = feature_count(&out.join("Cargo.toml"))?;
        let Some(features) = &svc.features else {
            println!("{package}: {count} features, no operation features (codegen.toml: operation_features = false)");
            continue;
        };
        println!(
            "{package}: {count} features ({} of them operation features, {}), registry limit {REGISTRY_LIMIT}",
            features.by_feature.len(),
            if features.grouped { "one per resource" } else { "one per operation" }
        );
        if count > REGISTRY_LIMIT {
            failures.push(format!("{package}: {count} features, more than the registry's {REGISTRY_LIMIT}"));
        }
        let singles: Vec<&String> = features.by_feature.keys().collect();
        let singles = spread(&singles, sample.unwrap_or(singles.len()));
        let mut builds: Vec<(String, String)> =
            vec![("no operation".to_owned(), String::new()), ("no operation, default-runtime".to_owned(), "default-runtime".to_owned())];
        builds.extend(singles.iter().map(|f| (format!("`{f}` alone"), (*f).clone())));
        builds.push(("all operations".to_owned(), "all-operations".to_owned()));
        let started = Instant::now();
        let mut passed = 0;
        for (what, list) in &builds {
            match check(&root, &package, list) {
                Ok(()) => passed += 1,
                Err(e) => {
                    println!("  FAIL {what}: {e}");
                    failures.push(format!("{package} with {what}"));
                }
            }
        }
        println!("  {passed} of {} builds passed in {:.0} s", builds.len(), started.elapsed().as_secs_f64());
    }
    match failures.is_empty() {
        true => Ok(()),
        false => Err(format!("error: {} feature builds failed:\n  {}", failures.len(), failures.join("\n  "))),
    }
}

/// One build of `package` with `--no-default-features` and `features`; the first error if it
/// fails.
fn check(root: &Path, package: &str, features: &str) -> Result<(), String> {
    let mut cmd = xtask::nested::cargo(root, "clippy");
    cmd.args(["--quiet", "--message-format=short", "-p", package, "--no-default-features"]);
    if !features.is_empty() {
        cmd.args(["--features", features]);
    }
    let output = cmd.args(["--", "-D", "warnings"]).output().map_err(|e| format!("cannot run cargo: {e}"))?;
    match output.status.success() {
        true => Ok(()),
        false => Err(xtask::nested::first_error(&output)),
    }
}

/// The number of features in a crate's `Cargo.toml` (`default` included, as the registry
/// counts it).
fn feature_count(manifest: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(manifest).map_err(|e| format!("error: {}: {e}", manifest.display()))?;
    let value: toml::Table = toml::from_str(&text).map_err(|e| format!("error: {}: {e}", manifest.display()))?;
    Ok(value.get("features").and_then(|f| f.as_table()).map_or(0, |f| f.len()))
}

/// At most `n` items of `all`, spread evenly from the first to the last.
pub fn spread<T: Clone>(all: &[T], n: usize) -> Vec<T> {
    if n >= all.len() {
        return all.to_vec();
    }
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return all[..1].to_vec();
    }
    (0..n).map(|i| all[i * (all.len() - 1) / (n - 1)].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn spread_takes_the_ends_and_even_steps() {
        let all: Vec<u32> = (0..10).collect();
        assert_eq!(spread(&all, 3), vec![0, 4, 9]);
        assert_eq!(spread(&all, 10), all);
        assert_eq!(spread(&all, 20), all);
        assert_eq!(spread(&all, 1), vec![0]);
        assert!(spread(&all, 0).is_empty());
    }
}

//! Nested builds resolve nothing that is not committed (`xtask/src/nested.rs`): every committed
//! lock file holds what its manifests need, a nested workspace that would need a new version is
//! refused before anything builds, and no code of the project starts cargo any other way.

use project_tests::{repo, scratch};
use std::path::Path;
use xtask::nested::{self, Committed};

/// The workspace's, the corpus's, the benches', each compile-bench app's and the fuzz targets'
/// lock files each resolve their workspace without a change (`cargo update --workspace
/// --locked`): a dependency added to a manifest without `cargo xtask locks` fails here.
#[test]
fn committed_lock_files_hold_what_their_manifests_need() {
    nested::check_committed(&repo()).unwrap_or_else(|e| panic!("{e}"));
}

/// A scratch workspace that needs a crate the committed lock does not hold (anyhow is not in
/// the project's lock) is refused, naming the crate; the same workspace without it resolves.
#[test]
fn a_nested_workspace_that_needs_a_new_version_is_refused() {
    let seeds = nested::seed_paths(&repo(), &[Committed::Root]);
    let root_lock = nested::Lock::read(&seeds[0]).unwrap();
    assert!(root_lock.versions("anyhow").is_empty(), "the test needs a crate that the root lock does not hold");

    let dir = scratch("locks-new-version");
    write_package(&dir, "serde_json = \"1\"\nanyhow = \"1\"\n");
    let err = nested::lock(&dir, &seeds).expect_err("a version no committed lock holds was accepted");
    assert!(err.contains("anyhow"), "{err}");

    // Without it, every version comes from the root lock, and a locked build agrees.
    write_package(&dir, "serde_json = \"1\"\n");
    nested::lock(&dir, &seeds).unwrap_or_else(|e| panic!("{e}"));
    let resolved = nested::Lock::read(&dir.join("Cargo.lock")).unwrap();
    assert!(resolved.not_in(&root_lock).is_empty());
    assert_eq!(resolved.versions("serde_json"), root_lock.versions("serde_json"));
    let out = nested::cargo(&dir, "tree").args(["--quiet", "--prefix", "none"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn write_package(dir: &Path, dependencies: &str) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/lib.rs"), "").unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\n{dependencies}\n[workspace]\n"),
    )
    .unwrap();
}

/// Every cargo the project's tools and tests start goes through `nested::cargo` (`--locked`,
/// the outer build's variables removed): no other source file names the cargo executable.
#[test]
fn only_the_nested_module_starts_cargo() {
    // Spelled at run time, so that this file does not match itself.
    let needles = [format!("var({:?})", "CARGO"), format!("Command::new({:?})", "cargo")];
    let mut offenders = Vec::new();
    for dir in ["xtask/src", "xtask/tests", "tests/src", "tests/tests", "codegen/src"] {
        visit(&repo().join(dir), &mut |path, text| {
            let starts_cargo = needles.iter().any(|n| text.contains(n.as_str()));
            if starts_cargo && !path.ends_with("xtask/src/nested.rs") {
                offenders.push(path.display().to_string());
            }
        });
    }
    assert!(offenders.is_empty(), "these start cargo themselves instead of through xtask::nested::cargo: {offenders:?}");
}

fn visit(dir: &Path, f: &mut dyn FnMut(&Path, &str)) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            visit(&path, f);
        } else if path.extension().is_some_and(|e| e == "rs") {
            f(&path, &std::fs::read_to_string(&path).unwrap());
        }
    }
}

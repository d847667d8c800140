//! The build-script front end: keeps a generated crate in step with its model.
//!
//! Called from a generated crate's `build.rs` when the workspace turns on its `regenerate`
//! feature. Under `CI=true` it never writes: a stale crate fails the build with a message
//! naming `cargo xtask regenerate`.

use std::path::PathBuf;

/// Regenerates the crate whose build script this is. `repo_root` is relative to the crate's
/// folder, `model_dir` to the repository root.
pub fn build_script(repo_root: &str, model_dir: &str) {
    if let Err(message) = run(repo_root, model_dir) {
        eprintln!("{message}");
        std::process::exit(1);
    }
}

fn run(repo_root: &str, model_dir: &str) -> Result<(), String> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").ok_or("CARGO_MANIFEST_DIR is not set")?;
    let crate_dir = PathBuf::from(manifest_dir);
    let root = crate_dir.join(repo_root);
    println!("cargo::rerun-if-changed={}", root.join(model_dir).display());
    println!("cargo::rerun-if-env-changed=CI");
    let project = crate::Project::read(&root, model_dir)?;
    let generated = project.generate().map_err(|e| e.to_string())?;
    for w in &generated.warnings {
        println!("cargo::warning={w}");
    }
    // The crate, and its JSON bridge when that is a crate of its own: the bridge depends on
    // the crate, so it is compiled after this script has written it.
    let mut crates = vec![(crate_dir.clone(), generated.files)];
    if let (Some(out), Some(files)) = (&project.json_out, generated.json_crate) {
        crates.push((out.clone(), files));
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    for (dir, files) in crates {
        if ci {
            let drift = crate::write::check_files(&dir, &files);
            if !drift.is_empty() {
                let list: Vec<String> = drift.iter().take(10).map(|d| format!("  {d}")).collect();
                return Err(format!(
                    "error: generated crate `{}` is out of date with {model_dir} ({} files differ); \
                     run `cargo xtask regenerate` and commit the result.\n{}",
                    dir.display(),
                    drift.len(),
                    list.join("\n")
                ));
            }
        } else {
            crate::write::write_files(&dir, &files).map_err(|e| format!("error: writing {}: {e}", dir.display()))?;
        }
    }
    Ok(())
}

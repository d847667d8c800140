//! Writing a [`FileMap`] to disk — only files whose bytes changed, so that cargo does not
//! rebuild needlessly — and comparing one with what is on disk (`--check`, CI).
//!
//! The writer owns the files of the map and the `@generated` `.rs` files under `src/` (which
//! it removes when the map no longer has them). Anything else in the crate's folder is kept
//! as it is: `CHANGELOG.md`, which `cargo xtask update-model` writes entry by entry, is the
//! crate's history, not the generator's output.

use crate::FileMap;
use std::path::Path;

/// What [`write_files`] did.
#[derive(Debug, Default)]
pub struct WriteReport {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// A difference between the generated files and the disk.
#[derive(Debug, PartialEq, Eq)]
pub enum Drift {
    Missing(String),
    /// A generated file that the generator no longer makes.
    Stale(String),
    Differs { path: String, line: usize, expected: String, found: String },
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "{p}: missing"),
            Drift::Stale(p) => write!(f, "{p}: no longer generated"),
            Drift::Differs { path, line, expected, found } => {
                write!(f, "{path}:{line}: differs\n  expected: {expected}\n  found:    {found}")
            }
        }
    }
}

/// Writes `files` under `dir`, leaving identical files untouched, and removes generated
/// files (marked `@generated`) that are no longer part of the crate.
pub fn write_files(dir: &Path, files: &FileMap) -> std::io::Result<WriteReport> {
    let mut report = WriteReport::default();
    for (rel, text) in files {
        let path = dir.join(rel);
        if std::fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
            report.unchanged += 1;
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        report.written.push(rel.clone());
    }
    for rel in stale_files(dir, files) {
        std::fs::remove_file(dir.join(&rel))?;
        report.removed.push(rel);
    }
    Ok(report)
}

/// Compares `files` with `dir` without writing anything.
pub fn check_files(dir: &Path, files: &FileMap) -> Vec<Drift> {
    let mut drift = Vec::new();
    for (rel, text) in files {
        match std::fs::read_to_string(dir.join(rel)) {
            Err(_) => drift.push(Drift::Missing(rel.clone())),
            Ok(found) if found != *text => {
                let mut a = text.lines();
                let mut b = found.lines();
                let mut line = 1;
                loop {
                    match (a.next(), b.next()) {
                        (Some(x), Some(y)) if x == y => line += 1,
                        (x, y) => {
                            drift.push(Drift::Differs {
                                path: rel.clone(),
                                line,
                                expected: x.unwrap_or("<end of file>").to_owned(),
                                found: y.unwrap_or("<end of file>").to_owned(),
                            });
                            break;
                        }
                    }
                }
            }
            Ok(_) => {}
        }
    }
    drift.extend(stale_files(dir, files).into_iter().map(Drift::Stale));
    drift
}

/// Generated `.rs` files under `dir/src` that `files` does not contain.
fn stale_files(dir: &Path, files: &FileMap) -> Vec<String> {
    let mut found = Vec::new();
    collect_rs(&dir.join("src"), "src", &mut found);
    found.retain(|rel| {
        !files.contains_key(rel)
            && std::fs::read_to_string(dir.join(rel)).is_ok_and(|t| t.starts_with("// @generated"))
    });
    found.sort();
    found
}

fn collect_rs(dir: &Path, rel: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, &format!("{rel}/{name}"), out);
        } else if name.ends_with(".rs") {
            out.push(format!("{rel}/{name}"));
        }
    }
}

//! One service's model update as `cargo xtask update-model` stages it: what `update_model`
//! makes, `semver_checks` verifies and both report. A module of its own so that the two
//! commands import it, and not each other.

use codegen::diff::{Report, Status};
use codegen::{Project, Sources};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One service's update, staged.
pub struct Update {
    pub service: String,
    pub project: Project,
    pub old: Sources,
    pub new: Sources,
    pub report: Report,
    pub previous: String,
    pub next: String,
    /// The staged `models/<service>/` and crate folder.
    pub staged_model: PathBuf,
    pub staged_crate: PathBuf,
    /// The JSON bridge's crate (when the project has one as a crate of its own): its
    /// folder and the staged copy.
    pub staged_json: Option<(PathBuf, PathBuf)>,
    /// The `CHANGELOG.md` entry.
    pub entry: String,
    /// Model files: (name, what happened).
    pub files: Vec<(String, &'static str)>,
    pub written: usize,
    pub removed: usize,
    pub total: usize,
    pub release: String,
}

impl Update {
    pub fn summary(&self, root: &Path) -> String {
        let count = |s: Status| self.report.operations.iter().filter(|o| o.status == s).count();
        let changed: Vec<String> =
            self.files.iter().filter(|(_, how)| *how != "unchanged").map(|(f, how)| format!("{f} ({how})")).collect();
        let unchanged = self.files.len() - changed.len();
        let out = self.project.out.strip_prefix(root).unwrap_or(&self.project.out).display().to_string();
        let verdict = self.report.verdict.map_or("no changes for callers", |v| v.as_str());
        let mut s = String::new();
        let _ = writeln!(s, "==> {}: {}", self.service, self.release);
        let _ = writeln!(s, "  model files: {}; {unchanged} unchanged", changed.join(", "));
        let _ = writeln!(
            s,
            "  operations: {} new, {} updated, {} removed",
            count(Status::New),
            count(Status::Updated),
            count(Status::Removed)
        );
        let _ = writeln!(
            s,
            "  verdict: {verdict} ({} breaking, {} additive changes); version {} -> {}",
            self.report.count(codegen::diff::Impact::Breaking),
            self.report.count(codegen::diff::Impact::Additive),
            self.previous,
            self.next
        );
        let _ = writeln!(
            s,
            "  {out}: {} files ({} written, {} removed); CHANGELOG.md: entry {}",
            self.total, self.written, self.removed, self.next
        );
        s
    }
}

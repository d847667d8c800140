//! `cargo xtask diff`: API changes between two versions of a model and their semver impact.
//!
//! This front end only loads the two sides (files, or `REV:path` through `git show` in the
//! repository root) and prints; the comparison is `codegen::diff`.

use crate::args::{repo_root, Args, Command as XtaskCommand};
use codegen::diff::render::{self, Format};
use codegen::diff::{Impact, Report};
use codegen::model::sources::{PAGINATORS, WAITERS};
use codegen::Sources;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const COMMAND: XtaskCommand = XtaskCommand {
    name: "diff",
    usage: "\
usage: cargo xtask diff OLD NEW [--format text|markdown|json] [--deny-breaking]
       cargo xtask diff --base REV [--format text|markdown|json] [--deny-breaking]

API changes between two versions of a model and their semver impact. Each side is a model
file or REV:path from git (HEAD~1:models/x/service-2.json); with a codegen.toml beside the
new model, both sides are built with its settings (allow-list, variant names) and the report
names the next version.

  --base REV        every models/*/service-2.json against the same path at REV
  --format FORMAT   text (default), markdown or json
  --deny-breaking   exit non-zero when a change is breaking
",
    flags: &["deny-breaking"],
    values: &["format", "base"],
    positional: Some("OLD NEW"),
};

pub fn run(args: &Args) -> Result<(), String> {
    let deny_breaking = args.flag("deny-breaking");
    let format: Format = match args.value("format")? {
        Some(f) => f.parse().map_err(|e| format!("error: {e}"))?,
        None => Format::Text,
    };
    let base = args.value("base")?;
    let (text, reports) = match (base, args.positional.as_slice()) {
        (Some(rev), []) => {
            let reports = against_base(&rev)?;
            (output(&reports, format), reports)
        }
        (None, [old, new]) => {
            let compared = Compared::pair(old, new)?;
            let report = compared.report.as_ref().map(|r| render::render(r, format)).unwrap_or_default();
            (report, vec![compared])
        }
        _ => return Err("error: `diff` takes OLD NEW, or --base REV (see `cargo xtask diff --help`)".to_owned()),
    };
    // A reader that stops early (`| head`) is not an error; anything else is.
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(format!("error: cannot write the report: {e}"))
        }
        _ => {}
    }
    let breaking = reports.iter().any(|c| c.report.as_ref().is_some_and(|r| r.verdict == Some(Impact::Breaking)));
    if deny_breaking && breaking {
        return Err("error: the model update has breaking changes (--deny-breaking)".to_owned());
    }
    Ok(())
}

/// One comparison: what was compared, and the report (`None` for a model that is new).
struct Compared {
    old: String,
    new: String,
    report: Option<Report>,
}

impl Compared {
    fn pair(old: &str, new: &str) -> Result<Compared, String> {
        Compared::sides(Side::parse(old), Side::parse(new), None)
    }

    /// Loads both sides and compares them; `new_label` replaces how the new side is named.
    fn sides(old: Side, new: Side, new_label: Option<String>) -> Result<Compared, String> {
        let (a, b) = (old.load()?, new.load()?);
        // Both sides as the project generates them now: its `codegen.toml`, when the new side
        // has one beside it.
        let project = new.project();
        let settings = project.as_ref().map_or_else(codegen::diff::plain_settings, |p| p.settings.clone());
        let mut report = codegen::diff::diff(&a, &b, &settings).map_err(|problems| not_a_model(&new.label(), &problems))?;
        if let Some(project) = &project {
            report = report.with_version(&project.settings.version);
        }
        Ok(Compared { old: old.label(), new: new_label.unwrap_or_else(|| new.label()), report: Some(report) })
    }
}

/// Every `models/*/service-2.json` of the working tree against the same path at `rev`.
fn against_base(rev: &str) -> Result<Vec<Compared>, String> {
    let root = repo_root();
    check_revision(&root, rev)?;
    let models = root.join("models");
    let entries = std::fs::read_dir(&models).map_err(|e| format!("error: {}: cannot read: {e}", models.display()))?;
    let mut paths: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("service-2.json").is_file())
        .map(|e| format!("models/{}/service-2.json", e.file_name().to_string_lossy()))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let new = Side::File(root.join(&path));
        let old = Side::Git { rev: rev.to_owned(), path: path.clone() };
        if git_has(&root, rev, &path) {
            out.push(Compared::sides(old, new, Some(path))?);
        } else {
            out.push(Compared { old: old.label(), new: path, report: None });
        }
    }
    Ok(out)
}

/// The `--base` reports in `format`, each headed by what was compared.
fn output(reports: &[Compared], format: Format) -> String {
    if format == Format::Json {
        let items: Vec<serde_json::Value> = reports
            .iter()
            .map(|c| {
                serde_json::json!({
                    "old": c.old,
                    "new": c.new,
                    "report": c.report.as_ref().and_then(|r| serde_json::to_value(r).ok()),
                })
            })
            .collect();
        // Serializing `Value`s cannot fail.
        let mut s = serde_json::to_string_pretty(&items).unwrap_or_default();
        s.push('\n');
        return s;
    }
    let markdown = format == Format::Markdown;
    let mut s = String::new();
    if markdown {
        s.push_str("## Model changes\n\n");
    }
    if reports.is_empty() {
        s.push_str("No models under `models/`.\n");
    }
    for c in reports {
        let head = match (&c.report, markdown) {
            (Some(_), true) => format!("`{}` → `{}`\n\n", c.old, c.new),
            (Some(_), false) => format!("==> {} -> {}\n\n", c.old, c.new),
            (None, true) => format!("`{}`: new model (not at the base revision)\n\n", c.new),
            (None, false) => format!("==> {}: new model (not at the base revision)\n\n", c.new),
        };
        s.push_str(&head);
        if let Some(r) = &c.report {
            s.push_str(&render::render(r, format));
            s.push('\n');
        }
    }
    s
}

/// Where a model comes from.
enum Side {
    File(PathBuf),
    Git { rev: String, path: String },
}

impl Side {
    /// A file if there is one by that name, else `REV:path` if it has that form.
    fn parse(arg: &str) -> Side {
        if !Path::new(arg).exists() {
            if let Some((rev, path)) = arg.split_once(':') {
                if !rev.is_empty() && !path.is_empty() {
                    return Side::Git { rev: rev.to_owned(), path: path.to_owned() };
                }
            }
        }
        Side::File(PathBuf::from(arg))
    }

    fn label(&self) -> String {
        match self {
            Side::File(p) => p.display().to_string(),
            Side::Git { rev, path } => format!("{rev}:{path}"),
        }
    }

    /// The model and the companion files `diff` compares (paginators, waiters).
    fn load(&self) -> Result<Sources, String> {
        let label = self.label();
        let text = match self {
            Side::File(p) => std::fs::read_to_string(p).map_err(|e| format!("error: {label}: cannot read: {e}"))?,
            Side::Git { rev, path } => {
                let root = repo_root();
                check_revision(&root, rev)?;
                git_show(&root, rev, path)?
                    .ok_or_else(|| format!("error: {label}: no such file at revision `{rev}`"))?
            }
        };
        let mut companions = Vec::new();
        for name in [PAGINATORS, WAITERS] {
            if let Some(text) = self.companion(name)? {
                companions.push((name, text));
            }
        }
        let companions: Vec<(&str, &str)> = companions.iter().map(|(n, t)| (*n, t.as_str())).collect();
        Sources::from_texts(&label, &text, &companions).map_err(|problems| not_a_model(&label, &problems))
    }

    /// The text of a companion file beside the model; `None` when there is none.
    fn companion(&self, name: &str) -> Result<Option<String>, String> {
        let text = match self {
            Side::File(p) => {
                let path = p.with_file_name(name);
                if !path.is_file() {
                    return Ok(None);
                }
                std::fs::read_to_string(&path).map_err(|e| format!("error: {}: cannot read: {e}", path.display()))?
            }
            Side::Git { rev, path } => {
                let path = match path.rsplit_once('/') {
                    Some((dir, _)) => format!("{dir}/{name}"),
                    None => name.to_owned(),
                };
                match git_show(&repo_root(), rev, &path)? {
                    Some(text) => text,
                    None => return Ok(None),
                }
            }
        };
        Ok(Some(text))
    }

    /// The project of a model file in the working tree (`codegen.toml` beside it): the
    /// settings it is generated with and the crate's version; `None` elsewhere (the model is
    /// then compared with plain settings, and the suggestion names only the semver part).
    fn project(&self) -> Option<codegen::Project> {
        let Side::File(path) = self else { return None };
        let dir = path.parent()?;
        if !dir.join("codegen.toml").is_file() {
            return None;
        }
        codegen::Project::read(dir, ".").ok()
    }
}

/// One line for a model that does not load: the first problem and how many more there are.
fn not_a_model(label: &str, problems: &[codegen::model::ModelError]) -> String {
    let Some(first) = problems.first() else { return format!("error: {label}: not a service model") };
    let at = if first.path.is_empty() { String::new() } else { format!("at {}: ", first.path) };
    let more = match problems.len() {
        1 => String::new(),
        n => format!(" (and {} more problems)", n - 1),
    };
    let message = first.message.replace('\n', " ");
    format!("error: {label}: not a valid service model: {at}{message}{more}")
}

/// Fails with a clear message unless `rev` names a commit of the repository at `root`.
fn check_revision(root: &Path, rev: &str) -> Result<(), String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
        .output()
        .map_err(|e| format!("error: cannot run git: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("error: git revision `{rev}` does not exist in {}", root.display()))
    }
}

/// Whether `path` exists at `rev`.
fn git_has(root: &Path, rev: &str, path: &str) -> bool {
    Command::new("git")
        .current_dir(root)
        .args(["cat-file", "-e", &format!("{rev}:{path}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `git show REV:path`; `None` when the revision has no such file.
fn git_show(root: &Path, rev: &str, path: &str) -> Result<Option<String>, String> {
    if !git_has(root, rev, path) {
        return Ok(None);
    }
    let out = Command::new("git")
        .current_dir(root)
        .args(["show", &format!("{rev}:{path}")])
        .output()
        .map_err(|e| format!("error: cannot run git: {e}"))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        let why = why.lines().next().unwrap_or("git show failed");
        return Err(format!("error: {rev}:{path}: {why}"));
    }
    String::from_utf8(out.stdout).map(Some).map_err(|_| format!("error: {rev}:{path}: not UTF-8 text"))
}

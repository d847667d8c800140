//! `cargo xtask update-model`: a new botocore release into `models/<service>/` and the
//! generated crate, in one step that either completes or changes nothing.
//!
//! For each service: the release's files replace the botocore files of `models/<service>/`
//! (`SOURCE.md` records the version, the date and each file's sha256), the model diff
//! against the current model gives the change log and the version bump, `codegen.toml`
//! gets the new version, the crate is regenerated, and its `CHANGELOG.md` gets an entry.
//! Everything is staged under `target/update-model/`; the model and crate folders are
//! swapped in only when every service generated (and, with `--verify`, when
//! cargo-semver-checks agrees with the verdict).

use crate::botocore::{self, Release};
use crate::update_plan::Update;
use crate::args::{repo_root, Args, Command};
use crate::changelog;
use codegen::diff::render::{self, Release as Entry};
use codegen::diff::Bump;
use codegen::{Project, Sources};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub const COMMAND: Command = Command {
    name: "update-model",
    usage: "\
usage: cargo xtask update-model [SERVICE...] [--botocore VERSION | --from PATH...] [--dry-run] [--verify]

A botocore release into models/<service>/ (every service when none is named): SOURCE.md,
regenerate, model diff, version bump in codegen.toml, an entry in the crate's CHANGELOG.md;
all or nothing.

  --botocore VERSION   pip download of that release (default: the newest)
  --from PATH          a wheel, source distribution or folder (repeatable; offline)
  --dry-run            print what would change, write nothing
  --verify             compare the crates' APIs with cargo-semver-checks too
",
    flags: &["dry-run", "verify"],
    values: &["botocore", "from"],
    positional: Some("SERVICE..."),
};

pub fn run(args: &Args) -> Result<(), String> {
    let dry_run = args.flag("dry-run");
    let verify = args.flag("verify");
    let version = args.value("botocore")?;
    let from: Vec<PathBuf> = args.values("from").into_iter().map(PathBuf::from).collect();
    let args = &args.positional;
    if version.is_some() && !from.is_empty() {
        return Err("error: --botocore and --from exclude each other".to_owned());
    }
    let root = repo_root();
    let projects = projects(&root, args)?;
    let sources = if from.is_empty() { botocore::fetch(&root, version.as_deref())? } else { from };
    let names: Vec<String> = projects.iter().map(|(name, _)| name.clone()).collect();
    let release = botocore::read(&sources, &names)?;
    let date = changelog::today()?;
    let stage = Stage::new(&root)?;
    let mut updates = Vec::new();
    for (service, project) in &projects {
        match prepare(&root, &stage, service, project, &release, &date)? {
            Some(update) => updates.push(update),
            None => eprintln!("==> {service}: up to date with botocore {} (no file differs)", release.version),
        }
    }
    if verify {
        for update in &updates {
            crate::semver_checks::verify(&root, &stage.dir, update)?;
        }
    }
    for update in &updates {
        print!("{}", update.entry);
    }
    for update in &updates {
        eprint!("{}", update.summary(&root));
    }
    if dry_run {
        eprintln!("==> dry run: nothing written");
        return Ok(());
    }
    swap(&root, &stage, &updates)?;
    if !updates.is_empty() {
        eprintln!("==> done: review `git diff models/ generated/`, then run `cargo xtask test`");
    }
    Ok(())
}

/// The services to update: those named (folders of `models/`), else every one with a
/// `codegen.toml`.
fn projects(root: &Path, names: &[String]) -> Result<Vec<(String, Project)>, String> {
    let names: Vec<String> = if names.is_empty() {
        Project::all(root)
            .map_err(|e| format!("error: {e}"))?
            .iter()
            .filter_map(|p| p.model.parent()?.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect()
    } else {
        names.to_vec()
    };
    if names.is_empty() {
        return Err("error: no models/*/codegen.toml to update".to_owned());
    }
    names
        .into_iter()
        .map(|name| {
            let dir = format!("models/{name}");
            if !root.join(&dir).join("codegen.toml").is_file() {
                return Err(format!("error: {dir}/codegen.toml does not exist (a service is a folder of models/)"));
            }
            Project::read(root, &dir).map(|p| (name, p)).map_err(|e| format!("error: {e}"))
        })
        .collect()
}

/// Stages one service's update; `None` when the release's files are the ones in place.
fn prepare(
    root: &Path,
    stage: &Stage,
    service: &str,
    project: &Project,
    release: &Release,
    date: &str,
) -> Result<Option<Update>, String> {
    let model_dir = root.join("models").join(service);
    let files = release
        .services
        .get(service)
        .ok_or_else(|| format!("error: botocore {} has no service `{service}` (botocore/data/{service}/)", release.version))?;
    let current = botocore_files(&model_dir)?;
    if current == files.files {
        return Ok(None);
    }
    let tests = botocore::ENDPOINT_TESTS;
    if current.contains_key(tests) && !files.files.contains_key(tests) && !release.has_tests {
        eprintln!(
            "warning: {service}: the given sources have no endpoint tests (botocore keeps them in its source \
             distribution, tests/functional/endpoint-rules/{service}/): models/{service}/{tests} is not kept"
        );
    }
    let model_name = &project.model_name;
    let old = Sources::read(&project.model, model_name)
        .map_err(|e| format!("error: the current model does not load:\n{}", codegen::Error::Model(e)))?;
    let new = new_sources(model_name, &files.files).map_err(|e| {
        format!("error: botocore {}'s `{service}` model does not generate; nothing was changed:\n{e}", release.version)
    })?;
    let report = codegen::diff::diff(&old, &new, &project.settings).map_err(|e| {
        format!("error: botocore {}'s `{service}` model does not generate; nothing was changed:\n{}", release.version, codegen::Error::Model(e))
    })?;
    // A model update that changes no API still changes the crate (endpoint rules, examples,
    // documentation): at least a patch release.
    let bump = report.bump.max(Bump::Patch);
    let previous = project.settings.version.clone();
    let next = bump
        .apply(&previous)
        .ok_or_else(|| format!("error: models/{service}/codegen.toml: version `{previous}` is not x.y.z"))?;

    // models/<service>/: the project's own files kept, the release's files, SOURCE.md.
    let staged_model = stage.dir.join("models").join(service);
    copy_tree(&model_dir, &staged_model, &|name| !botocore::is_botocore_file(name))?;
    for (name, bytes) in &files.files {
        write(&staged_model.join(name), bytes)?;
    }
    let toml_path = staged_model.join("codegen.toml");
    let toml = std::fs::read_to_string(&toml_path).map_err(|e| format!("error: {}: {e}", toml_path.display()))?;
    let toml = codegen::settings::set_version(&toml, &next).map_err(|e| format!("error: models/{service}/codegen.toml: {e}"))?;
    write(&toml_path, toml.as_bytes())?;
    let release_line = format!("botocore {} (`{}`), API version {}", release.version, release.origins.join("`, `"), files.api_version);
    write(&staged_model.join("SOURCE.md"), source_md(service, &new, release, &files.files, &files.api_version, date).as_bytes())?;

    // The crate: regenerated over a copy (only changed files rewritten, so unchanged ones
    // keep their modification times), then the change log entry.
    let mut settings = project.settings.clone();
    settings.version = next.clone();
    let generated = codegen::generate(&new, &settings).map_err(|e| {
        format!("error: botocore {}'s `{service}` model does not generate; nothing was changed:\n{e}", release.version)
    })?;
    for w in &generated.warnings {
        eprintln!("warning: {service}: {w}");
    }
    let staged_crate = stage.dir.join("crates").join(service);
    copy_tree(&project.out, &staged_crate, &|_| true)?;
    let written = codegen::write::write_files(&staged_crate, &generated.files)
        .map_err(|e| format!("error: writing {}: {e}", staged_crate.display()))?;
    let source = format!("botocore {}, `botocore/data/{service}/{}/`", release.version, files.api_version);
    let entry = render::changelog_entry(&report, &Entry { previous: previous.clone(), version: next.clone(), date: date.to_owned(), source });
    // The JSON bridge follows the crate it serves (it names the crate's types).
    let staged_json = match (&generated.json_crate, &project.json_out) {
        (Some(files), Some(out)) => {
            let staged = stage.dir.join("json").join(service);
            if out.is_dir() {
                copy_tree(out, &staged, &|_| true)?;
            }
            codegen::write::write_files(&staged, files).map_err(|e| format!("error: writing {}: {e}", staged.display()))?;
            Some((out.clone(), staged))
        }
        _ => None,
    };
    let changelog = staged_crate.join("CHANGELOG.md");
    let existing = std::fs::read_to_string(&changelog).ok();
    write(&changelog, changelog::prepend(existing.as_deref(), &entry, &changelog_heading(&project.settings.crate_name)).as_bytes())?;

    let mut file_changes: Vec<(String, &'static str)> = Vec::new();
    for name in current.keys().chain(files.files.keys()).collect::<std::collections::BTreeSet<_>>() {
        let how = match (current.get(name), files.files.get(name)) {
            (Some(a), Some(b)) if a == b => "unchanged",
            (Some(_), Some(_)) => "changed",
            (None, _) => "new",
            (_, None) => "removed",
        };
        file_changes.push((name.clone(), how));
    }
    Ok(Some(Update {
        service: service.to_owned(),
        project: project.clone(),
        old,
        new,
        report,
        previous,
        next,
        staged_model,
        staged_crate,
        staged_json,
        entry,
        files: file_changes,
        written: written.written.len(),
        removed: written.removed.len(),
        total: generated.files.len(),
        release: release_line,
    }))
}

/// The botocore files of a model folder, by name.
fn botocore_files(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut out = BTreeMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("error: {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && botocore::is_botocore_file(&name) {
            let bytes = std::fs::read(entry.path()).map_err(|e| format!("error: {}: {e}", entry.path().display()))?;
            out.insert(name, bytes);
        }
    }
    Ok(out)
}

/// The new model as the generator reads it, named as it will be in `models/`.
fn new_sources(name: &str, files: &BTreeMap<String, Vec<u8>>) -> Result<Sources, String> {
    let text = |file: &str| -> Result<Option<&str>, String> {
        files
            .get(file)
            .map(|b| std::str::from_utf8(b).map_err(|_| format!("error: {file}: not UTF-8")))
            .transpose()
    };
    let service = text(codegen::model::sources::SERVICE)?.ok_or("error: the release has no service-2.json")?;
    let mut companions = Vec::new();
    for file in files.keys() {
        if file != codegen::model::sources::SERVICE {
            if let Some(t) = text(file)? {
                companions.push((file.as_str(), t));
            }
        }
    }
    Sources::from_texts(name, service, &companions).map_err(|e| codegen::Error::Model(e).to_string())
}

/// `models/<service>/SOURCE.md`: where the files come from, when, and their sha256.
fn source_md(
    service: &str,
    sources: &Sources,
    release: &Release,
    files: &BTreeMap<String, Vec<u8>>,
    api_version: &str,
    date: &str,
) -> String {
    use sha2::Digest;
    let md = &sources.service.metadata;
    let full_name = md.service_full_name.as_deref().unwrap_or(service);
    let mut s = String::from("# Where these files come from\n\n");
    let _ = writeln!(
        s,
        "The botocore files of this folder are botocore {}'s description of {full_name} (API version \
         {}, protocol `{}`): `botocore/data/{service}/{api_version}/` (gzipped files decompressed){}, \
         unmodified. Read from `{}` by `cargo xtask update-model` on {date}.\n",
        release.version,
        md.api_version,
        md.protocol,
        if files.contains_key(botocore::ENDPOINT_TESTS) {
            format!(" and `tests/functional/endpoint-rules/{service}/{}` of its source distribution", botocore::ENDPOINT_TESTS)
        } else {
            String::new()
        },
        release.origins.join("`, `"),
    );
    s.push_str("| file | sha256 |\n|---|---|\n");
    for (name, bytes) in files {
        let digest = sha2::Sha256::digest(bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let _ = writeln!(s, "| `{name}` | `{hex}` |");
    }
    s.push_str(
        "\nThey are licensed under the Apache License 2.0: see `../LICENSE.botocore.txt` and \
         `../NOTICE.botocore.txt`.\n\n\
         `codegen.toml` is this project's own: it tells the generator what crate to make; its \
         `version`, the crate's, is set by `cargo xtask update-model`.\n",
    );
    s
}

/// The title and introduction of a crate's `CHANGELOG.md`, for a file made now.
fn changelog_heading(crate_name: &str) -> String {
    format!(
        "# Changelog of `{crate_name}`\n\n\
         Newest first. Each entry is written by `cargo xtask update-model`: the model it was \
         generated from, the change log in the style of the AWS API change feeds, every change \
         to the crate's API with its semver class, and the version bump that follows.\n\n"
    )
}

/// Where updates are staged: `target/update-model/<pid>/`, on the same file system as the
/// project so that the swap is a rename; removed when dropped.
struct Stage {
    dir: PathBuf,
}

impl Stage {
    fn new(root: &Path) -> Result<Stage, String> {
        let dir = root.join("target/update-model").join(std::process::id().to_string());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("error: {}: {e}", dir.display()))?;
        Ok(Stage { dir })
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Swaps the staged folders in: every current folder is moved aside first, then every staged
/// one moved in; a failure puts back what was moved, so the tree is the old one or the new one.
fn swap(root: &Path, stage: &Stage, updates: &[Update]) -> Result<(), String> {
    let mut moves: Vec<(PathBuf, PathBuf, PathBuf)> = Vec::new(); // (live, staged, aside)
    for u in updates {
        let aside = stage.dir.join("previous").join(&u.service);
        moves.push((root.join("models").join(&u.service), u.staged_model.clone(), aside.join("model")));
        moves.push((u.project.out.clone(), u.staged_crate.clone(), aside.join("crate")));
        if let Some((live, staged)) = &u.staged_json {
            moves.push((live.clone(), staged.clone(), aside.join("json")));
        }
    }
    let mut done: Vec<(&Path, &Path)> = Vec::new(); // renames made, to undo in reverse
    let mut result = Ok(());
    for (live, _, aside) in &moves {
        if let Some(parent) = aside.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if !live.exists() {
            continue; // a folder the update creates (a JSON bridge crate not written yet)
        }
        if let Err(e) = std::fs::rename(live, aside) {
            result = Err(format!("error: moving {} aside: {e}", live.display()));
            break;
        }
        done.push((live, aside));
    }
    if result.is_ok() {
        for (live, staged, _) in &moves {
            if let Err(e) = std::fs::rename(staged, live) {
                result = Err(format!("error: moving {} in: {e}", live.display()));
                break;
            }
            done.push((staged, live));
        }
    }
    if result.is_err() {
        for (from, to) in done.into_iter().rev() {
            let _ = std::fs::rename(to, from);
        }
    }
    result
}

/// Copies folder `from` to `to` (created), files whose name `keep` accepts, keeping their
/// modification times; `target` folders are skipped.
fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&str) -> bool) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("error: {}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("error: {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("error: {}: {e}", from.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let (src, dest) = (entry.path(), to.join(&name));
        if src.is_dir() {
            if name != "target" {
                copy_tree(&src, &dest, &|_| true)?;
            }
        } else if keep(&name) {
            let fail = |e: std::io::Error| format!("error: copying {}: {e}", src.display());
            std::fs::copy(&src, &dest).map_err(fail)?;
            let modified = std::fs::metadata(&src).and_then(|m| m.modified()).map_err(fail)?;
            std::fs::File::options().write(true).open(&dest).and_then(|f| f.set_modified(modified)).map_err(fail)?;
        }
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("error: {}: {e}", parent.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("error: {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changelog_entries_go_first() {
        let prepend = |existing, entry| changelog::prepend(existing, entry, &changelog_heading("svc"));
        let first = prepend(None, "## 0.1.1 (2026-01-01)\n\none\n");
        assert!(first.starts_with("# Changelog of `svc`\n\nNewest first."), "{first}");
        assert!(first.ends_with("\n\n## 0.1.1 (2026-01-01)\n\none\n"), "{first}");
        let second = prepend(Some(&first), "## 0.1.2 (2026-02-01)\n\ntwo\n");
        let at2 = second.find("## 0.1.2").unwrap();
        let at1 = second.find("## 0.1.1").unwrap();
        assert!(at2 < at1, "{second}");
        assert_eq!(second.replace("## 0.1.2 (2026-02-01)\n\ntwo\n\n", ""), first);
    }
}

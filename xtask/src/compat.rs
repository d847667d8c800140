//! `cargo xtask compat [--control]`: the compatibility corpus (`tests/compat/`), programs
//! written against aws-sdk-elasticache and tested with aws-smithy-mocks, compiled and tested
//! against this project's crates (default) or against aws-sdk-elasticache itself
//! (`--control`, which proves the corpus honest).
//!
//! The corpus is a workspace of its own. Each mode builds a copy of it under
//! `target/compat/<mode>/`; for this project's crates the copy's workspace manifest differs
//! from the checked-in one in exactly the seven dependency lines of [`SWITCHED`], which are
//! printed:
//!
//! ```toml
//! aws-sdk-elasticache = { package = "elasticache", path = "<repo>/generated/elasticache" }
//! aws-smithy-mocks = { package = "aws-query-mocks", path = "<repo>/mocks" }
//! aws-config = { package = "aws-query-config", path = "<repo>/config" }
//! aws-smithy-types = { package = "aws-query-smithy-types", path = "<repo>/shims/smithy-types" }
//! # … and aws-smithy-runtime-api, aws-types, aws-credential-types, from shims/ likewise
//! ```
//!
//! Both copies resolve from committed lock files only (`xtask::nested`): the control copy from
//! the corpus's own `tests/compat/Cargo.lock`, in a target folder of its own, so
//! aws-sdk-elasticache never enters the project's build or lock file; the copy for this
//! project's crates from the project's `Cargo.lock` (then the corpus's, for what only the
//! corpus uses), in the project's target folder, so the runtime and its dependencies are the
//! versions already built.
//!
//! Every program is compiled with `cargo build --tests --keep-going`; each test binary that
//! builds is run. The report gives one line per program, and for a program that does not
//! compile, its errors sorted into categories (missing path, missing method, different
//! signature or type, missing trait implementation, ...) with the item each names.

use crate::args::{repo_root, Args, Command as XtaskCommand};
use serde_json::Value;
use xtask::nested::{self, Committed};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The dependency lines of `tests/compat/Cargo.toml` that name aws-sdk-elasticache's crates,
/// and what they become for this project's crates (`{root}`: the repository).
const SWITCHED: [(&str, &str); 7] = [
    ("aws-sdk-elasticache", r#"{ package = "elasticache", path = "{root}/generated/elasticache" }"#),
    ("aws-smithy-mocks", r#"{ package = "aws-query-mocks", path = "{root}/mocks" }"#),
    ("aws-config", r#"{ package = "aws-query-config", path = "{root}/config" }"#),
    ("aws-smithy-types", r#"{ package = "aws-query-smithy-types", path = "{root}/shims/smithy-types" }"#),
    ("aws-smithy-runtime-api", r#"{ package = "aws-query-smithy-runtime-api", path = "{root}/shims/smithy-runtime-api" }"#),
    ("aws-types", r#"{ package = "aws-query-aws-types", path = "{root}/shims/aws-types" }"#),
    ("aws-credential-types", r#"{ package = "aws-query-credential-types", path = "{root}/shims/credential-types" }"#),
];

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Ours,
    Control,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Ours => "ours",
            Mode::Control => "control",
        }
    }
}

pub const COMMAND: XtaskCommand = XtaskCommand {
    name: "compat",
    usage: "\
usage: cargo xtask compat [--control]

The compatibility corpus (tests/compat/): programs written against aws-sdk-elasticache and
aws-smithy-mocks, built and tested against this project's crates with two dependency lines
renamed.

  --control   build and test them against aws-sdk-elasticache itself (proves the corpus)
",
    flags: &["control"],
    values: &[],
    positional: None,
};

pub fn run(args: &Args) -> Result<(), String> {
    let mode = if args.flag("control") { Mode::Control } else { Mode::Ours };
    let root = repo_root();
    let corpus = root.join("tests/compat");
    let work = root.join("target/compat").join(mode.name());
    let programs = members(&corpus)?;
    prepare(&root, &corpus, &work, mode)?;

    let target = match mode {
        Mode::Ours => root.join("target"),
        Mode::Control => root.join("target/compat/control-target"),
    };
    eprintln!("==> compat ({}): cargo build --tests --keep-going in {}", mode.name(), work.display());
    let build = cargo_json(&work, &target, &["build", "--tests", "--keep-going", "--message-format=json"])?;
    let mut results: BTreeMap<String, Program> = programs.iter().map(|p| (p.clone(), Program::default())).collect();
    read_build(&build, &work, &mut results);
    for (name, program) in results.iter_mut() {
        if program.errors.is_empty() {
            for exe in program.executables.clone() {
                eprintln!("==> compat ({}): running the tests of {name}", mode.name());
                program.run_tests(&exe, &work);
            }
        }
    }
    let report = render(mode, &results);
    print!("{report}");
    let file = root.join(format!("target/compat/{}-report.txt", mode.name()));
    std::fs::write(&file, &report).map_err(|e| format!("error: {}: {e}", file.display()))?;
    eprintln!("(report written to {})", file.display());
    let failed = results.values().filter(|p| !p.passed()).count();
    if failed > 0 {
        return Err(format!("error: {failed} of {} programs failed ({})", results.len(), mode.name()));
    }
    Ok(())
}

/// The corpus's programs, as its workspace manifest lists them.
fn members(corpus: &Path) -> Result<Vec<String>, String> {
    let manifest = corpus.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("error: {}: {e}", manifest.display()))?;
    let start = text.find("members = [").ok_or_else(|| format!("error: no `members = [` in {}", manifest.display()))?;
    let list = &text[start + "members = [".len()..];
    let end = list.find(']').ok_or_else(|| format!("error: unterminated members list in {}", manifest.display()))?;
    Ok(list[..end].split(',').map(|m| m.trim().trim_matches('"').to_owned()).filter(|m| !m.is_empty()).collect())
}

/// Copies the corpus to `work`, writes the mode's manifest and its lock file.
fn prepare(root: &Path, corpus: &Path, work: &Path, mode: Mode) -> Result<(), String> {
    if work.exists() {
        std::fs::remove_dir_all(work).map_err(|e| format!("error: {}: {e}", work.display()))?;
    }
    copy_tree(corpus, work).map_err(|e| format!("error: copying {}: {e}", corpus.display()))?;
    if mode == Mode::Control {
        return nested::lock(work, &nested::seed_paths(root, &[Committed::Compat]));
    }
    let manifest = work.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("error: {}: {e}", manifest.display()))?;
    let switched = switch_dependencies(&text, &root.display().to_string())?;
    std::fs::write(&manifest, switched.text).map_err(|e| format!("error: {}: {e}", manifest.display()))?;
    for (old, new) in &switched.changed {
        eprintln!("    - {old}\n    + {new}");
    }
    // The project's resolution first, so that shared dependencies are the versions built.
    nested::lock(work, &nested::seed_paths(root, &[Committed::Root, Committed::Compat]))
}

struct Switched {
    text: String,
    changed: Vec<(String, String)>,
}

/// The manifest with the [`SWITCHED`] lines of `[workspace.dependencies]` replaced, each
/// of which must be there exactly once; nothing else changes.
fn switch_dependencies(manifest: &str, root: &str) -> Result<Switched, String> {
    let mut changed = Vec::new();
    let mut section = String::new();
    let mut lines = Vec::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.to_owned();
        }
        let key = trimmed.split('=').next().unwrap_or("").trim();
        match SWITCHED.iter().find(|(name, _)| *name == key) {
            Some((name, value)) if section == "[workspace.dependencies]" => {
                let new = format!("{name} = {}", value.replace("{root}", root));
                changed.push((line.to_owned(), new.clone()));
                lines.push(new);
            }
            _ => lines.push(line.to_owned()),
        }
    }
    for (name, _) in SWITCHED {
        let count = changed.iter().filter(|(old, _)| old.trim_start().starts_with(&format!("{name} "))).count();
        if count != 1 {
            return Err(format!("error: `{name}` appears {count} times in [workspace.dependencies] of tests/compat/Cargo.toml (expected once)"));
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    Ok(Switched { text, changed })
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Runs cargo with JSON messages; returns its stdout whatever the exit status (a program
/// that does not compile is a result, not a failure of the tool).
fn cargo_json(dir: &Path, target: &Path, args: &[&str]) -> Result<String, String> {
    let (subcommand, rest) = args.split_first().ok_or("error: no cargo subcommand")?;
    // `--locked`, and the outer cargo's settings (xtask is built in release) kept out.
    let mut cmd = nested::cargo(dir, subcommand);
    cmd.args(rest).env("CARGO_TARGET_DIR", target);
    let out = cmd.output().map_err(|e| format!("error: cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Resolution or fetch failures leave no compiler messages: show cargo's own words.
    if !out.status.success() && !String::from_utf8_lossy(&out.stdout).contains("\"reason\":\"compiler-message\"") {
        return Err(format!("error: `cargo {}` failed in {}:\n{stderr}", args.join(" "), dir.display()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[derive(Default, Clone)]
struct Program {
    /// Distinct compile errors: (category, item, rendered first line, location).
    errors: Vec<CompileError>,
    executables: Vec<PathBuf>,
    passed: usize,
    failed: usize,
    /// Names of failed tests, with the first lines of their output.
    failures: Vec<String>,
    /// A test binary that could not be run or whose summary was not found.
    broken: Option<String>,
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct CompileError {
    category: &'static str,
    item: String,
    message: String,
    location: String,
}

impl Program {
    fn passed(&self) -> bool {
        self.errors.is_empty() && self.failed == 0 && self.broken.is_none() && !self.executables.is_empty()
    }

    fn run_tests(&mut self, exe: &Path, work: &Path) {
        let out = match Command::new(exe).current_dir(work).output() {
            Ok(out) => out,
            Err(e) => {
                self.broken = Some(format!("cannot run {}: {e}", exe.display()));
                return;
            }
        };
        let stdout = String::from_utf8_lossy(&out.stdout);
        match parse_summary(&stdout) {
            Some((passed, failed)) => {
                self.passed += passed;
                self.failed += failed;
                self.failures.extend(failed_tests(&stdout));
            }
            None => {
                let stderr = String::from_utf8_lossy(&out.stderr);
                self.broken = Some(format!("no test summary from {} ({}): {}", exe.display(), out.status, first_lines(&stderr, 5)));
            }
        }
    }
}

/// `test result: ok. 5 passed; 0 failed; ...` → (5, 0).
fn parse_summary(stdout: &str) -> Option<(usize, usize)> {
    let line = stdout.lines().rev().find(|l| l.starts_with("test result: "))?;
    let count = |word: &str| -> Option<usize> {
        let at = line.find(&format!(" {word}"))?;
        line[..at].rsplit(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
    };
    Some((count("passed")?, count("failed")?))
}

/// The failed tests and the first lines of what each printed.
fn failed_tests(stdout: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in stdout.split("---- ").skip(1) {
        let Some((name, rest)) = block.split_once(" stdout ----") else { continue };
        out.push(format!("{name}: {}", first_lines(rest.trim(), 4).replace('\n', " | ")));
    }
    out
}

fn first_lines(s: &str, n: usize) -> String {
    s.lines().filter(|l| !l.trim().is_empty()).take(n).collect::<Vec<_>>().join("\n")
}

/// Sorts cargo's JSON messages into the programs: test executables and compile errors.
fn read_build(json: &str, work: &Path, results: &mut BTreeMap<String, Program>) {
    for line in json.lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else { continue };
        let Some(program) = package_name(&msg).and_then(|p| results.get_mut(&p)) else { continue };
        match msg["reason"].as_str() {
            Some("compiler-artifact") if msg["profile"]["test"].as_bool() == Some(true) => {
                if let Some(exe) = msg["executable"].as_str() {
                    program.executables.push(PathBuf::from(exe));
                }
            }
            Some("compiler-message") if msg["message"]["level"].as_str() == Some("error") => {
                if let Some(e) = classify(&msg["message"], work) {
                    if !program.errors.contains(&e) {
                        program.errors.push(e);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The package of a message: `path+file:///.../snapshot-backup#0.1.0` → `snapshot-backup`.
fn package_name(msg: &Value) -> Option<String> {
    let (url, fragment) = msg["package_id"].as_str()?.split_once('#')?;
    // `...#name@1.0` when the name differs from the folder's, `.../name#1.0` otherwise.
    match fragment.split_once('@') {
        Some((name, _)) => Some(name.to_owned()),
        None => url.rsplit('/').next().map(str::to_owned),
    }
}

/// Methods of `Option` and `Result`: called on a value that is neither, they say that
/// aws-sdk-elasticache returns an `Option` (or a `Result`) where this crate does not.
const OPTION_METHODS: [&str; 12] =
    ["unwrap", "expect", "and_then", "map", "is_some", "is_none", "ok_or", "unwrap_or", "unwrap_or_default", "cloned", "as_deref", "ok"];

/// Types whose methods are not this project's to add: a missing method on one says the value
/// has another type than in aws-sdk-elasticache.
const PRIMITIVES: [&str; 9] = ["u16", "u32", "u64", "i32", "i64", "str", "&str", "bool", "String"];

/// A compile error's category and the item it names.
fn classify(message: &Value, work: &Path) -> Option<CompileError> {
    let text = message["message"].as_str()?.to_owned();
    // Summary lines ("aborting due to N previous errors") are not errors of their own.
    if text.starts_with("aborting due to") || text.starts_with("could not compile") {
        return None;
    }
    let code = message["code"]["code"].as_str().unwrap_or("");
    let quoted: Vec<&str> = text.split('`').skip(1).step_by(2).collect();
    let method_on = |names: &[&str]| quoted.first().is_some_and(|m| names.contains(m));
    let owner_is = |names: &[&str]| quoted.get(1).is_some_and(|t| names.contains(&t.trim_start_matches('&')));
    let category = match code {
        "E0432" | "E0433" | "E0412" | "E0425" | "E0422" | "E0531" | "E0405" => "missing path (module, type, function or trait)",
        "E0599" if text.contains("is not an iterator") || method_on(&OPTION_METHODS) || owner_is(&PRIMITIVES) => {
            "different type (a return type differs: Option, a primitive, ...)"
        }
        "E0599" if text.contains("no variant") || text.contains("associated item") || text.contains("no function or associated item") => {
            "missing associated item (variant, constructor, constant)"
        }
        "E0599" => "missing method",
        "E0532" | "E0164" | "E0769" | "E0618" => "different shape (struct vs tuple variant, function vs value)",
        "E0609" | "E0560" | "E0026" => "missing field",
        "E0308" => "different type (mismatched types)",
        "E0061" | "E0107" | "E0050" => "different signature (arguments, generic parameters)",
        "E0277" => "missing trait implementation",
        "E0603" => "private item",
        "E0614" | "E0369" | "E0600" => "missing operator or trait implementation",
        "E0282" | "E0283" | "E0284" => "type cannot be inferred (usually follows another difference)",
        _ => "other",
    };
    let item = backticked(&text).unwrap_or_else(|| text.clone());
    let span = message["spans"].as_array().and_then(|s| s.iter().find(|s| s["is_primary"].as_bool() == Some(true)));
    let location = span
        .map(|s| {
            let file = s["file_name"].as_str().unwrap_or("?");
            let file = Path::new(file).strip_prefix(work).map(|p| p.display().to_string()).unwrap_or_else(|_| file.to_owned());
            format!("{file}:{}", s["line_start"])
        })
        .unwrap_or_default();
    Some(CompileError { category, item: describe_item(code, &text, item), message: text, location })
}

/// The `quoted` parts of an unresolved-imports message (each is an item), else the first.
fn backticked(text: &str) -> Option<String> {
    let quoted: Vec<&str> = text.split('`').skip(1).step_by(2).collect();
    match (text.starts_with("unresolved imports"), quoted.first()) {
        (true, _) => Some(quoted.join(", ")),
        (false, first) => first.map(|q| (*q).to_owned()),
    }
}

/// The item a message is about, with its owner where rustc names one: `no method named
/// `try_next` found for struct `Foo`` → `Foo::try_next`.
fn describe_item(code: &str, text: &str, item: String) -> String {
    let quoted: Vec<&str> = text.split('`').skip(1).step_by(2).collect();
    match code {
        "E0599" | "E0609" if quoted.len() >= 2 => format!("{}::{}", shorten(quoted[1]), quoted[0]),
        "E0599" if text.contains("is not an iterator") => format!("{} used as an Option", shorten(&item)),
        "E0277" if !quoted.is_empty() => text.to_owned(),
        "E0308" => text.to_owned(),
        _ => shorten(&item),
    }
}

/// Drops the generic arguments of a type name (`Foo<Bar, Baz>` → `Foo`) to group messages.
fn shorten(name: &str) -> String {
    let base = name.split('<').next().unwrap_or(name);
    base.trim_start_matches("&").trim().to_owned()
}

fn render(mode: Mode, results: &BTreeMap<String, Program>) -> String {
    let mut r = String::new();
    let against = match mode {
        Mode::Ours => "this project's elasticache + aws-query-mocks",
        Mode::Control => "aws-sdk-elasticache + aws-smithy-mocks",
    };
    let _ = writeln!(r, "compatibility corpus against {against}:");
    let (mut compiled, mut passed, mut failed) = (0, 0, 0);
    for (name, p) in results {
        let status = if !p.errors.is_empty() {
            format!("does not compile ({} distinct errors)", p.errors.len())
        } else if let Some(why) = &p.broken {
            format!("compiles; tests not run: {why}")
        } else if p.executables.is_empty() {
            "no test binary was built".to_owned()
        } else {
            compiled += 1;
            format!("compiles; {} passed, {} failed", p.passed, p.failed)
        };
        passed += p.passed;
        failed += p.failed;
        let _ = writeln!(r, "  {name:<16} {status}");
        for f in &p.failures {
            let _ = writeln!(r, "      FAILED {f}");
        }
    }
    let _ = writeln!(r, "{compiled} of {} programs compile and run; tests: {passed} passed, {failed} failed", results.len());
    let errors: Vec<(&String, &CompileError)> = results.iter().flat_map(|(n, p)| p.errors.iter().map(move |e| (n, e))).collect();
    if errors.is_empty() {
        return r;
    }
    // Categories, then items, each with the programs that hit it.
    let mut by_category: BTreeMap<&str, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
    for (program, e) in &errors {
        let programs = by_category.entry(e.category).or_default().entry(e.item.as_str()).or_default();
        if !programs.contains(&program.as_str()) {
            programs.push(program);
        }
    }
    let _ = writeln!(r, "\ncompile errors by category ({} distinct errors):", errors.len());
    let _ = writeln!(r, "  (what rustc reports now: errors behind these, in code whose types are unknown, show once they are fixed)");
    for (category, items) in &by_category {
        let count: usize = errors.iter().filter(|(_, e)| e.category == *category).count();
        let _ = writeln!(r, "  {category}: {count} errors, {} items", items.len());
        for (item, programs) in items {
            let _ = writeln!(r, "    {item}  [{}]", programs.join(", "));
        }
    }
    let _ = writeln!(r, "\nevery error, by program:");
    for (program, p) in results {
        for e in &p.errors {
            let _ = writeln!(r, "  {program}: {} [{}] {}", e.location, e.category, e.message);
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "[workspace]\nmembers = [\n    \"a\",\n    \"b\",\n]\n\n[workspace.dependencies]\naws-sdk-elasticache = \"1\"\naws-smithy-mocks = \"0.3\"\ntokio = \"1\"\naws-config = \"1\"\naws-smithy-types = \"1\"\naws-smithy-runtime-api = \"1\"\naws-types = \"1\"\naws-credential-types = \"1\"\n";

    #[test]
    fn only_the_seven_dependency_lines_change() {
        let s = switch_dependencies(MANIFEST, "/repo").unwrap();
        let old: Vec<&str> = MANIFEST.lines().collect();
        let new: Vec<&str> = s.text.lines().collect();
        assert_eq!(old.len(), new.len());
        let differing: Vec<(&&str, &&str)> = old.iter().zip(&new).filter(|(a, b)| a != b).collect();
        assert_eq!(
            differing,
            vec![
                (&"aws-sdk-elasticache = \"1\"", &"aws-sdk-elasticache = { package = \"elasticache\", path = \"/repo/generated/elasticache\" }"),
                (&"aws-smithy-mocks = \"0.3\"", &"aws-smithy-mocks = { package = \"aws-query-mocks\", path = \"/repo/mocks\" }"),
                (&"aws-config = \"1\"", &"aws-config = { package = \"aws-query-config\", path = \"/repo/config\" }"),
                (&"aws-smithy-types = \"1\"", &"aws-smithy-types = { package = \"aws-query-smithy-types\", path = \"/repo/shims/smithy-types\" }"),
                (
                    &"aws-smithy-runtime-api = \"1\"",
                    &"aws-smithy-runtime-api = { package = \"aws-query-smithy-runtime-api\", path = \"/repo/shims/smithy-runtime-api\" }"
                ),
                (&"aws-types = \"1\"", &"aws-types = { package = \"aws-query-aws-types\", path = \"/repo/shims/aws-types\" }"),
                (&"aws-credential-types = \"1\"", &"aws-credential-types = { package = \"aws-query-credential-types\", path = \"/repo/shims/credential-types\" }"),
            ]
        );
    }

    #[test]
    fn a_missing_or_repeated_line_is_an_error() {
        let err = switch_dependencies("[workspace.dependencies]\naws-sdk-elasticache = \"1\"\n", "/r").err().unwrap();
        assert!(err.contains("`aws-smithy-mocks` appears 0 times"), "{err}");
        // The line outside [workspace.dependencies] does not count.
        let err = switch_dependencies("[dependencies]\naws-sdk-elasticache = \"1\"\naws-smithy-mocks = \"1\"\n", "/r").err().unwrap();
        assert!(err.contains("`aws-sdk-elasticache` appears 0 times"), "{err}");
    }

    #[test]
    fn members_are_read_from_the_manifest() {
        let dir = std::env::temp_dir().join(format!("compat-members-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("Cargo.toml"), MANIFEST).unwrap();
        assert_eq!(members(&dir).unwrap(), vec!["a".to_owned(), "b".to_owned()]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn test_summaries_are_read() {
        let out = "running 3 tests\ntest a ... ok\n\ntest result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n";
        assert_eq!(parse_summary(out), Some((2, 1)));
        assert_eq!(parse_summary("no summary"), None);
        let failures = "---- tests::x stdout ----\nthread 'tests::x' panicked at src/main.rs:3:5:\nboom\n\n---- tests::y stdout ----\nnope\n\nfailures:\n";
        assert_eq!(failed_tests(failures).len(), 2);
        assert!(failed_tests(failures)[0].starts_with("tests::x: thread"));
    }

    #[test]
    fn errors_are_categorised_with_their_item() {
        let work = Path::new("/w");
        let msg = |code: &str, text: &str| {
            serde_json::json!({
                "message": text, "code": {"code": code}, "level": "error",
                "spans": [{"file_name": "/w/a/src/main.rs", "line_start": 7, "is_primary": true}]
            })
        };
        let e = classify(&msg("E0432", "unresolved import `aws_sdk_elasticache::error::ProvideErrorMetadata`"), work).unwrap();
        assert_eq!((e.category, e.item.as_str(), e.location.as_str()), ("missing path (module, type, function or trait)", "aws_sdk_elasticache::error::ProvideErrorMetadata", "a/src/main.rs:7"));
        let e = classify(&msg("E0599", "no method named `try_next` found for struct `Paginator<Async>` in the current scope"), work).unwrap();
        assert_eq!((e.category, e.item.as_str()), ("missing method", "Paginator::try_next"));
        let e = classify(&msg("E0599", "no variant or associated item named `Gb` found for enum `DataStorageUnit` in the current scope"), work).unwrap();
        assert_eq!((e.category, e.item.as_str()), ("missing associated item (variant, constructor, constant)", "DataStorageUnit::Gb"));
        assert!(classify(&msg("", "aborting due to 3 previous errors"), work).is_none());
        let e = classify(&msg("E0599", "no method named `unwrap` found for reference `&TimeoutConfig` in the current scope"), work).unwrap();
        assert_eq!(e.category, "different type (a return type differs: Option, a primitive, ...)");
        let e = classify(&msg("E0599", "no method named `as_u16` found for type `u16` in the current scope"), work).unwrap();
        assert_eq!(e.category, "different type (a return type differs: Option, a primitive, ...)");
        let e = classify(&msg("E0432", "unresolved imports `a::B`, `a::C`"), work).unwrap();
        assert_eq!(e.item, "a::B, a::C");
        let e = classify(&msg("E0532", "expected tuple struct or tuple variant, found struct variant `E::V`"), work).unwrap();
        assert_eq!((e.category, e.item.as_str()), ("different shape (struct vs tuple variant, function vs value)", "E::V"));
    }

    #[test]
    fn package_names_come_from_package_ids() {
        let msg = serde_json::json!({"package_id": "path+file:///w/snapshot-backup#0.1.0"});
        assert_eq!(package_name(&msg).as_deref(), Some("snapshot-backup"));
        let msg = serde_json::json!({"package_id": "path+file:///w/x#my-name@0.1.0"});
        assert_eq!(package_name(&msg).as_deref(), Some("my-name"));
    }
}

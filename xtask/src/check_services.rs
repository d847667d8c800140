//! `cargo xtask check-services`: every query-family service of a botocore release through the
//! whole generator. Each service whose protocol is `query` or `ec2` is generated into
//! `target/check-services/<service>/` (a workspace of its own, one shared target folder, the
//! project's `Cargo.lock`), built with `RUSTFLAGS=-D warnings`, and its botocore endpoint
//! tests (from the source distribution) run through the generated resolver. Each crate has its
//! operation features (one per operation, or per resource where a service has more operations
//! than a crate may have features) and is also built with no operation and with three of them
//! alone. Prints one line per service, `services: N built, M failed`, and each failure's first error; the same
//! report goes to `target/check-services/report.txt`.
//!
//! The crates are built one after another (after the runtime and its dependencies): rustc
//! already spreads one crate over both cores, and a per-crate build gives each service's
//! build time and its own first error.

use crate::botocore;
use crate::args::{repo_root, Args, Command as XtaskCommand};
use codegen::ir::endpoints::{ParameterKind, RuleSet};
use codegen::{RuntimeDep, Settings, Sources};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use xtask::nested::{self, Committed};

/// Where the services are generated and built, relative to the repository root.
const OUT: &str = "target/check-services";

/// How many operation features of each crate are built alone (spread over its features).
const SAMPLED_FEATURES: usize = 3;

/// The protocols of the query family.
const PROTOCOLS: [&str; 2] = ["query", "ec2"];

pub const COMMAND: XtaskCommand = XtaskCommand {
    name: "check-services",
    usage: "\
usage: cargo xtask check-services [--botocore VERSION | --from PATH...] [--only a,b] [--protocol query|ec2]

Every query and ec2 service of a botocore release generated into
target/check-services/<service>/, built with -D warnings, its endpoint tests run (from the
source distribution): one line per service, `services: N built, M failed`, the first errors
(report in target/check-services/report.txt).

  --botocore VERSION   pip download of that release (default: the newest)
  --from PATH          a wheel, source distribution or folder (repeatable; offline)
  --only a,b           these services only
  --protocol P         services of this protocol only (query or ec2)
",
    flags: &[],
    values: &["botocore", "from", "only", "protocol"],
    positional: None,
};

pub fn run(args: &Args) -> Result<(), String> {
    let version = args.value("botocore")?;
    let from: Vec<PathBuf> = args.values("from").into_iter().map(PathBuf::from).collect();
    let only: Option<Vec<String>> = args.value("only")?.map(|s| s.split(',').map(str::to_owned).collect());
    let protocol = args.value("protocol")?;
    if let Some(p) = &protocol {
        if !PROTOCOLS.contains(&p.as_str()) {
            return Err(format!("error: --protocol {p}: expected one of {}", PROTOCOLS.join(", ")));
        }
    }
    if version.is_some() && !from.is_empty() {
        return Err("error: --botocore and --from exclude each other".to_owned());
    }
    let root = repo_root();
    let sources = if from.is_empty() { botocore::fetch(&root, version.as_deref())? } else { from };
    let names = botocore::service_names(&sources)?;
    let wanted: Vec<String> = match &only {
        Some(only) => {
            if let Some(missing) = only.iter().find(|s| !names.contains(s)) {
                return Err(format!("error: --only {missing}: the release has no such service"));
            }
            only.clone()
        }
        None => names,
    };
    let release = botocore::read(&sources, &wanted)?;
    let mut services: Vec<(String, String, botocore::ServiceFiles)> = Vec::new();
    for (name, files) in release.services {
        let Some(found) = service_protocol(&files) else { continue };
        let in_family = PROTOCOLS.contains(&found.as_str());
        if !in_family && only.is_some() {
            return Err(format!("error: --only {name}: its protocol is `{found}`, not one of {}", PROTOCOLS.join(", ")));
        }
        if in_family && protocol.as_ref().is_none_or(|p| *p == found) {
            services.push((name, found, files));
        }
    }
    println!("botocore {}: {} services of the query family", release.version, services.len());
    if !release.has_tests {
        println!("no endpoint tests: give botocore's source distribution (a wheel has none)");
    }

    let out = root.join(OUT);
    let mut results = Vec::new();
    let mut members = Vec::new();
    for (name, protocol, files) in &services {
        let result = generate(&root, &out, name, files);
        if result.error.is_none() {
            members.push(name.clone());
        }
        results.push((name.clone(), protocol.clone(), result));
    }
    write_workspace(&root, &out, &members)?;
    let target = out.join("target");
    if !members.is_empty() {
        // The runtime and everything the crates share, once, before timing each crate.
        let deps = ["aws-query-runtime", "aws-query-transport", "aws-query-credentials-sts"];
        let mut build_deps = cargo(&out, &target, "build");
        for d in deps {
            build_deps.args(["-p", d]);
        }
        let output = build_deps.output().map_err(|e| format!("error: cannot run cargo: {e}"))?;
        if !output.status.success() {
            return Err(format!("error: the runtime does not build:\n{}", nested::first_error(&output)));
        }
    }
    for (name, _, result) in &mut results {
        if result.error.is_some() {
            continue;
        }
        build_and_test(&out, &target, name, result);
    }
    let report = report(&release.version, &results);
    print!("{report}");
    std::fs::write(out.join("report.txt"), &report).map_err(|e| format!("error: {OUT}/report.txt: {e}"))?;
    if results.iter().any(|(_, _, r)| r.error.is_some()) {
        Err(format!("error: some services failed (see {OUT}/report.txt)"))
    } else {
        Ok(())
    }
}

/// What happened to one service.
#[derive(Debug, Default)]
struct Outcome {
    operations: usize,
    lines: usize,
    /// What the generator noticed without refusing (a name clash resolved with a suffix).
    warnings: Vec<String>,
    /// Seconds of a clean `cargo build -p` of the crate alone (its dependencies built already).
    build_seconds: Option<f64>,
    /// The crate's operation features (one per operation, or per resource: `grouped`), and
    /// those checked alone.
    features: usize,
    grouped: bool,
    sampled: Vec<String>,
    /// `(passed, failed)` of its endpoint tests; `None` when botocore has none for it.
    endpoints: Option<(usize, usize)>,
    /// The first error of the step that failed: generation, build or endpoint tests.
    error: Option<String>,
}

/// `metadata.protocol` of a service model, if it reads.
fn service_protocol(files: &botocore::ServiceFiles) -> Option<String> {
    let model: serde_json::Value = serde_json::from_slice(files.files.get("service-2.json")?).ok()?;
    model["metadata"]["protocol"].as_str().map(str::to_owned)
}

/// The crate's package name: `check-<service>`, apart from the project's own crates (the
/// project's `sts` is a dependency of every crate through the credential chain).
fn package(service: &str) -> String {
    format!("check-{service}")
}

/// Generates one service's crate into `out/<service>/`, with its endpoint tests.
fn generate(root: &Path, out: &Path, name: &str, files: &botocore::ServiceFiles) -> Outcome {
    let mut outcome = Outcome::default();
    let text = |file: &str| files.files.get(file).map(|b| String::from_utf8_lossy(b).into_owned());
    let companions: Vec<(&str, String)> = [
        codegen::model::sources::PAGINATORS,
        codegen::model::sources::WAITERS,
        codegen::model::sources::ENDPOINT_RULES,
        codegen::model::sources::EXAMPLES,
    ]
    .into_iter()
    .filter_map(|f| text(f).map(|t| (f, t)))
    .collect();
    let companions: Vec<(&str, &str)> = companions.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let shown = format!("botocore/data/{name}/{}/service-2.json", files.api_version);
    let settings = Settings {
        description: Some(format!("{name}, generated by cargo xtask check-services")),
        standalone: false,
        publish: false,
        operation_features: true,
        ..Settings::new(package(name), RuntimeDep::Path(root.join("runtime").display().to_string()))
    };
    let service = text("service-2.json").unwrap_or_default();
    let built = Sources::from_texts(&shown, &service, &companions).and_then(|s| codegen::ir::build(&s, &settings));
    let (svc, warnings) = match built {
        Ok(built) => built,
        Err(problems) => {
            outcome.error = Some(format!("generation: {}", codegen::Error::Model(problems)));
            return outcome;
        }
    };
    outcome.warnings = warnings.iter().map(ToString::to_string).collect();
    outcome.operations = svc.operations.len();
    if let Some(features) = &svc.features {
        outcome.features = features.by_feature.len();
        outcome.grouped = features.grouped;
        let all: Vec<String> = features.by_feature.keys().cloned().collect();
        outcome.sampled = crate::check_features::spread(&all, SAMPLED_FEATURES);
    }
    let mut generated = match codegen::emit::emit(&svc, &settings) {
        Ok(files) => files,
        Err(e) => {
            outcome.error = Some(format!("generation: {}", codegen::Error::Emit(e)));
            return outcome;
        }
    };
    outcome.lines = generated.iter().filter(|(p, _)| p.ends_with(".rs")).map(|(_, t)| t.lines().count()).sum();
    let tests = files.files.get(botocore::ENDPOINT_TESTS);
    match (tests, &svc.endpoint_rules) {
        (Some(tests), Some(rules)) => match endpoint_test(&svc.crate_ident().to_string(), rules, tests) {
            Ok(test) => {
                generated.insert("tests/endpoints.rs".to_owned(), test);
            }
            Err(e) => {
                outcome.error = Some(format!("endpoint tests: {e}"));
                return outcome;
            }
        },
        (Some(_), None) => {
            outcome.error = Some("endpoint tests: botocore has endpoint tests but the model no rule set".to_owned());
            return outcome;
        }
        // A service without endpoint tests (or a wheel, which has none) has nothing to run.
        (None, _) => {}
    }
    // Only what changed is written: a second run rebuilds only what the generator changed.
    let dir = out.join(name);
    if let Err(e) = codegen::write::write_files(&dir, &generated) {
        outcome.error = Some(format!("writing {}: {e}", dir.display()));
    }
    outcome
}

/// `cargo <command>` in the scratch workspace (`--locked`), warnings denied, the shared target
/// folder.
fn cargo(out: &Path, target: &Path, command: &str) -> Command {
    let mut cmd = nested::cargo(out, command);
    cmd.arg("--quiet")
        .arg("--message-format=short")
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings");
    cmd
}

/// Builds one crate (timed) and runs its endpoint tests.
fn build_and_test(out: &Path, target: &Path, name: &str, outcome: &mut Outcome) {
    // A clean build of the crate alone: its dependencies are built, its own output is not.
    let clean = nested::cargo(out, "clean").args(["--quiet", "-p", &package(name)]).env("CARGO_TARGET_DIR", target).output();
    if let Err(e) = clean {
        outcome.error = Some(format!("cargo clean: {e}"));
        return;
    }
    let started = Instant::now();
    let built = cargo(out, target, "build").args(["-p", &package(name)]).output();
    match built {
        Ok(o) if o.status.success() => outcome.build_seconds = Some(started.elapsed().as_secs_f64()),
        Ok(o) => {
            outcome.error = Some(format!("build: {}", nested::first_error(&o)));
            return;
        }
        Err(e) => {
            outcome.error = Some(format!("build: cannot run cargo: {e}"));
            return;
        }
    }
    // With no operation, then a few operation features alone (the whole set is the default).
    let builds = std::iter::once(None).chain(outcome.sampled.iter().map(Some));
    for features in builds {
        let mut check = cargo(out, target, "check");
        check.args(["-p", &package(name), "--no-default-features"]);
        if let Some(f) = features {
            check.args(["--features", f]);
        }
        let what = features.map_or("no operation".to_owned(), |f| format!("feature `{f}` alone"));
        match check.output() {
            Ok(o) if o.status.success() => {}
            Ok(o) => {
                outcome.error = Some(format!("build with {what}: {}", nested::first_error(&o)));
                return;
            }
            Err(e) => {
                outcome.error = Some(format!("build with {what}: cannot run cargo: {e}"));
                return;
            }
        }
    }
    if !out.join(name).join("tests/endpoints.rs").is_file() {
        return;
    }
    let tested = cargo(out, target, "test").args(["-p", &package(name), "--test", "endpoints", "--", "--nocapture"]).output();
    match tested {
        Ok(o) => {
            let stdout = String::from_utf8_lossy(&o.stdout);
            outcome.endpoints = stdout.lines().find_map(parse_summary);
            if !o.status.success() {
                let failure = stdout.lines().find(|l| l.starts_with("FAIL")).map(str::to_owned);
                outcome.error = Some(format!("endpoint tests: {}", failure.unwrap_or_else(|| nested::first_error(&o))));
            }
        }
        Err(e) => outcome.error = Some(format!("endpoint tests: cannot run cargo: {e}")),
    }
}

/// `endpoints: N passed, M failed` → `(N, M)`.
fn parse_summary(line: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix("endpoints: ")?;
    let (passed, failed) = rest.split_once(" passed, ")?;
    Some((passed.parse().ok()?, failed.strip_suffix(" failed")?.parse().ok()?))
}

/// The scratch workspace's manifest and its lock file, from the project's (the same dependency
/// versions as the project's own build; `xtask::nested`).
fn write_workspace(root: &Path, out: &Path, members: &[String]) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("error: {}: {e}", out.display()))?;
    let mut manifest = String::from(
        "# Written by `cargo xtask check-services`: the query-family services of a botocore release.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for m in members {
        let _ = writeln!(manifest, "    {m:?},");
    }
    manifest.push_str("]\n");
    std::fs::write(out.join("Cargo.toml"), manifest).map_err(|e| format!("error: {OUT}/Cargo.toml: {e}"))?;
    nested::lock(out, &nested::seed_paths(root, &[Committed::Root]))
}

/// `tests/endpoints.rs` of a crate: botocore's endpoint test cases as a table, each resolved
/// through the crate's `endpoint::resolve` and compared with the URL or error it expects.
fn endpoint_test(crate_ident: &str, rules: &RuleSet, tests: &[u8]) -> Result<String, String> {
    let tests: serde_json::Value = serde_json::from_slice(tests).map_err(|e| format!("{}: {e}", botocore::ENDPOINT_TESTS))?;
    let cases = tests["testCases"].as_array().ok_or("no `testCases`")?;
    let mut table = String::new();
    let mut any_unknown = false;
    for (i, case) in cases.iter().enumerate() {
        let doc = case["documentation"].as_str().unwrap_or("").to_owned();
        let mut params = String::from("Params::builder()");
        let mut unknown = None;
        for (key, value) in case["params"].as_object().into_iter().flatten() {
            let Some(p) = rules.parameters.iter().find(|p| p.name == *key) else {
                unknown = Some(key.clone());
                continue;
            };
            let field = p.field.to_string();
            let arg = match (p.kind, value) {
                (ParameterKind::String, serde_json::Value::String(s)) => rust_string(s),
                (ParameterKind::Boolean, serde_json::Value::Bool(b)) => b.to_string(),
                (ParameterKind::StringArray, serde_json::Value::Array(items)) => {
                    let items: Vec<String> =
                        items.iter().map(|v| format!("{}.to_owned()", rust_string(v.as_str().unwrap_or_default()))).collect();
                    format!("vec![{}]", items.join(", "))
                }
                _ => return Err(format!("testCases[{i}]: parameter `{key}` has the wrong type for the rule set")),
            };
            let _ = write!(params, ".{field}({arg})");
        }
        params.push_str(".build()");
        let expect = &case["expect"];
        let expected = match (expect["endpoint"]["url"].as_str(), expect["error"].as_str(), unknown) {
            (_, _, Some(key)) => {
                any_unknown = true;
                format!("Unknown({})", rust_string(&key))
            }
            (Some(url), _, None) => format!("Url({})", rust_string(url)),
            (None, Some(error), None) => format!("Error({})", rust_string(error)),
            (None, None, None) => return Err(format!("testCases[{i}]: expects neither an endpoint nor an error")),
        };
        let _ = writeln!(table, "        ({}, {params}, {expected}),", rust_string(&doc));
    }
    // A parameter the rule set does not have fails its case (the variant only when needed:
    // the test is built with warnings denied).
    let (unknown_variant, unknown_use, unknown_arm) = if any_unknown {
        (
            "    Unknown(&'static str),\n",
            ", Unknown",
            "            (_, Unknown(key)) => Some(format!(\"unknown parameter `{key}`\")),\n",
        )
    } else {
        ("", "", "")
    };
    Ok(format!(
        "//! botocore's endpoint tests for this service (`{file}`), through the crate's resolver.\n\
         //! Written by `cargo xtask check-services`.\n\n\
         use {crate_ident}::endpoint::{{resolve, Params}};\n\n\
         enum Expected {{\n    Url(&'static str),\n    Error(&'static str),\n{unknown_variant}}}\n\
         use Expected::{{Error, Url{unknown_use}}};\n\n\
         #[test]\n\
         fn botocore_endpoint_tests() {{\n    \
             let cases: Vec<(&str, Params, Expected)> = vec![\n{table}    ];\n    \
             let mut failures = Vec::new();\n    \
             for (doc, params, expected) in &cases {{\n        \
                 let problem = match (resolve(params), expected) {{\n{unknown_arm}            \
                     (Ok(e), Url(url)) if e.url() == *url => None,\n            \
                     (Ok(e), Url(url)) => Some(format!(\"resolved {{}}, expected {{url}}\", e.url())),\n            \
                     (Ok(e), Error(error)) => Some(format!(\"resolved {{}}, expected the error {{error:?}}\", e.url())),\n            \
                     (Err(e), Error(error)) if e.message() == *error => None,\n            \
                     (Err(e), Error(error)) => Some(format!(\"error {{:?}}, expected {{error:?}}\", e.message())),\n            \
                     (Err(e), Url(url)) => Some(format!(\"error {{:?}}, expected {{url}}\", e.message())),\n        \
                 }};\n        \
                 if let Some(problem) = problem {{\n            \
                     failures.push(format!(\"FAIL {{doc}}: {{problem}}\"));\n        \
                 }}\n    \
             }}\n    \
             for f in &failures {{\n        \
                 println!(\"{{f}}\");\n    \
             }}\n    \
             println!(\"endpoints: {{}} passed, {{}} failed\", cases.len() - failures.len(), failures.len());\n    \
             assert!(failures.is_empty(), \"{{}}\", failures.join(\"\\n\"));\n\
         }}\n",
        file = botocore::ENDPOINT_TESTS,
    ))
}

/// The report: one line per service, the summary, the failures with their first error.
fn report(version: &str, results: &[(String, String, Outcome)]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "check-services: botocore {version}");
    let mut failures = Vec::new();
    for (name, protocol, r) in results {
        let status = if r.error.is_some() { "FAILED" } else { "ok" };
        let build = r.build_seconds.map_or("-".to_owned(), |s| format!("{s:.1} s"));
        let endpoints = match r.endpoints {
            Some((p, f)) => format!("endpoints {p} passed, {f} failed"),
            None => "no endpoint tests".to_owned(),
        };
        let _ = writeln!(
            out,
            "{name:<18} {protocol:<5} {status:<6} {:>4} operations {:>3} features{} {:>8} lines  build {build:>8}  {endpoints}  ({} generator warnings)",
            r.operations,
            r.features,
            if r.grouped { " (by resource)" } else { "" },
            r.lines,
            r.warnings.len()
        );
        if !r.sampled.is_empty() {
            let _ = writeln!(out, "    built alone: {}", r.sampled.join(", "));
        }
        for w in &r.warnings {
            let _ = writeln!(out, "    warning: {w}");
        }
        if let Some(e) = &r.error {
            failures.push(format!("{name}: {e}"));
        }
    }
    let built = results.len() - failures.len();
    let _ = writeln!(out, "services: {built} built, {} failed", failures.len());
    for f in failures {
        let _ = writeln!(out, "  {f}");
    }
    out
}

/// `s` as a Rust string literal (Rust's `Debug` of a string is one).
fn rust_string(s: &str) -> String {
    format!("{s:?}")
}

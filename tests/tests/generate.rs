//! Whole-crate generation tests: every historical model and an allow-listed model generate
//! crates that compile, and the build-script sync behaves as promised (R1–R4).

use codegen::{RuntimeDep, Settings, Sources};
use project_tests::{cargo, copy_tree, lock_from_root, repo, scratch, text};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const SEED_OPS: [&str; 3] = ["CopySnapshot", "DescribeCacheParameters", "DescribeEngineDefaultParameters"];

/// Generates the crate of the model at `model` (named `shown` in headers), with the runtime
/// at its absolute path.
fn generate(model: &Path, shown: &str, crate_name: &str, allow: &[&str]) -> Result<codegen::Generated, codegen::Error> {
    let runtime = repo().join("runtime").display().to_string();
    let settings = Settings {
        allow: allow.iter().map(|s| s.to_string()).collect(),
        standalone: false,
        ..Settings::new(crate_name, RuntimeDep::Path(runtime))
    };
    let sources = Sources::read(model, shown).map_err(codegen::Error::Model)?;
    codegen::generate(&sources, &settings)
}

/// Shapes that become named types when only `ops` are generated, worked out from the JSON
/// independently of the generator's IR.
fn reachable_types(model: &Value, ops: &[&str]) -> BTreeSet<String> {
    let shapes = &model["shapes"];
    let mut stack = Vec::new();
    for op in ops {
        let op = &model["operations"][op];
        for io in ["input", "output"] {
            if let Some(name) = op[io]["shape"].as_str() {
                for m in shapes[name]["members"].as_object().into_iter().flatten() {
                    stack.push(m.1["shape"].as_str().unwrap().to_owned());
                }
            }
        }
        for e in op["errors"].as_array().into_iter().flatten() {
            stack.push(e["shape"].as_str().unwrap().to_owned());
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        let shape = &shapes[&name];
        let named = shape["type"] == "structure" || shape.get("enum").is_some();
        if named && !seen.insert(name.clone()) {
            continue;
        }
        for m in shape["members"].as_object().into_iter().flatten() {
            stack.push(m.1["shape"].as_str().unwrap().to_owned());
        }
        for k in ["member", "key", "value"] {
            if let Some(s) = shape[k]["shape"].as_str() {
                stack.push(s.to_owned());
            }
        }
    }
    let module = |s: &str| codegen::ir::names::snake(codegen::ir::names::type_name(s).as_str()).as_str().to_owned();
    seen.iter().map(|s| module(s)).collect()
}

/// Every model of the history, and the current model restricted to the three seed
/// operations, generate crates that pass `cargo check` with warnings denied — in one cargo
/// invocation over one workspace.
#[test]
fn history_and_allow_listed_crates_compile() {
    let ws = scratch("compile");
    let mut members = Vec::new();

    let history = repo().join("tests/data/history");
    let mut models: Vec<_> = std::fs::read_dir(&history).unwrap().flatten().map(|e| e.path()).collect();
    models.retain(|p| p.extension().is_some_and(|e| e == "json"));
    models.sort();
    assert_eq!(models.len(), 33, "the history holds 33 models");
    for model in &models {
        let stem = model.file_stem().unwrap().to_string_lossy().into_owned();
        let name = format!("elasticache-{stem}");
        let files = generate(model, &format!("history/{stem}.json"), &name, &[])
            .unwrap_or_else(|e| panic!("{stem}: {e}"))
            .files;
        codegen::write::write_files(&ws.join(&name), &files).unwrap();
        members.push(name);
    }

    // A synthetic model (tests/data/synthetic/) covers what ElastiCache does not use: maps,
    // recursion, compression, `more_results`, several result keys, every waiter matcher.
    let synthetic = repo().join("tests/data/synthetic/service-2.json");
    let files = generate(&synthetic, "synthetic/service-2.json", "synthetic", &[])
        .unwrap_or_else(|e| panic!("synthetic: {e}"))
        .files;
    for expected in ["src/operation/list_widgets/paginator.rs", "src/waiters/widgets_ready.rs"] {
        assert!(files.contains_key(expected), "{expected} was not generated");
    }
    codegen::write::write_files(&ws.join("synthetic"), &files).unwrap();
    members.push("synthetic".into());

    let current = repo().join("models/elasticache/service-2.json");
    let files = generate(&current, "service-2.json", "seed", &SEED_OPS).unwrap().files;
    let ops: BTreeSet<_> = files
        .keys()
        .filter_map(|k| k.strip_prefix("src/operation/")?.strip_suffix(".rs"))
        .filter(|k| !k.contains('/'))
        .map(str::to_owned)
        .collect();
    assert_eq!(ops, ["copy_snapshot", "describe_cache_parameters", "describe_engine_default_parameters"].map(String::from).into());
    let types: BTreeSet<_> = files
        .keys()
        .filter_map(|k| k.strip_prefix("src/types/")?.strip_suffix(".rs"))
        .map(|k| k.trim_start_matches("error/").to_owned())
        .filter(|k| k != "error")
        .collect();
    let model: Value = serde_json::from_str(&std::fs::read_to_string(&current).unwrap()).unwrap();
    assert_eq!(types, reachable_types(&model, &SEED_OPS));
    assert!(types.contains("change_type") && types.contains("parameter"));
    codegen::write::write_files(&ws.join("seed"), &files).unwrap();
    members.push("seed".into());

    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(ws.join("Cargo.toml"), format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", list.join(", ")))
        .unwrap();
    lock_from_root(&ws);
    let target = repo().join("target/test-targets/compile");
    let out = cargo(&ws, &target, &["check", "--workspace", "--quiet", "--features", "blocking,json"], &[("RUSTFLAGS", "-D warnings")]);
    assert!(out.status.success(), "generated crates do not compile:\n{}", text(&out));
    // The generated code is clippy-clean too, for the features ElastiCache lacks.
    let args = ["clippy", "--quiet", "-p", "synthetic", "-p", "seed", "--features", "blocking,json", "--", "-D", "warnings"];
    let out = cargo(&ws, &target, &args, &[]);
    assert!(out.status.success(), "clippy finds fault with generated code:\n{}", text(&out));
}

/// R1, R3, R4 in a copy of the project: a model edit is regenerated and compiled by one plain
/// `cargo build`; with `CI=true` nothing is written and the build names `cargo xtask
/// regenerate`; the build script writes exactly what the xtask entry point generates.
#[test]
fn build_script_keeps_the_crate_in_sync() {
    let root = scratch("sync");
    for dir in ["codegen", "runtime", "transport", "credentials-sts", "models", "generated/elasticache", "generated/sts"] {
        copy_tree(&repo().join(dir), &root.join(dir));
    }
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"codegen\", \"runtime\", \"transport\", \"credentials-sts\", \"generated/elasticache\", \"generated/sts\", \"app\"]\n\n\
         [workspace.package]\n"
            .to_owned()
            + workspace_table("package").as_str()
            + "\n[workspace.dependencies]\n"
            + workspace_table("dependencies").as_str(),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("app/src")).unwrap();
    std::fs::write(
        root.join("app/Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\n\
         elasticache = { path = \"../generated/elasticache\", features = [\"regenerate\"] }\n",
    )
    .unwrap();
    // Compiles only if the member added to the model below is generated in the same build.
    std::fs::write(
        root.join("app/src/main.rs"),
        "fn main() {\n    let input = elasticache::operation::copy_snapshot::CopySnapshotInput::builder().sync_probe(\"x\").build().unwrap();\n    \
         assert_eq!(input.sync_probe(), Some(\"x\"));\n}\n",
    )
    .unwrap();
    lock_from_root(&root);

    let model_path = root.join("models/elasticache/service-2.json");
    let edit = |member: &str| {
        let mut model: Value = serde_json::from_str(&std::fs::read_to_string(&model_path).unwrap()).unwrap();
        let members = model["shapes"]["CopySnapshotMessage"]["members"].as_object_mut().unwrap();
        members.retain(|k, _| !k.starts_with("SyncProbe"));
        members.insert(member.to_owned(), serde_json::json!({"shape": "String", "documentation": "<p>Test.</p>"}));
        std::fs::write(&model_path, serde_json::to_string_pretty(&model).unwrap()).unwrap();
    };
    let input_rs = root.join("generated/elasticache/src/operation/copy_snapshot/input.rs");
    let target = repo().join("target/test-targets/sync");

    // R1: one plain build regenerates and compiles the new member.
    edit("SyncProbe");
    let out = cargo(&root, &target, &["build", "--quiet"], &[]);
    assert!(out.status.success(), "build after a model edit failed:\n{}", text(&out));
    assert!(std::fs::read_to_string(&input_rs).unwrap().contains("pub sync_probe: Option<String>"));

    // R4: what the build script wrote is byte for byte what the xtask entry point generates.
    let project = codegen::Project::read(&root, "models/elasticache").unwrap();
    let drift = codegen::write::check_files(&project.out, &project.generate().unwrap().files);
    assert!(drift.is_empty(), "build.rs and xtask disagree: {drift:?}");

    // R3: under CI=true a stale crate fails the build and nothing is written.
    edit("SyncProbeRenamed");
    let out = cargo(&root, &target, &["build", "--quiet"], &[("CI", "true")]);
    assert!(!out.status.success(), "a stale crate built under CI=true");
    assert!(text(&out).contains("run `cargo xtask regenerate`"), "{}", text(&out));
    let input = std::fs::read_to_string(&input_rs).unwrap();
    assert!(input.contains("sync_probe") && !input.contains("sync_probe_renamed"), "CI=true wrote files");
}

/// The `[workspace.<table>]` table of the project's manifest (its lines), for a scratch
/// workspace that holds some of its members.
fn workspace_table(table: &str) -> String {
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let header = format!("[workspace.{table}]\n");
    let start = manifest.find(&header).unwrap_or_else(|| panic!("the workspace manifest has no {header}"));
    let rest = &manifest[start + header.len()..];
    rest[..rest.find("\n[").map_or(rest.len(), |i| i + 1)].to_owned()
}

/// Generated crates ask for the Rust the workspace builds with (`rust-version`), decided once
/// in the codegen; the workspace's manifest says the same.
#[test]
fn generated_crates_and_the_workspace_ask_for_the_same_rust() {
    let package = workspace_table("package");
    let line = format!("rust-version = \"{}\"", codegen::emit::RUST_VERSION);
    assert!(package.lines().any(|l| l.trim() == line), "the workspace's [workspace.package] lacks `{line}`:\n{package}");
}

/// R2: a crate outside the workspace that depends on the generated crate compiles neither
/// the generator nor its dependencies.
#[test]
fn users_of_the_generated_crate_do_not_build_the_generator() {
    let dir = scratch("external");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let dep = repo().join("generated/elasticache");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"user\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\n\
             elasticache = {{ path = {:?} }}\n\n[workspace]\n",
            dep.display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(dir.join("src/main.rs"), "fn main() {}\n").unwrap();
    lock_from_root(&dir);
    let target = repo().join("target/test-targets/external");
    let out = cargo(&dir, &target, &["tree", "-e", "normal,build", "--prefix", "none"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let tree = String::from_utf8_lossy(&out.stdout);
    let path = dep.display().to_string();
    assert!(tree.lines().any(|l| l.starts_with("elasticache v") && l.contains(&path)), "{tree}");
    for heavy in ["codegen", "prettyplease", "syn v", "quote v", "serde_json"] {
        assert!(!tree.contains(heavy), "`{heavy}` is in the dependency tree of a user:\n{tree}");
    }
}

/// Every paginator and waiter of every query and ec2 service of the pinned botocore
/// (`tests/python/requirements.txt`, read from the project's virtualenv) resolves: each
/// token, key and JMESPath argument is typed against its operation by the generator's IR,
/// which refuses an expression it cannot compile (naming the file and path). Lists every
/// expression it checked.
#[test]
fn every_query_family_paginator_and_waiter_of_botocore_resolves() {
    let script = repo().join("tests/python/query_family_models.py");
    let out = std::process::Command::new(project_tests::project_python()).arg(&script).output().expect("run the script");
    assert!(out.status.success(), "{} failed:\n{}", script.display(), String::from_utf8_lossy(&out.stderr));
    let release: Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");
    assert_eq!(release["botocore"], "1.44.8", "the pinned botocore of tests/python/requirements.txt");
    let services = release["services"].as_object().expect("services");
    assert_eq!(services.len(), 18, "botocore 1.44.8 has 17 query services and ec2");

    let (mut paginators, mut expressions) = (0, Vec::new());
    let mut problems = Vec::new();
    for (name, files) in services {
        let text = |file: &str| files[file].as_str().map(str::to_owned);
        let companions: Vec<(&str, String)> =
            ["paginators-1.json", "waiters-2.json"].into_iter().filter_map(|f| text(f).map(|t| (f, t))).collect();
        let companions: Vec<(&str, &str)> = companions.iter().map(|(f, t)| (*f, t.as_str())).collect();
        let shown = format!("botocore/data/{name}/service-2.json");
        let service = text("service-2.json").expect("a service model");
        let settings = Settings { standalone: false, ..Settings::new(name, RuntimeDep::Path(String::new())) };
        let built = Sources::from_texts(&shown, &service, &companions).and_then(|s| codegen::ir::build(&s, &settings));
        match built {
            Ok((svc, _)) => {
                paginators += svc.paginators.len();
                for w in svc.waiters.values() {
                    expressions.extend(w.acceptors.iter().filter_map(|a| a.argument.as_ref()).map(|e| format!("{name} {}: {e}", w.name)));
                }
                for p in svc.paginators.values() {
                    let tokens = [&p.output_token].into_iter().chain(p.more_results.iter());
                    let keys = p.result_keys.iter().map(|k| &k.path).chain(p.non_aggregate_keys.iter());
                    expressions.extend(tokens.chain(keys).map(|path| format!("{name} {}: {}", p.operation, path.model)));
                }
            }
            Err(errors) => problems.extend(errors.iter().map(|e| format!("{name}: {e}"))),
        }
    }
    for e in &expressions {
        println!("  {e}");
    }
    project_tests::summary(&format!(
        "botocore 1.44.8 query-family paginators and waiters: {} services, {paginators} paginators, {} expressions resolved, {} refused",
        services.len(),
        expressions.len(),
        problems.len()
    ));
    assert!(problems.is_empty(), "refused:\n{}", problems.join("\n"));
    assert!(expressions.iter().any(|e| e.ends_with("VerificationAttributes.*.VerificationStatus")), "SES's value projection");
    assert!(expressions.iter().any(|e| e.ends_with("Jobs[-1].JobId")), "ImportExport's indexed output token");
}

/// Documentation has no empty paragraphs: no doc block of the checked-in generated crates
/// starts or ends with an empty `///` line or has two in a row (an empty description in
/// the model, such as an example's `"description": ""`, must leave no trace).
#[test]
fn generated_docs_have_no_empty_paragraphs() {
    let mut bad = Vec::new();
    let mut blocks = 0;
    for krate in ["generated/elasticache/src", "generated/sts/src", "tests/snapshot/src", "tests/protocol-suite/src"] {
        for file in rust_files(&repo().join(krate)) {
            let source = std::fs::read_to_string(&file).unwrap();
            let lines: Vec<&str> = source.lines().map(str::trim).collect();
            // Doc blocks: runs of lines with the same marker.
            for marker in ["///", "//!"] {
                let mut i = 0;
                while i < lines.len() {
                    if !lines[i].starts_with(marker) {
                        i += 1;
                        continue;
                    }
                    let start = i;
                    while i < lines.len() && lines[i].starts_with(marker) {
                        i += 1;
                    }
                    blocks += 1;
                    let block = &lines[start..i];
                    let empty = |l: &&str| *l == marker;
                    let doubled = block.windows(2).any(|w| empty(&w[0]) && empty(&w[1]));
                    if block.first().is_some_and(empty) || block.last().is_some_and(empty) || doubled {
                        bad.push(format!("{}:{}", file.display(), start + 1));
                    }
                }
            }
        }
    }
    assert!(blocks > 10_000, "only {blocks} doc blocks read");
    assert!(bad.is_empty(), "doc blocks with an empty paragraph:\n{}", bad.join("\n"));
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

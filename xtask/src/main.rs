//! `cargo xtask <command>`: the project's maintenance commands.

mod api_compat;
mod archive;
mod bench_compile;
mod botocore;
mod changelog;
mod check_latest;
mod check_services;
mod compat;
mod diff;
mod locks;
mod package;
mod protocol_suite;
mod regenerate;
mod semver_checks;
mod snapshot;
mod test;
mod update_model;
mod update_plan;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  regenerate                 rewrite generated/ from every models/*/codegen.toml, and the
                             generated test crates (tests/protocol-suite, tests/snapshot)
  regenerate --check         write nothing; fail if generated/ differs from what codegen makes
  regenerate --model PATH/service-2.json --out DIR [--crate-name NAME]
                             generate a crate for any model into any folder
  test                       run every test of the project (what CI runs)
  diff OLD NEW               API changes between two models and their semver impact; each side
                             a model file or REV:path from git (HEAD~1:models/x/service-2.json)
  diff --base REV            every models/*/service-2.json against the same path at REV
       [--format text|markdown|json] [--deny-breaking (exit non-zero if breaking)]
  compat [--control]         the compatibility corpus (tests/compat/): programs written against
                             aws-sdk-elasticache and aws-smithy-mocks, built and tested against
                             this project's crates, or with --control against aws-sdk-elasticache
  api-compat [--readme]      every public item of aws-sdk-elasticache: present here with the same
                             signature, with another, or missing (summary; full list in
                             target/api-compat/report.txt; --readme writes the summary into README.md)
  update-model [SERVICE...] [--botocore VERSION | --from PATH...] [--dry-run] [--verify]
                             a botocore release into models/<service>/ (all services when none
                             is named): SOURCE.md, regenerate, model diff, version bump in
                             codegen.toml, an entry in the crate's CHANGELOG.md; all or nothing.
                             --botocore: pip download of that release (default: the newest);
                             --from: a wheel, sdist or folder (repeatable; offline);
                             --dry-run: print what would change, write nothing;
                             --verify: compare the crates' APIs with cargo-semver-checks
  check-services [--botocore VERSION | --from PATH...] [--only a,b] [--protocol query|ec2]
                             every query and ec2 service of a botocore release generated into
                             target/check-services/<service>/, built with -D warnings, its
                             endpoint tests run (from the source distribution): one line per
                             service, `services: N built, M failed`, the first errors
                             (report in target/check-services/report.txt)
  locks [--check]            the committed Cargo.lock files (workspace, compatibility corpus,
                             benches, compile-bench apps, fuzz targets) brought up to date with
                             their manifests, keeping every version they hold; --check: write
                             nothing, fail if one is out of date
  layers                     the module layers of the runtime, the codegen and xtask
                             (xtask/src/layers.rs): fails on an import from a higher layer or
                             a circle of imports
  check-latest [--write]     the dependency watch: in a scratch copy, every lock file resolved
                             afresh, then `cargo xtask test`, `compat --control`, the benches,
                             apps and fuzz targets checked with warnings denied; prints what
                             changed and what broke (versions, deprecations, rust-version);
                             --write (only when all passed): the fresh lock files into the
                             repository and the report into CHANGELOG.md
  package [--list | --dry-run]
                             the runtime and every generated crate as published, in
                             target/publish/: cargo package --list (offline; the default) or
                             cargo publish --dry-run (needs the registry's index), .crate sizes
  bench-compile [--ours-only] [--runs N] [--baseline REV]
                             build a tiny app on the generated crate (default chain; with
                             aws-config for credentials) and the same app on
                             aws-sdk-elasticache, each from scratch: times, crates, binary size
                             (--runs N: clean debug builds per app, median reported; default 3;
                             --baseline REV: also the app as it was at git revision REV)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regenerate") => regenerate::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        Some("update-model") => update_model::run(&args[1..]),
        Some("package") => package::run(&args[1..]),
        Some("bench-compile") => bench_compile::run(&args[1..]),
        Some("compat") => compat::run(&args[1..]),
        Some("api-compat") => api_compat::run(&args[1..]),
        Some("check-services") => check_services::run(&args[1..]),
        Some("locks") => locks::run(&args[1..]),
        Some("layers") => layers(&args[1..]),
        Some("check-latest") => check_latest::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("error: unknown command `{other}`\n\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask layers`: every crate's layers checked; each module's imports printed.
fn layers(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!("error: unexpected argument `{extra}` (layers)"));
    }
    let root = repo_root();
    let mut failed = Vec::new();
    for crate_layers in xtask::layers::ALL {
        match xtask::layers::check(&root, crate_layers) {
            Ok(graph) => {
                println!("{}: {} modules in {} layers, no upward import, no circle", crate_layers.dir, graph.len(), crate_layers.layers.len());
            }
            Err(problems) => failed.extend(problems.iter().map(|p| format!("{}: {p}", crate_layers.dir))),
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("error: the layers are broken:\n{}", failed.join("\n")))
    }
}

/// The repository root: xtask lives in `<root>/xtask`.
pub fn repo_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let manifest = manifest.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Takes `--name VALUE` out of `args`.
pub fn take_value(args: &mut Vec<String>, name: &str) -> Result<Option<String>, String> {
    let Some(at) = args.iter().position(|a| a == name) else { return Ok(None) };
    if at + 1 >= args.len() {
        return Err(format!("error: {name} needs a value"));
    }
    let value = args.remove(at + 1);
    args.remove(at);
    Ok(Some(value))
}

/// Takes the flag `name` out of `args`.
pub fn take_flag(args: &mut Vec<String>, name: &str) -> bool {
    let before = args.len();
    args.retain(|a| a != name);
    args.len() != before
}

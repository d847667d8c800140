//! `cargo xtask <command>`: the project's maintenance commands.

mod api_compat;
mod archive;
mod args;
mod bench_compile;
mod botocore;
mod changelog;
mod check_features;
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

use args::{Args, Command};
use std::process::ExitCode;

/// `cargo xtask layers`.
const LAYERS: Command = Command {
    name: "layers",
    usage: "\
usage: cargo xtask layers

The module layers of the runtime, the codegen and xtask (xtask/src/layers.rs): fails, naming
the file, on an import from a higher layer or a circle of imports.
",
    flags: &[],
    values: &[],
    positional: None,
};

/// What runs a command, given its parsed arguments.
type Run = fn(&Args) -> Result<(), String>;

/// Every command, in the order `cargo xtask help` lists them.
const COMMANDS: [(&Command, Run); 14] = [
    (&regenerate::COMMAND, regenerate::run),
    (&test::COMMAND, test::run),
    (&diff::COMMAND, diff::run),
    (&update_model::COMMAND, update_model::run),
    (&check_services::COMMAND, check_services::run),
    (&check_features::COMMAND, check_features::run),
    (&compat::COMMAND, compat::run),
    (&api_compat::COMMAND, api_compat::run),
    (&package::COMMAND, package::run),
    (&bench_compile::COMMAND, bench_compile::run),
    (&locks::COMMAND, locks::run),
    (&check_latest::COMMAND, check_latest::run),
    (&LAYERS, layers),
    (&HELP, help),
];

const HELP: Command = Command {
    name: "help",
    usage: "usage: cargo xtask help | cargo xtask <command> --help\n",
    flags: &[],
    values: &[],
    positional: None,
};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        Some((name, rest)) => match COMMANDS.iter().find(|(c, _)| c.name == name.as_str()) {
            Some((command, run)) => args::parse(command, rest).and_then(|parsed| parsed.map_or(Ok(()), |a| run(&a))),
            None if name == "-h" || name == "--help" => help(&Args::default()),
            None => Err(format!("error: unknown command `{name}`\n\n{}", overview())),
        },
        None => Err(overview()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Every command's usage.
fn help(_: &Args) -> Result<(), String> {
    print!("{}", overview());
    Ok(())
}

fn overview() -> String {
    let mut out = String::from("usage: cargo xtask <command> [options]; cargo xtask <command> --help for one\n");
    for (command, _) in COMMANDS.iter().filter(|(c, _)| c.name != "help") {
        out.push('\n');
        out.push_str(command.usage);
    }
    out
}

/// `cargo xtask layers`: every crate's layers checked.
fn layers(_: &Args) -> Result<(), String> {
    let root = args::repo_root();
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

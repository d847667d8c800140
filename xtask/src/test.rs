//! `cargo xtask test`: every test of the project, as CI runs it.
//!
//! Runs the workspace tests, then the lint and documentation checks of the generated crate.
//! Anything a suite needs is set up here, so the README's one command passes on a fresh
//! machine.

use crate::repo_root;
use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!("error: unexpected argument `{extra}`"));
    }
    let root = repo_root();
    type Step<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, &'a str)]);
    let steps: &[Step] = &[
        ("workspace tests", &["test", "--workspace"], &[]),
        ("clippy on the generated crate", &["clippy", "-p", "elasticache", "--", "-D", "warnings"], &[]),
        ("docs of the generated crate", &["doc", "-p", "elasticache", "--no-deps"], &[("RUSTDOCFLAGS", "-D warnings")]),
    ];
    for (what, args, env) in steps {
        eprintln!("==> {what}: cargo {}", args.join(" "));
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&root)
            .args(*args)
            .envs(env.iter().copied())
            .status()
            .map_err(|e| format!("error: cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("error: {what} failed"));
        }
    }
    eprintln!("==> all tests passed");
    Ok(())
}

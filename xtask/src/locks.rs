//! `cargo xtask locks [--check]`: the repository's committed lock files (`xtask::nested`'s
//! `Committed`: the workspace's, the compatibility corpus's, the benches', each compile-bench
//! app's, the fuzz targets') brought up to date with their manifests, keeping every version
//! they hold and resolving only what is missing, as cargo does for the workspace's own lock
//! after a manifest edit. `--check` writes nothing and fails when one is out of date (the
//! `locks` test suite runs it).
//!
//! Newer versions come only from `cargo xtask check-latest --write`, which tries them first.

use crate::args::{repo_root, Args, Command};
use xtask::nested::{self, Committed, Lock};

pub const COMMAND: Command = Command {
    name: "locks",
    usage: "\
usage: cargo xtask locks [--check]

The committed Cargo.lock files (workspace, compatibility corpus, benches, compile-bench apps,
fuzz targets) brought up to date with their manifests, keeping every version they hold. The
workspace's own lock follows its manifests with any plain cargo command (`cargo update
--workspace`); this does the nested ones.

  --check   write nothing; fail if one is out of date
",
    flags: &["check"],
    values: &[],
    positional: None,
};

pub fn run(args: &Args) -> Result<(), String> {
    let check = args.flag("check");
    let root = repo_root();
    if check {
        nested::check_committed(&root)?;
        eprintln!("==> every committed lock file holds what its manifests need");
        return Ok(());
    }
    // The root first: the nested workspaces that build the project's crates start from it.
    for committed in Committed::all() {
        let path = root.join(committed.path());
        let before = Lock::read(&path).unwrap_or_default();
        // A lock file made for the first time starts from the others it is seeded from.
        let seeds: Vec<_> = nested::seed_paths(&root, &committed.seeds()).into_iter().filter(|p| p.is_file()).collect();
        let (_, after) = nested::resolve(&root.join(committed.dir()), &seeds)?;
        let changes = after.changes_since(&before);
        let said = match (before.registry().count(), changes.len()) {
            (_, 0) => "up to date".to_owned(),
            (0, _) => format!("made ({} registry packages)", after.registry().count()),
            _ => changes.join(", "),
        };
        eprintln!("==> {}: {said}", committed.path().display());
    }
    Ok(())
}

//! Every command's arguments, parsed one way (lexopt): `--flag`, `--name VALUE` or
//! `--name=VALUE` (a value option may be given more than once where the command takes
//! several), positional arguments where the command takes them, and `-h`/`--help`, which
//! prints the command's usage. Each command declares what it takes in its [`Command`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// What a command is called, what it takes, and its usage text.
pub struct Command {
    pub name: &'static str,
    /// The usage: the synopsis lines, then what it does and what each option means.
    pub usage: &'static str,
    /// Options without a value (`--check`), without the dashes.
    pub flags: &'static [&'static str],
    /// Options with a value (`--model PATH`), without the dashes.
    pub values: &'static [&'static str],
    /// Whether positional arguments are taken (and how the usage names them).
    pub positional: Option<&'static str>,
}

/// A command's arguments, parsed.
#[derive(Debug, Default)]
pub struct Args {
    flags: BTreeSet<String>,
    values: BTreeMap<String, Vec<String>>,
    pub positional: Vec<String>,
}

impl Args {
    pub fn flag(&self, name: &str) -> bool {
        self.flags.contains(name)
    }

    /// The value of `--name`, when given once; an error when given twice.
    pub fn value(&self, name: &str) -> Result<Option<String>, String> {
        match self.values.get(name).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([one]) => Ok(Some(one.clone())),
            Some(_) => Err(format!("error: --{name} is given more than once")),
        }
    }

    /// Every value of a repeatable `--name`, in order.
    pub fn values(&self, name: &str) -> Vec<String> {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// Parses `args` for a command called by another (`cargo xtask test` runs others): as
    /// [`parse`], with `--help` an error.
    pub fn of(command: &Command, args: &[&str]) -> Result<Args, String> {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        parse(command, &args)?.ok_or_else(|| format!("error: {}: --help is not an argument here", command.name))
    }
}

/// `args` (the words after the command's name) as `command` takes them; `None` when they ask
/// for help, which is then printed.
pub fn parse(command: &Command, args: &[String]) -> Result<Option<Args>, String> {
    use lexopt::Arg::{Long, Short, Value};
    let mut parser = lexopt::Parser::from_args(args.iter().cloned());
    let mut out = Args::default();
    let wrong = |e: lexopt::Error| format!("error: {}: {e} (`cargo xtask {} --help` says what it takes)", command.name, command.name);
    while let Some(arg) = parser.next().map_err(wrong)? {
        match arg {
            Short('h') | Long("help") => {
                print!("{}", command.usage);
                return Ok(None);
            }
            Long(name) if command.flags.contains(&name) => {
                out.flags.insert(name.to_owned());
            }
            Long(name) if command.values.contains(&name) => {
                let name = name.to_owned();
                let value = parser.value().map_err(wrong)?.into_string().map_err(|v| format!("error: --{name}: `{v:?}` is not UTF-8"))?;
                out.values.entry(name).or_default().push(value);
            }
            Value(v) if command.positional.is_some() => {
                out.positional.push(v.into_string().map_err(|v| format!("error: `{v:?}` is not UTF-8"))?);
            }
            other => return Err(wrong(other.unexpected())),
        }
    }
    Ok(Some(out))
}

/// The repository root: xtask lives in `<root>/xtask` (from the running process's
/// `CARGO_MANIFEST_DIR`, as `cargo xtask` sets it, else where this was built).
pub fn repo_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let manifest = manifest.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CMD: Command = Command { name: "demo", usage: "usage: demo\n", flags: &["check"], values: &["model", "from"], positional: Some("FILE...") };
    const NO_POSITIONAL: Command = Command { positional: None, ..CMD };

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn flags_values_and_positional_arguments() {
        let a = parse(&CMD, &args(&["--check", "--model", "m.json", "--from=a", "--from", "b", "x", "y"])).unwrap().unwrap();
        assert!(a.flag("check"));
        assert_eq!(a.value("model").unwrap().as_deref(), Some("m.json"));
        assert_eq!(a.values("from"), ["a", "b"]);
        assert!(a.value("from").unwrap_err().contains("more than once"));
        assert_eq!(a.positional, ["x", "y"]);
    }

    #[test]
    fn help_unknown_options_and_missing_values() {
        assert!(parse(&CMD, &args(&["--help"])).unwrap().is_none());
        assert!(parse(&CMD, &args(&["-h"])).unwrap().is_none());
        let e = parse(&CMD, &args(&["--nope"])).unwrap_err();
        assert!(e.contains("--nope") && e.contains("cargo xtask demo --help"), "{e}");
        assert!(parse(&CMD, &args(&["--model"])).unwrap_err().contains("--model"));
        assert!(parse(&NO_POSITIONAL, &args(&["stray"])).unwrap_err().contains("stray"));
        assert!(Args::of(&CMD, &["--help"]).is_err());
    }
}

//! Turns botocore service models into Rust crates.
//!
//! The pipeline, one folder per stage:
//! [`model`] (serde mirror of the JSON, loaded and validated with JSON paths in errors) →
//! [`ir`] (resolved shapes, Rust names, protocol facts) → [`emit`] (one module per concern) →
//! [`format`] (prettyplease) → [`write`] (deterministic file map, written only where changed).
//!
//! [`generate`] is the one entry point; `cargo xtask regenerate` and the generated crates'
//! build scripts ([`sync`]) both call it, so they produce the same bytes.

pub mod config;
pub mod diff;
pub mod emit;
pub mod format;
pub mod ir;
pub mod model;
pub mod sync;
pub mod write;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use config::{RuntimeDep, ServiceConfig};
pub use emit::{Layout, SyncPaths};

/// Generated files, keyed by path relative to the crate folder (always `/`-separated).
pub type FileMap = BTreeMap<String, String>;

/// What generation made: the files, and what it noticed without refusing the model (an
/// example that no longer fits it, …), for the front ends to show.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: FileMap,
    pub warnings: Vec<String>,
}

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The model is malformed; every problem found, each with file and JSON path.
    Model(Vec<model::ModelError>),
    /// The generation config (`codegen.toml` or command-line options) is wrong.
    Config(String),
    /// The generator produced code that does not parse: a bug in the generator.
    Emit(String),
    Io(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Model(problems) => {
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "error: {p}")?;
                }
                Ok(())
            }
            Error::Config(m) => write!(f, "error: {m}"),
            Error::Emit(m) => write!(f, "internal error (generator bug): {m}"),
            Error::Io(m) => write!(f, "error: {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// Generates the crate for one model.
///
/// `model_name` is how the model is named in headers and errors (a path relative to the
/// repository root, so that output does not depend on where the repository is checked out).
pub fn generate(config: &ServiceConfig, layout: &Layout, model_name: &str) -> Result<Generated, Error> {
    let text = std::fs::read_to_string(&config.model)
        .map_err(|e| Error::Io(format!("{}: cannot read: {e}", config.model.display())))?;
    generate_from_text(&text, config, layout, model_name)
}

/// [`generate`] for model text already in memory (`config.model` is not read, but its
/// folder is where companion files such as endpoint rules are looked for).
pub fn generate_from_text(text: &str, config: &ServiceConfig, layout: &Layout, model_name: &str) -> Result<Generated, Error> {
    let model = model::parse_service(Path::new(model_name), text).map_err(Error::Model)?;
    let mut svc = ir::build(&model, config, model_name).map_err(Error::Model)?;
    // Every companion file is checked before giving up, so that one run shows every problem.
    let mut problems = Vec::new();
    svc.endpoint_rules = companion(config, "endpoint-rule-set-1.json", &mut problems, ir::endpoints::build);
    svc.paginators =
        companion(config, "paginators-1.json", &mut problems, |f| ir::paginators::build(&model, &svc, f)).unwrap_or_default();
    svc.waiters = companion(config, "waiters-2.json", &mut problems, |f| ir::waiters::build(&model, &svc, f)).unwrap_or_default();
    let examples = companion(config, "examples-1.json", &mut problems, |f| Ok(ir::examples::build(&model, &svc, f)));
    if !problems.is_empty() {
        return Err(Error::Model(problems));
    }
    if let Some((examples, left_out)) = examples {
        let path = config.model.with_file_name("examples-1.json");
        svc.examples = examples;
        svc.warnings.extend(left_out.into_iter().map(|p| format!("{}: {p}", path.display())));
    }
    let files = emit::emit(&svc, layout).map_err(Error::Emit)?;
    Ok(Generated { files, warnings: svc.warnings })
}

/// Reads the companion file `name` (`paginators-1.json`, …) beside the model, if there is
/// one, and resolves it with `build`, whose problems are `(JSON path, message)`. Problems go
/// to `problems`, named by the file.
fn companion<T: serde::de::DeserializeOwned, R>(
    config: &ServiceConfig,
    name: &str,
    problems: &mut Vec<model::ModelError>,
    build: impl FnOnce(&T) -> Result<R, Vec<(String, String)>>,
) -> Option<R> {
    let file = config.model.with_file_name(name);
    let problem = |path: String, message: String| model::ModelError { file: file.clone(), path, message };
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            problems.push(problem(String::new(), format!("cannot read: {e}")));
            return None;
        }
    };
    let parsed = match model::from_json::<T>(&file, &text) {
        Ok(parsed) => parsed,
        Err(e) => {
            problems.push(e);
            return None;
        }
    };
    match build(&parsed) {
        Ok(built) => Some(built),
        Err(found) => {
            problems.extend(found.into_iter().map(|(at, message)| problem(at, message)));
            None
        }
    }
}

/// A service configured by a `codegen.toml` under `models/`, ready to generate.
#[derive(Debug, Clone)]
pub struct Configured {
    pub config: ServiceConfig,
    pub layout: Layout,
    /// Model path relative to the repository root.
    pub model_name: String,
    /// Crate folder.
    pub out: PathBuf,
}

impl Configured {
    pub fn generate(&self) -> Result<Generated, Error> {
        generate(&self.config, &self.layout, &self.model_name)
    }
}

/// Reads `root/model_dir/codegen.toml` (`model_dir` relative to the repository root).
pub fn configured(root: &Path, model_dir: &str) -> Result<Configured, Error> {
    let file = config::read_config(&root.join(model_dir), |out| RuntimeDep::Path(relative(out, "runtime")))
        .map_err(Error::Config)?;
    let out_rel = file.out.to_string_lossy().replace('\\', "/");
    let runtime_dep = match &file.service.runtime {
        RuntimeDep::Path(p) => format!("{{ path = \"{p}\" }}"),
        RuntimeDep::Version(v) => format!("\"{v}\""),
    };
    let credentials_dep = (file.credentials == config::Credentials::Full)
        .then(|| format!("{{ path = \"{}\" }}", relative(&file.out, "credentials")));
    Ok(Configured {
        model_name: format!("{model_dir}/service-2.json"),
        layout: Layout {
            runtime_dep,
            credentials_dep,
            sync: Some(SyncPaths {
                codegen: relative(&file.out, "codegen"),
                repo_root: relative(&file.out, ""),
                model_dir: model_dir.to_owned(),
            }),
            standalone: false,
        },
        out: root.join(&out_rel),
        config: file.service,
    })
}

/// Every `models/*/codegen.toml` under `root`, in name order.
pub fn all_configured(root: &Path) -> Result<Vec<Configured>, Error> {
    let models = root.join("models");
    let entries = std::fs::read_dir(&models).map_err(|e| Error::Io(format!("{}: {e}", models.display())))?;
    let mut dirs: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("codegen.toml").is_file())
        .map(|e| format!("models/{}", e.file_name().to_string_lossy()))
        .collect();
    dirs.sort();
    dirs.iter().map(|d| configured(root, d)).collect()
}

/// The path from folder `from` (relative to the repository root) to `to` (likewise).
fn relative(from: &Path, to: &str) -> String {
    let ups = from.components().filter(|c| matches!(c, std::path::Component::Normal(_))).count();
    let mut parts: Vec<&str> = vec![".."; ups];
    if !to.is_empty() {
        parts.push(to);
    }
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

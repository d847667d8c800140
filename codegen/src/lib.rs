//! Turns botocore service models into Rust crates.
//!
//! The pipeline, one folder per stage:
//! [`model`] (serde mirror of the JSON, loaded and validated with JSON paths in errors) →
//! [`ir`] (resolved shapes, Rust names, protocol facts) → [`emit`] (one module per concern) →
//! [`format`] (prettyplease) → [`write`] (deterministic file map, written only where changed).
//!
//! [`generate`] is the one entry point; `cargo xtask regenerate` and the generated crates'
//! build scripts ([`sync`]) both call it, so they produce the same bytes.

pub mod diff;
pub mod emit;
pub mod format;
pub mod ir;
pub mod model;
pub mod settings;
pub mod sync;
pub mod write;

use std::collections::BTreeMap;
use std::fmt;

pub use model::sources::Sources;
pub use settings::{Project, RuntimeDep, Settings, SyncPaths};

/// Generated files, keyed by path relative to the crate folder (always `/`-separated).
pub type FileMap = BTreeMap<String, String>;

/// What generation made: the files, and what it noticed without refusing the model (an
/// example that no longer fits it, a name clash resolved with a suffix), for the front ends
/// to show.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: FileMap,
    /// The JSON bridge's crate, when the settings make it a crate of its own.
    pub json_crate: Option<FileMap>,
    pub warnings: Vec<ir::Warning>,
}

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The model is malformed; every problem found, each with file and JSON path.
    Model(Vec<model::ModelError>),
    /// The generation settings (`codegen.toml` or command-line options) are wrong.
    Config(String),
    /// The generator produced code that does not parse: a bug in the generator.
    Emit(String),
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
        }
    }
}

impl std::error::Error for Error {}

/// Generates the crate for one service: the one entry point behind `cargo xtask
/// regenerate`, the build scripts and the tests, so that they make the same bytes.
pub fn generate(sources: &Sources, settings: &Settings) -> Result<Generated, Error> {
    let (svc, warnings) = ir::build(sources, settings).map_err(Error::Model)?;
    let files = emit::emit(&svc, settings).map_err(Error::Emit)?;
    let json_crate = emit::emit_json_crate(&svc, settings).map_err(Error::Emit)?;
    Ok(Generated { files, json_crate, warnings })
}

impl Project {
    /// Reads the project's model files and builds its IR (what `generate` emits from).
    pub fn ir(&self) -> Result<ir::Service, Error> {
        let sources = Sources::read(&self.model, &self.model_name).map_err(Error::Model)?;
        ir::build(&sources, &self.settings).map(|(svc, _)| svc).map_err(Error::Model)
    }

    /// Reads the project's model files and generates its crate.
    pub fn generate(&self) -> Result<Generated, Error> {
        let sources = Sources::read(&self.model, &self.model_name).map_err(Error::Model)?;
        generate(&sources, &self.settings)
    }
}

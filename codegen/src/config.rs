//! `codegen.toml`: the small file beside a model that says what crate to make of it.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What to generate for one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceConfig {
    /// The `service-2.json` to read.
    pub model: PathBuf,
    /// Package and library name of the generated crate.
    pub crate_name: String,
    pub version: String,
    pub description: Option<String>,
    /// Operations to generate (model names); empty means all.
    pub allow: Vec<String>,
    /// How the generated crate reaches the runtime crate.
    pub runtime: RuntimeDep,
}

/// The generated crate's dependency on the runtime crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDep {
    /// A path dependency, written relative to the generated crate's own folder.
    Path(String),
    /// A version requirement on crates.io.
    Version(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "crate")]
    krate: CrateSection,
    #[serde(default)]
    operations: OperationsSection,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrateSection {
    name: String,
    version: String,
    #[serde(default)]
    description: Option<String>,
    out: PathBuf,
    #[serde(default)]
    credentials: Credentials,
}

/// `credentials` in `[crate]`: which default credential chain the generated crate gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Credentials {
    /// Every source, the STS-based ones (assume role, web identity) included: the crate
    /// depends on `aws-query-credentials`, which calls STS through the generated `sts` crate.
    #[default]
    Full,
    /// The sources that need no STS. For the `sts` crate itself, which
    /// `aws-query-credentials` depends on.
    Basic,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct OperationsSection {
    #[serde(default)]
    allow: Vec<String>,
}

/// A `codegen.toml` as read: the service config plus where its crate goes.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    pub service: ServiceConfig,
    /// Output folder, relative to the repository root.
    pub out: PathBuf,
    pub credentials: Credentials,
}

/// Reads `dir/codegen.toml` for the model in `dir/service-2.json`.
pub fn read_config(dir: &Path, runtime: impl Fn(&Path) -> RuntimeDep) -> Result<ConfigFile, String> {
    let path = dir.join("codegen.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let file: File = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(ConfigFile {
        service: ServiceConfig {
            model: dir.join("service-2.json"),
            crate_name: file.krate.name,
            version: file.krate.version,
            description: file.krate.description,
            allow: file.operations.allow,
            runtime: runtime(&file.krate.out),
        },
        out: file.krate.out,
        credentials: file.krate.credentials,
    })
}

//! Settings: everything about a generation run that is not the model — the crate to make
//! (name, version, which operations), how it is wired into its surroundings, and the names
//! the model cannot tell. Read from the `codegen.toml` beside a model, or built in code.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One generation run's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Package and library name of the generated crate.
    pub crate_name: String,
    pub version: String,
    pub description: Option<String>,
    /// Operations to generate (model names); empty means all.
    pub allow: Vec<String>,
    /// Members that carry secrets (model member names, in any shape): redacted in `Debug`
    /// like the members of shapes the model marks `sensitive`. botocore's models mark few
    /// (ElastiCache's `AuthToken` and `Passwords` are plain strings), so `codegen.toml` does.
    pub sensitive: Vec<String>,
    /// How the generated crate's `Cargo.toml` reaches the runtime crate.
    pub runtime: RuntimeDep,
    /// Set for crates kept in sync by their own build script: the paths it needs.
    pub sync: Option<SyncPaths>,
    /// Give the crate an empty `[workspace]` so it builds where it stands.
    pub standalone: bool,
    /// Enum variant names the model's values do not tell: shape → value → variant.
    pub enum_variants: BTreeMap<String, BTreeMap<String, String>>,
    /// Which default credential chain the crate gets.
    pub credentials: CredentialsChain,
    /// The botocore-JSON bridge (inputs from, outputs and errors to botocore's JSON, for
    /// tests and tools): a crate of its own, or (`None`) a module of the crate behind the
    /// `json` feature.
    pub json_crate: Option<JsonCrate>,
}

/// `credentials` in `[crate]`: which default credential chain the generated crate gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CredentialsChain {
    /// Every source, the STS-based ones (assume role, web identity) included: the crate
    /// depends on `aws-query-credentials`, which calls STS through the generated `sts` crate.
    #[default]
    Full,
    /// The sources that need no STS. For the `sts` crate itself, which
    /// `aws-query-credentials` depends on, and for crates that are modules of another.
    Basic,
}

/// The bridge as a crate beside the generated one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonCrate {
    pub name: String,
    /// The generated crate, relative to the bridge's folder.
    pub service_path: String,
    /// The runtime crate, relative to the bridge's folder.
    pub runtime_path: String,
}

impl Settings {
    /// Settings for a standalone crate named `crate_name`, version 0.1.0, every operation.
    pub fn new(crate_name: impl Into<String>, runtime: RuntimeDep) -> Settings {
        Settings {
            crate_name: crate_name.into(),
            version: "0.1.0".to_owned(),
            description: None,
            allow: Vec::new(),
            sensitive: Vec::new(),
            runtime,
            sync: None,
            standalone: true,
            enum_variants: BTreeMap::new(),
            credentials: CredentialsChain::Full,
            json_crate: None,
        }
    }
}

/// The generated crate's dependency on the runtime crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDep {
    /// A path dependency, written relative to the generated crate's own folder.
    Path(String),
    /// A version requirement on crates.io.
    Version(String),
}

impl RuntimeDep {
    /// The dependency as `Cargo.toml` writes it.
    pub fn to_toml(&self) -> String {
        match self {
            RuntimeDep::Path(p) => format!("{{ path = \"{p}\" }}"),
            RuntimeDep::Version(v) => format!("\"{v}\""),
        }
    }

    /// A dependency on a crate published beside the runtime (`transport`, `credentials`):
    /// the folder next to the runtime's, or the same version.
    pub fn sibling(&self, folder: &str, optional: bool) -> String {
        let optional = if optional { ", optional = true" } else { "" };
        match self {
            RuntimeDep::Path(p) => {
                let parent = p.rsplit_once('/').map_or("", |(parent, _)| parent);
                let path = if parent.is_empty() { folder.to_owned() } else { format!("{parent}/{folder}") };
                format!("{{ path = \"{path}\"{optional} }}")
            }
            RuntimeDep::Version(v) => format!("{{ version = \"{v}\"{optional} }}"),
        }
    }
}

/// Paths the sync build script uses, relative to the generated crate's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncPaths {
    pub codegen: String,
    pub repo_root: String,
    /// The model folder relative to the repository root.
    pub model_dir: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "crate")]
    krate: CrateSection,
    #[serde(default)]
    operations: OperationsSection,
    #[serde(default)]
    members: MembersSection,
    #[serde(default)]
    names: NamesSection,
    #[serde(default)]
    json: Option<JsonSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSection {
    #[serde(rename = "crate")]
    name: String,
    out: PathBuf,
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
    credentials: CredentialsChain,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct OperationsSection {
    #[serde(default)]
    allow: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct MembersSection {
    #[serde(default)]
    sensitive: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct NamesSection {
    #[serde(default)]
    enum_variants: BTreeMap<String, BTreeMap<String, String>>,
}

/// A service of the repository: its `codegen.toml` read, ready to generate.
#[derive(Debug, Clone)]
pub struct Project {
    pub settings: Settings,
    /// The model's `service-2.json`.
    pub model: PathBuf,
    /// The model path as shown in headers and errors (relative to the repository root).
    pub model_name: String,
    /// The crate folder.
    pub out: PathBuf,
    /// The JSON bridge's crate folder, when it is a crate of its own.
    pub json_out: Option<PathBuf>,
}

impl Project {
    /// Reads `root/model_dir/codegen.toml` (`model_dir` relative to the repository root).
    pub fn read(root: &Path, model_dir: &str) -> Result<Project, String> {
        let path = root.join(model_dir).join("codegen.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let file: File = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let out = file.krate.out;
        let settings = Settings {
            crate_name: file.krate.name,
            version: file.krate.version,
            description: file.krate.description,
            allow: file.operations.allow,
            sensitive: file.members.sensitive,
            runtime: RuntimeDep::Path(relative(&out, "runtime")),
            sync: Some(SyncPaths {
                codegen: relative(&out, "codegen"),
                repo_root: relative(&out, ""),
                model_dir: model_dir.to_owned(),
            }),
            standalone: false,
            enum_variants: file.names.enum_variants,
            credentials: file.krate.credentials,
            json_crate: file.json.as_ref().map(|j| JsonCrate {
                name: j.name.clone(),
                service_path: join(&relative(&j.out, ""), &out),
                runtime_path: relative(&j.out, "runtime"),
            }),
        };
        let out_rel = out.to_string_lossy().replace('\\', "/");
        Ok(Project {
            settings,
            model: root.join(model_dir).join(crate::model::sources::SERVICE),
            model_name: format!("{model_dir}/{}", crate::model::sources::SERVICE),
            out: root.join(out_rel),
            json_out: file.json.map(|j| root.join(j.out)),
        })
    }

    /// Every `models/*/codegen.toml` under `root`, in name order.
    pub fn all(root: &Path) -> Result<Vec<Project>, String> {
        let models = root.join("models");
        let entries = std::fs::read_dir(&models).map_err(|e| format!("{}: {e}", models.display()))?;
        let mut dirs: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("codegen.toml").is_file())
            .map(|e| format!("models/{}", e.file_name().to_string_lossy()))
            .collect();
        dirs.sort();
        dirs.iter().map(|d| Project::read(root, d)).collect()
    }
}

/// `base/path` with `/` separators.
fn join(base: &str, path: &Path) -> String {
    format!("{base}/{}", path.to_string_lossy().replace('\\', "/"))
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

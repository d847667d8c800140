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
    /// The crate has an `auth_token` module: IAM authentication tokens for ElastiCache (and
    /// RDS) users, the runtime's generators bound to the crate's STS implementation.
    pub auth_token: bool,
    /// A cargo feature per operation (or per resource, for services with more operations than
    /// a crate may have features), so that an application compiles only what it calls.
    pub operation_features: bool,
    /// The botocore-JSON bridge (inputs from, outputs and errors to botocore's JSON, for
    /// tests and tools): a crate of its own, or (`None`) a module of the crate behind the
    /// `json` feature.
    pub json_crate: Option<JsonCrate>,
    /// The package name, where it differs from the library's (`crate_name`): a name taken on
    /// the package registry (`sts`) is published as another (`aws-query-sts`) and still
    /// imported as `sts`.
    pub package: Option<String>,
    /// Whether the crate is meant for a package registry: `false` writes `publish = false`
    /// and leaves out what only a published crate needs (README, `include`, metadata).
    pub publish: bool,
    /// Package metadata for a published crate (`codegen.toml`'s `[crate]`).
    pub repository: Option<String>,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
}

/// `credentials` in `[crate]`: which default credential chain the generated crate gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CredentialsChain {
    /// Every source, the STS-based ones (assume role, web identity) included: the crate
    /// depends on `aws-query-credentials-sts`, which calls STS through the generated `sts` crate.
    #[default]
    Full,
    /// The sources that need no STS. For the `sts` crate itself, which
    /// `aws-query-credentials-sts` depends on, and for crates that are modules of another.
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
            auth_token: false,
            operation_features: false,
            json_crate: None,
            package: None,
            publish: true,
            repository: None,
            keywords: Vec::new(),
            categories: Vec::new(),
        }
    }
}

/// The generated crate's dependency on the runtime crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDep {
    /// A path dependency, written relative to the generated crate's own folder.
    Path(String),
    /// A path dependency with the version it has, so that the crate can be published:
    /// packaging keeps the version requirement and drops the path.
    PathAndVersion { path: String, version: String },
    /// A version requirement on the package registry.
    Version(String),
}

impl RuntimeDep {
    /// The dependency as `Cargo.toml` writes it.
    pub fn to_toml(&self) -> String {
        match self {
            RuntimeDep::Path(p) => format!("{{ path = \"{p}\" }}"),
            RuntimeDep::PathAndVersion { path, version } => format!("{{ path = \"{path}\", version = \"{version}\" }}"),
            RuntimeDep::Version(v) => format!("\"{v}\""),
        }
    }

    /// A dependency on a crate published beside the runtime (`transport`, `credentials`):
    /// the folder next to the runtime's, and the runtime's version (they are released together).
    /// An optional one comes without its default features (the generated crate's features
    /// choose them).
    pub fn sibling(&self, folder: &str, optional: bool) -> String {
        let optional = if optional { ", optional = true, default-features = false" } else { "" };
        let beside = |runtime: &str| match runtime.rsplit_once('/') {
            Some((parent, _)) if !parent.is_empty() => format!("{parent}/{folder}"),
            _ => folder.to_owned(),
        };
        match self {
            RuntimeDep::Path(p) => format!("{{ path = \"{}\"{optional} }}", beside(p)),
            RuntimeDep::PathAndVersion { path, version } => {
                format!("{{ path = \"{}\", version = \"{version}\"{optional} }}", beside(path))
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
    package: Option<String>,
    #[serde(default)]
    credentials: CredentialsChain,
    #[serde(default)]
    auth_token: bool,
    #[serde(default = "yes")]
    operation_features: bool,
    repository: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
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

fn yes() -> bool {
    true
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
        let runtime_path = relative(&out, "runtime");
        let runtime = match runtime_version(root)? {
            Some(version) => RuntimeDep::PathAndVersion { path: runtime_path, version },
            None => RuntimeDep::Path(runtime_path),
        };
        let settings = Settings {
            crate_name: file.krate.name,
            version: file.krate.version,
            description: file.krate.description,
            allow: file.operations.allow,
            sensitive: file.members.sensitive,
            runtime,
            sync: Some(SyncPaths {
                codegen: relative(&out, "codegen"),
                repo_root: relative(&out, ""),
                model_dir: model_dir.to_owned(),
            }),
            standalone: false,
            enum_variants: file.names.enum_variants,
            credentials: file.krate.credentials,
            auth_token: file.krate.auth_token,
            operation_features: file.krate.operation_features,
            package: file.krate.package,
            json_crate: file.json.as_ref().map(|j| JsonCrate {
                name: j.name.clone(),
                service_path: join(&relative(&j.out, ""), &out),
                runtime_path: relative(&j.out, "runtime"),
            }),
            publish: true,
            repository: file.krate.repository,
            keywords: file.krate.keywords,
            categories: file.krate.categories,
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

/// The version of the runtime crate of the repository at `root` (`runtime/Cargo.toml`), or
/// `None` when `root` has no runtime (a model folder read on its own).
fn runtime_version(root: &Path) -> Result<Option<String>, String> {
    #[derive(Deserialize)]
    struct Manifest {
        package: Package,
    }
    #[derive(Deserialize)]
    struct Package {
        version: String,
    }
    let path = root.join("runtime/Cargo.toml");
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(None) };
    let manifest: Manifest = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Some(manifest.package.version))
}

/// `codegen.toml`'s text with the crate's `version` set to `version`, everything else (comments,
/// order) kept: what `cargo xtask update-model` does after a model update. Fails unless the
/// file has exactly one `version` line in `[crate]` and the result reads back with it.
pub fn set_version(text: &str, version: &str) -> Result<String, String> {
    let mut section = "";
    let mut found = 0;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed;
        }
        let key = trimmed.split('=').next().unwrap_or_default().trim();
        if section == "[crate]" && key == "version" && trimmed.contains('=') {
            found += 1;
            let indent = &line[..line.len() - line.trim_start().len()];
            let newline = if line.ends_with('\n') { "\n" } else { "" };
            out.push_str(&format!("{indent}version = \"{version}\"{newline}"));
        } else {
            out.push_str(line);
        }
    }
    if found != 1 {
        return Err(format!("expected one `version = ...` line in [crate], found {found}"));
    }
    let file: File = toml::from_str(&out).map_err(|e| e.to_string())?;
    if file.krate.version != version {
        return Err(format!("the version reads back as `{}`", file.krate.version));
    }
    Ok(out)
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

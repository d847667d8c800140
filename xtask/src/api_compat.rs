//! `cargo xtask api-compat`: every public item of aws-sdk-elasticache, and whether this
//! project's `elasticache` has it with the same signature, with another, or not at all.
//!
//! Both sides come from rustdoc's JSON output (`RUSTC_BOOTSTRAP=1`, `-Z unstable-options
//! --output-format json`), built outside the project's workspace build:
//!
//! - aws-sdk-elasticache and the crates whose items it re-exports (aws-smithy-types,
//!   aws-smithy-runtime-api, aws-types, aws-credential-types), in a scratch crate under
//!   `target/api-compat/sdk/` with its own lock file; the JSON is cached under
//!   `target/api-compat/json/` by crate version, so only the first run pays for it;
//! - `elasticache` and the crates it re-exports from (aws-query-runtime, time), with feature
//!   `test-util` on both sides, in `target/api-compat/ours-target/`.
//!
//! Every public path is walked from each crate's root, through public modules and `pub use`
//! re-exports into the other documented crates. An item's members (fields, variants, methods,
//! trait implementations) are listed under its shortest public path. Signatures are compared
//! after normalising what differs without mattering to a caller (listed in [`NORMALISED`]).
//!
//! Then the surfaces programs use of the crates they set up with and import from beside the
//! service crate ([`SURFACES`]): aws-config against aws-query-config, and aws-smithy-types,
//! aws-smithy-runtime-api, aws-types and aws-credential-types against this project's crates of
//! the same paths (`shims/`). Only the paths used count: those of the compatibility corpus's
//! sources (`use` trees and inline paths, `tests/compat/*/src`) and, for aws-config, the list
//! of what programs set up with ([`AWS_CONFIG_USED`]).
//!
//! The summary goes to stdout (and, with `--readme`, into README.md between the
//! `api-compat` markers); the full list, item by item, to `target/api-compat/report.txt`.

use crate::args::{repo_root, Args, Command};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use xtask::nested::{self, Committed};

/// The crates documented on each side: the service crate first.
const SDK_CRATES: [&str; 5] = ["aws-sdk-elasticache", "aws-smithy-types", "aws-smithy-runtime-api", "aws-types", "aws-credential-types"];
const OUR_CRATES: [&str; 3] = ["elasticache", "aws-query-runtime", "time"];

/// A crate programs use beside the service crate: its documents on each side (the crate
/// itself first, then the crates its items come from), and for aws-config the items
/// programs set up with, besides what the corpus uses.
struct Surface {
    name: &'static str,
    sdk: &'static [&'static str],
    ours: &'static [&'static str],
    listed: &'static [&'static str],
}

const SMITHY: [&str; 2] = ["aws-smithy-types", "aws-smithy-runtime-api"];

const SURFACES: [Surface; 5] = [
    Surface {
        name: "aws-config",
        sdk: &["aws-config", "aws-types", "aws-credential-types", SMITHY[0], SMITHY[1]],
        ours: &["aws-query-config", "aws-query-runtime"],
        listed: AWS_CONFIG_USED,
    },
    Surface { name: "aws-smithy-types", sdk: &[SMITHY[0]], ours: &["aws-query-smithy-types", "aws-query-runtime"], listed: &[] },
    Surface { name: "aws-smithy-runtime-api", sdk: &[SMITHY[1], SMITHY[0]], ours: &["aws-query-smithy-runtime-api", "aws-query-runtime"], listed: &[] },
    Surface { name: "aws-types", sdk: &["aws-types", "aws-credential-types", SMITHY[0], SMITHY[1]], ours: &["aws-query-aws-types", "aws-query-runtime"], listed: &[] },
    Surface { name: "aws-credential-types", sdk: &["aws-credential-types", SMITHY[0], SMITHY[1]], ours: &["aws-query-credential-types", "aws-query-runtime"], listed: &[] },
];

/// What programs set themselves up with from aws-config (issue 29's list, with the members
/// they call), as keys of the report: items under their public path, members under their
/// owner's.
pub const AWS_CONFIG_USED: &[&str] = &[
    "load_from_env",
    "load_defaults",
    "defaults",
    "from_env",
    "ConfigLoader",
    "ConfigLoader::region",
    "ConfigLoader::profile_name",
    "ConfigLoader::credentials_provider",
    "ConfigLoader::endpoint_url",
    "ConfigLoader::retry_config",
    "ConfigLoader::timeout_config",
    "ConfigLoader::app_name",
    "ConfigLoader::behavior_version",
    "ConfigLoader::load",
    "SdkConfig",
    "SdkConfig::builder",
    "SdkConfig::region",
    "SdkConfig::credentials_provider",
    "SdkConfig::endpoint_url",
    "SdkConfig::retry_config",
    "SdkConfig::timeout_config",
    "BehaviorVersion",
    "BehaviorVersion::latest",
    "Region",
    "Region::new",
    "AppName",
    "AppName::new",
    "meta::region::RegionProviderChain",
    "meta::region::RegionProviderChain::first_try",
    "meta::region::RegionProviderChain::or_else",
    "meta::region::RegionProviderChain::default_provider",
    "meta::region::RegionProviderChain::or_default_provider",
    "meta::region::RegionProviderChain::region",
    "default_provider::credentials::DefaultCredentialsChain",
    "default_provider::credentials::DefaultCredentialsChain::builder",
    "default_provider::credentials::Builder::profile_name",
    "default_provider::credentials::Builder::region",
    "default_provider::credentials::Builder::build",
    "default_provider::region::DefaultRegionChain",
    "default_provider::region::DefaultRegionChain::builder",
    "default_provider::region::DefaultRegionChain::region",
    "default_provider::region::Builder::profile_name",
    "default_provider::region::Builder::build",
    "profile::ProfileFileCredentialsProvider",
    "profile::ProfileFileCredentialsProvider::builder",
    "profile::credentials::Builder::profile_name",
    "profile::credentials::Builder::build",
    "environment::EnvironmentVariableCredentialsProvider",
    "environment::EnvironmentVariableCredentialsProvider::new",
    "imds::credentials::ImdsCredentialsProvider",
    "imds::credentials::ImdsCredentialsProvider::builder",
    "imds::credentials::Builder::build",
    "ecs::EcsCredentialsProvider",
    "ecs::EcsCredentialsProvider::builder",
    "ecs::Builder::build",
    "web_identity_token::WebIdentityTokenCredentialsProvider",
    "web_identity_token::WebIdentityTokenCredentialsProvider::builder",
    "web_identity_token::Builder::build",
    "sts::AssumeRoleProvider",
    "sts::AssumeRoleProvider::builder",
    "sts::AssumeRoleProviderBuilder::session_name",
    "sts::AssumeRoleProviderBuilder::external_id",
    "sts::AssumeRoleProviderBuilder::session_length",
    "sts::AssumeRoleProviderBuilder::region",
    "sts::AssumeRoleProviderBuilder::configure",
    "sts::AssumeRoleProviderBuilder::build",
    "sso::SsoCredentialsProvider",
    "sso::SsoCredentialsProvider::builder",
    "sso::credentials::Builder::account_id",
    "sso::credentials::Builder::role_name",
    "sso::credentials::Builder::start_url",
    "sso::credentials::Builder::region",
    "sso::credentials::Builder::session_name",
    "sso::credentials::Builder::build",
    "retry::RetryConfig",
    "retry::RetryConfig::standard",
    "retry::RetryConfig::adaptive",
    "retry::RetryConfig::with_max_attempts",
    "retry::RetryMode",
    "timeout::TimeoutConfig",
    "timeout::TimeoutConfig::builder",
    "timeout::TimeoutConfigBuilder::connect_timeout",
    "timeout::TimeoutConfigBuilder::read_timeout",
    "timeout::TimeoutConfigBuilder::operation_timeout",
    "timeout::TimeoutConfigBuilder::operation_attempt_timeout",
    "timeout::TimeoutConfigBuilder::build",
];

/// What the comparison treats as equal, for the report.
pub const NORMALISED: &str = "\
- paths are crate-relative public paths (`types::Snapshot`), whatever crate defines the item: \
`aws_smithy_types::DateTime` and `aws_query_runtime::primitives::DateTime` both read `primitives::DateTime`, \
`aws_smithy_runtime_api::client::orchestrator::HttpResponse` and `aws_query_runtime::http::HttpResponse` both \
`config::http::HttpResponse`; a type alias that only renames (`error::SdkError<E, R = HttpResponse>`) names its target;
- std items by their name (`Option`, `String`, `Vec`), lifetimes dropped, generic parameters as `$G`, \
trailing generic arguments equal to the parameter's default dropped;
- `mut self` is `self`; a parameter that takes `impl Into<T>` where aws-sdk-elasticache takes `T` counts as the same;
- a member of a type public at several paths counts at each of them (`config::retry::RetryConfig::max_attempts` \
is `config::RetryConfig::max_attempts` when the type is public at both);
- a trait implementation the JSON does not list for the type (an impl generic over it, such as \
`impl<T: …> RequestId for T`) counts as present when `Type: Trait<Args>`, spelled with the crate's public paths, \
compiles against this crate (one probe crate, target/api-compat/probe/; the report says \
\"a generic impl, checked by compiling\");
- a fluent builder that is a type alias (`XFluentBuilder<M = Async>`) has the members of the impls that apply to it;
- trait implementations compare by type and trait with the trait's concrete arguments (`From<error::SdkError<XError>>`); \
auto traits and blanket implementations are left out.";

/// The status of one item of aws-sdk-elasticache here.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Status {
    Same,
    Other,
    Missing,
}

pub const COMMAND: Command = Command {
    name: "api-compat",
    usage: "\
usage: cargo xtask api-compat [--readme]

Every public item of aws-sdk-elasticache: present here with the same signature, with
another, or missing (a summary; every item in target/api-compat/report.txt).

  --readme   write the summary into README.md
",
    flags: &["readme"],
    values: &[],
    positional: None,
};

pub fn run(args: &Args) -> Result<(), String> {
    let readme = args.flag("readme");
    let root = repo_root();
    let sdk_docs = sdk_json(&root)?;
    let our_docs = our_json(&root)?;
    eprintln!("==> api-compat: reading rustdoc JSON");
    let sdk = Api::read(&sdk_docs)?;
    let ours = Api::read(&our_docs)?;
    let mut report = compare(&sdk, &ours);
    let probed = probe_trait_impls(&root, &sdk, &mut report)?;
    eprintln!("==> api-compat: {probed} trait implementations found by compiling (generic impls here)");
    let mut summary = report.summary(&sdk);
    let mut full = report.full(&summary);
    let surfaces = surfaces(&root)?;
    summary.push_str(&surfaces.0);
    full.push_str(&surfaces.1);
    print!("{summary}");
    let file = root.join("target/api-compat/report.txt");
    std::fs::write(&file, full).map_err(|e| format!("error: {}: {e}", file.display()))?;
    eprintln!("(every item: {})", file.display());
    if readme {
        update_readme(&root.join("README.md"), &summary)?;
        eprintln!("(README.md updated)");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Producing the JSON.

/// aws-sdk-elasticache's side, cached by crate version.
fn sdk_json(root: &Path) -> Result<Vec<PathBuf>, String> {
    sdk_docs(root, &SDK_CRATES)
}

/// The rustdoc JSON of `crates` (registry crates the scratch crate depends on), cached by
/// crate version.
fn sdk_docs(root: &Path, crates: &[&str]) -> Result<Vec<PathBuf>, String> {
    let work = root.join("target/api-compat/sdk");
    std::fs::create_dir_all(&work).map_err(|e| format!("error: {}: {e}", work.display()))?;
    let manifest = "# Scratch crate of `cargo xtask api-compat`: pulls in aws-sdk-elasticache to document it.\n\
        [package]\nname = \"api-compat-sdk\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
        [lib]\npath = \"lib.rs\"\n\n[dependencies]\naws-sdk-elasticache = { version = \"1\", features = [\"test-util\"] }\naws-config = \"1\"\n\n[workspace]\n";
    write_if_changed(&work.join("Cargo.toml"), manifest)?;
    write_if_changed(&work.join("lib.rs"), "")?;
    let target = root.join("target/api-compat/sdk-target");
    // aws-sdk-elasticache at the version the compatibility corpus locks (with what its
    // `test-util` feature adds).
    nested::lock(&work, &nested::seed_paths(root, &[Committed::Compat]))?;
    let lock = std::fs::read_to_string(work.join("Cargo.lock")).map_err(|e| format!("error: Cargo.lock: {e}"))?;
    let cache = root.join("target/api-compat/json");
    std::fs::create_dir_all(&cache).map_err(|e| format!("error: {}: {e}", cache.display()))?;
    let mut files = Vec::new();
    for &krate in crates {
        let version = locked_version(&lock, krate).ok_or_else(|| format!("error: {krate} is not in {}/Cargo.lock", work.display()))?;
        let cached = cache.join(format!("{krate}-{version}.json"));
        if !cached.exists() {
            eprintln!("==> api-compat: rustdoc JSON of {krate} {version} (cached afterwards)");
            cargo(&work, &target, &["rustdoc", "-p", &format!("{krate}@{version}"), "--lib", "--", "-Z", "unstable-options", "--output-format", "json"], true)?;
            let produced = target.join("doc").join(format!("{}.json", krate.replace('-', "_")));
            std::fs::copy(&produced, &cached).map_err(|e| format!("error: {}: {e}", produced.display()))?;
        }
        files.push(cached);
    }
    Ok(files)
}

/// This project's side, rebuilt each run (rustdoc skips what did not change).
fn our_json(root: &Path) -> Result<Vec<PathBuf>, String> {
    our_docs(root, &OUR_CRATES)
}

/// The rustdoc JSON of the project's `crates` (`time` from the registry), `test-util` on for
/// the runtime and the service crate.
fn our_docs(root: &Path, crates: &[&str]) -> Result<Vec<PathBuf>, String> {
    let target = root.join("target/api-compat/ours-target");
    let mut files = Vec::new();
    for &krate in crates {
        eprintln!("==> api-compat: rustdoc JSON of {krate}");
        let mut args = vec!["rustdoc", "-p", krate, "--lib"];
        if krate == "elasticache" || krate == "aws-query-runtime" {
            args.extend(["--features", "test-util"]);
        }
        args.extend(["--", "-Z", "unstable-options", "--output-format", "json"]);
        cargo(root, &target, &args, true)?;
        files.push(target.join("doc").join(format!("{}.json", krate.replace('-', "_"))));
    }
    Ok(files)
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).map_err(|e| format!("error: {}: {e}", path.display()))?;
    }
    Ok(())
}

/// `version = "…"` of `name` in a lock file (the first, if several).
fn locked_version(lock: &str, name: &str) -> Option<String> {
    lock.split("[[package]]")
        .find(|p| p.contains(&format!("name = \"{name}\"\n")))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"').map(str::to_owned)))
}

fn cargo(dir: &Path, target: &Path, args: &[&str], nightly_flags: bool) -> Result<(), String> {
    let (subcommand, rest) = args.split_first().ok_or("error: no cargo subcommand")?;
    let mut cmd = nested::cargo(dir, subcommand);
    cmd.args(rest).env("CARGO_TARGET_DIR", target);
    if nightly_flags {
        // rustdoc's JSON output is unstable; this tool alone opts in.
        cmd.env("RUSTC_BOOTSTRAP", "1");
    }
    let out = cmd.output().map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!("error: `cargo {}` failed in {}:\n{}", args.join(" "), dir.display(), String::from_utf8_lossy(&out.stderr)));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading one side's public API.

/// One crate's rustdoc JSON, with its local items by canonical path.
struct Doc {
    name: String,
    index: HashMap<u64, Value>,
    paths: HashMap<u64, Value>,
    crates: HashMap<u64, String>,
    by_path: HashMap<Vec<String>, u64>,
    root: u64,
}

impl Doc {
    fn load(file: &Path) -> Result<Doc, String> {
        let text = std::fs::read_to_string(file).map_err(|e| format!("error: {}: {e}", file.display()))?;
        let json: Value = serde_json::from_str(&text).map_err(|e| format!("error: {}: {e}", file.display()))?;
        let ids = |key: &str| -> HashMap<u64, Value> {
            json[key].as_object().map(|m| m.iter().filter_map(|(k, v)| Some((k.parse().ok()?, v.clone()))).collect()).unwrap_or_default()
        };
        let index = ids("index");
        let paths = ids("paths");
        let crates: HashMap<u64, String> = ids("external_crates").into_iter().filter_map(|(k, v)| Some((k, v["name"].as_str()?.to_owned()))).collect();
        let root = json["root"].as_u64().ok_or_else(|| format!("error: {}: no root", file.display()))?;
        let name = index.get(&root).and_then(|r| r["name"].as_str()).unwrap_or_default().to_owned();
        let by_path = paths
            .iter()
            .filter(|(_, p)| p["crate_id"].as_u64() == Some(0))
            .filter_map(|(id, p)| Some((p["path"].as_array()?.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect(), *id)))
            .collect();
        Ok(Doc { name, index, paths, crates, by_path, root })
    }
}

/// An item at a public path: which document and id.
type Target = (usize, u64);

#[derive(Clone, Debug)]
struct ApiItem {
    category: &'static str,
    signature: String,
}

/// One side's public API: every item by key (`types::Snapshot::snapshot_name`, ...).
struct Api {
    items: BTreeMap<String, ApiItem>,
    /// Every other public path of a type or trait whose members are listed under its
    /// public name: the path, and that name (`config::retry::RetryConfig` →
    /// `config::RetryConfig` when both are public).
    aliases: HashMap<String, String>,
}

impl Api {
    /// The item of `key`: under that key, or, for a member (`Owner::name`, `Owner: Trait`)
    /// of a type also public at another path, under the type's public name.
    fn get(&self, key: &str) -> Option<&ApiItem> {
        self.items.get(key).or_else(|| {
            let (owner, sep, member) = match (key.find(": "), key.rfind("::")) {
                (Some(colon), _) => (&key[..colon], ": ", &key[colon + 2..]),
                (None, Some(at)) => (&key[..at], "::", &key[at + 2..]),
                (None, None) => return None,
            };
            self.items.get(&format!("{}{sep}{member}", self.aliases.get(owner)?))
        })
    }
}

/// The walk over one side's documents.
struct Walker<'a> {
    docs: &'a [Doc],
    /// Every public path of each item.
    public: HashMap<Target, Vec<String>>,
    /// Items reached, by path, in the order found.
    entries: Vec<(String, Target)>,
    /// Paths of re-exports whose item is in no document, with their kind.
    external: Vec<(String, String)>,
    /// Types named through a renaming alias: the alias's path, and its generics (defaults).
    renamed: HashMap<Target, (String, usize, Value)>,
    /// Every alias's target, with the alias's arguments for it (`Null` for a renaming alias).
    alias_targets: HashMap<Target, (Target, Value)>,
    visited_modules: BTreeSet<(Target, String)>,
}

impl Api {
    fn read(files: &[PathBuf]) -> Result<Api, String> {
        let docs = files.iter().map(|f| Doc::load(f)).collect::<Result<Vec<_>, _>>()?;
        let mut w = Walker {
            docs: &docs,
            public: HashMap::new(),
            entries: Vec::new(),
            external: Vec::new(),
            renamed: HashMap::new(),
            alias_targets: HashMap::new(),
            visited_modules: BTreeSet::new(),
        };
        w.module((0, docs[0].root), "");
        Ok(Api { items: w.items(), aliases: w.aliases() })
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}::{name}")
    }
}

/// The kind of an item (`struct`, `function`, ...): the one key of its `inner`.
fn kind(item: &Value) -> &str {
    item["inner"].as_object().and_then(|o| o.keys().next()).map(String::as_str).unwrap_or("")
}

fn inner(item: &Value) -> &Value {
    &item["inner"][kind(item)]
}

fn ids(v: &Value) -> Vec<u64> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_u64).collect()).unwrap_or_default()
}

impl<'a> Walker<'a> {
    fn item(&self, t: Target) -> Option<&'a Value> {
        self.docs[t.0].index.get(&t.1)
    }

    /// Where an id seen in document `doc` is defined: that document, or another one.
    fn resolve(&self, doc: usize, id: u64) -> Option<Target> {
        let d = &self.docs[doc];
        if let Some(item) = d.index.get(&id) {
            if item["crate_id"].as_u64() == Some(0) {
                return Some((doc, id));
            }
        }
        let summary = d.paths.get(&id)?;
        let krate = summary["crate_id"].as_u64()?;
        if krate == 0 {
            return d.index.contains_key(&id).then_some((doc, id));
        }
        let name = d.crates.get(&krate)?;
        let path: Vec<String> = summary["path"].as_array()?.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect();
        let other = self.docs.iter().position(|x| &x.name == name)?;
        let found = *self.docs[other].by_path.get(&path)?;
        Some((other, found))
    }

    fn module(&mut self, m: Target, prefix: &str) {
        if !self.visited_modules.insert((m, prefix.to_owned())) {
            return;
        }
        let Some(module) = self.item(m) else { return };
        for child in ids(&inner(module)["items"]) {
            let Some(item) = self.docs[m.0].index.get(&child) else { continue };
            if item["visibility"].as_str() != Some("public") {
                continue;
            }
            if kind(item) == "use" {
                self.reexport(m.0, inner(item), prefix);
                continue;
            }
            let Some(name) = item["name"].as_str() else { continue };
            self.visit((m.0, child), &join(prefix, name));
        }
    }

    fn reexport(&mut self, doc: usize, u: &Value, prefix: &str) {
        let target = u["id"].as_u64().and_then(|id| self.resolve(doc, id));
        let glob = u["is_glob"].as_bool() == Some(true);
        match (target, glob) {
            (Some(t), true) if self.item(t).is_some_and(|i| kind(i) == "module") => self.module(t, prefix),
            (Some(t), false) => {
                let name = u["name"].as_str().unwrap_or_default();
                self.visit(t, &join(prefix, name));
            }
            _ => {
                let name = u["name"].as_str().unwrap_or_default();
                let what = u["id"]
                    .as_u64()
                    .and_then(|id| self.docs[doc].paths.get(&id))
                    .and_then(|p| p["kind"].as_str())
                    .unwrap_or("item")
                    .to_owned();
                self.external.push((join(prefix, name), what));
            }
        }
    }

    fn visit(&mut self, t: Target, path: &str) {
        let Some(item) = self.item(t) else { return };
        self.public.entry(t).or_default().push(path.to_owned());
        self.entries.push((path.to_owned(), t));
        match kind(item) {
            "module" => self.module(t, path),
            "type_alias" => self.alias(t, item, path),
            _ => {}
        }
    }

    /// A renaming alias (`SdkError<E, R = X> = other::SdkError<E, R>`) makes its path the
    /// target's public name; an alias with other arguments lends the target's members.
    fn alias(&mut self, t: Target, item: &Value, path: &str) {
        let a = inner(item);
        let ty = &a["type"]["resolved_path"];
        let Some(target) = ty["id"].as_u64().and_then(|id| self.resolve(t.0, id)) else { return };
        let params: Vec<&str> = a["generics"]["params"].as_array().map(|p| p.iter().filter_map(|p| p["name"].as_str()).collect()).unwrap_or_default();
        let args: Vec<Option<&str>> = ty["args"]["angle_bracketed"]["args"]
            .as_array()
            .map(|a| a.iter().map(|x| x["type"]["generic"].as_str()).collect())
            .unwrap_or_default();
        let renaming = args.len() == params.len() && args.iter().zip(&params).all(|(a, p)| *a == Some(p));
        if renaming {
            self.renamed.entry(target).or_insert_with(|| (path.to_owned(), t.0, a["generics"].clone()));
            self.alias_targets.insert(t, (target, Value::Null));
        } else {
            self.alias_targets.insert(t, (target, ty["args"].clone()));
        }
    }

    /// The public name of an item: the renaming alias that names it, else its shortest
    /// public path.
    fn public_name(&self, t: Target) -> Option<String> {
        if let Some((path, _, _)) = self.renamed.get(&t) {
            return Some(path.clone());
        }
        self.public.get(&t)?.iter().min_by_key(|p| (p.matches("::").count(), p.len(), (*p).clone())).cloned()
    }

    /// Each public path of a type or trait that is not its public name, with that name.
    fn aliases(&self) -> HashMap<String, String> {
        let mut out = HashMap::new();
        for (path, t) in &self.entries {
            let Some(item) = self.item(*t) else { continue };
            if !matches!(kind(item), "struct" | "enum" | "union" | "trait") {
                continue;
            }
            if let Some(name) = self.public_name(*t).filter(|name| name != path) {
                out.insert(path.clone(), name);
            }
        }
        out
    }

    /// Every item, keyed and categorised, with its signature.
    fn items(&self) -> BTreeMap<String, ApiItem> {
        let mut out = BTreeMap::new();
        for (path, what) in &self.external {
            out.insert(path.clone(), ApiItem { category: category_of_path(path, "re-exports of undocumented crates"), signature: what.clone() });
        }
        let mut members_done = BTreeSet::new();
        for (path, t) in &self.entries {
            let Some(item) = self.item(*t) else { continue };
            let k = kind(item);
            let (category, signature) = match k {
                "module" => ("module paths", String::new()),
                "struct" | "enum" | "union" => ("types", self.generics_sig(t.0, &inner(item)["generics"])),
                "type_alias" => ("types", self.generics_sig(t.0, &inner(item)["generics"])),
                "trait" => ("traits", String::new()),
                "function" => ("functions, constants, macros", self.fn_sig(t.0, inner(item))),
                "constant" | "static" => ("functions, constants, macros", self.ty(t.0, &inner(item)["type"])),
                "macro" | "proc_macro" => ("functions, constants, macros", String::new()),
                _ => continue,
            };
            out.insert(path.clone(), ApiItem { category: category_of_path(path, category), signature });
            // Members once, under the item's public name; an alias's, under the alias.
            let (owner, name, filter) = match (k, self.alias_targets.get(t)) {
                ("type_alias", Some((target, args))) => (*target, path.clone(), (!args.is_null()).then_some(args)),
                ("type_alias", None) => continue,
                _ => (*t, self.public_name(*t).unwrap_or_else(|| path.clone()), None),
            };
            if &name != path || !members_done.insert((name.clone(), owner)) {
                continue;
            }
            self.members(owner, &name, filter, &mut out);
        }
        out
    }

    /// Fields, variants, methods and trait implementations of a type; with `only_args`, only
    /// the impls that apply to those generic arguments (a fluent-builder alias).
    fn members(&self, t: Target, owner: &str, only_args: Option<&Value>, out: &mut BTreeMap<String, ApiItem>) {
        let Some(item) = self.item(t) else { return };
        let doc = t.0;
        let body = inner(item);
        match kind(item) {
            "struct" => {
                for f in ids(&body["kind"]["plain"]["fields"]) {
                    let Some(field) = self.docs[doc].index.get(&f) else { continue };
                    if field["visibility"].as_str() == Some("public") {
                        let name = field["name"].as_str().unwrap_or_default();
                        let sig = self.ty(doc, &field["inner"]["struct_field"]);
                        out.insert(format!("{owner}.{name}"), ApiItem { category: category_of_path(owner, "struct fields"), signature: sig });
                    }
                }
            }
            "enum" => {
                for v in ids(&body["variants"]) {
                    let Some(variant) = self.docs[doc].index.get(&v) else { continue };
                    let name = variant["name"].as_str().unwrap_or_default();
                    let sig = self.variant_sig(doc, &variant["inner"]["variant"]["kind"]);
                    out.insert(format!("{owner}::{name}"), ApiItem { category: category_of_path(owner, "enum variants"), signature: sig });
                }
            }
            "trait" => {
                for m in ids(&body["items"]) {
                    let Some(method) = self.docs[doc].index.get(&m) else { continue };
                    if kind(method) == "function" {
                        let name = method["name"].as_str().unwrap_or_default();
                        let sig = self.fn_sig(doc, inner(method));
                        out.insert(format!("{owner}::{name}"), ApiItem { category: category_of_path(owner, "traits"), signature: sig });
                    }
                }
                return;
            }
            _ => return,
        }
        let owner_name = owner.rsplit("::").next().unwrap_or(owner);
        for i in ids(&body["impls"]) {
            let Some(imp) = self.docs[doc].index.get(&i) else { continue };
            let imp = &imp["inner"]["impl"];
            if imp["is_synthetic"].as_bool() == Some(true) || !imp["blanket_impl"].is_null() {
                continue;
            }
            if let Some(args) = only_args {
                if !self.args_match(doc, &imp["for"]["resolved_path"]["args"], t.0, args) {
                    continue;
                }
            }
            if !imp["trait"].is_null() {
                let tr = self.impl_key(doc, &imp["trait"]);
                out.insert(format!("{owner}: {tr}"), ApiItem { category: category_of_path(owner, "trait implementations"), signature: String::new() });
                continue;
            }
            for m in ids(&imp["items"]) {
                let Some(method) = self.docs[doc].index.get(&m) else { continue };
                if method["visibility"].as_str() != Some("public") || kind(method) != "function" {
                    continue;
                }
                let name = method["name"].as_str().unwrap_or_default();
                let f = inner(method);
                let category = method_category(owner, owner_name, name, f);
                out.insert(format!("{owner}::{name}"), ApiItem { category, signature: self.fn_sig(doc, f) });
            }
        }
    }

    /// Whether an impl's `for` arguments apply to an alias's arguments (generic parameters
    /// apply to anything; named types must agree).
    fn args_match(&self, impl_doc: usize, impl_args: &Value, alias_doc: usize, alias_args: &Value) -> bool {
        let list = |v: &Value| v["angle_bracketed"]["args"].as_array().cloned().unwrap_or_default();
        let (a, b) = (list(impl_args), list(alias_args));
        a.iter().zip(b.iter()).all(|(x, y)| {
            let (x, y) = (&x["type"], &y["type"]);
            if x.get("generic").is_some() || y.get("generic").is_some() {
                return true;
            }
            match (x.get("resolved_path"), y.get("resolved_path")) {
                (Some(px), Some(py)) => {
                    let name = |p: &Value| p["path"].as_str().unwrap_or_default().rsplit("::").next().unwrap_or_default().to_owned();
                    name(px) == name(py) && self.args_match(impl_doc, &px["args"], alias_doc, &py["args"])
                }
                _ => self.ty(impl_doc, x) == self.ty(alias_doc, y),
            }
        })
    }

    fn generics_sig(&self, doc: usize, generics: &Value) -> String {
        let params = generics["params"].as_array().cloned().unwrap_or_default();
        let types: Vec<String> = params
            .iter()
            .filter(|p| p["kind"].get("type").is_some())
            .map(|p| match p["kind"]["type"]["default"].is_null() {
                true => "$G".to_owned(),
                false => format!("$G = {}", self.ty(doc, &p["kind"]["type"]["default"])),
            })
            .collect();
        if types.is_empty() {
            String::new()
        } else {
            format!("<{}>", types.join(", "))
        }
    }

    fn variant_sig(&self, doc: usize, k: &Value) -> String {
        if k.as_str() == Some("plain") {
            return "unit".to_owned();
        }
        if let Some(fields) = k.get("tuple") {
            let types: Vec<String> = ids(fields)
                .iter()
                .filter_map(|f| self.docs[doc].index.get(f))
                .map(|f| self.ty(doc, &f["inner"]["struct_field"]))
                .collect();
            return format!("({})", types.join(", "));
        }
        if let Some(s) = k.get("struct") {
            let fields: Vec<String> = ids(&s["fields"])
                .iter()
                .filter_map(|f| self.docs[doc].index.get(f))
                .map(|f| format!("{}: {}", f["name"].as_str().unwrap_or_default(), self.ty(doc, &f["inner"]["struct_field"])))
                .collect();
            return format!("{{ {} }}", fields.join(", "));
        }
        "?".to_owned()
    }

    fn fn_sig(&self, doc: usize, f: &Value) -> String {
        let sig = &f["sig"];
        let inputs: Vec<String> = sig["inputs"].as_array().map(|a| a.iter().map(|p| self.ty(doc, &p[1])).collect()).unwrap_or_default();
        let output = if sig["output"].is_null() { "()".to_owned() } else { self.ty(doc, &sig["output"]) };
        let asyncness = if f["header"]["is_async"].as_bool() == Some(true) { "async " } else { "" };
        format!("{asyncness}fn({}) -> {output}", inputs.join(", "))
    }

    /// A trait with its arguments.
    fn trait_key(&self, doc: usize, path: &Value) -> String {
        format!("{}{}", self.path_name(doc, path), self.args(doc, path))
    }

    /// The trait of an implementation, generic parameters anywhere in its arguments left out
    /// (an impl generic over them covers the concrete ones).
    fn impl_key(&self, doc: usize, path: &Value) -> String {
        self.trait_key(doc, path).replace(", $G", "").replace("<$G>", "").replace("$G, ", "")
    }

    /// A type, normalised (see [`NORMALISED`]).
    fn ty(&self, doc: usize, t: &Value) -> String {
        if let Some(p) = t.get("resolved_path") {
            return format!("{}{}", self.path_name(doc, p), self.args(doc, p));
        }
        if let Some(p) = t.get("primitive").and_then(Value::as_str) {
            return p.to_owned();
        }
        if let Some(g) = t.get("generic").and_then(Value::as_str) {
            return if g == "Self" { "Self".to_owned() } else { "$G".to_owned() };
        }
        if let Some(r) = t.get("borrowed_ref") {
            let m = if r["is_mutable"].as_bool() == Some(true) { "mut " } else { "" };
            return format!("&{m}{}", self.ty(doc, &r["type"]));
        }
        if let Some(s) = t.get("slice") {
            return format!("[{}]", self.ty(doc, s));
        }
        if let Some(a) = t.get("array") {
            return format!("[{}; {}]", self.ty(doc, &a["type"]), a["len"].as_str().unwrap_or("_"));
        }
        if let Some(items) = t.get("tuple").and_then(Value::as_array) {
            return format!("({})", items.iter().map(|i| self.ty(doc, i)).collect::<Vec<_>>().join(", "));
        }
        if let Some(bounds) = t.get("impl_trait").and_then(Value::as_array) {
            return format!("impl {}", self.bounds(doc, bounds));
        }
        if let Some(d) = t.get("dyn_trait") {
            let traits: Vec<String> = d["traits"].as_array().map(|a| a.iter().map(|p| self.trait_key(doc, &p["trait"])).collect()).unwrap_or_default();
            return format!("dyn {}", traits.join(" + "));
        }
        if let Some(q) = t.get("qualified_path") {
            return format!("{}::{}", self.ty(doc, &q["self_type"]), q["name"].as_str().unwrap_or_default());
        }
        if let Some(p) = t.get("raw_pointer") {
            return format!("*{}", self.ty(doc, &p["type"]));
        }
        if t.get("function_pointer").is_some() {
            return "fn(..)".to_owned();
        }
        "_".to_owned()
    }

    fn bounds(&self, doc: usize, bounds: &[Value]) -> String {
        let parts: Vec<String> = bounds.iter().filter_map(|b| b.get("trait_bound")).map(|b| self.trait_key(doc, &b["trait"])).collect();
        parts.join(" + ")
    }

    /// The name a path's item has in the crate's public API (the last part of its public
    /// path), else its own name (std items, private items). Where an item lives is compared
    /// as an item of its own; in signatures the name is enough.
    fn path_name(&self, doc: usize, p: &Value) -> String {
        let written = p["path"].as_str().unwrap_or_default();
        let public = p["id"].as_u64().and_then(|id| self.resolve(doc, id)).and_then(|t| self.public_name(t));
        let name = public.as_deref().unwrap_or(written);
        name.rsplit("::").next().unwrap_or(name).to_owned()
    }

    /// The rendered defaults of an item's type parameters (a renaming alias's, if one names it).
    fn defaults(&self, t: Target) -> Vec<Option<String>> {
        let (doc, generics) = match self.renamed.get(&t) {
            Some((_, alias_doc, generics)) => (*alias_doc, generics),
            None => match self.item(t) {
                Some(item) => (t.0, &inner(item)["generics"]),
                None => return Vec::new(),
            },
        };
        generics["params"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["kind"].get("type").is_some())
                    .map(|p| (!p["kind"]["type"]["default"].is_null()).then(|| self.ty(doc, &p["kind"]["type"]["default"])))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Generic arguments, lifetimes dropped, trailing defaults dropped.
    fn args(&self, doc: usize, p: &Value) -> String {
        let a = &p["args"];
        if let Some(par) = a.get("parenthesized") {
            let inputs: Vec<String> = par["inputs"].as_array().map(|i| i.iter().map(|t| self.ty(doc, t)).collect()).unwrap_or_default();
            let out = if par["output"].is_null() { String::new() } else { format!(" -> {}", self.ty(doc, &par["output"])) };
            return format!("({}){out}", inputs.join(", "));
        }
        let Some(list) = a["angle_bracketed"]["args"].as_array() else { return String::new() };
        let mut rendered: Vec<String> = list
            .iter()
            .filter_map(|x| x.get("type"))
            .map(|x| self.ty(doc, x))
            .collect();
        // Trailing arguments equal to their parameter's default.
        if let Some(t) = p["id"].as_u64().and_then(|id| self.resolve(doc, id)) {
            let defaults = self.defaults(t);
            while let Some(last) = rendered.last() {
                let at = rendered.len() - 1;
                if defaults.get(at).and_then(|d| d.as_ref()) == Some(last) {
                    rendered.pop();
                } else {
                    break;
                }
            }
        }
        if rendered.is_empty() {
            String::new()
        } else {
            format!("<{}>", rendered.join(", "))
        }
    }
}

/// The category of a method from its owner and shape.
fn method_category(owner: &str, owner_name: &str, name: &str, f: &Value) -> &'static str {
    let inputs = f["sig"]["inputs"].as_array().cloned().unwrap_or_default();
    let by_ref_self = inputs.first().is_some_and(|p| p[0].as_str() == Some("self") && p[1].get("borrowed_ref").is_some());
    let category = if owner_name == "Client" {
        "client methods"
    } else if owner_name.ends_with("Builder") {
        "builders and setters"
    } else if owner_name.ends_with("Error") && name.starts_with("is_") {
        "error predicates"
    } else if by_ref_self && inputs.len() == 1 && !owner_name.ends_with("Error") {
        "accessors"
    } else {
        "other methods and associated functions"
    };
    category_of_path(owner, category)
}

/// Configuration items form a category of their own, whatever their kind.
fn category_of_path(path: &str, category: &'static str) -> &'static str {
    if path.starts_with("config::") || path == "config" || path.starts_with("Config") {
        "configuration (config::*)"
    } else {
        category
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing.

struct Compared {
    key: String,
    category: &'static str,
    status: Status,
    sdk: String,
    ours: Option<String>,
}

struct Report {
    rows: Vec<Compared>,
    ours_only: usize,
}

fn compare(sdk: &Api, ours: &Api) -> Report {
    let rows = sdk
        .items
        .iter()
        .map(|(key, item)| {
            let theirs = ours.get(key);
            let status = match theirs {
                None => Status::Missing,
                Some(o) if same_signature(&item.signature, &o.signature) => Status::Same,
                Some(_) => Status::Other,
            };
            Compared { key: key.clone(), category: item.category, status, sdk: item.signature.clone(), ours: theirs.map(|o| o.signature.clone()) }
        })
        .collect();
    let ours_only = ours.items.keys().filter(|k| sdk.get(k).is_none()).count();
    Report { rows, ours_only }
}

/// Equal; or for functions, equal once `impl Into<T>`-for-`T` parameters are allowed; or for
/// type parameters, no more required ones than the sdk's and at least as many in all (more,
/// defaulted, may follow; one the sdk requires may have a default here).
fn same_signature(sdk: &str, ours: &str) -> bool {
    if sdk == ours {
        return true;
    }
    if !sdk.contains("fn(") && !ours.contains("fn(") && (sdk.is_empty() || sdk.starts_with('<')) && (ours.is_empty() || ours.starts_with('<')) {
        let params = |g: &str| -> (usize, usize) {
            let inside = g.strip_prefix('<').and_then(|g| g.strip_suffix('>')).unwrap_or("");
            let all: Vec<String> = split_top(inside);
            (all.iter().filter(|p| !p.contains(" = ")).count(), all.len())
        };
        // Ours may default a parameter the sdk requires: every argument list the sdk's accepts
        // is then accepted here.
        let (a, b) = (params(sdk), params(ours));
        return b.0 <= a.0 && a.1 <= b.1;
    }
    let (Some(a), Some(b)) = (split_fn(sdk), split_fn(ours)) else { return false };
    a.0 == b.0 && a.2 == b.2 && a.1.len() == b.1.len() && a.1.iter().zip(&b.1).all(|(x, y)| x == y || *y == format!("impl Into<{x}>"))
}

/// `a, B<c, d>, e` → [a, B<c, d>, e].
fn split_top(list: &str) -> Vec<String> {
    let mut depth = 0i32;
    let mut out = Vec::new();
    let mut current = String::new();
    for c in list.chars() {
        match c {
            '(' | '<' | '[' | '{' => depth += 1,
            ')' | '>' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(current.trim().to_owned());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

/// `async fn(A, B) -> R` → ("async ", [A, B], R), splitting parameters at top-level commas.
fn split_fn(sig: &str) -> Option<(&str, Vec<String>, &str)> {
    let at = sig.find("fn(")?;
    let rest = &sig[at + 3..];
    let mut depth = 0i32;
    let end = rest.char_indices().find_map(|(i, c)| {
        match c {
            '(' | '<' | '[' | '{' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' | '>' | ']' | '}' => depth -= 1,
            _ => {}
        }
        None
    })?;
    Some((&sig[..at], split_top(&rest[..end]), rest[end + 1..].trim_start_matches(" -> ")))
}

impl Report {
    fn summary(&self, sdk: &Api) -> String {
        let mut by_category: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
        for r in &self.rows {
            let counts = by_category.entry(r.category).or_default();
            counts[r.status as usize] += 1;
        }
        let total: [usize; 3] = by_category.values().fold([0; 3], |acc, c| [acc[0] + c[0], acc[1] + c[1], acc[2] + c[2]]);
        let pct = |n: usize, of: usize| if of == 0 { 0.0 } else { 100.0 * n as f64 / of as f64 };
        let mut s = String::new();
        let _ = writeln!(s, "| category | items of aws-sdk-elasticache | same signature | other signature | missing |");
        let _ = writeln!(s, "|---|---|---|---|---|");
        for (category, c) in &by_category {
            let all = c.iter().sum::<usize>();
            let _ = writeln!(s, "| {category} | {all} | {} ({:.0} %) | {} | {} |", c[0], pct(c[0], all), c[1], c[2]);
        }
        let all = total.iter().sum::<usize>();
        let _ = writeln!(
            s,
            "| **all** | **{all}** | **{} ({:.1} %)** | **{}** | **{}** |",
            total[0],
            pct(total[0], all),
            total[1],
            total[2]
        );
        let _ = writeln!(s, "\n{} public items of this crate have no counterpart in aws-sdk-elasticache ({} compared).", self.ours_only, sdk.items.len());
        s
    }

    fn full(&self, summary: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "cargo xtask api-compat: aws-sdk-elasticache's public items in this project's elasticache\n\n{summary}\nNormalised:\n{NORMALISED}\n");
        for status in [Status::Missing, Status::Other, Status::Same] {
            let label = match status {
                Status::Missing => "MISSING",
                Status::Other => "OTHER SIGNATURE",
                Status::Same => "SAME",
            };
            let rows: Vec<&Compared> = self.rows.iter().filter(|r| r.status == status).collect();
            let _ = writeln!(s, "== {label} ({})", rows.len());
            for r in rows {
                match (&r.ours, status) {
                    (Some(o), Status::Other) => {
                        let _ = writeln!(s, "[{}] {}\n    aws-sdk-elasticache: {}\n    this crate:          {}", r.category, r.key, r.sdk, o);
                    }
                    _ if r.sdk.is_empty() => {
                        let _ = writeln!(s, "[{}] {}", r.category, r.key);
                    }
                    _ => {
                        let _ = writeln!(s, "[{}] {}    {}", r.category, r.key, r.sdk);
                    }
                }
            }
            let _ = writeln!(s);
        }
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Trait implementations through generic impls, checked by compiling.

/// What a probe says of a row it proved.
const PROBED: &str = "(a generic impl, checked by compiling)";

/// The rows of trait implementations missing from this crate's JSON that hold all the same:
/// each `Type: Trait<Args>` is written as a bound with the crate's public paths, all in one
/// probe crate; the lines that compile turn their rows to the same. Rows whose names cannot
/// be spelled unambiguously stay missing. Returns how many were proved.
fn probe_trait_impls(root: &Path, sdk: &Api, report: &mut Report) -> Result<usize, String> {
    let mut probes: Vec<(usize, String)> = Vec::new();
    for (i, row) in report.rows.iter().enumerate() {
        if row.status != Status::Missing || row.category != "trait implementations" {
            continue;
        }
        let Some((owner, bound)) = row.key.split_once(": ") else { continue };
        if let Some(bound) = spell_bound(sdk, bound) {
            probes.push((i, format!("pub fn p{i}() {{ fn c<T: ?Sized + {bound}>() {{}} c::<elasticache::{owner}>(); }}")));
        }
    }
    let work = root.join("target/api-compat/probe");
    std::fs::create_dir_all(work.join("src")).map_err(|e| format!("error: {}: {e}", work.display()))?;
    let manifest = format!(
        "# Scratch crate of `cargo xtask api-compat`: trait implementations checked by compiling.\n\
         [package]\nname = \"api-compat-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nelasticache = {{ path = {:?}, features = [\"test-util\"] }}\n\n[workspace]\n",
        root.join("generated/elasticache").display().to_string()
    );
    write_if_changed(&work.join("Cargo.toml"), &manifest)?;
    // Line n + 1 of the file is probe n.
    let text: String = probes.iter().map(|(_, line)| format!("{line}\n")).collect();
    write_if_changed(&work.join("src/lib.rs"), &text)?;
    nested::lock(&work, &nested::seed_paths(root, &[Committed::Root]))?;
    let out = nested::cargo(&work, "check")
        .args(["--message-format", "short"])
        .env("CARGO_TARGET_DIR", root.join("target/api-compat/ours-target"))
        .output()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let failed: BTreeSet<usize> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("src/lib.rs:")?.split(':').next()?.parse::<usize>().ok())
        .collect();
    if !out.status.success() && failed.is_empty() {
        return Err(format!("error: the probe crate did not build: {}", nested::first_error(&out)));
    }
    let mut proved = 0;
    for (n, (row, _)) in probes.iter().enumerate() {
        if !failed.contains(&(n + 1)) {
            report.rows[*row].status = Status::Same;
            report.rows[*row].ours = Some(PROBED.to_owned());
            proved += 1;
        }
    }
    Ok(proved)
}

/// `Trait<Args>` of a report key as Rust: each name of the sdk's crate by its one shortest
/// public path (`elasticache::…`), std's by their std paths; `None` when a name is not one
/// or the other, or has two shortest paths.
fn spell_bound(sdk: &Api, bound: &str) -> Option<String> {
    const STD: [(&str, &str); 12] = [
        ("From", "From"),
        ("Into", "Into"),
        ("Option", "Option"),
        ("Vec", "Vec"),
        ("String", "String"),
        ("Box", "Box"),
        ("Result", "Result"),
        ("Display", "std::fmt::Display"),
        ("Debug", "std::fmt::Debug"),
        ("Clone", "Clone"),
        ("PartialEq", "PartialEq"),
        ("str", "str"),
    ];
    let mut out = String::new();
    let mut name = String::new();
    let mut first = true;
    let flush = |name: &mut String, out: &mut String, first: &mut bool| -> Option<()> {
        if name.is_empty() {
            return Some(());
        }
        let category = if *first { "traits" } else { "types" };
        *first = false;
        let spelled = match sdk_path(sdk, name, category) {
            Some(path) => format!("elasticache::{path}"),
            None if *name == "Error" && category == "traits" => "std::error::Error".to_owned(),
            None => STD.iter().find(|(n, _)| n == name).map(|(_, p)| (*p).to_owned())?,
        };
        out.push_str(&spelled);
        name.clear();
        Some(())
    };
    for c in bound.chars() {
        if c.is_alphanumeric() || c == '_' {
            name.push(c);
        } else {
            flush(&mut name, &mut out, &mut first)?;
            out.push(c);
        }
    }
    flush(&mut name, &mut out, &mut first)?;
    Some(out)
}

/// The one shortest key of category `category` whose last segment is `name`.
fn sdk_path<'a>(sdk: &'a Api, name: &str, category: &str) -> Option<&'a str> {
    let suffix = format!("::{name}");
    let mut found: Vec<&str> = sdk
        .items
        .iter()
        .filter(|(k, i)| i.category == category && (k.as_str() == name || k.ends_with(&suffix)))
        .map(|(k, _)| k.as_str())
        .collect();
    found.sort_by_key(|k| (k.matches("::").count(), k.len()));
    match found.as_slice() {
        [one] => Some(one),
        [a, b, ..] if a.matches("::").count() < b.matches("::").count() => Some(a),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The surfaces of the other crates programs use.

/// The summary table of every [`Surface`] and the item-by-item list.
fn surfaces(root: &Path) -> Result<(String, String), String> {
    let sources = corpus_sources(&root.join("tests/compat"))?;
    let mut summary = String::from(
        "\nThe other crates programs use, by the paths they use (the corpus's, and for aws-config the list of what \
         programs set up with), against this project's crate of the same surface:\n\n\
         | crate | paths used | same signature | other signature | missing |\n|---|---|---|---|---|\n",
    );
    let mut full = String::from("\n== THE OTHER CRATES PROGRAMS USE\n");
    for surface in &SURFACES {
        eprintln!("==> api-compat: {} (the paths programs use)", surface.name);
        let sdk = Api::read(&sdk_docs(root, surface.sdk)?)?;
        let ours = Api::read(&our_docs(root, surface.ours)?)?;
        let ident = surface.name.replace('-', "_");
        let used: BTreeSet<String> = surface.listed.iter().map(|s| (*s).to_owned()).chain(sources.iter().flat_map(|s| used_paths(s, &ident))).collect();
        let mut counts = [0usize; 3];
        let _ = writeln!(full, "\n-- {} ({} paths used)", surface.name, used.len());
        for key in &used {
            let Some(theirs) = sdk.get(key) else {
                // A path the corpus writes that is not an item of its own (a glob, a macro's).
                let _ = writeln!(full, "[not an item of {}] {key}", surface.name);
                continue;
            };
            let status = match ours.get(key) {
                None => Status::Missing,
                Some(o) if same_signature(&theirs.signature, &o.signature) => Status::Same,
                Some(_) => Status::Other,
            };
            counts[status as usize] += 1;
            let ours_sig = ours.get(key).map_or("", |o| o.signature.as_str());
            let _ = writeln!(full, "[{status:?}] {key}    {}{}", theirs.signature, if status == Status::Other { format!("\n    here: {ours_sig}") } else { String::new() });
        }
        let all: usize = counts.iter().sum();
        let pct = |n: usize| if all == 0 { 0.0 } else { 100.0 * n as f64 / all as f64 };
        let _ = writeln!(
            summary,
            "| {} | {all} | {} ({:.1} %) | {} | {} ({:.1} % present) |",
            surface.name,
            counts[0],
            pct(counts[0]),
            counts[1],
            counts[2],
            pct(counts[0] + counts[1])
        );
    }
    Ok((summary, full))
}

/// The text of every Rust source of the corpus's programs.
fn corpus_sources(corpus: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut dirs = vec![corpus.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("error: {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() && entry.file_name() != "target" {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(std::fs::read_to_string(&path).map_err(|e| format!("error: {}: {e}", path.display()))?);
            }
        }
    }
    Ok(out)
}

/// The paths of crate `ident` that `source` uses, crate-relative: every `use ident::…` tree,
/// expanded (`a::{b, c::d}` → `a::b`, `a::c::d`; `self` is the module, renames and globs
/// dropped), and every inline `ident::a::b` path.
fn used_paths(source: &str, ident: &str) -> Vec<String> {
    let mut out = Vec::new();
    let prefix = format!("{ident}::");
    let mut rest = source;
    while let Some(at) = rest.find(&prefix) {
        let before = rest[..at].chars().next_back();
        let tail = &rest[at + prefix.len()..];
        rest = tail;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue; // part of a longer name or path
        }
        if rest.starts_with('{') || before_is_use(source, source.len() - tail.len() - prefix.len()) {
            let end = tail.find(';').unwrap_or(tail.len());
            expand_tree("", &tail[..end], &mut out);
        } else {
            let path: String = tail.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            let path = path.trim_end_matches(':');
            if !path.is_empty() {
                out.push(path.to_owned());
            }
        }
    }
    out
}

/// Whether the path starting at byte `at` of `source` follows `use ` (or `pub use `).
fn before_is_use(source: &str, at: usize) -> bool {
    source[..at].trim_end().ends_with("use")
}

/// `tree` of a `use` (after `crate::`), its paths pushed onto `out` with `prefix`.
fn expand_tree(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let name = tree.split(" as ").next().unwrap_or("").trim();
        match name {
            "" => {}
            _ if name.ends_with('*') => {} // a glob names no item
            "self" if prefix.is_empty() => {} // the crate itself
            "self" => out.push(prefix.trim_end_matches("::").to_owned()),
            _ => out.push(format!("{prefix}{name}")),
        }
        return;
    };
    let head = format!("{prefix}{}", &tree[..open]);
    let inside = tree[open + 1..].rsplit_once('}').map_or("", |(i, _)| i);
    for part in split_top(inside) {
        expand_tree(&head, &part, out);
    }
}

/// Replaces the text between `<!-- api-compat:start -->` and `<!-- api-compat:end -->`.
fn update_readme(readme: &Path, summary: &str) -> Result<(), String> {
    const START: &str = "<!-- api-compat:start -->";
    const END: &str = "<!-- api-compat:end -->";
    let text = std::fs::read_to_string(readme).map_err(|e| format!("error: {}: {e}", readme.display()))?;
    let (Some(a), Some(b)) = (text.find(START), text.find(END)) else {
        return Err(format!("error: {} has no {START} … {END} markers", readme.display()));
    };
    let updated = format!("{}{START}\n{summary}{}", &text[..a], &text[b..]);
    std::fs::write(readme, updated).map_err(|e| format!("error: {}: {e}", readme.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_found_under_another_public_path_of_their_type() {
        let item = |signature: &str| ApiItem { category: "types", signature: signature.to_owned() };
        let api = Api {
            items: BTreeMap::from([
                ("config::RetryConfig".to_owned(), item("")),
                ("config::RetryConfig::max_attempts".to_owned(), item("fn(&Self) -> u32")),
                ("config::RetryConfig: Clone".to_owned(), item("")),
            ]),
            aliases: HashMap::from([("config::retry::RetryConfig".to_owned(), "config::RetryConfig".to_owned())]),
        };
        assert_eq!(api.get("config::retry::RetryConfig::max_attempts").map(|i| i.signature.as_str()), Some("fn(&Self) -> u32"));
        assert!(api.get("config::retry::RetryConfig: Clone").is_some());
        assert!(api.get("config::retry::RetryConfig::with_max_attempts").is_none());
        assert!(api.get("config::timeout::TimeoutConfig::builder").is_none());
    }

    #[test]
    fn used_paths_of_use_trees_and_inline_paths() {
        let source = "use aws_config::meta::region::RegionProviderChain;\n\
                      use aws_config::{self as cfg, retry::{RetryConfig, RetryMode as M}, timeout::*};\n\
                      use my_aws_config::x;\n\
                      let c = aws_config::defaults(aws_config::BehaviorVersion::latest()).load().await;\n";
        assert_eq!(
            used_paths(source, "aws_config"),
            ["meta::region::RegionProviderChain", "retry::RetryConfig", "retry::RetryMode", "defaults", "BehaviorVersion::latest"]
        );
    }

    #[test]
    fn signatures_allow_wider_parameters_only() {
        assert!(same_signature("fn(Self, String) -> Self", "fn(Self, impl Into<String>) -> Self"));
        assert!(!same_signature("fn(Self, impl Into<String>) -> Self", "fn(Self, String) -> Self"));
        assert!(!same_signature("fn(&Self) -> Option<&str>", "fn(&Self) -> &str"));
        assert!(!same_signature("async fn(Self) -> X", "fn(Self) -> X"));
        assert!(same_signature("fn(Self, Vec<(String, u8)>) -> Self", "fn(Self, impl Into<Vec<(String, u8)>>) -> Self"));
        // Type parameters: a defaulted one more is fine, one fewer is not.
        assert!(same_signature("", "<$G = Async>"));
        assert!(same_signature("<$G>", "<$G, $G = HttpResponse>"));
        assert!(!same_signature("<$G, $G = HttpResponse>", "<$G>"));
        assert!(!same_signature("<$G>", ""));
        assert!(same_signature("<$G, $G>", "<$G, $G = Response>"));
        assert!(!same_signature("<$G, $G>", "<$G>"));
        assert!(!same_signature("<$G>", "<$G, $G>"));
    }

    #[test]
    fn parameters_split_at_top_level_commas() {
        let (prefix, params, ret) = split_fn("async fn(Self, HashMap<String, Vec<u8>>, (u8, u8)) -> Result<A, B>").unwrap();
        assert_eq!(prefix, "async ");
        assert_eq!(params, vec!["Self", "HashMap<String, Vec<u8>>", "(u8, u8)"]);
        assert_eq!(ret, "Result<A, B>");
    }

    #[test]
    fn versions_come_from_the_lock_file() {
        let lock = "[[package]]\nname = \"aws-types\"\nversion = \"1.3.9\"\n\n[[package]]\nname = \"aws-sdk-elasticache\"\nversion = \"1.129.0\"\n";
        assert_eq!(locked_version(lock, "aws-sdk-elasticache").as_deref(), Some("1.129.0"));
        assert_eq!(locked_version(lock, "aws-config"), None);
    }

    #[test]
    fn categories_follow_owner_and_shape() {
        let getter = serde_json::json!({"sig": {"inputs": [["self", {"borrowed_ref": {"type": {"generic": "Self"}}}]]}});
        let setter = serde_json::json!({"sig": {"inputs": [["self", {"generic": "Self"}], ["input", {"primitive": "i32"}]]}});
        assert_eq!(method_category("types::Snapshot", "Snapshot", "snapshot_name", &getter), "accessors");
        assert_eq!(method_category("types::builders::SnapshotBuilder", "SnapshotBuilder", "port", &setter), "builders and setters");
        assert_eq!(method_category("operation::x::XError", "XError", "is_fault", &getter), "error predicates");
        assert_eq!(method_category("Client", "Client", "copy_snapshot", &getter), "client methods");
        assert_eq!(method_category("config::Builder", "Builder", "region", &setter), "configuration (config::*)");
    }

    #[test]
    fn readme_summary_goes_between_the_markers() {
        let dir = std::env::temp_dir().join(format!("api-compat-readme-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("README.md");
        std::fs::write(&file, "# T\n<!-- api-compat:start -->\nold\n<!-- api-compat:end -->\nafter\n").unwrap();
        update_readme(&file, "| new |\n").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "# T\n<!-- api-compat:start -->\n| new |\n<!-- api-compat:end -->\nafter\n");
        std::fs::write(&file, "no markers").unwrap();
        assert!(update_readme(&file, "x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

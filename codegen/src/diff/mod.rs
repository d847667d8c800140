//! Model diff: what changed between two versions of a service model, for callers of the
//! generated crate, and what that means for the crate's next version.
//!
//! One comparison, two views of it in a [`Report`]:
//! - the change log ([`tree`]): per operation, the members added to, removed from or changed
//!   in its request and response trees, in the style of the public AWS API change feeds;
//! - compatibility ([`semver`]): the API surfaces ([`surface`]) of the two crates the
//!   generator would make — read off their IR, so the names and types are the ones it emits —
//!   compared; every change named by Rust item and classified as breaking, additive or
//!   documentation by the rules written down in README.md ("Model updates and semver").
//!
//! [`render`] prints a report as text, Markdown or JSON. Everything is ordered (sorted maps,
//! sorted lists), so the same two models always give the same bytes.

pub mod render;
pub mod semver;
pub mod surface;
pub mod tree;

use crate::model::{ModelError, ServiceModel};
use crate::settings::{RuntimeDep, Settings};
use crate::Sources;
use serde::Serialize;
use std::collections::BTreeMap;

pub use tree::Node;

/// What a change means for the generated crate's version. Ordered by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Only documentation (doc comments) changes: a patch release.
    Documentation,
    /// Programs that compiled still compile and behave as before: a minor release.
    Additive,
    /// Some program that compiled no longer compiles, or a call that was sent now fails
    /// validation: a major release.
    Breaking,
}

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Documentation => "documentation",
            Impact::Additive => "additive",
            Impact::Breaking => "breaking",
        }
    }
}

/// The semver part to bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// The version after `current` (`x.y.z`) for this bump, following Cargo's rules: before
    /// 1.0, a breaking release bumps the minor number and anything else the patch number.
    /// `None` when `current` is not a plain `x.y.z`.
    pub fn apply(self, current: &str) -> Option<String> {
        let mut parts = current.split('.').map(|p| p.parse::<u64>().ok());
        let (Some(Some(major)), Some(Some(minor)), Some(Some(patch)), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let next = match (self, major) {
            (Bump::None, _) => (major, minor, patch),
            (Bump::Major, 0) => (0, minor + 1, 0),
            (Bump::Minor | Bump::Patch, 0) => (0, minor, patch + 1),
            (Bump::Major, _) => (major + 1, 0, 0),
            (Bump::Minor, _) => (major, minor + 1, 0),
            (Bump::Patch, _) => (major, minor, patch + 1),
        };
        Some(format!("{}.{}.{}", next.0, next.1, next.2))
    }
}

/// How an operation appears in the change log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    New,
    Removed,
    Updated,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Removed => "removed",
            Status::Updated => "updated",
        }
    }
}

/// Changes to one side (request or response) of an operation, as member trees from the
/// operation's input or output down to what changed. Each tree is keyed by member name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SideChanges {
    /// New members, each with its type as a tree (`'string'`, an enum's values, a structure's
    /// members).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub added: BTreeMap<String, Node>,
    /// Members gone, each with the type it had.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub removed: BTreeMap<String, Node>,
    /// Leaves whose type or enum values changed, each with what changed.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub changed: BTreeMap<String, Node>,
}

impl SideChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// One operation of the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationChange {
    pub name: String,
    pub status: Status,
    /// Empty unless `status` is [`Status::Updated`].
    pub request: SideChanges,
    pub response: SideChanges,
}

/// One change to the generated crate's API, with its semver class.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub impact: Impact,
    /// What changed: `CopySnapshot request`, `type Parameter`, `operation CreateUser`,
    /// `paginator DescribeEvents`, ...
    pub subject: String,
    /// How it changed, with model names in backticks.
    pub message: String,
    /// The Rust item affected in the generated crate, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust: Option<String>,
}

/// Operations and shapes whose documentation (and nothing else that callers see) changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DocCount {
    pub operations: usize,
    pub shapes: usize,
    /// The service's own description (the crate documentation) changed.
    pub service: bool,
}

impl DocCount {
    pub fn is_empty(&self) -> bool {
        self.operations == 0 && self.shapes == 0 && !self.service
    }
}

/// The suggested next version of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextVersion {
    pub from: String,
    pub to: String,
}

/// Everything [`diff`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The service's full name, from the new model.
    pub service: String,
    /// The change log: new, then removed, then updated operations, each group by name.
    pub operations: Vec<OperationChange>,
    /// Every API change, breaking ones first, then by subject.
    pub compatibility: Vec<Change>,
    pub documentation: DocCount,
    /// The most severe impact; `None` when nothing changed.
    pub verdict: Option<Impact>,
    pub bump: Bump,
    /// Set by [`Report::with_version`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<NextVersion>,
}

impl Report {
    /// Adds the concrete next version, given the crate's current one (`codegen.toml`).
    /// Left unset when nothing changed or `current` is not a plain `x.y.z`.
    pub fn with_version(mut self, current: &str) -> Report {
        if self.bump == Bump::None {
            return self;
        }
        self.version = self.bump.apply(current).map(|to| NextVersion { from: current.to_owned(), to });
        self
    }

    /// Counts of changes per impact, for summaries.
    pub fn count(&self, impact: Impact) -> usize {
        self.compatibility.iter().filter(|c| c.impact == impact).count()
    }
}

/// Compares two versions of a service model, each built into the IR with `settings` (the
/// project's, from its `codegen.toml`, as `cargo xtask regenerate` builds it, so that the
/// compatibility section is about the crate the project generates: its allow-list, its names).
/// Paginators and waiters are compared when both sides have them; endpoint rules and examples
/// are not part of the API.
pub fn diff(old: &Sources, new: &Sources, settings: &Settings) -> Result<Report, Vec<ModelError>> {
    let operations = tree::change_log(&old.service, &new.service);
    let paginators = old.paginators.is_some() && new.paginators.is_some();
    let waiters = old.waiters.is_some() && new.waiters.is_some();
    let (a, b) = (surface_of(old, settings, paginators, waiters), surface_of(new, settings, paginators, waiters));
    let (mut compatibility, documentation) = match (a, b) {
        (Ok(a), Ok(b)) => semver::compatibility(&a, &b),
        (a, b) => return Err(a.err().into_iter().chain(b.err()).flatten().collect()),
    };
    // Breaking first, then by subject and message (read without backticks, so that `user`
    // comes before `user-group`); never in the order the changes were found.
    compatibility.sort_by_cached_key(|c| {
        (std::cmp::Reverse(c.impact), c.subject.clone(), c.message.replace('`', ""), c.message.clone())
    });
    compatibility.dedup();
    let docs_impact = (!documentation.is_empty()).then_some(Impact::Documentation);
    let verdict = compatibility.iter().map(|c| c.impact).max().max(docs_impact);
    let bump = match verdict {
        None => Bump::None,
        Some(Impact::Documentation) => Bump::Patch,
        Some(Impact::Additive) => Bump::Minor,
        Some(Impact::Breaking) => Bump::Major,
    };
    Ok(Report { service: service_name(&new.service), operations, compatibility, documentation, verdict, bump, version: None })
}

/// The API surface of the crate the generator makes of `sources` with `settings`.
fn surface_of(sources: &Sources, settings: &Settings, paginators: bool, waiters: bool) -> Result<surface::Surface, Vec<ModelError>> {
    let mut sources = sources.clone();
    sources.examples = None;
    sources.endpoint_rules = None;
    if !paginators {
        sources.paginators = None;
    }
    if !waiters {
        sources.waiters = None;
    }
    let settings = settings_for(settings, &mut sources);
    let (svc, _) = crate::ir::build(&sources, &settings)?;
    Ok(surface::surface(&svc, paginators, waiters))
}

/// The project's settings as they apply to one side's model: the settings are the new crate's
/// (`codegen.toml` is edited with the model it is next to), so the old model may lack an
/// operation of the allow-list or an enum value named in `[names.enum_variants]`; those
/// entries say nothing about the old crate and are left out for its side. When none of the
/// allowed operations exists in a model, that side's crate has no operation at all.
fn settings_for(settings: &Settings, sources: &mut Sources) -> Settings {
    let model = &sources.service;
    let mut out = settings.clone();
    out.allow.retain(|op| model.operations.contains_key(op));
    for (shape, values) in &mut out.enum_variants {
        let known = model.shapes.get(shape).and_then(|s| s.enum_values.as_ref());
        values.retain(|value, _| known.is_some_and(|v| v.contains(value)));
    }
    out.enum_variants.retain(|_, values| !values.is_empty());
    if out.allow.is_empty() && !settings.allow.is_empty() {
        sources.service.operations.clear();
    }
    out
}

/// The settings of a model compared outside a project (a file without a `codegen.toml` beside
/// it): every operation, no names configured.
pub fn plain_settings() -> Settings {
    Settings::new("diff", RuntimeDep::Path(String::new()))
}

/// The name change feeds use: `serviceFullName`, else the service id, else the endpoint prefix.
fn service_name(model: &ServiceModel) -> String {
    let md = &model.metadata;
    md.service_full_name
        .clone()
        .or_else(|| md.service_id.clone())
        .or_else(|| md.endpoint_prefix.clone())
        .unwrap_or_else(|| "service".to_owned())
}

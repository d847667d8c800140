//! The intermediate representation: a service with every shape resolved, every Rust name
//! decided, and the protocol facts the emitters need. Emitters read only this.
//!
//! Maps are `BTreeMap`s keyed by model names so that iteration, and so the output, is
//! deterministic.

mod build;
pub mod endpoints;
pub mod examples;
pub mod jmespath;
pub mod names;
pub mod paginators;
pub mod waiters;

pub use build::{build, IrError};

use std::collections::BTreeMap;

/// One service, ready to emit.
#[derive(Debug, Clone)]
pub struct Service {
    pub crate_name: String,
    pub version: String,
    pub description: Option<String>,
    /// The model file as named in generated headers (a path relative to the repository).
    pub model_file: String,
    pub meta: ServiceMeta,
    pub docs: Option<String>,
    /// Keyed by the operation's model name.
    pub operations: BTreeMap<String, Operation>,
    /// Named types (structures, enums, errors) reached by the generated operations, keyed by
    /// model shape name. Operation inputs and outputs live in [`Operation`] instead.
    pub shapes: BTreeMap<String, NamedShape>,
    /// The endpoint rule set from `endpoint-rule-set-1.json` beside the model, if any.
    pub endpoint_rules: Option<endpoints::RuleSet>,
    /// Paginators from `paginators-1.json`, by operation name.
    pub paginators: BTreeMap<String, paginators::Paginator>,
    /// Waiters from `waiters-2.json`, by waiter name.
    pub waiters: BTreeMap<String, waiters::Waiter>,
    /// Examples from `examples-1.json`, by operation name.
    pub examples: BTreeMap<String, Vec<examples::Example>>,
    /// What generation noticed but did not refuse (examples that no longer fit, …).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ServiceMeta {
    pub full_name: String,
    pub service_id: String,
    pub api_version: String,
    pub endpoint_prefix: String,
    pub signing_name: String,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// Model name, also the wire `Action`: `CopySnapshot`.
    pub name: String,
    /// Module and client method name: `copy_snapshot`.
    pub snake: String,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    pub http_method: String,
    pub request_uri: String,
    pub host_prefix: Option<String>,
    /// `CopySnapshotInput`, with the members of the model's input shape.
    pub input: Structure,
    /// `CopySnapshotOutput`, with the members of the model's output shape (none if absent).
    pub output: Structure,
    /// Element that wraps the output in the response (`CopySnapshotResult`).
    pub result_wrapper: Option<String>,
    /// The model asks for gzip request compression (`requestcompression`).
    pub request_compression: bool,
    /// Sent without a signature (`authtype: none`, or `auth: [smithy.api#noAuth]`):
    /// STS `AssumeRoleWithWebIdentity`, which runs before there are credentials.
    pub unsigned: bool,
    /// Model shape names of the input and output (for documentation and diffs).
    pub input_shape: Option<String>,
    pub output_shape: Option<String>,
    /// Error shapes this operation can return, keys into [`Service::shapes`], model order.
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    pub message: Option<String>,
}

/// A shape that becomes a named Rust type.
#[derive(Debug, Clone)]
pub struct NamedShape {
    /// Model shape name.
    pub name: String,
    /// Rust type name.
    pub rust_name: String,
    /// Module (file) name.
    pub module: String,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    pub kind: NamedKind,
}

#[derive(Debug, Clone)]
pub enum NamedKind {
    Structure(Structure),
    Enum(Enum),
}

#[derive(Debug, Clone)]
pub struct Structure {
    /// Rust type name.
    pub rust_name: String,
    /// Members in model order.
    pub members: Vec<Member>,
    /// Set for exception shapes.
    pub error: Option<ErrorInfo>,
    /// What the structure is used as: decides extra fields (request id, error metadata).
    pub role: Role,
}

/// The part a structure plays in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A data type in `types`.
    Data,
    /// An operation's `<Op>Input`.
    Input,
    /// An operation's `<Op>Output`: carries the request id.
    Output,
    /// An exception shape: carries the error metadata.
    Error,
}

impl Structure {
    pub fn has_sensitive(&self) -> bool {
        self.members.iter().any(|m| m.sensitive)
    }

    pub fn has_deprecated(&self) -> bool {
        self.members.iter().any(|m| m.deprecated.is_some())
    }
}

#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The code the service sends (`error.code`, else the shape name).
    pub code: String,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub value: String,
    pub rust_name: String,
}

#[derive(Debug, Clone)]
pub struct Member {
    /// Model member name.
    pub name: String,
    /// Rust field name (may be a raw identifier).
    pub field: String,
    pub docs: Option<String>,
    pub ty: Type,
    pub required: bool,
    /// Part of a recursive cycle: stored as `Box<T>`.
    pub boxed: bool,
    pub sensitive: bool,
    pub deprecated: Option<Deprecation>,
    pub idempotency_token: bool,
    /// Element / parameter name on the wire (`locationName`, else the member name).
    pub wire_name: String,
    /// Set when the member is an XML attribute.
    pub xml_attribute: bool,
    /// Length or value limits of the target shape.
    pub limits: Limits,
    /// Added by the generator (an error's `message`), not in the model.
    pub synthetic: bool,
}

/// `min` / `max` of a shape: lengths for strings, lists, maps and blobs; values for numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// The type of a member, list element or map key/value.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    String,
    Boolean,
    Integer,
    Long,
    Float,
    Double,
    Timestamp(TimestampFormat),
    Blob,
    /// Key into [`Service::shapes`].
    Enum(String),
    /// Key into [`Service::shapes`].
    Structure(String),
    List(Box<ListType>),
    Map(Box<MapType>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListType {
    pub member: Type,
    /// Limits of the item shape (lengths of string items, values of numbers).
    pub member_limits: Limits,
    /// Element name of each item (`member` unless the model renames it).
    pub member_name: String,
    pub flattened: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapType {
    pub key: Type,
    pub value: Type,
    pub key_name: String,
    pub value_name: String,
    pub flattened: bool,
}

/// How a timestamp is written; `None` means the protocol's default (ISO-8601 for query).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    Default,
    Iso8601,
    Rfc822,
    UnixTimestamp,
}

impl Service {
    /// The named shape for a key; the IR builder guarantees every key resolves.
    pub fn shape(&self, key: &str) -> &NamedShape {
        &self.shapes[key]
    }

    /// Every structure the crate generates: named shapes, operation inputs and outputs.
    pub fn structures(&self) -> impl Iterator<Item = &Structure> {
        let named = self.shapes.values().filter_map(|s| match &s.kind {
            NamedKind::Structure(st) => Some(st),
            NamedKind::Enum(_) => None,
        });
        named.chain(self.operations.values().flat_map(|op| [&op.input, &op.output]))
    }

    /// Some member is a map: the crate needs an ordered map type.
    pub fn uses_maps(&self) -> bool {
        fn has_map(ty: &Type) -> bool {
            match ty {
                Type::Map(_) => true,
                Type::List(l) => has_map(&l.member),
                _ => false,
            }
        }
        self.structures().any(|s| s.members.iter().any(|m| has_map(&m.ty)))
    }

    /// Some operation allows gzip request compression.
    pub fn uses_compression(&self) -> bool {
        self.operations.values().any(|op| op.request_compression)
    }
}

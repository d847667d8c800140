//! The intermediate representation: a service with every shape resolved, every Rust name
//! decided, and the protocol facts the emitters need. Emitters read only this.
//!
//! Maps are `BTreeMap`s keyed by model names so that iteration, and so the output, is
//! deterministic.

mod build;
pub mod endpoints;
pub mod examples;
pub mod features;
pub mod jmespath;
pub mod names;
pub mod paginators;
mod symbols;
pub mod waiters;

pub use build::build;
pub use names::Ident;

use crate::model::ModelError;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// What generation noticed and did not refuse (an example that no longer fits the model, a
/// name clash resolved with a suffix), named like a model error: file, JSON path, message.
pub type Warning = ModelError;

/// One service, ready to emit.
#[derive(Debug, Clone)]
pub struct Service {
    /// The library's name, what code imports (`sts`).
    pub crate_name: String,
    /// The package's name, what `Cargo.toml` depends on (`aws-query-sts`, or `crate_name`).
    pub package_name: String,
    pub version: String,
    pub description: Option<String>,
    /// The model file as named in generated headers (a path relative to the repository).
    pub model_file: String,
    pub meta: ServiceMeta,
    /// The wire protocol (`metadata.protocol`), which the IR has already applied to every
    /// member's [`Member::query_name`], list's [`ListType::query_item`] and operation's
    /// [`Operation::result_wrapper`].
    pub protocol: Protocol,
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
    /// The operations' cargo features, when the crate has them (`operation_features` in
    /// `codegen.toml`).
    pub features: Option<features::Features>,
}

// The protocols the generator implements are checked when the model is loaded, so the type
// lives with the model; the IR's decisions follow from it.
pub use crate::model::Protocol;

#[derive(Debug, Clone)]
pub struct ServiceMeta {
    pub full_name: String,
    pub service_id: String,
    pub api_version: String,
    pub endpoint_prefix: String,
    pub signing_name: String,
    pub protocol: String,
    pub xml_namespace: Option<String>,
    /// Metadata keys the model lacks, filled from the crate name (`serviceId`,
    /// `serviceFullName`, `endpointPrefix`): a diff shows them as absent.
    pub from_crate_name: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// Model name, also the wire `Action`: `CopySnapshot`.
    pub name: String,
    /// Client method: `copy_snapshot`.
    pub method: Ident,
    /// Module under `operation`: `copy_snapshot`.
    pub module: Ident,
    /// The operation type (`CopySnapshot`), its error enum (`CopySnapshotError`) and the
    /// fluent builder the client method returns (`CopySnapshotFluentBuilder`).
    pub type_name: Ident,
    pub error: Ident,
    pub fluent_builder: Ident,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    pub http_method: String,
    pub request_uri: String,
    pub host_prefix: Option<HostPrefix>,
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
    /// The cargo feature the operation is behind (empty when the crate has none).
    pub feature: String,
}

/// The model's `endpoint.hostPrefix`, parsed: literal text and input members.
#[derive(Debug, Clone, PartialEq)]
pub struct HostPrefix {
    pub template: String,
    pub parts: Vec<HostPart>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HostPart {
    Literal(String),
    /// An input member's value (model name, Rust field).
    Label { member: String, field: Ident },
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
    pub rust_name: Ident,
    /// Module (file) name.
    pub module: Ident,
    /// Where the type lives: `types`, or `types::error` for errors.
    pub home: Home,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    pub kind: NamedKind,
    /// The operation features that reach the type (empty when the crate has none).
    pub used_by: features::ShapeUse,
}

impl NamedShape {
    /// The error code and predicate of an error shape.
    pub fn error_info(&self) -> Option<&ErrorInfo> {
        match &self.kind {
            NamedKind::Structure(s) => s.error.as_ref(),
            NamedKind::Enum(_) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub enum NamedKind {
    Structure(Structure),
    Enum(Enum),
}

/// The module a type is declared in, with its builder beside it (`builders`). Decided once,
/// in the IR: emitters ask here for paths and files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Home {
    /// `crate::types`: shared data types and enums.
    Types,
    /// `crate::types::error`: error shapes.
    Errors,
    /// `crate::operation::<module>`: an operation's input and output.
    Operation(Ident),
}

impl Home {
    /// The module path: `crate::types`, `crate::types::error`, `crate::operation::copy_snapshot`.
    pub fn module_path(&self) -> TokenStream {
        self.module_path_in(&quote!(crate))
    }

    /// The module path from `root`: the crate itself (`crate`) or, for code outside it, the
    /// crate's name (`elasticache`).
    pub fn module_path_in(&self, root: &TokenStream) -> TokenStream {
        match self {
            Home::Types => quote!(#root::types),
            Home::Errors => quote!(#root::types::error),
            Home::Operation(m) => quote!(#root::operation::#m),
        }
    }

    /// `crate::types::Name`.
    pub fn type_path(&self, name: &Ident) -> TokenStream {
        let module = self.module_path();
        quote!(#module::#name)
    }

    /// `crate::types::builders::NameBuilder`.
    pub fn builder_path(&self, builder: &Ident) -> TokenStream {
        let module = self.module_path();
        quote!(#module::builders::#builder)
    }

    /// The same path as rustdoc links write it (`crate::types::error::Name`).
    pub fn doc_path(&self, name: &Ident) -> String {
        match self {
            Home::Types => format!("crate::types::{}", name.as_str()),
            Home::Errors => format!("crate::types::error::{}", name.as_str()),
            Home::Operation(m) => format!("crate::operation::{}::{}", m.as_str(), name.as_str()),
        }
    }

    /// The source folder of the module's files (`src/types`).
    pub fn folder(&self) -> String {
        match self {
            Home::Types => "src/types".to_owned(),
            Home::Errors => "src/types/error".to_owned(),
            Home::Operation(m) => format!("src/operation/{}", m.as_str()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Structure {
    /// Rust type name and its builder's.
    pub rust_name: Ident,
    pub builder: Ident,
    pub home: Home,
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

    /// `crate::types::Name` (or wherever [`Structure::home`] says).
    pub fn path(&self) -> TokenStream {
        self.home.type_path(&self.rust_name)
    }

    /// [`Structure::path`] from `root` (see [`Home::module_path_in`]).
    pub fn path_in(&self, root: &TokenStream) -> TokenStream {
        let module = self.home.module_path_in(root);
        let name = &self.rust_name;
        quote!(#module::#name)
    }

    pub fn builder_path(&self) -> TokenStream {
        self.home.builder_path(&self.builder)
    }
}

#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The code the service sends (`error.code`, else the shape name).
    pub code: String,
    /// `is_<error>`: the predicate error enums have for it.
    pub predicate: Ident,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub value: String,
    pub rust_name: Ident,
}

#[derive(Debug, Clone)]
pub struct Member {
    /// Model member name.
    pub name: String,
    /// Rust field, accessor and setter name (may be raw: `r#type`), and the `set_` and
    /// `get_` methods of builders.
    pub field: Ident,
    pub set: Ident,
    pub get: Ident,
    pub docs: Option<String>,
    pub ty: Type,
    pub required: bool,
    /// Part of a recursive cycle: stored as `Box<T>`.
    pub boxed: bool,
    pub sensitive: bool,
    pub deprecated: Option<Deprecation>,
    pub idempotency_token: bool,
    /// Element name in responses (`locationName`, else the member name).
    pub wire_name: String,
    /// Parameter name in requests: the same for the query protocol; for ec2 the
    /// `queryName`, else the capitalised `locationName` or member name.
    pub query_name: String,
    /// Set when the member is an XML attribute.
    pub xml_attribute: bool,
    /// Length or value limits of the target shape that validation checks (none for kinds
    /// whose limits are not checked).
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

/// A member's Rust type, decided once from its [`Type`] ([`Service::rust_type`]): the
/// emitters spell it as a path ([`RustType::tokens`]), the model diff as the names a caller
/// reads in the API ([`RustType::name`]).
#[derive(Debug, Clone)]
pub enum RustType<'a> {
    /// A type of std (`String`, `bool`, `i32`, `i64`, `f32`, `f64`).
    Std(&'static str),
    /// A type the runtime's `primitives` module has and the crate re-exports there
    /// (`DateTime`, `Blob`).
    Primitive(&'static str),
    /// A generated enum or structure.
    Named(&'a NamedShape),
    Vec(Box<RustType<'a>>),
    /// `indexmap::IndexMap`: maps keep the order the caller built them in.
    Map(Box<RustType<'a>>, Box<RustType<'a>>),
}

impl RustType<'_> {
    /// The type as code in the generated crate names it, from `root` (`crate` inside the
    /// crate, its name outside).
    pub fn tokens(&self, root: &TokenStream) -> TokenStream {
        match self {
            RustType::Std(name) => {
                let name = names::fixed(name);
                quote!(#name)
            }
            RustType::Primitive(name) => {
                let name = names::fixed(name);
                quote!(#root::primitives::#name)
            }
            RustType::Named(shape) => {
                let module = shape.home.module_path_in(root);
                let name = &shape.rust_name;
                quote!(#module::#name)
            }
            RustType::Vec(item) => {
                let item = item.tokens(root);
                quote!(Vec<#item>)
            }
            RustType::Map(k, v) => {
                let (k, v) = (k.tokens(root), v.tokens(root));
                quote!(indexmap::IndexMap<#k, #v>)
            }
        }
    }

    /// The type as a caller reads it, without module paths (`Vec<DateTime>`,
    /// `IndexMap<String, Parameter>`).
    pub fn name(&self) -> String {
        match self {
            RustType::Std(name) | RustType::Primitive(name) => (*name).to_owned(),
            RustType::Named(shape) => shape.rust_name.to_string(),
            RustType::Vec(item) => format!("Vec<{}>", item.name()),
            RustType::Map(k, v) => format!("IndexMap<{}, {}>", k.name(), v.name()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListType {
    pub member: Type,
    /// Checked limits of the item shape (lengths of string items, values of numbers).
    pub member_limits: Limits,
    /// Element name of each item in responses (`member` unless the model renames it).
    pub member_name: String,
    pub flattened: bool,
    /// How requests write the list: the segment before each item's index
    /// (`Name.member.N`), or `None` for `Name.N` (flattened, and every ec2 list).
    pub query_item: Option<String>,
    /// An empty list is sent as `Name=` (query) rather than left out (ec2).
    pub query_empty: bool,
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

    /// The structure of a key that [`Type::Structure`] holds.
    pub fn structure(&self, key: &str) -> &Structure {
        match &self.shape(key).kind {
            NamedKind::Structure(s) => s,
            NamedKind::Enum(_) => unreachable!("the IR builder types `{key}` as a structure"),
        }
    }

    /// The Rust path of a named type (`crate::types::error::SnapshotNotFoundFault`).
    pub fn type_path(&self, key: &str) -> TokenStream {
        self.type_path_in(key, &quote!(crate))
    }

    /// The Rust type of a member of type `ty`: the one place that decides it.
    pub fn rust_type(&self, ty: &Type) -> RustType<'_> {
        match ty {
            Type::String => RustType::Std("String"),
            Type::Boolean => RustType::Std("bool"),
            Type::Integer => RustType::Std("i32"),
            Type::Long => RustType::Std("i64"),
            Type::Float => RustType::Std("f32"),
            Type::Double => RustType::Std("f64"),
            Type::Timestamp(_) => RustType::Primitive("DateTime"),
            Type::Blob => RustType::Primitive("Blob"),
            Type::Enum(key) | Type::Structure(key) => RustType::Named(self.shape(key)),
            Type::List(l) => RustType::Vec(Box::new(self.rust_type(&l.member))),
            Type::Map(m) => RustType::Map(Box::new(self.rust_type(&m.key)), Box::new(self.rust_type(&m.value))),
        }
    }

    /// [`Service::type_path`] from `root` (see [`Home::module_path_in`]).
    pub fn type_path_in(&self, key: &str, root: &TokenStream) -> TokenStream {
        let shape = self.shape(key);
        let module = shape.home.module_path_in(root);
        let name = &shape.rust_name;
        quote!(#module::#name)
    }

    /// The crate's name as Rust code names it (`elasticache`, `snapshot_service`).
    pub fn crate_ident(&self) -> Ident {
        names::fixed(&self.crate_name.replace('-', "_"))
    }

    /// Error shapes, in key order.
    pub fn errors(&self) -> impl Iterator<Item = &NamedShape> {
        self.shapes.values().filter(|s| s.home == Home::Errors)
    }

    /// Every structure the crate generates: named shapes, operation inputs and outputs.
    pub fn structures(&self) -> impl Iterator<Item = &Structure> {
        let named = self.shapes.values().filter_map(|s| match &s.kind {
            NamedKind::Structure(st) => Some(st),
            NamedKind::Enum(_) => None,
        });
        named.chain(self.operations.values().flat_map(|op| [&op.input, &op.output]))
    }

    /// Named structures that need a serializer (reached from inputs: also the ones validated
    /// before sending) and a deserializer (reached from outputs and errors).
    pub fn protocol_sets(&self) -> (BTreeSet<String>, BTreeSet<String>) {
        let mut ser_set = BTreeSet::new();
        let mut de_set = BTreeSet::new();
        for op in self.operations.values() {
            for m in &op.input.members {
                self.collect_named(&m.ty, &mut ser_set);
            }
            for m in &op.output.members {
                self.collect_named(&m.ty, &mut de_set);
            }
        }
        // Every error shape: the service-wide `Error` reads them all.
        for shape in self.errors() {
            self.collect_named(&Type::Structure(shape.name.clone()), &mut de_set);
        }
        let structures = |set: BTreeSet<String>| -> BTreeSet<String> {
            set.into_iter().filter(|k| matches!(self.shape(k).kind, NamedKind::Structure(_))).collect()
        };
        (structures(ser_set), structures(de_set))
    }

    /// Every named type `ty` reaches (structures and enums), through members, list items and
    /// map keys and values: the one reachability rule of the (de)serializers and of the
    /// operation features ([`features::mark_uses`]).
    pub fn collect_named(&self, ty: &Type, out: &mut BTreeSet<String>) {
        match ty {
            Type::Structure(key) if out.insert(key.clone()) => {
                for m in &self.structure(key).members {
                    self.collect_named(&m.ty, out);
                }
            }
            Type::Enum(key) => {
                out.insert(key.clone());
            }
            Type::List(l) => self.collect_named(&l.member, out),
            Type::Map(m) => {
                self.collect_named(&m.key, out);
                self.collect_named(&m.value, out);
            }
            _ => {}
        }
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

/// A JSON value from a companion file (a waiter's `expected`, a JMESPath literal, an
/// example's output), as typed data. Numbers keep the model's spelling.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    List(Vec<Literal>),
    /// Entries in the model's order.
    Object(Vec<(String, Literal)>),
}

impl Literal {
    pub fn from_json(v: &serde_json::Value) -> Literal {
        use serde_json::Value as J;
        match v {
            J::Null => Literal::Null,
            J::Bool(b) => Literal::Bool(*b),
            J::Number(n) => Literal::Number(n.to_string()),
            J::String(s) => Literal::Str(s.clone()),
            J::Array(items) => Literal::List(items.iter().map(Literal::from_json).collect()),
            J::Object(entries) => Literal::Object(entries.iter().map(|(k, v)| (k.clone(), Literal::from_json(v))).collect()),
        }
    }

    /// Back to JSON, for printing (examples show outputs as botocore's JSON).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Literal::Null => J::Null,
            Literal::Bool(b) => J::Bool(*b),
            Literal::Number(n) => serde_json::from_str(n).unwrap_or(J::Null),
            Literal::Str(s) => J::String(s.clone()),
            Literal::List(items) => J::Array(items.iter().map(Literal::to_json).collect()),
            Literal::Object(entries) => J::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }

    /// The value of a number (`NaN` for anything else).
    pub fn as_f64(&self) -> f64 {
        match self {
            Literal::Number(n) => n.parse().unwrap_or(f64::NAN),
            _ => f64::NAN,
        }
    }
}

impl std::fmt::Display for Literal {
    /// As JSON.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Number(n) => f.write_str(n),
            Literal::Str(s) => write!(f, "{}", serde_json::Value::String(s.clone())),
            Literal::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Literal::Object(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{}:{v}", serde_json::Value::String(k.clone()))?;
                }
                f.write_str("}")
            }
        }
    }
}

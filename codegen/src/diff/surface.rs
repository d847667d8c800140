//! The API surface of a generated crate, read off its IR: every public item the emitters
//! make from the model (client methods, types, fields with their Rust types, enum variants,
//! error variants, paginators, waiters), with the facts the semver rules need (which
//! members are checked before sending, deprecation, validation limits) and fingerprints of
//! the documentation. Nothing here re-derives a rule of the generator: names, types and
//! reachability come from [`crate::ir`].

use crate::ir::paginators::FieldPath;
use crate::ir::waiters::Waiter;
use crate::ir::{Limits, Member, NamedKind, Operation, Service, Structure, Type};
use std::collections::BTreeMap;

/// Everything callers of the crate can name or observe, by model name.
#[derive(Debug, Clone, PartialEq)]
pub struct Surface {
    /// Service metadata the client is built from: key, value (`None`: absent).
    pub meta: Vec<(&'static str, Option<String>)>,
    pub full_name: Option<String>,
    pub operations: BTreeMap<String, OperationApi>,
    pub types: BTreeMap<String, TypeApi>,
    /// `None` when the model has no paginators file (then they are not compared).
    pub paginators: Option<BTreeMap<String, PaginatorApi>>,
    pub waiters: Option<BTreeMap<String, WaiterApi>>,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OperationApi {
    /// `Client::copy_snapshot`.
    pub method: String,
    pub deprecated: bool,
    /// Error shape → `CopySnapshotError::SnapshotNotFoundFault`.
    pub errors: BTreeMap<String, String>,
    pub input: StructApi,
    pub output: StructApi,
}

/// A structure's members, keyed by Rust field (the synthetic `message` of errors and a
/// modeled one are the same field).
#[derive(Debug, Clone, PartialEq)]
pub struct StructApi {
    /// Required members and limits are checked before sending (reached from an input).
    pub validated: bool,
    pub members: BTreeMap<String, MemberApi>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberApi {
    /// The model name, for messages.
    pub name: String,
    /// `CopySnapshotInput::target_bucket`.
    pub path: String,
    /// The Rust type (`String`, `Vec<Tag>`, `IndexMap<String, String>`).
    pub ty: String,
    pub required: bool,
    pub deprecated: bool,
    /// What validation checks (`length 1..=255`, `items length at most 5`), if anything.
    pub limits: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeApi {
    Structure { error: bool, path: String, deprecated: bool, structure: StructApi },
    Enum { path: String, deprecated: bool, variants: BTreeMap<String, String> },
}

impl TypeApi {
    pub fn kind(&self) -> &'static str {
        match self {
            TypeApi::Structure { error: true, .. } => "error",
            TypeApi::Structure { error: false, .. } => "structure",
            TypeApi::Enum { .. } => "enum",
        }
    }

    pub fn path(&self) -> &str {
        match self {
            TypeApi::Structure { path, .. } | TypeApi::Enum { path, .. } => path,
        }
    }

    pub fn deprecated(&self) -> bool {
        match self {
            TypeApi::Structure { deprecated, .. } | TypeApi::Enum { deprecated, .. } => *deprecated,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PaginatorApi {
    /// `CopySnapshotFluentBuilder::into_paginator`.
    pub method: String,
    /// What shapes the API: `result_key` (the items' methods and types) and `limit_key`
    /// (`page_size`). Key, value as the model writes it.
    pub api: Vec<(&'static str, String)>,
    /// What only changes behaviour: tokens, `more_results`.
    pub behaviour: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WaiterApi {
    /// `Waiters::wait_until_cache_cluster_available`.
    pub method: String,
    pub operation: String,
    pub delay: u64,
    pub max_attempts: u32,
    pub acceptors: Vec<String>,
    pub description: Option<String>,
}

/// Documentation as the crate shows it, by item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub service: Option<String>,
    pub operations: BTreeMap<String, ItemDocs>,
    pub types: BTreeMap<String, ItemDocs>,
}

/// An item's own documentation (text, deprecation) and its members', by model name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemDocs {
    pub own: String,
    pub members: BTreeMap<String, String>,
}

impl ItemDocs {
    /// The documentation changed: the item's own, or a member's that both sides have.
    pub fn changed(&self, other: &ItemDocs) -> bool {
        self.own != other.own || self.members.iter().any(|(m, d)| other.members.get(m).is_some_and(|e| e != d))
    }
}

/// The surface of `svc`.
pub fn surface(svc: &Service, has_paginators: bool, has_waiters: bool) -> Surface {
    let (validated, _) = svc.protocol_sets();
    let m = &svc.meta;
    // What the model lacks and the crate name stands in for is shown as absent: the crate
    // name is not part of the model.
    let given = |key: &str, value: &str| if m.from_crate_name.contains(&key) { None } else { Some(value.to_owned()) };
    let meta = vec![
        ("apiVersion", Some(m.api_version.clone())),
        ("endpointPrefix", given("endpointPrefix", &m.endpoint_prefix)),
        ("protocol", Some(m.protocol.clone())),
        ("serviceId", given("serviceId", &m.service_id)),
        ("signingName", Some(m.signing_name.clone())),
        ("xmlNamespace", m.xml_namespace.clone()),
    ];
    let mut docs = Docs { service: svc.docs.clone(), ..Docs::default() };
    let operations = svc
        .operations
        .iter()
        .map(|(name, op)| {
            docs.operations.insert(name.clone(), operation_docs(op));
            (name.clone(), operation(svc, op))
        })
        .collect();
    let types = svc
        .shapes
        .iter()
        .map(|(name, shape)| {
            let deprecated = shape.deprecated.is_some();
            let path = shape.home.doc_path(&shape.rust_name).trim_start_matches("crate::").to_owned();
            let mut item_docs = ItemDocs { own: format!("{:?}{:?}", shape.docs, shape.deprecated), ..ItemDocs::default() };
            let api = match &shape.kind {
                NamedKind::Structure(s) => {
                    item_docs.members = members_docs([s]);
                    let structure = structure(svc, s, validated.contains(name));
                    TypeApi::Structure { error: s.error.is_some(), path, deprecated, structure }
                }
                NamedKind::Enum(e) => {
                    let variants =
                        e.variants.iter().map(|v| (v.value.clone(), format!("{}::{}", shape.rust_name, v.rust_name))).collect();
                    TypeApi::Enum { path, deprecated, variants }
                }
            };
            docs.types.insert(name.clone(), item_docs);
            (name.clone(), api)
        })
        .collect();
    let paginators = has_paginators.then(|| {
        svc.paginators
            .iter()
            .map(|(name, p)| {
                let op = &svc.operations[name];
                let keys: Vec<&str> = p.result_keys.iter().map(|k| k.path.model.as_str()).collect();
                let api = vec![
                    ("result_key", keys.join(", ")),
                    ("limit_key", path_or_none(p.limit_key.as_ref())),
                ];
                let behaviour = vec![
                    ("input_token", p.input_token.model.clone()),
                    ("output_token", p.output_token.model.clone()),
                    ("more_results", path_or_none(p.more_results.as_ref())),
                ];
                let method = format!("{}::into_paginator", op.fluent_builder);
                (name.clone(), PaginatorApi { method, api, behaviour })
            })
            .collect()
    });
    let waiters = has_waiters.then(|| svc.waiters.iter().map(|(name, w)| (name.clone(), waiter(w))).collect());
    let full_name = given("serviceFullName", &m.full_name);
    Surface { meta, full_name, operations, types, paginators, waiters, docs }
}

fn operation(svc: &Service, op: &Operation) -> OperationApi {
    let errors = op
        .errors
        .iter()
        .map(|key| (key.clone(), format!("{}::{}", op.error, svc.shape(key).rust_name)))
        .collect();
    OperationApi {
        method: format!("Client::{}", op.method),
        deprecated: op.deprecated.is_some(),
        errors,
        input: structure(svc, &op.input, true),
        output: structure(svc, &op.output, false),
    }
}

fn structure(svc: &Service, s: &Structure, validated: bool) -> StructApi {
    let members = s.members.iter().map(|m| (m.field.to_string(), member(svc, s, m))).collect();
    StructApi { validated, members }
}

fn member(svc: &Service, s: &Structure, m: &Member) -> MemberApi {
    let item_limits = match &m.ty {
        Type::List(l) => describe_limits(&l.member, &l.member_limits),
        _ => None,
    };
    let limits = match (describe_limits(&m.ty, &m.limits), item_limits) {
        (None, None) => None,
        (Some(a), None) => Some(a),
        (None, Some(b)) => Some(format!("items {b}")),
        (Some(a), Some(b)) => Some(format!("{a}, items {b}")),
    };
    MemberApi {
        name: m.name.clone(),
        path: format!("{}::{}", s.rust_name, m.field),
        ty: type_name(svc, &m.ty),
        required: m.required,
        deprecated: m.deprecated.is_some(),
        limits,
    }
}

/// The Rust type of a member as the API shows it (paths shortened to the type's name): the
/// emitters' type ([`Service::rust_type`]), by name.
pub fn type_name(svc: &Service, ty: &Type) -> String {
    svc.rust_type(ty).name()
}

/// `length 1..=4`, `value at least 0`: what validation checks.
fn describe_limits(ty: &Type, l: &Limits) -> Option<String> {
    let what = match ty {
        Type::Integer | Type::Long | Type::Float | Type::Double => "value",
        _ => "length",
    };
    Some(match (l.min, l.max) {
        (Some(min), Some(max)) => format!("{what} {min}..={max}"),
        (Some(min), None) => format!("{what} at least {min}"),
        (None, Some(max)) => format!("{what} at most {max}"),
        (None, None) => return None,
    })
}

fn waiter(w: &Waiter) -> WaiterApi {
    WaiterApi {
        method: format!("Waiters::{}", w.method),
        operation: w.operation.clone(),
        delay: w.delay,
        max_attempts: w.max_attempts,
        acceptors: w.acceptors.iter().map(|a| format!("{:?} {}", a.state, a.text)).collect(),
        description: w.docs.clone(),
    }
}

fn path_or_none(p: Option<&FieldPath>) -> String {
    p.map_or_else(|| "none".to_owned(), |p| p.model.clone())
}

/// What an operation's documentation shows: its text and deprecation, and its input's and
/// output's member docs.
fn operation_docs(op: &Operation) -> ItemDocs {
    ItemDocs { own: format!("{:?}{:?}", op.docs, op.deprecated), members: members_docs([&op.input, &op.output]) }
}

/// Members' docs and deprecation, keyed by which structure and member.
fn members_docs<'a>(structures: impl IntoIterator<Item = &'a Structure>) -> BTreeMap<String, String> {
    structures
        .into_iter()
        .flat_map(|s| s.members.iter().map(move |m| (format!("{}.{}", s.rust_name, m.name), format!("{:?}{:?}", m.docs, m.deprecated))))
        .collect()
}

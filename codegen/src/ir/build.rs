//! Model → IR. The transforms run here, once, before any emitter:
//! 1. the allow-list selects operations, and only the shapes they reach are kept;
//! 2. every operation gets its own input and output structure (`<Op>Input` / `<Op>Output`),
//!    so shared model shapes never couple two operations' APIs;
//! 3. every Rust name is decided (see [`super::names`]) and clashes are resolved in one pass
//!    over all of them ([`super::symbols`]);
//! 4. structure members that close a cycle are boxed;
//! 5. the companion files (paginators, waiters, endpoint rules, examples) are resolved
//!    against the result.

use super::names;
use super::*;
use crate::model::sources::{Companion, Sources};
use crate::model::{self, ModelError, ServiceModel, ShapeRef, ShapeType};
use crate::settings::Settings;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const NAME_RULE: &str = "names are ASCII letters and digits, starting with a letter";

/// Builds the IR of `sources` as `settings` ask: the service, and what generation noticed
/// without refusing it. Every problem of every file is reported at once.
pub fn build(sources: &Sources, settings: &Settings) -> Result<(Service, Vec<Warning>), Vec<ModelError>> {
    let model = &sources.service;
    let file = Path::new(&sources.name);
    // The loader refuses every other protocol.
    let protocol = Protocol::from_metadata(&model.metadata.protocol).unwrap_or(Protocol::Query);
    let mut b = Builder { model, file, settings, protocol, problems: Vec::new() };
    let ops = b.select_operations(&settings.allow);
    let reached = b.reachable(&ops, settings.allow.is_empty());

    let mut shapes = BTreeMap::new();
    for name in &reached {
        if let Some(shape) = b.named_shape(name) {
            shapes.insert(name.clone(), shape);
        }
    }
    let mut operations = BTreeMap::new();
    for name in &ops {
        let op = b.operation(&model.operations[name.as_str()]);
        operations.insert(name.clone(), op);
    }
    box_cycles(&mut shapes);
    let features = match settings.operation_features {
        true => match features::decide(&mut operations) {
            Ok(f) => Some(f),
            Err(message) => {
                b.problems.push(ModelError { file: b.file.with_file_name("codegen.toml"), path: "crate.operation_features".to_owned(), message });
                None
            }
        },
        false => None,
    };
    b.check_identifiers(&operations, &shapes);
    b.check_enum_overrides(&shapes);
    if !b.problems.is_empty() {
        return Err(b.problems);
    }

    let md = &model.metadata;
    let endpoint_prefix = md.endpoint_prefix.clone().unwrap_or_else(|| settings.crate_name.clone());
    let mut svc = Service {
        crate_name: settings.crate_name.clone(),
        package_name: settings.package.clone().unwrap_or_else(|| settings.crate_name.clone()),
        version: settings.version.clone(),
        description: settings.description.clone(),
        model_file: sources.name.clone(),
        meta: ServiceMeta {
            full_name: md.service_full_name.clone().unwrap_or_else(|| settings.crate_name.clone()),
            service_id: md.service_id.clone().unwrap_or_else(|| settings.crate_name.clone()),
            api_version: md.api_version.clone(),
            signing_name: md.signing_name.clone().unwrap_or_else(|| endpoint_prefix.clone()),
            endpoint_prefix,
            protocol: md.protocol.clone(),
            xml_namespace: md.xml_namespace.clone(),
            from_crate_name: [
                ("serviceFullName", md.service_full_name.is_none()),
                ("serviceId", md.service_id.is_none()),
                ("endpointPrefix", md.endpoint_prefix.is_none()),
            ]
            .into_iter()
            .filter_map(|(key, absent)| absent.then_some(key))
            .collect(),
        },
        protocol,
        docs: model.documentation.clone(),
        operations,
        shapes,
        endpoint_rules: None,
        paginators: BTreeMap::new(),
        waiters: BTreeMap::new(),
        examples: BTreeMap::new(),
        features,
    };
    let mut warnings = Vec::new();
    // Names first: paginators, waiters and examples copy the members' names.
    symbols::resolve(&mut svc, file, &mut warnings);
    let mut problems = Vec::new();
    svc.endpoint_rules = companion(&sources.endpoint_rules, &mut problems, endpoints::build);
    svc.paginators =
        companion(&sources.paginators, &mut problems, |f| paginators::build(model, &svc, f)).unwrap_or_default();
    svc.waiters = companion(&sources.waiters, &mut problems, |f| waiters::build(model, &svc, f)).unwrap_or_default();
    if let Some(examples) = &sources.examples {
        let (built, left_out) = examples::build(model, &svc, &examples.value);
        svc.examples = built;
        warnings.extend(left_out.into_iter().map(|(path, message)| ModelError { file: examples.file.clone(), path, message }));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    symbols::resolve_companions(&mut svc, file, &mut warnings);
    if svc.features.is_some() {
        features::mark_uses(&mut svc);
    }
    Ok((svc, warnings))
}

/// Resolves a companion file with `build`, whose problems are `(JSON path, message)`;
/// problems go to `problems`, named by the file.
fn companion<T, R>(
    file: &Option<Companion<T>>,
    problems: &mut Vec<ModelError>,
    build: impl FnOnce(&T) -> Result<R, Vec<(String, String)>>,
) -> Option<R> {
    let c = file.as_ref()?;
    match build(&c.value) {
        Ok(built) => Some(built),
        Err(found) => {
            problems.extend(found.into_iter().map(|(path, message)| ModelError { file: c.file.clone(), path, message }));
            None
        }
    }
}

struct Builder<'a> {
    model: &'a ServiceModel,
    file: &'a Path,
    settings: &'a Settings,
    protocol: Protocol,
    problems: Vec<ModelError>,
}

impl<'a> Builder<'a> {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(ModelError { file: self.file.to_owned(), path: path.into(), message: message.into() });
    }

    fn select_operations(&mut self, allow: &[String]) -> Vec<String> {
        if allow.is_empty() {
            return self.model.operations.keys().cloned().collect();
        }
        let mut ops = BTreeSet::new();
        for (i, name) in allow.iter().enumerate() {
            if self.model.operations.contains_key(name) {
                ops.insert(name.clone());
            } else {
                // The allow-list is the `codegen.toml` beside the model: name that file.
                self.problems.push(ModelError {
                    file: self.file.with_file_name("codegen.toml"),
                    path: format!("operations.allow[{i}]"),
                    message: format!("`{name}` is not an operation of the model"),
                });
            }
        }
        ops.into_iter().collect()
    }

    /// Names of the shapes that become named types: structures and enums reachable from the
    /// selected operations' members and errors (not the input/output shapes themselves,
    /// unless something else refers to them). For a whole service, every exception shape
    /// too: a service may answer any operation with any of its errors, and the service-wide
    /// `Error` recognises them all (as botocore does).
    fn reachable(&self, ops: &[String], whole_service: bool) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = Vec::new();
        if whole_service {
            stack.extend(self.model.shapes.iter().filter(|(_, s)| s.error.is_some() || s.exception).map(|(n, _)| n.as_str()));
        }
        for name in ops {
            let op = &self.model.operations[name.as_str()];
            for r in [&op.input, &op.output].into_iter().flatten() {
                stack.extend(self.model.shapes[r.shape.as_str()].members.values().map(|m| m.shape.as_str()));
            }
            stack.extend(op.errors.iter().map(|e| e.shape.as_str()));
        }
        while let Some(name) = stack.pop() {
            let shape = &self.model.shapes[name];
            let named = shape.shape_type == ShapeType::Structure
                || (shape.shape_type == ShapeType::String && shape.enum_values.is_some());
            if named && !seen.insert(name.to_owned()) {
                continue;
            }
            stack.extend(shape.members.values().map(|m| m.shape.as_str()));
            stack.extend([&shape.member, &shape.key, &shape.value].into_iter().flatten().map(|r| r.shape.as_str()));
        }
        seen
    }

    fn named_shape(&mut self, name: &str) -> Option<NamedShape> {
        let shape = &self.model.shapes[name];
        let rust_name = names::type_name(name);
        let is_error = shape.error.is_some() || shape.exception;
        let home = if is_error { Home::Errors } else { Home::Types };
        let kind = if shape.shape_type == ShapeType::Structure {
            NamedKind::Structure(self.structure(&format!("shapes.{name}"), name, rust_name.clone(), home.clone()))
        } else {
            let values = shape.enum_values.as_ref().filter(|_| shape.shape_type == ShapeType::String)?;
            let overrides = self.settings.enum_variants.get(name);
            let variants = values
                .iter()
                .map(|v| {
                    let given = overrides.and_then(|o| o.get(v)).and_then(|n| names::variant_override(n));
                    Variant { value: v.clone(), rust_name: given.unwrap_or_else(|| names::variant(v)) }
                })
                .collect();
            NamedKind::Enum(Enum { variants })
        };
        let (docs, deprecated) = match deprecation(shape.deprecated, &shape.deprecated_message) {
            // A service may still send a deprecated error, and code that handles it must not
            // warn (nor fail a `-D warnings` build, as every use of a `#[deprecated]` type
            // does): the deprecation is told in the error's documentation instead.
            Some(d) if is_error => (Some(deprecated_error_docs(shape.documentation.as_deref(), &d)), None),
            d => (shape.documentation.clone(), d),
        };
        let module = names::snake(rust_name.as_str());
        Some(NamedShape { name: name.to_owned(), module, rust_name, home, docs, deprecated, kind, used_by: Default::default() })
    }

    fn structure(&mut self, at: &str, shape_name: &str, rust_name: Ident, home: Home) -> Structure {
        let shape = &self.model.shapes[shape_name];
        let members = shape
            .members
            .iter()
            .map(|(name, r)| self.member(&format!("{at}.members.{name}"), name, r, shape.required.contains(name)))
            .collect();
        let code = match (&shape.error, shape.exception) {
            (Some(e), _) => Some(e.code.clone().unwrap_or_else(|| shape_name.to_owned())),
            (None, true) => Some(shape_name.to_owned()),
            (None, false) => None,
        };
        let error = code.map(|code| ErrorInfo { code, predicate: names::predicate(&rust_name) });
        let role = if error.is_some() { Role::Error } else { Role::Data };
        let builder = names::builder(&rust_name);
        let mut s = Structure { rust_name, builder, home, members, error, role };
        if s.role == Role::Error && !s.members.iter().any(|m| m.field.as_str() == "message") {
            // Every error carries the service's message, modeled or not (as in smithy-rs).
            s.members.push(synthetic_message());
        }
        s
    }

    fn member(&mut self, at: &str, name: &str, r: &ShapeRef, required: bool) -> Member {
        let target = &self.model.shapes[r.shape.as_str()];
        let field = names::field(name);
        let ty = self.type_of(at, r);
        Member {
            name: name.to_owned(),
            set: names::setter(&field),
            get: names::getter(&field),
            field,
            docs: r.documentation.clone().or_else(|| target.documentation.clone()),
            limits: checked_limits(&ty, target),
            ty,
            required,
            boxed: false,
            // botocore's models mark few secrets (`AuthToken` is a plain string): `codegen.toml`
            // lists the others.
            sensitive: target.sensitive || self.settings.sensitive.iter().any(|s| s == name),
            deprecated: deprecation(r.deprecated || target.deprecated, &r.deprecated_message),
            idempotency_token: r.idempotency_token,
            wire_name: wire_name(self.model, name, r),
            query_name: query_name(self.model, self.protocol, name, r),
            xml_attribute: r.xml_attribute,
            synthetic: false,
        }
    }

    fn type_of(&mut self, at: &str, r: &ShapeRef) -> Type {
        let shape = &self.model.shapes[r.shape.as_str()];
        match shape.shape_type {
            ShapeType::Structure => Type::Structure(r.shape.clone()),
            ShapeType::String if shape.enum_values.is_some() => Type::Enum(r.shape.clone()),
            ShapeType::String | ShapeType::Character => Type::String,
            ShapeType::Integer => Type::Integer,
            ShapeType::Long => Type::Long,
            ShapeType::Float => Type::Float,
            ShapeType::Double => Type::Double,
            ShapeType::Boolean => Type::Boolean,
            ShapeType::Blob => Type::Blob,
            ShapeType::Timestamp => {
                let format = r.timestamp_format.as_ref().or(shape.timestamp_format.as_ref());
                Type::Timestamp(match format.map(String::as_str) {
                    Some("iso8601") => TimestampFormat::Iso8601,
                    Some("rfc822") => TimestampFormat::Rfc822,
                    Some("unixTimestamp") => TimestampFormat::UnixTimestamp,
                    _ => TimestampFormat::Default,
                })
            }
            ShapeType::List => {
                // The loader guarantees `member`; a missing one was reported there.
                let Some(member) = &shape.member else { return Type::String };
                let member_ty = self.type_of(&format!("shapes.{}.member", r.shape), member);
                let member_name = location_name(self.model, member).unwrap_or_else(|| "member".to_owned());
                let flattened = r.flattened.unwrap_or(shape.flattened);
                // ec2 writes every list as `Name.N` and leaves an empty one out (botocore's
                // `EC2Serializer`); query names the items unless flattened, and sends `Name=`.
                let (query_item, query_empty) = match self.protocol {
                    Protocol::Query => ((!flattened).then(|| member_name.clone()), true),
                    Protocol::Ec2 => (None, false),
                };
                Type::List(Box::new(ListType {
                    member_limits: checked_limits(&member_ty, &self.model.shapes[member.shape.as_str()]),
                    member: member_ty,
                    member_name,
                    flattened,
                    query_item,
                    query_empty,
                }))
            }
            ShapeType::Map => {
                let (Some(key), Some(value)) = (&shape.key, &shape.value) else { return Type::String };
                let key_ty = self.type_of(&format!("shapes.{}.key", r.shape), key);
                let value_ty = self.type_of(&format!("shapes.{}.value", r.shape), value);
                if !matches!(key_ty, Type::String | Type::Enum(_)) {
                    self.problem(at, "map keys must be strings");
                }
                Type::Map(Box::new(MapType {
                    key: key_ty,
                    value: value_ty,
                    key_name: location_name(self.model, key).unwrap_or_else(|| "key".to_owned()),
                    value_name: location_name(self.model, value).unwrap_or_else(|| "value".to_owned()),
                    flattened: r.flattened.unwrap_or(shape.flattened),
                }))
            }
        }
    }

    fn operation(&mut self, op: &model::Operation) -> Operation {
        let at = format!("operations.{}", op.name);
        let type_name = names::type_name(&op.name);
        let module = names::snake(&op.name);
        let home = Home::Operation(module.clone());
        let io = |b: &mut Self, r: &Option<model::OperationRef>, which: &str, role: Role| {
            let rust_name = names::io_type(&type_name, which);
            let mut s = match r {
                Some(r) => b.structure(&format!("shapes.{}", r.shape), &r.shape, rust_name, home.clone()),
                None => {
                    let builder = names::builder(&rust_name);
                    Structure { rust_name, builder, home: home.clone(), members: Vec::new(), error: None, role }
                }
            };
            s.role = role;
            s
        };
        let input = io(self, &op.input, "Input", Role::Input);
        let output = io(self, &op.output, "Output", Role::Output);
        for (i, e) in op.errors.iter().enumerate() {
            if self.model.shapes[e.shape.as_str()].error.is_none() && !self.model.shapes[e.shape.as_str()].exception {
                self.problem(format!("{at}.errors[{i}].shape"), format!("`{}` is not an exception shape", e.shape));
            }
        }
        let host_prefix = op
            .endpoint
            .as_ref()
            .and_then(|e| e.host_prefix.as_deref())
            .and_then(|t| self.host_prefix(&format!("{at}.endpoint.hostPrefix"), t, &input));
        Operation {
            name: op.name.clone(),
            method: module.clone(),
            error: names::operation_error(&type_name),
            fluent_builder: names::fluent_builder(&type_name),
            module,
            type_name,
            docs: op.documentation.clone(),
            deprecated: deprecation(op.deprecated, &op.deprecated_message),
            http_method: op.http.method.clone(),
            request_uri: op.http.request_uri.clone(),
            host_prefix,
            input,
            output,
            result_wrapper: self.result_wrapper(op),
            request_compression: op.request_compression.as_ref().is_some_and(|c| c.encodings.iter().any(|e| e == "gzip")),
            unsigned: op.authtype.as_deref() == Some("none") || op.auth.first().is_some_and(|a| a == "smithy.api#noAuth"),
            input_shape: op.input.as_ref().map(|r| r.shape.clone()),
            output_shape: op.output.as_ref().map(|r| r.shape.clone()),
            // A model may list an error twice (DocumentDB's `RestoreDBClusterFromSnapshot`):
            // one variant each.
            errors: op.errors.iter().map(|e| e.shape.clone()).fold(Vec::new(), |mut seen, e| {
                if !seen.contains(&e) {
                    seen.push(e);
                }
                seen
            }),
            feature: String::new(),
        }
    }

    /// Parses `endpoint.hostPrefix` (`{Label}.data-`): every label must name a string
    /// member of the input.
    fn host_prefix(&mut self, at: &str, template: &str, input: &Structure) -> Option<HostPrefix> {
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.problem(at, format!("`{template}`: `{{` without `}}`"));
                return None;
            };
            if open > 0 {
                parts.push(HostPart::Literal(rest[..open].to_owned()));
            }
            let label = &rest[open + 1..close];
            match input.members.iter().find(|m| m.name == label) {
                Some(m) if m.ty == Type::String => parts.push(HostPart::Label { member: m.name.clone(), field: m.field.clone() }),
                Some(_) => {
                    self.problem(at, format!("`{template}`: label `{label}` must be a string member of the input"));
                    return None;
                }
                None => {
                    self.problem(at, format!("`{template}`: label `{label}` is not a member of the input"));
                    return None;
                }
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(HostPart::Literal(rest.to_owned()));
        }
        Some(HostPrefix { template: template.to_owned(), parts })
    }

    /// The element that wraps the output in a response: the model's `resultWrapper`; for the
    /// query protocol without one, `<Op>Result`, which is where Smithy's awsQuery protocol
    /// always puts the output's members.
    fn result_wrapper(&self, op: &model::Operation) -> Option<String> {
        let output = op.output.as_ref()?;
        match &output.result_wrapper {
            Some(w) => Some(w.clone()),
            None if self.model.metadata.protocol == "query" => Some(format!("{}Result", op.name)),
            None => None,
        }
    }

    /// Shape and operation names become type names as they are (camel-cased); one that
    /// starts with a digit, or is empty, gives none (Smithy forbids such names anyway).
    fn check_identifiers(&mut self, ops: &BTreeMap<String, Operation>, shapes: &BTreeMap<String, NamedShape>) {
        for (name, shape) in shapes {
            if !names::is_type_name(shape.rust_name.as_str()) {
                let message = format!("shape name `{name}` makes no Rust type name (`{}`): {NAME_RULE}", shape.rust_name);
                self.problem(format!("shapes.{name}"), message);
            }
        }
        for (name, op) in ops {
            if !names::is_type_name(op.type_name.as_str()) {
                let message = format!("operation name `{name}` makes no Rust type name (`{}`): {NAME_RULE}", op.type_name);
                self.problem(format!("operations.{name}"), message);
            }
        }
    }

    /// `codegen.toml`'s `[names.enum_variants]` must name enum shapes and their values, and
    /// give identifiers: a stale entry would silently stop applying.
    fn check_enum_overrides(&mut self, shapes: &BTreeMap<String, NamedShape>) {
        let file = self.file.with_file_name("codegen.toml");
        for (shape, values) in &self.settings.enum_variants {
            let at = format!("names.enum_variants.{shape}");
            let Some(NamedShape { kind: NamedKind::Enum(e), .. }) = shapes.get(shape) else {
                // An enum the allow-list leaves out is fine; one the model lacks is not.
                let is_enum = self.model.shapes.get(shape).is_some_and(|s| s.enum_values.is_some());
                if !is_enum {
                    let message = format!("`{shape}` is not an enum shape of the model");
                    self.problems.push(ModelError { file: file.clone(), path: at, message });
                }
                continue;
            };
            for (value, name) in values {
                let message = if !e.variants.iter().any(|v| v.value == *value) {
                    format!("`{value}` is not a value of `{shape}`")
                } else if names::variant_override(name).is_none() {
                    format!("`{name}` is not a variant name ({NAME_RULE}, not `Unknown`)")
                } else {
                    continue;
                };
                self.problems.push(ModelError { file: file.clone(), path: format!("{at}.{value}"), message });
            }
        }
    }
}

/// The element / parameter name of a member: the reference's `locationName`; else, for a
/// list declared flattened on its shape whose member has a `locationName`, that name; else
/// the target shape's own `locationName`; else the member's name. (botocore's query suites
/// pin this down: `flattened` on the member reference leaves the list member's name unused.)
fn wire_name(model: &ServiceModel, name: &str, r: &ShapeRef) -> String {
    if let Some(location) = &r.location_name {
        return location.clone();
    }
    let target = &model.shapes[r.shape.as_str()];
    if target.shape_type == ShapeType::List && target.flattened {
        if let Some(item_name) = target.member.as_ref().and_then(|m| location_name(model, m)) {
            return item_name;
        }
    }
    target.location_name.clone().unwrap_or_else(|| name.to_owned())
}

/// The parameter name of a member in requests: for the query protocol the element name
/// ([`wire_name`]); for ec2 the reference's `queryName`, else its `locationName` (or its
/// target's) capitalised, else the member name capitalised (botocore's `EC2Serializer`, and
/// Smithy's `ec2Query`, whose suites name lower-case members `Name`).
fn query_name(model: &ServiceModel, protocol: Protocol, name: &str, r: &ShapeRef) -> String {
    match protocol {
        Protocol::Query => wire_name(model, name, r),
        Protocol::Ec2 => match &r.query_name {
            Some(q) => q.clone(),
            None => capitalise(&location_name(model, r).unwrap_or_else(|| name.to_owned())),
        },
    }
}

/// The first character in upper case, the rest as it is.
fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The `locationName` of a reference: its own, else its target shape's. botocore merges a
/// reference's traits over its target's, so a `locationName` on a shape names every element
/// that holds one (ElastiCache's `PendingLogDeliveryConfigurationList` is read from
/// `<PendingLogDeliveryConfiguration>`, not from the member's name).
fn location_name(model: &ServiceModel, r: &ShapeRef) -> Option<String> {
    r.location_name.clone().or_else(|| model.shapes.get(r.shape.as_str()).and_then(|s| s.location_name.clone()))
}

fn synthetic_message() -> Member {
    let field = names::fixed("message");
    Member {
        name: "Message".to_owned(),
        set: names::setter(&field),
        get: names::getter(&field),
        field,
        docs: Some("<p>The message the service sent with the error.</p>".to_owned()),
        ty: Type::String,
        required: false,
        boxed: false,
        sensitive: false,
        deprecated: None,
        idempotency_token: false,
        wire_name: "Message".to_owned(),
        query_name: "Message".to_owned(),
        xml_attribute: false,
        limits: Limits::default(),
        synthetic: true,
    }
}

/// An error shape's documentation with its deprecation appended.
fn deprecated_error_docs(docs: Option<&str>, d: &Deprecation) -> String {
    let note = match &d.message {
        Some(m) => format!("<p>Deprecated: {m}</p>"),
        None => "<p>Deprecated.</p>".to_owned(),
    };
    format!("{}{note}", docs.unwrap_or_default())
}

fn deprecation(deprecated: bool, message: &Option<String>) -> Option<Deprecation> {
    deprecated.then(|| Deprecation { message: message.clone() })
}

/// The `min`/`max` of `shape` that validation checks for a value of type `ty`: lengths of
/// strings, blobs, lists and maps, values of numbers; none for booleans, timestamps,
/// structures and enums (whose `min`/`max` botocore does not check either).
fn checked_limits(ty: &Type, shape: &model::Shape) -> Limits {
    if matches!(ty, Type::Boolean | Type::Timestamp(_) | Type::Structure(_) | Type::Enum(_)) {
        return Limits::default();
    }
    limits(shape)
}

fn limits(shape: &model::Shape) -> Limits {
    Limits {
        min: shape.min.as_ref().and_then(|n| n.as_f64()),
        max: shape.max.as_ref().and_then(|n| n.as_f64()),
    }
}

/// Boxes every structure member whose type can reach the member's own structure again
/// through structure members alone (lists and maps already store on the heap).
fn box_cycles(shapes: &mut BTreeMap<String, NamedShape>) {
    let edges: BTreeMap<String, Vec<String>> = shapes
        .iter()
        .map(|(name, shape)| {
            let targets = match &shape.kind {
                NamedKind::Structure(s) => s
                    .members
                    .iter()
                    .filter_map(|m| match &m.ty {
                        Type::Structure(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect(),
                NamedKind::Enum(_) => Vec::new(),
            };
            (name.clone(), targets)
        })
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                stack.extend(edges.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    };
    for (name, shape) in shapes.iter_mut() {
        if let NamedKind::Structure(s) = &mut shape.kind {
            for m in &mut s.members {
                if let Type::Structure(t) = &m.ty {
                    m.boxed = reaches(t, name);
                }
            }
        }
    }
}

//! Model → IR. The transforms run here, once, before any emitter:
//! 1. the allow-list selects operations, and only the shapes they reach are kept;
//! 2. every operation gets its own input and output structure (`<Op>Input` / `<Op>Output`),
//!    so shared model shapes never couple two operations' APIs;
//! 3. every Rust name is decided (see [`super::names`]) and duplicates are rejected;
//! 4. structure members that close a cycle are boxed.

use super::names;
use super::*;
use crate::config::ServiceConfig;
use crate::model::{self, ModelError, ServiceModel, ShapeRef, ShapeType};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub type IrError = ModelError;

const NAME_RULE: &str = "names are ASCII letters and digits, starting with a letter";

/// Builds the IR of `model` as `config` asks. `model_file` names the model in errors and
/// generated headers.
pub fn build(model: &ServiceModel, config: &ServiceConfig, model_file: &str) -> Result<Service, Vec<IrError>> {
    let mut b = Builder { model, file: Path::new(model_file), problems: Vec::new() };
    let ops = b.select_operations(&config.allow);
    let reached = b.reachable(&ops, config.allow.is_empty());

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
    b.check_unique_names(&operations, &shapes);
    if !b.problems.is_empty() {
        return Err(b.problems);
    }

    let md = &model.metadata;
    let endpoint_prefix = md.endpoint_prefix.clone().unwrap_or_else(|| config.crate_name.clone());
    Ok(Service {
        crate_name: config.crate_name.clone(),
        version: config.version.clone(),
        description: config.description.clone(),
        model_file: model_file.to_owned(),
        meta: ServiceMeta {
            full_name: md.service_full_name.clone().unwrap_or_else(|| config.crate_name.clone()),
            service_id: md.service_id.clone().unwrap_or_else(|| config.crate_name.clone()),
            api_version: md.api_version.clone(),
            signing_name: md.signing_name.clone().unwrap_or_else(|| endpoint_prefix.clone()),
            endpoint_prefix,
        },
        docs: model.documentation.clone(),
        operations,
        shapes,
        endpoint_rules: None,
        paginators: BTreeMap::new(),
        waiters: BTreeMap::new(),
        examples: BTreeMap::new(),
        warnings: Vec::new(),
    })
}

struct Builder<'a> {
    model: &'a ServiceModel,
    file: &'a Path,
    problems: Vec<IrError>,
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
        let kind = if shape.shape_type == ShapeType::Structure {
            NamedKind::Structure(self.structure(&format!("shapes.{name}"), name, &rust_name))
        } else {
            let values = shape.enum_values.as_ref().filter(|_| shape.shape_type == ShapeType::String)?;
            let variants =
                values.iter().map(|v| Variant { value: v.clone(), rust_name: names::variant_name(v) }).collect();
            NamedKind::Enum(Enum { variants })
        };
        Some(NamedShape {
            name: name.to_owned(),
            module: names::snake_ident(&rust_name),
            rust_name,
            docs: shape.documentation.clone(),
            deprecated: deprecation(shape.deprecated, &shape.deprecated_message),
            kind,
        })
    }

    fn structure(&mut self, at: &str, shape_name: &str, rust_name: &str) -> Structure {
        let shape = &self.model.shapes[shape_name];
        let members = shape
            .members
            .iter()
            .map(|(name, r)| self.member(&format!("{at}.members.{name}"), name, r, shape.required.contains(name)))
            .collect();
        let error = shape.error.as_ref().map(|e| ErrorInfo {
            code: e.code.clone().unwrap_or_else(|| shape_name.to_owned()),
        });
        let error = error.or_else(|| {
            shape.exception.then(|| ErrorInfo { code: shape_name.to_owned() })
        });
        let role = if error.is_some() { Role::Error } else { Role::Data };
        let mut s = Structure { rust_name: rust_name.to_owned(), members, error, role };
        if s.role == Role::Error && !s.members.iter().any(|m| m.field == "message") {
            // Every error carries the service's message, modeled or not (as in smithy-rs).
            s.members.push(synthetic_message());
        }
        s
    }

    fn member(&mut self, at: &str, name: &str, r: &ShapeRef, required: bool) -> Member {
        let target = &self.model.shapes[r.shape.as_str()];
        Member {
            name: name.to_owned(),
            field: names::field_name(name),
            docs: r.documentation.clone().or_else(|| target.documentation.clone()),
            ty: self.type_of(at, r),
            required,
            boxed: false,
            sensitive: target.sensitive,
            deprecated: deprecation(r.deprecated || target.deprecated, &r.deprecated_message),
            idempotency_token: r.idempotency_token,
            wire_name: wire_name(self.model, name, r),
            xml_attribute: r.xml_attribute,
            limits: limits(target),
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
                Type::List(Box::new(ListType {
                    member: member_ty,
                    member_limits: limits(&self.model.shapes[member.shape.as_str()]),
                    member_name: location_name(self.model, member).unwrap_or_else(|| "member".to_owned()),
                    flattened: r.flattened.unwrap_or(shape.flattened),
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
        let snake = names::snake_ident(&op.name);
        let io = |b: &mut Self, r: &Option<model::OperationRef>, suffix: &str| {
            let rust_name = format!("{}{suffix}", names::type_name(&op.name));
            match r {
                Some(r) => b.structure(&format!("shapes.{}", r.shape), &r.shape, &rust_name),
                None => Structure { rust_name, members: Vec::new(), error: None, role: Role::Data },
            }
        };
        let mut input = io(self, &op.input, "Input");
        input.role = Role::Input;
        let mut output = io(self, &op.output, "Output");
        output.role = Role::Output;
        for (i, e) in op.errors.iter().enumerate() {
            if self.model.shapes[e.shape.as_str()].error.is_none() && !self.model.shapes[e.shape.as_str()].exception {
                self.problem(format!("{at}.errors[{i}].shape"), format!("`{}` is not an exception shape", e.shape));
            }
        }
        Operation {
            name: op.name.clone(),
            snake,
            docs: op.documentation.clone(),
            deprecated: deprecation(op.deprecated, &op.deprecated_message),
            http_method: op.http.method.clone(),
            request_uri: op.http.request_uri.clone(),
            host_prefix: op.endpoint.as_ref().and_then(|e| e.host_prefix.clone()),
            input,
            output,
            result_wrapper: self.result_wrapper(op),
            request_compression: op.request_compression.as_ref().is_some_and(|c| c.encodings.iter().any(|e| e == "gzip")),
            unsigned: op.authtype.as_deref() == Some("none") || op.auth.first().is_some_and(|a| a == "smithy.api#noAuth"),
            input_shape: op.input.as_ref().map(|r| r.shape.clone()),
            output_shape: op.output.as_ref().map(|r| r.shape.clone()),
            errors: op.errors.iter().map(|e| e.shape.clone()).collect(),
        }
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

    /// Two model names that map to one Rust name would make code that does not compile (or
    /// silently drops one); report them with both model names.
    fn check_unique_names(&mut self, ops: &BTreeMap<String, Operation>, shapes: &BTreeMap<String, NamedShape>) {
        self.check_identifiers(ops, shapes);
        let mut types: BTreeMap<String, String> = BTreeMap::new();
        // One clash is reported once, though the type, its builder and its module all clash.
        let mut clashed = BTreeSet::new();
        for (name, shape) in shapes {
            let clashes: Vec<(String, String)> = [shape.rust_name.clone(), format!("{}Builder", shape.rust_name)]
                .into_iter()
                .filter_map(|rust| types.insert(rust.clone(), name.clone()).map(|other| (rust, other)))
                .collect();
            if let Some((rust, other)) = clashes.first() {
                self.problem(format!("shapes.{name}"), format!("Rust name `{rust}` is also the name of shape `{other}`"));
                clashed.insert(name);
            }
            // Modules share one folder with the files' names: compare without `r#`.
            match &shape.kind {
                NamedKind::Structure(s) => self.check_members(&format!("shapes.{name}"), s),
                NamedKind::Enum(e) => {
                    let mut seen = BTreeMap::new();
                    for (i, v) in e.variants.iter().enumerate() {
                        if let Some(other) = seen.insert(v.rust_name.clone(), v.value.clone()) {
                            self.problem(
                                format!("shapes.{name}.enum[{i}]"),
                                format!("values `{other}` and `{}` both become variant `{}`", v.value, v.rust_name),
                            );
                        }
                    }
                }
            }
        }
        let mut modules: BTreeMap<&str, &str> = BTreeMap::new();
        for (name, shape) in shapes {
            if let Some(other) = modules.insert(names::bare(&shape.module), name).filter(|_| !clashed.contains(name)) {
                self.problem(format!("shapes.{name}"), format!("module `{}` is also made from shape `{other}`", shape.module));
            }
        }
        let mut op_names: BTreeMap<&str, &str> = BTreeMap::new();
        for (name, op) in ops {
            if let Some(other) = op_names.insert(names::bare(&op.snake), name) {
                self.problem(format!("operations.{name}"), format!("method `{}` is also made from `{other}`", op.snake));
            }
            if let Some(input) = &op.input_shape {
                self.check_members(&format!("shapes.{input}"), &op.input);
            }
            if let Some(output) = &op.output_shape {
                self.check_members(&format!("shapes.{output}"), &op.output);
            }
        }
    }

    /// Shape and operation names become type names as they are (camel-cased); one that
    /// starts with a digit, or is empty, gives none (Smithy forbids such names anyway).
    fn check_identifiers(&mut self, ops: &BTreeMap<String, Operation>, shapes: &BTreeMap<String, NamedShape>) {
        for (name, shape) in shapes {
            if !names::is_type_name(&shape.rust_name) {
                let message = format!("shape name `{name}` makes no Rust type name (`{}`): {NAME_RULE}", shape.rust_name);
                self.problem(format!("shapes.{name}"), message);
            }
        }
        for name in ops.keys() {
            let rust = names::type_name(name);
            if !names::is_type_name(&rust) {
                let message = format!("operation name `{name}` makes no Rust type name (`{rust}`): {NAME_RULE}");
                self.problem(format!("operations.{name}"), message);
            }
        }
    }

    /// Each member yields a field `x` and methods `x`, `set_x`, `get_x`; none may collide.
    fn check_members(&mut self, at: &str, s: &Structure) {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for m in &s.members {
            let bare = names::bare(&m.field);
            let clashes: Vec<(String, &str)> = [bare.to_owned(), format!("set_{bare}"), format!("get_{bare}")]
                .into_iter()
                .filter_map(|method| seen.insert(method.clone(), &m.name).map(|other| (method, other)))
                .collect();
            // The field and its setter and getter clash together: one problem, not three.
            if let Some((method, other)) = clashes.first() {
                self.problem(format!("{at}.members.{}", m.name), format!("Rust name `{method}` is also made from member `{other}`"));
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

/// The `locationName` of a reference: its own, else its target shape's. botocore merges a
/// reference's traits over its target's, so a `locationName` on a shape names every element
/// that holds one (ElastiCache's `PendingLogDeliveryConfigurationList` is read from
/// `<PendingLogDeliveryConfiguration>`, not from the member's name).
fn location_name(model: &ServiceModel, r: &ShapeRef) -> Option<String> {
    r.location_name.clone().or_else(|| model.shapes.get(r.shape.as_str()).and_then(|s| s.location_name.clone()))
}

fn synthetic_message() -> Member {
    Member {
        name: "Message".to_owned(),
        field: "message".to_owned(),
        docs: Some("<p>The message the service sent with the error.</p>".to_owned()),
        ty: Type::String,
        required: false,
        boxed: false,
        sensitive: false,
        deprecated: None,
        idempotency_token: false,
        wire_name: "Message".to_owned(),
        xml_attribute: false,
        limits: Limits::default(),
        synthetic: true,
    }
}

fn deprecation(deprecated: bool, message: &Option<String>) -> Option<Deprecation> {
    deprecated.then(|| Deprecation { message: message.clone() })
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

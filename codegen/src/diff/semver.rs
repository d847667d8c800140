//! Compatibility: the model's changes as changes to the generated crate's API, classified.
//!
//! The rules (README.md, "Model updates and semver") follow from how the generated code
//! looks:
//! - every operation has its own `<Op>Input` / `<Op>Output`, so their members are reported
//!   per operation; shared structures and enums are one type each in `types` (errors in
//!   `types::error`), reported once, by type;
//! - structures are `#[non_exhaustive]` with `Option` fields and builders, so a new member is
//!   additive and a removed one (or one whose Rust type changed) is breaking;
//! - required request members are checked before sending, not by the type system, so a
//!   member that becomes required in a request is breaking (calls that were sent now fail)
//!   and one that stops being required is additive; in responses it only changes docs;
//! - enums and per-operation error enums are `#[non_exhaustive]`: new values and errors are
//!   additive, removed ones breaking;
//! - deprecation adds `#[deprecated]` (a warning): additive.

use super::{Change, DocCount, Impact};
use crate::ir::names;
use crate::model::{Operation, ServiceModel, Shape, ShapeRef, ShapeType};
use std::collections::{BTreeMap, BTreeSet};

/// API changes (unsorted) and the documentation-only count.
pub fn compatibility(old: &ServiceModel, new: &ServiceModel) -> (Vec<Change>, DocCount) {
    let mut ctx = Context {
        old,
        new,
        old_requests: request_reachable(old),
        new_requests: request_reachable(new),
        out: Vec::new(),
    };
    ctx.metadata();
    ctx.operations();
    ctx.named_types();
    let docs = documentation(old, new);
    (ctx.out, docs)
}

struct Context<'a> {
    old: &'a ServiceModel,
    new: &'a ServiceModel,
    /// Structures reachable from some operation's input: the ones whose required members
    /// are validated before sending.
    old_requests: BTreeSet<&'a str>,
    new_requests: BTreeSet<&'a str>,
    out: Vec<Change>,
}

/// Which side of the API a structure is on, for the required-member rules.
#[derive(Clone, Copy)]
struct Validated {
    old: bool,
    new: bool,
}

impl<'a> Context<'a> {
    fn push(&mut self, impact: Impact, subject: &str, message: String, rust: Option<String>) {
        self.out.push(Change { impact, subject: subject.to_owned(), message, rust });
    }

    /// Service metadata the generated crate is built from (`Client` configuration, the API
    /// version it sends, crate docs). Keys the generator does not read are not reported.
    fn metadata(&mut self) {
        let (a, b) = (&self.old.metadata, &self.new.metadata);
        let fields = [
            ("apiVersion", Some(a.api_version.as_str()), Some(b.api_version.as_str()), Impact::Additive),
            ("endpointPrefix", a.endpoint_prefix.as_deref(), b.endpoint_prefix.as_deref(), Impact::Additive),
            ("protocol", Some(a.protocol.as_str()), Some(b.protocol.as_str()), Impact::Additive),
            ("serviceId", a.service_id.as_deref(), b.service_id.as_deref(), Impact::Additive),
            ("signingName", a.signing_name.as_deref(), b.signing_name.as_deref(), Impact::Additive),
            ("xmlNamespace", a.xml_namespace.as_deref(), b.xml_namespace.as_deref(), Impact::Additive),
            ("serviceFullName", a.service_full_name.as_deref(), b.service_full_name.as_deref(), Impact::Documentation),
        ];
        for (key, x, y, impact) in fields {
            if x != y {
                let show = |v: Option<&str>| v.map_or_else(|| "none".to_owned(), |v| format!("`{v}`"));
                self.push(impact, "service", format!("metadata `{key}` changed: {} -> {}", show(x), show(y)), None);
            }
        }
    }

    fn operations(&mut self) {
        let all: BTreeSet<&'a String> = self.old.operations.keys().chain(self.new.operations.keys()).collect();
        for name in all {
            let subject = format!("operation {name}");
            let method = Some(format!("Client::{}", names::snake_ident(name)));
            match (self.old.operations.get(name), self.new.operations.get(name)) {
                (None, Some(_)) => self.push(Impact::Additive, &subject, "new operation".to_owned(), method),
                (Some(_), None) => self.push(Impact::Breaking, &subject, "operation removed".to_owned(), method),
                (Some(a), Some(b)) => self.operation(name, a, b),
                (None, None) => {}
            }
        }
    }

    fn operation(&mut self, name: &str, a: &'a Operation, b: &'a Operation) {
        let subject = format!("operation {name}");
        let rust_op = names::type_name(name);
        if a.deprecated != b.deprecated {
            let message = if b.deprecated { "deprecated" } else { "no longer deprecated" };
            let method = Some(format!("Client::{}", names::snake_ident(name)));
            self.push(Impact::Additive, &subject, message.to_owned(), method);
        }
        let errors = |op: &'a Operation| op.errors.iter().map(|e| e.shape.as_str()).collect::<BTreeSet<_>>();
        let (old_errors, new_errors) = (errors(a), errors(b));
        for e in new_errors.difference(&old_errors) {
            let variant = Some(format!("{rust_op}Error::{}", names::type_name(e)));
            self.push(Impact::Additive, &subject, format!("new error `{e}`"), variant);
        }
        for e in old_errors.difference(&new_errors) {
            let variant = Some(format!("{rust_op}Error::{}", names::type_name(e)));
            self.push(Impact::Breaking, &subject, format!("error `{e}` removed"), variant);
        }
        let shape = |m: &'a ServiceModel, r: &'a Option<crate::model::OperationRef>| {
            r.as_ref().and_then(|r| m.shapes.get(&r.shape))
        };
        let request = Validated { old: true, new: true };
        let (old_in, new_in) = (shape(self.old, &a.input), shape(self.new, &b.input));
        self.members(&format!("{name} request"), &format!("{rust_op}Input"), old_in, new_in, request);
        let response = Validated { old: false, new: false };
        let (old_out, new_out) = (shape(self.old, &a.output), shape(self.new, &b.output));
        self.members(&format!("{name} response"), &format!("{rust_op}Output"), old_out, new_out, response);
    }

    /// The structures and enums that become types of their own, by model name.
    fn named_types(&mut self) {
        let old_named = named_shapes(self.old);
        let new_named = named_shapes(self.new);
        let all: BTreeSet<&'a str> = old_named.keys().chain(new_named.keys()).copied().collect();
        for name in all {
            match (old_named.get(name), new_named.get(name)) {
                (None, Some(s)) => {
                    let (subject, path) = type_subject(name, s);
                    self.push(Impact::Additive, &subject, format!("new {}", kind(s)), Some(path));
                }
                (Some(s), None) => {
                    let (subject, path) = type_subject(name, s);
                    self.push(Impact::Breaking, &subject, format!("{} removed", kind(s)), Some(path));
                }
                (Some(a), Some(b)) => self.named_type(name, a, b),
                (None, None) => {}
            }
        }
    }

    fn named_type(&mut self, name: &'a str, a: &'a Shape, b: &'a Shape) {
        let (subject, path) = type_subject(name, b);
        if kind(a) != kind(b) {
            let message = format!("changed from {} to {}", kind(a), kind(b));
            self.push(Impact::Breaking, &subject, message, Some(path));
            return;
        }
        if a.deprecated != b.deprecated {
            let message = if b.deprecated { "deprecated" } else { "no longer deprecated" };
            self.push(Impact::Additive, &subject, message.to_owned(), Some(path.clone()));
        }
        match (&a.enum_values, &b.enum_values) {
            (Some(x), Some(y)) => {
                let rust = names::type_name(name);
                for v in y.iter().filter(|v| !x.contains(v)) {
                    let variant = Some(format!("{rust}::{}", names::variant_name(v)));
                    self.push(Impact::Additive, &subject, format!("new value `{v}`"), variant);
                }
                for v in x.iter().filter(|v| !y.contains(v)) {
                    let variant = Some(format!("{rust}::{}", names::variant_name(v)));
                    self.push(Impact::Breaking, &subject, format!("value `{v}` removed"), variant);
                }
            }
            _ => {
                let validated =
                    Validated { old: self.old_requests.contains(name), new: self.new_requests.contains(name) };
                self.members(&subject, &names::type_name(name), Some(a), Some(b), validated);
            }
        }
    }

    /// Members of one generated structure (`owner` is its Rust name).
    fn members(
        &mut self,
        subject: &str,
        owner: &str,
        a: Option<&'a Shape>,
        b: Option<&'a Shape>,
        validated: Validated,
    ) {
        let empty = indexmap::IndexMap::new();
        let old_members = a.map_or(&empty, |s| &s.members);
        let new_members = b.map_or(&empty, |s| &s.members);
        let required = |s: Option<&Shape>, m: &str| s.is_some_and(|s| s.required.iter().any(|r| r == m));
        let all: BTreeSet<&String> = old_members.keys().chain(new_members.keys()).collect();
        for m in all {
            let field = Some(format!("{owner}::{}", names::field_name(m)));
            match (old_members.get(m), new_members.get(m)) {
                (None, Some(r)) => {
                    let ty = rust_type(self.new, &r.shape);
                    if required(b, m) && validated.new {
                        self.push(Impact::Breaking, subject, format!("new required member `{m}`: `{ty}`"), field);
                    } else {
                        self.push(Impact::Additive, subject, format!("new member `{m}`: `{ty}`"), field);
                    }
                }
                (Some(_), None) => self.push(Impact::Breaking, subject, format!("member `{m}` removed"), field),
                (Some(x), Some(y)) => {
                    let (was, is) = (required(a, m), required(b, m));
                    self.member(subject, m, field, (x, was), (y, is), validated);
                }
                (None, None) => {}
            }
        }
    }

    fn member(
        &mut self,
        subject: &str,
        m: &str,
        field: Option<String>,
        (x, was_required): (&ShapeRef, bool),
        (y, is_required): (&ShapeRef, bool),
        validated: Validated,
    ) {
        let (tx, ty) = (rust_type(self.old, &x.shape), rust_type(self.new, &y.shape));
        if tx != ty {
            self.push(Impact::Breaking, subject, format!("member `{m}` changed type: `{tx}` -> `{ty}`"), field);
            return;
        }
        match (was_required, is_required) {
            (false, true) if validated.new => {
                self.push(Impact::Breaking, subject, format!("member `{m}` is now required"), field.clone())
            }
            (false, true) => self.push(
                Impact::Documentation,
                subject,
                format!("member `{m}` is now documented as required (not checked in responses)"),
                field.clone(),
            ),
            (true, false) if validated.old => {
                self.push(Impact::Additive, subject, format!("member `{m}` is no longer required"), field.clone())
            }
            (true, false) => self.push(
                Impact::Documentation,
                subject,
                format!("member `{m}` is no longer documented as required (not checked in responses)"),
                field.clone(),
            ),
            _ => {}
        }
        let (dx, dy) = (deprecated(self.old, x), deprecated(self.new, y));
        if dx != dy {
            let message =
                if dy { format!("member `{m}` deprecated") } else { format!("member `{m}` no longer deprecated") };
            self.push(Impact::Additive, subject, message, field.clone());
        }
        if validated.new {
            let (lx, ly) = (limits(self.old, &x.shape), limits(self.new, &y.shape));
            if lx != ly {
                let show = |l: &Option<String>| l.clone().unwrap_or_else(|| "none".to_owned());
                let message = format!("member `{m}` validation limits changed: {} -> {}", show(&lx), show(&ly));
                self.push(Impact::Additive, subject, message, field);
            }
        }
    }
}

/// `type X` or `error X`, and the Rust path of the type.
fn type_subject(name: &str, shape: &Shape) -> (String, String) {
    let rust = names::type_name(name);
    if is_error(shape) {
        (format!("error {name}"), format!("types::error::{rust}"))
    } else {
        (format!("type {name}"), format!("types::{rust}"))
    }
}

fn is_error(shape: &Shape) -> bool {
    shape.error.is_some() || shape.exception
}

fn kind(shape: &Shape) -> &'static str {
    match shape.shape_type {
        ShapeType::Structure if is_error(shape) => "error",
        ShapeType::Structure => "structure",
        _ => "enum",
    }
}

fn is_enum(shape: &Shape) -> bool {
    shape.shape_type == ShapeType::String && shape.enum_values.is_some()
}

/// The Rust type the generator gives a member that targets `shape` (as `ir::build` and
/// `emit::rust_type` decide it): two members have the same Rust type exactly when these
/// strings are equal. Timestamp formats and wire names do not change the type.
pub fn rust_type(model: &ServiceModel, shape: &str) -> String {
    let Some(s) = model.shapes.get(shape) else { return shape.to_owned() };
    match s.shape_type {
        ShapeType::Structure => names::type_name(shape),
        ShapeType::String if s.enum_values.is_some() => names::type_name(shape),
        ShapeType::String | ShapeType::Character => "String".to_owned(),
        ShapeType::Integer => "i32".to_owned(),
        ShapeType::Long => "i64".to_owned(),
        ShapeType::Float => "f32".to_owned(),
        ShapeType::Double => "f64".to_owned(),
        ShapeType::Boolean => "bool".to_owned(),
        ShapeType::Timestamp => "DateTime".to_owned(),
        ShapeType::Blob => "Blob".to_owned(),
        ShapeType::List => match &s.member {
            Some(m) => format!("Vec<{}>", rust_type(model, &m.shape)),
            None => "Vec<?>".to_owned(),
        },
        ShapeType::Map => {
            let part = |r: &Option<ShapeRef>| r.as_ref().map_or_else(|| "?".to_owned(), |r| rust_type(model, &r.shape));
            format!("IndexMap<{}, {}>", part(&s.key), part(&s.value))
        }
    }
}

/// A member is deprecated by its reference or by its target shape (as in `ir::build`).
fn deprecated(model: &ServiceModel, r: &ShapeRef) -> bool {
    r.deprecated || model.shapes.get(&r.shape).is_some_and(|s| s.deprecated)
}

/// The `min`/`max` that generated validators check for a member targeting `shape` (and for
/// a list's items), as `length 1..=4`; `None` when nothing is checked.
fn limits(model: &ServiceModel, shape: &str) -> Option<String> {
    let s = model.shapes.get(shape)?;
    let own = |s: &Shape| -> Option<String> {
        let checked =
            !matches!(s.shape_type, ShapeType::Boolean | ShapeType::Timestamp | ShapeType::Structure) && !is_enum(s);
        if !checked {
            return None;
        }
        let what = match s.shape_type {
            ShapeType::Integer | ShapeType::Long | ShapeType::Float | ShapeType::Double => "value",
            _ => "length",
        };
        Some(match (&s.min, &s.max) {
            (Some(min), Some(max)) => format!("{what} {min}..={max}"),
            (Some(min), None) => format!("{what} at least {min}"),
            (None, Some(max)) => format!("{what} at most {max}"),
            (None, None) => return None,
        })
    };
    let items = match s.shape_type {
        ShapeType::List => s.member.as_ref().and_then(|m| model.shapes.get(&m.shape)).and_then(own),
        _ => None,
    };
    match (own(s), items) {
        (None, None) => None,
        (Some(a), None) => Some(a),
        (None, Some(b)) => Some(format!("items {b}")),
        (Some(a), Some(b)) => Some(format!("{a}, items {b}")),
    }
}

/// Shapes that become named Rust types, as `ir::build` selects them for a whole service:
/// structures and enums reachable from operations' members and errors (not the input and
/// output shapes themselves), and every exception shape.
fn named_shapes(model: &ServiceModel) -> BTreeMap<&str, &Shape> {
    let mut stack: Vec<&str> = model.shapes.iter().filter(|(_, s)| is_error(s)).map(|(n, _)| n.as_str()).collect();
    for op in model.operations.values() {
        for r in [&op.input, &op.output].into_iter().flatten() {
            if let Some(s) = model.shapes.get(&r.shape) {
                stack.extend(s.members.values().map(|m| m.shape.as_str()));
            }
        }
        stack.extend(op.errors.iter().map(|e| e.shape.as_str()));
    }
    let mut named = BTreeMap::new();
    walk(model, stack, |name, shape| {
        if shape.shape_type == ShapeType::Structure || is_enum(shape) {
            named.insert(name, shape);
        }
    });
    named
}

/// Structures reachable from operation inputs' members (the ones validated before sending).
fn request_reachable(model: &ServiceModel) -> BTreeSet<&str> {
    let mut stack = Vec::new();
    for op in model.operations.values() {
        if let Some(s) = op.input.as_ref().and_then(|r| model.shapes.get(&r.shape)) {
            stack.extend(s.members.values().map(|m| m.shape.as_str()));
        }
    }
    let mut reached = BTreeSet::new();
    walk(model, stack, |name, shape| {
        if shape.shape_type == ShapeType::Structure {
            reached.insert(name);
        }
    });
    reached
}

/// Depth-first through members, list members and map keys and values from `stack`,
/// visiting each shape once (which also ends cycles).
fn walk<'a>(model: &'a ServiceModel, mut stack: Vec<&'a str>, mut visit: impl FnMut(&'a str, &'a Shape)) {
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        let Some(shape) = model.shapes.get(name) else { continue };
        if !seen.insert(name) {
            continue;
        }
        visit(name, shape);
        stack.extend(shape.members.values().map(|m| m.shape.as_str()));
        stack.extend([&shape.member, &shape.key, &shape.value].into_iter().flatten().map(|r| r.shape.as_str()));
    }
}

/// Operations and shapes (present on both sides) whose documentation or deprecation
/// message changed.
fn documentation(old: &ServiceModel, new: &ServiceModel) -> DocCount {
    let mut count = DocCount { service: old.documentation != new.documentation, ..DocCount::default() };
    for (name, a) in &old.operations {
        let Some(b) = new.operations.get(name) else { continue };
        let (ea, eb) = (io_docs(a), io_docs(b));
        let errors_same = ea.1.iter().all(|(k, v)| eb.1.get(k).is_none_or(|w| v == w));
        if a.documentation != b.documentation
            || a.deprecated_message != b.deprecated_message
            || ea.0 != eb.0
            || !errors_same
        {
            count.operations += 1;
        }
    }
    for (name, a) in &old.shapes {
        let Some(b) = new.shapes.get(name) else { continue };
        let members_same =
            a.members.iter().all(|(m, x)| b.members.get(m).is_none_or(|y| refs_docs(Some(x)) == refs_docs(Some(y))));
        let parts_same = [(&a.member, &b.member), (&a.key, &b.key), (&a.value, &b.value)]
            .iter()
            .all(|(x, y)| refs_docs(x.as_ref()) == refs_docs(y.as_ref()));
        if a.documentation != b.documentation
            || a.deprecated_message != b.deprecated_message
            || !members_same
            || !parts_same
        {
            count.shapes += 1;
        }
    }
    count
}

/// What a reference documents: its text and deprecation message.
fn refs_docs(r: Option<&ShapeRef>) -> Option<(&Option<String>, &Option<String>)> {
    r.map(|r| (&r.documentation, &r.deprecated_message))
}

/// Documentation on an operation's input and output references, and on its errors by shape.
type IoDocs<'a> = ([Option<&'a Option<String>>; 2], BTreeMap<&'a String, &'a Option<String>>);

fn io_docs(o: &Operation) -> IoDocs<'_> {
    let refs = [&o.input, &o.output].map(|r| r.as_ref().map(|r| &r.documentation));
    (refs, o.errors.iter().map(|e| (&e.shape, &e.documentation)).collect())
}

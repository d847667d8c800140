//! Examples from `examples-1.json`, checked against the operations' input types: each one
//! that fits becomes typed values the emitter writes as builder calls; one that does not
//! (a member renamed since, a value of the wrong kind) is reported, not silently dropped.

use super::{Ident, Literal, NamedKind, Service, Structure, Type};
use crate::model::examples as model;
use crate::model::ServiceModel;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Example {
    pub title: Option<String>,
    pub description: Option<String>,
    /// The input's members, in the example's order.
    pub input: Vec<Setting>,
    /// The example's output, as the model gives it.
    pub output: Option<Literal>,
}

/// One member set on a builder.
#[derive(Debug, Clone)]
pub struct Setting {
    /// The builder method (the member's Rust field name).
    pub field: Ident,
    pub value: Value,
}

#[derive(Debug, Clone)]
pub enum Value {
    Str(String),
    Bool(bool),
    Int(i64),
    /// A number for a `float` (`single`) or `double` member.
    Float { value: f64, single: bool },
    /// A timestamp, as the example writes it.
    Timestamp(String),
    /// A list: the builder method is called once per item.
    List(Vec<Value>),
    /// A map: the builder method is called once per entry.
    Map(Vec<(String, Value)>),
    /// A structure built with its own builder: the shape's key.
    Struct { shape: String, settings: Vec<Setting> },
}

/// Examples by operation, and what was left out and why. `service` is the whole model, to
/// tell an operation the allow-list leaves out from one that does not exist.
pub fn build(service: &ServiceModel, svc: &Service, file: &model::Examples) -> (BTreeMap<String, Vec<Example>>, Vec<Misfit>) {
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (op_name, examples) in &file.examples {
        let Some(op) = svc.operations.get(op_name) else {
            if !service.operations.contains_key(op_name) {
                problems.push((format!("examples.{op_name}"), format!("`{op_name}` is not an operation of the model; its examples are left out")));
            }
            continue;
        };
        for (i, e) in examples.iter().enumerate() {
            let at = format!("examples.{op_name}[{i}].input");
            let input = e.input.clone().unwrap_or(serde_json::Value::Object(Default::default()));
            match settings(svc, &op.input, &input, &at) {
                Ok(input) => out.entry(op_name.clone()).or_insert_with(Vec::new).push(Example {
                    title: e.title.clone(),
                    description: e.description.clone(),
                    input,
                    output: e.output.as_ref().map(Literal::from_json),
                }),
                Err((path, m)) => problems.push((path, format!("{m}; the example is left out"))),
            }
        }
    }
    (out, problems)
}

/// Why an example does not fit: JSON path, message.
pub type Misfit = (String, String);

fn settings(svc: &Service, s: &Structure, v: &serde_json::Value, at: &str) -> Result<Vec<Setting>, Misfit> {
    let obj = v.as_object().ok_or_else(|| (at.to_owned(), format!("expected an object for `{}`", s.rust_name)))?;
    obj.iter()
        .map(|(name, value)| {
            let m = s
                .members
                .iter()
                .find(|m| m.name == *name)
                .ok_or_else(|| (format!("{at}.{name}"), format!("`{}` has no member `{name}`", s.rust_name)))?;
            Ok(Setting { field: m.field.clone(), value: value_of(svc, &m.ty, value, &format!("{at}.{name}"))? })
        })
        .collect()
}

fn value_of(svc: &Service, ty: &Type, v: &serde_json::Value, at: &str) -> Result<Value, Misfit> {
    use serde_json::Value as J;
    let wrong = |what: &str| Err((at.to_owned(), format!("expected {what}, found {v}")));
    match (ty, v) {
        (Type::String | Type::Enum(_), J::String(s)) => Ok(Value::Str(s.clone())),
        (Type::Blob, J::String(s)) => Ok(Value::Str(s.clone())),
        (Type::Boolean, J::Bool(b)) => Ok(Value::Bool(*b)),
        (Type::Integer | Type::Long, J::Number(n)) => n.as_i64().map(Value::Int).map_or_else(|| wrong("an integer"), Ok),
        (Type::Float | Type::Double, J::Number(n)) => match n.as_f64() {
            Some(value) => Ok(Value::Float { value, single: matches!(ty, Type::Float) }),
            None => wrong("a number"),
        },
        (Type::Timestamp(_), J::String(s)) => Ok(Value::Timestamp(s.clone())),
        (Type::List(l), J::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| value_of(svc, &l.member, item, &format!("{at}[{i}]")))
            .collect::<Result<_, _>>()
            .map(Value::List),
        (Type::Map(m), J::Object(entries)) => entries
            .iter()
            .map(|(k, item)| Ok((k.clone(), value_of(svc, &m.value, item, &format!("{at}.{k}"))?)))
            .collect::<Result<_, Misfit>>()
            .map(Value::Map),
        (Type::Structure(key), J::Object(_)) => {
            let shape = svc.shape(key);
            let NamedKind::Structure(s) = &shape.kind else { return wrong("a structure") };
            Ok(Value::Struct { shape: key.clone(), settings: settings(svc, s, v, at)? })
        }
        (Type::String | Type::Enum(_) | Type::Blob | Type::Timestamp(_), _) => wrong("a string"),
        (Type::Boolean, _) => wrong("a boolean"),
        (Type::Integer | Type::Long | Type::Float | Type::Double, _) => wrong("a number"),
        (Type::List(_), _) => wrong("a list"),
        (Type::Map(_) | Type::Structure(_), _) => wrong("an object"),
    }
}

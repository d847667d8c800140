//! Reading a model file and checking it before anything else looks at it.
//!
//! Every problem is reported with the file, the JSON path of the offending value
//! (`shapes.CopySnapshotMessage.members.TargetBucket.shape`) and what is wrong. Validation
//! collects all problems instead of stopping at the first, so one run shows them all.

use super::{ServiceModel, Shape, ShapeRef, ShapeType};
use serde::de::DeserializeOwned;
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in a model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    pub file: PathBuf,
    /// Dotted JSON path of the value at fault; empty for the document as a whole.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}: at {}: {}", self.file.display(), self.path, self.message)
        }
    }
}

impl std::error::Error for ModelError {}

/// Reads and validates a `service-2.json`.
pub fn load_service(file: &Path) -> Result<ServiceModel, Vec<ModelError>> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        vec![ModelError { file: file.to_owned(), path: String::new(), message: format!("cannot read: {e}") }]
    })?;
    parse_service(file, &text)
}

/// Parses and validates model text; `file` is only used to name the source in errors.
pub fn parse_service(file: &Path, text: &str) -> Result<ServiceModel, Vec<ModelError>> {
    let model: ServiceModel = from_json(file, text).map_err(|e| vec![e])?;
    let problems = validate(&model, file);
    if problems.is_empty() {
        Ok(model)
    } else {
        Err(problems)
    }
}

/// Deserializes one JSON file of a model (the service, paginators, waiters, …); the problem
/// names `file` and the JSON path of the value at fault.
pub fn from_json<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, ModelError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (path, message) = if inner.is_syntax() || inner.is_eof() {
            // No value is at fault when the text itself is broken (the path would be wherever
            // the parser stopped, `shapes.A.?`); the line and column in the message say where.
            (String::new(), format!("not valid JSON: {inner}"))
        } else if path == "." {
            // serde_path_to_error prints "." for the root.
            (String::new(), inner.to_string())
        } else {
            (path, inner.to_string())
        };
        ModelError { file: file.to_owned(), path, message }
    })
}

/// Checks what serde cannot: references resolve, and each kind of shape has the keys it needs.
fn validate(model: &ServiceModel, file: &Path) -> Vec<ModelError> {
    let mut v = Validator { model, file, problems: Vec::new() };
    // The serializers and deserializers this generator emits are the query family's;
    // another protocol would make a crate that compiles and sends wrong requests.
    if super::Protocol::from_metadata(&model.metadata.protocol).is_none() {
        v.problem(
            "metadata.protocol".to_owned(),
            format!("protocol `{}` is not supported: this generator implements `query` and `ec2`", model.metadata.protocol),
        );
    }
    for (name, op) in &model.operations {
        let at = format!("operations.{name}");
        if op.name != *name {
            v.problem(format!("{at}.name"), format!("operation is keyed `{name}` but named `{}`", op.name));
        }
        for (key, r) in [("input", &op.input), ("output", &op.output)] {
            if let Some(r) = r {
                v.expect_structure(&format!("{at}.{key}.shape"), &r.shape);
            }
        }
        for (i, e) in op.errors.iter().enumerate() {
            v.expect_structure(&format!("{at}.errors[{i}].shape"), &e.shape);
        }
    }
    for (name, shape) in &model.shapes {
        v.shape(&format!("shapes.{name}"), shape);
        if matches!(shape.shape_type, ShapeType::List | ShapeType::Map) {
            v.container_cycle(&format!("shapes.{name}"), name);
        }
    }
    v.problems
}

struct Validator<'a> {
    model: &'a ServiceModel,
    file: &'a Path,
    problems: Vec<ModelError>,
}

impl Validator<'_> {
    fn problem(&mut self, path: String, message: String) {
        self.problems.push(ModelError { file: self.file.to_owned(), path, message });
    }

    /// Resolves a reference, reporting a dangling one.
    fn resolve(&mut self, path: &str, target: &str) -> Option<&Shape> {
        let found = self.model.shapes.get(target);
        if found.is_none() {
            self.problem(path.to_owned(), format!("refers to shape `{target}`, which the model does not define"));
        }
        found
    }

    fn expect_structure(&mut self, path: &str, target: &str) {
        if let Some(shape) = self.resolve(path, target) {
            if shape.shape_type != ShapeType::Structure {
                let found = shape.shape_type.as_str();
                self.problem(path.to_owned(), format!("`{target}` must be a structure, but it is a {found}"));
            }
        }
    }

    /// A list or map that holds itself through lists and maps alone is a type without end
    /// (generation would recurse forever); recursion needs a structure in the cycle.
    fn container_cycle(&mut self, at: &str, name: &str) {
        let is_container = |s: &Shape| matches!(s.shape_type, ShapeType::List | ShapeType::Map);
        let mut seen = BTreeSet::new();
        let mut stack = vec![vec![name]];
        while let Some(chain) = stack.pop() {
            let Some(shape) = chain.last().and_then(|last| self.model.shapes.get(*last)) else { continue };
            for r in [&shape.member, &shape.key, &shape.value].into_iter().flatten() {
                let target = r.shape.as_str();
                if target == name {
                    let cycle = [chain.as_slice(), &[name]].concat().join(" → ");
                    let message = format!("`{name}` holds itself through lists and maps alone ({cycle}): a recursive shape needs a structure in its cycle");
                    self.problem(at.to_owned(), message);
                    return;
                }
                if self.model.shapes.get(target).is_some_and(is_container) && seen.insert(target) {
                    stack.push([chain.as_slice(), &[target]].concat());
                }
            }
        }
    }

    fn member_ref(&mut self, path: &str, r: &ShapeRef) {
        self.resolve(&format!("{path}.shape"), &r.shape);
    }

    fn shape(&mut self, at: &str, shape: &Shape) {
        match shape.shape_type {
            ShapeType::Structure => {
                for (name, member) in &shape.members {
                    self.member_ref(&format!("{at}.members.{name}"), member);
                }
                for (i, name) in shape.required.iter().enumerate() {
                    if !shape.members.contains_key(name) {
                        self.problem(format!("{at}.required[{i}]"), format!("`{name}` is required but is not a member"));
                    }
                }
            }
            ShapeType::List => match &shape.member {
                Some(member) => self.member_ref(&format!("{at}.member"), member),
                None => self.problem(at.to_owned(), "a list shape needs a `member`".to_owned()),
            },
            ShapeType::Map => {
                for (key, r) in [("key", &shape.key), ("value", &shape.value)] {
                    match r {
                        Some(r) => self.member_ref(&format!("{at}.{key}"), r),
                        None => self.problem(at.to_owned(), format!("a map shape needs a `{key}`")),
                    }
                }
                if let Some(key) = &shape.key {
                    if let Some(k) = self.model.shapes.get(&key.shape) {
                        if k.shape_type != ShapeType::String {
                            let found = k.shape_type.as_str();
                            self.problem(format!("{at}.key.shape"), format!("map keys must be strings, not {found}"));
                        }
                    }
                }
            }
            _ => {
                if let Some(values) = &shape.enum_values {
                    if !matches!(shape.shape_type, ShapeType::String | ShapeType::Integer | ShapeType::Long) {
                        self.problem(format!("{at}.enum"), "only string and integer shapes can have `enum`".to_owned());
                    } else if values.is_empty() {
                        self.problem(format!("{at}.enum"), "`enum` has no values".to_owned());
                    }
                }
            }
        }
        if let Some(format) = &shape.timestamp_format {
            if !matches!(format.as_str(), "iso8601" | "rfc822" | "unixTimestamp") {
                self.problem(format!("{at}.timestampFormat"), format!("unknown timestamp format `{format}`"));
            }
        }
    }
}

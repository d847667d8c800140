//! Paginators from `paginators-1.json`, resolved against the operations' input and output
//! types: every token, limit and result key is a typed member path.

use super::names::{self, Ident};
use super::{NamedKind, Operation, Service, Structure, Type};
use crate::model::paginators as model;
use crate::model::ServiceModel;
use std::collections::BTreeMap;

/// One paginated operation.
#[derive(Debug, Clone)]
pub struct Paginator {
    pub operation: String,
    /// The paginator of pages: `{Op}Paginator`.
    pub type_name: Ident,
    /// The input member that carries the token (`Marker`).
    pub input_token: FieldPath,
    /// Where the output carries the next token (`EngineDefaults.Marker`, `Jobs[-1].JobId`).
    pub output_token: FieldPath,
    /// The input member that sets the page size (`MaxRecords`).
    pub limit_key: Option<FieldPath>,
    /// The lists of items (`CacheClusters`), in model order; a key that is not a list
    /// (a string botocore concatenates across pages) gives each page's value as one item.
    pub result_keys: Vec<ResultKey>,
    /// A boolean that says whether there are more pages.
    pub more_results: Option<FieldPath>,
    /// Output members botocore does not aggregate across pages (read from each page).
    pub non_aggregate_keys: Vec<FieldPath>,
}

/// A result key and the paginator over its items.
#[derive(Debug, Clone)]
pub struct ResultKey {
    pub path: FieldPath,
    /// The paginator's method that gives the items (`items`) and its type
    /// (`{Op}PaginatorItems`).
    pub method: Ident,
    pub type_name: Ident,
}

/// A dotted member path, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    /// As the model writes it.
    pub model: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Rust field name.
    pub field: Ident,
    pub boxed: bool,
    /// The type of the value the step gives: the member's, or its item's after an index.
    pub ty: Type,
    /// `Name[n]`: the `n`th item of the list member (from the end when negative).
    pub index: Option<i64>,
}

impl FieldPath {
    /// The type at the end of the path.
    pub fn ty(&self) -> &Type {
        &self.steps[self.steps.len() - 1].ty
    }

    /// Some step indexes a list.
    pub fn has_index(&self) -> bool {
        self.steps.iter().any(|s| s.index.is_some())
    }
}

/// `Name` or `Name[n]` (JMESPath's index, `-1` the last item).
fn split_index(part: &str) -> Result<(&str, Option<i64>), String> {
    let Some(open) = part.find('[') else { return Ok((part, None)) };
    let index = part[open..]
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("`{part}`: only a member name or `Name[n]` (an index) is supported here"))?;
    Ok((&part[..open], Some(index)))
}

/// Resolves `path` from structure `root`; `Err` says what is wrong. A segment may index a
/// list member (`Jobs[-1].JobId`).
pub fn resolve(svc: &Service, root: &Structure, path: &str) -> Result<FieldPath, String> {
    let mut steps = Vec::new();
    let mut current = root;
    for (i, segment) in path.split('.').enumerate() {
        let (part, index) = split_index(segment)?;
        let member = current
            .members
            .iter()
            .find(|m| m.name == part)
            .ok_or_else(|| match i {
                0 => format!("`{part}` is not a member of `{}`", current.rust_name),
                _ => format!("`{path}`: `{part}` is not a member of `{}`", current.rust_name),
            })?;
        let ty = match (&member.ty, index) {
            (ty, None) => ty.clone(),
            (Type::List(l), Some(_)) => l.member.clone(),
            (_, Some(_)) => return Err(format!("`{path}`: `{part}` is not a list, so it cannot be indexed")),
        };
        let last = i + 1 == path.split('.').count();
        if !last {
            current = match &ty {
                Type::Structure(key) => match &svc.shape(key).kind {
                    NamedKind::Structure(s) => s,
                    NamedKind::Enum(_) => return Err(format!("`{path}`: `{part}` is not a structure")),
                },
                _ => return Err(format!("`{path}`: `{part}` is not a structure")),
            };
        }
        steps.push(Step { field: member.field.clone(), boxed: member.boxed, ty, index });
    }
    Ok(FieldPath { model: path.to_owned(), steps })
}

/// Resolves every paginator of a generated operation; problems are `(JSON path, message)`.
/// `service` is the whole model, to tell an operation the allow-list leaves out from one
/// that does not exist.
pub fn build(service: &ServiceModel, svc: &Service, file: &model::Paginators) -> Result<BTreeMap<String, Paginator>, Vec<(String, String)>> {
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, p) in &file.pagination {
        let at = format!("pagination.{name}");
        let Some(op) = svc.operations.get(name) else {
            // Operations left out by the allow-list have no paginator to generate.
            if !service.operations.contains_key(name) {
                problems.push((at, format!("`{name}` is not an operation of the model")));
            }
            continue;
        };
        match paginator(svc, op, p) {
            Ok(p) => {
                out.insert(name.clone(), p);
            }
            Err(e) => problems.extend(e.into_iter().map(|(k, m)| (format!("{at}.{k}"), m))),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn paginator(svc: &Service, op: &Operation, p: &model::Paginator) -> Result<Paginator, Vec<(String, String)>> {
    let mut problems = Vec::new();
    fn expect(
        svc: &Service,
        problems: &mut Vec<(String, String)>,
        (key, root, path): (&str, &Structure, &str),
        ok: fn(&Type) -> bool,
        what: &str,
    ) -> Option<FieldPath> {
        match resolve(svc, root, path) {
            Ok(fp) if ok(fp.ty()) && (key == "output_token" || !fp.has_index()) => Some(fp),
            Ok(fp) if fp.has_index() && key != "output_token" => {
                problems.push((key.to_owned(), format!("`{path}`: an index is supported in `output_token` only")));
                None
            }
            Ok(_) => {
                problems.push((key.to_owned(), format!("`{path}` must be {what}")));
                None
            }
            Err(e) => {
                problems.push((key.to_owned(), e));
                None
            }
        }
    }
    let input_tokens = p.input_token.to_vec();
    let output_tokens = p.output_token.to_vec();
    let is_string = |t: &Type| matches!(t, Type::String);
    let input_token = match input_tokens.as_slice() {
        [one] if one.contains('.') => {
            problems.push(("input_token".into(), format!("`{one}`: the input token must be a member of the input itself")));
            None
        }
        [one] => expect(svc, &mut problems, ("input_token", &op.input, one), is_string, "a string member of the input"),
        _ => {
            problems.push(("input_token".into(), "several input tokens are not supported".into()));
            None
        }
    };
    let output_token = match output_tokens.as_slice() {
        // Only the output token may index a list (`Jobs[-1].JobId`: the last item's id).
        [one] => expect(svc, &mut problems, ("output_token", &op.output, one), is_string, "a string member of the output"),
        _ => {
            problems.push(("output_token".into(), "several output tokens are not supported".into()));
            None
        }
    };
    let limit_key = p
        .limit_key
        .as_ref()
        .and_then(|k| expect(svc, &mut problems, ("limit_key", &op.input, k), |t| matches!(t, Type::Integer | Type::Long), "an integer member"));
    let result_keys: Vec<FieldPath> = p
        .result_key
        .as_ref()
        .map(model::OneOrMany::to_vec)
        .unwrap_or_default()
        .iter()
        .filter_map(|k| {
            // A list's items, or a string botocore concatenates (a number it adds up).
            let aggregatable =
                |t: &Type| matches!(t, Type::List(_) | Type::String | Type::Integer | Type::Long | Type::Float | Type::Double);
            expect(svc, &mut problems, ("result_key", &op.output, k), aggregatable, "a list, string or number member of the output")
        })
        .collect();
    let non_aggregate_keys: Vec<FieldPath> = p
        .non_aggregate_keys
        .iter()
        .enumerate()
        .filter_map(|(i, k)| expect(svc, &mut problems, (&format!("non_aggregate_keys[{i}]"), &op.output, k), |_| true, "a member"))
        .collect();
    let more_results =
        p.more_results.as_ref().and_then(|k| expect(svc, &mut problems, ("more_results", &op.output, k), |t| matches!(t, Type::Boolean), "a boolean"));
    match (input_token, output_token) {
        (Some(input_token), Some(output_token)) if problems.is_empty() => Ok(Paginator {
            operation: op.name.clone(),
            type_name: names::paginator(&op.type_name),
            input_token,
            output_token,
            limit_key,
            result_keys: result_keys
                .into_iter()
                .enumerate()
                .map(|(i, path)| {
                    // The first key's items are `items()`, as in aws-sdk-rust; others are named by their path.
                    let key = (i > 0).then_some(path.model.as_str());
                    ResultKey {
                        method: names::items_method(key),
                        type_name: names::items_paginator(&op.type_name, key),
                        path,
                    }
                })
                .collect(),
            more_results,
            non_aggregate_keys,
        }),
        _ => Err(problems),
    }
}

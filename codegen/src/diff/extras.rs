//! Paginators (`paginators-1.json`) and waiters (`waiters-2.json`), compared.
//!
//! These files are read as plain JSON: botocore's format is loose (a `result_key` is a string
//! or a list) and only a few keys matter here. The classes follow the generated API:
//! `<Op>FluentBuilder::into_paginator()`, whose `page_size()` comes from the limit key and
//! whose `items()` yields the result key's items; `Waiters::wait_until_<name>()`, whose
//! builder takes the polled operation's input. Tokens, acceptors, delays and attempts only
//! change what is sent and when.

use super::{Change, Impact};
use crate::ir::names;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// `pagination` entries, by operation.
pub fn paginators(old: &Value, new: &Value, out: &mut Vec<Change>) {
    let (a, b) = (section(old, "pagination"), section(new, "pagination"));
    for name in keys(a, b) {
        let subject = format!("paginator {name}");
        let rust = Some(format!("{}FluentBuilder::into_paginator", names::type_name(name)));
        let mut push = |impact, message: String| {
            out.push(Change { impact, subject: subject.clone(), message, rust: rust.clone() })
        };
        match (a.get(name), b.get(name)) {
            (None, Some(_)) => push(Impact::Additive, "new paginator".to_owned()),
            (Some(_), None) => push(Impact::Breaking, "paginator removed".to_owned()),
            (Some(x), Some(y)) => {
                for key in keys_of(x, y) {
                    let (vx, vy) = (x.get(key.as_str()), y.get(key.as_str()));
                    if vx == vy {
                        continue;
                    }
                    // The result key types `items()`, and the limit key is `page_size()`.
                    let impact = match (key.as_str(), vx, vy) {
                        ("result_key", _, _) | ("limit_key", Some(_), None) => Impact::Breaking,
                        _ => Impact::Additive,
                    };
                    push(impact, format!("`{key}` changed: {} -> {}", show(vx), show(vy)));
                }
            }
            (None, None) => {}
        }
    }
}

/// `waiters` entries, by waiter name.
pub fn waiters(old: &Value, new: &Value, out: &mut Vec<Change>) {
    let (a, b) = (section(old, "waiters"), section(new, "waiters"));
    for name in keys(a, b) {
        let subject = format!("waiter {name}");
        let rust = Some(format!("Waiters::wait_until_{}", names::bare(&names::snake_ident(name))));
        let mut push = |impact, message: String| {
            out.push(Change { impact, subject: subject.clone(), message, rust: rust.clone() })
        };
        match (a.get(name), b.get(name)) {
            (None, Some(_)) => push(Impact::Additive, "new waiter".to_owned()),
            (Some(_), None) => push(Impact::Breaking, "waiter removed".to_owned()),
            (Some(x), Some(y)) => {
                for key in keys_of(x, y) {
                    let (vx, vy) = (x.get(key.as_str()), y.get(key.as_str()));
                    if vx == vy {
                        continue;
                    }
                    // The operation decides the waiter builder's input.
                    let (impact, message) = match key.as_str() {
                        "operation" => (Impact::Breaking, format!("`operation` changed: {} -> {}", show(vx), show(vy))),
                        "description" => (Impact::Documentation, "`description` changed".to_owned()),
                        "acceptors" => (Impact::Additive, "`acceptors` changed".to_owned()),
                        _ => (Impact::Additive, format!("`{key}` changed: {} -> {}", show(vx), show(vy))),
                    };
                    push(impact, message);
                }
            }
            (None, None) => {}
        }
    }
}

/// The object under `key`, or an empty one (a file without it has no entries).
fn section<'v>(file: &'v Value, key: &str) -> &'v Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    file.get(key).and_then(Value::as_object).unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// Keys of both objects, sorted.
fn keys<'v>(a: &'v Map<String, Value>, b: &'v Map<String, Value>) -> BTreeSet<&'v str> {
    a.keys().chain(b.keys()).map(String::as_str).collect()
}

/// Keys of two entries (objects; anything else has none), sorted.
fn keys_of(a: &Value, b: &Value) -> BTreeSet<String> {
    let object_keys = |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    object_keys(a).into_iter().chain(object_keys(b)).collect()
}

/// A JSON value on one line, `none` for a missing one.
fn show(v: Option<&Value>) -> String {
    match v {
        None => "none".to_owned(),
        Some(Value::String(s)) => format!("`{s}`"),
        Some(other) => format!("`{other}`"),
    }
}

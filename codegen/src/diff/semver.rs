//! Compatibility: two API surfaces ([`super::surface`]) compared, every difference a change
//! to a Rust item, classified.
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

use super::surface::{ItemDocs, MemberApi, OperationApi, PaginatorApi, StructApi, Surface, TypeApi, WaiterApi};
use super::{Change, DocCount, Impact};
use std::collections::{BTreeMap, BTreeSet};

/// API changes (unsorted) and the documentation-only count.
pub fn compatibility(old: &Surface, new: &Surface) -> (Vec<Change>, DocCount) {
    let mut out = Changes(Vec::new());
    out.metadata(old, new);
    for (name, a, b) in pairs(&old.operations, &new.operations) {
        out.operation(name, a, b);
    }
    for (name, a, b) in pairs(&old.types, &new.types) {
        out.named_type(name, a, b);
    }
    if let (Some(a), Some(b)) = (&old.paginators, &new.paginators) {
        for (name, x, y) in pairs(a, b) {
            out.paginator(name, x, y);
        }
    }
    if let (Some(a), Some(b)) = (&old.waiters, &new.waiters) {
        for (name, x, y) in pairs(a, b) {
            out.waiter(name, x, y);
        }
    }
    (out.0, documentation(old, new))
}

/// Every key of either map, sorted, with what each side has.
fn pairs<'a, T>(a: &'a BTreeMap<String, T>, b: &'a BTreeMap<String, T>) -> Vec<(&'a str, Option<&'a T>, Option<&'a T>)> {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter().map(|k| (k.as_str(), a.get(k), b.get(k))).collect()
}

struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, impact: Impact, subject: &str, message: String, rust: Option<&str>) {
        self.0.push(Change { impact, subject: subject.to_owned(), message, rust: rust.map(str::to_owned) });
    }

    /// Service metadata the generated crate is built from (`Client` configuration, the API
    /// version it sends, crate docs).
    fn metadata(&mut self, old: &Surface, new: &Surface) {
        let show = |v: &Option<String>| v.as_ref().map_or_else(|| "none".to_owned(), |v| format!("`{v}`"));
        for ((key, x), (_, y)) in old.meta.iter().zip(&new.meta) {
            if x != y {
                let message = format!("metadata `{key}` changed: {} -> {}", show(x), show(y));
                self.push(Impact::Additive, "service", message, None);
            }
        }
        if old.full_name != new.full_name {
            let message = format!("metadata `serviceFullName` changed: {} -> {}", show(&old.full_name), show(&new.full_name));
            self.push(Impact::Documentation, "service", message, None);
        }
    }

    fn operation(&mut self, name: &str, a: Option<&OperationApi>, b: Option<&OperationApi>) {
        let subject = format!("operation {name}");
        let (a, b) = match (a, b) {
            (None, Some(b)) => return self.push(Impact::Additive, &subject, "new operation".to_owned(), Some(&b.method)),
            (Some(a), None) => return self.push(Impact::Breaking, &subject, "operation removed".to_owned(), Some(&a.method)),
            (Some(a), Some(b)) => (a, b),
            (None, None) => return,
        };
        if a.deprecated != b.deprecated {
            let message = if b.deprecated { "deprecated" } else { "no longer deprecated" };
            self.push(Impact::Additive, &subject, message.to_owned(), Some(&b.method));
        }
        for (e, x, y) in pairs(&a.errors, &b.errors) {
            match (x, y) {
                (None, Some(v)) => self.push(Impact::Additive, &subject, format!("new error `{e}`"), Some(v)),
                (Some(v), None) => self.push(Impact::Breaking, &subject, format!("error `{e}` removed"), Some(v)),
                _ => {}
            }
        }
        self.members(&format!("{name} request"), &a.input, &b.input);
        self.members(&format!("{name} response"), &a.output, &b.output);
    }

    fn named_type(&mut self, name: &str, a: Option<&TypeApi>, b: Option<&TypeApi>) {
        let subject = |t: &TypeApi| match t {
            TypeApi::Structure { error: true, .. } => format!("error {name}"),
            _ => format!("type {name}"),
        };
        let (a, b) = match (a, b) {
            (None, Some(b)) => return self.push(Impact::Additive, &subject(b), format!("new {}", b.kind()), Some(b.path())),
            (Some(a), None) => return self.push(Impact::Breaking, &subject(a), format!("{} removed", a.kind()), Some(a.path())),
            (Some(a), Some(b)) => (a, b),
            (None, None) => return,
        };
        let subject = subject(b);
        if a.kind() != b.kind() {
            self.push(Impact::Breaking, &subject, format!("changed from {} to {}", a.kind(), b.kind()), Some(b.path()));
            return;
        }
        if a.deprecated() != b.deprecated() {
            let message = if b.deprecated() { "deprecated" } else { "no longer deprecated" };
            self.push(Impact::Additive, &subject, message.to_owned(), Some(b.path()));
        }
        match (a, b) {
            (TypeApi::Enum { variants: x, .. }, TypeApi::Enum { variants: y, .. }) => {
                for (value, v, w) in pairs(x, y) {
                    match (v, w) {
                        (None, Some(w)) => self.push(Impact::Additive, &subject, format!("new value `{value}`"), Some(w)),
                        (Some(v), None) => self.push(Impact::Breaking, &subject, format!("value `{value}` removed"), Some(v)),
                        (Some(v), Some(w)) if v != w => {
                            let message = format!("value `{value}` renamed: `{v}` -> `{w}`");
                            self.push(Impact::Breaking, &subject, message, Some(w));
                        }
                        _ => {}
                    }
                }
            }
            (TypeApi::Structure { structure: x, .. }, TypeApi::Structure { structure: y, .. }) => self.members(&subject, x, y),
            _ => {}
        }
    }

    /// Members of one generated structure.
    fn members(&mut self, subject: &str, a: &StructApi, b: &StructApi) {
        for (_, x, y) in pairs(&a.members, &b.members) {
            match (x, y) {
                (None, Some(m)) => {
                    let n = &m.name;
                    if m.required && b.validated {
                        self.push(Impact::Breaking, subject, format!("new required member `{n}`: `{}`", m.ty), Some(&m.path));
                    } else {
                        self.push(Impact::Additive, subject, format!("new member `{n}`: `{}`", m.ty), Some(&m.path));
                    }
                }
                (Some(m), None) => self.push(Impact::Breaking, subject, format!("member `{}` removed", m.name), Some(&m.path)),
                (Some(x), Some(y)) => self.member(subject, (x, a.validated), (y, b.validated)),
                (None, None) => {}
            }
        }
    }

    fn member(&mut self, subject: &str, (x, x_checked): (&MemberApi, bool), (y, y_checked): (&MemberApi, bool)) {
        let (m, path) = (&y.name, Some(y.path.as_str()));
        if x.ty != y.ty {
            self.push(Impact::Breaking, subject, format!("member `{m}` changed type: `{}` -> `{}`", x.ty, y.ty), path);
            return;
        }
        match (x.required, y.required) {
            (false, true) if y_checked => self.push(Impact::Breaking, subject, format!("member `{m}` is now required"), path),
            (false, true) => self.push(
                Impact::Documentation,
                subject,
                format!("member `{m}` is now documented as required (not checked in responses)"),
                path,
            ),
            (true, false) if x_checked => {
                self.push(Impact::Additive, subject, format!("member `{m}` is no longer required"), path)
            }
            (true, false) => self.push(
                Impact::Documentation,
                subject,
                format!("member `{m}` is no longer documented as required (not checked in responses)"),
                path,
            ),
            _ => {}
        }
        if x.deprecated != y.deprecated {
            let message =
                if y.deprecated { format!("member `{m}` deprecated") } else { format!("member `{m}` no longer deprecated") };
            self.push(Impact::Additive, subject, message, path);
        }
        if y_checked && x.limits != y.limits {
            let show = |l: &Option<String>| l.clone().unwrap_or_else(|| "none".to_owned());
            let message = format!("member `{m}` validation limits changed: {} -> {}", show(&x.limits), show(&y.limits));
            self.push(Impact::Additive, subject, message, path);
        }
    }

    fn paginator(&mut self, name: &str, a: Option<&PaginatorApi>, b: Option<&PaginatorApi>) {
        let subject = format!("paginator {name}");
        let (a, b) = match (a, b) {
            (None, Some(b)) => return self.push(Impact::Additive, &subject, "new paginator".to_owned(), Some(&b.method)),
            (Some(a), None) => return self.push(Impact::Breaking, &subject, "paginator removed".to_owned(), Some(&a.method)),
            (Some(a), Some(b)) => (a, b),
            (None, None) => return,
        };
        // The result keys type `items()` and its siblings; the limit key is `page_size()`:
        // a changed result key, or a limit key that goes, is breaking.
        let show = |v: &str| if v == "none" { v.to_owned() } else { format!("`{v}`") };
        for ((key, x), (_, y)) in a.api.iter().zip(&b.api) {
            if x != y {
                let impact = if *key == "limit_key" && y == "none" || *key == "result_key" {
                    Impact::Breaking
                } else {
                    Impact::Additive
                };
                self.push(impact, &subject, format!("`{key}` changed: {} -> {}", show(x), show(y)), Some(&b.method));
            }
        }
        for ((key, x), (_, y)) in a.behaviour.iter().zip(&b.behaviour) {
            if x != y {
                let message = format!("`{key}` changed: {} -> {}", show(x), show(y));
                self.push(Impact::Additive, &subject, message, Some(&b.method));
            }
        }
    }

    fn waiter(&mut self, name: &str, a: Option<&WaiterApi>, b: Option<&WaiterApi>) {
        let subject = format!("waiter {name}");
        let (a, b) = match (a, b) {
            (None, Some(b)) => return self.push(Impact::Additive, &subject, "new waiter".to_owned(), Some(&b.method)),
            (Some(a), None) => return self.push(Impact::Breaking, &subject, "waiter removed".to_owned(), Some(&a.method)),
            (Some(a), Some(b)) => (a, b),
            (None, None) => return,
        };
        let rust = Some(b.method.as_str());
        // The operation decides the waiter builder's input.
        if a.operation != b.operation {
            let message = format!("`operation` changed: `{}` -> `{}`", a.operation, b.operation);
            self.push(Impact::Breaking, &subject, message, rust);
        }
        if a.acceptors != b.acceptors {
            self.push(Impact::Additive, &subject, "`acceptors` changed".to_owned(), rust);
        }
        if a.delay != b.delay {
            self.push(Impact::Additive, &subject, format!("`delay` changed: `{}` -> `{}`", a.delay, b.delay), rust);
        }
        if a.max_attempts != b.max_attempts {
            let message = format!("`maxAttempts` changed: `{}` -> `{}`", a.max_attempts, b.max_attempts);
            self.push(Impact::Additive, &subject, message, rust);
        }
        if a.description != b.description {
            self.push(Impact::Documentation, &subject, "`description` changed".to_owned(), rust);
        }
    }
}

/// Operations and types (present on both sides) whose documentation changed.
fn documentation(old: &Surface, new: &Surface) -> DocCount {
    let changed = |a: &BTreeMap<String, ItemDocs>, b: &BTreeMap<String, ItemDocs>| {
        a.iter().filter(|(k, v)| b.get(*k).is_some_and(|w| v.changed(w))).count()
    };
    DocCount {
        operations: changed(&old.docs.operations, &new.docs.operations),
        shapes: changed(&old.docs.types, &new.docs.types),
        service: old.docs.service != new.docs.service,
    }
}

//! Name clashes, found in one pass over every name of the IR and resolved the same way each
//! time: in each namespace, names are taken in model order (sorted keys, member order); a
//! later name that is taken (or reserved by the generated API) gets the smallest numeric
//! suffix that is free (`Foo2`, `foo_2`), and a warning says so. Generated code always
//! compiles; the warning tells the maintainer to add a rename if the suffix reads badly.
//!
//! The namespaces follow the generated crate's modules: `types` and `types::error` (types,
//! their files, their builders), `operation` and the client (modules, methods), each
//! structure (fields, `set_`/`get_` methods), each enum (variants), `waiters` (modules,
//! methods) and each paginator (item methods).

use super::names::{self, Ident};
use super::{Home, NamedKind, Service, Structure, Warning};
use std::collections::BTreeSet;
use std::path::Path;

/// Module names the generated crate's `types` modules already use.
const TYPE_MODULES: &[&str] = &["builders", "error"];
/// Methods of `Client` besides the operations.
const CLIENT_METHODS: &[&str] = &["new", "from_conf", "config", "handle"];
/// Methods of a paginator besides its item methods.
const PAGINATOR_METHODS: &[&str] = &["page_size", "send"];

/// One namespace: names taken so far.
struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    fn new(reserved: &[&str]) -> Namespace {
        Namespace { taken: reserved.iter().map(|s| (*s).to_owned()).collect() }
    }

    /// `candidates(n)` gives the names a thing would take with suffix `n` (0: none); the
    /// first `n` whose names are all free is taken. Returns the suffix.
    fn take(&mut self, candidates: impl Fn(usize) -> Vec<String>) -> usize {
        let mut n = 0;
        loop {
            let names = candidates(n);
            if names.iter().all(|c| !self.taken.contains(c)) {
                self.taken.extend(names);
                return n;
            }
            n = if n == 0 { 2 } else { n + 1 };
        }
    }
}

struct Resolver<'a> {
    file: &'a Path,
    warnings: &'a mut Vec<Warning>,
}

impl Resolver<'_> {
    fn warn(&mut self, path: String, old: &Ident, new: &Ident, what: &str) {
        let message = format!("{what} `{old}` is taken by another name of the model; this one is generated as `{new}`");
        self.warnings.push(Warning { file: self.file.to_owned(), path, message });
    }
}

/// Resolves clashes among the names of types, operations and members.
pub fn resolve(svc: &mut Service, file: &Path, warnings: &mut Vec<Warning>) {
    let mut r = Resolver { file, warnings };
    for home in [Home::Types, Home::Errors] {
        // Type names and module (file) names of one module, taken together.
        let reserved: Vec<String> = TYPE_MODULES.iter().map(|m| format!("mod {m}")).collect();
        let mut namespace = Namespace::new(&reserved.iter().map(String::as_str).collect::<Vec<_>>());
        for (name, shape) in svc.shapes.iter_mut().filter(|(_, s)| s.home == home) {
            let base = shape.rust_name.clone();
            let n = namespace.take(|n| {
                let t = suffixed(&base, n);
                vec![format!("type {t}"), format!("mod {}", names::snake(t.as_str()).as_str())]
            });
            if n > 0 {
                let new = suffixed(&base, n);
                r.warn(format!("shapes.{name}"), &base, &new, "type name");
                shape.rust_name = new;
            }
            shape.module = names::snake(shape.rust_name.as_str());
            if let NamedKind::Structure(s) = &mut shape.kind {
                s.rust_name = shape.rust_name.clone();
                s.builder = names::builder(&s.rust_name);
                if let Some(e) = &mut s.error {
                    e.predicate = names::predicate(&s.rust_name);
                }
            }
        }
    }
    let mut modules = Namespace::new(CLIENT_METHODS);
    for (name, op) in svc.operations.iter_mut() {
        let base = op.module.clone();
        let n = modules.take(|n| vec![suffixed(&base, n).as_str().to_owned()]);
        if n > 0 {
            let new = suffixed(&base, n);
            r.warn(format!("operations.{name}"), &base, &new, "operation module and method");
            op.module = new.clone();
            op.method = new;
            let home = Home::Operation(op.module.clone());
            op.input.home = home.clone();
            op.output.home = home;
        }
    }
    for (name, shape) in svc.shapes.iter_mut() {
        match &mut shape.kind {
            NamedKind::Structure(s) => members(&mut r, &format!("shapes.{name}"), s),
            NamedKind::Enum(e) => {
                let mut variants = Namespace::new(&["Unknown"]);
                for (i, v) in e.variants.iter_mut().enumerate() {
                    let base = v.rust_name.clone();
                    let n = variants.take(|n| vec![suffixed(&base, n).as_str().to_owned()]);
                    if n > 0 {
                        v.rust_name = suffixed(&base, n);
                        r.warn(format!("shapes.{name}.enum[{i}]"), &base, &v.rust_name, "variant");
                    }
                }
            }
        }
    }
    for op in svc.operations.values_mut() {
        for (s, shape) in [(&mut op.input, &op.input_shape), (&mut op.output, &op.output_shape)] {
            let at = shape.as_deref().map_or_else(|| format!("operations.{}", op.name), |s| format!("shapes.{s}"));
            members(&mut r, &at, s);
        }
    }
}

/// Resolves clashes among the names the companion files add: waiter modules and methods,
/// paginator item methods.
pub fn resolve_companions(svc: &mut Service, file: &Path, warnings: &mut Vec<Warning>) {
    let mut r = Resolver { file, warnings };
    let mut waiters = Namespace::new(&[]);
    for (name, w) in svc.waiters.iter_mut() {
        let base = w.module.clone();
        let n = waiters.take(|n| vec![suffixed(&base, n).as_str().to_owned()]);
        if n > 0 {
            let new = suffixed(&base, n);
            r.warn(format!("waiters.{name}"), &base, &new, "waiter");
            w.set_module(new);
        }
    }
    for (name, p) in svc.paginators.iter_mut() {
        let mut methods = Namespace::new(PAGINATOR_METHODS);
        for (i, key) in p.result_keys.iter_mut().enumerate() {
            let base = key.method.clone();
            let n = methods.take(|n| vec![suffixed(&base, n).as_str().to_owned()]);
            if n > 0 {
                key.method = suffixed(&base, n);
                key.type_name = key.type_name.with_suffix(n);
                r.warn(format!("pagination.{name}.result_key[{i}]"), &base, &key.method, "item method");
            }
        }
    }
}

/// A structure's fields and their `set_` / `get_` methods, which share the builder's impl.
fn members(r: &mut Resolver, at: &str, s: &mut Structure) {
    let mut methods = Namespace::new(&[]);
    for m in &mut s.members {
        let base = m.field.clone();
        let n = methods.take(|n| {
            let f = suffixed(&base, n);
            vec![f.as_str().to_owned(), names::setter(&f).as_str().to_owned(), names::getter(&f).as_str().to_owned()]
        });
        if n > 0 {
            m.field = suffixed(&base, n);
            m.set = names::setter(&m.field);
            m.get = names::getter(&m.field);
            r.warn(format!("{at}.members.{}", m.name), &base, &m.field, "member");
        }
    }
}

fn suffixed(base: &Ident, n: usize) -> Ident {
    if n == 0 {
        base.clone()
    } else {
        base.with_suffix(n)
    }
}

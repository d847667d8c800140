//! Waiters from `waiters-2.json`: acceptors with their JMESPath arguments parsed and typed
//! against the operation's output, so that the emitter can compile them to Rust.

use super::jmespath::{self, Ast, Cmp};
use super::names::{self, Ident};
use super::{Literal, NamedKind, Operation, Service, Structure, Type};
use crate::model::waiters as model;
use crate::model::ServiceModel;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Waiter {
    /// `CacheClusterAvailable`.
    pub name: String,
    /// The module under `waiters` (`cache_cluster_available`) and the client method
    /// (`wait_until_cache_cluster_available`).
    pub module: Ident,
    pub method: Ident,
    /// In the waiter's module: the marker type that tells waiters apart
    /// (`CacheClusterAvailable`), its fluent builder (`CacheClusterAvailableFluentBuilder`),
    /// the final poll of a success (`CacheClusterAvailableFinalPoll`) and the error
    /// (`WaitUntilCacheClusterAvailableError`).
    pub marker: Ident,
    pub builder: Ident,
    pub final_poll: Ident,
    pub error: Ident,
    pub operation: String,
    pub delay: u64,
    pub max_attempts: u32,
    pub docs: Option<String>,
    pub acceptors: Vec<Acceptor>,
}

impl Waiter {
    /// Moves the waiter to another module (a clash), and its method with it.
    pub fn set_module(&mut self, module: Ident) {
        self.method = names::waiter_method(&module);
        self.module = module;
    }
}

#[derive(Debug, Clone)]
pub struct Acceptor {
    pub state: State,
    pub matcher: Matcher,
    /// The JMESPath argument as the model writes it (path matchers).
    pub argument: Option<String>,
    /// How the acceptor reads in messages: `pathAll CacheClusters[].CacheClusterStatus == "available"`.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Success,
    Failure,
    Retry,
}

#[derive(Debug, Clone)]
pub enum Matcher {
    /// `path`, `pathAll`, `pathAny`: the argument compared with `expected`.
    Path { kind: PathKind, expr: Expr, expected: Literal },
    /// The response's HTTP status.
    Status(u16),
    /// An error with this code.
    ErrorCode(String),
    /// `expected: true`: any error; `false`: no error.
    AnyError(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    One,
    All,
    Any,
}

/// A typed expression over the operation's output.
#[derive(Debug, Clone)]
pub enum Expr {
    Nav(Nav),
    Length(Box<Expr>),
    /// `contains(subject, search)`: a list holding the value, or a string holding the text.
    Contains(Box<Expr>, Box<Expr>),
    Compare(Cmp, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Literal(Literal),
}

/// Navigation through the output's types: one optional value, or (after a projection)
/// many values.
#[derive(Debug, Clone)]
pub struct Nav {
    pub kind: NavKind,
    pub ty: NavTy,
    pub many: bool,
}

#[derive(Debug, Clone)]
pub enum NavKind {
    /// The output itself.
    Root,
    /// `@` inside a filter's condition: the item being tested.
    Current,
    Field { base: Box<Nav>, field: Ident, boxed: bool },
    /// One item of a list; a negative index counts from the end (`-1`: the last).
    Index { base: Box<Nav>, index: i64 },
    /// The items of a list (the `[]` and `[*]` projections).
    Items { base: Box<Nav> },
    /// The values of a map (the `*` projection).
    Values { base: Box<Nav> },
    /// The values of `base` (many) for which `condition`, with each as `@`, is true.
    Filter { base: Box<Nav>, condition: Box<Expr> },
}

/// The type of each value a [`Nav`] yields.
#[derive(Debug, Clone, PartialEq)]
pub enum NavTy {
    /// The operation's output structure.
    Output,
    T(Type),
}

/// Types every waiter of a generated operation; problems are `(JSON path, message)`.
/// `service` is the whole model, to tell an operation the allow-list leaves out from one
/// that does not exist.
pub fn build(service: &ServiceModel, svc: &Service, file: &model::Waiters) -> Result<BTreeMap<String, Waiter>, Vec<(String, String)>> {
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    if file.version != 2 {
        problems.push(("version".to_owned(), format!("waiters version {} is not supported (only 2)", file.version)));
    }
    for (name, w) in &file.waiters {
        let at = format!("waiters.{name}");
        let Some(op) = svc.operations.get(&w.operation) else {
            // Operations left out by the allow-list have no waiter to generate.
            if !service.operations.contains_key(&w.operation) {
                problems.push((format!("{at}.operation"), format!("`{}` is not an operation of the model", w.operation)));
            }
            continue;
        };
        let mut acceptors = Vec::new();
        for (i, a) in w.acceptors.iter().enumerate() {
            match acceptor(svc, op, a) {
                Ok(a) => acceptors.push(a),
                Err((key, m)) => problems.push((format!("{at}.acceptors[{i}].{key}"), m)),
            }
        }
        let type_name = names::type_name(name);
        let module = names::snake(name);
        out.insert(
            name.clone(),
            Waiter {
                name: name.clone(),
                method: names::waiter_method(&module),
                module,
                builder: names::fluent_builder(&type_name),
                marker: type_name.clone(),
                final_poll: names::final_poll(&type_name),
                error: names::waiter_error(&type_name),
                operation: w.operation.clone(),
                delay: w.delay,
                max_attempts: w.max_attempts,
                docs: w.description.clone(),
                acceptors,
            },
        );
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Types one acceptor; an error names the acceptor's key at fault (`argument`, …).
fn acceptor(svc: &Service, op: &Operation, a: &model::Acceptor) -> Result<Acceptor, (&'static str, String)> {
    let state = match a.state.as_str() {
        "success" => State::Success,
        "failure" => State::Failure,
        "retry" => State::Retry,
        other => return Err(("state", format!("unknown state `{other}`"))),
    };
    let expected = &a.expected;
    let (matcher, text) = match a.matcher.as_str() {
        "path" | "pathAll" | "pathAny" => {
            let kind = match a.matcher.as_str() {
                "path" => PathKind::One,
                "pathAll" => PathKind::All,
                _ => PathKind::Any,
            };
            let expr = path_argument(svc, op, a.argument.as_deref()).map_err(|e| ("argument", e))?;
            if !matches!(expected, serde_json::Value::String(_) | serde_json::Value::Bool(_) | serde_json::Value::Number(_)) {
                return Err(("expected", format!("`expected` must be a string, number or boolean, not {expected}")));
            }
            let argument = a.argument.as_deref().unwrap_or_default();
            (Matcher::Path { kind, expr, expected: Literal::from_json(expected) }, format!("{} {argument} == {expected}", a.matcher))
        }
        "status" => {
            let status = expected
                .as_u64()
                .and_then(|n| u16::try_from(n).ok())
                .ok_or(("expected", "a status matcher expects an HTTP status".to_owned()))?;
            (Matcher::Status(status), format!("status {status}"))
        }
        "error" => match expected {
            serde_json::Value::String(code) => (Matcher::ErrorCode(code.clone()), format!("error {code}")),
            serde_json::Value::Bool(b) => (Matcher::AnyError(*b), format!("error {b}")),
            other => return Err(("expected", format!("an error matcher expects a code or a boolean, not {other}"))),
        },
        other => return Err(("matcher", format!("unknown matcher `{other}`"))),
    };
    Ok(Acceptor { state, matcher, text, argument: a.argument.clone() })
}

/// Parses and types the JMESPath `argument` of a path matcher.
fn path_argument(svc: &Service, op: &Operation, argument: Option<&str>) -> Result<Expr, String> {
    let argument = argument.ok_or("a path matcher needs an `argument`")?;
    let ast = jmespath::parse(argument).map_err(|e| format!("argument `{argument}` {e}"))?;
    typed(svc, op, &ast, &root()).map_err(|e| format!("argument `{argument}`: {e}"))
}

fn root() -> Nav {
    Nav { kind: NavKind::Root, ty: NavTy::Output, many: false }
}

/// Types an expression with `current` as `@`.
fn typed(svc: &Service, op: &Operation, ast: &Ast, current: &Nav) -> Result<Expr, String> {
    let sub = |a: &Ast| typed(svc, op, a, current).map(Box::new);
    Ok(match ast {
        Ast::Function(name, args) => match (name.as_str(), args.as_slice()) {
            ("length", [a]) => Expr::Length(sub(a)?),
            ("contains", [a, b]) => Expr::Contains(sub(a)?, sub(b)?),
            _ => return Err(format!("the function `{name}()` is not supported")),
        },
        Ast::Compare(c, a, b) => Expr::Compare(*c, sub(a)?, sub(b)?),
        Ast::And(a, b) => Expr::And(sub(a)?, sub(b)?),
        Ast::Or(a, b) => Expr::Or(sub(a)?, sub(b)?),
        Ast::Not(a) => Expr::Not(sub(a)?),
        Ast::Literal(v) => Expr::Literal(Literal::from_json(v)),
        _ => Expr::Nav(nav(svc, op, ast, current)?),
    })
}

/// The items of `list` as many values: a list's items, or the values of a projection
/// whose values are lists (flattened, as the existing projections are).
fn items_of(list: Nav, what: &str) -> Result<Nav, String> {
    match &list.ty {
        NavTy::T(Type::List(l)) => {
            let ty = NavTy::T(l.member.clone());
            Ok(Nav { kind: NavKind::Items { base: Box::new(list) }, ty, many: true })
        }
        _ if list.many => Ok(list),
        _ => Err(format!("{what} applies to a list")),
    }
}

/// Types a navigation expression (paths and projections) with `current` as `@`.
fn nav(svc: &Service, op: &Operation, ast: &Ast, current: &Nav) -> Result<Nav, String> {
    match ast {
        Ast::Identity => Ok(current.clone()),
        Ast::Field(name) => field(svc, op, current, name),
        Ast::Sub(a, b) => {
            let a = nav(svc, op, a, current)?;
            nav(svc, op, b, &a)
        }
        Ast::Flatten(a) => {
            let a = nav(svc, op, a, current)?;
            match &a.ty {
                NavTy::T(Type::List(l)) => {
                    let ty = NavTy::T(l.member.clone());
                    Ok(Nav { kind: NavKind::Items { base: Box::new(a) }, ty, many: true })
                }
                // Flattening values that are not lists leaves them as they are.
                _ if a.many => Ok(a),
                _ => Err("`[]` applies to a list".to_owned()),
            }
        }
        Ast::Projection(list, rhs) => {
            let items = nav(svc, op, list, current)?;
            let items = if items.many { items } else { items_of(items, "a projection")? };
            nav(svc, op, rhs, &items)
        }
        Ast::Index(list, index) => {
            let list = nav(svc, op, list, current)?;
            let NavTy::T(Type::List(l)) = &list.ty else { return Err(format!("the index `[{index}]` applies to a list")) };
            let (ty, many) = (NavTy::T(l.member.clone()), list.many);
            Ok(Nav { kind: NavKind::Index { base: Box::new(list), index: *index }, ty, many })
        }
        Ast::ValueProjection(map, rhs) => {
            let map = nav(svc, op, map, current)?;
            let NavTy::T(Type::Map(m)) = &map.ty else {
                return Err("a value projection `*` applies to a map (over a structure it is not supported)".to_owned());
            };
            let ty = NavTy::T(m.value.clone());
            let values = Nav { kind: NavKind::Values { base: Box::new(map) }, ty, many: true };
            nav(svc, op, rhs, &values)
        }
        Ast::FilterProjection(list, condition, rhs) => {
            let items = items_of(nav(svc, op, list, current)?, "a filter `[?…]`")?;
            let item = Nav { kind: NavKind::Current, ty: items.ty.clone(), many: false };
            let condition = Box::new(typed(svc, op, condition, &item)?);
            let ty = items.ty.clone();
            let kept = Nav { kind: NavKind::Filter { base: Box::new(items), condition }, ty, many: true };
            nav(svc, op, rhs, &kept)
        }
        other => Err(format!("{other:?} cannot appear inside a path")),
    }
}

fn field(svc: &Service, op: &Operation, base: &Nav, name: &str) -> Result<Nav, String> {
    let structure: &Structure = match &base.ty {
        NavTy::Output => &op.output,
        NavTy::T(Type::Structure(key)) => match &svc.shape(key).kind {
            NamedKind::Structure(s) => s,
            NamedKind::Enum(_) => return Err(format!("`{name}` is looked up in an enum")),
        },
        NavTy::T(other) => return Err(format!("`{name}` is looked up in a {other:?}, not a structure")),
    };
    let member = structure
        .members
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| format!("`{name}` is not a member of `{}`", structure.rust_name))?;
    Ok(Nav {
        kind: NavKind::Field { base: Box::new(base.clone()), field: member.field.clone(), boxed: member.boxed },
        ty: NavTy::T(member.ty.clone()),
        many: base.many,
    })
}

//! The endpoint rules language (Smithy `smithy.rules#endpointRuleSet`, botocore's
//! `endpoint-rule-set-1.json`): the rule set as static data — generated crates emit it from
//! their model — and the engine that evaluates it.
//!
//! Supported functions: `isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr`,
//! `substring`, `uriEncode`, `parseURL`, `isValidHostLabel`, `aws.partition`,
//! `aws.parseArn`, `aws.isVirtualHostableS3Bucket`. The generator refuses a rule set that
//! calls anything else, so evaluation never meets an unknown function.

use super::partitions::partition_of;
use super::{Endpoint, Params, ResolveError, Value};
use std::collections::BTreeMap;

/// A whole rule set.
#[derive(Debug)]
pub struct RuleSet {
    pub parameters: &'static [Parameter],
    pub rules: &'static [Rule],
}

/// A declared parameter.
#[derive(Debug)]
pub struct Parameter {
    pub name: &'static str,
    pub kind: ParameterKind,
    /// `AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint`, …
    pub built_in: Option<&'static str>,
    pub required: bool,
    pub default: Option<Literal>,
    pub documentation: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterKind {
    String,
    Boolean,
    StringArray,
}

/// A constant default.
#[derive(Debug, Clone, Copy)]
pub enum Literal {
    Bool(bool),
    Str(&'static str),
}

#[derive(Debug)]
pub struct Rule {
    pub conditions: &'static [Condition],
    pub kind: RuleKind,
}

#[derive(Debug)]
pub enum RuleKind {
    Endpoint {
        url: Expr,
        properties: &'static [(&'static str, Expr)],
        headers: &'static [(&'static str, &'static [Expr])],
    },
    Error(Expr),
    Tree(&'static [Rule]),
}

/// A function call whose result must be set (and, for booleans, true); `assign` binds it.
#[derive(Debug)]
pub struct Condition {
    pub call: Call,
    pub assign: Option<&'static str>,
}

#[derive(Debug)]
pub struct Call {
    pub function: &'static str,
    pub args: &'static [Expr],
}

#[derive(Debug)]
pub enum Expr {
    /// A string, with `{Name}` and `{Name#path}` templates filled in.
    Template(&'static str),
    Bool(bool),
    Int(i64),
    Ref(&'static str),
    Call(&'static Call),
    Array(&'static [Expr]),
    Object(&'static [(&'static str, Expr)]),
}

/// Names the rules have bound so far: parameters, then `assign`ed results.
struct Scope<'p> {
    params: &'p Params,
    bound: Vec<(&'static str, Value)>,
}

impl Scope<'_> {
    fn get(&self, name: &str) -> Value {
        if let Some((_, v)) = self.bound.iter().rev().find(|(n, _)| *n == name) {
            return v.clone();
        }
        self.params.get(name).cloned().unwrap_or(Value::None)
    }
}

/// Evaluates `rules` for `params`.
pub fn evaluate(rules: &RuleSet, params: &Params) -> Result<Endpoint, ResolveError> {
    let mut params = params.clone();
    for p in rules.parameters {
        if params.get(p.name).is_none() {
            match p.default {
                Some(Literal::Bool(b)) => params.set(p.name, Value::Bool(b)),
                Some(Literal::Str(s)) => params.set(p.name, Value::String(s.to_owned())),
                None if p.required => {
                    return Err(ResolveError::new(format!("the required endpoint parameter `{}` is not set", p.name)))
                }
                None => {}
            }
        }
    }
    let mut scope = Scope { params: &params, bound: Vec::new() };
    match eval_rules(rules.rules, &mut scope)? {
        Some(endpoint) => Ok(endpoint),
        None => Err(ResolveError::new("no endpoint rule matched these parameters")),
    }
}

fn eval_rules(rules: &[Rule], scope: &mut Scope<'_>) -> Result<Option<Endpoint>, ResolveError> {
    for rule in rules {
        let depth = scope.bound.len();
        let result = eval_rule(rule, scope);
        scope.bound.truncate(depth);
        if let Some(endpoint) = result? {
            return Ok(Some(endpoint));
        }
    }
    Ok(None)
}

fn eval_rule(rule: &Rule, scope: &mut Scope<'_>) -> Result<Option<Endpoint>, ResolveError> {
    for condition in rule.conditions {
        let value = call(&condition.call, scope)?;
        if !value.truthy() {
            return Ok(None);
        }
        if let Some(name) = condition.assign {
            scope.bound.push((name, value));
        }
    }
    match &rule.kind {
        RuleKind::Tree(rules) => match eval_rules(rules, scope)? {
            Some(e) => Ok(Some(e)),
            // A tree whose conditions matched must produce a result.
            None => Err(ResolveError::new("no endpoint rule matched inside a matching rule tree")),
        },
        RuleKind::Error(message) => match eval(message, scope)? {
            Value::String(m) => Err(ResolveError::new(m)),
            other => Err(ResolveError::new(format!("{other:?}"))),
        },
        RuleKind::Endpoint { url, properties, headers } => {
            let Value::String(url) = eval(url, scope)? else {
                return Err(ResolveError::new("an endpoint rule's URL is not a string"));
            };
            let mut props = BTreeMap::new();
            for (k, e) in properties.iter() {
                props.insert((*k).to_owned(), eval(e, scope)?);
            }
            let mut hdrs = Vec::new();
            for (name, values) in headers.iter() {
                for e in values.iter() {
                    if let Value::String(v) = eval(e, scope)? {
                        hdrs.push(((*name).to_owned(), v));
                    }
                }
            }
            Ok(Some(Endpoint::new(url, hdrs, props)))
        }
    }
}

fn eval(expr: &Expr, scope: &Scope<'_>) -> Result<Value, ResolveError> {
    Ok(match expr {
        Expr::Template(t) => Value::String(template(t, scope)?),
        Expr::Bool(b) => Value::Bool(*b),
        Expr::Int(i) => Value::Int(*i),
        Expr::Ref(name) => scope.get(name),
        Expr::Call(c) => call(c, scope)?,
        Expr::Array(items) => Value::Array(items.iter().map(|e| eval(e, scope)).collect::<Result<_, _>>()?),
        Expr::Object(fields) => {
            let mut map = BTreeMap::new();
            for (k, e) in fields.iter() {
                map.insert((*k).to_owned(), eval(e, scope)?);
            }
            Value::Object(map)
        }
    })
}

/// Fills `{Name}` and `{Name#attr.path}`; `{{` and `}}` are literal braces.
fn template(t: &str, scope: &Scope<'_>) -> Result<String, ResolveError> {
    if !t.contains(['{', '}']) {
        return Ok(t.to_owned());
    }
    let mut out = String::with_capacity(t.len().saturating_add(16));
    let mut rest = t;
    while let Some(at) = rest.find(['{', '}']) {
        let (before, tail) = rest.split_at(at);
        out.push_str(before);
        if let Some(after) = tail.strip_prefix("{{").or_else(|| tail.strip_prefix("}}")) {
            out.push_str(tail.get(..1).unwrap_or_default());
            rest = after;
            continue;
        }
        let Some(open) = tail.strip_prefix('{') else {
            return Err(ResolveError::new(format!("unbalanced `}}` in template `{t}`")));
        };
        let (inner, after) = open.split_once('}').ok_or_else(|| ResolveError::new(format!("unclosed `{{` in template `{t}`")))?;
        let value = match inner.split_once('#') {
            Some((name, path)) => get_attr(&scope.get(name), path),
            None => scope.get(inner),
        };
        match value {
            Value::String(s) => out.push_str(&s),
            Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            other => return Err(ResolveError::new(format!("`{inner}` in template `{t}` is not a string: {other:?}"))),
        }
        rest = after;
    }
    out.push_str(rest);
    Ok(out)
}

fn call(c: &Call, scope: &Scope<'_>) -> Result<Value, ResolveError> {
    let args: Vec<Value> = c.args.iter().map(|a| eval(a, scope)).collect::<Result<_, _>>()?;
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::None);
    let string = |i: usize| match arg(i) {
        Value::String(s) => Some(s),
        _ => None,
    };
    Ok(match c.function {
        "isSet" => Value::Bool(!matches!(arg(0), Value::None)),
        "not" => Value::Bool(!arg(0).truthy()),
        "booleanEquals" => match (arg(0), arg(1)) {
            (Value::Bool(a), Value::Bool(b)) => Value::Bool(a == b),
            _ => Value::Bool(false),
        },
        "stringEquals" => match (string(0), string(1)) {
            (Some(a), Some(b)) => Value::Bool(a == b),
            _ => Value::Bool(false),
        },
        "getAttr" => match string(1) {
            Some(path) => get_attr(&arg(0), &path),
            None => Value::None,
        },
        "substring" => match (string(0), arg(1), arg(2), arg(3)) {
            (Some(s), Value::Int(start), Value::Int(stop), Value::Bool(reverse)) => substring(&s, start, stop, reverse),
            _ => Value::None,
        },
        "uriEncode" => match string(0) {
            Some(s) => {
                let mut out = String::new();
                crate::query::encode_into(&s, &mut out);
                Value::String(out)
            }
            None => Value::None,
        },
        "parseURL" => string(0).map_or(Value::None, |s| parse_url(&s)),
        "isValidHostLabel" => match (string(0), arg(1)) {
            (Some(s), Value::Bool(allow_dots)) => Value::Bool(is_valid_host_label(&s, allow_dots)),
            _ => Value::Bool(false),
        },
        "aws.partition" => match string(0) {
            Some(region) => partition_value(&region),
            None => Value::None,
        },
        "aws.parseArn" => string(0).map_or(Value::None, |s| parse_arn(&s)),
        "aws.isVirtualHostableS3Bucket" => match (string(0), arg(1)) {
            (Some(s), Value::Bool(allow_dots)) => Value::Bool(is_virtual_hostable_bucket(&s, allow_dots)),
            _ => Value::Bool(false),
        },
        other => return Err(ResolveError::new(format!("the rules call `{other}`, which this engine does not implement"))),
    })
}

/// `name`, `name.sub`, `list[0]`, `name[2].x`.
fn get_attr(value: &Value, path: &str) -> Value {
    let mut current = value.clone();
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((k, rest)) => (k, rest.strip_suffix(']').and_then(|i| i.parse::<usize>().ok())),
            None => (part, None),
        };
        if !key.is_empty() {
            current = match current {
                Value::Object(map) => map.get(key).cloned().unwrap_or(Value::None),
                _ => Value::None,
            };
        }
        if let Some(i) = index {
            current = match current {
                Value::Array(items) => items.get(i).cloned().unwrap_or(Value::None),
                _ => Value::None,
            };
        }
    }
    current
}

fn substring(s: &str, start: i64, stop: i64, reverse: bool) -> Value {
    let (Ok(start), Ok(stop)) = (usize::try_from(start), usize::try_from(stop)) else { return Value::None };
    if !s.is_ascii() || stop <= start || stop > s.len() {
        return Value::None;
    }
    let range = if reverse { s.len().saturating_sub(stop)..s.len().saturating_sub(start) } else { start..stop };
    s.get(range).map_or(Value::None, |sub| Value::String(sub.to_owned()))
}

fn partition_value(region: &str) -> Value {
    let p = partition_of(region);
    let mut map = BTreeMap::new();
    map.insert("name".to_owned(), Value::String(p.name.to_owned()));
    map.insert("dnsSuffix".to_owned(), Value::String(p.dns_suffix.to_owned()));
    map.insert("dualStackDnsSuffix".to_owned(), Value::String(p.dual_stack_dns_suffix.to_owned()));
    map.insert("implicitGlobalRegion".to_owned(), Value::String(p.implicit_global_region.to_owned()));
    map.insert("supportsFIPS".to_owned(), Value::Bool(p.supports_fips));
    map.insert("supportsDualStack".to_owned(), Value::Bool(p.supports_dual_stack));
    Value::Object(map)
}

fn is_valid_host_label(s: &str, allow_dots: bool) -> bool {
    if allow_dots {
        s.split('.').all(crate::endpoint_label::is_valid_host_label)
    } else {
        crate::endpoint_label::is_valid_host_label(s)
    }
}

fn is_virtual_hostable_bucket(s: &str, allow_dots: bool) -> bool {
    if allow_dots {
        return s.split('.').all(|l| is_virtual_hostable_bucket(l, false));
    }
    (3..=63).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes().next_back().is_some_and(|b| b.is_ascii_alphanumeric())
}

fn parse_url(url: &str) -> Value {
    if url.contains('?') {
        return Value::None; // the rules language rejects URLs with a query
    }
    let Ok(u) = crate::http::Url::parse(url) else { return Value::None };
    let authority = match u.port {
        Some(p) => format!("{}:{p}", u.host),
        None => u.host.clone(),
    };
    let is_ip = u.host.starts_with('[') || u.host.parse::<std::net::Ipv4Addr>().is_ok();
    let normalized = if u.path.ends_with('/') { u.path.clone() } else { format!("{}/", u.path) };
    let mut map = BTreeMap::new();
    map.insert("scheme".to_owned(), Value::String(u.scheme.as_str().to_owned()));
    map.insert("authority".to_owned(), Value::String(authority));
    map.insert("path".to_owned(), Value::String(u.path.clone()));
    map.insert("normalizedPath".to_owned(), Value::String(normalized));
    map.insert("isIp".to_owned(), Value::Bool(is_ip));
    Value::Object(map)
}

fn parse_arn(arn: &str) -> Value {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(resource)) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Value::None;
    };
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return Value::None;
    }
    let resource_id = resource.split([':', '/']).map(|s| Value::String(s.to_owned())).collect();
    let mut map = BTreeMap::new();
    map.insert("partition".to_owned(), Value::String(partition.to_owned()));
    map.insert("service".to_owned(), Value::String(service.to_owned()));
    map.insert("region".to_owned(), Value::String(region.to_owned()));
    map.insert("accountId".to_owned(), Value::String(account.to_owned()));
    map.insert("resourceId".to_owned(), Value::Array(resource_id));
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    static RULES: RuleSet = RuleSet {
        parameters: &[
            Parameter { name: "Region", kind: ParameterKind::String, built_in: Some("AWS::Region"), required: false, default: None, documentation: "" },
            Parameter { name: "UseFIPS", kind: ParameterKind::Boolean, built_in: Some("AWS::UseFIPS"), required: true, default: Some(Literal::Bool(false)), documentation: "" },
        ],
        rules: &[
            Rule {
                conditions: &[Condition { call: Call { function: "isSet", args: &[Expr::Ref("Region")] }, assign: None }],
                kind: RuleKind::Tree(&[Rule {
                    conditions: &[
                        Condition { call: Call { function: "aws.partition", args: &[Expr::Ref("Region")] }, assign: Some("P") },
                        Condition { call: Call { function: "booleanEquals", args: &[Expr::Ref("UseFIPS"), Expr::Bool(true)] }, assign: None },
                    ],
                    kind: RuleKind::Endpoint { url: Expr::Template("https://svc-fips.{Region}.{P#dnsSuffix}"), properties: &[], headers: &[] },
                }, Rule {
                    conditions: &[Condition { call: Call { function: "aws.partition", args: &[Expr::Ref("Region")] }, assign: Some("P") }],
                    kind: RuleKind::Endpoint { url: Expr::Template("https://svc.{Region}.{P#dnsSuffix}"), properties: &[], headers: &[] },
                }]),
            },
            Rule { conditions: &[], kind: RuleKind::Error(Expr::Template("Invalid Configuration: Missing Region")) },
        ],
    };

    #[test]
    fn evaluates_rules() {
        let mut p = Params::default();
        p.set("Region", Value::String("cn-north-1".into()));
        assert_eq!(evaluate(&RULES, &p).unwrap().url(), "https://svc.cn-north-1.amazonaws.com.cn");
        p.set("UseFIPS", Value::Bool(true));
        assert_eq!(evaluate(&RULES, &p).unwrap().url(), "https://svc-fips.cn-north-1.amazonaws.com.cn");
        assert_eq!(evaluate(&RULES, &Params::default()).unwrap_err().to_string(), "Invalid Configuration: Missing Region");
    }

    #[test]
    fn functions() {
        assert_eq!(substring("abcdef", 0, 2, false), Value::String("ab".into()));
        assert_eq!(substring("abcdef", 0, 2, true), Value::String("ef".into()));
        assert_eq!(substring("ab", 0, 3, false), Value::None);
        assert!(is_valid_host_label("a-b", false) && !is_valid_host_label("-a", false) && is_valid_host_label("a.b", true));
        let u = parse_url("https://example.com:8443/p");
        assert_eq!(get_attr(&u, "authority"), Value::String("example.com:8443".into()));
        assert_eq!(get_attr(&u, "normalizedPath"), Value::String("/p/".into()));
        let arn = parse_arn("arn:aws:s3:us-east-1:123:accesspoint/x");
        assert_eq!(get_attr(&arn, "resourceId[1]"), Value::String("x".into()));
        assert_eq!(parse_arn("arn:aws"), Value::None);
    }
}

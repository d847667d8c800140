//! Endpoints: where a request goes. A generated crate carries its service's rule set
//! ([`rules::RuleSet`]); the client evaluates it for the configured region, FIPS and
//! dual-stack settings and endpoint override, once per client.

pub mod partitions;
pub mod rules;

use std::collections::BTreeMap;
use std::fmt;

/// A value in the rules language.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    String(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    Object(BTreeMap<String, Value>),
}

impl Value {
    /// A condition holds when its value is set and not `false`.
    pub fn truthy(&self) -> bool {
        !matches!(self, Value::None | Value::Bool(false))
    }
}

/// Parameter values by name (`Region`, `UseFIPS`, `UseDualStack`, `Endpoint`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    values: BTreeMap<String, Value>,
}

impl Params {
    pub fn new() -> Self {
        Params::default()
    }

    pub fn set(&mut self, name: &str, value: Value) {
        self.values.insert(name.to_owned(), value);
    }

    /// Sets `name` when `value` is some.
    pub fn set_opt_str(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.set(name, Value::String(v.to_owned()));
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name).filter(|v| !matches!(v, Value::None))
    }
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    url: String,
    headers: Vec<(String, String)>,
    properties: BTreeMap<String, Value>,
}

impl Endpoint {
    pub fn new(url: String, headers: Vec<(String, String)>, properties: BTreeMap<String, Value>) -> Self {
        Endpoint { url, headers, properties }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Headers the rules add to requests.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// Rule properties (`authSchemes`, …).
    pub fn properties(&self) -> &BTreeMap<String, Value> {
        &self.properties
    }

    /// The signing region and name the rules' `authSchemes` ask for, if they do.
    pub fn sigv4_overrides(&self) -> (Option<&str>, Option<&str>) {
        let Some(Value::Array(schemes)) = self.properties.get("authSchemes") else { return (None, None) };
        for scheme in schemes {
            let Value::Object(s) = scheme else { continue };
            if s.get("name") == Some(&Value::String("sigv4".into())) {
                let get = |k: &str| match s.get(k) {
                    Some(Value::String(v)) => Some(v.as_str()),
                    _ => None,
                };
                return (get("signingRegion"), get("signingName"));
            }
        }
        (None, None)
    }
}

/// The rules ended in an error rule, or could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError {
    message: String,
}

impl ResolveError {
    pub fn new(message: impl Into<String>) -> Self {
        ResolveError { message: message.into() }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ResolveError {}

/// Evaluates `rules` for `params`.
pub fn resolve(rules: &rules::RuleSet, params: &Params) -> Result<Endpoint, ResolveError> {
    rules::evaluate(rules, params)
}

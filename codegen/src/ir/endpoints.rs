//! The endpoint rule set, typed and checked: every expression is one the runtime's engine
//! evaluates, every function one it implements. The emitter turns this into static data.

use crate::model::endpoints as model;

/// Functions the runtime's rules engine implements.
pub const FUNCTIONS: &[&str] = &[
    "isSet",
    "not",
    "booleanEquals",
    "stringEquals",
    "getAttr",
    "substring",
    "uriEncode",
    "parseURL",
    "isValidHostLabel",
    "aws.partition",
    "aws.parseArn",
    "aws.isVirtualHostableS3Bucket",
];

#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    pub parameters: Vec<Parameter>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    /// The field and setter of the generated `Params`.
    pub field: super::Ident,
    pub kind: ParameterKind,
    pub built_in: Option<String>,
    pub required: bool,
    pub default: Option<Literal>,
    pub docs: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterKind {
    String,
    Boolean,
    StringArray,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Bool(bool),
    Str(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub conditions: Vec<Condition>,
    pub kind: RuleKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    Endpoint { url: Expr, properties: Vec<(String, Expr)>, headers: Vec<(String, Vec<Expr>)> },
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub call: Call,
    pub assign: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub function: String,
    pub args: Vec<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Template(String),
    Bool(bool),
    Int(i64),
    Ref(String),
    Call(Box<Call>),
    Array(Vec<Expr>),
    Object(Vec<(String, Expr)>),
}

/// Types and checks a rule set; errors are `(JSON path, message)`.
pub fn build(rules: &model::RuleSet) -> Result<RuleSet, Vec<(String, String)>> {
    let mut problems = Vec::new();
    let parameters = rules
        .parameters
        .iter()
        .map(|(name, p)| parameter(&format!("parameters.{name}"), name, p, &mut problems))
        .collect();
    let rules = rules.rules.iter().enumerate().map(|(i, r)| rule(&format!("rules[{i}]"), r, &mut problems)).collect();
    if problems.is_empty() {
        Ok(RuleSet { parameters, rules })
    } else {
        Err(problems)
    }
}

type Problems = Vec<(String, String)>;

fn parameter(at: &str, name: &str, p: &model::Parameter, problems: &mut Problems) -> Parameter {
    let kind = match p.kind.to_ascii_lowercase().as_str() {
        "string" => ParameterKind::String,
        "boolean" => ParameterKind::Boolean,
        "stringarray" => ParameterKind::StringArray,
        other => {
            problems.push((format!("{at}.type"), format!("unknown parameter type `{other}`")));
            ParameterKind::String
        }
    };
    let default = match &p.default {
        None => None,
        Some(serde_json::Value::Bool(b)) => Some(Literal::Bool(*b)),
        Some(serde_json::Value::String(s)) => Some(Literal::Str(s.clone())),
        Some(other) => {
            problems.push((format!("{at}.default"), format!("unsupported default `{other}`")));
            None
        }
    };
    Parameter {
        name: name.to_owned(),
        field: super::names::snake(name),
        kind,
        built_in: p.built_in.clone(),
        required: p.required,
        default,
        docs: p.documentation.clone().unwrap_or_default(),
    }
}

fn rule(at: &str, r: &model::Rule, problems: &mut Problems) -> Rule {
    let (conditions, kind) = match r {
        model::Rule::Endpoint { conditions, endpoint } => {
            let url = expr(&format!("{at}.endpoint.url"), &endpoint.url, problems);
            let properties = endpoint
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), expr(&format!("{at}.endpoint.properties.{k}"), v, problems)))
                .collect();
            let headers = endpoint
                .headers
                .iter()
                .map(|(k, vs)| {
                    let values = vs.iter().enumerate().map(|(i, v)| expr(&format!("{at}.endpoint.headers.{k}[{i}]"), v, problems)).collect();
                    (k.clone(), values)
                })
                .collect();
            (conditions, RuleKind::Endpoint { url, properties, headers })
        }
        model::Rule::Error { conditions, error } => (conditions, RuleKind::Error(expr(&format!("{at}.error"), error, problems))),
        model::Rule::Tree { conditions, rules } => {
            let rules = rules.iter().enumerate().map(|(i, r)| rule(&format!("{at}.rules[{i}]"), r, problems)).collect();
            (conditions, RuleKind::Tree(rules))
        }
    };
    let conditions = conditions
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let at = format!("{at}.conditions[{i}]");
            Condition { call: call(&at, &c.function, &c.argv, problems), assign: c.assign.clone() }
        })
        .collect();
    Rule { conditions, kind }
}

fn call(at: &str, function: &str, argv: &[serde_json::Value], problems: &mut Problems) -> Call {
    if !FUNCTIONS.contains(&function) {
        problems.push((
            format!("{at}.fn"),
            format!("the rules engine does not implement function `{function}` (it implements {})", FUNCTIONS.join(", ")),
        ));
    }
    let args = argv.iter().enumerate().map(|(i, a)| expr(&format!("{at}.argv[{i}]"), a, problems)).collect();
    Call { function: function.to_owned(), args }
}

fn expr(at: &str, v: &serde_json::Value, problems: &mut Problems) -> Expr {
    use serde_json::Value as J;
    match v {
        J::String(s) => Expr::Template(s.clone()),
        J::Bool(b) => Expr::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Expr::Int(i),
            None => {
                problems.push((at.to_owned(), format!("only integers are supported, not `{n}`")));
                Expr::Int(0)
            }
        },
        J::Array(items) => Expr::Array(items.iter().enumerate().map(|(i, e)| expr(&format!("{at}[{i}]"), e, problems)).collect()),
        J::Object(map) => {
            if let Some(J::String(name)) = map.get("ref") {
                Expr::Ref(name.clone())
            } else if let Some(J::String(function)) = map.get("fn") {
                let argv = map.get("argv").and_then(J::as_array).cloned().unwrap_or_default();
                Expr::Call(Box::new(call(at, function, &argv, problems)))
            } else {
                Expr::Object(map.iter().map(|(k, e)| (k.clone(), expr(&format!("{at}.{k}"), e, problems))).collect())
            }
        }
        J::Null => {
            problems.push((at.to_owned(), "null is not an expression".to_owned()));
            Expr::Bool(false)
        }
    }
}

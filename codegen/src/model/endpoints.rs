//! Serde mirror of `endpoint-rule-set-1.json` (Smithy's `endpointRuleSet`). Expressions stay
//! JSON here; the IR ([`crate::ir::endpoints`]) types and checks them.

use indexmap::IndexMap;
use serde::Deserialize;

/// A whole rule set.
#[derive(Debug, Clone, Deserialize)]
pub struct RuleSet {
    pub version: String,
    #[serde(default)]
    pub parameters: IndexMap<String, Parameter>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub built_in: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    #[serde(default)]
    pub documentation: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Rule {
    Endpoint {
        #[serde(default)]
        conditions: Vec<Condition>,
        endpoint: EndpointDef,
    },
    Error {
        #[serde(default)]
        conditions: Vec<Condition>,
        error: serde_json::Value,
    },
    Tree {
        #[serde(default)]
        conditions: Vec<Condition>,
        rules: Vec<Rule>,
    },
}

#[derive(Debug, Clone, Deserialize)]
pub struct Condition {
    #[serde(rename = "fn")]
    pub function: String,
    #[serde(default)]
    pub argv: Vec<serde_json::Value>,
    #[serde(default)]
    pub assign: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EndpointDef {
    pub url: serde_json::Value,
    #[serde(default)]
    pub properties: IndexMap<String, serde_json::Value>,
    #[serde(default)]
    pub headers: IndexMap<String, Vec<serde_json::Value>>,
}

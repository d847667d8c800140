//! Serde mirror of `paginators-1.json`.

use indexmap::IndexMap;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Paginators {
    pub pagination: IndexMap<String, Paginator>,
}

/// How one operation paginates. Tokens and keys are member paths (`EngineDefaults.Marker`).
#[derive(Debug, Clone, Deserialize)]
pub struct Paginator {
    pub input_token: OneOrMany,
    pub output_token: OneOrMany,
    #[serde(default)]
    pub limit_key: Option<String>,
    #[serde(default)]
    pub result_key: Option<OneOrMany>,
    #[serde(default)]
    pub more_results: Option<String>,
    #[serde(default)]
    pub non_aggregate_keys: Vec<String>,
}

/// A key given as one string or a list of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, expecting = "expected a member path or a list of member paths")]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

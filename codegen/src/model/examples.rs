//! Serde mirror of `examples-1.json`.

use indexmap::IndexMap;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Examples {
    pub examples: IndexMap<String, Vec<Example>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Example {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub input: Option<serde_json::Value>,
    #[serde(default)]
    pub output: Option<serde_json::Value>,
}

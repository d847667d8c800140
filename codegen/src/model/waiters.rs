//! Serde mirror of `waiters-2.json`.

use indexmap::IndexMap;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Waiters {
    pub version: u32,
    pub waiters: IndexMap<String, Waiter>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Waiter {
    pub operation: String,
    pub delay: u64,
    pub max_attempts: u32,
    #[serde(default)]
    pub description: Option<String>,
    pub acceptors: Vec<Acceptor>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Acceptor {
    pub state: String,
    pub matcher: String,
    #[serde(default)]
    pub argument: Option<String>,
    pub expected: serde_json::Value,
}

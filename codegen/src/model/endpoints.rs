//! Serde mirror of `endpoint-rule-set-1.json` (work in progress).

use serde::Deserialize;

/// An endpoint rule set (placeholder until the rules engine lands).
#[derive(Debug, Clone, Deserialize)]
pub struct RuleSet {
    pub version: String,
}

//! What each fuzz target does with its input. `fuzz/fuzz_targets/*.rs` call these, and
//! `tests/tests/fuzz_regressions.rs` replays every corpus and crash input through them,
//! so a finding stays a test after the fuzzer is gone.
//!
//! A target may reject input (an `Err`), never panic, hang or grow memory without bound.

use std::path::Path;

/// A target's body: takes the fuzzer's bytes, returns nothing, must not panic.
pub type Target = fn(&[u8]);

/// The targets by name, as `fuzz/fuzz_targets/` names them.
pub const TARGETS: [(&str, Target); 4] = [
    ("xml_outputs", xml_outputs),
    ("error_response", error_response),
    ("model_loader", model_loader),
    ("endpoint_rules", endpoint_rules),
];

/// Every operation's response parser. The first byte picks the operation (low 7 bits)
/// and the status (high bit: 200 or 400, so both the output and the error parsers run);
/// the rest is the body.
pub fn xml_outputs(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else { return };
    let ops = elasticache::json::OPERATIONS;
    let op = ops[usize::from(pick & 0x7f) % ops.len()];
    let status = if pick & 0x80 == 0 { 200 } else { 400 };
    let _ = elasticache::json::parse_response(op, status, body);
}

/// The query protocol's error document parser, alone and behind a typed operation error.
pub fn error_response(data: &[u8]) {
    let _ = aws_query_runtime::error::parse_error_metadata(data, 400);
    let _ = elasticache::json::parse_response("CopySnapshot", 400, data);
}

/// The whole generator on a model text: load, validate, IR, emit, format. Companion files
/// are looked for beside a model path that does not exist, so only the text matters.
pub fn model_loader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let config = codegen::ServiceConfig {
        model: Path::new("/nonexistent/fuzz/service-2.json").to_owned(),
        crate_name: "fuzzed".to_owned(),
        version: "0.1.0".to_owned(),
        description: None,
        allow: Vec::new(),
        runtime: codegen::RuntimeDep::Path("../runtime".to_owned()),
    };
    let layout = codegen::Layout { runtime_dep: "{ path = \"../runtime\" }".to_owned(), credentials_dep: None, sync: None, standalone: true };
    let _ = codegen::generate_from_text(text, &config, &layout, "fuzz/service-2.json");
}

/// The endpoint rules engine. First byte 0–127: ElastiCache's rules with fuzzed settings
/// (bit 0 FIPS, bit 1 dual-stack, bit 2 an endpoint override; the rest split at the first
/// NUL into region and endpoint). 128–255: a fuzzed rule set through the codegen's
/// rule-set reader and checker.
pub fn endpoint_rules(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else { return };
    if mode & 0x80 == 0 {
        let text = String::from_utf8_lossy(rest);
        let (region, endpoint) = text.split_once('\0').unwrap_or((&text, ""));
        let mut params = elasticache::endpoint::Params::builder()
            .region(region)
            .use_fips(mode & 1 != 0)
            .use_dual_stack(mode & 2 != 0);
        if mode & 4 != 0 {
            params = params.endpoint(endpoint);
        }
        let _ = elasticache::endpoint::resolve(&params.build());
    } else if let Ok(rules) = serde_json::from_slice::<codegen::model::endpoints::RuleSet>(rest) {
        let _ = codegen::ir::endpoints::build(&rules);
    }
}

//! Per-operation cargo features: which feature each operation is behind, and which features
//! each named type is needed by, from the model's reachability — so that a crate built with a
//! few operations compiles exactly the types those operations reach.
//!
//! One feature per operation (`describe-cache-parameters`); a service with more operations
//! than a crate may have features (the package registry allows 300 in all) gets one feature
//! per resource instead (`instance`, `volume`, ...: [`names::operation_group`]), and a service
//! with even more resources is refused, saying so.

use super::names;
use super::{Operation, Service, Type};
use std::collections::{BTreeMap, BTreeSet};

/// The most features a crate may have on the package registry.
pub const REGISTRY_LIMIT: usize = 300;

/// Room kept for the features a generated crate has besides its operations: the names in
/// [`RESERVED`] (`std` and `default` among them) and one more to spare.
pub const OTHER_FEATURES: usize = RESERVED.len() + 1;

/// The names of the crate's other features (and of those cargo gives a meaning): an operation
/// or resource of that name gets `-operations` after it (ec2's `DescribeDefault…` operations
/// would otherwise make a feature `default`).
pub const RESERVED: [&str; 19] = [
    "default",
    "default-runtime",
    "all-operations",
    "rustls",
    "rustls-ring",
    "rustls-aws-lc",
    "rustls-aws-lc-fips",
    "transport",
    "tracing",
    "blocking",
    "aws-credential-types",
    "aws-types",
    "chrono",
    "time",
    "test-util",
    "json",
    "gzip",
    "regenerate",
    "std",
];

/// The crate's operation features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features {
    /// Feature → the operations (model names) it enables.
    pub by_feature: BTreeMap<String, BTreeSet<String>>,
    /// One feature per resource rather than per operation.
    pub grouped: bool,
}

/// Which operation features need a named type: to send it (`input`: it is reached from the
/// operation's input, so its serializer and validator are needed) or to read it (`output`:
/// reached from the output or the errors, so its deserializer is needed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShapeUse {
    pub input: BTreeSet<String>,
    pub output: BTreeSet<String>,
}

impl ShapeUse {
    /// Every feature that needs the type at all.
    pub fn any(&self) -> BTreeSet<String> {
        self.input.union(&self.output).cloned().collect()
    }
}

/// Gives each operation its feature; an error when even one feature per resource would be
/// more than the registry allows.
pub fn decide(operations: &mut BTreeMap<String, Operation>) -> Result<Features, String> {
    let names: Vec<&str> = operations.keys().map(String::as_str).collect();
    let (features, grouped) = plan(&names)?;
    let mut by_feature: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (op, feature) in operations.values_mut().zip(features) {
        by_feature.entry(feature.clone()).or_default().insert(op.name.clone());
        op.feature = feature;
    }
    Ok(Features { by_feature, grouped })
}

/// The feature of each operation of `names` (in order), and whether they are grouped by
/// resource.
fn plan(names: &[&str]) -> Result<(Vec<String>, bool), String> {
    let room = REGISTRY_LIMIT.saturating_sub(OTHER_FEATURES);
    let grouped = names.len() > room;
    let features: Vec<String> = names
        .iter()
        .map(|op| {
            let feature = if grouped { names::operation_group(op) } else { names::operation_feature(op) };
            match RESERVED.contains(&feature.as_str()) {
                true => format!("{feature}-operations"),
                false => feature,
            }
        })
        .collect();
    let distinct: BTreeSet<&String> = features.iter().collect();
    if distinct.len() > room {
        return Err(format!(
            "{} operations in {} resource groups: more features than a crate may have on the package registry \
             ({REGISTRY_LIMIT}, {OTHER_FEATURES} of them kept for the crate's other features); \
             generate it with `operation_features = false` in codegen.toml, or with an allow-list",
            names.len(),
            distinct.len()
        ));
    }
    Ok((features, grouped))
}

/// Records in each named type which operation features reach it, and from which side, by
/// the IR's one reachability rule ([`Service::collect_named`]).
pub fn mark_uses(svc: &mut Service) {
    let mut uses: BTreeMap<String, ShapeUse> = BTreeMap::new();
    for op in svc.operations.values() {
        let mut input = BTreeSet::new();
        for m in &op.input.members {
            svc.collect_named(&m.ty, &mut input);
        }
        let mut output = BTreeSet::new();
        for m in &op.output.members {
            svc.collect_named(&m.ty, &mut output);
        }
        for key in &op.errors {
            svc.collect_named(&Type::Structure(key.clone()), &mut output);
        }
        for key in input {
            uses.entry(key).or_default().input.insert(op.feature.clone());
        }
        for key in output {
            uses.entry(key).or_default().output.insert(op.feature.clone());
        }
    }
    for (key, used_by) in uses {
        if let Some(shape) = svc.shapes.get_mut(&key) {
            shape.used_by = used_by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feature_per_operation_while_they_fit() {
        let (features, grouped) = plan(&["DescribeCacheParameters", "CopySnapshot", "Default"]).unwrap();
        assert!(!grouped);
        assert_eq!(features, ["describe-cache-parameters", "copy-snapshot", "default-operations"]);
    }

    #[test]
    fn a_feature_per_resource_beyond_the_room() {
        // 281 operations (one more than the 280 the registry leaves) on three resources.
        let names: Vec<String> = (0..281).map(|i| format!("{}{}", ["Describe", "Create"][i % 2], ["Instances", "Volume", "Defaults"][i % 3])).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let (features, grouped) = plan(&names).unwrap();
        assert!(grouped);
        assert_eq!(&features[..3], ["instance", "volume", "default-operations"]);
        assert_eq!(features.iter().collect::<BTreeSet<_>>().len(), 3);
    }

    #[test]
    fn more_resources_than_the_registry_allows_is_an_error() {
        let names: Vec<String> = (0..300).map(|i| format!("DescribeXy{}", "a".repeat(i + 1))).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let error = plan(&names).unwrap_err();
        assert!(error.starts_with("300 operations in 300 resource groups"), "{error}");
        assert!(error.contains("operation_features = false"), "{error}");
    }
}

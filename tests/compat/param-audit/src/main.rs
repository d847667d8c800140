//! Audits a cache parameter group against the engine's defaults: lists every parameter whose
//! value differs from the family default, and says whether applying it needs a reboot
//! (`ChangeType`).
//!
//! usage: param-audit <parameter-group> <family>

use aws_sdk_elasticache::types::{ChangeType, Parameter};
use aws_sdk_elasticache::Client;
use std::collections::BTreeMap;

#[derive(Debug, PartialEq)]
pub struct Finding {
    pub name: String,
    pub value: Option<String>,
    pub default: Option<String>,
    pub needs_reboot: bool,
}

/// Every parameter of the group (user-set and defaults), all pages.
pub async fn group_parameters(client: &Client, group: &str) -> Result<Vec<Parameter>, aws_sdk_elasticache::Error> {
    let mut params = client
        .describe_cache_parameters()
        .cache_parameter_group_name(group)
        .into_paginator()
        .items()
        .send();
    let mut all = Vec::new();
    while let Some(p) = params.next().await {
        all.push(p?);
    }
    Ok(all)
}

/// The family's defaults. The paginator pages through `EngineDefaults.Marker`.
pub async fn default_parameters(client: &Client, family: &str) -> Result<Vec<Parameter>, aws_sdk_elasticache::Error> {
    let mut pages = client
        .describe_engine_default_parameters()
        .cache_parameter_group_family(family)
        .into_paginator()
        .send();
    let mut all = Vec::new();
    while let Some(page) = pages.try_next().await? {
        if let Some(defaults) = page.engine_defaults() {
            all.extend_from_slice(defaults.parameters());
        }
    }
    Ok(all)
}

pub fn needs_reboot(p: &Parameter) -> bool {
    match p.change_type() {
        Some(ChangeType::RequiresReboot) => true,
        Some(ChangeType::Immediate) | None => false,
        // A change type this build does not know: be safe.
        Some(other) => {
            eprintln!("unknown change type {:?} for {:?}", other.as_str(), p.parameter_name());
            true
        }
    }
}

pub fn audit(group: &[Parameter], defaults: &[Parameter]) -> Vec<Finding> {
    let defaults: BTreeMap<&str, &Parameter> = defaults.iter().filter_map(|p| Some((p.parameter_name()?, p))).collect();
    let mut findings: Vec<Finding> = group
        .iter()
        .filter(|p| p.source() == Some("user"))
        .filter_map(|p| {
            let name = p.parameter_name()?;
            let default = defaults.get(name).and_then(|d| d.parameter_value());
            (p.parameter_value() != default).then(|| Finding {
                name: name.to_owned(),
                value: p.parameter_value().map(str::to_owned),
                default: default.map(str::to_owned),
                needs_reboot: needs_reboot(p),
            })
        })
        .collect();
    findings.sort_by(|a, b| a.name.cmp(&b.name));
    findings
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(group), Some(family)) = (args.next(), args.next()) else {
        return Err("usage: param-audit <parameter-group> <family>".into());
    };
    let config = aws_sdk_elasticache::Config::builder()
        .behavior_version(aws_sdk_elasticache::config::BehaviorVersion::latest())
        .region(aws_sdk_elasticache::config::Region::new("eu-west-1"))
        .build();
    let client = Client::from_conf(config);
    let findings = audit(&group_parameters(&client, &group).await?, &default_parameters(&client, &family).await?);
    for f in &findings {
        let reboot = if f.needs_reboot { " (reboot)" } else { "" };
        println!("{}: {:?} (default {:?}){reboot}", f.name, f.value, f.default);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticache::operation::describe_cache_parameters::{DescribeCacheParametersError, DescribeCacheParametersOutput};
    use aws_sdk_elasticache::operation::describe_engine_default_parameters::DescribeEngineDefaultParametersOutput;
    use aws_sdk_elasticache::types::error::CacheParameterGroupNotFoundFault;
    use aws_sdk_elasticache::types::EngineDefaults;
    use aws_smithy_mocks::{mock, mock_client, RuleMode};

    fn param(name: &str, value: &str, source: &str, change: ChangeType) -> Parameter {
        Parameter::builder()
            .parameter_name(name)
            .parameter_value(value)
            .source(source)
            .change_type(change)
            .is_modifiable(true)
            .build()
    }

    #[test]
    fn change_types_compare_and_round_trip() {
        assert_eq!(ChangeType::from("requires-reboot"), ChangeType::RequiresReboot);
        assert_eq!(ChangeType::Immediate.as_str(), "immediate");
        assert!(needs_reboot(&param("x", "1", "user", ChangeType::from("after-coffee"))));
        assert_eq!(ChangeType::from("after-coffee").as_str(), "after-coffee");
        assert!(ChangeType::values().contains(&"requires-reboot"));
    }

    #[tokio::test]
    async fn reports_user_changes_against_defaults() {
        let group = mock!(Client::describe_cache_parameters)
            .match_requests(|req| req.cache_parameter_group_name() == Some("app-redis7"))
            .sequence()
            .output(|| {
                DescribeCacheParametersOutput::builder()
                    .parameters(param("maxmemory-policy", "allkeys-lru", "user", ChangeType::Immediate))
                    .parameters(param("timeout", "0", "system", ChangeType::Immediate))
                    .marker("next")
                    .build()
            })
            .output(|| {
                DescribeCacheParametersOutput::builder()
                    .parameters(param("cluster-enabled", "yes", "user", ChangeType::RequiresReboot))
                    .parameters(param("appendonly", "no", "user", ChangeType::Immediate))
                    .build()
            })
            .build();
        let defaults = mock!(Client::describe_engine_default_parameters)
            .match_requests(|req| req.cache_parameter_group_family() == Some("redis7"))
            .then_output(|| {
                DescribeEngineDefaultParametersOutput::builder()
                    .engine_defaults(
                        EngineDefaults::builder()
                            .cache_parameter_group_family("redis7")
                            .parameters(param("maxmemory-policy", "volatile-lru", "system", ChangeType::Immediate))
                            .parameters(param("cluster-enabled", "no", "system", ChangeType::RequiresReboot))
                            .parameters(param("appendonly", "no", "system", ChangeType::Immediate))
                            .build(),
                    )
                    .build()
            });
        let client = mock_client!(aws_sdk_elasticache, RuleMode::MatchAny, [&group, &defaults]);

        let findings = audit(&group_parameters(&client, "app-redis7").await.unwrap(), &default_parameters(&client, "redis7").await.unwrap());
        assert_eq!(
            findings,
            vec![
                Finding { name: "cluster-enabled".into(), value: Some("yes".into()), default: Some("no".into()), needs_reboot: true },
                Finding {
                    name: "maxmemory-policy".into(),
                    value: Some("allkeys-lru".into()),
                    default: Some("volatile-lru".into()),
                    needs_reboot: false
                },
            ]
        );
        assert_eq!(group.num_calls(), 2);
        assert_eq!(defaults.num_calls(), 1);
    }

    #[tokio::test]
    async fn a_missing_group_is_a_typed_error() {
        let group = mock!(Client::describe_cache_parameters).then_error(|| {
            DescribeCacheParametersError::CacheParameterGroupNotFoundFault(CacheParameterGroupNotFoundFault::builder().message("nope").build())
        });
        let client = mock_client!(aws_sdk_elasticache, [&group]);
        let err = group_parameters(&client, "missing").await.unwrap_err();
        assert!(matches!(err, aws_sdk_elasticache::Error::CacheParameterGroupNotFoundFault(_)), "{err:?}");
    }

    #[tokio::test]
    async fn parameters_parse_from_the_wire() {
        let xml = r#"<DescribeCacheParametersResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/">
  <DescribeCacheParametersResult>
    <Parameters>
      <Parameter>
        <ParameterName>activedefrag</ParameterName>
        <ParameterValue>yes</ParameterValue>
        <Source>user</Source>
        <DataType>string</DataType>
        <IsModifiable>true</IsModifiable>
        <ChangeType>immediate</ChangeType>
      </Parameter>
      <Parameter>
        <ParameterName>databases</ParameterName>
        <ParameterValue>32</ParameterValue>
        <Source>user</Source>
        <DataType>integer</DataType>
        <IsModifiable>true</IsModifiable>
        <ChangeType>requires-reboot</ChangeType>
      </Parameter>
    </Parameters>
  </DescribeCacheParametersResult>
  <ResponseMetadata><RequestId>4f3e2d1c-0000-4000-8000-000000000002</RequestId></ResponseMetadata>
</DescribeCacheParametersResponse>"#;
        let group = mock!(Client::describe_cache_parameters).sequence().http_status(200, Some(xml.to_owned())).build();
        let client = mock_client!(aws_sdk_elasticache, [&group]);
        let params = group_parameters(&client, "g").await.unwrap();
        assert_eq!(params.len(), 2);
        assert_eq!(params[1].change_type(), Some(&ChangeType::RequiresReboot));
        assert_eq!(params[0].is_modifiable(), Some(true));
        assert!(needs_reboot(&params[1]));
    }
}

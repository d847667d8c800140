//! AWS partitions, for the rules function `aws.partition`: botocore's `partitions.json`
//! (version 1.1) as a table. `runtime/data/partitions.json` is the file it was taken from;
//! a test checks that this table and the file agree.

/// The outputs of `aws.partition` for one partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub name: &'static str,
    pub dns_suffix: &'static str,
    pub dual_stack_dns_suffix: &'static str,
    pub implicit_global_region: &'static str,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    /// The pattern of the partition's region names.
    pub region_regex: &'static str,
    /// Regions the partition lists by name.
    pub regions: &'static [&'static str],
}

const fn partition(
    name: &'static str,
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
    implicit_global_region: &'static str,
    region_regex: &'static str,
    regions: &'static [&'static str],
) -> Partition {
    Partition {
        name,
        dns_suffix,
        dual_stack_dns_suffix,
        implicit_global_region,
        supports_fips: true,
        supports_dual_stack: true,
        region_regex,
        regions,
    }
}

/// The first partition, and the one of regions no partition claims.
const AWS: Partition = partition(
    "aws",
    "amazonaws.com",
    "api.aws",
    "us-east-1",
    r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
    &[
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
        "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-6", "ap-southeast-7", "aws-global", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
        "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
        "me-central-1", "me-south-1", "me-west-1", "mx-central-1", "sa-east-1", "sa-west-1", "us-east-1",
        "us-east-2", "us-west-1", "us-west-2",
    ],
);

/// Every partition, in the file's order (the order regexes are tried).
pub static PARTITIONS: &[Partition] = &[
    AWS,
    partition(
        "aws-cn",
        "amazonaws.com.cn",
        "api.amazonwebservices.com.cn",
        "cn-northwest-1",
        r"^cn\-\w+\-\d+$",
        &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
    ),
    partition(
        "aws-eusc",
        "amazonaws.eu",
        "api.amazonwebservices.eu",
        "eusc-de-east-1",
        r"^eusc\-(de)\-\w+\-\d+$",
        &["eusc-de-east-1"],
    ),
    partition(
        "aws-iso",
        "c2s.ic.gov",
        "api.aws.ic.gov",
        "us-iso-east-1",
        r"^us\-iso\-\w+\-\d+$",
        &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
    ),
    partition(
        "aws-iso-b",
        "sc2s.sgov.gov",
        "api.aws.scloud",
        "us-isob-east-1",
        r"^us\-isob\-\w+\-\d+$",
        &["aws-iso-b-global", "us-isob-east-1", "us-isob-west-1"],
    ),
    partition(
        "aws-iso-e",
        "cloud.adc-e.uk",
        "api.cloud-aws.adc-e.uk",
        "eu-isoe-west-1",
        r"^eu\-isoe\-\w+\-\d+$",
        &["aws-iso-e-global", "eu-isoe-west-1"],
    ),
    partition(
        "aws-iso-f",
        "csp.hci.ic.gov",
        "api.aws.hci.ic.gov",
        "us-isof-south-1",
        r"^us\-isof\-\w+\-\d+$",
        &["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
    ),
    partition(
        "aws-us-gov",
        "amazonaws.com",
        "api.aws",
        "us-gov-west-1",
        r"^us\-gov\-\w+\-\d+$",
        &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
    ),
];

/// The partition of `region`: one that lists it by name, else the first whose pattern
/// matches it, else `aws` (the rules language's fallback for unknown names).
pub fn partition_of(region: &str) -> &'static Partition {
    PARTITIONS
        .iter()
        .find(|p| p.regions.contains(&region))
        .or_else(|| PARTITIONS.iter().find(|p| regex_matches(p.region_regex, region)))
        .unwrap_or(&AWS)
}

/// Matches the small regular-expression language of partition patterns: `^`, `$`,
/// literals, `\`-escapes, `\w+`, `\d+` and groups of literal alternatives `(a|b)`.
/// An unsupported pattern never matches.
pub fn regex_matches(pattern: &str, text: &str) -> bool {
    let Some(items) = parse_pattern(pattern) else { return false };
    match_items(&items, text.as_bytes())
}

#[derive(Debug)]
enum Item {
    Literal(u8),
    /// `\w+` or `\d+`.
    Class(fn(u8) -> bool),
    Alternatives(Vec<Vec<u8>>),
    End,
}

fn parse_pattern(pattern: &str) -> Option<Vec<Item>> {
    let mut p = pattern.strip_prefix('^')?.as_bytes();
    let mut items = Vec::new();
    while let Some((&c, rest)) = p.split_first() {
        p = match (c, rest) {
            (b'\\', [class @ (b'w' | b'd'), b'+', after @ ..]) => {
                let f: fn(u8) -> bool = if *class == b'w' { |b| b.is_ascii_alphanumeric() || b == b'_' } else { |b| b.is_ascii_digit() };
                items.push(Item::Class(f));
                after
            }
            // `\w` or `\d` without `+` is not supported.
            (b'\\', [b'w' | b'd', ..]) => return None,
            (b'\\', [escaped, after @ ..]) => {
                items.push(Item::Literal(*escaped));
                after
            }
            (b'\\', []) => return None,
            (b'(', _) => {
                let close = rest.iter().position(|b| *b == b')')?;
                let (inside, after) = rest.split_at(close);
                items.push(Item::Alternatives(inside.split(|b| *b == b'|').map(<[u8]>::to_vec).collect()));
                after.get(1..).unwrap_or_default()
            }
            (b'$', []) => {
                items.push(Item::End);
                rest
            }
            (b'$' | b'.' | b'*' | b'+' | b'?' | b'[' | b'{' | b'|', _) => return None,
            (c, _) => {
                items.push(Item::Literal(c));
                rest
            }
        };
    }
    Some(items)
}

fn match_items(items: &[Item], text: &[u8]) -> bool {
    let Some((first, rest)) = items.split_first() else { return true };
    let after = |n: usize| text.get(n..).is_some_and(|tail| match_items(rest, tail));
    match first {
        Item::End => text.is_empty(),
        Item::Literal(c) => text.first() == Some(c) && after(1),
        Item::Alternatives(alts) => alts.iter().any(|a| text.starts_with(a) && after(a.len())),
        Item::Class(f) => {
            // Greedy `+` with backtracking: try every run length from the longest.
            let run = text.iter().take_while(|b| f(**b)).count();
            (1..=run).rev().any(after)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_to_partitions() {
        assert_eq!(partition_of("us-east-1").name, "aws");
        assert_eq!(partition_of("eu-unknown-7").name, "aws");
        assert_eq!(partition_of("cn-north-1").dns_suffix, "amazonaws.com.cn");
        assert_eq!(partition_of("us-gov-west-1").name, "aws-us-gov");
        assert_eq!(partition_of("us-isob-east-1").name, "aws-iso-b");
        assert_eq!(partition_of("us-iso-west-9").name, "aws-iso");
        assert_eq!(partition_of("eusc-de-east-2").name, "aws-eusc");
        assert_eq!(partition_of("mars-north-1").name, "aws");
        assert!(!regex_matches(r"^us\-gov\-\w+\-\d+$", "us-gov-west-1x"));
        assert!(!regex_matches(r"^(us|eu)\-\w+\-\d+$", "ap-east-1"));
        assert!(!regex_matches("^a.*$", "abc"));
    }

    /// The table is botocore's `partitions.json`, field for field.
    #[test]
    fn table_matches_partitions_json() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/partitions.json");
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let parts = json["partitions"].as_array().unwrap();
        assert_eq!(parts.len(), PARTITIONS.len());
        for (p, table) in parts.iter().zip(PARTITIONS) {
            let o = &p["outputs"];
            assert_eq!(p["id"], table.name);
            assert_eq!(o["name"], table.name);
            assert_eq!(o["dnsSuffix"], table.dns_suffix);
            assert_eq!(o["dualStackDnsSuffix"], table.dual_stack_dns_suffix);
            assert_eq!(o["implicitGlobalRegion"], table.implicit_global_region);
            assert_eq!(o["supportsFIPS"], table.supports_fips);
            assert_eq!(o["supportsDualStack"], table.supports_dual_stack);
            assert_eq!(p["regionRegex"], table.region_regex);
            let mut regions: Vec<&str> = p["regions"].as_object().unwrap().keys().map(String::as_str).collect();
            regions.sort_unstable();
            assert_eq!(regions, table.regions);
            for region in &regions {
                if !region.ends_with("-global") {
                    assert!(regex_matches(table.region_regex, region), "{region} / {}", table.region_regex);
                }
            }
        }
    }
}

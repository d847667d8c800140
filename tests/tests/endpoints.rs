//! botocore's endpoint tests for ElastiCache (`models/elasticache/endpoint-tests-1.json`, 49
//! cases) against the generated crate's rule set and the runtime's rules engine: every
//! expected URL, and every expected error message. Prints `endpoints: N passed, M failed`.
//! Then the same through a configured client, to show the client uses what the rules say.

use elasticache::endpoint::{resolve, Params};
use project_tests::repo;
use serde_json::Value;

fn params(p: &Value) -> Params {
    let mut b = Params::builder();
    if let Some(r) = p["Region"].as_str() {
        b = b.region(r);
    }
    if let Some(v) = p["UseFIPS"].as_bool() {
        b = b.use_fips(v);
    }
    if let Some(v) = p["UseDualStack"].as_bool() {
        b = b.use_dual_stack(v);
    }
    if let Some(e) = p["Endpoint"].as_str() {
        b = b.endpoint(e);
    }
    b.build()
}

fn check(case: &Value) -> Result<(), String> {
    let known = ["Region", "UseFIPS", "UseDualStack", "Endpoint"];
    if let Some(other) = case["params"].as_object().into_iter().flatten().map(|(k, _)| k).find(|k| !known.contains(&k.as_str())) {
        return Err(format!("unknown parameter `{other}`"));
    }
    let result = resolve(&params(&case["params"]));
    let expect = &case["expect"];
    match (result, expect["endpoint"]["url"].as_str(), expect["error"].as_str()) {
        (Ok(e), Some(url), _) if e.url() == url => Ok(()),
        (Ok(e), Some(url), _) => Err(format!("resolved {}, expected {url}", e.url())),
        (Ok(e), None, Some(error)) => Err(format!("resolved {}, expected the error {error:?}", e.url())),
        (Err(e), _, Some(error)) if e.message() == error => Ok(()),
        (Err(e), _, Some(error)) => Err(format!("error {:?}, expected {error:?}", e.message())),
        (Err(e), Some(url), _) => Err(format!("error {:?}, expected {url}", e.message())),
        (_, None, None) => Err("the case expects neither an endpoint nor an error".into()),
    }
}

#[test]
fn botocore_endpoint_tests() {
    let text = std::fs::read_to_string(repo().join("models/elasticache/endpoint-tests-1.json")).unwrap();
    let tests: Value = serde_json::from_str(&text).unwrap();
    let cases = tests["testCases"].as_array().unwrap();
    assert_eq!(cases.len(), 49);
    let mut failures = Vec::new();
    for case in cases {
        if let Err(e) = check(case) {
            failures.push(format!("FAIL {}: {e}", case["documentation"].as_str().unwrap_or("?")));
        }
    }
    for f in &failures {
        println!("{f}");
    }
    project_tests::summary(&format!("endpoints: {} passed, {} failed", cases.len() - failures.len(), failures.len()));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A client resolves the same endpoints from its configuration, in every partition.
#[test]
fn clients_use_the_rules() {
    use elasticache::config::{Credentials, Region};
    let client = |region: &str, fips: bool, dual: bool| {
        let config = elasticache::Config::builder()
            .region(Region::new(region.to_owned()))
            .use_fips(fips)
            .use_dual_stack(dual)
            .credentials_provider(Credentials::new("a", "b", None, None, "t"))
            .build();
        elasticache::Client::from_conf(config)
    };
    let url = |c: &elasticache::Client| c.handle().endpoint_url().map_err(|e| e.to_string());
    assert_eq!(url(&client("us-west-2", false, false)).unwrap(), "https://elasticache.us-west-2.amazonaws.com");
    assert_eq!(url(&client("cn-north-1", false, false)).unwrap(), "https://elasticache.cn-north-1.amazonaws.com.cn");
    assert_eq!(url(&client("us-gov-east-1", true, true)).unwrap(), "https://elasticache-fips.us-gov-east-1.api.aws");
    assert_eq!(url(&client("us-isob-east-1", true, false)).unwrap(), "https://elasticache-fips.us-isob-east-1.sc2s.sgov.gov");
    let with_endpoint = |fips: bool| {
        let config = elasticache::Config::builder()
            .region(Region::new("us-east-1"))
            .use_fips(fips)
            .endpoint_url("https://example.com")
            .build();
        elasticache::Client::from_conf(config)
    };
    assert_eq!(url(&with_endpoint(false)).unwrap(), "https://example.com");
    assert_eq!(url(&with_endpoint(true)).unwrap_err(), "Invalid Configuration: FIPS and custom endpoint are not supported");
}

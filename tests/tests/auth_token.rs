//! IAM authentication tokens against botocore (`tests/python/auth_token.py`): for a table of
//! inputs — regions of three partitions, user ids that need percent-encoding, upper-case
//! cache names, serverless or not, with and without a session token, several expiries — each
//! token equals, byte for byte, what botocore's `SigV4QueryAuth` makes of the same request at
//! the same time with the same credentials; RDS tokens equal an RDS client's
//! `generate_db_auth_token` (what boto3 calls). The generated crate's wrappers are checked
//! against the same table.

use aws_query_runtime::auth_token::{elasticache as cache_tokens, rds};
use aws_query_runtime::config::{Config, Region};
use aws_query_runtime::credentials::Credentials;
use project_tests::project_python;
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

const REGIONS: [&str; 4] = ["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"];
const USERS: [&str; 4] = ["app-user", "user name", "iam+user/é", "u%41~_.-"];
const CACHES: [&str; 3] = ["my-cache", "rg-0001", "MyCache"];

struct Case {
    input: Value,
    credentials: Credentials,
    region: String,
    time: SystemTime,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut n = 0u64;
    for region in REGIONS {
        for (u, user) in USERS.iter().enumerate() {
            for (c, cache) in CACHES.iter().enumerate() {
                n += 1;
                let token = n.is_multiple_of(2).then(|| format!("FQoGZXIvYXdzE/session+token={n}"));
                let serverless = (u + c) % 2 == 1;
                let expires = [900, 60, 1, 899][(u + c) % 4];
                let time = 1_700_000_000 + n * 86_417;
                out.push(Case {
                    input: json!({
                        "kind": "elasticache", "cache_name": cache, "user_id": user, "serverless": serverless, "region": region,
                        "expires": expires, "time": time, "access_key": format!("AKIDEXAMPLE{n}"), "secret_key": format!("secret/{n}+key"),
                        "session_token": token,
                    }),
                    credentials: Credentials::new(format!("AKIDEXAMPLE{n}"), format!("secret/{n}+key"), token, None, "test"),
                    region: region.to_owned(),
                    time: SystemTime::UNIX_EPOCH + Duration::from_secs(time),
                });
            }
        }
        for (i, (host, port, user)) in [("mydb.123456789012.us-east-1.rds.amazonaws.com", 5432u16, "iam_user"), ("aurora.cluster-x.example", 3306, "user name@x"), ("db", 443, "a/b")].into_iter().enumerate() {
            n += 1;
            let token = (i != 1).then(|| format!("session/{n}"));
            let time = 1_600_000_000 + n * 7_919;
            out.push(Case {
                input: json!({
                    "kind": "rds", "hostname": host, "port": port, "username": user, "region": region, "time": time,
                    "access_key": format!("AKIDRDS{n}"), "secret_key": format!("rds/{n}"), "session_token": token,
                }),
                credentials: Credentials::new(format!("AKIDRDS{n}"), format!("rds/{n}"), token, None, "test"),
                region: region.to_owned(),
                time: SystemTime::UNIX_EPOCH + Duration::from_secs(time),
            });
        }
    }
    out
}

fn botocore_tokens(cases: &[Case]) -> Vec<String> {
    let script = project_tests::repo().join("tests/python/auth_token.py");
    let mut child = Command::new(project_python())
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run auth_token.py");
    let input: Vec<&Value> = cases.iter().map(|c| &c.input).collect();
    child.stdin.take().unwrap().write_all(serde_json::to_string(&input).unwrap().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "auth_token.py failed:\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn our_token(case: &Case) -> String {
    let client = Config::builder().region(Region::new(case.region.clone())).credentials_provider(case.credentials.clone()).build();
    let i = &case.input;
    let s = |k: &str| i[k].as_str().unwrap().to_owned();
    let token = if i["kind"] == "elasticache" {
        let config = cache_tokens::Config::builder()
            .cache_name(s("cache_name"))
            .user_id(s("user_id"))
            .serverless(i["serverless"].as_bool().unwrap())
            .expires_in(Duration::from_secs(i["expires"].as_u64().unwrap()))
            .build()
            .unwrap();
        cache_tokens::AuthTokenGenerator::new(config).auth_token_at(&client, None, case.time).await
    } else {
        let config = rds::Config::builder().hostname(s("hostname")).port(i["port"].as_u64().unwrap() as u16).username(s("username")).build().unwrap();
        rds::AuthTokenGenerator::new(config).auth_token_at(&client, None, case.time).await
    };
    token.unwrap().to_string()
}

#[tokio::test]
async fn tokens_equal_botocores_byte_for_byte() {
    let cases = cases();
    let expected = botocore_tokens(&cases);
    assert_eq!(expected.len(), cases.len());
    let mut failures = Vec::new();
    for (case, expected) in cases.iter().zip(&expected) {
        let ours = our_token(case).await;
        if ours != *expected {
            failures.push(format!("{}\n  ours:     {ours}\n  botocore: {expected}", case.input));
        }
    }
    let (ec, rds) = (cases.iter().filter(|c| c.input["kind"] == "elasticache").count(), cases.iter().filter(|c| c.input["kind"] == "rds").count());
    println!("auth tokens: {ec} ElastiCache and {rds} RDS cases, {} equal to botocore's, {} differ", cases.len() - failures.len(), failures.len());
    assert!(failures.is_empty(), "{} of {} tokens differ from botocore's:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// The check can fail: a token made one second later, or by other credentials, differs.
#[tokio::test]
async fn a_different_clock_or_key_gives_a_different_token() {
    let mut cases = cases();
    cases.truncate(2);
    let expected = botocore_tokens(&cases);
    let mut later = cases.remove(0);
    later.time += Duration::from_secs(1);
    assert_ne!(our_token(&later).await, expected[0]);
    let mut other = cases.remove(0);
    other.credentials = Credentials::new("AKIDEXAMPLE2", "another secret", None, None, "test");
    assert_ne!(our_token(&other).await, expected[1]);
}

/// The generated crate's module, bound to its own STS implementation, makes the same tokens,
/// and its token provider hands out one until it must be renewed.
#[tokio::test]
async fn the_generated_crates_module_makes_the_same_tokens() {
    let cases = cases();
    let case = &cases[0];
    let expected = our_token(case).await;
    let config = cache_tokens::Config::builder().cache_name("my-cache").user_id("app-user").build().unwrap();
    let client = elasticache::Config::builder().region(Region::new("us-east-1")).credentials_provider(case.credentials.clone()).build();
    let generator = elasticache::auth_token::AuthTokenGenerator::new(config);
    let now = generator.auth_token(&client).await.unwrap();
    // Made now rather than at the case's time: the same token but for the date and signature.
    let head = |t: &str| t.split("&X-Amz-Credential=").next().unwrap().to_owned();
    assert_eq!(head(&now.to_string()), head(&expected));
    let provider = generator.token_provider(&client);
    let first = provider.token().await.unwrap();
    assert_eq!(provider.token().await.unwrap(), first);
    let db = elasticache::auth_token::rds::generate_db_auth_token(&client, "db.example", 5432, "me").await.unwrap();
    assert!(db.as_str().starts_with("db.example:5432/?Action=connect&DBUser=me&X-Amz-Algorithm=AWS4-HMAC-SHA256&"), "{db}");
}

/// Credentials appear in no `Debug` or `Display` of the generators or the provider.
#[test]
fn secrets_never_print() {
    let credentials = Credentials::new("AKIDVISIBLE", "TOPSECRETKEY", Some("SESSIONSECRET".into()), None, "test");
    let config = cache_tokens::Config::builder().cache_name("c").user_id("u").credentials_provider(credentials.clone()).build().unwrap();
    let generator = elasticache::auth_token::AuthTokenGenerator::new(config);
    let client = elasticache::Config::builder().region(Region::new("us-east-1")).credentials_provider(credentials).build();
    let provider = generator.token_provider(&client);
    let shown = format!("{generator:?} {provider:?} {:?}", rds::Config::builder().hostname("h").port(1).username("u").build().unwrap());
    for secret in ["TOPSECRETKEY", "SESSIONSECRET"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

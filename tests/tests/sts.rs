//! STS through this project's generated `sts` crate.
//!
//! 1. botocore's endpoint tests for STS (`models/sts/endpoint-tests-1.json`) through the
//!    generated resolver — URLs, errors, signing regions — and the cases with built-in
//!    parameters through a configured client (`AWS::STS::UseGlobalEndpoint`). Prints
//!    `sts endpoints: N passed, M failed`.
//! 2. The credential providers' STS flows against moto: `AssumeRole` through a profile with
//!    `source_profile`, a two-step role chain, `credential_source = Environment`,
//!    `AssumeRoleWithWebIdentity` from a token file (unsigned); the assumed credentials then
//!    call ElastiCache on moto, and `GetCallerIdentity` returns the assumed role's ARN. Then
//!    aws-query-config's providers outside a client: a role profile loaded directly, and
//!    `sts::AssumeRoleProvider` configured from a loader.

use aws_query_runtime::config::Config;
use aws_query_runtime::credentials::{Credentials, Env, LoadContext, ProfileProvider, ProvideCredentials};
use elasticache::config::http::{HttpClient, HttpRequest, HttpResponse, HyperClient, SendOptions};
use project_tests::repo;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

// ---------------------------------------------------------------------------------------
// Endpoint tests.

fn params(p: &Value) -> sts::endpoint::Params {
    let mut b = sts::endpoint::Params::builder();
    if let Some(r) = p["Region"].as_str() {
        b = b.region(r);
    }
    if let Some(v) = p["UseFIPS"].as_bool() {
        b = b.use_fips(v);
    }
    if let Some(v) = p["UseDualStack"].as_bool() {
        b = b.use_dual_stack(v);
    }
    if let Some(v) = p["UseGlobalEndpoint"].as_bool() {
        b = b.use_global_endpoint(v);
    }
    if let Some(e) = p["Endpoint"].as_str() {
        b = b.endpoint(e);
    }
    b.build()
}

/// The signing region and name the case expects, from `authSchemes`.
fn expected_signing(expect: &Value) -> (Option<&str>, Option<&str>) {
    let scheme = &expect["endpoint"]["properties"]["authSchemes"][0];
    (scheme["signingRegion"].as_str(), scheme["signingName"].as_str())
}

fn check(case: &Value) -> Result<(), String> {
    let known = ["Region", "UseFIPS", "UseDualStack", "UseGlobalEndpoint", "Endpoint"];
    if let Some(other) = case["params"].as_object().into_iter().flatten().map(|(k, _)| k).find(|k| !known.contains(&k.as_str())) {
        return Err(format!("unknown parameter `{other}`"));
    }
    let result = sts::endpoint::resolve(&params(&case["params"]));
    let expect = &case["expect"];
    match (result, expect["endpoint"]["url"].as_str(), expect["error"].as_str()) {
        (Ok(e), Some(url), _) if e.url() == url => {
            let (region, name) = expected_signing(expect);
            let (got_region, got_name) = e.sigv4_overrides();
            if region.is_some() && got_region != region || name.is_some() && got_name != name {
                return Err(format!("signs as {got_region:?}/{got_name:?}, expected {region:?}/{name:?}"));
            }
            Ok(())
        }
        (Ok(e), Some(url), _) => Err(format!("resolved {}, expected {url}", e.url())),
        (Ok(e), None, Some(error)) => Err(format!("resolved {}, expected the error {error:?}", e.url())),
        (Err(e), _, Some(error)) if e.message() == error => Ok(()),
        (Err(e), _, Some(error)) => Err(format!("error {:?}, expected {error:?}", e.message())),
        (Err(e), Some(url), _) => Err(format!("error {:?}, expected {url}", e.message())),
        (_, None, None) => Err("the case expects neither an endpoint nor an error".into()),
    }
}

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(repo().join("models/sts/endpoint-tests-1.json")).unwrap();
    let tests: Value = serde_json::from_str(&text).unwrap();
    tests["testCases"].as_array().unwrap().clone()
}

#[test]
fn botocore_endpoint_tests() {
    let cases = cases();
    assert_eq!(cases.len(), 69);
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(e) = check(case) {
            failures.push(format!("FAIL {}: {e}", case["documentation"].as_str().unwrap_or("?")));
        }
    }
    for f in &failures {
        println!("{f}");
    }
    project_tests::summary(&format!("sts endpoints: {} passed, {} failed", cases.len() - failures.len(), failures.len()));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A transport that records requests and answers 200 with an empty body, for seeing where a
/// client sends and how it signs.
#[derive(Debug, Default, Clone)]
struct Capture(Arc<Mutex<Vec<HttpRequest>>>);

impl HttpClient for Capture {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
        _options: &'a SendOptions,
    ) -> aws_query_runtime::http::BoxFuture<'a, Result<HttpResponse, elasticache::config::http::ConnectorError>> {
        self.0.lock().unwrap().push(request);
        Box::pin(async { Ok(HttpResponse::new(200, "<GetCallerIdentityResponse><GetCallerIdentityResult/></GetCallerIdentityResponse>")) })
    }
}

/// The cases that give built-in parameters (`AWS::Region`, `AWS::STS::UseGlobalEndpoint`,
/// `SDK::Endpoint`) run through a configured client: the request goes to the expected URL
/// and is signed for the expected region.
#[tokio::test]
async fn endpoint_tests_through_a_configured_client() {
    let cases: Vec<Value> = cases().into_iter().filter(|c| c.get("operationInputs").is_some()).collect();
    assert_eq!(cases.len(), 18);
    let mut failures = Vec::new();
    for case in &cases {
        for input in case["operationInputs"].as_array().unwrap() {
            assert_eq!(input["operationName"], "GetCallerIdentity");
            let builtins = &input["builtInParams"];
            let capture = Capture::default();
            let mut b = Config::builder()
                .region(builtins["AWS::Region"].as_str().map(|r| aws_query_runtime::config::Region::new(r.to_owned())))
                .use_global_endpoint(builtins["AWS::STS::UseGlobalEndpoint"].as_bool().unwrap_or(false))
                .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
                .http_client(capture.clone());
            if let Some(url) = builtins["SDK::Endpoint"].as_str() {
                b = b.endpoint_url(url);
            }
            let client = sts::Client::from_conf(b.build());
            let doc = case["documentation"].as_str().unwrap_or("?");
            if let Err(e) = client.get_caller_identity().send().await {
                failures.push(format!("FAIL {doc}: {e}"));
                continue;
            }
            let sent = capture.0.lock().unwrap().pop().unwrap();
            let url = case["expect"]["endpoint"]["url"].as_str().unwrap();
            let region = expected_signing(&case["expect"]).0.or(builtins["AWS::Region"].as_str()).unwrap();
            let scope = format!("/{region}/sts/aws4_request");
            if sent.uri().trim_end_matches('/') != url.trim_end_matches('/') {
                failures.push(format!("FAIL {doc}: sent to {}, expected {url}", sent.uri()));
            } else if !sent.header("authorization").is_some_and(|a| a.contains(&scope)) {
                failures.push(format!("FAIL {doc}: signed as {:?}, expected the scope {scope}", sent.header("authorization")));
            }
        }
    }
    project_tests::summary(&format!(
        "sts endpoints through a client: {} passed, {} failed",
        cases.len() - failures.len(),
        failures.len()
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------
// STS flows against moto.

const ACCOUNT: &str = "123456789012";

/// What went over the wire, through the real transport: for each request, the action or
/// service, the access key it was signed with (if any), and whether it carried a session token.
#[derive(Debug, Clone)]
struct Recording {
    inner: Arc<HyperClient>,
    seen: Arc<Mutex<Vec<HttpRequest>>>,
}

impl Recording {
    fn new() -> Recording {
        Recording { inner: Arc::new(HyperClient::builder().build()), seen: Arc::default() }
    }

    /// `(Action, signing key)` per request: the key is `None` for an unsigned request.
    fn calls(&self) -> Vec<(String, Option<String>)> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|r| {
                let action = r.body_str().split('&').find_map(|p| p.strip_prefix("Action=")).unwrap_or("?").to_owned();
                let key = r.header("authorization").and_then(|a| a.split("Credential=").nth(1)).and_then(|c| c.split('/').next());
                (action, key.map(str::to_owned))
            })
            .collect()
    }

    fn bodies(&self) -> Vec<String> {
        self.seen.lock().unwrap().iter().map(|r| r.body_str().to_owned()).collect()
    }
}

impl HttpClient for Recording {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
        options: &'a SendOptions,
    ) -> aws_query_runtime::http::BoxFuture<'a, Result<HttpResponse, elasticache::config::http::ConnectorError>> {
        self.seen.lock().unwrap().push(request.clone());
        self.inner.send(request, options)
    }
}

/// A HOME with a config file of role profiles over static keys.
fn profiles_home(test: &str) -> PathBuf {
    let home = project_tests::scratch(&format!("sts-moto/{test}"));
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(
        home.join(".aws/config"),
        format!(
            "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n\
             [profile app]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/app-role\nsource_profile = base\nrole_session_name = app-session\n\
             [profile chained]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/second-role\nsource_profile = app\nrole_session_name = chained-session\n\
             [profile from-env]\nrole_arn = arn:aws:iam::{ACCOUNT}:role/env-role\ncredential_source = Environment\nrole_session_name = env-session\n"
        ),
    )
    .unwrap();
    std::fs::write(home.join("web-identity-token"), "eyJhbGciOiJSUzI1NiJ9.e30.c2ln\n").unwrap();
    home
}

/// The environment of an application on moto, plus `extra`.
fn moto_vars(home: &std::path::Path, extra: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    let mut vars = vec![
        ("HOME", home.display().to_string()),
        ("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials").display().to_string()),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_ENDPOINT_URL", project_tests::moto_endpoint()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
    ];
    vars.extend(extra.iter().cloned());
    vars
}

fn borrowed<'a>(vars: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    vars.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn env(vars: &[(&'static str, String)]) -> Env {
    Env::from_vars(&borrowed(vars))
}

/// The ARN `GetCallerIdentity` gives for `credentials`.
async fn caller_arn(credentials: Credentials) -> String {
    let config = Config::builder()
        .region(aws_query_runtime::config::Region::new("us-east-1"))
        .endpoint_url(project_tests::moto_endpoint())
        .credentials_provider(credentials)
        .build();
    let out = sts::Client::from_conf(config).get_caller_identity().send().await.unwrap();
    assert_eq!(out.account(), Some(ACCOUNT));
    out.arn().unwrap().to_owned()
}

/// `Config::from_env` as an application calls it, with the transport recorded; one
/// ElastiCache call; the credentials the chain loaded.
async fn from_env_call(env: Env) -> (Recording, Credentials) {
    let recording = Recording::new();
    let config = Config::from_env_vars(env).await.to_builder().http_client(recording.clone()).build();
    let client = elasticache::Client::new(&config);
    client.describe_cache_clusters().send().await.unwrap();
    // The chain's cache: what the call was signed with.
    let ctx = LoadContext::new().with_sts(Some(&aws_query_credentials_sts::STS));
    let credentials = config.credentials_provider().unwrap().provide_credentials_with(&ctx).await.unwrap();
    (recording, credentials)
}

#[tokio::test]
async fn assume_role_through_source_profile() {
    let home = profiles_home("assume_role_through_source_profile");
    let (recording, credentials) = from_env_call(env(&moto_vars(&home, &[("AWS_PROFILE", "app".into())]))).await;
    assert_eq!(credentials.provider_name(), "AssumeRole");
    let key = credentials.access_key_id().to_owned();
    assert_ne!(key, "AKIDBASE");
    assert_eq!(
        recording.calls(),
        [("AssumeRole".to_owned(), Some("AKIDBASE".to_owned())), ("DescribeCacheClusters".to_owned(), Some(key))]
    );
    let body = &recording.bodies()[0];
    assert!(body.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp-role") && body.contains("RoleSessionName=app-session"), "{body}");
    assert_eq!(caller_arn(credentials).await, format!("arn:aws:sts::{ACCOUNT}:assumed-role/app-role/app-session"));
}

#[tokio::test]
async fn two_step_role_chain() {
    let home = profiles_home("two_step_role_chain");
    let (recording, credentials) = from_env_call(env(&moto_vars(&home, &[("AWS_PROFILE", "chained".into())]))).await;
    let calls = recording.calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert_eq!(calls[0], ("AssumeRole".to_owned(), Some("AKIDBASE".to_owned())));
    // The second role is assumed with the first role's credentials.
    let first_key = calls[1].1.clone().unwrap();
    assert_eq!(calls[1].0, "AssumeRole");
    assert!(first_key != "AKIDBASE" && first_key != credentials.access_key_id());
    assert_eq!(calls[2], ("DescribeCacheClusters".to_owned(), Some(credentials.access_key_id().to_owned())));
    let bodies = recording.bodies();
    assert!(bodies[0].contains("app-role") && bodies[1].contains("second-role"), "{bodies:?}");
    assert_eq!(caller_arn(credentials).await, format!("arn:aws:sts::{ACCOUNT}:assumed-role/second-role/chained-session"));
}

#[tokio::test]
async fn credential_source_environment() {
    let home = profiles_home("credential_source_environment");
    // The chain would take the environment's keys as they are; the profile's provider
    // assumes its role with them.
    let vars = moto_vars(
        &home,
        &[("AWS_PROFILE", "from-env".into()), ("AWS_ACCESS_KEY_ID", "AKIDENV".into()), ("AWS_SECRET_ACCESS_KEY", "env-secret".into())],
    );
    let recording = Recording::new();
    let config = elasticache::Config::builder()
        .region(elasticache::config::Region::new("us-east-1"))
        .endpoint_url(project_tests::moto_endpoint())
        .credentials_provider(ProfileProvider::from_vars(&borrowed(&vars)))
        .http_client(recording.clone())
        .build();
    elasticache::Client::from_conf(config.clone()).describe_cache_clusters().send().await.unwrap();
    let calls = recording.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0], ("AssumeRole".to_owned(), Some("AKIDENV".to_owned())));
    let ctx = LoadContext::new().with_sts(Some(&aws_query_credentials_sts::STS));
    let credentials = config.credentials_provider().unwrap().provide_credentials_with(&ctx).await.unwrap();
    assert_eq!(calls[1], ("DescribeCacheClusters".to_owned(), Some(credentials.access_key_id().to_owned())));
    assert_eq!(caller_arn(credentials).await, format!("arn:aws:sts::{ACCOUNT}:assumed-role/env-role/env-session"));
}

#[tokio::test]
async fn assume_role_with_web_identity_from_a_token_file() {
    let home = profiles_home("assume_role_with_web_identity_from_a_token_file");
    let vars = moto_vars(
        &home,
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", home.join("web-identity-token").display().to_string()),
            ("AWS_ROLE_ARN", format!("arn:aws:iam::{ACCOUNT}:role/irsa-role")),
            ("AWS_ROLE_SESSION_NAME", "irsa-session".into()),
        ],
    );
    let (recording, credentials) = from_env_call(env(&vars)).await;
    assert_eq!(credentials.provider_name(), "WebIdentityToken");
    // The STS call is unsigned: the token is the proof.
    assert_eq!(
        recording.calls(),
        [
            ("AssumeRoleWithWebIdentity".to_owned(), None),
            ("DescribeCacheClusters".to_owned(), Some(credentials.access_key_id().to_owned()))
        ]
    );
    let body = &recording.bodies()[0];
    assert!(body.split('&').any(|p| p == "WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), "{body}");
    assert_eq!(caller_arn(credentials).await, format!("arn:aws:sts::{ACCOUNT}:assumed-role/irsa-role/irsa-session"));
}

/// The `sts` crate's own `Config::from_env()`: its chain has every source but the ones that
/// need STS, and says so.
#[tokio::test]
async fn sts_crate_from_env_without_sts_based_sources() {
    let home = profiles_home("sts_crate_from_env_without_sts_based_sources");
    let config = sts::Config::from_env_vars(env(&moto_vars(&home, &[("AWS_PROFILE", "base".into())]))).await;
    let out = sts::Client::new(&config).get_caller_identity().send().await.unwrap();
    assert_eq!(out.account(), Some(ACCOUNT));
    let config = sts::Config::from_env_vars(env(&moto_vars(&home, &[("AWS_PROFILE", "app".into())]))).await;
    let e = sts::Client::new(&config).get_caller_identity().send().await.unwrap_err();
    let shown = format!("{e}");
    assert!(shown.contains("needs STS") && shown.contains("profile `app`"), "{shown}");
}

/// aws-query-config's providers outside a client, against moto: a loader with a role
/// profile (its credentials loaded directly, STS supplied by the crate), and
/// `sts::AssumeRoleProvider` configured from a loader with static keys.
#[tokio::test]
async fn aws_query_config_assumes_roles_outside_a_client() {
    let home = profiles_home("aws_query_config_assumes_roles_outside_a_client");
    let app = aws_query_config::from_env().env(env(&moto_vars(&home, &[("AWS_PROFILE", "app".into())]))).load().await;
    let credentials = app.credentials_provider().unwrap().provide_credentials().await.unwrap();
    assert_eq!(credentials.provider_name(), "AssumeRole");
    assert_eq!(caller_arn(credentials).await, format!("arn:aws:sts::{ACCOUNT}:assumed-role/app-role/app-session"));

    let base = aws_query_config::from_env().env(env(&moto_vars(&home, &[("AWS_PROFILE", "base".into())]))).load().await;
    let provider = aws_query_config::sts::AssumeRoleProvider::builder(format!("arn:aws:iam::{ACCOUNT}:role/ops-role"))
        .session_name("ops-session")
        .session_length(std::time::Duration::from_secs(900))
        .configure(&base)
        .build()
        .await;
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.provider_name(), "AssumeRole");
    assert_ne!(credentials.access_key_id(), "AKIDBASE");
    // Cached: the second load gives the same credentials without another call.
    assert_eq!(provider.provide_credentials().await.unwrap(), credentials);
    assert_eq!(caller_arn(credentials).await, format!("arn:aws:sts::{ACCOUNT}:assumed-role/ops-role/ops-session"));
}

//! The credential chain against loopback fakes of what AWS compute offers, each behaving as
//! the service documents: IMDSv2 (session token with TTL, 401 for a wrong token, slow and
//! failing answers, expiring credentials, static stability), the container endpoint
//! (authorization token re-read per fetch, refused hosts), the SSO portal and SSO-OIDC
//! (cached tokens valid, expired with a refresh token, expired without). Then the chain's
//! order with every source present and each removed, and the time limits of a load: a hung
//! `credential_process` ends within the timeout and the process is gone, under the provider
//! timeout, the operation timeout, and a dropped call. STS is a fake here (the STS flows run
//! against moto in the `sts` suite).
//!
//! Nothing here reads the real environment or `~/.aws`: every provider gets a fixed `Env`
//! whose `HOME` is a scratch folder.

use aws_query_runtime::config::Config;
use aws_query_runtime::credentials::sts::{AssumeRoleRequest, Sts, StsCall, WebIdentityRequest};
use aws_query_runtime::credentials::{
    Credentials, CredentialsError, CredentialsErrorKind, DefaultCredentialsChain, Env, LoadContext, ProvideCredentials,
};
use aws_query_runtime::http::BoxFuture;
use project_tests::fake_http::{FakeServer, Reply, Request};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// An ISO-8601 time `secs` from now (negative: in the past).
fn iso_in(secs: i64) -> String {
    let t = if secs >= 0 {
        SystemTime::now() + Duration::from_secs(secs as u64)
    } else {
        SystemTime::now() - Duration::from_secs(secs.unsigned_abs())
    };
    let mut out = String::new();
    aws_query_runtime::time::format_iso8601(&t.into(), &mut out);
    out
}

/// A fresh scratch folder, used as `HOME`.
fn scratch_home(name: &str) -> PathBuf {
    project_tests::scratch(&format!("credentials/{name}"))
}

fn vars_env(vars: &[(&str, String)]) -> Env {
    let borrowed: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Env::from_vars(&borrowed)
}

fn chain(vars: &[(&str, String)]) -> DefaultCredentialsChain {
    DefaultCredentialsChain::builder().env(vars_env(vars)).build()
}

async fn load(chain: &DefaultCredentialsChain) -> Result<Credentials, CredentialsError> {
    chain.provide_credentials_with(&LoadContext::new().with_sts(Some(&FAKE_STS))).await
}

/// STS, faked: the STS flows themselves run against moto in the `sts` suite.
#[derive(Debug)]
struct FakeSts;

static FAKE_STS: FakeSts = FakeSts;

impl Sts for FakeSts {
    fn assume_role(&self, _call: StsCall, request: AssumeRoleRequest) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { Ok(Credentials::new(format!("assumed:{}", request.role_arn), "SK", Some("T".into()), None, "AssumeRole")) })
    }

    fn assume_role_with_web_identity(
        &self,
        _call: StsCall,
        request: WebIdentityRequest,
    ) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let key = format!("web:{}:{}", request.role_arn, request.web_identity_token);
            Ok(Credentials::new(key, "SK", Some("T".into()), None, "WebIdentityToken"))
        })
    }
}

// ---------------------------------------------------------------------------------------
// A fake IMDSv2.

const ROLE: &str = "test-role";

#[derive(Debug)]
struct ImdsState {
    /// The token the server accepts; changing it makes the client's token stale (401).
    token: String,
    tokens_issued: usize,
    key: String,
    /// Seconds from now to the credentials' expiry (negative: already expired).
    expires_in: i64,
    /// Every request gets this instead, when set.
    failure: Option<Reply>,
}

fn imds_state(key: &str, expires_in: i64) -> Arc<Mutex<ImdsState>> {
    Arc::new(Mutex::new(ImdsState { token: "token-1".into(), tokens_issued: 0, key: key.into(), expires_in, failure: None }))
}

async fn fake_imds(state: Arc<Mutex<ImdsState>>) -> FakeServer {
    FakeServer::start(move |r: &Request| {
        let mut s = state.lock().unwrap();
        if let Some(failure) = &s.failure {
            return failure.clone();
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("PUT", "/latest/api/token") => match r.header("x-aws-ec2-metadata-token-ttl-seconds") {
                Some(ttl) => {
                    s.tokens_issued += 1;
                    Reply::new(200, s.token.clone()).header("x-aws-ec2-metadata-token-ttl-seconds", ttl)
                }
                None => Reply::new(400, "missing TTL"),
            },
            ("GET", path) if r.header("x-aws-ec2-metadata-token") != Some(s.token.as_str()) => Reply::new(401, format!("bad token for {path}")),
            ("GET", "/latest/meta-data/iam/security-credentials/") => Reply::new(200, format!("{ROLE}\n")),
            ("GET", "/latest/meta-data/iam/security-credentials/test-role") => Reply::new(
                200,
                format!(
                    r#"{{"Code":"Success","LastUpdated":"{}","Type":"AWS-HMAC","AccessKeyId":"{}","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"{}"}}"#,
                    iso_in(0),
                    s.key,
                    iso_in(s.expires_in)
                ),
            ),
            ("GET", "/latest/meta-data/placement/region") => Reply::new(200, "eu-central-1"),
            _ => Reply::new(404, "not found"),
        }
    })
    .await
}

fn imds_vars(home: &Path, server: &FakeServer) -> Vec<(&'static str, String)> {
    vec![("HOME", home.display().to_string()), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.endpoint.clone())]
}

#[tokio::test]
async fn imds_token_then_role_then_credentials() {
    let state = imds_state("IMDSKEY", 6 * 3600);
    let server = fake_imds(state.clone()).await;
    let c = load(&chain(&imds_vars(&scratch_home("imds-basic"), &server))).await.unwrap();
    assert_eq!((c.access_key_id(), c.session_token(), c.provider_name()), ("IMDSKEY", Some("imds-token"), "Imds"));
    let requests = server.requests();
    let paths: Vec<(&str, &str)> = requests.iter().map(|r| (r.method.as_str(), r.path.as_str())).collect();
    assert_eq!(
        paths,
        [
            ("PUT", "/latest/api/token"),
            ("GET", "/latest/meta-data/iam/security-credentials/"),
            ("GET", "/latest/meta-data/iam/security-credentials/test-role")
        ]
    );
    assert_eq!(requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"), Some("21600"));
    assert!(requests[1..].iter().all(|r| r.header("x-aws-ec2-metadata-token") == Some("token-1")));
}

#[tokio::test]
async fn imds_wrong_token_gets_a_401_and_a_new_token() {
    let state = imds_state("K1", 240); // inside the five-minute margin: every load fetches
    let server = fake_imds(state.clone()).await;
    let chain = chain(&imds_vars(&scratch_home("imds-401"), &server));
    assert_eq!(load(&chain).await.unwrap().access_key_id(), "K1");
    {
        let mut s = state.lock().unwrap();
        s.token = "token-2".into();
        s.key = "K2".into();
    }
    assert_eq!(load(&chain).await.unwrap().access_key_id(), "K2");
    assert_eq!(state.lock().unwrap().tokens_issued, 2);
    let rejected = server.requests().iter().filter(|r| r.header("x-aws-ec2-metadata-token") == Some("token-1")).count();
    assert_eq!(rejected, 3, "two GETs of the first load, one rejected GET of the second");
}

#[tokio::test]
async fn imds_credentials_about_to_expire_are_refreshed() {
    let state = imds_state("OLD", 240);
    let server = fake_imds(state.clone()).await;
    let chain = chain(&imds_vars(&scratch_home("imds-refresh"), &server));
    assert_eq!(load(&chain).await.unwrap().access_key_id(), "OLD");
    {
        let mut s = state.lock().unwrap();
        s.key = "NEW".into();
        s.expires_in = 6 * 3600;
    }
    let c = load(&chain).await.unwrap();
    assert_eq!(c.access_key_id(), "NEW");
    // Fresh for hours now: the next load is the cache's, no request.
    let before = server.requests().len();
    assert_eq!(load(&chain).await.unwrap().access_key_id(), "NEW");
    assert_eq!(server.requests().len(), before);
}

#[tokio::test]
async fn imds_failing_keeps_the_last_credentials_static_stability() {
    let state = imds_state("STABLE", 240);
    let server = fake_imds(state.clone()).await;
    let chain = chain(&imds_vars(&scratch_home("imds-stable"), &server));
    let first = load(&chain).await.unwrap();
    let before_failure = server.requests().len();
    state.lock().unwrap().failure = Some(Reply::new(500, "internal error"));
    let start = Instant::now();
    let kept = load(&chain).await.unwrap();
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    assert_eq!(kept.access_key_id(), "STABLE");
    let expiry = kept.expiry().unwrap();
    assert!(expiry > first.expiry().unwrap() && expiry >= SystemTime::now() + Duration::from_secs(590), "{expiry:?}");
    // Four attempts (the session token is still good: four GETs of the role), each a 500.
    assert_eq!(server.requests().len() - before_failure, 4);
    let role_lookups = server.requests().iter().filter(|r| r.path == "/latest/meta-data/iam/security-credentials/").count();
    assert_eq!(role_lookups, 1 + 4);
    // Kept: the next load is the cache's.
    let before = server.requests().len();
    assert_eq!(load(&chain).await.unwrap().access_key_id(), "STABLE");
    assert_eq!(server.requests().len(), before);
}

#[tokio::test]
async fn imds_expired_credentials_are_used_with_an_extended_expiry() {
    let state = imds_state("EXPIRED", -60);
    let server = fake_imds(state).await;
    let c = load(&chain(&imds_vars(&scratch_home("imds-expired"), &server))).await.unwrap();
    assert_eq!(c.access_key_id(), "EXPIRED");
    assert!(c.expiry().unwrap() >= SystemTime::now() + Duration::from_secs(590));
}

#[tokio::test]
async fn imds_failing_without_earlier_credentials_is_an_error_after_four_attempts() {
    let state = imds_state("K", 3600);
    state.lock().unwrap().failure = Some(Reply::new(503, "unavailable"));
    let server = fake_imds(state).await;
    let e = load(&chain(&imds_vars(&scratch_home("imds-503"), &server))).await.unwrap_err();
    assert!(e.to_string().contains("IMDS failed 4 times") && e.to_string().contains("503"), "{e}");
    assert_eq!(server.count("PUT", "/latest/api/token"), 4);
}

#[tokio::test]
async fn imds_slow_is_abandoned_and_then_left_alone() {
    let state = imds_state("K", 3600);
    state.lock().unwrap().failure = Some(Reply::new(200, "late").delayed(Duration::from_secs(3)));
    let server = fake_imds(state).await;
    let chain = chain(&imds_vars(&scratch_home("imds-slow"), &server));
    let start = Instant::now();
    let e = load(&chain).await.unwrap_err();
    // Four attempts of 1 s each and short backoffs: within the 5 s load timeout.
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
    assert!(e.to_string().contains("IMDS could not be reached"), "{e}");
    assert_eq!(server.count("PUT", "/latest/api/token"), 4);
    // A second load does not wait for it again.
    let start = Instant::now();
    assert!(load(&chain).await.is_err());
    assert!(start.elapsed() < Duration::from_millis(500), "{:?}", start.elapsed());
    assert_eq!(server.count("PUT", "/latest/api/token"), 4);
}

#[tokio::test]
async fn imds_disabled_is_never_asked() {
    let state = imds_state("K", 3600);
    let server = fake_imds(state).await;
    let mut vars = imds_vars(&scratch_home("imds-disabled"), &server);
    vars.push(("AWS_EC2_METADATA_DISABLED", "true".into()));
    let e = load(&chain(&vars)).await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
    assert!(e.to_string().contains("AWS_EC2_METADATA_DISABLED"), "{e}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn region_from_imds_when_nothing_else_names_one() {
    let state = imds_state("K", 3600);
    let server = fake_imds(state).await;
    let home = scratch_home("imds-region");
    let config = Config::from_env_vars(vars_env(&imds_vars(&home, &server))).await;
    assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-central-1"));
    // The environment's region wins, and IMDS is not asked.
    let before = server.requests().len();
    let mut vars = imds_vars(&home, &server);
    vars.push(("AWS_REGION", "ap-south-1".into()));
    let config = Config::from_env_vars(vars_env(&vars)).await;
    assert_eq!(config.region().map(|r| r.as_ref()), Some("ap-south-1"));
    assert_eq!(server.requests().len(), before);
}

// ---------------------------------------------------------------------------------------
// A fake container-credentials endpoint (ECS, EKS Pod Identity).

#[derive(Debug)]
struct ContainerState {
    token: String,
    key: String,
    failure: Option<Reply>,
}

async fn fake_container(state: Arc<Mutex<ContainerState>>) -> FakeServer {
    FakeServer::start(move |r: &Request| {
        let s = state.lock().unwrap();
        if let Some(failure) = &s.failure {
            return failure.clone();
        }
        if r.path != "/v1/credentials" {
            return Reply::new(404, "{}");
        }
        if r.header("authorization") != Some(s.token.as_str()) {
            return Reply::new(401, r#"{"code":"AccessDenied","message":"the authorization token is not valid"}"#);
        }
        Reply::new(
            200,
            format!(
                r#"{{"AccessKeyId":"{}","SecretAccessKey":"c-secret","Token":"c-token","Expiration":"{}","RoleArn":"arn:aws:iam::123456789012:role/pod"}}"#,
                s.key,
                iso_in(240)
            ),
        )
    })
    .await
}

fn container_vars(home: &Path, server: &FakeServer, token_file: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("HOME", home.display().to_string()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/v1/credentials", server.endpoint)),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file.display().to_string()),
    ]
}

#[tokio::test]
async fn container_credentials_with_a_token_file_read_at_every_fetch() {
    let state = Arc::new(Mutex::new(ContainerState { token: "pod-token-1".into(), key: "POD1".into(), failure: None }));
    let server = fake_container(state.clone()).await;
    let home = scratch_home("container");
    let token_file = home.join("token");
    std::fs::write(&token_file, "pod-token-1\n").unwrap();
    let chain = chain(&container_vars(&home, &server, &token_file));
    let c = load(&chain).await.unwrap();
    assert_eq!((c.access_key_id(), c.session_token(), c.provider_name()), ("POD1", Some("c-token"), "ContainerCredentials"));
    // The agent rotates the token: the next fetch (the credentials expire within five minutes)
    // reads the new one.
    {
        let mut s = state.lock().unwrap();
        s.token = "pod-token-2".into();
        s.key = "POD2".into();
    }
    std::fs::write(&token_file, "pod-token-2").unwrap();
    assert_eq!(load(&chain).await.unwrap().access_key_id(), "POD2");
    let tokens: Vec<Option<String>> = server.requests().iter().map(|r| r.header("authorization").map(str::to_owned)).collect();
    assert_eq!(tokens, [Some("pod-token-1".to_owned()), Some("pod-token-2".to_owned())]);
}

#[tokio::test]
async fn container_wrong_token_is_a_401_error() {
    let state = Arc::new(Mutex::new(ContainerState { token: "right".into(), key: "K".into(), failure: None }));
    let server = fake_container(state).await;
    let home = scratch_home("container-401");
    let token_file = home.join("token");
    std::fs::write(&token_file, "wrong").unwrap();
    let e = load(&chain(&container_vars(&home, &server, &token_file))).await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::ProviderError);
    let shown = e.to_string();
    assert!(shown.contains("401") && shown.contains("AccessDenied"), "{shown}");
    assert_eq!(server.requests().len(), 1, "a 401 is not retried");
}

#[tokio::test]
async fn container_failing_is_retried_then_an_error_and_slow_is_bounded() {
    let state = Arc::new(Mutex::new(ContainerState { token: "t".into(), key: "K".into(), failure: Some(Reply::new(500, "{}")) }));
    let server = fake_container(state.clone()).await;
    let home = scratch_home("container-500");
    let token_file = home.join("token");
    std::fs::write(&token_file, "t").unwrap();
    let vars = container_vars(&home, &server, &token_file);
    let e = load(&chain(&vars)).await.unwrap_err();
    assert!(e.to_string().contains("500"), "{e}");
    assert_eq!(server.requests().len(), 3);

    state.lock().unwrap().failure = Some(Reply::new(200, "{}").delayed(Duration::from_secs(10)));
    let slow = DefaultCredentialsChain::builder().env(vars_env(&vars)).load_timeout(Duration::from_secs(1)).build();
    let start = Instant::now();
    let e = load(&slow).await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::TimedOut, "{e}");
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
}

#[tokio::test]
async fn container_endpoint_on_another_host_is_refused_without_a_request() {
    let home = scratch_home("container-refused");
    for uri in ["http://192.0.2.10/v1/credentials", "http://169.254.169.254/latest"] {
        let vars = [
            ("HOME", home.display().to_string()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri.to_owned()),
        ];
        let e = load(&chain(&vars)).await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration, "{uri}: {e}");
        assert!(e.to_string().contains("is refused"), "{e}");
    }
}

// ---------------------------------------------------------------------------------------
// SSO: the token cache of `aws sso login`, a fake portal and a fake SSO-OIDC.

/// The cache file names the AWS CLI gives: SHA-1 of the session name (`admin`) and of the
/// legacy start URL.
const SESSION_CACHE_FILE: &str = "d033e22ae348aeb5660fc2140aec35850c4da997.json";
const LEGACY_START_URL: &str = "https://d-92671207e4.awsapps.com/start";
const LEGACY_CACHE_FILE: &str = "13f9d35043871d073ab260e020f0ffde092cb14b.json";

async fn fake_sso() -> FakeServer {
    FakeServer::start(|r: &Request| match (r.method.as_str(), r.path.split('?').next().unwrap_or("")) {
        ("GET", "/federation/credentials") => {
            let token = r.header("x-amz-sso_bearer_token").unwrap_or("");
            if token != "valid-token" && token != "refreshed-token" {
                return Reply::new(401, r#"{"message":"Session token not found or invalid"}"#);
            }
            let millis = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_millis() + 3_600_000;
            Reply::new(
                200,
                format!(
                    r#"{{"roleCredentials":{{"accessKeyId":"SSOKEY-{token}","secretAccessKey":"sso-secret","sessionToken":"sso-session","expiration":{millis}}}}}"#
                ),
            )
        }
        ("POST", "/token") => {
            let body: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
            if body["grantType"] == "refresh_token" && body["refreshToken"] == "refresh-1" && body["clientId"] == "client-1" && body["clientSecret"] == "secret-1" {
                Reply::new(200, r#"{"accessToken":"refreshed-token","expiresIn":3600,"refreshToken":"refresh-2","tokenType":"Bearer"}"#)
            } else {
                Reply::new(400, r#"{"error":"invalid_grant","error_description":"bad refresh token"}"#)
            }
        }
        _ => Reply::new(404, "{}"),
    })
    .await
}

/// A HOME with an SSO profile (`sso`, session `admin`), a legacy one (`legacy`), and the
/// token file `cache_file` holding `token`.
fn sso_home(name: &str, cache_file: &str, token: &serde_json::Value) -> PathBuf {
    let home = scratch_home(name);
    std::fs::create_dir_all(home.join(".aws/sso/cache")).unwrap();
    std::fs::write(
        home.join(".aws/config"),
        format!(
            "[profile sso]\nsso_session = admin\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
             [sso-session admin]\nsso_start_url = https://corp.example/start\nsso_region = eu-west-1\n\
             [profile legacy]\nsso_start_url = {LEGACY_START_URL}\nsso_region = us-east-1\nsso_account_id = 444455556666\nsso_role_name = Ops\n"
        ),
    )
    .unwrap();
    std::fs::write(home.join(".aws/sso/cache").join(cache_file), token.to_string()).unwrap();
    home
}

fn sso_vars(home: &Path, server: &FakeServer, profile: &str) -> Vec<(&'static str, String)> {
    vec![
        ("HOME", home.display().to_string()),
        ("AWS_PROFILE", profile.into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("AWS_ENDPOINT_URL_SSO", server.endpoint.clone()),
        ("AWS_ENDPOINT_URL_SSO_OIDC", server.endpoint.clone()),
    ]
}

#[tokio::test]
async fn sso_valid_cached_token() {
    let server = fake_sso().await;
    let token = serde_json::json!({"startUrl": "https://corp.example/start", "region": "eu-west-1", "accessToken": "valid-token", "expiresAt": iso_in(3600)});
    let home = sso_home("sso-valid", SESSION_CACHE_FILE, &token);
    let c = load(&chain(&sso_vars(&home, &server, "sso"))).await.unwrap();
    assert_eq!((c.access_key_id(), c.session_token(), c.provider_name()), ("SSOKEY-valid-token", Some("sso-session"), "Sso"));
    let expiry = c.expiry().unwrap();
    assert!(expiry > SystemTime::now() + Duration::from_secs(3500) && expiry < SystemTime::now() + Duration::from_secs(3700));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/federation/credentials?account_id=111122223333&role_name=Dev");
}

#[tokio::test]
async fn sso_legacy_profile() {
    let server = fake_sso().await;
    let token = serde_json::json!({"startUrl": LEGACY_START_URL, "region": "us-east-1", "accessToken": "valid-token", "expiresAt": iso_in(3600)});
    let home = sso_home("sso-legacy", LEGACY_CACHE_FILE, &token);
    let c = load(&chain(&sso_vars(&home, &server, "legacy"))).await.unwrap();
    assert_eq!(c.access_key_id(), "SSOKEY-valid-token");
    assert_eq!(server.requests()[0].path, "/federation/credentials?account_id=444455556666&role_name=Ops");
}

#[tokio::test]
async fn sso_expired_token_is_refreshed_and_written_back() {
    let server = fake_sso().await;
    let token = serde_json::json!({
        "startUrl": "https://corp.example/start", "region": "eu-west-1", "accessToken": "expired-token", "expiresAt": iso_in(-60),
        "clientId": "client-1", "clientSecret": "secret-1", "refreshToken": "refresh-1", "registrationExpiresAt": iso_in(86_400),
    });
    let home = sso_home("sso-refresh", SESSION_CACHE_FILE, &token);
    let c = load(&chain(&sso_vars(&home, &server, "sso"))).await.unwrap();
    assert_eq!(c.access_key_id(), "SSOKEY-refreshed-token");
    let requests = server.requests();
    let calls: Vec<(&str, &str)> = requests.iter().map(|r| (r.method.as_str(), r.path.split('?').next().unwrap())).collect();
    assert_eq!(calls, [("POST", "/token"), ("GET", "/federation/credentials")]);
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.join(".aws/sso/cache").join(SESSION_CACHE_FILE)).unwrap()).unwrap();
    assert_eq!(written["accessToken"], "refreshed-token");
    assert_eq!(written["refreshToken"], "refresh-2");
    assert_eq!(written["clientId"], "client-1", "the rest of the file is kept");
    let expires = aws_query_runtime::time::parse_timestamp(written["expiresAt"].as_str().unwrap()).unwrap();
    assert!(SystemTime::try_from(expires).unwrap() > SystemTime::now() + Duration::from_secs(3500));
}

#[tokio::test]
async fn sso_expired_token_without_refresh_says_to_log_in() {
    let server = fake_sso().await;
    let token = serde_json::json!({"startUrl": "https://corp.example/start", "region": "eu-west-1", "accessToken": "expired-token", "expiresAt": iso_in(-60)});
    let home = sso_home("sso-expired", SESSION_CACHE_FILE, &token);
    let e = load(&chain(&sso_vars(&home, &server, "sso"))).await.unwrap_err();
    assert!(e.to_string().contains("has expired") && e.to_string().contains("run `aws sso login --sso-session admin`"), "{e}");
    assert!(!e.to_string().contains("expired-token"), "the token is not shown: {e}");
    assert!(server.requests().is_empty());
    // Legacy profiles cannot refresh at all.
    let token = serde_json::json!({"startUrl": LEGACY_START_URL, "accessToken": "expired-token", "expiresAt": iso_in(-60)});
    let home = sso_home("sso-expired-legacy", LEGACY_CACHE_FILE, &token);
    let e = load(&chain(&sso_vars(&home, &server, "legacy"))).await.unwrap_err();
    assert!(e.to_string().contains("run `aws sso login --profile legacy`"), "{e}");
    // No token file at all: the same advice.
    let home = scratch_home("sso-no-login");
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(home.join(".aws/config"), "[profile sso]\nsso_session = admin\nsso_account_id = 1\nsso_role_name = R\n[sso-session admin]\nsso_start_url = u\nsso_region = eu-west-1\n").unwrap();
    let e = load(&chain(&sso_vars(&home, &server, "sso"))).await.unwrap_err();
    assert!(e.to_string().contains("no SSO token") && e.to_string().contains("aws sso login --sso-session admin"), "{e}");
}

// ---------------------------------------------------------------------------------------
// The chain's order.

/// The five sources of the chain, in order, each set up to answer with a key naming it.
struct AllSources {
    home: PathBuf,
    imds: FakeServer,
    container: FakeServer,
}

const SOURCES: [&str; 5] = ["environment", "profile", "web identity", "container", "IMDS"];
const PROVIDER_NAMES: [&str; 5] = ["Environment", "Profile", "WebIdentityToken", "ContainerCredentials", "Imds"];

impl AllSources {
    async fn new(name: &str) -> AllSources {
        let home = scratch_home(name);
        std::fs::create_dir_all(home.join(".aws")).unwrap();
        std::fs::write(home.join(".aws/credentials"), "[default]\naws_access_key_id = PROFILEKEY\naws_secret_access_key = s\n").unwrap();
        std::fs::write(home.join("web-token"), "jwt-1").unwrap();
        let imds = fake_imds(imds_state("IMDSKEY", 6 * 3600)).await;
        let container = fake_container(Arc::new(Mutex::new(ContainerState { token: "t".into(), key: "CONTAINERKEY".into(), failure: None }))).await;
        AllSources { home, imds, container }
    }

    /// The environment with the sources of `present` configured.
    fn vars(&self, present: &[&str]) -> Vec<(&'static str, String)> {
        let mut vars = vec![("HOME", self.home.display().to_string())];
        if !present.contains(&"profile") {
            vars.push(("AWS_SHARED_CREDENTIALS_FILE", self.home.join("none").display().to_string()));
        }
        if present.contains(&"environment") {
            vars.push(("AWS_ACCESS_KEY_ID", "ENVKEY".into()));
            vars.push(("AWS_SECRET_ACCESS_KEY", "s".into()));
        }
        if present.contains(&"web identity") {
            vars.push(("AWS_WEB_IDENTITY_TOKEN_FILE", self.home.join("web-token").display().to_string()));
            vars.push(("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa".into()));
        }
        if present.contains(&"container") {
            vars.push(("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/v1/credentials", self.container.endpoint)));
            vars.push(("AWS_CONTAINER_AUTHORIZATION_TOKEN", "t".into()));
        }
        if present.contains(&"IMDS") {
            vars.push(("AWS_EC2_METADATA_SERVICE_ENDPOINT", self.imds.endpoint.clone()));
        } else {
            vars.push(("AWS_EC2_METADATA_DISABLED", "true".into()));
        }
        vars
    }
}

#[tokio::test]
async fn chain_order_with_every_source_and_each_removed() {
    let all = AllSources::new("chain-order").await;
    // Sources removed one by one from the front: each in turn is the one used, and the
    // sources after it are never contacted.
    for first in 0..SOURCES.len() {
        let (imds_before, container_before) = (all.imds.requests().len(), all.container.requests().len());
        let c = load(&chain(&all.vars(&SOURCES[first..]))).await.unwrap();
        assert_eq!(c.provider_name(), PROVIDER_NAMES[first], "with {:?}", &SOURCES[first..]);
        if first < 3 {
            assert_eq!(all.container.requests().len(), container_before, "the container endpoint was asked");
        }
        if first < 4 {
            assert_eq!(all.imds.requests().len(), imds_before, "IMDS was asked");
        }
    }
    // Each source missing alone: the first of the others wins.
    for missing in SOURCES {
        let present: Vec<&str> = SOURCES.iter().copied().filter(|s| *s != missing).collect();
        let c = load(&chain(&all.vars(&present))).await.unwrap();
        let expected = if missing == "environment" { "Profile" } else { "Environment" };
        assert_eq!(c.provider_name(), expected, "without {missing}");
    }
    // None: an error that says where it looked.
    let e = load(&chain(&all.vars(&[]))).await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::NotLoaded);
    for source in SOURCES {
        assert!(e.to_string().contains(&format!("{source}: ")), "{source} not named in: {e}");
    }
}

#[tokio::test]
async fn sts_sources_without_sts_say_so() {
    let all = AllSources::new("chain-without-sts").await;
    let chain = chain(&all.vars(&["web identity"]));
    let e = chain.provide_credentials().await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(e.to_string().contains("needs STS") && e.to_string().contains("credentials = \"basic\""), "{e}");
}

// ---------------------------------------------------------------------------------------
// Time limits: a hung `credential_process`.

/// A HOME whose default profile's `credential_process` writes its pid to `pid` and hangs.
fn hung_process_home(name: &str) -> (PathBuf, PathBuf) {
    let home = scratch_home(name);
    let pid = home.join("pid");
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(home.join(".aws/config"), format!("[default]\ncredential_process = echo $$ > {}; exec sleep 60\n", pid.display()))
        .unwrap();
    (home, pid)
}

fn hung_vars(home: &Path) -> Vec<(&'static str, String)> {
    vec![("HOME", home.display().to_string()), ("AWS_EC2_METADATA_DISABLED", "true".into())]
}

/// Waits up to 5 s for the process in `pid_file` to be gone (reaped, not a zombie).
async fn assert_process_gone(pid_file: &Path) {
    let mut pid = String::new();
    for _ in 0..100 {
        pid = std::fs::read_to_string(pid_file).unwrap_or_default().trim().to_owned();
        if !pid.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!pid.is_empty(), "the process never started");
    let proc = PathBuf::from(format!("/proc/{pid}"));
    let start = Instant::now();
    while proc.exists() {
        assert!(start.elapsed() < Duration::from_secs(5), "process {pid} still exists: {:?}", std::fs::read_to_string(proc.join("stat")));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn hung_credential_process_is_killed_at_the_provider_timeout() {
    let (home, pid) = hung_process_home("hung-provider-timeout");
    let chain = DefaultCredentialsChain::builder().env(vars_env(&hung_vars(&home))).load_timeout(Duration::from_millis(500)).build();
    let start = Instant::now();
    let e = load(&chain).await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::TimedOut);
    assert!(e.to_string().contains("provider timeout"), "{e}");
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
    assert_process_gone(&pid).await;
}

fn client_with(chain: DefaultCredentialsChain, endpoint: &str, timeouts: elasticache::config::TimeoutConfig) -> elasticache::Client {
    let config = elasticache::Config::builder()
        .region(elasticache::config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(chain)
        .timeout_config(timeouts)
        .build();
    elasticache::Client::from_conf(config)
}

#[tokio::test]
async fn hung_credential_process_is_killed_at_the_operation_timeout() {
    let (home, pid) = hung_process_home("hung-operation-timeout");
    let chain = DefaultCredentialsChain::builder().env(vars_env(&hung_vars(&home))).load_timeout(Duration::from_secs(60)).build();
    let timeouts = elasticache::config::TimeoutConfig::builder().operation_timeout(Duration::from_millis(500)).build();
    let client = client_with(chain, "http://127.0.0.1:9", timeouts);
    let start = Instant::now();
    let e = client.describe_cache_clusters().send().await.unwrap_err();
    assert!(matches!(e, elasticache::error::SdkError::TimeoutError(_)), "{e:?}");
    assert!(e.to_string().contains("operation timeout"), "{e}");
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
    assert_process_gone(&pid).await;
}

#[tokio::test]
async fn a_dropped_call_leaves_no_process_running() {
    let (home, pid) = hung_process_home("hung-dropped");
    let chain = DefaultCredentialsChain::builder().env(vars_env(&hung_vars(&home))).load_timeout(Duration::from_secs(60)).build();
    let client = client_with(chain, "http://127.0.0.1:9", elasticache::config::TimeoutConfig::default());
    let call = client.describe_cache_clusters().send();
    assert!(tokio::time::timeout(Duration::from_millis(500), call).await.is_err(), "the call should still be waiting");
    assert_process_gone(&pid).await;
}

// ---------------------------------------------------------------------------------------
// Credentials without expiry are kept until a service rejects them as expired.

#[tokio::test]
async fn expired_token_error_reloads_credentials_once() {
    let home = scratch_home("expired-token");
    let counter = home.join("count");
    std::fs::write(&counter, "0").unwrap();
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    // Each run prints a new key: KEY0, KEY1, ...
    let script = format!(
        "n=$(cat {c}); echo $((n+1)) > {c}; printf '{{\"Version\":1,\"AccessKeyId\":\"KEY%s\",\"SecretAccessKey\":\"s\"}}' $n",
        c = counter.display()
    );
    std::fs::write(home.join("process.sh"), script).unwrap();
    std::fs::write(home.join(".aws/config"), format!("[default]\ncredential_process = sh {}\n", home.join("process.sh").display())).unwrap();
    let answers = Arc::new(Mutex::new(0));
    let server = FakeServer::start(move |_r: &Request| {
        let mut n = answers.lock().unwrap();
        *n += 1;
        if *n == 1 {
            Reply::new(
                400,
                "<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error><RequestId>r1</RequestId></ErrorResponse>",
            )
        } else {
            Reply::new(200, "<DescribeCacheClustersResponse><DescribeCacheClustersResult><CacheClusters/></DescribeCacheClustersResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></DescribeCacheClustersResponse>")
        }
    })
    .await;
    let chain = chain(&hung_vars(&home));
    let client = client_with(chain, &server.endpoint, elasticache::config::TimeoutConfig::default());
    client.describe_cache_clusters().send().await.unwrap();
    client.describe_cache_clusters().send().await.unwrap();
    let keys: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").and_then(|a| a.split("Credential=").nth(1)).and_then(|c| c.split('/').next()).unwrap_or("").to_owned())
        .collect();
    assert_eq!(keys, ["KEY0", "KEY1", "KEY1"]);
    assert_eq!(std::fs::read_to_string(&counter).unwrap().trim(), "2", "the process ran twice");
}

//! The call pipeline every generated client shares: validate → resolve the endpoint →
//! serialize → sign → send (with timeouts) → classify → retry with backoff → parse.
//!
//! Only the first and last steps depend on the operation's types; everything between is one
//! non-generic function, so adding operations adds little machine code.

use crate::config::{Config, TimeoutConfig};
use crate::credentials::{Credentials, CredentialsError, CredentialsErrorKind, LoadContext, ProvideCredentials};
use crate::endpoint::rules::RuleSet;
use crate::endpoint::{Endpoint, Params, ResolveError, Value};
use crate::error::ParseError;
use crate::http::{ConnectorError, ConnectorErrorKind, HttpRequest, HttpResponse, SendOptions, SharedHttpClient, Url};
use crate::error::ProvideErrorMetadata;
use crate::mocked::{Mocked, Modeled};
use crate::operation::Operation;
use crate::retry::{classify_response, ClientRateLimiter, RetryKind, RetryMode, RetryQuota};
use crate::sdk_error::SdkError;
use crate::sigv4::{SigningKeyCache, SigningParams};
use crate::skew::ClockSkew;
use crate::trace::CallSpan;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a generated crate tells the runtime about its service.
#[derive(Debug)]
pub struct ServiceInfo {
    /// `ElastiCache` (also names `AWS_ENDPOINT_URL_ELASTICACHE`).
    pub service_id: &'static str,
    /// The SigV4 signing name (`elasticache`).
    pub signing_name: &'static str,
    /// The endpoint prefix, for the fallback endpoint when there is no rule set.
    pub endpoint_prefix: &'static str,
    /// The generated crate's name and version, for the user agent.
    pub crate_name: &'static str,
    pub crate_version: &'static str,
    pub endpoint_rules: Option<&'static RuleSet>,
    /// Makes the transport for a configuration that sets none: the generated crate's
    /// default (aws-query-transport's, with its `rustls` feature), or `None` without one.
    pub default_http_client: Option<fn(Option<&TimeoutConfig>) -> SharedHttpClient>,
    /// STS for the credential sources that need it (assume role, web identity): crate
    /// `aws-query-credentials-sts`'s, for crates generated with `credentials = "full"`.
    pub sts: Option<&'static dyn crate::credentials::sts::Sts>,
}

/// Marks fluent builders whose `send` is `async`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Async;

/// Marks fluent builders whose `send` blocks (feature `blocking`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Blocking;

/// Implemented by every generated fluent builder: names the operation it sends, so that test
/// utilities can reach the operation's input, output and error types from a client method
/// (`mock!(Client::describe_snapshots)` in aws-query-mocks).
pub trait FluentBuilder {
    type Operation: Operation;
}

/// The context of a fluent builder: the client it sends with, and its mode ([`Async`] or
/// [`Blocking`]).
#[derive(Debug, Clone)]
pub struct Fluent<M> {
    handle: Handle,
    mode: std::marker::PhantomData<M>,
}

impl<M> Fluent<M> {
    pub fn new(handle: Handle) -> Self {
        Fluent { handle, mode: std::marker::PhantomData }
    }

    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    pub fn into_handle(self) -> Handle {
        self.handle
    }
}

/// A change to a call's request before it is signed ([`CustomizableOperation::mutate_request`],
/// [`CustomizableOperation::map_request`]); an error fails the call before it is sent.
type RequestMutator = Box<dyn Fn(&mut HttpRequest) -> Result<(), Box<dyn std::error::Error + Send + Sync>> + Send + Sync>;

/// A call with changes of its own (a fluent builder's `customize()`, as in aws-sdk-rust):
/// request mutations and a configuration override, then [`send`](Self::send).
pub struct CustomizableOperation<O: Operation> {
    handle: Handle,
    input: O::Input,
    mutators: Vec<RequestMutator>,
    config_override: Option<crate::config::Builder>,
}

impl<O: Operation> fmt::Debug for CustomizableOperation<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomizableOperation")
            .field("operation", &O::INFO.name)
            .field("mutators", &self.mutators.len())
            .field("config_override", &self.config_override)
            .finish()
    }
}

impl<O: Operation> CustomizableOperation<O> {
    pub fn new(handle: Handle, input: O::Input) -> Self {
        CustomizableOperation { handle, input, mutators: Vec::new(), config_override: None }
    }

    /// Changes the HTTP request before it is signed, on every attempt (after the endpoint's
    /// headers are added): extra headers, a changed body.
    pub fn mutate_request<F>(mut self, mutate: F) -> Self
    where
        F: Fn(&mut HttpRequest) + Send + Sync + 'static,
    {
        self.mutators.push(Box::new(move |request: &mut HttpRequest| {
            mutate(request);
            Ok(())
        }));
        self
    }

    /// Replaces the HTTP request before it is signed, as `mutate_request` does, with what
    /// `map` makes of it; an error fails the call with a `ConstructionFailure` that has it as
    /// its source, before anything is sent (aws-sdk-rust's `map_request`).
    pub fn map_request<F, E>(mut self, map: F) -> Self
    where
        F: Fn(HttpRequest) -> Result<HttpRequest, E> + Send + Sync + 'static,
        E: std::error::Error + Send + Sync + 'static,
    {
        self.mutators.push(Box::new(move |request: &mut HttpRequest| {
            *request = map(request.clone())?;
            Ok(())
        }));
        self
    }

    /// Settings for this call only: what the builder sets replaces the client's setting;
    /// what it does not set is the client's (a later override replaces an earlier one).
    pub fn config_override(mut self, config: impl Into<crate::config::Builder>) -> Self {
        self.config_override = Some(config.into());
        self
    }

    pub async fn send(self) -> Result<O::Output, SdkError<O::Error>> {
        let handle = match &self.config_override {
            Some(over) => self.handle.with_config(over.apply_to(self.handle.config())),
            None => self.handle,
        };
        handle.call_mutated::<O>(self.input, &self.mutators).await.0
    }
}

/// A configured client for one service; cheap to clone (shared state).
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    service: &'static ServiceInfo,
    http: Option<SharedHttpClient>,
    endpoint: Result<ResolvedEndpoint, ResolveError>,
    quota: RetryQuota,
    /// Adaptive mode's rate limiter, shared by all calls of the client like the quota; none
    /// in standard mode.
    rate_limiter: Option<AdaptiveLimiter>,
    keys: SigningKeyCache,
    /// The service's clock relative to ours, learned from skew errors.
    skew: ClockSkew,
    user_agent: String,
    /// For blocking clients: their runtime, or why it could not be made.
    #[cfg(feature = "blocking")]
    blocking: Option<Result<tokio::runtime::Runtime, String>>,
}

/// A blocking client's runtime may be dropped anywhere, async code included: shut it down
/// without waiting (dropping it there would panic).
#[cfg(feature = "blocking")]
impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(Ok(runtime)) = self.blocking.take() {
            runtime.shutdown_background();
        }
    }
}

/// The endpoint, parsed, with what signing needs from it.
#[derive(Debug, Clone)]
struct ResolvedEndpoint {
    url: Url,
    headers: Vec<(String, String)>,
    signing_region: Option<String>,
    signing_name: Option<String>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("service", &self.inner.service.service_id)
            .field("config", &self.inner.config)
            .field("endpoint", &self.inner.endpoint.as_ref().map(|e| &e.url))
            .finish()
    }
}

impl Handle {
    /// A client of `service` with `config`. The endpoint is resolved here, once; a failure
    /// is reported by every call.
    pub fn new(config: Config, service: &'static ServiceInfo) -> Handle {
        Handle { inner: Arc::new(Self::build(config, service)) }
    }

    fn build(config: Config, service: &'static ServiceInfo) -> Inner {
        // The default transport is made only when needed, so that a custom one costs nothing.
        let http = config.http_client().cloned().or_else(|| service.default_http_client.map(|make| make(config.timeout_config())));
        Self::build_with(config, service, http)
    }

    fn build_with(config: Config, service: &'static ServiceInfo, http: Option<SharedHttpClient>) -> Inner {
        let endpoint = resolve_endpoint(&config, service);
        let user_agent = user_agent(service, config.app_name().map(AsRef::as_ref));
        Inner {
            quota: RetryQuota::new(config.retry.quota()),
            rate_limiter: (config.retry.mode() == RetryMode::Adaptive).then(AdaptiveLimiter::new),
            config,
            service,
            http,
            endpoint,
            keys: SigningKeyCache::default(),
            skew: ClockSkew::default(),
            user_agent,
            #[cfg(feature = "blocking")]
            blocking: None,
        }
    }

    /// A client for synchronous use: calls run on a private single-threaded runtime. If
    /// the runtime cannot be made, every call says why.
    #[cfg(feature = "blocking")]
    pub fn new_blocking(config: Config, service: &'static ServiceInfo) -> Handle {
        let mut inner = Handle::build(config, service);
        inner.blocking = Some(
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("the blocking client's runtime could not be started: {e}")),
        );
        Handle { inner: Arc::new(inner) }
    }

    /// Runs a call to completion on the blocking client's runtime.
    #[cfg(feature = "blocking")]
    pub fn block_on<O: Operation>(&self, input: O::Input) -> Result<O::Output, SdkError<O::Error>> {
        match self.run_blocking(self.call::<O>(input)) {
            Ok(result) => result,
            Err(why) => Err(SdkError::construction_failure(O::INFO.name, why)),
        }
    }

    /// Runs `future` on the blocking client's runtime; `Err` says why it cannot (not a
    /// blocking client, its runtime failed to start, or called from async code).
    #[cfg(feature = "blocking")]
    pub fn run_blocking<F: std::future::Future>(&self, future: F) -> Result<F::Output, String> {
        let runtime = match &self.inner.blocking {
            Some(Ok(runtime)) => runtime,
            Some(Err(e)) => return Err(e.clone()),
            None => return Err("this client was not made for blocking use".to_owned()),
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(
                "the blocking client was called from async code (inside a Tokio runtime); use the async client there"
                    .to_owned(),
            );
        }
        Ok(runtime.block_on(future))
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The endpoint requests go to, or why there is none.
    pub fn endpoint_url(&self) -> Result<String, ResolveError> {
        self.inner.endpoint.as_ref().map(|e| e.url.to_string()).map_err(Clone::clone)
    }

    /// The user agent sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// The retry quota left.
    pub fn retry_quota_available(&self) -> u32 {
        self.inner.quota.available()
    }

    /// Adaptive mode's client-wide rate limiter (`None` in standard mode).
    pub fn rate_limiter(&self) -> Option<&ClientRateLimiter> {
        self.inner.rate_limiter.as_ref().map(|a| &a.limiter)
    }

    /// This client with `config` (a call's `config_override`): the same transport unless
    /// `config` sets another (so a connect timeout in `config` applies only then); its own
    /// retry quota, rate limiter, signing key cache and clock skew.
    pub fn with_config(&self, config: Config) -> Handle {
        let http = config.http_client().cloned().or_else(|| self.inner.http.clone());
        Handle { inner: Arc::new(Self::build_with(config, self.inner.service, http)) }
    }

    /// Runs one call.
    pub async fn call<O: Operation>(&self, input: O::Input) -> Result<O::Output, SdkError<O::Error>> {
        self.call_with_status::<O>(input).await.0
    }

    /// Runs one call; also gives the HTTP status of the last response, when there was one
    /// (waiters' `status` acceptors need it).
    pub async fn call_with_status<O: Operation>(&self, input: O::Input) -> (Result<O::Output, SdkError<O::Error>>, Option<u16>) {
        self.call_mutated::<O>(input, &[]).await
    }

    /// Runs one call, `mutators` changing the request before it is signed.
    async fn call_mutated<O: Operation>(
        &self,
        input: O::Input,
        mutators: &[RequestMutator],
    ) -> (Result<O::Output, SdkError<O::Error>>, Option<u16>) {
        let name = O::INFO.name;
        let span = CallSpan::new(self.inner.service.service_id, name);
        let (result, status) = span.instrument(self.call_inner::<O>(input, mutators, &span)).await;
        match &result {
            Ok(output) => span.finish_ok(crate::RequestId::request_id(output)),
            Err(e) => span.finish_err(e.as_service_error().and_then(|s| s.meta().request_id()), e),
        }
        (result, status)
    }

    async fn call_inner<O: Operation>(
        &self,
        input: O::Input,
        mutators: &[RequestMutator],
        span: &CallSpan,
    ) -> (Result<O::Output, SdkError<O::Error>>, Option<u16>) {
        let name = O::INFO.name;
        if let Err(e) = O::validate(&input) {
            return (Err(SdkError::construction_failure(name, e)), None);
        }
        // Tests only (feature `test-util`): an interceptor may answer in the service's place.
        let mut mocked = Mocked::start(&self.inner.config, name, &input);
        let endpoint = match self.inner.endpoint.as_ref() {
            Ok(e) => e,
            Err(e) => return (Err(SdkError::construction_failure(name, e.clone())), None),
        };
        let threshold = self.inner.config.request_compression_threshold();
        let mut request = match crate::operation::build_request::<O>(&input, &endpoint.url, threshold) {
            Ok(r) => r,
            Err(e) => return (Err(SdkError::construction_failure(name, e)), None),
        };
        drop(input);
        for (k, v) in &endpoint.headers {
            request.add_header(k.clone(), v.clone());
        }
        for mutate in mutators {
            if let Err(e) = mutate(&mut request) {
                return (Err(SdkError::construction_failure(name, e)), None);
            }
        }
        let (response, attempts) = match self.dispatch(request, endpoint, O::INFO.unsigned, span, mocked.as_mut()).await {
            Ok(sent) => sent,
            Err(f) => return (f.into_result::<O>(name), None),
        };
        let status = Some(response.status().as_u16());
        let result = match O::parse_response(&response) {
            Ok(output) => Ok(output),
            Err(ParseError::Service(e)) => Err(SdkError::service_error(name, attempts, e, response)),
            Err(ParseError::Malformed(source)) => Err(SdkError::response_error(name, attempts, Some(response), source)),
        };
        (result, status)
    }

    /// Signs (unless `unsigned`) and sends `request`, retrying as the retry config and quota
    /// allow. Returns the last response (success or not) and the number of attempts.
    async fn dispatch(
        &self,
        mut request: HttpRequest,
        endpoint: &ResolvedEndpoint,
        unsigned: bool,
        span: &CallSpan,
        mut mocked: Option<&mut Mocked>,
    ) -> Result<(HttpResponse, u32), Failure> {
        let inner = &*self.inner;
        let Some(http) = &inner.http else {
            return Err(Failure::Construction(
                "no HTTP client: build with feature `rustls` for the default one, or set `http_client`".into(),
            ));
        };
        let (retry, timeouts) = (&inner.config.retry, &inner.config.timeouts);
        // A timeout too large to add to now (`Duration::MAX`) means none. Loading credentials
        // counts against it.
        let deadline = timeouts.operation_timeout().and_then(|d| Some((Instant::now().checked_add(d)?, d)));
        // Loading credentials counts against the operation timeout, or without one gets the
        // attempt timeout: a provider that hangs (an unreachable metadata service) cannot
        // hang the call.
        let credentials_deadline = match deadline {
            Some((end, total)) => Some(LoadLimit { end, total, operation: true }),
            None => timeouts
                .operation_attempt_timeout()
                .and_then(|total| Some(LoadLimit { end: Instant::now().checked_add(total)?, total, operation: false })),
        };
        let mut credentials = if unsigned { None } else { Some(self.credentials(credentials_deadline).await?) };
        // Credentials a service rejects as expired are reloaded once per call.
        let mut reloaded = false;
        let options = SendOptions::new(inner.config.max_response_body_bytes()).with_read_timeout(timeouts.read_timeout());
        let region = endpoint.signing_region.as_deref().or(inner.config.region().map(|r| r.as_ref())).unwrap_or("us-east-1");
        let service = endpoint.signing_name.as_deref().unwrap_or(inner.service.signing_name);
        request.set_header("User-Agent", inner.user_agent.clone());
        let mut last_cost = None;
        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            span.record_attempts(attempt);
            let mut signed = request.clone();
            if let Some(credentials) = &credentials {
                let params = SigningParams { region, service, time: inner.skew.now(), sign_security_token: true };
                crate::sigv4::sign(&mut signed, credentials, &params, Some(&inner.keys));
            }

            // Adaptive mode: a token of the client's rate limiter before the attempt goes out
            // (the wait counts against the operation timeout, not the attempt's).
            if let Some(adaptive) = &inner.rate_limiter {
                adaptive.acquire(attempt, deadline).await.map_err(|()| Failure::TimedOut {
                    attempts: attempt.saturating_sub(1),
                    timeout: deadline.map_or(Duration::ZERO, |(_, total)| total),
                    what: "operation timeout",
                })?;
            }

            let limit = match (timeouts.operation_attempt_timeout(), deadline) {
                (Some(a), Some((end, _))) => Some(a.min(end.saturating_duration_since(Instant::now()))),
                (a, d) => a.or(d.map(|(end, _)| end.saturating_duration_since(Instant::now()))),
            };
            let outcome = match mocked.as_mut().map(|m| m.next_attempt(attempt)) {
                Some(Ok(response)) => Ok(response),
                Some(Err(modeled)) => return Err(Failure::Mocked(modeled, attempt)),
                None => {
                    let send = http.send(signed, &options);
                    match limit {
                        Some(limit) => match tokio::time::timeout(limit, send).await {
                            Ok(r) => r.map_err(Outcome::Connector),
                            Err(_) => Err(Outcome::TimedOut(limit)),
                        },
                        None => send.await.map_err(Outcome::Connector),
                    }
                }
            };

            let (outcome, kind) = match outcome {
                Ok(response) => {
                    let meta = match crate::operation::classify(&response) {
                        crate::operation::Classified::Success => {
                            crate::trace::response(attempt, response.status().as_u16(), None);
                            inner.record_attempt(false);
                            inner.quota.release(last_cost);
                            return Ok((response, attempt));
                        }
                        crate::operation::Classified::Error(doc) => Some(doc.meta),
                        crate::operation::Classified::Unreadable(_) => None,
                    };
                    let code = meta.as_ref().and_then(|m| m.code());
                    if let (Some(rejected), Some(provider)) = (credentials.clone(), inner.config.credentials.as_ref()) {
                        if !reloaded && code.is_some_and(is_expired_token) {
                            crate::trace::response(attempt, response.status().as_u16(), code);
                            reloaded = true;
                            provider.invalidate(&rejected);
                            let fresh = self.credentials(credentials_deadline).await?;
                            if fresh != rejected {
                                inner.record_attempt(false);
                                credentials = Some(fresh);
                                continue;
                            }
                        }
                    }
                    crate::trace::response(attempt, response.status().as_u16(), code);
                    let kind = classify_response(response.status().as_u16(), meta.as_ref()).or_else(|| {
                        // Signed at a time the service refuses: sign again with its clock.
                        inner.skew.learn(code, response.header("date")).then_some(RetryKind::Transient)
                    });
                    (Ok(response), kind)
                }
                Err(Outcome::Connector(e)) => {
                    crate::trace::transport_error(attempt, &e);
                    let kind = e.is_retryable().then_some(RetryKind::Timeout);
                    (Err(Outcome::Connector(e)), kind)
                }
                Err(Outcome::TimedOut(limit)) => {
                    crate::trace::timed_out(attempt, limit);
                    (Err(Outcome::TimedOut(limit)), Some(RetryKind::Timeout))
                }
            };
            inner.record_attempt(kind == Some(RetryKind::Throttling));
            let Some(kind) = kind else { return finish(outcome, attempt, deadline) };
            if attempt >= retry.max_attempts() {
                crate::trace::giving_up(attempt, "the maximum number of attempts was reached");
                return finish(outcome, attempt, deadline);
            }
            let Some(cost) = inner.quota.acquire(kind) else {
                crate::trace::giving_up(attempt, "the retry quota is spent");
                return finish(outcome, attempt, deadline);
            };
            last_cost = Some(cost);
            let mut delay = retry.backoff(kind, attempt, crate::retry::jitter());
            if let Ok(response) = &outcome {
                if let Some(after) = retry_after(response) {
                    delay = delay.max(after.min(delay.saturating_add(Duration::from_secs(5))));
                }
            }
            if let Some((end, _)) = deadline {
                if Instant::now().checked_add(delay).is_none_or(|next| next >= end) {
                    crate::trace::giving_up(attempt, "the operation timeout leaves no time for another attempt");
                    return finish(outcome, attempt, deadline);
                }
            }
            crate::trace::retrying(attempt, kind, delay);
            tokio::time::sleep(delay).await;
        }
    }

    /// Credentials from the configured provider, which gets this client's transport, region
    /// and STS implementation, and the call's deadline.
    /// Credentials from the configured provider, which gets this client's transport, region
    /// and STS implementation, and the call's deadline; a provider that does not answer by
    /// then (one of the user's that knows no deadline, too) is cut off.
    async fn credentials(&self, limit: Option<LoadLimit>) -> Result<Credentials, Failure> {
        let inner = &*self.inner;
        let Some(provider) = inner.config.credentials.as_ref() else {
            return Err(Failure::Credentials(CredentialsError::not_loaded(
                "no credentials provider is configured (set `credentials_provider`, or use `Config::from_env`)",
            )));
        };
        let end = limit.map(|l| l.end);
        let ctx = LoadContext::new()
            .with_http_client(inner.http.clone())
            .with_region(inner.config.region().cloned())
            .with_sts(inner.service.sts)
            .with_deadline(end);
        let loading = provider.provide_credentials_with(&ctx);
        let loaded = match end {
            Some(end) => tokio::time::timeout_at(end.into(), loading)
                .await
                .unwrap_or_else(|_| Err(CredentialsError::new(CredentialsErrorKind::TimedOut, "no credentials in time"))),
            None => loading.await,
        };
        match (loaded, limit) {
            (Ok(c), _) => Ok(c),
            (Err(e), Some(limit)) if e.kind() == CredentialsErrorKind::TimedOut && Instant::now() >= limit.end => {
                // The call's own time ran out: a timeout of the call, as for a slow response;
                // without an operation timeout, the attempt's bounded the load.
                if limit.operation {
                    Err(Failure::TimedOut { attempts: 0, timeout: limit.total, what: "operation timeout" })
                } else {
                    Err(Failure::Credentials(CredentialsError::new(
                        CredentialsErrorKind::TimedOut,
                        format!("the credentials provider gave no credentials within {:?} (the call's attempt timeout)", limit.total),
                    )))
                }
            }
            (Err(e), _) => Err(Failure::Credentials(e)),
        }
    }
}

impl Inner {
    /// Adaptive mode: tells the rate limiter an attempt ended, and whether it was throttled.
    fn record_attempt(&self, throttled: bool) {
        if let Some(adaptive) = &self.rate_limiter {
            adaptive.limiter.update(adaptive.now(), throttled);
        }
    }
}

/// Adaptive mode's rate limiter with its clock: seconds since the client was made, by Tokio's
/// clock (so that tests with paused time are exact).
#[derive(Debug)]
struct AdaptiveLimiter {
    limiter: ClientRateLimiter,
    origin: tokio::time::Instant,
}

impl AdaptiveLimiter {
    fn new() -> Self {
        AdaptiveLimiter { limiter: ClientRateLimiter::new(0.0), origin: tokio::time::Instant::now() }
    }

    fn now(&self) -> f64 {
        tokio::time::Instant::now().saturating_duration_since(self.origin).as_secs_f64()
    }

    /// Waits until the limiter gives a token for attempt `attempt`; `Err` when the operation's
    /// deadline comes first.
    async fn acquire(&self, attempt: u32, deadline: Option<(Instant, Duration)>) -> Result<(), ()> {
        loop {
            let Err(wait) = self.limiter.acquire(self.now()) else { return Ok(()) };
            if let Some((end, _)) = deadline {
                if Instant::now().checked_add(wait).is_none_or(|ready| ready > end) {
                    crate::trace::giving_up(attempt, "the operation timeout comes before the rate limiter lets the attempt go");
                    return Err(());
                }
            }
            crate::trace::rate_limited(attempt, wait);
            tokio::time::sleep(wait).await;
        }
    }
}

/// How long loading credentials may take: until the operation's deadline, or without one
/// the attempt timeout from now.
#[derive(Debug, Clone, Copy)]
struct LoadLimit {
    end: Instant,
    total: Duration,
    operation: bool,
}

/// Error codes by which services say the credentials (their session token) expired.
fn is_expired_token(code: &str) -> bool {
    matches!(code, "ExpiredToken" | "ExpiredTokenException" | "TokenRefreshRequired")
}

/// The `x-amz-retry-after` header (milliseconds), as botocore reads it.
fn retry_after(response: &HttpResponse) -> Option<Duration> {
    let ms: u64 = response.header("x-amz-retry-after")?.trim().parse().ok()?;
    Some(Duration::from_millis(ms))
}

enum Outcome {
    Connector(ConnectorError),
    TimedOut(Duration),
}

/// The last outcome as the result of the call.
fn finish(outcome: Result<HttpResponse, Outcome>, attempts: u32, deadline: Option<(Instant, Duration)>) -> Result<(HttpResponse, u32), Failure> {
    match outcome {
        Ok(response) => Ok((response, attempts)),
        Err(Outcome::Connector(e)) => Err(Failure::Connector(e, attempts)),
        Err(Outcome::TimedOut(limit)) => {
            let (timeout, what) = match deadline {
                Some((end, total)) if Instant::now() >= end => (total, "operation timeout"),
                _ => (limit, "attempt timeout"),
            };
            Err(Failure::TimedOut { attempts, timeout, what })
        }
    }
}

/// Why the pipeline got no response to parse.
enum Failure {
    Construction(String),
    Credentials(CredentialsError),
    Connector(ConnectorError, u32),
    TimedOut { attempts: u32, timeout: Duration, what: &'static str },
    /// An interceptor ended the call (tests only), at the given attempt.
    Mocked(Modeled, u32),
}

impl Failure {
    /// The call's result: an error, or for an intercepted call what the interceptor gave.
    fn into_result<O: Operation>(self, operation: &'static str) -> Result<O::Output, SdkError<O::Error>> {
        Err(match self {
            Failure::Mocked(modeled, attempts) => return modeled.into_result::<O>(operation, attempts),
            Failure::Construction(m) => SdkError::construction_failure(operation, m),
            Failure::Credentials(e) => SdkError::construction_failure(operation, e),
            Failure::Connector(e, attempts) if e.kind() == ConnectorErrorKind::BodyTooLarge => {
                SdkError::response_error(operation, attempts, None, e)
            }
            Failure::Connector(e, attempts) => SdkError::dispatch_failure(operation, attempts, e),
            Failure::TimedOut { attempts, timeout, what } => SdkError::timeout_error(operation, attempts, timeout, what),
        })
    }
}

/// Evaluates the service's rules (or, without rules, the classic
/// `https://{prefix}.{region}.amazonaws.com`); `endpoint_url` is passed to the rules as
/// `Endpoint`, which for every AWS rule set means "use it as is".
fn resolve_endpoint(config: &Config, service: &ServiceInfo) -> Result<ResolvedEndpoint, ResolveError> {
    let env_url =
        config.service_endpoint_from_env.as_ref().and_then(|env| env.non_empty(&format!("AWS_ENDPOINT_URL_{}", env_suffix(service.service_id))));
    let override_url = env_url.as_deref().or(config.endpoint_url());
    // Checked before the rules see them, so that no value can steer a request (signed, with
    // the session token) to a host the user did not mean.
    if let Some(region) = config.region() {
        crate::endpoint_label::check_region(region.as_ref()).map_err(ResolveError::new)?;
    }
    if let Some(url) = override_url {
        Url::parse(url).map_err(|e| ResolveError::new(format!("invalid endpoint_url: {e}")))?;
    }
    let endpoint = match service.endpoint_rules {
        Some(rules) => {
            let mut params = Params::new();
            for p in rules.parameters {
                match p.built_in {
                    Some("AWS::Region") => params.set_opt_str(p.name, config.region().map(|r| r.as_ref())),
                    Some("AWS::UseFIPS") => params.set(p.name, Value::Bool(config.use_fips())),
                    Some("AWS::UseDualStack") => params.set(p.name, Value::Bool(config.use_dual_stack())),
                    Some("AWS::STS::UseGlobalEndpoint") => params.set(p.name, Value::Bool(config.use_global_endpoint())),
                    Some("SDK::Endpoint") => params.set_opt_str(p.name, override_url),
                    _ => {}
                }
            }
            crate::endpoint::resolve(rules, &params)?
        }
        None => match (override_url, config.region()) {
            (Some(url), _) => Endpoint::new(url.to_owned(), Vec::new(), Default::default()),
            (None, Some(region)) => Endpoint::new(
                format!("https://{}.{}.amazonaws.com", service.endpoint_prefix, region.as_ref()),
                Vec::new(),
                Default::default(),
            ),
            (None, None) => return Err(ResolveError::new("no region is configured and no endpoint_url is set")),
        },
    };
    let url = Url::parse(endpoint.url()).map_err(|e| ResolveError::new(e.to_string()))?;
    let (signing_region, signing_name) = endpoint.sigv4_overrides();
    Ok(ResolvedEndpoint {
        url,
        headers: endpoint.headers().to_vec(),
        signing_region: signing_region.map(str::to_owned),
        signing_name: signing_name.map(str::to_owned),
    })
}

/// `ElastiCache` → `ELASTICACHE`, `Elastic Beanstalk` → `ELASTIC_BEANSTALK`.
fn env_suffix(service_id: &str) -> String {
    service_id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

fn user_agent(service: &ServiceInfo, app: Option<&str>) -> String {
    let mut ua = format!(
        "{}/{} aws-query-runtime/{} os/{} lang/rust",
        service.crate_name,
        service.crate_version,
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS
    );
    if let Some(app) = app {
        ua.push_str(" app/");
        ua.push_str(app);
    }
    ua
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorMetadata, ModeledError, OperationError, Unhandled};
    use crate::http::{BoxFuture, HttpClient};
    use crate::operation::OperationInfo;
    use crate::retry::RetryConfig;
    use std::collections::VecDeque;
    use std::sync::Mutex;

    #[test]
    fn names() {
        assert_eq!(env_suffix("ElastiCache"), "ELASTICACHE");
        assert_eq!(env_suffix("Elastic Beanstalk"), "ELASTIC_BEANSTALK");
    }

    /// An unsigned operation whose output is nothing.
    struct Ping;

    #[derive(Debug)]
    struct PingError(Unhandled);

    impl fmt::Display for PingError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Display::fmt(&self.0, f)
        }
    }

    impl std::error::Error for PingError {}

    impl OperationError for PingError {
        const OPERATION: &'static str = "Ping";
        fn from_error_document(meta: ErrorMetadata, _: &bytes::Bytes) -> Self {
            PingError(Unhandled::new(meta))
        }
        fn unhandled(u: Unhandled) -> Self {
            PingError(u)
        }
        fn modeled(&self) -> Result<&dyn ModeledError, &Unhandled> {
            Err(&self.0)
        }
    }

    #[derive(Debug)]
    struct Pong;

    impl crate::RequestId for Pong {
        fn request_id(&self) -> Option<&str> {
            None
        }
    }

    impl Operation for Ping {
        type Input = ();
        type Output = Pong;
        type Error = PingError;
        const INFO: OperationInfo =
            OperationInfo { name: "Ping", version: "1", method: "POST", uri: "/", request_compression: false, unsigned: true };
        fn validate(_: &()) -> Result<(), crate::validation::ValidationError> {
            Ok(())
        }
        fn serialize(_: &(), _: &mut crate::query::QueryWriter) {}
        fn parse_output(_: &[u8]) -> Result<Pong, crate::xml::XmlError> {
            Ok(Pong)
        }
    }

    static SERVICE: ServiceInfo = ServiceInfo {
        service_id: "Test",
        signing_name: "test",
        endpoint_prefix: "test",
        crate_name: "test",
        crate_version: "0",
        endpoint_rules: None,
        default_http_client: None,
        sts: None,
    };

    const THROTTLED: &str = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>";

    /// Answers from a queue (200 when it is empty) and notes when, by Tokio's clock, each
    /// request was sent.
    #[derive(Debug, Default, Clone)]
    struct Timed {
        state: Arc<Mutex<(VecDeque<HttpResponse>, Vec<tokio::time::Instant>)>>,
    }

    impl Timed {
        fn new(responses: impl IntoIterator<Item = HttpResponse>) -> Self {
            let timed = Timed::default();
            timed.state.lock().unwrap().0.extend(responses);
            timed
        }

        /// The send times, in seconds after `start`.
        fn sent(&self, start: tokio::time::Instant) -> Vec<f64> {
            self.state.lock().unwrap().1.iter().map(|t| t.duration_since(start).as_secs_f64()).collect()
        }
    }

    impl HttpClient for Timed {
        fn send<'a>(&'a self, _: HttpRequest, _: &'a SendOptions) -> BoxFuture<'a, Result<HttpResponse, ConnectorError>> {
            let mut state = self.state.lock().unwrap();
            state.1.push(tokio::time::Instant::now());
            let response = state.0.pop_front().unwrap_or_else(|| HttpResponse::new(200, "<PingResponse/>"));
            Box::pin(async move { Ok(response) })
        }
    }

    fn handle(http: &Timed, retry: RetryConfig, timeouts: TimeoutConfig) -> Handle {
        let config = Config::builder()
            .region(crate::values::Region::new("us-east-1"))
            .endpoint_url("http://127.0.0.1:1")
            .http_client(http.clone())
            // No backoff: every wait left is the rate limiter's.
            .retry_config(retry.with_initial_backoff(Duration::ZERO).with_throttling_backoff(Duration::ZERO))
            .timeout_config(timeouts)
            .build();
        Handle::new(config, &SERVICE)
    }

    /// Runs `f` on a runtime whose clock is paused (sleeps end at once, time advanced exactly).
    fn paused<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build().unwrap().block_on(f)
    }

    fn no_timeouts() -> TimeoutConfig {
        TimeoutConfig::disabled()
    }

    #[test]
    fn adaptive_mode_waits_for_a_token_after_throttling() {
        paused(async {
            let start = tokio::time::Instant::now();
            let http = Timed::new([HttpResponse::new(400, THROTTLED)]);
            let client = handle(&http, RetryConfig::adaptive(), no_timeouts());
            let limiter = client.rate_limiter().expect("adaptive mode has a rate limiter");
            assert!(!limiter.is_enabled());
            client.call::<Ping>(()).await.unwrap();
            // Throttled at once (no rate measured yet): the bucket fills at its lowest rate,
            // 0.5 token/s, so the retry waited 2 s for its token.
            let sent = http.sent(start);
            assert_eq!(sent.len(), 2);
            assert_eq!(sent[0], 0.0);
            assert!((2.0..2.01).contains(&sent[1]), "{sent:?}");
            assert!(limiter.is_enabled());
            // The limiter is the client's: another call (of a clone too) waits for its token.
            // The success at 2 s measured 2 responses in 2 s (0.8/s smoothed); CUBIC allows
            // 0.4·2³ = 3.2/s, capped at twice the measured rate: 1.6 tokens/s, so 0.625 s.
            assert!((limiter.fill_rate() - 1.6).abs() < 1e-9, "{}", limiter.fill_rate());
            client.clone().call::<Ping>(()).await.unwrap();
            let sent = http.sent(start);
            assert!((sent[2] - sent[1] - 0.625).abs() < 0.01, "{sent:?}");
        });
    }

    #[test]
    fn adaptive_mode_does_not_wait_before_any_throttling() {
        paused(async {
            let start = tokio::time::Instant::now();
            let http = Timed::new([HttpResponse::new(503, ""), HttpResponse::new(503, "")]);
            let client = handle(&http, RetryConfig::adaptive(), no_timeouts());
            for _ in 0..20 {
                client.call::<Ping>(()).await.unwrap();
            }
            assert_eq!(http.sent(start), vec![0.0; 22], "transient failures do not enable the limiter");
            assert!(client.rate_limiter().is_some_and(|l| !l.is_enabled()));
        });
    }

    #[test]
    fn standard_mode_never_waits_on_a_limiter() {
        paused(async {
            let start = tokio::time::Instant::now();
            let throttled = || HttpResponse::new(400, THROTTLED);
            let http = Timed::new([throttled(), throttled(), HttpResponse::new(200, "<PingResponse/>"), throttled(), throttled()]);
            let client = handle(&http, RetryConfig::standard(), no_timeouts());
            assert!(client.rate_limiter().is_none());
            // Throttled twice, then a success; throttled twice more, then a success; then more
            // calls: nothing waits (the backoff is zero here).
            for _ in 0..10 {
                client.call::<Ping>(()).await.unwrap();
            }
            assert_eq!(http.sent(start), vec![0.0; 14]);
        });
    }

    /// A transport that, like the default one with a read timeout, waits that long for an
    /// answer that never comes, then fails with a timeout; without one it waits for ever.
    #[derive(Debug, Default, Clone)]
    struct Silent {
        read_timeouts: Arc<Mutex<Vec<Option<Duration>>>>,
    }

    impl HttpClient for Silent {
        fn send<'a>(&'a self, _: HttpRequest, options: &'a SendOptions) -> BoxFuture<'a, Result<HttpResponse, ConnectorError>> {
            self.read_timeouts.lock().unwrap().push(options.read_timeout);
            Box::pin(async move {
                match options.read_timeout {
                    Some(limit) => {
                        tokio::time::sleep(limit).await;
                        Err(ConnectorError::timeout(format!("no response within {limit:?} (read timeout)")))
                    }
                    None => std::future::pending().await,
                }
            })
        }
    }

    #[test]
    fn the_read_timeout_reaches_the_transport_and_its_timeout_is_retried() {
        paused(async {
            let silent = Silent::default();
            let config = Config::builder()
                .region(crate::values::Region::new("us-east-1"))
                .endpoint_url("http://127.0.0.1:1")
                .http_client(silent.clone())
                .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
                .timeout_config(TimeoutConfig::builder().read_timeout(Duration::from_millis(250)).build())
                .build();
            let client = Handle::new(config, &SERVICE);
            let err = client.call::<Ping>(()).await.expect_err("nothing answers");
            let SdkError::DispatchFailure(failure) = &err else { panic!("{err:?}") };
            assert!(failure.is_timeout(), "{err}");
            assert_eq!(err.attempts(), 3, "a read timeout is retried like other timeouts");
            assert_eq!(*silent.read_timeouts.lock().unwrap(), vec![Some(Duration::from_millis(250)); 3]);

            // Unset (the default), the transport is told none; the attempt timeout ends the wait.
            let silent = Silent::default();
            let config = Config::builder()
                .region(crate::values::Region::new("us-east-1"))
                .endpoint_url("http://127.0.0.1:1")
                .http_client(silent.clone())
                .retry_config(RetryConfig::disabled())
                .timeout_config(TimeoutConfig::builder().operation_attempt_timeout(Duration::from_secs(1)).build())
                .build();
            let err = Handle::new(config, &SERVICE).call::<Ping>(()).await.expect_err("nothing answers");
            assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
            assert_eq!(*silent.read_timeouts.lock().unwrap(), vec![None]);
        });
    }

    #[test]
    fn a_rate_limit_wait_past_the_operation_timeout_fails_the_call() {
        paused(async {
            let start = tokio::time::Instant::now();
            let throttled = || HttpResponse::new(400, THROTTLED);
            let http = Timed::new([throttled()]);
            let timeouts = TimeoutConfig::builder().operation_timeout(Duration::from_secs(1)).build();
            let client = handle(&http, RetryConfig::adaptive(), timeouts);
            let err = client.call::<Ping>(()).await.expect_err("the token comes after the deadline");
            assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
            assert!(err.to_string().contains("operation timeout"), "{err}");
            assert_eq!(http.sent(start), vec![0.0]);
        });
    }
}

//! Waiters: poll an operation until its acceptors say success or failure, or time runs
//! out. Generated waiters supply the acceptors, compiled from `waiters-2.json` (their JMESPath
//! arguments become Rust code that builds a [`Value`]); this module runs the loop with
//! Smithy's backoff (exponential with jitter between a minimum and a maximum delay, never
//! past the deadline) and holds the small value model the compiled expressions share.

use crate::error::ProvideErrorMetadata;
use crate::client::Handle;
use crate::operation::Operation;
use crate::sdk_error::SdkError;
use std::cmp::Ordering;
use std::fmt;
use std::time::{Duration, Instant};

/// What an acceptor that matched decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

/// An acceptor that matched: its state, and what it was (for messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matched {
    pub state: AcceptorState,
    /// E.g. `pathAll CacheClusters[].CacheClusterStatus == "available"`.
    pub acceptor: &'static str,
}

/// The outcome of one poll, as acceptors see it.
pub struct Poll<'a, O, E> {
    pub result: &'a Result<O, SdkError<E>>,
    /// HTTP status of the response, when there was one.
    pub status: Option<u16>,
}

impl<O, E: crate::operation::OperationError> Poll<'_, O, E> {
    /// The service's error code, for `error` acceptors.
    pub fn error_code(&self) -> Option<&str> {
        match self.result {
            Err(e) => e.as_service_error().and_then(|s| s.meta().code()),
            Ok(_) => None,
        }
    }
}

/// Delays and limits of one wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiterConfig {
    pub min_delay: Duration,
    pub max_delay: Duration,
    /// The model's `maxAttempts`, unless changed; `None` for no limit but time.
    pub max_attempts: Option<u32>,
}

/// The context of a waiter's fluent builder, which is the polled operation's input builder
/// with this context (so it has the input's setters): the client, the waiter's settings, the
/// mode ([`Async`](crate::client::Async) or [`Blocking`](crate::client::Blocking)) and which
/// waiter it is (`W`, a marker type of the generated crate).
#[derive(Debug, Clone)]
pub struct Waiting<M, W> {
    handle: Handle,
    config: WaiterConfig,
    marker: std::marker::PhantomData<(M, W)>,
}

impl<M, W> Waiting<M, W> {
    pub fn new(handle: Handle, config: WaiterConfig) -> Self {
        Waiting { handle, config, marker: std::marker::PhantomData }
    }

    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    pub fn config(&self) -> WaiterConfig {
        self.config
    }

    /// The settings, to change them (`min_delay`, `max_delay`, `max_attempts`).
    pub fn config_mut(&mut self) -> &mut WaiterConfig {
        &mut self.config
    }
}

/// The last poll when a wait ends.
#[derive(Debug)]
pub struct FinalPoll<O, E> {
    result: Result<O, SdkError<E>>,
}

impl<O, E> FinalPoll<O, E> {
    /// A poll's result (for tests of code that handles waiters' outcomes).
    pub fn new(result: Result<O, SdkError<E>>) -> Self {
        FinalPoll { result }
    }

    /// The output changed by `mapper`; an error is kept.
    pub fn map<O2, F: FnOnce(O) -> O2>(self, mapper: F) -> FinalPoll<O2, E> {
        FinalPoll { result: self.result.map(mapper) }
    }

    /// The error changed by `mapper`; an output is kept.
    pub fn map_err<E2, F: FnOnce(SdkError<E>) -> SdkError<E2>>(self, mapper: F) -> FinalPoll<O, E2> {
        FinalPoll { result: self.result.map_err(mapper) }
    }

    pub fn as_result(&self) -> Result<&O, &SdkError<E>> {
        self.result.as_ref()
    }

    pub fn into_result(self) -> Result<O, SdkError<E>> {
        self.result
    }
}

/// Why a wait did not succeed: aws-smithy-runtime-api's variants (each a struct with
/// accessors), and [`ExceededMaxAttempts`](WaiterError::ExceededMaxAttempts) for the
/// model's `maxAttempts`, which aws-sdk-rust does not enforce.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// The wait could not start (a blocking client used from async code).
    ConstructionFailure(ConstructionFailure),
    /// The maximum wait elapsed before success or failure.
    ExceededMaxWait(ExceededMaxWait<O, E>),
    /// An acceptor with state `failure` matched.
    FailureState(FailureState<O, E>),
    /// The call failed in a way no acceptor covers.
    OperationFailed(OperationFailed<E>),
    /// The maximum number of attempts was made before success or failure.
    ExceededMaxAttempts(ExceededMaxAttempts<O, E>),
}

/// See [`WaiterError::ConstructionFailure`].
#[derive(Debug)]
pub struct ConstructionFailure {
    waiter: &'static str,
    message: String,
}

impl ConstructionFailure {
    pub fn new(waiter: &'static str, message: impl Into<String>) -> Self {
        ConstructionFailure { waiter, message: message.into() }
    }

    pub fn waiter(&self) -> &'static str {
        self.waiter
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

/// See [`WaiterError::ExceededMaxWait`].
#[derive(Debug)]
pub struct ExceededMaxWait<O, E> {
    waiter: &'static str,
    max_wait: Duration,
    elapsed: Duration,
    attempts: u32,
    last: Option<Box<FinalPoll<O, E>>>,
    /// What the acceptors' arguments read in the last response.
    observed: Option<String>,
}

impl<O, E> ExceededMaxWait<O, E> {
    pub fn waiter(&self) -> &'static str {
        self.waiter
    }

    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }

    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Polls made.
    pub fn poll_count(&self) -> u32 {
        self.attempts
    }

    /// The last response, when there was one.
    pub fn last_poll(&self) -> Option<&FinalPoll<O, E>> {
        self.last.as_deref()
    }
}

/// See [`WaiterError::FailureState`].
#[derive(Debug)]
pub struct FailureState<O, E> {
    waiter: &'static str,
    acceptor: &'static str,
    attempts: u32,
    last: Box<FinalPoll<O, E>>,
}

impl<O, E> FailureState<O, E> {
    pub fn waiter(&self) -> &'static str {
        self.waiter
    }

    /// The acceptor that matched (`pathAny ... == "deleted"`).
    pub fn acceptor(&self) -> &'static str {
        self.acceptor
    }

    pub fn poll_count(&self) -> u32 {
        self.attempts
    }

    pub fn final_poll(&self) -> &FinalPoll<O, E> {
        &self.last
    }

    pub fn into_final_poll(self) -> FinalPoll<O, E> {
        *self.last
    }
}

/// See [`WaiterError::OperationFailed`].
#[derive(Debug)]
pub struct OperationFailed<E> {
    waiter: &'static str,
    attempts: u32,
    error: Box<SdkError<E>>,
}

impl<E> OperationFailed<E> {
    pub fn waiter(&self) -> &'static str {
        self.waiter
    }

    pub fn poll_count(&self) -> u32 {
        self.attempts
    }

    pub fn error(&self) -> &SdkError<E> {
        &self.error
    }

    pub fn into_error(self) -> SdkError<E> {
        *self.error
    }
}

/// See [`WaiterError::ExceededMaxAttempts`].
#[derive(Debug)]
pub struct ExceededMaxAttempts<O, E> {
    waiter: &'static str,
    attempts: u32,
    last: Option<Box<FinalPoll<O, E>>>,
    observed: Option<String>,
}

impl<O, E> ExceededMaxAttempts<O, E> {
    pub fn waiter(&self) -> &'static str {
        self.waiter
    }

    pub fn poll_count(&self) -> u32 {
        self.attempts
    }

    pub fn last_poll(&self) -> Option<&FinalPoll<O, E>> {
        self.last.as_deref()
    }
}

impl<O, E> WaiterError<O, E> {
    /// A wait that could not start.
    pub fn construction_failure(waiter: &'static str, message: impl Into<String>) -> Self {
        WaiterError::ConstructionFailure(ConstructionFailure::new(waiter, message))
    }

    /// The last response, when there was one.
    pub fn last_poll(&self) -> Option<&FinalPoll<O, E>> {
        match self {
            WaiterError::FailureState(f) => Some(f.final_poll()),
            WaiterError::ExceededMaxWait(e) => e.last_poll(),
            WaiterError::ExceededMaxAttempts(e) => e.last_poll(),
            WaiterError::ConstructionFailure(_) | WaiterError::OperationFailed(_) => None,
        }
    }

    /// Polls made.
    pub fn attempts(&self) -> u32 {
        match self {
            WaiterError::FailureState(f) => f.attempts,
            WaiterError::OperationFailed(f) => f.attempts,
            WaiterError::ExceededMaxWait(e) => e.attempts,
            WaiterError::ExceededMaxAttempts(e) => e.attempts,
            WaiterError::ConstructionFailure(_) => 0,
        }
    }
}

fn describe_last<O: fmt::Debug, E: fmt::Display>(last: &Option<Box<FinalPoll<O, E>>>, observed: &Option<String>) -> String {
    if let Some(observed) = observed {
        return format!("; the last response had {observed}");
    }
    match last.as_deref().map(FinalPoll::as_result) {
        Some(Ok(o)) => format!("; the last response was {}", excerpt(&format!("{o:?}"))),
        Some(Err(e)) => format!("; the last poll failed: {e}"),
        None => String::new(),
    }
}

fn excerpt(text: &str) -> String {
    const MAX: usize = 300;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

/// The error code and message of the service error that ended the wait, as aws-sdk-rust's
/// `WaiterError` gives them: the failed call's, or the last poll's when a failure acceptor
/// matched an error (or the attempts ran out on one); empty when the wait could not start or
/// ran out of time.
impl<O, E: ProvideErrorMetadata> ProvideErrorMetadata for WaiterError<O, E> {
    fn meta(&self) -> &crate::error::ErrorMetadata {
        fn last_error<O, E: ProvideErrorMetadata>(poll: Option<&FinalPoll<O, E>>) -> Option<&crate::error::ErrorMetadata> {
            poll.and_then(|p| p.as_result().err()).map(|e| e.meta())
        }
        match self {
            WaiterError::OperationFailed(f) => Some(f.error().meta()),
            WaiterError::FailureState(f) => last_error(Some(f.final_poll())),
            WaiterError::ExceededMaxAttempts(f) => last_error(f.last_poll()),
            WaiterError::ConstructionFailure(_) | WaiterError::ExceededMaxWait(_) => None,
        }
        .unwrap_or_else(|| crate::error::no_metadata())
    }
}

impl<O: fmt::Debug, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::FailureState(FailureState { waiter, acceptor, attempts, last }) => {
                write!(f, "waiter {waiter} failed after {attempts} attempts: the acceptor `{acceptor}` matched")?;
                match last.as_result() {
                    Ok(o) => write!(f, "; the last response was {}", excerpt(&format!("{o:?}"))),
                    Err(e) => write!(f, "; the last poll failed: {e}"),
                }
            }
            WaiterError::OperationFailed(OperationFailed { waiter, attempts, error }) => {
                write!(f, "waiter {waiter} stopped after {attempts} attempts on an error no acceptor expects: {error}")
            }
            WaiterError::ExceededMaxWait(ExceededMaxWait { waiter, max_wait, elapsed, attempts, last, observed }) => write!(
                f,
                "waiter {waiter} timed out: {attempts} attempts in {:.1?} did not reach success or failure within the maximum wait of {max_wait:?}{}",
                elapsed,
                describe_last(last, observed)
            ),
            WaiterError::ExceededMaxAttempts(ExceededMaxAttempts { waiter, attempts, last, observed }) => {
                write!(f, "waiter {waiter} gave up after its maximum of {attempts} attempts{}", describe_last(last, observed))
            }
            WaiterError::ConstructionFailure(ConstructionFailure { waiter, message }) => {
                write!(f, "waiter {waiter} could not start: {message}")
            }
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::OperationFailed(f) => Some(&*f.error),
            _ => None,
        }
    }
}

/// The shortest pause between polls, whatever `min_delay` says: a zero delay would poll in
/// a tight loop (models cannot ask for less than a second; a caller's override can).
pub const MIN_DELAY_FLOOR: Duration = Duration::from_millis(10);

/// Smithy's waiter delay for `attempt` (from 1: the delay before attempt + 1): a random
/// delay between `min` and `min · 2^(attempt-1)` capped at `max`, `min` being at least
/// [`MIN_DELAY_FLOOR`].
pub fn delay(config: &WaiterConfig, attempt: u32, jitter: f64) -> Duration {
    let min = config.min_delay.max(MIN_DELAY_FLOOR);
    let max = config.max_delay.max(min);
    let ceiling = crate::retry::exp_ceiling(min, attempt, max);
    min.saturating_add(crate::retry::jittered(ceiling.saturating_sub(min), jitter))
}

/// A waiter's acceptors, compiled: the first that matches a poll decides.
pub type Acceptors<O> = fn(&Poll<'_, <O as Operation>::Output, <O as Operation>::Error>) -> Option<Matched>;

/// What the acceptors' arguments read in a response, for messages.
pub type Observe<O> = fn(&<O as Operation>::Output) -> String;

/// Polls `input`'s operation until an acceptor decides, `max_wait` runs out, or the
/// attempts are spent.
pub async fn wait<O>(
    handle: &Handle,
    waiter: &'static str,
    input: O::Input,
    max_wait: Duration,
    config: WaiterConfig,
    acceptors: Acceptors<O>,
    observe: Observe<O>,
) -> Result<FinalPoll<O::Output, O::Error>, WaiterError<O::Output, O::Error>>
where
    O: Operation,
    O::Input: Clone,
{
    let started = Instant::now();
    let min_delay = config.min_delay.max(MIN_DELAY_FLOOR);
    let mut attempts: u32 = 0;
    let mut last: Option<Box<FinalPoll<O::Output, O::Error>>> = None;
    loop {
        attempts = attempts.saturating_add(1);
        // Each poll gets only the time left, so that a hanging call cannot outlast the wait.
        let left = max_wait.saturating_sub(started.elapsed());
        let Ok((result, status)) = tokio::time::timeout(left, handle.call_with_status::<O>(input.clone())).await else {
            let elapsed = started.elapsed();
            let observed = last.as_deref().and_then(|l| l.result.as_ref().ok()).map(observe);
            return Err(WaiterError::ExceededMaxWait(ExceededMaxWait { waiter, max_wait, elapsed, attempts, observed, last }));
        };
        let matched = acceptors(&Poll { result: &result, status });
        match (matched, result) {
            (Some(Matched { state: AcceptorState::Success, .. }), result) => return Ok(FinalPoll { result }),
            (Some(Matched { state: AcceptorState::Failure, acceptor }), result) => {
                return Err(WaiterError::FailureState(FailureState { waiter, acceptor, attempts, last: Box::new(FinalPoll { result }) }))
            }
            // An error no acceptor expects ends the wait (Smithy's rule).
            (None, Err(error)) => return Err(WaiterError::OperationFailed(OperationFailed { waiter, attempts, error: Box::new(error) })),
            (Some(Matched { state: AcceptorState::Retry, .. }) | None, result) => last = Some(Box::new(FinalPoll { result })),
        }
        let observed = || last.as_deref().and_then(|l| l.result.as_ref().ok()).map(observe);
        if config.max_attempts.is_some_and(|max| attempts >= max) {
            return Err(WaiterError::ExceededMaxAttempts(ExceededMaxAttempts { waiter, attempts, observed: observed(), last }));
        }
        let elapsed = started.elapsed();
        let remaining = max_wait.saturating_sub(elapsed);
        let mut pause = delay(&config, attempts, crate::retry::jitter());
        // If not even the minimum delay fits, stop now. Otherwise, as Smithy specifies, a
        // delay that would leave less than the minimum delay for the last poll is shortened.
        if remaining <= min_delay {
            return Err(WaiterError::ExceededMaxWait(ExceededMaxWait { waiter, max_wait, elapsed, attempts, observed: observed(), last }));
        }
        if remaining.saturating_sub(pause) <= min_delay {
            pause = remaining.saturating_sub(min_delay);
        }
        tokio::time::sleep(pause).await;
    }
}

/// A value a compiled JMESPath expression produces.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Number(f64),
    Str(&'a str),
    List(Vec<Value<'a>>),
    /// A structure (its contents are not needed by comparisons).
    Object,
}

impl<'a> Value<'a> {
    pub fn str(v: Option<&'a str>) -> Value<'a> {
        v.map_or(Value::Null, Value::Str)
    }

    pub fn bool(v: Option<bool>) -> Value<'a> {
        v.map_or(Value::Null, Value::Bool)
    }

    pub fn number(v: Option<f64>) -> Value<'a> {
        v.map_or(Value::Null, Value::Number)
    }

    pub fn object<T>(v: Option<T>) -> Value<'a> {
        v.map_or(Value::Null, |_| Value::Object)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// A projection's result: the values that are not null, one level of lists flattened
    /// when `flatten` (the `[]` operator).
    pub fn projection(items: impl Iterator<Item = Value<'a>>, flatten: bool) -> Value<'a> {
        let mut out = Vec::new();
        for v in items {
            match v {
                Value::Null => {}
                Value::List(inner) if flatten => out.extend(inner.into_iter().filter(|v| !v.is_null())),
                v => out.push(v),
            }
        }
        Value::List(out)
    }

    /// JMESPath truthiness: false, null, empty strings and lists are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null | Value::Bool(false) => false,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            _ => true,
        }
    }

    /// `length(v)`.
    pub fn length(&self) -> Value<'a> {
        match self {
            Value::Str(s) => Value::Number(s.chars().count() as f64),
            Value::List(l) => Value::Number(l.len() as f64),
            _ => Value::Null,
        }
    }

    /// `contains(subject, search)`: a list with an item equal to `search`, or a string
    /// holding the string `search`; null for any other subject.
    pub fn contains(&self, search: &Value<'_>) -> Value<'a> {
        match (self, search) {
            (Value::List(items), _) => Value::Bool(items.iter().any(|v| v.loose_eq(search))),
            (Value::Str(s), Value::Str(t)) => Value::Bool(s.contains(t)),
            (Value::Str(_), _) => Value::Bool(false),
            _ => Value::Null,
        }
    }

    /// `a && b`.
    pub fn and(self, other: Value<'a>) -> Value<'a> {
        if self.truthy() {
            other
        } else {
            self
        }
    }

    /// `a || b`.
    pub fn or(self, other: Value<'a>) -> Value<'a> {
        if self.truthy() {
            self
        } else {
            other
        }
    }

    /// `!a`.
    pub fn not(&self) -> Value<'a> {
        Value::Bool(!self.truthy())
    }

    /// A comparison: `==` and `!=` on any values; `<`, `<=`, `>`, `>=` on numbers (else null).
    pub fn compare(&self, op: &str, other: &Value<'_>) -> Value<'a> {
        let ordering = match (self, other) {
            (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
            _ => None,
        };
        match op {
            "==" => Value::Bool(self.loose_eq(other)),
            "!=" => Value::Bool(!self.loose_eq(other)),
            "<" => ordering.map_or(Value::Null, |o| Value::Bool(o == Ordering::Less)),
            "<=" => ordering.map_or(Value::Null, |o| Value::Bool(o != Ordering::Greater)),
            ">" => ordering.map_or(Value::Null, |o| Value::Bool(o == Ordering::Greater)),
            ">=" => ordering.map_or(Value::Null, |o| Value::Bool(o != Ordering::Less)),
            _ => Value::Null,
        }
    }

    fn loose_eq(&self, other: &Value<'_>) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.loose_eq(y)),
            _ => false,
        }
    }

    /// The `path` matcher: the value equals `expected`.
    pub fn matches(&self, expected: &Value<'_>) -> bool {
        self.loose_eq(expected)
    }

    /// The `pathAll` matcher: a non-empty list whose every item equals `expected`.
    pub fn all_match(&self, expected: &Value<'_>) -> bool {
        matches!(self, Value::List(items) if !items.is_empty() && items.iter().all(|v| v.loose_eq(expected)))
    }

    /// The `pathAny` matcher: a list with an item equal to `expected`.
    pub fn any_match(&self, expected: &Value<'_>) -> bool {
        matches!(self, Value::List(items) if items.iter().any(|v| v.loose_eq(expected)))
    }
}

/// JSON-like: `["deleting", "available"]`.
impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Object => f.write_str("{…}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_within_bounds() {
        let c = WaiterConfig { min_delay: Duration::from_secs(15), max_delay: Duration::from_secs(120), max_attempts: Some(40) };
        assert_eq!(delay(&c, 1, 1.0), Duration::from_secs(15));
        assert_eq!(delay(&c, 2, 1.0), Duration::from_secs(30));
        assert_eq!(delay(&c, 3, 0.0), Duration::from_secs(15));
        assert_eq!(delay(&c, 10, 1.0), Duration::from_secs(120));
        let zero = WaiterConfig { min_delay: Duration::ZERO, max_delay: Duration::ZERO, max_attempts: None };
        assert_eq!(delay(&zero, 1, 0.0), MIN_DELAY_FLOOR);
        assert_eq!(delay(&zero, 30, 1.0), MIN_DELAY_FLOOR);
        let huge = WaiterConfig { min_delay: Duration::MAX, max_delay: Duration::MAX, max_attempts: None };
        assert_eq!(delay(&huge, u32::MAX, 1.0), Duration::MAX);
        assert_eq!(delay(&c, 3, f64::NAN), Duration::from_secs(15));
    }

    #[test]
    fn final_poll_maps_its_output_and_error() {
        let ok: FinalPoll<u32, std::io::Error> = FinalPoll::new(Ok(2));
        let ok = ok.map(|n| n.to_string()).map_err(|e| e.map_service_error(|e| e.to_string()));
        assert_eq!(ok.as_result().ok().map(String::as_str), Some("2"));
        let failed: FinalPoll<u32, std::io::Error> =
            FinalPoll::new(Err(SdkError::service_error("Op", 1, std::io::Error::other("boom"), crate::http::HttpResponse::new(500, Vec::new()))));
        let failed = failed.map(|n| n + 1).map_err(|e| e.map_service_error(|e| e.to_string()));
        let err = failed.into_result().unwrap_err();
        assert_eq!(err.as_service_error().map(String::as_str), Some("boom"));
    }

    #[test]
    fn matchers() {
        let statuses = Value::List(vec![Value::Str("available"), Value::Str("available")]);
        assert!(statuses.all_match(&Value::Str("available")));
        assert!(!Value::List(vec![]).all_match(&Value::Str("available")));
        assert!(statuses.any_match(&Value::Str("available")));
        assert!(!statuses.any_match(&Value::Str("deleting")));
        assert_eq!(statuses.length().compare(">", &Value::Number(1.0)), Value::Bool(true));
        assert_eq!(Value::Null.compare("<", &Value::Number(1.0)), Value::Null);
        assert_eq!(Value::Bool(true).and(Value::Str("x")), Value::Str("x"));
        assert_eq!(Value::Bool(false).or(Value::Null), Value::Null);
        let flat = Value::projection(vec![Value::List(vec![Value::Str("a")]), Value::Null, Value::Str("b")].into_iter(), true);
        assert_eq!(flat, Value::List(vec![Value::Str("a"), Value::Str("b")]));
        assert_eq!(statuses.contains(&Value::Str("available")), Value::Bool(true));
        assert_eq!(statuses.contains(&Value::Str("avail")), Value::Bool(false));
        assert_eq!(Value::Str("available").contains(&Value::Str("avail")), Value::Bool(true));
        assert_eq!(Value::Str("available").contains(&Value::Number(1.0)), Value::Bool(false));
        assert_eq!(Value::Number(1.0).contains(&Value::Number(1.0)), Value::Null);
    }
}

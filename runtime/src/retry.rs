//! Retries as botocore and aws-sdk-rust do them: which failures are retried, how long to wait
//! (exponential backoff with full jitter, capped), a client-wide retry quota so that an
//! outage is not made worse by every caller retrying, and in adaptive mode a client-wide
//! rate limiter ([`ClientRateLimiter`]) that slows every call of the client down once the
//! service has throttled it.
//!
//! Retried: throttling (error codes such as `Throttling`, `RequestLimitExceeded`,
//! `TooManyRequestsException`; status 429), transient failures (status 500, 502, 503, 504;
//! codes `RequestTimeout`, `RequestTimeoutException`, `PriorRequestNotComplete`), connection
//! errors and timeouts. Never retried: any other error the service sends (a modeled client
//! error such as `CacheClusterNotFound` is an answer, not a fault).

use crate::error::ErrorMetadata;
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

/// Error codes that mean "slow down".
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures.
pub const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"];

/// Statuses of transient failures.
pub const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// The retry strategy, as aws-sdk-rust's and botocore's `retry_mode`.
///
/// - `Standard`: retries with backoff and the client's retry quota.
/// - `Adaptive`: the same, and client-side rate limiting: once the service has throttled the
///   client, every attempt of every call of the client waits for a token of a bucket whose
///   fill rate follows the rate of the client's responses, cut on throttling and grown back
///   with CUBIC (see [`ClientRateLimiter`]).
///
/// Read from text (`AWS_RETRY_MODE`, a profile's `retry_mode`) case-insensitively:
///
/// ```
/// use aws_query_runtime::retry::RetryMode;
///
/// assert_eq!("Adaptive".parse::<RetryMode>().ok(), Some(RetryMode::Adaptive));
/// assert_eq!(RetryMode::Standard.to_string(), "standard");
/// assert!("legacy".parse::<RetryMode>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryMode {
    Standard,
    Adaptive,
}

impl RetryMode {
    /// The name as the environment and profiles spell it.
    pub fn as_str(&self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
        }
    }
}

impl fmt::Display for RetryMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RetryMode {
    type Err = RetryModeParseError;

    /// `standard` or `adaptive`, in any case, surrounding whitespace ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        [RetryMode::Standard, RetryMode::Adaptive]
            .into_iter()
            .find(|mode| s.eq_ignore_ascii_case(mode.as_str()))
            .ok_or_else(|| RetryModeParseError { value: s.to_owned() })
    }
}

/// A retry mode that is neither `standard` nor `adaptive`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryModeParseError {
    value: String,
}

impl RetryModeParseError {
    /// The text that is not a retry mode.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for RetryModeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error parsing string '{}' as RetryMode, valid options are: standard, adaptive", self.value)
    }
}

impl std::error::Error for RetryModeParseError {}

/// How to retry.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    throttling_backoff: Duration,
    max_backoff: Duration,
    quota: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// botocore's standard mode: 3 attempts; backoff from 50 ms (1 s after throttling),
    /// doubling, at most 20 s, fully jittered; a quota of 500.
    pub fn standard() -> Self {
        RetryConfig {
            mode: RetryMode::Standard,
            max_attempts: 3,
            initial_backoff: Duration::from_millis(50),
            throttling_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            quota: RetryQuota::INITIAL,
        }
    }

    /// Adaptive mode: [`standard`](Self::standard)'s retries, and client-side rate limiting
    /// once the service throttles the client ([`RetryMode::Adaptive`]).
    pub fn adaptive() -> Self {
        RetryConfig { mode: RetryMode::Adaptive, ..Self::standard() }
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryConfig { max_attempts: 1, ..Self::standard() }
    }

    /// The retry mode (the rest of the configuration is kept).
    pub fn with_retry_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// Attempts in all, the first included (at least 1).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The base of the backoff after a transient failure.
    pub fn with_initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// The base of the backoff after throttling.
    pub fn with_throttling_backoff(mut self, d: Duration) -> Self {
        self.throttling_backoff = d;
        self
    }

    pub fn with_max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// The capacity of the client's retry quota (botocore: 500; a retry costs 14, 5 after
    /// throttling; a success gives back what its retries took, or 1).
    pub fn with_retry_quota(mut self, capacity: u32) -> Self {
        self.quota = capacity;
        self
    }

    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The retry mode: [`RetryMode::Standard`] unless set otherwise.
    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// Whether a failed attempt may be retried (more than one attempt).
    pub fn has_retry(&self) -> bool {
        self.max_attempts > 1
    }

    pub fn quota(&self) -> u32 {
        self.quota
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1), `jitter` in [0, 1).
    pub fn backoff(&self, kind: RetryKind, attempt: u32, jitter: f64) -> Duration {
        let base = match kind {
            RetryKind::Throttling => self.throttling_backoff,
            RetryKind::Transient | RetryKind::Timeout => self.initial_backoff,
        };
        jittered(exp_ceiling(base, attempt, self.max_backoff), jitter)
    }
}

/// `d · jitter`, `jitter` taken in [0, 1] (a NaN as 0), so the result never exceeds `d`.
pub(crate) fn jittered(d: Duration, jitter: f64) -> Duration {
    let factor = if jitter.is_nan() { 0.0 } else { jitter.clamp(0.0, 1.0) };
    d.mul_f64(factor)
}

/// `base · 2^(attempt-1)`, capped at `max`: the ceiling of retry backoff and waiter delays.
pub(crate) fn exp_ceiling(base: Duration, attempt: u32, max: Duration) -> Duration {
    base.saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(30))).min(max)
}

/// Why a failure may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    Throttling,
    Transient,
    /// A timeout or connection failure (costs the quota like a transient failure).
    Timeout,
}

impl RetryKind {
    fn cost(self) -> u32 {
        match self {
            RetryKind::Throttling => RetryQuota::THROTTLING_COST,
            RetryKind::Transient | RetryKind::Timeout => RetryQuota::RETRY_COST,
        }
    }
}

/// Classifies an error response: its status and (if it is an error document) its metadata.
pub fn classify_response(status: u16, meta: Option<&ErrorMetadata>) -> Option<RetryKind> {
    let code = meta.and_then(ErrorMetadata::code);
    if let Some(code) = code {
        if THROTTLING_CODES.contains(&code) {
            return Some(RetryKind::Throttling);
        }
        if TRANSIENT_CODES.contains(&code) {
            return Some(RetryKind::Transient);
        }
    }
    if status == 429 {
        return Some(RetryKind::Throttling);
    }
    if TRANSIENT_STATUSES.contains(&status) {
        return Some(RetryKind::Transient);
    }
    None
}

/// The client-wide retry budget.
#[derive(Debug)]
pub struct RetryQuota {
    max: u32,
    available: Mutex<u32>,
}

impl RetryQuota {
    pub const INITIAL: u32 = 500;
    pub const RETRY_COST: u32 = 14;
    pub const THROTTLING_COST: u32 = 5;
    pub const NO_RETRY_INCREMENT: u32 = 1;

    pub fn new(capacity: u32) -> Self {
        RetryQuota { max: capacity, available: Mutex::new(capacity) }
    }

    /// Takes the cost of a retry of `kind`; `None` when the quota is spent.
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = kind.cost();
        let mut available = self.available.lock().unwrap_or_else(|p| p.into_inner());
        if cost > *available {
            return None;
        }
        *available = available.saturating_sub(cost);
        Some(cost)
    }

    /// After a success: gives back what the last retry took, or a small increment.
    pub fn release(&self, last_cost: Option<u32>) {
        let amount = last_cost.unwrap_or(Self::NO_RETRY_INCREMENT);
        let mut available = self.available.lock().unwrap_or_else(|p| p.into_inner());
        *available = available.saturating_add(amount).min(self.max);
    }

    pub fn available(&self) -> u32 {
        *self.available.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Adaptive mode's client-side rate limiter, as botocore's (`retries/adaptive.py`,
/// `bucket.py`, `throttling.py`) and aws-sdk-rust's (`ClientRateLimiter`) are: a token bucket
/// whose fill rate follows the client's measured response rate, cut by CUBIC's β on
/// throttling and grown back along CUBIC's curve on other responses.
///
/// It does nothing until the first throttling response; from then on each attempt takes one
/// token before it is sent ([`acquire`](Self::acquire) says how long to wait when none is
/// there). Every attempt's outcome is recorded with [`update`](Self::update).
///
/// Time is given by the caller, in seconds from any fixed origin, so that the computations
/// are deterministic to test; the client passes the seconds since it was made.
#[derive(Debug)]
pub struct ClientRateLimiter {
    state: Mutex<LimiterState>,
}

#[derive(Debug, Clone)]
struct LimiterState {
    /// Set by the first throttling response; until then no token is needed.
    enabled: bool,
    // The token bucket.
    fill_rate: f64,
    max_capacity: f64,
    capacity: f64,
    last_refill: f64,
    // The measured response rate: counted in half-second buckets, smoothed.
    measured_rate: f64,
    last_bucket: f64,
    count: u64,
    // CUBIC: the rate at the last throttling (`W_max`), the time to grow back to it (`K`),
    // and when it happened.
    w_max: f64,
    k: f64,
    last_throttle: f64,
}

impl ClientRateLimiter {
    /// CUBIC's multiplicative decrease on throttling.
    pub const BETA: f64 = 0.7;
    /// CUBIC's scale constant (how fast the rate grows back).
    pub const SCALE_CONSTANT: f64 = 0.4;
    /// The weight of the newest measurement in the smoothed response rate.
    pub const SMOOTHING: f64 = 0.8;
    /// The lowest fill rate, tokens per second.
    pub const MIN_FILL_RATE: f64 = 0.5;
    /// The smallest capacity of the bucket, tokens.
    pub const MIN_CAPACITY: f64 = 1.0;
    /// The width of the buckets the response rate is counted in, seconds.
    const TIME_BUCKET: f64 = 0.5;

    /// A limiter made at time `now` (seconds): disabled, an empty bucket filling at one token
    /// a second (botocore's starting state), no rate measured yet.
    pub fn new(now: f64) -> Self {
        let now = finite_or_zero(now);
        ClientRateLimiter {
            state: Mutex::new(LimiterState {
                enabled: false,
                fill_rate: 1.0,
                max_capacity: 1.0,
                capacity: 0.0,
                last_refill: now,
                measured_rate: 0.0,
                last_bucket: now.floor(),
                count: 0,
                w_max: 0.0,
                k: 0.0,
                last_throttle: now,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, LimiterState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes a token for an attempt about to be sent at `now`: `Ok` when the attempt may go
    /// (always, until the first throttling), else `Err` with how long to wait before asking
    /// again (at most 2 s: one token at the lowest fill rate).
    pub fn acquire(&self, now: f64) -> Result<(), Duration> {
        let mut s = self.state();
        if !s.enabled {
            return Ok(());
        }
        s.refill(now);
        if s.capacity >= 1.0 {
            s.capacity -= 1.0;
            return Ok(());
        }
        let wait = (1.0 - s.capacity) / s.fill_rate;
        match Duration::try_from_secs_f64(wait) {
            Ok(wait) if !wait.is_zero() => Err(wait.min(Duration::from_secs(2))),
            // Short by less than a nanosecond (or a value that is no duration): waiting would
            // not change anything, so the token is given.
            _ => {
                s.capacity = 0.0;
                Ok(())
            }
        }
    }

    /// Records the outcome of an attempt at `now`: whether the service throttled it. The
    /// first throttling enables the limiter.
    pub fn update(&self, now: f64, throttled: bool) {
        let now = finite_or_zero(now);
        let mut s = self.state();
        let measured = s.record(now);
        let rate = if throttled {
            let rate_to_use = if s.enabled { measured.min(s.fill_rate) } else { measured };
            s.enabled = true;
            s.cubic_throttled(rate_to_use, now)
        } else {
            s.cubic_success(now)
        };
        s.set_rate(now, rate.min(2.0 * measured));
    }

    /// Whether a throttling response has enabled the limiter.
    pub fn is_enabled(&self) -> bool {
        self.state().enabled
    }

    /// Tokens added per second.
    pub fn fill_rate(&self) -> f64 {
        self.state().fill_rate
    }

    /// The most tokens the bucket holds.
    pub fn max_capacity(&self) -> f64 {
        self.state().max_capacity
    }

    /// The tokens in the bucket when it was last filled or taken from.
    pub fn available(&self) -> f64 {
        self.state().capacity
    }

    /// The smoothed rate of responses, per second.
    pub fn measured_rate(&self) -> f64 {
        self.state().measured_rate
    }
}

impl LimiterState {
    /// Adds what the fill rate gave since the last refill, up to the capacity.
    fn refill(&mut self, now: f64) {
        let now = finite_or_zero(now);
        // A clock that went back adds nothing (and takes nothing).
        let elapsed = (now - self.last_refill).max(0.0);
        self.capacity = (self.capacity + elapsed * self.fill_rate).min(self.max_capacity).max(0.0);
        self.last_refill = self.last_refill.max(now);
    }

    /// A new fill rate (botocore's `TokenBucket.max_rate`): at least the minimum; the
    /// capacity is the rate, at least one token, and what the bucket holds is cut to it.
    fn set_rate(&mut self, now: f64, rate: f64) {
        self.refill(now);
        self.fill_rate = rate.max(ClientRateLimiter::MIN_FILL_RATE);
        self.max_capacity = rate.max(ClientRateLimiter::MIN_CAPACITY);
        self.capacity = self.capacity.min(self.max_capacity);
    }

    /// Counts a response; returns the smoothed rate, which changes when a new half-second
    /// bucket begins.
    fn record(&mut self, now: f64) -> f64 {
        let bucket = (now / ClientRateLimiter::TIME_BUCKET).floor() * ClientRateLimiter::TIME_BUCKET;
        self.count = self.count.saturating_add(1);
        if bucket > self.last_bucket {
            let current = self.count as f64 / (bucket - self.last_bucket);
            self.measured_rate =
                current * ClientRateLimiter::SMOOTHING + self.measured_rate * (1.0 - ClientRateLimiter::SMOOTHING);
            self.count = 0;
            self.last_bucket = bucket;
        }
        self.measured_rate
    }

    /// CUBIC's `K`: how long after a throttling the rate is back at `W_max`.
    fn zero_point(w_max: f64) -> f64 {
        (w_max * (1.0 - ClientRateLimiter::BETA) / ClientRateLimiter::SCALE_CONSTANT).cbrt()
    }

    /// The rate after a response that is not throttling: `C·(t − t_throttle − K)³ + W_max`.
    fn cubic_success(&self, now: f64) -> f64 {
        ClientRateLimiter::SCALE_CONSTANT * (now - self.last_throttle - self.k).powi(3) + self.w_max
    }

    /// The rate after throttling at `rate`: `W_max` becomes `rate`, the rate `β·rate`.
    fn cubic_throttled(&mut self, rate: f64, now: f64) -> f64 {
        self.w_max = rate;
        self.k = Self::zero_point(rate);
        self.last_throttle = now;
        rate * ClientRateLimiter::BETA
    }
}

/// `x`, or 0 for a NaN or an infinity (a time that is no time).
fn finite_or_zero(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

/// A number in [0, 1) for jitter, from std's randomly keyed hasher (no random-number crate
/// needed for this).
pub fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_like_botocore() {
        let meta = |code: &str| ErrorMetadata::default().with_code(code);
        assert_eq!(classify_response(400, Some(&meta("Throttling"))), Some(RetryKind::Throttling));
        assert_eq!(classify_response(400, Some(&meta("RequestLimitExceeded"))), Some(RetryKind::Throttling));
        assert_eq!(classify_response(503, None), Some(RetryKind::Transient));
        assert_eq!(classify_response(429, None), Some(RetryKind::Throttling));
        assert_eq!(classify_response(404, Some(&meta("CacheClusterNotFound"))), None);
        assert_eq!(classify_response(400, Some(&meta("InvalidParameterValue"))), None);
        assert_eq!(classify_response(501, None), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let c = RetryConfig::standard();
        assert_eq!(c.backoff(RetryKind::Transient, 1, 1.0), Duration::from_millis(50));
        assert_eq!(c.backoff(RetryKind::Transient, 3, 1.0), Duration::from_millis(200));
        assert_eq!(c.backoff(RetryKind::Throttling, 10, 1.0), Duration::from_secs(20));
        assert_eq!(c.backoff(RetryKind::Throttling, 1, 0.0), Duration::ZERO);
        assert_eq!(c.backoff(RetryKind::Throttling, 1, f64::NAN), Duration::ZERO);
        assert_eq!(c.backoff(RetryKind::Throttling, 1, f64::INFINITY), Duration::from_secs(1));
        let j = jitter();
        assert!((0.0..1.0).contains(&j));
    }

    #[test]
    fn quota_runs_out_and_refills() {
        let q = RetryQuota::new(20);
        assert_eq!(q.acquire(RetryKind::Transient), Some(14));
        assert_eq!(q.acquire(RetryKind::Transient), None);
        assert_eq!(q.acquire(RetryKind::Throttling), Some(5));
        q.release(Some(14));
        assert_eq!(q.available(), 15);
        q.release(None);
        q.release(Some(14));
        assert_eq!(q.available(), 20);
    }

    #[test]
    fn retry_modes_parse_and_print() {
        for (text, mode) in [("standard", RetryMode::Standard), ("ADAPTIVE", RetryMode::Adaptive), (" Adaptive\n", RetryMode::Adaptive)] {
            assert_eq!(text.parse::<RetryMode>(), Ok(mode), "{text:?}");
        }
        for mode in [RetryMode::Standard, RetryMode::Adaptive] {
            assert_eq!(mode.to_string().parse::<RetryMode>(), Ok(mode));
        }
        assert_eq!(RetryMode::Adaptive.to_string(), "adaptive");
        for bad in ["legacy", "", "adaptiv", "standard adaptive"] {
            let err = bad.parse::<RetryMode>().expect_err(bad);
            assert_eq!(err.value(), bad.trim());
            assert!(err.to_string().contains("valid options are: standard, adaptive"), "{err}");
        }
    }

    #[test]
    fn retry_config_modes() {
        assert_eq!(RetryConfig::standard().mode(), RetryMode::Standard);
        assert_eq!(RetryConfig::default().mode(), RetryMode::Standard);
        let adaptive = RetryConfig::adaptive();
        assert_eq!((adaptive.mode(), adaptive.max_attempts()), (RetryMode::Adaptive, 3));
        assert_eq!(adaptive.clone().with_retry_mode(RetryMode::Standard), RetryConfig::standard());
        let c = RetryConfig::standard().with_max_attempts(5).with_retry_mode(RetryMode::Adaptive);
        assert_eq!((c.mode(), c.max_attempts()), (RetryMode::Adaptive, 5));
        assert_eq!(RetryConfig::disabled().mode(), RetryMode::Standard);
    }

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0)
    }

    /// Equal within a relative 1e-9: the same computations, in another order of operations.
    macro_rules! assert_close {
        ($actual:expr, $expected:expr) => {
            assert_close!($actual, $expected, "")
        };
        ($actual:expr, $expected:expr, $($why:tt)+) => {{
            let (a, e): (f64, f64) = ($actual, $expected);
            assert!(close(a, e), "{} = {a}, expected {e} {}", stringify!($actual), format_args!($($why)+));
        }};
    }

    /// A limiter's state as botocore's `CubicCalculator(starting_max_rate=w_max, start_time=0)`
    /// leaves it.
    fn cubic(w_max: f64) -> LimiterState {
        let limiter = ClientRateLimiter::new(0.0);
        let mut s = limiter.state().clone();
        s.w_max = w_max;
        s.k = LimiterState::zero_point(w_max);
        s
    }

    // The numbers of the next two tests are those of botocore's tests/unit/retries/
    // test_throttling.py (botocore 1.44.18), checked by hand: K = (W_max·(1−β)/C)^(1/3).

    #[test]
    fn cubic_zero_point_and_growth_match_botocore() {
        // W_max = 10: K = (10·0.3/0.4)^(1/3) = 7.5^(1/3).
        let s = cubic(10.0);
        assert_close!(s.k, 1.9574338205844317);
        // Below W_max before K, W_max at K, above after.
        for t in [s.k / 3.0, s.k / 2.0, s.k / 1.1] {
            assert!(s.cubic_success(t) <= 10.0, "t = {t}");
        }
        assert_close!(s.cubic_success(s.k), 10.0);
        for t in [s.k * 1.1, s.k * 2.0] {
            assert!(s.cubic_success(t) >= 10.0, "t = {t}");
        }
    }

    #[test]
    fn throttling_cuts_the_rate_by_beta_like_botocore() {
        let mut s = cubic(10.0);
        // Throttled at 8 TPS at t = 1: the rate is 8·0.7, W_max 8, K = (8·0.3/0.4)^(1/3) = 6^(1/3).
        assert_close!(s.cubic_throttled(8.0, 1.0), 5.6);
        assert_close!(s.w_max, 8.0);
        assert_close!(s.k, 1.8171205928321397);
        assert_close!(s.last_throttle, 1.0);
        // Right after the throttling, CUBIC's curve starts at the cut rate.
        assert_close!(s.cubic_success(1.0), 5.6);
    }

    // botocore's tests/unit/retries/test_adaptive.py (`TestRateClocker`): the smoothed rate
    // of responses, counted in half-second buckets.

    #[test]
    fn measured_rate_is_smoothed_per_half_second_like_botocore() {
        let mut s = ClientRateLimiter::new(0.0).state().clone();
        assert_eq!(s.measured_rate, 0.0);
        // One response in the second after the start: 1·0.8 + 0·0.2.
        assert_close!(s.record(1.0), 0.8);

        // Five responses in [0, 0.5) keep the previous rate (0); the sixth, at 0.5, closes the
        // bucket: 6 responses in 0.5 s = 12/s, smoothed 12·0.8.
        let mut s = ClientRateLimiter::new(0.0).state().clone();
        for t in [0.1, 0.2, 0.3, 0.4, 0.49] {
            assert_eq!(s.record(t), 0.0, "t = {t}");
        }
        assert_close!(s.record(0.5), 12.0 * 0.8);

        // One response a second for 20 s: 1/s.
        let mut s = ClientRateLimiter::new(0.0).state().clone();
        for t in 1..=20 {
            s.record(f64::from(t));
        }
        assert!((s.measured_rate - 1.0).abs() < 1e-6, "{}", s.measured_rate);

        // Two a second for 3 s, then none for 10 s: nearly 2/s, then between 0.1/s and 2/s.
        let mut s = ClientRateLimiter::new(0.0).state().clone();
        for t in [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0] {
            s.record(t);
        }
        assert!((1.99..=2.0).contains(&s.measured_rate), "{}", s.measured_rate);
        s.record(14.0);
        assert!((0.1..=2.0).contains(&s.measured_rate), "{}", s.measured_rate);

        // Responses at the same instant do not divide by zero.
        let mut s = ClientRateLimiter::new(0.0).state().clone();
        for t in [1.0, 1.0, 1.0, 2.0, 3.0] {
            s.record(t);
        }
        assert!(s.measured_rate >= 1.0 && s.measured_rate.is_finite());
    }

    // botocore's tests/unit/retries/test_bucket.py: the token bucket alone.

    /// An enabled limiter whose bucket fills at `rate` from t = 0, empty.
    fn bucket(rate: f64) -> ClientRateLimiter {
        let limiter = ClientRateLimiter::new(0.0);
        {
            let mut s = limiter.state();
            s.enabled = true;
            s.set_rate(0.0, rate);
        }
        limiter
    }

    #[test]
    fn bucket_gives_tokens_at_its_rate_like_botocore() {
        // 10 tokens/s: one a second is always there.
        let b = bucket(10.0);
        for t in 1..=5 {
            assert_eq!(b.acquire(f64::from(t)), Ok(()), "t = {t}");
        }
        // One every 100 ms, for 2 s, from t = 1.
        let b = bucket(10.0);
        for i in 0..20 {
            assert_eq!(b.acquire(1.0 + 0.1 * f64::from(i)), Ok(()), "i = {i}");
        }
        // The rate cut to 1 at t = 5: one a second is still there.
        let b = bucket(10.0);
        for t in 1..=5 {
            assert_eq!(b.acquire(f64::from(t)), Ok(()));
        }
        b.state().set_rate(5.0, 1.0);
        assert_close!(b.max_capacity(), 1.0);
        for t in 6..=10 {
            assert_eq!(b.acquire(f64::from(t)), Ok(()), "t = {t}");
        }
    }

    #[test]
    fn an_empty_bucket_says_how_long_to_wait_like_botocore() {
        let b = bucket(10.0);
        // The token of 0.1 s, then none at 0.15: half a token short at 10/s is 50 ms.
        assert_eq!(b.acquire(0.1), Ok(()));
        assert_close!(b.available(), 0.0);
        let wait = b.acquire(0.15).expect_err("the bucket is empty");
        assert!((wait.as_secs_f64() - 0.05).abs() < 1e-9, "{wait:?}");
        // Waiting that long, the token is there; asking again took nothing meanwhile.
        assert_eq!(b.acquire(0.2), Ok(()));
        assert!(b.available().abs() < 1e-9, "{}", b.available());
        assert_eq!(b.acquire(0.300001), Ok(()));
    }

    #[test]
    fn the_rate_and_capacity_have_floors_like_botocore() {
        let b = bucket(10.0);
        b.state().set_rate(1.0, 0.5);
        assert_close!(b.fill_rate(), 0.5);
        assert_close!(b.max_capacity(), 1.0);
        // botocore's test uses a floor of 0.2; this limiter's (aws-sdk-rust's, botocore's
        // default) is 0.5.
        b.state().set_rate(2.0, 0.1);
        assert_close!(b.fill_rate(), ClientRateLimiter::MIN_FILL_RATE);
        assert_close!(b.max_capacity(), ClientRateLimiter::MIN_CAPACITY);
        // An empty bucket at the lowest rate waits at most 2 s for a token.
        let b = bucket(0.0);
        let _ = b.acquire(0.0);
        let wait = b.acquire(0.0).expect_err("empty");
        assert!(wait <= Duration::from_secs(2), "{wait:?}");
    }

    #[test]
    fn the_limiter_is_off_until_the_first_throttling() {
        let limiter = ClientRateLimiter::new(0.0);
        for i in 0..100 {
            // Many attempts at the same instant: no token needed.
            assert_eq!(limiter.acquire(0.0), Ok(()), "i = {i}");
            limiter.update(0.001 * f64::from(i), false);
        }
        assert!(!limiter.is_enabled());
        limiter.update(0.2, true);
        assert!(limiter.is_enabled());
        // Now a token per attempt: the bucket holds at most its capacity.
        let granted = (0..100).filter(|_| limiter.acquire(0.2).is_ok()).count();
        assert!(granted <= limiter.max_capacity().ceil() as usize, "{granted}");
        assert!(limiter.acquire(0.2).is_err());
    }

    /// The whole limiter over a sequence of responses, 200 ms apart, throttled at 2.0 s and
    /// 3.2 s. The expected values are what botocore 1.44.18's own `ClientRateLimiter`
    /// (`retries/adaptive.py`, with `bucket.TokenBucket(max_rate=1)` and
    /// `throttling.CubicCalculator(starting_max_rate=0)`, as `register_retry_handler` makes
    /// them) computes for this sequence with a fake clock; the measured and fill rates are
    /// also the table of aws-sdk-rust's `test_client_sending_rates` (aws-smithy-runtime
    /// `client_rate_limiter.rs`). Columns: time, throttled, measured rate, fill rate,
    /// capacity, tokens in the bucket.
    #[test]
    fn the_limiter_follows_botocore_through_throttling() {
        #[rustfmt::skip]
        let table: [(f64, bool, f64, f64, f64, f64); 17] = [
            (0.2, false, 0.0, 0.5, 1.0, 0.2),
            (0.4, false, 0.0, 0.5, 1.0, 0.30000000000000004),
            (0.6, false, 4.800000000000001, 0.5, 1.0, 0.4),
            (0.8, false, 4.800000000000001, 0.5, 1.0, 0.5),
            (1.0, false, 4.16, 0.5, 1.0, 0.6),
            (1.2, false, 4.16, 0.6911999999999999, 1.0, 0.7),
            (1.4, false, 4.16, 1.0975999999999997, 1.0975999999999997, 0.8382399999999999),
            (1.6, false, 5.632000000000001, 1.6384000000000005, 1.6384000000000005, 1.05776),
            (1.8, false, 5.632000000000001, 2.3328, 2.3328, 1.38544),
            (2.0, true, 4.3264, 3.0284799999999996, 3.0284799999999996, 1.8519999999999999),
            (2.2, false, 4.3264, 3.48663917347026, 3.48663917347026, 2.4576960000000003),
            (2.4, false, 4.3264, 3.821874416040255, 3.821874416040255, 3.1550238346940516),
            (2.6, false, 5.66528, 4.053385727709987, 4.053385727709987, 3.821874416040255),
            (2.8, false, 5.66528, 4.200373108479454, 4.200373108479454, 4.053385727709987),
            (3.0, false, 4.333056, 4.282036558348658, 4.282036558348658, 4.200373108479454),
            (3.2, true, 4.333056, 2.99742559084406, 2.99742559084406, 2.99742559084406),
            (3.4, false, 4.333056, 3.4522263943863463, 3.4522263943863463, 2.99742559084406),
        ];
        let limiter = ClientRateLimiter::new(0.0);
        for (i, (t, throttled, measured, fill, capacity, available)) in table.into_iter().enumerate() {
            // Times as 0.2·n, the way the fake clock made them.
            let now = 0.2 * (i as f64 + 1.0);
            assert_close!(now, t);
            limiter.update(now, throttled);
            assert_close!(limiter.measured_rate(), measured, "at {t}");
            assert_close!(limiter.fill_rate(), fill, "at {t}");
            assert_close!(limiter.max_capacity(), capacity, "at {t}");
            assert_close!(limiter.available(), available, "at {t}");
            assert_eq!(limiter.is_enabled(), t >= 2.0, "at {t}");
        }
    }

    #[test]
    fn odd_times_do_not_panic_or_poison_the_limiter() {
        let limiter = ClientRateLimiter::new(f64::NAN);
        for now in [f64::NAN, f64::INFINITY, -1.0, 1e300, f64::NEG_INFINITY, 0.0, -5.0] {
            limiter.update(now, true);
            let _ = limiter.acquire(now);
        }
        assert!(limiter.fill_rate().is_finite() && limiter.fill_rate() >= ClientRateLimiter::MIN_FILL_RATE);
        assert!(limiter.available() >= 0.0);
        // A clock that went back gives no tokens and takes none.
        let b = bucket(1.0);
        let _ = b.acquire(10.0);
        let before = b.available();
        let _ = b.acquire(5.0);
        assert!(b.available() <= before.max(1.0));
    }
}

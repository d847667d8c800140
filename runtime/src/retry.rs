//! Standard-mode retries, as botocore does them: which failures are retried, how long to wait
//! (exponential backoff with full jitter, capped), and a client-wide retry quota so that an
//! outage is not made worse by every caller retrying.
//!
//! Retried: throttling (error codes such as `Throttling`, `RequestLimitExceeded`,
//! `TooManyRequestsException`; status 429), transient failures (status 500, 502, 503, 504;
//! codes `RequestTimeout`, `RequestTimeoutException`, `PriorRequestNotComplete`), connection
//! errors and timeouts. Never retried: any other error the service sends (a modeled client
//! error such as `CacheClusterNotFound` is an answer, not a fault).

use crate::error::ErrorMetadata;
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

/// The retry strategy: botocore's and aws-sdk-rust's standard mode. aws-sdk-rust's
/// `Adaptive` (client-side rate limiting) is not implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryMode {
    Standard,
}

/// How to retry.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryConfig {
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
            max_attempts: 3,
            initial_backoff: Duration::from_millis(50),
            throttling_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            quota: RetryQuota::INITIAL,
        }
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryConfig { max_attempts: 1, ..Self::standard() }
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

    /// Always [`RetryMode::Standard`], the only mode this runtime has.
    pub fn mode(&self) -> RetryMode {
        RetryMode::Standard
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
}

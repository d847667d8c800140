//! What the client tells `tracing` (feature `tracing`): one `info` span per call with the
//! service, operation, attempts and request id; `debug` events per attempt; `info` events
//! for retries and for giving up. Without the feature every function here is empty.

use crate::http::ConnectorError;
use crate::retry::RetryKind;
use std::future::Future;
use std::time::Duration;

/// The span of one call.
pub(crate) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl CallSpan {
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn new(service: &'static str, operation: &'static str) -> Self {
        CallSpan {
            #[cfg(feature = "tracing")]
            span: tracing::info_span!(
                "aws_call",
                service,
                operation,
                attempts = tracing::field::Empty,
                request_id = tracing::field::Empty,
            ),
        }
    }

    pub(crate) fn instrument<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
        #[cfg(feature = "tracing")]
        {
            tracing::Instrument::instrument(future, self.span.clone())
        }
        #[cfg(not(feature = "tracing"))]
        {
            future
        }
    }

    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn record_attempts(&self, attempts: u32) {
        #[cfg(feature = "tracing")]
        self.span.record("attempts", attempts);
    }

    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn finish_ok(&self, request_id: Option<&str>) {
        #[cfg(feature = "tracing")]
        {
            if let Some(id) = request_id {
                self.span.record("request_id", id);
            }
            self.span.in_scope(|| tracing::debug!("call succeeded"));
        }
    }

    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn finish_err(&self, request_id: Option<&str>, error: &dyn std::fmt::Display) {
        #[cfg(feature = "tracing")]
        {
            if let Some(id) = request_id {
                self.span.record("request_id", id);
            }
            self.span.in_scope(|| tracing::info!(error = %error, "call failed"));
        }
    }
}

#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn response(attempt: u32, status: u16, code: Option<&str>) {
    #[cfg(feature = "tracing")]
    tracing::debug!(attempt, status, code, "response");
}

#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn transport_error(attempt: u32, error: &ConnectorError) {
    #[cfg(feature = "tracing")]
    tracing::debug!(attempt, error = %error, "transport error");
}

#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn timed_out(attempt: u32, limit: Duration) {
    #[cfg(feature = "tracing")]
    tracing::debug!(attempt, timeout_ms = limit.as_millis() as u64, "attempt timed out");
}

#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn retrying(attempt: u32, kind: RetryKind, delay: Duration) {
    #[cfg(feature = "tracing")]
    tracing::info!(attempt, kind = ?kind, delay_ms = delay.as_millis() as u64, "retrying");
}

/// Adaptive mode: the attempt waits for a token of the client's rate limiter.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn rate_limited(attempt: u32, wait: Duration) {
    #[cfg(feature = "tracing")]
    tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "waiting for the client rate limiter");
}

#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn giving_up(attempt: u32, why: &'static str) {
    #[cfg(feature = "tracing")]
    tracing::info!(attempt, why, "giving up");
}

/// Something the user should know that does not fail the call (credentials kept in use
/// past their expiry, …).
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
pub(crate) fn warn(message: &str) {
    #[cfg(feature = "tracing")]
    tracing::warn!("{message}");
}

//! The error of a call: [`SdkError`], with the kinds aws-sdk-rust has, so that code written
//! against it carries over (`as_service_error()`, `into_service_error()`,
//! `SdkError::ServiceError(..)`, …).
//!
//! Every kind says which operation failed and after how many attempts; `Display` prints the
//! whole story on one line (the service's code and message, the transport's cause), so
//! `println!("{e}")` is useful on its own.

use crate::error::{ErrorMetadata, ProvideErrorMetadata, Unhandled};
use crate::http::{ConnectorError, HttpResponse};
use crate::error::OperationError;
use std::fmt;
use std::time::Duration;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why a call failed. `R` is the raw response type (always [`HttpResponse`] here; the
/// parameter is aws-sdk-rust's, so that signatures naming `SdkError<E, R>` carry over).
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E, R = HttpResponse> {
    /// The request could not be built: invalid input, no region or endpoint, no credentials.
    ConstructionFailure(ConstructionFailure),
    /// The attempt timed out (the per-attempt or the whole-call timeout).
    TimeoutError(TimeoutError),
    /// The request could not be sent or no response came back (connection refused or reset,
    /// DNS, TLS).
    DispatchFailure(DispatchFailure),
    /// A response came back but could not be read (malformed XML, a body over the limit).
    ResponseError(ResponseError<R>),
    /// The service answered with an error, modeled (`E`'s variants) or not (`E::Unhandled`).
    ServiceError(ServiceError<E, R>),
}

/// What every kind records about the call.
#[derive(Debug, Clone, Copy)]
struct Call {
    operation: &'static str,
    attempts: u32,
}

impl Call {
    fn suffix(&self) -> String {
        if self.attempts > 1 {
            format!(" (after {} attempts)", self.attempts)
        } else {
            String::new()
        }
    }
}

/// See [`SdkError::ConstructionFailure`].
#[derive(Debug)]
pub struct ConstructionFailure {
    call: Call,
    source: BoxError,
}

/// See [`SdkError::TimeoutError`].
#[derive(Debug)]
pub struct TimeoutError {
    call: Call,
    timeout: Duration,
    what: &'static str,
}

/// See [`SdkError::DispatchFailure`].
#[derive(Debug)]
pub struct DispatchFailure {
    call: Call,
    source: ConnectorError,
}

/// See [`SdkError::ResponseError`].
#[derive(Debug)]
pub struct ResponseError<R = HttpResponse> {
    call: Call,
    raw: Option<Box<R>>,
    /// The HTTP status of `raw`, kept apart so that any `R` displays.
    status: Option<u16>,
    source: BoxError,
}

/// See [`SdkError::ServiceError`].
#[derive(Debug)]
pub struct ServiceError<E, R = HttpResponse> {
    call: Call,
    source: E,
    raw: Box<R>,
}

impl<E, R> SdkError<E, R> {
    /// The error inside, boxed (aws-sdk-rust's `into_source`): the service's error, the
    /// transport's, the cause of a failed build or read, or the timeout itself. Never `Err`
    /// here (every kind has something to give); the `Result` is aws-sdk-rust's signature.
    pub fn into_source(self) -> Result<BoxError, Self>
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Ok(match self {
            SdkError::ConstructionFailure(c) => c.source,
            SdkError::TimeoutError(t) => Box::new(t),
            SdkError::DispatchFailure(d) => Box::new(d.source),
            SdkError::ResponseError(r) => r.source,
            SdkError::ServiceError(s) => Box::new(s.source),
        })
    }
}

impl ConstructionFailure {
    pub fn source_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.source
    }
}

impl TimeoutError {
    /// The timeout that ran out.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

impl DispatchFailure {
    pub fn connector_error(&self) -> &ConnectorError {
        &self.source
    }

    pub fn is_io(&self) -> bool {
        self.source.is_io()
    }

    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    pub fn is_user(&self) -> bool {
        self.source.is_user()
    }

    pub fn is_other(&self) -> bool {
        self.source.is_other()
    }
}

impl<R> ResponseError<R> {
    /// The response, when one was read.
    pub fn raw(&self) -> Option<&R> {
        self.raw.as_deref()
    }
}

impl<E, R> ServiceError<E, R> {
    /// The service's error.
    pub fn err(&self) -> &E {
        &self.source
    }

    pub fn into_err(self) -> E {
        self.source
    }

    /// The response that carried the error.
    pub fn raw(&self) -> &R {
        &self.raw
    }
}

impl<E> SdkError<E> {
    pub fn construction_failure(operation: &'static str, source: impl Into<BoxError>) -> Self {
        SdkError::ConstructionFailure(ConstructionFailure { call: Call { operation, attempts: 0 }, source: source.into() })
    }

    pub fn timeout_error(operation: &'static str, attempts: u32, timeout: Duration, what: &'static str) -> Self {
        SdkError::TimeoutError(TimeoutError { call: Call { operation, attempts }, timeout, what })
    }

    pub fn dispatch_failure(operation: &'static str, attempts: u32, source: ConnectorError) -> Self {
        SdkError::DispatchFailure(DispatchFailure { call: Call { operation, attempts }, source })
    }

    pub fn response_error(
        operation: &'static str,
        attempts: u32,
        raw: Option<HttpResponse>,
        source: impl Into<BoxError>,
    ) -> Self {
        let status = raw.as_ref().map(|r| r.status().as_u16());
        SdkError::ResponseError(ResponseError { call: Call { operation, attempts }, status, raw: raw.map(Box::new), source: source.into() })
    }

    pub fn service_error(operation: &'static str, attempts: u32, source: E, raw: HttpResponse) -> Self {
        SdkError::ServiceError(ServiceError { call: Call { operation, attempts }, source, raw: Box::new(raw) })
    }

    /// The service error, or what went wrong instead as an [`Unhandled`] error.
    pub fn into_service_error_or_unhandled(self) -> Result<E, Unhandled> {
        // The conversions live on the (non-generic) kinds: compiled once, not per operation.
        match self {
            SdkError::ServiceError(e) => Ok(e.source),
            SdkError::ConstructionFailure(c) => Err(c.into_unhandled()),
            SdkError::TimeoutError(c) => Err(c.into_unhandled()),
            SdkError::DispatchFailure(c) => Err(c.into_unhandled()),
            SdkError::ResponseError(c) => Err(c.into_unhandled()),
        }
    }

    /// The service error; any other kind becomes the error's `Unhandled` variant, keeping
    /// the original as its source (as in aws-sdk-rust).
    pub fn into_service_error(self) -> E
    where
        E: OperationError,
    {
        match self.into_service_error_or_unhandled() {
            Ok(e) => e,
            Err(u) => E::unhandled(u),
        }
    }
}

impl<E, R> SdkError<E, R> {
    fn call(&self) -> &Call {
        match self {
            SdkError::ConstructionFailure(c) => &c.call,
            SdkError::TimeoutError(c) => &c.call,
            SdkError::DispatchFailure(c) => &c.call,
            SdkError::ResponseError(c) => &c.call,
            SdkError::ServiceError(c) => &c.call,
        }
    }

    /// The operation that failed (`CopySnapshot`).
    pub fn operation(&self) -> &'static str {
        self.call().operation
    }

    /// HTTP attempts made (0 when the request was never sent).
    pub fn attempts(&self) -> u32 {
        self.call().attempts
    }

    /// The service's error, if that is what this is.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::ServiceError(e) => Some(&e.source),
            _ => None,
        }
    }

    /// The HTTP response, when there was one.
    pub fn raw_response(&self) -> Option<&R> {
        match self {
            SdkError::ServiceError(e) => Some(&e.raw),
            SdkError::ResponseError(e) => e.raw.as_deref(),
            _ => None,
        }
    }

    /// Applies `f` to the service error.
    pub fn map_service_error<E2>(self, f: impl FnOnce(E) -> E2) -> SdkError<E2, R> {
        match self {
            SdkError::ConstructionFailure(c) => SdkError::ConstructionFailure(c),
            SdkError::TimeoutError(c) => SdkError::TimeoutError(c),
            SdkError::DispatchFailure(c) => SdkError::DispatchFailure(c),
            SdkError::ResponseError(c) => SdkError::ResponseError(c),
            SdkError::ServiceError(c) => SdkError::ServiceError(ServiceError { call: c.call, source: f(c.source), raw: c.raw }),
        }
    }

    /// The error code the service sent, for service errors.
    pub fn code(&self) -> Option<&str>
    where
        E: ProvideErrorMetadata,
    {
        self.as_service_error().and_then(|e| e.meta().code())
    }

    /// The message the service sent, for service errors.
    pub fn message(&self) -> Option<&str>
    where
        E: ProvideErrorMetadata,
    {
        self.as_service_error().and_then(|e| e.meta().message())
    }

    /// The request id, for service errors.
    pub fn request_id(&self) -> Option<&str>
    where
        E: ProvideErrorMetadata,
    {
        self.as_service_error().and_then(|e| e.meta().request_id())
    }

}


impl ConstructionFailure {
    fn into_unhandled(self) -> Unhandled {
        unhandled(0, self.to_string(), self.source)
    }
}

impl TimeoutError {
    fn into_unhandled(self) -> Unhandled {
        let message = format!("{self}{}", self.call.suffix());
        unhandled(0, message, Box::new(self))
    }
}

impl DispatchFailure {
    fn into_unhandled(self) -> Unhandled {
        unhandled(0, self.to_string(), Box::new(self.source))
    }
}

impl ResponseError {
    fn into_unhandled(self) -> Unhandled {
        unhandled(self.status.unwrap_or(0), self.to_string(), self.source)
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timed out: no response within the {} of {:?}", self.call.operation, self.what, self.timeout)
    }
}

impl std::error::Error for TimeoutError {}

impl std::error::Error for ConstructionFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

impl std::error::Error for DispatchFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl<R: fmt::Debug> std::error::Error for ResponseError<R> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// A failure that is not the service's, as an [`Unhandled`] error (built once, not per
/// operation).
fn unhandled(status: u16, message: String, source: BoxError) -> Unhandled {
    Unhandled::with_source(ErrorMetadata::default().with_status(status).with_message(message), source)
}

impl<E: fmt::Display, R> fmt::Display for SdkError<E, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only the service error depends on `E`; the rest is formatted once, not per operation.
        match self {
            SdkError::ConstructionFailure(c) => c.fmt(f),
            SdkError::TimeoutError(c) => write!(f, "{c}{}", c.call.suffix()),
            SdkError::DispatchFailure(c) => c.fmt(f),
            SdkError::ResponseError(c) => c.fmt(f),
            SdkError::ServiceError(c) => write!(f, "{}{}", c.source, c.call.suffix()),
        }
    }
}

impl fmt::Display for ConstructionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the request could not be built: {}", self.call.operation, self.source)
    }
}

impl fmt::Display for DispatchFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the request could not be sent{}: {}", self.call.operation, self.call.suffix(), self.source)
    }
}

impl<R> fmt::Display for ResponseError<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.status.map(|s| format!(" (HTTP status {s})")).unwrap_or_default();
        write!(f, "{}: the response could not be read{status}{}: {}", self.call.operation, self.call.suffix(), self.source)
    }
}

impl<E: std::error::Error + 'static, R: fmt::Debug> std::error::Error for SdkError<E, R> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::ConstructionFailure(c) => Some(&*c.source),
            SdkError::TimeoutError(_) => None,
            SdkError::DispatchFailure(c) => Some(&c.source),
            SdkError::ResponseError(c) => Some(&*c.source),
            SdkError::ServiceError(c) => Some(&c.source),
        }
    }
}

impl<E: ProvideErrorMetadata, R> ProvideErrorMetadata for SdkError<E, R> {
    fn meta(&self) -> &ErrorMetadata {
        match self.as_service_error() {
            Some(e) => e.meta(),
            // No metadata for kinds other than service errors (aws-sdk-rust's is then empty).
            None => crate::error::no_metadata(),
        }
    }
}

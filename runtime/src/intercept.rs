//! The call pipeline's interception point, for unit tests (feature `test-util`).
//!
//! An [`Intercept`] set with `Config::builder().interceptor(..)` is asked once per call, after
//! the input passed validation, whether it answers the call; it sees the operation's name and
//! its typed input (as `&dyn Any`, to be downcast to the operation's input type). When it
//! answers, every attempt of the call takes its response from the [`InterceptedCall`] instead
//! of the HTTP client:
//!
//! - a modeled output or error ([`Response::Output`], [`Response::Error`], boxed values of the
//!   operation's output or error type) ends the call with it at once, as the service's answer
//!   would after parsing (a modeled error is not retried; its raw response is an empty one
//!   with the error's status, or 400);
//! - an HTTP response ([`Response::Http`]) goes through the pipeline as if the transport had
//!   returned it: classified, retried (the next attempt asks for the next response), parsed;
//! - no response left for a retry ends the call with a dispatch failure saying so.
//!
//! aws-query-mocks builds its rules (aws-smithy-mocks' shape) on this. Without the feature,
//! the pipeline's side of the hook is a type with no values: nothing is stored or asked.

use crate::config::Config;
use crate::http::HttpResponse;
use crate::operation::Operation;
use crate::sdk_error::SdkError;
use std::any::Any;

#[cfg(feature = "test-util")]
pub use enabled::*;

#[cfg(feature = "test-util")]
mod enabled {
    use super::*;
    use crate::http::ConnectorError;
    use crate::error::ProvideErrorMetadata;
    use std::fmt;

    /// Answers calls instead of the service, for tests.
    pub trait Intercept: Send + Sync + fmt::Debug + 'static {
        /// `Some` to answer this call (of `operation`, with `input`: the operation's input
        /// type); `None` to let it go to the HTTP client.
        fn intercept(&self, operation: &'static str, input: &(dyn Any + Send + Sync)) -> Option<Box<dyn InterceptedCall>>;
    }

    /// The responses of one intercepted call, one per attempt.
    pub trait InterceptedCall: Send {
        /// The response to the next attempt; `None` when there is none left.
        fn next_response(&mut self) -> Option<Response>;
    }

    /// One attempt's response.
    pub enum Response {
        /// The operation's output (its `<Op>Output`, boxed).
        Output(Box<dyn Any + Send>),
        /// The operation's error (its `<Op>Error`, boxed).
        Error(Box<dyn Any + Send>),
        /// A response as the transport would return it.
        Http(HttpResponse),
    }

    impl fmt::Debug for Response {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Response::Output(_) => f.write_str("Output(..)"),
                Response::Error(_) => f.write_str("Error(..)"),
                Response::Http(r) => f.debug_tuple("Http").field(&r.status()).finish(),
            }
        }
    }

    /// An intercepted call in progress.
    pub(crate) struct Mocked {
        call: Box<dyn InterceptedCall>,
    }

    /// How an intercepted call ends without an HTTP response to parse.
    pub(crate) enum Modeled {
        Output(Box<dyn Any + Send>),
        Error(Box<dyn Any + Send>),
        /// The interceptor had no response for this attempt.
        Exhausted(u32),
    }

    impl Mocked {
        /// The first configured interceptor that answers this call.
        pub(crate) fn start(config: &Config, operation: &'static str, input: &(dyn Any + Send + Sync)) -> Option<Mocked> {
            config.interceptors.iter().find_map(|i| i.intercept(operation, input)).map(|call| Mocked { call })
        }

        /// Attempt `attempt`'s response: an HTTP response for the pipeline, or the call's end.
        pub(crate) fn next_attempt(&mut self, attempt: u32) -> Result<HttpResponse, Modeled> {
            match self.call.next_response() {
                Some(Response::Http(r)) => Ok(r),
                Some(Response::Output(o)) => Err(Modeled::Output(o)),
                Some(Response::Error(e)) => Err(Modeled::Error(e)),
                None => Err(Modeled::Exhausted(attempt)),
            }
        }
    }

    impl Modeled {
        pub(crate) fn into_result<O: Operation>(self, operation: &'static str, attempts: u32) -> Result<O::Output, SdkError<O::Error>> {
            let wrong_type = |what: &str| {
                SdkError::construction_failure(
                    operation,
                    format!("the interceptor answered {operation} with a value that is not its {what} type"),
                )
            };
            match self {
                Modeled::Output(o) => o.downcast::<O::Output>().map(|o| *o).map_err(|_| wrong_type("output")),
                Modeled::Error(e) => {
                    let e = *e.downcast::<O::Error>().map_err(|_| wrong_type("error"))?;
                    let status = match e.meta().status() {
                        0 => 400,
                        s => s,
                    };
                    Err(SdkError::service_error(operation, attempts, e, HttpResponse::new(status, "")))
                }
                Modeled::Exhausted(attempt) => Err(SdkError::dispatch_failure(
                    operation,
                    attempts,
                    ConnectorError::other(format!("the interceptor has no response left for attempt {attempt} of this {operation} call")),
                )),
            }
        }
    }
}

/// Without the feature: no call is intercepted, and the pipeline's hooks compile to nothing.
#[cfg(not(feature = "test-util"))]
pub(crate) enum Mocked {}

#[cfg(not(feature = "test-util"))]
pub(crate) enum Modeled {}

#[cfg(not(feature = "test-util"))]
impl Mocked {
    pub(crate) fn start(_config: &Config, _operation: &'static str, _input: &(dyn Any + Send + Sync)) -> Option<Mocked> {
        None
    }

    pub(crate) fn next_attempt(&mut self, _attempt: u32) -> Result<HttpResponse, Modeled> {
        match *self {}
    }
}

#[cfg(not(feature = "test-util"))]
impl Modeled {
    pub(crate) fn into_result<O: Operation>(self, _operation: &'static str, _attempts: u32) -> Result<O::Output, SdkError<O::Error>> {
        match self {}
    }
}

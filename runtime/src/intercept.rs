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
//! aws-query-mocks builds its rules (aws-smithy-mocks' shape) on this. The pipeline's side of
//! the hook is [`crate::mocked`]; without the feature it is a type with no values: nothing is
//! stored or asked.

#[cfg(feature = "test-util")]
pub use enabled::*;

#[cfg(feature = "test-util")]
mod enabled {
    use crate::http::HttpResponse;
    use std::any::Any;
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
}

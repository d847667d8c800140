//! The call pipeline's side of the interception point ([`crate::intercept`], feature
//! `test-util`): the first interceptor of the configuration that answers a call, and how each
//! of its answers ends an attempt. Without the feature, types with no values: the pipeline's
//! hooks compile to nothing.

use crate::config::Config;
use crate::http::HttpResponse;
use crate::operation::Operation;
use crate::sdk_error::SdkError;
use std::any::Any;

#[cfg(feature = "test-util")]
pub(crate) use enabled::*;

#[cfg(feature = "test-util")]
mod enabled {
    use super::*;
    use crate::error::ProvideErrorMetadata;
    use crate::http::ConnectorError;
    use crate::intercept::{InterceptedCall, Response};

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

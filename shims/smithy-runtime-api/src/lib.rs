//! The paths programs import from aws-smithy-runtime-api, naming aws-query-runtime's types:
//! with `aws-smithy-runtime-api = { package = "aws-query-smithy-runtime-api", version = "0.1" }`
//! in Cargo.toml, `use aws_smithy_runtime_api::client::result::SdkError;` and the like compile
//! unchanged against this project's service crates. Only re-exports: no code of its own.
#![forbid(unsafe_code)]

/// What clients are made of.
pub mod client {
    /// The result of a call: [`SdkError`](result::SdkError) and what its kinds carry.
    pub mod result {
        pub use aws_query_runtime::sdk_error::{ConstructionFailure, DispatchFailure, ResponseError, SdkError, ServiceError, TimeoutError};
    }

    /// The HTTP messages of a call.
    pub mod orchestrator {
        pub use aws_query_runtime::http::{HttpRequest, HttpResponse};
    }

    /// [`BehaviorVersion`](behavior_version::BehaviorVersion).
    pub mod behavior_version {
        pub use aws_query_runtime::config::BehaviorVersion;
    }
}

/// HTTP messages.
pub mod http {
    pub use aws_query_runtime::http::{HttpRequest as Request, HttpResponse as Response, StatusCode};
}

//! The paths programs import from aws-smithy-types, naming aws-query-runtime's types: with
//! `aws-smithy-types = { package = "aws-query-smithy-types", version = "0.1" }` in Cargo.toml,
//! `use aws_smithy_types::error::display::DisplayErrorContext;` and the like compile unchanged
//! against this project's service crates. Only re-exports: no code of its own.
#![forbid(unsafe_code)]

pub use aws_query_runtime::primitives::{Blob, DateTime};

/// Dates: [`DateTime`] and its formats.
pub mod date_time {
    pub use aws_query_runtime::primitives::{ConversionError, DateTime, DateTimeFormatError, DateTimeParseError, DateTimeFormat as Format};
}

/// Errors' metadata and display.
pub mod error {
    pub use aws_query_runtime::error::ErrorMetadata;

    /// `code()`, `message()` of any error.
    pub mod metadata {
        pub use aws_query_runtime::error::{ErrorMetadata, ErrorMetadataBuilder as Builder, ProvideErrorMetadata};
    }

    /// An error with its sources, on one line.
    pub mod display {
        pub use aws_query_runtime::error::DisplayErrorContext;
    }
}

/// Retries.
pub mod retry {
    pub use aws_query_runtime::retry::{RetryConfig, RetryMode};
}

/// Timeouts.
pub mod timeout {
    pub use aws_query_runtime::config::{TimeoutConfig, TimeoutConfigBuilder};
}

//! The paths programs import from aws-types, naming aws-query-runtime's types: with
//! `aws-types = { package = "aws-query-aws-types", version = "0.1" }` in Cargo.toml,
//! `use aws_types::{region::Region, SdkConfig};` and the like compile unchanged against this
//! project's service crates. Only re-exports: no code of its own.
#![forbid(unsafe_code)]

pub use aws_query_runtime::config::Config as SdkConfig;

/// [`SdkConfig`] and its builder.
pub mod sdk_config {
    pub use aws_query_runtime::config::{Builder, Config as SdkConfig};
}

/// [`Region`](region::Region).
pub mod region {
    pub use aws_query_runtime::config::Region;
}

/// [`AppName`](app_name::AppName).
pub mod app_name {
    pub use aws_query_runtime::config::{AppName, InvalidAppName};
}

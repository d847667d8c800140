//! Runtime shared by crates generated from AWS query-protocol service models.
//!
//! Generated crates hold only what differs per shape and operation: types, serializers,
//! deserializers, validators, error enums, fluent builders. Everything else is here,
//! written once: the query writer and XML reader, error documents, SigV4, credentials,
//! configuration, endpoint rules, retries and timeouts, the transport trait, paginators,
//! waiters. The default network transport is a crate of its own (aws-query-transport).
#![forbid(unsafe_code)]
// Nothing a server or a configuration sends may panic the caller: no unwrap, expect, indexing
// or unchecked arithmetic outside tests (a local `allow` says why an operation cannot fail).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::string_slice, clippy::arithmetic_side_effects)
)]
// The hosted documentation marks items that need a feature (Cargo.toml's docs.rs metadata).
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth_token;
pub mod base64;
pub mod client;
pub mod compression;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod endpoint_label;
pub mod error;
mod hex;
pub mod http;
pub mod idempotency;
pub mod intercept;
#[macro_use]
mod macros;
#[cfg(feature = "json")]
pub mod json;
mod minijson;
mod mocked;
mod number;
pub mod operation;
pub mod paginator;
pub mod primitives;
pub mod query;
pub mod region;
pub mod retry;
pub mod sdk_error;
pub mod sigv4;
pub mod skew;
pub mod time;
mod trace;
pub mod validation;
pub mod values;
pub mod waiter;
pub mod xml;

pub use bytes;

/// The request id AWS assigned to a call, for support cases and logs: outputs, errors and
/// `SdkError`s have one (aws-sdk-rust's trait of the same name).
pub trait RequestId {
    /// `None` when the response did not carry one.
    fn request_id(&self) -> Option<&str>;
}

/// Every error with metadata has the request id of the response that carried it.
impl<T: error::ProvideErrorMetadata + ?Sized> RequestId for T {
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id()
    }
}

//! Runtime shared by crates generated from AWS query-protocol service models.
//!
//! Generated crates hold only what differs per shape and operation: types, serializers,
//! deserializers, validators, error enums, fluent builders. Everything else is here,
//! written once: the query writer and XML reader, error documents, SigV4, credentials,
//! configuration, endpoint rules, retries and timeouts, transports, paginators, waiters.
#![forbid(unsafe_code)]
// The hosted documentation marks items that need a feature (Cargo.toml's docs.rs metadata).
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod base64;
pub mod client;
pub mod compression;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod endpoint_label;
pub mod error;
pub mod http;
#[cfg(feature = "rustls")]
pub mod hyper_client;
pub mod idempotency;
#[cfg(feature = "json")]
pub mod json;
mod minijson;
pub mod operation;
pub mod paginator;
pub mod primitives;
pub mod query;
pub mod retry;
pub mod sdk_error;
pub mod sigv4;
pub mod time;
mod trace;
pub mod validation;
pub mod waiter;
pub mod xml;

pub use bytes;

/// The request id AWS assigned to a call, for support cases and logs.
pub trait RequestId {
    /// `None` when the response did not carry one.
    fn request_id(&self) -> Option<&str>;
}

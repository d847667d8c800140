//! Runtime shared by crates generated from AWS query-protocol service models.
//!
//! Generated crates hold only what differs per shape; everything else lives here.
#![forbid(unsafe_code)]

pub mod base64;
pub mod endpoint;
pub mod endpoint_label;
pub mod error;
pub mod idempotency;
#[cfg(feature = "json")]
pub mod json;
pub mod primitives;
pub mod query;
pub mod sigv4;
pub mod time;
pub mod xml;

/// The request id AWS assigned to a call, for support cases and logs.
pub trait RequestId {
    /// `None` when the response did not carry one.
    fn request_id(&self) -> Option<&str>;
}

//! Runtime shared by crates generated from AWS query-protocol service models.
//!
//! Generated crates hold only what differs per shape; everything else lives here.
#![forbid(unsafe_code)]

pub mod base64;
pub mod endpoint;
pub mod error;
pub mod idempotency;
pub mod primitives;
pub mod query;
pub mod sigv4;
pub mod time;
pub mod xml;

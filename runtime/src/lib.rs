//! Runtime shared by crates generated from AWS query-protocol service models.
//!
//! Generated crates hold only what differs per shape; everything else lives here.
#![forbid(unsafe_code)]

pub mod endpoint;
pub mod primitives;
pub mod sigv4;

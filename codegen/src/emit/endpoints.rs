//! `src/endpoint.rs` of a generated crate: its endpoint rule set (work in progress).

use crate::ir::Service;
use proc_macro2::TokenStream;

/// The endpoint module, when the service has a rule set.
pub fn endpoint_rs(_svc: &Service) -> Option<TokenStream> {
    None
}

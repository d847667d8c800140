//! What the `xtask` commands and the workspace's test suites share: running cargo in nested
//! workspaces from committed lock files ([`nested`]), and the crates' module layers
//! ([`layers`]).

pub mod layers;
pub mod nested;

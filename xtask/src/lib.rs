//! What the `xtask` commands and the workspace's test suites share: running cargo in nested
//! workspaces from committed lock files ([`nested`]).

pub mod nested;

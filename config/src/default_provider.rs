//! The default chains: where a program finds its region and credentials when it names none.

pub mod credentials;
pub mod region;

//! Providers made of other providers: [`region::RegionProviderChain`].

pub mod region;

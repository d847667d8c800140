//! Where the region comes from: [`ProvideRegion`], implemented by a [`Region`], a
//! `&'static str`, an `Option<Region>`, the default chain and the single sources, and
//! [`RegionProviderChain`], which tries providers in order.
//!
//! ```no_run
//! # async fn f() {
//! use aws_query_config::meta::region::RegionProviderChain;
//! let region = RegionProviderChain::default_provider().or_else("us-west-2");
//! let config = aws_query_config::from_env().region(region).load().await;
//! # }
//! ```

use aws_query_runtime::config::Region;
use std::fmt;

/// Something that may know the region.
pub trait ProvideRegion: Send + Sync + fmt::Debug {
    /// The region, or `None` when this provider does not know it.
    fn region(&self) -> future::ProvideRegion<'_>;
}

/// The future [`ProvideRegion::region`] returns.
pub mod future {
    use aws_query_runtime::config::Region;
    use std::fmt;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// A region, now or later.
    pub struct ProvideRegion<'a>(Pin<Box<dyn Future<Output = Option<Region>> + Send + 'a>>);

    impl<'a> ProvideRegion<'a> {
        /// A region to be found by `future`.
        pub fn new(future: impl Future<Output = Option<Region>> + Send + 'a) -> Self {
            ProvideRegion(Box::pin(future))
        }

        /// A region known already.
        pub fn ready(region: Option<Region>) -> Self {
            ProvideRegion(Box::pin(std::future::ready(region)))
        }
    }

    impl Future for ProvideRegion<'_> {
        type Output = Option<Region>;

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Region>> {
            self.0.as_mut().poll(cx)
        }
    }

    impl fmt::Debug for ProvideRegion<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("ProvideRegion")
        }
    }
}

impl ProvideRegion for Region {
    fn region(&self) -> future::ProvideRegion<'_> {
        future::ProvideRegion::ready(Some(self.clone()))
    }
}

impl ProvideRegion for &Region {
    fn region(&self) -> future::ProvideRegion<'_> {
        future::ProvideRegion::ready(Some((*self).clone()))
    }
}

impl ProvideRegion for &'static str {
    fn region(&self) -> future::ProvideRegion<'_> {
        future::ProvideRegion::ready(Some(Region::new(*self)))
    }
}

impl ProvideRegion for Option<Region> {
    fn region(&self) -> future::ProvideRegion<'_> {
        future::ProvideRegion::ready(self.clone())
    }
}

impl ProvideRegion for Box<dyn ProvideRegion> {
    fn region(&self) -> future::ProvideRegion<'_> {
        self.as_ref().region()
    }
}

/// Providers tried in order; the region of the first that knows one. A chain where none
/// does gives `None`, and a configuration loaded with it has no region: its calls then fail
/// with a construction error that says so, as aws-sdk-rust's.
#[derive(Debug)]
pub struct RegionProviderChain {
    providers: Vec<Box<dyn ProvideRegion>>,
}

impl RegionProviderChain {
    /// The region of the first provider that knows one.
    pub async fn region(&self) -> Option<Region> {
        for provider in &self.providers {
            if let Some(region) = provider.region().await {
                return Some(region);
            }
        }
        None
    }

    /// A chain that starts with `provider`.
    pub fn first_try(provider: impl ProvideRegion + 'static) -> Self {
        RegionProviderChain { providers: vec![Box::new(provider)] }
    }

    /// `fallback` after the providers so far.
    pub fn or_else(mut self, fallback: impl ProvideRegion + 'static) -> Self {
        self.providers.push(Box::new(fallback));
        self
    }

    /// The default chain: environment, profile, instance metadata
    /// ([`DefaultRegionChain`](crate::default_provider::region::DefaultRegionChain)).
    pub fn default_provider() -> Self {
        Self::first_try(crate::default_provider::region::default_provider())
    }

    /// The default chain after the providers so far.
    pub fn or_default_provider(self) -> Self {
        self.or_else(crate::default_provider::region::default_provider())
    }
}

impl ProvideRegion for RegionProviderChain {
    fn region(&self) -> future::ProvideRegion<'_> {
        future::ProvideRegion::new(RegionProviderChain::region(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn first_that_knows_wins_and_an_empty_chain_gives_none() {
        let chain = RegionProviderChain::first_try(None::<Region>).or_else("eu-west-1").or_else(Region::new("us-east-1"));
        assert_eq!(chain.region().await, Some(Region::new("eu-west-1")));
        let none = RegionProviderChain::first_try(None::<Region>).or_else(None::<Region>);
        assert_eq!(none.region().await, None);
        let boxed: Box<dyn ProvideRegion> = Box::new(none);
        assert_eq!(boxed.region().await, None);
    }
}

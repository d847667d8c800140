//! What a provider needs when a program calls it itself rather than through a client
//! (`provider.provide_credentials().await`, as aws-config's providers allow): STS for
//! assumed roles, a transport for HTTPS calls, a region for STS. A client hands its own in
//! the [`LoadContext`]; [`Standalone`] fills in what the context lacks.

use aws_query_runtime::config::Region;
use aws_query_runtime::credentials::{Credentials, LoadContext, ProvideCredentials};
use aws_query_runtime::http::SharedHttpClient;
use std::fmt;
use aws_query_runtime::credentials::future;

/// A runtime provider, with this crate's STS, transport and region for the parts of the
/// [`LoadContext`] a caller leaves empty.
pub(crate) struct Standalone<P> {
    inner: P,
    region: Option<Region>,
    http: Option<SharedHttpClient>,
}

impl<P: ProvideCredentials> Standalone<P> {
    pub(crate) fn new(inner: P, region: Option<Region>) -> Self {
        Standalone { inner, region, http: default_http() }
    }

    fn complete(&self, ctx: &LoadContext) -> Option<LoadContext> {
        let lacks = ctx.sts().is_none() || ctx.http_client().is_none() || (ctx.region().is_none() && self.region.is_some());
        lacks.then(|| {
            let mut full = ctx.clone();
            if full.sts().is_none() {
                full = full.with_sts(Some(&aws_query_credentials_sts::STS));
            }
            if full.http_client().is_none() {
                full = full.with_http_client(self.http.clone());
            }
            if full.region().is_none() {
                full = full.with_region(self.region.clone());
            }
            full
        })
    }
}

impl<P: ProvideCredentials> ProvideCredentials for Standalone<P> {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move { self.provide_credentials_with(&LoadContext::new()).await })
    }

    fn provide_credentials_with<'a>(&'a self, ctx: &'a LoadContext) -> future::ProvideCredentials<'a> {
        match self.complete(ctx) {
            None => self.inner.provide_credentials_with(ctx),
            Some(full) => future::ProvideCredentials::new(async move { self.inner.provide_credentials_with(&full).await }),
        }
    }

    fn invalidate(&self, rejected: &Credentials) {
        self.inner.invalidate(rejected)
    }
}

impl<P: fmt::Debug> fmt::Debug for Standalone<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

/// The service crates' default transport (feature `rustls` or another TLS provider).
#[cfg(feature = "transport")]
pub(crate) fn default_http() -> Option<SharedHttpClient> {
    Some(aws_query_transport::default_http_client(None))
}

/// Without a transport, a provider called outside a client has none for HTTPS: the runtime's
/// providers then say so in their error.
#[cfg(not(feature = "transport"))]
pub(crate) fn default_http() -> Option<SharedHttpClient> {
    None
}

/// `ProvideCredentials` for a newtype of this crate that keeps aws-config's name over a
/// provider of the runtime: every method goes to field `0`.
macro_rules! delegate_provider {
    ($name:ty) => {
        impl aws_query_runtime::credentials::ProvideCredentials for $name {
            fn provide_credentials<'a>(&'a self) -> aws_query_runtime::credentials::future::ProvideCredentials<'a>
            where
                Self: 'a,
            {
                self.0.provide_credentials()
            }

            fn provide_credentials_with<'a>(
                &'a self,
                ctx: &'a aws_query_runtime::credentials::LoadContext,
            ) -> aws_query_runtime::credentials::future::ProvideCredentials<'a> {
                self.0.provide_credentials_with(ctx)
            }

            fn invalidate(&self, rejected: &aws_query_runtime::credentials::Credentials) {
                self.0.invalidate(rejected)
            }
        }
    };
}
pub(crate) use delegate_provider;

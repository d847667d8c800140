//! The cache in front of a provider: credentials kept until five minutes before they expire
//! (for ever if they do not, until a service rejects them), one load at a time, every load
//! bounded by the provider timeout and by the deadline of the call that started it.

use super::{Credentials, CredentialsError};
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// Keeps credentials until five minutes before they expire (for ever if they do not).
#[derive(Debug)]
pub struct CredentialsCache {
    slot: Mutex<Option<Credentials>>,
    /// Held while loading, so that concurrent calls on an empty cache wait for one load
    /// (one `credential_process` run, one STS call) instead of each starting their own.
    loading: tokio::sync::Mutex<()>,
    load_timeout: Duration,
}

impl Default for CredentialsCache {
    fn default() -> Self {
        CredentialsCache::new(Self::DEFAULT_LOAD_TIMEOUT)
    }
}

impl CredentialsCache {
    /// How long one load may take by default (aws-config's figure).
    pub const DEFAULT_LOAD_TIMEOUT: Duration = Duration::from_secs(5);
    const REFRESH_BEFORE: Duration = Duration::from_secs(300);

    /// A cache whose loads end after `load_timeout` (`Duration::MAX`: never).
    pub fn new(load_timeout: Duration) -> Self {
        CredentialsCache { slot: Mutex::new(None), loading: tokio::sync::Mutex::new(()), load_timeout }
    }

    pub fn load_timeout(&self) -> Duration {
        self.load_timeout
    }

    fn cached(&self) -> Option<Credentials> {
        let slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        let c = slot.as_ref()?;
        match c.expiry() {
            // A clock too close to the end of time to add to: treat as due.
            Some(expiry) if SystemTime::now().checked_add(Self::REFRESH_BEFORE).is_none_or(|soon| soon >= expiry) => None,
            _ => Some(c.clone()),
        }
    }

    /// The cached credentials, or what `load` gives (then cached). `deadline` is the calling
    /// operation's: waiting for another caller's load and loading both end there.
    pub async fn get_or_load(
        &self,
        deadline: Option<Instant>,
        load: impl Future<Output = Result<Credentials, CredentialsError>>,
    ) -> Result<Credentials, CredentialsError> {
        self.get_or_load_or(deadline, load, || None).await
    }

    /// [`get_or_load`](Self::get_or_load); when the load runs out of time, `fallback` may
    /// give credentials to use instead (IMDS's last ones, for static stability).
    pub(crate) async fn get_or_load_or(
        &self,
        deadline: Option<Instant>,
        load: impl Future<Output = Result<Credentials, CredentialsError>>,
        fallback: impl FnOnce() -> Option<Credentials>,
    ) -> Result<Credentials, CredentialsError> {
        if let Some(c) = self.cached() {
            return Ok(c);
        }
        let _loading = match deadline {
            Some(end) => tokio::time::timeout_at(end.into(), self.loading.lock())
                .await
                .map_err(|_| operation_timeout("waiting for another call's credentials load"))?,
            None => self.loading.lock().await,
        };
        if let Some(c) = self.cached() {
            return Ok(c);
        }
        let provider_end = Instant::now().checked_add(self.load_timeout);
        let (end, by_operation) = match (deadline, provider_end) {
            (Some(d), Some(p)) if d < p => (Some(d), true),
            (Some(d), None) => (Some(d), true),
            (_, p) => (p, false),
        };
        let loaded = match end {
            Some(end) => tokio::time::timeout_at(end.into(), load).await.ok(),
            None => Some(load.await),
        };
        let fresh = match loaded {
            Some(result) => result?,
            None => match fallback() {
                Some(c) => c,
                None if by_operation => return Err(operation_timeout("loading credentials")),
                None => {
                    return Err(CredentialsError::timed_out(format!(
                        "loading credentials took longer than the provider timeout ({:?})",
                        self.load_timeout
                    )))
                }
            },
        };
        *self.slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(fresh.clone());
        Ok(fresh)
    }

    /// Forgets `rejected` if they are what is cached (a second caller rejecting the same
    /// credentials finds fresh ones already there, and so does not cause a second load).
    pub fn invalidate(&self, rejected: &Credentials) {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if slot.as_ref() == Some(rejected) {
            *slot = None;
        }
    }
}

fn operation_timeout(what: &str) -> CredentialsError {
    CredentialsError::timed_out(format!("the operation timeout ran out while {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap()
    }

    fn creds(key: &str, expiry: Option<SystemTime>) -> Credentials {
        Credentials::new(key, "SK", None, expiry, "test")
    }

    #[test]
    fn concurrent_calls_on_an_empty_cache_load_once() {
        let rt = rt();
        let cache = Arc::new(CredentialsCache::default());
        let loads = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let (cache, loads) = (cache.clone(), loads.clone());
                rt.spawn(async move {
                    cache
                        .get_or_load(None, async {
                            loads.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(10)).await;
                            Ok(creds("AK", None))
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(rt.block_on(task).unwrap().unwrap().access_key_id(), "AK");
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn reloads_five_minutes_before_expiry_and_after_invalidation() {
        let rt = rt();
        let cache = CredentialsCache::default();
        let soon = SystemTime::now() + Duration::from_secs(299);
        let later = SystemTime::now() + Duration::from_secs(3600);
        let got = |key: &'static str, expiry| rt.block_on(cache.get_or_load(None, async move { Ok(creds(key, expiry)) })).unwrap();
        assert_eq!(got("A", Some(soon)).access_key_id(), "A");
        // Inside the five-minute margin: loaded again.
        assert_eq!(got("B", Some(later)).access_key_id(), "B");
        // Fresh enough: kept.
        assert_eq!(got("C", Some(later)).access_key_id(), "B");
        // Without expiry: kept until rejected; rejecting other credentials changes nothing.
        cache.invalidate(&creds("A", Some(soon)));
        assert_eq!(got("D", None).access_key_id(), "B");
        cache.invalidate(&got("E", None));
        assert_eq!(got("F", None).access_key_id(), "F");
        assert_eq!(got("G", None).access_key_id(), "F");
    }

    #[test]
    fn loads_end_at_the_provider_timeout_or_the_deadline() {
        let rt = rt();
        let hang = || async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok(creds("never", None))
        };
        let cache = CredentialsCache::new(Duration::from_millis(50));
        let start = Instant::now();
        let e = rt.block_on(cache.get_or_load(None, hang())).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::TimedOut);
        assert!(e.to_string().contains("provider timeout"), "{e}");
        assert!(start.elapsed() < Duration::from_secs(5));

        let cache = CredentialsCache::new(Duration::from_secs(60));
        let start = Instant::now();
        let e = rt.block_on(cache.get_or_load(Some(Instant::now() + Duration::from_millis(50)), hang())).unwrap_err();
        assert!(e.to_string().contains("operation timeout"), "{e}");
        assert!(start.elapsed() < Duration::from_secs(5));

        // A fallback is used (and cached) instead of the timeout error.
        let cache = CredentialsCache::new(Duration::from_millis(20));
        let later = SystemTime::now() + Duration::from_secs(3600);
        let c = rt.block_on(cache.get_or_load_or(None, hang(), || Some(creds("OLD", Some(later))))).unwrap();
        assert_eq!(c.access_key_id(), "OLD");
        assert_eq!(rt.block_on(cache.get_or_load(None, hang())).unwrap().access_key_id(), "OLD");
    }
}

//! Connections kept open between requests, per host.
//!
//! * **A limit per host.** Each host has a semaphore of `max_per_host` slots; a request
//!   holds one from before it takes or opens a connection until its response is read. A new
//!   connection is opened only when no idle one is left, so the connections to a host (in
//!   use and idle together) never outnumber the slots.
//! * **Idle eviction.** A connection unused for `idle_timeout` is closed: checked when
//!   taken, and by a reaper task that runs while anything is idle, so that a client that
//!   stops calling does not hold sockets open for ever.

use super::Sender;
use aws_query_runtime::http::{ConnectorError, Scheme};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Where a connection goes: scheme, host, port.
pub(crate) type PoolKey = (Scheme, String, u16);

/// The pool's limits (see [`crate::HyperClientBuilder`]).
#[derive(Clone, Debug)]
pub(crate) struct PoolSettings {
    pub max_per_host: usize,
    pub max_idle_per_host: usize,
    pub idle_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings { max_per_host: 64, max_idle_per_host: 16, idle_timeout: Duration::from_secs(90) }
    }
}

pub(crate) struct Pool {
    settings: PoolSettings,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    hosts: HashMap<PoolKey, Host>,
    /// A reaper task is running (it stops once nothing is idle).
    reaping: bool,
}

struct Host {
    slots: Arc<Semaphore>,
    idle: Vec<(Sender, Instant)>,
}

impl Pool {
    pub(crate) fn new(settings: PoolSettings) -> Self {
        Pool { settings, state: Mutex::new(State::default()) }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state stays consistent at every await-free step, so a panic elsewhere while
        // it was held leaves nothing half-done.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a slot to `key`, then takes an idle connection that can send now, if any.
    pub(crate) async fn acquire(&self, key: &PoolKey) -> Result<(OwnedSemaphorePermit, Option<Sender>), ConnectorError> {
        let slots = {
            let mut state = self.state();
            let max = self.settings.max_per_host;
            let host = state.hosts.entry(key.clone()).or_insert_with(|| Host { slots: Arc::new(Semaphore::new(max)), idle: Vec::new() });
            host.slots.clone()
        };
        // The semaphore is never closed, so this only fails if that changes.
        let permit = slots.acquire_owned().await.map_err(|e| ConnectorError::other(format!("connection pool: {e}")))?;
        loop {
            let Some((mut sender, since)) = self.state().hosts.get_mut(key).and_then(|h| h.idle.pop()) else {
                return Ok((permit, None));
            };
            if since.elapsed() < self.settings.idle_timeout && !sender.is_closed() && sender.ready().await.is_ok() {
                return Ok((permit, Some(sender)));
            }
            // Stale or closed: dropping it closes it; try the next one.
        }
    }

    /// Returns a connection whose response was read whole.
    pub(crate) fn release(self: &Arc<Self>, key: PoolKey, sender: Sender) {
        if sender.is_closed() {
            return;
        }
        let mut state = self.state();
        let Some(host) = state.hosts.get_mut(&key) else { return };
        let timeout = self.settings.idle_timeout;
        host.idle.retain(|(s, since)| since.elapsed() < timeout && !s.is_closed());
        if host.idle.len() >= self.settings.max_idle_per_host {
            return;
        }
        host.idle.push((sender, Instant::now()));
        if !state.reaping {
            state.reaping = self.start_reaper();
        }
    }

    /// Starts the task that closes expired idle connections; `false` outside a Tokio
    /// runtime (then they are closed when next looked at).
    fn start_reaper(self: &Arc<Self>) -> bool {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return false };
        let pool: Weak<Pool> = Arc::downgrade(self);
        // Often enough that a connection outlives its timeout by at most a quarter of it.
        let every = self.settings.idle_timeout.checked_div(4).unwrap_or_default().max(Duration::from_millis(10));
        runtime.spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let Some(pool) = pool.upgrade() else { return };
                if !pool.evict_expired() {
                    return;
                }
            }
        });
        true
    }

    /// Closes idle connections past their timeout; whether any idle one is left (when none
    /// is, the reaper stops, under the same lock that `release` checks).
    fn evict_expired(&self) -> bool {
        let timeout = self.settings.idle_timeout;
        let mut state = self.state();
        let mut left = false;
        for host in state.hosts.values_mut() {
            host.idle.retain(|(s, since)| since.elapsed() < timeout && !s.is_closed());
            left |= !host.idle.is_empty();
        }
        state.reaping = left;
        left
    }
}

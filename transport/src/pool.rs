//! Connections kept open between requests, per host.
//!
//! * **A limit per host.** Each host has `max_per_host` slots (a semaphore). A connection
//!   takes one before it connects, and its socket holds it until the socket is closed, so
//!   the sockets open to a host, in use or idle, never outnumber the slots. A
//!   request takes an idle connection if there is one, else opens one if a slot is free,
//!   else waits until a connection is returned or closed (within its attempt timeout).
//! * **Abandoned requests close their connection.** A request dropped mid-flight (its
//!   attempt timed out) aborts its connection's driver: the socket closes and the slot is
//!   free again at once, instead of the connection lingering until the server answers.
//! * **Idle eviction.** A connection unused for `idle_timeout` is closed: checked when
//!   taken, and by a reaper task that runs while anything is idle, so that a client that
//!   stops calling does not hold sockets open for ever.

use super::Sender;
use aws_query_runtime::http::{ConnectorError, Scheme};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::AbortHandle;

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

/// A connection: the handle requests go through, and its driver task (aborting it closes
/// the socket).
pub(crate) struct Conn {
    pub sender: Sender,
    pub driver: AbortHandle,
}

/// A host's slot, held by a connection's socket for as long as it is open; gives the slot
/// back and wakes one waiting request when dropped.
pub(crate) struct Slot {
    permit: Option<OwnedSemaphorePermit>,
    freed: Arc<Notify>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        drop(self.permit.take());
        self.freed.notify_one();
    }
}

/// What [`Pool::acquire`] gives: a pooled connection, or a slot to open a new one with.
pub(crate) enum Checkout {
    Pooled(Conn),
    Open(Slot),
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
    /// Signalled when a connection is returned or a slot freed.
    freed: Arc<Notify>,
    idle: Vec<(Conn, Instant)>,
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

    /// An idle connection to `key` that can send now, or a slot to open one; waits while
    /// every slot is taken by a connection in use.
    pub(crate) async fn acquire(&self, key: &PoolKey) -> Result<Checkout, ConnectorError> {
        let (slots, freed) = {
            let mut state = self.state();
            let max = self.settings.max_per_host;
            let host = state.hosts.entry(key.clone()).or_insert_with(|| Host {
                slots: Arc::new(Semaphore::new(max)),
                freed: Arc::new(Notify::new()),
                idle: Vec::new(),
            });
            (host.slots.clone(), host.freed.clone())
        };
        loop {
            // Registered before looking, so that a return or a close in between still wakes us.
            let mut notified = std::pin::pin!(freed.notified());
            notified.as_mut().enable();
            loop {
                // Popped in its own statement: the lock is not held across `ready()`.
                let popped = self.state().hosts.get_mut(key).and_then(|h| h.idle.pop());
                let Some((mut conn, since)) = popped else { break };
                if since.elapsed() < self.settings.idle_timeout && !conn.sender.is_closed() && conn.sender.ready().await.is_ok() {
                    return Ok(Checkout::Pooled(conn));
                }
                // Stale or closed: closing it frees its slot.
                conn.driver.abort();
            }
            if let Ok(permit) = slots.clone().try_acquire_owned() {
                return Ok(Checkout::Open(Slot { permit: Some(permit), freed: freed.clone() }));
            }
            notified.await;
        }
    }

    /// Returns a connection whose response was read whole.
    pub(crate) fn release(self: &Arc<Self>, key: PoolKey, conn: Conn) {
        if conn.sender.is_closed() {
            conn.driver.abort();
            return;
        }
        let mut state = self.state();
        let Some(host) = state.hosts.get_mut(&key) else {
            conn.driver.abort();
            return;
        };
        evict(&mut host.idle, self.settings.idle_timeout);
        if host.idle.len() >= self.settings.max_idle_per_host {
            conn.driver.abort();
            return;
        }
        host.idle.push((conn, Instant::now()));
        host.freed.notify_one();
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
            evict(&mut host.idle, timeout);
            left |= !host.idle.is_empty();
        }
        state.reaping = left;
        left
    }
}

/// Closes the idle connections past `timeout` or closed by the server.
fn evict(idle: &mut Vec<(Conn, Instant)>, timeout: Duration) {
    idle.retain(|(conn, since)| {
        let keep = since.elapsed() < timeout && !conn.sender.is_closed();
        if !keep {
            conn.driver.abort();
        }
        keep
    });
}

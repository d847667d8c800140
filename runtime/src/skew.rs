//! Clock skew: a machine whose clock is off signs requests the service refuses as too old
//! or too new. As aws-sdk and botocore do, the offset is learned from the `Date` header of
//! the refusal, the request is signed again with the corrected time and retried, and the
//! client's later calls are signed with the learned offset.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

/// Error codes with which services refuse a request signed at the wrong time.
pub const SKEW_CODES: &[&str] = &["RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException", "SignatureDoesNotMatch"];

/// A difference between the server's `Date` and the signing clock that counts as skew:
/// well above network delays and the header's one-second resolution, below the five
/// minutes within which AWS accepts a signature.
pub const SKEW_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// The offset of the service's clock from this machine's, in seconds (0 until learned).
#[derive(Debug, Default)]
pub struct ClockSkew {
    offset_secs: AtomicI64,
}

impl ClockSkew {
    /// The learned offset: the service's clock minus this machine's.
    pub fn offset_secs(&self) -> i64 {
        self.offset_secs.load(Ordering::Relaxed)
    }

    /// The time to sign with: now, corrected by the learned offset.
    pub fn now(&self) -> SystemTime {
        shift(SystemTime::now(), self.offset_secs())
    }

    /// After an error response: when its code is one of [`SKEW_CODES`] and its `Date` is
    /// off from the signing clock by [`SKEW_THRESHOLD`] or more, learns the offset and says
    /// `true` (sign again and retry). Anything else changes nothing.
    pub fn learn(&self, code: Option<&str>, date: Option<&str>) -> bool {
        if !code.is_some_and(|c| SKEW_CODES.contains(&c)) {
            return false;
        }
        let Some(server) = date.and_then(|d| crate::time::parse_timestamp(d.trim()).ok()) else { return false };
        let local = crate::primitives::DateTime::from(SystemTime::now());
        let offset = server.secs().saturating_sub(local.secs());
        let signing = offset.saturating_sub(self.offset_secs()).unsigned_abs();
        if signing < SKEW_THRESHOLD.as_secs() {
            return false;
        }
        self.offset_secs.store(offset, Ordering::Relaxed);
        true
    }
}

/// `time` moved by `secs` (either way); `time` itself if that leaves `SystemTime`'s range.
fn shift(time: SystemTime, secs: i64) -> SystemTime {
    let by = Duration::from_secs(secs.unsigned_abs());
    let moved = if secs >= 0 { time.checked_add(by) } else { time.checked_sub(by) };
    moved.unwrap_or(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http_date(t: SystemTime) -> String {
        let mut s = String::new();
        crate::time::format_http_date(&crate::primitives::DateTime::from(t), &mut s);
        s
    }

    #[test]
    fn learns_only_from_skew_errors_with_a_skewed_date() {
        let skew = ClockSkew::default();
        let ahead = http_date(SystemTime::now() + Duration::from_secs(20 * 60));
        assert!(!skew.learn(Some("Throttling"), Some(&ahead)));
        assert!(!skew.learn(Some("RequestTimeTooSkewed"), None));
        assert!(!skew.learn(Some("RequestTimeTooSkewed"), Some("yesterday")));
        assert!(!skew.learn(Some("SignatureDoesNotMatch"), Some(&http_date(SystemTime::now()))));
        assert_eq!(skew.offset_secs(), 0);
        assert!(skew.learn(Some("RequestTimeTooSkewed"), Some(&ahead)));
        assert!((20 * 60 - 5..=20 * 60 + 1).contains(&skew.offset_secs()), "{}", skew.offset_secs());
        // Learned once: the same date is no longer skewed from the corrected clock.
        assert!(!skew.learn(Some("RequestExpired"), Some(&ahead)));
        let behind = http_date(SystemTime::now() - Duration::from_secs(3600));
        assert!(skew.learn(Some("InvalidSignatureException"), Some(&behind)));
        assert!((-3601..=-3595).contains(&skew.offset_secs()), "{}", skew.offset_secs());
        let now = SystemTime::now();
        assert_eq!(shift(now, i64::MAX), now, "out of range: unchanged");
    }
}

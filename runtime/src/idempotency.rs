//! Idempotency tokens for members the model marks `idempotencyToken`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// A fresh version-4 UUID. The bits come from std's randomly keyed SipHash (keys drawn
/// from the OS once per process): tokens only need to be unique, not secret, and this
/// keeps a random-number crate out of every user's build.
pub fn new_token() -> String {
    let n = u128::from(random_u64()) << 64 | u128::from(random_u64());
    // Version 4 (bits 76..80) and the RFC 4122 variant (bits 62..64).
    let n = n & !(0xf << 76) | 0x4 << 76;
    let n = n & !(0x3 << 62) | 0x2 << 62;
    let field = |shift: u32, mask: u128| n.checked_shr(shift).unwrap_or(0) & mask;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        field(96, 0xffff_ffff),
        field(80, 0xffff),
        field(64, 0xffff),
        field(48, 0xffff),
        field(0, 0xffff_ffff_ffff)
    )
}

fn random_u64() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    h.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_uuid_v4_and_distinct() {
        let a = super::new_token();
        let b = super::new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    }
}

//! The hybrid key exchange X25519MLKEM768 (IANA group 0x11EC; draft-ietf-tls-ecdhe-mlkem), for
//! rustls, without aws-lc: ML-KEM-768 (FIPS 203) from RustCrypto's `ml-kem`, X25519 from
//! rustls' own *ring* group.
//!
//! The wire layout, as the draft and every implementation that negotiates it with AWS endpoints
//! have it (ML-KEM first, unlike the other hybrids):
//! - the client's key share: the ML-KEM encapsulation key (1,184 bytes), then its X25519
//!   public key (32);
//! - the server's: the ML-KEM ciphertext (1,088 bytes), then its X25519 public key (32);
//! - the shared secret: ML-KEM's (32 bytes), then X25519's (32).
//!
//! Both halves are fresh per handshake. The X25519 half is also offered alone (rustls sends it
//! as a second key share when X25519 is in the provider's groups), so a server without ML-KEM
//! answers at once instead of asking the client to try again.

use ml_kem::kem::{Decapsulate, KeyExport};
use ml_kem::{DecapsulationKey, EncapsulationKey, MlKem768};
use rustls::crypto::ring::kx_group::X25519;
use rustls::crypto::{ActiveKeyExchange, CompletedKeyExchange, SharedSecret, SupportedKxGroup};
use rustls::{Error, NamedGroup, PeerMisbehaved, ProtocolVersion};

/// ML-KEM-768's encapsulation key, in bytes.
const ENCAPSULATION_KEY_LEN: usize = 1184;
/// ML-KEM-768's ciphertext, in bytes.
const CIPHERTEXT_LEN: usize = 1088;
/// An X25519 public key, in bytes.
const X25519_LEN: usize = 32;

/// X25519MLKEM768, as a rustls key-exchange group (client and server side).
#[derive(Debug)]
pub struct X25519MlKem768;

/// The group, for a provider's `kx_groups`.
pub static X25519MLKEM768: &dyn SupportedKxGroup = &X25519MlKem768;

impl SupportedKxGroup for X25519MlKem768 {
    /// The client's side: fresh keys, the combined key share.
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        let x25519 = X25519.start()?;
        let mut seed = [0u8; 64];
        super::fill_random(&mut seed)?;
        let mlkem = DecapsulationKey::<MlKem768>::from_seed(seed.into());
        seed.fill(0);
        let mut share = Vec::with_capacity(ENCAPSULATION_KEY_LEN + X25519_LEN);
        share.extend_from_slice(&mlkem.encapsulation_key().to_bytes());
        share.extend_from_slice(x25519.pub_key());
        Ok(Box::new(ClientShare { mlkem, x25519, share }))
    }

    /// The server's side: encapsulates to the client's ML-KEM key, answers its X25519 key.
    fn start_and_complete(&self, client_share: &[u8]) -> Result<CompletedKeyExchange, Error> {
        let (key, x25519_peer) = split(client_share, ENCAPSULATION_KEY_LEN)?;
        let key = key.try_into().map_err(|_| invalid())?;
        let key = EncapsulationKey::<MlKem768>::new(&key).map_err(|_| invalid())?;
        let mut m = [0u8; 32];
        super::fill_random(&mut m)?;
        let (ciphertext, mlkem_secret) = key.encapsulate_deterministic(&m.into());
        m.fill(0);
        let x25519 = X25519.start_and_complete(x25519_peer)?;
        let mut share = Vec::with_capacity(CIPHERTEXT_LEN + X25519_LEN);
        share.extend_from_slice(&ciphertext);
        share.extend_from_slice(&x25519.pub_key);
        Ok(CompletedKeyExchange { group: self.name(), pub_key: share, secret: combine(&mlkem_secret, &x25519.secret) })
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::X25519MLKEM768
    }

    /// TLS 1.3 only: TLS 1.2 has no KEM-shaped key exchange.
    fn usable_for_version(&self, version: ProtocolVersion) -> bool {
        version == ProtocolVersion::TLSv1_3
    }
}

/// The client's keys while it waits for the server's share.
struct ClientShare {
    mlkem: DecapsulationKey<MlKem768>,
    x25519: Box<dyn ActiveKeyExchange>,
    share: Vec<u8>,
}

impl ActiveKeyExchange for ClientShare {
    fn complete(self: Box<Self>, server_share: &[u8]) -> Result<SharedSecret, Error> {
        let (ciphertext, x25519_peer) = split(server_share, CIPHERTEXT_LEN)?;
        let mlkem_secret = self.mlkem.decapsulate_slice(ciphertext).map_err(|_| invalid())?;
        let x25519_secret = self.x25519.complete(x25519_peer)?;
        Ok(combine(&mlkem_secret, &x25519_secret))
    }

    /// The X25519 half, which rustls also offers as a key share of its own.
    fn hybrid_component(&self) -> Option<(NamedGroup, &[u8])> {
        Some((NamedGroup::X25519, self.x25519.pub_key()))
    }

    /// The server chose plain X25519.
    fn complete_hybrid_component(self: Box<Self>, server_share: &[u8]) -> Result<SharedSecret, Error> {
        self.x25519.complete(server_share)
    }

    fn pub_key(&self) -> &[u8] {
        &self.share
    }

    fn group(&self) -> NamedGroup {
        NamedGroup::X25519MLKEM768
    }
}

/// A share of exactly `first` bytes then an X25519 key; anything else is the peer's error.
fn split(share: &[u8], first: usize) -> Result<(&[u8], &[u8]), Error> {
    if share.len().checked_sub(first) != Some(X25519_LEN) {
        return Err(invalid());
    }
    Ok(share.split_at(first))
}

/// ML-KEM's secret, then X25519's.
fn combine(mlkem: &[u8], x25519: &SharedSecret) -> SharedSecret {
    let mut both = Vec::with_capacity(mlkem.len().saturating_add(x25519.secret_bytes().len()));
    both.extend_from_slice(mlkem);
    both.extend_from_slice(x25519.secret_bytes());
    SharedSecret::from(both)
}

fn invalid() -> Error {
    Error::PeerMisbehaved(PeerMisbehaved::InvalidKeyShare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_and_server_agree() {
        let client = X25519MlKem768.start().unwrap();
        assert_eq!(client.pub_key().len(), ENCAPSULATION_KEY_LEN + X25519_LEN);
        let server = X25519MlKem768.start_and_complete(client.pub_key()).unwrap();
        assert_eq!(server.pub_key.len(), CIPHERTEXT_LEN + X25519_LEN);
        assert_eq!(server.group, NamedGroup::X25519MLKEM768);
        let secret = client.complete(&server.pub_key).unwrap();
        assert_eq!(secret.secret_bytes().len(), 64);
        assert_eq!(secret.secret_bytes(), server.secret.secret_bytes());
    }

    #[test]
    fn the_x25519_half_is_x25519() {
        // The hybrid's X25519 key, completed alone against a plain X25519 server, gives that
        // server's secret: the half rustls offers as a separate share is a real X25519 share.
        let client = X25519MlKem768.start().unwrap();
        let (group, half) = client.hybrid_component().unwrap();
        assert_eq!(group, NamedGroup::X25519);
        assert_eq!(half, &client.pub_key()[ENCAPSULATION_KEY_LEN..]);
        let server = X25519.start_and_complete(half).unwrap();
        let secret = client.complete_hybrid_component(&server.pub_key).unwrap();
        assert_eq!(secret.secret_bytes(), server.secret.secret_bytes());
    }

    #[test]
    fn shares_of_the_wrong_length_are_refused() {
        let client = X25519MlKem768.start().unwrap();
        let server = X25519MlKem768.start_and_complete(client.pub_key()).unwrap();
        assert!(X25519MlKem768.start_and_complete(&client.pub_key()[1..]).is_err());
        assert!(X25519MlKem768.start_and_complete(&[]).is_err());
        let short = &server.pub_key[..server.pub_key.len() - 1];
        assert!(X25519MlKem768.start().unwrap().complete(short).is_err());
    }

    #[test]
    fn a_tampered_ciphertext_gives_another_secret() {
        // ML-KEM's implicit rejection: decapsulation does not fail, it yields a secret the
        // server does not have, so the handshake's Finished check fails.
        let client = X25519MlKem768.start().unwrap();
        let server = X25519MlKem768.start_and_complete(client.pub_key()).unwrap();
        let mut tampered = server.pub_key.clone();
        tampered[0] ^= 1;
        let secret = client.complete(&tampered).unwrap();
        assert_ne!(secret.secret_bytes(), server.secret.secret_bytes());
    }

    #[test]
    fn tls_1_3_only() {
        assert!(X25519MlKem768.usable_for_version(ProtocolVersion::TLSv1_3));
        assert!(!X25519MlKem768.usable_for_version(ProtocolVersion::TLSv1_2));
    }
}

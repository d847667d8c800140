//! The transport's TLS against loopback rustls servers that each offer one kind of key
//! exchange, the client trusting the test CA through `add_root_certificate`:
//!
//! - a server offering only X25519MLKEM768 is reached, and the group it negotiated is that one
//!   (with the default `tls-pq`); the server is rustls on graviola, an implementation of the
//!   hybrid independent of this crate's, so a wrong byte order on both sides cannot pass;
//! - a server offering only X25519 is reached with X25519 (every provider);
//! - a server offering both is reached with the hybrid by default, and with X25519 by the
//!   classical `tls-ring` build (`cargo test -p aws-query-transport --no-default-features
//!   --features tls-ring`, a step of `cargo xtask test`);
//! - a server offering neither fails with a TLS error that says so.

use aws_query_runtime::http::{HttpClient, HttpRequest, SendOptions};
use aws_query_transport::HyperClient;
use rustls::crypto::{CryptoProvider, SupportedKxGroup};
use rustls::NamedGroup;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn tls_file(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/tls").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A loopback HTTPS server answering `200 ok` to each connection's request, recording the key
/// exchange group of each handshake (`None` for a handshake that failed).
struct Server {
    port: u16,
    groups: Arc<Mutex<Vec<Option<NamedGroup>>>>,
}

impl Server {
    async fn start(provider: CryptoProvider) -> Server {
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(tls_file("leaf.key.der").into());
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![tls_file("leaf.der").into()], key)
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let groups = Arc::new(Mutex::new(Vec::new()));
        let seen = groups.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, seen) = (acceptor.clone(), seen.clone());
                tokio::spawn(async move {
                    let mut tls = match acceptor.accept(tcp).await {
                        Ok(tls) => tls,
                        Err(_) => {
                            seen.lock().unwrap().push(None);
                            return;
                        }
                    };
                    let group = tls.get_ref().1.negotiated_key_exchange_group().map(|g| g.name());
                    seen.lock().unwrap().push(group);
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tls.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let _ = tls.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok").await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        Server { port, groups }
    }

    fn groups(&self) -> Vec<Option<NamedGroup>> {
        self.groups.lock().unwrap().clone()
    }
}

/// `provider` offering only `groups`.
fn offering(mut provider: CryptoProvider, groups: &[&'static dyn SupportedKxGroup]) -> CryptoProvider {
    provider.kx_groups = groups.to_vec();
    provider
}

/// One GET through a default transport that trusts the test CA; the error with its source.
async fn get(port: u16) -> Result<String, String> {
    let client = HyperClient::builder().add_root_certificate(tls_file("ca.der")).build();
    let request = HttpRequest::new("GET", &format!("https://127.0.0.1:{port}/")).unwrap();
    let options = SendOptions::new(1 << 20);
    match client.send(request, &options).await {
        Ok(response) => Ok(String::from_utf8_lossy(response.body()).into_owned()),
        Err(e) => Err(format!("{e}: {:?}", std::error::Error::source(&e).map(|s| s.to_string()))),
    }
}

/// The hybrid only, from graviola (x86_64 and aarch64 only: graviola builds nowhere else).
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
fn graviola_offering(groups: &[&'static dyn SupportedKxGroup]) -> CryptoProvider {
    offering(rustls_graviola::default_provider(), groups)
}

#[cfg(all(any(feature = "tls-pq", feature = "tls-aws-lc"), any(target_arch = "x86_64", target_arch = "aarch64")))]
#[tokio::test]
async fn a_server_offering_only_the_hybrid_is_reached_with_it() {
    let server = Server::start(graviola_offering(&[rustls_graviola::kx::X25519MLKEM768])).await;
    assert_eq!(get(server.port).await.unwrap(), "ok");
    assert_eq!(server.groups(), [Some(NamedGroup::X25519MLKEM768)]);
}

#[cfg(all(any(feature = "tls-pq", feature = "tls-aws-lc"), any(target_arch = "x86_64", target_arch = "aarch64")))]
#[tokio::test]
async fn a_server_offering_both_gets_the_hybrid() {
    let server = Server::start(graviola_offering(&[rustls_graviola::kx::X25519MLKEM768, &rustls_graviola::kx::X25519])).await;
    assert_eq!(get(server.port).await.unwrap(), "ok");
    assert_eq!(server.groups(), [Some(NamedGroup::X25519MLKEM768)]);
}

/// The classical build (`tls-ring`) against a server that prefers the hybrid: X25519; against
/// one with the hybrid alone: nothing in common.
#[cfg(all(feature = "tls-ring", any(target_arch = "x86_64", target_arch = "aarch64")))]
#[tokio::test]
async fn the_classical_build_agrees_on_x25519_with_a_hybrid_server() {
    let server = Server::start(graviola_offering(&[rustls_graviola::kx::X25519MLKEM768, &rustls_graviola::kx::X25519])).await;
    assert_eq!(get(server.port).await.unwrap(), "ok");
    assert_eq!(server.groups(), [Some(NamedGroup::X25519)]);
    let pq_only = Server::start(graviola_offering(&[rustls_graviola::kx::X25519MLKEM768])).await;
    assert!(get(pq_only.port).await.is_err());
}

/// X25519 alone, from this crate's own provider on the server side: reached with X25519 (with
/// the default build, without a second round trip: the hybrid's X25519 half is also sent as a
/// key share of its own).
#[tokio::test]
async fn a_server_offering_only_x25519_is_reached_with_it() {
    let provider = own_provider();
    let x25519 = *provider.kx_groups.iter().find(|g| g.name() == NamedGroup::X25519).expect("every provider offers X25519");
    let server = Server::start(offering(provider, &[x25519])).await;
    assert_eq!(get(server.port).await.unwrap(), "ok");
    assert_eq!(server.groups(), [Some(NamedGroup::X25519)]);
}

/// A group this client does not offer: the handshake fails, and the error says it is TLS.
#[tokio::test]
async fn a_server_offering_neither_is_a_clear_tls_error() {
    let server = Server::start(offering(own_provider(), &[&Unoffered])).await;
    let err = get(server.port).await.unwrap_err();
    assert!(err.contains("TLS with 127.0.0.1"), "{err}");
    assert!(err.contains("HandshakeFailure"), "{err}");
    assert_eq!(server.groups(), [None]);
}

fn own_provider() -> CryptoProvider {
    aws_query_transport::tls::provider().as_ref().clone()
}

/// A group no client here offers (secp521r1), never started: the server has nothing in
/// common with the client and refuses the handshake.
#[derive(Debug)]
struct Unoffered;

impl SupportedKxGroup for Unoffered {
    fn start(&self) -> Result<Box<dyn rustls::crypto::ActiveKeyExchange>, rustls::Error> {
        Err(rustls::Error::General("not a real group".into()))
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::secp521r1
    }
}

/// What the default build offers, in order: the hybrid first, X25519 next.
#[cfg(feature = "tls-pq")]
#[test]
fn the_default_offers_the_hybrid_first() {
    let names: Vec<NamedGroup> = aws_query_transport::tls::provider().kx_groups.iter().map(|g| g.name()).collect();
    assert_eq!(names, [NamedGroup::X25519MLKEM768, NamedGroup::X25519, NamedGroup::secp256r1, NamedGroup::secp384r1]);
}

/// aws-lc with rustls' `prefer-post-quantum`: the hybrid first too, X25519 among the others
/// (their order is rustls' choice and has changed between its releases).
#[cfg(feature = "tls-aws-lc")]
#[test]
fn aws_lc_offers_the_hybrid_first() {
    let names: Vec<NamedGroup> = aws_query_transport::tls::provider().kx_groups.iter().map(|g| g.name()).collect();
    assert_eq!(names.first(), Some(&NamedGroup::X25519MLKEM768), "{names:?}");
    assert!(names.contains(&NamedGroup::X25519), "{names:?}");
}

/// What the classical build offers: no hybrid.
#[cfg(feature = "tls-ring")]
#[test]
fn the_classical_build_offers_no_hybrid() {
    let names: Vec<NamedGroup> = aws_query_transport::tls::provider().kx_groups.iter().map(|g| g.name()).collect();
    assert_eq!(names, [NamedGroup::X25519, NamedGroup::secp256r1, NamedGroup::secp384r1]);
}

//! A loopback TLS server and client handshakes for `benches/handshake.rs`.

use rustls::crypto::CryptoProvider;
use rustls::NamedGroup;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::AsyncReadExt;

fn tls_file(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/tls").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The client providers compared: the transport's default, the same without the hybrid
/// group (what its `tls-ring` feature builds), aws-lc-rs (`tls-aws-lc`), graviola.
pub fn clients() -> Vec<(&'static str, CryptoProvider)> {
    let default = aws_query_transport::tls::provider().as_ref().clone();
    let mut classical = default.clone();
    classical.kx_groups.retain(|g| g.name() != NamedGroup::X25519MLKEM768);
    vec![
        ("ring + ML-KEM (default, tls-pq)", default),
        ("ring, classical (tls-ring)", classical),
        ("aws-lc-rs, post-quantum preferred (tls-aws-lc)", rustls::crypto::aws_lc_rs::default_provider()),
        ("graviola", rustls_graviola::default_provider()),
    ]
}

/// A server on 127.0.0.1 (rustls on graviola, offering X25519MLKEM768 then X25519): each
/// connection is handshaken, then read until the client closes it. Returns the port.
pub async fn server() -> u16 {
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(tls_file("leaf.key.der").into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls_graviola::default_provider()))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("TLS 1.3")
        .with_no_client_auth()
        .with_single_cert(vec![tls_file("leaf.der").into()], key)
        .expect("the test certificate");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(tcp).await {
                    let mut buf = [0u8; 16];
                    let _ = tls.read(&mut buf).await;
                }
            });
        }
    });
    port
}

/// A connector trusting the test CA, with `provider`.
pub fn connector(provider: CryptoProvider) -> tokio_rustls::TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(tls_file("ca.der").into()).expect("the test CA");
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .expect("TLS 1.3 and 1.2")
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

/// One TCP connection and TLS handshake to the server; the group agreed on.
pub async fn handshake(connector: &tokio_rustls::TlsConnector, port: u16) -> Option<NamedGroup> {
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
    let _ = tcp.set_nodelay(true);
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").expect("a server name");
    let tls = connector.connect(name, tcp).await.expect("the handshake");
    tls.get_ref().1.negotiated_key_exchange_group().map(|g| g.name())
}

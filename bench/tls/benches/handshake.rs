//! TLS 1.3 handshakes on loopback (TCP connect included), one client provider per case, all
//! against the same server (rustls on graviola offering X25519MLKEM768 then X25519), so the
//! differences are the client's. Run on an idle machine:
//!   cargo bench --locked --manifest-path bench/Cargo.toml -p tls-bench

use criterion::{criterion_group, criterion_main, Criterion};
use tls_bench::{clients, connector, handshake, server};

fn handshakes(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    let port = rt.block_on(server());
    let mut group = c.benchmark_group("tls-handshake");
    for (name, provider) in clients() {
        let connector = connector(provider);
        let agreed = rt.block_on(handshake(&connector, port));
        eprintln!("{name}: agrees on {agreed:?}");
        group.bench_function(name, |b| b.iter(|| rt.block_on(handshake(&connector, port))));
    }
    group.finish();
}

criterion_group!(benches, handshakes);
criterion_main!(benches);

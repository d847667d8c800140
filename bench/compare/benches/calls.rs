//! End-to-end calls in process (validate, serialize, resolve endpoint, sign, "send" over an
//! in-memory transport, parse), the generated crate against aws-sdk-elasticache, in one run:
//! DescribeCacheParameters over `describe-cache-parameters.xml` (~148 KB) and CopySnapshot
//! over `copy-snapshot.xml`; then the same calls over HTTP to a server on 127.0.0.1.

use compare_bench::{fixture, loopback_server, ours, ours_over_http, theirs, theirs_over_http};
use criterion::{criterion_group, criterion_main, Criterion};

fn calls(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

    let body = fixture("describe-cache-parameters.xml");
    let (a, b) = (ours(body.clone()), theirs(body));
    let n_ours = rt.block_on(a.describe_cache_parameters().cache_parameter_group_name("default.redis7").send()).unwrap().parameters().len();
    let n_theirs = rt.block_on(b.describe_cache_parameters().cache_parameter_group_name("default.redis7").send()).unwrap().parameters().len();
    assert_eq!(n_ours, n_theirs, "both clients read the same parameters");
    let mut group = c.benchmark_group("DescribeCacheParameters call");
    group.bench_function("elasticache (generated)", |bench| {
        bench.iter(|| rt.block_on(a.describe_cache_parameters().cache_parameter_group_name("default.redis7").send()).unwrap())
    });
    group.bench_function("aws-sdk-elasticache", |bench| {
        bench.iter(|| rt.block_on(b.describe_cache_parameters().cache_parameter_group_name("default.redis7").send()).unwrap())
    });
    group.finish();

    let body = fixture("copy-snapshot.xml");
    let (a, b) = (ours(body.clone()), theirs(body));
    let mut group = c.benchmark_group("CopySnapshot call");
    group.bench_function("elasticache (generated)", |bench| {
        bench.iter(|| {
            rt.block_on(a.copy_snapshot().source_snapshot_name("nightly").target_snapshot_name("export-1").target_bucket("my-bucket").send())
                .unwrap()
        })
    });
    group.bench_function("aws-sdk-elasticache", |bench| {
        bench.iter(|| {
            rt.block_on(b.copy_snapshot().source_snapshot_name("nightly").target_snapshot_name("export-1").target_bucket("my-bucket").send())
                .unwrap()
        })
    });
    group.finish();
}

/// The same calls over HTTP to a server on 127.0.0.1 (sequential calls, one client each,
/// each with its default transport): what the in-memory figures leave out — writing the
/// request, reading and buffering the body, the connection pool.
fn loopback(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    for (fixture_name, group_name) in
        [("describe-cache-parameters.xml", "DescribeCacheParameters over loopback HTTP"), ("copy-snapshot.xml", "CopySnapshot over loopback HTTP")]
    {
        let url = loopback_server(fixture(fixture_name));
        let (a, b) = (ours_over_http(&url), theirs_over_http(&url));
        let describe = fixture_name.starts_with("describe");
        // Each client's answer checked once: an error must not be timed as a fast call.
        if describe {
            let n_ours = rt.block_on(a.describe_cache_parameters().cache_parameter_group_name("default.redis7").send()).unwrap().parameters().len();
            let n_theirs = rt.block_on(b.describe_cache_parameters().cache_parameter_group_name("default.redis7").send()).unwrap().parameters().len();
            assert_eq!(n_ours, n_theirs, "both clients read the same parameters");
            assert!(n_ours > 0);
        }
        let mut group = c.benchmark_group(group_name);
        if describe {
            group.bench_function("elasticache (generated)", |bench| {
                bench.iter(|| rt.block_on(a.describe_cache_parameters().cache_parameter_group_name("default.redis7").send()).unwrap())
            });
            group.bench_function("aws-sdk-elasticache", |bench| {
                bench.iter(|| rt.block_on(b.describe_cache_parameters().cache_parameter_group_name("default.redis7").send()).unwrap())
            });
        } else {
            group.bench_function("elasticache (generated)", |bench| {
                bench.iter(|| {
                    rt.block_on(a.copy_snapshot().source_snapshot_name("nightly").target_snapshot_name("export-1").target_bucket("my-bucket").send())
                        .unwrap()
                })
            });
            group.bench_function("aws-sdk-elasticache", |bench| {
                bench.iter(|| {
                    rt.block_on(b.copy_snapshot().source_snapshot_name("nightly").target_snapshot_name("export-1").target_bucket("my-bucket").send())
                        .unwrap()
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, calls, loopback);
criterion_main!(benches);

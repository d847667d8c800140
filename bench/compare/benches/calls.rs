//! End-to-end calls in process (validate, serialize, resolve endpoint, sign, "send" over an
//! in-memory transport, parse), the generated crate against aws-sdk-elasticache, in one run:
//! DescribeCacheParameters over `describe-cache-parameters.xml` (~148 KB) and CopySnapshot
//! over `copy-snapshot.xml`.

use compare_bench::{fixture, ours, theirs};
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

criterion_group!(benches, calls);
criterion_main!(benches);

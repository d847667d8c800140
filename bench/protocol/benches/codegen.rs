//! Generating the whole ElastiCache crate from its model (parse, IR, emit, format), in
//! process; what `cargo xtask regenerate` spends besides writing files.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;

fn regenerate(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let project = codegen::Project::read(&root, "models/elasticache").expect("models/elasticache/codegen.toml");
    let files = project.generate().expect("the model generates").files;
    println!("{} files, {} bytes", files.len(), files.values().map(String::len).sum::<usize>());
    let mut group = c.benchmark_group("codegen");
    group.sample_size(10);
    group.bench_function("generate the full ElastiCache crate", |b| b.iter(|| project.generate().unwrap()));
    group.finish();
}

criterion_group!(benches, regenerate);
criterion_main!(benches);

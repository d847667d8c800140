//! `cargo xtask diff` in process: comparing two full ElastiCache models (change log,
//! compatibility, documentation count), and the same with parsing both files and rendering
//! the text report, which is what the command spends besides starting up. The budget is
//! 50 ms for the 2016 pair with parsing.

use codegen::diff::{diff, render};
use codegen::Sources;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse(relative: &str, text: &str) -> Sources {
    Sources::from_texts(relative, text, &[]).unwrap_or_else(|e| panic!("{relative}: {e:?}"))
}

fn bench(c: &mut Criterion) {
    let pairs = [
        (
            "the 2016-05-26 update",
            "tests/data/history/2016-03-29-e55db9f23.json",
            "tests/data/history/2016-05-26-b9d9232bb.json",
        ),
        (
            "oldest history model against the current one",
            "tests/data/history/2015-04-24-f1317df38.json",
            "models/elasticache/service-2.json",
        ),
    ];
    let settings = codegen::diff::plain_settings();
    let mut group = c.benchmark_group("diff");
    for (what, old_path, new_path) in pairs {
        let (old_text, new_text) = (read(old_path), read(new_path));
        let (old, new) = (parse(old_path, &old_text), parse(new_path, &new_text));
        let report = diff(&old, &new, &settings).expect("both models generate");
        println!(
            "{what}: {} operations in the change log, {} API changes",
            report.operations.len(),
            report.compatibility.len()
        );
        group.bench_function(format!("{what}: diff"), |b| {
            b.iter(|| diff(black_box(&old), black_box(&new), &settings))
        });
        group.bench_function(format!("{what}: parse both, diff, render text"), |b| {
            b.iter(|| {
                let old = parse(old_path, black_box(&old_text));
                let new = parse(new_path, black_box(&new_text));
                diff(&old, &new, &settings).map(|r| render::text(&r))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

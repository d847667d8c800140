//! The hot paths of a call, each against its baseline:
//! - typed deserialization of `describe-cache-parameters.xml` (~148 KB) and
//!   `copy-snapshot.xml`, next to a bare quick-xml tokenizing pass over the same bytes;
//! - request serialization (CopySnapshot with TargetBucket, DescribeCacheParameters);
//! - SigV4 signing of a request.
//! Allocations per operation are printed before the timings.

use aws_query_runtime::credentials::Credentials;
use aws_query_runtime::http::{HttpRequest, HttpResponse};
use aws_query_runtime::operation::Operation;
use aws_query_runtime::sigv4::{sign, SigningKeyCache, SigningParams};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use elasticache::operation::copy_snapshot::{CopySnapshot, CopySnapshotInput};
use elasticache::operation::describe_cache_parameters::{DescribeCacheParameters, DescribeCacheParametersInput};
use protocol_bench::{allocations, fixture, Counting};
use quick_xml::events::Event;

#[global_allocator]
static ALLOC: Counting = Counting;

/// Every event of the document, borrowed from the input: the floor for any XML parse.
fn tokenize(body: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut events = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) | Err(_) => return events,
            Ok(_) => events += 1,
        }
    }
}

fn deserialize(c: &mut Criterion) {
    // The typed parse returns its output, so that dropping it (freeing what it owns) is
    // not timed: the caller keeps and uses it.
    // Each case's parse is checked once first: a regression must not be timed as a fast
    // error path.
    type Parse = fn(&HttpResponse) -> Box<dyn std::any::Any>;
    type Parses = fn(&HttpResponse) -> bool;
    let cases: [(&str, Parse, Parses); 2] = [
        (
            "describe-cache-parameters.xml",
            |r| Box::new(DescribeCacheParameters::parse_response(r).ok()),
            |r| DescribeCacheParameters::parse_response(r).is_ok(),
        ),
        ("copy-snapshot.xml", |r| Box::new(CopySnapshot::parse_response(r).ok()), |r| CopySnapshot::parse_response(r).is_ok()),
    ];
    for (name, parse, parses) in cases {
        let body = fixture(name);
        let response = HttpResponse::new(200, body.clone());
        assert!(parses(&response), "{name} does not parse");
        assert!(tokenize(&body) > 0);
        println!("{name}: {} bytes; allocations per typed parse: {}; per tokenizing pass: {}",
            body.len(), allocations(|| drop(parse(&response))), allocations(|| { tokenize(&body); }));
        let mut group = c.benchmark_group(format!("deserialize {name}"));
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function("quick-xml tokenize only", |b| b.iter(|| tokenize(black_box(&body))));
        // What the reader's one up-front UTF-8 check of the body costs (std's validator).
        group.bench_function("UTF-8 check only", |b| b.iter(|| std::str::from_utf8(black_box(&body)).is_ok()));
        group.bench_function("typed (parse_response)", |b| b.iter_with_large_drop(|| parse(black_box(&response))));
        group.finish();
    }
}

fn copy_snapshot_input() -> CopySnapshotInput {
    CopySnapshotInput::builder()
        .source_snapshot_name("prod-redis-nightly")
        .target_snapshot_name("prod-redis-export-2016-05-26")
        .target_bucket("my-backup-bucket")
        .kms_key_id("arn:aws:kms:us-west-2:123456789012:key/1234abcd")
        .build()
        .expect("every required member is set")
}

fn serialize(c: &mut Criterion) {
    let copy = copy_snapshot_input();
    let describe = DescribeCacheParametersInput::builder()
        .cache_parameter_group_name("default.redis7")
        .source("user")
        .max_records(100)
        .marker("eyJuZXh0IjogImVuZ2luZS10dW5hYmxlLTEwMCJ9")
        .build()
        .expect("every required member is set");
    println!("allocations per CopySnapshot body: {}", allocations(|| drop(CopySnapshot::request_body(&copy))));
    let mut group = c.benchmark_group("serialize");
    group.bench_function("CopySnapshot request body", |b| b.iter(|| CopySnapshot::request_body(black_box(&copy))));
    group.bench_function("DescribeCacheParameters request body", |b| {
        b.iter(|| DescribeCacheParameters::request_body(black_box(&describe)))
    });
    group.finish();
}

fn signing(c: &mut Criterion) {
    let mut request = HttpRequest::new("POST", "https://elasticache.us-west-2.amazonaws.com/").unwrap();
    request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    request.set_body(CopySnapshot::request_body(&copy_snapshot_input()));
    let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None, None, "bench");
    let cache = SigningKeyCache::default();
    let params = SigningParams { region: "us-west-2", service: "elasticache", time: std::time::SystemTime::now(), sign_security_token: true };
    c.bench_function("sign CopySnapshot (SigV4, cached key)", |b| {
        b.iter(|| {
            let mut r = request.clone();
            sign(&mut r, &credentials, &params, Some(&cache))
        })
    });
}

criterion_group!(benches, deserialize, serialize, signing);
criterion_main!(benches);

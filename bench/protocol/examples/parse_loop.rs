//! Parses `describe-cache-parameters.xml` many times, for profilers (`perf record`).
use aws_query_runtime::http::HttpResponse;
use aws_query_runtime::operation::Operation;
use elasticache::operation::describe_cache_parameters::DescribeCacheParameters;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let response = HttpResponse::new(200, protocol_bench::fixture("describe-cache-parameters.xml"));
    let mut total = 0;
    for _ in 0..n {
        total += DescribeCacheParameters::parse_response(&response).map(|o| o.parameters().len()).unwrap_or(0);
    }
    println!("{total}");
}

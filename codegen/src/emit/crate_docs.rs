//! The generated crate's front page: what it is, a quick start (configuration from the
//! environment, a call, error handling, a paginator, a waiter), the cargo features and what
//! they cost, how to test code with the in-memory transport, and where the operations are.
//!
//! The examples use operations of the service itself, chosen from the IR: a paginated
//! operation without required input for the call and the paginator, its first modeled error
//! for error handling, and the first waiter.

use crate::ir::{Member, Operation, Service, Type};

/// Markdown for `lib.rs`'s `//!` comment.
pub fn crate_docs(svc: &Service, json_module: bool) -> String {
    let krate = svc.crate_name.replace('-', "_");
    let name = &svc.meta.full_name;
    let mut out = format!(
        "# {name}\n\n\
         A Rust client for **{name}** (API version {}), generated from botocore's service model: \
         async and blocking clients, typed inputs, outputs and errors, paginators and waiters, \
         SigV4, the standard credential chain, endpoint rules, retries with backoff and timeouts.\n",
        svc.meta.api_version
    );
    if let Some(docs) = &svc.docs {
        let text = super::docs::to_markdown(docs);
        // botocore's service documentation often opens with the service's name as a title.
        let text = text.strip_prefix(name.as_str()).and_then(|rest| rest.strip_prefix("\n\n")).unwrap_or(&text);
        out.push_str(&format!("\n## The service\n\n{text}\n"));
    }
    let list_op = svc
        .paginators
        .keys()
        .filter_map(|k| svc.operations.get(k))
        .find(|op| op.input.members.iter().all(|m| !m.required))
        .or_else(|| svc.operations.values().find(|op| op.input.members.iter().all(|m| !m.required)));
    if let Some(op) = list_op {
        out.push_str(&quick_start(svc, &krate, op));
    }
    if let Some(op) = list_op.filter(|op| svc.paginators.contains_key(&op.name)) {
        out.push_str(&pagination(svc, &krate, op));
    }
    if let Some(w) = svc.waiters.values().next() {
        out.push_str(&waiters(svc, &krate, w));
    }
    out.push_str(&configuration(&krate));
    if let Some(op) = list_op {
        out.push_str(&testing(svc, &krate, op));
    }
    out.push_str(&features(svc, json_module));
    if let (Some(ops), Some(op)) = (&svc.features, list_op.or_else(|| svc.operations.values().next())) {
        out.push_str(&operation_features(svc, ops, op));
    }
    out.push_str(
        "\n## Where things are\n\n\
         - [`Client`]: one method per operation (each documents its input, output, errors and the \
         model's examples); `blocking::Client`, the same for synchronous code, with feature `blocking`;\n\
         - [`operation`]: one module per operation: its input, output, error and fluent builder;\n\
         - [`types`] and [`types::error`]: the service's data types and errors; [`Error`]: any error \
         of the service;\n\
         - [`config`]: configuration, credentials and transports; [`error`]: the error of a call, \
         [`SdkError`](error::SdkError).\n",
    );
    out
}

/// How to build only the operations a program calls.
fn operation_features(svc: &Service, ops: &crate::ir::features::Features, op: &Operation) -> String {
    let package = &svc.package_name;
    let feature = &op.feature;
    let (one, what) = match ops.grouped {
        false => ("Every operation is behind a cargo feature of its name in kebab case", "its operation"),
        true => (
            "The service has more operations than a crate may have features, so each resource has \
             one (the first word after the verb, singular: `DescribeInstances` and `RunInstances` \
             are `instance`), listed with its operations at the end of `Cargo.toml`",
            "its operations",
        ),
    };
    format!(
        "\n## Compile only what you call\n\n\
         {one} (`{}` is `{feature}`). The default features, `all-operations` and \
         `default-runtime`, build all {} of them; a program that calls a few names those and \
         `default-runtime` (the transport, TLS and tracing above) instead:\n\n\
         ```toml\n\
         [dependencies]\n\
         {package} = {{ version = \"{}\", default-features = false, features = [\"default-runtime\", \"{feature}\"] }}\n\
         ```\n\n\
         A feature builds {what}' input, output, error, client method, paginator and waiters, and \
         the types they reach (a type two operations share is built once); everything else — \
         `Config`, `Client`, the error and retry machinery, the credential chain — is always there. \
         A method whose feature is off does not exist: the compiler says ``no method named `…` found \
         for struct `Client` ``, and the method's page in these docs names the feature it needs.\n\n\
         {}\n",
        op.name,
        ops.by_feature.len(),
        svc.version.rsplit_once('.').map_or(svc.version.as_str(), |(mm, _)| mm),
        MEASURED_FEATURES
    )
}

/// What picking operations saved, measured (`cargo xtask bench-compile`, the project README).
pub(super) const MEASURED_FEATURES: &str = "What it saves, measured on ElastiCache (clean debug builds, tokio \
    `full`, 2 cores, `cargo xtask bench-compile`, medians of five): a program calling \
    DescribeCacheParameters builds in 32.0 s with every operation and 21.7 s with that one \
    (aws-sdk-elasticache with aws-config: 100.0 s), a ten-operation program in 24.6 s; after a \
    change to the service crate, it rebuilds in 2.7 s with every operation, 0.6 s with one \
    (aws-sdk-elasticache: 7.5 s).";

fn call_of(op: &Operation) -> String {
    op.method.to_string()
}

/// A first string member named like an identifier (`CacheClusterId`), for examples.
fn id_member(op: &Operation) -> Option<&Member> {
    op.input
        .members
        .iter()
        .find(|m| matches!(m.ty, Type::String) && (m.name.ends_with("Id") || m.name.ends_with("Name")))
}

fn quick_start(svc: &Service, krate: &str, op: &Operation) -> String {
    let call = call_of(op);
    let output = &op.output.rust_name;
    let list = op.output.members.iter().find(|m| matches!(m.ty, Type::List(_)));
    let use_output = match list {
        Some(m) => format!(
            "for item in out.{}() {{\n    println!(\"{{item:?}}\");\n}}",
            m.field.as_str()
        ),
        None => "println!(\"{out:?}\");".to_owned(),
    };
    let mut s = format!(
        "\n## Quick start\n\n\
         ```rust,no_run\n\
         use {krate}::{{Client, Config}};\n\n\
         # async fn run() -> Result<(), Box<dyn std::error::Error>> {{\n\
         // Region and credentials as aws-config finds them: the environment, the profile in\n\
         // ~/.aws/config and ~/.aws/credentials (keys, credential_process, assume role, SSO),\n\
         // web identity (EKS), the container endpoint (ECS, EKS Pod Identity), EC2 metadata.\n\
         let config = Config::from_env().await;\n\
         let client = Client::from_conf(config);\n\n\
         // A call: set the input on the builder, `send()`, get a typed `{output}`.\n\
         let out = client.{call}().send().await?;\n\
         {use_output}\n\
         # Ok(())\n\
         # }}\n\
         ```\n"
    );
    if let Some(info) = op.errors.first().and_then(|k| svc.shape(k).error_info()) {
        let is = info.predicate.to_string();
        let error = op.error.to_string();
        s.push_str(&format!(
            "\n## Errors\n\n\
             A call returns [`SdkError`](error::SdkError)`<{error}>`. Its service errors are typed, \
             one variant per error the model lists (matched by the code the service sends), and \
             `Display` tells the whole story: operation, code, message, request id, attempts.\n\n\
             ```rust,no_run\n\
             # async fn run(client: {krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
             match client.{call}().send().await {{\n    \
                 Ok(out) => println!(\"{{out:?}}\"),\n    \
                 Err(err) if err.as_service_error().is_some_and(|e| e.{is}()) => {{\n        \
                     println!(\"not found: {{:?}}\", err.message());\n    \
                 }}\n    \
                 // Everything else: throttling after retries, timeouts, transport failures, …\n    \
                 Err(err) => return Err(err.into()),\n\
             }}\n\
             # Ok(())\n\
             # }}\n\
             ```\n\n\
             Any operation's error converts into [`Error`], the service-wide error, for code that \
             handles several operations alike.\n"
        ));
    }
    s
}

fn pagination(svc: &Service, krate: &str, op: &Operation) -> String {
    let call = call_of(op);
    let page_size = svc.paginators.get(&op.name).and_then(|p| p.limit_key.as_ref()).map(|_| ".page_size(20)").unwrap_or("");
    format!(
        "\n## Pagination\n\n\
         Operations that return results a page at a time have `into_paginator()`: a stream of \
         pages, or with `.items()` of the items on them. It follows the service's marker and \
         stops with an error, not a loop, if the service repeats one.\n\n\
         ```rust,no_run\n\
         # async fn run(client: {krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
         let mut items = client.{call}().into_paginator(){page_size}.items().send();\n\
         while let Some(item) = items.next().await {{\n    \
             println!(\"{{:?}}\", item?);\n\
         }}\n\
         # Ok(())\n\
         # }}\n\
         ```\n\n\
         The streams also implement `futures::Stream`.\n"
    )
}

fn waiters(svc: &Service, krate: &str, w: &crate::ir::waiters::Waiter) -> String {
    let setter = svc
        .operations
        .get(&w.operation)
        .and_then(id_member)
        .map(|m| format!("\n    .{}(\"my-{}\")", m.field, m.field.as_str().replace('_', "-")))
        .unwrap_or_default();
    format!(
        "\n## Waiters\n\n\
         Waiters poll until the service reaches a state, with the model's acceptors and delays \
         (exponential backoff between a minimum and a maximum delay), and fail with the acceptor \
         that matched or when time runs out.\n\n\
         ```rust,no_run\n\
         use {krate}::client::Waiters;\n\
         use std::time::Duration;\n\n\
         # async fn run(client: {krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
         client\n    \
             .{}(){setter}\n    \
             .wait(Duration::from_secs(600))\n    \
             .await?;\n\
         # Ok(())\n\
         # }}\n\
         ```\n",
        w.method
    )
}

fn configuration(krate: &str) -> String {
    format!(
        "\n## Configuration\n\n\
         ```rust,no_run\n\
         use {krate}::config::{{Credentials, Region, RetryConfig, TimeoutConfig}};\n\
         use std::time::Duration;\n\n\
         let config = {krate}::Config::builder()\n    \
             .region(Region::new(\"us-west-2\"))\n    \
             .credentials_provider(Credentials::new(\"AKID\", \"SECRET\", None, None, \"static\"))\n    \
             .endpoint_url(\"http://127.0.0.1:5000\") // optional: a local server\n    \
             .retry_config(RetryConfig::standard().with_max_attempts(5))\n    \
             .timeout_config(TimeoutConfig::builder().operation_attempt_timeout(Duration::from_secs(10)).build())\n    \
             .build();\n\
         let client = {krate}::Client::from_conf(config);\n\
         ```\n\n\
         Retries follow botocore's standard mode: 3 attempts, exponential backoff with jitter, \
         a client-wide retry quota; throttling, 5xx and connection errors are retried, errors \
         the model describes are not. Input is validated before anything is sent (required \
         members, length and value limits), every problem reported at once.\n"
    )
}

fn testing(svc: &Service, krate: &str, op: &Operation) -> String {
    let call = call_of(op);
    let name = &op.name;
    let version = &svc.meta.api_version;
    format!(
        "\n## Testing your code\n\n\
         The in-memory transport answers with canned responses and keeps the requests it was \
         sent, so code using the client can be tested without a network:\n\n\
         ```rust,no_run\n\
         use {krate}::config::http::{{test_util::ReplayClient, HttpResponse}};\n\
         use {krate}::config::{{Credentials, Region}};\n\n\
         # async fn run() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let replay = ReplayClient::new([HttpResponse::new(\n    \
             200,\n    \
             \"<{name}Response><{name}Result></{name}Result></{name}Response>\",\n\
         )]);\n\
         let config = {krate}::Config::builder()\n    \
             .region(Region::new(\"us-east-1\"))\n    \
             .credentials_provider(Credentials::new(\"test\", \"test\", None, None, \"test\"))\n    \
             .http_client(replay.clone())\n    \
             .build();\n\
         let client = {krate}::Client::from_conf(config);\n\
         client.{call}().send().await?;\n\
         assert_eq!(replay.requests()[0].body_str(), \"Action={name}&Version={version}\");\n\
         # Ok(())\n\
         # }}\n\
         ```\n"
    )
}

fn features(svc: &Service, json_module: bool) -> String {
    let gzip = if svc.uses_compression() {
        "| `gzip` | yes | gzip request compression where the model allows it | flate2 (pure Rust) |\n"
    } else {
        ""
    };
    let gzip_default = if svc.uses_compression() { ", `gzip`" } else { "" };
    let operation_rows = match svc.features.is_some() {
        true => format!(
            "| `all-operations` | yes | every operation (see *Compile only what you call* below) | the service crate's whole size |\n\
             | `default-runtime` | yes | `rustls`, `tracing`{gzip_default}: every default but the operations | what those add |\n"
        ),
        false => String::new(),
    };
    let json = if json_module {
        "| `json` | no | `json`: botocore-style JSON in and out, for tests and tools | serde_json |\n"
    } else {
        ""
    };
    format!(
        "\n## Cargo features\n\n\
         | feature | default | what | what it adds to your build |\n\
         |---|---|---|---|\n\
         {operation_rows}\
         | `rustls` | yes | the default transport: hyper (HTTP/1.1, pooled) and rustls, Mozilla's roots compiled in, post-quantum key exchange (X25519MLKEM768, then X25519) on `ring` and RustCrypto's ML-KEM | hyper, tokio-rustls, rustls, ring, ml-kem, webpki-roots and their dependencies (the largest part of a build) |\n\
         | `rustls-ring`, `rustls-aws-lc`, `rustls-aws-lc-fips` | no | the same transport with classical key exchange only (`ring`), on aws-lc-rs (post-quantum preferred), or on aws-lc-rs's FIPS 140-3 module; each instead of `rustls` (with `default-features = false`): two at once do not build | `rustls-ring`: less than `rustls`; the aws-lc ones: a C build (CMake; Go for FIPS) |\n\
         | `tracing` | yes | a span per call (operation, attempts, request id), events per attempt and retry | tracing, tracing-core |\n\
         {gzip}\
         | `blocking` | no | `blocking::Client`: the same API for code without an async runtime | nothing new (uses tokio's current-thread runtime, already a dependency) |\n\
         | `aws-credential-types` | no | `config::AwsConfigCredentials`: credentials from any aws-config provider | aws-credential-types and the aws-smithy crates it needs |\n\
         | `aws-types` | no | `Config::from(&sdk_config)` and `Client::new(&sdk_config)` with aws-config's `SdkConfig`, for programs that also use aws-sdk crates | aws-types, aws-credential-types and the aws-smithy crates they need |\n\
         {json}\
         | `test-util` | no | for unit tests: `Config::builder().with_test_defaults()` and the hook the typed mocks of `aws-query-mocks` answer calls through | nothing new |\n\n\
         Without any of the `rustls` features, give the client a transport with `Config::builder().http_client(..)` \
         (anything implementing [`config::http::HttpClient`]).\n\n\
         What they cost in a clean debug build of a one-call ElastiCache application (tokio \
         included, 2-core machine): no features 13.5 s, `tracing` alone 14.0 s, `rustls` alone \
         21.3 s, the defaults 22.9 s; a larger service adds to the service crate's share only.\n"
    )
}

//! The transport's TLS provider is one cargo feature: a build with none, or with two, stops
//! with the transport's own error, which says what to turn on (and nothing else fails first).

use project_tests::{cargo, repo, text};

fn check(features: &[&str]) -> String {
    let target = repo().join("target/test-targets/tls-features");
    let mut args = vec!["check", "--quiet", "-p", "aws-query-transport", "--no-default-features"];
    if !features.is_empty() {
        args.push("--features");
    }
    let list = features.join(",");
    if !features.is_empty() {
        args.push(&list);
    }
    let out = cargo(&repo(), &target, &args, &[]);
    assert!(!out.status.success(), "the transport built with TLS features {features:?}");
    let errors: Vec<String> = text(&out).lines().filter(|l| l.starts_with("error")).map(str::to_owned).collect();
    // The provider's error, then cargo's "could not compile": nothing else.
    assert_eq!(errors.len(), 2, "{errors:?}");
    errors[0].clone()
}

#[test]
fn no_provider_is_a_clear_compile_error() {
    let error = check(&[]);
    assert!(error.contains("needs one TLS provider: turn on `tls-pq`"), "{error}");
}

#[test]
fn two_providers_are_a_clear_compile_error() {
    let error = check(&["tls-pq", "tls-ring"]);
    assert!(error.contains("has two TLS providers turned on"), "{error}");
    assert!(error.contains("default-features = false"), "{error}");
}

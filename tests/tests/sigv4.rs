//! The AWS SigV4 test suite (`tests/data/sigv4/`, 34 requests): for each, the canonical
//! request, the string to sign and the `Authorization` header our signer makes must equal
//! the suite's files byte for byte. Prints `sigv4: N passed, M failed`.

use aws_query_runtime::credentials::Credentials;
use aws_query_runtime::http::HttpRequest;
use aws_query_runtime::sigv4::{sign, SigningParams};
use project_tests::repo;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// 2015-08-30T12:36:00Z.
fn suite_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            cases(&path, out);
        } else if path.extension().is_some_and(|e| e == "req") {
            out.push(path);
        }
    }
}

/// A `.req` file: request line, headers (indented lines continue the previous header),
/// a blank line, the body.
fn parse_request(text: &str) -> HttpRequest {
    let (head, body) = match text.split_once("\n\n") {
        Some((h, b)) => (h, b),
        None => (text, ""),
    };
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let method = request_line.split(' ').next().unwrap();
    let target = request_line[method.len() + 1..].trim_end_matches(" HTTP/1.1");
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().unwrap();
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            let (k, v) = line.split_once(':').unwrap();
            headers.push((k.to_owned(), v.to_owned()));
        }
    }
    let host = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("host")).map(|(_, v)| v.clone()).unwrap();
    let mut request = HttpRequest::new(method, &format!("https://{host}{target}")).unwrap();
    for (k, v) in headers {
        request.add_header(k, v);
    }
    request.set_body(body.as_bytes().to_vec());
    request
}

fn run(req_path: &Path) -> Result<(), String> {
    let name = req_path.file_stem().unwrap().to_string_lossy().into_owned();
    let read = |ext: &str| std::fs::read_to_string(req_path.with_extension(ext)).unwrap();
    let mut request = parse_request(&read("req"));
    // A case with a session token shows it in its signed request.
    let token = read("sreq")
        .lines()
        .find_map(|l| l.strip_prefix("X-Amz-Security-Token:").map(str::to_owned));
    let credentials = Credentials::new("AKIDEXAMPLE", SECRET, token.clone(), None, "test");
    // `post-sts-header-after`: the token is added after signing, so it is not signed.
    let params = SigningParams {
        region: "us-east-1",
        service: "service",
        time: suite_time(),
        sign_security_token: name != "post-sts-header-after",
    };
    let out = sign(&mut request, &credentials, &params, None);
    let mut problems = Vec::new();
    for (what, ours, theirs) in [
        ("canonical request", &out.canonical_request, read("creq")),
        ("string to sign", &out.string_to_sign, read("sts")),
        ("Authorization", &out.authorization, read("authz")),
    ] {
        if *ours != theirs {
            problems.push(format!("{what}:\n--- ours\n{ours}\n--- suite\n{theirs}"));
        }
    }
    if request.header("authorization") != Some(out.authorization.as_str()) {
        problems.push("the request does not carry the Authorization header".to_owned());
    }
    if token.is_some() && request.header("x-amz-security-token") != token.as_deref() {
        problems.push("the request does not carry the session token".to_owned());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn aws_sigv4_test_suite() {
    let mut files = Vec::new();
    cases(&repo().join("tests/data/sigv4"), &mut files);
    assert_eq!(files.len(), 34, "the suite has 34 requests");
    let mut failures = Vec::new();
    for path in &files {
        if let Err(e) = run(path) {
            failures.push(format!("FAIL {}: {e}", path.file_stem().unwrap().to_string_lossy()));
        }
    }
    for f in &failures {
        println!("{f}");
    }
    project_tests::summary(&format!("sigv4: {} passed, {} failed", files.len() - failures.len(), failures.len()));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

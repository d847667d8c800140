//! Host labels: for `endpoint.hostPrefix` templates, regions and the rules' `isValidHostLabel`.
//! Whatever goes into a host name passes here first, so that no value can move a request
//! to another host (`evil.example/`, `user@host`, `host?`, `host#`).

/// RFC 1123 host label: 1–63 letters, digits and hyphens, not starting with a hyphen.
pub fn is_valid_host_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Checks a region before it goes into an endpoint: one or more host labels separated by
/// dots (the rules' `isValidHostLabel(Region, true)`), in lowercase as every AWS region is
/// (an uppercase region would also sign for a scope no service accepts).
pub fn check_region(region: &str) -> Result<(), String> {
    let valid = region.split('.').all(|label| is_valid_host_label(label) && !label.bytes().any(|b| b.is_ascii_uppercase()));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid region `{}`: a region is host labels separated by dots, each 1 to 63 lowercase letters, \
             digits and hyphens, not starting with a hyphen (like `us-east-1`)",
            region.escape_debug()
        ))
    }
}

/// Checks an operation's host prefix (`data.`, `foo-bar.`): host labels each followed by a
/// dot, so that the prefixed host is a subdomain of the endpoint's host and nothing else.
pub fn check_host_prefix(prefix: &str, host: &str) -> Result<(), String> {
    match prefix.strip_suffix('.') {
        Some(labels) if labels.split('.').all(is_valid_host_label) => Ok(()),
        _ => Err(format!(
            "the host prefix `{}` would send the request to a host outside `{host}`: it must be host labels, each \
             followed by a dot",
            prefix.escape_debug()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_prefixes() {
        for good in ["us-east-1", "eu-west-3", "us-gov-west-1", "cn-north-1", "local", "a.b", "x1"] {
            assert_eq!(check_region(good), Ok(()), "{good}");
        }
        let long = "a".repeat(64);
        for bad in ["", "evil.example/", "us-east-1/", "a@b", "us-east-1?", "us-east-1#", "us east 1", " us-east-1", "us-east-1.", ".us-east-1",
            "us..east", "US-EAST-1", "Us-east-1", "-us", "us_east_1", "us-east-1:443", "us-east-1\n", "\u{e9}u", long.as_str()]
        {
            assert!(check_region(bad).is_err(), "{bad:?}");
        }
        assert_eq!(check_host_prefix("foo.", "h"), Ok(()));
        assert_eq!(check_host_prefix("foo-bar.baz.", "h"), Ok(()));
        for bad in ["", "foo", "foo/.", "foo@", "a..", ".", "-a.", "evil.example/x."] {
            assert!(check_host_prefix(bad, "h").is_err(), "{bad:?}");
        }
    }
}

//! Host labels, for `endpoint.hostPrefix` templates.

/// RFC 1123 host label: 1–63 letters, digits and hyphens, not starting with a hyphen.
pub fn is_valid_host_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

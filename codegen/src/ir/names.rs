//! The one naming authority: every Rust identifier the generator emits is decided here.
//!
//! Rules (documented for users in the README):
//! - types are `UpperCamelCase`, fields, methods and modules `snake_case` (heck);
//! - Rust keywords become raw identifiers (`type` → `r#type`); the four that cannot be raw
//!   (`self`, `Self`, `super`, `crate`) get a `_value` suffix;
//! - a shape whose name would shadow a prelude or std type used by generated code (`String`,
//!   `Result`, `Option`, `Error`, …) gets a `Value` suffix (`String` → `StringValue`);
//! - a member whose name collides with a method of the generated API (`builder`, `build`,
//!   `new`, `send`, `into_parts`, `meta`, …) gets a `_value` suffix;
//! - enum variants: the value split at every non-alphanumeric character, `UpperCamelCase`d;
//!   a leading digit gets a `V` prefix (`5.0` → `V50`) and `Unknown` becomes `UnknownValue`
//!   (the name of the catch-all variant).

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names generated code uses unqualified; shapes must not shadow them.
const RESERVED_TYPES: &[&str] = &[
    "AsMut", "AsRef", "Blob", "Box", "Clone", "Copy", "DateTime", "Debug", "Default", "Display", "Drop", "Eq",
    "Error", "Extend", "Fn", "FnMut", "FnOnce", "Formatter", "From", "FromIterator", "HashMap", "Into",
    "IntoIterator", "Iterator", "None", "Ok", "Err", "Option", "Ord", "PartialEq", "PartialOrd", "Result", "Self",
    "Send", "Sized", "Some", "String", "Sync", "ToOwned", "ToString", "TryFrom", "TryInto", "Unpin", "Vec",
];

/// Member names that would collide with the generated API: the methods that share an impl
/// with member setters or accessors (structures: `builder`, `meta`; input builders:
/// `build`, `with_context`, `into_parts`; fluent builders: `new`, `as_input`, `send`,
/// `into_paginator`; waiters: `min_delay`, `max_delay`, `max_attempts`, `wait`), an input
/// builder's `context` field, and aws-sdk-rust's `customize` and `config_override`.
const RESERVED_MEMBERS: &[&str] = &[
    "as_input",
    "build",
    "builder",
    "config_override",
    "context",
    "customize",
    "into_paginator",
    "into_parts",
    "max_attempts",
    "max_delay",
    "meta",
    "min_delay",
    "new",
    "send",
    "wait",
    "with_context",
];

/// A snake_case identifier as Rust source (`r#type` for keywords).
pub fn snake_ident(name: &str) -> String {
    escape_ident(name.to_snake_case())
}

/// The Rust field (and accessor) name of a structure member.
pub fn field_name(member: &str) -> String {
    let snake = member.to_snake_case();
    if RESERVED_MEMBERS.contains(&snake.as_str()) {
        return format!("{snake}_value");
    }
    escape_ident(snake)
}

/// The Rust type name of a structure or enum shape.
pub fn type_name(shape: &str) -> String {
    let camel = shape.to_upper_camel_case();
    if RESERVED_TYPES.contains(&camel.as_str()) {
        format!("{camel}Value")
    } else {
        camel
    }
}

/// `name` (from [`type_name`]) is a Rust type name: a letter, then letters and digits.
pub fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic()) && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The variant name of an enum value.
pub fn variant_name(value: &str) -> String {
    // heck treats `.`, `-`, `:` and `/` as word breaks already; anything else that is not
    // alphanumeric is turned into one too.
    let cleaned: String = value.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let camel = cleaned.to_upper_camel_case();
    match camel.chars().next() {
        None => "Empty".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("V{camel}"),
        _ if camel == "Unknown" || camel == "SelfValue" || camel == "Self" => format!("{camel}Value"),
        _ => camel,
    }
}

fn escape_ident(snake: String) -> String {
    if snake.is_empty() {
        return "value".to_owned();
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("n{snake}");
    }
    if NOT_RAW.contains(&snake.as_str()) {
        return format!("{snake}_value");
    }
    if KEYWORDS.contains(&snake.as_str()) {
        return format!("r#{snake}");
    }
    snake
}

/// The name without a raw-identifier prefix, for building derived names (`set_type`).
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        assert_eq!(field_name("CacheClusterId"), "cache_cluster_id");
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("Self"), "self_value");
        assert_eq!(field_name("Builder"), "builder_value");
        assert_eq!(field_name("New"), "new_value");
        assert_eq!(field_name("IntoParts"), "into_parts_value");
        assert_eq!(field_name("WithContext"), "with_context_value");
        assert_eq!(field_name("Context"), "context_value");
        assert_eq!(field_name("IPDiscovery"), "ip_discovery");
    }

    #[test]
    fn types() {
        assert_eq!(type_name("String"), "StringValue");
        assert_eq!(type_name("CacheCluster"), "CacheCluster");
        assert_eq!(type_name("DBInstance"), "DbInstance");
    }

    #[test]
    fn variants() {
        assert_eq!(variant_name("immediate"), "Immediate");
        assert_eq!(variant_name("requires-reboot"), "RequiresReboot");
        assert_eq!(variant_name("cache.t2.micro"), "CacheT2Micro");
        assert_eq!(variant_name("5.0"), "V50");
        assert_eq!(variant_name("Unknown"), "UnknownValue");
        assert_eq!(variant_name("ipv4 & ipv6"), "Ipv4Ipv6");
    }
}

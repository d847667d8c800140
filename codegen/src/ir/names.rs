//! The one naming authority: every Rust identifier the generator emits is decided here, as
//! an [`Ident`], and [`super::symbols`] checks them all for clashes in one pass.
//!
//! Rules (documented for users in the README), chosen so that names match aws-sdk-rust's:
//! - case conversion follows smithy-rs: `snake_case` by its word splitter (acronyms stay
//!   whole, `PreferredCacheClusterAZs` → `preferred_cache_cluster_azs`, `IPv6` → `ipv6`),
//!   `UpperCamelCase` for types by Smithy's `CaseUtils` (`DBInstance` → `DbInstance`);
//! - Rust keywords become raw identifiers (`type` → `r#type`); the four that cannot be raw
//!   (`self`, `Self`, `super`, `crate`) get a `_value` suffix;
//! - a shape whose name would shadow a prelude or std type used by generated code (`String`,
//!   `Result`, `Option`, `Error`, …) gets a `Value` suffix (`String` → `StringValue`);
//! - a member whose name collides with a method of the generated API (`builder`, `build`,
//!   `new`, `send`, `customize`, `meta`, …) gets a `_value` suffix;
//! - enum variants: the value split at every non-alphanumeric character and camel-cased
//!   (`requires-reboot` → `RequiresReboot`); a leading digit gets a `V` prefix (`5.0` →
//!   `V50`) and `Unknown` becomes `UnknownValue` (the name of the catch-all variant). Smithy
//!   gives some values names that the value does not tell (botocore's JSON has only the
//!   values); `codegen.toml`'s `[names.enum_variants]` table says those;
//! - derived names (`{Type}Builder`, `{Op}Error`, `{Op}FluentBuilder`, `{Op}Paginator`,
//!   `set_{field}`, `is_{error}`, `wait_until_{waiter}`, …) are made by the functions below
//!   and nowhere else.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};
use std::fmt;

/// A Rust identifier as generated code writes it: `name`, or `r#name` for a keyword.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident {
    name: String,
    raw: bool,
}

impl Ident {
    /// An identifier from a name already in Rust form; keywords are made raw (or suffixed
    /// where Rust has no raw form), a leading digit gets a prefix.
    fn escaped(name: String, digit_prefix: &str, suffix: &str) -> Ident {
        if name.is_empty() {
            return Ident { name: "value".to_owned(), raw: false };
        }
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            return Ident { name: format!("{digit_prefix}{name}"), raw: false };
        }
        if NOT_RAW.contains(&name.as_str()) {
            return Ident { name: format!("{name}{suffix}"), raw: false };
        }
        let raw = KEYWORDS.contains(&name.as_str());
        Ident { name, raw }
    }

    /// The name without `r#`, for building other names and for file names.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// A derived identifier: `f` gets the bare name (`set_{}` → `set_type`).
    pub fn derive(&self, f: impl FnOnce(&str) -> String) -> Ident {
        Ident::escaped(f(&self.name), "n", "_value")
    }

    /// The same name with a deterministic suffix, to resolve a clash.
    pub fn with_suffix(&self, n: usize) -> Ident {
        let sep = if self.name.starts_with(|c: char| c.is_ascii_uppercase()) { "" } else { "_" };
        Ident { name: format!("{}{sep}{n}", self.name), raw: false }
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.raw {
            f.write_str("r#")?;
        }
        f.write_str(&self.name)
    }
}

impl ToTokens for Ident {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let ident = if self.raw {
            proc_macro2::Ident::new_raw(&self.name, Span::call_site())
        } else {
            proc_macro2::Ident::new(&self.name, Span::call_site())
        };
        tokens.append(ident);
    }
}

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
/// `send_with`, `customize`, `config_override`, `into_paginator`; waiters: `min_delay`,
/// `max_delay`, `max_attempts`, `wait`), and an input builder's `context` field.
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
    "send_with",
    "wait",
    "with_context",
];

/// Words that smithy-rs keeps whole though their case says otherwise (`IPv4`, `MiB`).
const COMPLETE_WORDS: &[&str] = &["ipv4", "ipv6", "sigv4", "mib", "gib", "kib", "ttl"];

/// Splits a name into lowercase words the way smithy-rs does (codegen-core `Strings.kt`):
/// at non-alphanumerics, at a lower-to-upper step, at the end of an acronym (`DB|Proxy`,
/// not `AZ|s`, not `DynamoD|Bv2`), after a digit followed by a lowercase letter in names
/// that are all lowercase, keeping [`COMPLETE_WORDS`] whole.
fn split_words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let all_lower = s.to_lowercase() == s;
    let mut out = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let peek = chars.get(i + 1).copied();
        let double_peek = chars.get(i + 2).copied();
        let rest: String = chars[i..].iter().collect();
        let complete_in_progress = COMPLETE_WORDS
            .iter()
            .any(|w| format!("{word}{rest}").to_lowercase().starts_with(w))
            && !COMPLETE_WORDS.contains(&word.to_lowercase().as_str());
        let last = word.chars().last();
        let boundary = if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word).to_lowercase());
            }
            continue;
        } else if word.is_empty() {
            false
        } else {
            // `Abc[D]ef`, `Ab2[D]ef`; in all-lowercase names `s3[k]ey`; `DB[P]roxy`.
            let lower_then_upper =
                c.is_ascii_uppercase() && last.is_some_and(|l| l.is_ascii_lowercase() || l.is_ascii_digit());
            let digit_then_lower = all_lower && last.is_some_and(|l| l.is_ascii_digit()) && c.is_ascii_lowercase();
            (!complete_in_progress && (lower_then_upper || digit_then_lower)) || end_of_acronym(last, c, peek, double_peek)
        };
        if boundary {
            out.push(std::mem::take(&mut word).to_lowercase());
        }
        word.push(c);
    }
    if !word.is_empty() {
        out.push(word.to_lowercase());
    }
    out
}

/// `DB[P]roxy`, `IAM[U]ser`: an acronym ends before an uppercase letter that starts a
/// lowercase word; not in `AR[N]s` / `AC[L]s` (a plural) nor `DynamoD[B]v2`.
fn end_of_acronym(last: Option<char>, c: char, peek: Option<char>, double_peek: Option<char>) -> bool {
    if !last.is_some_and(|l| l.is_ascii_uppercase()) || !c.is_ascii_uppercase() {
        return false;
    }
    if !peek.is_some_and(|p| p.is_ascii_lowercase()) {
        return false;
    }
    if peek == Some('s') && !double_peek.is_some_and(|d| d.is_ascii_lowercase()) {
        return false;
    }
    if peek == Some('v') && double_peek.is_some_and(|d| d.is_ascii_digit()) {
        return false;
    }
    true
}

/// `snake_case` as smithy-rs writes it.
pub fn to_snake_case(s: &str) -> String {
    split_words(s).join("_")
}

/// `UpperCamelCase` as smithy-rs writes type names: Smithy's `CaseUtils.toSnakeCase`
/// (split before the last capital of an acronym that starts a word, and after a lowercase
/// letter or digit followed by a capital), then every word capitalised.
pub fn to_pascal_case(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut snake = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let acronym_end = c.is_ascii_uppercase()
            && prev.is_some_and(|p| p.is_ascii_uppercase())
            && next.is_some_and(|n| n.is_ascii_lowercase());
        let hump = c.is_ascii_uppercase() && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
        if acronym_end || hump {
            snake.push('_');
        }
        snake.push(if c.is_ascii_alphanumeric() { c } else { '_' });
    }
    snake
        .to_lowercase()
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// A `snake_case` identifier (modules, methods) for a model name.
pub fn snake(name: &str) -> Ident {
    Ident::escaped(to_snake_case(name), "n", "_value")
}

/// The Rust field (and accessor and setter) name of a structure member.
pub fn field(member: &str) -> Ident {
    let snake = to_snake_case(member);
    if RESERVED_MEMBERS.contains(&snake.as_str()) {
        return Ident { name: format!("{snake}_value"), raw: false };
    }
    Ident::escaped(snake, "n", "_value")
}

/// The Rust type name of a structure, enum or operation.
pub fn type_name(shape: &str) -> Ident {
    let camel = to_pascal_case(shape);
    if RESERVED_TYPES.contains(&camel.as_str()) {
        return Ident { name: format!("{camel}Value"), raw: false };
    }
    // A name starting with a digit is left so: the IR refuses it (Smithy does too).
    Ident::escaped(camel, "", "Value")
}

/// `name` is a Rust type name: a letter, then letters and digits.
pub fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic()) && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The variant name of an enum value (see the module docs for overrides).
pub fn variant(value: &str) -> Ident {
    let camel = to_pascal_case(value);
    let name = match camel.chars().next() {
        None => "Empty".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("V{camel}"),
        _ if camel == "Unknown" || camel == "SelfValue" || camel == "Self" => format!("{camel}Value"),
        _ => camel,
    };
    Ident { name, raw: false }
}

/// A variant name given by `codegen.toml`; `None` if it is not a type-like identifier.
pub fn variant_override(name: &str) -> Option<Ident> {
    (is_type_name(name) && name != "Unknown").then(|| Ident { name: name.to_owned(), raw: false })
}

// Derived names. Each is made here and nowhere else.

/// `{Type}Builder`.
pub fn builder(ty: &Ident) -> Ident {
    ty.derive(|t| format!("{t}Builder"))
}

/// `{Op}Input` / `{Op}Output`.
pub fn io_type(op: &Ident, which: &str) -> Ident {
    op.derive(|o| format!("{o}{which}"))
}

/// `{Op}Error`.
pub fn operation_error(op: &Ident) -> Ident {
    op.derive(|o| format!("{o}Error"))
}

/// `{Op}FluentBuilder`, and a waiter's `{Waiter}FluentBuilder`.
pub fn fluent_builder(name: &Ident) -> Ident {
    name.derive(|o| format!("{o}FluentBuilder"))
}

/// `{Op}Paginator`.
pub fn paginator(op: &Ident) -> Ident {
    op.derive(|o| format!("{o}Paginator"))
}

/// The paginator over the items of a result key: `{Op}PaginatorItems` for the first (as
/// aws-sdk-rust names it), `{Op}{KeyPath}PaginatorItems` for the others.
pub fn items_paginator(op: &Ident, key: Option<&str>) -> Ident {
    match key {
        None => op.derive(|o| format!("{o}PaginatorItems")),
        Some(key) => op.derive(|o| format!("{o}{}PaginatorItems", to_pascal_case(&key.replace('.', "_")))),
    }
}

/// The method that turns a paginator into one over the items of a result key: `items` for
/// the first key, the key path in snake case for the others (`Gadgets.Items` →
/// `gadgets_items`).
pub fn items_method(key: Option<&str>) -> Ident {
    match key {
        None => Ident { name: "items".to_owned(), raw: false },
        Some(key) => snake(&key.replace('.', "_")),
    }
}

/// `set_{field}` and `get_{field}`.
pub fn setter(field: &Ident) -> Ident {
    field.derive(|f| format!("set_{f}"))
}

pub fn getter(field: &Ident) -> Ident {
    field.derive(|f| format!("get_{f}"))
}

/// `is_{error}`: the predicate of an error variant.
pub fn predicate(error_type: &Ident) -> Ident {
    Ident::escaped(format!("is_{}", to_snake_case(error_type.as_str())), "n", "_value")
}

/// `wait_until_{waiter}`.
pub fn waiter_method(waiter: &Ident) -> Ident {
    waiter.derive(|w| format!("wait_until_{w}"))
}

/// `{Waiter}FinalPoll` and `WaitUntil{Waiter}Error`.
pub fn final_poll(waiter: &Ident) -> Ident {
    waiter.derive(|w| format!("{w}FinalPoll"))
}

pub fn waiter_error(waiter: &Ident) -> Ident {
    waiter.derive(|w| format!("WaitUntil{w}Error"))
}

/// The JSON bridge's functions of a structure's module: `{module}_from_json`,
/// `{module}_to_json`.
pub fn from_json(module: &Ident) -> Ident {
    module.derive(|m| format!("{m}_from_json"))
}

pub fn to_json(module: &Ident) -> Ident {
    module.derive(|m| format!("{m}_to_json"))
}

/// The JSON bridge's functions of an operation: `{op}_input_from_json`,
/// `{op}_output_to_json`.
pub fn input_from_json(op_module: &Ident) -> Ident {
    op_module.derive(|m| format!("{m}_input_from_json"))
}

pub fn output_to_json(op_module: &Ident) -> Ident {
    op_module.derive(|m| format!("{m}_output_to_json"))
}

/// `take_{items}`: the function that takes a result key's items out of a page.
pub fn take_items(items_method: &Ident) -> Ident {
    items_method.derive(|m| format!("take_{m}"))
}

/// `arg{n}`: the `n`th value a waiter's acceptors test, bound once per poll.
pub fn acceptor_argument(n: usize) -> Ident {
    Ident { name: format!("arg{n}"), raw: false }
}

/// The cargo feature of an operation: its name in kebab case (`DescribeCacheParameters` →
/// `describe-cache-parameters`).
pub fn operation_feature(op: &str) -> String {
    to_snake_case(op).replace('_', "-")
}

/// The cargo feature of an operation in a service with more operations than a crate may have
/// features: the resource it acts on, the first word after the verb, singular
/// (`DescribeInstances`, `RunInstances` and `DescribeInstanceStatus` → `instance`).
pub fn operation_group(op: &str) -> String {
    let words = split_words(op);
    let noun = words.get(1).or(words.first()).map(|w| w.to_lowercase()).unwrap_or_default();
    singular(&noun)
}

/// A lower-case English plural made singular, for the common endings.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["sses", "xes", "ches", "shes"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_owned();
        }
    }
    if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && word.len() > 3 {
        return word[..word.len() - 1].to_owned();
    }
    word.to_owned()
}

/// A fixed identifier (`message`, `Unhandled`): generated code names it.
pub fn fixed(name: &str) -> Ident {
    Ident::escaped(name.to_owned(), "n", "_value")
}

#[cfg(test)]
mod feature_tests {
    use super::*;

    #[test]
    fn operation_features_and_groups() {
        assert_eq!(operation_feature("DescribeCacheParameters"), "describe-cache-parameters");
        assert_eq!(operation_feature("ListAllowedNodeTypeModifications"), "list-allowed-node-type-modifications");
        for (op, group) in [
            ("DescribeInstances", "instance"),
            ("RunInstances", "instance"),
            ("DescribeInstanceStatus", "instance"),
            ("CreateVolume", "volume"),
            ("DescribeVolumes", "volume"),
            ("DescribeAddresses", "address"),
            ("DescribeIpamPolicies", "ipam"),
            ("DescribeVpcs", "vpc"),
            ("AcceptTransitGatewayVpcAttachment", "transit"),
            ("DescribeStatus", "status"),
        ] {
            assert_eq!(operation_group(op), group, "{op}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let f = |s: &str| field(s).to_string();
        assert_eq!(f("CacheClusterId"), "cache_cluster_id");
        assert_eq!(f("Type"), "r#type");
        assert_eq!(f("Self"), "self_value");
        assert_eq!(f("Builder"), "builder_value");
        assert_eq!(f("New"), "new_value");
        assert_eq!(f("IntoParts"), "into_parts_value");
        assert_eq!(f("WithContext"), "with_context_value");
        assert_eq!(f("Context"), "context_value");
        assert_eq!(f("IPDiscovery"), "ip_discovery");
        assert_eq!(f("PreferredCacheClusterAZs"), "preferred_cache_cluster_azs");
        assert_eq!(f("ARN"), "arn");
        assert_eq!(f("ARNs"), "arns");
        assert_eq!(f("DBProxyName"), "db_proxy_name");
        assert_eq!(f("IAMUser"), "iam_user");
        assert_eq!(f("SupportedIPv6Only"), "supported_ipv6_only");
        assert_eq!(f("TTLSeconds"), "ttl_seconds");
        assert_eq!(f("DynamoDBv2"), "dynamo_dbv2");
        assert_eq!(f("CacheNodeIdsToReboot"), "cache_node_ids_to_reboot");
        assert_eq!(f("s3key"), "s3_key");
        assert_eq!(f("NumCacheNodes"), "num_cache_nodes");
    }

    #[test]
    fn types() {
        let t = |s: &str| type_name(s).to_string();
        assert_eq!(t("String"), "StringValue");
        assert_eq!(t("CacheCluster"), "CacheCluster");
        assert_eq!(t("DBInstance"), "DbInstance");
        assert_eq!(t("IPv6Address"), "IPv6Address");
        assert_eq!(t("AZMode"), "AzMode");
        assert_eq!(t("SlaMet"), "SlaMet");
        assert_eq!(t("KinesisFirehoseDestinationDetails"), "KinesisFirehoseDestinationDetails");
    }

    #[test]
    fn variants() {
        let v = |s: &str| variant(s).to_string();
        assert_eq!(v("immediate"), "Immediate");
        assert_eq!(v("requires-reboot"), "RequiresReboot");
        assert_eq!(v("cache.t2.micro"), "CacheT2Micro");
        assert_eq!(v("5.0"), "V50");
        assert_eq!(v("Unknown"), "UnknownValue");
        assert_eq!(v("ipv4 & ipv6"), "Ipv4Ipv6");
        assert_eq!(v("single-az"), "SingleAz");
    }

    #[test]
    fn derived_names_keep_keywords_apart() {
        assert_eq!(setter(&field("Type")).to_string(), "set_type");
        assert_eq!(builder(&type_name("Tag")).to_string(), "TagBuilder");
        assert_eq!(predicate(&type_name("CacheClusterNotFoundFault")).to_string(), "is_cache_cluster_not_found_fault");
        assert_eq!(items_method(Some("Gadgets.Items")).to_string(), "gadgets_items");
    }
}

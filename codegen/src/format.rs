//! Token streams → formatted Rust source: prettyplease, then a blank line between items, as a
//! person would write them (prettyplease puts none).

use proc_macro2::TokenStream;
use std::collections::BTreeSet;
use syn::spanned::Spanned;

/// Formats one file; `path` only names the file in the error.
pub fn format_file(path: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("{path}: generated code does not parse: {e}"))?;
    let text = prettyplease::unparse(&file);
    Ok(space_items(&text))
}

/// `text` (prettyplease's output) with a blank line before every item but the first of its
/// module, impl or trait — except between items of a run that reads as one block: `use`
/// declarations, `mod name;` declarations, `extern crate`s. The file's first item is set off
/// from its inner attributes. Lines are found from the parsed file's spans, so nothing inside
/// an item (a string, a body) is touched.
fn space_items(text: &str) -> String {
    let Ok(file) = syn::parse_file(text) else { return text.to_owned() };
    let mut blank_before = BTreeSet::new();
    if !file.attrs.is_empty() {
        if let Some(first) = file.items.first() {
            blank_before.insert(first_line(item_attrs(first), first.span()));
        }
    }
    items(&file.items, &mut blank_before);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in text.lines().enumerate() {
        // Span lines count from 1.
        if blank_before.contains(&(i + 1)) && !out.ends_with("\n\n") && !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The lines that get a blank line before them, among `items` and the items inside them.
fn items(items: &[syn::Item], out: &mut BTreeSet<usize>) {
    for pair in items.windows(2) {
        let [a, b] = pair else { continue };
        if !(kind(a).is_some() && kind(a) == kind(b)) {
            out.insert(first_line(item_attrs(b), b.span()));
        }
    }
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    self::items(inner, out);
                }
            }
            syn::Item::Impl(i) => {
                for pair in i.items.windows(2) {
                    let [_, b] = pair else { continue };
                    let attrs = match b {
                        syn::ImplItem::Fn(f) => &f.attrs[..],
                        syn::ImplItem::Const(c) => &c.attrs[..],
                        syn::ImplItem::Type(t) => &t.attrs[..],
                        _ => &[],
                    };
                    out.insert(first_line(attrs, b.span()));
                }
            }
            syn::Item::Trait(t) => {
                for pair in t.items.windows(2) {
                    let [_, b] = pair else { continue };
                    let attrs = match b {
                        syn::TraitItem::Fn(f) => &f.attrs[..],
                        syn::TraitItem::Const(c) => &c.attrs[..],
                        syn::TraitItem::Type(t) => &t.attrs[..],
                        _ => &[],
                    };
                    out.insert(first_line(attrs, b.span()));
                }
            }
            _ => {}
        }
    }
}

/// The kinds of one-line items that stay together in a run.
#[derive(PartialEq, Eq)]
enum Run {
    Use,
    ModDeclaration,
    ExternCrate,
}

fn kind(item: &syn::Item) -> Option<Run> {
    match item {
        syn::Item::Use(_) => Some(Run::Use),
        syn::Item::Mod(m) if m.content.is_none() => Some(Run::ModDeclaration),
        syn::Item::ExternCrate(_) => Some(Run::ExternCrate),
        _ => None,
    }
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::ExternCrate(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The line an item starts on: its first attribute's (doc comments are attributes), else its
/// own.
fn first_line(attrs: &[syn::Attribute], span: proc_macro2::Span) -> usize {
    attrs.first().map_or(span, |a| a.pound_token.span).start().line
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn items_are_set_apart_and_runs_of_declarations_are_not() {
        let tokens = quote! {
            #![forbid(unsafe_code)]
            extern crate a as b;
            mod x;
            mod y;
            use std::fmt;
            use std::io;
            /// A type.
            pub struct S { f: u8 }
            impl S {
                /// One.
                fn one() -> &'static str { "a\nb" }
                fn two() {}
            }
            pub mod inner {
                pub fn a() {}
                pub fn b() {}
            }
        };
        let text = format_file("test.rs", tokens).unwrap();
        let expected = "#![forbid(unsafe_code)]\n\nextern crate a as b;\n\nmod x;\nmod y;\n\nuse std::fmt;\nuse std::io;\n\n\
                        /// A type.\npub struct S {\n    f: u8,\n}\n\nimpl S {\n    /// One.\n    fn one() -> &'static str {\n        \"a\\nb\"\n    }\n\n    \
                        fn two() {}\n}\n\npub mod inner {\n    pub fn a() {}\n\n    pub fn b() {}\n}\n";
        assert_eq!(text, expected);
    }
}

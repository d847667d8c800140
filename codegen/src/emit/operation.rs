//! The operation type of each operation: its request serializer and response parser.

use super::{de, ident, ser};
use crate::ir::names::type_name;
use crate::ir::{Operation, Service};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// `validate_set`: the structures that have a validator ([`super::validate::needs_validation`]).
pub fn operation_type(svc: &Service, op: &Operation, validate_set: &BTreeSet<String>) -> TokenStream {
    let name = format_ident!("{}", type_name(&op.name));
    let input = format_ident!("{}", op.input.rust_name);
    let output = format_ident!("{}", op.output.rust_name);
    let error = format_ident!("{}Error", type_name(&op.name));
    let action = &op.name;
    let method = &op.http_method;
    let uri = &op.request_uri;
    let compression = op.request_compression;
    let unsigned = op.unsigned;
    let doc = super::docs::lines_to_attrs(&format!(
        "The `{action}` operation: how its input becomes a request and a response becomes its\n\
         output or error ([`Operation`](aws_query_runtime::operation::Operation)). Clients use it;\n\
         it is public for custom transports and tests."
    ));
    let ser_members = ser::members(svc, &op.input);
    let (w, input_arg) = if op.input.members.is_empty() { (quote!(_w), quote!(_input)) } else { (quote!(w), quote!(input)) };
    let allow_ser = op.input.has_deprecated().then(|| quote!(#[allow(deprecated)]));
    let allow_de = op.output.has_deprecated().then(|| quote!(#[allow(deprecated)]));
    let validate = super::validate::operation_fn(svc, op, validate_set);
    let read_output = de::read_members(svc, &op.output, quote!(out));
    let read_body = match &op.result_wrapper {
        Some(wrapper) => quote! {
            while let Some(child) = r.next_child()? {
                match child.name() {
                    #wrapper => { #read_output }
                    "ResponseMetadata" => out._request_id = aws_query_runtime::error::read_request_id(r)?,
                    _ => r.skip()?,
                }
            }
        },
        // No output (the IR gives every query operation with an output a wrapper): the root
        // element holds only the response metadata, with the request id.
        None => quote! {
            while let Some(child) = r.next_child()? {
                match child.name() {
                    "ResponseMetadata" => out._request_id = aws_query_runtime::error::read_request_id(r)?,
                    _ => r.skip()?,
                }
            }
        },
    };
    let host_prefix = op.host_prefix.as_ref().map(|p| host_prefix_fn(op, p));

    quote! {
        use super::{#error, #input, #output};

        #doc
        #[derive(Debug, Clone, Copy, Default)]
        #[non_exhaustive]
        pub struct #name;

        impl aws_query_runtime::operation::Operation for #name {
            type Input = #input;
            type Output = #output;
            type Error = #error;

            const INFO: aws_query_runtime::operation::OperationInfo = aws_query_runtime::operation::OperationInfo {
                name: #action,
                version: crate::API_VERSION,
                method: #method,
                uri: #uri,
                request_compression: #compression,
                unsigned: #unsigned,
            };

            #validate

            #allow_ser
            fn serialize(#input_arg: &#input, #w: &mut aws_query_runtime::query::QueryWriter) {
                #ser_members
            }

            #host_prefix

            #allow_de
            fn parse_output(body: &[u8]) -> Result<#output, aws_query_runtime::xml::XmlError> {
                let mut out = #output::default();
                if body.iter().all(u8::is_ascii_whitespace) {
                    // An empty body is an output with nothing set (botocore reads it so too).
                    return Ok(out);
                }
                let r = &mut aws_query_runtime::xml::XmlReader::new(body);
                r.root()?;
                #read_body
                Ok(out)
            }
        }
    }
}

/// `fn host_prefix(input)`: the model's `endpoint.hostPrefix` with `{Member}` labels filled.
fn host_prefix_fn(op: &Operation, template: &str) -> TokenStream {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        let literal = &rest[..open];
        parts.extend(push_literal(literal));
        let label = &rest[open + 1..open + close];
        if let Some(m) = op.input.members.iter().find(|m| m.name == label) {
            let f = ident(&m.field);
            parts.push(quote! {
                let value = input.#f.as_deref().unwrap_or_default();
                if !aws_query_runtime::endpoint_label::is_valid_host_label(value) {
                    return Err(format!("`{}` is not a valid host label for `{}`", value, #label));
                }
                prefix.push_str(value);
            });
        }
        rest = &rest[open + close + 1..];
    }
    parts.extend(push_literal(rest));
    let uses_input = template.contains('{');
    let input_arg = if uses_input { quote!(input) } else { quote!(_input) };
    let input_ty = format_ident!("{}", op.input.rust_name);
    quote! {
        fn host_prefix(#input_arg: &#input_ty) -> Result<Option<String>, String> {
            let mut prefix = String::new();
            #(#parts)*
            Ok(Some(prefix))
        }
    }
}

/// `prefix.push_str("…")` (or `push('…')` for one character); nothing for `""`.
fn push_literal(literal: &str) -> Option<TokenStream> {
    let mut chars = literal.chars();
    match (chars.next(), chars.next()) {
        (None, _) => None,
        (Some(c), None) => Some(quote!(prefix.push(#c);)),
        _ => Some(quote!(prefix.push_str(#literal);)),
    }
}

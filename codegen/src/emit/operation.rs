//! The operation type of each operation: its request serializer and response parser.

use super::{de, ser};
use crate::ir::{HostPart, HostPrefix, Operation, Service};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// `validate_set`: the structures that have a validator ([`super::validate::needs_validation`]).
pub fn operation_type(svc: &Service, op: &Operation, validate_set: &BTreeSet<String>) -> TokenStream {
    let name = &op.type_name;
    let (input, output, error) = (&op.input.rust_name, &op.output.rust_name, &op.error);
    let action = &op.name;
    let method = &op.http_method;
    let uri = &op.request_uri;
    let compression = op.request_compression;
    let unsigned = op.unsigned;
    let doc = super::docs::lines_to_attrs(&format!(
        "The `{action}` operation: how its input becomes a request and a response becomes its\n\
         output or error ([`Operation`](rt::operation::Operation)). Clients use it;\n\
         it is public for custom transports and tests."
    ));
    let ser_members = ser::members(svc, &op.input);
    let (w, input_arg) = if op.input.members.is_empty() { (quote!(_w), quote!(_input)) } else { (quote!(w), quote!(input)) };
    let allow_ser = op.input.has_deprecated().then(|| quote!(#[allow(deprecated)]));
    let allow_de = op.output.has_deprecated().then(|| quote!(#[allow(deprecated)]));
    let validate = super::validate::operation_fn(svc, op, validate_set);
    let wrapper = match &op.result_wrapper {
        Some(w) => quote!(Some(#w)),
        None => quote!(None),
    };
    // The envelope (root, result wrapper, request id) is read by the runtime; the output's
    // members are read by `read_member`, one arm each.
    let has_members = op.output.members.iter().any(|m| !m.xml_attribute);
    let (read, read_member) = if has_members {
        let body = de::output_members(svc, &op.output);
        let read_member = quote! {
            /// Reads one member element of the output; `false` for an element it does not know.
            #allow_de
            fn read_member(r: &mut rt::xml::XmlReader<'_>, name: &str, out: &mut #output) -> Result<bool, rt::xml::XmlError> {
                #body
            }
        };
        (quote!(&mut |r, name| read_member(r, name, &mut out)), read_member)
    } else {
        (quote!(&mut |_, _| Ok(false)), quote!())
    };
    let host_prefix = op.host_prefix.as_ref().map(|p| host_prefix_fn(op, p));

    quote! {
        use super::{#error, #input, #output};

        #doc
        #[derive(Debug, Clone, Copy, Default)]
        #[non_exhaustive]
        pub struct #name;

        impl #name {
            /// The operation, for calling its `Operation` functions directly (the same as
            /// `Default`; aws-sdk-rust's constructor).
            pub fn new() -> Self {
                Self
            }
        }

        impl rt::operation::Operation for #name {
            type Input = #input;
            type Output = #output;
            type Error = #error;

            const INFO: rt::operation::OperationInfo = rt::operation::OperationInfo {
                name: #action,
                version: crate::API_VERSION,
                method: #method,
                uri: #uri,
                request_compression: #compression,
                unsigned: #unsigned,
            };

            #validate

            #allow_ser
            fn serialize(#input_arg: &#input, #w: &mut rt::query::QueryWriter) {
                #ser_members
            }

            #host_prefix

            fn parse_output(body: &[u8]) -> Result<#output, rt::xml::XmlError> {
                let mut out = #output::default();
                let request_id = rt::xml::read_response(body, #wrapper, #read)?;
                out._request_id = request_id;
                Ok(out)
            }
        }

        #read_member
    }
}

/// `fn host_prefix(input)`: the model's `endpoint.hostPrefix` with its labels filled.
fn host_prefix_fn(op: &Operation, prefix: &HostPrefix) -> TokenStream {
    let parts = prefix.parts.iter().map(|part| match part {
        HostPart::Literal(text) => push_literal(text),
        HostPart::Label { member, field } => quote! {
            let value = input.#field.as_deref().unwrap_or_default();
            if !rt::endpoint_label::is_valid_host_label(value) {
                return Err(format!("`{}` is not a valid host label for `{}`", value, #member));
            }
            prefix.push_str(value);
        },
    });
    let uses_input = prefix.parts.iter().any(|p| matches!(p, HostPart::Label { .. }));
    let input_arg = if uses_input { quote!(input) } else { quote!(_input) };
    let input_ty = &op.input.rust_name;
    quote! {
        fn host_prefix(#input_arg: &#input_ty) -> Result<Option<String>, String> {
            let mut prefix = String::new();
            #(#parts)*
            Ok(Some(prefix))
        }
    }
}

/// `prefix.push_str("…")` (or `push('…')` for one character).
fn push_literal(literal: &str) -> TokenStream {
    let mut chars = literal.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => quote!(prefix.push(#c);),
        _ => quote!(prefix.push_str(#literal);),
    }
}

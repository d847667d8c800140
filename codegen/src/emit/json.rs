//! `src/json.rs` (cargo feature `json`): inputs from, and outputs and errors to, the JSON
//! botocore uses for parameters and parsed responses, keyed by model member names.
//!
//! It lets tests and tools drive the generated code the way botocore's suites are written
//! (protocol suites, fixtures parsed by botocore, differential tests), by operation name.
//! Timestamps go out as epoch seconds (a float) and come in as epoch seconds or ISO-8601;
//! blobs as text; non-finite floats as `"NaN"`, `"Infinity"`, `"-Infinity"`.

use super::{ident, rust_type};
use crate::ir::names::bare;
use crate::ir::{NamedKind, Service, Structure, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn json_rs(svc: &Service) -> TokenStream {
    let (from_set, to_set) = super::protocol_sets(svc);
    let mut fns = Vec::new();
    for shape in svc.shapes.values() {
        let NamedKind::Structure(s) = &shape.kind else { continue };
        let ty = rust_type(svc, &Type::Structure(shape.name.clone()));
        let m = bare(&shape.module);
        if from_set.contains(&shape.name) {
            fns.push(from_fn(svc, s, &format_ident!("{}_from_json", m), &ty));
        }
        if to_set.contains(&shape.name) {
            fns.push(to_fn(svc, s, &format_ident!("{}_to_json", m), &ty));
        }
    }
    let mut request_arms = Vec::new();
    let mut response_arms = Vec::new();
    for op in svc.operations.values() {
        let module = ident(&op.snake);
        let op_ty = format_ident!("{}", crate::ir::names::type_name(&op.name));
        let s = bare(&op.snake);
        let (from, to) = (format_ident!("{s}_input_from_json"), format_ident!("{s}_output_to_json"));
        let input_ty = { let i = format_ident!("{}", op.input.rust_name); quote!(crate::operation::#module::#i) };
        let output_ty = { let o = format_ident!("{}", op.output.rust_name); quote!(crate::operation::#module::#o) };
        fns.push(from_fn(svc, &op.input, &from, &input_ty));
        fns.push(to_fn(svc, &op.output, &to, &output_ty));
        let name = &op.name;
        request_arms.push(quote! {
            #name => {
                let input = #from(params)?;
                crate::operation::#module::#op_ty::serialize(&input, &mut w);
            }
        });
        let error_arms = op.errors.iter().map(|key| {
            let e = svc.shape(key);
            let variant = format_ident!("{}", e.rust_name);
            let to_err = format_ident!("{}_to_json", bare(&e.module));
            let error_ty = format_ident!("{}Error", crate::ir::names::type_name(&op.name));
            quote!(crate::operation::#module::#error_ty::#variant(e) => (#to_err(e), e.meta()),)
        });
        let error_ty = format_ident!("{}Error", crate::ir::names::type_name(&op.name));
        response_arms.push(quote! {
            #name => match crate::operation::#module::#op_ty::parse_response(status, body) {
                Ok(out) => Ok(#to(&out)),
                Err(aws_query_runtime::error::ResponseError::Service(err)) => {
                    let (members, meta) = match &err {
                        #(#error_arms)*
                        crate::operation::#module::#error_ty::Unhandled(e) => (Value::Object(Map::new()), e.meta()),
                    };
                    Ok(aws_query_runtime::json::error_json(members, meta))
                }
                Err(e) => Err(e.to_string()),
            },
        });
    }
    quote! {
        //! botocore-style JSON for inputs, outputs and errors, by operation name (feature
        //! `json`): for tests and tools that speak botocore's formats.

        use aws_query_runtime::json::*;
        use serde_json::{Map, Value};

        /// The request body for `operation` with botocore-style `params`. Idempotency
        /// tokens the params leave out come from `token`.
        pub fn request_body(operation: &str, params: &Value, token: fn() -> String) -> Result<String, String> {
            let mut w = aws_query_runtime::query::QueryWriter::new(operation, crate::API_VERSION).with_token_source(token);
            match operation {
                #(#request_arms)*
                other => return Err(format!("unknown operation `{other}`")),
            }
            Ok(w.finish())
        }

        /// Parses a response of `operation` as botocore would: the output's members, or for
        /// an error `{"Error": {"Code", "Message", "Type"}}` beside the error's members.
        /// `Err` when the response cannot be read at all.
        pub fn parse_response(operation: &str, status: u16, body: &[u8]) -> Result<Value, String> {
            match operation {
                #(#response_arms)*
                other => Err(format!("unknown operation `{other}`")),
            }
        }

        #(#fns)*
    }
}

/// `fn x_from_json(v) -> Result<T, String>` for a structure.
fn from_fn(svc: &Service, s: &Structure, name: &proc_macro2::Ident, ty: &TokenStream) -> TokenStream {
    let members = s.members.iter().map(|m| {
        let f = ident(&m.field);
        let key = &m.name;
        let read = from_value(svc, &m.ty, quote!(v), quote!(&at));
        let read = if m.boxed { quote!(Box::new(#read)) } else { read };
        quote! {
            if let Some(v) = field(params, #key) {
                let at = format!("{}.{}", at, #key);
                out.#f = Some(#read);
            }
        }
    });
    let allow = s.has_deprecated().then(|| quote!(#[allow(deprecated)]));
    let (params, at) = if s.members.is_empty() { (quote!(_params), quote!(_at)) } else { (quote!(params), quote!(at)) };
    let body_init = if s.members.is_empty() { quote!(let out) } else { quote!(let mut out) };
    let at_param = if name.to_string().ends_with("_input_from_json") { quote!() } else { quote!(, #at: &str) };
    let at_let = if name.to_string().ends_with("_input_from_json") && !s.members.is_empty() { quote!(let at = "";) } else { quote!() };
    quote! {
        #allow
        fn #name(#params: &Value #at_param) -> Result<#ty, String> {
            #at_let
            #body_init = #ty::default();
            #(#members)*
            Ok(out)
        }
    }
}

fn from_value(svc: &Service, ty: &Type, v: TokenStream, at: TokenStream) -> TokenStream {
    match ty {
        Type::String => quote!(string(#v, #at)?),
        Type::Boolean => quote!(boolean(#v, #at)?),
        Type::Integer => quote!(integer(#v, #at)?),
        Type::Long => quote!(long(#v, #at)?),
        Type::Float => quote!(float(#v, #at)?),
        Type::Double => quote!(double(#v, #at)?),
        Type::Timestamp(_) => quote!(timestamp(#v, #at)?),
        Type::Blob => quote!(blob(#v, #at)?),
        Type::Enum(_) => {
            let t = rust_type(svc, ty);
            quote!(#t::from(string(#v, #at)?.as_str()))
        }
        Type::Structure(key) => {
            let f = format_ident!("{}_from_json", bare(&svc.shape(key).module));
            quote!(#f(#v, #at)?)
        }
        Type::List(l) => {
            let item = from_callable(svc, &l.member);
            quote!(list(#v, #at, #item)?)
        }
        Type::Map(m) => {
            let key = match &m.key {
                Type::Enum(_) => { let t = rust_type(svc, &m.key); quote!(|k: &str| #t::from(k)) }
                _ => quote!(|k: &str| k.to_owned()),
            };
            let value = from_callable(svc, &m.value);
            quote!(map(#v, #at, #key, #value)?)
        }
    }
}

/// A callable `(v, at) -> Result<T, String>`, for list items and map values.
fn from_callable(svc: &Service, ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(string),
        Type::Boolean => quote!(boolean),
        Type::Integer => quote!(integer),
        Type::Long => quote!(long),
        Type::Float => quote!(float),
        Type::Double => quote!(double),
        Type::Timestamp(_) => quote!(timestamp),
        Type::Blob => quote!(blob),
        Type::Structure(key) => {
            let f = format_ident!("{}_from_json", bare(&svc.shape(key).module));
            quote!(#f)
        }
        Type::Enum(_) => {
            let t = rust_type(svc, ty);
            quote!(|v, at| string(v, at).map(|s| #t::from(s.as_str())))
        }
        Type::List(l) => {
            let item = from_callable(svc, &l.member);
            quote!(|v, at| list(v, at, #item))
        }
        Type::Map(_) => {
            let read = from_value(svc, ty, quote!(v), quote!(at));
            quote!(|v, at| Ok(#read))
        }
    }
}

/// `fn x_to_json(v: &T) -> Value` for a structure.
fn to_fn(svc: &Service, s: &Structure, name: &proc_macro2::Ident, ty: &TokenStream) -> TokenStream {
    // botocore reports only modeled members; the generator's own (an error's message) stay out.
    let members = s.members.iter().filter(|m| !m.synthetic).map(|m| {
        let f = ident(&m.field);
        let key = &m.name;
        let value = if m.boxed { quote!(&**v) } else { quote!(v) };
        let write = to_value(svc, &m.ty, value);
        quote! {
            if let Some(v) = &value.#f {
                out.insert(#key.to_owned(), #write);
            }
        }
    });
    let allow = s.has_deprecated().then(|| quote!(#[allow(deprecated)]));
    let (value, init) = if s.members.iter().all(|m| m.synthetic) { (quote!(_value), quote!(let out)) } else { (quote!(value), quote!(let mut out)) };
    quote! {
        #allow
        fn #name(#value: &#ty) -> Value {
            #init = Map::new();
            #(#members)*
            Value::Object(out)
        }
    }
}

fn to_value(svc: &Service, ty: &Type, v: TokenStream) -> TokenStream {
    match ty {
        Type::String => quote!(Value::from(#v.as_str())),
        Type::Boolean | Type::Integer | Type::Long => quote!(Value::from(*#v)),
        Type::Float => quote!(number(f64::from(*#v))),
        Type::Double => quote!(number(*#v)),
        Type::Timestamp(_) => quote!(time_json(#v)),
        Type::Blob => quote!(blob_json(#v)),
        Type::Enum(_) => quote!(Value::from(#v.as_str())),
        Type::Structure(key) => {
            let f = format_ident!("{}_to_json", bare(&svc.shape(key).module));
            quote!(#f(#v))
        }
        Type::List(l) => match &l.member {
            Type::Structure(key) => {
                let f = format_ident!("{}_to_json", bare(&svc.shape(key).module));
                quote!(Value::Array(#v.iter().map(#f).collect()))
            }
            member => {
                let item = to_value(svc, member, quote!(v));
                quote!(Value::Array(#v.iter().map(|v| #item).collect()))
            }
        },
        Type::Map(m) => {
            let value = to_value(svc, &m.value, quote!(v));
            quote!(Value::Object(#v.iter().map(|(k, v)| (k.to_string(), #value)).collect()))
        }
    }
}

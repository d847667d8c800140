//! `src/json.rs` (cargo feature `json`): inputs from, and outputs and errors to, the JSON
//! botocore uses for parameters and parsed responses, keyed by model member names.
//!
//! It lets tests and tools drive the generated code the way botocore's suites are written
//! (protocol suites, fixtures parsed by botocore, differential tests), by operation name.
//! Timestamps go out as ISO-8601 in UTC to the microsecond and come in as epoch seconds or
//! ISO-8601; blobs as text; non-finite floats as `"NaN"`, `"Infinity"`, `"-Infinity"`.

use super::rust_type_in;
use crate::ir::names::{self, Ident};
use crate::ir::{NamedKind, Service, Structure, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// The bridge for `svc`, naming the crate's items from `root`: `crate` when the bridge is a
/// module of the crate, the crate's name when it is a crate of its own.
pub fn json_rs(svc: &Service, root: &TokenStream) -> TokenStream {
    let (from_set, to_set) = svc.protocol_sets();
    let mut fns = Vec::new();
    for shape in svc.shapes.values() {
        let NamedKind::Structure(s) = &shape.kind else { continue };
        let ty = rust_type_in(svc, &Type::Structure(shape.name.clone()), root);
        if from_set.contains(&shape.name) {
            fns.push(from_fn(svc, root, s, &names::from_json(&shape.module), &ty, false));
        }
        if to_set.contains(&shape.name) {
            fns.push(to_fn(svc, s, &names::to_json(&shape.module), &ty));
        }
    }
    let mut request_arms = Vec::new();
    let mut response_arms = Vec::new();
    for op in svc.operations.values() {
        let (module, op_ty) = (&op.module, &op.type_name);
        let (from, to) = (names::input_from_json(&op.module), names::output_to_json(&op.module));
        let (input_ty, output_ty) = (op.input.path_in(root), op.output.path_in(root));
        fns.push(from_fn(svc, root, &op.input, &from, &input_ty, true));
        fns.push(to_fn(svc, &op.output, &to, &output_ty));
        let name = &op.name;
        request_arms.push(quote! {
            #name => {
                type Op = #root::operation::#module::#op_ty;
                let input = #from(params)?;
                let mut w = rt::query::QueryWriter::new(#name, #root::API_VERSION).with_token_source(token);
                Op::serialize(&input, &mut w);
                (Op::INFO, Op::host_prefix(&input)?, w.finish())
            }
        });
        let error_ty = &op.error;
        let error_arms = op.errors.iter().map(|key| {
            let e = svc.shape(key);
            let variant = &e.rust_name;
            let to_err = names::to_json(&e.module);
            quote!(#root::operation::#module::#error_ty::#variant(e) => j::error_json(#to_err(&e), e.meta()),)
        });
        // botocore recognises any error code of the service, listed by the operation or not.
        let service_error = if op.errors.is_empty() {
            quote!(Ok(service_error_json(#root::Error::from(err))))
        } else {
            quote! {
                Ok(match err {
                    #(#error_arms)*
                    unhandled => service_error_json(#root::Error::from(unhandled)),
                })
            }
        };
        response_arms.push(quote! {
            #name => match #root::operation::#module::#op_ty::parse_response(&response) {
                Ok(out) => Ok(#to(&out)),
                Err(rt::error::ParseError::Service(err)) => #service_error,
                Err(e) => Err(e.to_string()),
            },
        });
    }
    let has_errors = svc.errors().next().is_some();
    let service_arms = svc.errors().map(|e| {
        let variant = &e.rust_name;
        let to_err = names::to_json(&e.module);
        quote!(#root::Error::#variant(e) => j::error_json(#to_err(&e), e.meta()),)
    });
    // `Unhandled`, and (outside the crate) whatever a newer crate adds, have no members.
    let service_error_body = if has_errors {
        quote! {
            match e {
                #(#service_arms)*
                other => j::error_json(Value::Object(Map::new()), other.meta()),
            }
        }
    } else {
        quote!(j::error_json(Value::Object(Map::new()), e.meta()))
    };
    let names = svc.operations.values().map(|op| &op.name);
    quote! {
        //! botocore-style JSON for inputs, outputs and errors, by operation name (feature
        //! `json`): for tests and tools that speak botocore's formats.

        use rt::error::ProvideErrorMetadata as _;
        use rt::json as j;
        use serde_json::{Map, Value};

        /// The name of every operation of the crate, as the model spells it.
        pub const OPERATIONS: &[&str] = &[#(#names),*];

        /// The unsigned HTTP request for `operation` with botocore-style `params`, sent to
        /// `endpoint`. Idempotency tokens the params leave out come from `token`.
        pub fn request(
            operation: &str,
            params: &Value,
            endpoint: &str,
            token: fn() -> String,
        ) -> Result<rt::http::HttpRequest, String> {
            use rt::operation::Operation;
            let endpoint = rt::http::Url::parse(endpoint).map_err(|e| e.to_string())?;
            let (info, host_prefix, body): (rt::operation::OperationInfo, Option<String>, String) = match operation {
                #(#request_arms)*
                other => return Err(format!("unknown operation `{other}`")),
            };
            // botocore's default `request_min_compression_size_bytes`.
            let compress_from = info.request_compression.then_some(10_240);
            Ok(rt::query::build_request(&endpoint, info.method, info.uri, host_prefix.as_deref(), body, compress_from))
        }

        /// Parses a response of `operation` as botocore would: the output's members, or for
        /// an error `{"Error": {"Code", "Message", "Type"}}` beside the error's members.
        /// `Err` when the response cannot be read at all.
        pub fn parse_response(operation: &str, status: u16, body: &[u8]) -> Result<Value, String> {
            use rt::operation::Operation;
            let response = rt::http::HttpResponse::new(status, rt::bytes::Bytes::copy_from_slice(body));
            match operation {
                #(#response_arms)*
                other => Err(format!("unknown operation `{other}`")),
            }
        }

        /// An error of the service as botocore reports it.
        fn service_error_json(e: #root::Error) -> Value {
            #service_error_body
        }

        #(#fns)*
    }
}

/// `fn x_from_json(v, at) -> Result<T, String>` for a structure; for an operation's input
/// (`top`), `fn x_from_json(v)`, whose members' paths start at the top.
fn from_fn(svc: &Service, root: &TokenStream, s: &Structure, name: &Ident, ty: &TokenStream, top: bool) -> TokenStream {
    let members = s.members.iter().map(|m| {
        let f = &m.field;
        let key = &m.name;
        let read = from_value(svc, root, &m.ty, quote!(v), quote!(&at));
        let read = if m.boxed { quote!(Box::new(#read)) } else { read };
        quote! {
            if let Some(v) = j::field(params, #key) {
                let at = format!("{}.{}", at, #key);
                out.#f = Some(#read);
            }
        }
    });
    let allow = s.has_deprecated().then(|| quote!(#[allow(deprecated)]));
    let (params, at) = if s.members.is_empty() { (quote!(_params), quote!(_at)) } else { (quote!(params), quote!(at)) };
    let body_init = if s.members.is_empty() { quote!(let out) } else { quote!(let mut out) };
    let at_param = if top { quote!() } else { quote!(, #at: &str) };
    let at_let = if top && !s.members.is_empty() { quote!(let at = "";) } else { quote!() };
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

fn from_value(svc: &Service, root: &TokenStream, ty: &Type, v: TokenStream, at: TokenStream) -> TokenStream {
    match ty {
        Type::String => quote!(j::string(#v, #at)?),
        Type::Boolean => quote!(j::boolean(#v, #at)?),
        Type::Integer => quote!(j::integer(#v, #at)?),
        Type::Long => quote!(j::long(#v, #at)?),
        Type::Float => quote!(j::float(#v, #at)?),
        Type::Double => quote!(j::double(#v, #at)?),
        Type::Timestamp(_) => quote!(j::timestamp(#v, #at)?),
        Type::Blob => quote!(j::blob(#v, #at)?),
        Type::Enum(_) => {
            let t = rust_type_in(svc, ty, root);
            quote!(#t::from(j::string(#v, #at)?.as_str()))
        }
        Type::Structure(key) => {
            let f = names::from_json(&svc.shape(key).module);
            quote!(#f(#v, #at)?)
        }
        Type::List(l) => {
            let item = from_callable(svc, root, &l.member);
            quote!(j::list(#v, #at, #item)?)
        }
        Type::Map(m) => {
            let key = match &m.key {
                Type::Enum(_) => { let t = rust_type_in(svc, &m.key, root); quote!(|k: &str| #t::from(k)) }
                _ => quote!(|k: &str| k.to_owned()),
            };
            let value = from_callable(svc, root, &m.value);
            quote!(j::map(#v, #at, #key, #value)?)
        }
    }
}

/// A callable `(v, at) -> Result<T, String>`, for list items and map values.
fn from_callable(svc: &Service, root: &TokenStream, ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(j::string),
        Type::Boolean => quote!(j::boolean),
        Type::Integer => quote!(j::integer),
        Type::Long => quote!(j::long),
        Type::Float => quote!(j::float),
        Type::Double => quote!(j::double),
        Type::Timestamp(_) => quote!(j::timestamp),
        Type::Blob => quote!(j::blob),
        Type::Structure(key) => {
            let f = names::from_json(&svc.shape(key).module);
            quote!(#f)
        }
        Type::Enum(_) => {
            let t = rust_type_in(svc, ty, root);
            quote!(|v, at| j::string(v, at).map(|s| #t::from(s.as_str())))
        }
        Type::List(l) => {
            let item = from_callable(svc, root, &l.member);
            quote!(|v, at| j::list(v, at, #item))
        }
        Type::Map(_) => {
            let read = from_value(svc, root, ty, quote!(v), quote!(at));
            quote!(|v, at| Ok(#read))
        }
    }
}

/// `fn x_to_json(v: &T) -> Value` for a structure.
fn to_fn(svc: &Service, s: &Structure, name: &Ident, ty: &TokenStream) -> TokenStream {
    // botocore reports only modeled members; the generator's own (an error's message) stay out.
    let members = s.members.iter().filter(|m| !m.synthetic).map(|m| {
        let f = &m.field;
        let key = &m.name;
        // A boxed structure derefs to the `&T` its converter takes.
        let write = to_value(svc, &m.ty, quote!(v));
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
        Type::Float => quote!(j::float_number(*#v)),
        Type::Double => quote!(j::number(*#v)),
        Type::Timestamp(_) => quote!(j::time_json(#v)),
        Type::Blob => quote!(j::blob_json(#v)),
        Type::Enum(_) => quote!(Value::from(#v.as_str())),
        Type::Structure(key) => {
            let f = names::to_json(&svc.shape(key).module);
            quote!(#f(#v))
        }
        Type::List(l) => match &l.member {
            Type::Structure(key) => {
                let f = names::to_json(&svc.shape(key).module);
                quote!(Value::Array(#v.iter().map(#f).collect()))
            }
            Type::Timestamp(_) => quote!(Value::Array(#v.iter().map(j::time_json).collect())),
            Type::Blob => quote!(Value::Array(#v.iter().map(j::blob_json).collect())),
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

//! Query- and ec2-protocol serializers: type-specialized code that walks an input and drives the
//! runtime's `QueryWriter`.

use super::protocol_fn;
use crate::ir::{Member, Service, Structure, TimestampFormat, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// `fn ser(w, input)` for one structure: its members in model order.
pub fn structure_fn(svc: &Service, s: &Structure) -> TokenStream {
    let ty = s.path();
    let body = members(svc, s);
    let allow = s.has_deprecated().then(|| quote!(#[allow(deprecated)]));
    let w = if s.members.is_empty() { quote!(_w) } else { quote!(w) };
    let input = if s.members.is_empty() { quote!(_input) } else { quote!(input) };
    quote! {
        #allow
        pub(crate) fn ser(#w: &mut rt::query::QueryWriter, #input: &#ty) {
            #body
        }
    }
}

/// The statements that write every member of `s` from `input` into `w`.
pub fn members(svc: &Service, s: &Structure) -> TokenStream {
    let members = s.members.iter().map(|m| member(svc, m));
    quote! { #(#members)* }
}

/// One statement per member: `w.string_member("Name", input.name.as_deref());`.
fn member(svc: &Service, m: &Member) -> TokenStream {
    let f = &m.field;
    let name = &m.query_name;
    if m.idempotency_token {
        return quote!(w.token_member(#name, input.#f.as_deref());)
    }
    let format = |f: &TimestampFormat| match f {
        TimestampFormat::UnixTimestamp => quote!(EpochSeconds),
        TimestampFormat::Rfc822 => quote!(HttpDate),
        TimestampFormat::Iso8601 | TimestampFormat::Default => quote!(Iso8601),
    };
    match &m.ty {
        Type::String => quote!(w.string_member(#name, input.#f.as_deref());),
        Type::Enum(_) => quote!(w.string_member(#name, input.#f.as_ref());),
        Type::Boolean => quote!(w.bool_member(#name, input.#f);),
        Type::Integer | Type::Long => quote!(w.int_member(#name, input.#f);),
        Type::Float => quote!(w.f32_member(#name, input.#f);),
        Type::Double => quote!(w.f64_member(#name, input.#f);),
        Type::Blob => quote!(w.blob_member(#name, input.#f.as_ref());),
        Type::Timestamp(t) => {
            let t = format(t);
            quote!(w.timestamp_member(#name, input.#f.as_ref(), rt::query::TimestampFormat::#t);)
        }
        // A boxed structure derefs to the `&T` its serializer takes.
        Type::Structure(key) => {
            let ser = protocol_fn(svc, key, "ser");
            let value = if m.boxed { quote!(as_deref) } else { quote!(as_ref) };
            quote!(w.member(#name, input.#f.#value(), #ser);)
        }
        Type::List(_) | Type::Map(_) => {
            let write = write_value(svc, &m.ty, quote!(v));
            quote!(w.member(#name, input.#f.as_ref(), |w, v| #write);)
        }
    }
}

/// A statement writing `value` (a reference) at the writer's current name.
fn write_value(svc: &Service, ty: &Type, value: TokenStream) -> TokenStream {
    match ty {
        Type::String => quote!(w.string(#value)),
        Type::Boolean => quote!(w.bool(*#value)),
        Type::Integer => quote!(w.i64(i64::from(*#value))),
        Type::Long => quote!(w.i64(*#value)),
        Type::Float => quote!(w.f32(*#value)),
        Type::Double => quote!(w.f64(*#value)),
        Type::Timestamp(TimestampFormat::UnixTimestamp) => quote!(w.timestamp_epoch_seconds(#value)),
        Type::Timestamp(TimestampFormat::Rfc822) => quote!(w.timestamp_http_date(#value)),
        Type::Timestamp(_) => quote!(w.timestamp_iso8601(#value)),
        Type::Blob => quote!(w.blob(#value)),
        Type::Enum(_) => quote!(w.string(#value.as_str())),
        Type::Structure(key) => {
            let f = protocol_fn(svc, key, "ser");
            quote!(#f(w, #value))
        }
        Type::List(l) => {
            let item = write_fn(svc, &l.member);
            match &l.query_item {
                Some(n) => quote!(w.list(Some(#n), #value, #item)),
                None if l.query_empty => quote!(w.list(None, #value, #item)),
                None => quote!(w.list_or_nothing(#value, #item)),
            }
        }
        Type::Map(m) => {
            let (k, v) = (&m.key_name, &m.value_name);
            let entry = if m.flattened { quote!(None) } else { quote!(Some("entry")) };
            let key = write_fn(svc, &m.key);
            let val = write_fn(svc, &m.value);
            quote!(w.map(#entry, #k, #v, #value, #key, #val))
        }
    }
}

/// A callable `(w, &T)` that writes one value, for lists and maps.
fn write_fn(svc: &Service, ty: &Type) -> TokenStream {
    match ty {
        Type::Structure(key) => protocol_fn(svc, key, "ser"),
        _ => {
            let write = write_value(svc, ty, quote!(v));
            quote!(|w, v| #write)
        }
    }
}

//! Query-protocol (XML) deserializers: type-specialized code that pulls a response straight
//! into the output types through the runtime's `XmlReader`.

use super::{protocol_fn, rust_type};
use crate::ir::{Member, Role, Service, Structure, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// `fn de(r)` for one structure, reading the children of the element just entered.
pub fn structure_fn(svc: &Service, s: &Structure) -> TokenStream {
    let ty = s.path();
    let body = read_members(svc, s, quote!(out));
    let allow = s.has_deprecated().then(|| quote!(#[allow(deprecated)]));
    // An error shape is read from an error document whose metadata is already known; the
    // operations' error enums call this, one line per error they list.
    let de_error = (s.role == Role::Error).then(|| {
        quote! {
            /// Reads the error document of this error, whose metadata has been read already.
            pub(crate) fn de_error(
                meta: rt::error::ErrorMetadata,
                body: &[u8],
            ) -> Result<#ty, rt::error::Unhandled> {
                let (mut r, meta) = rt::error::modeled_error_reader(meta, body)?;
                match de(&mut r) {
                    Ok(mut e) => {
                        e.meta = meta;
                        Ok(e)
                    }
                    Err(err) => Err(rt::error::Unhandled::with_source(meta, err)),
                }
            }
        }
    });
    quote! {
        #allow
        pub(crate) fn de(r: &mut rt::xml::XmlReader<'_>) -> Result<#ty, rt::xml::XmlError> {
            let mut out = #ty::default();
            #body
            Ok(out)
        }
        #de_error
    }
}

/// Statements filling `target`'s fields from the element just entered: attributes first,
/// then one match arm per member element; unknown elements are skipped.
pub fn read_members(svc: &Service, s: &Structure, target: TokenStream) -> TokenStream {
    let attributes = s.members.iter().filter(|m| m.xml_attribute).map(|m| {
        let f = &m.field;
        let name = &m.wire_name;
        let convert = from_text(&m.ty);
        quote! {
            if let Some(text) = r.attribute(#name) {
                #target.#f = Some(#convert);
            }
        }
    });
    let arms = s.members.iter().filter(|m| !m.xml_attribute).map(|m| member_arm(svc, m, &target));
    let loop_ = if s.members.iter().any(|m| !m.xml_attribute) {
        quote! {
            while let Some(child) = r.next_child()? {
                match child.name() {
                    #(#arms)*
                    _ => r.skip()?,
                }
            }
        }
    } else {
        quote!(r.skip()?;)
    };
    quote! {
        #(#attributes)*
        #loop_
    }
}

/// The body of the runtime's `read_response` callback for an operation's output: one arm
/// per member element of the result wrapper (`name` is the element's), `false` for others.
pub fn output_members(svc: &Service, s: &Structure) -> TokenStream {
    let target = quote!(out);
    let arms = s.members.iter().filter(|m| !m.xml_attribute).map(|m| member_arm(svc, m, &target));
    quote! {
        match name {
            #(#arms)*
            _ => return Ok(false),
        }
        Ok(true)
    }
}

fn member_arm(svc: &Service, m: &Member, target: &TokenStream) -> TokenStream {
    let f = &m.field;
    let name = &m.wire_name;
    match &m.ty {
        // A flattened list: every occurrence of the element is one item.
        Type::List(l) if l.flattened => {
            let item = read_value(svc, &l.member);
            quote!(#name => #target.#f.get_or_insert_with(Vec::new).push(#item),)
        }
        // A flattened map: every occurrence of the element is one entry.
        Type::Map(map) if map.flattened => {
            let (k, v) = (&map.key_name, &map.value_name);
            let key = read_fn(svc, &map.key);
            let value = read_fn(svc, &map.value);
            quote! {
                #name => {
                    if let Some((k, v)) = r.map_entry(#k, #v, #key, #value)? {
                        #target.#f.get_or_insert_with(Default::default).insert(k, v);
                    }
                }
            }
        }
        _ => {
            let value = read_value(svc, &m.ty);
            let value = if m.boxed { quote!(Box::new(#value)) } else { value };
            quote!(#name => #target.#f = Some(#value),)
        }
    }
}

/// An expression reading the element just entered as `ty` (propagating errors with `?`).
fn read_value(svc: &Service, ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(r.string()?),
        Type::Boolean => quote!(r.bool()?),
        Type::Integer => quote!(r.i32()?),
        Type::Long => quote!(r.i64()?),
        Type::Float => quote!(r.f32()?),
        Type::Double => quote!(r.f64()?),
        Type::Timestamp(_) => quote!(r.timestamp()?),
        Type::Blob => quote!(r.blob()?),
        Type::Enum(_) => {
            let t = rust_type(svc, ty);
            quote!(#t::from(r.text()?.as_ref()))
        }
        Type::Structure(key) => {
            let f = protocol_fn(svc, key, "de");
            quote!(#f(r)?)
        }
        Type::List(l) => {
            let item = read_fn(svc, &l.member);
            quote!(r.list(#item)?)
        }
        Type::Map(m) => {
            let (k, v) = (&m.key_name, &m.value_name);
            let key = read_fn(svc, &m.key);
            let value = read_fn(svc, &m.value);
            quote!(r.map(#k, #v, #key, #value)?)
        }
    }
}

/// A callable `(r) -> Result<T, XmlError>` reading one value, for lists and maps.
fn read_fn(svc: &Service, ty: &Type) -> TokenStream {
    let reader = quote!(rt::xml::XmlReader);
    match ty {
        Type::String => quote!(#reader::string),
        Type::Boolean => quote!(#reader::bool),
        Type::Integer => quote!(#reader::i32),
        Type::Long => quote!(#reader::i64),
        Type::Float => quote!(#reader::f32),
        Type::Double => quote!(#reader::f64),
        Type::Timestamp(_) => quote!(#reader::timestamp),
        Type::Blob => quote!(#reader::blob),
        Type::Structure(key) => protocol_fn(svc, key, "de"),
        Type::Enum(_) => {
            let t = rust_type(svc, ty);
            quote!(|r| r.text().map(|t| #t::from(t.as_ref())))
        }
        Type::List(l) => {
            let item = read_fn(svc, &l.member);
            quote!(|r| r.list(#item))
        }
        Type::Map(m) => {
            let (k, v) = (&m.key_name, &m.value_name);
            let key = read_fn(svc, &m.key);
            let value = read_fn(svc, &m.value);
            quote!(|r| r.map(#k, #v, #key, #value))
        }
    }
}

/// Converts attribute text (`text`, a `String`) to `ty`; only scalars appear as attributes.
fn from_text(ty: &Type) -> TokenStream {
    match ty {
        Type::Enum(_) => quote!(text.as_str().into()),
        Type::Boolean => quote!(text == "true"),
        Type::Integer | Type::Long | Type::Float | Type::Double => {
            quote!(text.trim().parse().map_err(|_| r.error(format!("attribute value `{text}` is not a number")))?)
        }
        Type::Timestamp(_) => {
            quote!(rt::time::parse_timestamp(text.trim()).map_err(|m| r.error(format!("attribute value `{text}` is not {m}")))?)
        }
        _ => quote!(text),
    }
}

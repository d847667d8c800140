//! Structures (with builders and accessors) and enums, for `types/` and `operation/`.
//!
//! The public shape follows aws-sdk-rust so that switching crates is a rename: public
//! `Option` fields, accessors (`&[T]` for lists, `Option<&str>` for strings), a builder with
//! `x(..)`, `set_x(..)`, `get_x()` per member, `#[non_exhaustive]` everywhere.

use super::docs::{doc_attrs, lines_to_attrs};
use super::rust_type;
use crate::ir::{Deprecation, Enum, Member, NamedShape, Role, Service, Structure, Type};
use proc_macro2::TokenStream;
use quote::quote;

const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// A structure, its accessors and its builder. The builder holds the structure it builds
/// (`inner`), so fields are declared once; an input's builder also carries a context: `()`
/// for the plain builder, the client for the operation's fluent builder (`<Op>FluentBuilder`
/// is this type with a client context), so the setters exist once for both.
pub fn structure(svc: &Service, s: &Structure, docs: Option<&str>, deprecated: Option<&Deprecation>) -> TokenStream {
    let name = &s.rust_name;
    let builder = &s.builder;
    let builder_path = s.builder_path();
    let docs = doc_attrs(docs);
    let deprecated = deprecated_attr(deprecated);
    let fields = s.members.iter().map(|m| field(svc, m));
    let accessors = s.members.iter().map(|m| match s.role {
        Role::Error if is_error_message(m) => error_message_accessor(m),
        _ => accessor(svc, m),
    });
    let setters = s.members.iter().map(|m| setters(svc, m, &quote!(self.inner)));
    let rt = quote!(rt);
    // Fields the protocol fills, not the user: the request id of outputs, error metadata.
    let (extra_field, extra_impls, extra_setters) = match s.role {
        Role::Output => (
            quote!(pub(crate) _request_id: Option<String>,),
            quote! {
                impl #rt::RequestId for #name {
                    fn request_id(&self) -> Option<&str> {
                        self._request_id.as_deref()
                    }
                }
            },
            quote!(),
        ),
        // Error files import the error module's names (`errors::error_struct_imports`).
        Role::Error => (
            quote!(pub(crate) meta: ErrorMetadata,),
            quote!(),
            quote! {
                /// Sets the error metadata (code, message, request id), for errors made in tests.
                pub fn meta(mut self, meta: ErrorMetadata) -> Self {
                    self.inner.meta = meta;
                    self
                }

                /// Sets or clears the error metadata.
                pub fn set_meta(mut self, meta: Option<ErrorMetadata>) -> Self {
                    self.inner.meta = meta.unwrap_or_default();
                    self
                }
            },
        ),
        Role::Data | Role::Input => (quote!(), quote!(), quote!()),
    };
    let derive_debug = if s.has_sensitive() { quote!() } else { quote!(Debug,) };
    let debug_impl = s.has_sensitive().then(|| redacted_debug(name, &s.members));
    let builder_doc = format!(" A builder for [`{}`].", s.rust_name);
    let new_doc = format!(" Creates a new builder for [`{}`].", s.rust_name);
    let build_doc = format!(" Consumes the builder and constructs a [`{}`].", s.rust_name);
    let builder_and_build = if s.role == Role::Input {
        quote! {
            #[doc = #builder_doc]
            #[non_exhaustive]
            #[derive(Clone, Debug, PartialEq, Default)]
            pub struct #builder<C = ()> {
                pub(crate) inner: #name,
                pub(crate) context: C,
            }

            impl<C> #builder<C> {
                #(#setters)*
            }

            impl #builder {
                #[doc = #build_doc]
                pub fn build(self) -> Result<#name, #rt::error::BuildError> {
                    Ok(self.inner)
                }
            }
        }
    } else {
        quote! {
            #[doc = #builder_doc]
            #[non_exhaustive]
            #[derive(Clone, Debug, PartialEq, Default)]
            pub struct #builder {
                pub(crate) inner: #name,
            }

            impl #builder {
                #(#setters)*
                #extra_setters

                #[doc = #build_doc]
                pub fn build(self) -> #name {
                    self.inner
                }
            }
        }
    };

    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, #derive_debug PartialEq, Default)]
        pub struct #name {
            #(#fields)*
            #extra_field
        }

        impl #name {
            #(#accessors)*

            #[doc = #new_doc]
            pub fn builder() -> #builder_path {
                #builder_path::default()
            }
        }

        #builder_and_build
        #debug_impl
        #extra_impls
    }
}

/// The type a field stores inside its `Option`.
pub(crate) fn stored_type(svc: &Service, m: &Member) -> TokenStream {
    let ty = rust_type(svc, &m.ty);
    if m.boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

fn field(svc: &Service, m: &Member) -> TokenStream {
    let f = &m.field;
    let ty = stored_type(svc, m);
    let docs = member_docs(m);
    let deprecated = deprecated_attr(m.deprecated.as_ref());
    quote! {
        #docs
        #deprecated
        pub #f: Option<#ty>,
    }
}

pub(crate) fn member_docs(m: &Member) -> TokenStream {
    let mut docs = doc_attrs(m.docs.as_deref());
    if m.required {
        let note = if docs.is_empty() { "This member is required." } else { "\nThis member is required." };
        docs.extend(lines_to_attrs(note));
    }
    docs
}

/// A `message` member of an error shape. The service sends the message as the error
/// document's `<Message>`, which the member's (lowercase) name does not match.
fn is_error_message(m: &Member) -> bool {
    matches!(m.ty, Type::String) && m.name.eq_ignore_ascii_case("message")
}

/// Like aws-sdk-rust, an error's `message()` falls back to the error document's message;
/// the field keeps what the member itself carried.
fn error_message_accessor(m: &Member) -> TokenStream {
    let f = &m.field;
    let docs = accessor_doc(m, "; when it is not set, the message of the error document");
    let deprecated = deprecated_method_attr(m.deprecated.as_ref());
    quote! {
        #docs
        #deprecated
        pub fn #f(&self) -> Option<&str> {
            self.#f.as_deref().or(self.meta.message())
        }
    }
}

/// One line: the member is documented once, on its field.
fn accessor_doc(m: &Member, more: &str) -> TokenStream {
    let doc = format!(" The [`{f}`](Self::{f}) field{more}.", f = m.field.as_str());
    quote!(#[doc = #doc])
}

fn accessor(svc: &Service, m: &Member) -> TokenStream {
    let f = &m.field;
    let docs = accessor_doc(m, "");
    let deprecated = deprecated_method_attr(m.deprecated.as_ref());
    let (ret, body) = match &m.ty {
        Type::String => (quote!(Option<&str>), quote!(self.#f.as_deref())),
        Type::Boolean | Type::Integer | Type::Long | Type::Float | Type::Double => {
            let ty = rust_type(svc, &m.ty);
            (quote!(Option<#ty>), quote!(self.#f))
        }
        Type::List(l) => {
            let item = rust_type(svc, &l.member);
            let more = format!(", empty if it was not set (`.{}.is_none()` tells the two apart)", m.field.as_str());
            let docs = accessor_doc(m, &more);
            return quote! {
                #docs
                #deprecated
                pub fn #f(&self) -> &[#item] {
                    self.#f.as_deref().unwrap_or_default()
                }
            };
        }
        _ if m.boxed => {
            let ty = rust_type(svc, &m.ty);
            (quote!(Option<&#ty>), quote!(self.#f.as_deref()))
        }
        _ => {
            let ty = rust_type(svc, &m.ty);
            (quote!(Option<&#ty>), quote!(self.#f.as_ref()))
        }
    };
    quote! {
        #docs
        #deprecated
        pub fn #f(&self) -> #ret {
            #body
        }
    }
}

/// `x`, `set_x` and `get_x` of member `m`, for a builder whose fields are at `place`:
/// `self` for a structure's builder, `self.inner` for a waiter's, which wraps the input
/// builder. One function for both keeps their signatures alike.
pub(crate) fn setters(svc: &Service, m: &Member, place: &TokenStream) -> TokenStream {
    let f = &m.field;
    let (set, get) = (&m.set, &m.get);
    let docs = member_docs(m);
    let deprecated = deprecated_method_attr(m.deprecated.as_ref());
    let stored = stored_type(svc, m);
    // An empty line between the generator's sentence and the member's docs, if it has any.
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    let main = match &m.ty {
        Type::List(l) => {
            let item = rust_type(svc, &l.member);
            let doc = format!(" Appends an item to `{}`; use [`Self::{set}`] to replace the whole list.", f.as_str());
            quote! {
                #[doc = #doc]
                #separator
                #docs
                #deprecated
                pub fn #f(mut self, input: impl Into<#item>) -> Self {
                    #place.#f.get_or_insert_with(Vec::new).push(input.into());
                    self
                }
            }
        }
        Type::Map(map) => {
            let k = rust_type(svc, &map.key);
            let v = rust_type(svc, &map.value);
            let doc = format!(" Inserts a key-value pair into `{}`; use [`Self::{set}`] to replace the whole map.", f.as_str());
            quote! {
                #[doc = #doc]
                #separator
                #docs
                #deprecated
                pub fn #f(mut self, k: impl Into<#k>, v: impl Into<#v>) -> Self {
                    #place.#f.get_or_insert_with(Default::default).insert(k.into(), v.into());
                    self
                }
            }
        }
        _ => {
            let ty = rust_type(svc, &m.ty);
            let value = if m.boxed { quote!(Box::new(input.into())) } else { quote!(input.into()) };
            quote! {
                #docs
                #deprecated
                pub fn #f(mut self, input: impl Into<#ty>) -> Self {
                    #place.#f = Some(#value);
                    self
                }
            }
        }
    };
    let set_doc = format!(" Sets or clears [`{f}`](Self::{f}).", f = f.as_str());
    let get_doc = format!(" What [`{f}`](Self::{f}) set so far.", f = f.as_str());
    quote! {
        #main

        #[doc = #set_doc]
        #deprecated
        pub fn #set(mut self, input: Option<#stored>) -> Self {
            #place.#f = input;
            self
        }

        #[doc = #get_doc]
        #deprecated
        pub fn #get(&self) -> &Option<#stored> {
            &#place.#f
        }
    }
}

/// `Debug` that prints sensitive members as a placeholder (builders print their structure
/// with it).
fn redacted_debug(name: &crate::ir::Ident, members: &[Member]) -> TokenStream {
    let name_str = name.as_str();
    let fields = members.iter().map(|m| {
        let f = &m.field;
        let label = m.field.as_str();
        if m.sensitive {
            quote! { s.field(#label, &#REDACTED); }
        } else {
            quote! { s.field(#label, &self.#f); }
        }
    });
    let allow = members.iter().any(|m| m.deprecated.is_some()).then(|| quote!(#[allow(deprecated)]));
    quote! {
        impl std::fmt::Debug for #name {
            #allow
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut s = f.debug_struct(#name_str);
                #(#fields)*
                s.finish_non_exhaustive()
            }
        }
    }
}

pub(crate) fn deprecated_attr(d: Option<&Deprecation>) -> TokenStream {
    match d {
        Some(Deprecation { message: Some(m) }) => quote!(#[deprecated(note = #m)]),
        Some(Deprecation { message: None }) => quote!(#[deprecated]),
        None => quote!(),
    }
}

/// For methods of a deprecated member: deprecated themselves, and allowed to touch the
/// deprecated field they wrap (rustc warns even inside a deprecated method).
pub(crate) fn deprecated_method_attr(d: Option<&Deprecation>) -> TokenStream {
    match d {
        Some(_) => {
            let attr = deprecated_attr(d);
            quote!(#attr #[allow(deprecated)])
        }
        None => quote!(),
    }
}

/// A string enum with one variant per value and a catch-all that round-trips.
pub fn enumeration(shape: &NamedShape, e: &Enum) -> TokenStream {
    let name = &shape.rust_name;
    let docs = doc_attrs(shape.docs.as_deref());
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let variants: Vec<_> = e.variants.iter().map(|v| &v.rust_name).collect();
    let values: Vec<_> = e.variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = values.iter().map(|v| format!(" `{v}`"));
    let example = &e.variants[0];
    let overview = format!(
        " Values this version of the crate does not know are kept in [`{0}::Unknown`]; \
         `{0}::from(\"{1}\")` gives [`{0}::{2}`], any other string an `Unknown` that \
         [`as_str`]({0}::as_str) gives back unchanged.",
        shape.rust_name,
        example.value.replace('"', "\\\""),
        example.rust_name
    );
    // A blank line between the model's docs and ours, and none when there are no docs.
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    quote! {
        #docs
        #separator
        #[doc = #overview]
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #variants,
            )*
            /// A value not in the model this crate was generated from.
            Unknown(crate::primitives::UnknownVariantValue),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#variants => #values, )*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            /// Every value the model defines.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        impl From<&str> for #name {
            fn from(s: &str) -> Self {
                match s {
                    #( #values => #name::#variants, )*
                    other => #name::Unknown(crate::primitives::UnknownVariantValue::new(other)),
                }
            }
        }

        rt::enum_impls!(#name);
    }
}

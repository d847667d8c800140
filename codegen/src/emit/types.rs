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

/// A structure, its accessors and its builder.
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
    let builder_fields = s.members.iter().map(|m| {
        let f = &m.field;
        let ty = stored_type(svc, m);
        quote! { pub(crate) #f: Option<#ty>, }
    });
    let setters = s.members.iter().map(|m| setters(svc, m, &quote!(self)));
    let field_names = s.members.iter().map(|m| &m.field);
    // Fields the protocol fills, not the user: the request id of outputs, error metadata.
    let (extra_field, extra_init, extra_impls) = match s.role {
        Role::Output => (
            quote!(pub(crate) _request_id: Option<String>,),
            quote!(_request_id: None,),
            quote! {
                impl aws_query_runtime::RequestId for #name {
                    fn request_id(&self) -> Option<&str> {
                        self._request_id.as_deref()
                    }
                }
            },
        ),
        Role::Error => (
            quote!(pub(crate) meta: aws_query_runtime::error::ErrorMetadata,),
            quote!(meta: Default::default(),),
            super::errors::error_struct_impls(s),
        ),
        Role::Data | Role::Input => (quote!(), quote!(), quote!()),
    };
    let allow_deprecated = s.has_deprecated().then(|| quote! { #[allow(deprecated)] });
    let derive_debug = if s.has_sensitive() { quote!() } else { quote!(Debug,) };
    // An input's builder carries a context: `()` for the plain builder, the client for the
    // operation's fluent builder (`<Op>FluentBuilder` is this type with a client context), so
    // the setters exist once for both.
    let contextual = s.role == Role::Input;
    let (params, context_field) = if contextual {
        (quote!(<C = ()>), quote!(pub(crate) context: C,))
    } else {
        (quote!(), quote!())
    };
    let debug_impls = s.has_sensitive().then(|| {
        let struct_debug = redacted_debug(name, &quote!(), &s.members);
        let generics = if contextual { quote!(<C>) } else { quote!() };
        let builder_debug = redacted_debug(builder, &generics, &s.members);
        quote! { #struct_debug #builder_debug }
    });
    let builder_doc = format!(" A builder for [`{}`].", s.rust_name);
    let new_doc = format!(" Creates a new builder for [`{}`].", s.rust_name);
    let build_doc = format!(" Consumes the builder and constructs a [`{}`].", s.rust_name);
    let field_names: Vec<_> = field_names.collect();
    let build = if contextual {
        quote! {
            impl<C> #builder<C> {
                #(#setters)*

                /// An empty builder carrying `context` (how a client attaches itself).
                pub(crate) fn with_context(context: C) -> Self {
                    #builder { #(#field_names: None,)* context }
                }

                /// The input built so far, and the context.
                #allow_deprecated
                pub(crate) fn into_parts(self) -> (#name, C) {
                    (#name { #(#field_names: self.#field_names,)* }, self.context)
                }
            }

            impl #builder {
                #[doc = #build_doc]
                pub fn build(self) -> #name {
                    self.into_parts().0
                }
            }
        }
    } else {
        quote! {
            impl #builder {
                #(#setters)*

                #[doc = #build_doc]
                #allow_deprecated
                pub fn build(self) -> #name {
                    #name {
                        #(#field_names: self.#field_names,)*
                        #extra_init
                    }
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

        #[doc = #builder_doc]
        #[non_exhaustive]
        #[derive(Clone, #derive_debug PartialEq, Default)]
        pub struct #builder #params {
            #(#builder_fields)*
            #context_field
        }

        #build

        #debug_impls
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
    let docs = member_docs(m);
    let deprecated = deprecated_method_attr(m.deprecated.as_ref());
    quote! {
        #docs
        #[doc = ""]
        #[doc = " When the member is not set, the message of the error document."]
        #deprecated
        pub fn #f(&self) -> Option<&str> {
            self.#f.as_deref().or(self.meta.message())
        }
    }
}

fn accessor(svc: &Service, m: &Member) -> TokenStream {
    let f = &m.field;
    let docs = member_docs(m);
    let deprecated = deprecated_method_attr(m.deprecated.as_ref());
    let (ret, body) = match &m.ty {
        Type::String => (quote!(Option<&str>), quote!(self.#f.as_deref())),
        Type::Boolean | Type::Integer | Type::Long | Type::Float | Type::Double => {
            let ty = rust_type(svc, &m.ty);
            (quote!(Option<#ty>), quote!(self.#f))
        }
        Type::List(l) => {
            let item = rust_type(svc, &l.member);
            let doc = format!(" Empty if the value was not set; `.{}.is_none()` tells the two apart.", m.field.as_str());
            return quote! {
                #docs
                #[doc = ""]
                #[doc = #doc]
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
    let main = match &m.ty {
        Type::List(l) => {
            let item = rust_type(svc, &l.member);
            let doc = format!(" Appends an item to `{}`; use [`Self::{set}`] to replace the whole list.", f.as_str());
            quote! {
                #[doc = #doc]
                #[doc = ""]
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
                #[doc = ""]
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
    quote! {
        #main

        #docs
        #deprecated
        pub fn #set(mut self, input: Option<#stored>) -> Self {
            #place.#f = input;
            self
        }

        #docs
        #deprecated
        pub fn #get(&self) -> &Option<#stored> {
            &#place.#f
        }
    }
}

/// `Debug` that prints sensitive members as a placeholder (`generics`: `<C>` for an input
/// builder, whose context is not printed).
fn redacted_debug(name: &crate::ir::Ident, generics: &TokenStream, members: &[Member]) -> TokenStream {
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
        impl #generics std::fmt::Debug for #name #generics {
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
    quote! {
        #docs
        #[doc = ""]
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

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(#name::from(s))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

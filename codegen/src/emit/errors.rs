//! Per-operation error enums, and the impls every modeled error struct gets.

use super::docs::{lines_to_attrs, summary};
use super::protocol_fn;
use crate::ir::names::{bare, snake_ident};
use crate::ir::{NamedKind, Operation, Service};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `<Op>Error`: one variant per modeled error, matched by the code the service sends, and
/// `Unhandled` for everything else.
pub fn operation_error(svc: &Service, op: &Operation) -> TokenStream {
    let name = format_ident!("{}Error", crate::ir::names::type_name(&op.name));
    let errors: Vec<_> = op.errors.iter().map(|key| svc.shape(key)).collect();
    let variants: Vec<_> = errors.iter().map(|e| format_ident!("{}", e.rust_name)).collect();
    let types: Vec<_> = errors.iter().map(|e| super::rust_type(svc, &crate::ir::Type::Structure(e.name.clone()))).collect();
    let docs = errors.iter().map(|e| lines_to_attrs(&e.docs.as_deref().map(summary).unwrap_or_default()));
    let codes: Vec<_> = errors
        .iter()
        .map(|e| match &e.kind {
            NamedKind::Structure(s) => s.error.as_ref().map_or(e.name.clone(), |i| i.code.clone()),
            NamedKind::Enum(_) => e.name.clone(),
        })
        .collect();
    let is_fns = errors.iter().map(|e| format_ident!("is_{}", bare(&snake_ident(&e.rust_name))));
    let is_docs = errors.iter().map(|e| format!(" Whether this is a [`{0}`]({1}).", e.rust_name, path_doc(svc, &e.name)));
    let de_fns: Vec<_> = errors.iter().map(|e| protocol_fn(svc, &e.name, "de")).collect();
    let op_name = &op.name;
    let enum_doc = format!(" An error of the `{op_name}` operation.");
    let display = format!("{op_name} failed: {{}}");
    let body = if errors.is_empty() { quote!(_body) } else { quote!(body) };
    let dispatch = if errors.is_empty() {
        quote!(#name::Unhandled(aws_query_runtime::error::Unhandled::new(meta)))
    } else {
        quote! {
            match meta.code() {
                #(
                    Some(#codes) => match aws_query_runtime::error::read_error_element(body, #de_fns) {
                        Ok(mut e) => {
                            e.meta = meta;
                            #name::#variants(e)
                        }
                        Err(err) => #name::Unhandled(aws_query_runtime::error::Unhandled::with_source(meta, err)),
                    },
                )*
                _ => #name::Unhandled(aws_query_runtime::error::Unhandled::new(meta)),
            }
        }
    };

    quote! {
        #[doc = #enum_doc]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #( #docs #variants(#types), )*
            /// An error the model does not describe (unknown code, or a response that is not a
            /// readable error document); its metadata says what the service sent.
            Unhandled(aws_query_runtime::error::Unhandled),
        }

        impl #name {
            /// Code, message, request id and HTTP status of the error.
            pub fn meta(&self) -> &aws_query_runtime::error::ErrorMetadata {
                match self {
                    #( #name::#variants(e) => e.meta(), )*
                    #name::Unhandled(e) => e.meta(),
                }
            }

            /// The error code the service sent.
            pub fn code(&self) -> Option<&str> {
                self.meta().code()
            }

            /// The message the service sent.
            pub fn message(&self) -> Option<&str> {
                self.meta().message()
            }

            /// The id of the request, for AWS support.
            pub fn request_id(&self) -> Option<&str> {
                self.meta().request_id()
            }

            #(
                #[doc = #is_docs]
                pub fn #is_fns(&self) -> bool {
                    matches!(self, #name::#variants(_))
                }
            )*

            /// Builds the error from an error response: the modeled error whose code matches
            /// exactly, else `Unhandled`.
            pub(crate) fn from_response(meta: aws_query_runtime::error::ErrorMetadata, #body: &[u8]) -> Self {
                #dispatch
            }

            /// An error for a response that is not a readable error document.
            pub(crate) fn unhandled(meta: aws_query_runtime::error::ErrorMetadata) -> Self {
                #name::Unhandled(aws_query_runtime::error::Unhandled::new(meta))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, #display, self.meta())
            }
        }

        impl std::error::Error for #name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #( #name::#variants(e) => Some(e), )*
                    #name::Unhandled(e) => std::error::Error::source(e),
                }
            }
        }
    }
}

/// Accessors, `Display` and `Error` for a modeled error struct.
pub fn error_struct_impls(rust_name: &str) -> TokenStream {
    let name = format_ident!("{}", rust_name);
    quote! {
        impl #name {
            /// Code, message, request id and HTTP status of the error.
            pub fn meta(&self) -> &aws_query_runtime::error::ErrorMetadata {
                &self.meta
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(#rust_name)?;
                if let Some(message) = &self.message {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
        }

        impl std::error::Error for #name {}
    }
}

/// Rustdoc path of a named shape, for links.
fn path_doc(svc: &Service, key: &str) -> String {
    let shape = svc.shape(key);
    let folder = if super::is_error(shape) { "crate::types::error" } else { "crate::types" };
    format!("{folder}::{}", shape.rust_name)
}

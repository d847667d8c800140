//! Per-operation error enums, and the impls every modeled error struct gets.

use super::docs::{lines_to_attrs, summary};
use super::protocol_fn;
use crate::ir::{names, Ident, NamedShape, Operation, Service, Structure};
use proc_macro2::TokenStream;
use quote::quote;

/// `<Op>Error`: one variant per modeled error, matched by the code the service sends, and
/// `Unhandled` for everything else.
pub fn operation_error(svc: &Service, op: &Operation) -> TokenStream {
    let op_name = &op.name;
    let enum_doc = format!(" An error of the `{op_name}` operation.");
    let display = format!("{op_name} failed: {{}}");
    error_enum(svc, &op.error, &op.errors, &enum_doc, &display)
}

/// `crate::Error`: every error of the service, for code that handles errors of several
/// operations alike (`?` into it from any operation's error).
pub fn service_error(svc: &Service) -> TokenStream {
    let name = names::fixed("Error");
    let all: Vec<String> = svc.errors().map(|s| s.name.clone()).collect();
    let doc = format!(" Any error of {}: the modeled errors of every operation, and `Unhandled`.", svc.meta.full_name);
    let mut tokens = error_enum(svc, &name, &all, &doc, "{}");
    for op in svc.operations.values() {
        let (module, op_error) = (&op.module, &op.error);
        let variants: Vec<_> = op.errors.iter().map(|k| &svc.shape(k).rust_name).collect();
        tokens.extend(quote! {
            impl From<crate::operation::#module::#op_error> for Error {
                fn from(e: crate::operation::#module::#op_error) -> Self {
                    match e {
                        #( crate::operation::#module::#op_error::#variants(e) => Error::#variants(e), )*
                        crate::operation::#module::#op_error::Unhandled(u) => Error::from_unhandled(u),
                    }
                }
            }

            impl From<aws_query_runtime::sdk_error::SdkError<crate::operation::#module::#op_error>> for Error {
                fn from(e: aws_query_runtime::sdk_error::SdkError<crate::operation::#module::#op_error>) -> Self {
                    match e.into_service_error_or_unhandled() {
                        Ok(e) => e.into(),
                        Err(u) => Error::from_unhandled(u),
                    }
                }
            }
        });
    }
    tokens.extend(quote! {
        impl Error {
            /// An unhandled error of one operation may still be a modeled error of another:
            /// recognise its code across the whole service (as botocore does).
            fn from_unhandled(u: aws_query_runtime::error::Unhandled) -> Self {
                match u.body().cloned() {
                    Some(body) if u.meta().code().is_some() => {
                        <Error as aws_query_runtime::operation::OperationError>::from_error_document(u.meta().clone(), &body)
                    }
                    _ => Error::Unhandled(u),
                }
            }
        }
    });
    tokens
}

/// An error enum over the error shapes `keys`, with the runtime's `OperationError`.
fn error_enum(svc: &Service, name: &Ident, keys: &[String], doc: &str, display: &str) -> TokenStream {
    let errors: Vec<_> = keys.iter().map(|key| svc.shape(key)).collect();
    let variants: Vec<_> = errors.iter().map(|e| &e.rust_name).collect();
    let types: Vec<_> = errors.iter().map(|e| svc.type_path(&e.name)).collect();
    let docs = errors.iter().map(|e| lines_to_attrs(&e.docs.as_deref().map(summary).unwrap_or_default()));
    let infos: Vec<_> = errors.iter().map(|e| error_info(e)).collect();
    let codes = infos.iter().map(|i| &i.code);
    let is_fns = infos.iter().map(|i| &i.predicate);
    let is_docs = errors.iter().map(|e| format!(" Whether the error is [`{}`]({}).", e.rust_name, e.home.doc_path(&e.rust_name)));
    let de_fns: Vec<_> = errors.iter().map(|e| protocol_fn(svc, &e.name, "de_error")).collect();
    let other_arm = (!errors.is_empty()).then(|| quote!(_ => write!(f, #display, self.meta()),));
    let dispatch = if errors.is_empty() {
        quote!(#name::Unhandled(aws_query_runtime::error::Unhandled::from_document(meta, body)))
    } else {
        quote! {
            match meta.code() {
                #(
                    Some(#codes) => match #de_fns(meta, body) {
                        Ok(e) => #name::#variants(e),
                        Err(u) => #name::Unhandled(u),
                    },
                )*
                _ => #name::Unhandled(aws_query_runtime::error::Unhandled::from_document(meta, body)),
            }
        }
    };

    quote! {
        #[doc = #doc]
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
        }

        impl aws_query_runtime::operation::OperationError for #name {
            fn from_error_document(meta: aws_query_runtime::error::ErrorMetadata, body: &aws_query_runtime::bytes::Bytes) -> Self {
                #dispatch
            }

            fn unhandled(unhandled: aws_query_runtime::error::Unhandled) -> Self {
                #name::Unhandled(unhandled)
            }

            fn meta(&self) -> &aws_query_runtime::error::ErrorMetadata {
                #name::meta(self)
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    // Unhandled says what the response was when it carried no error code.
                    #name::Unhandled(u) => write!(f, #display, u),
                    #other_arm
                }
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
pub fn error_struct_impls(s: &Structure) -> TokenStream {
    let name = &s.rust_name;
    let rust_name = s.rust_name.as_str();
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

/// The code the service sends for an error shape, and its predicate. Errors are structures
/// with error info: the model loader rejects other shapes as errors, and the IR gives every
/// exception one.
fn error_info(e: &NamedShape) -> &crate::ir::ErrorInfo {
    e.error_info().unwrap_or_else(|| unreachable!("`{}` is not an error shape", e.name))
}

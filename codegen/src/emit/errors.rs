//! Per-operation error enums, and the impls every modeled error struct gets.

use super::docs::{lines_to_attrs, summary};
use super::protocol_path;
use crate::ir::{names, Ident, NamedShape, Operation, Service, Structure};
use proc_macro2::TokenStream;
use quote::quote;

/// `<Op>Error`: one variant per modeled error, matched by the code the service sends, and
/// `Unhandled` for everything else.
pub fn operation_error(svc: &Service, op: &Operation) -> TokenStream {
    let enum_doc = format!(" An error of the `{}` operation.", op.name);
    error_enum(svc, &op.error, &op.errors, &enum_doc, &op.name, true)
}

/// `crate::Error`: every error of the service, for code that handles errors of several
/// operations alike (`?` into it from any operation's error).
pub fn service_error(svc: &Service) -> TokenStream {
    let name = names::fixed("Error");
    let all: Vec<String> = svc.errors().map(|s| s.name.clone()).collect();
    let doc = format!(" Any error of {}: the modeled errors of every operation, and `Unhandled`.", svc.meta.full_name);
    // No `is_` predicates or constructors on the service-wide error (aws-sdk-rust has none).
    let mut tokens = error_enum(svc, &name, &all, &doc, "", false);
    for op in svc.operations.values() {
        let (module, op_error) = (&op.module, &op.error);
        let variants: Vec<_> = op.errors.iter().map(|k| &svc.shape(k).rust_name).collect();
        let cfg = super::feature_cfg(svc, [&op.feature]);
        tokens.extend(quote! {
            #cfg
            impl From<crate::operation::#module::#op_error> for Error {
                fn from(e: crate::operation::#module::#op_error) -> Self {
                    use crate::operation::#module::#op_error as E;
                    match e {
                        #( E::#variants(e) => Error::#variants(e), )*
                        E::Unhandled(u) => Error::from_unhandled(u),
                    }
                }
            }
        });
    }
    tokens.extend(quote! {
        /// Any operation's `SdkError`: its service error as this service's error, any other
        /// kind as `Unhandled` (keeping it as the source).
        impl<E: Into<Error>> From<rt::sdk_error::SdkError<E>> for Error {
            fn from(e: rt::sdk_error::SdkError<E>) -> Self {
                match e.into_service_error_or_unhandled() {
                    Ok(e) => e.into(),
                    Err(u) => Error::from_unhandled(u),
                }
            }
        }

        /// A builder that could not build, as an unhandled error.
        impl From<rt::error::BuildError> for Error {
            fn from(e: rt::error::BuildError) -> Self {
                Error::Unhandled(Unhandled::with_source(ErrorMetadata::default(), e))
            }
        }

        impl Error {
            /// An unhandled error of one operation may still be a modeled error of another:
            /// recognise its code across the whole service (as botocore does).
            fn from_unhandled(u: Unhandled) -> Self {
                match u.body().cloned() {
                    Some(body) if u.meta().code().is_some() => {
                        <Error as rt::operation::OperationError>::from_error_document(u.meta().clone(), &body)
                    }
                    _ => Error::Unhandled(u),
                }
            }
        }
    });
    tokens
}

/// An error enum over the error shapes `keys`, with the runtime's `OperationError`, which
/// gives it `Display`, `source()` and the error metadata. `operation` prefixes `Display`;
/// an operation's error (`of_operation`) also has the `is_` predicates and aws-sdk-rust's
/// constructors.
fn error_enum(svc: &Service, name: &Ident, keys: &[String], doc: &str, operation: &str, of_operation: bool) -> TokenStream {
    // `rt`: the files of error enums import the runtime under that name (`emit::with_imports`).
    let errors: Vec<_> = keys.iter().map(|key| svc.shape(key)).collect();
    let variants: Vec<_> = errors.iter().map(|e| &e.rust_name).collect();
    let types: Vec<_> = errors.iter().map(|e| svc.type_path(&e.name)).collect();
    let docs = errors.iter().map(|e| lines_to_attrs(&e.docs.as_deref().map(summary).unwrap_or_default()));
    let infos: Vec<_> = errors.iter().map(|e| error_info(e)).collect();
    // The service-wide error has a variant for an error when some operation that lists it is
    // built (an operation's own error is built with the operation, and all its variants).
    let cfgs: Vec<TokenStream> = errors
        .iter()
        .map(|e| if of_operation { TokenStream::new() } else { super::feature_cfg(svc, &e.used_by.output) })
        .collect();
    // `read` is used when some variant is built.
    let read_cfg = if of_operation || cfgs.iter().any(TokenStream::is_empty) {
        TokenStream::new()
    } else {
        super::feature_cfg(svc, errors.iter().flat_map(|e| &e.used_by.output).collect::<std::collections::BTreeSet<_>>())
    };
    let codes = infos.iter().map(|i| &i.code);
    let is_fns = infos.iter().map(|i| &i.predicate);
    let is_docs = errors.iter().map(|e| format!(" Whether the error is [`{}`]({}).", e.rust_name, e.home.doc_path(&e.rust_name)));
    let rt = quote!(rt);
    // The constructors, `meta`, `Display` and `Error` are the same for every operation:
    // a runtime macro writes them; the service-wide error has only the last two.
    let (predicates, std_impls) = if of_operation {
        let preds = (!errors.is_empty()).then(|| quote! {
            impl #name {
                #(
                    #[doc = #is_docs]
                    pub fn #is_fns(&self) -> bool {
                        matches!(self, Self::#variants(_))
                    }
                )*
            }
        });
        (preds, quote!(#rt::operation_error!(#name);))
    } else {
        (None, quote!(#rt::error_display!(#name);))
    };
    let unhandled = quote!(Self::Unhandled(Unhandled::from_document(meta, body)));
    let dispatch = if errors.is_empty() {
        unhandled
    } else {
        quote! {
            #read_cfg
            use #rt::error::read_modeled as read;
            match meta.code() {
                #( #cfgs Some(#codes) => read(meta, body, Self::#variants), )*
                _ => #unhandled,
            }
        }
    };
    quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #( #docs #cfgs #variants(#types), )*
            /// An error the model does not describe; its metadata says what the service sent.
            Unhandled(Unhandled),
        }

        #predicates

        impl OperationError for #name {
            const OPERATION: &'static str = #operation;

            fn from_error_document(meta: ErrorMetadata, body: &#rt::bytes::Bytes) -> Self {
                #dispatch
            }

            fn unhandled(unhandled: Unhandled) -> Self {
                Self::Unhandled(unhandled)
            }

            fn modeled(&self) -> Result<&dyn ModeledError, &Unhandled> {
                match self {
                    #( #cfgs Self::#variants(e) => Ok(e), )*
                    Self::Unhandled(u) => Err(u),
                }
            }
        }

        #std_impls
    }
}

/// The imports of a file with error enums.
pub fn imports() -> TokenStream {
    quote! {
        use rt::error::{ErrorMetadata, Unhandled};
        use rt::operation::{ModeledError, OperationError};
    }
}

/// The imports of a modeled error struct's file.
pub fn error_struct_imports() -> TokenStream {
    quote!(use rt::error::{ErrorMetadata, ProvideErrorMetadata, ReadError, Unhandled};)
}

/// `Display`, `Error`, the error metadata and the reader of a modeled error struct.
pub fn error_struct_impls(s: &Structure, key: &str, svc: &Service) -> TokenStream {
    let name = &s.rust_name;
    let rust_name = s.rust_name.as_str();
    let de_error = protocol_path(svc, key, "de_error");
    quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                rt::error::fmt_modeled(#rust_name, self.message.as_deref(), f)
            }
        }

        impl std::error::Error for #name {}

        impl ProvideErrorMetadata for #name {
            fn meta(&self) -> &ErrorMetadata {
                &self.meta
            }
        }

        impl ReadError for #name {
            fn read(meta: ErrorMetadata, body: &[u8]) -> Result<Self, Unhandled> {
                #de_error(meta, body)
            }
        }
    }
}

/// The code the service sends for an error shape, and its predicate. Errors are structures
/// with error info: the model loader rejects other shapes as errors, and the IR gives every
/// exception one.
fn error_info(e: &NamedShape) -> &crate::ir::ErrorInfo {
    e.error_info().unwrap_or_else(|| unreachable!("`{}` is not an error shape", e.name))
}

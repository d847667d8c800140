//! The client: `Client` (async), `blocking::Client` (feature `blocking`), and per operation
//! a fluent builder whose setters mirror the input builder's and whose `send` runs the call.
//!
//! One fluent builder type serves both clients: it is generic over a mode marker
//! (`Async`, the default, or `Blocking`), and only `send` differs, so the setters exist once.

use super::docs::{lines_to_attrs, summary};
use crate::ir::{Operation, Service};
use proc_macro2::TokenStream;
use quote::quote;

/// `src/client.rs`: the service facts and `Client`; its methods, one file per operation
/// ([`client_method_rs`]).
/// `full_credentials`: the crate depends on `aws-query-credentials-sts` and gives the runtime
/// its STS implementation (codegen.toml's `credentials = "full"`).
pub fn client_rs(svc: &Service, full_credentials: bool) -> TokenStream {
    let waiters = super::waiters::waiters_trait(svc, quote!(rt::client::Async), quote!(Client));
    let service_id = &svc.meta.service_id;
    let signing_name = &svc.meta.signing_name;
    let prefix = &svc.meta.endpoint_prefix;
    let rules = if svc.endpoint_rules.is_some() { quote!(Some(&crate::endpoint::RULES)) } else { quote!(None) };
    let sts = if full_credentials { quote!(Some(&aws_query_credentials_sts::STS)) } else { quote!(None) };
    let full_name = &svc.meta.full_name;
    let picked = match svc.features.is_some() {
        true => "\n\nEach method needs its operation's cargo feature (all are on by default; see the crate's\n\
                 *Compile only what you call*); with none, it has only `from_conf`, `new`, `config` and `handle`.",
        false => "",
    };
    let doc = lines_to_attrs(&format!(
        "A client for {full_name}: one method per operation, each returning a fluent builder\n\
         whose `send()` makes the call. Cheap to clone; clones share connections and the retry quota.{picked}"
    ));
    let modules = svc.operations.values().map(|op| {
        let (m, cfg) = (&op.module, super::feature_cfg(svc, [&op.feature]));
        quote!(#cfg mod #m;)
    });
    quote! {
        //! The asynchronous client.

        pub(crate) static SERVICE: rt::client::ServiceInfo = rt::client::ServiceInfo {
            service_id: #service_id,
            signing_name: #signing_name,
            endpoint_prefix: #prefix,
            crate_name: env!("CARGO_PKG_NAME"),
            crate_version: env!("CARGO_PKG_VERSION"),
            endpoint_rules: #rules,
            sts: #sts,
            #[cfg(feature = "transport")]
            default_http_client: Some(aws_query_transport::default_http_client),
            #[cfg(not(feature = "transport"))]
            default_http_client: None,
        };

        /// A call with changes of its own (`customize()` on a fluent builder).
        pub mod customize {
            pub use rt::client::CustomizableOperation;
        }

        #doc
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: rt::client::Handle,
        }

        impl Client {
            /// A client with `config`. The endpoint is resolved now; a configuration that
            /// gives none makes every call fail with a `ConstructionFailure` saying why.
            pub fn from_conf(config: crate::Config) -> Self {
                Client { handle: rt::client::Handle::new(config, &SERVICE) }
            }

            /// A client with a copy of `config`, as aws-sdk-rust's `Client::new(&sdk_config)`:
            /// `&Config`, or with feature `aws-types` aws-config's `&SdkConfig`.
            pub fn new(config: impl Into<crate::Config>) -> Self {
                Self::from_conf(config.into())
            }

            /// The client's configuration.
            pub fn config(&self) -> &crate::Config {
                self.handle.config()
            }

            /// The runtime handle the fluent builders use.
            pub fn handle(&self) -> &rt::client::Handle {
                &self.handle
            }
        }

        #(#modules)*

        #waiters
    }
}

/// `src/client/<op>.rs`: the client method of one operation, with the operation's whole
/// documentation (the one place it is written).
pub fn client_method_rs(svc: &Service, op: &Operation) -> TokenStream {
    let (method, module, fluent) = (&op.method, &op.module, &op.fluent_builder);
    let doc = lines_to_attrs(&operation_docs(svc, op));
    let deprecated = super::types::deprecated_attr(op.deprecated.as_ref());
    quote! {
        impl super::Client {
            #doc
            #deprecated
            pub fn #method(&self) -> crate::operation::#module::builders::#fluent {
                crate::operation::#module::builders::#fluent::new(self.handle.clone())
            }
        }
    }
}

/// `src/blocking.rs`: the same client for synchronous code.
pub fn blocking_rs(svc: &Service) -> TokenStream {
    let methods = svc.operations.values().map(|op| blocking_method(svc, op));
    let waiters = super::waiters::waiters_trait(svc, quote!(rt::client::Blocking), quote!(Client));
    quote! {
        //! A synchronous client (feature `blocking`), for programs without an async runtime:
        //! the same calls as [`crate::Client`], and `send()` returns the result directly.
        //!
        //! Each client runs its calls on a private single-threaded Tokio runtime. Calling it
        //! from inside async code returns an error instead of blocking the executor.

        /// A client whose calls block until they finish.
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: rt::client::Handle,
        }

        impl Client {
            /// A blocking client with `config`.
            pub fn from_conf(config: crate::Config) -> Self {
                Client { handle: rt::client::Handle::new_blocking(config, &crate::client::SERVICE) }
            }

            /// The client's configuration.
            pub fn config(&self) -> &crate::Config {
                self.handle.config()
            }

            #(#methods)*
        }

        #waiters
    }
}

/// A blocking client method: the operation's summary, and a link to the async method that
/// documents it.
fn blocking_method(svc: &Service, op: &Operation) -> TokenStream {
    let (method, module, fluent) = (&op.method, &op.module, &op.fluent_builder);
    let mut doc = op.docs.as_deref().map(summary).filter(|s| !s.is_empty()).map(|s| s + "\n\n").unwrap_or_default();
    doc.push_str(&format!("The blocking form of [`crate::Client::{}`]: `send()` returns the result.", op.method.as_str()));
    let doc = lines_to_attrs(&doc);
    let deprecated = super::types::deprecated_attr(op.deprecated.as_ref());
    let cfg = super::feature_cfg(svc, [&op.feature]);
    quote! {
        #doc
        #deprecated
        #cfg
        pub fn #method(&self) -> crate::operation::#module::builders::#fluent<rt::client::Blocking> {
            crate::operation::#module::builders::#fluent::new(self.handle.clone())
        }
    }
}

/// The documentation of a client method: what the operation does, its input members, its
/// output, its errors, its paginator and waiters, and the model's examples.
fn operation_docs(svc: &Service, op: &Operation) -> String {
    let m = op.module.as_str();
    let fluent = format!("crate::operation::{m}::builders::{}", op.fluent_builder.as_str());
    let mut out = match &op.docs {
        Some(d) => super::docs::to_markdown(d),
        None => format!("The `{}` operation.", op.name),
    };
    out.push_str("\n\n# Input\n\nSet the input on the fluent builder, then call `send()`.\n");
    if op.input.members.is_empty() {
        out.push_str("\nThis operation takes no input.");
    }
    for member in &op.input.members {
        let (f, set) = (member.field.as_str(), member.set.as_str());
        let about = member.docs.as_deref().map(summary).unwrap_or_default();
        let required = if member.required { " **Required.**" } else { "" };
        out.push_str(&format!("\n- [`{f}`]({fluent}::{f}) ([`{set}`]({fluent}::{set})):{required} {about}"));
    }
    let output = format!("crate::operation::{m}::{}", op.output.rust_name);
    out.push_str(&format!("\n\n# Output\n\nOn success, [`{}`]({output}).", op.output.rust_name));
    let error = op.error.as_str();
    out.push_str(&format!(
        " On failure, [`SdkError`](crate::error::SdkError)`<`[`{error}`](crate::operation::{m}::{error})`>`; its service errors:\n"
    ));
    for key in &op.errors {
        let e = svc.shape(key);
        let about = e.docs.as_deref().map(summary).unwrap_or_default();
        out.push_str(&format!("\n- [`{}`]({}): {about}", e.rust_name, e.home.doc_path(&e.rust_name)));
    }
    out.push_str("\n- `Unhandled`: an error the model does not describe.");
    if let Some(p) = svc.paginators.get(&op.name) {
        out.push_str(&format!(
            "\n\n# Pagination\n\n`into_paginator()` gives [`{0}`](crate::operation::{m}::paginator::{0}): \
             a stream of pages, or with `.items()` of their items.",
            p.type_name.as_str()
        ));
    }
    let waiters: Vec<String> = svc
        .waiters
        .values()
        .filter(|w| w.operation == op.name)
        .map(|w| format!("[`{0}`](crate::client::Waiters::{0})", w.method.as_str()))
        .collect();
    if !waiters.is_empty() {
        out.push_str(&format!("\n\n# Waiters\n\nThis operation is polled by {}.", waiters.join(", ")));
    }
    if let Some(examples) = svc.examples.get(&op.name) {
        out.push_str(&super::examples::examples_markdown(svc, &svc.crate_name.replace('-', "_"), op, examples));
    }
    out
}

/// The fluent builder of one operation, for `operation/<op>/builders.rs`: the input builder
/// with the client as its context (so its setters are the input builder's); `send`,
/// `customize` and the input builder's `send_with` from the runtime's `fluent_builder!`, and
/// `into_paginator` where the operation pages.
pub fn fluent_builder(svc: &Service, op: &Operation) -> TokenStream {
    let (name, op_type, error) = (&op.fluent_builder, &op.type_name, &op.error);
    let input_builder = &op.input.builder;
    let output = &op.output.rust_name;
    let doc = lines_to_attrs(&format!(
        "The fluent builder of [`Client::{0}`](crate::Client::{0}), which documents the operation:\n\
         [`{input_builder}`] with the client attached, so it has the same setters; `send()` makes the\n\
         call. The same type serves the blocking client (mode [`Blocking`](rt::client::Blocking)).",
        op.method.as_str()
    ));
    // `into_paginator` where the operation pages; the rest is the same for every operation.
    let paginator = svc.paginators.get(&op.name).map(|p| {
        let pages = &p.type_name;
        quote! {
            impl<M> #input_builder<Fluent<M>> {
                /// A paginator over this call's pages (and, with `.items()`, their items),
                /// starting from the input set so far.
                pub fn into_paginator(self) -> super::paginator::#pages<M> {
                    super::paginator::#pages::new(self.context.into_handle(), self.inner)
                }
            }
        }
    });
    quote! {
        use rt::client::{Async, Fluent};
        use crate::Client;

        #doc
        pub type #name<M = Async> = #input_builder<Fluent<M>>;

        rt::fluent_builder!(#input_builder, #op_type, #output, #error, Client);

        #paginator
    }
}

//! The client: `Client` (async), `blocking::Client` (feature `blocking`), and per operation
//! a fluent builder whose setters mirror the input builder's and whose `send` runs the call.
//!
//! One fluent builder type serves both clients: it is generic over a mode marker
//! (`Async`, the default, or `Blocking`), and only `send` differs, so the setters exist once.

use super::docs::{doc_attrs, lines_to_attrs, summary};
use super::ident;
use crate::ir::names::{bare, type_name};
use crate::ir::{Operation, Service};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `src/client.rs`: the service facts, `Client`, one method per operation.
pub fn client_rs(svc: &Service) -> TokenStream {
    let methods = svc.operations.values().map(|op| client_method(svc, op, quote!(aws_query_runtime::client::Async), true));
    let waiters = super::waiters::waiters_trait(svc, quote!(aws_query_runtime::client::Async), quote!(Client));
    let service_id = &svc.meta.service_id;
    let signing_name = &svc.meta.signing_name;
    let prefix = &svc.meta.endpoint_prefix;
    let rules = if svc.endpoint_rules.is_some() { quote!(Some(&crate::endpoint::RULES)) } else { quote!(None) };
    let full_name = &svc.meta.full_name;
    let doc = lines_to_attrs(&format!(
        "A client for {full_name}: one method per operation, each returning a fluent builder\n\
         whose `send()` makes the call. Cheap to clone; clones share connections and the retry quota."
    ));
    quote! {
        //! The asynchronous client.

        pub(crate) static SERVICE: aws_query_runtime::client::ServiceInfo = aws_query_runtime::client::ServiceInfo {
            service_id: #service_id,
            signing_name: #signing_name,
            endpoint_prefix: #prefix,
            crate_name: env!("CARGO_PKG_NAME"),
            crate_version: env!("CARGO_PKG_VERSION"),
            endpoint_rules: #rules,
        };

        #doc
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: aws_query_runtime::client::Handle,
        }

        impl Client {
            /// A client with `config`. The endpoint is resolved now; a configuration that
            /// gives none makes every call fail with a `ConstructionFailure` saying why.
            pub fn from_conf(config: crate::Config) -> Self {
                Client { handle: aws_query_runtime::client::Handle::new(config, &SERVICE) }
            }

            /// A client with a copy of `config` (aws-sdk-rust's `Client::new(&sdk_config)`).
            pub fn new(config: &crate::Config) -> Self {
                Self::from_conf(config.clone())
            }

            /// The client's configuration.
            pub fn config(&self) -> &crate::Config {
                self.handle.config()
            }

            /// The runtime handle the fluent builders use.
            pub fn handle(&self) -> &aws_query_runtime::client::Handle {
                &self.handle
            }

            #(#methods)*
        }

        #waiters
    }
}

/// `src/blocking.rs`: the same client for synchronous code.
pub fn blocking_rs(svc: &Service) -> TokenStream {
    let methods = svc.operations.values().map(|op| client_method(svc, op, quote!(aws_query_runtime::client::Blocking), false));
    let waiters = super::waiters::waiters_trait(svc, quote!(aws_query_runtime::client::Blocking), quote!(Client));
    quote! {
        //! A synchronous client (feature `blocking`), for programs without an async runtime:
        //! the same calls as [`crate::Client`], and `send()` returns the result directly.
        //!
        //! Each client runs its calls on a private single-threaded Tokio runtime. Calling it
        //! from inside async code returns an error instead of blocking the executor.

        /// A client whose calls block until they finish.
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: aws_query_runtime::client::Handle,
        }

        impl Client {
            /// A blocking client with `config`.
            pub fn from_conf(config: crate::Config) -> Self {
                Client { handle: aws_query_runtime::client::Handle::new_blocking(config, &crate::client::SERVICE) }
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

fn client_method(svc: &Service, op: &Operation, mode: TokenStream, full_docs: bool) -> TokenStream {
    let method = ident(&op.snake);
    let module = ident(&op.snake);
    let fluent = format_ident!("{}FluentBuilder", type_name(&op.name));
    let doc = if full_docs {
        lines_to_attrs(&operation_docs(svc, op))
    } else {
        lines_to_attrs(&format!(
            "{}

The blocking form of [`crate::Client::{}`]: `send()` returns the result.",
            op.docs.as_deref().map(summary).unwrap_or_default(),
            bare(&op.snake)
        ))
    };
    let deprecated = super::types::deprecated_attr(op.deprecated.as_ref());
    quote! {
        #doc
        #deprecated
        pub fn #method(&self) -> crate::operation::#module::builders::#fluent<#mode> {
            crate::operation::#module::builders::#fluent::new(self.handle.clone())
        }
    }
}

/// The documentation of a client method: what the operation does, its input members, its
/// output, its errors, its paginator and waiters, and the model's examples.
fn operation_docs(svc: &Service, op: &Operation) -> String {
    let m = bare(&op.snake);
    let name = type_name(&op.name);
    let fluent = format!("crate::operation::{m}::builders::{name}FluentBuilder");
    let mut out = match &op.docs {
        Some(d) => super::docs::to_markdown(d),
        None => format!("The `{}` operation.", op.name),
    };
    out.push_str("\n\n# Input\n\nSet the input on the fluent builder, then call `send()`.\n");
    if op.input.members.is_empty() {
        out.push_str("\nThis operation takes no input.\n");
    }
    for member in &op.input.members {
        let f = bare(&member.field);
        let about = member.docs.as_deref().map(summary).unwrap_or_default();
        let required = if member.required { " **Required.**" } else { "" };
        out.push_str(&format!("\n- [`{f}`]({fluent}::{f}) ([`set_{f}`]({fluent}::set_{f})):{required} {about}"));
    }
    let output = format!("crate::operation::{m}::{}", op.output.rust_name);
    out.push_str(&format!("\n\n# Output\n\nOn success, [`{}`]({output}).", op.output.rust_name));
    let error = format!("crate::operation::{m}::{name}Error");
    out.push_str(&format!(
        " On failure, [`SdkError`](crate::error::SdkError)`<`[`{name}Error`]({error})`>`; its service errors:\n"
    ));
    for key in &op.errors {
        let e = svc.shape(key);
        let about = e.docs.as_deref().map(summary).unwrap_or_default();
        out.push_str(&format!("\n- [`{0}`](crate::types::error::{0}): {about}", e.rust_name));
    }
    out.push_str("\n- `Unhandled`: an error the model does not describe.");
    if svc.paginators.contains_key(&op.name) {
        out.push_str(&format!(
            "\n\n# Pagination\n\n`into_paginator()` gives [`{name}Paginator`](crate::operation::{m}::paginator::{name}Paginator): \
             a stream of pages, or with `.items()` of their items."
        ));
    }
    let waiters: Vec<String> = svc
        .waiters
        .values()
        .filter(|w| w.operation == op.name)
        .map(|w| format!("[`wait_until_{0}`](crate::client::Waiters::wait_until_{0})", w.snake))
        .collect();
    if !waiters.is_empty() {
        out.push_str(&format!("\n\n# Waiters\n\nThis operation is polled by {}.", waiters.join(", ")));
    }
    if let Some(examples) = svc.examples.get(&op.name) {
        out.push_str(&super::examples::examples_markdown(&svc.crate_name.replace('-', "_"), op, examples));
    }
    out
}

/// The fluent builder of one operation, for `operation/<op>/builders.rs`: the input builder
/// with the client as its context (so its setters are the input builder's), and `send`.
pub fn fluent_builder(svc: &Service, op: &Operation) -> TokenStream {
    let name = format_ident!("{}FluentBuilder", type_name(&op.name));
    let op_type = format_ident!("{}", type_name(&op.name));
    let input_builder = format_ident!("{}Builder", op.input.rust_name);
    let output = format_ident!("{}", op.output.rust_name);
    let error = format_ident!("{}Error", type_name(&op.name));
    let rt = quote!(aws_query_runtime::client);
    let action = &op.name;
    let doc = lines_to_attrs(&format!(
        "Sets the input of `{action}` and sends it (`send()`). Made by the client's `{}()`; it is\n\
         [`{input_builder}`] with the client attached, so it has the same setters. The same type\n\
         serves the blocking client (mode [`Blocking`](aws_query_runtime::client::Blocking)).",
        bare(&op.snake)
    ));
    let op_docs = doc_attrs(op.docs.as_deref());
    let paginator = svc.paginators.get(&op.name).map(|_| {
        let pages = format_ident!("{}Paginator", type_name(&op.name));
        quote! {
            /// A paginator over this call's pages (and, with `.items()`, their items),
            /// starting from the input set so far.
            pub fn into_paginator(self) -> super::paginator::#pages<M> {
                let (input, fluent) = self.into_parts();
                super::paginator::#pages::new(fluent.into_handle(), input)
            }
        }
    });
    quote! {
        #doc
        #[doc = ""]
        #op_docs
        pub type #name<M = #rt::Async> = #input_builder<#rt::Fluent<M>>;

        impl<M> #input_builder<#rt::Fluent<M>> {
            pub(crate) fn new(handle: #rt::Handle) -> Self {
                Self::with_context(#rt::Fluent::new(handle))
            }

            /// The input as set so far.
            pub fn as_input(&self) -> &Self {
                self
            }

            #paginator
        }

        /// Names the operation this builder sends, for test utilities that start from a
        /// client method (`mock!(Client::<op>)`).
        impl<M> #rt::FluentBuilder for #input_builder<#rt::Fluent<M>> {
            type Operation = #op_type;
        }

        impl #input_builder<#rt::Fluent<#rt::Async>> {
            /// Validates the input, sends the request (retrying as configured) and reads the
            /// response.
            pub async fn send(self) -> Result<#output, aws_query_runtime::sdk_error::SdkError<#error>> {
                let (input, fluent) = self.into_parts();
                fluent.into_handle().call::<#op_type>(input).await
            }
        }

        #[cfg(feature = "blocking")]
        impl #input_builder<#rt::Fluent<#rt::Blocking>> {
            /// Validates the input, sends the request (retrying as configured) and reads the
            /// response, blocking until done.
            pub fn send(self) -> Result<#output, aws_query_runtime::sdk_error::SdkError<#error>> {
                let (input, fluent) = self.into_parts();
                fluent.into_handle().block_on::<#op_type>(input)
            }
        }
    }
}

//! `src/waiters.rs` and `src/waiters/<waiter>.rs`: a fluent builder per waiter of
//! `waiters-2.json`, and its acceptors compiled to Rust. JMESPath arguments (typed by the
//! IR) become typed navigation over the output — `Option<&T>` for one value, an iterator for
//! projections — ending in the runtime's small `waiter::Value` that the matchers compare.

use crate::ir::jmespath::Cmp;
use crate::ir::waiters::{Acceptor, Expr, Matcher, Nav, NavKind, NavTy, PathKind, State, Waiter};
use crate::ir::{Literal, Operation, Service, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// `src/waiters.rs`: one module per waiter.
pub fn index_rs(svc: &Service) -> TokenStream {
    let modules = svc.waiters.values().map(|w| {
        let (m, cfg) = (&w.module, waiter_cfg(svc, w));
        let doc = format!(" The `{}` waiter.", w.name);
        quote! { #[doc = #doc] #cfg pub mod #m; }
    });
    quote! {
        //! Waiters: poll an operation until the service reaches a state (see
        //! [`crate::client::Waiters`], and `blocking::Waiters` with feature `blocking`).
        #(#modules)*
    }
}

/// The `Waiters` trait for a client (`client::Waiters`, `blocking::Waiters`).
pub fn waiters_trait(svc: &Service, mode: TokenStream, client: TokenStream) -> TokenStream {
    if svc.waiters.is_empty() {
        return quote!();
    }
    let (decls, impls): (Vec<_>, Vec<_>) = svc
        .waiters
        .values()
        .map(|w| {
            let (method, module, builder) = (&w.method, &w.module, &w.builder);
            let doc = super::docs::lines_to_attrs(&format!(
                "{}\n\nPolls `{}`; set its input on the builder, then call `wait(max_wait)`.",
                w.docs.clone().unwrap_or_else(|| format!("Waits for `{}`.", w.name)),
                w.operation
            ));
            let ret = quote!(crate::waiters::#module::#builder<#mode>);
            let cfg = waiter_cfg(svc, w);
            (
                quote! { #doc #cfg fn #method(&self) -> #ret; },
                quote! {
                    #cfg
                    fn #method(&self) -> #ret {
                        crate::waiters::#module::#builder::new(self.handle.clone())
                    }
                },
            )
        })
        .unzip();
    quote! {
        /// Waiters of this client: `client.wait_until_…().…().wait(max_wait)`.
        ///
        /// Sealed: only this crate implements it, so new waiters are additive changes.
        pub trait Waiters: sealed::Sealed {
            #(#decls)*
        }

        impl Waiters for #client {
            #(#impls)*
        }

        mod sealed {
            pub trait Sealed {}
            impl Sealed for super::#client {}
        }
    }
}

/// A waiter is built with the operation it polls.
fn waiter_cfg(svc: &Service, w: &Waiter) -> TokenStream {
    super::feature_cfg(svc, svc.operations.get(&w.operation).map(|op| &op.feature))
}

/// The settings every waiter's builder has, for an operation that some waiter polls: its
/// input builder with a waiter context ([`waiter_rs`]).
pub fn waiter_settings(op: &Operation) -> TokenStream {
    let input_builder = &op.input.builder;
    quote! {
        impl<M, W> #input_builder<rt::waiter::Waiting<M, W>> {
            /// The first delay between polls (the model's `delay` by default).
            pub fn min_delay(mut self, delay: std::time::Duration) -> Self {
                self.context.config_mut().min_delay = delay;
                self
            }

            /// The longest delay between polls (120 s by default).
            pub fn max_delay(mut self, delay: std::time::Duration) -> Self {
                self.context.config_mut().max_delay = delay;
                self
            }

            /// The most polls (the model's `maxAttempts` by default; `None`: only time limits).
            pub fn max_attempts(mut self, attempts: Option<u32>) -> Self {
                self.context.config_mut().max_attempts = attempts;
                self
            }
        }
    }
}

/// `src/waiters/<waiter>.rs`: the waiter's fluent builder is the polled operation's input
/// builder with a waiter context (so its setters are the input builder's), and `wait`.
pub fn waiter_rs(svc: &Service, w: &Waiter) -> TokenStream {
    let op = &svc.operations[&w.operation];
    let rt = quote!(rt);
    let (module, op_ty, error) = (&op.module, &op.type_name, &op.error);
    let (output, input_builder) = (&op.output.rust_name, &op.input.builder);
    let (marker, builder, final_poll, waiter_error) = (&w.marker, &w.builder, &w.final_poll, &w.error);
    let name = &w.name;
    let delay = w.delay;
    let max_attempts = w.max_attempts;
    // Unsuffixed, as written by hand (`from_secs(15)`, not `from_secs(15u64)`).
    let (delay_lit, max_attempts_lit) =
        (proc_macro2::Literal::u64_unsuffixed(delay), proc_macro2::Literal::u32_unsuffixed(max_attempts));
    let (arguments, acceptors) = acceptors_body(w);
    let uses_value = w.acceptors.iter().any(|a| matches!(a.matcher, Matcher::Path { .. }));
    let (out_arg, observe) = observe_fn(w);
    let value_import = uses_value.then(|| quote!(use rt::waiter::Value;));
    let doc = super::docs::lines_to_attrs(&format!(
        "{}\n\nPolls `{}` every {delay} s at first (backing off up to 120 s), at most {max_attempts} times, \
         until an acceptor says success or failure or `wait`'s maximum wait runs out. It is\n\
         [`{input_builder}`] with the waiter attached, so it has the same setters.",
        w.docs.clone().unwrap_or_else(|| format!("Waits for `{name}`.")),
        op.name
    ));
    let marker_doc = format!(" Marks the `{name}` waiter's builder.");
    quote! {
        use crate::operation::#module::builders::#input_builder;
        use crate::operation::#module::{#error, #op_ty, #output};
        use rt::client::{Async, Handle};
        use rt::waiter::{AcceptorState, Matched, Poll, Waiting};
        #value_import

        /// The last poll of a successful wait.
        pub type #final_poll = #rt::waiter::FinalPoll<#output, #error>;

        /// Why the wait did not succeed.
        pub type #waiter_error = #rt::waiter::WaiterError<#output, #error>;

        #[doc = #marker_doc]
        #[derive(Clone, Copy, Debug)]
        #[non_exhaustive]
        pub struct #marker;

        #doc
        pub type #builder<M = Async> = #input_builder<Waiting<M, #marker>>;

        impl<M> #input_builder<Waiting<M, #marker>> {
            pub(crate) fn new(handle: Handle) -> Self {
                let config = #rt::waiter::WaiterConfig {
                    min_delay: std::time::Duration::from_secs(#delay_lit),
                    max_delay: std::time::Duration::from_secs(120),
                    max_attempts: Some(#max_attempts_lit),
                };
                #input_builder { inner: Default::default(), context: Waiting::new(handle, config) }
            }
        }

        impl #input_builder<Waiting<Async, #marker>> {
            /// Polls until success, failure, or `max_wait`.
            pub async fn wait(self, max_wait: std::time::Duration) -> Result<#final_poll, #waiter_error> {
                let (handle, config) = (self.context.handle(), self.context.config());
                #rt::waiter::wait::<#op_ty>(handle, #name, self.inner, max_wait, config, acceptors, observe).await
            }
        }

        #[cfg(feature = "blocking")]
        impl #input_builder<Waiting<#rt::client::Blocking, #marker>> {
            /// Polls until success, failure, or `max_wait`, blocking.
            pub fn wait(self, max_wait: std::time::Duration) -> Result<#final_poll, #waiter_error> {
                let (handle, config) = (self.context.handle(), self.context.config());
                let waiting = #rt::waiter::wait::<#op_ty>(handle, #name, self.inner, max_wait, config, acceptors, observe);
                match handle.run_blocking(waiting) {
                    Ok(result) => result,
                    Err(message) => Err(#rt::waiter::WaiterError::construction_failure(#name, message)),
                }
            }
        }

        /// The model's acceptors, in order: the first that matches decides.
        fn acceptors(poll: &Poll<'_, #output, #error>) -> Option<Matched> {
            #arguments
            #(#acceptors)*
            None
        }

        /// What the acceptors' arguments read in a response, for messages.
        fn observe(#out_arg: &#output) -> String {
            #observe
        }
    }
}

/// The body of `observe`: each distinct path argument and its value, `; `-joined.
fn observe_fn(w: &Waiter) -> (TokenStream, TokenStream) {
    let mut seen = Vec::new();
    let mut parts = Vec::new();
    for a in &w.acceptors {
        if let (Matcher::Path { expr, .. }, Some(argument)) = (&a.matcher, &a.argument) {
            if !seen.contains(argument) {
                seen.push(argument.clone());
                let value = expr_tokens(expr);
                let label = format!("{argument} = {{}}");
                parts.push(quote!(format!(#label, #value)));
            }
        }
    }
    if parts.is_empty() {
        return (quote!(_out), quote!(String::from("no path acceptors")));
    }
    (quote!(out), quote!([#(#parts),*].join("; ")))
}

/// The path arguments' values, each read once from a successful response (`arg0`, …), and
/// the acceptors in order.
fn acceptors_body(w: &Waiter) -> (TokenStream, Vec<TokenStream>) {
    let mut arguments: Vec<&str> = Vec::new();
    let mut bindings = Vec::new();
    let acceptors = w
        .acceptors
        .iter()
        .map(|a| {
            let index = match (&a.matcher, &a.argument) {
                (Matcher::Path { expr, .. }, Some(argument)) => Some(match arguments.iter().position(|x| x == argument) {
                    Some(i) => i,
                    None => {
                        let arg = crate::ir::names::acceptor_argument(arguments.len());
                        let value = expr_tokens(expr);
                        bindings.push(quote!(let #arg = poll.result.as_ref().ok().map(|out| #value);));
                        arguments.push(argument);
                        arguments.len() - 1
                    }
                }),
                _ => None,
            };
            acceptor(a, index)
        })
        .collect();
    (quote!(#(#bindings)*), acceptors)
}

/// One acceptor; `argument` is the index of its path argument's binding.
fn acceptor(a: &Acceptor, argument: Option<usize>) -> TokenStream {
    let state = match a.state {
        State::Success => quote!(AcceptorState::Success),
        State::Failure => quote!(AcceptorState::Failure),
        State::Retry => quote!(AcceptorState::Retry),
    };
    let text = &a.text;
    let matched = quote!(return Some(Matched { state: #state, acceptor: #text }););
    match &a.matcher {
        Matcher::Path { kind, expected, .. } => {
            let arg = crate::ir::names::acceptor_argument(argument.unwrap_or_default());
            let expected = literal(expected);
            let test = match kind {
                PathKind::One => quote!(matches),
                PathKind::All => quote!(all_match),
                PathKind::Any => quote!(any_match),
            };
            quote! {
                if #arg.as_ref().is_some_and(|v| v.#test(&#expected)) {
                    #matched
                }
            }
        }
        Matcher::Status(code) => quote! {
            if poll.status == Some(#code) {
                #matched
            }
        },
        Matcher::ErrorCode(code) => quote! {
            if poll.error_code() == Some(#code) {
                #matched
            }
        },
        Matcher::AnyError(true) => quote! {
            if poll.result.is_err() {
                #matched
            }
        },
        Matcher::AnyError(false) => quote! {
            if poll.result.is_ok() {
                #matched
            }
        },
    }
}

fn literal(v: &Literal) -> TokenStream {
    match v {
        Literal::Str(s) => quote!(Value::Str(#s)),
        Literal::Bool(b) => quote!(Value::Bool(#b)),
        Literal::Number(_) => {
            let n = v.as_f64();
            quote!(Value::Number(#n))
        }
        Literal::Null => quote!(Value::Null),
        Literal::List(items) => {
            let items = items.iter().map(literal);
            quote!(Value::List(vec![#(#items),*]))
        }
        Literal::Object(_) => quote!(Value::Object),
    }
}

/// An expression producing a `Value` from `out`.
fn expr_tokens(e: &Expr) -> TokenStream {
    match e {
        Expr::Nav(n) => nav_value(n),
        Expr::Length(a) => {
            let a = expr_tokens(a);
            quote!((#a).length())
        }
        Expr::Contains(a, b) => {
            let (a, b) = (expr_tokens(a), expr_tokens(b));
            quote!((#a).contains(&(#b)))
        }
        Expr::Compare(op, a, b) => {
            let (a, b) = (expr_tokens(a), expr_tokens(b));
            let op = Cmp::as_str(*op);
            quote!((#a).compare(#op, &(#b)))
        }
        Expr::And(a, b) => {
            let (a, b) = (expr_tokens(a), expr_tokens(b));
            quote!((#a).and(#b))
        }
        Expr::Or(a, b) => {
            let (a, b) = (expr_tokens(a), expr_tokens(b));
            quote!((#a).or(#b))
        }
        Expr::Not(a) => {
            let a = expr_tokens(a);
            quote!((#a).not())
        }
        Expr::Literal(v) => literal(v),
    }
}

/// Navigation as Rust: `Option<&T>` when `!nav.many`, an iterator of `&T` when `nav.many`.
/// Inside a filter's condition, `it` is the item tested.
fn nav_tokens(n: &Nav) -> TokenStream {
    match &n.kind {
        NavKind::Root => quote!(Some(out)),
        NavKind::Current => quote!(Some(it)),
        NavKind::Field { base, field, boxed } => {
            let b = nav_tokens(base);
            let f = field;
            let access = if *boxed { quote!(as_deref) } else { quote!(as_ref) };
            match &base.kind {
                // A member of the output or of the item tested: read it directly.
                NavKind::Root => quote!(out.#f.#access()),
                NavKind::Current => quote!(it.#f.#access()),
                _ if base.many => quote!(#b.filter_map(|v| v.#f.#access())),
                _ => quote!(#b.and_then(|v| v.#f.#access())),
            }
        }
        NavKind::Index { base, index } => {
            let b = nav_tokens(base);
            let item = super::index_expr(quote!(l), *index);
            if base.many {
                quote!(#b.filter_map(|l| #item))
            } else {
                quote!(#b.and_then(|l| #item))
            }
        }
        NavKind::Items { base } => {
            let b = nav_tokens(base);
            if base.many {
                quote!(#b.flat_map(|l| l.iter()))
            } else {
                quote!(#b.into_iter().flat_map(|l| l.iter()))
            }
        }
        NavKind::Values { base } => {
            let b = nav_tokens(base);
            if base.many {
                quote!(#b.flat_map(|m| m.values()))
            } else {
                quote!(#b.into_iter().flat_map(|m| m.values()))
            }
        }
        NavKind::Filter { base, condition } => {
            let b = nav_tokens(base);
            let condition = expr_tokens(condition);
            quote!(#b.filter(|&it| (#condition).truthy()))
        }
    }
}

/// Whether a filter's condition reads `@` (the item tested), outside nested filters.
fn reads_item(e: &Expr) -> bool {
    fn nav_reads(n: &Nav) -> bool {
        match &n.kind {
            NavKind::Current => true,
            NavKind::Root => false,
            NavKind::Field { base, .. } | NavKind::Index { base, .. } | NavKind::Items { base } | NavKind::Values { base } => {
                nav_reads(base)
            }
            NavKind::Filter { base, .. } => nav_reads(base),
        }
    }
    match e {
        Expr::Nav(n) => nav_reads(n),
        Expr::Length(a) | Expr::Not(a) => reads_item(a),
        Expr::Contains(a, b) | Expr::Compare(_, a, b) | Expr::And(a, b) | Expr::Or(a, b) => reads_item(a) || reads_item(b),
        Expr::Literal(_) => false,
    }
}

/// The `Value` of a navigation: one value, or a list of the non-null values of many (built
/// with plain loops: iterator adaptors would be instantiated per acceptor).
fn nav_value(n: &Nav) -> TokenStream {
    let item = some_value(&n.ty, quote!(v));
    // Structures only say "something is there": their value does not read `v`.
    let opaque = matches!(&n.ty, NavTy::Output | NavTy::T(Type::Structure(_) | Type::Map(_) | Type::Blob));
    let bind = if opaque { quote!(_) } else { quote!(v) };
    if n.many {
        // `some_value` is never `Null` (absent members are not visited), so every value
        // found is kept, as a projection keeps its non-null values.
        let body = quote!(values.push(#item););
        let loops = for_each(n, body, bind);
        quote!({
            let mut values = Vec::new();
            #loops
            Value::List(values)
        })
    } else {
        let nav = nav_tokens(n);
        quote!(#nav.map_or(Value::Null, |#bind| #item))
    }
}

/// Runs `body` for each value of a many-valued navigation, bound as `bind`.
fn for_each(n: &Nav, body: TokenStream, bind: TokenStream) -> TokenStream {
    // Each kind's statement for one value `v` of its base.
    let (base, inner) = match &n.kind {
        NavKind::Field { base, field, boxed } => {
            let access = if *boxed { quote!(as_deref) } else { quote!(as_ref) };
            (base, quote!(if let Some(#bind) = v.#field.#access() { #body }))
        }
        NavKind::Index { base, index } => {
            let item = super::index_expr(quote!(v), *index);
            (base, quote!(if let Some(#bind) = #item { #body }))
        }
        NavKind::Items { base } => (base, quote!(for #bind in v.iter() { #body })),
        NavKind::Values { base } => (base, quote!(for #bind in v.values() { #body })),
        NavKind::Filter { base, condition } => {
            // `it` is bound only for a condition that reads the item (else it is unused).
            let item = if reads_item(condition) { quote!(let it = v;) } else { quote!() };
            let condition = expr_tokens(condition);
            // The item keeps its name `v` unless the body wants another (`_`).
            let rebind = (bind.to_string() != "v").then(|| quote!(let #bind = v;));
            (base, quote!(#item if (#condition).truthy() { #rebind #body }))
        }
        NavKind::Root => return quote!(let #bind = out; #body),
        NavKind::Current => return quote!(let #bind = it; #body),
    };
    if base.many {
        for_each(base, inner, quote!(v))
    } else {
        // A step of one value is one value; callers only ask for many.
        let b = nav_tokens(base);
        quote!(if let Some(v) = #b { #inner })
    }
}

/// The `Value` of `v: &T`.
fn some_value(ty: &NavTy, v: TokenStream) -> TokenStream {
    let ty = match ty {
        NavTy::Output => return quote!(Value::Object),
        NavTy::T(t) => t,
    };
    match ty {
        Type::String | Type::Enum(_) => quote!(Value::Str(#v.as_str())),
        Type::Boolean => quote!(Value::Bool(*#v)),
        Type::Integer | Type::Long => quote!(Value::Number(*#v as f64)),
        Type::Float => quote!(Value::Number(f64::from(*#v))),
        Type::Double => quote!(Value::Number(*#v)),
        Type::Timestamp(_) => quote!(Value::Number(#v.secs() as f64)),
        Type::List(l) => {
            let item_ty = NavTy::T(l.member.clone());
            let item = some_value(&item_ty, quote!(x));
            let opaque = matches!(&l.member, Type::Structure(_) | Type::Map(_) | Type::Blob);
            let arg = if opaque { quote!(_) } else { quote!(x) };
            quote!(Value::List(#v.iter().map(|#arg| #item).collect()))
        }
        Type::Structure(_) | Type::Map(_) | Type::Blob => quote!(Value::Object),
    }
}

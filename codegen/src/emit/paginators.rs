//! `operation/<op>/paginator.rs`: for each operation of `paginators-1.json`, a paginator of
//! pages and one of the items of each result key. They follow the marker with the runtime's
//! `paginator` module; this emitter only says where the tokens and items are.

use super::rust_type;
use crate::ir::paginators::{FieldPath, Paginator, ResultKey};
use crate::ir::{Ident, Operation, Service, Type};
use proc_macro2::TokenStream;
use quote::quote;

pub fn paginator_rs(svc: &Service, op: &Operation, p: &Paginator) -> TokenStream {
    let (op_ty, error, pages) = (&op.type_name, &op.error, &p.type_name);
    let (input, output) = (&op.input.rust_name, &op.output.rust_name);
    let rt = quote!(rt);

    let output_token = ref_chain(quote!(o), &p.output_token);
    let input_field = &p.input_token.steps[0].field;
    let (more_fn, more) = match &p.more_results {
        Some(path) => {
            let chain = copy_chain(quote!(o), path);
            (quote! { fn more_results(o: &#output) -> Option<bool> { #chain } }, quote!(Some(more_results)))
        }
        None => (quote!(), quote!(None)),
    };
    let page_size = p.limit_key.as_ref().map(|limit| {
        let setter = &limit.steps[0].field;
        let ty = rust_type(svc, limit.ty());
        let doc = format!(" Items per page (`{}`); the service's default when not set.", limit.model);
        quote! {
            #[doc = #doc]
            pub fn page_size(mut self, size: #ty) -> Self {
                self.input.#setter = Some(size);
                self
            }
        }
    });
    let items = p.result_keys.iter().map(|key| items(svc, op, pages, key));
    let mut doc = format!(
        "The pages of `{}`, following `{}` from `{}` to the next request's `{}`.",
        op.name, p.input_token.model, p.output_token.model, p.input_token.model
    );
    if !p.non_aggregate_keys.is_empty() {
        let keys: Vec<String> = p.non_aggregate_keys.iter().map(|k| format!("`{}`", k.model)).collect();
        doc.push_str(&format!("\n\nMembers that describe the whole result rather than a page's items: {}.", keys.join(", ")));
    }
    let doc = super::docs::lines_to_attrs(&doc);
    let send_doc = " The pages, one call each; the stream ends after the last page or the first error.";
    quote! {
        //! Paginators of this operation: its pages, and the items in them.

        use super::{#error, #input, #op_ty, #output};

        fn output_token(o: &#output) -> Option<&str> {
            #output_token
        }

        fn input_token(i: &#input) -> Option<&str> {
            i.#input_field.as_deref()
        }

        fn set_input_token(i: &mut #input, token: String) {
            i.#input_field = Some(token);
        }

        #more_fn

        const PAGINATION: #rt::paginator::Pagination<#op_ty> = #rt::paginator::Pagination {
            output_token,
            set_input_token,
            input_token,
            more_results: #more,
            stop_on_duplicate_token: true,
        };

        #doc
        #[derive(Clone, Debug)]
        pub struct #pages<M = #rt::client::Async> {
            handle: #rt::client::Handle,
            input: #input,
            how: #rt::paginator::Pagination<#op_ty>,
            mode: std::marker::PhantomData<M>,
        }

        impl<M> #pages<M> {
            pub(crate) fn new(handle: #rt::client::Handle, input: #input) -> Self {
                #pages { handle, input, how: PAGINATION, mode: std::marker::PhantomData }
            }

            #page_size

            /// Whether a page that gives back the token it was sent ends the stream with an
            /// error (`true`, the default, as botocore does) or is followed by a request with
            /// that token again (`false`: for services whose repeated token is not a loop).
            pub fn stop_on_duplicate_token(mut self, stop: bool) -> Self {
                self.how.stop_on_duplicate_token = stop;
                self
            }
        }

        impl #pages<#rt::client::Async> {
            #[doc = #send_doc]
            pub fn send(self) -> #rt::paginator::PaginationStream<Result<#output, #rt::sdk_error::SdkError<#error>>> {
                #rt::paginator::pages::<#op_ty>(self.handle, self.input, self.how)
            }
        }

        #[cfg(feature = "blocking")]
        impl #pages<#rt::client::Blocking> {
            #[doc = #send_doc]
            pub fn send(self) -> #rt::paginator::PaginationIter<#output, #error> {
                let stream = #rt::paginator::pages::<#op_ty>(self.handle.clone(), self.input, self.how);
                #rt::paginator::PaginationIter::new(self.handle, <#op_ty as #rt::operation::Operation>::INFO.name, stream)
            }
        }

        #(#items)*
    }
}

/// The paginator over the items of one result key, and the method that makes it. The
/// items of a list key are its items on every page; those of a string or number key are
/// each page's value (botocore joins the strings and adds up the numbers).
fn items(svc: &Service, op: &Operation, pages: &Ident, key: &ResultKey) -> TokenStream {
    let rt = quote!(rt);
    let (op_ty, error, output) = (&op.type_name, &op.error, &op.output.rust_name);
    let (item, chain, method_doc) = match key.path.ty() {
        Type::List(list) => (
            rust_type(svc, &list.member),
            {
                let chain = move_chain(quote!(o), &key.path);
                quote!(#chain.unwrap_or_default())
            },
            format!(" The items of `{}` on every page, one after another.", key.path.model),
        ),
        scalar => {
            let chain = move_chain(quote!(o), &key.path);
            (
                rust_type(svc, scalar),
                quote!(#chain.into_iter().collect()),
                format!(" The `{}` of every page, one item per page that has it (botocore joins them).", key.path.model),
            )
        }
    };
    let (name, method) = (&key.type_name, &key.method);
    let take = crate::ir::names::take_items(&key.method);
    let send_doc = " The items; the stream ends after the last page or the first error.";
    quote! {
        fn #take(o: #output) -> Vec<#item> {
            #chain
        }

        impl<M> #pages<M> {
            #[doc = #method_doc]
            pub fn #method(self) -> #name<M> {
                #name { pages: self }
            }
        }

        #[doc = #method_doc]
        #[derive(Clone, Debug)]
        pub struct #name<M = #rt::client::Async> {
            pages: #pages<M>,
        }

        impl #name<#rt::client::Async> {
            #[doc = #send_doc]
            pub fn send(self) -> #rt::paginator::PaginationStream<Result<#item, #rt::sdk_error::SdkError<#error>>> {
                #rt::paginator::items::<#op_ty, #item>(self.pages.handle, self.pages.input, self.pages.how, #take)
            }
        }

        #[cfg(feature = "blocking")]
        impl #name<#rt::client::Blocking> {
            #[doc = #send_doc]
            pub fn send(self) -> #rt::paginator::PaginationIter<#item, #error> {
                let handle = self.pages.handle.clone();
                let stream = #rt::paginator::items::<#op_ty, #item>(handle, self.pages.input, self.pages.how, #take);
                #rt::paginator::PaginationIter::new(self.pages.handle, <#op_ty as #rt::operation::Operation>::INFO.name, stream)
            }
        }
    }
}

/// `o.a.as_ref().and_then(|v| v.b.as_deref())`: a borrowed string at the end of `path`;
/// an indexed step (`Jobs[-1]`) picks its item (`.and_then(|l| l.last())`).
fn ref_chain(base: TokenStream, path: &FieldPath) -> TokenStream {
    let mut expr = base;
    let n = path.steps.len();
    for (i, step) in path.steps.iter().enumerate() {
        let f = &step.field;
        let last = i + 1 == n;
        let access = if (last && step.index.is_none()) || step.boxed { quote!(as_deref) } else { quote!(as_ref) };
        expr = if i == 0 { quote!(#expr.#f.#access()) } else { quote!(#expr.and_then(|v| v.#f.#access())) };
        if let Some(index) = step.index {
            let item = super::index_expr(quote!(l), index);
            expr = quote!(#expr.and_then(|l| #item));
            if last {
                expr = quote!(#expr.map(String::as_str));
            }
        }
    }
    expr
}

/// `o.a.as_ref().and_then(|v| v.b)`: a copied scalar at the end of `path`.
fn copy_chain(base: TokenStream, path: &FieldPath) -> TokenStream {
    let mut expr = base;
    let n = path.steps.len();
    for (i, step) in path.steps.iter().enumerate() {
        let f = &step.field;
        expr = match (i == 0, i + 1 == n) {
            (true, true) => quote!(#expr.#f),
            (true, false) if step.boxed => quote!(#expr.#f.as_deref()),
            (true, false) => quote!(#expr.#f.as_ref()),
            (false, true) => quote!(#expr.and_then(|v| v.#f)),
            (false, false) if step.boxed => quote!(#expr.and_then(|v| v.#f.as_deref())),
            (false, false) => quote!(#expr.and_then(|v| v.#f.as_ref())),
        };
    }
    expr
}

/// `o.a.and_then(|v| v.b)`: the `Option` at the end of `path`, moved out (a list is
/// `unwrap_or_default`ed by the caller).
fn move_chain(base: TokenStream, path: &FieldPath) -> TokenStream {
    let mut expr = base;
    for (i, step) in path.steps.iter().enumerate() {
        let f = &step.field;
        expr = if i == 0 { quote!(#expr.#f) } else { quote!(#expr.and_then(|v| v.#f)) };
    }
    expr
}

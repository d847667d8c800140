//! `src/endpoint.rs`: the service's endpoint rule set as static data for the runtime's rules
//! engine, typed endpoint parameters, and `resolve` (what the client does, exposed for tests
//! and tools).

use super::docs::doc_attrs;
use crate::ir::endpoints::{Call, Expr, Literal, ParameterKind, Rule, RuleKind, RuleSet};
use crate::ir::Service;
use proc_macro2::TokenStream;
use quote::quote;

/// The endpoint module, when the service has a rule set.
pub fn endpoint_rs(svc: &Service) -> Option<TokenStream> {
    let rules = svc.endpoint_rules.as_ref()?;
    let rt = quote!(rt::endpoint::rules);
    let parameters = rules.parameters.iter().map(|p| {
        let name = &p.name;
        let kind = match p.kind {
            ParameterKind::String => quote!(#rt::ParameterKind::String),
            ParameterKind::Boolean => quote!(#rt::ParameterKind::Boolean),
            ParameterKind::StringArray => quote!(#rt::ParameterKind::StringArray),
        };
        let built_in = match &p.built_in {
            Some(b) => quote!(Some(#b)),
            None => quote!(None),
        };
        let required = p.required;
        let default = match &p.default {
            Some(Literal::Bool(b)) => quote!(Some(#rt::Literal::Bool(#b))),
            Some(Literal::Str(s)) => quote!(Some(#rt::Literal::Str(#s))),
            None => quote!(None),
        };
        let docs = &p.docs;
        quote! {
            #rt::Parameter { name: #name, kind: #kind, built_in: #built_in, required: #required, default: #default, documentation: #docs }
        }
    });
    let rule_list = rules.rules.iter().map(rule);
    let params = params_type(rules);
    Some(quote! {
        //! Where requests go: the service's endpoint rule set (`endpoint-rule-set-1.json`),
        //! evaluated by the runtime for the configured region, FIPS and dual-stack settings
        //! and endpoint override.

        pub use rt::endpoint::{Endpoint, ResolveError};

        /// The rule set, as data for the runtime's rules engine.
        pub(crate) static RULES: #rt::RuleSet = #rt::RuleSet {
            parameters: &[#(#parameters),*],
            rules: &[#(#rule_list),*],
        };

        #params

        /// The endpoint the rules give for `params` (what a client with the same settings uses).
        pub fn resolve(params: &Params) -> Result<Endpoint, ResolveError> {
            rt::endpoint::resolve(&RULES, &params.to_values())
        }
    })
}

/// `Params` with one field per rule-set parameter, and its builder.
fn params_type(rules: &RuleSet) -> TokenStream {
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut sets = Vec::new();
    for p in &rules.parameters {
        let f = &p.field;
        let name = &p.name;
        let docs = doc_attrs(Some(&p.docs));
        let (ty, arg, value) = match p.kind {
            ParameterKind::String => (
                quote!(String),
                quote!(impl Into<String>),
                quote!(rt::endpoint::Value::String(v.clone())),
            ),
            ParameterKind::Boolean => (quote!(bool), quote!(bool), quote!(rt::endpoint::Value::Bool(*v))),
            ParameterKind::StringArray => (
                quote!(Vec<String>),
                quote!(Vec<String>),
                quote!(rt::endpoint::Value::Array(
                    v.iter().map(|s| rt::endpoint::Value::String(s.clone())).collect()
                )),
            ),
        };
        let into = if p.kind == ParameterKind::String { quote!(value.into()) } else { quote!(value) };
        fields.push(quote! { #docs pub #f: Option<#ty>, });
        setters.push(quote! {
            #docs
            pub fn #f(mut self, value: #arg) -> Self {
                self.0.#f = Some(#into);
                self
            }
        });
        sets.push(quote! {
            if let Some(v) = &self.#f {
                values.set(#name, #value);
            }
        });
    }
    let values_mut = if sets.is_empty() { quote!(let values) } else { quote!(let mut values) };
    quote! {
        /// Endpoint parameters; unset ones take the rule set's defaults.
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct Params {
            #(#fields)*
        }

        impl Params {
            pub fn builder() -> ParamsBuilder {
                ParamsBuilder::default()
            }

            fn to_values(&self) -> rt::endpoint::Params {
                #values_mut = rt::endpoint::Params::new();
                #(#sets)*
                values
            }
        }

        /// Builds [`Params`].
        #[derive(Clone, Debug, Default)]
        pub struct ParamsBuilder(Params);

        impl ParamsBuilder {
            #(#setters)*

            pub fn build(self) -> Params {
                self.0
            }
        }
    }
}

fn rule(r: &Rule) -> TokenStream {
    let rt = quote!(rt::endpoint::rules);
    let conditions = r.conditions.iter().map(|c| {
        let call = call(&c.call);
        let assign = match &c.assign {
            Some(a) => quote!(Some(#a)),
            None => quote!(None),
        };
        quote!(#rt::Condition { call: #call, assign: #assign })
    });
    let kind = match &r.kind {
        RuleKind::Endpoint { url, properties, headers } => {
            let url = expr(url);
            let props = properties.iter().map(|(k, e)| {
                let e = expr(e);
                quote!((#k, #e))
            });
            let hdrs = headers.iter().map(|(k, es)| {
                let es = es.iter().map(expr);
                quote!((#k, &[#(#es),*]))
            });
            quote!(#rt::RuleKind::Endpoint { url: #url, properties: &[#(#props),*], headers: &[#(#hdrs),*] })
        }
        RuleKind::Error(e) => {
            let e = expr(e);
            quote!(#rt::RuleKind::Error(#e))
        }
        RuleKind::Tree(rules) => {
            let rules = rules.iter().map(rule);
            quote!(#rt::RuleKind::Tree(&[#(#rules),*]))
        }
    };
    quote!(#rt::Rule { conditions: &[#(#conditions),*], kind: #kind })
}

fn call(c: &Call) -> TokenStream {
    let rt = quote!(rt::endpoint::rules);
    let f = &c.function;
    let args = c.args.iter().map(expr);
    quote!(#rt::Call { function: #f, args: &[#(#args),*] })
}

fn expr(e: &Expr) -> TokenStream {
    let rt = quote!(rt::endpoint::rules);
    match e {
        Expr::Template(s) => quote!(#rt::Expr::Template(#s)),
        Expr::Bool(b) => quote!(#rt::Expr::Bool(#b)),
        Expr::Int(i) => quote!(#rt::Expr::Int(#i)),
        Expr::Ref(r) => quote!(#rt::Expr::Ref(#r)),
        Expr::Call(c) => {
            let c = call(c);
            quote!(#rt::Expr::Call(&#c))
        }
        Expr::Array(items) => {
            let items = items.iter().map(expr);
            quote!(#rt::Expr::Array(&[#(#items),*]))
        }
        Expr::Object(fields) => {
            let fields = fields.iter().map(|(k, e)| {
                let e = expr(e);
                quote!((#k, #e))
            });
            quote!(#rt::Expr::Object(&[#(#fields),*]))
        }
    }
}

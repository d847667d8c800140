//! Input validators: type-specialized code that checks required members and the model's
//! `min`/`max` limits with the runtime's `Validator`, before anything is sent.
//!
//! Only structures that have something to check (themselves or through their members) get
//! a validator, so inputs without constraints compile to nothing.

use super::protocol_fn;
use crate::ir::{Limits, Member, NamedKind, Operation, Service, Structure, Type};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// Named structures (reached from inputs) whose validation checks something.
pub fn needs_validation(svc: &Service, reached: &BTreeSet<String>) -> BTreeSet<String> {
    // Fixed point: a structure needs validation if a member is constrained, or reaches a
    // structure that needs it (cycles settle because the set only grows).
    let mut set = BTreeSet::new();
    loop {
        let before = set.len();
        for key in reached {
            if let NamedKind::Structure(s) = &svc.shape(key).kind {
                if s.members.iter().any(|m| member_checks(m, &set)) {
                    set.insert(key.clone());
                }
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

fn member_checks(m: &Member, set: &BTreeSet<String>) -> bool {
    m.required || has_limits(&m.limits) || type_checks(&m.ty, set)
}

fn has_limits(l: &Limits) -> bool {
    l.min.is_some() || l.max.is_some()
}

/// The value's own contents need checking (items, nested structures).
fn type_checks(ty: &Type, set: &BTreeSet<String>) -> bool {
    match ty {
        Type::Structure(key) => set.contains(key),
        Type::List(l) => has_limits(&l.member_limits) || type_checks(&l.member, set),
        Type::Map(m) => type_checks(&m.value, set),
        _ => false,
    }
}

/// `pub(crate) fn validate(v, input)` for a named structure in the set.
pub fn structure_fn(svc: &Service, s: &Structure, set: &BTreeSet<String>) -> TokenStream {
    let ty = s.path();
    let checks = s.members.iter().map(|m| member(svc, m, set));
    let allow = s.has_deprecated().then(|| quote!(#[allow(deprecated)]));
    quote! {
        #allow
        pub(crate) fn validate(v: &mut rt::validation::Validator, input: &#ty) {
            #(#checks)*
        }
    }
}

/// The operation's `Operation::validate`; `set` is [`needs_validation`] of the service.
pub fn operation_fn(svc: &Service, op: &Operation, set: &BTreeSet<String>) -> TokenStream {
    let checks: Vec<_> = op.input.members.iter().filter(|m| member_checks(m, set)).map(|m| member(svc, m, set)).collect();
    let input = &op.input.rust_name;
    if checks.is_empty() {
        return quote! {
            fn validate(_input: &#input) -> Result<(), rt::validation::ValidationError> {
                Ok(())
            }
        };
    }
    let allow = op.input.has_deprecated().then(|| quote!(#[allow(deprecated)]));
    let name = &op.name;
    quote! {
        #allow
        fn validate(input: &#input) -> Result<(), rt::validation::ValidationError> {
            let v = &mut rt::validation::Validator::new();
            #(#checks)*
            std::mem::take(v).finish(#name)
        }
    }
}

fn member(svc: &Service, m: &Member, set: &BTreeSet<String>) -> TokenStream {
    if !member_checks(m, set) {
        return quote!();
    }
    let f = &m.field;
    let name = &m.name;
    // A boxed structure derefs to the `&T` its validator takes.
    let value = quote!(value);
    let limits = limit_check(&m.ty, &m.limits, name, &value);
    let nested = nested_check(svc, &m.ty, name, &value, set);
    let missing = m.required.then(|| quote!(else { v.missing(#name); }));
    if limits.is_empty() && nested.is_empty() {
        return quote! {
            if input.#f.is_none() {
                v.missing(#name);
            }
        };
    }
    quote! {
        if let Some(value) = &input.#f {
            #limits
            #nested
        } #missing
    }
}

/// The `min`/`max` check of one value, reported at `name` below the current path.
fn limit_check(ty: &Type, limits: &Limits, name: &str, value: &TokenStream) -> TokenStream {
    if !has_limits(limits) {
        return quote!();
    }
    let opt_usize = |v: Option<f64>| match v {
        Some(n) => {
            let n = n as usize;
            quote!(Some(#n))
        }
        None => quote!(None),
    };
    let opt_f64 = |v: Option<f64>| match v {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    let len = match ty {
        Type::String => quote!(#value.chars().count()),
        Type::Blob => quote!(#value.as_slice().len()),
        Type::List(_) | Type::Map(_) => quote!(#value.len()),
        Type::Integer | Type::Long | Type::Float | Type::Double => {
            let (min, max) = (opt_f64(limits.min), opt_f64(limits.max));
            return quote!(v.range(#name, *#value as f64, #min, #max););
        }
        _ => return quote!(),
    };
    let (min, max) = (opt_usize(limits.min), opt_usize(limits.max));
    quote!(v.length(#name, #len, #min, #max);)
}

/// Checks inside a value: a nested structure's validator, list items, map values.
fn nested_check(svc: &Service, ty: &Type, name: &str, value: &TokenStream, set: &BTreeSet<String>) -> TokenStream {
    if !type_checks(ty, set) {
        return quote!();
    }
    match ty {
        Type::Structure(key) => {
            let f = protocol_fn(svc, key, "validate");
            quote! {
                let mark = v.enter(#name);
                #f(v, #value);
                v.leave(mark);
            }
        }
        Type::List(l) => {
            let item_limits = limit_check(&l.member, &l.member_limits, "", &quote!(item));
            let item_nested = nested_check(svc, &l.member, "", &quote!(item), set);
            quote! {
                let mark = v.enter(#name);
                for (i, item) in #value.iter().enumerate() {
                    let at = v.enter_index(i);
                    #item_limits
                    #item_nested
                    v.leave(at);
                }
                v.leave(mark);
            }
        }
        Type::Map(m) => {
            let value_nested = nested_check(svc, &m.value, "", &quote!(item), set);
            quote! {
                let mark = v.enter(#name);
                for (key, item) in #value.iter() {
                    let at = v.enter_key(key.as_ref());
                    #value_nested
                    v.leave(at);
                }
                v.leave(mark);
            }
        }
        _ => quote!(),
    }
}

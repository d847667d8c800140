//! IR → Rust source files. One module per concern; this one lays out the crate's files and
//! holds the helpers every emitter shares.

mod auth_token;
mod client;
mod crate_docs;
mod de;
pub mod docs;
mod endpoints;
mod errors;
mod examples;
mod json;
mod operation;
mod paginators;
mod ser;
mod krate;
mod types;
mod validate;
mod waiters;

pub use krate::RUST_VERSION;

use crate::ir::{NamedKind, Service, Type};
use crate::settings::Settings;
use crate::FileMap;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// The JSON bridge's crate, when the settings ask for one (files relative to its folder).
pub fn emit_json_crate(svc: &Service, settings: &Settings) -> Result<Option<FileMap>, String> {
    let Some(json) = &settings.json_crate else { return Ok(None) };
    let header = header(svc);
    let mut files = krate::json_crate(svc, json)?;
    if let Some(lib) = files.get_mut("src/lib.rs") {
        *lib = format!("{header}{lib}");
    }
    Ok(Some(files))
}

/// Emits every file of the crate. Paths are relative to the crate's folder.
pub fn emit(svc: &Service, settings: &Settings) -> Result<FileMap, String> {
    let mut files = FileMap::new();
    let header = header(svc);
    let mut rust = |path: String, tokens: TokenStream| -> Result<(), String> {
        let text = crate::format::format_file(&path, tokens)?;
        files.insert(path, format!("{header}{text}"));
        Ok(())
    };

    rust("src/lib.rs".into(), krate::lib_rs(svc, settings))?;
    rust("src/primitives.rs".into(), krate::primitives_rs())?;
    let full_credentials = settings.credentials == crate::settings::CredentialsChain::Full;
    rust("src/client.rs".into(), client::client_rs(svc, full_credentials))?;
    for op in svc.operations.values() {
        rust(format!("src/client/{}.rs", op.module.as_str()), client::client_method_rs(svc, op))?;
    }
    rust("src/blocking.rs".into(), client::blocking_rs(svc))?;
    rust("src/config.rs".into(), krate::config_rs())?;
    rust("src/error.rs".into(), krate::error_rs())?;
    let error_imports = errors::imports();
    let service_error = errors::service_error(svc);
    rust("src/error_meta.rs".into(), with_imports(quote! { #error_imports #service_error }))?;

    // types/ and types/error/
    let (errors, plain): (Vec<_>, Vec<_>) = svc.shapes.values().partition(|s| s.home == crate::ir::Home::Errors);
    rust("src/types.rs".into(), krate::module_index(svc, &plain, !errors.is_empty(), "types"))?;
    if !errors.is_empty() {
        rust("src/types/error.rs".into(), krate::module_index(svc, &errors, false, "errors"))?;
    }
    for shape in svc.shapes.values() {
        let tokens = match &shape.kind {
            NamedKind::Structure(s) => {
                let tokens = types::structure(svc, s, shape.docs.as_deref(), shape.deprecated.as_ref());
                match s.error {
                    Some(_) => {
                        let (imports, impls) = (errors::error_struct_imports(), errors::error_struct_impls(s, &shape.name, svc));
                        quote! { #imports #tokens #impls }
                    }
                    None => tokens,
                }
            }
            NamedKind::Enum(e) => types::enumeration(shape, e),
        };
        rust(format!("{}/{}.rs", shape.home.folder(), shape.module.as_str()), tokens)?;
    }

    // protocol/: a serializer and/or deserializer per structure that needs one.
    let (ser_set, de_set) = svc.protocol_sets();
    let validate_set = validate::needs_validation(svc, &ser_set);
    let protocol_shapes: Vec<&crate::ir::NamedShape> =
        svc.shapes.values().filter(|s| ser_set.contains(&s.name) || de_set.contains(&s.name)).collect();
    rust("src/protocol.rs".into(), krate::protocol_index(svc, &protocol_shapes))?;
    for shape in &protocol_shapes {
        let NamedKind::Structure(s) = &shape.kind else { continue };
        // Each function is built with the operations that need it: the serializer and
        // validator with those that send the type, the deserializer with those that read it.
        let (send, read) = (&shape.used_by.input, &shape.used_by.output);
        let ser_fn = ser_set.contains(&shape.name).then(|| (ser::structure_fn(svc, s), send));
        let validate_fn = validate_set.contains(&shape.name).then(|| (validate::structure_fn(svc, s, &validate_set), send));
        let de_fn = de_set.contains(&shape.name).then(|| (de::structure_fn(svc, s), read));
        let fns: Vec<_> = [ser_fn, validate_fn, de_fn].into_iter().flatten().collect();
        let doc = format!(" Query-protocol (de)serialization of [`{}`]({}).", shape.rust_name, shape.home.doc_path(&shape.rust_name));
        let tokens = gated_with_imports(svc, &fns);
        rust(format!("src/protocol/{}.rs", shape.module.as_str()), quote! { #![doc = #doc] #tokens })?;
    }

    // operation/<op>/
    rust("src/operation.rs".into(), krate::operation_index(svc))?;
    for op in svc.operations.values() {
        let dir = op.input.home.folder();
        let paginator = svc.paginators.get(&op.name);
        rust(format!("{dir}.rs"), krate::operation_module(op, paginator.is_some()))?;
        if let Some(p) = paginator {
            rust(format!("{dir}/paginator.rs"), paginators::paginator_rs(svc, op, p))?;
        }
        rust(format!("{dir}/builders.rs"), krate::builders_module(svc, op))?;
        let op_error = errors::operation_error(svc, op);
        rust(format!("{dir}/error.rs"), with_imports(quote! { #error_imports #op_error }))?;
        rust(format!("{dir}/protocol.rs"), with_imports(operation::operation_type(svc, op, &validate_set)))?;
        for (file, s) in [("input", &op.input), ("output", &op.output)] {
            let docs = op_io_doc(op, file);
            rust(format!("{dir}/{file}.rs"), types::structure(svc, s, Some(&docs), None))?;
        }
    }

    if !svc.waiters.is_empty() {
        rust("src/waiters.rs".into(), waiters::index_rs(svc))?;
        for w in svc.waiters.values() {
            rust(format!("src/waiters/{}.rs", w.module.as_str()), waiters::waiter_rs(svc, w))?;
        }
    }
    if settings.json_crate.is_none() {
        rust("src/json.rs".into(), json::json_rs(svc, &quote!(crate)))?;
    }
    if let Some(tokens) = endpoints::endpoint_rs(svc) {
        rust("src/endpoint.rs".into(), tokens)?;
    }
    if settings.auth_token {
        rust("src/auth_token.rs".into(), auth_token::auth_token_rs(svc))?;
    }
    if let Some(sync) = &settings.sync {
        rust("build.rs".into(), krate::build_rs(sync))?;
    }
    files.insert("Cargo.toml".into(), krate::cargo_toml(svc, settings));
    if settings.publish {
        files.insert("README.md".into(), krate::readme_md(svc));
    }
    Ok(files)
}

/// `p::<module>::<which>`: the (de)serializer or validator of a named structure, as the
/// protocol files name it (they import `crate::protocol as p`, see [`with_imports`]).
pub(crate) fn protocol_fn(svc: &Service, key: &str, which: &str) -> TokenStream {
    let module = &svc.shape(key).module;
    let f = crate::ir::names::fixed(which);
    quote!(p::#module::#f)
}

/// The `index`th item of the slice `list` as an `Option<&T>`, counted from the end when
/// negative (JMESPath's `[-1]` is the last), written the way clippy likes it.
pub(crate) fn index_expr(list: TokenStream, index: i64) -> TokenStream {
    match index {
        0 => quote!(#list.first()),
        -1 => quote!(#list.last()),
        n if n > 0 => {
            let i = n as usize;
            quote!(#list.get(#i))
        }
        n => {
            let back = n.unsigned_abs() as usize;
            quote!(#list.len().checked_sub(#back).and_then(|i| #list.get(i)))
        }
    }
}

/// `crate::protocol::<module>::<which>`, for other files.
pub(crate) fn protocol_path(svc: &Service, key: &str, which: &str) -> TokenStream {
    let module = &svc.shape(key).module;
    let f = crate::ir::names::fixed(which);
    quote!(crate::protocol::#module::#f)
}

/// `tokens` with `p` imported for the crate's protocol module when they use it (so the import
/// is never unused). The runtime needs no import: `rt` is the crate's alias for it (lib.rs).
fn with_imports(tokens: TokenStream) -> TokenStream {
    let p = uses_root(&tokens, "p").then(|| quote!(use crate::protocol as p;));
    quote! { #p #tokens }
}

/// The functions of a protocol file, each under the `#[cfg]` of the features that need it,
/// with `p` imported under the features of those that use it (so the import is never unused).
fn gated_with_imports(svc: &Service, fns: &[(TokenStream, &BTreeSet<String>)]) -> TokenStream {
    let users: Vec<&BTreeSet<String>> = fns.iter().filter(|(f, _)| uses_root(f, "p")).map(|(_, features)| *features).collect();
    // A function needed by no operation is always built, and so is the import it uses.
    let import = if users.is_empty() {
        None
    } else if users.iter().any(|features| features.is_empty()) {
        Some(quote!(use crate::protocol as p;))
    } else {
        let cfg = feature_cfg(svc, users.into_iter().flatten().collect::<BTreeSet<_>>());
        Some(quote!(#cfg use crate::protocol as p;))
    };
    let fns = fns.iter().map(|(f, features)| {
        let cfg = feature_cfg(svc, *features);
        quote! { #cfg #f }
    });
    quote! { #import #(#fns)* }
}

/// `#[cfg(...)]` for an item that only the operation features `features` need: nothing when
/// the crate has no operation features, or when no operation reaches the item (it is then
/// always built, as in a crate without features).
pub(crate) fn feature_cfg<'a>(svc: &Service, features: impl IntoIterator<Item = &'a String>) -> TokenStream {
    if svc.features.is_none() {
        return TokenStream::new();
    }
    let features: Vec<&String> = features.into_iter().collect();
    match features.as_slice() {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// `tokens` hold a path starting with `name::`.
fn uses_root(tokens: &TokenStream, name: &str) -> bool {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, t)| match t {
        TokenTree::Ident(id) => {
            id == name
                && matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':')
                && !matches!(i.checked_sub(1).and_then(|j| trees.get(j)), Some(TokenTree::Punct(p)) if p.as_char() == ':')
        }
        TokenTree::Group(g) => uses_root(&g.stream(), name),
        _ => false,
    })
}

fn op_io_doc(op: &crate::ir::Operation, which: &str) -> String {
    format!("<p>The {which} of <a>{}</a>.</p>", op.name)
}

fn header(svc: &Service) -> String {
    format!(
        "// @generated by `cargo xtask regenerate` from {} ({} {}).\n// Do not edit: change the model or the codegen and regenerate.\n\n",
        svc.model_file, svc.meta.full_name, svc.meta.api_version
    )
}

/// The Rust type of an IR type, as used in generated code.
pub(crate) fn rust_type(svc: &Service, ty: &Type) -> TokenStream {
    rust_type_in(svc, ty, &quote!(crate))
}

/// [`rust_type`] from `root`: `crate` inside the crate, its name outside.
pub(crate) fn rust_type_in(svc: &Service, ty: &Type, root: &TokenStream) -> TokenStream {
    svc.rust_type(ty).tokens(root)
}

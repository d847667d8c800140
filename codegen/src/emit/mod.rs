//! IR → Rust source files. One module per concern; this one lays out the crate's files and
//! holds the helpers every emitter shares.

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

use crate::ir::{NamedKind, Service, Type};
use crate::settings::Settings;
use crate::FileMap;
use proc_macro2::TokenStream;
use quote::quote;

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
    rust("src/client.rs".into(), client::client_rs(svc))?;
    rust("src/blocking.rs".into(), client::blocking_rs(svc))?;
    rust("src/config.rs".into(), krate::config_rs())?;
    rust("src/error.rs".into(), krate::error_rs())?;
    rust("src/error_meta.rs".into(), errors::service_error(svc))?;

    // types/ and types/error/
    let (errors, plain): (Vec<_>, Vec<_>) = svc.shapes.values().partition(|s| s.home == crate::ir::Home::Errors);
    rust("src/types.rs".into(), krate::module_index(&plain, !errors.is_empty(), "types"))?;
    if !errors.is_empty() {
        rust("src/types/error.rs".into(), krate::module_index(&errors, false, "errors"))?;
    }
    for shape in svc.shapes.values() {
        let tokens = match &shape.kind {
            NamedKind::Structure(s) => types::structure(svc, s, shape.docs.as_deref(), shape.deprecated.as_ref()),
            NamedKind::Enum(e) => types::enumeration(shape, e),
        };
        rust(format!("{}/{}.rs", shape.home.folder(), shape.module.as_str()), tokens)?;
    }

    // protocol/: a serializer and/or deserializer per structure that needs one.
    let (ser_set, de_set) = svc.protocol_sets();
    let validate_set = validate::needs_validation(svc, &ser_set);
    let protocol_shapes: Vec<&crate::ir::NamedShape> =
        svc.shapes.values().filter(|s| ser_set.contains(&s.name) || de_set.contains(&s.name)).collect();
    rust("src/protocol.rs".into(), krate::protocol_index(&protocol_shapes))?;
    for shape in &protocol_shapes {
        let NamedKind::Structure(s) = &shape.kind else { continue };
        let ser_fn = ser_set.contains(&shape.name).then(|| ser::structure_fn(svc, s));
        let de_fn = de_set.contains(&shape.name).then(|| de::structure_fn(svc, s));
        let validate_fn = validate_set.contains(&shape.name).then(|| validate::structure_fn(svc, s, &validate_set));
        let doc = format!(" Query-protocol (de)serialization of [`{}`]({}).", shape.rust_name, shape.home.doc_path(&shape.rust_name));
        let tokens = quote! {
            #![doc = #doc]
            #ser_fn
            #validate_fn
            #de_fn
        };
        rust(format!("src/protocol/{}.rs", shape.module.as_str()), tokens)?;
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
        rust(format!("{dir}/error.rs"), errors::operation_error(svc, op))?;
        rust(format!("{dir}/protocol.rs"), operation::operation_type(svc, op, &validate_set))?;
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
    rust("src/json.rs".into(), json::json_rs(svc))?;
    if let Some(tokens) = endpoints::endpoint_rs(svc) {
        rust("src/endpoint.rs".into(), tokens)?;
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

/// `crate::protocol::<module>::<which>`: the (de)serializer of a named structure.
pub(crate) fn protocol_fn(svc: &Service, key: &str, which: &str) -> TokenStream {
    let module = &svc.shape(key).module;
    let f = proc_macro2::Ident::new(which, proc_macro2::Span::call_site());
    quote!(crate::protocol::#module::#f)
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
    match ty {
        Type::String => quote!(String),
        Type::Boolean => quote!(bool),
        Type::Integer => quote!(i32),
        Type::Long => quote!(i64),
        Type::Float => quote!(f32),
        Type::Double => quote!(f64),
        Type::Timestamp(_) => quote!(crate::primitives::DateTime),
        Type::Blob => quote!(crate::primitives::Blob),
        Type::Enum(key) | Type::Structure(key) => svc.type_path(key),
        Type::List(l) => {
            let item = rust_type(svc, &l.member);
            quote!(Vec<#item>)
        }
        Type::Map(m) => {
            let k = rust_type(svc, &m.key);
            let v = rust_type(svc, &m.value);
            quote!(indexmap::IndexMap<#k, #v>)
        }
    }
}

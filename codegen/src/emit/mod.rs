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
use crate::FileMap;
use std::collections::BTreeSet;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// How the generated crate is wired into its surroundings.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Dependency line for the runtime crate, e.g. `{ path = "../../runtime" }`.
    pub runtime_dep: String,
    /// Dependency line for `aws-query-credentials` (the STS-based credential sources), or
    /// `None` for a crate with the basic chain only (`credentials = "basic"`).
    pub credentials_dep: Option<String>,
    /// Set for crates kept in sync by their own build script: the paths it needs.
    pub sync: Option<SyncPaths>,
    /// Give the crate an empty `[workspace]` so it builds where it stands.
    pub standalone: bool,
}

/// Paths the sync build script uses, relative to the generated crate's folder.
#[derive(Debug, Clone)]
pub struct SyncPaths {
    pub codegen: String,
    pub repo_root: String,
    /// The model folder relative to the repository root.
    pub model_dir: String,
}

/// Emits every file of the crate. Paths are relative to the crate's folder.
pub fn emit(svc: &Service, layout: &Layout) -> Result<FileMap, String> {
    let mut files = FileMap::new();
    let header = header(svc);
    let mut rust = |path: String, tokens: TokenStream| -> Result<(), String> {
        let text = crate::format::format_file(&path, tokens)?;
        files.insert(path, format!("{header}{text}"));
        Ok(())
    };

    rust("src/lib.rs".into(), krate::lib_rs(svc))?;
    rust("src/primitives.rs".into(), krate::primitives_rs())?;
    rust("src/client.rs".into(), client::client_rs(svc, layout.credentials_dep.is_some()))?;
    rust("src/blocking.rs".into(), client::blocking_rs(svc))?;
    rust("src/config.rs".into(), krate::config_rs())?;
    rust("src/error.rs".into(), krate::error_rs())?;
    rust("src/error_meta.rs".into(), errors::service_error(svc))?;

    // types/ and types/error/
    let (errors, plain): (Vec<_>, Vec<_>) = svc.shapes.values().partition(|s| is_error(s));
    rust("src/types.rs".into(), krate::module_index(&plain, !errors.is_empty(), "types"))?;
    if !errors.is_empty() {
        rust("src/types/error.rs".into(), krate::module_index(&errors, false, "errors"))?;
    }
    for shape in svc.shapes.values() {
        let folder = if is_error(shape) { "src/types/error" } else { "src/types" };
        let tokens = match &shape.kind {
            NamedKind::Structure(s) => {
                let builder = format_ident!("{}Builder", s.rust_name);
                let path = if is_error(shape) { quote!(crate::types::error::builders::#builder) } else { quote!(crate::types::builders::#builder) };
                types::structure(svc, s, shape.docs.as_deref(), shape.deprecated.as_ref(), path)
            }
            NamedKind::Enum(e) => types::enumeration(shape, e),
        };
        rust(format!("{folder}/{}.rs", crate::ir::names::bare(&shape.module)), tokens)?;
    }

    // protocol/: a serializer and/or deserializer per structure that needs one.
    let (ser_set, de_set) = protocol_sets(svc);
    let validate_set = validate::needs_validation(svc, &ser_set);
    let protocol_shapes: Vec<&crate::ir::NamedShape> =
        svc.shapes.values().filter(|s| ser_set.contains(&s.name) || de_set.contains(&s.name)).collect();
    rust("src/protocol.rs".into(), krate::protocol_index(&protocol_shapes))?;
    for shape in &protocol_shapes {
        let NamedKind::Structure(s) = &shape.kind else { continue };
        let ty = rust_type(svc, &Type::Structure(shape.name.clone()));
        let ser_fn = ser_set.contains(&shape.name).then(|| ser::structure_fn(svc, s, ty.clone()));
        let de_fn = de_set.contains(&shape.name).then(|| de::structure_fn(svc, s, ty.clone()));
        let validate_fn = validate_set.contains(&shape.name).then(|| validate::structure_fn(svc, s, ty.clone(), &validate_set));
        let doc = format!(" Query-protocol (de)serialization of [`{}`]({}).", shape.rust_name, quote!(#ty).to_string().replace(' ', ""));
        let tokens = quote! {
            #![doc = #doc]
            #ser_fn
            #validate_fn
            #de_fn
        };
        rust(format!("src/protocol/{}.rs", crate::ir::names::bare(&shape.module)), tokens)?;
    }

    // operation/<op>/
    rust("src/operation.rs".into(), krate::operation_index(svc))?;
    for op in svc.operations.values() {
        let dir = format!("src/operation/{}", crate::ir::names::bare(&op.snake));
        let paginator = svc.paginators.get(&op.name);
        rust(format!("{dir}.rs"), krate::operation_module(op, paginator.is_some()))?;
        if let Some(p) = paginator {
            rust(format!("{dir}/paginator.rs"), paginators::paginator_rs(svc, op, p))?;
        }
        rust(format!("{dir}/builders.rs"), krate::builders_module(svc, op))?;
        rust(format!("{dir}/error.rs"), errors::operation_error(svc, op))?;
        rust(format!("{dir}/protocol.rs"), operation::operation_type(svc, op, &validate_set))?;
        for (file, s) in [("input", &op.input), ("output", &op.output)] {
            let builder = format_ident!("{}Builder", s.rust_name);
            let module = ident(&op.snake);
            let path = quote!(crate::operation::#module::builders::#builder);
            let docs = op_io_doc(op, file);
            rust(format!("{dir}/{file}.rs"), types::structure(svc, s, Some(&docs), None, path))?;
        }
    }

    if !svc.waiters.is_empty() {
        rust("src/waiters.rs".into(), waiters::index_rs(svc))?;
        for w in svc.waiters.values() {
            rust(format!("src/waiters/{}.rs", w.snake), waiters::waiter_rs(svc, w))?;
        }
    }
    rust("src/json.rs".into(), json::json_rs(svc))?;
    if let Some(tokens) = endpoints::endpoint_rs(svc) {
        rust("src/endpoint.rs".into(), tokens)?;
    }
    if let Some(sync) = &layout.sync {
        rust("build.rs".into(), krate::build_rs(sync))?;
    }
    files.insert("Cargo.toml".into(), krate::cargo_toml(svc, layout));
    Ok(files)
}

/// Named structures that need a serializer (reached from inputs) and a deserializer
/// (reached from outputs and errors). Emitting only these keeps dead code out.
pub(crate) fn protocol_sets(svc: &Service) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut ser_set = BTreeSet::new();
    let mut de_set = BTreeSet::new();
    for op in svc.operations.values() {
        for m in &op.input.members {
            collect_structures(svc, &m.ty, &mut ser_set);
        }
        for m in &op.output.members {
            collect_structures(svc, &m.ty, &mut de_set);
        }
    }
    // Every error shape: the service-wide `Error` reads them all.
    for (key, shape) in &svc.shapes {
        if is_error(shape) {
            collect_structures(svc, &Type::Structure(key.clone()), &mut de_set);
        }
    }
    (ser_set, de_set)
}

fn collect_structures(svc: &Service, ty: &Type, out: &mut BTreeSet<String>) {
    match ty {
        Type::Structure(key) if out.insert(key.clone()) => {
            if let NamedKind::Structure(s) = &svc.shape(key).kind {
                for m in &s.members {
                    collect_structures(svc, &m.ty, out);
                }
            }
        }
        Type::List(l) => collect_structures(svc, &l.member, out),
        Type::Map(m) => {
            collect_structures(svc, &m.key, out);
            collect_structures(svc, &m.value, out);
        }
        _ => {}
    }
}

/// `crate::protocol::<module>::<which>`: the (de)serializer of a named structure.
pub(crate) fn protocol_fn(svc: &Service, key: &str, which: &str) -> TokenStream {
    let module = ident(&svc.shape(key).module);
    let f = format_ident!("{}", which);
    quote!(crate::protocol::#module::#f)
}

fn op_io_doc(op: &crate::ir::Operation, which: &str) -> String {
    format!("<p>The {which} of <a>{}</a>.</p>", op.name)
}

fn is_error(shape: &crate::ir::NamedShape) -> bool {
    matches!(&shape.kind, NamedKind::Structure(s) if s.error.is_some())
}

fn header(svc: &Service) -> String {
    format!(
        "// @generated by `cargo xtask regenerate` from {} ({} {}).\n// Do not edit: change the model or the codegen and regenerate.\n\n",
        svc.model_file, svc.meta.full_name, svc.meta.api_version
    )
}

/// An identifier, raw when the IR made it one (`r#type`).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
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
        Type::Enum(key) | Type::Structure(key) => {
            let shape = svc.shape(key);
            let name = format_ident!("{}", shape.rust_name);
            if is_error(shape) {
                quote!(crate::types::error::#name)
            } else {
                quote!(crate::types::#name)
            }
        }
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

//! `cargo xtask regenerate`.

use crate::{repo_root, take_flag, take_value};
use codegen::{FileMap, Layout, RuntimeDep, ServiceConfig};
use std::path::{Component, Path, PathBuf};
use std::time::Instant;

pub fn run(args: &[String]) -> Result<(), String> {
    let mut args = args.to_vec();
    let check = take_flag(&mut args, "--check");
    let model = take_value(&mut args, "--model")?;
    let out = take_value(&mut args, "--out")?;
    let crate_name = take_value(&mut args, "--crate-name")?;
    if let Some(extra) = args.first() {
        return Err(format!("error: unexpected argument `{extra}`"));
    }
    match (model, out) {
        (Some(model), Some(out)) => one_model(Path::new(&model), Path::new(&out), crate_name, check),
        (None, None) if crate_name.is_none() => all_configured(check),
        _ => Err("error: --model and --out go together (and --crate-name needs them)".to_owned()),
    }
}

fn all_configured(check: bool) -> Result<(), String> {
    let root = repo_root();
    let services = codegen::all_configured(&root).map_err(|e| e.to_string())?;
    let mut drifted = 0;
    for svc in &services {
        let start = Instant::now();
        let files = svc.generate().map_err(|e| e.to_string())?;
        let shown = svc.out.strip_prefix(&root).unwrap_or(&svc.out).display().to_string();
        if check {
            drifted += report_drift(&svc.out, &shown, &files);
        } else {
            write(&svc.out, &shown, &files, start)?;
        }
    }
    if drifted > 0 {
        return Err(format!("error: {drifted} generated files are out of date; run `cargo xtask regenerate`"));
    }
    Ok(())
}

fn one_model(model: &Path, out: &Path, crate_name: Option<String>, check: bool) -> Result<(), String> {
    let start = Instant::now();
    let root = repo_root();
    let crate_name = match crate_name {
        Some(name) => name,
        None => default_crate_name(model)?,
    };
    std::fs::create_dir_all(out).map_err(|e| format!("error: {}: {e}", out.display()))?;
    let out_abs = out.canonicalize().map_err(|e| format!("error: {}: {e}", out.display()))?;
    let runtime = relative_path(&out_abs, &root.join("runtime"));
    let config = ServiceConfig {
        model: model.to_owned(),
        crate_name,
        version: "0.1.0".to_owned(),
        description: None,
        allow: Vec::new(),
        runtime: RuntimeDep::Path(runtime.clone()),
    };
    let layout = Layout { runtime_dep: format!("{{ path = \"{runtime}\" }}"), sync: None, standalone: true };
    let model_name = model.to_string_lossy().replace('\\', "/");
    let files = codegen::generate(&config, &layout, &model_name).map_err(|e| e.to_string())?;
    let shown = out.display().to_string();
    if check {
        if report_drift(out, &shown, &files) > 0 {
            return Err("error: the crate is out of date".to_owned());
        }
        return Ok(());
    }
    write(out, &shown, &files, start)
}

fn write(out: &Path, shown: &str, files: &FileMap, start: Instant) -> Result<(), String> {
    let report = codegen::write::write_files(out, files).map_err(|e| format!("error: writing {shown}: {e}"))?;
    eprintln!(
        "{shown}: {} files ({} written, {} unchanged, {} removed) in {:.0?}",
        files.len(),
        report.written.len(),
        report.unchanged,
        report.removed.len(),
        start.elapsed()
    );
    Ok(())
}

/// Prints the drift between `files` and `out`; returns how many files differ.
fn report_drift(out: &Path, shown: &str, files: &FileMap) -> usize {
    let drift = codegen::write::check_files(out, files);
    for d in drift.iter().take(20) {
        eprintln!("{shown}/{d}");
    }
    if drift.len() > 20 {
        eprintln!("… and {} more", drift.len() - 20);
    }
    if drift.is_empty() {
        eprintln!("{shown}: up to date ({} files)", files.len());
    }
    drift.len()
}

/// `serviceId`, lower-cased and hyphenated, else the model's folder name.
fn default_crate_name(model: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(model).map_err(|e| format!("error: {}: cannot read: {e}", model.display()))?;
    let parsed = codegen::model::parse_service(model, &text)
        .map_err(|errors| errors.iter().map(|e| format!("error: {e}")).collect::<Vec<_>>().join("\n"))?;
    let id = parsed.metadata.service_id.or(parsed.metadata.endpoint_prefix).unwrap_or_else(|| "service".to_owned());
    Ok(id.to_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-"))
}

/// The relative path from folder `from` to `to`, both absolute.
fn relative_path(from: &Path, to: &Path) -> String {
    let to = to.canonicalize().unwrap_or_else(|_| to.to_owned());
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); a.len() - common];
    parts.extend(b[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    let rel: PathBuf = parts.iter().collect();
    rel.to_string_lossy().replace('\\', "/")
}

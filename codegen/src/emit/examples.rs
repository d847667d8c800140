//! The model's examples as doc examples: builder calls with the example's input values,
//! compiled by `cargo test --doc` (`no_run`), the example's output shown as a comment.

use crate::ir::examples::{Example, Setting, Value};
use crate::ir::{Literal, Operation, Service};

/// Markdown for the examples of `op` (empty when it has none).
pub fn examples_markdown(svc: &Service, krate: &str, op: &Operation, examples: &[Example]) -> String {
    let mut out = String::new();
    for e in examples {
        let title = e.title.clone().unwrap_or_else(|| op.name.clone());
        out.push_str(&format!("\n\n# Example: {}\n", title.trim()));
        // Some examples have an empty description (`""`): no empty paragraph for them.
        let description = e.description.as_deref().map(super::docs::to_markdown);
        if let Some(d) = description.filter(|d| !d.trim().is_empty()) {
            out.push('\n');
            out.push_str(&d);
            out.push('\n');
        }
        out.push_str("\n```rust,no_run\n");
        out.push_str(&format!(
            "# async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n"
        ));
        out.push_str(&format!("let output = client\n    .{}()\n", op.method));
        for line in settings_lines(svc, krate, &e.input, 1) {
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str("    .send()\n    .await?;\n");
        match &e.output {
            Some(output @ Literal::Object(fields)) if !fields.is_empty() => {
                out.push_str("// The service answers, for example:\n");
                let pretty = serde_json::to_string_pretty(&abridged(output).to_json()).unwrap_or_default();
                for line in pretty.lines() {
                    out.push_str(&format!("// {line}\n"));
                }
            }
            _ => {}
        }
        out.push_str("# let _ = output;\n# Ok(())\n# }\n```");
    }
    out
}

/// Lists in an example's output cut to their first items: a page of 40 parameters says
/// no more than three do, and buries the rest of the page.
fn abridged(v: &Literal) -> Literal {
    const KEEP: usize = 3;
    match v {
        Literal::List(items) if items.len() > KEEP + 1 => {
            let mut kept: Vec<Literal> = items[..KEEP].iter().map(abridged).collect();
            kept.push(Literal::Str(format!("… {} more", items.len() - KEEP)));
            Literal::List(kept)
        }
        Literal::List(items) => Literal::List(items.iter().map(abridged).collect()),
        Literal::Object(fields) => Literal::Object(fields.iter().map(|(k, v)| (k.clone(), abridged(v))).collect()),
        other => other.clone(),
    }
}

/// `.field(value)` lines at `depth` (four spaces each); lists and maps call the setter
/// once per item, as the builders append.
fn settings_lines(svc: &Service, krate: &str, settings: &[Setting], depth: usize) -> Vec<String> {
    let pad = "    ".repeat(depth);
    let mut lines = Vec::new();
    for s in settings {
        // The setter is named like the field (`r#type` included).
        let field = &s.field.to_string();
        match &s.value {
            Value::List(items) => {
                for item in items {
                    push_call(&mut lines, &pad, field, &value(svc, krate, item, depth));
                }
            }
            Value::Map(entries) => {
                for (k, v) in entries {
                    push_call(&mut lines, &pad, field, &format!("{k:?}, {}", value(svc, krate, v, depth)));
                }
            }
            v => push_call(&mut lines, &pad, field, &value(svc, krate, v, depth)),
        }
    }
    lines
}

fn push_call(lines: &mut Vec<String>, pad: &str, field: &str, arg: &str) {
    if arg.contains('\n') {
        lines.push(format!("{pad}.{field}(\n{pad}    {arg},\n{pad})"));
    } else {
        lines.push(format!("{pad}.{field}({arg})"));
    }
}

/// A value as a Rust expression (a structure as a multi-line builder chain).
fn value(svc: &Service, krate: &str, v: &Value, depth: usize) -> String {
    match v {
        Value::Str(s) => format!("{s:?}"),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float { value, single } => format!("{value:?}{}", if *single { "f32" } else { "f64" }),
        Value::Timestamp(t) => format!("{krate}::primitives::parse_timestamp({t:?})?"),
        Value::Struct { shape, settings } => {
            let inner_pad = "    ".repeat(depth + 2);
            let named = svc.shape(shape);
            let path = named.home.doc_path(&named.rust_name).replacen("crate", krate, 1);
            let mut s = format!("{path}::builder()");
            for line in settings_lines(svc, krate, settings, depth + 2) {
                s.push('\n');
                s.push_str(&line);
            }
            s.push_str(&format!("\n{inner_pad}.build()"));
            s
        }
        // Lists and maps inside values are unrolled by `settings_lines`; one that is a list
        // item itself (a list of lists) is written as a vector.
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(|i| value(svc, krate, i, depth)).collect();
            format!("vec![{}]", items.join(", "))
        }
        Value::Map(entries) => {
            let items: Vec<String> = entries.iter().map(|(k, v)| format!("({k:?}.to_owned(), {})", value(svc, krate, v, depth))).collect();
            format!("[{}].into_iter().collect()", items.join(", "))
        }
    }
}

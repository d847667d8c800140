//! Which module of a crate may import which: each crate's modules in layers, lowest first, kept
//! here and nowhere else. A module may use modules of its own layer or of lower ones; no two
//! modules may use each other, even through others (no circle of imports, in a layer or
//! across). `cargo xtask layers` checks the runtime, the codegen and xtask; the `layers` test
//! suite runs the same check.
//!
//! A module is a top-level module of the crate (`src/credentials/*.rs` is `credentials`);
//! `lib` and `main` are the crate roots. What counts as an import: a path through `crate::`
//! (or `$crate::` in a macro, or `super::` out of a top-level module) in code, outside comments
//! and `#[cfg(test)]` modules. Declaring a module (`mod x;`) is not an import.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A crate's layers.
pub struct Layers {
    /// The crate's folder, from the repository root.
    pub dir: &'static str,
    /// Layers, lowest first: a name and its modules.
    pub layers: &'static [(&'static str, &'static [&'static str])],
}

/// The runtime: values and wire formats, then what signs a request and where it goes, then the
/// configuration made of those, then the client that runs calls.
pub const RUNTIME: Layers = Layers {
    dir: "runtime/src",
    layers: &[
        (
            "primitives",
            &[
                "lib", "base64", "hex", "number", "compression", "idempotency", "endpoint_label", "minijson", "validation", "primitives",
                "time", "query", "xml", "error", "http", "retry", "values", "skew", "trace", "sdk_error",
            ],
        ),
        ("signing, credentials and endpoints", &["sigv4", "credentials", "region", "endpoint"]),
        ("config", &["config", "intercept"]),
        ("client and operation", &["client", "mocked", "operation", "paginator", "waiter", "macros", "json", "auth_token"]),
    ],
};

/// The codegen: the model, its settings, the IR decided from them, the formatter, then the
/// front ends that read only the IR (emitters, the model diff), then writing and the entry
/// points (`generate`, the build-script sync).
pub const CODEGEN: Layers = Layers {
    dir: "codegen/src",
    layers: &[
        ("model", &["model"]),
        ("settings", &["settings"]),
        ("ir", &["ir"]),
        ("formatting", &["format"]),
        ("front ends", &["emit", "diff"]),
        ("output", &["write"]),
        ("entry points", &["lib", "sync"]),
    ],
};

/// xtask: helpers, then the commands, then the entry point.
pub const XTASK: Layers = Layers {
    dir: "xtask/src",
    layers: &[
        ("shared", &["lib", "nested", "layers", "args", "archive", "changelog"]),
        ("sources", &["botocore", "update_plan", "protocol_suite", "snapshot"]),
        (
            "commands",
            &[
                "regenerate", "diff", "semver_checks", "update_model", "package", "bench_compile", "compat", "api_compat", "check_services",
                "check_features",
                "locks", "check_latest",
            ],
        ),
        ("the suite", &["test"]),
        ("entry point", &["main"]),
    ],
};

/// Every checked crate.
pub const ALL: [&Layers; 3] = [&RUNTIME, &CODEGEN, &XTASK];

/// An import that breaks the layers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    /// `from` (in layer `from_layer`) uses `to`, of the higher layer `to_layer`.
    Upward { from: String, from_layer: String, to: String, to_layer: String, file: String },
    /// These modules use each other, through the others in the list.
    Circle(Vec<String>),
    /// A module in no layer.
    Unplaced { module: String, file: String },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Upward { from, from_layer, to, to_layer, file } => {
                write!(f, "{file}: `{from}` ({from_layer}) imports `{to}`, of a higher layer ({to_layer})")
            }
            Problem::Circle(modules) => write!(f, "a circle of imports: {} -> {}", modules.join(" -> "), modules.first().map_or("", String::as_str)),
            Problem::Unplaced { module, file } => write!(f, "{file}: module `{module}` is in no layer (add it to xtask/src/layers.rs)"),
        }
    }
}

/// The imports between a crate's modules: module → (module it uses → the first file that does).
pub type Graph = BTreeMap<String, BTreeMap<String, String>>;

/// Reads the crate at `root/<layers.dir>` and checks it.
pub fn check(root: &Path, layers: &Layers) -> Result<Graph, Vec<Problem>> {
    let graph = read_graph(&root.join(layers.dir))?;
    let problems = problems(&graph, layers);
    if problems.is_empty() {
        Ok(graph)
    } else {
        Err(problems)
    }
}

/// Problems of `graph` against `layers`.
pub fn problems(graph: &Graph, layers: &Layers) -> Vec<Problem> {
    let layer_of = |m: &str| layers.layers.iter().position(|(_, ms)| ms.contains(&m));
    let name = |i: usize| layers.layers.get(i).map_or("", |(n, _)| *n).to_owned();
    let mut out = Vec::new();
    let mut unplaced: BTreeMap<&str, &str> = BTreeMap::new();
    for (from, uses) in graph {
        let Some(from_layer) = layer_of(from) else {
            unplaced.entry(from.as_str()).or_insert_with(|| uses.values().next().map_or("", String::as_str));
            continue;
        };
        for (to, file) in uses {
            match layer_of(to) {
                Some(to_layer) if to_layer > from_layer => out.push(Problem::Upward {
                    from: from.clone(),
                    from_layer: name(from_layer),
                    to: to.clone(),
                    to_layer: name(to_layer),
                    file: file.clone(),
                }),
                Some(_) => {}
                None => {
                    unplaced.insert(to.as_str(), file.as_str());
                }
            }
        }
    }
    out.extend(unplaced.into_iter().map(|(module, file)| Problem::Unplaced { module: module.to_owned(), file: file.to_owned() }));
    out.extend(circles(graph).into_iter().map(Problem::Circle));
    out.sort();
    out.dedup();
    out
}

/// The modules of the crate at `src` and what each imports from the others.
pub fn read_graph(src: &Path) -> Result<Graph, Vec<Problem>> {
    let mut files = Vec::new();
    collect(src, &mut files);
    files.sort();
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(src, f)).collect();
    let mut graph = Graph::new();
    for file in &files {
        let module = module_of(src, file);
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        let shown = file.strip_prefix(src.parent().unwrap_or(src)).unwrap_or(file).display().to_string();
        let uses = graph.entry(module.clone()).or_default();
        let top_level = is_top_level(src, file);
        for used in imports(&text, top_level) {
            if used != module && modules.contains(&used) {
                uses.entry(used).or_insert_with(|| shown.clone());
            }
        }
    }
    Ok(graph)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a.rs`, `src/a/mod.rs`, `src/a/b.rs` → `a`; `src/lib.rs` → `lib`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    first.strip_suffix(".rs").map(str::to_owned).unwrap_or(first)
}

/// A file whose `super::` is the crate root: `src/a.rs` or `src/a/mod.rs`.
fn is_top_level(src: &Path, file: &Path) -> bool {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let depth = rel.components().count();
    depth == 1 || (depth == 2 && rel.file_name().is_some_and(|n| n == "mod.rs"))
}

/// The top-level modules a source text names in code: `crate::x`, `$crate::x`, and in a
/// top-level file `super::x` (test modules and comments left out).
pub fn imports(text: &str, top_level: bool) -> BTreeSet<String> {
    let code = without_tests(&without_comments(text));
    let mut out = BTreeSet::new();
    let mut prefixes = vec!["crate::"];
    if top_level {
        prefixes.push("super::");
    }
    for prefix in prefixes {
        let mut rest = code.as_str();
        while let Some(at) = rest.find(prefix) {
            // `crate::` preceded by an identifier character is another word (`xcrate::`),
            // except `$crate::`.
            let before = rest[..at].chars().next_back();
            let after = &rest[at + prefix.len()..];
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() && name != "super" {
                    out.insert(name);
                }
                // `crate::{a, b::c}`: each name in the braces.
                if after.starts_with('{') {
                    let inner = &after[1..after.find('}').unwrap_or(after.len())];
                    for part in inner.split(',') {
                        let name: String = part.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        if !name.is_empty() && name != "self" {
                            out.insert(name);
                        }
                    }
                }
            }
            rest = after;
        }
    }
    out
}

/// The text without `//` comments (doc comments too) and `/* */` comments; string literals
/// are kept as they are (a `//` inside one is rare in this code and only hides the rest of
/// its line).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut block = 0usize;
    for line in text.lines() {
        let mut rest = line;
        let mut kept = String::new();
        loop {
            if block > 0 {
                match rest.find("*/") {
                    Some(at) => {
                        block -= 1;
                        rest = &rest[at + 2..];
                    }
                    None => break,
                }
            } else {
                let line_comment = rest.find("//");
                let block_comment = rest.find("/*");
                match (line_comment, block_comment) {
                    (Some(l), b) if b.is_none_or(|b| l < b) => {
                        kept.push_str(&rest[..l]);
                        break;
                    }
                    (_, Some(b)) => {
                        kept.push_str(&rest[..b]);
                        block += 1;
                        rest = &rest[b + 2..];
                    }
                    _ => {
                        kept.push_str(rest);
                        break;
                    }
                }
            }
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// The text without its `#[cfg(test)]` modules (from the attribute to the module's closing
/// brace at the same depth).
fn without_tests(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // Only a module: `#[cfg(test)] mod name {`.
        let is_module = after["#[cfg(test)]".len()..].trim_start().starts_with("mod ");
        let open = after.find('{');
        match (is_module, open) {
            (true, Some(open)) => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (i, c) in after[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            _ => {
                out.push_str("#[cfg(test)]");
                rest = &after["#[cfg(test)]".len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every circle of imports (strongly connected set of more than one module), each listed from
/// its smallest name, in the order the imports go.
pub fn circles(graph: &Graph) -> Vec<Vec<String>> {
    // Tarjan's strongly connected components.
    struct State<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        let uses: Vec<&'a str> = s.graph.get(v).map(|u| u.keys().map(String::as_str).collect()).unwrap_or_default();
        for w in uses {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[w].min(s.low[v]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.index[w].min(s.low[v]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.out.push(order_circle(s.graph, component));
            }
        }
    }
    let mut s = State { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), on_stack: BTreeSet::new(), next: 0, out: Vec::new() };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out.sort();
    s.out
}

/// A shortest circle through the component's smallest module, in the order the imports go
/// (a component may hold several circles; this names one that is real).
fn order_circle(graph: &Graph, mut component: Vec<String>) -> Vec<String> {
    component.sort();
    let members: BTreeSet<&str> = component.iter().map(String::as_str).collect();
    let start = component[0].as_str();
    // Breadth-first from `start` within the component until an import leads back to it.
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        for next in graph.get(at).into_iter().flat_map(|u| u.keys()).map(String::as_str).filter(|m| members.contains(m)) {
            if next == start {
                let mut path = vec![at.to_owned()];
                let mut step = at;
                while let Some(prev) = came_from.get(step) {
                    path.push((*prev).to_owned());
                    step = prev;
                }
                path.reverse();
                return path;
            }
            if next != start && !came_from.contains_key(next) {
                came_from.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &str)]) -> Graph {
        let mut g = Graph::new();
        for (from, to) in edges {
            g.entry((*from).to_owned()).or_default().insert((*to).to_owned(), format!("src/{from}.rs"));
            g.entry((*to).to_owned()).or_default();
        }
        g
    }

    const TWO: Layers = Layers { dir: "", layers: &[("low", &["a", "b"]), ("high", &["c"])] };

    #[test]
    fn imports_in_code_count_and_comments_and_tests_do_not() {
        let text = "use crate::a::X;\nuse crate::{b, c::D};\n// crate::d\n/// [x](crate::e)\n/* crate::f */\nfn g() { $crate::h::y(); super::i(); xcrate::j(); }\n\
                    #[cfg(test)]\nmod tests {\n    use crate::k;\n    fn f() { if true { crate::l(); } }\n}\nfn after() { crate::m(); }\n";
        let found: Vec<String> = imports(text, true).into_iter().collect();
        assert_eq!(found, ["a", "b", "c", "h", "i", "m"]);
        assert!(!imports("fn f() { super::x(); }", false).contains("x"));
    }

    #[test]
    fn a_downward_import_passes_and_an_upward_one_fails() {
        assert!(problems(&graph(&[("c", "a"), ("a", "b")]), &TWO).is_empty());
        let upward = problems(&graph(&[("a", "c")]), &TWO);
        assert_eq!(upward.len(), 1);
        assert_eq!(upward[0].to_string(), "src/a.rs: `a` (low) imports `c`, of a higher layer (high)");
    }

    #[test]
    fn a_circle_fails_even_within_a_layer() {
        let circle = problems(&graph(&[("a", "b"), ("b", "a")]), &TWO);
        assert_eq!(circle, [Problem::Circle(vec!["a".into(), "b".into()])]);
        assert_eq!(circle[0].to_string(), "a circle of imports: a -> b -> a");
    }

    #[test]
    fn a_module_in_no_layer_fails() {
        let unplaced = problems(&graph(&[("a", "z")]), &TWO);
        assert!(matches!(&unplaced[..], [Problem::Unplaced { module, .. }] if module == "z"), "{unplaced:?}");
    }
}

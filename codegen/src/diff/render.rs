//! A [`Report`] as text (terminals, golden files), Markdown (CI job summaries) or JSON.

use super::{Bump, Impact, Node, OperationChange, Report, SideChanges, Status};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Width the member trees are laid out for, as Python's `pprint` does by default.
const WIDTH: usize = 80;

/// Output formats of `cargo xtask diff --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            other => Err(format!("unknown format `{other}` (expected text, markdown or json)")),
        }
    }
}

/// The report in `format`, ending with a newline.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Markdown => markdown(report),
        Format::Json => json(report),
    }
}

/// Plain text: the change log in the style of the AWS API change feeds, then compatibility
/// and the verdict.
pub fn text(report: &Report) -> String {
    let mut out = change_log(report);
    out.push_str("\nCompatibility (semver impact on the generated crate)\n");
    let lines = compatibility_lines(report);
    if lines.is_empty() {
        out.push_str("  no changes for callers\n");
    }
    for (impact, line) in lines {
        let _ = writeln!(out, "  {impact:<13}  {line}");
    }
    let _ = writeln!(out, "\n{}", verdict(report));
    out
}

/// The change log alone, in the style of the AWS API change feeds: the headline, then each
/// operation with its member trees.
pub fn change_log(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(&headline(report));
    out.push('\n');
    for op in &report.operations {
        out.push('\n');
        let _ = writeln!(out, "{} ({})", op.name, op.status.as_str());
        for (title, tree) in blocks(op) {
            let _ = writeln!(out, "  {title}");
            for line in pformat(tree).lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    out
}

/// What a `CHANGELOG.md` entry says about the release besides the report.
#[derive(Debug, Clone)]
pub struct Release {
    /// The crate's version before and after.
    pub previous: String,
    pub version: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Where the model comes from: `botocore 1.44.8`.
    pub source: String,
}

/// One entry of a generated crate's `CHANGELOG.md` (Markdown): version and date, the model's
/// source, the change log in a text block, the compatibility lines and the verdict.
pub fn changelog_entry(report: &Report, release: &Release) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {} ({})\n", release.version, release.date);
    let _ = writeln!(out, "Model: {}.\n", release.source);
    let _ = writeln!(out, "```text\n{}```\n", change_log(report));
    out.push_str("Compatibility (semver impact on the crate's API):\n\n");
    let lines = compatibility_lines(report);
    if lines.is_empty() {
        out.push_str("- no changes for callers\n");
    }
    for (impact, line) in lines {
        let _ = writeln!(out, "- {impact}: {line}");
    }
    let _ = writeln!(out, "\nVerdict: {}; version {} -> {}.", verdict_counts(report), release.previous, release.version);
    out
}

/// GitHub-flavoured Markdown, for `$GITHUB_STEP_SUMMARY`.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {}\n", headline(report));
    // New and removed operations as one list; each updated one with its trees in a block.
    let (listed, updated): (Vec<_>, Vec<_>) = report.operations.iter().partition(|o| o.status != Status::Updated);
    for op in &listed {
        let _ = writeln!(out, "- **{}** ({})", op.name, op.status.as_str());
    }
    if !listed.is_empty() {
        out.push('\n');
    }
    for op in updated {
        let _ = writeln!(out, "**{}** ({})\n\n```text", op.name, op.status.as_str());
        for (title, tree) in blocks(op) {
            let _ = writeln!(out, "{title}\n{}", pformat(tree));
        }
        out.push_str("```\n\n");
    }
    out.push_str("#### Compatibility (semver impact on the generated crate)\n\n");
    let lines = compatibility_lines(report);
    if lines.is_empty() {
        out.push_str("No changes for callers.\n");
    }
    for (impact, line) in lines {
        let _ = writeln!(out, "- **{impact}** {line}");
    }
    let _ = writeln!(out, "\n**{}**", verdict(report));
    out
}

/// Pretty JSON of the whole report.
pub fn json(report: &Report) -> String {
    // Serializing plain structs, maps and strings cannot fail.
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}

/// `Amazon ElastiCache - 1 new 3 updated api methods`.
fn headline(report: &Report) -> String {
    let mut parts = Vec::new();
    for status in [Status::New, Status::Updated, Status::Removed] {
        let n = report.operations.iter().filter(|o| o.status == status).count();
        if n > 0 {
            parts.push(format!("{n} {}", status.as_str()));
        }
    }
    if parts.is_empty() {
        format!("{} - no api method changes", report.service)
    } else {
        format!("{} - {} api methods", report.service, parts.join(" "))
    }
}

/// The non-empty blocks of an updated operation: additions, removals, changes; request
/// before response in each.
fn blocks<'a>(op: &'a OperationChange) -> Vec<(String, &'a BTreeMap<String, Node>)> {
    let sides = [("request", &op.request), ("response", &op.response)];
    let part = |s: &'a SideChanges, i: usize| [&s.added, &s.removed, &s.changed][i];
    let mut out = Vec::new();
    for (i, title) in ["Changes", "Removed", "Changed"].into_iter().enumerate() {
        for (side, changes) in sides {
            let tree = part(changes, i);
            if !tree.is_empty() {
                out.push((format!("{title} ({side})"), tree));
            }
        }
    }
    out
}

/// Compatibility lines with their impact, as shown: API changes, then the documentation count.
fn compatibility_lines(report: &Report) -> Vec<(&'static str, String)> {
    let mut lines: Vec<(&'static str, String)> = report
        .compatibility
        .iter()
        .map(|c| {
            let rust = c.rust.as_ref().map(|r| format!(" (`{r}`)")).unwrap_or_default();
            (c.impact.as_str(), format!("{}: {}{rust}", c.subject, c.message))
        })
        .collect();
    let d = &report.documentation;
    if !d.is_empty() {
        let service = if d.service { " and the service description" } else { "" };
        let line = format!("documentation changed for {} operations, {} shapes{service}", d.operations, d.shapes);
        lines.push((Impact::Documentation.as_str(), line));
    }
    lines
}

/// `Verdict: breaking (2 breaking, 3 additive changes); suggested version bump: major (0.1.0 -> 0.2.0)`.
fn verdict(report: &Report) -> String {
    if report.verdict.is_none() {
        return "Verdict: no changes; suggested version bump: none".to_owned();
    }
    let mut s = format!("Verdict: {}; suggested version bump: {}", verdict_counts(report), report.bump.as_str());
    if let Some(v) = &report.version {
        let _ = write!(s, " ({} -> {}", v.from, v.to);
        if v.from.starts_with("0.") && matches!(report.bump, Bump::Major | Bump::Minor) {
            s.push_str("; before 1.0 Cargo reads the minor number as the major one");
        }
        s.push(')');
    }
    s
}

/// `breaking (2 breaking, 3 additive changes)`, or `no changes`.
fn verdict_counts(report: &Report) -> String {
    let Some(verdict) = report.verdict else { return "no changes".to_owned() };
    let (breaking, additive) = (report.count(Impact::Breaking), report.count(Impact::Additive));
    format!("{} ({breaking} breaking, {additive} additive changes)", verdict.as_str())
}

/// A member tree laid out like Python's `pprint.pformat` (width 80, keys sorted): a dict or
/// list goes on one line if it fits, else one item per line, continuation lines aligned under
/// the first key (or item). Leaves are never split.
pub fn pformat(tree: &BTreeMap<String, Node>) -> String {
    let mut out = String::new();
    format_tree(tree, 0, 0, &mut out);
    out
}

/// `indent` is the column the node starts at; `allowance` the closing characters that follow
/// it on its last line (pprint's names).
fn format_node(node: &Node, indent: usize, allowance: usize, out: &mut String) {
    match node {
        Node::Leaf(s) => out.push_str(&py_str(s)),
        Node::Tree(t) => format_tree(t, indent, allowance, out),
        Node::List(items) => {
            let one_line = repr(node);
            if fits(&one_line, indent, allowance) {
                out.push_str(&one_line);
                return;
            }
            // pprint's `_pprint_list`: `[`, the items one per line one column in, `]`.
            out.push('[');
            let last = items.len().saturating_sub(1);
            for (i, item) in items.iter().enumerate() {
                format_node(item, indent + 1, if i == last { allowance + 1 } else { 1 }, out);
                if i != last {
                    out.push_str(",\n");
                    out.push_str(&" ".repeat(indent + 1));
                }
            }
            out.push(']');
        }
    }
}

/// pprint's `_pprint_dict`: `{`, then `key: value` one per line, values aligned after their key.
fn format_tree(tree: &BTreeMap<String, Node>, indent: usize, allowance: usize, out: &mut String) {
    let one_line = repr_tree(tree);
    if fits(&one_line, indent, allowance) {
        out.push_str(&one_line);
        return;
    }
    out.push('{');
    let last = tree.len().saturating_sub(1);
    for (i, (key, value)) in tree.iter().enumerate() {
        let key = py_str(key);
        out.push_str(&key);
        out.push_str(": ");
        let inner = indent + 1 + key.chars().count() + 2;
        format_node(value, inner, if i == last { allowance + 1 } else { 1 }, out);
        if i != last {
            out.push_str(",\n");
            out.push_str(&" ".repeat(indent + 1));
        }
    }
    out.push('}');
}

/// Whether `one_line` fits between column `indent` and the width, leaving `allowance`.
fn fits(one_line: &str, indent: usize, allowance: usize) -> bool {
    one_line.chars().count() <= WIDTH.saturating_sub(indent + allowance)
}

/// Python's `repr` of a node, on one line.
fn repr(node: &Node) -> String {
    match node {
        Node::Leaf(s) => py_str(s),
        Node::Tree(t) => repr_tree(t),
        Node::List(items) => format!("[{}]", items.iter().map(repr).collect::<Vec<_>>().join(", ")),
    }
}

fn repr_tree(tree: &BTreeMap<String, Node>) -> String {
    let items: Vec<String> = tree.iter().map(|(k, v)| format!("{}: {}", py_str(k), repr(v))).collect();
    format!("{{{}}}", items.join(", "))
}

/// Python's `repr` of a string: single quotes unless the text has one and no double quote.
fn py_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

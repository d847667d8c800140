//! The model's HTML documentation → Markdown for rustdoc.
//!
//! botocore documentation is loose HTML: `<p>`, `<code>`, `<a href>`, lists, `<note>`,
//! `<important>`, `<b>`/`<i>`, the odd `<pre>` and unclosed tag. The result must pass
//! `rustdoc -D warnings`: no raw HTML, no `[x]` that rustdoc would try to resolve as an
//! intra-doc link, no bare URLs. Paragraphs are wrapped at [`WIDTH`] columns.

use proc_macro2::TokenStream;
use quote::quote;

const WIDTH: usize = 96;

/// `#[doc = "…"]` attributes for a documentation string (nothing for `None` or blank).
pub fn doc_attrs(html: Option<&str>) -> TokenStream {
    match html {
        Some(html) => lines_to_attrs(&to_markdown(html)),
        None => TokenStream::new(),
    }
}

/// `#[doc = "…"]` attributes for Markdown written by the generator itself.
pub fn lines_to_attrs(markdown: &str) -> TokenStream {
    let lines = markdown.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

#[derive(Debug)]
enum Block {
    Para(String),
    Code(String),
    List { ordered: bool, items: Vec<Vec<Block>> },
    Quote(&'static str, Vec<Block>),
}

/// Converts HTML documentation to Markdown.
pub fn to_markdown(html: &str) -> String {
    let mut conv = Converter::default();
    conv.stack.push(Frame { kind: Kind::Root, blocks: Vec::new() });
    for tok in tokenize(html) {
        conv.token(tok);
    }
    conv.flush();
    while conv.stack.len() > 1 {
        conv.close_frame();
    }
    let blocks = conv.stack.pop().map(|f| f.blocks).unwrap_or_default();
    let mut out = String::new();
    render_blocks(&blocks, "", &mut out);
    out.trim_end().to_owned()
}

/// Plain text of an HTML string on one line (for summaries).
pub fn summary(html: &str) -> String {
    let md = to_markdown(html);
    let first = md.split("\n\n").next().unwrap_or("");
    first.split_whitespace().collect::<Vec<_>>().join(" ")
}

enum Tok<'a> {
    Open(String, &'a str),
    Close(String),
    Text(&'a str),
}

fn tokenize(html: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.push(Tok::Text(rest));
            break;
        };
        if lt > 0 {
            out.push(Tok::Text(&rest[..lt]));
        }
        let tag = &rest[lt..];
        let is_tag = tag[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (is_tag, tag.find('>')) {
            (true, Some(gt)) => {
                let inner = tag[1..gt].trim_end_matches('/');
                if let Some(name) = inner.strip_prefix('/') {
                    out.push(Tok::Close(name.trim().to_ascii_lowercase()));
                } else if !inner.starts_with('!') {
                    let end = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
                    out.push(Tok::Open(inner[..end].to_ascii_lowercase(), &inner[end..]));
                }
                rest = &tag[gt + 1..];
            }
            _ => {
                out.push(Tok::Text(&tag[..1]));
                rest = &tag[1..];
            }
        }
    }
    out
}

#[derive(PartialEq)]
enum Kind {
    Root,
    List(bool),
    Item,
    Quote(&'static str),
}

struct Frame {
    kind: Kind,
    blocks: Vec<Block>,
}

#[derive(Default)]
struct Converter {
    stack: Vec<Frame>,
    inline: String,
    /// Emphasis or code marker opened but not yet followed by text.
    pending: Vec<&'static str>,
    code: usize,
    pre: Option<String>,
    links: Vec<Option<String>>,
}

impl Converter {
    fn token(&mut self, tok: Tok<'_>) {
        if let Some(pre) = &mut self.pre {
            match tok {
                Tok::Close(name) if name == "pre" || name == "programlisting" => {
                    let code = std::mem::take(pre);
                    self.pre = None;
                    self.push_block(Block::Code(code.trim_matches('\n').to_owned()));
                }
                Tok::Text(t) => pre.push_str(&decode_entities(t)),
                _ => {}
            }
            return;
        }
        match tok {
            Tok::Text(t) => self.text(&decode_entities(t)),
            Tok::Open(name, attrs) => self.open(&name, attrs),
            Tok::Close(name) => self.close(&name),
        }
    }

    fn open(&mut self, name: &str, attrs: &str) {
        match name {
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dl" | "dd" => self.flush(),
            "br" => self.inline.push(' '),
            "ul" | "ol" => {
                self.flush();
                self.stack.push(Frame { kind: Kind::List(name == "ol"), blocks: Vec::new() });
            }
            "li" => {
                self.flush();
                if self.stack.last().map(|f| &f.kind) == Some(&Kind::Item) {
                    // `<li>` without `</li>`: the previous item ends here.
                    self.close_frame();
                }
                if !matches!(self.stack.last().map(|f| &f.kind), Some(Kind::List(_))) {
                    self.stack.push(Frame { kind: Kind::List(false), blocks: Vec::new() });
                }
                self.stack.push(Frame { kind: Kind::Item, blocks: Vec::new() });
            }
            "note" | "important" => {
                self.flush();
                let label = if name == "note" { "Note" } else { "Important" };
                self.stack.push(Frame { kind: Kind::Quote(label), blocks: Vec::new() });
            }
            "pre" | "programlisting" => {
                self.flush();
                self.pre = Some(String::new());
            }
            "code" | "tt" => {
                if self.code == 0 {
                    self.pending.push("`");
                }
                self.code += 1;
            }
            "b" | "strong" | "dt" if self.code == 0 => {
                if name == "dt" {
                    self.flush();
                }
                self.pending.push("**");
            }
            "i" | "em" if self.code == 0 => self.pending.push("*"),
            "a" => {
                let href = attr(attrs, "href").filter(|h| h.contains("://") || h.starts_with("mailto:"));
                if href.is_some() && self.code == 0 {
                    self.pending.push("[");
                    self.links.push(href);
                } else {
                    self.links.push(None);
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dd" | "dl" => self.flush(),
            "li" => {
                self.flush();
                if self.stack.iter().any(|f| f.kind == Kind::Item) {
                    while self.stack.last().map(|f| &f.kind) != Some(&Kind::Item) {
                        self.close_frame();
                    }
                    self.close_frame();
                }
            }
            "ul" | "ol" => {
                self.flush();
                if self.stack.iter().any(|f| matches!(f.kind, Kind::List(_))) {
                    while !matches!(self.stack.last().map(|f| &f.kind), Some(Kind::List(_))) {
                        self.close_frame();
                    }
                    self.close_frame();
                }
            }
            "note" | "important" => {
                self.flush();
                if self.stack.iter().any(|f| matches!(f.kind, Kind::Quote(_))) {
                    while !matches!(self.stack.last().map(|f| &f.kind), Some(Kind::Quote(_))) {
                        self.close_frame();
                    }
                    self.close_frame();
                }
            }
            "code" | "tt" => {
                if self.code == 1 {
                    self.close_marker("`");
                }
                self.code = self.code.saturating_sub(1);
            }
            "b" | "strong" | "dt" if self.code == 0 => {
                self.close_marker("**");
                if name == "dt" {
                    self.flush();
                }
            }
            "i" | "em" if self.code == 0 => self.close_marker("*"),
            "a" => {
                if let Some(Some(href)) = self.links.pop() {
                    if self.pending.last() == Some(&"[") {
                        // A link with no text: show the address itself.
                        self.pending.pop();
                        self.emit_pending();
                        self.inline.push_str(&format!("<{href}>"));
                    } else {
                        self.close_marker("");
                        self.inline.push_str(&format!("](<{href}>)"));
                    }
                }
            }
            _ => {}
        }
    }

    fn emit_pending(&mut self) {
        for m in self.pending.drain(..) {
            self.inline.push_str(m);
        }
    }

    /// Closes an inline marker; Markdown needs it right after the text, not after a space.
    fn close_marker(&mut self, marker: &'static str) {
        if let Some(pos) = self.pending.iter().rposition(|m| *m == marker || marker.is_empty()) {
            // Opened but empty: drop it.
            self.pending.remove(pos);
            return;
        }
        let trimmed = self.inline.trim_end().len();
        let had_space = trimmed < self.inline.len();
        self.inline.truncate(trimmed);
        self.inline.push_str(marker);
        if had_space {
            self.inline.push(' ');
        }
    }

    fn text(&mut self, t: &str) {
        let collapsed = collapse_ws(t);
        if collapsed.trim().is_empty() {
            if !collapsed.is_empty() && !self.inline.is_empty() && !self.inline.ends_with(' ') {
                self.inline.push(' ');
            }
            return;
        }
        let mut body = collapsed.as_str();
        if !self.pending.is_empty() {
            if body.starts_with(' ') && !self.inline.is_empty() && !self.inline.ends_with(' ') {
                self.inline.push(' ');
            }
            body = body.trim_start();
            self.emit_pending();
        }
        if self.code > 0 {
            self.inline.push_str(&body.replace('`', "'"));
        } else {
            escape_into(body, &mut self.inline);
        }
    }

    fn flush(&mut self) {
        self.pending.clear();
        let text = std::mem::take(&mut self.inline);
        let text = text.trim();
        if !text.is_empty() {
            self.push_block(Block::Para(text.to_owned()));
        }
    }

    fn push_block(&mut self, block: Block) {
        if let Some(frame) = self.stack.last_mut() {
            if let Kind::List(_) = frame.kind {
                // Text directly inside a list: give it an item of its own.
                frame.blocks.push(Block::List { ordered: false, items: vec![vec![block]] });
                return;
            }
            frame.blocks.push(block);
        }
    }

    fn close_frame(&mut self) {
        self.flush();
        let Some(frame) = self.stack.pop() else { return };
        let block = match frame.kind {
            Kind::Root => {
                self.stack.push(frame);
                return;
            }
            Kind::Item => {
                if let Some(Frame { kind: Kind::List(_), blocks }) = self.stack.last_mut() {
                    blocks.push(Block::List { ordered: false, items: vec![frame.blocks] });
                }
                return;
            }
            Kind::List(ordered) => {
                // Items were pushed as one-item lists; merge them.
                let items = frame
                    .blocks
                    .into_iter()
                    .flat_map(|b| match b {
                        Block::List { items, .. } => items,
                        other => vec![vec![other]],
                    })
                    .collect::<Vec<_>>();
                if items.is_empty() {
                    return;
                }
                Block::List { ordered, items }
            }
            Kind::Quote(label) => Block::Quote(label, frame.blocks),
        };
        self.push_block(block);
    }
}

fn attr(attrs: &str, name: &str) -> Option<String> {
    let at = attrs.find(&format!("{name}="))?;
    let rest = &attrs[at + name.len() + 1..];
    let value = match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next()?,
        _ => rest.split_whitespace().next()?,
    };
    Some(decode_entities(value).trim().to_owned())
}

fn collapse_ws(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

fn decode_entities(t: &str) -> String {
    if !t.contains('&') {
        return t.to_owned();
    }
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes Markdown syntax in plain text, and turns bare URLs into autolinks.
fn escape_into(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        let url_at = ["https://", "http://"].iter().filter_map(|p| rest.find(p)).min();
        let (plain, url) = match url_at {
            Some(at) => {
                let end = rest[at..]
                    .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
                    .map_or(rest.len(), |e| at + e);
                // A sentence's full stop or a closing parenthesis is not part of the URL.
                let url = rest[at..end].trim_end_matches(['.', ',', ';', ':', ')']);
                (&rest[..at], Some(url))
            }
            None => (rest, None),
        };
        let prev = |s: &String| s.chars().last();
        let chars: Vec<char> = plain.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            match c {
                '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' => {
                    out.push('\\');
                    out.push(c);
                }
                '_' => {
                    let before = i.checked_sub(1).map(|j| chars[j]).or_else(|| prev(out));
                    let inside = before.is_some_and(char::is_alphanumeric)
                        && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
                    if !inside {
                        out.push('\\');
                    }
                    out.push('_');
                }
                '#' | '+' | '-' | '=' if out.trim_end().is_empty() => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        match url {
            Some(u) => {
                out.push_str(&format!("<{u}>"));
                rest = &rest[plain.len() + u.len()..];
            }
            None => rest = "",
        }
    }
}

fn render_blocks(blocks: &[Block], indent: &str, out: &mut String) {
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match block {
            Block::Para(text) => wrap(text, indent, indent, out),
            Block::Code(code) => {
                out.push_str(&format!("{indent}```text\n"));
                for line in code.lines() {
                    out.push_str(format!("{indent}{line}\n").trim_end());
                    out.push('\n');
                }
                out.push_str(&format!("{indent}```\n"));
            }
            Block::List { ordered, items } => {
                for (n, item) in items.iter().enumerate() {
                    let marker = if *ordered { format!("{}. ", n + 1) } else { "- ".to_owned() };
                    let inner = format!("{indent}{}", " ".repeat(marker.len()));
                    let mut text = String::new();
                    render_blocks(item, &inner, &mut text);
                    let body = text.strip_prefix(inner.as_str()).unwrap_or(&text);
                    if body.trim().is_empty() {
                        continue;
                    }
                    out.push_str(&format!("{indent}{marker}{body}"));
                }
            }
            Block::Quote(label, inner) => {
                let mut text = String::new();
                render_blocks(inner, "", &mut text);
                out.push_str(&format!("{indent}> **{label}:**\n{indent}>\n"));
                for line in text.lines() {
                    if line.is_empty() {
                        out.push_str(&format!("{indent}>\n"));
                    } else {
                        out.push_str(&format!("{indent}> {line}\n"));
                    }
                }
            }
        }
    }
}

/// Word-wraps one paragraph; `first` prefixes the first line, `rest` the others.
fn wrap(text: &str, first: &str, rest: &str, out: &mut String) {
    let mut line = String::from(first);
    let mut empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !empty && line.len() + 1 + word.len() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        // A wrapped line must not start with something Markdown reads as a block marker.
        if empty && !std::ptr::eq(first, rest) && starts_block(word) {
            line.push('\\');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

fn starts_block(word: &str) -> bool {
    matches!(word, "-" | "+" | "*" | ">" | "#" | "=" | "|")
        || word.starts_with('#')
        || word.strip_suffix(['.', ')']).is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn paragraphs_code_links() {
        let md = to_markdown(
            r#"<p>Makes a <code>copy</code> of a <a href="https://example.com/a b">snapshot</a>.</p> <p>Second &amp; last.</p>"#,
        );
        assert_eq!(md, "Makes a `copy` of a [snapshot](<https://example.com/a b>).\n\nSecond & last.");
    }

    #[test]
    fn lists_and_notes() {
        let md = to_markdown("<p>Values:</p> <ul> <li> <p> <code>immediate</code> </p> </li> <li>b</li> </ul> <note> <p>Only Redis.</p> </note>");
        assert_eq!(md, "Values:\n\n- `immediate`\n- b\n\n> **Note:**\n>\n> Only Redis.");
    }

    #[test]
    fn emphasis_moves_spaces_out() {
        assert_eq!(to_markdown("<p><b>Error Message: </b>x</p>"), "**Error Message:** x");
    }

    #[test]
    fn escapes_markdown_and_bare_urls() {
        assert_eq!(to_markdown("<p>a [b] &lt;c&gt; *d* see https://x.y/z.</p>"), r"a \[b\] \<c\> \*d\* see <https://x.y/z>.");
        assert_eq!(to_markdown("cache_node _x"), r"cache_node \_x");
    }

    #[test]
    fn relative_links_keep_text_only() {
        assert_eq!(to_markdown(r#"<a href="CreateCacheCluster">CreateCacheCluster</a>"#), "CreateCacheCluster");
    }

    #[test]
    fn unclosed_tags_do_not_lose_text() {
        assert_eq!(to_markdown("<ul><li>one<li>two"), "- one\n- two");
    }
}

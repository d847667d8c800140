//! A pull reader over a response body, for generated deserializers.
//!
//! Generated code walks the document with [`XmlReader::next_child`] and reads leaves with
//! [`XmlReader::text`] and the typed helpers, straight into the output types: no DOM.
//! Namespaces are ignored (elements match by local name), unknown elements are skipped,
//! and anything hostile — a DOCTYPE, a custom entity, nesting deeper than
//! [`MAX_DEPTH`], invalid UTF-8, truncation — is an [`XmlError`] naming the element path.
//!
//! The tokenizer is our own, for the subset of XML 1.0 that responses use: elements,
//! attributes, text with the predefined entities and character references, CDATA,
//! comments and processing instructions (skipped). The body is checked as UTF-8 once, up
//! front; after that every name and text is a borrowed slice, found by `memchr`, and text
//! is copied only when it holds an entity reference or a carriage return to normalise.
//! (quick-xml, used before, validated UTF-8 per event and built an event per token: about
//! half of a typed parse.)

use crate::primitives::{Blob, DateTime};
use memchr::{memchr, memchr2, memmem};
use std::borrow::Cow;
use std::fmt;

/// Deepest element nesting accepted; real responses stay far below it.
pub const MAX_DEPTH: usize = 64;

/// Why a body could not be read. (Boxed: parse results stay one word wider than their
/// value, which matters on the hot path.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError(Box<XmlErrorInner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct XmlErrorInner {
    path: String,
    message: String,
}

impl XmlError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        XmlError(Box::new(XmlErrorInner { path: path.into(), message: message.into() }))
    }

    /// Element path, e.g. `DescribeCacheParametersResponse/…/Parameter/IsModifiable`.
    pub fn path(&self) -> &str {
        &self.0.path
    }

    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.path.is_empty() {
            f.write_str(&self.0.message)
        } else {
            write!(f, "at {}: {}", self.0.path, self.0.message)
        }
    }
}

impl std::error::Error for XmlError {}

/// An element the reader has just entered.
#[derive(Debug)]
pub struct Element<'a> {
    name: &'a str,
}

impl Element<'_> {
    /// The local name (without namespace prefix).
    #[inline]
    pub fn name(&self) -> &str {
        self.name
    }
}

/// The local name of a qualified name (`ns:Name` → `Name`; what follows the first `:`).
#[inline]
fn local_name(qname: &str) -> &str {
    match memchr(b':', qname.as_bytes()) {
        Some(i) => qname.get(i.saturating_add(1)..).unwrap_or(qname),
        None => qname,
    }
}

/// A start tag: its qualified name and the raw text of its attributes.
#[derive(Debug, Clone, Copy)]
struct Tag<'a> {
    qname: &'a str,
    attributes: &'a str,
}

/// What the tokenizer found next. Comments, processing instructions and the XML
/// declaration are skipped inside it.
enum Token<'a> {
    Start(Tag<'a>, bool),
    End(&'a str),
    /// Raw character data, entities not yet resolved.
    Text(&'a str),
    /// The content of a CDATA section, taken as it is.
    CData(&'a str),
    Eof,
}

/// Pull reader over one document.
pub struct XmlReader<'a> {
    /// The body up to its first invalid UTF-8 byte (all of it, normally).
    doc: &'a str,
    pos: usize,
    /// Where the body stops being UTF-8: reaching that point is an error, at the element
    /// being read there.
    invalid_utf8_at: Option<usize>,
    /// Start tags of the open elements, for end-tag checks, attributes and the element
    /// path of error messages.
    open: Vec<Tag<'a>>,
    /// The element just returned by `next_child` was self-closing: it has no content to read.
    entered_empty: bool,
}

impl<'a> XmlReader<'a> {
    pub fn new(body: &'a [u8]) -> Self {
        let (doc, invalid_utf8_at) = match std::str::from_utf8(body) {
            Ok(doc) => (doc, None),
            Err(e) => {
                let valid = body.get(..e.valid_up_to()).unwrap_or_default();
                (std::str::from_utf8(valid).unwrap_or_default(), Some(e.valid_up_to()))
            }
        };
        XmlReader { doc, pos: 0, invalid_utf8_at, open: Vec::with_capacity(16), entered_empty: false }
    }

    /// Enters the root element.
    pub fn root(&mut self) -> Result<Element<'a>, XmlError> {
        match self.next_child()? {
            Some(e) => Ok(e),
            None => Err(self.error("the body has no root element")),
        }
    }

    /// An error at the current element.
    pub fn error(&self, message: impl Into<String>) -> XmlError {
        let path: Vec<&str> = self.open.iter().map(|t| local_name(t.qname)).collect();
        XmlError::new(path.join("/"), message)
    }

    fn malformed(&self, what: &str) -> XmlError {
        self.error(format!("malformed XML: {what}"))
    }

    /// The document from `from` to `to` (both at ASCII delimiters, so on char boundaries).
    #[inline]
    fn slice(&self, from: usize, to: usize) -> Result<&'a str, XmlError> {
        let doc = self.doc;
        doc.get(from..to).ok_or_else(|| self.malformed("a delimiter inside a character"))
    }

    /// The end of the body: an error where it is cut short by invalid UTF-8.
    fn end_of_input(&self, inside: &str) -> XmlError {
        match self.invalid_utf8_at {
            Some(at) => self.error(format!("invalid UTF-8 at byte {at}")),
            None => self.error(format!("the body ends inside {inside}")),
        }
    }

    /// Position of `needle` at or after `from`, or the end-of-input error.
    #[inline]
    fn find(&self, from: usize, needle: &[u8], inside: &str) -> Result<usize, XmlError> {
        let hay = self.doc.as_bytes().get(from..).unwrap_or_default();
        let found = if let [b] = needle { memchr(*b, hay) } else { memmem::find(hay, needle) };
        found.map(|i| from.saturating_add(i)).ok_or_else(|| self.end_of_input(inside))
    }

    fn token(&mut self) -> Result<Token<'a>, XmlError> {
        loop {
            let bytes = self.doc.as_bytes();
            let start = self.pos;
            let rest = bytes.get(start..).unwrap_or_default();
            match rest {
                [] => {
                    return match self.invalid_utf8_at {
                        Some(_) => Err(self.end_of_input("")),
                        None => Ok(Token::Eof),
                    }
                }
                [b'<', b'/', ..] => {
                    let close = self.find(start.saturating_add(2), b">", "an end tag")?;
                    self.pos = close.saturating_add(1);
                    // `</name >` is allowed: whitespace after the name.
                    return Ok(Token::End(self.slice(start.saturating_add(2), close)?.trim_end()));
                }
                [b'<', b'?', ..] => {
                    // The XML declaration or a processing instruction: skipped.
                    self.pos = self.find(start.saturating_add(2), b"?>", "a processing instruction")?.saturating_add(2);
                }
                [b'<', b'!', ..] => {
                    if rest.starts_with(b"<!--") {
                        self.pos = self.find(start.saturating_add(4), b"-->", "a comment")?.saturating_add(3);
                    } else if rest.starts_with(b"<![CDATA[") {
                        let close = self.find(start.saturating_add(9), b"]]>", "a CDATA section")?;
                        self.pos = close.saturating_add(3);
                        return Ok(Token::CData(self.slice(start.saturating_add(9), close)?));
                    } else if rest.starts_with(b"<!DOCTYPE") {
                        return Err(self.error("DOCTYPE declarations are refused"));
                    } else {
                        return Err(self.malformed("`<!` starts neither a comment nor CDATA"));
                    }
                }
                [b'<', ..] => return self.start_tag(start),
                _ => {
                    let end = memchr(b'<', rest).map_or(bytes.len(), |i| start.saturating_add(i));
                    self.pos = end;
                    return Ok(Token::Text(self.slice(start, end)?));
                }
            }
        }
    }

    /// A start tag at `start` (`<`): its name, its attributes' text, and whether it closes
    /// itself.
    #[inline]
    fn start_tag(&mut self, start: usize) -> Result<Token<'a>, XmlError> {
        let content_start = start.saturating_add(1);
        let rest = self.doc.get(content_start..).unwrap_or_default();
        let len = tag_length(rest.as_bytes()).map_err(|inside| self.end_of_input(inside))?;
        self.pos = content_start.saturating_add(len).saturating_add(1);
        let content = self.slice(content_start, content_start.saturating_add(len))?;
        let (content, empty) = match content.strip_suffix('/') {
            Some(content) => (content, true),
            None => (content, false),
        };
        let name_len = content.bytes().position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')).unwrap_or(content.len());
        if name_len == 0 {
            return Err(self.malformed("a tag without a name"));
        }
        let (qname, attributes) = content.split_at(name_len);
        Ok(Token::Start(Tag { qname, attributes }, empty))
    }

    #[inline]
    fn enter(&mut self, tag: Tag<'a>, empty: bool) -> Result<Element<'a>, XmlError> {
        if self.open.len() >= MAX_DEPTH {
            return Err(self.error(format!("elements nested deeper than {MAX_DEPTH}")));
        }
        self.entered_empty = empty;
        self.open.push(tag);
        Ok(Element { name: local_name(tag.qname) })
    }

    /// Attribute `name` of the element entered last (matched by local name).
    pub fn attribute(&self, name: &str) -> Option<String> {
        let tag = self.open.last()?;
        attributes(tag.attributes).find(|(key, _)| local_name(key) == name).and_then(|(_, raw)| unescape(raw).ok()).map(Cow::into_owned)
    }

    #[inline]
    fn leave(&mut self) {
        self.open.pop();
    }

    /// An end tag must close the element opened last.
    #[inline]
    fn check_end(&self, end: &str) -> Result<(), XmlError> {
        match self.open.last() {
            Some(start) if start.qname == end => Ok(()),
            Some(start) => Err(self.malformed(&format!("end tag `{end}` does not close `{}`", start.qname))),
            None => Err(self.malformed("an end tag without a start tag")),
        }
    }

    /// The next child element of the current element, entered; `None` (having left the
    /// current element) when it has no more children. Text between children is ignored,
    /// though an entity in it must still be a known one.
    #[inline]
    pub fn next_child(&mut self) -> Result<Option<Element<'a>>, XmlError> {
        if std::mem::take(&mut self.entered_empty) {
            // The current element is `<x/>`: no children, and no end tag to consume.
            self.leave();
            return Ok(None);
        }
        loop {
            match self.token()? {
                Token::Start(tag, empty) => return self.enter(tag, empty).map(Some),
                Token::End(end) => {
                    self.check_end(end)?;
                    self.leave();
                    return Ok(None);
                }
                Token::Eof => {
                    return if self.open.is_empty() {
                        Ok(None)
                    } else {
                        Err(self.error("the body ends before the element is closed"))
                    };
                }
                Token::Text(raw) if !self.open.is_empty() && memchr(b'&', raw.as_bytes()).is_some() => {
                    unescape(raw).map_err(|m| self.error(m))?;
                }
                Token::Text(_) | Token::CData(_) => {}
            }
        }
    }

    /// Skips the rest of the element just entered, children included.
    pub fn skip(&mut self) -> Result<(), XmlError> {
        while self.next_child()?.is_some() {
            self.skip()?;
        }
        Ok(())
    }

    /// The text content of the element just entered (child elements are skipped), and leaves
    /// it. Borrows from the body unless the text holds entity references, carriage returns
    /// or CDATA next to other text.
    #[inline]
    pub fn text(&mut self) -> Result<Cow<'a, str>, XmlError> {
        let text = self.read_text()?;
        self.leave();
        Ok(text)
    }

    /// Reads the text up to the element's end tag, staying "in" the element so that a
    /// value error can still name it.
    #[inline]
    fn read_text(&mut self) -> Result<Cow<'a, str>, XmlError> {
        if std::mem::take(&mut self.entered_empty) {
            return Ok(Cow::Borrowed(""));
        }
        let mut token = self.token()?;
        let mut text: Cow<'a, str> = Cow::Borrowed("");
        // The common leaf, `<Name>text</Name>`: one text token, then the end tag.
        if let Token::Text(raw) = token {
            text = unescape(raw).map_err(|m| self.error(m))?;
            token = self.token()?;
            if let Token::End(end) = token {
                self.check_end(end)?;
                return Ok(text);
            }
        }
        loop {
            match token {
                Token::Text(raw) => append(&mut text, unescape(raw).map_err(|m| self.error(m))?),
                Token::CData(raw) => append(&mut text, normalize_newlines(raw)),
                Token::Start(tag, empty) => {
                    self.enter(tag, empty)?;
                    self.skip()?;
                }
                Token::End(end) => {
                    self.check_end(end)?;
                    return Ok(text);
                }
                Token::Eof => return Err(self.error("the body ends inside the element")),
            }
            token = self.token()?;
        }
    }

    /// Reads the text and converts it; an error names the element and the text.
    #[inline]
    fn leaf<T>(&mut self, expected: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<T, XmlError> {
        let text = self.read_text()?;
        let value = parse(text.trim()).ok_or_else(|| {
            let shown: String = text.chars().take(40).collect();
            self.error(format!("`{shown}` is not {expected}"))
        });
        self.leave();
        value
    }

    /// Text as an owned `String`.
    #[inline]
    pub fn string(&mut self) -> Result<String, XmlError> {
        self.text().map(Cow::into_owned)
    }

    /// `true` only for the text `true`, as botocore reads booleans.
    #[inline]
    pub fn bool(&mut self) -> Result<bool, XmlError> {
        self.leaf("a boolean", |t| match t {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
    }

    #[inline]
    pub fn i32(&mut self) -> Result<i32, XmlError> {
        self.leaf("an integer", |t| t.parse().ok())
    }

    #[inline]
    pub fn i64(&mut self) -> Result<i64, XmlError> {
        self.leaf("a long integer", |t| t.parse().ok())
    }

    /// Read straight to `f32`: through `f64` first, a decimal halfway between two `f32`s
    /// after the first rounding could round the wrong way the second time.
    pub fn f32(&mut self) -> Result<f32, XmlError> {
        self.leaf("a number", parse_float)
    }

    pub fn f64(&mut self) -> Result<f64, XmlError> {
        self.leaf("a number", parse_float)
    }

    /// A timestamp in any format the protocol uses: ISO-8601 (with or without fractional
    /// seconds and offset), HTTP date, or epoch seconds.
    pub fn timestamp(&mut self) -> Result<DateTime, XmlError> {
        self.leaf("a timestamp", |t| crate::time::parse_timestamp(t).ok())
    }

    pub fn blob(&mut self) -> Result<Blob, XmlError> {
        self.leaf("base64 data", |t| crate::base64::decode(t).ok().map(Blob::new))
    }

    /// A wrapped list: every child element of the element just entered is one item.
    #[inline]
    pub fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Result<T, XmlError>) -> Result<Vec<T>, XmlError> {
        let mut items = Vec::new();
        while self.next_child()?.is_some() {
            items.push(item(self)?);
        }
        Ok(items)
    }

    /// One map entry: the children named `key` and `value` of the element just entered.
    pub fn map_entry<K, V>(
        &mut self,
        key_name: &str,
        value_name: &str,
        mut key: impl FnMut(&mut Self) -> Result<K, XmlError>,
        mut value: impl FnMut(&mut Self) -> Result<V, XmlError>,
    ) -> Result<Option<(K, V)>, XmlError> {
        let (mut k, mut v) = (None, None);
        while let Some(child) = self.next_child()? {
            let name = child.name();
            if name == key_name {
                k = Some(key(self)?);
            } else if name == value_name {
                v = Some(value(self)?);
            } else {
                self.skip()?;
            }
        }
        Ok(k.zip(v))
    }

    /// A wrapped map: each child of the element just entered is an entry; entries are
    /// collected in document order.
    pub fn map<K, V, M: Default + Extend<(K, V)>>(
        &mut self,
        key_name: &str,
        value_name: &str,
        mut key: impl FnMut(&mut Self) -> Result<K, XmlError>,
        mut value: impl FnMut(&mut Self) -> Result<V, XmlError>,
    ) -> Result<M, XmlError> {
        let mut map = M::default();
        while self.next_child()?.is_some() {
            if let Some(entry) = self.map_entry(key_name, value_name, &mut key, &mut value)? {
                map.extend(std::iter::once(entry));
            }
        }
        Ok(map)
    }
}

/// The length of a start tag's content (what follows its `<`) up to its `>`; a `>` inside a
/// quoted attribute value does not end it. When the input ends first: what it ended inside.
/// (A byte loop: tags are short.)
fn tag_length(tag: &[u8]) -> Result<usize, &'static str> {
    let mut quote = None;
    for (i, &b) in tag.iter().enumerate() {
        match (quote, b) {
            (None, b'>') => return Ok(i),
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            _ => {}
        }
    }
    Err(if quote.is_some() { "an attribute value" } else { "a start tag" })
}

fn append<'a>(text: &mut Cow<'a, str>, more: Cow<'a, str>) {
    if text.is_empty() {
        *text = more;
    } else {
        text.to_mut().push_str(&more);
    }
}

/// Character data as the application sees it: references to XML's five predefined entities
/// and character references resolved, line ends (`\r\n`, lone `\r`) read as `\n` as XML 1.0
/// requires; any other entity refused (never expanded). Borrowed when there is nothing to do.
fn unescape(raw: &str) -> Result<Cow<'_, str>, String> {
    if memchr2(b'&', b'\r', raw.as_bytes()).is_none() {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = memchr2(b'&', b'\r', rest.as_bytes()) {
        let (before, special) = rest.split_at(i);
        out.push_str(before);
        if let Some(after) = special.strip_prefix('\r') {
            out.push('\n');
            rest = after.strip_prefix('\n').unwrap_or(after);
        } else {
            let after = special.get(1..).unwrap_or_default();
            let end = memchr(b';', after.as_bytes()).ok_or("malformed XML: unterminated entity reference")?;
            let (name, tail) = after.split_at(end);
            out.push(resolve_entity(name)?);
            rest = tail.get(1..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// CDATA content: taken as it is, but for line ends.
fn normalize_newlines(raw: &str) -> Cow<'_, str> {
    if memchr(b'\r', raw.as_bytes()).is_none() {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
}

/// The character an entity reference (`&name;`, `name` given) stands for.
fn resolve_entity(name: &str) -> Result<char, String> {
    match name {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        _ => match name.strip_prefix('#') {
            Some(number) => char_reference(number).ok_or_else(|| "invalid character reference".to_owned()),
            None => Err(format!(
                "entity `&{}` is refused: only XML's predefined entities are read",
                name.chars().take(40).collect::<String>()
            )),
        },
    }
}

/// `#65` / `#x41`, `#` stripped: digits only (no sign, which `from_str_radix` would take),
/// not NUL, a Unicode scalar value.
fn char_reference(number: &str) -> Option<char> {
    let (digits, radix) = match number.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    let code = u32::from_str_radix(digits, radix).ok().filter(|&c| c != 0)?;
    char::from_u32(code)
}

/// The `name="value"` pairs of a start tag's attribute text (values raw); stops at the
/// first thing that is not one.
fn attributes(mut text: &str) -> impl Iterator<Item = (&str, &str)> {
    std::iter::from_fn(move || {
        let trimmed = text.trim_start();
        let eq = memchr(b'=', trimmed.as_bytes())?;
        let (key, after) = trimmed.split_at(eq);
        let after = after.get(1..)?.trim_start();
        let quote = after.bytes().next().filter(|q| matches!(q, b'"' | b'\''))?;
        let value_text = after.get(1..)?;
        let end = memchr(quote, value_text.as_bytes())?;
        let (value, tail) = value_text.split_at(end);
        text = tail.get(1..)?;
        Some((key.trim_end(), value))
    })
}

/// Reads a response of the query family: `<OpResponse>` holding the output's members and
/// the request id. With a result wrapper (query: `<OpResult>`) the members are its children
/// and the id is `<ResponseMetadata><RequestId>`; without one (ec2, or an operation with no
/// output) the members are the root's own children and the id is `<requestId>`. `read`
/// reads one member element (entered): it returns `false` for an element it does not
/// know, which is skipped. Returns the request id. An empty body is an output with nothing
/// set (botocore reads it so too).
///
/// Not generic: one copy of the envelope serves every operation.
pub fn read_response(
    body: &[u8],
    wrapper: Option<&str>,
    read: &mut dyn FnMut(&mut XmlReader<'_>, &str) -> Result<bool, XmlError>,
) -> Result<Option<String>, XmlError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let r = &mut XmlReader::new(body);
    r.root()?;
    let mut request_id = None;
    while let Some(child) = r.next_child()? {
        match (child.name(), wrapper) {
            (name, Some(w)) if name == w => {
                while let Some(member) = r.next_child()? {
                    if !read(r, member.name())? {
                        r.skip()?;
                    }
                }
            }
            ("ResponseMetadata", _) => request_id = read_request_id(r)?,
            (name, None) => {
                if !read(r, name)? {
                    if name == "requestId" {
                        request_id = Some(r.string()?);
                    } else {
                        r.skip()?;
                    }
                }
            }
            _ => r.skip()?,
        }
    }
    Ok(request_id)
}

/// Numbers as the protocol writes them, `NaN` and `±Infinity` included.
fn parse_float<F: std::str::FromStr + From<f32>>(t: &str) -> Option<F> {
    match t {
        "NaN" => Some(F::from(f32::NAN)),
        "Infinity" => Some(F::from(f32::INFINITY)),
        "-Infinity" => Some(F::from(f32::NEG_INFINITY)),
        // Rust would also accept "inf" and "nan"; the protocol does not send those.
        _ if t.bytes().any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') => None,
        _ => t.parse().ok(),
    }
}

/// Reads `<ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>` (entered).
pub fn read_request_id(r: &mut XmlReader<'_>) -> Result<Option<String>, XmlError> {
    let mut id = None;
    while let Some(child) = r.next_child()? {
        if child.name() == "RequestId" {
            id = Some(r.string()?);
        } else {
            r.skip()?;
        }
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_envelopes() {
        let names = |body: &str, wrapper| {
            let mut seen = Vec::new();
            let id = read_response(body.as_bytes(), wrapper, &mut |r, name| {
                if name == "requestId" {
                    return Ok(false);
                }
                seen.push(format!("{name}={}", r.string()?));
                Ok(true)
            })
            .unwrap();
            (seen, id)
        };
        let query = "<OpResponse><OpResult><A>1</A></OpResult><B>2</B>\
                     <ResponseMetadata><RequestId>q-id</RequestId></ResponseMetadata></OpResponse>";
        assert_eq!(names(query, Some("OpResult")), (vec!["A=1".to_owned()], Some("q-id".to_owned())));
        let ec2 = "<OpResponse xmlns=\"x\"><requestId>e-id</requestId><A>1</A><B>2</B></OpResponse>";
        assert_eq!(names(ec2, None), (vec!["A=1".to_owned(), "B=2".to_owned()], Some("e-id".to_owned())));
    }

    #[test]
    fn walks_children_and_text() {
        let body = br#"<?xml version="1.0"?><A xmlns="x"><B>one &amp; two</B><C/><D><E>1</E></D></A>"#;
        let mut r = XmlReader::new(body);
        assert_eq!(r.root().unwrap().name(), "A");
        let b = r.next_child().unwrap().unwrap();
        assert_eq!(b.name(), "B");
        assert_eq!(r.text().unwrap(), "one & two");
        assert_eq!(r.next_child().unwrap().unwrap().name(), "C");
        assert_eq!(r.text().unwrap(), "");
        assert_eq!(r.next_child().unwrap().unwrap().name(), "D");
        assert_eq!(r.next_child().unwrap().unwrap().name(), "E");
        assert_eq!(r.i32().unwrap(), 1);
        assert!(r.next_child().unwrap().is_none());
        assert!(r.next_child().unwrap().is_none());
        assert!(r.next_child().unwrap().is_none());
    }

    #[test]
    fn prefixed_names_match_by_local_name() {
        let mut r = XmlReader::new(b"<ns:A xmlns:ns=\"x\"><ns:B>1</ns:B><:C>2</:C><D:>3</D:></ns:A>");
        assert_eq!(r.root().unwrap().name(), "A");
        assert_eq!(r.next_child().unwrap().unwrap().name(), "B");
        assert_eq!(r.i32().unwrap(), 1);
        // Degenerate prefixes: what follows the first `:`, as quick-xml's `local_name` gives.
        assert_eq!(r.next_child().unwrap().unwrap().name(), "C");
        assert_eq!(r.i32().unwrap(), 2);
        assert_eq!(r.next_child().unwrap().unwrap().name(), "");
        assert_eq!(r.i32().unwrap(), 3);
        assert!(r.next_child().unwrap().is_none());
    }

    #[test]
    fn errors_name_the_path() {
        let mut r = XmlReader::new(b"<A><B><Port>abc</Port></B></A>");
        r.root().unwrap();
        r.next_child().unwrap();
        r.next_child().unwrap();
        let e = r.i32().unwrap_err();
        assert_eq!(e.to_string(), "at A/B/Port: `abc` is not an integer");
    }

    #[test]
    fn refuses_doctype_and_custom_entities() {
        let mut r = XmlReader::new(b"<!DOCTYPE x [<!ENTITY a \"b\">]><A>&a;</A>");
        assert!(r.root().unwrap_err().message().contains("DOCTYPE"));
        let mut r = XmlReader::new(b"<A>&a;</A>");
        r.root().unwrap();
        assert!(r.text().unwrap_err().message().contains("refused"));
    }

    #[test]
    fn truncated_and_deep() {
        let mut r = XmlReader::new(b"<A><B>x");
        r.root().unwrap();
        r.next_child().unwrap();
        assert!(r.text().is_err());
        let deep = "<a>".repeat(100);
        let mut r = XmlReader::new(deep.as_bytes());
        r.root().unwrap();
        assert!(r.skip().unwrap_err().message().contains("nested deeper"));
    }

    #[test]
    fn text_forms() {
        let body = "<A><B>a&#x41;&#66;&lt;&amp;\r\nz\rq</B><C><![CDATA[<not> &amp; a tag]]></C>\
                    <D>x<!-- gone -->y<?pi skipped?>z</D><E>\u{e9}t\u{e9}</E><F>a<![CDATA[b]]>c</F></A>";
        let mut r = XmlReader::new(body.as_bytes());
        r.root().unwrap();
        let mut texts = Vec::new();
        while r.next_child().unwrap().is_some() {
            texts.push(r.string().unwrap());
        }
        assert_eq!(texts, ["aAB<&\nz\nq", "<not> &amp; a tag", "xyz", "\u{e9}t\u{e9}", "abc"]);
    }

    #[test]
    fn borrows_plain_text() {
        let mut r = XmlReader::new(b"<A><B>plain</B><C>a&amp;b</C></A>");
        r.root().unwrap();
        r.next_child().unwrap();
        assert!(matches!(r.text().unwrap(), Cow::Borrowed("plain")));
        r.next_child().unwrap();
        assert!(matches!(r.text().unwrap(), Cow::Owned(t) if t == "a&b"));
    }

    #[test]
    fn attributes_and_quoted_angle_brackets() {
        let mut r = XmlReader::new(br#"<A x:id = "1>2" other='a&amp;b' ><B/></A >"#);
        assert_eq!(r.root().unwrap().name(), "A");
        assert_eq!(r.attribute("id").as_deref(), Some("1>2"));
        assert_eq!(r.attribute("other").as_deref(), Some("a&b"));
        assert_eq!(r.attribute("missing"), None);
        assert_eq!(r.next_child().unwrap().unwrap().name(), "B");
        assert!(r.next_child().unwrap().is_none());
        assert!(r.next_child().unwrap().is_none());
    }

    #[test]
    fn bad_references() {
        for (text, message) in [
            ("&#0;", "invalid character reference"),
            ("&#+65;", "invalid character reference"),
            ("&#x;", "invalid character reference"),
            ("&#xD800;", "invalid character reference"),
            ("&#99999999999;", "invalid character reference"),
            ("&amp", "unterminated entity reference"),
            ("&foo;", "entity `&foo` is refused"),
        ] {
            let body = format!("<A><B>{text}</B></A>");
            let mut r = XmlReader::new(body.as_bytes());
            r.root().unwrap();
            r.next_child().unwrap();
            let e = r.text().unwrap_err();
            assert_eq!(e.path(), "A/B", "{text}");
            assert!(e.message().contains(message), "{text}: {}", e.message());
        }
        // Between elements too.
        let mut r = XmlReader::new(b"<A>&bad;<B/></A>");
        r.root().unwrap();
        assert!(r.next_child().unwrap_err().message().contains("refused"));
    }

    #[test]
    fn malformed_documents() {
        let read_all = |body: &[u8]| -> Result<(), XmlError> {
            let mut r = XmlReader::new(body);
            r.root()?;
            r.skip()
        };
        for (body, message) in [
            (&b"<A><B></A>"[..], "end tag `A` does not close `B`"),
            (b"<A><B>x\xff</B></A>", "invalid UTF-8 at byte 7"),
            (b"<A><B attr=\"x", "ends inside an attribute value"),
            (b"<A><B", "ends inside a start tag"),
            (b"<A></B", "ends inside an end tag"),
            (b"<A><!-- x", "ends inside a comment"),
            (b"<A><![CDATA[x", "ends inside a CDATA section"),
            (b"<A><?pi", "ends inside a processing instruction"),
            (b"<A><!ELEMENT x>", "neither a comment nor CDATA"),
            (b"<A>< B/></A>", "a tag without a name"),
            (b"<A>", "ends before the element is closed"),
            (b"", "no root element"),
        ] {
            let e = read_all(body).unwrap_err();
            assert!(e.message().contains(message), "{}: {e}", String::from_utf8_lossy(body));
        }
        let e = read_all(b"<A><B>x\xff</B></A>").unwrap_err();
        assert_eq!(e.path(), "A/B");
    }
}

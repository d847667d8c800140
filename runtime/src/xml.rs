//! A pull reader over a response body, for generated deserializers.
//!
//! Generated code walks the document with [`XmlReader::next_child`] and reads leaves with
//! [`XmlReader::text`] and the typed helpers, straight into the output types: no DOM.
//! Namespaces are ignored (elements match by local name), unknown elements are skipped,
//! and anything hostile — a DOCTYPE, a custom entity, nesting deeper than
//! [`MAX_DEPTH`], invalid UTF-8, truncation — is an [`XmlError`] naming the element path.

use crate::primitives::{Blob, DateTime};
use quick_xml::events::{BytesStart, Event};
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
    start: BytesStart<'a>,
}

impl Element<'_> {
    /// The local name (without namespace prefix).
    #[inline]
    pub fn name(&self) -> &str {
        local_name(&self.start)
    }
}

/// The local name of a start tag (`ns:Name` → `Name`). A byte loop rather than quick-xml's
/// `local_name` (a `char` search): names are short, and this runs once per element.
#[inline]
fn local_name<'s>(start: &'s BytesStart<'_>) -> &'s str {
    let qname = start.name().into_inner();
    match qname.bytes().position(|b| b == b':') {
        Some(i) => qname.get(i..).and_then(|rest| rest.get(1..)).unwrap_or(qname),
        None => qname,
    }
}

fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    let attr = start.attributes().flatten().find(|a| a.key.local_name().as_ref() == name)?;
    decode_entities(&attr.value).ok().map(Cow::into_owned)
}

/// Pull reader over one document.
pub struct XmlReader<'a> {
    inner: quick_xml::Reader<&'a [u8]>,
    /// Start tags of the open elements (borrowed from the body: cheap to keep), for
    /// attributes and for the element path of error messages.
    open: Vec<BytesStart<'a>>,
    /// The element just returned by `next_child` was self-closing: it has no content to read.
    entered_empty: bool,
}

impl<'a> XmlReader<'a> {
    pub fn new(body: &'a [u8]) -> Self {
        let mut inner = quick_xml::Reader::from_reader(body);
        let config = inner.config_mut();
        // End tags are checked against our own stack of open elements (see `next_child`),
        // which is cheaper than quick-xml keeping a second copy of every name.
        config.check_end_names = false;
        config.check_comments = false;
        XmlReader { inner, open: Vec::with_capacity(16), entered_empty: false }
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
        let path: Vec<&str> = self.open.iter().map(local_name).collect();
        XmlError::new(path.join("/"), message)
    }

    #[inline]
    fn event(&mut self) -> Result<Event<'a>, XmlError> {
        match self.inner.read_event() {
            Ok(e) => Ok(e),
            Err(e) => Err(self.error(format!("malformed XML: {e}"))),
        }
    }

    #[inline]
    fn enter(&mut self, start: BytesStart<'a>, empty: bool) -> Result<Element<'a>, XmlError> {
        if self.open.len() >= MAX_DEPTH {
            return Err(self.error(format!("elements nested deeper than {MAX_DEPTH}")));
        }
        self.entered_empty = empty;
        self.open.push(start.clone());
        Ok(Element { start })
    }

    /// Attribute `name` of the element entered last (matched by local name).
    pub fn attribute(&self, name: &str) -> Option<String> {
        attribute(self.open.last()?, name)
    }

    #[inline]
    fn leave(&mut self) {
        self.open.pop();
    }

    /// An end tag must close the element opened last.
    #[inline]
    fn check_end(&self, end: &quick_xml::events::BytesEnd<'_>) -> Result<(), XmlError> {
        match self.open.last() {
            Some(start) if start.name().as_ref() == end.name().as_ref() => Ok(()),
            Some(start) => Err(self.error(format!(
                "malformed XML: end tag `{}` does not close `{}`",
                String::from_utf8_lossy(end.name().as_ref().as_bytes()),
                start.name().as_ref()
            ))),
            None => Err(self.error("malformed XML: an end tag without a start tag")),
        }
    }

    /// The next child element of the current element, entered; `None` (having left the
    /// current element) when it has no more children. Text between children is ignored.
    #[inline]
    pub fn next_child(&mut self) -> Result<Option<Element<'a>>, XmlError> {
        if std::mem::take(&mut self.entered_empty) {
            // The current element is `<x/>`: no children, and no end tag to consume.
            self.leave();
            return Ok(None);
        }
        loop {
            match self.event()? {
                Event::Start(s) => return self.enter(s, false).map(Some),
                Event::Empty(s) => return self.enter(s, true).map(Some),
                Event::End(end) => {
                    self.check_end(&end)?;
                    self.leave();
                    return Ok(None);
                }
                Event::Eof => {
                    return if self.open.is_empty() {
                        Ok(None)
                    } else {
                        Err(self.error("the body ends before the element is closed"))
                    };
                }
                Event::DocType(_) => return Err(self.error("DOCTYPE declarations are refused")),
                Event::GeneralRef(r) if !self.open.is_empty() => {
                    // An entity between elements: must still be a known one.
                    resolve_ref(&r).map_err(|m| self.error(m))?;
                }
                _ => {}
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
    /// it. Borrows from the body unless the text holds entity references or CDATA.
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
        let mut event = self.event()?;
        let mut text: Cow<'a, str> = Cow::Borrowed("");
        // The common leaf, `<Name>text</Name>`: one text event, then the end tag.
        if let Event::Text(t) = &event {
            text = t.xml10_content();
            event = self.event()?;
            if let Event::End(end) = &event {
                self.check_end(end)?;
                return Ok(text);
            }
        }
        loop {
            match event {
                Event::Text(t) => append(&mut text, t.xml10_content()),
                Event::CData(t) => append(&mut text, t.xml10_content()),
                Event::GeneralRef(r) => {
                    let c = resolve_ref(&r).map_err(|m| self.error(m))?;
                    text.to_mut().push(c);
                }
                Event::Start(s) => {
                    self.enter(s, false)?;
                    self.skip()?;
                }
                Event::Empty(_) | Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
                Event::End(end) => {
                    self.check_end(&end)?;
                    return Ok(text);
                }
                Event::DocType(_) => return Err(self.error("DOCTYPE declarations are refused")),
                Event::Eof => return Err(self.error("the body ends inside the element")),
            }
            event = self.event()?;
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

fn append<'a>(text: &mut Cow<'a, str>, more: Cow<'a, str>) {
    if text.is_empty() {
        *text = more;
    } else {
        text.to_mut().push_str(&more);
    }
}

/// Resolves a character reference or one of the five predefined entities; any other
/// entity is refused (never expanded).
fn resolve_ref(r: &quick_xml::events::BytesRef<'_>) -> Result<char, String> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(c),
            _ => Err("invalid character reference".to_owned()),
        };
    }
    match r.as_ref() {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        other => Err(format!("entity `&{}` is refused: only XML's predefined entities are read", other.chars().take(40).collect::<String>())),
    }
}

/// Decodes entity references in an attribute value.
fn decode_entities(raw: &str) -> Result<Cow<'_, str>, String> {
    if !raw.contains('&') {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some((before, after)) = rest.split_once('&') {
        out.push_str(before);
        let (name, tail) = after.split_once(';').ok_or("unterminated entity reference")?;
        let c = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let num = name.strip_prefix('#').ok_or_else(|| format!("entity `&{name};` is refused"))?;
                let code = match num.strip_prefix('x') {
                    Some(hex) => u32::from_str_radix(hex, 16),
                    None => num.parse(),
                }
                .map_err(|_| "invalid character reference".to_owned())?;
                char::from_u32(code).ok_or("invalid character reference")?
            }
        };
        out.push(c);
        rest = tail;
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
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
            ("ResponseMetadata", _) => request_id = crate::error::read_request_id(r)?,
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
}

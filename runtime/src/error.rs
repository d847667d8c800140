//! Error metadata shared by every operation's error type, and the parser of query-protocol
//! error documents (`<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`).

use crate::xml::{XmlError, XmlReader};
use bytes::Bytes;
use std::fmt;

/// What the service said about an error, modeled or not. Boxed, so that error types and
/// the `Result`s carrying them stay small.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata(Box<Fields>);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Fields {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    error_type: Option<String>,
    status: u16,
    /// What a caller attached under its own keys (`ErrorMetadataBuilder::custom`).
    extra: Vec<(&'static str, String)>,
}

impl ErrorMetadata {
    /// The error code the service sent (`CacheParameterGroupNotFound`).
    pub fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    pub fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }

    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// `Sender` or `Receiver`, when the service says.
    pub fn error_type(&self) -> Option<&str> {
        self.0.error_type.as_deref()
    }

    /// HTTP status of the response (0 when there was none).
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// A value set under `key` with [`ErrorMetadataBuilder::custom`] (the last one set).
    pub fn extra(&self, key: &'static str) -> Option<&str> {
        self.0.extra.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
    }

    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.0.code = Some(code.into());
        self
    }

    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.0.message = Some(message.into());
        self
    }

    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.0.request_id = Some(id.into());
        self
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.0.status = status;
        self
    }

    /// Builds metadata field by field, as aws-smithy-types' `ErrorMetadata::builder()`
    /// (errors made in tests: `ErrorMetadata::builder().code("X").message("m").build()`).
    pub fn builder() -> ErrorMetadataBuilder {
        ErrorMetadataBuilder(ErrorMetadata::default())
    }

    /// A builder holding this metadata, to change it.
    pub fn into_builder(self) -> ErrorMetadataBuilder {
        ErrorMetadataBuilder(self)
    }
}

/// Builds an [`ErrorMetadata`].
#[derive(Clone, Debug, Default)]
pub struct ErrorMetadataBuilder(ErrorMetadata);

impl ErrorMetadataBuilder {
    pub fn code(self, code: impl Into<String>) -> Self {
        ErrorMetadataBuilder(self.0.with_code(code))
    }

    pub fn message(self, message: impl Into<String>) -> Self {
        ErrorMetadataBuilder(self.0.with_message(message))
    }

    pub fn request_id(self, id: impl Into<String>) -> Self {
        ErrorMetadataBuilder(self.0.with_request_id(id))
    }

    /// A value of the caller's own under `key`, read back with [`ErrorMetadata::extra`].
    pub fn custom(mut self, key: &'static str, value: impl Into<String>) -> Self {
        (self.0).0.extra.push((key, value.into()));
        self
    }

    pub fn build(self) -> ErrorMetadata {
        self.0
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.0.code, &self.0.message) {
            (Some(c), Some(m)) => write!(f, "{c}: {m}")?,
            (Some(c), None) => f.write_str(c)?,
            (None, Some(m)) => f.write_str(m)?,
            (None, None) => write!(f, "HTTP status {} without an error code", self.0.status)?,
        }
        if let Some(id) = &self.0.request_id {
            write!(f, " (request id: {id})")?;
        }
        Ok(())
    }
}

/// Errors that carry what the service said: the code, message and request id of a modeled
/// error, an operation's error, an `SdkError` (aws-sdk-rust's trait of the same name).
pub trait ProvideErrorMetadata {
    /// Code, message, request id and HTTP status.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code the service sent (`CacheClusterNotFound`).
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The message the service sent.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
}

/// The metadata of an error that carries none (a kind of `SdkError` other than a service
/// error, a waiter that timed out): empty, as aws-sdk-rust's.
pub(crate) fn no_metadata() -> &'static ErrorMetadata {
    static EMPTY: std::sync::OnceLock<ErrorMetadata> = std::sync::OnceLock::new();
    EMPTY.get_or_init(ErrorMetadata::default)
}

impl ProvideErrorMetadata for ErrorMetadata {
    fn meta(&self) -> &ErrorMetadata {
        self
    }
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

/// A modeled error's structure, read from its error document (implemented by each error
/// shape of a generated crate).
pub trait ReadError: ProvideErrorMetadata + std::error::Error + Send + Sync + Sized + 'static {
    /// Reads the error from its document, whose metadata is already known; `Unhandled`
    /// (keeping `meta`) when the document cannot be read.
    fn read(meta: ErrorMetadata, body: &[u8]) -> Result<Self, Unhandled>;
}

/// The error `T` read from its document and wrapped in the operation error `E` (`wrap` is
/// the variant), or `E`'s unhandled error when the document cannot be read. Error enums
/// call it once per error they list, with data only.
pub fn read_modeled<E, T>(meta: ErrorMetadata, body: &[u8], wrap: fn(T) -> E) -> E
where
    E: OperationError,
    T: ReadError,
{
    match T::read(meta, body) {
        Ok(e) => wrap(e),
        Err(u) => E::unhandled(u),
    }
}

/// `Display` of a modeled error: its name, and the message when there is one
/// (`SnapshotNotFoundFault: Snapshot nightly not found`).
pub fn fmt_modeled(name: &str, message: Option<&str>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(name)?;
    match message {
        Some(m) => write!(f, ": {m}"),
        None => Ok(()),
    }
}

/// Shows an error and every error in its `source()` chain, `: `-separated
/// (`println!("{}", DisplayErrorContext(&err))`), as aws-sdk-rust's type of the same name.
#[derive(Debug)]
pub struct DisplayErrorContext<E>(pub E);

impl<E: std::error::Error> fmt::Display for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(s) = source {
            write!(f, ": {s}")?;
            source = s.source();
        }
        write!(f, " ({:?})", self.0)
    }
}

/// Why a builder could not build (aws-sdk-rust's `BuildError`): a missing or invalid field,
/// or another cause (`BuildError::other`, for code that builds inputs its own way).
#[derive(Debug)]
pub struct BuildError(BuildErrorKind);

#[derive(Debug)]
enum BuildErrorKind {
    MissingField { field: &'static str, details: String },
    InvalidField { field: &'static str, details: String },
    Other(Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl BuildError {
    /// `field` is required and was not set.
    pub fn missing_field(field: &'static str, details: impl Into<String>) -> Self {
        BuildError(BuildErrorKind::MissingField { field, details: details.into() })
    }

    /// `field` was set to a value that cannot be used.
    pub fn invalid_field(field: &'static str, details: impl Into<String>) -> Self {
        BuildError(BuildErrorKind::InvalidField { field, details: details.into() })
    }

    /// Any other reason, kept as the source.
    pub fn other(source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        BuildError(BuildErrorKind::Other(source.into()))
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            BuildErrorKind::MissingField { field, details } => write!(f, "missing field `{field}`: {details}"),
            BuildErrorKind::InvalidField { field, details } => write!(f, "invalid field `{field}`: {details}"),
            BuildErrorKind::Other(_) => f.write_str("the input could not be built"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            BuildErrorKind::Other(source) => Some(&**source),
            _ => None,
        }
    }
}

/// Reads the metadata of an error document. `None` when the body is not one (an HTML page,
/// an empty body, a success document).
pub fn parse_error_metadata(body: &[u8], status: u16) -> Option<ErrorMetadata> {
    let mut r = XmlReader::new(body);
    let root = r.root().ok()?;
    if !matches!(root.name(), "ErrorResponse" | "Response") {
        return None;
    }
    // Allocated only for error documents: every success response passes through here too.
    let mut meta = ErrorMetadata::default().with_status(status);
    let mut found = false;
    while let Some(child) = r.next_child().ok()? {
        match child.name() {
            "Error" => {
                found = true;
                read_error_fields(&mut r, &mut meta).ok()?;
            }
            "Errors" => {
                while let Some(e) = r.next_child().ok()? {
                    if e.name() == "Error" && !found {
                        found = true;
                        read_error_fields(&mut r, &mut meta).ok()?;
                    } else {
                        r.skip().ok()?;
                    }
                }
            }
            "RequestId" | "RequestID" => meta.0.request_id = Some(r.string().ok()?),
            _ => r.skip().ok()?,
        }
    }
    found.then_some(meta)
}

fn read_error_fields(r: &mut XmlReader<'_>, meta: &mut ErrorMetadata) -> Result<(), XmlError> {
    while let Some(field) = r.next_child()? {
        match field.name() {
            "Code" => meta.0.code = Some(r.string()?),
            "Message" => meta.0.message = Some(r.string()?),
            "Type" => meta.0.error_type = Some(r.string()?),
            "RequestId" => meta.0.request_id = Some(r.string()?),
            _ => r.skip()?,
        }
    }
    Ok(())
}

/// A reader positioned inside the `<Error>` element of an error document, for
/// deserializing a modeled error's members (not generic: compiled once for every error).
fn error_reader(body: &[u8]) -> Result<XmlReader<'_>, XmlError> {
    let mut r = XmlReader::new(body);
    r.root()?;
    while let Some(child) = r.next_child()? {
        match child.name() {
            "Error" => return Ok(r),
            "Errors" => {
                if r.next_child()?.is_some() {
                    return Ok(r);
                }
            }
            _ => r.skip()?,
        }
    }
    Err(r.error("no <Error> element"))
}

/// A reader inside the `<Error>` element of a modeled error's document, with `meta` handed
/// back to be stored in the error; `Unhandled`, carrying what went wrong, when the document
/// cannot be read. Not generic: one copy serves every error shape.
pub fn modeled_error_reader(meta: ErrorMetadata, body: &[u8]) -> Result<(XmlReader<'_>, ErrorMetadata), Unhandled> {
    match error_reader(body) {
        Ok(r) => Ok((r, meta)),
        Err(err) => Err(Unhandled::with_source(meta, err)),
    }
}

/// Why a response did not give the operation's output.
#[derive(Debug)]
pub enum ParseError<E> {
    /// The service answered with an error, modeled or not.
    Service(E),
    /// A success status whose body could not be read as the output.
    Malformed(XmlError),
}

impl<E: fmt::Display> fmt::Display for ParseError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Service(e) => e.fmt(f),
            ParseError::Malformed(source) => write!(f, "unreadable response: {source}"),
        }
    }
}

/// An error the model does not describe: an unknown code, or a response that could not be
/// read as an error document (an HTML page from a proxy, an empty 500).
#[derive(Debug)]
pub struct Unhandled {
    meta: ErrorMetadata,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
    /// The error document, so that a service-wide error type can still recognise a code the
    /// operation does not list.
    body: Option<Bytes>,
}

impl Unhandled {
    pub fn new(meta: ErrorMetadata) -> Self {
        Unhandled { meta, source: None, body: None }
    }

    pub fn with_source(meta: ErrorMetadata, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Unhandled { meta, source: Some(source.into()), body: None }
    }

    /// An error document whose code the operation does not model.
    pub fn from_document(meta: ErrorMetadata, body: &Bytes) -> Self {
        Unhandled { meta, source: None, body: Some(body.clone()) }
    }

    /// A non-success response whose body is not an error document.
    pub fn unreadable(status: u16, content_type: Option<&str>, body: &[u8]) -> Self {
        let meta = ErrorMetadata::default().with_status(status);
        Unhandled::with_source(meta, NotAnErrorDocument::new(content_type, body))
    }

    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The error document, when there was one.
    pub fn body(&self) -> Option<&Bytes> {
        self.body.as_ref()
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.meta)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Unhandled {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A string that is none of an enum's values: what an enum's `try_parse` gives for a value
/// the model does not define (`From<&str>` keeps such values as `Unknown` instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVariantError {
    value: String,
}

impl UnknownVariantError {
    /// For generated enums' `try_parse`.
    pub fn new(value: impl Into<String>) -> Self {
        UnknownVariantError { value: value.into() }
    }

    /// The string that was parsed.
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// aws-sdk-rust's text.
impl fmt::Display for UnknownVariantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown enum variant: '{}'", self.value)
    }
}

impl std::error::Error for UnknownVariantError {}

/// A response body that is not a query-protocol error document; keeps its beginning for
/// the message (proxies and load balancers answer with HTML).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnErrorDocument {
    content_type: Option<String>,
    excerpt: String,
    len: usize,
}

impl NotAnErrorDocument {
    const EXCERPT_CHARS: usize = 120;

    pub fn new(content_type: Option<&str>, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body.get(..4 * Self::EXCERPT_CHARS).unwrap_or(body));
        let excerpt: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(Self::EXCERPT_CHARS)
            .collect();
        NotAnErrorDocument { content_type: content_type.map(str::to_owned), excerpt, len: body.len() }
    }
}

impl fmt::Display for NotAnErrorDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.len == 0 {
            return f.write_str("the response has an empty body");
        }
        f.write_str("the response body is not an AWS error document")?;
        if let Some(ct) = &self.content_type {
            write!(f, " (content type {ct})")?;
        }
        let more = if self.excerpt.len() < self.len { "…" } else { "" };
        write!(f, ", it begins `{}`{more}", self.excerpt.trim())
    }
}

impl std::error::Error for NotAnErrorDocument {}

/// A modeled error, seen through an operation's error enum.
pub trait ModeledError: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static {}

impl<T: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static> ModeledError for T {}

/// The error type of an operation (`CopySnapshotError`), and the service-wide `Error`.
///
/// Generated enums say which variant is which (`modeled`); `Display`, `source()` and the
/// error metadata are written once, here.
pub trait OperationError: std::error::Error + Send + Sync + Sized + 'static {
    /// The operation (`CopySnapshot`), shown first by `Display`; empty for a service-wide
    /// error type.
    const OPERATION: &'static str;

    /// The modeled error whose code matches `meta.code()` exactly, else `Unhandled`.
    fn from_error_document(meta: ErrorMetadata, body: &Bytes) -> Self;

    /// An error the model does not describe.
    fn unhandled(unhandled: Unhandled) -> Self;

    /// The modeled error this is, or the unhandled one.
    fn modeled(&self) -> Result<&dyn ModeledError, &Unhandled>;

    /// `Display`: `CopySnapshot failed: SnapshotNotFoundFault: … (request id: …)`.
    fn fmt_error(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !Self::OPERATION.is_empty() {
            write!(f, "{} failed: ", Self::OPERATION)?;
        }
        match self.modeled() {
            Ok(e) => write!(f, "{}", e.meta()),
            // Unhandled says what the response was when it carried no error code.
            Err(u) => write!(f, "{u}"),
        }
    }

    /// `Error::source`: the modeled error, or what the unhandled one holds.
    fn error_source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.modeled() {
            Ok(e) => Some(e),
            Err(u) => std::error::Error::source(u),
        }
    }
}

impl<E: OperationError> ProvideErrorMetadata for E {
    fn meta(&self) -> &ErrorMetadata {
        match self.modeled() {
            Ok(e) => e.meta(),
            Err(u) => u.meta(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_error_documents() {
        let body = b"<ErrorResponse><Error><Type>Sender</Type><Code>QuotaExceeded.CacheSecurityGroup</Code>\
            <Message>Too many</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
        let meta = parse_error_metadata(body, 400).unwrap();
        assert_eq!(meta.code(), Some("QuotaExceeded.CacheSecurityGroup"));
        assert_eq!(meta.message(), Some("Too many"));
        assert_eq!(meta.request_id(), Some("r-1"));
        assert_eq!(meta.error_type(), Some("Sender"));
        assert_eq!(meta.status(), 400);
        assert!(parse_error_metadata(b"<html><body>Internal error</body></html>", 500).is_none());
        assert!(parse_error_metadata(b"", 500).is_none());
    }

    #[test]
    fn build_errors_say_what_failed() {
        assert_eq!(BuildError::missing_field("name", "a name is required").to_string(), "missing field `name`: a name is required");
        assert_eq!(BuildError::invalid_field("port", "out of range").to_string(), "invalid field `port`: out of range");
        let other = BuildError::other("the template was empty");
        assert_eq!(other.to_string(), "the input could not be built");
        let source = std::error::Error::source(&other).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("the template was empty"));
        assert!(std::error::Error::source(&BuildError::missing_field("a", "b")).is_none());
    }

    #[test]
    fn metadata_keeps_custom_values() {
        let meta = ErrorMetadata::builder().code("X").custom("trace", "t-1").custom("hint", "h").custom("trace", "t-2").build();
        assert_eq!(meta.extra("trace"), Some("t-2"));
        assert_eq!(meta.extra("hint"), Some("h"));
        assert_eq!(meta.extra("missing"), None);
        assert_eq!(meta.code(), Some("X"));
        assert_eq!(meta.clone().into_builder().build().extra("hint"), Some("h"));
    }
}

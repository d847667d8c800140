//! What a generated operation provides to the client: its wire facts, a request serializer,
//! input validation and an output deserializer. Everything around them — building the HTTP
//! request, recognising error documents, dispatching errors — is here, written once.

use crate::error::{parse_error_metadata, ErrorMetadata, ParseError, Unhandled};
use crate::http::{HttpRequest, HttpResponse, Url};
use crate::query::QueryWriter;
use crate::validation::ValidationError;
use crate::xml::XmlError;
use bytes::Bytes;

/// Wire facts of one operation, from the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The operation's name, sent as `Action`.
    pub name: &'static str,
    /// The API version, sent as `Version`.
    pub version: &'static str,
    /// HTTP method of the request.
    pub method: &'static str,
    /// Request path, relative to the endpoint's.
    pub uri: &'static str,
    /// The model allows gzip compression of the request body (`requestcompression`).
    pub request_compression: bool,
    /// Sent without a signature (the model's `authtype: none`): no credentials are loaded.
    pub unsigned: bool,
}

/// Implemented by each generated operation type (`CopySnapshot`).
pub trait Operation {
    type Input: Send + Sync + 'static;
    type Output: Send + crate::RequestId + 'static;
    type Error: OperationError;

    const INFO: OperationInfo;

    /// Checks required members and the model's length and value limits, reporting every
    /// problem at once.
    fn validate(input: &Self::Input) -> Result<(), ValidationError>;

    /// Writes the input's members after `Action` and `Version`.
    fn serialize(input: &Self::Input, w: &mut QueryWriter);

    /// The prefix the model puts before the endpoint's host (`endpoint.hostPrefix`).
    fn host_prefix(_input: &Self::Input) -> Result<Option<String>, String> {
        Ok(None)
    }

    /// Reads a success body into the output.
    fn parse_output(body: &[u8]) -> Result<Self::Output, XmlError>;

    /// The complete form-urlencoded request body, idempotency tokens filled in.
    fn request_body(input: &Self::Input) -> String {
        let mut w = QueryWriter::new(Self::INFO.name, Self::INFO.version);
        Self::serialize(input, &mut w);
        w.finish()
    }

    /// Reads a response: the output for a success; the operation's error for an error
    /// document, whatever the status (a 200 that carries an `ErrorResponse` is an error).
    fn parse_response(response: &HttpResponse) -> Result<Self::Output, ParseError<Self::Error>> {
        match classify(response) {
            Classified::Error(e) => Err(ParseError::Service(Self::Error::from_error_document(e.meta, response.body()))),
            Classified::Unreadable(u) => Err(ParseError::Service(Self::Error::unhandled(u))),
            Classified::Success => Self::parse_output(response.body()).map_err(ParseError::Malformed),
        }
    }
}

/// The error type of an operation (`CopySnapshotError`).
pub trait OperationError: std::error::Error + Send + Sync + Sized + 'static {
    /// The modeled error whose code matches `meta.code()` exactly, else `Unhandled`.
    fn from_error_document(meta: ErrorMetadata, body: &Bytes) -> Self;

    /// An error the model does not describe.
    fn unhandled(unhandled: Unhandled) -> Self;

    /// Code, message, request id and HTTP status.
    fn meta(&self) -> &ErrorMetadata;
}

/// What a response is, before any operation-specific parsing.
pub(crate) enum Classified {
    Success,
    /// An error document: its metadata.
    Error(Box<ErrorDocument>),
    /// A failure status without an error document.
    Unreadable(Unhandled),
}

pub(crate) struct ErrorDocument {
    pub meta: ErrorMetadata,
}

/// Tells success, error document and unreadable failure apart; non-generic, so it is
/// compiled once for all operations.
pub(crate) fn classify(response: &HttpResponse) -> Classified {
    let status = response.status();
    let body = response.body();
    if let Some(meta) = error_document(status, body) {
        return Classified::Error(Box::new(ErrorDocument { meta }));
    }
    if (200..300).contains(&status) {
        Classified::Success
    } else {
        Classified::Unreadable(Unhandled::unreadable(status, response.header("content-type"), body))
    }
}

/// The metadata of an error document, whatever the status (a 200 may carry one).
fn error_document(status: u16, body: &[u8]) -> Option<ErrorMetadata> {
    parse_error_metadata(body, status)
}

/// The unsigned request of a call: the body serialized, the host prefix applied, the body
/// compressed when the model allows it and it is large enough.
pub fn build_request<O: Operation>(
    input: &O::Input,
    endpoint: &Url,
    compression: Option<usize>,
) -> Result<HttpRequest, String> {
    let prefix = O::host_prefix(input)?;
    let body = O::request_body(input);
    let info = O::INFO;
    let min_size = if info.request_compression { compression } else { None };
    Ok(crate::query::build_request(endpoint, info.method, info.uri, prefix.as_deref(), body, min_size))
}

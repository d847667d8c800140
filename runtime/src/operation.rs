//! What a generated operation provides to the client: its wire facts, a request serializer,
//! input validation and an output deserializer. Everything around them — building the HTTP
//! request, recognising error documents, dispatching errors — is here, written once.

use crate::error::{parse_error_metadata, ErrorMetadata, ParseError, Unhandled};
// The error traits of operations live with the errors (the lower layer); here, where every
// operation's other traits are, too.
pub use crate::error::{ModeledError, OperationError};
use crate::http::{HttpRequest, HttpResponse, Url};
use crate::query::QueryWriter;
use crate::validation::ValidationError;
use crate::xml::XmlError;

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
    let status = response.status().as_u16();
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
    if let Some(prefix) = &prefix {
        crate::endpoint_label::check_host_prefix(prefix, &endpoint.host)?;
    }
    let body = O::request_body(input);
    let info = O::INFO;
    let min_size = if info.request_compression { compression } else { None };
    Ok(crate::query::build_request(endpoint, info.method, info.uri, prefix.as_deref(), body, min_size))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    /// An operation whose host prefix is whatever the test puts in `PREFIX`.
    struct Prefixed;

    #[derive(Debug)]
    struct NoError(Unhandled);

    impl std::fmt::Display for NoError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("none")
        }
    }

    impl std::error::Error for NoError {}

    impl OperationError for NoError {
        const OPERATION: &'static str = "Op";
        fn from_error_document(meta: ErrorMetadata, _: &Bytes) -> Self {
            NoError(Unhandled::new(meta))
        }
        fn unhandled(u: Unhandled) -> Self {
            NoError(u)
        }
        fn modeled(&self) -> Result<&dyn ModeledError, &Unhandled> {
            Err(&self.0)
        }
    }

    struct Output;

    impl crate::RequestId for Output {
        fn request_id(&self) -> Option<&str> {
            None
        }
    }

    impl Operation for Prefixed {
        type Input = &'static str;
        type Output = Output;
        type Error = NoError;
        const INFO: OperationInfo =
            OperationInfo { name: "Op", version: "1", method: "POST", uri: "/", request_compression: false, unsigned: false };
        fn validate(_: &Self::Input) -> Result<(), ValidationError> {
            Ok(())
        }
        fn serialize(_: &Self::Input, _: &mut QueryWriter) {}
        fn host_prefix(input: &Self::Input) -> Result<Option<String>, String> {
            Ok(Some((*input).to_owned()))
        }
        fn parse_output(_: &[u8]) -> Result<Self::Output, XmlError> {
            Ok(Output)
        }
    }

    #[test]
    fn a_host_prefix_cannot_leave_the_endpoints_host() {
        let endpoint = Url::parse("https://service.us-east-1.amazonaws.com").unwrap();
        let request = build_request::<Prefixed>(&"data.", &endpoint, None).unwrap();
        assert_eq!(request.host(), "data.service.us-east-1.amazonaws.com");
        for prefix in ["evil.example/", "evil.example#", "user@", "evil.example:8080/", "data", "a..", "-a."] {
            let err = build_request::<Prefixed>(&prefix, &endpoint, None).unwrap_err();
            assert!(err.contains("outside `service.us-east-1.amazonaws.com`"), "{prefix}: {err}");
        }
    }
}

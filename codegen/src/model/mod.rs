//! Serde mirror of botocore's `service-2.json` format.
//!
//! These types follow the JSON one to one: nothing is resolved here. Unknown keys are
//! tolerated (botocore adds keys over time); keys this generator does not use yet are still
//! mirrored so that the model layer documents the whole format. Loading and validation, with
//! JSON paths in every error, live in [`load`].

pub mod endpoints;
pub mod examples;
mod load;
pub mod paginators;
pub mod sources;
pub mod waiters;

pub use load::{from_json, load_service, parse_service, ModelError};

use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The protocols of the query family this generator implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// AWS query: `Name.member.N` lists, outputs wrapped in `<OpResult>`,
    /// `<ErrorResponse><Error>` errors.
    Query,
    /// EC2 query: `queryName` or capitalised names, lists always `Name.N` (an empty list
    /// sends nothing), outputs as the direct children of `<OpResponse>` with `<requestId>`,
    /// `<Response><Errors><Error>` errors with `<RequestID>`.
    Ec2,
}

impl Protocol {
    /// The protocol of a model's `metadata.protocol`; `None` for one of another family.
    pub fn from_metadata(protocol: &str) -> Option<Protocol> {
        match protocol {
            "query" => Some(Protocol::Query),
            "ec2" => Some(Protocol::Ec2),
            _ => None,
        }
    }
}

/// A whole `service-2.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceModel {
    #[serde(default)]
    pub version: Option<String>,
    pub metadata: Metadata,
    #[serde(default)]
    pub operations: BTreeMap<String, Operation>,
    #[serde(default)]
    pub shapes: BTreeMap<String, Shape>,
    #[serde(default)]
    pub documentation: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// Sent as `Version`; botocore's older protocol suites leave it out.
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub endpoint_prefix: Option<String>,
    pub protocol: String,
    #[serde(default)]
    pub protocols: Vec<String>,
    #[serde(default)]
    pub service_full_name: Option<String>,
    #[serde(default)]
    pub service_abbreviation: Option<String>,
    #[serde(default)]
    pub service_id: Option<String>,
    #[serde(default)]
    pub signature_version: Option<String>,
    #[serde(default)]
    pub signing_name: Option<String>,
    #[serde(default)]
    pub uid: Option<String>,
    #[serde(default)]
    pub xml_namespace: Option<String>,
    #[serde(default)]
    pub global_endpoint: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub name: String,
    #[serde(default)]
    pub http: Http,
    #[serde(default)]
    pub input: Option<OperationRef>,
    #[serde(default)]
    pub output: Option<OperationRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub documentation_url: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub endpoint: Option<OperationEndpoint>,
    #[serde(default)]
    pub idempotent: bool,
    #[serde(default)]
    pub authtype: Option<String>,
    /// Smithy auth schemes, in preference order (`["smithy.api#noAuth"]`: unsigned).
    #[serde(default)]
    pub auth: Vec<String>,
    #[serde(default, rename = "requestcompression")]
    pub request_compression: Option<RequestCompression>,
}

/// `requestcompression`: the request body may be compressed with one of `encodings`.
#[derive(Debug, Clone, Deserialize)]
pub struct RequestCompression {
    #[serde(default)]
    pub encodings: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Http {
    #[serde(default = "default_method")]
    pub method: String,
    #[serde(default = "default_uri")]
    pub request_uri: String,
    #[serde(default)]
    pub response_code: Option<u16>,
}

impl Default for Http {
    fn default() -> Self {
        Http { method: default_method(), request_uri: default_uri(), response_code: None }
    }
}

fn default_method() -> String {
    "POST".to_owned()
}

fn default_uri() -> String {
    "/".to_owned()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationEndpoint {
    #[serde(default)]
    pub host_prefix: Option<String>,
}

/// The `input` / `output` of an operation: a shape reference plus protocol wrapping.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationRef {
    pub shape: String,
    #[serde(default)]
    pub result_wrapper: Option<String>,
    #[serde(default)]
    pub location_name: Option<String>,
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    #[serde(default)]
    pub documentation: Option<String>,
}

/// A reference to a shape, as used by structure members, list members and map keys/values.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShapeRef {
    pub shape: String,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub location_name: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub query_name: Option<String>,
    #[serde(default)]
    pub flattened: Option<bool>,
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    #[serde(default)]
    pub xml_attribute: bool,
    #[serde(default, rename = "box")]
    pub boxed: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(default)]
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub host_label: bool,
}

/// `xmlNamespace` is a plain URI in `metadata` and an object on shapes and members.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged, expecting = "expected a namespace URI or an object with `uri` and `prefix`")]
pub enum XmlNamespace {
    Uri(String),
    Object {
        #[serde(default)]
        uri: Option<String>,
        #[serde(default)]
        prefix: Option<String>,
    },
}

/// The type of a shape, from its `type` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShapeType {
    Structure,
    List,
    Map,
    String,
    /// A single character, read and written as a string (botocore does the same).
    Character,
    Integer,
    Long,
    Float,
    Double,
    Boolean,
    Timestamp,
    Blob,
}

impl ShapeType {
    pub fn as_str(self) -> &'static str {
        match self {
            ShapeType::Structure => "structure",
            ShapeType::List => "list",
            ShapeType::Map => "map",
            ShapeType::String => "string",
            ShapeType::Character => "character",
            ShapeType::Integer => "integer",
            ShapeType::Long => "long",
            ShapeType::Float => "float",
            ShapeType::Double => "double",
            ShapeType::Boolean => "boolean",
            ShapeType::Timestamp => "timestamp",
            ShapeType::Blob => "blob",
        }
    }
}

/// A shape. botocore keeps every kind in one flat object; which keys apply depends on
/// `type`, and [`load`] checks that the ones a kind needs are there.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub shape_type: ShapeType,
    /// Structure members, in model order (the order the query protocol serializes them).
    #[serde(default)]
    pub members: IndexMap<String, ShapeRef>,
    #[serde(default)]
    pub required: Vec<String>,
    /// List element.
    #[serde(default)]
    pub member: Option<ShapeRef>,
    /// Map key and value.
    #[serde(default)]
    pub key: Option<ShapeRef>,
    #[serde(default)]
    pub value: Option<ShapeRef>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    #[serde(default)]
    pub min: Option<serde_json::Number>,
    #[serde(default)]
    pub max: Option<serde_json::Number>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub error: Option<ErrorTrait>,
    #[serde(default)]
    pub exception: bool,
    #[serde(default)]
    pub fault: bool,
    #[serde(default)]
    pub wrapper: bool,
    #[serde(default)]
    pub flattened: bool,
    #[serde(default)]
    pub location_name: Option<String>,
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    #[serde(default)]
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub synthetic: bool,
    #[serde(default)]
    pub union: bool,
    #[serde(default)]
    pub document: bool,
}

/// The `error` object of an exception shape.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
}

//! The Rust-facing IR: what the emitters turn into files. Every Rust name and type is decided
//! here (in [`lower`], through [`names`]); the IR keeps both the Rust name and the wire name of
//! everything, and serializes so it can be snapshot-tested.

mod auth;
mod customizations;
pub mod defaults;
pub mod docs;
pub mod endpoint;
mod lower;
pub mod names;
pub mod protocol;
pub mod size;
pub mod uri;
mod warnings;

use serde::Serialize;
use serde_json::Value;

pub use lower::{lower, LowerInputs};
pub use protocol::{Protocol, ProtocolIr};
pub use uri::{PathSegment, QueryLiteral, UriLabel, UriPattern};
pub use warnings::{warnings, Warning};

pub use crate::model::{HttpTrait, TimestampFormat};

/// A whole generated crate.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceIr {
    /// The crate (package and library) name.
    pub crate_name: String,
    /// The crate version.
    pub crate_version: String,
    /// The service shape id.
    pub shape_id: String,
    /// The service name for humans (`@title`, else the SDK id).
    pub title: String,
    /// The SDK id (`aws.api#service` `sdkId`, else the shape name).
    pub sdk_id: String,
    /// The API version.
    pub api_version: String,
    /// The wire protocol.
    pub protocol: ProtocolIr,
    /// The SigV4 signing name, when the service uses SigV4.
    pub signing_name: Option<String>,
    /// The service's authentication schemes in order of preference (its `@auth`, else every
    /// auth trait applied to it by shape id; anonymous when it has none), for the docs.
    /// Operations may differ (see [`OperationIr::auth`]).
    pub auth: Vec<AuthSchemeIr>,
    /// The service documentation as Markdown.
    pub docs: Option<String>,
    /// Structures shared by operations (`types` module).
    pub structures: Vec<StructIr>,
    /// Error structures (`types::error` module).
    pub errors: Vec<StructIr>,
    /// Enums (`types` module).
    pub enums: Vec<EnumIr>,
    /// Unions (`types` module).
    pub unions: Vec<UnionIr>,
    /// Event streams (`@streaming` unions): their events are in `unions`, their errors here.
    pub event_streams: Vec<EventStreamIr>,
    /// Operations, sorted by name.
    pub operations: Vec<OperationIr>,
    /// Operations of the model the crate leaves out (they need something the generator does
    /// not implement), sorted by shape id.
    pub left_out: Vec<LeftOutOperation>,
    /// The endpoint rules, their test cases and the partition data, when the model has rules.
    pub endpoint_rules: Option<endpoint::EndpointRulesIr>,
}

impl ServiceIr {
    /// The crate's library name, as Rust code names it (`-` becomes `_`).
    pub fn lib_name(&self) -> String {
        self.crate_name.replace('-', "_")
    }

    /// Whether an operation sends or receives an event stream, which needs the runtime's
    /// `event-stream` capability.
    pub fn has_event_streams(&self) -> bool {
        !self.event_streams.is_empty()
    }

    /// Whether an operation input or output has a `@streaming` blob member (a
    /// [`RustType::ByteStream`]), which needs the runtime's `byte-stream` capability.
    pub fn has_streaming_blobs(&self) -> bool {
        self.operations.iter().any(|op| {
            [&op.input, &op.output]
                .iter()
                .any(|s| s.members.iter().any(|m| m.ty == RustType::ByteStream))
        })
    }
}

/// What a structure is used as, which decides how its members are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StructRole {
    /// An operation input: every member is optional in Rust, checked by validation.
    Input,
    /// An operation output.
    Output,
    /// A shared structure.
    Plain,
    /// An error structure.
    Error,
}

/// A structure.
#[derive(Debug, Clone, Serialize)]
pub struct StructIr {
    /// The shape id.
    pub shape_id: String,
    /// The shape name as written in the model (the error code for errors).
    pub wire_name: String,
    /// The Rust type name.
    pub name: String,
    /// The Rust module path of the type, e.g. `crate::types`.
    pub module: String,
    /// What the structure is used as.
    pub role: StructRole,
    /// Documentation (Markdown).
    pub docs: Option<String>,
    /// The members, in model order.
    pub members: Vec<MemberIr>,
    /// The whole structure is `@sensitive`.
    pub sensitive: bool,
    /// For errors: `client` or `server`.
    pub error_fault: Option<String>,
    /// For errors: the `@httpError` status.
    pub http_error: Option<u16>,
}

impl StructIr {
    /// The path of the type, e.g. `crate::types::AppInstance`.
    pub fn path(&self) -> String {
        format!("{}::{}", self.module, self.name)
    }
}

/// Where an operation member is carried in the HTTP message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Binding {
    /// A URI label (`greedy`: `{Name+}`).
    Label {
        /// Greedy labels keep `/`.
        greedy: bool,
    },
    /// `@httpQuery`.
    Query(String),
    /// `@httpQueryParams`.
    QueryParams,
    /// `@httpHeader`.
    Header(String),
    /// `@httpPrefixHeaders`.
    PrefixHeaders(String),
    /// `@httpPayload`.
    Payload,
    /// `@httpResponseCode`.
    ResponseCode,
    /// A member of the body document (every member, under an RPC protocol).
    Body,
    /// `@eventHeader`: a header of an event stream message.
    EventHeader,
    /// `@eventPayload`: the whole payload of an event stream message.
    EventPayload,
}

/// The Rust type of a value (without the `Option` of an optional member).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum RustType {
    /// `String`
    String,
    /// `bool`
    Bool,
    /// `i8`
    I8,
    /// `i16`
    I16,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// Arbitrary precision integer, kept as its decimal text.
    BigInteger,
    /// Arbitrary precision decimal, kept as its decimal text.
    BigDecimal,
    /// `crate::primitives::Blob`
    Blob,
    /// `crate::primitives::ByteStream`: a `@streaming` blob, only ever the `@httpPayload`
    /// member of an operation input or output.
    ByteStream,
    /// An event stream (a `@streaming` union): only ever the `@httpPayload` member of an
    /// operation input (the events the caller sends) or output (the events it receives).
    EventStream(Box<EventStreamType>),
    /// `crate::primitives::DateTime`
    DateTime,
    /// `crate::primitives::Document`
    Document,
    /// A generated structure, enum or union.
    Named {
        /// The Rust path, e.g. `crate::types::Tag`.
        path: String,
        /// The shape id.
        shape: String,
        /// What it is.
        kind: NamedKind,
    },
    /// `Vec<T>`, or `Vec<Option<T>>` when sparse.
    List {
        /// The element type.
        element: Box<RustType>,
        /// `@sparse`.
        sparse: bool,
        /// The element's member (for its traits: timestamp format, etc.).
        element_info: Box<ValueInfo>,
    },
    /// `HashMap<String, T>`, or with `Option<T>` values when sparse.
    Map {
        /// The value type.
        value: Box<RustType>,
        /// `@sparse`.
        sparse: bool,
        /// The value member's information.
        value_info: Box<ValueInfo>,
    },
}

/// The type of an event stream member.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventStreamType {
    /// The union's shape id.
    pub shape: String,
    /// The Rust path of the union of its events, e.g. `crate::types::ResponseStream`.
    pub events: String,
    /// The Rust path of its error enum, e.g. `crate::types::error::ResponseStreamError`.
    pub error: String,
    /// Which way the events go.
    pub direction: StreamDirection,
}

/// Which way the events of a stream go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StreamDirection {
    /// From the client to the service (an input member: an `EventStreamSender`).
    Input,
    /// From the service to the client (an output member: an `EventReceiver`).
    Output,
}

/// An event stream: a `@streaming` union. Its event members are the variants of the union of
/// the same shape id in [`ServiceIr::unions`]; its members targeting error structures are the
/// variants of its error enum.
#[derive(Debug, Clone, Serialize)]
pub struct EventStreamIr {
    /// The union's shape id.
    pub shape_id: String,
    /// The Rust name of the union of its events.
    pub name: String,
    /// The Rust name of its error enum (`<name>Error`, in `types::error`).
    pub error_name: String,
    /// The errors the stream can carry (`code`: the member name, the `:exception-type`).
    pub errors: Vec<ErrorRefIr>,
    /// An operation input sends it.
    pub input: bool,
    /// An operation output receives it.
    pub output: bool,
}

/// Facts about a value that the wire format needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueInfo {
    /// `@timestampFormat` (member, else target).
    pub timestamp_format: Option<TimestampFormat>,
    /// `@mediaType` of the target.
    pub media_type: Option<String>,
    /// `@sensitive` on the member or its target.
    pub sensitive: bool,
}

/// The kind of a generated named type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NamedKind {
    /// A structure.
    Struct,
    /// A string enum.
    Enum,
    /// An integer enum.
    IntEnum,
    /// A union.
    Union,
}

/// Constraints the client checks before sending.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Constraints {
    /// `@length` min/max (Unicode scalar values, elements or entries).
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@range` min/max.
    pub range: Option<(Option<f64>, Option<f64>)>,
}

/// A structure or union member.
#[derive(Debug, Clone, Serialize)]
pub struct MemberIr {
    /// The member name as written in the model.
    pub wire_name: String,
    /// The JSON key (`@jsonName` where the protocol honours it, else the member name).
    pub json_name: String,
    /// The Rust field and getter name (may be a raw identifier such as `r#type`).
    pub field: String,
    /// The target shape id.
    pub target: String,
    /// The Rust type.
    pub ty: RustType,
    /// Stored as `Option<T>`.
    pub optional: bool,
    /// Boxed to break a cycle.
    pub boxed: bool,
    /// `@required`.
    pub required: bool,
    /// `@default` value.
    pub default: Option<Value>,
    /// Wire facts (timestamp format, media type, sensitivity).
    pub info: ValueInfo,
    /// The HTTP binding (operation inputs and outputs; `Body` elsewhere).
    pub binding: Binding,
    /// `@idempotencyToken`.
    pub idempotency_token: bool,
    /// `@hostLabel`: the value is part of the operation's `@endpoint` host prefix.
    pub host_label: bool,
    /// For a URI label: the value sent when the member is unset or empty (a service
    /// customization, e.g. Glacier's `-` account id).
    pub label_default: Option<String>,
    /// Constraints from the member and its target.
    pub constraints: Constraints,
    /// Documentation (Markdown).
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: bool,
}

/// A string or integer enum.
#[derive(Debug, Clone, Serialize)]
pub struct EnumIr {
    /// The shape id.
    pub shape_id: String,
    /// The Rust type name.
    pub name: String,
    /// Documentation.
    pub docs: Option<String>,
    /// `true` for `intEnum`.
    pub int_enum: bool,
    /// Variants: (Rust name, wire value as a string or integer, docs).
    pub variants: Vec<EnumVariantIr>,
}

/// One enum variant.
#[derive(Debug, Clone, Serialize)]
pub struct EnumVariantIr {
    /// The Rust variant name.
    pub name: String,
    /// The wire value.
    pub value: Value,
    /// Documentation.
    pub docs: Option<String>,
}

/// A union.
#[derive(Debug, Clone, Serialize)]
pub struct UnionIr {
    /// The shape id.
    pub shape_id: String,
    /// The Rust type name.
    pub name: String,
    /// Documentation.
    pub docs: Option<String>,
    /// Variants (the member's `field` is its snake name; `variant` its Pascal name).
    pub variants: Vec<UnionVariantIr>,
}

/// One union variant.
#[derive(Debug, Clone, Serialize)]
pub struct UnionVariantIr {
    /// The Rust variant name.
    pub name: String,
    /// The member.
    pub member: MemberIr,
}

/// An operation.
#[derive(Debug, Clone, Serialize)]
pub struct OperationIr {
    /// The shape id.
    pub shape_id: String,
    /// The operation name as in the model.
    pub wire_name: String,
    /// The Rust type name of the operation (escaped when it would shadow a prelude name:
    /// operation `Send` is `SendValue`).
    pub name: String,
    /// The prefix of the operation's other type names (`SendInput`, `SendError`,
    /// `SendFluentBuilder`): the operation name in Pascal case, never escaped.
    pub prefix: String,
    /// The module and client method name (snake case).
    pub module: String,
    /// Documentation.
    pub docs: Option<String>,
    /// `@http` as written in the model (its `uri` is for people: emitters use [`Self::uri`]);
    /// under an RPC protocol, the request line the protocol gives the operation.
    pub http: HttpTrait,
    /// The `@http` URI pattern, parsed and bound to the input's label members (the route's
    /// path under an RPC protocol).
    pub uri: UriPattern,
    /// The input is `smithy.api#Unit`: the operation has no input (under rpcv2Cbor such a
    /// request has no body).
    pub unit_input: bool,
    /// The input structure (`<Op>Input`).
    pub input: StructIr,
    /// The output structure (`<Op>Output`).
    pub output: StructIr,
    /// The errors, in model order.
    pub errors: Vec<ErrorRefIr>,
    /// Pagination, for `@paginated` operations.
    pub paginator: Option<PaginatorIr>,
    /// `@deprecated`.
    pub deprecated: bool,
    /// `@endpoint(hostPrefix: ...)`: the prefix the runtime puts before the endpoint's host.
    pub host_prefix: Option<Vec<HostPrefixPart>>,
    /// `@requestCompression` with an encoding the client supports (gzip).
    pub request_compression: bool,
    /// `@httpChecksumRequired`: the request carries a `Content-MD5` header.
    pub checksum_required: bool,
    /// Headers every request of the operation carries (service customizations).
    pub constant_headers: Vec<(String, String)>,
    /// Glacier's payload checksums (`X-Amz-Content-Sha256`, `X-Amz-Sha256-Tree-Hash`).
    pub glacier_checksums: bool,
    /// The field of a string input member whose value, when set, is the endpoint URL of the
    /// call (a service customization: Amazon Machine Learning's `PredictEndpoint`).
    pub endpoint_member: Option<String>,
    /// The authentication schemes the operation accepts, in order of preference (never empty;
    /// schemes the client does not implement are left out).
    pub auth: Vec<AuthSchemeIr>,
    /// The operation's endpoint rule-set parameter bindings, least specific first.
    pub endpoint_bindings: Vec<endpoint::Binding>,
    /// The service's endpoint rules read the credentials' account id (`AWS::Auth::AccountId`).
    pub endpoint_account_id: bool,
    /// Whether sending the request twice has the effect of sending it once (`@readonly`,
    /// `@idempotent`, an idempotent HTTP method or an `@idempotencyToken` member): the runtime
    /// only sends such a request again after its response began.
    pub idempotent: bool,
}

impl OperationIr {
    /// The input member holding the events the operation sends, if it has one.
    pub fn input_stream(&self) -> Option<&MemberIr> {
        self.input
            .members
            .iter()
            .find(|m| matches!(m.ty, RustType::EventStream(_)))
    }

    /// The output member holding the events the operation receives, if it has one.
    pub fn output_stream(&self) -> Option<&MemberIr> {
        self.output
            .members
            .iter()
            .find(|m| matches!(m.ty, RustType::EventStream(_)))
    }

    /// Whether the operation sends or receives an event stream.
    pub fn has_event_stream(&self) -> bool {
        self.input_stream().is_some() || self.output_stream().is_some()
    }
}

/// An operation of the model that the crate leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOutOperation {
    /// The operation's shape id.
    pub shape_id: String,
    /// Its name in the model.
    pub name: String,
    /// Why, e.g. `not supported: event streams (@streaming unions) (`ns#Stream`)`.
    pub reason: String,
}

/// An authentication scheme (Smithy auth trait) the client implements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AuthSchemeIr {
    /// `aws.auth#sigv4`.
    SigV4,
    /// `smithy.api#httpBearerAuth`.
    Bearer,
    /// `smithy.api#httpApiKeyAuth`.
    ApiKey {
        /// The header or query parameter name.
        name: String,
        /// Where the key goes.
        location: ApiKeyLocationIr,
        /// For a header: the scheme written before the key.
        scheme: Option<String>,
    },
    /// `smithy.api#httpBasicAuth`.
    Basic,
    /// No authentication (`@optionalAuth`, `@auth([])`, or a service without auth traits).
    Anonymous,
}

/// Where an API key is sent (`@httpApiKeyAuth(in: ...)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ApiKeyLocationIr {
    /// `in: "header"`.
    Header,
    /// `in: "query"`.
    Query,
}

/// A piece of an `@endpoint` host prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum HostPrefixPart {
    /// Text sent as is, e.g. `foo.`.
    Literal(String),
    /// `{label}`: the value of the `@hostLabel` input member with that name.
    Label {
        /// The member's name in the model.
        wire_name: String,
        /// The member's Rust field.
        field: String,
    },
}

/// An error an operation can return.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorRefIr {
    /// The error shape id.
    pub shape_id: String,
    /// The error code on the wire (the shape name).
    pub code: String,
    /// The variant name in `<Op>Error`.
    pub variant: String,
    /// The Rust path of the error structure.
    pub path: String,
    /// The `is_*` helper's name.
    pub is_fn: String,
    /// The variant holds the structure boxed (a large error structure: see [`size`]).
    pub boxed: bool,
}

/// Pagination of an operation.
#[derive(Debug, Clone, Serialize)]
pub struct PaginatorIr {
    /// The input token member's field.
    pub input_token: String,
    /// The output token's field path.
    pub output_token: Vec<String>,
    /// The page size member's field.
    pub page_size: Option<String>,
    /// The items member's field path and element type.
    pub items: Option<(Vec<String>, RustType)>,
}

//! The facade generated code imports: exactly the items generated crates use, in one flat
//! namespace. A generated crate aliases it once in its `lib.rs`
//! (`pub(crate) use smithy_rust_runtime::codegen as rt;`) and writes `crate::rt::HttpResponse`,
//! `crate::rt::JsonReader`, ... everywhere else. Users never name this module: the generated
//! crate re-exports what they need under its own `config`, `error`, `primitives` and
//! `test_util` modules.
//!
//! Items of a capability are gated on its feature, one item per line, so that a vendored copy
//! can keep or drop each line.

// The operation contract.
pub use crate::contract::auth::{ApiKeyLocation, AuthScheme};
pub use crate::contract::endpoint::{
    EndpointError, EndpointParams, EndpointValue, ResolvedEndpoint,
};
pub use crate::contract::http::{HttpRequest, HttpResponse};
pub use crate::contract::operation::{Operation, ResponseFailure, SerializeContext, ServiceMeta};

// Errors (re-exported by the generated `error` module).
pub use crate::contract::error::{
    request_id_header, BoxError, BuildError, BuildErrorKind, ConstructionFailure,
    CreateUnhandledError, DeserializeError, DispatchFailure, DisplayErrorContext, ErrorMetadata,
    MessageError, ProvideErrorMetadata, RequestId, ResponseError, RetryExhaustion, SdkError,
    ServiceError, TimeoutError, Unhandled,
};
pub use crate::contract::text::Escaped;

// Primitives (re-exported by the generated `primitives` module).
pub use crate::primitives::{Blob, DateTime, Document, Format as DateTimeFormat, Number};

// Codecs.
pub use crate::codec::aws_json::{
    error_response as aws_json_error, event_stream_request as aws_json_event_stream_request,
    request as aws_json_request, AwsJsonVersion,
};
pub use crate::codec::http_binding::{
    base64_decode, base64_encode, default_content_type, encode_label, encode_query, header_all,
    header_name, header_str, header_timestamp, header_value, host_label, label, parse_header_bool,
    parse_header_number, parse_header_timestamp, quote_header_list_item, split_header_list,
    split_http_date_list, QueryWriter,
};
pub use crate::codec::json::{JsonArrayWriter, JsonObjectWriter, JsonReader, JsonValueWriter};
pub use crate::codec::restjson::{error_metadata, format_float};
pub use crate::codec::rpc::ErrorResponse;

/// The functions of the endpoint rules language (`substring`, `parseURL`, `aws.partition`, ...)
/// that generated endpoint resolvers call.
pub use crate::endpoint as endpoint_lib;

// The orchestrator.
pub use crate::orchestrator::customize::{CustomizableOperation, CustomizableSend};
pub use crate::orchestrator::handle::Handle;
pub use crate::orchestrator::paginator::{
    ItemStream, PageStream, PageToken, Paginator, PaginatorItems,
};
pub use crate::orchestrator::user_agent::{AppName, InvalidAppName};

// Configuration (re-exported by the generated `config` module).
pub use crate::config::{
    AccountIdEndpointMode, BehaviorVersion, Builder, Config, ConfigError, ConfigSource,
    SharedConfig,
};

/// Defines a generated crate's `config::Config` and `config::Builder`.
pub use crate::__service_config as service_config;
pub use crate::contract::http::{BoxFuture, ConnectorError, ConnectorErrorKind, HttpClient};
pub use crate::contract::identity::{
    ApiKey, BasicAuth, Credentials, CredentialsError, CredentialsFuture, ProvideCredentials,
    ProvideToken, SharedCredentialsProvider, SharedTokenProvider, Token, TokenError, TokenFuture,
};
pub use crate::contract::interceptor::{CallInfo, CallOutcome, Interceptor};
pub use crate::contract::operation::IdempotencyTokenProvider;
pub use crate::contract::time::{AsyncSleep, StaticTimeSource, SystemTimeSource, TimeSource};
pub use crate::env::region::Region;
pub use crate::retry::{RetryConfig, RetryConfigBuilder, RetryMode, RetryModeParseError};
pub use crate::timeout::{TimeoutConfig, TimeoutConfigBuilder};
pub use crate::transport::{DefaultHttpClient, HttpClientSettings, ProxySettings};

// Capabilities.
#[cfg(feature = "byte-stream")]
pub use crate::capability::byte_stream::{AggregatedBytes, ByteStream, ByteStreamError};
#[cfg(feature = "content-md5")]
pub use crate::capability::checksum::set_content_md5;
#[cfg(feature = "request-compression")]
pub use crate::capability::compression::compress_request;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::content_type as event_content_type;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::error_message as event_error_message;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::error_message_for as event_error_message_for;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::event_header;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::event_headers;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::event_stream_body;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::event_stream_body_after;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::exception_headers as event_exception_headers;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::initial_request as event_initial_request;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::message_type as event_message_type;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::payload_text as event_payload_text;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::read_event_header;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::split_initial_response;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::EventReceiver;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::EventSender;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::EventStreamSender;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::MessageType as EventMessageType;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::RawMessage;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::SendError;
#[cfg(feature = "event-stream")]
pub use crate::capability::event_stream::Unmarshalled;
#[cfg(feature = "glacier-checksums")]
pub use crate::capability::glacier::set_checksum_headers;
#[cfg(feature = "cbor")]
pub use crate::codec::cbor::{CborArrayWriter, CborMapWriter, CborReader, CborWriter};
#[cfg(feature = "event-stream")]
pub use crate::codec::event_stream::Message as EventMessage;
#[cfg(feature = "cbor")]
pub use crate::codec::rpcv2_cbor::error_response as rpcv2_cbor_error;
#[cfg(feature = "cbor")]
pub use crate::codec::rpcv2_cbor::read_blob as cbor_read_blob;
#[cfg(feature = "cbor")]
pub use crate::codec::rpcv2_cbor::read_timestamp as cbor_read_timestamp;
#[cfg(feature = "cbor")]
pub use crate::codec::rpcv2_cbor::request as rpcv2_cbor_request;
#[cfg(feature = "cbor")]
pub use crate::codec::rpcv2_cbor::write_timestamp as cbor_write_timestamp;
#[cfg(feature = "event-stream")]
pub use crate::contract::operation::StreamingOperation;
#[cfg(feature = "event-stream")]
pub use crate::contract::stream::BodyStream;
#[cfg(feature = "event-stream")]
pub use crate::contract::stream::EventStreamBody;
#[cfg(feature = "event-stream")]
pub use crate::contract::stream::StreamingResponse;

// Optional parts.
#[cfg(feature = "aws-config")]
pub use crate::config::sdk_config::builder_from_sdk_config;
/// Blocking calls (re-exported by the generated `blocking` module).
#[cfg(feature = "blocking")]
pub use crate::orchestrator::blocking;
#[cfg(feature = "test-util")]
pub use crate::test_util;
#[cfg(feature = "aws-config")]
pub use aws_types::SdkConfig;

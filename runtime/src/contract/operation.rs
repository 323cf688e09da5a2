//! The contract between generated operation code and the runtime.
//!
//! A generated operation is a zero-sized type implementing [`Operation`]: it validates and
//! serializes its input into an [`HttpRequest`] whose URI holds only the path and query (the
//! endpoint is resolved and joined by the runtime), and deserializes an [`HttpResponse`] into its
//! output or its modeled error. Everything else (endpoint, signing, retries, timeouts,
//! interceptors, transport) is the runtime's job.

use std::fmt;
use std::sync::Arc;

use crate::contract::auth::AuthScheme;
use crate::contract::endpoint::{EndpointError, EndpointParams, ResolvedEndpoint};
use crate::contract::error::{
    BuildError, CreateUnhandledError, DeserializeError, ProvideErrorMetadata,
};
use crate::contract::http::{HttpRequest, HttpResponse};
#[cfg(feature = "event-stream")]
use crate::contract::stream::{EventStreamBody, StreamingResponse};

/// Facts about the service that the runtime needs, generated from the model.
#[derive(Debug)]
pub struct ServiceMeta {
    /// The SDK id of the service (`aws.api#service` `sdkId`), e.g. `Chime SDK Identity`.
    pub service_id: &'static str,
    /// The SigV4 signing name (`aws.auth#sigv4` `name`), e.g. `chime`; empty when the service
    /// does not use SigV4.
    pub signing_name: &'static str,
    /// The generated crate's name, used in the user agent.
    pub crate_name: &'static str,
    /// The generated crate's version, used in the user agent.
    pub crate_version: &'static str,
    /// The service's API version, e.g. `2021-04-20`.
    pub api_version: &'static str,
    /// The endpoint resolver generated from the model's endpoint rule set.
    pub resolve_endpoint: fn(&EndpointParams) -> Result<ResolvedEndpoint, EndpointError>,
}

/// One modeled operation of a service.
pub trait Operation: Send + Sync + 'static {
    /// The operation's input structure.
    type Input: Clone + fmt::Debug + Send + Sync + 'static;
    /// The operation's output structure.
    type Output: fmt::Debug + Send + Sync + 'static;
    /// The operation's error enum: one variant per modeled error plus an unhandled variant.
    type Error: std::error::Error
        + ProvideErrorMetadata
        + CreateUnhandledError
        + Send
        + Sync
        + 'static;

    /// The operation's name as written in the model, e.g. `CreateAppInstance`.
    const NAME: &'static str;

    /// The authentication schemes the operation accepts, in order of preference (from the
    /// model's `@auth`, `@optionalAuth` and auth traits). Each call uses the first one the
    /// configuration can satisfy. Default: SigV4 only.
    const AUTH: &'static [AuthScheme] = &[AuthScheme::SigV4];

    /// Whether the service's endpoint rules read the account id of the credentials
    /// (`AWS::Auth::AccountId`): the runtime then loads the credentials before it resolves the
    /// endpoint. Default: false.
    const ENDPOINT_USES_ACCOUNT_ID: bool = false;

    /// Whether sending the request more than once has the same effect as sending it once:
    /// operations marked `@readonly` or `@idempotent`, those bound to an idempotent HTTP method
    /// (GET, HEAD, PUT, DELETE, OPTIONS, TRACE: RFC 9110 section 9.2.2) and those with an
    /// `@idempotencyToken` member (the service recognises a repeated token). Only these are
    /// sent again after their response began and then broke off, or after an attempt timeout
    /// (the request may then have been processed). Default: false.
    const IDEMPOTENT: bool = false;

    /// Checks the model's constraints (`@required`, `@length`, `@range`, ...) on the input.
    fn validate(input: &Self::Input) -> Result<(), BuildError>;

    /// Serializes the input. The returned request's URI holds the path and query only.
    fn serialize(input: &Self::Input, ctx: &SerializeContext) -> Result<HttpRequest, BuildError>;

    /// The prefix the operation's `@endpoint` trait puts before the endpoint's host (e.g.
    /// `data.`), with its `@hostLabel` members filled in and checked; `None` for operations
    /// without the trait.
    fn host_prefix(input: &Self::Input) -> Result<Option<String>, BuildError> {
        let _ = input;
        Ok(None)
    }

    /// The endpoint URL the input itself names, which the call uses instead of the configured
    /// or resolved one (a service customization: Amazon Machine Learning's `Predict` is sent to
    /// its `PredictEndpoint`); `None` for every other operation.
    fn endpoint_url(input: &Self::Input) -> Result<Option<String>, BuildError> {
        let _ = input;
        Ok(None)
    }

    /// Sets the operation's endpoint rule-set parameters on `params`, which already holds the
    /// built-ins and the configuration's client context parameters: values bound to input
    /// members (`smithy.rules#contextParam`, `#operationContextParams`) and constants
    /// (`#staticContextParams`), in the rules engine's order of precedence. Fails when a required
    /// bound member is unset, empty or only whitespace. Default: nothing to set.
    fn endpoint_params(input: &Self::Input, params: &mut EndpointParams) -> Result<(), BuildError> {
        let _ = (input, params);
        Ok(())
    }

    /// Deserializes a response: a success status gives the output, an error status the
    /// operation's error (its unhandled variant when the code is not modeled).
    fn deserialize(response: &HttpResponse) -> Result<Self::Output, ResponseFailure<Self::Error>>;
}

#[cfg(feature = "event-stream")]
/// An operation with an event stream in its input, its output or both. It is called through
/// `HttpClient::call_streaming`: its request body is the input's events (when it has an input
/// stream), and its output is returned as soon as the response's head has arrived, with a
/// receiver of the events that follow (when it has an output stream).
///
/// Its [`Operation::serialize`] gives the request without the events, and its
/// [`Operation::deserialize`] reads a buffered response (whose body holds the whole stream).
pub trait StreamingOperation: Operation {
    /// Takes the events out of the input, as the request body to send once the request is
    /// signed; `None` for an operation without an input event stream.
    fn input_stream(input: &Self::Input) -> Result<Option<EventStreamBody>, BuildError>;

    /// Whether the output's members other than its event stream arrive in the stream's first
    /// message, the `initial-response` event (the RPC protocols), rather than in the response's
    /// head. The call then reads that message before it returns the output.
    const INITIAL_RESPONSE: bool = false;

    /// Reads a successful response whose body is still arriving: the output, holding the
    /// receiver of the body's events; `initial` is the `initial-response` message, when the
    /// operation has one ([`Self::INITIAL_RESPONSE`]) and the stream started with it.
    fn deserialize_streaming(
        response: StreamingResponse,
        initial: Option<&crate::codec::event_stream::Message>,
    ) -> Result<Self::Output, ResponseFailure<Self::Error>>;
}

/// Why a response did not give an output.
#[derive(Debug)]
pub enum ResponseFailure<E> {
    /// The service answered with an error (modeled or not).
    Service(E),
    /// The response could not be understood.
    Unparseable(DeserializeError),
}

impl<E> From<DeserializeError> for ResponseFailure<E> {
    fn from(err: DeserializeError) -> Self {
        ResponseFailure::Unparseable(err)
    }
}

/// Supplies values for members marked `@idempotencyToken` that the caller left unset.
pub trait IdempotencyTokenProvider: fmt::Debug + Send + Sync {
    /// Returns a fresh token (a UUID v4 by default).
    fn make_token(&self) -> String;
}

/// The default idempotency-token provider: random UUID v4 values.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIdempotencyTokens;

impl IdempotencyTokenProvider for RandomIdempotencyTokens {
    fn make_token(&self) -> String {
        random_uuid()
    }
}

/// A random UUID v4 (idempotency tokens, invocation ids), hyphenated and lowercase.
///
/// The 16 random bytes come from the operating system through `ring` (already the TLS and
/// signing dependency), which spares the `uuid` crate's own `getrandom` (a second version of it
/// in the tree). Should the system generator fail, `fastrand` (seeded per thread from the
/// system's hash seed) still gives a token that does not repeat in practice.
pub(crate) fn random_uuid() -> String {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0u8; 16];
    if ring::rand::SystemRandom::new().fill(&mut bytes).is_err() {
        bytes = fastrand::u128(..).to_le_bytes();
    }
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// How the bodies of operations marked `@requestCompression` are compressed (see the
/// configuration's `disable_request_compression` and `request_min_compression_size_bytes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestCompression {
    /// When true, no body is compressed.
    pub disabled: bool,
    /// Bodies smaller than this many bytes are sent uncompressed.
    pub min_size_bytes: u32,
}

impl RequestCompression {
    /// The largest allowed `min_size_bytes`: 10 MiB.
    pub const MAX_MIN_SIZE_BYTES: u32 = 10 * 1024 * 1024;
}

impl Default for RequestCompression {
    /// Enabled, for bodies of 10 KiB (10,240 bytes) or more.
    fn default() -> Self {
        Self {
            disabled: false,
            min_size_bytes: 10_240,
        }
    }
}

/// What a serializer may need besides the input. Built once per call, so every retry of a call
/// sends the same request (and the same idempotency token).
#[derive(Debug, Clone)]
pub struct SerializeContext {
    tokens: Arc<dyn IdempotencyTokenProvider>,
    compression: RequestCompression,
}

impl SerializeContext {
    /// A context drawing idempotency tokens from `tokens`, with the default request
    /// compression settings.
    pub fn new(tokens: Arc<dyn IdempotencyTokenProvider>) -> Self {
        Self {
            tokens,
            compression: RequestCompression::default(),
        }
    }

    /// This context with the given request compression settings.
    pub fn with_request_compression(mut self, compression: RequestCompression) -> Self {
        self.compression = compression;
        self
    }

    /// A fresh idempotency token.
    pub fn idempotency_token(&self) -> String {
        self.tokens.make_token()
    }

    /// The request compression settings.
    pub fn request_compression(&self) -> RequestCompression {
        self.compression
    }
}

impl Default for SerializeContext {
    fn default() -> Self {
        Self::new(Arc::new(RandomIdempotencyTokens))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_uuids_are_distinct_version_4_rfc_uuids() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let token = RandomIdempotencyTokens.make_token();
            let parsed = uuid::Uuid::parse_str(&token).expect("a UUID");
            assert_eq!(parsed.get_version_num(), 4, "{token}");
            assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122, "{token}");
            assert_eq!(
                token,
                parsed.hyphenated().to_string(),
                "lowercase, hyphenated"
            );
            assert!(seen.insert(token), "a token repeated");
        }
    }
}

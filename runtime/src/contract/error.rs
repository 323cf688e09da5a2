//! Errors users of a generated client see.

use std::error::Error as StdError;
use std::fmt;

use crate::contract::http::{ConnectorError, ConnectorErrorKind, HttpResponse};
use crate::contract::text::Escaped;

/// A boxed error that can cross threads.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// A request could not be built: a required member is missing or a value breaks a constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    kind: BuildErrorKind,
    path: String,
    message: String,
}

/// What kind of problem a [`BuildError`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildErrorKind {
    /// A required member was not set.
    MissingField,
    /// A member's value breaks a constraint of the model (`@length`, `@range`, empty label, ...).
    InvalidField,
    /// Anything else that stopped the request from being built.
    Other,
}

impl BuildError {
    /// A required member (`path`, e.g. `CreateAppInstanceInput.name`) was not set.
    pub fn missing_field(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind: BuildErrorKind::MissingField,
            path: path.into(),
            message: message.into(),
        }
    }

    /// The member at `path` holds a value that breaks a constraint described by `message`.
    pub fn invalid_field(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind: BuildErrorKind::InvalidField,
            path: path.into(),
            message: message.into(),
        }
    }

    /// Any other reason the request could not be built.
    pub fn other(message: impl Into<String>) -> Self {
        Self {
            kind: BuildErrorKind::Other,
            path: String::new(),
            message: message.into(),
        }
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> BuildErrorKind {
        self.kind
    }

    /// The member path the problem is at (empty when it is not about one member).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            BuildErrorKind::MissingField => {
                write!(f, "`{}` is required but was not set", self.path)?;
                if !self.message.is_empty() {
                    write!(f, ": {}", self.message)?;
                }
                Ok(())
            }
            BuildErrorKind::InvalidField => {
                write!(f, "`{}` is invalid: {}", self.path, self.message)
            }
            BuildErrorKind::Other => f.write_str(&self.message),
        }
    }
}

impl StdError for BuildError {}

/// A response body or header could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeserializeError {
    message: String,
}

impl DeserializeError {
    /// A parse failure described by `message` (say what was expected and where).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// What could not be parsed.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DeserializeError {
    /// The message quotes what came off the wire: control characters in it are shown escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to parse the response: {}",
            Escaped(&self.message)
        )
    }
}

impl StdError for DeserializeError {}

/// The code, message and request id of an error returned by a service.
///
/// Kept behind one pointer so that error values (and the `Result`s carrying them) stay small.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    fields: Option<Box<MetadataFields>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct MetadataFields {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    status: Option<u16>,
    error_type: Option<String>,
}

impl ErrorMetadata {
    /// Empty metadata.
    pub fn new() -> Self {
        Self::default()
    }

    fn fields_mut(&mut self) -> &mut MetadataFields {
        self.fields.get_or_insert_with(Default::default)
    }

    /// Sets the error code (the modeled error's name, e.g. `ConflictException`).
    pub fn with_code(mut self, code: Option<String>) -> Self {
        self.fields_mut().code = code;
        self
    }

    /// Sets the human-readable message.
    pub fn with_message(mut self, message: Option<String>) -> Self {
        self.fields_mut().message = message;
        self
    }

    /// Sets the request id the service assigned (`x-amzn-requestid`).
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.fields_mut().request_id = request_id;
        self
    }

    /// Sets the HTTP status code of the response.
    pub fn with_status(mut self, status: Option<u16>) -> Self {
        self.fields_mut().status = status;
        self
    }

    /// Sets the error's type from an AWS query-compatible service (`Sender` or `Receiver`).
    pub fn with_error_type(mut self, error_type: Option<String>) -> Self {
        self.fields_mut().error_type = error_type;
        self
    }

    /// The error code.
    pub fn code(&self) -> Option<&str> {
        self.fields.as_ref()?.code.as_deref()
    }

    /// The message.
    pub fn message(&self) -> Option<&str> {
        self.fields.as_ref()?.message.as_deref()
    }

    /// The request id.
    pub fn request_id(&self) -> Option<&str> {
        self.fields.as_ref()?.request_id.as_deref()
    }

    /// The HTTP status code.
    pub fn status(&self) -> Option<u16> {
        self.fields.as_ref()?.status
    }

    /// For a service that was moved from the AWS query protocol (`@awsQueryCompatible`), the
    /// error's type as the query protocol gives it: `Sender` (the caller's fault) or
    /// `Receiver` (the service's), from the `x-amzn-query-error` header. The code is then the
    /// query protocol's code from the same header.
    pub fn error_type(&self) -> Option<&str> {
        self.fields.as_ref()?.error_type.as_deref()
    }
}

impl fmt::Display for ErrorMetadata {
    /// Formats as `Code: message (request id: id)`, leaving out what is unknown. The values
    /// came from the server: control characters in them are shown escaped (see
    /// [`Escaped`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Escaped(self.code().unwrap_or("UnknownError")))?;
        if let Some(message) = self.message() {
            write!(f, ": {}", Escaped(message))?;
        }
        match (self.request_id(), self.status()) {
            (Some(id), _) => write!(f, " (request id: {})", Escaped(id)),
            (None, Some(status)) => write!(f, " (HTTP status {status})"),
            (None, None) => Ok(()),
        }
    }
}

/// Access to the code, message and request id of a service error.
pub trait ProvideErrorMetadata {
    /// All the metadata.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code, e.g. `ConflictException`.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The error message.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
}

/// The id the service assigned to the request (`x-amzn-requestid`), which AWS support asks for:
/// on operation outputs, service errors, [`SdkError`]s that carry a response, and `Result`s of
/// either.
pub trait RequestId {
    /// The request id, when the response had one.
    fn request_id(&self) -> Option<&str>;
}

/// The request id headers of a response: `x-amzn-requestid`, else `x-amz-request-id`.
pub fn request_id_header(headers: &http::HeaderMap) -> Option<&str> {
    ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|value| value.to_str().ok())
}

impl RequestId for ErrorMetadata {
    fn request_id(&self) -> Option<&str> {
        ErrorMetadata::request_id(self)
    }
}

impl RequestId for Unhandled {
    fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }
}

impl RequestId for HttpResponse {
    fn request_id(&self) -> Option<&str> {
        request_id_header(self.headers())
    }
}

impl<E> RequestId for SdkError<E, HttpResponse> {
    fn request_id(&self) -> Option<&str> {
        self.raw_response().and_then(RequestId::request_id)
    }
}

impl<O: RequestId, E: RequestId> RequestId for Result<O, E> {
    fn request_id(&self) -> Option<&str> {
        match self {
            Ok(output) => output.request_id(),
            Err(err) => err.request_id(),
        }
    }
}

/// Displays an error with the whole chain of its sources: `error: source: source of source`.
/// Sources whose text the previous message already contains are left out, so that errors which
/// quote their cause are not repeated.
///
/// ```
/// # use smithy_rust_runtime::contract::error::{BuildError, DisplayErrorContext};
/// let err = BuildError::missing_field("Input.name", "");
/// assert_eq!(
///     DisplayErrorContext(&err).to_string(),
///     "`Input.name` is required but was not set"
/// );
/// ```
pub struct DisplayErrorContext<E>(pub E);

impl<E: StdError> fmt::Display for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.0.to_string();
        f.write_str(&shown)?;
        let mut next = self.0.source();
        while let Some(source) = next {
            let text = source.to_string();
            if !text.is_empty() && !shown.contains(&text) {
                write!(f, ": {text}")?;
                shown = text;
            }
            next = source.source();
        }
        Ok(())
    }
}

impl<E: StdError> fmt::Debug for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Builds the "unhandled" variant of an operation error.
pub trait CreateUnhandledError {
    /// An error for a response (or failure) that matches no modeled error.
    fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self;
}

/// An error the model does not describe: an unknown code, or a failure outside the service.
/// `Debug` shows the body's length, not its bytes (see [`SdkError`]).
///
/// `Display` shows the code, message and request id when the service sent them (the cause, if
/// any, is returned by `source()`), else the cause's message (and `source()` continues with the
/// cause's own source), so that no text appears twice in an error report.
pub struct Unhandled {
    source: Option<BoxError>,
    meta: ErrorMetadata,
    body: Option<bytes::Bytes>,
}

impl Unhandled {
    /// Wraps `source` with what is known about the response.
    pub fn new(source: BoxError, meta: ErrorMetadata) -> Self {
        Self {
            source: Some(source),
            meta,
            body: None,
        }
    }

    /// An error response with an unknown code: everything known is in `meta`.
    pub fn from_metadata(meta: ErrorMetadata) -> Self {
        Self {
            source: None,
            meta,
            body: None,
        }
    }

    /// Whether `Display` shows the metadata (rather than the cause's message).
    fn shows_meta(&self) -> bool {
        self.source.is_none() || self.meta.code().is_some() || self.meta.message().is_some()
    }

    /// Keeps the raw response body.
    pub fn with_body(mut self, body: bytes::Bytes) -> Self {
        self.body = Some(body);
        self
    }

    /// The metadata (code, message, request id, status).
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The raw response body, when the error came from a response.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }
}

impl fmt::Debug for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unhandled")
            .field("source", &self.source)
            .field("meta", &self.meta)
            .field("body", &self.body.as_ref().map(|b| BodyLength(b.len())))
            .finish()
    }
}

/// Shows a body as its length: raw bodies may hold values of `@sensitive` members, which no
/// `Debug` output of the crate may contain.
struct BodyLength(usize);

impl fmt::Debug for BodyLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

/// Shows a raw response without its body: status, header names and body length for an
/// [`HttpResponse`], a placeholder for any other type. Header values are left out too, since a
/// `@sensitive` member may be bound to a response header.
struct RawSummary<'a, R>(&'a R);

impl<R: 'static> fmt::Debug for RawSummary<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0 as &dyn std::any::Any).downcast_ref::<HttpResponse>() {
            Some(response) => f
                .debug_struct("Response")
                .field("status", &response.status().as_u16())
                .field(
                    "headers",
                    &response
                        .headers()
                        .keys()
                        .map(|name| name.as_str())
                        .collect::<Vec<_>>(),
                )
                .field("body", &BodyLength(response.body().len()))
                .finish(),
            None => f.write_str("<raw response>"),
        }
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(source) if !self.shows_meta() => write!(f, "unhandled error: {source}"),
            _ => write!(f, "unhandled error {}", self.meta),
        }
    }
}

impl StdError for Unhandled {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        let source = self.source.as_deref()?;
        if self.shows_meta() {
            Some(source)
        } else {
            // `Display` already shows this cause's message.
            source.source()
        }
    }
}

/// A plain-message error, used as the source of unhandled errors built from metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageError(pub String);

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for MessageError {}

/// The failure of one call: `E` is the operation's error, `R` the raw response type.
///
/// `Display` names what went wrong in one line: a service error shows its code, message and
/// request id; any other failure its class and its cause's message (`no response: could not
/// connect to 127.0.0.1:8080`). `source()` then continues *below* that cause, so an error
/// report that walks the chain (`anyhow`'s `{:#}`, `{:?}`) shows every message once. The cause
/// itself is returned by [`as_service_error`](SdkError::as_service_error) and the variants'
/// `source_error()`.
///
/// `Debug` never shows a raw response's body or header values (they may hold values of
/// `@sensitive` members); use [`ResponseError::raw`] or [`ServiceError::raw`] to read them.
#[non_exhaustive]
pub enum SdkError<E, R = HttpResponse> {
    /// The request could not be built (missing required member, constraint violated, no
    /// region or credentials, endpoint rules failed). Nothing was sent.
    ConstructionFailure(ConstructionFailure),
    /// The call or an attempt took longer than its timeout.
    TimeoutError(TimeoutError),
    /// No response arrived: the request could not be sent (connection refused, DNS or TLS
    /// failure) or the connection failed before the first byte of a response.
    DispatchFailure(DispatchFailure),
    /// A response began but could not be read to its end (the connection broke or a timeout
    /// fired mid-body; the raw response then holds the status line and headers only), or it
    /// arrived and could not be understood.
    ResponseError(ResponseError<R>),
    /// The service answered with an error.
    ServiceError(ServiceError<E, R>),
}

/// Details of [`SdkError::ConstructionFailure`].
#[derive(Debug)]
pub struct ConstructionFailure {
    source: BoxError,
}

/// Details of [`SdkError::TimeoutError`].
#[derive(Debug)]
pub struct TimeoutError {
    source: BoxError,
    exhausted: Option<RetryExhaustion>,
}

/// Details of [`SdkError::DispatchFailure`].
#[derive(Debug)]
pub struct DispatchFailure {
    source: BoxError,
    exhausted: Option<RetryExhaustion>,
}

/// Details of [`SdkError::ResponseError`].
pub struct ResponseError<R> {
    source: BoxError,
    raw: Box<R>,
    exhausted: Option<RetryExhaustion>,
}

/// Details of [`SdkError::ServiceError`].
pub struct ServiceError<E, R> {
    source: E,
    raw: Box<R>,
    exhausted: Option<RetryExhaustion>,
}

impl<E: fmt::Debug, R: 'static> fmt::Debug for SdkError<E, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::ConstructionFailure(err) => {
                f.debug_tuple("ConstructionFailure").field(err).finish()
            }
            SdkError::TimeoutError(err) => f.debug_tuple("TimeoutError").field(err).finish(),
            SdkError::DispatchFailure(err) => f.debug_tuple("DispatchFailure").field(err).finish(),
            SdkError::ResponseError(err) => f.debug_tuple("ResponseError").field(err).finish(),
            SdkError::ServiceError(err) => f.debug_tuple("ServiceError").field(err).finish(),
        }
    }
}

impl<R: 'static> fmt::Debug for ResponseError<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseError")
            .field("source", &self.source)
            .field("raw", &RawSummary(self.raw.as_ref()))
            .field("exhausted", &self.exhausted)
            .finish()
    }
}

impl<E: fmt::Debug, R: 'static> fmt::Debug for ServiceError<E, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("source", &self.source)
            .field("raw", &RawSummary(self.raw.as_ref()))
            .field("exhausted", &self.exhausted)
            .finish()
    }
}

/// Why a retryable failure was returned instead of being retried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryExhaustion {
    attempts: u32,
    quota: bool,
}

impl RetryExhaustion {
    /// All `attempts` allowed by the retry configuration were used.
    pub fn attempts_exhausted(attempts: u32) -> Self {
        Self {
            attempts,
            quota: false,
        }
    }

    /// The client's retry quota could not pay for another retry after `attempts` attempts.
    pub fn quota_exhausted(attempts: u32) -> Self {
        Self {
            attempts,
            quota: true,
        }
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the retry quota (rather than the attempt limit) stopped the retries.
    pub fn is_quota(&self) -> bool {
        self.quota
    }
}

impl fmt::Display for RetryExhaustion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.attempts == 1 { "" } else { "s" };
        if self.quota {
            write!(
                f,
                "not retried: the client's retry quota is exhausted after {} attempt{plural}",
                self.attempts
            )
        } else {
            write!(f, "gave up after {} attempt{plural}", self.attempts)
        }
    }
}

impl ConstructionFailure {
    /// What stopped the request from being built.
    pub fn source_error(&self) -> &(dyn StdError + Send + Sync + 'static) {
        self.source.as_ref()
    }
}

impl TimeoutError {
    /// Which timeout fired.
    pub fn source_error(&self) -> &(dyn StdError + Send + Sync + 'static) {
        self.source.as_ref()
    }
}

impl DispatchFailure {
    /// The connection-level failure.
    pub fn source_error(&self) -> &(dyn StdError + Send + Sync + 'static) {
        self.source.as_ref()
    }

    /// The HTTP client's error, when the failure came from the HTTP client.
    pub fn as_connector_error(&self) -> Option<&ConnectorError> {
        self.source.downcast_ref::<ConnectorError>()
    }

    fn is_kind(&self, kind: ConnectorErrorKind) -> bool {
        self.as_connector_error().is_some_and(|e| e.kind() == kind)
    }

    /// Whether the connection failed (refused, reset, closed early, DNS failure).
    pub fn is_io(&self) -> bool {
        self.is_kind(ConnectorErrorKind::Io)
    }

    /// Whether connecting or reading timed out.
    pub fn is_timeout(&self) -> bool {
        self.is_kind(ConnectorErrorKind::Timeout)
    }

    /// Whether the request itself was unusable (bad URI, TLS configuration).
    pub fn is_user(&self) -> bool {
        self.is_kind(ConnectorErrorKind::User)
    }

    /// Whether the failure is of no other kind.
    pub fn is_other(&self) -> bool {
        !(self.is_io() || self.is_timeout() || self.is_user())
    }
}

impl<R> ResponseError<R> {
    /// The raw response that could not be parsed.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    /// Why it could not be parsed.
    pub fn source_error(&self) -> &(dyn StdError + Send + Sync + 'static) {
        self.source.as_ref()
    }
}

impl<E, R> ServiceError<E, R> {
    /// The operation error.
    pub fn err(&self) -> &E {
        &self.source
    }

    /// Takes the operation error.
    pub fn into_err(self) -> E {
        self.source
    }

    /// The raw response.
    pub fn raw(&self) -> &R {
        &self.raw
    }
}

impl<E, R> SdkError<E, R> {
    /// A construction failure caused by `source`.
    pub fn construction_failure(source: impl Into<BoxError>) -> Self {
        SdkError::ConstructionFailure(ConstructionFailure {
            source: source.into(),
        })
    }

    /// A timeout caused by `source`.
    pub fn timeout_error(source: impl Into<BoxError>) -> Self {
        SdkError::TimeoutError(TimeoutError {
            source: source.into(),
            exhausted: None,
        })
    }

    /// A dispatch failure caused by `source`.
    pub fn dispatch_failure(source: impl Into<BoxError>) -> Self {
        SdkError::DispatchFailure(DispatchFailure {
            source: source.into(),
            exhausted: None,
        })
    }

    /// A response that could not be parsed.
    pub fn response_error(source: impl Into<BoxError>, raw: R) -> Self {
        let raw = Box::new(raw);
        SdkError::ResponseError(ResponseError {
            source: source.into(),
            raw,
            exhausted: None,
        })
    }

    /// An error returned by the service.
    pub fn service_error(source: E, raw: R) -> Self {
        let raw = Box::new(raw);
        SdkError::ServiceError(ServiceError {
            source,
            raw,
            exhausted: None,
        })
    }

    /// Records that retries stopped (attempt limit or retry quota) with this error.
    pub fn with_retry_exhaustion(mut self, exhaustion: RetryExhaustion) -> Self {
        match &mut self {
            SdkError::ConstructionFailure(_) => {}
            SdkError::TimeoutError(err) => err.exhausted = Some(exhaustion),
            SdkError::DispatchFailure(err) => err.exhausted = Some(exhaustion),
            SdkError::ResponseError(err) => err.exhausted = Some(exhaustion),
            SdkError::ServiceError(err) => err.exhausted = Some(exhaustion),
        }
        self
    }

    /// Whether (and why) the call stopped retrying with this error: `None` when the error was
    /// not retryable or no retry was attempted for other reasons.
    pub fn retry_exhaustion(&self) -> Option<RetryExhaustion> {
        match self {
            SdkError::ConstructionFailure(_) => None,
            SdkError::TimeoutError(err) => err.exhausted,
            SdkError::DispatchFailure(err) => err.exhausted,
            SdkError::ResponseError(err) => err.exhausted,
            SdkError::ServiceError(err) => err.exhausted,
        }
    }

    /// The service error, if this is one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::ServiceError(err) => Some(&err.source),
            _ => None,
        }
    }

    /// The same error with its service error converted by `f` (every other kind unchanged).
    pub fn map_service_error<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F, R> {
        match self {
            SdkError::ConstructionFailure(err) => SdkError::ConstructionFailure(err),
            SdkError::TimeoutError(err) => SdkError::TimeoutError(err),
            SdkError::DispatchFailure(err) => SdkError::DispatchFailure(err),
            SdkError::ResponseError(err) => SdkError::ResponseError(err),
            SdkError::ServiceError(err) => SdkError::ServiceError(ServiceError {
                source: f(err.source),
                raw: err.raw,
                exhausted: err.exhausted,
            }),
        }
    }

    /// The raw response, where there is one.
    pub fn raw_response(&self) -> Option<&R> {
        match self {
            SdkError::ServiceError(err) => Some(&err.raw),
            SdkError::ResponseError(err) => Some(&err.raw),
            _ => None,
        }
    }
}

impl<E, R> SdkError<E, R>
where
    E: CreateUnhandledError,
    E: StdError + Send + Sync + 'static,
{
    /// The operation error: the service error itself, or any other failure wrapped in the
    /// operation error's unhandled variant.
    pub fn into_service_error(self) -> E
    where
        R: fmt::Debug + Send + Sync + 'static,
    {
        match self {
            SdkError::ServiceError(err) => err.source,
            // The whole failure becomes the cause: its message and its own causes are kept.
            other => E::create_unhandled_error(Box::new(other), None),
        }
    }
}

impl<E: fmt::Display, R> fmt::Display for SdkError<E, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_base(f)?;
        match self.retry_exhaustion() {
            Some(exhaustion) => write!(f, " ({exhaustion})"),
            None => Ok(()),
        }
    }
}

impl<E: fmt::Display, R> SdkError<E, R> {
    fn fmt_base(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::ConstructionFailure(err) => {
                write!(f, "failed to construct the request: {}", err.source)
            }
            SdkError::TimeoutError(err) => write!(f, "request timed out: {}", err.source),
            SdkError::DispatchFailure(err) => write!(f, "no response: {}", err.source),
            SdkError::ResponseError(err) => {
                write!(f, "failed to read the response: {}", err.source)
            }
            SdkError::ServiceError(err) => fmt::Display::fmt(&err.source, f),
        }
    }
}

impl<E, R> StdError for SdkError<E, R>
where
    E: StdError + 'static,
    R: fmt::Debug + 'static,
{
    /// The cause of the error `Display` shows (never that error itself, whose message
    /// `Display` already includes).
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::ConstructionFailure(err) => err.source.source(),
            SdkError::TimeoutError(err) => err.source.source(),
            SdkError::DispatchFailure(err) => err.source.source(),
            SdkError::ResponseError(err) => err.source.source(),
            SdkError::ServiceError(err) => err.source.source(),
        }
    }
}

impl<E: ProvideErrorMetadata, R> ProvideErrorMetadata for SdkError<E, R> {
    fn meta(&self) -> &ErrorMetadata {
        static EMPTY: ErrorMetadata = ErrorMetadata { fields: None };
        match self {
            SdkError::ServiceError(err) => err.source.meta(),
            _ => &EMPTY,
        }
    }
}

//! HTTP messages and the [`HttpClient`] trait that sends them. The default client (hyper 1 with
//! rustls) is in [`transport`](crate::transport); users can bring their own by implementing
//! [`HttpClient`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::contract::error::BoxError;
#[cfg(feature = "event-stream")]
use crate::contract::stream::{
    BodyStream, RequestBody, StreamingNotSupported, StreamingRequest, StreamingResponse,
};

/// An HTTP request as produced by a serializer: the URI holds the path and query only until the
/// orchestrator joins it with the endpoint.
pub type HttpRequest = http::Request<bytes::Bytes>;

/// A complete, buffered HTTP response.
pub type HttpResponse = http::Response<bytes::Bytes>;

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request (with an absolute URI) and buffers the whole response.
pub trait HttpClient: fmt::Debug + Send + Sync {
    /// Sends `request` and returns the response, or why no response was received.
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>>;

    #[cfg(feature = "event-stream")]
    /// Sends a request of an operation with an event stream and returns the response as soon
    /// as its status line and headers have arrived, its body to be read as it comes.
    ///
    /// The default implementation sends a whole body with [`call`](Self::call) and gives the
    /// buffered response body as a stream (enough for output event streams, and what test
    /// doubles need); it refuses a streaming request body with [`StreamingNotSupported`]. The
    /// default client streams both ways, over HTTP/2 for a streaming request body.
    fn call_streaming(
        &self,
        request: StreamingRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, ConnectorError>> {
        let (parts, body) = request.into_parts();
        let body = match body {
            RequestBody::Bytes(bytes) => bytes,
            RequestBody::Stream(_) => {
                return Box::pin(std::future::ready(Err(ConnectorError::user(
                    StreamingNotSupported,
                ))))
            }
        };
        let call = self.call(http::Request::from_parts(parts, body));
        Box::pin(async move {
            let (parts, body) = call.await?.into_parts();
            Ok(http::Response::from_parts(
                parts,
                BodyStream::from_bytes(body),
            ))
        })
    }
}

/// Why an exchange failed: the request got no response, or the response could not be read.
///
/// [`response_started`](Self::response_started) tells the two apart, which decides whether a
/// request is retried: a request that got no response byte may be sent again, while one whose
/// response had begun reached the server, so it is only retried when its operation is
/// idempotent.
///
/// `Display` shows what happened in the transport's own words when it gave them (for example
/// `could not connect to 127.0.0.1:80`), and the underlying cause (`Connection refused (os
/// error 111)`) is returned by `source()`, never repeated in the message. Without such words
/// the error is transparent: `Display` shows the cause and `source()` the cause's own source.
/// [`source_error`](Self::source_error) always returns the cause.
#[derive(Debug)]
pub struct ConnectorError {
    kind: ConnectorErrorKind,
    message: Option<String>,
    source: BoxError,
    progress: Option<ResponseProgress>,
}

/// How much of a response had arrived when its exchange failed.
#[derive(Debug)]
struct ResponseProgress {
    /// The status line and headers (with an empty body), until taken.
    head: Option<Box<HttpResponse>>,
    /// Body bytes received before the failure.
    body_bytes: u64,
}

/// The class of a [`ConnectorError`], which decides whether it is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectorErrorKind {
    /// Connecting or reading took longer than allowed.
    Timeout,
    /// The connection failed (refused, reset, closed early, DNS failure). Retried.
    Io,
    /// The request itself was unusable (bad URI, TLS configuration). Not retried.
    User,
    /// Anything else. Not retried.
    Other,
}

impl ConnectorError {
    /// A failure of the given kind caused by `source`.
    pub fn new(kind: ConnectorErrorKind, source: impl Into<BoxError>) -> Self {
        Self {
            kind,
            message: None,
            source: source.into(),
            progress: None,
        }
    }

    /// A timeout.
    pub fn timeout(source: impl Into<BoxError>) -> Self {
        Self::new(ConnectorErrorKind::Timeout, source)
    }

    /// A connection-level (I/O) failure.
    pub fn io(source: impl Into<BoxError>) -> Self {
        Self::new(ConnectorErrorKind::Io, source)
    }

    /// A problem with the request itself.
    pub fn user(source: impl Into<BoxError>) -> Self {
        Self::new(ConnectorErrorKind::User, source)
    }

    /// Describes what happened (shown by `Display` instead of the kind's generic wording). It
    /// must not repeat the source's own message, which `source()` returns.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Records that the response had begun: `head` is its status line and headers (its body is
    /// dropped), `body_bytes` the body bytes received before the failure.
    pub fn with_response_started(mut self, head: HttpResponse, body_bytes: u64) -> Self {
        let (parts, _) = head.into_parts();
        self.progress = Some(ResponseProgress {
            head: Some(Box::new(http::Response::from_parts(
                parts,
                bytes::Bytes::new(),
            ))),
            body_bytes,
        });
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ConnectorErrorKind {
        self.kind
    }

    /// The underlying cause.
    pub fn source_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self.source.as_ref()
    }

    /// Whether a response had begun (a status line arrived) before the failure: the request
    /// reached the server, so sending it again may repeat its effect.
    pub fn response_started(&self) -> bool {
        self.progress.is_some()
    }

    /// The body bytes received before the failure, when the response had begun.
    pub fn body_bytes_received(&self) -> Option<u64> {
        self.progress.as_ref().map(|p| p.body_bytes)
    }

    /// The status line and headers (with an empty body) of the response that had begun.
    pub fn partial_response(&self) -> Option<&HttpResponse> {
        self.progress.as_ref()?.head.as_deref()
    }

    /// Takes the status line and headers of the response that had begun;
    /// [`response_started`](Self::response_started) stays true.
    pub fn take_partial_response(&mut self) -> Option<HttpResponse> {
        self.progress.as_mut()?.head.take().map(|head| *head)
    }
}

impl fmt::Display for ConnectorError {
    /// The description given with [`with_message`](ConnectorError::with_message), else the
    /// cause's own message (the error is then transparent: `source()` continues below the
    /// cause).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(message) => f.write_str(message),
            None => fmt::Display::fmt(&self.source, f),
        }
    }
}

impl std::error::Error for ConnectorError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.message {
            Some(_) => Some(self.source.as_ref()),
            None => self.source.source(),
        }
    }
}

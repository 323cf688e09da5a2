//! HTTP messages and the [`HttpClient`] trait that sends them. The default client (hyper 1 with
//! rustls) is in [`transport`](crate::transport); users can bring their own by implementing
//! [`HttpClient`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::contract::error::BoxError;

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
}

/// Why a request got no response.
#[derive(Debug)]
pub struct ConnectorError {
    kind: ConnectorErrorKind,
    source: BoxError,
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
            source: source.into(),
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

    /// What kind of failure this is.
    pub fn kind(&self) -> ConnectorErrorKind {
        self.kind
    }
}

impl fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ConnectorErrorKind::Timeout => write!(f, "timed out: {}", self.source),
            ConnectorErrorKind::Io => write!(f, "connection failed: {}", self.source),
            ConnectorErrorKind::User => write!(f, "invalid request: {}", self.source),
            ConnectorErrorKind::Other => write!(f, "{}", self.source),
        }
    }
}

impl std::error::Error for ConnectorError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

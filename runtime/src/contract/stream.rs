//! Streaming bodies, used only by operations with event streams: a request whose body is
//! produced while it is sent (an input event stream) and a response returned as soon as its
//! head has arrived, its body read as it comes (an output event stream). Every other operation
//! sends and receives whole bodies ([`HttpRequest`](super::http::HttpRequest),
//! [`HttpResponse`](super::http::HttpResponse)).

use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

use crate::contract::error::BoxError;
use crate::contract::http::{ConnectorError, ConnectorErrorKind};
use crate::contract::identity::Credentials;
use crate::contract::time::TimeSource;

type DynStream = Pin<Box<dyn Stream<Item = Result<Bytes, ConnectorError>> + Send>>;

/// A body that arrives (or is sent) in chunks: a stream of [`Bytes`], or the failure that ended
/// it.
///
/// It is `Send` and `Sync` whatever the stream it wraps (which only needs to be `Send`): the
/// stream is only ever reached through `&mut self`.
pub struct BodyStream {
    inner: Mutex<DynStream>,
}

impl BodyStream {
    /// A body read from `stream`.
    pub fn new(stream: impl Stream<Item = Result<Bytes, ConnectorError>> + Send + 'static) -> Self {
        Self {
            inner: Mutex::new(Box::pin(stream)),
        }
    }

    /// A body of `bytes`, in one chunk (none when empty).
    pub fn from_bytes(bytes: Bytes) -> Self {
        Self::new(OneChunk(Some(bytes).filter(|b| !b.is_empty())))
    }

    /// An empty body.
    pub fn empty() -> Self {
        Self::from_bytes(Bytes::new())
    }

    fn stream(&mut self) -> Pin<&mut (dyn Stream<Item = Result<Bytes, ConnectorError>> + Send)> {
        // Never locked (only reached through `&mut self`), so never poisoned either.
        self.inner
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
    }

    /// The next chunk; `None` at the end of the body.
    pub fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, ConnectorError>>> {
        self.stream().poll_next(cx)
    }

    /// The next chunk; `None` at the end of the body.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, ConnectorError>> {
        poll_fn(|cx| self.poll_chunk(cx)).await
    }

    /// Reads the body to its end, keeping at most `limit` bytes: the rest is not read (error
    /// responses of streaming operations, whose code and message is all a caller needs).
    pub async fn collect_truncated(mut self, limit: usize) -> Result<Bytes, ConnectorError> {
        let mut out = BytesMut::new();
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            let room = limit - out.len();
            if chunk.len() >= room {
                out.extend_from_slice(&chunk[..room]);
                break;
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out.freeze())
    }
}

impl Stream for BodyStream {
    type Item = Result<Bytes, ConnectorError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }
}

impl fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BodyStream")
    }
}

impl Default for BodyStream {
    fn default() -> Self {
        Self::empty()
    }
}

/// A stream of at most one chunk.
struct OneChunk(Option<Bytes>);

impl Stream for OneChunk {
    type Item = Result<Bytes, ConnectorError>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.get_mut().0.take().map(Ok))
    }
}

/// The most bytes of an error response to an event stream call that are read: its code and
/// message are all a caller needs (the default client's `max_error_body_size` applies first).
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The body of a request sent with [`HttpClient::call_streaming`](super::http::HttpClient::call_streaming).
#[derive(Debug)]
pub enum RequestBody {
    /// A whole body (an operation with an output event stream only).
    Bytes(Bytes),
    /// A body produced while the request is sent (an input event stream): HTTP/2 is used,
    /// so that the response can arrive while the body is still being sent.
    Stream(BodyStream),
}

/// A request whose body may be a stream.
pub type StreamingRequest = http::Request<RequestBody>;

/// A response returned as soon as its status line and headers arrived; its body is read as it
/// comes.
pub type StreamingResponse = http::Response<BodyStream>;

/// What the messages of a signed input event stream are signed with: each message's signature
/// is chained to the one before it, the first one to the signature of the request itself
/// (SigV4: the `AWS4-HMAC-SHA256-PAYLOAD` algorithm).
#[derive(Clone)]
pub struct MessageSigning {
    /// The credentials the request was signed with.
    pub credentials: Credentials,
    /// The signing region.
    pub region: String,
    /// The signing name of the service.
    pub service: String,
    /// The hex signature of the request: the seed of the chain.
    pub seed_signature: String,
    /// The clock each message is dated and signed with (corrected by any clock skew the
    /// client learned).
    pub clock: Arc<dyn Fn() -> SystemTime + Send + Sync>,
}

impl MessageSigning {
    /// The signing time of the next message.
    pub fn now(&self) -> SystemTime {
        (self.clock)()
    }

    /// A clock reading `time_source` shifted by `skew_millis` (service minus local time).
    pub fn skewed_clock(
        time_source: Arc<dyn TimeSource>,
        skew_millis: i64,
    ) -> Arc<dyn Fn() -> SystemTime + Send + Sync> {
        Arc::new(move || {
            let now = time_source.now();
            let shift = std::time::Duration::from_millis(skew_millis.unsigned_abs());
            let shifted = if skew_millis >= 0 {
                now.checked_add(shift)
            } else {
                now.checked_sub(shift)
            };
            shifted.unwrap_or(now)
        })
    }
}

impl fmt::Debug for MessageSigning {
    /// Leaves out the credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageSigning")
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

type MakeBody = Box<dyn FnOnce(Option<MessageSigning>) -> BodyStream + Send>;

/// The body of a request with an input event stream, before it is sent: once the request is
/// signed, [`into_body`](Self::into_body) gives the stream of framed (and, for a signed
/// request, signed) messages.
pub struct EventStreamBody {
    make: MakeBody,
}

impl EventStreamBody {
    /// A body made by `make` from the signing parameters (`None` when the request is not signed
    /// with SigV4).
    pub fn new(make: impl FnOnce(Option<MessageSigning>) -> BodyStream + Send + 'static) -> Self {
        Self {
            make: Box::new(make),
        }
    }

    /// The body to send.
    pub fn into_body(self, signing: Option<MessageSigning>) -> BodyStream {
        (self.make)(signing)
    }
}

impl fmt::Debug for EventStreamBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventStreamBody")
    }
}

/// The HTTP client cannot send a streaming request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamingNotSupported;

impl fmt::Display for StreamingNotSupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "this HTTP client sends whole request bodies only, so it cannot send an input event \
             stream: implement `HttpClient::call_streaming` (the default client does)",
        )
    }
}

impl std::error::Error for StreamingNotSupported {}

/// A failure of the stream of events a request body was made from (the user's stream, or
/// framing an event), ending the body.
pub fn body_failure(source: impl Into<BoxError>) -> ConnectorError {
    ConnectorError::new(ConnectorErrorKind::Other, source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_body_of_bytes_is_one_chunk_and_empty_is_none() {
        let mut body = BodyStream::from_bytes(Bytes::from_static(b"abc"));
        assert_eq!(body.next_chunk().await.unwrap().unwrap(), "abc");
        assert!(body.next_chunk().await.is_none());
        assert!(BodyStream::empty().next_chunk().await.is_none());
    }

    #[tokio::test]
    async fn collecting_stops_at_the_limit() {
        struct Chunks(Vec<&'static str>);
        impl Stream for Chunks {
            type Item = Result<Bytes, ConnectorError>;
            fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                let chunks = &mut self.get_mut().0;
                Poll::Ready((!chunks.is_empty()).then(|| Ok(Bytes::from(chunks.remove(0)))))
            }
        }
        let body = BodyStream::new(Chunks(vec!["abc", "def", "ghi"]));
        assert_eq!(body.collect_truncated(5).await.unwrap(), "abcde");
        let body = BodyStream::new(Chunks(vec!["abc", "def"]));
        assert_eq!(body.collect_truncated(100).await.unwrap(), "abcdef");
    }

    #[test]
    fn body_streams_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<BodyStream>();
        check::<RequestBody>();
    }
}

//! The initial messages of event streams under the RPC protocols (awsJson1_0, awsJson1_1),
//! which have no HTTP bindings to carry an operation's members beside its stream:
//!
//! - `initial-request`: the first message of an input event stream, holding the input's other
//!   members as one document (the request body is the stream itself);
//! - `initial-response`: the first message of an output event stream, holding the output's
//!   other members. It is read before the call returns its output. A stream that starts with
//!   anything else has no initial response: the output's other members stay unset and that
//!   first message is the stream's first event (as the official SDKs do).

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

use super::wire::{content_type, event_headers, message_type, MessageType};
use crate::codec::event_stream::{EventStreamError, Message, MessageDecoder};
use crate::contract::error::DeserializeError;
use crate::contract::http::ConnectorError;
use crate::contract::stream::BodyStream;

/// The `:event-type` of the first message of an input event stream under an RPC protocol.
pub const INITIAL_REQUEST: &str = "initial-request";

/// The `:event-type` of the first message of an output event stream under an RPC protocol.
pub const INITIAL_RESPONSE: &str = "initial-response";

/// The `initial-request` message: `document` (the input's members other than its event
/// stream), whose media type is `media_type`.
pub fn initial_request(media_type: &'static str, document: Bytes) -> Message {
    let mut headers = event_headers(INITIAL_REQUEST);
    headers.push(content_type(media_type));
    Message::from_parts(headers, document)
}

/// Whether `message` is the `initial-response` event.
fn is_initial_response(message: &Message) -> bool {
    matches!(
        message_type(message),
        Ok(MessageType::Event(INITIAL_RESPONSE))
    )
}

/// Why the first message of a response's event stream could not be read.
#[derive(Debug)]
pub enum InitialResponseError {
    /// Reading the body failed (a timeout, or the connection broke off).
    Body(ConnectorError),
    /// The body's bytes are not a valid message.
    Message(EventStreamError),
}

/// Reads the first message of `body`: the `initial-response` event when the stream starts
/// with one (and the body of the messages after it), else `None` and the whole body, that first
/// message included, for the stream's receiver. A stream that ends without a message has no
/// initial response.
///
/// # Errors
///
/// When reading the body fails or its first bytes are not a valid message (a corrupt
/// checksum, an oversized length, a stream that ends inside a message).
pub async fn read_initial_response(
    mut body: BodyStream,
) -> Result<(Option<Message>, BodyStream), InitialResponseError> {
    let mut decoder = MessageDecoder::new();
    let mut chunk = Bytes::new();
    loop {
        if !chunk.is_empty() {
            let decoded = decoder
                .decode(&mut chunk)
                .map_err(InitialResponseError::Message)?;
            if let Some(message) = decoded {
                if is_initial_response(&message) {
                    return Ok((Some(message), prepend(chunk, body)));
                }
                // Not an initial response: the receiver reads it again, as the first event.
                let mut first = Vec::with_capacity(message.payload().len() + chunk.len() + 64);
                message
                    .encode_into(&mut first)
                    .map_err(InitialResponseError::Message)?;
                first.extend_from_slice(&chunk);
                return Ok((None, prepend(Bytes::from(first), body)));
            }
        }
        match body.next_chunk().await {
            Some(Ok(next)) => chunk = next,
            Some(Err(err)) => return Err(InitialResponseError::Body(err)),
            None => {
                decoder.finish().map_err(InitialResponseError::Message)?;
                return Ok((None, BodyStream::empty()));
            }
        }
    }
}

/// [`read_initial_response`] for a body that has arrived whole (the answer of a test double):
/// the `initial-response` event when the stream starts with one, and the bytes of the messages
/// after it; else `None` and all of `body`.
///
/// # Errors
///
/// When the first message is not valid.
pub fn split_initial_response(body: Bytes) -> Result<(Option<Message>, Bytes), DeserializeError> {
    let mut rest = body.clone();
    match MessageDecoder::new().decode(&mut rest) {
        Ok(Some(message)) if is_initial_response(&message) => Ok((Some(message), rest)),
        // Another first message, or an incomplete one: read (and reported) by the receiver.
        Ok(_) => Ok((None, body)),
        Err(err) => Err(DeserializeError::new(format!(
            "the first message of the event stream is not valid: {err}"
        ))),
    }
}

/// `first`, then the rest of `body`.
fn prepend(first: Bytes, body: BodyStream) -> BodyStream {
    BodyStream::new(Prepended {
        first: Some(first).filter(|bytes| !bytes.is_empty()),
        rest: body,
    })
}

/// Bytes already read from a body, then the rest of it.
struct Prepended {
    first: Option<Bytes>,
    rest: BodyStream,
}

impl Stream for Prepended {
    type Item = Result<Bytes, ConnectorError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match this.first.take() {
            Some(first) => Poll::Ready(Some(Ok(first))),
            None => this.rest.poll_chunk(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::event_stream::{HeaderStr, HeaderValue};

    fn event(event_type: &'static str, payload: &'static str) -> Bytes {
        Message::from_parts(event_headers(event_type), Bytes::from(payload))
            .encode()
            .expect("encodes")
    }

    /// `bytes` split into chunks of 1, 2, 3, ... bytes.
    fn odd_chunks(bytes: &[u8]) -> BodyStream {
        let mut chunks = Vec::new();
        let (mut at, mut size) = (0, 1);
        while at < bytes.len() {
            let end = (at + size).min(bytes.len());
            chunks.push(Ok(Bytes::copy_from_slice(&bytes[at..end])));
            at = end;
            size += 1;
        }
        BodyStream::new(Chunks(chunks.into()))
    }

    struct Chunks(std::collections::VecDeque<Result<Bytes, ConnectorError>>);

    impl Stream for Chunks {
        type Item = Result<Bytes, ConnectorError>;
        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.get_mut().0.pop_front())
        }
    }

    async fn collect(body: BodyStream) -> Vec<u8> {
        body.collect_truncated(usize::MAX)
            .await
            .expect("reads")
            .to_vec()
    }

    #[tokio::test]
    async fn an_initial_response_is_taken_off_the_stream_however_it_is_split() {
        let initial = event(INITIAL_RESPONSE, r#"{"Shard":"1"}"#);
        let rest = [event("Record", "a"), event("Record", "bc")].concat();
        let whole = [initial.to_vec(), rest.clone()].concat();
        assert!(
            initial.len() > 16,
            "the initial response spans several chunks"
        );
        let (message, body) = read_initial_response(odd_chunks(&whole))
            .await
            .expect("reads");
        let message = message.expect("an initial response");
        assert_eq!(message.payload().as_ref(), br#"{"Shard":"1"}"#);
        assert_eq!(collect(body).await, rest);

        let (message, body) = split_initial_response(Bytes::from(whole)).expect("splits");
        assert_eq!(
            message.expect("an initial response").payload().as_ref(),
            br#"{"Shard":"1"}"#
        );
        assert_eq!(body.to_vec(), rest);
    }

    #[tokio::test]
    async fn a_stream_without_an_initial_response_is_given_back_whole() {
        let whole = [event("Record", "a"), event("Record", "bc")].concat();
        let (message, body) = read_initial_response(odd_chunks(&whole))
            .await
            .expect("reads");
        assert!(message.is_none());
        assert_eq!(collect(body).await, whole);

        let (message, body) = split_initial_response(Bytes::from(whole.clone())).expect("splits");
        assert!(message.is_none());
        assert_eq!(body.to_vec(), whole);

        // An exception first is the stream's first "event" too; so is nothing at all.
        let exception = Message::from_parts(
            super::super::wire::exception_headers("Boom"),
            Bytes::from_static(b"{}"),
        )
        .encode()
        .expect("encodes");
        let (message, body) = read_initial_response(BodyStream::from_bytes(exception.clone()))
            .await
            .expect("reads");
        assert!(message.is_none());
        assert_eq!(collect(body).await, exception.to_vec());
        let (message, body) = read_initial_response(BodyStream::empty())
            .await
            .expect("reads");
        assert!(message.is_none());
        assert!(collect(body).await.is_empty());
    }

    #[test]
    fn an_exception_named_initial_response_is_not_one() {
        let message = Message::from_parts(
            super::super::wire::exception_headers(INITIAL_RESPONSE),
            Bytes::new(),
        );
        assert!(!is_initial_response(&message));
        let text = Message::new("x").with_header(
            HeaderStr::from_static(":event-type"),
            HeaderValue::string(INITIAL_RESPONSE),
        );
        assert!(!is_initial_response(&text), "no :message-type");
    }

    #[tokio::test]
    async fn a_broken_first_message_is_an_error() {
        let mut corrupt = event(INITIAL_RESPONSE, "{}").to_vec();
        let last = corrupt.len() - 1;
        corrupt[last] ^= 1;
        let err = read_initial_response(BodyStream::from_bytes(corrupt.clone().into()))
            .await
            .expect_err("a corrupt checksum");
        assert!(matches!(err, InitialResponseError::Message(_)), "{err:?}");
        assert!(split_initial_response(corrupt.into()).is_err());

        let truncated = event(INITIAL_RESPONSE, "{}").slice(..10);
        let err = read_initial_response(BodyStream::from_bytes(truncated))
            .await
            .expect_err("a stream that ends inside a message");
        assert!(matches!(err, InitialResponseError::Message(_)), "{err:?}");
    }

    #[test]
    fn the_initial_request_is_an_event_with_the_document() {
        let message = initial_request("application/json", Bytes::from_static(b"{\"a\":1}"));
        assert_eq!(
            message_type(&message).expect("typed"),
            MessageType::Event(INITIAL_REQUEST)
        );
        assert_eq!(
            message.header(":content-type"),
            Some(&HeaderValue::string("application/json"))
        );
        assert_eq!(message.payload().as_ref(), b"{\"a\":1}");
    }
}

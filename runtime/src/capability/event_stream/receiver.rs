//! The receiving end of an output event stream.

use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

use crate::codec::event_stream::{Message, MessageDecoder};
use crate::contract::error::{DeserializeError, SdkError};
use crate::contract::http::{ConnectorError, ConnectorErrorKind};
use crate::contract::stream::BodyStream;

/// What one message of an event stream holds: an event, or an error the service sent in the
/// stream (a modeled exception, or an `error` message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unmarshalled<T, E> {
    /// An event.
    Event(T),
    /// An error.
    Error(E),
}

/// Reads one message of a stream's union (generated per `@streaming` union).
pub type Unmarshall<T, E> = fn(&Message) -> Result<Unmarshalled<T, E>, DeserializeError>;

/// The message an event stream error came with: the decoded message, or (when the bytes were
/// not a valid message) nothing usable.
///
/// `Debug` shows the header names and the payload's length only: payloads may hold values of
/// `@sensitive` members.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RawMessage {
    /// A message that was decoded (its event or error could not be read, or it was an error).
    Decoded(Message),
    /// The stream's bytes were not a valid message, or the stream broke off.
    Invalid(Option<Bytes>),
}

impl RawMessage {
    /// The decoded message, if there is one.
    pub fn message(&self) -> Option<&Message> {
        match self {
            RawMessage::Decoded(message) => Some(message),
            RawMessage::Invalid(_) => None,
        }
    }
}

impl fmt::Debug for RawMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawMessage::Decoded(message) => f
                .debug_struct("Decoded")
                .field(
                    "headers",
                    &message
                        .headers()
                        .iter()
                        .map(|h| h.name().as_str())
                        .collect::<Vec<_>>(),
                )
                .field("payload_len", &message.payload().len())
                .finish(),
            RawMessage::Invalid(bytes) => f
                .debug_struct("Invalid")
                .field("len", &bytes.as_ref().map(Bytes::len))
                .finish(),
        }
    }
}

/// The events of an output event stream (`T`: the stream's union; `E`: its error enum), read
/// as they arrive: [`recv`](Self::recv) gives the next event, `Ok(None)` at the end of the
/// stream. It is also a [`Stream`] of `Result<T, SdkError<E, RawMessage>>`.
///
/// Memory stays bounded whatever the stream's length: the receiver holds the chunk it is
/// reading and at most one incomplete message (16 MiB at most, the format's limit). A stream
/// that stalls ends with a timeout error after the HTTP client's read timeout.
///
/// An error ends the stream (later calls give `Ok(None)`), except a modeled exception
/// (`SdkError::ServiceError`), after which the service decides whether events follow.
/// Events are never retried: a stream that broke off is reported, not resumed.
pub struct EventReceiver<T, E> {
    body: BodyStream,
    /// What is left of the chunk being decoded.
    chunk: Bytes,
    decoder: MessageDecoder,
    unmarshall: Unmarshall<T, E>,
    done: bool,
}

impl<T, E> EventReceiver<T, E> {
    /// A receiver of the messages of `body`, each read with `unmarshall`.
    pub fn new(body: BodyStream, unmarshall: Unmarshall<T, E>) -> Self {
        Self {
            body,
            chunk: Bytes::new(),
            decoder: MessageDecoder::new(),
            unmarshall,
            done: false,
        }
    }

    /// The next event; `Ok(None)` when the stream has ended.
    ///
    /// # Errors
    ///
    /// - `SdkError::ServiceError`: the service sent an error in the stream (the union's
    ///   modeled exception, or an unhandled error with the code and message of an `error`
    ///   message);
    /// - `SdkError::ResponseError`: a message could not be read (a corrupt checksum, a
    ///   truncated or oversized message, a missing or malformed `:message-type`), or the
    ///   connection broke off;
    /// - `SdkError::TimeoutError`: no data arrived within the read timeout.
    pub async fn recv(&mut self) -> Result<Option<T>, SdkError<E, RawMessage>> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Polls for the next event (the poll form of [`recv`](Self::recv)).
    pub fn poll_recv(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Option<T>, SdkError<E, RawMessage>>> {
        loop {
            if self.done {
                return Poll::Ready(Ok(None));
            }
            if !self.chunk.is_empty() {
                match self.decoder.decode(&mut self.chunk) {
                    Ok(Some(message)) => return Poll::Ready(self.read(message)),
                    Ok(None) => {}
                    Err(err) => {
                        let err = SdkError::response_error(err, RawMessage::Invalid(None));
                        return Poll::Ready(self.fail(err));
                    }
                }
            }
            match self.body.poll_chunk(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => self.chunk = chunk,
                Poll::Ready(Some(Err(err))) => return Poll::Ready(self.fail(transport(err))),
                Poll::Ready(None) => {
                    self.done = true;
                    return Poll::Ready(match self.decoder.finish() {
                        Ok(()) => Ok(None),
                        Err(err) => Err(SdkError::response_error(err, RawMessage::Invalid(None))),
                    });
                }
            }
        }
    }

    fn read(&mut self, message: Message) -> Result<Option<T>, SdkError<E, RawMessage>> {
        match (self.unmarshall)(&message) {
            Ok(Unmarshalled::Event(event)) => Ok(Some(event)),
            Ok(Unmarshalled::Error(error)) => {
                Err(SdkError::service_error(error, RawMessage::Decoded(message)))
            }
            Err(err) => {
                self.done = true;
                Err(SdkError::response_error(err, RawMessage::Decoded(message)))
            }
        }
    }

    fn fail(&mut self, err: SdkError<E, RawMessage>) -> Result<Option<T>, SdkError<E, RawMessage>> {
        self.done = true;
        self.chunk = Bytes::new();
        Err(err)
    }
}

/// A transport failure while the stream was being read: a timeout, or a response error.
fn transport<E>(err: ConnectorError) -> SdkError<E, RawMessage> {
    match err.kind() {
        ConnectorErrorKind::Timeout => SdkError::timeout_error(err),
        _ => SdkError::response_error(err, RawMessage::Invalid(None)),
    }
}

impl<T, E> Stream for EventReceiver<T, E> {
    type Item = Result<T, SdkError<E, RawMessage>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx).map(Result::transpose)
    }
}

impl<T, E> fmt::Debug for EventReceiver<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field(
                "buffered",
                &(self.chunk.len() + self.decoder.buffered_len()),
            )
            .field("done", &self.done)
            .finish()
    }
}

impl<T, E> Default for EventReceiver<T, E> {
    /// A receiver of a stream that has ended: `recv` gives `Ok(None)`.
    fn default() -> Self {
        Self {
            done: true,
            ..Self::new(BodyStream::empty(), no_messages)
        }
    }
}

/// The unmarshaller of a receiver that never reads a message.
fn no_messages<T, E>(_: &Message) -> Result<Unmarshalled<T, E>, DeserializeError> {
    Err(DeserializeError::new("this event stream has no events"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receivers_are_send_sync_and_unpin_whatever_the_event_types() {
        fn check<T: Send + Sync + Unpin>() {}
        check::<EventReceiver<std::rc::Rc<u8>, std::cell::Cell<u8>>>();
    }

    #[test]
    fn raw_messages_debug_without_payload() {
        let raw = RawMessage::Decoded(Message::new("secret").with_header(
            "name",
            crate::codec::event_stream::HeaderValue::string("value"),
        ));
        let text = format!("{raw:?}");
        assert!(
            text.contains("\"name\"") && text.contains("payload_len: 6"),
            "{text}"
        );
        assert!(
            !text.contains("secret") && !text.contains("value"),
            "{text}"
        );
    }
}

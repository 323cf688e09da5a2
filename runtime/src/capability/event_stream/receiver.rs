//! The receiving end of an output event stream.

use std::collections::VecDeque;
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
/// not a valid message, or the error was prepared by a test double) none.
///
/// `Debug` shows the header names and the payload's length only: payloads may hold values of
/// `@sensitive` members.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RawMessage {
    /// A message that was decoded (its event or error could not be read, or it was an error).
    Decoded(Message),
    /// The stream's bytes were not a valid message, or the stream broke off.
    Invalid,
    /// The error was given to [`EventReceiver::from_events`] (a test double).
    Prepared,
}

impl RawMessage {
    /// The decoded message, if there is one.
    pub fn message(&self) -> Option<&Message> {
        match self {
            RawMessage::Decoded(message) => Some(message),
            RawMessage::Invalid | RawMessage::Prepared => None,
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
            RawMessage::Invalid => f.write_str("Invalid"),
            RawMessage::Prepared => f.write_str("Prepared"),
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
    source: Source<T, E>,
    done: bool,
}

/// Where a receiver's events come from.
enum Source<T, E> {
    /// The messages of a response body.
    Body {
        body: BodyStream,
        /// What is left of the chunk being decoded.
        chunk: Bytes,
        decoder: MessageDecoder,
        unmarshall: Unmarshall<T, E>,
    },
    /// Events and errors given up front (test doubles).
    Prepared(VecDeque<Result<T, E>>),
}

impl<T, E> EventReceiver<T, E> {
    /// A receiver of the messages of `body`, each read with `unmarshall`.
    pub fn new(body: BodyStream, unmarshall: Unmarshall<T, E>) -> Self {
        Self {
            source: Source::Body {
                body,
                chunk: Bytes::new(),
                decoder: MessageDecoder::new(),
                unmarshall,
            },
            done: false,
        }
    }

    /// A receiver of these events and errors, in order, then the end of the stream: the output
    /// of a stubbed call (an `Err` is received as a `SdkError::ServiceError` whose raw message
    /// is [`RawMessage::Prepared`]).
    pub fn from_events(events: impl IntoIterator<Item = Result<T, E>>) -> Self {
        Self {
            source: Source::Prepared(events.into_iter().collect()),
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
        if self.done {
            return Poll::Ready(Ok(None));
        }
        let (body, chunk, decoder, unmarshall) = match &mut self.source {
            Source::Prepared(items) => {
                return Poll::Ready(match items.pop_front() {
                    None => {
                        self.done = true;
                        Ok(None)
                    }
                    Some(Ok(event)) => Ok(Some(event)),
                    Some(Err(err)) => Err(SdkError::service_error(err, RawMessage::Prepared)),
                });
            }
            Source::Body {
                body,
                chunk,
                decoder,
                unmarshall,
            } => (body, chunk, decoder, *unmarshall),
        };
        let result = loop {
            if !chunk.is_empty() {
                match decoder.decode(chunk) {
                    Ok(Some(message)) => break read(unmarshall, message),
                    Ok(None) => {}
                    Err(err) => break Err(SdkError::response_error(err, RawMessage::Invalid)),
                }
            }
            match body.poll_chunk(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(next))) => *chunk = next,
                Poll::Ready(Some(Err(err))) => break Err(transport(err)),
                Poll::Ready(None) => {
                    break match decoder.finish() {
                        Ok(()) => Ok(None),
                        Err(err) => Err(SdkError::response_error(err, RawMessage::Invalid)),
                    };
                }
            }
        };
        // The end and every error but a modeled exception (after which the service decides
        // whether events follow) end the stream.
        let ends = match &result {
            Ok(event) => event.is_none(),
            Err(err) => !matches!(err, SdkError::ServiceError(_)),
        };
        if ends {
            self.done = true;
            *chunk = Bytes::new();
        }
        Poll::Ready(result)
    }
}

/// The event or error of one decoded message.
fn read<T, E>(
    unmarshall: Unmarshall<T, E>,
    message: Message,
) -> Result<Option<T>, SdkError<E, RawMessage>> {
    match unmarshall(&message) {
        Ok(Unmarshalled::Event(event)) => Ok(Some(event)),
        Ok(Unmarshalled::Error(error)) => {
            Err(SdkError::service_error(error, RawMessage::Decoded(message)))
        }
        Err(err) => Err(SdkError::response_error(err, RawMessage::Decoded(message))),
    }
}

/// A transport failure while the stream was being read: a timeout, or a response error.
fn transport<E>(err: ConnectorError) -> SdkError<E, RawMessage> {
    match err.kind() {
        ConnectorErrorKind::Timeout => SdkError::timeout_error(err),
        _ => SdkError::response_error(err, RawMessage::Invalid),
    }
}

// Never pinned structurally: prepared events are moved out by value, the body is polled
// through `&mut`.
impl<T, E> Unpin for EventReceiver<T, E> {}

impl<T, E> Stream for EventReceiver<T, E> {
    type Item = Result<T, SdkError<E, RawMessage>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx).map(Result::transpose)
    }
}

impl<T, E> fmt::Debug for EventReceiver<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("EventReceiver");
        match &self.source {
            Source::Body { chunk, decoder, .. } => {
                debug.field("buffered", &(chunk.len() + decoder.buffered_len()))
            }
            Source::Prepared(items) => debug.field("prepared", &items.len()),
        };
        debug.field("done", &self.done).finish()
    }
}

impl<T, E> Default for EventReceiver<T, E> {
    /// A receiver of a stream that has ended: `recv` gives `Ok(None)`.
    fn default() -> Self {
        Self::from_events([])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receivers_are_send_sync_and_unpin() {
        fn send_sync<T: Send + Sync + Unpin>() {}
        fn unpin<T: Unpin>() {}
        send_sync::<EventReceiver<String, std::io::Error>>();
        unpin::<EventReceiver<std::rc::Rc<u8>, std::cell::Cell<u8>>>();
    }

    #[test]
    fn prepared_events_are_received_in_order_then_the_end() {
        let mut receiver = EventReceiver::from_events([Ok(1), Err("modeled"), Ok(2)]);
        let block_on = |receiver: &mut EventReceiver<i32, &'static str>| {
            tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a runtime")
                .block_on(receiver.recv())
        };
        assert_eq!(block_on(&mut receiver).unwrap(), Some(1));
        let err = block_on(&mut receiver).unwrap_err();
        assert_eq!(err.as_service_error(), Some(&"modeled"));
        assert!(matches!(err.raw_response(), Some(RawMessage::Prepared)));
        assert_eq!(block_on(&mut receiver).unwrap(), Some(2));
        assert_eq!(block_on(&mut receiver).unwrap(), None);
        assert_eq!(block_on(&mut receiver).unwrap(), None);
        assert_eq!(block_on(&mut EventReceiver::default()).unwrap(), None);
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

//! The sending end of an input event stream: the caller's events, framed into the request body.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use tokio::sync::mpsc;

use super::signer::ChainedSigner;
use crate::codec::event_stream::Message;
use crate::contract::error::BuildError;
use crate::contract::http::ConnectorError;
use crate::contract::stream::{body_failure, BodyStream, EventStreamBody};

type Events<T, E> = Pin<Box<dyn Stream<Item = Result<T, E>> + Send>>;

/// Writes one item of the caller's stream as a message (generated per `@streaming` union): an
/// event, or a modeled error sent as an `exception` message.
pub type Marshall<T, E> = fn(Result<T, E>) -> Result<Message, BuildError>;

/// The events of an input event stream (`T`: the stream's union; `E`: its error enum), as the
/// caller gives them: any [`Stream`] of `Result<T, E>` (`EventStreamSender::from(stream)`),
/// the events of a `Vec` or iterator (`EventStreamSender::from_iter(events)`), or the
/// receiving end of a channel the caller sends into ([`EventStreamSender::channel`]).
///
/// Each item becomes one message: an event, or (an `Err`) one of the union's modeled errors
/// sent as an `exception` message. The stream ends when the caller's stream ends (the channel's
/// senders are all dropped); then the request body ends, with the empty signed frame when the
/// request is signed with SigV4.
///
/// A sender is sent once: clones share the same stream, and the first call that sends it
/// takes it (sending an input whose stream was taken fails with a construction error). A call
/// with an input event stream is never retried, since its events cannot be sent again.
pub struct EventStreamSender<T, E> {
    events: Arc<Mutex<Option<Events<T, E>>>>,
}

impl<T, E> EventStreamSender<T, E> {
    /// A sender of the events the returned [`EventSender`] sends, `buffer` of them at most
    /// waiting to be sent (at least 1).
    pub fn channel(buffer: usize) -> (EventSender<T, E>, Self)
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        let (tx, rx) = mpsc::channel(buffer.max(1));
        (EventSender { tx }, Self::from(Received(rx)))
    }

    /// Takes the stream out, once.
    fn take(&self) -> Option<Events<T, E>> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Whether the stream was taken by a call that sent it.
    pub fn is_sent(&self) -> bool {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none()
    }
}

impl<T, E, S> From<S> for EventStreamSender<T, E>
where
    S: Stream<Item = Result<T, E>> + Send + 'static,
{
    fn from(stream: S) -> Self {
        Self {
            events: Arc::new(Mutex::new(Some(Box::pin(stream)))),
        }
    }
}

impl<T: Send + 'static, E: Send + 'static> FromIterator<T> for EventStreamSender<T, E> {
    /// A sender of these events, in order.
    fn from_iter<I: IntoIterator<Item = T>>(events: I) -> Self {
        Self::from(Queued(events.into_iter().map(Ok).collect()))
    }
}

impl<T: Send + 'static, E: Send + 'static> Default for EventStreamSender<T, E> {
    /// A sender of no events: the request body holds only the end of the stream.
    fn default() -> Self {
        Self::from(Queued(VecDeque::new()))
    }
}

impl<T, E> Clone for EventStreamSender<T, E> {
    /// Another handle on the same stream (see the type's documentation).
    fn clone(&self) -> Self {
        Self {
            events: self.events.clone(),
        }
    }
}

impl<T, E> fmt::Debug for EventStreamSender<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStreamSender")
            .field("sent", &self.is_sent())
            .finish()
    }
}

/// Events given up front.
struct Queued<T>(VecDeque<T>);

// Never pinned structurally: the events are moved out by value.
impl<T> Unpin for Queued<T> {}

impl<T> Stream for Queued<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<T>> {
        Poll::Ready(self.get_mut().0.pop_front())
    }
}

/// The receiving end of [`EventStreamSender::channel`].
struct Received<T>(mpsc::Receiver<T>);

impl<T> Stream for Received<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.get_mut().0.poll_recv(cx)
    }
}

/// Sends events into the stream of an [`EventStreamSender::channel`]. Cheap to clone; the
/// stream ends when every clone is dropped.
pub struct EventSender<T, E> {
    tx: mpsc::Sender<Result<T, E>>,
}

impl<T, E> EventSender<T, E> {
    /// Sends an event, waiting while the channel is full.
    ///
    /// # Errors
    ///
    /// [`SendError`] when the stream is no longer read: its call has ended (or failed before
    /// its body was sent).
    pub async fn send(&self, event: T) -> Result<(), SendError> {
        self.tx.send(Ok(event)).await.map_err(|_| SendError)
    }

    /// Sends one of the union's modeled errors, as an `exception` message.
    ///
    /// # Errors
    ///
    /// [`SendError`] when the stream is no longer read.
    pub async fn send_error(&self, error: E) -> Result<(), SendError> {
        self.tx.send(Err(error)).await.map_err(|_| SendError)
    }
}

impl<T, E> Clone for EventSender<T, E> {
    fn clone(&self) -> Self {
        Self {
            tx: self.tx.clone(),
        }
    }
}

impl<T, E> fmt::Debug for EventSender<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSender")
            .field("closed", &self.tx.is_closed())
            .finish()
    }
}

/// An event could not be sent: the stream is no longer read (its call ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendError;

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the event stream is no longer sent: its call has ended")
    }
}

impl std::error::Error for SendError {}

/// The request body of `sender`'s events, each written by `marshall`, once the request is
/// signed. Takes the events out of `sender`.
///
/// # Errors
///
/// A [`BuildError`] when the events were already taken by another call.
pub fn event_stream_body<T, E>(
    sender: &EventStreamSender<T, E>,
    member: &str,
    marshall: Marshall<T, E>,
) -> Result<EventStreamBody, BuildError>
where
    T: 'static,
    E: 'static,
{
    framed_body(sender, member, marshall, None)
}

/// [`event_stream_body`] whose first message is `initial` (the `initial-request` of the RPC
/// protocols), framed and signed like the events after it: the first link of the chain of
/// signatures.
///
/// # Errors
///
/// A [`BuildError`] when the events were already taken by another call.
pub fn event_stream_body_after<T, E>(
    initial: Message,
    sender: &EventStreamSender<T, E>,
    member: &str,
    marshall: Marshall<T, E>,
) -> Result<EventStreamBody, BuildError>
where
    T: 'static,
    E: 'static,
{
    framed_body(sender, member, marshall, Some(initial))
}

fn framed_body<T, E>(
    sender: &EventStreamSender<T, E>,
    member: &str,
    marshall: Marshall<T, E>,
    initial: Option<Message>,
) -> Result<EventStreamBody, BuildError>
where
    T: 'static,
    E: 'static,
{
    let events = sender.take().ok_or_else(|| {
        BuildError::invalid_field(
            member,
            "this event stream was already sent by another call (an input's events can be sent \
             once; build a new input for another call)",
        )
    })?;
    Ok(EventStreamBody::new(move |signing| {
        BodyStream::new(Framed {
            initial,
            events,
            marshall,
            signer: signing.map(ChainedSigner::new),
            ended: false,
        })
    }))
}

/// The caller's events as the chunks of the request body: one framed message per event, each
/// wrapped in a signed frame when the request is signed, then the signed empty frame.
struct Framed<T, E> {
    /// A message sent before the events (`initial-request`).
    initial: Option<Message>,
    events: Events<T, E>,
    marshall: Marshall<T, E>,
    signer: Option<ChainedSigner>,
    ended: bool,
}

impl<T, E> Framed<T, E> {
    fn frame(&mut self, item: Result<T, E>) -> Result<Bytes, ConnectorError> {
        let message = (self.marshall)(item).map_err(body_failure)?;
        self.frame_message(&message)
    }

    fn frame_message(&mut self, message: &Message) -> Result<Bytes, ConnectorError> {
        let encoded = message.encode().map_err(body_failure)?;
        self.sign(encoded)
    }

    /// `payload` as it goes on the wire: as is, or in a signed frame.
    fn sign(&mut self, payload: Bytes) -> Result<Bytes, ConnectorError> {
        match &mut self.signer {
            None => Ok(payload),
            Some(signer) => signer
                .sign(payload)
                .map_err(body_failure)?
                .encode()
                .map_err(body_failure),
        }
    }
}

impl<T, E> Stream for Framed<T, E> {
    type Item = Result<Bytes, ConnectorError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        if let Some(initial) = this.initial.take() {
            let framed = this.frame_message(&initial);
            this.ended = framed.is_err();
            return Poll::Ready(Some(framed));
        }
        match this.events.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(item)) => {
                let framed = this.frame(item);
                if let Err(err) = &framed {
                    tracing::debug!(error = %err, "an event could not be sent; the request body ends");
                    this.ended = true;
                }
                Poll::Ready(Some(framed))
            }
            Poll::Ready(None) => {
                this.ended = true;
                if this.signer.is_none() {
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(this.sign(Bytes::new())))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn senders_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<EventStreamSender<std::cell::Cell<u8>, String>>();
        check::<EventSender<String, String>>();
    }
}

//! Event streams (the `event-stream` capability): the events of an operation's `@streaming`
//! union, received from the service as they come ([`EventReceiver`]) and sent to it from a
//! stream the caller gives ([`EventStreamSender`]), in the messages of the
//! `application/vnd.amazon.eventstream` format ([`crate::codec::event_stream`]).
//!
//! - `receiver`: reading the events of an output stream, one message at a time;
//! - `sender`: the caller's events, framed (and, for a SigV4-signed request, each signed by
//!   `signer`, chained to the request's signature) into the body of the request;
//! - `initial`: the `initial-request` and `initial-response` messages of the RPC protocols
//!   (awsJson1_0, awsJson1_1), which carry an operation's other members beside its stream;
//! - `wire`: what the generated (un)marshallers of each union share: the `:message-type`,
//!   `:event-type` and `:exception-type` headers, typed event headers, `error` messages.
//!
//! Calls go through [`Handle::call_streaming`](crate::orchestrator::handle::Handle::call_streaming)
//! and [`HttpClient::call_streaming`](crate::contract::http::HttpClient::call_streaming): the
//! default client reads the response as it comes and sends input streams over HTTP/2; any
//! other client (the test doubles) answers with a whole body, which is enough to replay an
//! output stream.
//!
//! Reading the events of a body (what a generated operation's output holds):
//!
//! ```
//! use bytes::Bytes;
//! use smithy_rust_runtime::capability::event_stream::{
//!     event_headers, message_type, EventReceiver, MessageType, Unmarshalled,
//! };
//! use smithy_rust_runtime::codec::event_stream::Message;
//! use smithy_rust_runtime::contract::error::{DeserializeError, ErrorMetadata};
//! use smithy_rust_runtime::contract::stream::BodyStream;
//!
//! /// The generated unmarshaller of a union with one event, `chunk`.
//! fn unmarshall(message: &Message) -> Result<Unmarshalled<String, ErrorMetadata>, DeserializeError> {
//!     match message_type(message)? {
//!         MessageType::Event("chunk") => Ok(Unmarshalled::Event(
//!             String::from_utf8_lossy(message.payload()).into_owned(),
//!         )),
//!         _ => Err(DeserializeError::new("not in this example")),
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let mut body = Vec::new();
//! for text in ["Hello, ", "world"] {
//!     let message = Message::from_parts(event_headers("chunk"), Bytes::from(text));
//!     body.extend_from_slice(&message.encode().unwrap());
//! }
//! let mut events = EventReceiver::new(BodyStream::from_bytes(body.into()), unmarshall);
//! let mut text = String::new();
//! while let Some(chunk) = events.recv().await.unwrap() {
//!     text.push_str(&chunk);
//! }
//! assert_eq!(text, "Hello, world");
//! # });
//! ```
//!
//! Sending events: any [`Stream`](futures_core::Stream) of `Result<Event, Error>` becomes an
//! [`EventStreamSender`] with `From`, a `Vec` or iterator with `collect()`, and
//! [`EventStreamSender::channel`] gives a sender to push events from another task while the
//! call runs:
//!
//! ```
//! use smithy_rust_runtime::capability::event_stream::EventStreamSender;
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let up_front: EventStreamSender<String, std::io::Error> =
//!     vec!["a".to_owned(), "b".to_owned()].into_iter().collect();
//! let (tx, from_a_task) = EventStreamSender::<String, std::io::Error>::channel(8);
//! tokio::spawn(async move {
//!     // Fails once the call that sends the stream has ended.
//!     let _ = tx.send("audio".to_owned()).await;
//! });
//! # drop((up_front, from_a_task));
//! # });
//! ```

mod initial;
mod receiver;
mod sender;
mod signer;
mod wire;

pub use initial::{
    initial_request, read_initial_response, split_initial_response, InitialResponseError,
    INITIAL_REQUEST, INITIAL_RESPONSE,
};
pub use receiver::{EventReceiver, RawMessage, Unmarshall, Unmarshalled};
pub use sender::{
    event_stream_body, event_stream_body_after, EventSender, EventStreamSender, Marshall, SendError,
};
pub use wire::{
    content_type, error_message, error_message_for, event_header, event_headers, exception_headers,
    message_type, payload_text, read_event_header, EventHeader, MessageType,
};

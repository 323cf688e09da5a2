//! Event streams (the `event-stream` capability): the events of an operation's `@streaming`
//! union, received from the service as they come ([`EventReceiver`]) and sent to it from a
//! stream the caller gives ([`EventStreamSender`]), in the messages of the
//! `application/vnd.amazon.eventstream` format ([`crate::codec::event_stream`]).
//!
//! - `receiver`: reading the events of an output stream, one message at a time;
//! - `sender`: the caller's events, framed (and, for a SigV4-signed request, each signed by
//!   `signer`, chained to the request's signature) into the body of the request;
//! - `wire`: what the generated (un)marshallers of each union share: the `:message-type`,
//!   `:event-type` and `:exception-type` headers, typed event headers, `error` messages.

mod receiver;
mod sender;
mod signer;
mod wire;

pub use receiver::{EventReceiver, RawMessage, Unmarshall, Unmarshalled};
pub use sender::{event_stream_body, EventSender, EventStreamSender, Marshall, SendError};
pub use wire::{
    content_type, error_message, error_message_for, event_header, event_headers, exception_headers,
    message_type, payload_text, read_event_header, EventHeader, MessageType,
};

//! A message: headers and a payload.

use std::time::SystemTime;

use bytes::Bytes;

use super::encode;
use super::{EventStreamError, Header, HeaderStr, HeaderValue};

/// One event stream message: headers (in wire order) and a payload.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    headers: Vec<Header>,
    payload: Bytes,
}

impl Message {
    /// A message with `payload` and no headers.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Self {
            headers: Vec::new(),
            payload: payload.into(),
        }
    }

    /// A message from its parts.
    pub fn from_parts(headers: Vec<Header>, payload: Bytes) -> Self {
        Self { headers, payload }
    }

    /// The message with the header `name: value` added after the others.
    pub fn with_header(mut self, name: impl Into<HeaderStr>, value: HeaderValue) -> Self {
        self.headers.push(Header::new(name, value));
        self
    }

    /// Adds `header` after the others.
    pub fn add_header(&mut self, header: Header) {
        self.headers.push(header);
    }

    /// The headers, in wire order.
    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    /// The value of the first header named `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|h| h.name() == name)
            .map(Header::value)
    }

    /// The payload.
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// The headers and the payload.
    pub fn into_parts(self) -> (Vec<Header>, Bytes) {
        (self.headers, self.payload)
    }

    /// The message's encoded length, or an error when a header or the whole message breaks a
    /// limit of the format.
    pub fn encoded_len(&self) -> Result<usize, EventStreamError> {
        encode::message_len(self)
    }

    /// Appends the encoded message to `out`. On error (a header or the whole message breaks a
    /// limit of the format) nothing is appended.
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EventStreamError> {
        encode::write_message(self, out)
    }

    /// The encoded message.
    pub fn encode(&self) -> Result<Bytes, EventStreamError> {
        let mut out = Vec::new();
        self.encode_into(&mut out)?;
        Ok(Bytes::from(out))
    }

    /// The outer message that carries a signed event: the headers `:date` (a timestamp, in
    /// milliseconds) and `:chunk-signature` (the signature's bytes), and as payload the
    /// encoded inner message; an empty payload makes the frame that ends a signed stream.
    ///
    /// Computing the signature (SigV4, chained from the previous frame's) is the signer's job;
    /// this only builds the frame it signs.
    pub fn signed(encoded_event: Bytes, date: SystemTime, signature: impl Into<Bytes>) -> Self {
        Self {
            headers: vec![
                Header::new(
                    HeaderStr::from_static(":date"),
                    HeaderValue::timestamp(date),
                ),
                Header::new(
                    HeaderStr::from_static(":chunk-signature"),
                    HeaderValue::ByteArray(signature.into()),
                ),
            ],
            payload: encoded_event,
        }
    }
}

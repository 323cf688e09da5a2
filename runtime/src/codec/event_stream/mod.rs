//! The event stream message format (`application/vnd.amazon.eventstream`) that AWS streaming
//! operations send their events in, in both directions.
//!
//! A message on the wire is:
//!
//! ```text
//! total length (u32) | headers length (u32) | prelude CRC32 (u32)
//! headers (headers length bytes) | payload | message CRC32 (u32)
//! ```
//!
//! All integers are big-endian; the prelude CRC covers the two lengths, the message CRC every
//! byte before it, and the total length counts the whole message including both CRCs. Each
//! header is a name (1-byte length, UTF-8), a type byte and a typed value (see
//! [`HeaderValue`]).
//!
//! [`Message::encode`] writes a message; [`MessageDecoder`] reads messages from a byte stream
//! split anywhere across reads. Both enforce the format's limits ([`MAX_MESSAGE_LEN`],
//! [`MAX_HEADERS_LEN`], [`MAX_HEADER_NAME_LEN`], [`MAX_HEADER_VALUE_LEN`]) and report anything
//! wrong as an [`EventStreamError`].

mod decode;
mod encode;
mod error;
mod header;
mod message;

pub use decode::MessageDecoder;
pub use encode::write_headers;
pub use error::{ErrorKind, EventStreamError, HeaderProblem};
pub use header::{Header, HeaderStr, HeaderValue};
pub use message::Message;

/// The largest message, in bytes, counting the prelude and both CRCs (16 MiB).
pub const MAX_MESSAGE_LEN: usize = 16 * 1024 * 1024;
/// The largest headers section of one message, in bytes (128 KiB).
pub const MAX_HEADERS_LEN: usize = 128 * 1024;
/// The longest header name, in bytes (its length is one byte on the wire).
pub const MAX_HEADER_NAME_LEN: usize = 255;
/// The longest byte-array or string header value, in bytes (`i16::MAX`).
pub const MAX_HEADER_VALUE_LEN: usize = i16::MAX as usize;

/// The prelude: total length, headers length and the prelude CRC, 4 bytes each.
const PRELUDE_LEN: usize = 12;
/// The message CRC at the end of every message.
const CRC_LEN: usize = 4;
/// The smallest message: a prelude and a message CRC, no headers, no payload.
const MIN_MESSAGE_LEN: usize = PRELUDE_LEN + CRC_LEN;

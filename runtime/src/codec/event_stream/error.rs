//! What can go wrong reading or writing an event stream message.

use std::fmt;

/// An event stream message that cannot be read or written: what is wrong, and for a stream
/// being decoded, at which byte of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventStreamError {
    kind: ErrorKind,
    offset: Option<u64>,
}

/// What is wrong with an event stream message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The prelude's CRC32 does not match its two length fields.
    PreludeChecksum {
        /// The CRC the message carries.
        expected: u32,
        /// The CRC of the bytes received.
        computed: u32,
    },
    /// The message's CRC32 does not match its bytes.
    MessageChecksum {
        /// The CRC the message carries.
        expected: u32,
        /// The CRC of the bytes received.
        computed: u32,
    },
    /// The message is longer than [`MAX_MESSAGE_LEN`](super::MAX_MESSAGE_LEN).
    MessageTooLong {
        /// Its length (claimed by the prelude, or of the message being written).
        len: u64,
    },
    /// The prelude claims a total length below the 16 bytes of an empty message.
    MessageTooShort {
        /// The claimed total length.
        len: u32,
    },
    /// The headers section is longer than [`MAX_HEADERS_LEN`](super::MAX_HEADERS_LEN).
    HeadersTooLong {
        /// Its length (claimed by the prelude, or of the headers being written).
        len: u64,
    },
    /// The headers length claimed by the prelude does not fit in the claimed total length.
    HeadersOverrunMessage {
        /// The claimed headers length.
        headers_len: u32,
        /// The claimed total length.
        total_len: u32,
    },
    /// The stream ended inside a message.
    Truncated {
        /// The bytes of the message that were received.
        received: usize,
        /// Its total length, when its prelude was complete.
        expected: Option<u32>,
    },
    /// A header is malformed or breaks a limit of the format.
    InvalidHeader {
        /// The header's name, when it could be read.
        name: Option<String>,
        /// What is wrong.
        reason: HeaderProblem,
    },
    /// The decoder already reported an error: the stream cannot be read past a bad message.
    DecoderFailed,
}

/// What is wrong with a header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderProblem {
    /// The name is empty.
    EmptyName,
    /// The name is longer than [`MAX_HEADER_NAME_LEN`](super::MAX_HEADER_NAME_LEN) bytes.
    NameTooLong(usize),
    /// The name or a string value is not UTF-8.
    NotUtf8,
    /// The type byte is not one of the ten value types.
    UnknownType(u8),
    /// A byte-array or string value is longer than
    /// [`MAX_HEADER_VALUE_LEN`](super::MAX_HEADER_VALUE_LEN) bytes.
    ValueTooLong(usize),
    /// The header runs past the end of the headers section.
    CutOff,
}

impl EventStreamError {
    pub(super) fn new(kind: ErrorKind) -> Self {
        Self { kind, offset: None }
    }

    pub(super) fn at(kind: ErrorKind, offset: u64) -> Self {
        Self {
            kind,
            offset: Some(offset),
        }
    }

    pub(super) fn header(name: Option<&str>, reason: HeaderProblem) -> Self {
        Self::new(ErrorKind::InvalidHeader {
            name: name.map(str::to_owned),
            reason,
        })
    }

    /// The error with its offset counted from `base` on (an error without an offset gets
    /// `base`).
    pub(super) fn shifted(mut self, base: u64) -> Self {
        self.offset = Some(base + self.offset.unwrap_or(0));
        self
    }

    /// What is wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// For a stream being decoded, the offset in the stream of the first byte of the message
    /// (of the header, for a header problem) at fault.
    pub fn offset(&self) -> Option<u64> {
        self.offset
    }
}

impl fmt::Display for EventStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid event stream message")?;
        if let Some(offset) = self.offset {
            write!(f, " at byte {offset} of the stream")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for EventStreamError {}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PreludeChecksum { expected, computed } => write!(
                f,
                "the prelude CRC32 is {expected:#010x} but the prelude's bytes give {computed:#010x}"
            ),
            Self::MessageChecksum { expected, computed } => write!(
                f,
                "the message CRC32 is {expected:#010x} but the message's bytes give {computed:#010x}"
            ),
            Self::MessageTooLong { len } => write!(
                f,
                "the message is {len} bytes long, more than the limit of {} bytes",
                super::MAX_MESSAGE_LEN
            ),
            Self::MessageTooShort { len } => write!(
                f,
                "the prelude claims a total length of {len} bytes, less than the {} bytes of an empty message",
                super::MIN_MESSAGE_LEN
            ),
            Self::HeadersTooLong { len } => write!(
                f,
                "the headers are {len} bytes long, more than the limit of {} bytes",
                super::MAX_HEADERS_LEN
            ),
            Self::HeadersOverrunMessage {
                headers_len,
                total_len,
            } => write!(
                f,
                "the prelude claims {headers_len} bytes of headers, which do not fit in a message of {total_len} bytes"
            ),
            Self::Truncated {
                received,
                expected: Some(expected),
            } => write!(
                f,
                "the stream ended inside a message: {received} of its {expected} bytes were received"
            ),
            Self::Truncated {
                received,
                expected: None,
            } => write!(
                f,
                "the stream ended inside a message prelude: {received} of its {} bytes were received",
                super::PRELUDE_LEN
            ),
            Self::InvalidHeader { name, reason } => {
                match name {
                    Some(name) => write!(f, "header `{name}`: ")?,
                    None => f.write_str("a header: ")?,
                }
                fmt::Display::fmt(reason, f)
            }
            Self::DecoderFailed => f.write_str(
                "an earlier message of the stream was invalid, so no further message can be read",
            ),
        }
    }
}

impl fmt::Display for HeaderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyName => f.write_str("the name is empty"),
            Self::NameTooLong(len) => write!(
                f,
                "the name is {len} bytes long, more than the limit of {} bytes",
                super::MAX_HEADER_NAME_LEN
            ),
            Self::NotUtf8 => f.write_str("text that is not valid UTF-8"),
            Self::UnknownType(t) => write!(f, "unknown value type {t}"),
            Self::ValueTooLong(len) => write!(
                f,
                "the value is {len} bytes long, more than the limit of {} bytes",
                super::MAX_HEADER_VALUE_LEN
            ),
            Self::CutOff => f.write_str("it runs past the end of the headers section"),
        }
    }
}

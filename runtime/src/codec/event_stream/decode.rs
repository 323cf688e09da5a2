//! Reading messages from a byte stream that arrives in pieces split anywhere.

use bytes::{Buf, Bytes, BytesMut};
use uuid::Uuid;

use super::error::HeaderProblem;
use super::header::{
    TYPE_BOOL_FALSE, TYPE_BOOL_TRUE, TYPE_BYTE, TYPE_BYTE_ARRAY, TYPE_INT16, TYPE_INT32,
    TYPE_INT64, TYPE_STRING, TYPE_TIMESTAMP, TYPE_UUID,
};
use super::{ErrorKind, EventStreamError, Header, HeaderStr, HeaderValue, Message};
use super::{CRC_LEN, MAX_HEADERS_LEN, MAX_HEADER_VALUE_LEN, MAX_MESSAGE_LEN};
use super::{MIN_MESSAGE_LEN, PRELUDE_LEN};

/// An incremental decoder: give it the stream's bytes as they arrive, get complete messages
/// back.
///
/// [`decode`](Self::decode) takes from its input only the bytes of the next message, so the
/// decoder holds at most one incomplete message; the rest of the input stays with the caller
/// for the next call. A message that arrives whole in one [`Bytes`] is not copied: its payload
/// and string headers point into that buffer. Lengths are checked against the format's limits
/// (and the prelude against its CRC) before any byte of the message is buffered, and the
/// buffer grows only with bytes actually received, never to a length the stream merely claims.
///
/// ```
/// use bytes::Bytes;
/// use smithy_rust_runtime::codec::event_stream::{EventStreamError, Message, MessageDecoder};
///
/// # fn main() -> Result<(), EventStreamError> {
/// // Two messages back to back, arriving in 7-byte reads that split them anywhere.
/// let mut stream = Vec::new();
/// Message::new("first").encode_into(&mut stream)?;
/// Message::new("second").encode_into(&mut stream)?;
/// let reads = stream.chunks(7).map(Bytes::copy_from_slice);
///
/// let mut decoder = MessageDecoder::new();
/// let mut payloads = Vec::new();
/// for mut chunk in reads {
///     // `chunk` may hold part of a message, or several: take out every complete one.
///     while let Some(message) = decoder.decode(&mut chunk)? {
///         payloads.push(message.payload().clone());
///     }
/// }
/// decoder.finish()?; // an error if the stream ended inside a message
/// assert_eq!(payloads, ["first", "second"]);
/// # Ok(())
/// # }
/// ```
///
/// After an error the stream cannot be resynchronised: every later call fails.
#[derive(Debug, Default)]
pub struct MessageDecoder {
    /// The bytes received so far of the message being read.
    partial: BytesMut,
    /// That message's total length, once its prelude has been received and checked.
    total_len: Option<usize>,
    /// The offset in the stream of that message's first byte.
    offset: u64,
    /// Whether an error was reported.
    failed: bool,
}

impl MessageDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the bytes of the next message from `input` and returns the message once it is
    /// complete; `None` means `input` is used up and more bytes are needed. Call it again
    /// while it returns messages: `input` may hold several.
    pub fn decode<B: Buf>(&mut self, input: &mut B) -> Result<Option<Message>, EventStreamError> {
        if self.failed {
            return Err(EventStreamError::new(ErrorKind::DecoderFailed));
        }
        let result = self.next_message(input);
        if result.is_err() {
            self.failed = true;
            self.partial = BytesMut::new();
            self.total_len = None;
        }
        result
    }

    /// Checks that the stream, now ended, did not end inside a message.
    pub fn finish(&self) -> Result<(), EventStreamError> {
        if self.failed {
            return Err(EventStreamError::new(ErrorKind::DecoderFailed));
        }
        if self.partial.is_empty() {
            return Ok(());
        }
        Err(EventStreamError::at(
            ErrorKind::Truncated {
                received: self.partial.len(),
                // Every checked total length is at most MAX_MESSAGE_LEN, so it fits in u32.
                expected: self.total_len.map(|len| len as u32),
            },
            self.offset,
        ))
    }

    /// How many bytes of an incomplete message the decoder holds.
    pub fn buffered_len(&self) -> usize {
        self.partial.len()
    }

    fn next_message<B: Buf>(&mut self, input: &mut B) -> Result<Option<Message>, EventStreamError> {
        let total = match self.total_len {
            Some(total) => total,
            None if self.partial.is_empty() && input.chunk().len() >= PRELUDE_LEN => {
                // The whole prelude is at hand: check it where it is.
                let total = check_prelude(&input.chunk()[..PRELUDE_LEN])
                    .map_err(|e| e.shifted(self.offset))?;
                if input.remaining() >= total {
                    // The whole message is at hand too: no copy when `input` is `Bytes`.
                    let frame = input.copy_to_bytes(total);
                    return self.complete(frame).map(Some);
                }
                total
            }
            None => {
                self.fill(input, PRELUDE_LEN);
                if self.partial.len() < PRELUDE_LEN {
                    return Ok(None);
                }
                check_prelude(&self.partial[..PRELUDE_LEN]).map_err(|e| e.shifted(self.offset))?
            }
        };
        self.total_len = Some(total);
        self.fill(input, total);
        if self.partial.len() < total {
            return Ok(None);
        }
        self.total_len = None;
        let frame = self.partial.split().freeze();
        self.complete(frame).map(Some)
    }

    /// Moves bytes from `input` into the buffer until it holds `len` bytes or `input` is used
    /// up.
    fn fill<B: Buf>(&mut self, input: &mut B, len: usize) {
        while self.partial.len() < len {
            let chunk = input.chunk();
            if chunk.is_empty() {
                break;
            }
            let n = chunk.len().min(len - self.partial.len());
            self.partial.extend_from_slice(&chunk[..n]);
            input.advance(n);
        }
    }

    /// Checks and parses a whole message and moves past it.
    fn complete(&mut self, frame: Bytes) -> Result<Message, EventStreamError> {
        let message = parse_message(frame.clone()).map_err(|e| e.shifted(self.offset))?;
        self.offset += frame.len() as u64;
        Ok(message)
    }
}

fn be_u32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_be_bytes(word)
}

/// Checks a prelude (12 bytes) and returns the message's total length.
fn check_prelude(prelude: &[u8]) -> Result<usize, EventStreamError> {
    let total = be_u32(prelude, 0);
    let headers_len = be_u32(prelude, 4);
    let expected = be_u32(prelude, 8);
    let computed = crc32fast::hash(&prelude[..8]);
    let error = |kind| Err(EventStreamError::at(kind, 0));
    if computed != expected {
        return error(ErrorKind::PreludeChecksum { expected, computed });
    }
    if total as usize > MAX_MESSAGE_LEN {
        return error(ErrorKind::MessageTooLong {
            len: u64::from(total),
        });
    }
    if (total as usize) < MIN_MESSAGE_LEN {
        return error(ErrorKind::MessageTooShort { len: total });
    }
    if headers_len as usize > MAX_HEADERS_LEN {
        return error(ErrorKind::HeadersTooLong {
            len: u64::from(headers_len),
        });
    }
    if headers_len as usize > total as usize - MIN_MESSAGE_LEN {
        return error(ErrorKind::HeadersOverrunMessage {
            headers_len,
            total_len: total,
        });
    }
    Ok(total as usize)
}

/// Parses a whole message whose prelude was checked; error offsets are relative to its start.
fn parse_message(frame: Bytes) -> Result<Message, EventStreamError> {
    let body_len = frame.len() - CRC_LEN;
    let expected = be_u32(&frame, body_len);
    let computed = crc32fast::hash(&frame[..body_len]);
    if computed != expected {
        return Err(EventStreamError::at(
            ErrorKind::MessageChecksum { expected, computed },
            0,
        ));
    }
    let headers_end = PRELUDE_LEN + be_u32(&frame, 4) as usize;
    let headers = parse_headers(&frame.slice(PRELUDE_LEN..headers_end))
        .map_err(|e| e.shifted(PRELUDE_LEN as u64))?;
    Ok(Message::from_parts(
        headers,
        frame.slice(headers_end..body_len),
    ))
}

/// Takes `N` bytes at `*pos` and moves past them.
fn take<const N: usize>(section: &[u8], pos: &mut usize) -> Option<[u8; N]> {
    let bytes = section.get(*pos..*pos + N)?;
    *pos += N;
    let mut out = [0; N];
    out.copy_from_slice(bytes);
    Some(out)
}

/// Takes `len` bytes at `*pos` (sharing `section`) and moves past them.
fn take_slice(section: &Bytes, pos: &mut usize, len: usize) -> Option<Bytes> {
    let end = pos.checked_add(len).filter(|&end| end <= section.len())?;
    let bytes = section.slice(*pos..end);
    *pos = end;
    Some(bytes)
}

/// Parses a headers section; error offsets are relative to its start.
fn parse_headers(section: &Bytes) -> Result<Vec<Header>, EventStreamError> {
    let mut headers = Vec::new();
    let mut pos = 0;
    while pos < section.len() {
        let start = pos;
        let fail = |name: Option<&HeaderStr>, problem| {
            EventStreamError::header(name.map(HeaderStr::as_str), problem).shifted(start as u64)
        };
        let [name_len] =
            take::<1>(section, &mut pos).ok_or_else(|| fail(None, HeaderProblem::CutOff))?;
        if name_len == 0 {
            return Err(fail(None, HeaderProblem::EmptyName));
        }
        let name = take_slice(section, &mut pos, usize::from(name_len))
            .ok_or_else(|| fail(None, HeaderProblem::CutOff))?;
        let name = HeaderStr::from_utf8(name).map_err(|_| fail(None, HeaderProblem::NotUtf8))?;
        let cut = || fail(Some(&name), HeaderProblem::CutOff);
        let [value_type] = take::<1>(section, &mut pos).ok_or_else(cut)?;
        let value = match value_type {
            TYPE_BOOL_TRUE => HeaderValue::Bool(true),
            TYPE_BOOL_FALSE => HeaderValue::Bool(false),
            TYPE_BYTE => {
                HeaderValue::Byte(i8::from_be_bytes(take(section, &mut pos).ok_or_else(cut)?))
            }
            TYPE_INT16 => {
                HeaderValue::Int16(i16::from_be_bytes(take(section, &mut pos).ok_or_else(cut)?))
            }
            TYPE_INT32 => {
                HeaderValue::Int32(i32::from_be_bytes(take(section, &mut pos).ok_or_else(cut)?))
            }
            TYPE_INT64 => {
                HeaderValue::Int64(i64::from_be_bytes(take(section, &mut pos).ok_or_else(cut)?))
            }
            TYPE_TIMESTAMP => {
                HeaderValue::Timestamp(i64::from_be_bytes(take(section, &mut pos).ok_or_else(cut)?))
            }
            TYPE_UUID => {
                HeaderValue::Uuid(Uuid::from_bytes(take(section, &mut pos).ok_or_else(cut)?))
            }
            TYPE_BYTE_ARRAY | TYPE_STRING => {
                let len = usize::from(u16::from_be_bytes(take(section, &mut pos).ok_or_else(cut)?));
                if len > MAX_HEADER_VALUE_LEN {
                    return Err(fail(Some(&name), HeaderProblem::ValueTooLong(len)));
                }
                let bytes = take_slice(section, &mut pos, len).ok_or_else(cut)?;
                if value_type == TYPE_BYTE_ARRAY {
                    HeaderValue::ByteArray(bytes)
                } else {
                    HeaderValue::String(
                        HeaderStr::from_utf8(bytes)
                            .map_err(|_| fail(Some(&name), HeaderProblem::NotUtf8))?,
                    )
                }
            }
            other => return Err(fail(Some(&name), HeaderProblem::UnknownType(other))),
        };
        headers.push(Header::new(name, value));
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> Result<Vec<Message>, EventStreamError> {
        let mut decoder = MessageDecoder::new();
        let mut input = Bytes::copy_from_slice(bytes);
        let mut out = Vec::new();
        while let Some(message) = decoder.decode(&mut input)? {
            out.push(message);
        }
        decoder.finish()?;
        Ok(out)
    }

    /// A message with a valid prelude for `total`/`headers_len` and whatever follows.
    fn with_prelude(total: u32, headers_len: u32, rest: &[u8]) -> Vec<u8> {
        let mut out = total.to_be_bytes().to_vec();
        out.extend_from_slice(&headers_len.to_be_bytes());
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_be_bytes());
        out.extend_from_slice(rest);
        out
    }

    /// `body` (prelude and headers and payload) closed with its message CRC.
    fn sealed(mut body: Vec<u8>) -> Vec<u8> {
        let crc = crc32fast::hash(&body);
        body.extend_from_slice(&crc.to_be_bytes());
        body
    }

    #[test]
    fn prelude_lengths_are_checked_against_the_limits() {
        let cases: [(u32, u32, ErrorKind); 4] = [
            (
                MAX_MESSAGE_LEN as u32 + 1,
                0,
                ErrorKind::MessageTooLong {
                    len: MAX_MESSAGE_LEN as u64 + 1,
                },
            ),
            (15, 0, ErrorKind::MessageTooShort { len: 15 }),
            (
                200_000,
                MAX_HEADERS_LEN as u32 + 1,
                ErrorKind::HeadersTooLong {
                    len: MAX_HEADERS_LEN as u64 + 1,
                },
            ),
            (
                20,
                5,
                ErrorKind::HeadersOverrunMessage {
                    headers_len: 5,
                    total_len: 20,
                },
            ),
        ];
        for (total, headers_len, kind) in cases {
            let err = decode_all(&with_prelude(total, headers_len, &[])).expect_err("bad prelude");
            assert_eq!(err.kind(), &kind);
            assert_eq!(err.offset(), Some(0));
        }
    }

    #[test]
    fn header_problems_name_the_header_and_its_offset() {
        // Header `ab`, type 7 (string), length 0x8000: one more than the limit.
        let headers = [2, b'a', b'b', 7, 0x80, 0x00];
        let body = with_prelude(16 + headers.len() as u32, headers.len() as u32, &headers);
        let err = decode_all(&sealed(body)).expect_err("value too long");
        assert_eq!(
            err.kind(),
            &ErrorKind::InvalidHeader {
                name: Some("ab".into()),
                reason: HeaderProblem::ValueTooLong(32768)
            }
        );
        assert_eq!(err.offset(), Some(12));
        assert_eq!(
            err.to_string(),
            "invalid event stream message at byte 12 of the stream: header `ab`: the value is \
             32768 bytes long, more than the limit of 32767 bytes"
        );
        // A second, empty-named header after a valid one.
        let headers = [1, b'x', 0, 0];
        let body = with_prelude(16 + headers.len() as u32, headers.len() as u32, &headers);
        let err = decode_all(&sealed(body)).expect_err("empty name");
        assert_eq!(err.offset(), Some(15));
        assert!(matches!(
            err.kind(),
            ErrorKind::InvalidHeader {
                reason: HeaderProblem::EmptyName,
                ..
            }
        ));
        // Unknown type 10.
        let headers = [1, b'x', 10];
        let body = with_prelude(16 + headers.len() as u32, headers.len() as u32, &headers);
        let err = decode_all(&sealed(body)).expect_err("unknown type");
        assert!(
            err.to_string()
                .ends_with("header `x`: unknown value type 10"),
            "{err}"
        );
        // An int32 cut off by the end of the headers section.
        let headers = [1, b'x', 4, 0, 0];
        let body = with_prelude(16 + headers.len() as u32, headers.len() as u32, &headers);
        let err = decode_all(&sealed(body)).expect_err("cut off");
        assert!(matches!(
            err.kind(),
            ErrorKind::InvalidHeader {
                reason: HeaderProblem::CutOff,
                ..
            }
        ));
    }

    #[test]
    fn after_an_error_the_decoder_stays_failed() {
        let mut decoder = MessageDecoder::new();
        let mut garbage = Bytes::from_static(&[0xff; 16]);
        assert!(decoder.decode(&mut garbage).is_err());
        let mut good = Message::new("x").encode().expect("encodes");
        let err = decoder.decode(&mut good).expect_err("failed decoder");
        assert_eq!(err.kind(), &ErrorKind::DecoderFailed);
        assert!(decoder.finish().is_err());
    }
}

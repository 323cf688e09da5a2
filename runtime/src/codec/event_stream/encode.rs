//! Writing messages: every limit is checked before the first byte is written, so a message
//! that breaks one leaves the output untouched.

use super::error::HeaderProblem;
use super::{ErrorKind, EventStreamError, Header, HeaderValue, Message};
use super::{MAX_HEADERS_LEN, MAX_HEADER_NAME_LEN, MAX_HEADER_VALUE_LEN, MAX_MESSAGE_LEN};
use super::{MIN_MESSAGE_LEN, PRELUDE_LEN};

/// The encoded length of `header`, or what is wrong with it.
fn header_len(header: &Header) -> Result<usize, EventStreamError> {
    let name = header.name();
    if name.is_empty() {
        return Err(EventStreamError::header(None, HeaderProblem::EmptyName));
    }
    if name.len() > MAX_HEADER_NAME_LEN {
        return Err(EventStreamError::header(
            Some(name.as_str()),
            HeaderProblem::NameTooLong(name.len()),
        ));
    }
    let value_len = match header.value() {
        HeaderValue::Bool(_) => 0,
        HeaderValue::Byte(_) => 1,
        HeaderValue::Int16(_) => 2,
        HeaderValue::Int32(_) => 4,
        HeaderValue::Int64(_) | HeaderValue::Timestamp(_) => 8,
        HeaderValue::Uuid(_) => 16,
        HeaderValue::ByteArray(bytes) => variable_len(name.as_str(), bytes.len())?,
        HeaderValue::String(text) => variable_len(name.as_str(), text.len())?,
    };
    // Name length byte, name, type byte, value.
    Ok(1 + name.len() + 1 + value_len)
}

/// The encoded length of a byte-array or string value of `len` bytes (with its 2-byte length).
fn variable_len(name: &str, len: usize) -> Result<usize, EventStreamError> {
    if len > MAX_HEADER_VALUE_LEN {
        return Err(EventStreamError::header(
            Some(name),
            HeaderProblem::ValueTooLong(len),
        ));
    }
    Ok(2 + len)
}

/// The encoded length of `headers`, or what is wrong with them.
fn headers_len(headers: &[Header]) -> Result<usize, EventStreamError> {
    let mut total = 0usize;
    for header in headers {
        total += header_len(header)?;
        // Checked per header so the sum cannot overflow however many headers there are.
        if total > MAX_HEADERS_LEN {
            return Err(EventStreamError::new(ErrorKind::HeadersTooLong {
                len: headers
                    .iter()
                    .map(|h| header_len(h).map_or(0, |n| n as u64))
                    .sum(),
            }));
        }
    }
    Ok(total)
}

/// Appends `headers` to `out` (checked first: on error nothing is appended).
fn put_headers(headers: &[Header], out: &mut Vec<u8>) {
    for header in headers {
        let name = header.name().as_bytes();
        // `header_len` checked that the name is at most 255 bytes and that variable-length
        // values are at most `i16::MAX` bytes, so the casts below cannot truncate.
        out.push(name.len() as u8);
        out.extend_from_slice(name);
        let value = header.value();
        out.push(value.type_byte());
        match value {
            HeaderValue::Bool(_) => {}
            HeaderValue::Byte(n) => out.extend_from_slice(&n.to_be_bytes()),
            HeaderValue::Int16(n) => out.extend_from_slice(&n.to_be_bytes()),
            HeaderValue::Int32(n) => out.extend_from_slice(&n.to_be_bytes()),
            HeaderValue::Int64(n) | HeaderValue::Timestamp(n) => {
                out.extend_from_slice(&n.to_be_bytes());
            }
            HeaderValue::ByteArray(bytes) => {
                out.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
                out.extend_from_slice(bytes);
            }
            HeaderValue::String(text) => {
                out.extend_from_slice(&(text.len() as u16).to_be_bytes());
                out.extend_from_slice(text.as_bytes());
            }
            HeaderValue::Uuid(uuid) => out.extend_from_slice(uuid.as_bytes()),
        }
    }
}

/// Appends the wire encoding of `headers` (the headers section of a message) to `out`; on error
/// (an empty or too long name, a too long value, more than
/// [`MAX_HEADERS_LEN`](super::MAX_HEADERS_LEN) bytes in all) nothing is appended.
///
/// Event signing hashes the encoded headers of each frame (its `:date` header), which is what
/// this is for; [`Message::encode_into`] writes whole messages.
pub fn write_headers(headers: &[Header], out: &mut Vec<u8>) -> Result<(), EventStreamError> {
    headers_len(headers)?;
    put_headers(headers, out);
    Ok(())
}

/// The lengths of `message`: (headers section, whole message), checked against the limits.
fn lengths(message: &Message) -> Result<(usize, usize), EventStreamError> {
    let headers_len = headers_len(message.headers())?;
    let total = MIN_MESSAGE_LEN
        .saturating_add(headers_len)
        .saturating_add(message.payload().len());
    if total > MAX_MESSAGE_LEN {
        return Err(EventStreamError::new(ErrorKind::MessageTooLong {
            len: total as u64,
        }));
    }
    Ok((headers_len, total))
}

pub(super) fn message_len(message: &Message) -> Result<usize, EventStreamError> {
    lengths(message).map(|(_, total)| total)
}

pub(super) fn write_message(message: &Message, out: &mut Vec<u8>) -> Result<(), EventStreamError> {
    let (headers_len, total) = lengths(message)?;
    out.reserve(total);
    let start = out.len();
    // Both lengths are at most MAX_MESSAGE_LEN (16 MiB), so they fit in u32.
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&(headers_len as u32).to_be_bytes());
    let prelude_crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    debug_assert_eq!(out.len() - start, PRELUDE_LEN);
    put_headers(message.headers(), out);
    out.extend_from_slice(message.payload());
    let message_crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&message_crc.to_be_bytes());
    debug_assert_eq!(out.len() - start, total);
    Ok(())
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;

    #[test]
    fn an_empty_message_is_sixteen_bytes_with_both_crcs() {
        let bytes = Message::default().encode().expect("encodes");
        // Total length 16, headers length 0, the CRC32 of those 8 bytes, the CRC32 of those 12
        // bytes; the CRCs as zlib (an independent implementation) computes them.
        let expected = [
            0, 0, 0, 16, 0, 0, 0, 0, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8, 0xff,
        ];
        assert_eq!(bytes.as_ref(), expected);
    }

    #[test]
    fn limits_are_checked_before_anything_is_written() {
        let mut out = b"kept".to_vec();
        let long_name = "n".repeat(256);
        let message = Message::new(Bytes::new()).with_header(long_name, HeaderValue::Bool(true));
        let err = message.encode_into(&mut out).expect_err("name too long");
        assert!(err.to_string().contains("256 bytes long"), "{err}");
        let value = HeaderValue::ByteArray(Bytes::from(vec![0; MAX_HEADER_VALUE_LEN + 1]));
        let message = Message::new(Bytes::new()).with_header("v", value);
        let err = message.encode_into(&mut out).expect_err("value too long");
        assert_eq!(
            err.kind(),
            &ErrorKind::InvalidHeader {
                name: Some("v".into()),
                reason: HeaderProblem::ValueTooLong(MAX_HEADER_VALUE_LEN + 1)
            }
        );
        let message = Message::new(Bytes::new()).with_header("", HeaderValue::Bool(true));
        assert!(message.encode_into(&mut out).is_err());
        let payload = Bytes::from(vec![0; MAX_MESSAGE_LEN - MIN_MESSAGE_LEN + 1]);
        let err = Message::new(payload)
            .encode_into(&mut out)
            .expect_err("too big");
        assert_eq!(
            err.kind(),
            &ErrorKind::MessageTooLong {
                len: MAX_MESSAGE_LEN as u64 + 1
            }
        );
        assert_eq!(out, b"kept");
    }

    #[test]
    fn the_largest_message_and_headers_are_accepted() {
        let payload = Bytes::from(vec![7; MAX_MESSAGE_LEN - MIN_MESSAGE_LEN]);
        let message = Message::new(payload);
        assert_eq!(message.encoded_len(), Ok(MAX_MESSAGE_LEN));
        // Four 32767-byte values with 1-byte names take 4 * (1 + 1 + 1 + 2 + 32767) = 131088
        // bytes, 16 more than the headers limit; shrink the last value by those 16.
        let value = |len: usize| HeaderValue::ByteArray(Bytes::from(vec![1; len]));
        let mut headers: Vec<Header> = (0..4)
            .map(|i| Header::new(format!("{i}"), value(MAX_HEADER_VALUE_LEN)))
            .collect();
        assert!(matches!(
            headers_len(&headers),
            Err(e) if e.kind() == &ErrorKind::HeadersTooLong { len: 131_088 }
        ));
        headers[3] = Header::new("3", value(MAX_HEADER_VALUE_LEN - 16));
        assert_eq!(headers_len(&headers), Ok(MAX_HEADERS_LEN));
    }
}

//! Message headers: a name and one of ten typed values.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use uuid::Uuid;

/// UTF-8 text held in shared [`Bytes`], so that a decoded message's header names and string
/// values point into the message's bytes instead of being copied.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct HeaderStr(Bytes);

impl HeaderStr {
    /// Text known at compile time (no copy).
    pub const fn from_static(text: &'static str) -> Self {
        Self(Bytes::from_static(text.as_bytes()))
    }

    /// `bytes` if they are UTF-8.
    pub fn from_utf8(bytes: Bytes) -> Result<Self, std::str::Utf8Error> {
        std::str::from_utf8(&bytes)?;
        Ok(Self(bytes))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Every constructor checks that the bytes are UTF-8, so the fallback is never taken.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The text's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for HeaderStr {
    fn from(text: String) -> Self {
        Self(Bytes::from(text))
    }
}

impl From<&str> for HeaderStr {
    fn from(text: &str) -> Self {
        Self(Bytes::copy_from_slice(text.as_bytes()))
    }
}

impl PartialEq<str> for HeaderStr {
    fn eq(&self, other: &str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<&str> for HeaderStr {
    fn eq(&self, other: &&str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl fmt::Debug for HeaderStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for HeaderStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A header value; the wire type byte of each variant is given in its documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// Type 0 (`true`) or 1 (`false`); no value bytes.
    Bool(bool),
    /// Type 2: one signed byte.
    Byte(i8),
    /// Type 3: a big-endian `i16`.
    Int16(i16),
    /// Type 4: a big-endian `i32`.
    Int32(i32),
    /// Type 5: a big-endian `i64`.
    Int64(i64),
    /// Type 6: bytes with a 2-byte length (at most
    /// [`MAX_HEADER_VALUE_LEN`](super::MAX_HEADER_VALUE_LEN)).
    ByteArray(Bytes),
    /// Type 7: UTF-8 text with a 2-byte length (at most
    /// [`MAX_HEADER_VALUE_LEN`](super::MAX_HEADER_VALUE_LEN) bytes).
    String(HeaderStr),
    /// Type 8: milliseconds since the Unix epoch (negative before it), a big-endian `i64`.
    Timestamp(i64),
    /// Type 9: a UUID, 16 bytes.
    Uuid(Uuid),
}

pub(super) const TYPE_BOOL_TRUE: u8 = 0;
pub(super) const TYPE_BOOL_FALSE: u8 = 1;
pub(super) const TYPE_BYTE: u8 = 2;
pub(super) const TYPE_INT16: u8 = 3;
pub(super) const TYPE_INT32: u8 = 4;
pub(super) const TYPE_INT64: u8 = 5;
pub(super) const TYPE_BYTE_ARRAY: u8 = 6;
pub(super) const TYPE_STRING: u8 = 7;
pub(super) const TYPE_TIMESTAMP: u8 = 8;
pub(super) const TYPE_UUID: u8 = 9;

impl HeaderValue {
    /// A string value (copied).
    pub fn string(text: impl Into<HeaderStr>) -> Self {
        Self::String(text.into())
    }

    /// A timestamp value for `time`, in whole milliseconds (rounded down; instants beyond
    /// ±292 million years saturate).
    pub fn timestamp(time: SystemTime) -> Self {
        let millis = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
            Err(before) => {
                let before = before.duration();
                // Round towards negative infinity: 1.5 ms before the epoch is -2 ms.
                let whole = i64::try_from(before.as_millis()).unwrap_or(i64::MAX);
                let partial = before.as_nanos() % 1_000_000 != 0;
                -whole.saturating_add(i64::from(partial))
            }
        };
        Self::Timestamp(millis)
    }

    /// The wire type byte.
    pub(super) fn type_byte(&self) -> u8 {
        match self {
            Self::Bool(true) => TYPE_BOOL_TRUE,
            Self::Bool(false) => TYPE_BOOL_FALSE,
            Self::Byte(_) => TYPE_BYTE,
            Self::Int16(_) => TYPE_INT16,
            Self::Int32(_) => TYPE_INT32,
            Self::Int64(_) => TYPE_INT64,
            Self::ByteArray(_) => TYPE_BYTE_ARRAY,
            Self::String(_) => TYPE_STRING,
            Self::Timestamp(_) => TYPE_TIMESTAMP,
            Self::Uuid(_) => TYPE_UUID,
        }
    }

    /// The type's name, for messages ("string", "timestamp", ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Bool(_) => "bool",
            Self::Byte(_) => "byte",
            Self::Int16(_) => "int16",
            Self::Int32(_) => "int32",
            Self::Int64(_) => "int64",
            Self::ByteArray(_) => "byte array",
            Self::String(_) => "string",
            Self::Timestamp(_) => "timestamp",
            Self::Uuid(_) => "uuid",
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// The bytes of a byte-array value.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match self {
            Self::ByteArray(b) => Some(b),
            _ => None,
        }
    }

    /// A bool value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// An integer value of any width.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Byte(n) => Some(i64::from(*n)),
            Self::Int16(n) => Some(i64::from(*n)),
            Self::Int32(n) => Some(i64::from(*n)),
            Self::Int64(n) => Some(*n),
            _ => None,
        }
    }

    /// A timestamp value as an instant.
    pub fn as_timestamp(&self) -> Option<SystemTime> {
        let Self::Timestamp(millis) = self else {
            return None;
        };
        let magnitude = Duration::from_millis(millis.unsigned_abs());
        if *millis >= 0 {
            UNIX_EPOCH.checked_add(magnitude)
        } else {
            UNIX_EPOCH.checked_sub(magnitude)
        }
    }

    /// A UUID value.
    pub fn as_uuid(&self) -> Option<Uuid> {
        match self {
            Self::Uuid(u) => Some(*u),
            _ => None,
        }
    }
}

/// One header of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    name: HeaderStr,
    value: HeaderValue,
}

impl Header {
    /// A header `name: value`.
    pub fn new(name: impl Into<HeaderStr>, value: HeaderValue) -> Self {
        Self {
            name: name.into(),
            value,
        }
    }

    /// The header's name.
    pub fn name(&self) -> &HeaderStr {
        &self.name
    }

    /// The header's value.
    pub fn value(&self) -> &HeaderValue {
        &self.value
    }

    /// The name and the value.
    pub fn into_parts(self) -> (HeaderStr, HeaderValue) {
        (self.name, self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_down_to_milliseconds_on_both_sides_of_the_epoch() {
        let after = UNIX_EPOCH + Duration::from_micros(1_500);
        assert_eq!(HeaderValue::timestamp(after), HeaderValue::Timestamp(1));
        let before = UNIX_EPOCH - Duration::from_micros(1_500);
        assert_eq!(HeaderValue::timestamp(before), HeaderValue::Timestamp(-2));
        let exact = UNIX_EPOCH - Duration::from_millis(3);
        assert_eq!(HeaderValue::timestamp(exact), HeaderValue::Timestamp(-3));
        assert_eq!(
            HeaderValue::Timestamp(-3).as_timestamp(),
            Some(UNIX_EPOCH - Duration::from_millis(3))
        );
        assert_eq!(
            HeaderValue::Timestamp(1_700_000_000_123).as_timestamp(),
            Some(UNIX_EPOCH + Duration::from_millis(1_700_000_000_123))
        );
    }

    #[test]
    fn header_strings_compare_with_str_and_reject_bad_utf8() {
        let s = HeaderStr::from_static(":event-type");
        assert_eq!(s, ":event-type");
        assert_eq!(s.as_str(), ":event-type");
        assert_eq!(format!("{s:?}"), "\":event-type\"");
        assert!(HeaderStr::from_utf8(Bytes::from_static(b"\xff")).is_err());
        assert_eq!(HeaderValue::Int16(-2).as_i64(), Some(-2));
        assert_eq!(HeaderValue::Bool(true).as_str(), None);
    }
}

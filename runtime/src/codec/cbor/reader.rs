//! [`CborReader`]: the pull reader that response deserializers walk a CBOR body with.

use std::borrow::Cow;
use std::fmt;

use minicbor::Decoder;

use super::bignum;
use super::error::{from_minicbor, CborError, CborErrorKind};
use super::half::f16_to_f32;
use super::{MAX_BIGNUM_BYTES, MAX_DEPTH};

/// The type of the next data item, from its initial byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CborType {
    /// Major type 0.
    UnsignedInteger,
    /// Major type 1.
    NegativeInteger,
    /// Major type 2 (definite or indefinite length).
    ByteString,
    /// Major type 3 (definite or indefinite length).
    TextString,
    /// Major type 4 (definite or indefinite length).
    Array,
    /// Major type 5 (definite or indefinite length).
    Map,
    /// Major type 6: a tag number, then the tagged item.
    Tag,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
    /// `undefined`.
    Undefined,
    /// A half, single or double precision float.
    Float,
    /// Another simple value.
    Simple,
    /// The break that ends an indefinite-length item.
    Break,
}

impl fmt::Display for CborType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnsignedInteger => "an unsigned integer",
            Self::NegativeInteger => "a negative integer",
            Self::ByteString => "a byte string",
            Self::TextString => "a text string",
            Self::Array => "an array",
            Self::Map => "a map",
            Self::Tag => "a tag",
            Self::Bool => "a boolean",
            Self::Null => "null",
            Self::Undefined => "undefined",
            Self::Float => "a float",
            Self::Simple => "a simple value",
            Self::Break => "a break",
        })
    }
}

/// The type of the item starting with `initial`, or `None` when no well-formed item starts
/// with it (additional information 28 to 30, or an indefinite length where none is allowed).
#[inline]
fn classify(initial: u8) -> Option<CborType> {
    let info = initial & 0x1f;
    if (28..=30).contains(&info) {
        return None;
    }
    Some(match initial >> 5 {
        0 if info != 31 => CborType::UnsignedInteger,
        1 if info != 31 => CborType::NegativeInteger,
        2 => CborType::ByteString,
        3 => CborType::TextString,
        4 => CborType::Array,
        5 => CborType::Map,
        6 if info != 31 => CborType::Tag,
        7 => match info {
            20 | 21 => CborType::Bool,
            22 => CborType::Null,
            23 => CborType::Undefined,
            25..=27 => CborType::Float,
            31 => CborType::Break,
            _ => CborType::Simple,
        },
        _ => return None,
    })
}

/// A timestamp as the body gives it: seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EpochSeconds {
    /// A whole number of seconds (an integer in the body).
    Whole(i64),
    /// Seconds with a fraction (a float in the body); always finite and within the `i64`
    /// range of seconds.
    Fractional(f64),
}

/// The break byte that ends indefinite-length items.
const BREAK: u8 = 0xff;
/// The initial byte of an indefinite-length text string.
const TEXT_INDEFINITE: u8 = 0x7f;
/// The initial byte of an indefinite-length byte string.
const BYTES_INDEFINITE: u8 = 0x5f;
/// The initial byte of a half-precision float.
const HALF: u8 = 0xf9;
/// The self-described CBOR tag (55799) that may prefix a body: `d9 d9 f7`.
const SELF_DESCRIBED: [u8; 3] = [0xd9, 0xd9, 0xf7];
/// An empty map, which an empty body reads as.
const EMPTY_MAP: &[u8] = &[0xa0];

// The readers below match the initial byte of the next item directly against those of the
// well-formed items they accept (RFC 8949 3: additional information 0 to 27, or 31 for an
// indefinite length where one is allowed) and only classify it with `peek_type` for an error.

/// A map or array being read.
#[derive(Debug, Clone, Copy)]
struct Open {
    map: bool,
    /// Entries (maps) or items (arrays) left to read; `None` for an indefinite length.
    left: Option<u64>,
}

/// A pull reader over a CBOR body: the generated deserializers walk the body once, borrowing
/// definite-length text from it and allocating each output string once.
///
/// The protocol: [`begin_map`](Self::begin_map) then [`next_key`](Self::next_key) until it
/// gives `None`, reading or skipping one value after each key;
/// [`begin_array`](Self::begin_array) then [`next_item`](Self::next_item) until it gives
/// `false`, reading one value after each `true`; [`finish`](Self::finish) at the end. The
/// `read_*` methods give `None` for `null` (and `undefined`): sparse values and absent
/// members. Every error says where (byte offset, member path) and what was expected.
///
/// Nothing panics on any input, nothing is allocated for a length the body only claims, and
/// maps and arrays nested deeper than [`MAX_DEPTH`] are an error. An empty body reads as an
/// empty map, and a leading self-described CBOR tag (55799) is skipped.
#[derive(Debug)]
pub struct CborReader<'a> {
    decoder: Decoder<'a>,
    open: Vec<Open>,
    max_depth: usize,
}

impl<'a> CborReader<'a> {
    /// A reader over `body`.
    pub fn new(body: &'a [u8]) -> Self {
        let body = if body.is_empty() {
            EMPTY_MAP
        } else {
            body.strip_prefix(&SELF_DESCRIBED[..])
                .filter(|rest| !rest.is_empty())
                .unwrap_or(body)
        };
        Self {
            decoder: Decoder::new(body),
            open: Vec::new(),
            max_depth: MAX_DEPTH,
        }
    }

    /// The reader with another nesting limit for maps and arrays.
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// The offset of the next byte to read.
    pub fn position(&self) -> usize {
        self.decoder.position()
    }

    fn input_len(&self) -> usize {
        self.decoder.input().len()
    }

    #[inline]
    fn initial_byte(&self) -> Result<u8, CborError> {
        let position = self.position();
        self.decoder.input().get(position).copied().ok_or_else(|| {
            CborError::malformed(position, "the input ends where a data item should start")
        })
    }

    /// The type of the next item (nothing is consumed).
    #[inline]
    pub fn peek_type(&self) -> Result<CborType, CborError> {
        let initial = self.initial_byte()?;
        classify(initial).ok_or_else(|| {
            CborError::malformed(
                self.position(),
                format!("{initial:#04x} is not the initial byte of a well-formed data item"),
            )
        })
    }

    /// Whether the next item is `null` or `undefined` (nothing is consumed).
    #[inline]
    pub fn is_null(&self) -> Result<bool, CborError> {
        Ok(matches!(
            self.peek_type()?,
            CborType::Null | CborType::Undefined
        ))
    }

    #[inline]
    fn advance(&mut self, len: usize) {
        self.decoder.set_position(self.position() + len);
    }

    /// Consumes `null` or `undefined` if it comes next.
    #[inline]
    fn null(&mut self) -> Result<bool, CborError> {
        if self.is_null()? {
            self.advance(1);
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// The error for a `found` item where `expected` was; a break out of place is malformed.
    fn unexpected(&self, path: &str, expected: &str, found: CborType) -> CborError {
        if found == CborType::Break {
            return CborError::malformed(
                self.position(),
                "a break (0xff) outside an indefinite-length item",
            );
        }
        CborError::unexpected(self.position(), path, expected, found)
    }

    /// The error for the next item, which is not `expected` (or not well-formed).
    #[cold]
    fn mismatch(&self, path: &str, expected: &str) -> CborError {
        match self.peek_type() {
            Ok(found) => self.unexpected(path, expected, found),
            Err(err) => err,
        }
    }

    fn misuse(&self, what: &str) -> CborError {
        CborError::new(
            CborErrorKind::Misuse,
            Some(self.position()),
            format!("CBOR reader misuse: {what}"),
        )
    }

    #[inline]
    fn decode<T>(
        &mut self,
        read: impl FnOnce(&mut Decoder<'a>) -> Result<T, minicbor::decode::Error>,
    ) -> Result<T, CborError> {
        let position = self.position();
        read(&mut self.decoder).map_err(|e| from_minicbor(&e, position))
    }

    fn too_deep(&self) -> CborError {
        CborError::new(
            CborErrorKind::TooDeep,
            Some(self.position()),
            format!(
                "the body nests maps and arrays more than {} deep (at byte {})",
                self.max_depth,
                self.position()
            ),
        )
    }

    /// Opens a map or an array (its head is next), unless that nests too deep.
    #[inline]
    fn open(&mut self, map: bool) -> Result<(), CborError> {
        if self.open.len() >= self.max_depth {
            return Err(self.too_deep());
        }
        let left = if map {
            self.decode(Decoder::map)?
        } else {
            self.decode(Decoder::array)?
        };
        self.open.push(Open { map, left });
        Ok(())
    }

    /// Starts a map (a structure, union or map); `false` (and nothing to read) for `null`.
    #[inline]
    pub fn begin_map(&mut self, path: &str) -> Result<bool, CborError> {
        match self.initial_byte()? {
            0xa0..=0xbb | 0xbf => self.open(true).map(|()| true),
            0xf6 | 0xf7 => {
                self.advance(1);
                Ok(false)
            }
            _ => Err(self.mismatch(path, "a map")),
        }
    }

    /// Starts an array (a list); `false` (and nothing to read) for `null`.
    #[inline]
    pub fn begin_array(&mut self, path: &str) -> Result<bool, CborError> {
        match self.initial_byte()? {
            0x80..=0x9b | 0x9f => self.open(false).map(|()| true),
            0xf6 | 0xf7 => {
                self.advance(1);
                Ok(false)
            }
            _ => Err(self.mismatch(path, "an array")),
        }
    }

    /// Moves to the next entry or item of the innermost open map (`map`) or array; `false`
    /// at its end, which is consumed.
    #[inline]
    fn next_in(&mut self, map: bool) -> Result<bool, CborError> {
        let Some(open) = self.open.last().copied() else {
            return Err(self.misuse("no map or array is open"));
        };
        if open.map != map {
            return Err(self.misuse(if map {
                "a key was asked for inside an array"
            } else {
                "an item was asked for inside a map"
            }));
        }
        let more = match open.left {
            Some(0) => false,
            Some(n) => {
                if let Some(top) = self.open.last_mut() {
                    top.left = Some(n - 1);
                }
                true
            }
            None if self.initial_byte()? == BREAK => {
                self.advance(1);
                false
            }
            None => true,
        };
        if !more {
            self.open.pop();
        }
        Ok(more)
    }

    /// The next key of the current map (its value must be read or skipped next), or `None`
    /// at its end.
    #[inline]
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>, CborError> {
        if !self.next_in(true)? {
            return Ok(None);
        }
        match self.initial_byte()? {
            0x60..=0x7b | 0x7f => self.text().map(Some),
            _ => Err(self.mismatch("(map key)", "a text string key")),
        }
    }

    /// Whether the current array has another item (read or skip it next); `false` at its end.
    #[inline]
    pub fn next_item(&mut self) -> Result<bool, CborError> {
        self.next_in(false)
    }

    /// Reads a text string whose initial byte was checked.
    #[inline]
    fn text(&mut self) -> Result<Cow<'a, str>, CborError> {
        if self.initial_byte()? != TEXT_INDEFINITE {
            return self.decode(Decoder::str).map(Cow::Borrowed);
        }
        self.advance(1);
        let mut text = String::new();
        while self.initial_byte()? != BREAK {
            if classify(self.initial_byte()?) != Some(CborType::TextString)
                || self.initial_byte()? == TEXT_INDEFINITE
            {
                return Err(CborError::malformed(
                    self.position(),
                    "a chunk of an indefinite-length text string is not a definite-length text string",
                ));
            }
            text.push_str(self.decode(Decoder::str)?);
        }
        self.advance(1);
        Ok(Cow::Owned(text))
    }

    /// Reads a byte string whose initial byte was checked.
    fn bytes(&mut self) -> Result<Cow<'a, [u8]>, CborError> {
        if self.initial_byte()? != BYTES_INDEFINITE {
            return self.decode(Decoder::bytes).map(Cow::Borrowed);
        }
        self.advance(1);
        let mut bytes = Vec::new();
        while self.initial_byte()? != BREAK {
            if classify(self.initial_byte()?) != Some(CborType::ByteString)
                || self.initial_byte()? == BYTES_INDEFINITE
            {
                return Err(CborError::malformed(
                    self.position(),
                    "a chunk of an indefinite-length byte string is not a definite-length byte string",
                ));
            }
            bytes.extend_from_slice(self.decode(Decoder::bytes)?);
        }
        self.advance(1);
        Ok(Cow::Owned(bytes))
    }

    /// Reads a text string, borrowed from the body when it has a definite length; `null` is
    /// `None`.
    #[inline]
    pub fn read_str(&mut self, path: &str) -> Result<Option<Cow<'a, str>>, CborError> {
        match self.initial_byte()? {
            0x60..=0x7b | 0x7f => self.text().map(Some),
            0xf6 | 0xf7 => self.null().map(|_| None),
            _ => Err(self.mismatch(path, "a text string")),
        }
    }

    /// Reads a `string` (or the value of an `enum`); `null` is `None`.
    #[inline]
    pub fn read_string(&mut self, path: &str) -> Result<Option<String>, CborError> {
        Ok(self.read_str(path)?.map(Cow::into_owned))
    }

    /// Reads a byte string, borrowed from the body when it has a definite length; `null` is
    /// `None`.
    pub fn read_bytes(&mut self, path: &str) -> Result<Option<Cow<'a, [u8]>>, CborError> {
        match self.initial_byte()? {
            0x40..=0x5b | 0x5f => self.bytes().map(Some),
            0xf6 | 0xf7 => self.null().map(|_| None),
            _ => Err(self.mismatch(path, "a byte string")),
        }
    }

    /// Reads a `blob`; `null` is `None`.
    pub fn read_blob(&mut self, path: &str) -> Result<Option<Vec<u8>>, CborError> {
        Ok(self.read_bytes(path)?.map(Cow::into_owned))
    }

    /// Reads a `boolean`; `null` is `None`.
    pub fn read_bool(&mut self, path: &str) -> Result<Option<bool>, CborError> {
        match self.initial_byte()? {
            0xf4 | 0xf5 => self.decode(Decoder::bool).map(Some),
            0xf6 | 0xf7 => self.null().map(|_| None),
            _ => Err(self.mismatch(path, "a boolean")),
        }
    }

    /// Reads an integer of any encoded width; `null` is `None`.
    fn integer(&mut self, path: &str, expected: &str) -> Result<Option<i128>, CborError> {
        match self.initial_byte()? {
            0x00..=0x1b | 0x20..=0x3b => self.decode(Decoder::int).map(|n| Some(i128::from(n))),
            0xf6 | 0xf7 => self.null().map(|_| None),
            _ => Err(self.mismatch(path, expected)),
        }
    }

    /// Reads an integer into `T`, named `what` in errors.
    fn read_int<T: TryFrom<i128>>(
        &mut self,
        path: &str,
        what: &str,
    ) -> Result<Option<T>, CborError> {
        let start = self.position();
        let Some(n) = self.integer(path, "an integer")? else {
            return Ok(None);
        };
        T::try_from(n).map(Some).map_err(|_| {
            CborError::out_of_range(start, path, format!("{n} does not fit in {what}"))
        })
    }

    /// Reads a `byte` (any integer width, range-checked); `null` is `None`.
    pub fn read_i8(&mut self, path: &str) -> Result<Option<i8>, CborError> {
        self.read_int(path, "a byte (8-bit integer)")
    }

    /// Reads a `short`; `null` is `None`.
    pub fn read_i16(&mut self, path: &str) -> Result<Option<i16>, CborError> {
        self.read_int(path, "a short (16-bit integer)")
    }

    /// Reads an `integer` (or `intEnum`); `null` is `None`.
    pub fn read_i32(&mut self, path: &str) -> Result<Option<i32>, CborError> {
        self.read_int(path, "an integer (32-bit)")
    }

    /// Reads a `long`; `null` is `None`.
    pub fn read_i64(&mut self, path: &str) -> Result<Option<i64>, CborError> {
        self.read_int(path, "a long (64-bit integer)")
    }

    /// Reads a float of any precision, or an integer, as `f64`; `null` is `None`.
    fn number(&mut self, path: &str, expected: &str) -> Result<Option<f64>, CborError> {
        match self.initial_byte()? {
            0xf9..=0xfb => self.float_value().map(Some),
            // Integers beyond 2^53 round to the nearest double, as a JSON number would.
            0x00..=0x1b | 0x20..=0x3b => self.int_value().map(|n| Some(n as f64)),
            0xf6 | 0xf7 => self.null().map(|_| None),
            _ => Err(self.mismatch(path, expected)),
        }
    }

    /// Decodes the integer that comes next (its initial byte was checked).
    fn int_value(&mut self) -> Result<i128, CborError> {
        self.decode(Decoder::int).map(i128::from)
    }

    /// Decodes the half, single or double precision float that comes next (its initial byte
    /// was checked).
    fn float_value(&mut self) -> Result<f64, CborError> {
        if self.initial_byte()? != HALF {
            // minicbor's f64 reads single and double precision.
            return self.decode(Decoder::f64);
        }
        let position = self.position();
        let bits = self
            .decoder
            .input()
            .get(position + 1..position + 3)
            .ok_or_else(|| CborError::malformed(position, "the input ends inside a data item"))?;
        let half = u16::from_be_bytes([bits[0], bits[1]]);
        self.advance(3);
        Ok(f64::from(f16_to_f32(half)))
    }

    /// Reads a `double` (a float of any precision, or an integer); `null` is `None`.
    pub fn read_f64(&mut self, path: &str) -> Result<Option<f64>, CborError> {
        self.number(path, "a number")
    }

    /// Reads a `float` (a float of any precision, or an integer); a finite value beyond the
    /// `f32` range is an error, more precision than `f32` has is rounded away; `null` is
    /// `None`.
    pub fn read_f32(&mut self, path: &str) -> Result<Option<f32>, CborError> {
        let start = self.position();
        let Some(n) = self.number(path, "a number")? else {
            return Ok(None);
        };
        if n.is_finite() && n.abs() > f64::from(f32::MAX) {
            return Err(CborError::out_of_range(
                start,
                path,
                format!("{n} does not fit in a float (32-bit)"),
            ));
        }
        // Rounds to the nearest f32; NaN and the infinities carry over.
        Ok(Some(n as f32))
    }

    /// Expects tag `number` next and consumes it.
    fn expect_tag(&mut self, path: &str, number: u64, expected: &str) -> Result<(), CborError> {
        let start = self.position();
        let tag = self.decode(Decoder::tag)?;
        if tag.as_u64() == number {
            Ok(())
        } else {
            Err(CborError::unexpected(
                start,
                path,
                expected,
                format!("tag {}", tag.as_u64()),
            ))
        }
    }

    /// Reads a `timestamp`: tag 1 around an integer or a float of epoch seconds (an untagged
    /// number is accepted too); `null` is `None`.
    pub fn read_timestamp(&mut self, path: &str) -> Result<Option<EpochSeconds>, CborError> {
        const EXPECTED: &str = "a timestamp (tag 1 and epoch seconds)";
        match self.peek_type()? {
            CborType::Null | CborType::Undefined => return self.null().map(|_| None),
            CborType::Tag => self.expect_tag(path, 1, EXPECTED)?,
            CborType::UnsignedInteger | CborType::NegativeInteger | CborType::Float => {}
            found => return Err(self.unexpected(path, EXPECTED, found)),
        }
        let start = self.position();
        match self.peek_type()? {
            CborType::UnsignedInteger | CborType::NegativeInteger => {
                let n = self.int_value()?;
                i64::try_from(n)
                    .map(|s| Some(EpochSeconds::Whole(s)))
                    .map_err(|_| {
                        CborError::out_of_range(
                            start,
                            path,
                            format!("the timestamp {n} is out of range"),
                        )
                    })
            }
            CborType::Float => {
                let f = self.float_value()?;
                // Beyond ±9.2e18 seconds the whole seconds no longer fit in i64.
                if f.is_finite() && f.abs() < 9.2e18 {
                    Ok(Some(EpochSeconds::Fractional(f)))
                } else {
                    Err(CborError::out_of_range(
                        start,
                        path,
                        format!("the timestamp {f} is out of range"),
                    ))
                }
            }
            found => Err(self.unexpected(path, "epoch seconds (a number) in tag 1", found)),
        }
    }

    /// Reads the decimal text of an integer or a bignum (tag 2 or 3).
    fn integer_text(&mut self, path: &str, expected: &str) -> Result<String, CborError> {
        let start = self.position();
        match self.peek_type()? {
            CborType::UnsignedInteger | CborType::NegativeInteger => {
                Ok(self.int_value()?.to_string())
            }
            CborType::Tag => {
                let tag = self.decode(Decoder::tag)?.as_u64();
                if tag != 2 && tag != 3 {
                    return Err(CborError::unexpected(
                        start,
                        path,
                        expected,
                        format!("tag {tag}"),
                    ));
                }
                let found = self.peek_type()?;
                if found != CborType::ByteString {
                    return Err(self.unexpected(path, "a byte string in a bignum tag", found));
                }
                let mut magnitude = self.bytes()?.into_owned();
                if magnitude.len() > MAX_BIGNUM_BYTES {
                    return Err(CborError::out_of_range(
                        start,
                        path,
                        format!(
                            "a bignum of {} bytes is longer than the limit of {MAX_BIGNUM_BYTES}",
                            magnitude.len()
                        ),
                    ));
                }
                if tag == 2 {
                    return Ok(bignum::to_decimal(&magnitude));
                }
                // Tag 3 holds n for the value -1 - n.
                bignum::increment(&mut magnitude);
                Ok(format!("-{}", bignum::to_decimal(&magnitude)))
            }
            found => Err(self.unexpected(path, expected, found)),
        }
    }

    /// Reads a `bigInteger` as decimal text: an integer, or a bignum (tag 2 or 3); `null` is
    /// `None`.
    pub fn read_big_integer(&mut self, path: &str) -> Result<Option<String>, CborError> {
        if self.null()? {
            return Ok(None);
        }
        self.integer_text(path, "an integer or a bignum (tag 2 or 3)")
            .map(Some)
    }

    /// Reads a `bigDecimal` as decimal text: a decimal fraction (tag 4: exponent and
    /// mantissa), an integer, a bignum or a float; `null` is `None`. The text is plain decimal
    /// (`273.15`) unless the exponent is positive or very negative (`15e3`, `1e-2000`).
    pub fn read_big_decimal(&mut self, path: &str) -> Result<Option<String>, CborError> {
        const EXPECTED: &str = "a decimal fraction (tag 4), an integer or a float";
        let start = self.position();
        match self.peek_type()? {
            CborType::Null | CborType::Undefined => self.null().map(|_| None),
            CborType::UnsignedInteger | CborType::NegativeInteger => {
                self.integer_text(path, EXPECTED).map(Some)
            }
            CborType::Float => {
                let f = self.float_value()?;
                if f.is_finite() {
                    Ok(Some(f.to_string()))
                } else {
                    Err(CborError::out_of_range(
                        start,
                        path,
                        format!("{f} is not a decimal number"),
                    ))
                }
            }
            CborType::Tag => {
                // Look at the tag number without consuming it.
                let tag = self.decoder.clone().tag().map(|t| t.as_u64());
                if tag.is_ok_and(|tag| tag != 4) {
                    return self.integer_text(path, EXPECTED).map(Some);
                }
                self.expect_tag(path, 4, EXPECTED)?;
                self.decimal_fraction(path).map(Some)
            }
            found => Err(self.unexpected(path, EXPECTED, found)),
        }
    }

    /// The `[exponent, mantissa]` array of a decimal fraction, as decimal text.
    fn decimal_fraction(&mut self, path: &str) -> Result<String, CborError> {
        let start = self.position();
        let shape_error = |found: String| {
            CborError::unexpected(
                start,
                path,
                "an array of exponent and mantissa in tag 4",
                found,
            )
        };
        let found = self.peek_type()?;
        if found != CborType::Array {
            return Err(shape_error(found.to_string()));
        }
        let len = self.decode(Decoder::array)?;
        if let Some(n) = len.filter(|&n| n != 2) {
            return Err(shape_error(format!("an array of {n} items")));
        }
        let exponent_at = self.position();
        let exponent = self
            .integer(path, "an integer exponent")?
            .ok_or_else(|| shape_error("null".to_owned()))?;
        let exponent = i64::try_from(exponent).map_err(|_| {
            CborError::out_of_range(
                exponent_at,
                path,
                format!("the exponent {exponent} is out of range"),
            )
        })?;
        let mantissa = self.integer_text(path, "an integer or bignum mantissa")?;
        if len.is_none() {
            if self.initial_byte()? != BREAK {
                return Err(shape_error("an array of more than 2 items".to_owned()));
            }
            self.advance(1);
        }
        Ok(decimal_text(&mantissa, exponent))
    }

    /// Skips one item of any type, validating it (a map or array with everything in it; the
    /// item a tag applies to).
    pub fn skip_value(&mut self) -> Result<(), CborError> {
        // Items still to skip in each map or array this skip opened (`None`: indefinite).
        let mut open: Vec<Option<u64>> = Vec::new();
        loop {
            let found = self.peek_type()?;
            let complete = match found {
                CborType::Break => match open.last() {
                    Some(None) => {
                        self.advance(1);
                        open.pop();
                        true
                    }
                    _ => return Err(self.unexpected("", "", found)),
                },
                CborType::UnsignedInteger | CborType::NegativeInteger => {
                    self.decode(Decoder::int)?;
                    true
                }
                CborType::TextString => {
                    self.text()?;
                    true
                }
                CborType::ByteString => {
                    self.bytes()?;
                    true
                }
                CborType::Array | CborType::Map => {
                    if self.open.len() + open.len() >= self.max_depth {
                        return Err(self.too_deep());
                    }
                    let len = if found == CborType::Map {
                        // Two items (key and value) per entry.
                        self.decode(Decoder::map)?.map(|n| n.saturating_mul(2))
                    } else {
                        self.decode(Decoder::array)?
                    };
                    if len == Some(0) {
                        true
                    } else {
                        open.push(len);
                        false
                    }
                }
                CborType::Tag => {
                    // The tagged item follows and completes this one.
                    self.decode(Decoder::tag)?;
                    false
                }
                CborType::Float => {
                    self.float_value()?;
                    true
                }
                CborType::Bool | CborType::Null | CborType::Undefined => {
                    self.advance(1);
                    true
                }
                CborType::Simple => {
                    self.simple()?;
                    true
                }
            };
            if !complete {
                continue;
            }
            // A complete item: count it against the containers it is in.
            loop {
                match open.last_mut() {
                    None => return Ok(()),
                    Some(Some(left)) => {
                        *left -= 1;
                        if *left > 0 {
                            break;
                        }
                        // The container is complete too.
                        open.pop();
                    }
                    Some(None) => break,
                }
            }
        }
    }

    /// Consumes a simple value other than the booleans, `null` and `undefined`.
    fn simple(&mut self) -> Result<(), CborError> {
        let start = self.position();
        let value = self.decode(Decoder::simple)?;
        // RFC 8949 3.3: the two-byte form (0xf8) only carries values from 32 on.
        if self.position() - start == 2 && value < 32 {
            return Err(CborError::malformed(
                start,
                format!("simple value {value} in the two-byte form"),
            ));
        }
        Ok(())
    }

    /// Checks that the body's data item was read to its end and nothing follows it.
    pub fn finish(&mut self) -> Result<(), CborError> {
        if !self.open.is_empty() {
            return Err(self.misuse("a map or array was not read to its end"));
        }
        let position = self.position();
        if position < self.input_len() {
            return Err(CborError::malformed(
                position,
                match self.input_len() - position {
                    1 => "1 byte after the end of the body's data item".to_owned(),
                    n => format!("{n} bytes after the end of the body's data item"),
                },
            ));
        }
        Ok(())
    }
}

/// `mantissa` (decimal digits with an optional `-`) times ten to the `exponent`, as decimal
/// text: plain for exponents from -1000 to 0, with an `e` exponent otherwise.
fn decimal_text(mantissa: &str, exponent: i64) -> String {
    if exponent == 0 {
        return mantissa.to_owned();
    }
    if !(-1000..0).contains(&exponent) {
        return format!("{mantissa}e{exponent}");
    }
    let (sign, digits) = match mantissa.strip_prefix('-') {
        Some(digits) => ("-", digits),
        None => ("", mantissa),
    };
    // -1000 <= exponent < 0, so the scale is 1..=1000.
    let scale = exponent.unsigned_abs() as usize;
    if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        format!("{sign}{whole}.{fraction}")
    } else {
        format!("{sign}0.{}{digits}", "0".repeat(scale - digits.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_rejects_reserved_and_misplaced_indefinite_heads() {
        for initial in [0x1c, 0x1d, 0x1e, 0x1f, 0x3f, 0xdf, 0xfc, 0xfd, 0xfe, 0x5c] {
            assert_eq!(classify(initial), None, "{initial:#04x}");
        }
        assert_eq!(classify(0x5f), Some(CborType::ByteString));
        assert_eq!(classify(0xf8), Some(CborType::Simple));
        assert_eq!(classify(0xff), Some(CborType::Break));
    }

    #[test]
    fn decimal_text_places_the_point_or_keeps_an_exponent() {
        assert_eq!(decimal_text("27315", -2), "273.15");
        assert_eq!(decimal_text("-5", -3), "-0.005");
        assert_eq!(decimal_text("15", 3), "15e3");
        assert_eq!(decimal_text("7", 0), "7");
        assert_eq!(decimal_text("1", -2000), "1e-2000");
    }

    #[test]
    fn the_nesting_limit_applies_to_skipping_too() {
        let nested = [0x81; 10];
        let mut body = nested.to_vec();
        body.push(0x00);
        let mut reader = CborReader::new(&body).with_max_depth(5);
        let err = reader.skip_value().expect_err("too deep");
        assert_eq!(err.kind(), CborErrorKind::TooDeep);
        let mut reader = CborReader::new(&body).with_max_depth(10);
        reader.skip_value().expect("ten levels");
        reader.finish().expect("all read");
    }
}

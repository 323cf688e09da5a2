//! [`CborWriter`], [`CborMapWriter`] and [`CborArrayWriter`]: what request serializers write a
//! CBOR body with, straight into a `Vec<u8>`.
//!
//! Output uses preferred serialization (RFC 8949 4.1): the shortest head for every length and
//! integer, and definite lengths for maps and arrays, whose count is written when the writer
//! is finished (a map or array is begun before its size is known, as optional members are
//! written or not).

use super::bignum;
use super::error::{CborError, CborErrorKind};
use super::MAX_BIGNUM_BYTES;

const UNSIGNED: u8 = 0;
const NEGATIVE: u8 = 1;
const BYTES: u8 = 2;
const TEXT: u8 = 3;
const ARRAY: u8 = 4;
const MAP: u8 = 5;
const TAG: u8 = 6;

const FALSE: u8 = 0xf4;
const TRUE: u8 = 0xf5;
const NULL: u8 = 0xf6;
const SINGLE: u8 = 0xfa;
const DOUBLE: u8 = 0xfb;

/// The head of an item of `major` type with argument `n` in its shortest form (at most 9
/// bytes), and its length.
fn head(major: u8, n: u64) -> ([u8; 9], usize) {
    let mut out = [0; 9];
    let major = major << 5;
    let len = if n < 24 {
        out[0] = major | n as u8;
        1
    } else if let Ok(n) = u8::try_from(n) {
        out[0] = major | 24;
        out[1] = n;
        2
    } else if let Ok(n) = u16::try_from(n) {
        out[0] = major | 25;
        out[1..3].copy_from_slice(&n.to_be_bytes());
        3
    } else if let Ok(n) = u32::try_from(n) {
        out[0] = major | 26;
        out[1..5].copy_from_slice(&n.to_be_bytes());
        5
    } else {
        out[0] = major | 27;
        out[1..9].copy_from_slice(&n.to_be_bytes());
        9
    };
    (out, len)
}

fn put_head(out: &mut Vec<u8>, major: u8, n: u64) {
    let (bytes, len) = head(major, n);
    out.extend_from_slice(&bytes[..len]);
}

/// The magnitude (decimal digits) and sign of a big integer's text: optional `+` or `-`, then
/// decimal digits only.
fn parse_integer(text: &str) -> Option<(bool, &str)> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((negative, digits))
}

fn invalid(text: &str, what: &str) -> CborError {
    CborError::new(
        CborErrorKind::InvalidValue,
        None,
        format!("`{text}` is not {what}"),
    )
}

/// Writes exactly one CBOR value.
#[derive(Debug)]
pub struct CborWriter<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> CborWriter<'a> {
    /// A writer for one value appended to `out`.
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        Self { out }
    }

    /// Writes a text string.
    pub fn string(self, s: &str) {
        put_head(self.out, TEXT, s.len() as u64);
        self.out.extend_from_slice(s.as_bytes());
    }

    /// Writes a byte string (a `blob`).
    pub fn blob(self, bytes: &[u8]) {
        put_head(self.out, BYTES, bytes.len() as u64);
        self.out.extend_from_slice(bytes);
    }

    /// Writes `true` or `false`.
    pub fn boolean(self, b: bool) {
        self.out.push(if b { TRUE } else { FALSE });
    }

    /// Writes `null` (a sparse list or map value that is absent).
    pub fn null(self) {
        self.out.push(NULL);
    }

    /// Writes an integer (`byte`, `short`, `integer`, `long`, `intEnum`) in its shortest form.
    pub fn integer(self, n: i64) {
        if n >= 0 {
            put_head(self.out, UNSIGNED, n.unsigned_abs());
        } else {
            // Major type 1 holds -1 - n, which for negative n is !n.
            put_head(self.out, NEGATIVE, !n as u64);
        }
    }

    /// Writes a `float` in single precision.
    pub fn float(self, f: f32) {
        self.out.push(SINGLE);
        self.out.extend_from_slice(&f.to_be_bytes());
    }

    /// Writes a `double` in double precision.
    pub fn double(self, f: f64) {
        self.out.push(DOUBLE);
        self.out.extend_from_slice(&f.to_be_bytes());
    }

    /// Writes a `timestamp`: tag 1 around the seconds since the epoch, in double precision.
    pub fn timestamp(self, epoch_seconds: f64) {
        put_head(self.out, TAG, 1);
        self.double(epoch_seconds);
    }

    /// Writes a `bigInteger` given as decimal text (`-`/`+` and digits): as a plain integer
    /// when it fits in CBOR's 64-bit heads, otherwise as a bignum (tag 2 or 3).
    pub fn big_integer(self, text: &str) -> Result<(), CborError> {
        let (negative, digits) = parse_integer(text).ok_or_else(|| invalid(text, "an integer"))?;
        Self::integer_digits(self.out, negative, digits).map_err(|_| {
            invalid(
                text,
                &format!("an integer of at most {MAX_BIGNUM_BYTES} bytes"),
            )
        })
    }

    /// Writes the integer `digits` (negated when `negative`); `Err` when it is too long.
    fn integer_digits(out: &mut Vec<u8>, negative: bool, digits: &str) -> Result<(), ()> {
        // Each byte holds at least two decimal digits: a cheap bound before converting.
        if digits.len() > MAX_BIGNUM_BYTES * 3 {
            return Err(());
        }
        let mut magnitude = bignum::from_decimal(digits);
        if magnitude.len() > MAX_BIGNUM_BYTES {
            return Err(());
        }
        let (major, tag) = if negative && !magnitude.is_empty() {
            // -m is written as m - 1 (major type 1, or tag 3).
            bignum::decrement(&mut magnitude);
            (NEGATIVE, 3)
        } else {
            (UNSIGNED, 2)
        };
        if magnitude.len() <= 8 {
            let mut word = [0; 8];
            word[8 - magnitude.len()..].copy_from_slice(&magnitude);
            put_head(out, major, u64::from_be_bytes(word));
        } else {
            put_head(out, TAG, tag);
            put_head(out, BYTES, magnitude.len() as u64);
            out.extend_from_slice(&magnitude);
        }
        Ok(())
    }

    /// Writes a `bigDecimal` given as decimal text (`-12.5`, `3e-7`, `1.5E+3`): a decimal
    /// fraction (tag 4 around the exponent and the mantissa, a bignum when it needs more than
    /// 64 bits).
    pub fn big_decimal(self, text: &str) -> Result<(), CborError> {
        let not_decimal = || invalid(text, "a decimal number");
        let (number, exponent) = match text.find(['e', 'E']) {
            Some(at) => {
                let exponent = text[at + 1..].strip_prefix('+').unwrap_or(&text[at + 1..]);
                let exponent: i64 = exponent.parse().map_err(|_| not_decimal())?;
                (&text[..at], exponent)
            }
            None => (text, 0),
        };
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let (negative, whole) = match whole.as_bytes().first() {
            Some(b'-') => (true, &whole[1..]),
            Some(b'+') => (false, &whole[1..]),
            _ => (false, whole),
        };
        let digit_count = whole.len() + fraction.len();
        if digit_count == 0
            || !whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return Err(not_decimal());
        }
        let exponent = i64::try_from(fraction.len())
            .ok()
            .and_then(|scale| exponent.checked_sub(scale))
            .ok_or_else(not_decimal)?;
        let digits = format!("{whole}{fraction}");
        let mut body = Vec::with_capacity(digits.len() / 2 + 12);
        put_head(&mut body, ARRAY, 2);
        CborWriter::new(&mut body).integer(exponent);
        Self::integer_digits(&mut body, negative, &digits).map_err(|_| {
            invalid(
                text,
                &format!("a decimal of at most {MAX_BIGNUM_BYTES} bytes of mantissa"),
            )
        })?;
        put_head(self.out, TAG, 4);
        self.out.extend_from_slice(&body);
        Ok(())
    }

    /// Starts a map (a structure, union or map).
    pub fn start_map(self) -> CborMapWriter<'a> {
        CborMapWriter::new(self.out)
    }

    /// Starts an array (a list).
    pub fn start_array(self) -> CborArrayWriter<'a> {
        CborArrayWriter::new(self.out)
    }
}

/// Rewrites the one-byte placeholder head at `at` for `len` items of `major` type, inserting
/// the longer head's extra bytes when `len` is 24 or more.
fn close(out: &mut Vec<u8>, at: usize, major: u8, len: u64) {
    let (bytes, head_len) = head(major, len);
    if let Some(first) = out.get_mut(at) {
        *first = bytes[0];
    }
    if head_len > 1 {
        out.splice(at + 1..at + 1, bytes[1..head_len].iter().copied());
    }
}

/// Writes the entries of a map: created by [`CborMapWriter::new`] or
/// [`CborWriter::start_map`]; its length is written when it is finished (or dropped).
#[derive(Debug)]
pub struct CborMapWriter<'a> {
    out: &'a mut Vec<u8>,
    head: usize,
    len: u64,
}

impl<'a> CborMapWriter<'a> {
    /// Starts a map appended to `out`.
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        let head = out.len();
        out.push(MAP << 5);
        Self { out, head, len: 0 }
    }

    /// Writes the key of the next entry; write its value with the returned writer.
    pub fn key(&mut self, key: &str) -> CborWriter<'_> {
        self.len += 1;
        CborWriter::new(self.out).string(key);
        CborWriter::new(self.out)
    }

    /// Closes the map (writes its length).
    pub fn finish(self) {}
}

impl Drop for CborMapWriter<'_> {
    fn drop(&mut self) {
        close(self.out, self.head, MAP, self.len);
    }
}

/// Writes the items of an array: created by [`CborArrayWriter::new`] or
/// [`CborWriter::start_array`]; its length is written when it is finished (or dropped).
#[derive(Debug)]
pub struct CborArrayWriter<'a> {
    out: &'a mut Vec<u8>,
    head: usize,
    len: u64,
}

impl<'a> CborArrayWriter<'a> {
    /// Starts an array appended to `out`.
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        let head = out.len();
        out.push(ARRAY << 5);
        Self { out, head, len: 0 }
    }

    /// Starts the next item; write it with the returned writer.
    pub fn value(&mut self) -> CborWriter<'_> {
        self.len += 1;
        CborWriter::new(self.out)
    }

    /// Closes the array (writes its length).
    pub fn finish(self) {}
}

impl Drop for CborArrayWriter<'_> {
    fn drop(&mut self) {
        close(self.out, self.head, ARRAY, self.len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(f: impl FnOnce(CborWriter<'_>)) -> Vec<u8> {
        let mut out = Vec::new();
        f(CborWriter::new(&mut out));
        out
    }

    #[test]
    fn heads_take_the_shortest_form() {
        assert_eq!(write(|w| w.integer(23)), [0x17]);
        assert_eq!(write(|w| w.integer(24)), [0x18, 0x18]);
        assert_eq!(write(|w| w.integer(256)), [0x19, 0x01, 0x00]);
        assert_eq!(write(|w| w.integer(65_536)), [0x1a, 0, 1, 0, 0]);
        assert_eq!(
            write(|w| w.integer(i64::MIN)),
            [0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
    }

    #[test]
    fn a_map_with_more_than_23_entries_gets_a_longer_head_in_place() {
        let out = write(|w| {
            let mut map = w.start_map();
            for i in 0..24 {
                map.key(&format!("{}", (b'a' + i) as char))
                    .integer(i64::from(i));
            }
            map.finish();
        });
        assert_eq!(&out[..4], [0xb8, 24, 0x61, b'a']);
        assert_eq!(out.len(), 2 + 24 * 3);
    }

    #[test]
    fn invalid_big_number_text_is_an_error() {
        for text in ["", "-", "1.5", "12a", " 1"] {
            assert!(
                write(|w| assert!(w.big_integer(text).is_err())).is_empty(),
                "{text}"
            );
        }
        for text in [
            "",
            ".",
            "e5",
            "1e",
            "1.2.3",
            "--1",
            "1e99999999999999999999",
        ] {
            assert!(
                write(|w| assert!(w.big_decimal(text).is_err())).is_empty(),
                "{text}"
            );
        }
    }
}

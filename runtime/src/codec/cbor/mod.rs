//! CBOR (RFC 8949) for the Smithy RPC v2 CBOR protocol: [`CborReader`], a pull reader the
//! generated response deserializers walk a body with, and [`CborWriter`] (with
//! [`CborMapWriter`] and [`CborArrayWriter`]) that request serializers write a body with.
//!
//! How Smithy shapes map to CBOR (the protocol's rules):
//!
//! | shape | written as | also accepted when read |
//! |---|---|---|
//! | structure, map, union | a map with text keys | indefinite length |
//! | list | an array | indefinite length |
//! | string, enum | a text string | indefinite length (chunked) |
//! | blob | a byte string | indefinite length (chunked) |
//! | boolean | `true` / `false` | |
//! | byte, short, integer, long, intEnum | the smallest integer head | any width, range-checked |
//! | float | single precision | half or double precision, an integer |
//! | double | double precision | half or single precision, an integer |
//! | timestamp | tag 1 around a double (epoch seconds) | an integer in the tag; an untagged number |
//! | bigInteger | an integer, or tag 2 / 3 (bignum) beyond 64 bits | |
//! | bigDecimal | tag 4 (decimal fraction) | an integer or a float |
//! | absent (sparse) value | `null` | `undefined` |
//!
//! Decoding the items themselves (heads, integers of every width, definite strings, tags) is
//! minicbor's `Decoder`; this module adds what the protocol needs on top: type checks with the
//! member path in errors, indefinite-length items, half-precision floats, timestamps, big
//! numbers, a nesting limit and a skip that validates what it skips. Writing a CBOR head is a
//! dozen lines fixed by RFC 8949 section 3, so the writer does it itself: minicbor's `Encoder`
//! would wrap every call in a `Result` whose only error, for a `Vec`, cannot happen.

mod bignum;
mod error;
mod half;
mod reader;
mod writer;

pub use error::{CborError, CborErrorKind};
pub use reader::{CborReader, CborType, EpochSeconds};
pub use writer::{CborArrayWriter, CborMapWriter, CborWriter};

/// How deeply maps and arrays may nest in a body read by [`CborReader`] (by default).
pub const MAX_DEPTH: usize = 128;

/// The largest bignum magnitude read or written, in bytes (about 9,860 decimal digits): the
/// decimal conversion takes time quadratic in the length, so longer ones are refused.
pub const MAX_BIGNUM_BYTES: usize = 4096;

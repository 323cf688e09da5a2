//! What can go wrong reading or writing CBOR.

use std::fmt;

/// A CBOR body that cannot be read (or a value that cannot be written): what is wrong, where
/// (the byte offset in the body, and the member path when one is known) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CborError(Box<Inner>);

/// Boxed so that the reader's `Result`s stay two words: they are returned on every read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: CborErrorKind,
    offset: Option<usize>,
    message: String,
}

/// The kind of a [`CborError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CborErrorKind {
    /// The bytes are not well-formed CBOR: truncated, a reserved or invalid head, text that is
    /// not UTF-8, a misplaced break, bytes after the body's data item.
    Malformed,
    /// Well-formed CBOR of another type than the member's.
    UnexpectedType,
    /// A number that does not fit the member's type.
    OutOfRange,
    /// Maps and arrays nested deeper than the reader's limit.
    TooDeep,
    /// A value to write that has no CBOR form (a big number that is not a number).
    InvalidValue,
    /// The reader was driven against its contract (a key asked for outside a map, say): a bug
    /// in the caller.
    Misuse,
}

impl CborError {
    pub(super) fn new(kind: CborErrorKind, offset: Option<usize>, message: String) -> Self {
        Self(Box::new(Inner {
            kind,
            offset,
            message,
        }))
    }

    /// Well-formedness problem at `offset`.
    pub(super) fn malformed(offset: usize, what: impl fmt::Display) -> Self {
        Self::new(
            CborErrorKind::Malformed,
            Some(offset),
            format!("the body is not valid CBOR: {what} (at byte {offset})"),
        )
    }

    /// A member at `path` of another type than expected.
    pub(super) fn unexpected(
        offset: usize,
        path: &str,
        expected: &str,
        found: impl fmt::Display,
    ) -> Self {
        Self::new(
            CborErrorKind::UnexpectedType,
            Some(offset),
            format!("`{path}`: expected {expected}, found {found} (at byte {offset})"),
        )
    }

    /// A number at `path` out of the member's range.
    pub(super) fn out_of_range(offset: usize, path: &str, what: impl fmt::Display) -> Self {
        Self::new(
            CborErrorKind::OutOfRange,
            Some(offset),
            format!("`{path}`: {what} (at byte {offset})"),
        )
    }

    /// The kind of problem.
    pub fn kind(&self) -> CborErrorKind {
        self.0.kind
    }

    /// The byte offset in the body where the problem is (for reading).
    pub fn offset(&self) -> Option<usize> {
        self.0.offset
    }

    /// The description of the problem (the same as `Display`).
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for CborError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for CborError {}

/// A minicbor decoding error as a [`CborError`]. The reader checks each item's type before
/// minicbor decodes it, so what is left is input that ends early, text that is not UTF-8 and
/// lengths beyond the platform's `usize`.
pub(super) fn from_minicbor(err: &minicbor::decode::Error, offset: usize) -> CborError {
    let offset = err.position().unwrap_or(offset);
    if err.is_end_of_input() {
        CborError::malformed(offset, "the input ends inside a data item")
    } else {
        CborError::malformed(offset, err)
    }
}

//! JSON for the restJson1 protocol: writers that serialize straight into a `String` (no
//! intermediate `serde_json::Value`), [`JsonReader`], a pull reader the generated response
//! deserializers walk a body with, and typed readers over a parsed `serde_json::Value` (error
//! bodies) that report the member path of anything unexpected.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::codec::http_binding::{base64_decode, base64_decode_named, base64_encode};
use crate::contract::error::{BuildError, DeserializeError};
use crate::primitives::{non_finite_name, Blob, DateTime, Document, Format, Number};

/// Writes the members of a JSON object; created by [`JsonObjectWriter::new`] or
/// [`JsonValueWriter::start_object`], closed by [`finish`](Self::finish).
#[derive(Debug)]
pub struct JsonObjectWriter<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> JsonObjectWriter<'a> {
    /// Starts an object (writes `{`).
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        Self { out, first: true }
    }

    /// Starts the member `key` (writes the separator and `"key":`); write its value with the
    /// returned writer.
    pub fn key(&mut self, key: &str) -> JsonValueWriter<'_> {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        escape_string_into(self.out, key);
        self.out.push(':');
        JsonValueWriter { out: self.out }
    }

    /// Closes the object (writes `}`).
    pub fn finish(self) {
        self.out.push('}');
    }
}

/// Writes the items of a JSON array; created by [`JsonArrayWriter::new`] or
/// [`JsonValueWriter::start_array`], closed by [`finish`](Self::finish).
#[derive(Debug)]
pub struct JsonArrayWriter<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> JsonArrayWriter<'a> {
    /// Starts an array (writes `[`).
    pub fn new(out: &'a mut String) -> Self {
        out.push('[');
        Self { out, first: true }
    }

    /// Starts the next item (writes the separator); write it with the returned writer.
    pub fn value(&mut self) -> JsonValueWriter<'_> {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        JsonValueWriter { out: self.out }
    }

    /// Closes the array (writes `]`).
    pub fn finish(self) {
        self.out.push(']');
    }
}

/// Writes exactly one JSON value.
#[derive(Debug)]
pub struct JsonValueWriter<'a> {
    out: &'a mut String,
}

impl<'a> JsonValueWriter<'a> {
    /// A writer for one value appended to `out`.
    pub fn new(out: &'a mut String) -> Self {
        Self { out }
    }

    /// Writes a string, escaped.
    pub fn string(self, s: &str) {
        escape_string_into(self.out, s);
    }

    /// Writes `true` or `false`.
    pub fn boolean(self, b: bool) {
        self.out.push_str(if b { "true" } else { "false" });
    }

    /// Writes `null`.
    pub fn null(self) {
        self.out.push_str("null");
    }

    /// Writes an integer.
    pub fn integer(self, n: i64) {
        let _ = write!(self.out, "{n}");
    }

    /// Writes an unsigned integer.
    pub fn unsigned(self, n: u64) {
        let _ = write!(self.out, "{n}");
    }

    /// Writes `text` (a `bigInteger` / `bigDecimal`) as a JSON number literal when it is one,
    /// otherwise as a JSON string.
    pub fn big_number(self, text: &str) {
        if is_json_number(text) {
            self.out.push_str(text);
        } else {
            escape_string_into(self.out, text);
        }
    }

    /// Writes a float in its shortest round-tripping form (`1.0`, `0.1`, `1e300`); NaN and the
    /// infinities, which JSON numbers cannot hold, are written as the strings `"NaN"`,
    /// `"Infinity"` and `"-Infinity"` as Smithy's JSON protocols require.
    pub fn float(self, n: f64) {
        if n.is_finite() {
            // `Debug` is the shortest representation that round-trips and always valid JSON
            // for finite values (`1.0`, `1e-7`, `-0.0`).
            let _ = write!(self.out, "{n:?}");
        } else {
            self.out.push('"');
            self.out.push_str(non_finite_name(n));
            self.out.push('"');
        }
    }

    /// Writes a timestamp: [`Format::EpochSeconds`] as a JSON number, the others as strings.
    pub fn date_time(self, t: &DateTime, format: Format) -> Result<(), BuildError> {
        let text = t
            .fmt(format)
            .map_err(|e| BuildError::other(format!("cannot serialize a timestamp: {e}")))?;
        if format == Format::EpochSeconds {
            self.out.push_str(&text);
        } else {
            escape_string_into(self.out, &text);
        }
        Ok(())
    }

    /// Writes bytes as a base64 (standard alphabet, padded) string.
    pub fn blob(self, bytes: &[u8]) {
        self.out.push('"');
        self.out.push_str(&base64_encode(bytes));
        self.out.push('"');
    }

    /// Writes a document as JSON (non-finite floats become strings, see [`float`](Self::float)).
    pub fn document(self, d: &Document) {
        match d {
            Document::Null => self.null(),
            Document::Bool(b) => self.boolean(*b),
            Document::String(s) => self.string(s),
            Document::Number(Number::PosInt(n)) => self.unsigned(*n),
            Document::Number(Number::NegInt(n)) => self.integer(*n),
            Document::Number(Number::Float(f)) => self.float(*f),
            Document::Array(items) => {
                let mut array = self.start_array();
                for item in items {
                    array.value().document(item);
                }
                array.finish();
            }
            Document::Object(map) => {
                let mut object = self.start_object();
                for (k, v) in map {
                    object.key(k).document(v);
                }
                object.finish();
            }
        }
    }

    /// Starts an object as this value.
    pub fn start_object(self) -> JsonObjectWriter<'a> {
        JsonObjectWriter::new(self.out)
    }

    /// Starts an array as this value.
    pub fn start_array(self) -> JsonArrayWriter<'a> {
        JsonArrayWriter::new(self.out)
    }
}

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Appends `s` as a quoted JSON string: `"` and `\` are escaped, control characters become
/// `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`; everything else is copied as UTF-8.
pub fn escape_string_into(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    if !bytes.iter().any(|&b| needs_escape(b)) {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !needs_escape(b) {
            continue;
        }
        // Escaped bytes are ASCII, so `start..i` is on char boundaries.
        out.push_str(&s[start..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            other => {
                let _ = write!(out, "\\u{:04x}", other);
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Whether `text` is a JSON number literal (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
pub fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let int_start = i;
    let int_len = digits(&mut i);
    if int_len == 0 || (int_len > 1 && b[int_start] == b'0') {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Parses a response body. An empty or whitespace-only body is an empty object; invalid JSON
/// is an error naming the line and column. Nesting deeper than 128 levels is rejected (no
/// stack overflow).
pub fn parse_body(body: &[u8]) -> Result<Value, DeserializeError> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body).map_err(|e| {
        // serde_json's message ends with "at line L column C".
        DeserializeError::new(format!("the body is not valid JSON: {e}"))
    })
}

/// The JSON type name of `v`, for error messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong_type(expected: &str, v: &Value, path: &str) -> DeserializeError {
    DeserializeError::new(format!(
        "`{path}`: expected {expected}, found {}",
        type_name(v)
    ))
}

/// Reads a string; `null` is `None`.
pub fn read_string(v: &Value, path: &str) -> Result<Option<String>, DeserializeError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(wrong_type("a string", other, path)),
    }
}

/// Reads a boolean; `null` is `None`.
pub fn read_bool(v: &Value, path: &str) -> Result<Option<bool>, DeserializeError> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        other => Err(wrong_type("a boolean", other, path)),
    }
}

fn read_integer<T: TryFrom<i64>>(
    v: &Value,
    path: &str,
    type_label: &str,
) -> Result<Option<T>, DeserializeError> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => {
            let out_of_range = || {
                DeserializeError::new(format!(
                    "`{path}`: the number {n} is out of the range of {type_label}"
                ))
            };
            if let Some(i) = n.as_i64() {
                T::try_from(i).map(Some).map_err(|_| out_of_range())
            } else if n.is_u64() {
                Err(out_of_range())
            } else {
                Err(DeserializeError::new(format!(
                    "`{path}`: expected an integer ({type_label}), found the number {n}"
                )))
            }
        }
        other => Err(wrong_type(
            &format!("an integer ({type_label})"),
            other,
            path,
        )),
    }
}

/// Reads a `byte`; `null` is `None`, out of range is an error.
pub fn read_i8(v: &Value, path: &str) -> Result<Option<i8>, DeserializeError> {
    read_integer(v, path, "i8")
}

/// Reads a `short`; `null` is `None`, out of range is an error.
pub fn read_i16(v: &Value, path: &str) -> Result<Option<i16>, DeserializeError> {
    read_integer(v, path, "i16")
}

/// Reads an `integer`; `null` is `None`, out of range is an error.
pub fn read_i32(v: &Value, path: &str) -> Result<Option<i32>, DeserializeError> {
    read_integer(v, path, "i32")
}

/// Reads a `long`; `null` is `None`, out of range is an error.
pub fn read_i64(v: &Value, path: &str) -> Result<Option<i64>, DeserializeError> {
    read_integer(v, path, "i64")
}

/// Reads a `double`: a number, or one of the strings `"NaN"`, `"Infinity"`, `"-Infinity"`;
/// `null` is `None`.
pub fn read_f64(v: &Value, path: &str) -> Result<Option<f64>, DeserializeError> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_f64().map(Some).ok_or_else(|| {
            DeserializeError::new(format!("`{path}`: the number {n} is not a valid double"))
        }),
        Value::String(s) => match s.as_str() {
            "NaN" => Ok(Some(f64::NAN)),
            "Infinity" => Ok(Some(f64::INFINITY)),
            "-Infinity" => Ok(Some(f64::NEG_INFINITY)),
            _ => Err(DeserializeError::new(format!(
                "`{path}`: expected a number, found the string `{s}` (only `NaN`, `Infinity` \
                 and `-Infinity` are allowed as strings)"
            ))),
        },
        other => Err(wrong_type("a number", other, path)),
    }
}

/// Reads a `float` like [`read_f64`] (values beyond the `f32` range become infinite).
pub fn read_f32(v: &Value, path: &str) -> Result<Option<f32>, DeserializeError> {
    Ok(read_f64(v, path)?.map(|f| f as f32))
}

/// Reads a `bigInteger` / `bigDecimal` (a number or a numeric string) as its decimal text;
/// `null` is `None`.
///
/// Numbers beyond `u64`/`i64` reach this function already rounded to `f64` by the JSON parser.
pub fn read_big_number(v: &Value, path: &str) -> Result<Option<String>, DeserializeError> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::String(s) if is_json_number(s) => Ok(Some(s.clone())),
        Value::String(s) => Err(DeserializeError::new(format!(
            "`{path}`: expected a number, found the non-numeric string `{s}`"
        ))),
        other => Err(wrong_type("a number", other, path)),
    }
}

/// Reads a timestamp in `format`: [`Format::EpochSeconds`] from a number (integer or with a
/// fraction), the others from a string; `null` is `None`.
pub fn read_timestamp(
    v: &Value,
    format: Format,
    path: &str,
) -> Result<Option<DateTime>, DeserializeError> {
    match (v, format) {
        (Value::Null, _) => Ok(None),
        (Value::Number(n), Format::EpochSeconds) => {
            if let Some(i) = n.as_i64() {
                Ok(Some(DateTime::from_secs(i)))
            } else {
                match n.as_f64() {
                    Some(f) if f.is_finite() && f.abs() < 9.2e18 => {
                        Ok(Some(DateTime::from_secs_f64(f)))
                    }
                    _ => Err(DeserializeError::new(format!(
                        "`{path}`: the epoch-seconds timestamp {n} is out of range"
                    ))),
                }
            }
        }
        (Value::String(s), _) => DateTime::from_str(s, format)
            .map(Some)
            .map_err(|e| DeserializeError::new(format!("`{path}`: {e}"))),
        (other, Format::EpochSeconds) => Err(wrong_type(
            "a number (epoch-seconds timestamp)",
            other,
            path,
        )),
        (other, _) => Err(wrong_type(
            &format!("a string ({format} timestamp)"),
            other,
            path,
        )),
    }
}

/// Reads a `blob` from a base64 string; `null` is `None`.
pub fn read_blob(v: &Value, path: &str) -> Result<Option<Blob>, DeserializeError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => base64_decode(s, path).map(|b| Some(Blob::new(b))),
        other => Err(wrong_type("a base64 string", other, path)),
    }
}

/// Reads a `document` (any JSON value); `null` is `None`.
pub fn read_document(v: &Value, _path: &str) -> Result<Option<Document>, DeserializeError> {
    match v {
        Value::Null => Ok(None),
        other => Ok(Some(Document::from(other))),
    }
}

/// Reads an object (a structure or map); `null` is `None`.
pub fn read_object<'v>(
    v: &'v Value,
    path: &str,
) -> Result<Option<&'v Map<String, Value>>, DeserializeError> {
    match v {
        Value::Null => Ok(None),
        Value::Object(map) => Ok(Some(map)),
        other => Err(wrong_type("an object", other, path)),
    }
}

/// Reads an array (a list); `null` is `None`.
pub fn read_array<'v>(
    v: &'v Value,
    path: &str,
) -> Result<Option<&'v Vec<Value>>, DeserializeError> {
    match v {
        Value::Null => Ok(None),
        Value::Array(items) => Ok(Some(items)),
        other => Err(wrong_type("an array", other, path)),
    }
}

/// The deepest nesting of arrays and objects a body may have (serde_json's limit: 127 levels).
const MAX_DEPTH: usize = 127;

/// What the reader consumed last inside the current container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    /// `{` or `[`.
    Open,
    /// A complete value (or the `:` / `,` before one that is about to be read).
    Value,
    /// A `,` between array items.
    Comma,
}

/// A pull reader over a JSON response body: the generated deserializers walk the body once,
/// allocating each string directly into the output (no intermediate `serde_json::Value`).
///
/// Every method validates what it consumes; nothing panics on any input and nesting deeper
/// than 127 levels is an error. An empty or whitespace-only body reads as `{}`.
///
/// A value of the wrong type (or out of range, or not parseable) is an error naming its member
/// path from the top-level object, as the body has it (`` `Tags[0].Key`: expected a string,
/// found a number ``); the `path` argument of the typed reads is the label used instead when
/// the value is the whole body (`ListTagsForResourceResponse`).
#[derive(Debug)]
pub struct JsonReader<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    last: Last,
}

/// A JSON number as read: an integer in `i64`, or anything else as serde_json parses it.
enum Num {
    Int(i64),
    Other(serde_json::Number),
}

impl<'a> JsonReader<'a> {
    /// A reader over `body` (an empty or whitespace-only body is `{}`).
    pub fn new(body: &'a [u8]) -> Self {
        let bytes: &'a [u8] = if body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            body
        };
        Self {
            bytes,
            pos: 0,
            depth: 0,
            last: Last::Value,
        }
    }

    fn syntax(&self, what: &str) -> DeserializeError {
        let end = self.pos.min(self.bytes.len());
        let before = self.bytes.get(..end).unwrap_or_default();
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = end
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        DeserializeError::new(format!(
            "the body is not valid JSON: {what} at line {line} column {column}"
        ))
    }

    fn ws(&mut self) {
        while let Some(b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    /// Skips whitespace and returns the next byte (not consumed).
    fn peek(&mut self) -> Result<u8, DeserializeError> {
        self.ws();
        match self.bytes.get(self.pos) {
            Some(&b) => Ok(b),
            None => Err(self.syntax("EOF while parsing a value")),
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), DeserializeError> {
        if self.peek()? == byte {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.syntax(what))
        }
    }

    fn literal(&mut self, text: &[u8]) -> Result<(), DeserializeError> {
        let end = self.pos + text.len();
        if self.bytes.get(self.pos..end) == Some(text) {
            self.pos = end;
            self.last = Last::Value;
            Ok(())
        } else {
            Err(self.syntax("expected ident"))
        }
    }

    /// Consumes `null` if it comes next.
    fn null(&mut self) -> Result<bool, DeserializeError> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Whether the next value is `null` (nothing is consumed).
    pub fn is_null(&mut self) -> Result<bool, DeserializeError> {
        Ok(self.peek()? == b'n')
    }

    /// Where the value starting at byte `at` is, for an error message: its member path from
    /// the top-level object (`Tags[0].Key`), or `label` when the value is the whole body.
    fn path(&self, at: usize, label: &str) -> String {
        let path = super::json_path::path_at(self.bytes, at);
        if path.is_empty() {
            label.to_owned()
        } else {
            path
        }
    }

    /// A `` `path`: message `` error about the value starting at byte `at`.
    fn invalid(&self, at: usize, label: &str, message: impl std::fmt::Display) -> DeserializeError {
        DeserializeError::new(format!("`{}`: {message}", self.path(at, label)))
    }

    fn wrong_type(&mut self, expected: &str, path: &str) -> DeserializeError {
        let found = match self.peek() {
            Ok(b'{') => "an object",
            Ok(b'[') => "an array",
            Ok(b'"') => "a string",
            Ok(b't' | b'f') => "a boolean",
            Ok(b'n') => "null",
            Ok(b'-' | b'0'..=b'9') => "a number",
            Ok(_) => return self.syntax("expected value"),
            Err(e) => return e,
        };
        self.invalid(
            self.pos,
            path,
            format_args!("expected {expected}, found {found}"),
        )
    }

    fn open(&mut self, byte: u8) -> Result<(), DeserializeError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.syntax("recursion limit exceeded"));
        }
        self.expect(byte, "expected a container")?;
        self.depth += 1;
        self.last = Last::Open;
        Ok(())
    }

    /// Starts an object (a structure, union or map); `false` (and nothing to read) for `null`.
    pub fn begin_object(&mut self, path: &str) -> Result<bool, DeserializeError> {
        match self.peek()? {
            b'{' => self.open(b'{').map(|()| true),
            b'n' => self.literal(b"null").map(|()| false),
            _ => Err(self.wrong_type("an object", path)),
        }
    }

    /// The next key of the current object (its value must be read or skipped next), or `None`
    /// at its end (`}` consumed).
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>, DeserializeError> {
        match (self.peek()?, self.last) {
            (b'}', Last::Open | Last::Value) => {
                self.pos += 1;
                self.depth = self.depth.saturating_sub(1);
                self.last = Last::Value;
                return Ok(None);
            }
            (b',', Last::Value) => {
                self.pos += 1;
                if self.peek()? != b'"' {
                    return Err(self.syntax("key must be a string"));
                }
            }
            (b'"', Last::Open) => {}
            _ => return Err(self.syntax("expected `,` or `}` or a key")),
        }
        let key = self.string()?;
        self.expect(b':', "expected `:`")?;
        self.last = Last::Value;
        Ok(Some(key))
    }

    /// Starts an array (a list); `false` (and nothing to read) for `null`.
    pub fn begin_array(&mut self, path: &str) -> Result<bool, DeserializeError> {
        match self.peek()? {
            b'[' => self.open(b'[').map(|()| true),
            b'n' => self.literal(b"null").map(|()| false),
            _ => Err(self.wrong_type("an array", path)),
        }
    }

    /// Whether the current array has another item (read or skip it next); `false` at its end
    /// (`]` consumed).
    pub fn next_item(&mut self) -> Result<bool, DeserializeError> {
        match (self.peek()?, self.last) {
            (b']', Last::Open | Last::Value) => {
                self.pos += 1;
                self.depth = self.depth.saturating_sub(1);
                self.last = Last::Value;
                Ok(false)
            }
            (b',', Last::Value) => {
                self.pos += 1;
                self.last = Last::Comma;
                Ok(true)
            }
            (_, Last::Open) => Ok(true),
            _ => Err(self.syntax("expected `,` or `]`")),
        }
    }

    /// Reads a string literal (the next byte is `"`).
    fn string(&mut self) -> Result<Cow<'a, str>, DeserializeError> {
        let bytes = self.bytes;
        self.pos += 1;
        let start = self.pos;
        // Fast path: no escapes.
        loop {
            match bytes.get(self.pos) {
                None => return Err(self.syntax("EOF while parsing a string")),
                Some(b'"') => {
                    let raw = bytes.get(start..self.pos).unwrap_or_default();
                    self.pos += 1;
                    self.last = Last::Value;
                    return match std::str::from_utf8(raw) {
                        Ok(s) => Ok(Cow::Borrowed(s)),
                        Err(_) => Err(self.syntax("invalid unicode code point")),
                    };
                }
                Some(b'\\') => break,
                Some(&b) if b < 0x20 => {
                    return Err(self.syntax(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ))
                }
                Some(_) => self.pos += 1,
            }
        }
        let mut out: Vec<u8> = bytes.get(start..self.pos).unwrap_or_default().to_vec();
        loop {
            match bytes.get(self.pos) {
                None => return Err(self.syntax("EOF while parsing a string")),
                Some(b'"') => {
                    self.pos += 1;
                    self.last = Last::Value;
                    return match String::from_utf8(out) {
                        Ok(s) => Ok(Cow::Owned(s)),
                        Err(_) => Err(self.syntax("invalid unicode code point")),
                    };
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let Some(&esc) = bytes.get(self.pos) else {
                        return Err(self.syntax("EOF while parsing a string"));
                    };
                    self.pos += 1;
                    match esc {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(0x08),
                        b'f' => out.push(0x0c),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let c = self.unicode_escape()?;
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return Err(self.syntax("invalid escape")),
                    }
                }
                Some(&b) if b < 0x20 => {
                    return Err(self.syntax(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ))
                }
                Some(&b) => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, DeserializeError> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let value = digits
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.syntax("invalid escape")),
        }
    }

    /// The character of a `\uXXXX` escape (after `\u`), joining a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, DeserializeError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.syntax("lone leading surrogate in hex escape"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.syntax("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.syntax("lone trailing surrogate in hex escape")),
            other => other,
        };
        char::from_u32(code).ok_or_else(|| self.syntax("invalid unicode code point"))
    }

    /// Reads a number literal (the next byte is `-` or a digit).
    fn number(&mut self) -> Result<Num, DeserializeError> {
        let start = self.pos;
        let (text, simple, int_len) = self.number_text()?;
        if simple && int_len <= 18 && !text.starts_with("-0") {
            if let Ok(i) = text.parse::<i64>() {
                return Ok(Num::Int(i));
            }
        }
        match text.parse::<serde_json::Number>() {
            Ok(n) => Ok(match n.as_i64() {
                Some(i) => Num::Int(i),
                None => Num::Other(n),
            }),
            Err(_) => {
                self.pos = start;
                Err(self.syntax("number out of range"))
            }
        }
    }

    /// Reads a number literal (the next byte is `-` or a digit) as its text, whether it is an
    /// integer (no fraction or exponent) and the length of its integer part.
    fn number_text(&mut self) -> Result<(&'a str, bool, usize), DeserializeError> {
        let bytes = self.bytes;
        let start = self.pos;
        let digits = |pos: &mut usize| {
            let from = *pos;
            while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
                *pos += 1;
            }
            *pos - from
        };
        let mut pos = self.pos;
        if bytes.get(pos) == Some(&b'-') {
            pos += 1;
        }
        let int_start = pos;
        let int_len = digits(&mut pos);
        if int_len == 0 {
            self.pos = pos;
            return Err(self.syntax("invalid number"));
        }
        if int_len > 1 && bytes.get(int_start) == Some(&b'0') {
            self.pos = int_start + 1;
            return Err(self.syntax("invalid number"));
        }
        let mut simple = true;
        if bytes.get(pos) == Some(&b'.') {
            pos += 1;
            simple = false;
            if digits(&mut pos) == 0 {
                self.pos = pos;
                return Err(self.syntax("invalid number"));
            }
        }
        if matches!(bytes.get(pos), Some(b'e' | b'E')) {
            pos += 1;
            simple = false;
            if matches!(bytes.get(pos), Some(b'+' | b'-')) {
                pos += 1;
            }
            if digits(&mut pos) == 0 {
                self.pos = pos;
                return Err(self.syntax("invalid number"));
            }
        }
        self.pos = pos;
        self.last = Last::Value;
        let text = bytes
            .get(start..pos)
            .and_then(|t| std::str::from_utf8(t).ok())
            .unwrap_or_default();
        Ok((text, simple, int_len))
    }

    /// Reads a string; `null` is `None`.
    pub fn read_string(&mut self, path: &str) -> Result<Option<String>, DeserializeError> {
        match self.peek()? {
            b'"' => Ok(Some(self.string()?.into_owned())),
            b'n' => self.literal(b"null").map(|()| None),
            _ => Err(self.wrong_type("a string", path)),
        }
    }

    /// Reads a boolean; `null` is `None`.
    pub fn read_bool(&mut self, path: &str) -> Result<Option<bool>, DeserializeError> {
        match self.peek()? {
            b't' => self.literal(b"true").map(|()| Some(true)),
            b'f' => self.literal(b"false").map(|()| Some(false)),
            b'n' => self.literal(b"null").map(|()| None),
            _ => Err(self.wrong_type("a boolean", path)),
        }
    }

    fn read_integer<T: TryFrom<i64>>(
        &mut self,
        path: &str,
        type_label: &str,
    ) -> Result<Option<T>, DeserializeError> {
        match self.peek()? {
            b'-' | b'0'..=b'9' => {}
            b'n' => return self.literal(b"null").map(|()| None),
            _ => return Err(self.wrong_type(&format!("an integer ({type_label})"), path)),
        }
        let start = self.pos;
        let out_of_range = |reader: &Self, n: &dyn std::fmt::Display| {
            reader.invalid(
                start,
                path,
                format_args!("the number {n} is out of the range of {type_label}"),
            )
        };
        match self.number()? {
            Num::Int(i) => T::try_from(i).map(Some).map_err(|_| out_of_range(self, &i)),
            Num::Other(n) if n.is_u64() => Err(out_of_range(self, &n)),
            Num::Other(n) => Err(self.invalid(
                start,
                path,
                format_args!("expected an integer ({type_label}), found the number {n}"),
            )),
        }
    }

    /// Reads a `byte`; `null` is `None`, out of range is an error.
    pub fn read_i8(&mut self, path: &str) -> Result<Option<i8>, DeserializeError> {
        self.read_integer(path, "i8")
    }

    /// Reads a `short`; `null` is `None`, out of range is an error.
    pub fn read_i16(&mut self, path: &str) -> Result<Option<i16>, DeserializeError> {
        self.read_integer(path, "i16")
    }

    /// Reads an `integer`; `null` is `None`, out of range is an error.
    pub fn read_i32(&mut self, path: &str) -> Result<Option<i32>, DeserializeError> {
        self.read_integer(path, "i32")
    }

    /// Reads a `long`; `null` is `None`, out of range is an error.
    pub fn read_i64(&mut self, path: &str) -> Result<Option<i64>, DeserializeError> {
        self.read_integer(path, "i64")
    }

    /// Reads a `double`: a number, or one of the strings `"NaN"`, `"Infinity"`, `"-Infinity"`;
    /// `null` is `None`.
    pub fn read_f64(&mut self, path: &str) -> Result<Option<f64>, DeserializeError> {
        match self.peek()? {
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                let (text, _, _) = self.number_text()?;
                // The standard library's parse rounds correctly (to the nearest double).
                match text.parse::<f64>() {
                    Ok(f) if f.is_finite() => Ok(Some(f)),
                    _ => {
                        self.pos = start;
                        Err(self.syntax("number out of range"))
                    }
                }
            }
            b'"' => {
                let start = self.pos;
                let s = self.string()?;
                match s.as_ref() {
                    "NaN" => Ok(Some(f64::NAN)),
                    "Infinity" => Ok(Some(f64::INFINITY)),
                    "-Infinity" => Ok(Some(f64::NEG_INFINITY)),
                    _ => Err(self.invalid(
                        start,
                        path,
                        format_args!(
                            "expected a number, found the string `{s}` (only `NaN`, \
                             `Infinity` and `-Infinity` are allowed as strings)"
                        ),
                    )),
                }
            }
            b'n' => self.literal(b"null").map(|()| None),
            _ => Err(self.wrong_type("a number", path)),
        }
    }

    /// Reads a `float` like [`read_f64`](Self::read_f64).
    pub fn read_f32(&mut self, path: &str) -> Result<Option<f32>, DeserializeError> {
        Ok(self.read_f64(path)?.map(|f| f as f32))
    }

    /// Reads a `bigInteger` / `bigDecimal` (a number or a numeric string) as its decimal text;
    /// `null` is `None`.
    pub fn read_big_number(&mut self, path: &str) -> Result<Option<String>, DeserializeError> {
        match self.peek()? {
            b'-' | b'0'..=b'9' => match self.number()? {
                Num::Int(i) => Ok(Some(i.to_string())),
                Num::Other(n) => Ok(Some(n.to_string())),
            },
            b'"' => {
                let start = self.pos;
                let s = self.string()?;
                if is_json_number(&s) {
                    Ok(Some(s.into_owned()))
                } else {
                    Err(self.invalid(
                        start,
                        path,
                        format_args!("expected a number, found the non-numeric string `{s}`"),
                    ))
                }
            }
            b'n' => self.literal(b"null").map(|()| None),
            _ => Err(self.wrong_type("a number", path)),
        }
    }

    /// Reads a timestamp in `format`: [`Format::EpochSeconds`] from a number (or a string),
    /// the others from a string; `null` is `None`.
    pub fn read_timestamp(
        &mut self,
        format: Format,
        path: &str,
    ) -> Result<Option<DateTime>, DeserializeError> {
        let next = self.peek()?;
        let start = self.pos;
        match next {
            b'n' => self.literal(b"null").map(|()| None),
            b'"' => {
                let s = self.string()?;
                DateTime::from_str(&s, format)
                    .map(Some)
                    .map_err(|e| self.invalid(start, path, e))
            }
            b'-' | b'0'..=b'9' if format == Format::EpochSeconds => match self.number()? {
                Num::Int(i) => Ok(Some(DateTime::from_secs(i))),
                Num::Other(n) => match n.as_f64() {
                    Some(f) if f.is_finite() && f.abs() < 9.2e18 => {
                        Ok(Some(DateTime::from_secs_f64(f)))
                    }
                    _ => Err(self.invalid(
                        start,
                        path,
                        format_args!("the epoch-seconds timestamp {n} is out of range"),
                    )),
                },
            },
            _ if format == Format::EpochSeconds => {
                Err(self.wrong_type("a number (epoch-seconds timestamp)", path))
            }
            _ => Err(self.wrong_type(&format!("a string ({format} timestamp)"), path)),
        }
    }

    /// Reads a `blob` from a base64 string; `null` is `None`.
    pub fn read_blob(&mut self, path: &str) -> Result<Option<Blob>, DeserializeError> {
        match self.peek()? {
            b'"' => {
                let start = self.pos;
                let s = self.string()?;
                // The member path is built only for the error: it re-scans the body read so far.
                base64_decode_named(&s, || self.path(start, path)).map(|b| Some(Blob::new(b)))
            }
            b'n' => self.literal(b"null").map(|()| None),
            _ => Err(self.wrong_type("a base64 string", path)),
        }
    }

    /// Reads a `document` (any JSON value); `null` is `None`.
    pub fn read_document(&mut self, _path: &str) -> Result<Option<Document>, DeserializeError> {
        if self.null()? {
            return Ok(None);
        }
        let start = self.pos;
        self.skip_value()?;
        let raw = self.bytes.get(start..self.pos).unwrap_or_default();
        let value: Value = serde_json::from_slice(raw)
            .map_err(|e| DeserializeError::new(format!("the body is not valid JSON: {e}")))?;
        Ok(Some(Document::from(value)))
    }

    /// Skips one value of any type (validating it).
    pub fn skip_value(&mut self) -> Result<(), DeserializeError> {
        // Bit `i` of `objects`: whether the container `i` levels below this value is an object.
        let mut objects: u128 = 0;
        let mut open: u32 = 0;
        loop {
            // A value.
            match self.peek()? {
                b @ (b'{' | b'[') => {
                    self.open(b)?;
                    let is_object = b == b'{';
                    if is_object {
                        objects |= 1u128 << open;
                    } else {
                        objects &= !(1u128 << open);
                    }
                    open += 1;
                    let close = if is_object { b'}' } else { b']' };
                    if self.peek()? == close {
                        self.pos += 1;
                        self.depth = self.depth.saturating_sub(1);
                        open -= 1;
                    } else {
                        if is_object {
                            self.object_key()?;
                        }
                        continue;
                    }
                }
                b'"' => {
                    self.string()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => {
                    self.number()?;
                }
                _ => return Err(self.syntax("expected value")),
            }
            // After a value: close containers until the next value starts.
            loop {
                if open == 0 {
                    self.last = Last::Value;
                    return Ok(());
                }
                let is_object = objects & (1u128 << (open - 1)) != 0;
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        if is_object {
                            self.object_key()?;
                        }
                        break;
                    }
                    b'}' if is_object => {}
                    b']' if !is_object => {}
                    _ => return Err(self.syntax("expected `,` or the end of the container")),
                }
                self.pos += 1;
                self.depth = self.depth.saturating_sub(1);
                open -= 1;
            }
        }
    }

    /// Reads `"key":` inside an object being skipped.
    fn object_key(&mut self) -> Result<(), DeserializeError> {
        if self.peek()? != b'"' {
            return Err(self.syntax("key must be a string"));
        }
        self.string()?;
        self.expect(b':', "expected `:`")
    }

    /// Checks that only whitespace follows the value read.
    pub fn finish(&mut self) -> Result<(), DeserializeError> {
        self.ws();
        if self.pos < self.bytes.len() {
            Err(self.syntax("trailing characters"))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn write(f: impl FnOnce(JsonValueWriter<'_>)) -> String {
        let mut out = String::new();
        f(JsonValueWriter::new(&mut out));
        out
    }

    /// Parses `text` with serde_json (an independent parser) and checks it is valid JSON.
    fn reparse(text: &str) -> Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("invalid JSON {text:?}: {e}"))
    }

    #[test]
    fn nested_objects_and_arrays() {
        let mut out = String::new();
        let mut obj = JsonObjectWriter::new(&mut out);
        obj.key("a").string("x");
        obj.key("b").integer(-3);
        {
            let mut arr = obj.key("c").start_array();
            arr.value().boolean(true);
            arr.value().null();
            let mut inner = arr.value().start_object();
            inner.key("d").float(0.5);
            inner.finish();
            arr.finish();
        }
        obj.key("e").start_object().finish();
        obj.key("f").start_array().finish();
        obj.finish();
        assert_eq!(
            out,
            r#"{"a":"x","b":-3,"c":[true,null,{"d":0.5}],"e":{},"f":[]}"#
        );
        assert_eq!(
            reparse(&out),
            json!({"a":"x","b":-3,"c":[true,null,{"d":0.5}],"e":{},"f":[]})
        );
    }

    #[test]
    fn escapes_every_control_character() {
        for c in (0u8..0x20).map(char::from).chain(['"', '\\', '\u{7f}']) {
            let s = format!("a{c}b");
            let text = write(|w| w.string(&s));
            assert_eq!(reparse(&text), Value::String(s.clone()), "{text}");
            assert!(
                !text[1..text.len() - 1].bytes().any(|b| b < 0x20),
                "raw control byte in {text:?}"
            );
        }
        assert_eq!(write(|w| w.string("\n\r\t\u{8}\u{c}")), r#""\n\r\t\b\f""#);
        assert_eq!(write(|w| w.string("\u{1}\u{1f}")), r#""\u0001\u001f""#);
        assert_eq!(write(|w| w.string(r#"q"b\"#)), r#""q\"b\\""#);
    }

    #[test]
    fn non_ascii_is_written_raw() {
        let s = "héllo 😀 \u{2028} 中文";
        let text = write(|w| w.string(s));
        assert_eq!(text, format!("\"{s}\""));
        assert_eq!(reparse(&text), Value::String(s.into()));
        let mixed = "😀\n\"😀";
        assert_eq!(
            reparse(&write(|w| w.string(mixed))),
            Value::String(mixed.into())
        );
        // Keys are escaped too.
        let mut out = String::new();
        let mut obj = JsonObjectWriter::new(&mut out);
        obj.key("k\"😀\n").integer(1);
        obj.finish();
        assert_eq!(reparse(&out), json!({"k\"😀\n": 1}));
    }

    #[test]
    fn floats() {
        assert_eq!(write(|w| w.float(f64::NAN)), r#""NaN""#);
        assert_eq!(write(|w| w.float(f64::INFINITY)), r#""Infinity""#);
        assert_eq!(write(|w| w.float(f64::NEG_INFINITY)), r#""-Infinity""#);
        for f in [
            0.0,
            -0.0,
            1.0,
            0.1,
            1e300,
            -2.5e-10,
            f64::MAX,
            f64::MIN_POSITIVE,
            123456.789,
        ] {
            let text = write(|w| w.float(f));
            assert_eq!(reparse(&text).as_f64(), Some(f), "{text}");
        }
        assert_eq!(write(|w| w.float(0.1)), "0.1");
    }

    #[test]
    fn integers_and_big_numbers() {
        assert_eq!(write(|w| w.integer(i64::MIN)), "-9223372036854775808");
        assert_eq!(write(|w| w.unsigned(u64::MAX)), "18446744073709551615");
        assert_eq!(
            write(|w| w.big_number("123456789012345678901234567890")),
            "123456789012345678901234567890"
        );
        assert_eq!(write(|w| w.big_number("-1.5e+10")), "-1.5e+10");
        assert_eq!(write(|w| w.big_number("01")), r#""01""#);
        assert_eq!(write(|w| w.big_number("1.")), r#""1.""#);
        assert_eq!(write(|w| w.big_number("abc")), r#""abc""#);
        assert_eq!(write(|w| w.big_number("")), r#""""#);
        assert!(is_json_number("0"));
        assert!(is_json_number("-0.0E5"));
        assert!(!is_json_number("+1"));
        assert!(!is_json_number("1e"));
        assert!(!is_json_number("-"));
    }

    #[test]
    fn timestamps_blobs_documents() {
        let t = DateTime::from_secs_and_nanos(1576540098, 123_000_000);
        let mut out = String::new();
        JsonValueWriter::new(&mut out)
            .date_time(&t, Format::EpochSeconds)
            .unwrap();
        assert_eq!(out, "1576540098.123");
        let mut out = String::new();
        JsonValueWriter::new(&mut out)
            .date_time(&t, Format::DateTime)
            .unwrap();
        assert_eq!(out, r#""2019-12-16T23:48:18.123Z""#);
        let mut out = String::new();
        let err = JsonValueWriter::new(&mut out)
            .date_time(&DateTime::from_secs(i64::MAX), Format::HttpDate)
            .unwrap_err();
        assert!(err.to_string().contains("timestamp"), "{err}");

        // RFC 4648 test vector.
        assert_eq!(write(|w| w.blob(b"foobar")), r#""Zm9vYmFy""#);
        assert_eq!(write(|w| w.blob(b"fo")), r#""Zm8=""#);

        let value = json!({"a": [1, -2, 2.5, "s", null, true, {"b": {}}]});
        let doc = Document::from(value.clone());
        assert_eq!(reparse(&write(|w| w.document(&doc))), value);
        let nan = Document::Array(vec![Document::from(f64::NAN)]);
        assert_eq!(write(|w| w.document(&nan)), r#"["NaN"]"#);
    }

    #[test]
    fn parse_body_cases() {
        assert_eq!(parse_body(b"").unwrap(), json!({}));
        assert_eq!(parse_body(b" \n\t ").unwrap(), json!({}));
        assert_eq!(parse_body(br#"{"a":1}"#).unwrap(), json!({"a": 1}));
        let err = parse_body(b"{\n  \"a\": 1 x}").unwrap_err();
        assert!(err.message().contains("line 2"), "{err}");
        assert!(err.message().contains("column"), "{err}");
        assert!(parse_body(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_body(deep.as_bytes()).unwrap_err();
        assert!(err.message().contains("recursion limit"), "{err}");
        let deep_obj = "{\"a\":".repeat(10_000);
        assert!(parse_body(deep_obj.as_bytes()).is_err());
    }

    #[test]
    fn readers_accept_their_types_and_null() {
        let p = "Out.x";
        assert_eq!(read_string(&json!("s"), p).unwrap(), Some("s".into()));
        assert_eq!(read_string(&Value::Null, p).unwrap(), None);
        assert_eq!(read_bool(&json!(false), p).unwrap(), Some(false));
        assert_eq!(read_i8(&json!(-128), p).unwrap(), Some(-128));
        assert_eq!(read_i16(&json!(32767), p).unwrap(), Some(32767));
        assert_eq!(read_i32(&json!(-5), p).unwrap(), Some(-5));
        assert_eq!(read_i64(&json!(i64::MAX), p).unwrap(), Some(i64::MAX));
        assert_eq!(read_i64(&Value::Null, p).unwrap(), None);
        assert_eq!(read_f64(&json!(1.5), p).unwrap(), Some(1.5));
        assert_eq!(read_f64(&json!(2), p).unwrap(), Some(2.0));
        assert!(read_f64(&json!("NaN"), p).unwrap().unwrap().is_nan());
        assert_eq!(
            read_f64(&json!("Infinity"), p).unwrap(),
            Some(f64::INFINITY)
        );
        assert_eq!(
            read_f32(&json!("-Infinity"), p).unwrap(),
            Some(f32::NEG_INFINITY)
        );
        assert_eq!(read_f32(&json!(0.25), p).unwrap(), Some(0.25));
        assert_eq!(read_big_number(&json!(12), p).unwrap(), Some("12".into()));
        assert_eq!(
            read_big_number(&json!("123456789012345678901234567890.5"), p).unwrap(),
            Some("123456789012345678901234567890.5".into())
        );
        assert_eq!(
            read_timestamp(&json!(1576540098), Format::EpochSeconds, p).unwrap(),
            Some(DateTime::from_secs(1576540098))
        );
        assert_eq!(
            read_timestamp(&json!(1515531081.123), Format::EpochSeconds, p).unwrap(),
            Some(DateTime::from_secs_and_nanos(1515531081, 123_000_000))
        );
        assert_eq!(
            read_timestamp(&json!("2019-12-16T23:48:18Z"), Format::DateTime, p).unwrap(),
            Some(DateTime::from_secs(1576540098))
        );
        assert_eq!(
            read_timestamp(&json!("Mon, 16 Dec 2019 23:48:18 GMT"), Format::HttpDate, p).unwrap(),
            Some(DateTime::from_secs(1576540098))
        );
        assert_eq!(
            read_blob(&json!("Zm9vYmFy"), p).unwrap(),
            Some(Blob::new("foobar"))
        );
        assert_eq!(read_blob(&json!("Zm8"), p).unwrap(), Some(Blob::new("fo")));
        assert_eq!(read_document(&Value::Null, p).unwrap(), None);
        assert_eq!(
            read_document(&json!([1]), p).unwrap(),
            Some(Document::Array(vec![Document::from(1i64)]))
        );
        let obj = json!({"k": 1});
        assert_eq!(read_object(&obj, p).unwrap().unwrap()["k"], json!(1));
        assert_eq!(read_object(&Value::Null, p).unwrap(), None);
        let arr = json!([1, 2]);
        assert_eq!(read_array(&arr, p).unwrap().unwrap().len(), 2);
        assert_eq!(read_array(&Value::Null, p).unwrap(), None);
    }

    #[test]
    fn readers_on_wrong_types_name_the_path() {
        let p = "ListAppInstancesOutput.AppInstances[3].Name";
        let errors = [
            read_string(&json!(1), p).unwrap_err(),
            read_bool(&json!("true"), p).unwrap_err(),
            read_i8(&json!(128), p).unwrap_err(),
            read_i16(&json!(-32769), p).unwrap_err(),
            read_i32(&json!(2147483648i64), p).unwrap_err(),
            read_i64(&json!(u64::MAX), p).unwrap_err(),
            read_i32(&json!(1.5), p).unwrap_err(),
            read_i32(&json!("1"), p).unwrap_err(),
            read_f64(&json!("1.5"), p).unwrap_err(),
            read_f64(&json!(true), p).unwrap_err(),
            read_big_number(&json!("abc"), p).unwrap_err(),
            read_big_number(&json!([]), p).unwrap_err(),
            read_timestamp(&json!("x"), Format::DateTime, p).unwrap_err(),
            read_timestamp(&json!(1), Format::DateTime, p).unwrap_err(),
            read_timestamp(&json!(true), Format::EpochSeconds, p).unwrap_err(),
            read_timestamp(&json!(1e300), Format::EpochSeconds, p).unwrap_err(),
            read_blob(&json!("not base64!"), p).unwrap_err(),
            read_blob(&json!(5), p).unwrap_err(),
            read_object(&json!([]), p).unwrap_err(),
            read_array(&json!({}), p).unwrap_err(),
        ];
        for err in errors {
            assert!(err.message().contains(p), "{err}");
        }
        let err = read_string(&json!({}), p).unwrap_err();
        assert!(
            err.message().contains("expected a string, found an object"),
            "{err}"
        );
        let err = read_i8(&json!(300), p).unwrap_err();
        assert!(err.message().contains("out of the range of i8"), "{err}");
    }

    /// Reads any value with the reader's public API (plus `peek`), as an oracle comparison.
    fn reader_value(r: &mut JsonReader<'_>) -> Result<Value, DeserializeError> {
        Ok(match r.peek()? {
            b'{' => {
                assert!(r.begin_object("p")?);
                let mut map = Map::new();
                while let Some(key) = r.next_key()? {
                    let v = reader_value(r)?;
                    map.insert(key.into_owned(), v);
                }
                Value::Object(map)
            }
            b'[' => {
                assert!(r.begin_array("p")?);
                let mut items = Vec::new();
                while r.next_item()? {
                    items.push(reader_value(r)?);
                }
                Value::Array(items)
            }
            b'"' => Value::String(r.read_string("p")?.unwrap_or_default()),
            b't' | b'f' => Value::Bool(r.read_bool("p")?.unwrap_or_default()),
            b'n' => {
                r.skip_value()?;
                Value::Null
            }
            _ => match r.number()? {
                Num::Int(i) => Value::from(i),
                Num::Other(n) => Value::Number(n),
            },
        })
    }

    fn read_all(text: &[u8]) -> Result<Value, DeserializeError> {
        let mut r = JsonReader::new(text);
        let v = reader_value(&mut r)?;
        r.finish()?;
        Ok(v)
    }

    fn skip_all(text: &[u8]) -> Result<(), DeserializeError> {
        let mut r = JsonReader::new(text);
        r.skip_value()?;
        r.finish()
    }

    fn check_against_serde_json(text: &[u8]) {
        let expected = parse_body(text).ok();
        let got = read_all(text).ok();
        assert_eq!(got, expected, "{:?}", String::from_utf8_lossy(text));
        assert_eq!(
            skip_all(text).is_ok(),
            expected.is_some(),
            "skip {:?}",
            String::from_utf8_lossy(text)
        );
        let mut r = JsonReader::new(text);
        let doc = r.read_document("p").and_then(|d| r.finish().map(|()| d));
        match expected {
            Some(Value::Null) => assert_eq!(doc, Ok(None)),
            Some(v) => assert_eq!(doc, Ok(Some(Document::from(v)))),
            None => assert!(doc.is_err()),
        }
    }

    const SAMPLES: &[&str] = &[
        "",
        " ",
        "{}",
        "[]",
        "null",
        "true",
        "false",
        "0",
        "-0",
        "1",
        "-1",
        "01",
        "1.",
        ".5",
        "1e5",
        "1E+5",
        "1e-5",
        "-1.5e300",
        "1e400",
        "-",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "123456789012345678901234567890",
        "0.1",
        "2.5e-10",
        r#""""#,
        r#""abc""#,
        r#""a\"b\\c\/d\b\f\n\r\t""#,
        r#""\u0041\u00e9\u4e2d\ud83d\ude00""#,
        r#""\ud83d""#,
        r#""\ude00""#,
        r#""\ud83d\u0041""#,
        r#""\u12""#,
        r#""\x""#,
        "\"a\tb\"",
        "\"héllo 😀\"",
        r#""unterminated"#,
        r#"{"a":1,"b":[true,false,null],"c":{"d":"e"},"f":[]}"#,
        r#"{"a":1,}"#,
        r#"{,"a":1}"#,
        r#"{"a":1 "b":2}"#,
        r#"{"a" 1}"#,
        r#"{"a":}"#,
        r#"{"a":1]"#,
        r#"[1,2,]"#,
        r#"[,1]"#,
        r#"[1 2]"#,
        r#"[1}"#,
        r#"{1:2}"#,
        r#"{"a":1}x"#,
        r#"{"a":1} "#,
        r#"{"a":1}{}"#,
        r#"{"a":1,"a":2}"#,
        "tru",
        "nul",
        "nulll",
        "[[[[]]]]",
        r#"{"a":{"b":{"c":[{"d":[1,{"e":null}]}]}}}"#,
        " \n\t{ \"a\" : [ 1 , 2 ] } \n",
        "\u{feff}{}",
    ];

    #[test]
    fn reader_matches_serde_json_on_samples() {
        for sample in SAMPLES {
            check_against_serde_json(sample.as_bytes());
        }
        check_against_serde_json(&[b'"', 0xff, b'"']);
        check_against_serde_json(&[b'"', 0xc3, b'"']);
        check_against_serde_json(&[b'"', b'\\', b'n', 0xc3, 0xa9, 0xff, b'"']);
    }

    #[test]
    fn reader_matches_serde_json_on_mutations() {
        // Deterministic pseudo-random mutations (delete, duplicate, replace bytes) of the samples.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"{}[],:\"\\-0123456789.eE+truefalsnul \nabu\xc3\xa9";
        let seeds: Vec<&str> = SAMPLES.iter().copied().filter(|s| s.len() > 3).collect();
        for _ in 0..20_000 {
            let seed = seeds[(next() % seeds.len() as u64) as usize];
            let mut bytes = seed.as_bytes().to_vec();
            for _ in 0..=(next() % 3) {
                if bytes.is_empty() {
                    break;
                }
                let at = (next() % bytes.len() as u64) as usize;
                let byte = alphabet[(next() % alphabet.len() as u64) as usize];
                match next() % 3 {
                    0 => {
                        bytes.remove(at);
                    }
                    1 => bytes.insert(at, byte),
                    _ => bytes[at] = byte,
                }
            }
            check_against_serde_json(&bytes);
        }
    }

    #[test]
    fn reader_depth_limit() {
        for depth in [126usize, 127, 128, 10_000] {
            for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
                let text = format!("{}1{}", open.repeat(depth), close.repeat(depth));
                let ok = parse_body(text.as_bytes()).is_ok();
                assert_eq!(ok, depth <= 127, "{depth}");
                assert_eq!(read_all(text.as_bytes()).is_ok(), ok, "{depth}");
                assert_eq!(skip_all(text.as_bytes()).is_ok(), ok, "{depth}");
            }
        }
        let err = skip_all("[".repeat(10_000).as_bytes()).unwrap_err();
        assert!(err.message().contains("recursion limit"), "{err}");
        // Depth is shared between the typed reads and a skip below them.
        let text = format!("{{\"a\":{}{}}}", "[".repeat(127), "]".repeat(127));
        assert!(parse_body(text.as_bytes()).is_err());
        let mut r = JsonReader::new(text.as_bytes());
        assert!(r.begin_object("p").unwrap());
        r.next_key().unwrap();
        assert!(r.skip_value().is_err());
    }

    #[test]
    fn reader_typed_reads() {
        let p = "Out.x";
        let body = br#"{"s":"v","b":true,"i":-5,"big":300,"f":1.5,"nan":"NaN","inf":"-Infinity",
            "n":"12.5","ts":1576540098.123,"dt":"2019-12-16T23:48:18Z","blob":"Zm9vYmFy",
            "doc":{"k":[1,"x",null]},"nul":null,"list":[1,null,3],"unknown":{"deep":[{}]}}"#;
        let mut r = JsonReader::new(body);
        assert!(r.begin_object(p).unwrap());
        let mut seen = Vec::new();
        while let Some(key) = r.next_key().unwrap() {
            seen.push(key.to_string());
            match key.as_ref() {
                "s" => assert_eq!(r.read_string(p).unwrap(), Some("v".into())),
                "b" => assert_eq!(r.read_bool(p).unwrap(), Some(true)),
                "i" => assert_eq!(r.read_i8(p).unwrap(), Some(-5)),
                "big" => {
                    let err = r.read_i8(p).unwrap_err();
                    assert!(err.message().contains("out of the range of i8"), "{err}");
                    return;
                }
                _ => unreachable!(),
            }
        }
        let _ = seen;
    }

    #[test]
    fn reader_typed_reads_all() {
        let p = "Out.x";
        let body = br#"{"f":1.5,"nan":"NaN","inf":"-Infinity","n":"12.5","n2":1e2,
            "ts":1576540098.123,"dt":"2019-12-16T23:48:18Z","hd":"Mon, 16 Dec 2019 23:48:18 GMT",
            "blob":"Zm9vYmFy","doc":{"k":[1,"x",null]},"nul":null,"l":[1,null,3],"i64":9223372036854775807,
            "unknown":{"deep":[{},[],"\u0041"]}}"#;
        let mut r = JsonReader::new(body);
        assert!(r.begin_object(p).unwrap());
        while let Some(key) = r.next_key().unwrap() {
            match key.as_ref() {
                "f" => assert_eq!(r.read_f32(p).unwrap(), Some(1.5)),
                "nan" => assert!(r.read_f64(p).unwrap().unwrap().is_nan()),
                "inf" => assert_eq!(r.read_f64(p).unwrap(), Some(f64::NEG_INFINITY)),
                "n" => assert_eq!(r.read_big_number(p).unwrap(), Some("12.5".into())),
                "n2" => assert_eq!(r.read_big_number(p).unwrap(), Some("100.0".into())),
                "ts" => assert_eq!(
                    r.read_timestamp(Format::EpochSeconds, p).unwrap(),
                    Some(DateTime::from_secs_and_nanos(1576540098, 123_000_000))
                ),
                "dt" => assert_eq!(
                    r.read_timestamp(Format::DateTime, p).unwrap(),
                    Some(DateTime::from_secs(1576540098))
                ),
                "hd" => assert_eq!(
                    r.read_timestamp(Format::HttpDate, p).unwrap(),
                    Some(DateTime::from_secs(1576540098))
                ),
                "blob" => assert_eq!(r.read_blob(p).unwrap(), Some(Blob::new("foobar"))),
                "doc" => assert_eq!(
                    r.read_document(p).unwrap(),
                    Some(Document::from(json!({"k":[1,"x",null]})))
                ),
                "nul" => assert_eq!(r.read_string(p).unwrap(), None),
                "l" => {
                    assert!(r.begin_array(p).unwrap());
                    // At most one item more than expected: a read that consumes nothing
                    // fails here instead of looping for ever.
                    let mut items = Vec::new();
                    while items.len() <= 3 && r.next_item().unwrap() {
                        items.push(r.read_i32(p).unwrap());
                    }
                    assert_eq!(items, vec![Some(1), None, Some(3)]);
                }
                "i64" => assert_eq!(r.read_i64(p).unwrap(), Some(i64::MAX)),
                _ => r.skip_value().unwrap(),
            }
        }
        r.finish().unwrap();
    }

    #[test]
    fn reader_wrong_types_name_the_path() {
        let p = "ListAppInstancesOutput.AppInstances[3].Name";
        type Read = fn(&mut JsonReader<'_>, &str) -> Result<(), DeserializeError>;
        let cases: &[(&str, Read)] = &[
            ("1", |r, p| r.read_string(p).map(drop)),
            (r#""true""#, |r, p| r.read_bool(p).map(drop)),
            ("128", |r, p| r.read_i8(p).map(drop)),
            ("-32769", |r, p| r.read_i16(p).map(drop)),
            ("2147483648", |r, p| r.read_i32(p).map(drop)),
            ("18446744073709551615", |r, p| r.read_i64(p).map(drop)),
            ("1.5", |r, p| r.read_i32(p).map(drop)),
            ("1e2", |r, p| r.read_i64(p).map(drop)),
            (r#""1""#, |r, p| r.read_i32(p).map(drop)),
            (r#""1.5""#, |r, p| r.read_f64(p).map(drop)),
            ("true", |r, p| r.read_f64(p).map(drop)),
            (r#""abc""#, |r, p| r.read_big_number(p).map(drop)),
            ("[]", |r, p| r.read_big_number(p).map(drop)),
            (r#""x""#, |r, p| {
                r.read_timestamp(Format::DateTime, p).map(drop)
            }),
            ("1", |r, p| r.read_timestamp(Format::DateTime, p).map(drop)),
            ("true", |r, p| {
                r.read_timestamp(Format::EpochSeconds, p).map(drop)
            }),
            ("1e300", |r, p| {
                r.read_timestamp(Format::EpochSeconds, p).map(drop)
            }),
            (r#""not base64!""#, |r, p| r.read_blob(p).map(drop)),
            ("5", |r, p| r.read_blob(p).map(drop)),
            ("[]", |r, p| r.begin_object(p).map(drop)),
            ("{}", |r, p| r.begin_array(p).map(drop)),
        ];
        for (text, read) in cases {
            let err = read(&mut JsonReader::new(text.as_bytes()), p).unwrap_err();
            assert!(err.message().contains(p), "{text}: {err}");
        }
        let err = JsonReader::new(b"{}").read_string(p).unwrap_err();
        assert!(
            err.message().contains("expected a string, found an object"),
            "{err}"
        );
        let err = JsonReader::new(b"{\n  \"a\": 1 x}")
            .skip_value()
            .unwrap_err();
        assert!(err.message().contains("line 2 column"), "{err}");
    }

    #[test]
    fn reader_errors_inside_the_body_name_the_member_path() {
        type Read = fn(&mut JsonReader<'_>) -> Result<(), DeserializeError>;
        let cases: &[(&str, Read, &str)] = &[
            (
                "7",
                |r| r.read_string("Tag.Key").map(drop),
                "expected a string, found a number",
            ),
            (
                "[]",
                |r| r.read_string("L").map(drop),
                "expected a string, found an array",
            ),
            (
                r#""true""#,
                |r| r.read_bool("B").map(drop),
                "expected a boolean",
            ),
            (
                "300",
                |r| r.read_i8("I").map(drop),
                "the number 300 is out of the range of i8",
            ),
            ("1.5", |r| r.read_i32("I").map(drop), "found the number 1.5"),
            (
                "18446744073709551615",
                |r| r.read_i64("I").map(drop),
                "out of the range of i64",
            ),
            (
                r#""big""#,
                |r| r.read_f64("F").map(drop),
                "found the string `big`",
            ),
            (
                r#""1x""#,
                |r| r.read_big_number("N").map(drop),
                "non-numeric string `1x`",
            ),
            (
                "1e300",
                |r| r.read_timestamp(Format::EpochSeconds, "T").map(drop),
                "out of range",
            ),
            (
                r#""yesterday""#,
                |r| r.read_timestamp(Format::DateTime, "T").map(drop),
                "",
            ),
            (
                r#""!!""#,
                |r| r.read_blob("B").map(drop),
                "is not valid base64",
            ),
            (
                "[]",
                |r| r.begin_object("Tag").map(drop),
                "expected an object, found an array",
            ),
            (
                "{}",
                |r| r.begin_array("Tags").map(drop),
                "expected an array, found an object",
            ),
        ];
        for (value, read, detail) in cases {
            // Walk to the value like a generated deserializer: into `Items`, past its first
            // item (skipped) and the second item's first member, to its member `x`.
            let body =
                format!(r#"{{"Next":"t","Items":[{{"x":[1,{{}}]}},{{"a":1,"x":{value}}}]}}"#);
            let mut r = JsonReader::new(body.as_bytes());
            assert!(r.begin_object("Out").unwrap());
            assert_eq!(r.next_key().unwrap().as_deref(), Some("Next"));
            r.skip_value().unwrap();
            assert_eq!(r.next_key().unwrap().as_deref(), Some("Items"));
            assert!(r.begin_array("Out.Items").unwrap());
            assert!(r.next_item().unwrap());
            r.skip_value().unwrap();
            assert!(r.next_item().unwrap());
            assert!(r.begin_object("Item").unwrap());
            assert_eq!(r.next_key().unwrap().as_deref(), Some("a"));
            r.skip_value().unwrap();
            assert_eq!(r.next_key().unwrap().as_deref(), Some("x"));
            let message = read(&mut r).unwrap_err().message().to_owned();
            assert!(
                message.starts_with("`Items[1].x`") && message.contains(detail),
                "{value}: {message}"
            );
        }
    }

    /// The message of the first error `read` gives on a fresh reader over `text`.
    fn reader_error(
        text: &str,
        read: impl FnOnce(&mut JsonReader<'_>) -> Result<(), DeserializeError>,
    ) -> String {
        let mut r = JsonReader::new(text.as_bytes());
        match read(&mut r) {
            Ok(()) => panic!("{text:?} read without an error"),
            Err(e) => e.message().to_owned(),
        }
    }

    #[test]
    fn syntax_errors_name_the_line_and_column_of_the_offending_byte() {
        let skip = |r: &mut JsonReader<'_>| r.skip_value().and_then(|()| r.finish());
        // (body, message): lines and columns count from 1, columns in bytes; a `\r` before a
        // `\n` belongs to the line it ends.
        let cases = [
            (
                "[1 2]",
                "expected `,` or the end of the container at line 1 column 4",
            ),
            ("[1,\n2,\n  x]", "expected value at line 3 column 3"),
            (
                "{\"a\":1,\n \"b\": tru }",
                "expected ident at line 2 column 7",
            ),
            ("{\r\n\"a\" 1}", "expected `:` at line 2 column 5"),
            ("\n\n[01]", "invalid number at line 3 column 3"),
            ("{\"a\":\n  -01}", "invalid number at line 2 column 5"),
            ("[1.]", "invalid number at line 1 column 4"),
            ("[1e+]", "invalid number at line 1 column 5"),
            ("{} x", "trailing characters at line 1 column 4"),
            ("\n\"abc", "EOF while parsing a string at line 2 column 5"),
            ("[\"\\q\"]", "invalid escape at line 1 column 5"),
        ];
        for (body, expected) in cases {
            assert_eq!(
                reader_error(body, skip),
                format!("the body is not valid JSON: {expected}"),
                "{body:?}"
            );
        }
    }

    #[test]
    fn is_null_looks_ahead_without_consuming() {
        let mut r = JsonReader::new(br#"[ null, "x", 0, {}, nul"#);
        assert!(r.begin_array("L").unwrap());
        assert!(r.next_item().unwrap());
        assert!(r.is_null().unwrap());
        assert!(r.is_null().unwrap(), "asking twice consumes nothing");
        assert_eq!(r.read_string("L").unwrap(), None);
        for _ in 0..3 {
            assert!(r.next_item().unwrap());
            assert!(!r.is_null().unwrap());
            r.skip_value().unwrap();
        }
        assert!(r.next_item().unwrap());
        // Only the first byte is looked at: a broken `null` shows when it is read.
        assert!(r.is_null().unwrap());
        assert!(r.skip_value().is_err());
        let mut r = JsonReader::new(b"[1,");
        assert!(r.begin_array("L").unwrap());
        assert!(r.next_item().unwrap());
        assert_eq!(r.read_i32("L").unwrap(), Some(1));
        assert!(r.next_item().unwrap());
        let err = r.is_null().unwrap_err();
        assert!(err.message().contains("EOF while parsing a value"), "{err}");
    }

    #[test]
    fn every_typed_read_takes_null_as_absent_and_moves_past_it() {
        type Read = fn(&mut JsonReader<'_>) -> bool;
        let reads: &[(&str, Read)] = &[
            ("object", |r| !r.begin_object("p").unwrap()),
            ("array", |r| !r.begin_array("p").unwrap()),
            ("string", |r| r.read_string("p").unwrap().is_none()),
            ("bool", |r| r.read_bool("p").unwrap().is_none()),
            ("i8", |r| r.read_i8("p").unwrap().is_none()),
            ("i16", |r| r.read_i16("p").unwrap().is_none()),
            ("i32", |r| r.read_i32("p").unwrap().is_none()),
            ("i64", |r| r.read_i64("p").unwrap().is_none()),
            ("f32", |r| r.read_f32("p").unwrap().is_none()),
            ("f64", |r| r.read_f64("p").unwrap().is_none()),
            ("big", |r| r.read_big_number("p").unwrap().is_none()),
            ("epoch", |r| {
                r.read_timestamp(Format::EpochSeconds, "p")
                    .unwrap()
                    .is_none()
            }),
            ("date-time", |r| {
                r.read_timestamp(Format::DateTime, "p").unwrap().is_none()
            }),
            ("blob", |r| r.read_blob("p").unwrap().is_none()),
            ("document", |r| r.read_document("p").unwrap().is_none()),
        ];
        for (name, read) in reads {
            let mut r = JsonReader::new(br#"{"a": null , "b":[true]}"#);
            assert!(r.begin_object("Out").unwrap());
            assert_eq!(r.next_key().unwrap().as_deref(), Some("a"));
            assert!(read(&mut r), "{name}: null is not None");
            assert_eq!(r.next_key().unwrap().as_deref(), Some("b"), "{name}");
            assert!(r.begin_array("Out.b").unwrap());
            assert!(r.next_item().unwrap());
            assert_eq!(r.read_bool("Out.b").unwrap(), Some(true), "{name}");
            assert!(!r.next_item().unwrap());
            assert_eq!(r.next_key().unwrap(), None, "{name}");
            r.finish().unwrap();
        }
    }

    #[test]
    fn reader_doubles_infinities_and_out_of_range_literals() {
        let read = |text: &str| JsonReader::new(text.as_bytes()).read_f64("F");
        assert_eq!(read(r#""Infinity""#), Ok(Some(f64::INFINITY)));
        assert_eq!(read(r#""-Infinity""#), Ok(Some(f64::NEG_INFINITY)));
        assert!(read(r#""NaN""#).unwrap().unwrap().is_nan());
        assert_eq!(read("1.7976931348623157e308"), Ok(Some(f64::MAX)));
        assert_eq!(read("-2.5e-10"), Ok(Some(-2.5e-10)));
        // A literal beyond the double range is not silently made infinite (serde_json also
        // rejects it); infinity is only ever the string.
        for text in ["1e400", "-1e400"] {
            assert_eq!(
                read(text).unwrap_err().message(),
                "the body is not valid JSON: number out of range at line 1 column 1",
                "{text}"
            );
        }
        assert_eq!(
            read(r#""infinity""#).unwrap_err().message(),
            "`F`: expected a number, found the string `infinity` (only `NaN`, `Infinity` and \
             `-Infinity` are allowed as strings)"
        );
    }

    #[test]
    fn timestamps_of_the_wrong_type_say_which_format_was_expected() {
        type Case = (&'static str, Format, &'static str);
        let cases: &[Case] = &[
            (
                "true",
                Format::EpochSeconds,
                "`T`: expected a number (epoch-seconds timestamp), found a boolean",
            ),
            (
                "{}",
                Format::EpochSeconds,
                "`T`: expected a number (epoch-seconds timestamp), found an object",
            ),
            (
                "12",
                Format::DateTime,
                "`T`: expected a string (date-time timestamp), found a number",
            ),
            (
                "[]",
                Format::HttpDate,
                "`T`: expected a string (http-date timestamp), found an array",
            ),
        ];
        for (text, format, expected) in cases {
            let err = JsonReader::new(text.as_bytes())
                .read_timestamp(*format, "T")
                .unwrap_err();
            assert_eq!(err.message(), *expected, "{text} as {format}");
            let value: Value = serde_json::from_str(text).unwrap();
            let err = read_timestamp(&value, *format, "T").unwrap_err();
            assert_eq!(err.message(), *expected, "{text} as {format} (value)");
        }
        // Epoch seconds may also come as a string.
        assert_eq!(
            JsonReader::new(br#""1576540098""#).read_timestamp(Format::EpochSeconds, "T"),
            Ok(Some(DateTime::from_secs(1576540098)))
        );
    }

    #[test]
    fn skipping_tells_objects_from_arrays_at_every_level() {
        // A container of the other kind at a level where one was before: the separators
        // inside it must follow its own kind.
        for text in [
            r#"[{"a":1},[1,2]]"#,
            r#"[[1,2],{"a":1,"b":2}]"#,
            r#"{"x":[{"a":1,"b":[3,4]},[5,{"c":6,"d":7}]],"y":{"z":[8,9]}}"#,
        ] {
            skip_all(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e}"));
            check_against_serde_json(text.as_bytes());
        }
        for text in [
            r#"[{"a":1},[1:2]]"#,
            r#"[[1,2],{"a",1}]"#,
            r#"[[1],{"a":1]]"#,
        ] {
            assert!(skip_all(text.as_bytes()).is_err(), "{text}");
            check_against_serde_json(text.as_bytes());
        }
    }
}

//! JSON for the restJson1 protocol: writers that serialize straight into a `String` (no
//! intermediate `serde_json::Value`), and typed readers over a parsed `serde_json::Value` that
//! report the member path of anything unexpected.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::rt::error::{BuildError, DeserializeError};
use crate::rt::http_binding::{base64_decode, base64_encode};
use crate::rt::primitives::{non_finite_name, Blob, DateTime, Document, Format, Number};

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
}

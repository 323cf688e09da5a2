//! HTTP binding helpers (`@httpLabel`, `@httpQuery`, `@httpHeader`): percent-encoding, query
//! strings, list-valued headers and base64.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use http::{HeaderMap, HeaderValue};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::rt::error::{BuildError, DeserializeError};
use crate::rt::primitives::{DateTime, Format};

/// Everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// [`STRICT`] but keeping `/` (greedy labels span path segments).
const GREEDY: &AsciiSet = &STRICT.remove(b'/');

/// Percent-encodes a path label: everything but the RFC 3986 unreserved characters is escaped;
/// a `greedy` label (`{key+}`) keeps its `/`.
pub fn encode_label(value: &str, greedy: bool) -> String {
    let set = if greedy { GREEDY } else { STRICT };
    utf8_percent_encode(value, set).to_string()
}

/// Percent-encodes a query key or value: everything but the RFC 3986 unreserved characters is
/// escaped (`+`, `/`, `=`, space, `:`, `&`, `?` included).
pub fn encode_query(value: &str) -> String {
    utf8_percent_encode(value, STRICT).to_string()
}

/// Appends query parameters to a URI that may already carry a constant query from the
/// `@http` trait (`/tags?operation=tag-resource`, `/x?flag`).
#[derive(Debug, Clone)]
pub struct QueryWriter {
    uri: String,
    separator: &'static str,
}

impl QueryWriter {
    /// Starts from `uri` (path plus any constant query).
    pub fn new(uri: String) -> Self {
        let separator = match uri.find('?') {
            None => "?",
            Some(i) if i + 1 == uri.len() => "",
            Some(_) => "&",
        };
        Self { uri, separator }
    }

    /// Appends `key=value`, both percent-encoded.
    pub fn push(&mut self, key: &str, value: &str) {
        self.uri.push_str(self.separator);
        self.separator = "&";
        self.uri.push_str(&encode_query(key));
        self.uri.push('=');
        self.uri.push_str(&encode_query(value));
    }

    /// The finished URI.
    pub fn finish(self) -> String {
        self.uri
    }
}

/// Quotes one item of a list-valued header when it would otherwise not survive splitting: when
/// it contains `,` or `"`, has leading or trailing whitespace, or is empty. Inside the quotes
/// `"` and `\` are backslash-escaped.
pub fn quote_header_list_item(value: &str) -> String {
    let needs_quotes = value.is_empty()
        || value.contains([',', '"'])
        || value.starts_with([' ', '\t'])
        || value.ends_with([' ', '\t']);
    if !needs_quotes {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Splits a list-valued header on commas, honouring quoted strings (with `\"` and `\\`
/// escapes) and trimming whitespace around unquoted items. A blank value is an empty list.
pub fn split_header_list(value: &str) -> Result<Vec<String>, DeserializeError> {
    let mut items = Vec::new();
    if value.trim().is_empty() {
        return Ok(items);
    }
    let mut chars = value.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| *c == ' ' || *c == '\t').is_some() {}
        if chars.next_if(|(_, c)| *c == '"').is_some() {
            let mut item = String::new();
            let mut closed = false;
            while let Some((_, c)) = chars.next() {
                match c {
                    '\\' => match chars.next() {
                        Some((_, escaped)) => item.push(escaped),
                        None => break,
                    },
                    '"' => {
                        closed = true;
                        break;
                    }
                    other => item.push(other),
                }
            }
            if !closed {
                return Err(DeserializeError::new(format!(
                    "unterminated quoted string in the header list `{value}`"
                )));
            }
            items.push(item);
            while chars.next_if(|(_, c)| *c == ' ' || *c == '\t').is_some() {}
            match chars.next() {
                None => return Ok(items),
                Some((_, ',')) => {}
                Some((i, c)) => {
                    return Err(DeserializeError::new(format!(
                        "unexpected `{c}` at byte {i} after a quoted string in the header list \
                         `{value}`"
                    )))
                }
            }
        } else {
            let start = chars.peek().map_or(value.len(), |(i, _)| *i);
            let mut end = value.len();
            let mut more = false;
            for (i, c) in chars.by_ref() {
                if c == ',' {
                    end = i;
                    more = true;
                    break;
                }
            }
            items.push(value[start..end].trim().to_owned());
            if !more {
                return Ok(items);
            }
        }
    }
}

/// Splits a list of http-dates (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, ...`): each date contains
/// one comma, so the value is split on every second comma.
pub fn split_http_date_list(value: &str) -> Result<Vec<DateTime>, DeserializeError> {
    if value.trim().is_empty() {
        return Ok(Vec::new());
    }
    let parts: Vec<&str> = value.split(',').collect();
    parts
        .chunks(2)
        .map(|pair| match pair {
            [day, rest] => {
                let text = format!("{},{}", day.trim_start(), rest.trim_end());
                DateTime::from_str(&text, Format::HttpDate).map_err(|e| {
                    DeserializeError::new(format!("in the header list `{value}`: {e}"))
                })
            }
            _ => Err(DeserializeError::new(format!(
                "`{value}` is not a comma-separated list of http-date timestamps (odd number of \
                 commas)"
            ))),
        })
        .collect()
}

/// Builds the value of the header bound to member `name`; characters HTTP forbids in a header
/// (newlines and other control characters) give [`BuildError::invalid_field`].
pub fn header_value(value: &str, name: &str) -> Result<HeaderValue, BuildError> {
    HeaderValue::from_str(value).map_err(|_| {
        BuildError::invalid_field(
            name,
            format!(
                "`{}` cannot be sent in an HTTP header: it contains a control character such as \
                 a newline",
                value.escape_debug()
            ),
        )
    })
}

/// Formats a timestamp for a header of member `name` (headers default to
/// [`Format::HttpDate`]).
pub fn header_timestamp(
    t: &DateTime,
    format: Format,
    name: &str,
) -> Result<HeaderValue, BuildError> {
    let text = t
        .fmt(format)
        .map_err(|e| BuildError::invalid_field(name, e.to_string()))?;
    header_value(&text, name)
}

fn header_to_str<'h>(v: &'h HeaderValue, name: &str) -> Result<&'h str, DeserializeError> {
    v.to_str().map_err(|_| {
        DeserializeError::new(format!(
            "the header `{name}` is not visible ASCII text: {:?}",
            v
        ))
    })
}

/// The first value of header `name`, or `None` when absent.
pub fn header_str<'h>(
    headers: &'h HeaderMap,
    name: &str,
) -> Result<Option<&'h str>, DeserializeError> {
    headers
        .get(name)
        .map(|v| header_to_str(v, name))
        .transpose()
}

/// Every value of header `name` (each may itself be a comma-separated list), in order.
pub fn header_all<'h>(
    headers: &'h HeaderMap,
    name: &str,
) -> Result<Vec<&'h str>, DeserializeError> {
    headers
        .get_all(name)
        .iter()
        .map(|v| header_to_str(v, name))
        .collect()
}

/// Parses `true` / `false` (surrounding whitespace ignored) from header `name`.
pub fn parse_header_bool(s: &str, name: &str) -> Result<bool, DeserializeError> {
    match s.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(DeserializeError::new(format!(
            "the header `{name}` should be `true` or `false`, found `{other}`"
        ))),
    }
}

/// Parses a number of type `T` (surrounding whitespace ignored) from header `name`; float types
/// accept `NaN`, `Infinity` and `-Infinity`.
pub fn parse_header_number<T: std::str::FromStr>(
    s: &str,
    name: &str,
) -> Result<T, DeserializeError> {
    let text = s.trim();
    text.parse::<T>().map_err(|_| {
        DeserializeError::new(format!(
            "the header `{name}` should be a number of type {}, found `{text}`",
            std::any::type_name::<T>()
        ))
    })
}

/// Parses a timestamp in `format` (surrounding whitespace ignored) from header `name`.
pub fn parse_header_timestamp(
    s: &str,
    format: Format,
    name: &str,
) -> Result<DateTime, DeserializeError> {
    DateTime::from_str(s.trim(), format)
        .map_err(|e| DeserializeError::new(format!("the header `{name}`: {e}")))
}

/// Base64 (standard alphabet, padded).
pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Standard alphabet; padding optional when decoding.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64 (standard alphabet, padding optional); `what` names the value in errors.
pub fn base64_decode(s: &str, what: &str) -> Result<Vec<u8>, DeserializeError> {
    LENIENT
        .decode(s.trim())
        .map_err(|e| DeserializeError::new(format!("`{what}` is not valid base64: {e}")))
}

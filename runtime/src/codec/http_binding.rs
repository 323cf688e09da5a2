//! HTTP binding helpers (`@httpLabel`, `@httpQuery`, `@httpHeader`): percent-encoding, query
//! strings, list-valued headers and base64.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use http::{HeaderMap, HeaderValue};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::contract::error::{BuildError, DeserializeError};
use crate::primitives::{DateTime, Format};

/// Everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`): the set every
/// strict percent-encoding of the runtime uses (labels, query values, SigV4, IMDS paths).
pub const STRICT: &AsciiSet = &NON_ALPHANUMERIC
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

/// The value of the URI label `member` (e.g. `DeleteThingInput.thing_id`), percent-encoded for
/// the path, or why it cannot be one.
///
/// A label must not be empty, and a label that is one path segment must not be `.` or `..`:
/// percent-encoding them does not help, since `%2E` means `.` (RFC 3986 section 2.3) and URL
/// parsers, proxies and the SigV4 signer's path normalisation treat `%2E%2E` or `..` as "the
/// parent folder", so the request would be sent, signed or routed to another resource. (The AWS
/// SDKs send such values unencoded; refusing them is the only way the path sent, the path
/// signed and the path the service routes stay the same.) A greedy label (`{key+}`) may hold
/// such segments, as object keys do; services that normalise paths when signing refuse them
/// when the request is prepared.
pub fn label(member: &str, value: &str, greedy: bool) -> Result<String, BuildError> {
    if value.is_empty() {
        return Err(BuildError::invalid_field(
            member,
            "a URI label cannot be empty",
        ));
    }
    if !greedy && (value == "." || value == "..") {
        return Err(BuildError::invalid_field(
            member,
            format!(
                "a URI label cannot be `{value}`: it would change the request path to another \
                 resource"
            ),
        ));
    }
    Ok(encode_label(value, greedy))
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

/// Sets `content-type` to the protocol's default for the body unless a member already set it
/// (an `@httpHeader("Content-Type")` member wins).
pub fn default_content_type(
    request: http::request::Builder,
    content_type: &'static str,
) -> http::request::Builder {
    let set = request
        .headers_ref()
        .is_some_and(|headers| headers.contains_key(http::header::CONTENT_TYPE));
    if set {
        request
    } else {
        request.header(http::header::CONTENT_TYPE, content_type)
    }
}

/// The name of a header the model binds a member to, e.g. `x-foo`.
pub fn header_name(name: &str) -> Result<http::header::HeaderName, BuildError> {
    http::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| BuildError::invalid_field(name, "not a valid HTTP header name"))
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
    base64_decode_named(s, || what.to_owned())
}

/// [`base64_decode`] for a value whose name is costly to build (a member path found by
/// re-scanning the body): `what` is called only when `s` is not valid base64.
pub(crate) fn base64_decode_named(
    s: &str,
    what: impl FnOnce() -> String,
) -> Result<Vec<u8>, DeserializeError> {
    LENIENT.decode(s.trim()).map_err(|e| {
        let what = what();
        DeserializeError::new(format!("`{what}` is not valid base64: {e}"))
    })
}

/// Checks the value of a `@hostLabel` member named `member` before it becomes part of the
/// request's host: it must be set and be one or more valid host labels separated by dots
/// (letters, digits and hyphens, 1 to 63 characters each, not starting with a hyphen).
pub fn host_label<'a>(member: &str, value: Option<&'a str>) -> Result<&'a str, BuildError> {
    let value = value.ok_or_else(|| {
        BuildError::missing_field(member, "it is part of the request's host name (@hostLabel)")
    })?;
    if !crate::endpoint::is_valid_host_label(value, true) {
        return Err(BuildError::invalid_field(
            member,
            format!(
                "{value:?} cannot be part of a host name: it must be dot-separated labels of 1 \
                 to 63 letters, digits or hyphens, none starting with a hyphen"
            ),
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::error::BuildErrorKind;

    #[test]
    fn host_labels_must_be_set_and_valid() {
        assert_eq!(host_label("label", Some("bar")), Ok("bar"));
        assert_eq!(host_label("label", Some("a.b-1")), Ok("a.b-1"));
        let missing = host_label("label", None).unwrap_err();
        assert_eq!(missing.kind(), BuildErrorKind::MissingField);
        assert_eq!(missing.path(), "label");
        for bad in [
            "",
            "a b",
            "-a",
            "a.",
            ".a",
            "a..b",
            "a/b",
            "a@b",
            "é",
            &"x".repeat(64),
        ] {
            let err = host_label("label", Some(bad)).unwrap_err();
            assert_eq!(err.kind(), BuildErrorKind::InvalidField, "{bad:?}");
            assert_eq!(err.path(), "label");
        }
    }

    const ARN: &str = "arn:aws:chime:us-east-1:123:app-instance/abc";

    #[test]
    fn labels_refuse_empty_values_and_dot_segments() {
        assert_eq!(label("In.id", "a b/c", false).unwrap(), "a%20b%2Fc");
        assert_eq!(label("In.key", "a/../b", true).unwrap(), "a/../b");
        assert_eq!(label("In.id", "...", false).unwrap(), "...");
        for value in ["", ".", ".."] {
            let err = label("In.id", value, false).unwrap_err();
            assert_eq!(err.kind(), BuildErrorKind::InvalidField);
            assert_eq!(err.path(), "In.id");
        }
        assert!(label("In.key", "", true).is_err());
    }

    #[test]
    fn labels_and_query_values_use_the_strict_set() {
        let expected = "arn%3Aaws%3Achime%3Aus-east-1%3A123%3Aapp-instance%2Fabc";
        assert_eq!(encode_label(ARN, false), expected);
        assert_eq!(encode_query(ARN), expected);
        assert_eq!(
            encode_query("a+b/c=d e:f&g?h"),
            "a%2Bb%2Fc%3Dd%20e%3Af%26g%3Fh"
        );
        assert_eq!(encode_label("AZaz09-._~", false), "AZaz09-._~");
        assert_eq!(encode_label("é😀", false), "%C3%A9%F0%9F%98%80");
        assert_eq!(encode_label("%", false), "%25");
    }

    #[test]
    fn greedy_labels_keep_slashes() {
        assert_eq!(encode_label("a/b c/d", true), "a/b%20c/d");
        assert_eq!(encode_label("a/b c/d", false), "a%2Fb%20c%2Fd");
        assert_eq!(
            encode_label(ARN, true),
            "arn%3Aaws%3Achime%3Aus-east-1%3A123%3Aapp-instance/abc"
        );
    }

    #[test]
    fn query_writer_merges_with_constant_queries() {
        let mut q = QueryWriter::new("/app-instances".into());
        q.push("max-results", "10");
        q.push("next token", "a/b=");
        assert_eq!(
            q.finish(),
            "/app-instances?max-results=10&next%20token=a%2Fb%3D"
        );

        let mut q = QueryWriter::new("/tags?operation=tag-resource".into());
        q.push("arn", ARN);
        assert_eq!(
            q.finish(),
            "/tags?operation=tag-resource&arn=arn%3Aaws%3Achime%3Aus-east-1%3A123%3Aapp-instance%2Fabc"
        );

        let mut q = QueryWriter::new("/x?flag".into());
        q.push("k", "v");
        assert_eq!(q.finish(), "/x?flag&k=v");

        let mut q = QueryWriter::new("/x?".into());
        q.push("k", "v");
        q.push("k", "w");
        assert_eq!(q.finish(), "/x?k=v&k=w");

        assert_eq!(QueryWriter::new("/x".into()).finish(), "/x");
    }

    #[test]
    fn header_list_quoting() {
        assert_eq!(quote_header_list_item("plain"), "plain");
        assert_eq!(quote_header_list_item("a,b"), r#""a,b""#);
        assert_eq!(quote_header_list_item(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(quote_header_list_item(" pad"), r#"" pad""#);
        assert_eq!(quote_header_list_item(""), r#""""#);
        assert_eq!(quote_header_list_item(r"back\slash"), r"back\slash");
        assert_eq!(quote_header_list_item(r#"\","#), r#""\\\",""#);
    }

    #[test]
    fn header_list_round_trip() {
        let items = [
            "a",
            "b,c",
            r#"quoted "x""#,
            r"back\slash",
            r#"both\ and ","#,
            " lead",
            "trail ",
            "",
            "inner space",
        ];
        let joined = items
            .iter()
            .map(|i| quote_header_list_item(i))
            .collect::<Vec<_>>()
            .join(", ");
        assert_eq!(split_header_list(&joined).unwrap(), items);
    }

    #[test]
    fn header_list_splitting() {
        assert_eq!(split_header_list("a, b ,c").unwrap(), ["a", "b", "c"]);
        assert_eq!(split_header_list("  x  ").unwrap(), ["x"]);
        assert_eq!(split_header_list(r#""a,b" , c"#).unwrap(), ["a,b", "c"]);
        assert_eq!(split_header_list("a,,b").unwrap(), ["a", "", "b"]);
        assert!(split_header_list("").unwrap().is_empty());
        assert!(split_header_list("   ").unwrap().is_empty());
        let err = split_header_list(r#""open, b"#).unwrap_err();
        assert!(err.message().contains("unterminated"), "{err}");
        let err = split_header_list(r#""a"b, c"#).unwrap_err();
        assert!(err.message().contains("after a quoted string"), "{err}");
    }

    #[test]
    fn http_date_lists() {
        let value = "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 29 Apr 2014 18:30:38 GMT";
        assert_eq!(
            split_http_date_list(value).unwrap(),
            [
                DateTime::from_secs(1576540098),
                DateTime::from_secs(1398796238)
            ]
        );
        assert_eq!(
            split_http_date_list("Mon, 16 Dec 2019 23:48:18 GMT").unwrap(),
            [DateTime::from_secs(1576540098)]
        );
        assert!(split_http_date_list("").unwrap().is_empty());
        assert!(split_http_date_list("Mon, 16 Dec 2019 23:48:18 GMT, Tue").is_err());
        let err = split_http_date_list("a, b").unwrap_err();
        assert!(err.message().contains("a, b"), "{err}");
    }

    #[test]
    fn header_values_reject_control_characters() {
        assert_eq!(header_value("ok value", "X-Foo").unwrap(), "ok value");
        assert_eq!(header_value("", "X-Foo").unwrap(), "");
        for bad in ["a\nb", "a\rb", "a\0b", "\u{7f}"] {
            let err = header_value(bad, "Input.Foo").unwrap_err();
            assert_eq!(err.kind(), BuildErrorKind::InvalidField);
            assert_eq!(err.path(), "Input.Foo");
        }
        let t = DateTime::from_secs(1576540098);
        assert_eq!(
            header_timestamp(&t, Format::HttpDate, "X-Date").unwrap(),
            "Mon, 16 Dec 2019 23:48:18 GMT"
        );
        let err = header_timestamp(&DateTime::from_secs(i64::MAX), Format::DateTime, "X-Date")
            .unwrap_err();
        assert_eq!(err.path(), "X-Date");
    }

    /// The protocol's content type is added unless a member set one, and the rest of the
    /// request being built is kept.
    #[test]
    fn default_content_type_fills_in_without_overriding() {
        let builder = http::Request::builder()
            .method("PUT")
            .uri("https://example.com/things/a?x=1")
            .header("x-amz-meta", "kept");
        let request = default_content_type(builder, "application/json")
            .body(())
            .unwrap();
        assert_eq!(request.method(), "PUT");
        assert_eq!(request.uri(), "https://example.com/things/a?x=1");
        assert_eq!(request.headers()["x-amz-meta"], "kept");
        assert_eq!(request.headers()["content-type"], "application/json");

        let member_set = http::Request::builder().header("Content-Type", "text/plain");
        let request = default_content_type(member_set, "application/json")
            .body(())
            .unwrap();
        let values: Vec<_> = request.headers().get_all("content-type").iter().collect();
        assert_eq!(values, ["text/plain"]);
    }

    #[test]
    fn reading_headers() {
        let mut headers = HeaderMap::new();
        headers.append("x-list", HeaderValue::from_static("a, b"));
        headers.append("x-list", HeaderValue::from_static("c"));
        headers.insert("x-bin", HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap());
        assert_eq!(header_str(&headers, "x-list").unwrap(), Some("a, b"));
        assert_eq!(header_str(&headers, "X-List").unwrap(), Some("a, b"));
        assert_eq!(header_str(&headers, "x-missing").unwrap(), None);
        assert_eq!(header_all(&headers, "x-list").unwrap(), ["a, b", "c"]);
        assert!(header_all(&headers, "x-missing").unwrap().is_empty());
        let err = header_str(&headers, "x-bin").unwrap_err();
        assert!(err.message().contains("x-bin"), "{err}");
        assert!(header_all(&headers, "x-bin").is_err());
    }

    #[test]
    fn parsing_header_scalars() {
        assert!(parse_header_bool(" true ", "h").unwrap());
        assert!(!parse_header_bool("false", "h").unwrap());
        let err = parse_header_bool("TRUE", "X-Flag").unwrap_err();
        assert!(err.message().contains("X-Flag"), "{err}");
        assert_eq!(parse_header_number::<i32>(" 42 ", "h").unwrap(), 42);
        assert_eq!(parse_header_number::<i64>("-7", "h").unwrap(), -7);
        assert!(parse_header_number::<f64>("NaN", "h").unwrap().is_nan());
        assert_eq!(
            parse_header_number::<f64>("Infinity", "h").unwrap(),
            f64::INFINITY
        );
        assert_eq!(
            parse_header_number::<f32>("-Infinity", "h").unwrap(),
            f32::NEG_INFINITY
        );
        assert_eq!(parse_header_number::<f64>("1.5", "h").unwrap(), 1.5);
        let err = parse_header_number::<i8>("300", "X-Count").unwrap_err();
        assert!(err.message().contains("X-Count"), "{err}");
        assert!(err.message().contains("i8"), "{err}");
        assert!(parse_header_number::<i32>("1.0", "h").is_err());
        assert_eq!(
            parse_header_timestamp(" 1576540098 ", Format::EpochSeconds, "h").unwrap(),
            DateTime::from_secs(1576540098)
        );
        let err = parse_header_timestamp("x", Format::DateTime, "X-When").unwrap_err();
        assert!(err.message().contains("X-When"), "{err}");
    }

    #[test]
    fn base64() {
        // RFC 4648 section 10 test vectors.
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base64_encode(plain.as_bytes()), encoded);
            assert_eq!(base64_decode(encoded, "v").unwrap(), plain.as_bytes());
            let unpadded = encoded.trim_end_matches('=');
            assert_eq!(base64_decode(unpadded, "v").unwrap(), plain.as_bytes());
        }
        assert_eq!(base64_encode(&[0xfb, 0xff]), "+/8=");
        let err = base64_decode("Zm9v!", "X-Data").unwrap_err();
        assert!(err.message().contains("X-Data"), "{err}");
        assert!(
            base64_decode("-_8=", "v").is_err(),
            "URL-safe alphabet is rejected"
        );
    }
}

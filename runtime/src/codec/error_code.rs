//! How error responses name their error: the error code sanitizing every JSON protocol does,
//! and the `x-amzn-query-error` header of services moved from the AWS query protocol
//! (`@awsQueryCompatible`).

use http::HeaderMap;

/// The header a client of a query-compatible service sends on every request.
pub const QUERY_MODE_HEADER: &str = "x-amzn-query-mode";

/// The header in which a query-compatible service gives the query protocol's error code and
/// type, as `Code;Type`.
pub const QUERY_ERROR_HEADER: &str = "x-amzn-query-error";

/// A header's value as text, if it is there and is text.
pub(crate) fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The code and type of the `x-amzn-query-error: Code;Type` header, when it has that form.
pub fn query_error(headers: &HeaderMap) -> Option<(String, String)> {
    let value = header(headers, QUERY_ERROR_HEADER)?;
    let (code, error_type) = value.split_once(';')?;
    let (code, error_type) = (code.trim(), error_type.trim());
    if code.is_empty() || error_type.is_empty() || error_type.contains(';') {
        return None;
    }
    Some((code.to_owned(), error_type.to_owned()))
}

/// An error code as services send it, reduced to the error's shape name: what follows the
/// first `:` and what precedes the last `#` are dropped
/// (`aws.protocoltests.json10#FooError:http://internal.amazon.com/...` -> `FooError`).
pub fn sanitize_error_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    let after_hash = before_colon.rsplit('#').next().unwrap_or(before_colon);
    after_hash.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                http::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        map
    }

    #[test]
    fn query_error_header_gives_code_and_type() {
        let map = headers(&[("x-amzn-query-error", "AWS.SimpleQueueService.Empty;Sender")]);
        assert_eq!(
            query_error(&map),
            Some((
                "AWS.SimpleQueueService.Empty".to_owned(),
                "Sender".to_owned()
            ))
        );
        for bad in ["Code", ";Sender", "Code;", "A;B;C"] {
            assert_eq!(
                query_error(&headers(&[("x-amzn-query-error", bad)])),
                None,
                "{bad}"
            );
        }
    }

    #[test]
    fn sanitizes_codes_like_the_spec_says() {
        for raw in [
            "FooError",
            "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            "aws.protocoltests.json10#FooError",
            "aws.protocoltests.json10#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            " FooError ",
        ] {
            assert_eq!(sanitize_error_code(raw), "FooError", "{raw}");
        }
    }
}

//! Comparisons for the generated compliance cases: a serialized request against the case's
//! expectations, a deserialized value against the case's params.

use std::sync::Arc;

use protocol_tests::rt::operation::{
    HttpRequest, HttpResponse, IdempotencyTokenProvider, SerializeContext,
};

/// The idempotency token the compliance cases expect when the client fills one in.
const TOKEN: &str = "00000000-0000-4000-8000-000000000000";

#[derive(Debug)]
struct FixedToken;

impl IdempotencyTokenProvider for FixedToken {
    fn make_token(&self) -> String {
        TOKEN.to_owned()
    }
}

/// A serialization context whose idempotency tokens are the one the cases expect.
pub fn context() -> SerializeContext {
    SerializeContext::new(Arc::new(FixedToken))
}

/// What an `httpRequestTests` case expects of the request.
pub struct ExpectedRequest<'a> {
    pub method: &'a str,
    pub uri: &'a str,
    pub host: Option<&'a str>,
    pub resolved_host: Option<&'a str>,
    pub query_params: &'a [&'a str],
    pub forbid_query_params: &'a [&'a str],
    pub require_query_params: &'a [&'a str],
    pub headers: &'a [(&'a str, &'a str)],
    pub forbid_headers: &'a [&'a str],
    pub require_headers: &'a [&'a str],
    pub body: Option<&'a str>,
    pub body_media_type: Option<&'a str>,
}

/// Checks a serialized request against a case (the Smithy protocol-test rules: query
/// parameters and headers listed must be present with those values, others may be too).
pub fn assert_request(request: &HttpRequest, expected: &ExpectedRequest<'_>) {
    assert_eq!(request.method().as_str(), expected.method, "method");
    assert_eq!(request.uri().path(), expected.uri, "URI path");
    if let Some(resolved) = expected.resolved_host {
        let host = request
            .uri()
            .host()
            .unwrap_or(expected.host.unwrap_or_default());
        assert_eq!(host, resolved, "resolved host");
    }
    let query: Vec<&str> = request
        .uri()
        .query()
        .map(|q| q.split('&').filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let key = |pair: &str| pair.split_once('=').map_or(pair, |(k, _)| k).to_owned();
    for param in expected.query_params {
        assert!(
            query.contains(param),
            "query parameter `{param}` missing from {query:?}"
        );
    }
    for name in expected.forbid_query_params {
        assert!(
            !query.iter().any(|p| key(p) == *name),
            "query parameter `{name}` must not be in {query:?}"
        );
    }
    for name in expected.require_query_params {
        assert!(
            query.iter().any(|p| key(p) == *name),
            "query parameter `{name}` required in {query:?}"
        );
    }
    let header = |name: &str| -> Option<String> {
        let values: Vec<&str> = request
            .headers()
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or("<not UTF-8>"))
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    };
    for (name, value) in expected.headers {
        assert_eq!(
            header(name).as_deref(),
            Some(*value),
            "header `{name}` (all headers: {:?})",
            request.headers()
        );
    }
    for name in expected.forbid_headers {
        assert_eq!(header(name), None, "header `{name}` must not be sent");
    }
    for name in expected.require_headers {
        assert!(header(name).is_some(), "header `{name}` is required");
    }
    if let Some(body) = expected.body {
        assert_body(request.body(), body, expected.body_media_type);
    }
}

/// Compares bodies: as JSON values for JSON media types, else byte for byte.
fn assert_body(actual: &[u8], expected: &str, media_type: Option<&str>) {
    let is_json = media_type.is_some_and(|m| m == "application/json" || m.ends_with("+json"));
    if is_json && !expected.is_empty() {
        let want: serde_json::Value =
            serde_json::from_str(expected).expect("the case's body is JSON");
        let got: serde_json::Value = serde_json::from_slice(actual).unwrap_or_else(|err| {
            panic!(
                "body is not JSON ({err}): {:?}",
                String::from_utf8_lossy(actual)
            )
        });
        assert_eq!(got, want, "JSON body");
    } else {
        assert_eq!(
            String::from_utf8_lossy(actual),
            String::from_utf8_lossy(expected.as_bytes()),
            "body"
        );
    }
}

/// The HTTP response of an `httpResponseTests` case.
pub fn response(code: u16, headers: &[(&str, &str)], body: &'static str) -> HttpResponse {
    let mut builder = http::Response::builder().status(code);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(bytes::Bytes::from_static(body.as_bytes()))
        .expect("the case's response is valid HTTP")
}

/// Equality that also holds for values containing NaN (compared through their `Debug` text,
/// where NaN prints the same on both sides).
pub fn assert_same<T: PartialEq + std::fmt::Debug>(actual: &T, expected: &T, what: &str) {
    if actual != expected {
        let (a, e) = (format!("{actual:?}"), format!("{expected:?}"));
        assert!(
            a == e && a.contains("NaN"),
            "{what} differs:\n  actual:   {a}\n  expected: {e}"
        );
    }
}

/// Fails a response case that did not give the expected error variant.
pub fn unexpected(variant: &str, got: &dyn std::fmt::Debug) -> ! {
    panic!("expected the `{variant}` error, got {got:?}")
}

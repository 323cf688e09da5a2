//! Response cases: the case's HTTP response, and comparisons of what the client parsed from it
//! with the case's params.

use smithy_rust_runtime::contract::http::HttpResponse;

/// The HTTP response of an `httpResponseTests` case.
pub fn response(code: u16, headers: &[(&str, &str)], body: &'static [u8]) -> HttpResponse {
    let mut builder = http::Response::builder().status(code);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(bytes::Bytes::from_static(body))
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

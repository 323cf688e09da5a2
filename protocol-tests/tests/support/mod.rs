//! Request cases: sending a case's input through the client and comparing the request with the
//! case's expectations; and the suite report.

use crate::capture::Capture;

use smithy_rust_runtime::contract::http::HttpRequest;
use smithy_rust_runtime::contract::operation::{IdempotencyTokenProvider, Operation};
use smithy_rust_runtime::credentials::Credentials;
use smithy_rust_runtime::env::region::Region;
use smithy_rust_runtime::orchestrator::handle::Handle;
use smithy_rust_runtime::retry::RetryConfig;

/// The idempotency token the compliance cases expect when the client fills one in.
const TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// The endpoint host when a case names none.
const DEFAULT_HOST: &str = "example.com";

#[derive(Debug)]
struct FixedToken;

impl IdempotencyTokenProvider for FixedToken {
    fn make_token(&self) -> String {
        TOKEN.to_owned()
    }
}

/// Sends `input` through the whole client (validation, serialization, endpoint and host
/// prefix, compression, checksums, signing) with the endpoint `https://{host}`, a fixed
/// idempotency token and one attempt, and returns the request that reached the HTTP client.
/// The case's response does not matter here (the capture answers an empty 200), so the call's
/// result is only shown when the client did not send exactly one request.
pub fn send<O: Operation>(input: O::Input, host: Option<&str>) -> HttpRequest {
    let capture = Capture::default();
    let config = crate::client::Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "cases"))
        .endpoint_url(format!("https://{}", host.unwrap_or(DEFAULT_HOST)))
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .idempotency_token_provider(FixedToken)
        .http_client(capture.clone())
        .build();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime");
    let handle = Handle::new(config.into(), &crate::client::SERVICE);
    let result = runtime.block_on(handle.call::<O>(input, None));
    let mut requests = capture.take();
    match requests.len() {
        1 => requests.remove(0),
        n => panic!("expected one request, the client sent {n} (result: {result:?})"),
    }
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
    pub body: Option<&'a [u8]>,
    pub body_media_type: Option<&'a str>,
}

/// Checks a serialized request against a case (the Smithy protocol-test rules: query
/// parameters and headers listed must be present with those values, others may be too).
pub fn assert_request(request: &HttpRequest, expected: &ExpectedRequest<'_>) {
    assert_eq!(request.method().as_str(), expected.method, "method");
    assert_eq!(request.uri().path(), expected.uri, "URI path");
    // The host the request went to: `resolvedHost` when the case gives one (an `@endpoint`
    // prefix), else the host part of the endpoint the client was given.
    let want_host = expected.resolved_host.unwrap_or_else(|| {
        let host = expected.host.unwrap_or(DEFAULT_HOST);
        host.split('/').next().unwrap_or(host)
    });
    assert_eq!(request.uri().host(), Some(want_host), "request host");
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

/// Compares bodies: as JSON values for JSON media types, as CBOR data items for CBOR (see
/// [`crate::cbor_value`]), else byte for byte.
pub fn assert_body(actual: &[u8], expected: &[u8], media_type: Option<&str>) {
    let is_json = media_type.is_some_and(|m| m == "application/json" || m.ends_with("+json"));
    let is_cbor = media_type == Some("application/cbor");
    if is_json && !expected.is_empty() {
        let want: serde_json::Value =
            serde_json::from_slice(expected).expect("the case's body is JSON");
        let got: serde_json::Value = serde_json::from_slice(actual).unwrap_or_else(|err| {
            panic!(
                "body is not JSON ({err}): {:?}",
                String::from_utf8_lossy(actual)
            )
        });
        assert_eq!(got, want, "JSON body");
    } else if is_cbor && !expected.is_empty() {
        crate::cbor_value::assert_same_cbor(actual, expected);
    } else {
        assert_eq!(
            String::from_utf8_lossy(actual),
            String::from_utf8_lossy(expected),
            "body"
        );
    }
}

/// Runs every case once more, prints the counts and the cases that are not supported (with
/// their reasons), and fails naming the cases that failed.
pub fn report(suite: &str, cases: &[(&str, fn())], not_supported: &[(&str, &str)]) {
    let mut failed = Vec::new();
    for (id, case) in cases {
        if std::panic::catch_unwind(case).is_err() {
            failed.push(*id);
        }
    }
    println!("not supported:");
    for (id, reason) in not_supported {
        println!("  {id}  {reason}");
    }
    for id in &failed {
        println!("FAILED: {id}");
    }
    println!(
        "{suite} client cases: {} passed, {} failed, {} not supported",
        cases.len() - failed.len(),
        failed.len(),
        not_supported.len()
    );
    assert!(failed.is_empty(), "failed cases: {failed:?}");
}

//! End-to-end tests of generated clients against HTTP servers on 127.0.0.1.
//!
//! - [`server`]: an HTTP/1.1 test server on a random local port that records every request and
//!   answers from a handler.
//! - [`sigv4`]: an independent SigV4 check of recorded requests (the `aws-sigv4` crate).
//! - [`duplex`]: an HTTP/2 server for input event streams that checks every chained message
//!   signature with `aws-sigv4` and answers each event while the request is still arriving.
//! - [`fake`]: a stateful, in-memory fake of the Amazon Chime SDK Identity service.
//! - [`faults`]: a misbehaving raw HTTP server and measurement helpers for robustness tests.
//! - [`child`]: runs one test in a child process (process-wide state: environment variables,
//!   peak memory, child processes).
//! - [`identity`]: fakes of AWS STS and the IAM Identity Center portal, for the credential
//!   providers.

pub mod child;
pub mod duplex;
pub mod fake;
pub mod faults;
pub mod identity;
pub mod server;
pub mod sigv4;

use chimesdkidentity::config::{
    Credentials, Region, RetryConfig, SharedConfig, SharedConfigBuilder,
};
use serde_json::Value;

use crate::server::RecordedRequest;
use crate::sigv4::SigningKey;

/// The region every test client uses.
pub const REGION: &str = "us-east-1";

/// The settings every test client starts from, for a client of any generated service (every
/// service's `config::Builder` is made `From` the common builder of the runtime they share):
/// the region and credentials of `key` (its session token too), the endpoint `url`, retries
/// disabled. Nothing is loaded from the environment.
pub fn test_settings(url: &str, key: &SigningKey) -> SharedConfigBuilder {
    SharedConfig::builder()
        .region(Region::new(key.region.clone()))
        .credentials_provider(Credentials::new(
            key.access_key.clone(),
            key.secret_key.clone(),
            key.session_token.clone(),
            None,
            "e2e",
        ))
        .endpoint_url(url)
        .retry_config(RetryConfig::disabled())
}

/// A config builder for a Chime SDK Identity client of the server at `url`: region [`REGION`],
/// the [`SigningKey::test`] credentials, retries disabled (see [`test_settings`]).
pub fn config_builder(url: &str) -> chimesdkidentity::config::Builder {
    test_settings(url, &SigningKey::test(REGION)).into()
}

/// A client of the server at `url` (see [`config_builder`]).
pub fn client(url: &str) -> chimesdkidentity::Client {
    chimesdkidentity::Client::from_conf(config_builder(url).build())
}

/// Whether `value` is a lower-case UUID version 4 (RFC 4122 variant).
pub fn uuid_v4(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    lens == [8, 4, 4, 4, 12]
        && value
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
        && parts[2].starts_with('4')
        && parts[3].starts_with(['8', '9', 'a', 'b'])
}

/// Asserts what every request carries: a valid SigV4 signature (checked with `aws-sigv4`),
/// `x-amz-date`, `amz-sdk-invocation-id` (UUID v4), `amz-sdk-request: attempt=1; max=1`, and a
/// `content-type: application/json` header exactly when there is a body.
///
/// # Panics
/// When any of these does not hold.
pub fn assert_common_headers(request: &RecordedRequest) {
    sigv4::verify(request, &SigningKey::test(REGION)).unwrap_or_else(|err| panic!("{err}"));
    let date = request.header("x-amz-date").expect("x-amz-date");
    assert_eq!(date.len(), 16, "x-amz-date {date}");
    let authorization = request.header("authorization").expect("authorization");
    assert!(
        authorization.starts_with(&format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{}/{REGION}/chime/aws4_request, ",
            &date[..8]
        )),
        "{authorization}"
    );
    let invocation = request
        .header("amz-sdk-invocation-id")
        .expect("amz-sdk-invocation-id");
    assert!(uuid_v4(invocation), "amz-sdk-invocation-id {invocation}");
    assert_eq!(request.header("amz-sdk-request"), Some("attempt=1; max=1"));
    if request.body.is_empty() {
        assert_eq!(request.header("content-type"), None, "{request:?}");
    } else {
        assert_eq!(
            request.header("content-type"),
            Some("application/json"),
            "{request:?}"
        );
    }
    if !request.body.is_empty() {
        let length = request.body.len().to_string();
        assert_eq!(request.header("content-length"), Some(length.as_str()));
    }
}

/// Asserts a request's method, raw path, raw query and JSON body (compared as JSON values;
/// `None` means no body at all), plus [`assert_common_headers`].
///
/// # Panics
/// When the request differs.
pub fn assert_wire(
    request: &RecordedRequest,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: Option<Value>,
) {
    assert_eq!(request.method, method, "{request:?}");
    assert_eq!(request.path, path, "{request:?}");
    assert_eq!(request.query.as_deref(), query, "{request:?}");
    assert_eq!(request.json(), body, "{request:?}");
    assert_common_headers(request);
}

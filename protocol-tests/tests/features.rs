//! Client features the compliance cases only touch on, checked through the generated RestJson
//! client's fluent API: `@endpoint` host prefixes with `@hostLabel` values, `@requestCompression`
//! settings, and `@httpChecksumRequired`.

mod capture;

use std::io::Read as _;

use capture::Capture;
use protocol_tests::config::{Credentials, Region, RetryConfig};
use protocol_tests::error::SdkError;
use protocol_tests::{Client, Config};

fn new_client(
    configure: impl FnOnce(protocol_tests::config::Builder) -> protocol_tests::config::Builder,
) -> (Client, Capture) {
    let capture = Capture::default();
    let config = Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "features"))
        .endpoint_url("https://example.com")
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .http_client(capture.clone());
    (Client::from_conf(configure(config).build()), capture)
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}

fn gunzip(data: &[u8]) -> String {
    let mut out = String::new();
    flate2::read::GzDecoder::new(data)
        .read_to_string(&mut out)
        .expect("a gzip body");
    out
}

/// The construction failure's message with its sources, or a panic naming what happened instead.
fn construction_failure<T: std::fmt::Debug, E: std::error::Error + 'static>(
    result: Result<T, SdkError<E>>,
) -> String {
    match result {
        Err(err @ SdkError::ConstructionFailure(_)) => {
            let mut message = err.to_string();
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            message
        }
        other => panic!("expected a construction failure, got {other:?}"),
    }
}

#[test]
fn host_labels_become_part_of_the_host() {
    let (client, capture) = new_client(|c| c);
    block_on(
        client
            .endpoint_with_host_label_operation()
            .label("a.b-c")
            .send(),
    )
    .expect("an empty 200 is a valid output");
    let requests = capture.take();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].uri().host(), Some("foo.a.b-c.example.com"));
    assert_eq!(requests[0].headers()["host"], "foo.a.b-c.example.com");
}

#[test]
fn invalid_host_labels_are_refused_before_sending() {
    for bad in ["", "has space", "-leading", "evil.com/", "a..b", "x@y"] {
        let (client, capture) = new_client(|c| c.request_validation(false));
        let result = block_on(
            client
                .endpoint_with_host_label_operation()
                .label(bad)
                .send(),
        );
        let message = construction_failure(result);
        assert!(message.contains("label"), "{bad:?}: {message}");
        assert!(capture.take().is_empty(), "{bad:?} was sent");
    }
    // A missing label is a missing required member (and, with validation off, still refused).
    for validate in [true, false] {
        let (client, capture) = new_client(|c| c.request_validation(validate));
        let result = block_on(client.endpoint_with_host_label_operation().send());
        let message = construction_failure(result);
        assert!(message.contains("label"), "{message}");
        assert!(capture.take().is_empty());
    }
}

#[test]
fn operations_without_a_host_prefix_keep_the_host() {
    let (client, capture) = new_client(|c| c);
    let _ = block_on(client.http_checksum_required().foo("x").send());
    assert_eq!(capture.take()[0].uri().host(), Some("example.com"));
}

const BIG: usize = 20_000;

#[test]
fn large_bodies_are_gzipped_and_the_request_says_so() {
    let data = "d".repeat(BIG);
    let (client, capture) = new_client(|c| c);
    let _ = block_on(client.put_with_content_encoding().data(&data).send());
    let request = &capture.take()[0];
    assert_eq!(request.headers()["content-encoding"], "gzip");
    assert_eq!(
        request.headers()["content-length"],
        request.body().len().to_string()
    );
    assert!(request.body().len() < BIG / 10);
    let json: serde_json::Value = serde_json::from_str(&gunzip(request.body())).unwrap();
    assert_eq!(json, serde_json::json!({ "data": data }));
}

#[test]
fn compression_follows_the_configuration() {
    let data = "d".repeat(BIG);
    // Turned off on the client.
    let (client, capture) = new_client(|c| c.disable_request_compression(true));
    let _ = block_on(client.put_with_content_encoding().data(&data).send());
    let request = &capture.take()[0];
    assert!(request.headers().get("content-encoding").is_none());
    assert!(request.body().len() > BIG);

    // Turned off for one call.
    let (client, capture) = new_client(|c| c);
    let _ = block_on(
        client
            .put_with_content_encoding()
            .data(&data)
            .customize()
            .config_override(
                protocol_tests::config::Builder::new().disable_request_compression(true),
            )
            .send(),
    );
    assert!(capture.take()[0]
        .headers()
        .get("content-encoding")
        .is_none());

    // Small bodies stay as they are unless the minimum is lowered.
    let (client, capture) = new_client(|c| c);
    let _ = block_on(client.put_with_content_encoding().data("small").send());
    assert!(capture.take()[0]
        .headers()
        .get("content-encoding")
        .is_none());
    let (client, capture) = new_client(|c| c.request_min_compression_size_bytes(0));
    let _ = block_on(client.put_with_content_encoding().data("small").send());
    let request = &capture.take()[0];
    assert_eq!(request.headers()["content-encoding"], "gzip");
    assert_eq!(gunzip(request.body()), r#"{"data":"small"}"#);

    // Operations without @requestCompression never compress.
    let (client, capture) = new_client(|c| c.request_min_compression_size_bytes(0));
    let _ = block_on(client.http_checksum_required().foo(&data).send());
    assert!(capture.take()[0]
        .headers()
        .get("content-encoding")
        .is_none());
}

#[test]
fn a_minimum_compression_size_over_10_mib_is_a_configuration_error() {
    let (client, capture) = new_client(|c| c.request_min_compression_size_bytes(10_485_761));
    let result = block_on(client.put_with_content_encoding().data("x").send());
    let message = construction_failure(result);
    assert!(
        message.contains("request_min_compression_size_bytes"),
        "{message}"
    );
    assert!(capture.take().is_empty());
    // The cap itself is allowed: the request is sent.
    let (client, capture) = new_client(|c| c.request_min_compression_size_bytes(10_485_760));
    let _ = block_on(client.put_with_content_encoding().data("x").send());
    assert_eq!(capture.take().len(), 1);
}

#[test]
fn content_md5_is_of_the_body_as_sent() {
    let (client, capture) = new_client(|c| c);
    let _ = block_on(client.http_checksum_required().foo("abc").send());
    let request = &capture.take()[0];
    assert_eq!(request.body().as_ref(), br#"{"foo":"abc"}"#);
    // base64(MD5(`{"foo":"abc"}`)), computed independently (Python's hashlib).
    assert_eq!(request.headers()["content-md5"], "lXDigIr4mpxacaS91+2KaQ==");
    // The signature covers the checksum header.
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert!(authorization.contains("content-md5"), "{authorization}");
}

#[test]
fn host_prefix_injection_can_be_turned_off() {
    let (client, capture) = new_client(|c| c.disable_host_prefix_injection(true));
    let _ = block_on(
        client
            .endpoint_with_host_label_operation()
            .label("bar")
            .send(),
    );
    let _ = block_on(client.endpoint_operation().send());
    let requests = capture.take();
    let hosts: Vec<_> = requests.iter().map(|r| r.uri().host()).collect();
    assert_eq!(hosts, [Some("example.com"); 2]);
}

#[test]
fn a_setting_from_the_environment_that_cannot_be_understood_fails_the_call() {
    let capture = Capture::default();
    let env =
        smithy_rust_runtime::env::Env::from_vars([("AWS_DISABLE_REQUEST_COMPRESSION", "maybe")]);
    let config = Config::builder()
        .env(env)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "features"))
        .endpoint_url("https://example.com")
        .http_client(capture.clone())
        .build();
    let client = Client::from_conf(config);
    let message = construction_failure(block_on(client.endpoint_operation().send()));
    assert!(
        message.contains("AWS_DISABLE_REQUEST_COMPRESSION"),
        "{message}"
    );
    assert!(capture.take().is_empty());
}

//! restJson1 error responses: the error code from `X-Amzn-ErrorType` (with a `:` suffix), from
//! the body's `code`, or from the body's `__type` (with a `#` namespace) picks the modeled
//! error; unknown codes give the unhandled variant; code, message, request id and `Display`.
//! How errors print: a service error, a refused connection and "no credentials found" through
//! `{}`, anyhow's `{:#}` and `{:?}`, and a `source()` walk, each message exactly once.

use chimesdkidentity::config::Credentials;
use chimesdkidentity::error::ProvideErrorMetadata;
use chimesdkidentity::operation::RequestId;
use chimesdkidentity::types::ErrorCode;
use chimesdkidentity::Client;
use e2e_tests::fake::FakeChime;
use e2e_tests::server::{Reply, TestServer};
use e2e_tests::{client, config_builder, REGION};
use serde_json::json;

const APP: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc";
const BOT: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/bot/b";

async fn serve(reply: Reply) -> (TestServer, Client) {
    let server = TestServer::start(move |_| reply.clone()).await;
    let client = client(&server.url());
    (server, client)
}

#[tokio::test]
async fn code_from_error_type_header_with_colon_suffix() {
    let (server, client) = serve(
        Reply::json(409, &json!({"Code": "Conflict", "Message": "name taken"}))
            .header(
                "X-Amzn-ErrorType",
                "ConflictException:http://internal.amazon.com/coral/com.amazonaws.chime/",
            )
            .header("x-amzn-RequestId", "rid-409"),
    )
    .await;
    let err = client
        .create_app_instance()
        .name("n")
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert_eq!(
        err.to_string(),
        "ConflictException: name taken (request id: rid-409)"
    );
    assert_eq!(err.code(), Some("ConflictException"));
    assert_eq!(err.message(), Some("name taken"));
    assert_eq!(err.request_id(), Some("rid-409"));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(409));
    let service = err.into_service_error();
    assert!(service.is_conflict_exception());
    assert!(!service.is_bad_request_exception());
    assert!(!service.is_unhandled());
    assert_eq!(
        service.to_string(),
        "ConflictException: name taken (request id: rid-409)"
    );
    assert_eq!(
        ProvideErrorMetadata::code(&service),
        Some("ConflictException")
    );
    assert_eq!(service.request_id(), Some("rid-409"));
    match service {
        chimesdkidentity::operation::create_app_instance::CreateAppInstanceError::ConflictException(
            inner,
        ) => {
            // The modeled members of the error structure.
            assert_eq!(inner.code(), Some(&ErrorCode::Conflict));
            assert_eq!(inner.message(), Some("name taken"));
            assert_eq!(ProvideErrorMetadata::code(&inner), Some("ConflictException"));
            assert_eq!(inner.request_id(), Some("rid-409"));
            assert_eq!(
                inner.to_string(),
                "ConflictException: name taken (request id: rid-409)"
            );
        }
        other => panic!("expected ConflictException, got {other:?}"),
    }
}

#[tokio::test]
async fn header_code_wins_over_body_code_and_namespace_is_dropped() {
    let (_server, client) = serve(
        Reply::json(
            400,
            &json!({"code": "ConflictException", "message": "bad arn"}),
        )
        .header(
            "x-amzn-errortype",
            "com.amazonaws.chimesdkidentity#BadRequestException:http://internal/",
        )
        .header("x-amzn-requestid", "rid-400"),
    )
    .await;
    let err = client
        .describe_app_instance()
        .app_instance_arn(APP)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_bad_request_exception(), "{err:?}");
    assert_eq!(err.code(), Some("BadRequestException"));
    assert_eq!(err.message(), Some("bad arn"));
    assert_eq!(
        err.to_string(),
        "BadRequestException: bad arn (request id: rid-400)"
    );
}

#[tokio::test]
async fn code_from_body_code() {
    let (_server, client) = serve(
        Reply::json(
            404,
            &json!({"code": "NotFoundException", "message": "no such bot"}),
        )
        .header("x-amzn-RequestId", "rid-404"),
    )
    .await;
    let err = client
        .describe_app_instance_bot()
        .app_instance_bot_arn(BOT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NotFoundException"));
    assert_eq!(err.message(), Some("no such bot"));
    assert_eq!(err.request_id(), Some("rid-404"));
    assert_eq!(
        err.to_string(),
        "NotFoundException: no such bot (request id: rid-404)"
    );
    let err = err.into_service_error();
    assert!(err.is_not_found_exception(), "{err:?}");
}

#[tokio::test]
async fn code_from_body_type_with_namespace() {
    let (_server, client) = serve(
        Reply::json(
            429,
            &json!({
                "__type": "com.amazonaws.chimesdkidentity#ThrottledClientException",
                "Message": "slow down"
            }),
        )
        .header("x-amzn-RequestId", "rid-429"),
    )
    .await;
    let err = client
        .list_app_instances()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_throttled_client_exception(), "{err:?}");
    assert_eq!(err.code(), Some("ThrottledClientException"));
    assert_eq!(err.message(), Some("slow down"));
    assert_eq!(err.request_id(), Some("rid-429"));
    assert_eq!(
        err.to_string(),
        "ThrottledClientException: slow down (request id: rid-429)"
    );
}

#[tokio::test]
async fn server_errors_are_modeled_too() {
    let (_server, client) = serve(
        Reply::json(
            503,
            &json!({"Code": "ServiceUnavailable", "Message": "later"}),
        )
        .header("X-Amzn-ErrorType", "ServiceUnavailableException")
        .header("x-amzn-RequestId", "rid-503"),
    )
    .await;
    let err = client
        .delete_app_instance()
        .app_instance_arn(APP)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_service_unavailable_exception(), "{err:?}");
    assert_eq!(
        err.to_string(),
        "ServiceUnavailableException: later (request id: rid-503)"
    );
}

#[tokio::test]
async fn unknown_codes_from_each_source_are_unhandled() {
    for (headers, body) in [
        (
            vec![("X-Amzn-ErrorType", "BrandNewException:http://internal/")],
            json!({"Message": "what is this"}),
        ),
        (
            vec![],
            json!({"code": "BrandNewException", "message": "what is this"}),
        ),
        (
            vec![],
            json!({"__type": "com.amazonaws.chimesdkidentity#BrandNewException", "message": "what is this"}),
        ),
    ] {
        let mut reply = Reply::json(418, &body).header("x-amzn-RequestId", "rid-418");
        for (name, value) in headers {
            reply = reply.header(name, value);
        }
        let (_server, client) = serve(reply).await;
        let err = client
            .create_app_instance()
            .name("n")
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("BrandNewException"));
        assert_eq!(err.message(), Some("what is this"));
        assert_eq!(err.request_id(), Some("rid-418"));
        let service = err.into_service_error();
        assert!(service.is_unhandled(), "{service:?}");
        assert!(!service.is_conflict_exception());
        let text = service.to_string();
        assert!(
            text.contains("BrandNewException: what is this (request id: rid-418)"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn error_without_code_or_json_is_unhandled_with_status() {
    let (_server, client) = serve(
        Reply::new(502)
            .header("content-type", "text/html")
            .body("<html>bad gateway</html>"),
    )
    .await;
    let err = client.list_app_instances().send().await.unwrap_err();
    assert_eq!(err.code(), None);
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(502));
    let service = err.into_service_error();
    assert!(service.is_unhandled(), "{service:?}");
}

/// The fake service checks every signature with `aws-sigv4`; a client with the wrong secret is
/// rejected with 403 (so a signing bug cannot pass silently), and the same call with the right
/// credentials succeeds.
#[tokio::test]
async fn wrong_signature_is_rejected_by_the_fake() {
    let fake = FakeChime::new(REGION);
    let server = fake.serve().await;
    let bad = Client::from_conf(
        config_builder(&server.url())
            .credentials_provider(Credentials::new(
                "AKIDEXAMPLE",
                "not-the-secret",
                None,
                None,
                "bad",
            ))
            .build(),
    );
    let err = bad.list_app_instances().send().await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidSignatureException"));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(403));
    assert!(err.into_service_error().is_unhandled());
    let good = client(&server.url());
    let out = good.list_app_instances().send().await.unwrap();
    assert!(out.app_instances().is_empty());
}

// ---------------------------------------------------------------------------------------------
// How errors print: each error shows its cause's message or returns the cause from
// `source()`, never both, so that error reports (`anyhow`'s `{:#}` and `{:?}`, a `source()`
// walk) show every message once, while a plain `{}` of the top-level error still says what
// happened.
// ---------------------------------------------------------------------------------------------

/// The `Display` of `err` and of each error below it.
fn chain(err: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut texts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        texts.push(cause.to_string());
        source = cause.source();
    }
    texts
}

/// Asserts that no error of the chain repeats the message of an error below it.
fn assert_each_message_once(err: &(dyn std::error::Error + 'static)) {
    let texts = chain(err);
    for (i, upper) in texts.iter().enumerate() {
        for lower in &texts[i + 1..] {
            assert!(
                !upper.contains(lower.as_str()),
                "{upper:?} repeats its cause {lower:?} (chain: {texts:#?})"
            );
        }
    }
}

/// `{}`, anyhow's `{:#}` and `{:?}`, for an error and what it becomes as an operation error.
fn renderings<E>(err: E) -> (String, String, String)
where
    E: std::error::Error + Send + Sync + 'static,
{
    assert_each_message_once(&err);
    let plain = err.to_string();
    let report = anyhow::Error::new(err);
    let debug = format!("{report:?}");
    // Without the backtrace anyhow adds when RUST_BACKTRACE is set.
    let debug = match debug.split_once("\n\nStack backtrace:") {
        Some((report, _)) => report.to_owned(),
        None => debug,
    };
    (plain, format!("{report:#}"), debug)
}

#[tokio::test]
async fn a_service_error_prints_its_code_message_and_request_id_once() {
    let (_server, client) = serve(
        Reply::json(400, &json!({"Code": "BadRequest", "Message": "nope"}))
            .header("X-Amzn-ErrorType", "BadRequestException")
            .header("x-amzn-RequestId", "rid-1"),
    )
    .await;
    let err = client
        .describe_app_instance()
        .app_instance_arn(APP)
        .send()
        .await
        .unwrap_err();
    let expected = "BadRequestException: nope (request id: rid-1)";
    let (plain, alternate, debug) = renderings(err);
    assert_eq!(plain, expected);
    assert_eq!(alternate, expected);
    assert_eq!(debug, expected);

    // The operation error and its unhandled variant (an unknown code) print the same way.
    let err = client
        .describe_app_instance()
        .app_instance_arn(APP)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let (plain, alternate, debug) = renderings(err);
    assert_eq!((plain.as_str(), alternate.as_str()), (expected, expected));
    assert_eq!(debug, expected);
    let (_server, client) = serve(
        Reply::json(418, &json!({"message": "teapot"}))
            .header("X-Amzn-ErrorType", "BrandNewException")
            .header("x-amzn-RequestId", "rid-2"),
    )
    .await;
    let err = client
        .describe_app_instance()
        .app_instance_arn(APP)
        .send()
        .await
        .unwrap_err();
    let expected = "unhandled error BrandNewException: teapot (request id: rid-2)";
    let (plain, alternate, debug) = renderings(err);
    assert_eq!((plain.as_str(), alternate.as_str()), (expected, expected));
    assert_eq!(debug, expected);
}

#[tokio::test]
async fn a_refused_connection_prints_each_cause_once() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = client(&format!("http://127.0.0.1:{port}"));
    let err = client
        .describe_app_instance()
        .app_instance_arn(APP)
        .send()
        .await
        .unwrap_err();
    let (plain, alternate, debug) = renderings(err);
    // (Retries are off in these tests: the one attempt is reported.)
    assert_eq!(
        plain,
        format!("no response: could not connect to 127.0.0.1:{port} (gave up after 1 attempt)")
    );
    assert!(alternate.starts_with(&plain), "{alternate}");
    assert_eq!(alternate.matches("refused").count(), 1, "{alternate}");
    assert_eq!(
        alternate.matches("could not connect").count(),
        1,
        "{alternate}"
    );
    assert_eq!(debug.matches("refused").count(), 1, "{debug}");
    assert!(debug.contains("Caused by:"), "{debug}");

    // Folded into the operation error, it keeps its causes.
    let err = client
        .describe_app_instance()
        .app_instance_arn(APP)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_unhandled());
    let (plain, alternate, _) = renderings(err);
    assert_eq!(
        plain,
        format!(
            "unhandled error: no response: could not connect to 127.0.0.1:{port} (gave up \
             after 1 attempt)"
        )
    );
    assert_eq!(alternate.matches("refused").count(), 1, "{alternate}");
}

#[tokio::test]
async fn no_credentials_found_prints_once() {
    let env = smithy_rust_runtime::env::Env::from_vars([
        ("HOME", "/nonexistent-home"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let (server, _) = serve(Reply::json(200, &json!({}))).await;
    let client = Client::from_conf(
        chimesdkidentity::config::Builder::new()
            .env(env)
            .region(chimesdkidentity::config::Region::new(REGION))
            .endpoint_url(server.url())
            .build(),
    );
    let err = client
        .describe_app_instance()
        .app_instance_arn(APP)
        .send()
        .await
        .unwrap_err();
    let (plain, alternate, debug) = renderings(err);
    assert!(
        plain.starts_with(
            "failed to construct the request: failed to load credentials: no \
             credentials found: set AWS_ACCESS_KEY_ID"
        ),
        "{plain}"
    );
    for text in [&plain, &alternate, &debug] {
        assert_eq!(text.matches("no credentials found").count(), 1, "{text}");
        assert_eq!(
            text.matches("AWS_EC2_METADATA_DISABLED").count(),
            1,
            "{text}"
        );
    }
    assert!(server.requests().is_empty());
}

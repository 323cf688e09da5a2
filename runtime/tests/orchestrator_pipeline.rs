//! The orchestrator end to end: a hand-written JSON operation against scripted HTTP/1.1
//! servers on 127.0.0.1, plus the test doubles (replay client, typed stubs).

mod auth_schemes;
mod support;

use std::any::Any;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use smithy_rust_runtime::config::{Builder, Config};
use smithy_rust_runtime::contract::error::{
    BoxError, ErrorMetadata, ProvideErrorMetadata, RequestId, SdkError,
};
use smithy_rust_runtime::contract::http::{BoxFuture, HttpRequest, HttpResponse};
use smithy_rust_runtime::contract::interceptor::{
    CallAnswer, CallInfo, CallInput, CallOutcome, Interceptor,
};
use smithy_rust_runtime::contract::operation::IdempotencyTokenProvider;
use smithy_rust_runtime::contract::time::StaticTimeSource;
use smithy_rust_runtime::env::region::Region;
use smithy_rust_runtime::orchestrator::blocking::{BlockingError, SendBlocking};
use smithy_rust_runtime::orchestrator::customize::{CustomizableOperation, CustomizableSend};
use smithy_rust_runtime::orchestrator::handle::{Handle, InterceptorError};
use smithy_rust_runtime::test_util::{CannedResponse, ReplayClient, Stubs};
use smithy_rust_runtime::timeout::TimeoutConfig;
use smithy_rust_runtime::transport::{DefaultHttpClient, HttpClientSettings, ProxySettings};
use support::*;

fn handle(config: Config) -> Handle {
    Handle::new(config, &META)
}

fn ok_body() -> Action {
    Action::json(200, r#"{"message":"hello"}"#)
}

#[tokio::test]
async fn success_sends_signed_request_with_sdk_headers() {
    let server = TestServer::always(ok_body()).await;
    let h = handle(local_config(&server.url()).app_name("tester").build());
    let out = h.call::<Echo>(input("a"), None).await.unwrap();
    assert_eq!(out.message, "hello");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.target, "/echo?mode=test");
    assert_eq!(
        r.header("host"),
        Some(format!("127.0.0.1:{}", server.port).as_str())
    );
    let auth = r.header("authorization").unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{auth}"
    );
    assert!(auth.contains("/us-east-1/echo/aws4_request"), "{auth}");
    assert!(r.header("x-amz-date").is_some());
    assert_eq!(r.header("amz-sdk-request"), Some("attempt=1; max=3"));
    let id = r.header("amz-sdk-invocation-id").unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    let ua = r.header("user-agent").unwrap();
    assert!(ua.starts_with("echo-sdk/1.2.3 "), "{ua}");
    let amz_ua = r.header("x-amz-user-agent").unwrap();
    assert!(amz_ua.contains("api/echo-service#1.2.3"), "{amz_ua}");
    assert!(amz_ua.ends_with("app/tester"), "{amz_ua}");
    assert_eq!(
        r.header("content-length"),
        Some(r.body.len().to_string().as_str())
    );
    assert_eq!(r.json()["name"], "a");
}

#[tokio::test]
async fn endpoint_path_prefix_is_kept() {
    let server = TestServer::always(ok_body()).await;
    let h = handle(local_config(&format!("{}/base/", server.url())).build());
    h.call::<Echo>(input("a"), None).await.unwrap();
    assert_eq!(server.requests()[0].target, "/base/echo?mode=test");
}

#[tokio::test]
async fn retries_503_with_same_invocation_id_and_token() {
    let server = TestServer::sequence(vec![
        Action::error(503, "ServiceUnavailableException"),
        ok_body(),
    ])
    .await;
    let h = handle(local_config(&server.url()).build());
    let out = h.call::<Echo>(input("a"), None).await.unwrap();
    assert_eq!(out.message, "hello");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("amz-sdk-request"), Some("attempt=1; max=3"));
    assert_eq!(reqs[1].header("amz-sdk-request"), Some("attempt=2; max=3"));
    assert_eq!(
        reqs[0].header("amz-sdk-invocation-id"),
        reqs[1].header("amz-sdk-invocation-id")
    );
    let token0 = reqs[0].json()["clientRequestToken"].clone();
    assert!(token0.as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(token0, reqs[1].json()["clientRequestToken"]);

    // A second call gets a new invocation id and token.
    h.call::<Echo>(input("a"), None).await.unwrap();
    let reqs = server.requests();
    assert_ne!(
        reqs[0].header("amz-sdk-invocation-id"),
        reqs[2].header("amz-sdk-invocation-id")
    );
    assert_ne!(token0, reqs[2].json()["clientRequestToken"]);
}

#[tokio::test]
async fn throttling_until_attempts_run_out() {
    let server = TestServer::always(Action::error(429, "ThrottlingException")).await;
    let h = handle(local_config(&server.url()).build());
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert_eq!(server.requests().len(), 3);
    let service = err.as_service_error().expect("a service error");
    assert!(matches!(service, EchoError::Throttling(_)));
    assert_eq!(err.request_id(), Some("req-123"));
    assert_eq!(err.retry_exhaustion().map(|e| e.attempts()), Some(3));
    let text = err.to_string();
    assert!(text.contains("ThrottlingException"), "{text}");
    assert!(text.contains("gave up after 3 attempts"), "{text}");
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = TestServer::always(Action::error(400, "BadRequestException")).await;
    let h = handle(local_config(&server.url()).build());
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert_eq!(err.code(), Some("BadRequestException"));
    assert!(err.retry_exhaustion().is_none());
    assert!(!err.to_string().contains("gave up"));
}

#[tokio::test]
async fn unparseable_bodies_are_response_errors() {
    for body in ["not json at all", r#"{"message":"#, r#"{"other":1}"#] {
        let server = TestServer::always(Action::json(200, body)).await;
        let h = handle(local_config(&server.url()).build());
        let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
        assert!(matches!(err, SdkError::ResponseError(_)), "{body}: {err:?}");
        let text = err.to_string();
        assert!(text.contains("failed to read the response"), "{text}");
        assert!(text.contains("failed to parse the response"), "{text}");
        assert_eq!(err.raw_response().unwrap().status(), 200);
        assert_eq!(server.requests().len(), 1, "{body}");
    }
}

#[tokio::test]
async fn connection_refused_is_retried_then_a_dispatch_failure() {
    let port = closed_port().await;
    let h = handle(local_config(&format!("http://127.0.0.1:{port}")).build());
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert_eq!(err.retry_exhaustion().map(|e| e.attempts()), Some(3));
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "no response: could not connect to 127.0.0.1:{port}"
        )),
        "{text}"
    );
    let report = report(&err);
    assert!(report.to_lowercase().contains("refused"), "{report}");
}

#[tokio::test]
async fn connection_closed_mid_response_is_retried() {
    let server = TestServer::sequence(vec![Action::CloseMidBody, ok_body()]).await;
    let h = handle(local_config(&server.url()).build());
    let out = h.call::<Echo>(input("a"), None).await.unwrap();
    assert_eq!(out.message, "hello");
    assert_eq!(server.requests().len(), 2);

    // The response had begun: a response error, retried because the operation is idempotent.
    let always_broken = TestServer::always(Action::CloseMidBody).await;
    let h = handle(local_config(&always_broken.url()).build());
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert!(
        err.to_string().starts_with(
            "failed to read the response: the body broke off: connection closed after 11 of \
             100 bytes"
        ),
        "{err}"
    );
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(200));
    assert_eq!(always_broken.requests().len(), 3);
}

#[tokio::test]
async fn read_timeout_on_a_silent_server() {
    let server = TestServer::always(Action::Hang).await;
    let client = DefaultHttpClient::new(
        HttpClientSettings::new()
            .proxy(ProxySettings::Disabled)
            .read_timeout(Some(Duration::from_millis(200))),
    );
    let h = handle(
        local_config(&server.url())
            .http_client(client)
            .retry_config(fast_retries(2))
            .build(),
    );
    let started = Instant::now();
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert_eq!(server.requests().len(), 2, "timeouts are retried");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn attempt_and_operation_timeouts() {
    let server = TestServer::always(Action::Hang).await;
    let h = handle(
        local_config(&server.url())
            .retry_config(fast_retries(1))
            .timeout_config(
                TimeoutConfig::new().operation_attempt_timeout(Duration::from_millis(150)),
            )
            .build(),
    );
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(
        err.to_string().contains("operation attempt timeout"),
        "{err}"
    );

    let h = handle(
        local_config(&server.url())
            .retry_config(fast_retries(5))
            .timeout_config(TimeoutConfig::new().operation_timeout(Duration::from_millis(150)))
            .build(),
    );
    let started = Instant::now();
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert!(err.to_string().contains("the operation timeout"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn retry_quota_stops_a_retry_storm() {
    let server = TestServer::always(Action::error(503, "ServiceUnavailableException")).await;
    let h = handle(
        local_config(&server.url())
            .retry_config(fast_retries(10))
            .build(),
    );
    // 500 tokens at 5 per retry: 100 retries in total across calls, then no more.
    let mut last = None;
    for _ in 0..15 {
        last = Some(h.call::<Echo>(input("a"), None).await.unwrap_err());
    }
    // 15 first attempts + 100 retries.
    assert_eq!(server.requests().len(), 115);
    assert_eq!(h.retry_quota_available(), 0);
    let err = last.unwrap();
    assert!(err.retry_exhaustion().unwrap().is_quota());
    assert!(err.to_string().contains("retry quota"), "{err}");
}

#[tokio::test]
async fn without_the_retry_quota_every_attempt_is_used_and_nothing_is_drawn() {
    let server = TestServer::always(Action::error(503, "ServiceUnavailableException")).await;
    let h = handle(
        local_config(&server.url())
            .retry_config(fast_retries(10).with_retry_quota(false))
            .build(),
    );
    // 15 calls of 10 attempts would cost 15 * 9 * 5 = 675 tokens, more than the 500 the
    // quota holds: with the quota off, every call still makes all of its attempts.
    let mut last = None;
    for _ in 0..15 {
        // Bounded, so that a loop whose attempts never run out fails here instead of hanging.
        let call = tokio::time::timeout(Duration::from_secs(10), h.call::<Echo>(input("a"), None));
        last = Some(call.await.expect("the attempts run out").unwrap_err());
    }
    assert_eq!(server.requests().len(), 150);
    assert_eq!(h.retry_quota_available(), 500);
    assert!(!last.unwrap().retry_exhaustion().unwrap().is_quota());
}

#[tokio::test]
async fn successes_refill_the_retry_quota() {
    let server = TestServer::sequence(vec![Action::error(500, "InternalError"), ok_body()]).await;
    let h = handle(local_config(&server.url()).build());
    h.call::<Echo>(input("a"), None).await.unwrap();
    // One retry costs 5; the successful retried call gives them back.
    assert_eq!(h.retry_quota_available(), 500);
}

#[tokio::test]
async fn missing_region_or_credentials_fail_before_sending() {
    let server = TestServer::always(ok_body()).await;
    let no_region = handle(local_config(&server.url()).set_region(None).build());
    let err = no_region.call::<Echo>(input("a"), None).await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)));
    let text = err.to_string();
    assert!(text.contains("no region is configured"), "{text}");
    assert!(text.contains("Builder::region"), "{text}");

    let no_creds = handle(
        local_config(&server.url())
            .set_credentials_provider(None)
            .build(),
    );
    let err = no_creds.call::<Echo>(input("a"), None).await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)));
    let text = err.to_string();
    assert!(text.contains("no credentials provider"), "{text}");
    assert!(text.contains("credentials_provider"), "{text}");

    for bad in ["us-east-1.evil.com", "us-east-1/x", "", "-abc", "a b"] {
        let h = handle(
            local_config(&server.url())
                .region(Region::new(bad.to_string()))
                .build(),
        );
        let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
        assert!(err.to_string().contains("invalid region"), "{bad}: {err}");
    }
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn validation_runs_unless_disabled() {
    let server = TestServer::always(ok_body()).await;
    let h = handle(local_config(&server.url()).build());
    let err = h
        .call::<Echo>(EchoInput::default(), None)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("`EchoInput.name` is required"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 0);
    let lax = handle(
        local_config(&server.url())
            .request_validation(false)
            .build(),
    );
    lax.call::<Echo>(EchoInput::default(), None).await.unwrap();
    assert_eq!(server.requests().len(), 1);
}

fn resolve_plain_http(
    _: &smithy_rust_runtime::contract::endpoint::EndpointParams,
) -> Result<
    smithy_rust_runtime::contract::endpoint::ResolvedEndpoint,
    smithy_rust_runtime::contract::endpoint::EndpointError,
> {
    Ok(
        smithy_rust_runtime::contract::endpoint::ResolvedEndpoint::new(
            "http://insecure.example.com",
        ),
    )
}

static PLAIN_HTTP_META: smithy_rust_runtime::contract::operation::ServiceMeta =
    smithy_rust_runtime::contract::operation::ServiceMeta {
        resolve_endpoint: resolve_plain_http,
        ..META
    };

#[tokio::test]
async fn plain_http_only_for_explicit_endpoints() {
    let replay = ReplayClient::new(vec![CannedResponse::new(200).body(r#"{"message":"x"}"#)]);
    let config = Builder::new()
        .region(Region::new("eu-west-3"))
        .credentials_provider(test_credentials())
        .http_client(replay.clone())
        .build();
    let h = Handle::new(config, &PLAIN_HTTP_META);
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)));
    assert!(
        err.to_string()
            .contains("only allowed for an explicit `endpoint_url`"),
        "{err}"
    );
    assert!(replay.requests().is_empty());
}

#[tokio::test]
async fn resolved_endpoint_is_used_without_override() {
    let replay = ReplayClient::new(vec![CannedResponse::new(200).body(r#"{"message":"x"}"#)]);
    let h = handle(
        Builder::new()
            .region(Region::new("eu-west-3"))
            .credentials_provider(test_credentials())
            .http_client(replay.clone())
            .build(),
    );
    h.call::<Echo>(input("a"), None).await.unwrap();
    assert_eq!(
        replay.requests()[0].uri().to_string(),
        "https://echo.eu-west-3.example.com/echo?mode=test"
    );
}

#[derive(Debug, Default)]
struct Recorder {
    inputs: Mutex<Vec<String>>,
    outcomes: Mutex<Vec<CallOutcome>>,
    statuses: Mutex<Vec<u16>>,
    /// `CallInfo::attempt` as `read_after_execution` sees it.
    final_attempts: Mutex<Vec<u32>>,
}

#[derive(Debug)]
struct Shared(Arc<Recorder>);

impl Interceptor for Shared {
    fn read_before_execution(&self, call: &CallInfo, input: &dyn Any) -> Result<(), BoxError> {
        assert_eq!(call.operation, "Echo");
        let input = input.downcast_ref::<EchoInput>().expect("EchoInput");
        self.0
            .inputs
            .lock()
            .unwrap()
            .push(input.name.clone().unwrap_or_default());
        Ok(())
    }

    fn modify_before_signing(
        &self,
        call: &CallInfo,
        request: &mut HttpRequest,
    ) -> Result<(), BoxError> {
        request.headers_mut().insert(
            "x-test-attempt",
            http::HeaderValue::from_str(&call.attempt.to_string())?,
        );
        Ok(())
    }

    fn modify_before_transmit(
        &self,
        _call: &CallInfo,
        request: &mut HttpRequest,
    ) -> Result<(), BoxError> {
        request
            .headers_mut()
            .insert("x-after-signing", http::HeaderValue::from_static("yes"));
        Ok(())
    }

    fn read_before_deserialization(
        &self,
        _call: &CallInfo,
        response: &smithy_rust_runtime::contract::http::HttpResponse,
    ) -> Result<(), BoxError> {
        self.0
            .statuses
            .lock()
            .unwrap()
            .push(response.status().as_u16());
        Ok(())
    }

    fn read_after_execution(&self, call: &CallInfo, outcome: &CallOutcome) {
        self.0.outcomes.lock().unwrap().push(outcome.clone());
        self.0.final_attempts.lock().unwrap().push(call.attempt);
    }
}

#[tokio::test]
async fn interceptors_see_and_change_the_call() {
    let server = TestServer::sequence(vec![Action::error(502, "BadGateway"), ok_body()]).await;
    let recorder = Arc::new(Recorder::default());
    let h = handle(
        local_config(&server.url())
            .interceptor(Shared(recorder.clone()))
            .build(),
    );
    h.call::<Echo>(input("watched"), None).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].header("x-test-attempt"), Some("1"));
    assert_eq!(reqs[1].header("x-test-attempt"), Some("2"));
    assert_eq!(reqs[1].header("x-after-signing"), Some("yes"));
    let auth = reqs[1].header("authorization").unwrap();
    assert!(
        auth.contains("x-test-attempt"),
        "signed before signing: {auth}"
    );
    assert!(
        !auth.contains("x-after-signing"),
        "added after signing: {auth}"
    );
    assert_eq!(
        *recorder.inputs.lock().unwrap(),
        vec!["watched".to_string()]
    );
    assert_eq!(*recorder.statuses.lock().unwrap(), vec![502, 200]);
    let outcomes = recorder.outcomes.lock().unwrap();
    assert_eq!(outcomes.len(), 1);
    assert!(outcomes[0].success);
    assert_eq!(outcomes[0].attempts, 2);
    assert_eq!(outcomes[0].status, Some(200));
    // After the call, the call's own attempt number is that of the last attempt.
    assert_eq!(*recorder.final_attempts.lock().unwrap(), [2]);
}

#[derive(Debug)]
struct Refuse;

impl Interceptor for Refuse {
    fn modify_before_signing(&self, _: &CallInfo, _: &mut HttpRequest) -> Result<(), BoxError> {
        Err("not today".into())
    }
}

#[tokio::test]
async fn per_call_overrides_apply_to_one_call() {
    let server = TestServer::always(Action::error(503, "ServiceUnavailableException")).await;
    let h = handle(local_config(&server.url()).build());
    let err = h
        .call::<Echo>(
            input("a"),
            Some(
                Builder::new()
                    .retry_config(fast_retries(1))
                    .app_name("override"),
            ),
        )
        .await
        .unwrap_err();
    assert_eq!(err.retry_exhaustion().map(|e| e.attempts()), Some(1));
    assert_eq!(server.requests().len(), 1);
    assert!(server.requests()[0]
        .header("x-amz-user-agent")
        .unwrap()
        .ends_with("app/override"));

    h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert_eq!(
        server.requests().len(),
        4,
        "the client's 3 attempts apply again"
    );
    assert!(!server.requests()[1]
        .header("x-amz-user-agent")
        .unwrap()
        .contains("app/"));

    let err = h
        .call::<Echo>(input("a"), Some(Builder::new().interceptor(Refuse)))
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)));
    assert!(err.to_string().contains("modify_before_signing"), "{err}");
    assert!(err.to_string().contains("not today"), "{err}");
    assert_eq!(server.requests().len(), 4);

    let err = h
        .call::<Echo>(input("a"), Some(Builder::new().app_name("bad name")))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("invalid app name"), "{err}");
}

#[derive(Debug)]
struct FixedTokens;

impl IdempotencyTokenProvider for FixedTokens {
    fn make_token(&self) -> String {
        "fixed-token".into()
    }
}

#[tokio::test]
async fn idempotency_tokens_come_from_the_config() {
    let server = TestServer::always(ok_body()).await;
    let h = handle(
        local_config(&server.url())
            .idempotency_token_provider(FixedTokens)
            .build(),
    );
    h.call::<Echo>(input("a"), None).await.unwrap();
    assert_eq!(
        server.requests()[0].json()["clientRequestToken"],
        "fixed-token"
    );
}

fn amz_date(seen: &Seen) -> String {
    seen.header("x-amz-date").unwrap().to_string()
}

#[tokio::test]
async fn clock_skew_is_corrected_once() {
    // The local clock says 2020-01-01T00:00:00Z; the service says one hour later.
    let local = SystemTime::UNIX_EPOCH + Duration::from_secs(1_577_836_800);
    let skewed = Action::Respond(
        403,
        vec![
            (
                "x-amzn-errortype".into(),
                "InvalidSignatureException".into(),
            ),
            ("date".into(), "Wed, 01 Jan 2020 01:00:00 GMT".into()),
        ],
        br#"{"Message":"Signature expired"}"#.to_vec(),
    );
    let server = TestServer::sequence(vec![skewed.clone(), ok_body()]).await;
    let h = handle(
        local_config(&server.url())
            .time_source(StaticTimeSource::new(local))
            .build(),
    );
    h.call::<Echo>(input("a"), None).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(amz_date(&reqs[0]), "20200101T000000Z");
    assert_eq!(amz_date(&reqs[1]), "20200101T010000Z");
    // The learned offset is kept for later calls.
    h.call::<Echo>(input("a"), None).await.unwrap();
    assert_eq!(amz_date(&server.requests()[2]), "20200101T010000Z");

    // A skew error whose Date agrees with the local clock is not retried.
    let in_sync = Action::Respond(
        403,
        vec![
            (
                "x-amzn-errortype".into(),
                "InvalidSignatureException".into(),
            ),
            ("date".into(), "Wed, 01 Jan 2020 00:00:10 GMT".into()),
        ],
        Vec::new(),
    );
    let server = TestServer::always(in_sync).await;
    let h = handle(
        local_config(&server.url())
            .time_source(StaticTimeSource::new(local))
            .build(),
    );
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidSignatureException"));
    assert_eq!(server.requests().len(), 1);

    // A skew error on every attempt is retried only once.
    let server = TestServer::always(skewed).await;
    let h = handle(
        local_config(&server.url())
            .time_source(StaticTimeSource::new(local))
            .build(),
    );
    h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn body_size_limit_gives_a_clear_error() {
    let big = "x".repeat(4096);
    let server = TestServer::always(Action::json(200, &format!(r#"{{"message":"{big}"}}"#))).await;
    let client = DefaultHttpClient::new(
        HttpClientSettings::new()
            .proxy(ProxySettings::Disabled)
            .max_body_size(1024),
    );
    let h = handle(local_config(&server.url()).http_client(client).build());
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("larger than the limit of 1024 bytes"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 1, "not retried");
}

#[tokio::test]
async fn plain_http_goes_through_the_configured_proxy() {
    let proxy = TestServer::always(ok_body()).await;
    let client = DefaultHttpClient::new(HttpClientSettings::new().proxy(ProxySettings::Custom {
        http: Some(format!("http://user:pass@127.0.0.1:{}", proxy.port)),
        https: None,
        no_proxy: None,
    }));
    let h = handle(
        local_config("http://service.invalid:8080")
            .http_client(client)
            .build(),
    );
    h.call::<Echo>(input("a"), None).await.unwrap();
    let reqs = proxy.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].target, "http://service.invalid:8080/echo?mode=test");
    // "user:pass" in base64.
    assert_eq!(
        reqs[0].header("proxy-authorization"),
        Some("Basic dXNlcjpwYXNz")
    );

    // NO_PROXY-style exclusions reach the server directly.
    let direct = TestServer::always(ok_body()).await;
    let client = DefaultHttpClient::new(HttpClientSettings::new().proxy(ProxySettings::Custom {
        http: Some(format!("http://127.0.0.1:{}", proxy.port)),
        https: None,
        no_proxy: Some("127.0.0.1".into()),
    }));
    let h = handle(local_config(&direct.url()).http_client(client).build());
    h.call::<Echo>(input("a"), None).await.unwrap();
    assert_eq!(direct.requests().len(), 1);
    assert_eq!(proxy.requests().len(), 1);
}

#[tokio::test]
async fn replay_client_records_and_runs_out_clearly() {
    let replay = ReplayClient::new(vec![
        CannedResponse::new(503),
        CannedResponse::new(200)
            .header("content-type", "application/json")
            .body(r#"{"message":"replayed"}"#),
    ]);
    let h = handle(
        local_config("https://replay.example.com")
            .http_client(replay.clone())
            .build(),
    );
    let out = h.call::<Echo>(input("a"), None).await.unwrap();
    assert_eq!(out.message, "replayed");
    let reqs = replay.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[1].uri().to_string(),
        "https://replay.example.com/echo?mode=test"
    );
    assert_eq!(reqs[1].headers()["amz-sdk-request"], "attempt=2; max=3");
    assert_eq!(replay.remaining(), 0);

    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)));
    assert!(
        err.to_string()
            .contains("no canned response left for request #3"),
        "{err}"
    );
    assert_eq!(replay.requests().len(), 3, "running out is not retried");
}

#[tokio::test]
async fn typed_stubs_answer_without_the_network() {
    let replay = ReplayClient::new(Vec::new());
    let stubs = Stubs::new();
    stubs
        .on::<Echo>()
        .matching(|i| i.name.as_deref() == Some("first"))
        .then_output(EchoOutput {
            message: "one".into(),
        })
        .then_error(EchoError::Throttling(
            ErrorMetadata::new()
                .with_code(Some("ThrottlingException".into()))
                .with_status(Some(429)),
        ));
    stubs.on::<Echo>().then(|input| {
        Ok(EchoOutput {
            message: format!("hi {}", input.name.clone().unwrap_or_default()),
        })
    });
    // No region or credentials needed.
    let h = handle(
        Builder::new()
            .http_client(replay.clone())
            .stubs(stubs.clone())
            .build(),
    );
    assert_eq!(
        h.call::<Echo>(input("first"), None).await.unwrap().message,
        "one"
    );
    assert_eq!(
        h.call::<Echo>(input("other"), None).await.unwrap().message,
        "hi other"
    );
    let err = h.call::<Echo>(input("first"), None).await.unwrap_err();
    assert_eq!(err.code(), Some("ThrottlingException"));
    assert_eq!(err.raw_response().unwrap().status(), 429);
    let err = h.call::<Echo>(input("first"), None).await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)));
    assert!(
        err.to_string()
            .contains("no stub left for operation `Echo`"),
        "{err}"
    );
    assert_eq!(stubs.calls(), vec!["Echo"; 4]);
    assert!(replay.requests().is_empty());

    // Validation still runs before the stubs.
    let err = h
        .call::<Echo>(EchoInput::default(), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("EchoInput.name"), "{err}");
}

/// Answers every call with an output or a service error of a type no operation has.
#[derive(Debug)]
struct WrongTypeAnswer {
    error: bool,
}

impl Interceptor for WrongTypeAnswer {
    fn answer_call(&self, _call: &CallInfo, _input: &dyn CallInput) -> Option<CallAnswer> {
        Some(if self.error {
            CallAnswer::ServiceError(Box::new("not an EchoError"), HttpResponse::default())
        } else {
            CallAnswer::Output(Box::new(42_u32))
        })
    }
}

#[tokio::test]
async fn an_answer_of_the_wrong_type_fails_the_call_and_its_outcome() {
    for (error, what) in [(false, "output"), (true, "error")] {
        let recorder = Arc::new(Recorder::default());
        let replay = ReplayClient::new(Vec::new());
        let h = handle(
            Builder::new()
                .http_client(replay.clone())
                .interceptor(WrongTypeAnswer { error })
                .interceptor(Shared(recorder.clone()))
                .build(),
        );
        let err = h.call::<Echo>(input("x"), None).await.unwrap_err();
        assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
        let expected = format!("the answer's {what} is not of the type `Echo` returns");
        assert!(err.to_string().contains(&expected), "{err}");
        // Interceptors after the call see the failure too.
        let outcomes = recorder.outcomes.lock().unwrap();
        assert_eq!(outcomes.len(), 1);
        assert!(!outcomes[0].success);
        assert!(
            outcomes[0].error.as_deref().unwrap().contains(&expected),
            "{:?}",
            outcomes[0]
        );
        assert!(replay.requests().is_empty());
    }
}

#[test]
fn config_debug_shows_no_secrets() {
    let config = Builder::new()
        .region(Region::new("us-west-2"))
        .credentials_provider(test_credentials())
        .build();
    let text = format!("{config:?}");
    assert!(text.contains("us-west-2"), "{text}");
    assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
    assert!(!text.contains("AKIDEXAMPLE"), "{text}");
    assert!(config.request_validation());
    assert_eq!(config.retry_config().max_attempts(), 3);
    assert_eq!(
        config.timeout_config().connect(),
        Some(Duration::from_millis(3100))
    );
    assert_eq!(config.timeout_config().operation(), None);
}

#[test]
fn from_env_fills_region_and_credentials() {
    use smithy_rust_runtime::env::Env;
    let env = Env::from_vars([
        ("AWS_REGION", "ap-south-1"),
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
    ]);
    let config = Builder::new().env(env.clone()).build();
    assert_eq!(
        config.region().map(|r| r.to_string()),
        Some("ap-south-1".into())
    );
    assert!(config.credentials_provider().is_some());
    let explicit = Builder::new()
        .env(env)
        .region(Region::new("eu-north-1"))
        .build();
    assert_eq!(
        explicit.region().map(|r| r.to_string()),
        Some("eu-north-1".into())
    );
    let none = Builder::new().build();
    assert!(none.region().is_none() && none.credentials_provider().is_none());
}

#[test]
fn blocking_helper_runs_a_call() {
    let replay = ReplayClient::new(vec![CannedResponse::new(200).body(r#"{"message":"sync"}"#)]);
    let h = handle(
        local_config("https://sync.example.com")
            .http_client(replay)
            .build(),
    );
    let out =
        smithy_rust_runtime::blocking::block_on(
            async move { h.call::<Echo>(input("a"), None).await },
        )
        .unwrap()
        .unwrap();
    assert_eq!(out.message, "sync");
}

#[tokio::test]
async fn tls_failures_are_not_retried() {
    // A server that answers a TLS ClientHello with plain text.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepts = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepts.clone();
    let task = tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    let h = handle(local_config(&format!("https://127.0.0.1:{port}")).build());
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    task.abort();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert_eq!(accepts.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert!(err.retry_exhaustion().is_none());
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel() {
    let proxy = TestServer::always(Action::Respond(407, Vec::new(), Vec::new())).await;
    let client = DefaultHttpClient::new(HttpClientSettings::new().proxy(ProxySettings::Custom {
        http: None,
        https: Some(format!("http://user:pass@127.0.0.1:{}", proxy.port)),
        no_proxy: None,
    }));
    let h = handle(
        local_config("https://secure.invalid")
            .http_client(client)
            .retry_config(fast_retries(1))
            .build(),
    );
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    let reqs = proxy.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "CONNECT");
    assert_eq!(reqs[0].target, "secure.invalid:443");
    assert_eq!(
        reqs[0].header("proxy-authorization"),
        Some("Basic dXNlcjpwYXNz")
    );
}

#[tokio::test]
async fn connect_timeout_covers_a_stalled_tunnel() {
    // The proxy accepts the TCP connection but never answers CONNECT, so connecting stalls.
    let proxy = TestServer::always(Action::Hang).await;
    let client = DefaultHttpClient::new(
        HttpClientSettings::new()
            .connect_timeout(Some(Duration::from_millis(200)))
            .proxy(ProxySettings::Custom {
                http: None,
                https: Some(format!("http://127.0.0.1:{}", proxy.port)),
                no_proxy: None,
            }),
    );
    let h = handle(
        local_config("https://secure.invalid")
            .http_client(client)
            .retry_config(fast_retries(2))
            .build(),
    );
    let started = Instant::now();
    let err = h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    let report = report(&err);
    assert!(
        report.starts_with("request timed out: could not connect to secure.invalid:443"),
        "{report}"
    );
    assert!(
        report.contains("connecting took longer than the connect timeout (200ms)"),
        "{report}"
    );
    assert_eq!(proxy.requests().len(), 2, "connect timeouts are retried");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn calls_can_be_spawned_and_the_default_client_is_lazy() {
    let server = TestServer::always(ok_body()).await;
    let h = handle(local_config(&server.url()).build());
    let before = format!("{:?}", h.config().http_client());
    assert!(before.contains("initialized: false"), "{before}");
    let h2 = h.clone();
    let out = tokio::spawn(async move { h2.call::<Echo>(input("a"), None).await })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.message, "hello");
    let after = format!("{:?}", h.config().http_client());
    assert!(after.contains("initialized: true"), "{after}");
}

/// `Echo` without the idempotency token's guarantee: a call the service may have acted on must
/// not be sent again once the request has gone out.
struct NotIdempotentEcho;

impl smithy_rust_runtime::contract::operation::Operation for NotIdempotentEcho {
    type Input = EchoInput;
    type Output = EchoOutput;
    type Error = EchoError;
    const NAME: &'static str = "NotIdempotentEcho";

    fn validate(input: &EchoInput) -> Result<(), smithy_rust_runtime::contract::error::BuildError> {
        Echo::validate(input)
    }

    fn serialize(
        input: &EchoInput,
        ctx: &smithy_rust_runtime::contract::operation::SerializeContext,
    ) -> Result<HttpRequest, smithy_rust_runtime::contract::error::BuildError> {
        Echo::serialize(input, ctx)
    }

    fn deserialize(
        response: &smithy_rust_runtime::contract::http::HttpResponse,
    ) -> Result<EchoOutput, smithy_rust_runtime::contract::operation::ResponseFailure<EchoError>>
    {
        Echo::deserialize(response)
    }
}

#[tokio::test]
async fn an_attempt_timeout_is_retried_only_for_idempotent_operations() {
    // The server reads the request and never answers: it may have acted on it.
    let server = TestServer::always(Action::Hang).await;
    let config = || {
        local_config(&server.url())
            .retry_config(fast_retries(3))
            .timeout_config(
                TimeoutConfig::new().operation_attempt_timeout(Duration::from_millis(100)),
            )
            .build()
    };
    let err = handle(config())
        .call::<Echo>(input("a"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert_eq!(
        server.requests().len(),
        3,
        "an idempotent call is sent again"
    );
    assert_eq!(err.retry_exhaustion().map(|e| e.attempts()), Some(3));

    let err = handle(config())
        .call::<NotIdempotentEcho>(input("a"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(
        err.to_string().contains("operation attempt timeout"),
        "{err}"
    );
    assert_eq!(
        server.requests().len(),
        4,
        "a non-idempotent call is sent once"
    );
    assert!(err.retry_exhaustion().is_none(), "{err}");
}

#[tokio::test]
async fn a_response_that_broke_off_is_retried_only_for_idempotent_operations() {
    let server = TestServer::always(Action::CloseMidBody).await;
    let h = handle(local_config(&server.url()).build());
    let err = h
        .call::<NotIdempotentEcho>(input("a"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert_eq!(server.requests().len(), 1);
    assert!(err.retry_exhaustion().is_none(), "{err}");

    // No response byte: the service never answered, so even this call is retried.
    let port = closed_port().await;
    let h = handle(local_config(&format!("http://127.0.0.1:{port}")).build());
    let err = h
        .call::<NotIdempotentEcho>(input("a"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert_eq!(err.retry_exhaustion().map(|e| e.attempts()), Some(3));

    // A 5xx answer is a service error, retried like for an idempotent call.
    let server = TestServer::sequence(vec![
        Action::error(503, "ServiceUnavailableException"),
        ok_body(),
    ])
    .await;
    let h = handle(local_config(&server.url()).build());
    let out = h.call::<NotIdempotentEcho>(input("a"), None).await.unwrap();
    assert_eq!(out.message, "hello");
    assert_eq!(server.requests().len(), 2);
}

/// An `AsyncSleep` that records what it is asked to wait and returns at once.
#[derive(Debug, Default, Clone)]
struct RecordingSleep(Arc<Mutex<Vec<Duration>>>);

impl smithy_rust_runtime::contract::time::AsyncSleep for RecordingSleep {
    fn sleep(
        &self,
        duration: Duration,
    ) -> smithy_rust_runtime::contract::http::BoxFuture<'static, ()> {
        self.0.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

#[tokio::test]
async fn each_retry_waits_its_backoff_and_a_clock_skew_retry_waits_nothing() {
    let sleeps = RecordingSleep::default();
    let server = TestServer::always(Action::error(503, "ServiceUnavailableException")).await;
    let h = handle(
        local_config(&server.url())
            .retry_config(
                fast_retries(4)
                    .with_max_backoff(Duration::from_secs(20))
                    .with_backoff_fn(|retry| Duration::from_secs(u64::from(retry) * 3)),
            )
            .sleep_impl(sleeps.clone())
            .build(),
    );
    h.call::<Echo>(input("a"), None).await.unwrap_err();
    assert_eq!(server.requests().len(), 4);
    // Retry n waits backoff(n), and the last attempt is not followed by a wait.
    assert_eq!(
        *sleeps.0.lock().unwrap(),
        [3, 6, 9].map(Duration::from_secs)
    );

    // A request signed with a skewed clock is sent again at once with the corrected time.
    let sleeps = RecordingSleep::default();
    let local = SystemTime::UNIX_EPOCH + Duration::from_secs(1_577_836_800);
    let skewed = Action::Respond(
        403,
        vec![
            (
                "x-amzn-errortype".into(),
                "InvalidSignatureException".into(),
            ),
            ("date".into(), "Wed, 01 Jan 2020 01:00:00 GMT".into()),
        ],
        br#"{"Message":"Signature expired"}"#.to_vec(),
    );
    let server = TestServer::sequence(vec![skewed, ok_body()]).await;
    let h = handle(
        local_config(&server.url())
            .retry_config(fast_retries(3).with_backoff_fn(|_| Duration::from_millis(4)))
            .time_source(StaticTimeSource::new(local))
            .sleep_impl(sleeps.clone())
            .build(),
    );
    h.call::<Echo>(input("a"), None).await.unwrap();
    assert_eq!(server.requests().len(), 2);
    assert_eq!(*sleeps.0.lock().unwrap(), [] as [Duration; 0]);
}

#[tokio::test]
async fn clock_skew_limits_and_a_server_behind_the_local_clock() {
    // The local clock says 2020-01-01T00:00:00Z (a Wednesday).
    let local = SystemTime::UNIX_EPOCH + Duration::from_secs(1_577_836_800);
    // (the service's `Date`, the `X-Amz-Date` of the retry, or `None` when there is none)
    let cases = [
        // An hour behind: the correction goes back in time.
        ("Tue, 31 Dec 2019 23:00:00 GMT", Some("20191231T230000Z")),
        // Exactly the 4-minute threshold is a skew; a second less is not.
        ("Wed, 01 Jan 2020 00:04:00 GMT", Some("20200101T000400Z")),
        ("Wed, 01 Jan 2020 00:03:59 GMT", None),
        ("Tue, 31 Dec 2019 23:56:01 GMT", None),
        // Exactly 24 hours is still corrected; beyond that the `Date` is not believed.
        ("Thu, 02 Jan 2020 00:00:00 GMT", Some("20200102T000000Z")),
        ("Thu, 02 Jan 2020 00:00:01 GMT", None),
        ("Mon, 30 Dec 2019 23:59:59 GMT", None),
    ];
    for (date, retried_at) in cases {
        let skewed = Action::Respond(
            403,
            vec![
                ("x-amzn-errortype".into(), "SignatureDoesNotMatch".into()),
                ("date".into(), date.into()),
            ],
            Vec::new(),
        );
        let server = TestServer::sequence(vec![skewed, ok_body()]).await;
        let h = handle(
            local_config(&server.url())
                .time_source(StaticTimeSource::new(local))
                .build(),
        );
        let result = h.call::<Echo>(input("a"), None).await;
        let reqs = server.requests();
        assert_eq!(amz_date(&reqs[0]), "20200101T000000Z", "{date}");
        match retried_at {
            Some(corrected) => {
                assert!(result.is_ok(), "{date}: {result:?}");
                assert_eq!(reqs.len(), 2, "{date}");
                assert_eq!(amz_date(&reqs[1]), corrected, "{date}");
            }
            None => {
                let err = result.unwrap_err();
                assert_eq!(err.code(), Some("SignatureDoesNotMatch"), "{date}");
                assert_eq!(reqs.len(), 1, "{date}");
            }
        }
    }
}

#[tokio::test]
async fn only_adaptive_mode_waits_for_the_rate_limiter_after_throttling() {
    let throttled_then_ok = || {
        TestServer::sequence(vec![
            Action::error(429, "ThrottlingException"),
            ok_body(),
            ok_body(),
        ])
    };
    let run = |retry: smithy_rust_runtime::retry::RetryConfig, url: String| async move {
        let sleeps = RecordingSleep::default();
        let h = handle(
            local_config(&url)
                .retry_config(
                    retry
                        .with_max_attempts(3)
                        .with_backoff_fn(|_| Duration::from_millis(3)),
                )
                .sleep_impl(sleeps.clone())
                .build(),
        );
        h.call::<Echo>(input("a"), None).await.unwrap();
        h.call::<Echo>(input("a"), None).await.unwrap();
        let recorded = sleeps.0.lock().unwrap().clone();
        recorded
    };

    // Standard mode: the retry's backoff and nothing else, before or after the throttle.
    let server = throttled_then_ok().await;
    let standard = run(
        smithy_rust_runtime::retry::RetryConfig::standard(),
        server.url(),
    )
    .await;
    assert_eq!(standard, [Duration::from_millis(3)]);
    assert_eq!(server.requests().len(), 3);

    // Adaptive mode: no wait while nothing was throttled (not even a zero one), the backoff,
    // then the rate limiter, switched on by the throttle, makes the next attempts wait.
    let server = throttled_then_ok().await;
    let adaptive = run(
        smithy_rust_runtime::retry::RetryConfig::adaptive(),
        server.url(),
    )
    .await;
    assert_eq!(server.requests().len(), 3);
    assert_eq!(
        adaptive.first(),
        Some(&Duration::from_millis(3)),
        "{adaptive:?}"
    );
    assert!(adaptive.len() >= 2, "{adaptive:?}");
    assert!(
        adaptive[1..].iter().all(|wait| !wait.is_zero()),
        "{adaptive:?}"
    );
}

/// A fluent builder as a generated crate writes one: the operation's input and the client.
#[derive(Debug)]
struct EchoCall {
    handle: Handle,
    input: EchoInput,
}

impl CustomizableSend for EchoCall {
    type Output = EchoOutput;
    type Error = EchoError;

    fn send_with_overrides(
        self,
        overrides: Option<Builder>,
    ) -> BoxFuture<'static, Result<EchoOutput, SdkError<EchoError>>> {
        Box::pin(async move { self.handle.call::<Echo>(self.input, overrides).await })
    }
}

/// A `map_request` that fails, with a cause of its own.
#[derive(Debug)]
struct Unmappable(std::io::Error);

impl std::fmt::Display for Unmappable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cannot map the request")
    }
}

impl std::error::Error for Unmappable {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

fn signed_headers(request: &HttpRequest) -> String {
    let auth = request.headers()["authorization"].to_str().unwrap();
    let start = auth.find("SignedHeaders=").expect("SignedHeaders") + "SignedHeaders=".len();
    auth[start..].split(',').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_customized_call_changes_its_own_requests_only() {
    let replay = ReplayClient::new(vec![CannedResponse::new(503)]).with_fallback(
        CannedResponse::new(200)
            .header("content-type", "application/json")
            .body(r#"{"message":"hello"}"#),
    );
    let recorder = Arc::new(Recorder::default());
    let h = handle(
        local_config("https://replay.example.com")
            .http_client(replay.clone())
            .build(),
    );
    let call = |name: &str| EchoCall {
        handle: h.clone(),
        input: input(name),
    };
    let customized = CustomizableOperation::new(call("custom"))
        .config_override(Builder::new().app_name("custom"))
        .interceptor(Shared(recorder.clone()))
        .mutate_request(|request| {
            request
                .headers_mut()
                .insert("x-mutated", http::HeaderValue::from_static("1"));
        })
        // Runs after `mutate_request`, which was added first.
        .map_request(|request: HttpRequest| {
            let saw = request.headers().contains_key("x-mutated");
            let (mut parts, body) = request.into_parts();
            parts.headers.insert(
                "x-mapped",
                http::HeaderValue::from_static(if saw { "after-mutate" } else { "first" }),
            );
            Ok::<_, Unmappable>(HttpRequest::from_parts(parts, body))
        });
    let debug = format!("{customized:?}");
    assert!(
        debug.starts_with(r#"CustomizableOperation { call: EchoCall { handle: "#),
        "{debug}"
    );
    assert!(debug.contains("config_override: Some("), "{debug}");
    // The interceptors in the order they run, `mutate_request` and `map_request` by name.
    assert!(
        debug.contains("interceptors: [Shared(Recorder {"),
        "{debug}"
    );
    assert!(debug.ends_with(", MutateRequest, MapRequest] }"), "{debug}");

    assert_eq!(customized.send().await.unwrap().message, "hello");
    let requests = replay.requests();
    assert_eq!(requests.len(), 2, "the 503 is retried");
    for request in &requests {
        assert_eq!(request.headers()["x-mutated"], "1");
        assert_eq!(request.headers()["x-mapped"], "after-mutate");
        let signed = signed_headers(request);
        assert!(
            signed.contains("x-mapped") && signed.contains("x-mutated"),
            "changed before signing: {signed}"
        );
        let ua = request.headers()["x-amz-user-agent"].to_str().unwrap();
        assert!(ua.ends_with("app/custom"), "{ua}");
    }
    assert_eq!(*recorder.inputs.lock().unwrap(), ["custom"]);
    assert_eq!(*recorder.statuses.lock().unwrap(), [503, 200]);

    // The client's other calls are untouched, customized without changes or not at all.
    CustomizableOperation::new(call("plain"))
        .send()
        .await
        .unwrap();
    h.call::<Echo>(input("plain"), None).await.unwrap();
    let requests = replay.requests();
    assert_eq!(requests.len(), 4);
    for request in &requests[2..] {
        assert!(!request.headers().contains_key("x-mutated"));
        assert!(!request.headers().contains_key("x-mapped"));
        let ua = request.headers()["x-amz-user-agent"].to_str().unwrap();
        assert!(!ua.contains("app/"), "{ua}");
    }
    assert_eq!(recorder.inputs.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_failing_map_request_stops_the_call_with_its_error_and_cause() {
    let replay = ReplayClient::new(Vec::new());
    let h = handle(
        local_config("https://replay.example.com")
            .http_client(replay.clone())
            .build(),
    );
    let err = CustomizableOperation::new(EchoCall {
        handle: h,
        input: input("a"),
    })
    .map_request(|_: HttpRequest| Err(Unmappable(std::io::Error::other("disk on fire"))))
    .send()
    .await
    .unwrap_err();
    let SdkError::ConstructionFailure(failure) = &err else {
        panic!("a construction failure: {err:?}");
    };
    let hook = failure
        .source_error()
        .downcast_ref::<InterceptorError>()
        .map(InterceptorError::hook);
    assert_eq!(hook, Some("modify_before_signing"));
    assert_eq!(
        report(&err),
        "failed to construct the request: interceptor hook `modify_before_signing` failed: \
         cannot map the request: disk on fire"
    );
    assert!(replay.requests().is_empty(), "nothing is sent");
}

#[test]
fn calls_and_customized_calls_can_be_sent_blocking() {
    let replay = ReplayClient::new(Vec::new()).with_fallback(
        CannedResponse::new(200)
            .header("content-type", "application/json")
            .body(r#"{"message":"sync"}"#),
    );
    let h = handle(
        local_config("https://sync.example.com")
            .http_client(replay.clone())
            .build(),
    );
    let call = EchoCall {
        handle: h.clone(),
        input: input("a"),
    };
    assert_eq!(call.send_blocking().unwrap().message, "sync");
    let customized = CustomizableOperation::new(EchoCall {
        handle: h,
        input: input("b"),
    })
    .config_override(Builder::new().app_name("blocking"));
    assert_eq!(customized.send_blocking().unwrap().message, "sync");
    let requests = replay.requests();
    assert_eq!(requests.len(), 2);
    let ua = requests[1].headers()["x-amz-user-agent"].to_str().unwrap();
    assert!(ua.ends_with("app/blocking"), "{ua}");
}

#[tokio::test]
async fn a_blocking_call_on_a_current_thread_runtime_fails_at_once() {
    let replay = ReplayClient::new(Vec::new());
    let h = handle(
        local_config("https://sync.example.com")
            .http_client(replay.clone())
            .build(),
    );
    let call = |name: &str| EchoCall {
        handle: h.clone(),
        input: input(name),
    };
    for err in [
        call("a").send_blocking().unwrap_err(),
        CustomizableOperation::new(call("b"))
            .send_blocking()
            .unwrap_err(),
    ] {
        let SdkError::ConstructionFailure(failure) = &err else {
            panic!("a construction failure: {err:?}");
        };
        let blocking = failure.source_error().downcast_ref::<BlockingError>();
        assert!(
            blocking.is_some_and(BlockingError::is_inside_current_thread_runtime),
            "{err:?}"
        );
    }
    assert!(replay.requests().is_empty());
}

/// An operation whose request method, path and body come from its input; with `ACCOUNT`, its
/// service's endpoint rules read the account id of the credentials.
struct Raw<const ACCOUNT: bool>;

#[derive(Debug, Clone, Default)]
struct RawInput {
    method: &'static str,
    body: &'static str,
    /// What the operation's `@endpoint` trait puts before the host.
    host_prefix: Option<&'static str>,
    /// The endpoint the input names (as Machine Learning's `PredictEndpoint`).
    endpoint_url: Option<&'static str>,
    /// The `Stage` endpoint parameter the input sets.
    stage: Option<&'static str>,
}

impl<const ACCOUNT: bool> smithy_rust_runtime::contract::operation::Operation for Raw<ACCOUNT> {
    type Input = RawInput;
    type Output = EchoOutput;
    type Error = EchoError;
    const NAME: &'static str = "Raw";
    const ENDPOINT_USES_ACCOUNT_ID: bool = ACCOUNT;

    fn validate(_: &RawInput) -> Result<(), smithy_rust_runtime::contract::error::BuildError> {
        Ok(())
    }

    fn serialize(
        input: &RawInput,
        _: &smithy_rust_runtime::contract::operation::SerializeContext,
    ) -> Result<HttpRequest, smithy_rust_runtime::contract::error::BuildError> {
        http::Request::builder()
            .method(input.method)
            .uri("/raw")
            .body(bytes::Bytes::from_static(input.body.as_bytes()))
            .map_err(|e| smithy_rust_runtime::contract::error::BuildError::other(e.to_string()))
    }

    fn host_prefix(
        input: &RawInput,
    ) -> Result<Option<String>, smithy_rust_runtime::contract::error::BuildError> {
        Ok(input.host_prefix.map(str::to_owned))
    }

    fn endpoint_url(
        input: &RawInput,
    ) -> Result<Option<String>, smithy_rust_runtime::contract::error::BuildError> {
        Ok(input.endpoint_url.map(str::to_owned))
    }

    fn endpoint_params(
        input: &RawInput,
        params: &mut smithy_rust_runtime::contract::endpoint::EndpointParams,
    ) -> Result<(), smithy_rust_runtime::contract::error::BuildError> {
        if let Some(stage) = input.stage {
            params.set(
                "Stage",
                smithy_rust_runtime::contract::endpoint::EndpointValue::String(stage.to_owned()),
            );
        }
        Ok(())
    }

    fn deserialize(
        response: &HttpResponse,
    ) -> Result<EchoOutput, smithy_rust_runtime::contract::operation::ResponseFailure<EchoError>>
    {
        Echo::deserialize(response)
    }
}

fn raw(method: &'static str, body: &'static str) -> RawInput {
    RawInput {
        method,
        body,
        ..RawInput::default()
    }
}

/// Endpoint rules that put the account id (if they were given one) in the host.
fn account_endpoint(
    params: &smithy_rust_runtime::contract::endpoint::EndpointParams,
) -> Result<
    smithy_rust_runtime::contract::endpoint::ResolvedEndpoint,
    smithy_rust_runtime::contract::endpoint::EndpointError,
> {
    use smithy_rust_runtime::contract::endpoint::{EndpointValue, ResolvedEndpoint};
    if let Some(url) = &params.endpoint {
        return Ok(ResolvedEndpoint::new(url.clone()));
    }
    let account = params.account_id.as_deref().unwrap_or("no-account");
    let stage = match params.values.get("Stage") {
        Some(EndpointValue::String(stage)) => stage.as_str(),
        _ => "prod",
    };
    Ok(ResolvedEndpoint::new(format!(
        "https://{account}.echo.example.com/{stage}"
    )))
}

static ACCOUNT_META: smithy_rust_runtime::contract::operation::ServiceMeta =
    smithy_rust_runtime::contract::operation::ServiceMeta {
        resolve_endpoint: account_endpoint,
        ..META
    };

fn ok_replay() -> ReplayClient {
    ReplayClient::new(Vec::new()).with_fallback(
        CannedResponse::new(200)
            .header("content-type", "application/json")
            .body(r#"{"message":"hello"}"#),
    )
}

#[tokio::test]
async fn the_endpoint_rules_get_the_account_id_only_when_they_read_it() {
    let replay = ok_replay();
    let config = |credentials: smithy_rust_runtime::credentials::Credentials| {
        Builder::new()
            .region(Region::new("us-east-1"))
            .credentials_provider(credentials)
            .http_client(replay.clone())
            .build()
    };
    let with_account = Handle::new(
        config(test_credentials().with_account_id("111122223333")),
        &ACCOUNT_META,
    );
    with_account
        .call::<Raw<true>>(raw("GET", ""), None)
        .await
        .unwrap();
    with_account
        .call::<Raw<false>>(raw("GET", ""), None)
        .await
        .unwrap();
    let without_account = Handle::new(config(test_credentials()), &ACCOUNT_META);
    without_account
        .call::<Raw<true>>(raw("GET", ""), None)
        .await
        .unwrap();
    let hosts: Vec<String> = replay
        .requests()
        .iter()
        .map(|r| r.uri().host().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        hosts,
        [
            "111122223333.echo.example.com",
            "no-account.echo.example.com",
            "no-account.echo.example.com"
        ]
    );
}

#[tokio::test]
async fn content_length_goes_with_a_body_or_a_method_that_has_one() {
    let replay = ok_replay();
    let h = handle(
        local_config("https://echo.example.com")
            .http_client(replay.clone())
            .build(),
    );
    let cases = [
        (raw("GET", ""), None),
        (raw("DELETE", ""), None),
        (raw("GET", "x"), Some("1")),
        (raw("POST", ""), Some("0")),
        (raw("PUT", ""), Some("0")),
        (raw("PATCH", ""), Some("0")),
        (raw("POST", "abc"), Some("3")),
    ];
    for (input, _) in &cases {
        h.call::<Raw<false>>(input.clone(), None).await.unwrap();
    }
    let requests = replay.requests();
    for ((input, expected), request) in cases.iter().zip(&requests) {
        let sent = request
            .headers()
            .get("content-length")
            .map(|v| v.to_str().unwrap());
        assert_eq!(sent, *expected, "{input:?}");
    }
}

#[tokio::test]
async fn the_request_compression_minimum_is_checked_against_its_limit() {
    use smithy_rust_runtime::contract::operation::RequestCompression;
    let replay = ok_replay();
    let h = handle(
        local_config("https://echo.example.com")
            .http_client(replay.clone())
            .build(),
    );
    let with_minimum = |bytes: u32| Some(Builder::new().request_min_compression_size_bytes(bytes));
    for allowed in [0, 1, RequestCompression::MAX_MIN_SIZE_BYTES] {
        h.call::<Echo>(input("a"), with_minimum(allowed))
            .await
            .unwrap_or_else(|err| panic!("{allowed}: {err}"));
    }
    let err = h
        .call::<Echo>(
            input("a"),
            with_minimum(RequestCompression::MAX_MIN_SIZE_BYTES + 1),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert!(
        err.to_string().contains(
            "request_min_compression_size_bytes is 10485761, more than the largest allowed \
             value (10485760)"
        ),
        "{err}"
    );
    assert_eq!(replay.requests().len(), 3);
}

#[test]
fn a_handle_shows_its_service_configuration_and_quota() {
    let h = handle(local_config("https://echo.example.com").build());
    assert_eq!(h.meta().service_id, "Echo Service");
    assert_eq!(
        h.config().region().map(|r| r.to_string()).as_deref(),
        Some("us-east-1")
    );
    assert_eq!(h.config().endpoint_url(), Some("https://echo.example.com"));
    let debug = format!("{h:?}");
    assert!(
        debug.starts_with(r#"Handle { service: "Echo Service", config: Config {"#),
        "{debug}"
    );
    assert!(debug.ends_with("retry_quota: 500 }"), "{debug}");
    assert!(!debug.contains("wJalrXUtnFEMI"), "{debug}");
}

#[tokio::test]
async fn the_input_names_the_host_prefix_the_endpoint_and_endpoint_parameters() {
    let replay = ok_replay();
    let config = || {
        Builder::new()
            .region(Region::new("us-east-1"))
            .credentials_provider(test_credentials())
            .http_client(replay.clone())
    };
    let h = Handle::new(config().build(), &ACCOUNT_META);
    let inputs = [
        RawInput::default(),
        RawInput {
            host_prefix: Some("data."),
            ..RawInput::default()
        },
        RawInput {
            stage: Some("beta"),
            ..RawInput::default()
        },
        RawInput {
            endpoint_url: Some("https://named.example.com/base"),
            ..RawInput::default()
        },
    ];
    for input in inputs {
        h.call::<Raw<false>>(
            RawInput {
                method: "GET",
                ..input
            },
            None,
        )
        .await
        .unwrap();
    }
    // A host prefix is left out when the configuration says so.
    let no_prefix = Handle::new(
        config().disable_host_prefix_injection(true).build(),
        &ACCOUNT_META,
    );
    no_prefix
        .call::<Raw<false>>(
            RawInput {
                method: "GET",
                host_prefix: Some("data."),
                ..RawInput::default()
            },
            None,
        )
        .await
        .unwrap();
    let uris: Vec<String> = replay
        .requests()
        .iter()
        .map(|r| r.uri().to_string())
        .collect();
    assert_eq!(
        uris,
        [
            "https://no-account.echo.example.com/prod/raw",
            "https://data.no-account.echo.example.com/prod/raw",
            "https://no-account.echo.example.com/beta/raw",
            "https://named.example.com/base/raw",
            "https://no-account.echo.example.com/prod/raw",
        ]
    );
}

/// A clock that stands still until it is moved on.
#[derive(Debug, Clone)]
struct ManualClock(Arc<Mutex<SystemTime>>);

impl smithy_rust_runtime::contract::time::TimeSource for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

#[tokio::test]
async fn the_rate_limiter_follows_the_configured_clock() {
    let server = TestServer::sequence(vec![
        Action::error(429, "ThrottlingException"),
        ok_body(),
        ok_body(),
        ok_body(),
    ])
    .await;
    let clock = ManualClock(Arc::new(Mutex::new(SystemTime::now())));
    let sleeps = RecordingSleep::default();
    let h = handle(
        local_config(&server.url())
            .retry_config(
                smithy_rust_runtime::retry::RetryConfig::adaptive()
                    .with_max_attempts(3)
                    .with_backoff_fn(|_| Duration::from_millis(3)),
            )
            .sleep_impl(sleeps.clone())
            .time_source(clock.clone())
            .build(),
    );
    h.call::<Echo>(input("a"), None).await.unwrap();
    h.call::<Echo>(input("a"), None).await.unwrap();
    let waits = sleeps.0.lock().unwrap().clone();
    assert!(
        waits.len() >= 2 && waits[1..].iter().all(|w| !w.is_zero()),
        "while the clock stands still, the throttled client waits: {waits:?}"
    );
    // A quiet minute later the bucket is full again: no wait.
    *clock.0.lock().unwrap() += Duration::from_secs(60);
    h.call::<Echo>(input("a"), None).await.unwrap();
    assert_eq!(*sleeps.0.lock().unwrap(), waits);
    assert_eq!(server.requests().len(), 4);
}

/// A credentials provider that fails with a cause.
#[derive(Debug)]
struct UnreadableCredentials;

impl smithy_rust_runtime::contract::identity::ProvideCredentials for UnreadableCredentials {
    fn provide_credentials(
        &self,
    ) -> smithy_rust_runtime::contract::identity::CredentialsFuture<'_> {
        use smithy_rust_runtime::contract::identity::CredentialsError;
        Box::pin(std::future::ready(Err(CredentialsError::provider_error(
            "the credentials file is unreadable",
        )
        .with_source(std::io::Error::other("permission denied")))))
    }
}

#[tokio::test]
async fn a_credentials_failure_stops_the_call_with_its_cause() {
    let replay = ok_replay();
    let config = Builder::new()
        .region(Region::new("us-east-1"))
        .credentials_provider(UnreadableCredentials)
        .http_client(replay.clone())
        .build();
    // Loaded to sign, and before that for endpoint rules that read the account id.
    let h = Handle::new(config, &ACCOUNT_META);
    let errors = [
        h.call::<Raw<false>>(raw("GET", ""), None)
            .await
            .unwrap_err(),
        h.call::<Raw<true>>(raw("GET", ""), None).await.unwrap_err(),
    ];
    for err in errors {
        assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
        assert_eq!(
            report(&err),
            "failed to construct the request: failed to load credentials: the credentials file \
             is unreadable: permission denied"
        );
    }
    assert!(replay.requests().is_empty());
}

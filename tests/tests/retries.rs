//! Retries with the DEFAULT retry configuration (3 attempts, full-jitter exponential backoff from
//! 1 s capped at 20 s, retry quota on) against servers on 127.0.0.1. Time is not slept: the
//! client's sleep implementation is a test double that records every delay asked for and
//! returns at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chimesdkidentity::config::{Credentials, Region, RetryConfig};
use chimesdkidentity::error::ProvideErrorMetadata;
use chimesdkidentity::{Client, Config};
use e2e_tests::server::{Reply, TestServer};
use e2e_tests::sigv4::SigningKey;
use e2e_tests::REGION;
use serde_json::json;
use smithy_rust_runtime::contract::http::BoxFuture;
use smithy_rust_runtime::contract::time::AsyncSleep;

/// Records the delays the client asks to sleep for, and does not sleep.
#[derive(Debug, Clone, Default)]
struct RecordingSleep(Arc<Mutex<Vec<Duration>>>);

impl RecordingSleep {
    /// The delays asked for since the last call, which forgets them.
    fn take(&self) -> Vec<Duration> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl AsyncSleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(duration);
        Box::pin(async {})
    }
}

/// A client of `url` with every retry setting left at its default; only the sleep is replaced.
fn default_retry_client(url: &str, sleep: &RecordingSleep) -> Client {
    let key = SigningKey::test(REGION);
    let config = Config::builder()
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(
            key.access_key,
            key.secret_key,
            None,
            None,
            "retries",
        ))
        .endpoint_url(url)
        .sleep_impl(sleep.clone())
        .build();
    let retry = config.retry_config().expect("always set");
    // The documented defaults, so that this file tests them and nothing faster.
    assert_eq!(retry.max_attempts(), 3);
    assert_eq!(retry.initial_backoff(), Duration::from_secs(1));
    assert_eq!(retry.max_backoff(), Duration::from_secs(20));
    assert!(retry.uses_quota());
    assert_eq!(
        format!("{retry:?}"),
        format!("{:?}", RetryConfig::default())
    );
    Client::from_conf(config)
}

fn mean(samples: &[Duration]) -> Duration {
    samples.iter().sum::<Duration>() / u32::try_from(samples.len()).expect("few samples")
}

/// A 503 storm: every call makes 3 attempts and asks for 2 non-zero delays, the first within
/// `random(0, 1 s)` and the second within `random(0, 2 s)`. Over 200 calls the delays average
/// half their ceiling and reach above half of it, so the second delay is drawn from a range
/// twice as wide: backoff that is zero, constant, not growing or not jittered fails here.
#[tokio::test]
async fn default_backoff_asks_for_growing_jittered_delays_in_a_503_storm() {
    let server = TestServer::start(|_| Reply::new(503)).await;
    let sleep = RecordingSleep::default();
    let (mut first, mut second) = (Vec::new(), Vec::new());
    const CALLS: usize = 200;
    // The retry quota (500 tokens, 5 per retry) pays for 50 failing calls per client.
    const CALLS_PER_CLIENT: usize = 40;
    let mut client = default_retry_client(&server.url(), &sleep);
    for call in 0..CALLS {
        if call % CALLS_PER_CLIENT == 0 {
            client = default_retry_client(&server.url(), &sleep);
        }
        server.clear();
        let err = client.list_app_instances().send().await.unwrap_err();
        assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(503));
        let exhausted = err.retry_exhaustion().expect("retries were exhausted");
        assert_eq!(exhausted.attempts(), 3);
        assert!(!exhausted.is_quota(), "call {call}: {err}");
        let attempts: Vec<Option<String>> = server
            .requests()
            .iter()
            .map(|r| r.header("amz-sdk-request").map(str::to_owned))
            .collect();
        assert_eq!(
            attempts,
            ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]
                .map(|a| Some(a.to_owned()))
        );
        let delays = sleep.take();
        assert_eq!(delays.len(), 2, "call {call}: delays {delays:?}");
        assert!(
            delays[0] > Duration::ZERO && delays[0] <= Duration::from_secs(1),
            "call {call}: first delay {:?}",
            delays[0]
        );
        assert!(
            delays[1] > Duration::ZERO && delays[1] <= Duration::from_secs(2),
            "call {call}: second delay {:?}",
            delays[1]
        );
        first.push(delays[0]);
        second.push(delays[1]);
    }
    let (mean_first, mean_second) = (mean(&first), mean(&second));
    // Uniform over (0, 1 s) and (0, 2 s): means 0.5 s and 1 s (7 standard errors of margin).
    assert!(
        (Duration::from_millis(350)..=Duration::from_millis(650)).contains(&mean_first),
        "mean first delay {mean_first:?}"
    );
    assert!(
        (Duration::from_millis(700)..=Duration::from_millis(1300)).contains(&mean_second),
        "mean second delay {mean_second:?}"
    );
    let max_first = first.iter().max().copied().unwrap_or_default();
    let max_second = second.iter().max().copied().unwrap_or_default();
    assert!(max_first > Duration::from_millis(900), "{max_first:?}");
    assert!(max_second > Duration::from_millis(1800), "{max_second:?}");
}

const THROTTLE_BODIES: [(&str, Option<&str>, &str); 3] = [
    ("no body", None, ""),
    (
        "JSON without a code",
        Some("application/json"),
        "{\"message\":\"Too Many Requests\"}",
    ),
    (
        "HTML",
        Some("text/html"),
        "<html><body>429 Too Many Requests</body></html>",
    ),
];

fn reply(status: u16, content_type: Option<&str>, body: &str) -> Reply {
    let reply = Reply::new(status).body(body.to_owned());
    match content_type {
        Some(content_type) => reply.header("content-type", content_type),
        None => reply,
    }
}

/// A 429 that carries no error code (no `x-amzn-errortype`, no code in the body) is throttling:
/// it is retried after a backoff, and the retry succeeds. The same responses with status 400
/// are not retried, so it is the 429 status alone that makes them retryable.
#[tokio::test]
async fn a_429_without_an_error_code_is_retried() {
    for (what, content_type, body) in THROTTLE_BODIES {
        let count = Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        let server = TestServer::start(move |_| match seen.fetch_add(1, Ordering::SeqCst) {
            0 => reply(429, content_type, body),
            _ => Reply::json(200, &json!({"AppInstances": []})),
        })
        .await;
        let sleep = RecordingSleep::default();
        let client = default_retry_client(&server.url(), &sleep);
        let out = client
            .list_app_instances()
            .send()
            .await
            .unwrap_or_else(|err| panic!("{what}: {err}"));
        assert!(out.app_instances().is_empty());
        let requests = server.requests();
        assert_eq!(requests.len(), 2, "{what}");
        assert_eq!(
            requests[1].header("amz-sdk-request"),
            Some("attempt=2; max=3"),
            "{what}"
        );
        let delays = sleep.take();
        assert_eq!(delays.len(), 1, "{what}: {delays:?}");
        assert!(
            delays[0] > Duration::ZERO && delays[0] <= Duration::from_secs(1),
            "{what}: {delays:?}"
        );

        let control = TestServer::start(move |_| reply(400, content_type, body)).await;
        let err = default_retry_client(&control.url(), &sleep)
            .list_app_instances()
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), None, "{what}");
        assert_eq!(control.requests().len(), 1, "{what}: a 400 was retried");
        assert!(sleep.take().is_empty());
    }
}

/// A storm of code-less 429s uses every attempt and returns the last 429.
#[tokio::test]
async fn a_storm_of_429s_without_an_error_code_uses_every_attempt() {
    let server = TestServer::start(|_| reply(429, None, "")).await;
    let sleep = RecordingSleep::default();
    let err = default_retry_client(&server.url(), &sleep)
        .list_app_instances()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(429));
    assert_eq!(err.code(), None);
    assert_eq!(err.retry_exhaustion().map(|e| e.attempts()), Some(3));
    assert_eq!(server.requests().len(), 3);
    assert_eq!(sleep.take().len(), 2);
}

/// Adaptive retry mode (`RetryConfig::adaptive()`, or `AWS_RETRY_MODE=adaptive`): nothing waits
/// until the service throttles the client. Then calls made faster than the limiter's new rate
/// (70% of the measured 10 calls per second) take what is left in its bucket and wait, each a
/// token's time (1 / rate) longer than the one before; every call is still sent. Standard mode,
/// run through the same script, never waits. Time is a manual clock: the 20 calls before the
/// throttle are 100 ms apart, the 20 after it at the same instant.
#[tokio::test]
async fn adaptive_mode_slows_calls_down_after_a_throttle() {
    use chimesdkidentity::config::retry::RetryMode;
    use e2e_tests::faults::ManualClock;
    use std::sync::atomic::AtomicBool;

    for mode in [RetryMode::Standard, RetryMode::Adaptive] {
        let throttling = Arc::new(AtomicBool::new(false));
        let flag = throttling.clone();
        let server = TestServer::start(move |_| {
            if flag.load(Ordering::SeqCst) {
                Reply::json(429, &json!({"Code": "Throttled", "Message": "slow down"}))
                    .header("x-amzn-ErrorType", "ThrottledClientException")
            } else {
                Reply::json(200, &json!({"AppInstances": []}))
            }
        })
        .await;
        let key = SigningKey::test(REGION);
        let clock = ManualClock::default();
        let sleep = RecordingSleep::default();
        let client = Client::from_conf(
            Config::builder()
                .region(Region::new(REGION))
                .credentials_provider(Credentials::from_keys(key.access_key, key.secret_key, None))
                .endpoint_url(server.url())
                .time_source(clock.clone())
                .sleep_impl(sleep.clone())
                .retry_config(
                    RetryConfig::standard()
                        .with_retry_mode(mode)
                        .with_max_attempts(1),
                )
                .build(),
        );
        for _ in 0..20 {
            clock.advance(Duration::from_millis(100));
            client.list_app_instances().send().await.unwrap();
        }
        assert!(sleep.take().is_empty(), "{mode}: waited before a throttle");
        throttling.store(true, Ordering::SeqCst);
        clock.advance(Duration::from_millis(100));
        let err = client.list_app_instances().send().await.unwrap_err();
        assert_eq!(err.code(), Some("ThrottledClientException"));
        assert!(sleep.take().is_empty(), "{mode}: the throttled call waited");
        throttling.store(false, Ordering::SeqCst);
        for _ in 0..20 {
            client.list_app_instances().send().await.unwrap();
        }
        let waits: Vec<f64> = sleep.take().iter().map(Duration::as_secs_f64).collect();
        assert_eq!(server.requests().len(), 41, "{mode}: every call is sent");
        if mode == RetryMode::Standard {
            assert!(waits.is_empty(), "standard mode waited: {waits:?}");
            continue;
        }
        // At most one second's worth of tokens (7) is left in the bucket.
        assert!(waits.len() >= 12, "{waits:?}");
        let step = waits[1] - waits[0];
        for pair in waits.windows(2) {
            assert!(((pair[1] - pair[0]) - step).abs() < 1e-3, "{waits:?}");
        }
        // One token's time at 70% of about 10 calls per second.
        assert!(
            (1.0 / 8.0..=1.0 / 5.0).contains(&step),
            "step {step}: {waits:?}"
        );
    }
}

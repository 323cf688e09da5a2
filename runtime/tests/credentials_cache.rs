//! The credentials cache: expiry buffer, single-flight refresh, failure handling, redaction.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use smithy_rust_runtime::contract::time::{SharedTimeSource, StaticTimeSource, TimeSource};
use smithy_rust_runtime::credentials::{
    Credentials, CredentialsCache, CredentialsError, CredentialsErrorKind, CredentialsFuture,
    ProvideCredentials, SharedCredentialsProvider,
};

const START: u64 = 1_700_000_000;

/// Hands out credentials `AKID<n>` valid for `lifetime` from the clock's now, counting calls;
/// fails while `fail` is set. Each call takes `delay` so that concurrent callers overlap.
#[derive(Debug)]
struct CountingProvider {
    calls: AtomicUsize,
    clock: StaticTimeSource,
    lifetime: Option<Duration>,
    delay: Duration,
    fail: Mutex<bool>,
}

impl CountingProvider {
    fn new(clock: &StaticTimeSource, lifetime: Option<Duration>, delay: Duration) -> Arc<Self> {
        Arc::new(Self {
            calls: AtomicUsize::new(0),
            clock: clock.clone(),
            lifetime,
            delay,
            fail: Mutex::new(false),
        })
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[derive(Debug, Clone)]
struct Shared(Arc<CountingProvider>);

impl ProvideCredentials for Shared {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let n = self.0.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if !self.0.delay.is_zero() {
                tokio::time::sleep(self.0.delay).await;
            }
            if *self.0.fail.lock().unwrap() {
                return Err(CredentialsError::provider_error(
                    "refresh failed on purpose",
                ));
            }
            Ok(Credentials::new(
                format!("AKID{n}"),
                format!("SECRET{n}"),
                Some(format!("TOKEN{n}")),
                self.0.lifetime.map(|l| self.0.clock.now() + l),
                "Counting",
            ))
        })
    }
}

fn cache(provider: &Arc<CountingProvider>, clock: &StaticTimeSource) -> CredentialsCache {
    CredentialsCache::new(
        SharedCredentialsProvider::new(Shared(provider.clone())),
        SharedTimeSource::new(clock.clone()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_callers_share_one_refresh() {
    let clock = StaticTimeSource::from_secs(START);
    let provider = CountingProvider::new(
        &clock,
        Some(Duration::from_secs(3600)),
        Duration::from_millis(100),
    );
    let cache = Arc::new(cache(&provider, &clock));
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let cache = cache.clone();
        tasks.push(tokio::spawn(async move {
            cache.provide_credentials().await.unwrap()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().access_key_id(), "AKID1");
    }
    assert_eq!(provider.calls(), 1);

    // Expiry approaches: again many callers, again exactly one refresh.
    clock.advance(Duration::from_secs(3600 - 60));
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let cache = cache.clone();
        tasks.push(tokio::spawn(async move {
            cache.provide_credentials().await.unwrap()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().access_key_id(), "AKID2");
    }
    assert_eq!(provider.calls(), 2);
}

#[tokio::test]
async fn refreshes_five_minutes_before_expiry_by_default() {
    let clock = StaticTimeSource::from_secs(START);
    let provider = CountingProvider::new(&clock, Some(Duration::from_secs(3600)), Duration::ZERO);
    let cache = cache(&provider, &clock);
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID1"
    );
    // 5 min 1 s before expiry: still cached.
    clock.advance(Duration::from_secs(3600 - 301));
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID1"
    );
    assert_eq!(provider.calls(), 1);
    // Exactly 5 minutes before expiry: refreshed.
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID2"
    );
    assert_eq!(provider.calls(), 2);
}

#[tokio::test]
async fn buffer_is_configurable() {
    let clock = StaticTimeSource::from_secs(START);
    let provider = CountingProvider::new(&clock, Some(Duration::from_secs(3600)), Duration::ZERO);
    let cache = cache(&provider, &clock).with_buffer(Duration::from_secs(10));
    cache.provide_credentials().await.unwrap();
    clock.advance(Duration::from_secs(3600 - 11));
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID1"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID2"
    );
}

#[tokio::test]
async fn credentials_without_expiry_are_kept() {
    let clock = StaticTimeSource::from_secs(START);
    let provider = CountingProvider::new(&clock, None, Duration::ZERO);
    let cache = cache(&provider, &clock);
    cache.provide_credentials().await.unwrap();
    clock.advance(Duration::from_secs(365 * 24 * 3600));
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID1"
    );
    assert_eq!(provider.calls(), 1);
    cache.invalidate();
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID2"
    );
}

#[tokio::test]
async fn short_lived_credentials_are_not_reloaded_on_every_call() {
    // Credentials that expire within the buffer are used for half of their remaining life.
    let clock = StaticTimeSource::from_secs(START);
    let provider = CountingProvider::new(&clock, Some(Duration::from_secs(120)), Duration::ZERO);
    let cache = cache(&provider, &clock);
    cache.provide_credentials().await.unwrap();
    clock.advance(Duration::from_secs(59));
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID1"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID2"
    );
}

#[tokio::test]
async fn failed_refresh_falls_back_to_unexpired_credentials_only() {
    let clock = StaticTimeSource::from_secs(START);
    let provider = CountingProvider::new(&clock, Some(Duration::from_secs(3600)), Duration::ZERO);
    let cache = cache(&provider, &clock);
    cache.provide_credentials().await.unwrap();
    *provider.fail.lock().unwrap() = true;
    // Inside the buffer but not expired: the refresh fails, the old credentials are returned.
    clock.advance(Duration::from_secs(3600 - 60));
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID1"
    );
    assert_eq!(provider.calls(), 2);
    // Expired: the error comes through.
    clock.advance(Duration::from_secs(60));
    let err = cache.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    assert_eq!(err.to_string(), "refresh failed on purpose");
    // Recovery.
    *provider.fail.lock().unwrap() = false;
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID4"
    );
}

#[tokio::test]
async fn cache_debug_output_redacts_the_cached_secret() {
    let clock = StaticTimeSource::from_secs(START);
    let provider = CountingProvider::new(&clock, Some(Duration::from_secs(3600)), Duration::ZERO);
    let cache = cache(&provider, &clock);
    let before = format!("{cache:?}");
    assert!(before.contains("cached: None"), "{before}");
    cache.provide_credentials().await.unwrap();
    // The cache's own output (not the credentials' beside it) shows what it holds, its
    // provider and its buffer, never the secret or the token.
    let debug = format!("{cache:?}");
    assert!(debug.starts_with("CredentialsCache {"), "{debug}");
    assert!(debug.contains("AKID1"), "{debug}");
    assert!(debug.contains("CountingProvider"), "{debug}");
    assert!(debug.contains("buffer: 300s"), "{debug}");
    assert!(!debug.contains("SECRET1"), "{debug}");
    assert!(!debug.contains("TOKEN1"), "{debug}");
}

#[tokio::test]
async fn credentials_expiring_exactly_at_the_buffer_are_not_reloaded_on_every_call() {
    // Expiry - buffer == now: already due by the buffer rule, so they are used for half of
    // their remaining life (150 s) like other short-lived credentials, not reloaded at once.
    let clock = StaticTimeSource::from_secs(START);
    let provider = CountingProvider::new(&clock, Some(Duration::from_secs(300)), Duration::ZERO);
    let cache = cache(&provider, &clock);
    cache.provide_credentials().await.unwrap();
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID1"
    );
    clock.advance(Duration::from_secs(149));
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID1"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID2"
    );
    assert_eq!(provider.calls(), 2);
}

#[test]
fn static_credentials_accessors_and_debug() {
    let expiry = SystemTime::UNIX_EPOCH + Duration::from_secs(START);
    let creds = Credentials::new(
        "AKID",
        "S3CR3T",
        Some("T0K3N".into()),
        Some(expiry),
        "Static",
    );
    assert_eq!(creds.access_key_id(), "AKID");
    assert_eq!(creds.secret_access_key(), "S3CR3T");
    assert_eq!(creds.session_token(), Some("T0K3N"));
    assert_eq!(creds.expiry(), Some(expiry));
    assert_eq!(creds.provider_name(), "Static");
    let debug = format!("{creds:?}");
    assert!(
        !debug.contains("S3CR3T") && !debug.contains("T0K3N"),
        "{debug}"
    );
    assert!(
        debug.contains("AKID") && debug.contains("redacted"),
        "{debug}"
    );
    let shared = SharedCredentialsProvider::new(creds.clone());
    let debug = format!("{shared:?}");
    assert!(
        !debug.contains("S3CR3T") && !debug.contains("T0K3N"),
        "{debug}"
    );
}

#[tokio::test]
async fn static_credentials_provide_themselves() {
    let creds = Credentials::from_keys("AKID", "SECRET", None);
    let shared = SharedCredentialsProvider::new(creds.clone());
    assert_eq!(shared.provide_credentials().await.unwrap(), creds);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn callers_waiting_on_a_failed_refresh_share_its_error() {
    let clock = StaticTimeSource::from_secs(START);
    let provider = CountingProvider::new(
        &clock,
        Some(Duration::from_secs(3600)),
        Duration::from_millis(300),
    );
    *provider.fail.lock().unwrap() = true;
    let cache = Arc::new(cache(&provider, &clock));
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let cache = cache.clone();
        tasks.push(tokio::spawn(async move {
            cache.provide_credentials().await.unwrap_err()
        }));
    }
    for task in tasks {
        let err = task.await.unwrap();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
        assert!(
            err.to_string().starts_with("refresh failed on purpose"),
            "{err}"
        );
    }
    // Not one provider call per caller: the waiters shared the failure.
    assert_eq!(provider.calls(), 1);
    // The next call (nobody else refreshing) tries again.
    *provider.fail.lock().unwrap() = false;
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AKID2"
    );
}

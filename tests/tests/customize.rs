//! `customize()` on a fluent builder: every form the official crate has (`config_override`,
//! `interceptor`, `mutate_request`, `map_request`) changes that call only, and a failing
//! `map_request` stops the call before anything is sent.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use chimesdkidentity::config::{CallInfo, HttpRequest, Interceptor, RetryConfig};
use chimesdkidentity::error::{BoxError, SdkError};
use e2e_tests::fake::FakeChime;
use e2e_tests::sigv4::{verify, SigningKey};
use e2e_tests::{config_builder, REGION};

#[derive(Debug, Default, Clone)]
struct CountSigning(Arc<AtomicUsize>);

impl Interceptor for CountSigning {
    fn modify_before_signing(
        &self,
        _call: &CallInfo,
        request: &mut HttpRequest,
    ) -> Result<(), BoxError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        request
            .headers_mut()
            .insert("x-intercepted", http::HeaderValue::from_static("yes"));
        Ok(())
    }
}

#[derive(Debug)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request was refused by map_request")
    }
}

impl std::error::Error for Refused {}

#[tokio::test]
async fn every_customize_form_changes_one_call_only() {
    let key = SigningKey::test(REGION);
    let server = FakeChime::with_key(key.clone()).serve().await;
    let client = chimesdkidentity::Client::from_conf(
        config_builder(&server.url())
            .retry_config(RetryConfig::standard().with_max_attempts(2))
            .build(),
    );
    let counter = CountSigning::default();
    client
        .list_app_instances()
        .customize()
        .interceptor(counter.clone())
        .map_request(|mut request: HttpRequest| {
            request
                .headers_mut()
                .insert("x-mapped", http::HeaderValue::from_static("1"));
            Ok::<_, Refused>(request)
        })
        .mutate_request(|request| {
            request
                .headers_mut()
                .insert("x-mutated", http::HeaderValue::from_static("2"));
        })
        .config_override(chimesdkidentity::Config::builder().retry_config(RetryConfig::disabled()))
        .send()
        .await
        .unwrap();
    let request = server.single_request();
    for (name, value) in [
        ("x-intercepted", "yes"),
        ("x-mapped", "1"),
        ("x-mutated", "2"),
    ] {
        assert_eq!(request.header(name), Some(value), "{name}");
    }
    assert_eq!(request.header("amz-sdk-request"), Some("attempt=1; max=1"));
    // The changes were made before signing: the signature covers them.
    verify(&request, &key).unwrap();
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);

    server.clear();
    client.list_app_instances().send().await.unwrap();
    let plain = server.single_request();
    assert_eq!(plain.header("x-intercepted"), None);
    assert_eq!(plain.header("x-mapped"), None);
    assert_eq!(plain.header("amz-sdk-request"), Some("attempt=1; max=2"));
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);

    server.clear();
    let err = client
        .list_app_instances()
        .customize()
        .map_request(|_request: HttpRequest| Err::<HttpRequest, _>(Refused))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let text = chimesdkidentity::error::DisplayErrorContext(&err).to_string();
    assert!(text.contains("refused by map_request"), "{text}");
    assert!(server.requests().is_empty());
}

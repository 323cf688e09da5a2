//! Input validation before sending (required members, empty labels, `@length` counted in
//! Unicode scalar values, `@range`) and idempotency tokens.

use std::time::Duration;

use chimesdkidentity::config::{IdempotencyTokenProvider, RetryConfig};
use chimesdkidentity::error::SdkError;
use chimesdkidentity::types::{
    AppInstanceRetentionSettings, AppInstanceUserEndpointType, ChannelRetentionSettings,
    Configuration, EndpointAttributes, LexConfiguration,
};
use chimesdkidentity::Client;
use e2e_tests::fake::FakeChime;
use e2e_tests::server::{Reply, TestServer};
use e2e_tests::{client, config_builder, uuid_v4, REGION};
use serde_json::json;

const APP: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc";
const USER: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u";

async fn server() -> (TestServer, Client) {
    let server = TestServer::start(|_| Reply::json(200, &json!({}))).await;
    let client = client(&server.url());
    (server, client)
}

/// Asserts a construction failure whose text names every part of `parts`.
fn assert_construction<E: std::fmt::Debug + std::fmt::Display, T: std::fmt::Debug>(
    result: Result<T, SdkError<E>>,
    parts: &[&str],
) {
    let err = result.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let text = err.to_string();
    for part in parts {
        assert!(text.contains(part), "{part:?} not in {text:?}");
    }
}

#[tokio::test]
async fn missing_required_members_send_nothing() {
    let (server, client) = server().await;
    assert_construction(
        client.create_app_instance().send().await,
        &["CreateAppInstanceInput", "name", "required"],
    );
    assert_construction(
        client
            .create_app_instance_user()
            .app_instance_arn(APP)
            .name("n")
            .send()
            .await,
        &[
            "CreateAppInstanceUserInput",
            "app_instance_user_id",
            "required",
        ],
    );
    assert_construction(
        client.describe_app_instance().send().await,
        &["DescribeAppInstanceInput", "app_instance_arn", "required"],
    );
    assert_construction(
        client.list_app_instance_users().send().await,
        &["ListAppInstanceUsersInput", "app_instance_arn", "required"],
    );
    assert_construction(
        client
            .register_app_instance_user_endpoint()
            .app_instance_user_arn(USER)
            .r#type(AppInstanceUserEndpointType::Gcm)
            .resource_arn(APP)
            .send()
            .await,
        &[
            "RegisterAppInstanceUserEndpointInput",
            "endpoint_attributes",
            "required",
        ],
    );
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn empty_labels_send_nothing() {
    let (server, client) = server().await;
    // No @length minimum on these members: only the label rule forbids "".
    assert_construction(
        client
            .describe_app_instance_user_endpoint()
            .app_instance_user_arn(USER)
            .endpoint_id("")
            .send()
            .await,
        &["DescribeAppInstanceUserEndpointInput", "endpoint_id"],
    );
    assert_construction(
        client
            .describe_app_instance_user_endpoint()
            .app_instance_user_arn("")
            .endpoint_id("ep")
            .send()
            .await,
        &[
            "DescribeAppInstanceUserEndpointInput",
            "app_instance_user_arn",
        ],
    );
    assert_construction(
        client
            .delete_app_instance()
            .app_instance_arn("")
            .send()
            .await,
        &["DeleteAppInstanceInput", "app_instance_arn"],
    );
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn length_counts_unicode_scalar_values() {
    let (server, client) = server().await;
    // 256 non-BMP characters: 1024 UTF-8 bytes, 512 UTF-16 units, 256 scalar values -> valid.
    let emoji256 = "😀".repeat(256);
    client
        .update_app_instance()
        .app_instance_arn(APP)
        .name(&emoji256)
        .metadata("")
        .send()
        .await
        .unwrap();
    let sent = server.single_request().json().unwrap();
    assert_eq!(sent["Name"], json!(emoji256));

    server.clear();
    assert_construction(
        client
            .update_app_instance()
            .app_instance_arn(APP)
            .name("😀".repeat(257))
            .metadata("")
            .send()
            .await,
        &["UpdateAppInstanceInput", "name", "256"],
    );
    assert_construction(
        client.create_app_instance().name("").send().await,
        &["CreateAppInstanceInput", "name", "1"],
    );
    assert_construction(
        client
            .create_app_instance()
            .name("n")
            .client_request_token("x")
            .send()
            .await,
        &["CreateAppInstanceInput", "client_request_token", "2"],
    );
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn ranges_are_checked() {
    let (server, client) = server().await;
    for bad in [0, 51, -1] {
        assert_construction(
            client.list_app_instances().max_results(bad).send().await,
            &["ListAppInstancesInput", "max_results"],
        );
    }
    assert_construction(
        client
            .put_app_instance_retention_settings()
            .app_instance_arn(APP)
            .app_instance_retention_settings(
                AppInstanceRetentionSettings::builder()
                    .channel_retention_settings(
                        ChannelRetentionSettings::builder()
                            .retention_days(5476)
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await,
        &["retention_days", "5475"],
    );
    assert_eq!(server.requests().len(), 0);
    client
        .list_app_instances()
        .max_results(50)
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.single_request().query.as_deref(),
        Some("max-results=50")
    );
}

#[derive(Debug)]
struct FixedTokens;

impl IdempotencyTokenProvider for FixedTokens {
    fn make_token(&self) -> String {
        "fixed-token-0001".to_owned()
    }
}

fn lex() -> Configuration {
    Configuration::builder()
        .lex(
            LexConfiguration::builder()
                .lex_bot_alias_arn("arn:aws:lex:us-east-1:123456789012:bot-alias/B/A")
                .locale_id("en_US")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

/// Runs the four operations with idempotency tokens against the fake and returns the token
/// each request carried.
async fn tokens_sent(client: &Client, server: &TestServer) -> Vec<String> {
    server.clear();
    let app = client
        .create_app_instance()
        .name("idem")
        .send()
        .await
        .unwrap()
        .app_instance_arn()
        .unwrap()
        .to_owned();
    client
        .create_app_instance_bot()
        .app_instance_arn(&app)
        .configuration(lex())
        .send()
        .await
        .unwrap();
    let user = client
        .create_app_instance_user()
        .app_instance_arn(&app)
        .app_instance_user_id("idem-user")
        .name("u")
        .send()
        .await
        .unwrap()
        .app_instance_user_arn()
        .unwrap()
        .to_owned();
    client
        .register_app_instance_user_endpoint()
        .app_instance_user_arn(&user)
        .r#type(AppInstanceUserEndpointType::Apns)
        .resource_arn("arn:aws:mobiletargeting:us-east-1:123456789012:apps/x")
        .endpoint_attributes(
            EndpointAttributes::builder()
                .device_token("d")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    server
        .requests()
        .iter()
        .map(|r| {
            r.json().unwrap()["ClientRequestToken"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn idempotency_tokens_default_to_uuid_v4() {
    let fake = FakeChime::new(REGION);
    let server = fake.serve().await;
    let client = client(&server.url());
    let tokens = tokens_sent(&client, &server).await;
    assert_eq!(tokens.len(), 4);
    for token in &tokens {
        assert!(uuid_v4(token), "{token}");
    }
    let mut unique = tokens.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4, "{tokens:?}");
}

#[tokio::test]
async fn idempotency_tokens_from_a_custom_provider() {
    let fake = FakeChime::new(REGION);
    let server = fake.serve().await;
    let client = Client::from_conf(
        config_builder(&server.url())
            .idempotency_token_provider(FixedTokens)
            .build(),
    );
    let tokens = tokens_sent(&client, &server).await;
    assert_eq!(tokens, vec!["fixed-token-0001"; 4]);

    // A token the caller sets wins over the provider.
    server.clear();
    client
        .create_app_instance()
        .name("mine")
        .client_request_token("caller-token")
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.single_request().json().unwrap()["ClientRequestToken"],
        json!("caller-token")
    );
}

#[tokio::test]
async fn retries_resend_the_same_token() {
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let server = TestServer::start(move |_| {
        if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            Reply::json(500, &json!({"Code": "ServiceFailure", "Message": "oops"}))
                .header("x-amzn-ErrorType", "ServiceFailureException")
        } else {
            Reply::json(201, &json!({"AppInstanceArn": APP}))
        }
    })
    .await;
    let client = Client::from_conf(
        config_builder(&server.url())
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(2)
                    .with_initial_backoff(Duration::from_millis(1)),
            )
            .build(),
    );
    let out = client.create_app_instance().name("n").send().await.unwrap();
    assert_eq!(out.app_instance_arn(), Some(APP));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let first = requests[0].json().unwrap()["ClientRequestToken"].clone();
    assert!(uuid_v4(first.as_str().unwrap()));
    assert_eq!(requests[1].json().unwrap()["ClientRequestToken"], first);
    assert_eq!(
        requests[0].header("amz-sdk-request"),
        Some("attempt=1; max=2")
    );
    assert_eq!(
        requests[1].header("amz-sdk-request"),
        Some("attempt=2; max=2")
    );
    assert_eq!(
        requests[0].header("amz-sdk-invocation-id"),
        requests[1].header("amz-sdk-invocation-id")
    );
}

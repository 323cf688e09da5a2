//! Blocking calls (feature `blocking`) end to end, from test threads with no async runtime: the
//! stateful fake on 127.0.0.1 runs on a runtime of its own. Calls, customized calls, modeled
//! errors, pages and items through `send_blocking()`; a page error ending the iterators; a
//! connection opened by a blocking call reused by async code; and use from inside tokio
//! runtimes (it works on a multi-thread one, fails at once with a clear error on a current-thread
//! one).

use chimesdkidentity::blocking::{BlockingError, SendBlocking};
use chimesdkidentity::error::{ProvideErrorMetadata, SdkError};
use chimesdkidentity::Client;
use e2e_tests::fake::FakeChime;
use e2e_tests::server::{Reply, TestServer};
use e2e_tests::{client, REGION};
use serde_json::json;

/// A server on a runtime of its own (kept until the test ends), and a client of it.
struct Served {
    server: TestServer,
    client: Client,
    // Dropped last: the server's tasks run on it.
    _runtime: tokio::runtime::Runtime,
}

fn serve_on_own_runtime(start: impl FnOnce() -> TestServerFuture) -> Served {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(start());
    let client = client(&server.url());
    Served {
        server,
        client,
        _runtime: runtime,
    }
}

type TestServerFuture = std::pin::Pin<Box<dyn std::future::Future<Output = TestServer>>>;

fn fake_chime() -> Served {
    serve_on_own_runtime(|| Box::pin(async { FakeChime::new(REGION).serve().await }))
}

/// An app instance with five users `u-1` .. `u-5`, made with blocking calls.
fn five_users(client: &Client) -> String {
    let app = client
        .create_app_instance()
        .name("blocking")
        .send_blocking()
        .unwrap()
        .app_instance_arn()
        .unwrap()
        .to_owned();
    for i in 1..=5 {
        client
            .create_app_instance_user()
            .app_instance_arn(&app)
            .app_instance_user_id(format!("u-{i}"))
            .name(format!("User {i}"))
            .send_blocking()
            .unwrap();
    }
    app
}

fn construction_failure_source<E: std::fmt::Debug>(err: &SdkError<E>) -> &BlockingError {
    match err {
        SdkError::ConstructionFailure(failure) => failure
            .source_error()
            .downcast_ref::<BlockingError>()
            .unwrap_or_else(|| panic!("not a blocking error: {err:?}")),
        other => panic!("expected a construction failure, got {other:?}"),
    }
}

#[test]
fn calls_round_trip_without_an_async_runtime() {
    let served = fake_chime();
    let client = &served.client;
    let app = five_users(client);
    let user = client
        .describe_app_instance_user()
        .app_instance_user_arn(format!("{app}/user/u-3"))
        .send_blocking()
        .unwrap();
    let user = user.app_instance_user().unwrap();
    assert_eq!(user.name(), Some("User 3"));
    assert_eq!(
        user.app_instance_user_arn(),
        Some(&*format!("{app}/user/u-3"))
    );
    // One create, five users, one describe, all on one pooled connection.
    assert_eq!(served.server.requests().len(), 7);
    assert_eq!(served.server.connections(), 1);
}

#[test]
fn customized_calls_send_their_changes() {
    let served = fake_chime();
    let output = served
        .client
        .create_app_instance()
        .name("customized")
        .customize()
        .mutate_request(|request| {
            request
                .headers_mut()
                .insert("x-test-blocking", http::HeaderValue::from_static("yes"));
        })
        .send_blocking()
        .unwrap();
    assert!(output.app_instance_arn().is_some());
    let request = served.server.single_request();
    assert_eq!(request.header("x-test-blocking"), Some("yes"));
}

#[test]
fn modeled_errors_and_invalid_input() {
    let served = fake_chime();
    let client = &served.client;
    let app = five_users(client);
    served.server.clear();
    let err = client
        .create_app_instance_user()
        .app_instance_arn(&app)
        .app_instance_user_id("u-1")
        .name("again")
        .send_blocking()
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"), "{err:?}");
    assert!(err.into_service_error().is_conflict_exception());
    // A required member left out fails before anything is sent.
    let err = client.describe_app_instance().send_blocking().unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert_eq!(served.server.requests().len(), 1);
}

#[test]
fn pages_and_items_are_iterators() {
    let served = fake_chime();
    let client = &served.client;
    let app = five_users(client);
    served.server.clear();

    let sizes: Vec<usize> = client
        .list_app_instance_users()
        .app_instance_arn(&app)
        .into_paginator()
        .page_size(2)
        .send_blocking()
        .map(|page| page.unwrap().app_instance_users().len())
        .collect();
    assert_eq!(sizes, [2, 2, 1]);
    assert_eq!(served.server.requests().len(), 3);
    let queries: Vec<String> = served
        .server
        .requests()
        .iter()
        .map(|r| r.query.clone().unwrap_or_default())
        .collect();
    assert!(queries[0].contains("max-results=2") && !queries[0].contains("next-token"));
    assert!(queries[1].contains("next-token=") && queries[2].contains("next-token="));

    let names = client
        .list_app_instance_users()
        .app_instance_arn(&app)
        .into_paginator()
        .page_size(3)
        .items()
        .send_blocking()
        .map(|user| user.map(|u| u.name().unwrap_or_default().to_owned()))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(
        names,
        (1..=5).map(|i| format!("User {i}")).collect::<Vec<_>>()
    );

    // Nothing is sent until the iterator is advanced.
    served.server.clear();
    let mut pages = client
        .list_app_instance_users()
        .app_instance_arn(&app)
        .into_paginator()
        .page_size(4)
        .send_blocking();
    assert!(served.server.requests().is_empty());
    assert_eq!(pages.next().unwrap().unwrap().app_instance_users().len(), 4);
    assert_eq!(served.server.requests().len(), 1);
}

/// `ListAppInstances`: a first page with a next token, then a server error.
fn failing_second_page() -> Served {
    serve_on_own_runtime(|| {
        Box::pin(TestServer::start(|request| {
            if request
                .query
                .as_deref()
                .unwrap_or("")
                .contains("next-token")
            {
                Reply::json(
                    500,
                    &json!({"Code": "ServiceFailure", "Message": "page lost"}),
                )
                .header(
                    "x-amzn-ErrorType",
                    "ServiceFailureException:http://internal.amazon.com/coral/com.amazonaws.chime/",
                )
            } else {
                Reply::json(
                    200,
                    &json!({
                        "AppInstances": [
                            {"AppInstanceArn": "arn:a", "Name": "a"},
                            {"AppInstanceArn": "arn:b", "Name": "b"}
                        ],
                        "NextToken": "t-1"
                    }),
                )
            }
        }))
    })
}

#[test]
fn a_page_error_ends_the_iterators() {
    let served = failing_second_page();
    let mut pages = served
        .client
        .list_app_instances()
        .into_paginator()
        .send_blocking();
    assert_eq!(pages.next().unwrap().unwrap().app_instances().len(), 2);
    let err = pages.next().unwrap().unwrap_err();
    assert!(
        err.into_service_error().is_service_failure_exception(),
        "the second page's error"
    );
    assert!(pages.next().is_none());
    assert!(pages.next().is_none());
    assert_eq!(served.server.requests().len(), 2);

    let items: Vec<_> = served
        .client
        .list_app_instances()
        .into_paginator()
        .items()
        .send_blocking()
        .collect();
    assert_eq!(items.len(), 3, "two items, then the error: {items:?}");
    assert_eq!(items[0].as_ref().unwrap().name(), Some("a"));
    assert_eq!(items[1].as_ref().unwrap().name(), Some("b"));
    assert!(items[2].is_err());
    let first_error: Result<Vec<_>, _> = served
        .client
        .list_app_instances()
        .into_paginator()
        .items()
        .send_blocking()
        .collect();
    assert_eq!(
        first_error.unwrap_err().code(),
        Some("ServiceFailureException")
    );
}

#[test]
fn async_code_reuses_a_connection_a_blocking_call_opened() {
    let served = fake_chime();
    served
        .client
        .create_app_instance()
        .name("first")
        .send_blocking()
        .unwrap();
    // A current-thread runtime of the caller's: the pooled connection's task lives on the
    // blocking calls' runtime, whose worker keeps driving it.
    let caller = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let listed = caller.block_on(async {
        tokio::time::timeout(
            std::time::Duration::from_secs(20),
            served.client.list_app_instances().send(),
        )
        .await
    });
    let listed = listed.expect("the async call finished").unwrap();
    assert_eq!(listed.app_instances().len(), 1);
    assert_eq!(served.server.connections(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_inside_a_multi_thread_runtime() {
    let server = FakeChime::new(REGION).serve().await;
    let client = client(&server.url());
    let created = client
        .create_app_instance()
        .name("inside")
        .send_blocking()
        .unwrap();
    let arn = created.app_instance_arn().unwrap().to_owned();
    // From a spawned task too, beside async calls of the same client.
    let in_task = {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .describe_app_instance()
                .app_instance_arn(arn)
                .send_blocking()
        })
    };
    let listed = client.list_app_instances().send().await.unwrap();
    assert_eq!(listed.app_instances().len(), 1);
    let described = in_task.await.unwrap().unwrap();
    assert_eq!(described.app_instance().unwrap().name(), Some("inside"));
    let pages = client
        .list_app_instances()
        .into_paginator()
        .send_blocking()
        .count();
    assert_eq!(pages, 1);
}

#[tokio::test]
async fn fails_clearly_inside_a_current_thread_runtime() {
    let server = FakeChime::new(REGION).serve().await;
    let client = client(&server.url());
    let err = client
        .create_app_instance()
        .name("refused")
        .send_blocking()
        .unwrap_err();
    assert!(construction_failure_source(&err).is_inside_current_thread_runtime());
    let message = err.to_string();
    assert!(
        message.contains("current-thread tokio runtime") && message.contains(".send().await"),
        "{message}"
    );

    let err = client
        .create_app_instance()
        .name("refused")
        .customize()
        .send_blocking()
        .unwrap_err();
    assert!(construction_failure_source(&err).is_inside_current_thread_runtime());

    let mut pages = client.list_app_instances().into_paginator().send_blocking();
    let err = pages.next().unwrap().unwrap_err();
    assert!(construction_failure_source(&err).is_inside_current_thread_runtime());
    assert!(pages.next().is_none());
    let items: Vec<_> = client
        .list_app_instances()
        .into_paginator()
        .items()
        .send_blocking()
        .collect();
    assert_eq!(items.len(), 1);
    assert!(items[0].is_err());

    // Nothing was sent, and the async client still works here.
    assert!(server.requests().is_empty());
    client
        .create_app_instance()
        .name("async")
        .send()
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 1);
}

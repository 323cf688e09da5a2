//! Paginators: three pages from the stateful fake through `into_paginator().send()` with
//! `next()` and `collect()`, `.items().send()`, `page_size(n)` sending `max-results`, tokens with
//! `+ / =` encoded in the query, and a repeated token ending the stream with an error.

use chimesdkidentity::error::SdkError;
use chimesdkidentity::Client;
use e2e_tests::fake::FakeChime;
use e2e_tests::server::{Reply, TestServer};
use e2e_tests::{assert_common_headers, client, REGION};
use serde_json::json;

/// An app instance with seven users `u-1` .. `u-7`, made through the client itself.
async fn seven_users() -> (TestServer, Client, String) {
    let fake = FakeChime::new(REGION);
    let server = fake.serve().await;
    let client = client(&server.url());
    let app = client
        .create_app_instance()
        .name("paging")
        .send()
        .await
        .unwrap()
        .app_instance_arn()
        .unwrap()
        .to_owned();
    for i in 1..=7 {
        client
            .create_app_instance_user()
            .app_instance_arn(&app)
            .app_instance_user_id(format!("u-{i}"))
            .name(format!("User {i}"))
            .send()
            .await
            .unwrap();
    }
    server.clear();
    (server, client, app)
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2D", "-")
}

#[tokio::test]
async fn three_pages_with_next() {
    let (server, client, app) = seven_users().await;
    let mut pages = client
        .list_app_instance_users()
        .app_instance_arn(&app)
        .into_paginator()
        .page_size(3)
        .send();
    let mut sizes = Vec::new();
    let mut names = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        sizes.push(page.app_instance_users().len());
        names.extend(
            page.app_instance_users()
                .iter()
                .map(|u| u.name().unwrap().to_owned()),
        );
    }
    assert_eq!(sizes, [3, 3, 1]);
    assert_eq!(
        names,
        (1..=7).map(|i| format!("User {i}")).collect::<Vec<_>>()
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let app_enc = enc(&app);
    let queries: Vec<_> = requests.iter().map(|r| r.query.clone().unwrap()).collect();
    assert_eq!(
        queries,
        [
            format!("app-instance-arn={app_enc}&max-results=3"),
            format!("app-instance-arn={app_enc}&max-results=3&next-token=AAE%2F3%2Bx%3D"),
            format!("app-instance-arn={app_enc}&max-results=3&next-token=AAE%2F6%2Bx%3D"),
        ]
    );
    for request in &requests {
        assert_eq!(request.path, "/app-instance-users");
        assert_common_headers(request);
    }
}

#[tokio::test]
async fn collect_pages_and_items() {
    let (server, client, app) = seven_users().await;
    let pages = client
        .list_app_instance_users()
        .app_instance_arn(&app)
        .max_results(3)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2].next_token(), None);
    assert_eq!(server.requests().len(), 3);

    server.clear();
    let users = client
        .list_app_instance_users()
        .app_instance_arn(&app)
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    let arns: Vec<_> = users
        .iter()
        .map(|u| u.app_instance_user_arn().unwrap().to_owned())
        .collect();
    assert_eq!(
        arns,
        (1..=7)
            .map(|i| format!("{app}/user/u-{i}"))
            .collect::<Vec<_>>()
    );
    // 7 items, 2 per page: 4 requests, each with max-results=2.
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    for request in &requests {
        assert!(
            request.query.as_deref().unwrap().contains("max-results=2"),
            "{request:?}"
        );
    }
}

#[tokio::test]
async fn items_of_one_page_and_of_no_page() {
    let fake = FakeChime::new(REGION);
    let server = fake.serve().await;
    let client = client(&server.url());
    let items = client
        .list_app_instances()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert!(items.is_empty());
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.requests()[0].query, None);
}

fn echo_token_server() -> impl Fn(&e2e_tests::server::RecordedRequest) -> Reply {
    |_| {
        Reply::json(
            200,
            &json!({"AppInstances": [{"AppInstanceArn": "arn:aws:chime:us-east-1:1:app-instance/x", "Name": "x"}], "NextToken": "same"}),
        )
    }
}

#[tokio::test]
async fn repeated_token_stops_with_an_error() {
    let server = TestServer::start(echo_token_server()).await;
    let client = client(&server.url());
    let mut pages = client.list_app_instances().into_paginator().send();
    assert!(pages.next().await.unwrap().is_ok());
    assert!(pages.next().await.unwrap().is_ok());
    let err = pages.next().await.unwrap().unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert!(err.to_string().contains("already returned"), "{err}");
    assert!(pages.next().await.is_none());
    assert_eq!(server.requests().len(), 2);

    let result = client
        .list_app_instances()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await;
    assert!(result.is_err());
    assert_eq!(server.requests().len(), 4);
}

/// The token the caller starts with counts: a service that answers with the token it was sent
/// would loop, so the paginator stops after one request.
#[tokio::test]
async fn echoing_the_starting_token_stops_after_one_request() {
    let server = TestServer::start(echo_token_server()).await;
    let client = client(&server.url());
    let pages: Vec<_> = client
        .list_app_instances()
        .next_token("same")
        .into_paginator()
        .send()
        .collect()
        .await;
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages[0].is_ok());
    assert!(pages[1].is_err());
    assert_eq!(server.requests().len(), 1);
}

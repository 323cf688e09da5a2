//! The drop-in proof: `program.rs` is written against the official `aws-sdk-chimesdkidentity`
//! API with only the crate renamed; these tests compile it against the generated crate and run
//! each part of it against the stateful fake service on 127.0.0.1, checking what it saw.
//!
//! The features of the `chimesdkidentity` dependency in `tests/Cargo.toml` use the official
//! names (`behavior-version-latest`, `rt-tokio`, `rustls`, `test-util`).

mod program;

use e2e_tests::fake::FakeChime;
use e2e_tests::server::TestServer;
use e2e_tests::sigv4::SigningKey;
use e2e_tests::REGION;

async fn fake() -> (TestServer, SigningKey) {
    let key = SigningKey::test(REGION);
    let server = FakeChime::with_key(key.clone()).serve().await;
    (server, key)
}

fn is_fake_request_id(id: Option<&str>) -> bool {
    id.is_some_and(|id| id.starts_with("fake-req-"))
}

#[tokio::test]
async fn configuration_forms_reach_the_service() {
    let (server, key) = fake().await;
    let url = server.url();
    let clients = [
        program::client_from_builder(&url, &key.access_key, &key.secret_key),
        program::client_from_setters(&url, &key.access_key, &key.secret_key),
    ];
    let sdk_config = program::sdk_config(&url, &key.access_key, &key.secret_key);
    let (shared, overridden) = program::clients_from_sdk_config(&sdk_config);
    for (i, client) in clients.iter().chain([&shared, &overridden]).enumerate() {
        let created = program::create_and_describe(client, &format!("instance-{i}"))
            .await
            .unwrap_or_else(|err| panic!("client {i}: {err}"));
        assert_eq!(created.name, format!("instance-{i}"));
        assert!(
            created.arn.contains(":app-instance/"),
            "client {i}: {created:?}"
        );
        assert!(created
            .created_secs
            .is_some_and(|secs| secs > 1_600_000_000));
        assert!(is_fake_request_id(created.request_ids.0.as_deref()));
        assert!(is_fake_request_id(created.request_ids.1.as_deref()));
        assert_ne!(created.request_ids.0, created.request_ids.1);
    }
    // The retry and timeout settings each form set are the ones the client runs with.
    let from_builder = clients[0].config();
    assert_eq!(
        from_builder.retry_config().map(|r| r.max_attempts()),
        Some(3)
    );
    // (On a `TimeoutConfig` value, `operation_timeout(..)` sets; the getter is `operation()`.)
    assert_eq!(
        from_builder.timeout_config().and_then(|t| t.operation()),
        Some(std::time::Duration::from_secs(30))
    );
    assert_eq!(
        overridden.config().retry_config().map(|r| r.max_attempts()),
        Some(1)
    );
    for request in server.requests() {
        e2e_tests::sigv4::verify(&request, &key).unwrap();
    }
}

#[tokio::test]
async fn send_with_and_enums() {
    let (server, key) = fake().await;
    let client = program::client_from_builder(&server.url(), &key.access_key, &key.secret_key);
    let created = program::create_and_describe(&client, "app").await.unwrap();
    let arns = program::send_with_and_enums(&client, &created.arn)
        .await
        .unwrap();
    assert!(arns.contains(":app-instance/"), "{arns}");
    assert!(arns.contains("/user/user-1"), "{arns}");
    let body = server
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/app-instance-users"))
        .and_then(|r| r.json())
        .expect("a CreateAppInstanceUser request");
    assert_eq!(
        body["ExpirationSettings"],
        serde_json::json!({"ExpirationDays": 1, "ExpirationCriterion": "CREATED_TIMESTAMP"})
    );
}

#[tokio::test]
async fn every_error_handling_form() {
    let (server, key) = fake().await;
    let client = program::client_from_builder(&server.url(), &key.access_key, &key.secret_key);
    let app = program::create_and_describe(&client, "errors")
        .await
        .unwrap()
        .arn;
    let admin = client
        .create_app_instance_user()
        .app_instance_arn(&app)
        .app_instance_user_id("admin-1")
        .name("Admin")
        .send()
        .await
        .unwrap()
        .app_instance_user_arn()
        .unwrap()
        .to_owned();
    let forms = program::error_forms(&client, &app, &admin).await;
    let message = format!("{admin} is already an admin");
    assert_eq!(forms.matched_message.as_deref(), Some(message.as_str()));
    assert_eq!(forms.raw_status, Some(409));
    assert!(forms.is_conflict && forms.as_service_error_is_conflict);
    assert_eq!(forms.code.as_deref(), Some("ConflictException"));
    assert_eq!(forms.message.as_deref(), Some(message.as_str()));
    assert!(is_fake_request_id(forms.request_id.as_deref()));
    assert_eq!(forms.request_id, forms.service_error_request_id);
    assert!(
        forms.display_error_context.contains("ConflictException")
            && forms.display_error_context.contains(&message)
            && forms
                .display_error_context
                .contains(forms.request_id.as_deref().unwrap_or("?")),
        "{}",
        forms.display_error_context
    );
    assert!(forms.crate_error_is_conflict);
    assert_eq!(forms.crate_error_code.as_deref(), Some("ConflictException"));
    assert!(is_fake_request_id(forms.crate_error_request_id.as_deref()));
    assert_ne!(forms.crate_error_request_id, forms.request_id);

    let missing = format!("{app}-missing");
    let unmodeled = program::unmodeled_error_code(&client, &missing).await;
    assert_eq!(
        unmodeled.as_deref(),
        Some(format!("not found: AppInstance {missing} not found").as_str())
    );

    let refused = program::client_from_builder(&refused_url(), &key.access_key, &key.secret_key);
    assert_eq!(
        program::local_failures(&client, &refused).await,
        (true, true)
    );
}

#[tokio::test]
async fn every_paginator_form_sees_every_item() {
    let (server, key) = fake().await;
    let client = program::client_from_builder(&server.url(), &key.access_key, &key.secret_key);
    for i in 0..5 {
        program::create_and_describe(&client, &format!("paged-{i}"))
            .await
            .unwrap();
    }
    assert_eq!(program::paginate(&client).await.unwrap(), [5, 5, 5, 5]);
    // One request per page of each form: pages of 2, 2, 3 and 1 items.
    let lists: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/app-instances" && r.method == "GET")
        .collect();
    assert_eq!(lists.len(), 3 + 3 + 2 + 5, "{lists:?}");

    // Beyond the official crate (whose Chime paginators have no `items()`): the items of every
    // page, in the official `.items().send()` shape.
    let mut items = client
        .list_app_instances()
        .into_paginator()
        .page_size(2)
        .items()
        .send();
    let mut names = Vec::new();
    while let Some(item) = items.try_next().await.unwrap() {
        names.push(item.name().unwrap_or_default().to_owned());
    }
    names.sort();
    assert_eq!(
        names,
        ["paged-0", "paged-1", "paged-2", "paged-3", "paged-4"]
    );
}

#[tokio::test]
async fn customize_overrides_and_mutates_one_call() {
    let (server, key) = fake().await;
    let client = program::client_from_builder(&server.url(), &key.access_key, &key.secret_key);
    program::create_and_describe(&client, "custom")
        .await
        .unwrap();
    server.clear();
    assert_eq!(program::customized_call(&client).await.unwrap(), 1);
    let request = server.single_request();
    assert_eq!(request.header("x-drop-in"), Some("mutated"));
    // The override (retries disabled) applies to this call only.
    assert_eq!(request.header("amz-sdk-request"), Some("attempt=1; max=1"));
    e2e_tests::sigv4::verify(&request, &key).unwrap();
    server.clear();
    client.list_app_instances().send().await.unwrap();
    assert_eq!(
        server.single_request().header("amz-sdk-request"),
        Some("attempt=1; max=3")
    );
}

#[tokio::test]
async fn the_crate_error_of_a_local_failure_says_what_happened() {
    // Where the official `Error` displays only "unhandled error", this one keeps the cause.
    let key = SigningKey::test(REGION);
    let refused = program::client_from_builder(&refused_url(), &key.access_key, &key.secret_key);
    let err = program::create_and_describe(&refused, "x")
        .await
        .expect_err("nothing listens");
    assert!(
        matches!(err, chimesdkidentity::Error::Unhandled(_)),
        "{err:?}"
    );
    let plain = err.to_string();
    assert!(
        plain.starts_with("unhandled error: no response: could not connect to 127.0.0.1:"),
        "{plain}"
    );
    // The report adds the causes below that line, each once.
    let context = chimesdkidentity::error::DisplayErrorContext(&err).to_string();
    assert!(context.starts_with(&plain), "{context}");
    assert_eq!(
        context.to_lowercase().matches("refused").count(),
        1,
        "{context}"
    );
    assert_eq!(context.matches("could not connect").count(), 1, "{context}");
}

/// A URL of a local port nothing listens on.
fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

//! A user's program against the stateful fake: app instance, users, bots, admins, endpoints,
//! tags, retention and expiration settings, paging, updates, deletes, and NotFound afterwards.

use chimesdkidentity::error::ProvideErrorMetadata;
use chimesdkidentity::operation::RequestId;
use chimesdkidentity::primitives::DateTime;
use chimesdkidentity::types::{
    AllowMessages, AppInstanceRetentionSettings, AppInstanceUserEndpointType,
    ChannelRetentionSettings, Configuration, EndpointAttributes, ExpirationCriterion,
    ExpirationSettings, LexConfiguration, Tag,
};
use e2e_tests::fake::{FakeChime, CLOCK_START_MS};
use e2e_tests::{assert_common_headers, client, REGION};

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

#[tokio::test]
async fn app_instance_users_and_tags_lifecycle() {
    let fake = FakeChime::new(REGION);
    let server = fake.serve().await;
    let client = client(&server.url());

    let app = client
        .create_app_instance()
        .name("Team chat 🚀")
        .metadata("v1")
        .tags(tag("env", "test"))
        .send()
        .await
        .unwrap()
        .app_instance_arn()
        .unwrap()
        .to_owned();
    assert_eq!(app, fake.app_instance_arn("ai-0001"));

    let described = client
        .describe_app_instance()
        .app_instance_arn(&app)
        .send()
        .await
        .unwrap();
    let a = described.app_instance().unwrap();
    assert_eq!(a.name(), Some("Team chat 🚀"));
    assert_eq!(a.metadata(), Some("v1"));
    let created = DateTime::from_millis(CLOCK_START_MS);
    assert_eq!(a.created_timestamp(), Some(&created));

    for i in 1..=5 {
        client
            .create_app_instance_user()
            .app_instance_arn(&app)
            .app_instance_user_id(format!("user{i}"))
            .name(format!("User {i}"))
            .send()
            .await
            .unwrap();
    }
    let dup = client
        .create_app_instance_user()
        .app_instance_arn(&app)
        .app_instance_user_id("user1")
        .name("again")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(dup.is_conflict_exception(), "{dup:?}");
    assert_eq!(dup.message(), Some("AppInstanceUser user1 already exists"));

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
    assert_eq!(users.len(), 5);
    let user1 = users[0].app_instance_user_arn().unwrap().to_owned();
    assert_eq!(user1, format!("{app}/user/user1"));

    client
        .update_app_instance_user()
        .app_instance_user_arn(&user1)
        .name("Renamed")
        .metadata("m2")
        .send()
        .await
        .unwrap();
    client
        .put_app_instance_user_expiration_settings()
        .app_instance_user_arn(&user1)
        .expiration_settings(
            ExpirationSettings::builder()
                .expiration_days(10)
                .expiration_criterion(ExpirationCriterion::CreatedTimestamp)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let u = client
        .describe_app_instance_user()
        .app_instance_user_arn(&user1)
        .send()
        .await
        .unwrap();
    let u = u.app_instance_user().unwrap();
    assert_eq!(u.name(), Some("Renamed"));
    assert_eq!(u.metadata(), Some("m2"));
    assert_eq!(u.expiration_settings().unwrap().expiration_days(), 10);
    assert!(u.last_updated_timestamp() > u.created_timestamp());

    // Tags on the user.
    client
        .tag_resource()
        .resource_arn(&user1)
        .tags(tag("a", "1"))
        .tags(tag("b", "2"))
        .send()
        .await
        .unwrap();
    client
        .untag_resource()
        .resource_arn(&user1)
        .tag_keys("a".to_owned())
        .send()
        .await
        .unwrap();
    let tags = client
        .list_tags_for_resource()
        .resource_arn(&user1)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags(), &[tag("b", "2")]);
    let app_tags = client
        .list_tags_for_resource()
        .resource_arn(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(app_tags.tags(), &[tag("env", "test")]);

    // Endpoints.
    let ep = client
        .register_app_instance_user_endpoint()
        .app_instance_user_arn(&user1)
        .name("phone")
        .r#type(AppInstanceUserEndpointType::Gcm)
        .resource_arn("arn:aws:mobiletargeting:us-east-1:123456789012:apps/x")
        .endpoint_attributes(
            EndpointAttributes::builder()
                .device_token("tok")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .endpoint_id()
        .unwrap()
        .to_owned();
    client
        .update_app_instance_user_endpoint()
        .app_instance_user_arn(&user1)
        .endpoint_id(&ep)
        .allow_messages(AllowMessages::None)
        .send()
        .await
        .unwrap();
    let described = client
        .describe_app_instance_user_endpoint()
        .app_instance_user_arn(&user1)
        .endpoint_id(&ep)
        .send()
        .await
        .unwrap();
    let e = described.app_instance_user_endpoint().unwrap();
    assert_eq!(e.allow_messages(), Some(&AllowMessages::None));
    assert_eq!(e.name(), Some("phone"));
    assert_eq!(e.endpoint_attributes().unwrap().device_token(), "tok");
    let eps = client
        .list_app_instance_user_endpoints()
        .app_instance_user_arn(&user1)
        .send()
        .await
        .unwrap();
    assert_eq!(eps.app_instance_user_endpoints().len(), 1);
    client
        .deregister_app_instance_user_endpoint()
        .app_instance_user_arn(&user1)
        .endpoint_id(&ep)
        .send()
        .await
        .unwrap();

    // Bots and admins.
    let bot = client
        .create_app_instance_bot()
        .app_instance_arn(&app)
        .name("helper")
        .configuration(
            Configuration::builder()
                .lex(
                    LexConfiguration::builder()
                        .lex_bot_alias_arn("arn:aws:lex:us-east-1:123456789012:bot-alias/B/A")
                        .locale_id("en_US")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .app_instance_bot_arn()
        .unwrap()
        .to_owned();
    client
        .update_app_instance_bot()
        .app_instance_bot_arn(&bot)
        .name("helper2")
        .metadata("")
        .send()
        .await
        .unwrap();
    let bots = client
        .list_app_instance_bots()
        .app_instance_arn(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(bots.app_instance_bots()[0].name(), Some("helper2"));
    for admin in [&user1, &bot] {
        let out = client
            .create_app_instance_admin()
            .app_instance_arn(&app)
            .app_instance_admin_arn(admin)
            .send()
            .await
            .unwrap();
        assert_eq!(
            out.app_instance_admin().unwrap().arn(),
            Some(admin.as_str())
        );
    }
    let admins = client
        .list_app_instance_admins()
        .app_instance_arn(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(admins.app_instance_admins().len(), 2);
    let admin = client
        .describe_app_instance_admin()
        .app_instance_arn(&app)
        .app_instance_admin_arn(&bot)
        .send()
        .await
        .unwrap();
    assert_eq!(
        admin.app_instance_admin().unwrap().admin().unwrap().name(),
        Some("helper2")
    );
    client
        .delete_app_instance_admin()
        .app_instance_arn(&app)
        .app_instance_admin_arn(&bot)
        .send()
        .await
        .unwrap();
    client
        .delete_app_instance_bot()
        .app_instance_bot_arn(&bot)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_app_instance_bot()
        .app_instance_bot_arn(&bot)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(gone.is_not_found_exception(), "{gone:?}");

    // Retention.
    let put = client
        .put_app_instance_retention_settings()
        .app_instance_arn(&app)
        .app_instance_retention_settings(
            AppInstanceRetentionSettings::builder()
                .channel_retention_settings(
                    ChannelRetentionSettings::builder()
                        .retention_days(30)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert!(put.initiate_deletion_timestamp().is_some());
    let got = client
        .get_app_instance_retention_settings()
        .app_instance_arn(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.app_instance_retention_settings()
            .and_then(|s| s.channel_retention_settings())
            .and_then(|c| c.retention_days()),
        Some(30)
    );

    // Update and delete the app instance; everything under it is gone.
    client
        .update_app_instance()
        .app_instance_arn(&app)
        .name("Renamed chat")
        .metadata("v2")
        .send()
        .await
        .unwrap();
    let list = client.list_app_instances().send().await.unwrap();
    assert_eq!(list.app_instances()[0].name(), Some("Renamed chat"));
    client
        .delete_app_instance_user()
        .app_instance_user_arn(&user1)
        .send()
        .await
        .unwrap();
    client
        .delete_app_instance()
        .app_instance_arn(&app)
        .send()
        .await
        .unwrap();
    let err = client
        .describe_app_instance()
        .app_instance_arn(&app)
        .send()
        .await
        .unwrap_err();
    // DescribeAppInstance does not model NotFoundException: it is unhandled, with its code.
    assert_eq!(err.code(), Some("NotFoundException"));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(404));
    assert!(err.request_id().unwrap().starts_with("fake-req-"));
    assert!(err.into_service_error().is_unhandled());
    assert!(client
        .list_app_instances()
        .send()
        .await
        .unwrap()
        .app_instances()
        .is_empty());

    for request in server.requests() {
        assert_common_headers(&request);
    }
}

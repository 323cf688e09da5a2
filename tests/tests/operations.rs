//! Every operation of Chime SDK Identity on the wire: method, path, query, headers and JSON body
//! as the model's HTTP bindings say (restJson1), and the output parsed from a response written
//! by hand from the model.

use chimesdkidentity::primitives::DateTime;
use chimesdkidentity::types::{
    AllowMessages, AppInstanceRetentionSettings, AppInstanceUserEndpointType,
    ChannelRetentionSettings, Configuration, EndpointAttributes, EndpointStatus,
    EndpointStatusReason, ExpirationCriterion, ExpirationSettings, InvokedBy, LexConfiguration,
    RespondsTo, StandardMessages, Tag, TargetedMessages,
};
use chimesdkidentity::Client;
use e2e_tests::server::{Reply, TestServer};
use e2e_tests::{assert_wire, client, uuid_v4};
use serde_json::{json, Value};

const APP: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc";
const APP_ENC: &str = "arn%3Aaws%3Achime%3Aus-east-1%3A123456789012%3Aapp-instance%2Fabc";
const USER: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-1";
const USER_ENC: &str =
    "arn%3Aaws%3Achime%3Aus-east-1%3A123456789012%3Aapp-instance%2Fabc%2Fuser%2Fu-1";
const BOT: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/bot/b_1";
const BOT_ENC: &str =
    "arn%3Aaws%3Achime%3Aus-east-1%3A123456789012%3Aapp-instance%2Fabc%2Fbot%2Fb_1";
const LEX: &str = "arn:aws:lex:us-east-1:123456789012:bot-alias/B/A";
/// A pagination token with every character that needs care in a query.
const TOKEN: &str = "a+b/c=d e:f~_.-";
const TOKEN_ENC: &str = "a%2Bb%2Fc%3Dd%20e%3Af~_.-";

async fn serve(reply: Reply) -> (TestServer, Client) {
    let server =
        TestServer::start(move |_| reply.clone().header("x-amzn-RequestId", "rid-1")).await;
    let client = client(&server.url());
    (server, client)
}

fn ok(body: Value) -> Reply {
    Reply::json(200, &body)
}

fn dt(secs: i64, millis: u32) -> DateTime {
    DateTime::from_secs_and_nanos(secs, millis * 1_000_000)
}

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

fn lex_configuration() -> Configuration {
    Configuration::builder()
        .lex(
            LexConfiguration::builder()
                .responds_to(RespondsTo::StandardMessages)
                .invoked_by(
                    InvokedBy::builder()
                        .standard_messages(StandardMessages::Mentions)
                        .targeted_messages(TargetedMessages::All)
                        .build()
                        .unwrap(),
                )
                .lex_bot_alias_arn(LEX)
                .locale_id("en_US")
                .welcome_intent("Hello")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn lex_json() -> Value {
    json!({"Lex": {
        "RespondsTo": "STANDARD_MESSAGES",
        "InvokedBy": {"StandardMessages": "MENTIONS", "TargetedMessages": "ALL"},
        "LexBotAliasArn": LEX,
        "LocaleId": "en_US",
        "WelcomeIntent": "Hello"
    }})
}

#[tokio::test]
async fn create_app_instance() {
    let (server, client) = serve(Reply::json(201, &json!({"AppInstanceArn": APP}))).await;
    let out = client
        .create_app_instance()
        .name("My instance ✓")
        .metadata("{\"k\":1}")
        .client_request_token("token-1")
        .tags(tag("env", "prod"))
        .tags(tag("team", "a b"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_instance_arn(), Some(APP));
    let req = server.single_request();
    assert_wire(
        &req,
        "POST",
        "/app-instances",
        None,
        Some(json!({
            "Name": "My instance ✓",
            "Metadata": "{\"k\":1}",
            "ClientRequestToken": "token-1",
            "Tags": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "a b"}]
        })),
    );
}

#[tokio::test]
async fn create_app_instance_admin() {
    let (server, client) = serve(Reply::json(
        201,
        &json!({"AppInstanceAdmin": {"Arn": USER, "Name": "Ann"}, "AppInstanceArn": APP}),
    ))
    .await;
    let out = client
        .create_app_instance_admin()
        .app_instance_arn(APP)
        .app_instance_admin_arn(USER)
        .send()
        .await
        .unwrap();
    let admin = out.app_instance_admin().unwrap();
    assert_eq!(admin.arn(), Some(USER));
    assert_eq!(admin.name(), Some("Ann"));
    assert_eq!(out.app_instance_arn(), Some(APP));
    assert_wire(
        &server.single_request(),
        "POST",
        &format!("/app-instances/{APP_ENC}/admins"),
        None,
        Some(json!({"AppInstanceAdminArn": USER})),
    );
}

#[tokio::test]
async fn create_app_instance_bot() {
    let (server, client) = serve(Reply::json(201, &json!({"AppInstanceBotArn": BOT}))).await;
    let out = client
        .create_app_instance_bot()
        .app_instance_arn(APP)
        .name("bot")
        .metadata("m")
        .client_request_token("tok_2")
        .tags(tag("k", "v"))
        .configuration(lex_configuration())
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_instance_bot_arn(), Some(BOT));
    assert_wire(
        &server.single_request(),
        "POST",
        "/app-instance-bots",
        None,
        Some(json!({
            "AppInstanceArn": APP,
            "Name": "bot",
            "Metadata": "m",
            "ClientRequestToken": "tok_2",
            "Tags": [{"Key": "k", "Value": "v"}],
            "Configuration": lex_json()
        })),
    );
}

#[tokio::test]
async fn create_app_instance_user() {
    let (server, client) = serve(Reply::json(201, &json!({"AppInstanceUserArn": USER}))).await;
    let out = client
        .create_app_instance_user()
        .app_instance_arn(APP)
        .app_instance_user_id("u-1")
        .name("Ann")
        .expiration_settings(
            ExpirationSettings::builder()
                .expiration_days(30)
                .expiration_criterion(ExpirationCriterion::CreatedTimestamp)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_instance_user_arn(), Some(USER));
    let req = server.single_request();
    let body = req.json().unwrap();
    let token = body["ClientRequestToken"].as_str().unwrap().to_owned();
    assert!(uuid_v4(&token), "{token}");
    assert_wire(
        &req,
        "POST",
        "/app-instance-users",
        None,
        Some(json!({
            "AppInstanceArn": APP,
            "AppInstanceUserId": "u-1",
            "Name": "Ann",
            "ClientRequestToken": token,
            "ExpirationSettings": {"ExpirationDays": 30, "ExpirationCriterion": "CREATED_TIMESTAMP"}
        })),
    );
}

#[tokio::test]
async fn delete_app_instance() {
    let (server, client) = serve(Reply::new(204)).await;
    client
        .delete_app_instance()
        .app_instance_arn(APP)
        .send()
        .await
        .unwrap();
    assert_wire(
        &server.single_request(),
        "DELETE",
        &format!("/app-instances/{APP_ENC}"),
        None,
        None,
    );
}

#[tokio::test]
async fn delete_app_instance_admin() {
    let (server, client) = serve(Reply::new(204)).await;
    client
        .delete_app_instance_admin()
        .app_instance_arn(APP)
        .app_instance_admin_arn(USER)
        .send()
        .await
        .unwrap();
    assert_wire(
        &server.single_request(),
        "DELETE",
        &format!("/app-instances/{APP_ENC}/admins/{USER_ENC}"),
        None,
        None,
    );
}

#[tokio::test]
async fn delete_app_instance_bot() {
    let (server, client) = serve(Reply::new(204)).await;
    client
        .delete_app_instance_bot()
        .app_instance_bot_arn(BOT)
        .send()
        .await
        .unwrap();
    assert_wire(
        &server.single_request(),
        "DELETE",
        &format!("/app-instance-bots/{BOT_ENC}"),
        None,
        None,
    );
}

#[tokio::test]
async fn delete_app_instance_user() {
    let (server, client) = serve(Reply::new(204)).await;
    client
        .delete_app_instance_user()
        .app_instance_user_arn(USER)
        .send()
        .await
        .unwrap();
    assert_wire(
        &server.single_request(),
        "DELETE",
        &format!("/app-instance-users/{USER_ENC}"),
        None,
        None,
    );
}

#[tokio::test]
async fn deregister_app_instance_user_endpoint() {
    let (server, client) = serve(Reply::new(204)).await;
    client
        .deregister_app_instance_user_endpoint()
        .app_instance_user_arn(USER)
        .endpoint_id("ep 1/2")
        .send()
        .await
        .unwrap();
    assert_wire(
        &server.single_request(),
        "DELETE",
        &format!("/app-instance-users/{USER_ENC}/endpoints/ep%201%2F2"),
        None,
        None,
    );
}

#[tokio::test]
async fn describe_app_instance() {
    let (server, client) = serve(ok(json!({"AppInstance": {
        "AppInstanceArn": APP,
        "Name": "n",
        "CreatedTimestamp": 1700000000.25,
        "LastUpdatedTimestamp": 1.700000001E9,
        "Metadata": "m"
    }})))
    .await;
    let out = client
        .describe_app_instance()
        .app_instance_arn(APP)
        .send()
        .await
        .unwrap();
    let a = out.app_instance().unwrap();
    assert_eq!(a.app_instance_arn(), Some(APP));
    assert_eq!(a.name(), Some("n"));
    assert_eq!(a.metadata(), Some("m"));
    assert_eq!(a.created_timestamp(), Some(&dt(1_700_000_000, 250)));
    assert_eq!(a.last_updated_timestamp(), Some(&dt(1_700_000_001, 0)));
    assert_wire(
        &server.single_request(),
        "GET",
        &format!("/app-instances/{APP_ENC}"),
        None,
        None,
    );
}

#[tokio::test]
async fn describe_app_instance_admin() {
    let (server, client) = serve(ok(json!({"AppInstanceAdmin": {
        "Admin": {"Arn": BOT, "Name": "bot"},
        "AppInstanceArn": APP,
        "CreatedTimestamp": 1700000002
    }})))
    .await;
    let out = client
        .describe_app_instance_admin()
        .app_instance_arn(APP)
        .app_instance_admin_arn(BOT)
        .send()
        .await
        .unwrap();
    let a = out.app_instance_admin().unwrap();
    assert_eq!(a.admin().unwrap().arn(), Some(BOT));
    assert_eq!(a.admin().unwrap().name(), Some("bot"));
    assert_eq!(a.app_instance_arn(), Some(APP));
    assert_eq!(a.created_timestamp(), Some(&dt(1_700_000_002, 0)));
    assert_wire(
        &server.single_request(),
        "GET",
        &format!("/app-instances/{APP_ENC}/admins/{BOT_ENC}"),
        None,
        None,
    );
}

#[tokio::test]
async fn describe_app_instance_bot() {
    let (server, client) = serve(ok(json!({"AppInstanceBot": {
        "AppInstanceBotArn": BOT,
        "Name": "bot",
        "Configuration": lex_json(),
        "CreatedTimestamp": 1700000000.5,
        "LastUpdatedTimestamp": 1700000000.75,
        "Metadata": "m"
    }})))
    .await;
    let out = client
        .describe_app_instance_bot()
        .app_instance_bot_arn(BOT)
        .send()
        .await
        .unwrap();
    let b = out.app_instance_bot().unwrap();
    assert_eq!(b.app_instance_bot_arn(), Some(BOT));
    assert_eq!(b.name(), Some("bot"));
    assert_eq!(b.metadata(), Some("m"));
    assert_eq!(b.configuration(), Some(&lex_configuration()));
    assert_eq!(b.created_timestamp(), Some(&dt(1_700_000_000, 500)));
    assert_eq!(b.last_updated_timestamp(), Some(&dt(1_700_000_000, 750)));
    assert_wire(
        &server.single_request(),
        "GET",
        &format!("/app-instance-bots/{BOT_ENC}"),
        None,
        None,
    );
}

#[tokio::test]
async fn describe_app_instance_user() {
    let (server, client) = serve(ok(json!({"AppInstanceUser": {
        "AppInstanceUserArn": USER,
        "Name": "Ann",
        "Metadata": "m",
        "CreatedTimestamp": 1700000000,
        "LastUpdatedTimestamp": 1700000010.125,
        "ExpirationSettings": {"ExpirationDays": 5475, "ExpirationCriterion": "CREATED_TIMESTAMP"}
    }})))
    .await;
    let out = client
        .describe_app_instance_user()
        .app_instance_user_arn(USER)
        .send()
        .await
        .unwrap();
    let u = out.app_instance_user().unwrap();
    assert_eq!(u.app_instance_user_arn(), Some(USER));
    assert_eq!(u.name(), Some("Ann"));
    assert_eq!(u.metadata(), Some("m"));
    assert_eq!(u.created_timestamp(), Some(&dt(1_700_000_000, 0)));
    assert_eq!(u.last_updated_timestamp(), Some(&dt(1_700_000_010, 125)));
    let e = u.expiration_settings().unwrap();
    assert_eq!(e.expiration_days(), 5475);
    assert_eq!(
        e.expiration_criterion(),
        &ExpirationCriterion::CreatedTimestamp
    );
    assert_wire(
        &server.single_request(),
        "GET",
        &format!("/app-instance-users/{USER_ENC}"),
        None,
        None,
    );
}

#[tokio::test]
async fn describe_app_instance_user_endpoint() {
    let (server, client) = serve(ok(json!({"AppInstanceUserEndpoint": {
        "AppInstanceUserArn": USER,
        "EndpointId": "ep-1",
        "Name": "phone",
        "Type": "APNS_SANDBOX",
        "ResourceArn": "arn:aws:mobiletargeting:us-east-1:123456789012:apps/x",
        "EndpointAttributes": {"DeviceToken": "dt", "VoipDeviceToken": "vt"},
        "CreatedTimestamp": 1700000000,
        "LastUpdatedTimestamp": 1700000001,
        "AllowMessages": "NONE",
        "EndpointState": {"Status": "INACTIVE", "StatusReason": "INVALID_DEVICE_TOKEN"}
    }})))
    .await;
    let out = client
        .describe_app_instance_user_endpoint()
        .app_instance_user_arn(USER)
        .endpoint_id("ep-1")
        .send()
        .await
        .unwrap();
    let e = out.app_instance_user_endpoint().unwrap();
    assert_eq!(e.app_instance_user_arn(), Some(USER));
    assert_eq!(e.endpoint_id(), Some("ep-1"));
    assert_eq!(e.name(), Some("phone"));
    assert_eq!(e.r#type(), Some(&AppInstanceUserEndpointType::ApnsSandbox));
    assert_eq!(
        e.resource_arn(),
        Some("arn:aws:mobiletargeting:us-east-1:123456789012:apps/x")
    );
    let attrs = e.endpoint_attributes().unwrap();
    assert_eq!(attrs.device_token(), "dt");
    assert_eq!(attrs.voip_device_token(), Some("vt"));
    assert_eq!(e.created_timestamp(), Some(&dt(1_700_000_000, 0)));
    assert_eq!(e.last_updated_timestamp(), Some(&dt(1_700_000_001, 0)));
    assert_eq!(e.allow_messages(), Some(&AllowMessages::None));
    let state = e.endpoint_state().unwrap();
    assert_eq!(state.status(), &EndpointStatus::Inactive);
    assert_eq!(
        state.status_reason(),
        Some(&EndpointStatusReason::InvalidDeviceToken)
    );
    assert_wire(
        &server.single_request(),
        "GET",
        &format!("/app-instance-users/{USER_ENC}/endpoints/ep-1"),
        None,
        None,
    );
}

#[tokio::test]
async fn get_app_instance_retention_settings() {
    let (server, client) = serve(ok(json!({
        "AppInstanceRetentionSettings": {"ChannelRetentionSettings": {"RetentionDays": 60}},
        "InitiateDeletionTimestamp": 1700000000.001
    })))
    .await;
    let out = client
        .get_app_instance_retention_settings()
        .app_instance_arn(APP)
        .send()
        .await
        .unwrap();
    let days = out
        .app_instance_retention_settings()
        .and_then(|s| s.channel_retention_settings())
        .and_then(|c| c.retention_days());
    assert_eq!(days, Some(60));
    assert_eq!(
        out.initiate_deletion_timestamp(),
        Some(&dt(1_700_000_000, 1))
    );
    assert_wire(
        &server.single_request(),
        "GET",
        &format!("/app-instances/{APP_ENC}/retention-settings"),
        None,
        None,
    );
}

#[tokio::test]
async fn list_app_instance_admins() {
    let (server, client) = serve(ok(json!({
        "AppInstanceArn": APP,
        "AppInstanceAdmins": [{"Admin": {"Arn": USER, "Name": "Ann"}}, {"Admin": {"Arn": BOT}}],
        "NextToken": "next/1"
    })))
    .await;
    let out = client
        .list_app_instance_admins()
        .app_instance_arn(APP)
        .max_results(2)
        .next_token(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_instance_arn(), Some(APP));
    let admins = out.app_instance_admins();
    assert_eq!(admins.len(), 2);
    assert_eq!(admins[0].admin().unwrap().name(), Some("Ann"));
    assert_eq!(admins[1].admin().unwrap().arn(), Some(BOT));
    assert_eq!(admins[1].admin().unwrap().name(), None);
    assert_eq!(out.next_token(), Some("next/1"));
    assert_wire(
        &server.single_request(),
        "GET",
        &format!("/app-instances/{APP_ENC}/admins"),
        Some(&format!("max-results=2&next-token={TOKEN_ENC}")),
        None,
    );
}

#[tokio::test]
async fn list_app_instance_bots() {
    let (server, client) = serve(ok(json!({
        "AppInstanceArn": APP,
        "AppInstanceBots": [{"AppInstanceBotArn": BOT, "Name": "bot", "Metadata": "m"}]
    })))
    .await;
    let out = client
        .list_app_instance_bots()
        .app_instance_arn(APP)
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_instance_arn(), Some(APP));
    let bots = out.app_instance_bots();
    assert_eq!(bots.len(), 1);
    assert_eq!(bots[0].app_instance_bot_arn(), Some(BOT));
    assert_eq!(bots[0].name(), Some("bot"));
    assert_eq!(bots[0].metadata(), Some("m"));
    assert_eq!(out.next_token(), None);
    assert_wire(
        &server.single_request(),
        "GET",
        "/app-instance-bots",
        Some(&format!("app-instance-arn={APP_ENC}")),
        None,
    );
}

#[tokio::test]
async fn list_app_instance_user_endpoints() {
    let (server, client) = serve(ok(json!({
        "AppInstanceUserEndpoints": [{
            "AppInstanceUserArn": USER,
            "EndpointId": "ep-1",
            "Name": "phone",
            "Type": "GCM",
            "AllowMessages": "ALL",
            "EndpointState": {"Status": "ACTIVE"}
        }],
        "NextToken": "t"
    })))
    .await;
    let out = client
        .list_app_instance_user_endpoints()
        .app_instance_user_arn(USER)
        .max_results(50)
        .send()
        .await
        .unwrap();
    let eps = out.app_instance_user_endpoints();
    assert_eq!(eps.len(), 1);
    assert_eq!(eps[0].endpoint_id(), Some("ep-1"));
    assert_eq!(eps[0].r#type(), Some(&AppInstanceUserEndpointType::Gcm));
    assert_eq!(eps[0].allow_messages(), Some(&AllowMessages::All));
    assert_eq!(
        eps[0].endpoint_state().map(|s| s.status()),
        Some(&EndpointStatus::Active)
    );
    assert_eq!(out.next_token(), Some("t"));
    assert_wire(
        &server.single_request(),
        "GET",
        &format!("/app-instance-users/{USER_ENC}/endpoints"),
        Some("max-results=50"),
        None,
    );
}

#[tokio::test]
async fn list_app_instance_users() {
    let (server, client) = serve(ok(json!({
        "AppInstanceArn": APP,
        "AppInstanceUsers": [
            {"AppInstanceUserArn": USER, "Name": "Ann", "Metadata": "m"},
            {"AppInstanceUserArn": format!("{APP}/user/u-2"), "Name": "Bob"}
        ]
    })))
    .await;
    let out = client
        .list_app_instance_users()
        .app_instance_arn(APP)
        .next_token(TOKEN)
        .send()
        .await
        .unwrap();
    let users = out.app_instance_users();
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].name(), Some("Ann"));
    assert_eq!(users[0].metadata(), Some("m"));
    assert_eq!(users[1].name(), Some("Bob"));
    assert_eq!(users[1].metadata(), None);
    assert_wire(
        &server.single_request(),
        "GET",
        "/app-instance-users",
        Some(&format!(
            "app-instance-arn={APP_ENC}&next-token={TOKEN_ENC}"
        )),
        None,
    );
}

#[tokio::test]
async fn list_app_instances() {
    let (server, client) = serve(ok(json!({
        "AppInstances": [{"AppInstanceArn": APP, "Name": "n", "Metadata": "m"}],
        "NextToken": "n2"
    })))
    .await;
    let out = client.list_app_instances().send().await.unwrap();
    let list = out.app_instances();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].app_instance_arn(), Some(APP));
    assert_eq!(list[0].name(), Some("n"));
    assert_eq!(list[0].metadata(), Some("m"));
    assert_eq!(out.next_token(), Some("n2"));
    assert_wire(
        &server.single_request(),
        "GET",
        "/app-instances",
        None,
        None,
    );
}

#[tokio::test]
async fn list_tags_for_resource() {
    let (server, client) = serve(ok(json!({
        "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    })))
    .await;
    let out = client
        .list_tags_for_resource()
        .resource_arn(APP)
        .send()
        .await
        .unwrap();
    assert_eq!(out.tags(), &[tag("a", "1"), tag("b", "2")]);
    assert_wire(
        &server.single_request(),
        "GET",
        "/tags",
        Some(&format!("arn={APP_ENC}")),
        None,
    );
}

#[tokio::test]
async fn put_app_instance_retention_settings() {
    let (server, client) = serve(ok(json!({
        "AppInstanceRetentionSettings": {"ChannelRetentionSettings": {"RetentionDays": 7}},
        "InitiateDeletionTimestamp": 1700000000
    })))
    .await;
    let out = client
        .put_app_instance_retention_settings()
        .app_instance_arn(APP)
        .app_instance_retention_settings(
            AppInstanceRetentionSettings::builder()
                .channel_retention_settings(
                    ChannelRetentionSettings::builder()
                        .retention_days(7)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.app_instance_retention_settings()
            .and_then(|s| s.channel_retention_settings())
            .and_then(|c| c.retention_days()),
        Some(7)
    );
    assert_eq!(
        out.initiate_deletion_timestamp(),
        Some(&dt(1_700_000_000, 0))
    );
    assert_wire(
        &server.single_request(),
        "PUT",
        &format!("/app-instances/{APP_ENC}/retention-settings"),
        None,
        Some(
            json!({"AppInstanceRetentionSettings": {"ChannelRetentionSettings": {"RetentionDays": 7}}}),
        ),
    );
}

#[tokio::test]
async fn put_app_instance_user_expiration_settings() {
    let (server, client) = serve(ok(json!({
        "AppInstanceUserArn": USER,
        "ExpirationSettings": {"ExpirationDays": 1, "ExpirationCriterion": "CREATED_TIMESTAMP"}
    })))
    .await;
    let out = client
        .put_app_instance_user_expiration_settings()
        .app_instance_user_arn(USER)
        .expiration_settings(
            ExpirationSettings::builder()
                .expiration_days(1)
                .expiration_criterion(ExpirationCriterion::CreatedTimestamp)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_instance_user_arn(), Some(USER));
    assert_eq!(out.expiration_settings().unwrap().expiration_days(), 1);
    assert_wire(
        &server.single_request(),
        "PUT",
        &format!("/app-instance-users/{USER_ENC}/expiration-settings"),
        None,
        Some(
            json!({"ExpirationSettings": {"ExpirationDays": 1, "ExpirationCriterion": "CREATED_TIMESTAMP"}}),
        ),
    );
}

/// An input whose only body member is unset still sends `{}` (restJson1: the body is an object
/// when the input has body members).
#[tokio::test]
async fn put_app_instance_user_expiration_settings_without_settings_sends_empty_object() {
    let (server, client) = serve(ok(json!({"AppInstanceUserArn": USER}))).await;
    let out = client
        .put_app_instance_user_expiration_settings()
        .app_instance_user_arn(USER)
        .send()
        .await
        .unwrap();
    assert_eq!(out.expiration_settings(), None);
    assert_wire(
        &server.single_request(),
        "PUT",
        &format!("/app-instance-users/{USER_ENC}/expiration-settings"),
        None,
        Some(json!({})),
    );
}

#[tokio::test]
async fn register_app_instance_user_endpoint() {
    let (server, client) = serve(Reply::json(
        201,
        &json!({"AppInstanceUserArn": USER, "EndpointId": "ep-9"}),
    ))
    .await;
    let out = client
        .register_app_instance_user_endpoint()
        .app_instance_user_arn(USER)
        .name("phone")
        .r#type(AppInstanceUserEndpointType::Apns)
        .resource_arn("arn:aws:mobiletargeting:us-east-1:123456789012:apps/x")
        .endpoint_attributes(
            EndpointAttributes::builder()
                .device_token("dt")
                .build()
                .unwrap(),
        )
        .client_request_token("cr-1")
        .allow_messages(AllowMessages::All)
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_instance_user_arn(), Some(USER));
    assert_eq!(out.endpoint_id(), Some("ep-9"));
    assert_wire(
        &server.single_request(),
        "POST",
        &format!("/app-instance-users/{USER_ENC}/endpoints"),
        None,
        Some(json!({
            "Name": "phone",
            "Type": "APNS",
            "ResourceArn": "arn:aws:mobiletargeting:us-east-1:123456789012:apps/x",
            "EndpointAttributes": {"DeviceToken": "dt"},
            "ClientRequestToken": "cr-1",
            "AllowMessages": "ALL"
        })),
    );
}

#[tokio::test]
async fn tag_resource() {
    let (server, client) = serve(Reply::new(204)).await;
    client
        .tag_resource()
        .resource_arn(USER)
        .tags(tag("k", "v=1&x"))
        .send()
        .await
        .unwrap();
    assert_wire(
        &server.single_request(),
        "POST",
        "/tags",
        Some("operation=tag-resource"),
        Some(json!({"ResourceARN": USER, "Tags": [{"Key": "k", "Value": "v=1&x"}]})),
    );
}

#[tokio::test]
async fn untag_resource() {
    let (server, client) = serve(Reply::new(204)).await;
    client
        .untag_resource()
        .resource_arn(USER)
        .tag_keys("k".to_owned())
        .tag_keys("j".to_owned())
        .send()
        .await
        .unwrap();
    assert_wire(
        &server.single_request(),
        "POST",
        "/tags",
        Some("operation=untag-resource"),
        Some(json!({"ResourceARN": USER, "TagKeys": ["k", "j"]})),
    );
}

#[tokio::test]
async fn update_app_instance() {
    let (server, client) = serve(ok(json!({"AppInstanceArn": APP}))).await;
    let out = client
        .update_app_instance()
        .app_instance_arn(APP)
        .name("new")
        .metadata("")
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_instance_arn(), Some(APP));
    assert_wire(
        &server.single_request(),
        "PUT",
        &format!("/app-instances/{APP_ENC}"),
        None,
        Some(json!({"Name": "new", "Metadata": ""})),
    );
}

#[tokio::test]
async fn update_app_instance_bot() {
    let (server, client) = serve(ok(json!({"AppInstanceBotArn": BOT}))).await;
    let out = client
        .update_app_instance_bot()
        .app_instance_bot_arn(BOT)
        .name("b")
        .metadata("m")
        .configuration(lex_configuration())
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_instance_bot_arn(), Some(BOT));
    assert_wire(
        &server.single_request(),
        "PUT",
        &format!("/app-instance-bots/{BOT_ENC}"),
        None,
        Some(json!({"Name": "b", "Metadata": "m", "Configuration": lex_json()})),
    );
}

#[tokio::test]
async fn update_app_instance_user() {
    let (server, client) = serve(ok(json!({"AppInstanceUserArn": USER}))).await;
    let out = client
        .update_app_instance_user()
        .app_instance_user_arn(USER)
        .name("Ann 😀")
        .metadata("m")
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_instance_user_arn(), Some(USER));
    assert_wire(
        &server.single_request(),
        "PUT",
        &format!("/app-instance-users/{USER_ENC}"),
        None,
        Some(json!({"Name": "Ann 😀", "Metadata": "m"})),
    );
}

#[tokio::test]
async fn update_app_instance_user_endpoint() {
    let (server, client) = serve(ok(
        json!({"AppInstanceUserArn": USER, "EndpointId": "ep-1"}),
    ))
    .await;
    let out = client
        .update_app_instance_user_endpoint()
        .app_instance_user_arn(USER)
        .endpoint_id("ep-1")
        .allow_messages(AllowMessages::None)
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_instance_user_arn(), Some(USER));
    assert_eq!(out.endpoint_id(), Some("ep-1"));
    assert_wire(
        &server.single_request(),
        "PUT",
        &format!("/app-instance-users/{USER_ENC}/endpoints/ep-1"),
        None,
        Some(json!({"AllowMessages": "NONE"})),
    );
}

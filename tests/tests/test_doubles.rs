//! The test doubles of the generated crate (feature `test-util`): `ReplayClient` replays canned
//! responses through the whole pipeline and captures requests; typed `Stubs` answer without HTTP.

use chimesdkidentity::config::{Credentials, Region};
use chimesdkidentity::error::ProvideErrorMetadata;
use chimesdkidentity::operation::create_app_instance::{
    CreateAppInstance, CreateAppInstanceError, CreateAppInstanceOutput,
};
use chimesdkidentity::test_util::{CannedResponse, ReplayClient, Stubs};
use chimesdkidentity::types::error::ConflictException;
use chimesdkidentity::{Client, Config};
use serde_json::json;

fn base() -> chimesdkidentity::config::Builder {
    Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "t"))
}

#[tokio::test]
async fn replay_client_captures_and_replays() {
    let replay = ReplayClient::new(vec![
        CannedResponse::new(201)
            .header("content-type", "application/json")
            .body(r#"{"AppInstanceArn":"arn:aws:chime:us-east-1:1:app-instance/r"}"#),
        CannedResponse::new(404)
            .header("x-amzn-ErrorType", "NotFoundException:http://x/")
            .header("x-amzn-RequestId", "rid-r")
            .body(r#"{"Code":"NotFound","Message":"no bot"}"#),
    ]);
    let client = Client::from_conf(base().http_client(replay.clone()).build());
    let out = client.create_app_instance().name("r").send().await.unwrap();
    assert_eq!(
        out.app_instance_arn(),
        Some("arn:aws:chime:us-east-1:1:app-instance/r")
    );
    let err = client
        .describe_app_instance_bot()
        .app_instance_bot_arn("arn:aws:chime:us-east-1:1:app-instance/r/bot/b")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_not_found_exception());
    assert_eq!(
        err.to_string(),
        "NotFoundException: no bot (request id: rid-r)"
    );
    assert_eq!(replay.remaining(), 0);

    let requests = replay.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method(), "POST");
    assert_eq!(
        requests[0].uri().to_string(),
        "https://identity-chime.us-east-1.amazonaws.com/app-instances"
    );
    let body: serde_json::Value = serde_json::from_slice(requests[0].body()).unwrap();
    assert_eq!(body["Name"], json!("r"));
    assert_eq!(requests[1].method(), "GET");
    assert_eq!(
        requests[1].uri().path(),
        "/app-instance-bots/arn%3Aaws%3Achime%3Aus-east-1%3A1%3Aapp-instance%2Fr%2Fbot%2Fb"
    );
    assert!(requests[1].headers().contains_key("authorization"));

    // Nothing left: a dispatch failure, not a hang or a panic.
    let err = client.list_app_instances().send().await.unwrap_err();
    assert!(err.to_string().contains("no canned response"), "{err}");
}

#[tokio::test]
async fn typed_stubs_answer_without_network() {
    let stubs = Stubs::new();
    stubs
        .on::<CreateAppInstance>()
        .matching(|input| input.name.as_deref() == Some("first"))
        .then_output(
            CreateAppInstanceOutput::builder()
                .app_instance_arn("arn:aws:chime:us-east-1:1:app-instance/s")
                .build(),
        )
        .then_error(CreateAppInstanceError::ConflictException(
            ConflictException::builder().message("exists").build(),
        ));
    // No credentials, no endpoint: stubs need neither.
    let client = Client::from_conf(Config::builder().stubs(stubs.clone()).build());
    let out = client
        .create_app_instance()
        .name("first")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.app_instance_arn(),
        Some("arn:aws:chime:us-east-1:1:app-instance/s")
    );
    let err = client
        .create_app_instance()
        .name("first")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_conflict_exception());
    assert_eq!(err.to_string(), "ConflictException: exists");
    // No matching rule left.
    let err = client
        .create_app_instance()
        .name("second")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.as_service_error().is_none() || err.code().is_none(),
        "{err:?}"
    );
    // Validation still runs before stubs answer.
    assert!(client.create_app_instance().send().await.is_err());
    assert_eq!(
        stubs.calls(),
        [
            "CreateAppInstance",
            "CreateAppInstance",
            "CreateAppInstance"
        ]
    );
}

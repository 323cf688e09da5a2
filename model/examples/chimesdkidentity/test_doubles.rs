//! Unit-testing code that uses the client, with no network: typed per-operation stubs, and a
//! replay HTTP client that records the requests it gets.
//!
//! `cargo test -p chimesdkidentity --features test-util --example test_doubles`
//!
//! Features: test-util

use chimesdkidentity::Client;

/// The code under test: creates an app instance and returns its ARN.
async fn create_instance(
    client: &Client,
    name: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    let output = client.create_app_instance().name(name).send().await?;
    Ok(output.app_instance_arn().unwrap_or_default().to_owned())
}

/// Runs the code under test against a stubbed client; the tests below show both test doubles.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    use chimesdkidentity::operation::create_app_instance::{
        CreateAppInstance, CreateAppInstanceOutput,
    };
    use chimesdkidentity::test_util::Stubs;

    let stubs = Stubs::new();
    stubs.on::<CreateAppInstance>().then_output(
        CreateAppInstanceOutput::builder()
            .app_instance_arn("arn:aws:chime:us-east-1:123456789012:app-instance/demo")
            .build(),
    );
    let client = Client::from_conf(chimesdkidentity::Config::builder().stubs(stubs).build());
    println!("created {}", create_instance(&client, "demo").await?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimesdkidentity::config::{Credentials, Region};
    use chimesdkidentity::operation::create_app_instance::{
        CreateAppInstance, CreateAppInstanceError, CreateAppInstanceOutput,
    };
    use chimesdkidentity::test_util::{CannedResponse, ReplayClient, Stubs};
    use chimesdkidentity::types::error::ConflictException;
    use chimesdkidentity::Config;

    #[tokio::test]
    async fn typed_stubs_answer_without_serializing_anything() {
        let stubs = Stubs::new();
        stubs
            .on::<CreateAppInstance>()
            .matching(|input| input.name() == Some("first"))
            .then_output(
                CreateAppInstanceOutput::builder()
                    .app_instance_arn("arn:aws:chime:us-east-1:1:app-instance/first")
                    .build(),
            );
        stubs
            .on::<CreateAppInstance>()
            .then_error(CreateAppInstanceError::ConflictException(
                ConflictException::builder().message("taken").build(),
            ));
        let client = Client::from_conf(Config::builder().stubs(stubs.clone()).build());

        assert_eq!(
            create_instance(&client, "first").await.unwrap(),
            "arn:aws:chime:us-east-1:1:app-instance/first"
        );
        let err = create_instance(&client, "second").await.unwrap_err();
        assert!(
            err.to_string().contains("ConflictException: taken"),
            "{err}"
        );
        assert_eq!(stubs.calls(), ["CreateAppInstance", "CreateAppInstance"]);
    }

    #[tokio::test]
    async fn replay_client_records_requests() {
        let http = ReplayClient::new([CannedResponse::new(201)
            .header("content-type", "application/json")
            .body(r#"{"AppInstanceArn":"arn:aws:chime:us-east-1:1:app-instance/x"}"#)]);
        let config = Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .http_client(http.clone())
            .build();
        let client = Client::from_conf(config);

        assert_eq!(
            create_instance(&client, "x").await.unwrap(),
            "arn:aws:chime:us-east-1:1:app-instance/x"
        );
        let requests = http.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].method(), "POST");
        assert_eq!(requests[0].uri().path(), "/app-instances");
        let body: serde_json::Value = serde_json::from_slice(requests[0].body()).unwrap();
        assert_eq!(body["Name"], "x");
    }
}

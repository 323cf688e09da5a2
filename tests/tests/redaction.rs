//! `Debug` and `Display` never print a value of a `@sensitive` member: not on inputs, outputs,
//! builders, nested structures, list elements, or the fluent builder.

use chimesdkidentity::operation::create_app_instance::CreateAppInstanceInput;
use chimesdkidentity::operation::create_app_instance_user::CreateAppInstanceUserInput;
use chimesdkidentity::operation::describe_app_instance_user::DescribeAppInstanceUserOutput;
use chimesdkidentity::operation::list_app_instances::ListAppInstancesOutput;
use chimesdkidentity::types::{AppInstanceSummary, AppInstanceUser, Tag};

const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Fails naming the marker when `text` contains any of `secrets`.
fn assert_hidden(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "`{secret}` leaked into: {text}");
    }
    assert!(
        text.contains(REDACTED),
        "expected redaction markers in: {text}"
    );
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().unwrap()
}

#[test]
fn input_members_and_list_elements_are_redacted() {
    let input = CreateAppInstanceInput::builder()
        .name("secret-name-1")
        .metadata("secret-metadata-1")
        .client_request_token("visible-token-1")
        .tags(tag("secret-key-1", "secret-value-1"))
        .build()
        .unwrap();
    let debug = format!("{input:?}");
    assert_hidden(
        &debug,
        &[
            "secret-name-1",
            "secret-metadata-1",
            "secret-key-1",
            "secret-value-1",
        ],
    );
    // ClientRequestToken is not sensitive in the model, so it stays readable.
    assert!(debug.contains("visible-token-1"), "{debug}");
    let pretty = format!("{input:#?}");
    assert_hidden(
        &pretty,
        &[
            "secret-name-1",
            "secret-metadata-1",
            "secret-key-1",
            "secret-value-1",
        ],
    );
}

#[test]
fn builders_are_redacted_too() {
    let builder = CreateAppInstanceInput::builder()
        .name("secret-name-2")
        .metadata("secret-metadata-2")
        .tags(tag("secret-key-2", "secret-value-2"));
    assert_hidden(
        &format!("{builder:?}"),
        &[
            "secret-name-2",
            "secret-metadata-2",
            "secret-key-2",
            "secret-value-2",
        ],
    );
    let tag_builder = Tag::builder().key("secret-key-3").value("secret-value-3");
    assert_hidden(
        &format!("{tag_builder:?}"),
        &["secret-key-3", "secret-value-3"],
    );
}

#[test]
fn sensitive_identifiers_are_redacted() {
    let input = CreateAppInstanceUserInput::builder()
        .app_instance_arn("arn:aws:chime:us-east-1:123456789012:app-instance/visible")
        .app_instance_user_id("secret-user-id-4")
        .name("secret-user-name-4")
        .metadata("secret-metadata-4")
        .build()
        .unwrap();
    let debug = format!("{input:?}");
    assert_hidden(
        &debug,
        &[
            "secret-user-id-4",
            "secret-user-name-4",
            "secret-metadata-4",
        ],
    );
    assert!(
        debug.contains("app-instance/visible"),
        "the app instance ARN is not sensitive: {debug}"
    );
}

#[test]
fn outputs_nested_structures_and_tokens_are_redacted() {
    let output = ListAppInstancesOutput::builder()
        .app_instances(
            AppInstanceSummary::builder()
                .app_instance_arn("arn:aws:chime:us-east-1:123456789012:app-instance/a")
                .name("secret-name-5")
                .metadata("secret-metadata-5")
                .build(),
        )
        .next_token("secret-next-token-5")
        .build();
    assert_hidden(
        &format!("{output:?}"),
        &["secret-name-5", "secret-metadata-5", "secret-next-token-5"],
    );

    let described = DescribeAppInstanceUserOutput::builder()
        .app_instance_user(
            AppInstanceUser::builder()
                .name("secret-name-6")
                .metadata("secret-metadata-6")
                .build(),
        )
        .build();
    assert_hidden(
        &format!("{described:?}"),
        &["secret-name-6", "secret-metadata-6"],
    );
}

#[test]
fn fluent_builders_and_clients_do_not_print_secrets() {
    let config = chimesdkidentity::Config::builder()
        .region(chimesdkidentity::config::Region::new("us-east-1"))
        .credentials_provider(chimesdkidentity::config::Credentials::new(
            "AKIDVISIBLE",
            "secret-access-key-7",
            Some("secret-session-token-7".to_owned()),
            None,
            "test",
        ))
        .build();
    let client = chimesdkidentity::Client::from_conf(config);
    let request = client
        .create_app_instance()
        .name("secret-name-7")
        .metadata("secret-metadata-7");
    let text = format!("{client:?} {request:?}");
    assert_hidden(
        &text,
        &[
            "secret-access-key-7",
            "secret-session-token-7",
            "secret-name-7",
            "secret-metadata-7",
        ],
    );
}

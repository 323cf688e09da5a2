// A program written against the documented API of the official `aws-sdk-chimesdkidentity` 1.x
// crate (its docs.rs pages, and those of `aws-types` for an `SdkConfig` built by hand where the
// official examples call `aws_config::load_from_env()`). The next line is its only change: it
// compiles against the generated crate under the official name. `bench/dropin-official.sh`
// checks that the same file, without that line, compiles against the official crate.
use chimesdkidentity as aws_sdk_chimesdkidentity;

use std::time::Duration;

use aws_sdk_chimesdkidentity::config::retry::{RetryConfig, RetryMode};
use aws_sdk_chimesdkidentity::config::timeout::TimeoutConfig;
use aws_sdk_chimesdkidentity::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_chimesdkidentity::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_chimesdkidentity::operation::create_app_instance::CreateAppInstanceInput;
use aws_sdk_chimesdkidentity::operation::create_app_instance_admin::CreateAppInstanceAdminError;
use aws_sdk_chimesdkidentity::operation::list_app_instances::{
    ListAppInstancesError, ListAppInstancesOutput,
};
use aws_sdk_chimesdkidentity::operation::RequestId;
use aws_sdk_chimesdkidentity::types::{ExpirationCriterion, ExpirationSettings, Tag};
use aws_sdk_chimesdkidentity::{Client, Config, Error};

/// A client configured in code: behavior version, region, static credentials, endpoint URL,
/// standard retries and timeouts at the official paths.
pub fn client_from_builder(endpoint_url: &str, access_key_id: &str, secret: &str) -> Client {
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            access_key_id,
            secret,
            None,
            None,
            "drop-in",
        ))
        .endpoint_url(endpoint_url)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_millis(50)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(3))
                .operation_attempt_timeout(Duration::from_secs(10))
                .operation_timeout(Duration::from_secs(30))
                .build(),
        )
        .build();
    Client::from_conf(config)
}

/// The `&mut` setters, `behavior_version_latest()`, `Credentials::from_keys` and an adaptive
/// retry configuration.
pub fn client_from_setters(endpoint_url: &str, access_key_id: &str, secret: &str) -> Client {
    let mut builder = aws_sdk_chimesdkidentity::config::Builder::new().behavior_version_latest();
    builder.set_region(Some(Region::new("us-east-1")));
    builder.set_endpoint_url(Some(endpoint_url.to_owned()));
    builder.set_retry_config(Some(
        RetryConfig::adaptive()
            .with_max_attempts(2)
            .with_initial_backoff(Duration::from_millis(5)),
    ));
    builder.set_timeout_config(Some(TimeoutConfig::disabled()));
    let config = builder
        .credentials_provider(Credentials::from_keys(access_key_id, secret, None))
        .build();
    assert_eq!(
        config.retry_config().map(RetryConfig::mode),
        Some(RetryMode::Adaptive)
    );
    Client::from_conf(config)
}

/// An `SdkConfig` built by hand where the official examples load one with `aws-config`.
pub fn sdk_config(endpoint_url: &str, access_key_id: &str, secret: &str) -> aws_types::SdkConfig {
    aws_types::SdkConfig::builder()
        .region(aws_types::region::Region::new("us-east-1"))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new(
                    access_key_id,
                    secret,
                    None,
                    None,
                    "sdk-config",
                ),
            ),
        )
        .endpoint_url(endpoint_url)
        .retry_config(aws_types::sdk_config::RetryConfig::standard().with_max_attempts(1))
        .build()
}

/// Clients from an `SdkConfig`: `Client::new` and `config::Builder::from` with an override.
pub fn clients_from_sdk_config(sdk_config: &aws_types::SdkConfig) -> (Client, Client) {
    let shared = Client::new(sdk_config);
    let config = aws_sdk_chimesdkidentity::config::Builder::from(sdk_config)
        .retry_config(RetryConfig::disabled())
        .build();
    (shared, Client::from_conf(config))
}

/// What [`create_and_describe`] saw.
#[derive(Debug)]
pub struct Created {
    /// The new app instance's ARN.
    pub arn: String,
    /// Its name, as `DescribeAppInstance` returned it.
    pub name: String,
    /// Its creation time, in seconds since the epoch.
    pub created_secs: Option<i64>,
    /// The request ids of the two responses.
    pub request_ids: (Option<String>, Option<String>),
}

/// `?` on builders and calls into the crate's `Error`, outputs' accessors and request ids.
pub async fn create_and_describe(client: &Client, name: &str) -> Result<Created, Error> {
    let created = client
        .create_app_instance()
        .name(name)
        .metadata("created by the drop-in proof")
        .tags(Tag::builder().key("team").value("identity").build()?)
        .send()
        .await?;
    let arn = created.app_instance_arn().unwrap_or_default().to_owned();
    let described = client
        .describe_app_instance()
        .app_instance_arn(&arn)
        .send()
        .await?;
    let instance = described.app_instance();
    Ok(Created {
        name: instance
            .and_then(|i| i.name())
            .unwrap_or_default()
            .to_owned(),
        created_secs: instance
            .and_then(|i| i.created_timestamp())
            .map(|t| t.secs()),
        arn,
        request_ids: (
            created.request_id().map(str::to_owned),
            described.request_id().map(str::to_owned),
        ),
    })
}

/// Sends an input built on its own with `send_with`, and a user with expiration settings.
pub async fn send_with_and_enums(client: &Client, app_instance_arn: &str) -> Result<String, Error> {
    let created = CreateAppInstanceInput::builder()
        .name("sent-with")
        .send_with(client)
        .await?;
    let user = client
        .create_app_instance_user()
        .app_instance_arn(app_instance_arn)
        .app_instance_user_id("user-1")
        .name("User One")
        .expiration_settings(
            ExpirationSettings::builder()
                .expiration_days(1)
                .expiration_criterion(ExpirationCriterion::CreatedTimestamp)
                .build()?,
        )
        .send()
        .await?;
    assert_eq!(
        ExpirationCriterion::CreatedTimestamp.as_str(),
        "CREATED_TIMESTAMP"
    );
    Ok(format!(
        "{} {}",
        created.app_instance_arn().unwrap_or_default(),
        user.app_instance_user_arn().unwrap_or_default()
    ))
}

/// What every error-handling form found for one `ConflictException`.
#[derive(Debug, Default)]
pub struct ErrorForms {
    pub matched_message: Option<String>,
    pub raw_status: Option<u16>,
    pub is_conflict: bool,
    pub as_service_error_is_conflict: bool,
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub service_error_request_id: Option<String>,
    pub display_error_context: String,
    pub crate_error_is_conflict: bool,
    pub crate_error_code: Option<String>,
    pub crate_error_request_id: Option<String>,
}

async fn add_admin(client: &Client, app: &str, admin: &str) -> Result<(), Error> {
    client
        .create_app_instance_admin()
        .app_instance_arn(app)
        .app_instance_admin_arn(admin)
        .send()
        .await?;
    Ok(())
}

/// Makes the same admin twice (the second call fails with a modeled `ConflictException`) and
/// handles the failure every documented way.
pub async fn error_forms(client: &Client, app: &str, admin: &str) -> ErrorForms {
    let mut forms = ErrorForms::default();
    let send = || {
        client
            .create_app_instance_admin()
            .app_instance_arn(app)
            .app_instance_admin_arn(admin)
            .send()
    };
    if let Err(err) = send().await {
        panic!(
            "the first CreateAppInstanceAdmin failed: {}",
            DisplayErrorContext(&err)
        );
    }

    let err = send()
        .await
        .expect_err("a second admin of the same ARN conflicts");
    match &err {
        SdkError::ServiceError(service_error) => {
            forms.raw_status = Some(service_error.raw().status().as_u16());
            match service_error.err() {
                CreateAppInstanceAdminError::ConflictException(conflict) => {
                    forms.matched_message = conflict.message().map(str::to_owned);
                }
                other => panic!("unexpected service error: {other}"),
            }
            forms.service_error_request_id = service_error.err().request_id().map(str::to_owned);
        }
        other => panic!("unexpected failure: {}", DisplayErrorContext(other)),
    }
    forms.code = err.code().map(str::to_owned);
    forms.message = err.message().map(str::to_owned);
    forms.request_id = err.request_id().map(str::to_owned);
    forms.display_error_context = format!("{}", DisplayErrorContext(&err));
    forms.as_service_error_is_conflict = err
        .as_service_error()
        .is_some_and(|e| e.is_conflict_exception());
    let service_error = err.into_service_error();
    forms.is_conflict = service_error.is_conflict_exception();

    match add_admin(client, app, admin).await {
        Err(Error::ConflictException(conflict)) => {
            forms.crate_error_is_conflict = true;
            // `code()` of the exception itself is its modeled `Code` member (an `ErrorCode`).
            forms.crate_error_code = ProvideErrorMetadata::code(&conflict).map(str::to_owned);
            forms.crate_error_request_id = conflict.request_id().map(str::to_owned);
        }
        Err(other) => panic!("unexpected crate error: {other}"),
        Ok(()) => panic!("a third admin call succeeded"),
    }
    forms
}

/// An error the operation does not model reaches `Unhandled`; the documented way to handle it
/// is a wildcard arm checking `code()`.
pub async fn unmodeled_error_code(client: &Client, missing_arn: &str) -> Option<String> {
    let result: Result<_, Error> = client
        .describe_app_instance()
        .app_instance_arn(missing_arn)
        .send()
        .await
        .map_err(Error::from);
    match result {
        Ok(_) => None,
        Err(err) if err.code() == Some("NotFoundException") => {
            Some(format!("not found: {}", err.message().unwrap_or_default()))
        }
        Err(err) => Some(format!("other: {err}")),
    }
}

/// Failures that are not service errors: a missing required member, and a refused connection.
pub async fn local_failures(client: &Client, refused: &Client) -> (bool, bool) {
    let missing_name = client.create_app_instance().send().await;
    let construction = matches!(missing_name, Err(SdkError::ConstructionFailure(_)));
    let dispatch = match refused.list_app_instances().send().await {
        Err(SdkError::DispatchFailure(failure)) => failure.is_io() && !failure.is_timeout(),
        _ => false,
    };
    (construction, dispatch)
}

/// Every way to read a paginator's pages; returns the item counts each way saw.
pub async fn paginate(client: &Client) -> Result<[usize; 4], Error> {
    let mut counts = [0; 4];

    let mut pages = client
        .list_app_instances()
        .max_results(2)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        counts[0] += page?.app_instances().len();
    }

    let mut pages = client
        .list_app_instances()
        .into_paginator()
        .page_size(2)
        .send();
    while let Some(page) = pages.try_next().await? {
        counts[1] += page.app_instances().len();
    }

    let results: Vec<Result<ListAppInstancesOutput, SdkError<ListAppInstancesError>>> = client
        .list_app_instances()
        .max_results(3)
        .into_paginator()
        .send()
        .collect::<Vec<_>>()
        .await;
    for page in results {
        counts[2] += page?.app_instances().len();
    }

    let pages: Vec<ListAppInstancesOutput> = client
        .list_app_instances()
        .into_paginator()
        .page_size(1)
        .send()
        .try_collect()
        .await?;
    counts[3] = pages.iter().map(|page| page.app_instances().len()).sum();
    Ok(counts)
}

/// `customize()`: a configuration override for one call and a request mutation.
pub async fn customized_call(client: &Client) -> Result<usize, Error> {
    let output = client
        .list_app_instances()
        .customize()
        .config_override(Config::builder().retry_config(RetryConfig::disabled()))
        .mutate_request(|request| {
            request
                .headers_mut()
                .insert("x-drop-in", http::HeaderValue::from_static("mutated"));
        })
        .send()
        .await?;
    Ok(output.app_instances().len())
}

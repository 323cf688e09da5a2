//! Configuration from an `aws_types::SdkConfig` (feature `aws-config`), so users keep the full
//! credential chain of the `aws-config` crate (SSO, web identity, assume role, ...).

use std::fmt;

/// The `aws-config` crate's shared configuration.
pub use aws_types::SdkConfig;

use crate::config::{BehaviorVersion, Builder};
use crate::credentials::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::env::region::Region;
use crate::retry::{RetryConfig, RetryMode};
use crate::timeout::TimeoutConfig;

/// Credentials from an `aws-config` credentials provider.
pub struct SdkCredentialsProvider(aws_credential_types::provider::SharedCredentialsProvider);

impl fmt::Debug for SdkCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SdkCredentialsProvider")
    }
}

impl SdkCredentialsProvider {
    async fn load(self) -> Result<Credentials, CredentialsError> {
        use aws_credential_types::provider::ProvideCredentials as Official;
        let credentials = Official::provide_credentials(&self.0)
            .await
            .map_err(|err| {
                CredentialsError::provider_error(format!(
                    "the aws-config credentials provider failed: {err}"
                ))
                .with_source(err)
            })?;
        Ok(convert(&credentials, "aws-config"))
    }
}

impl ProvideCredentials for SdkCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(SdkCredentialsProvider(self.0.clone()).load())
    }
}

impl ProvideCredentials for aws_credential_types::provider::SharedCredentialsProvider {
    /// An `aws-config` credentials provider used directly as a client's (feature `aws-config`).
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(SdkCredentialsProvider(self.clone()).load())
    }
}

impl ProvideCredentials for aws_credential_types::Credentials {
    /// `aws_credential_types::Credentials` used directly as a client's (feature `aws-config`).
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(convert(
            self,
            "aws-credential-types",
        ))))
    }
}

impl From<aws_types::region::Region> for Region {
    /// The `aws-types` region (feature `aws-config`).
    fn from(region: aws_types::region::Region) -> Self {
        Region::new(region.as_ref().to_owned())
    }
}

fn convert(credentials: &aws_credential_types::Credentials, provider: &'static str) -> Credentials {
    Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_owned),
        credentials.expiry(),
        provider,
    )
}

/// A config builder holding what `sdk_config` sets for the service whose SDK id is
/// `service_id`: region, credentials provider, endpoint URL (the one set in code on the
/// `SdkConfig`, else the service's own from the environment or the shared config file that
/// `aws-config` loaded, else the global one), FIPS and dual-stack, retry mode and settings,
/// timeouts, app name, request compression settings and behavior version. Anything it leaves
/// unset keeps this crate's default.
pub fn builder_from_sdk_config(sdk_config: &aws_types::SdkConfig, service_id: &str) -> Builder {
    let mut builder = Builder::new()
        .set_region(
            sdk_config
                .region()
                .map(|r| Region::new(r.as_ref().to_owned())),
        )
        .set_endpoint_url(endpoint_url(sdk_config, service_id))
        .set_use_fips(sdk_config.use_fips())
        .set_use_dual_stack(sdk_config.use_dual_stack())
        .set_disable_request_compression(sdk_config.disable_request_compression())
        .set_request_min_compression_size_bytes(sdk_config.request_min_compression_size_bytes())
        .set_behavior_version(sdk_config.behavior_version().map(behavior_version));
    if let Some(provider) = sdk_config.credentials_provider() {
        builder = builder.credentials_provider(SdkCredentialsProvider(provider));
    }
    if let Some(retry) = sdk_config.retry_config() {
        let mode = match retry.mode() {
            aws_smithy_types::retry::RetryMode::Adaptive => RetryMode::Adaptive,
            _ => RetryMode::Standard,
        };
        builder = builder.retry_config(
            RetryConfig::standard()
                .with_retry_mode(mode)
                .with_max_attempts(retry.max_attempts())
                .with_initial_backoff(retry.initial_backoff())
                .with_max_backoff(retry.max_backoff()),
        );
    }
    if let Some(timeouts) = sdk_config.timeout_config() {
        let mut ours = TimeoutConfig::new();
        if let Some(connect) = timeouts.connect_timeout() {
            ours = ours.connect_timeout(connect);
        }
        if let Some(read) = timeouts.read_timeout() {
            ours = ours.read_timeout(read);
        }
        ours = ours
            .set_operation_attempt_timeout(timeouts.operation_attempt_timeout())
            .set_operation_timeout(timeouts.operation_timeout());
        builder = builder.timeout_config(ours);
    }
    if let Some(app_name) = sdk_config.app_name() {
        builder = builder.app_name(app_name.to_string());
    }
    builder
}

/// The endpoint URL for the service, with the official SDK's precedence: set in code on the
/// `SdkConfig`, else the service's own configured URL, else the global configured URL.
fn endpoint_url(sdk_config: &aws_types::SdkConfig, service_id: &str) -> Option<String> {
    if sdk_config.get_origin("endpoint_url").is_client_config() {
        return sdk_config.endpoint_url().map(str::to_owned);
    }
    let key = aws_types::service_config::ServiceConfigKey::builder()
        .service_id(service_id)
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .ok();
    sdk_config
        .service_config()
        .zip(key)
        .and_then(|(loader, key)| loader.load_config(key))
        .or_else(|| sdk_config.endpoint_url().map(str::to_owned))
}

/// The official behavior version as ours (which records it and changes nothing).
fn behavior_version(
    version: aws_smithy_runtime_api::client::behavior_version::BehaviorVersion,
) -> BehaviorVersion {
    use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion as Official;
    // The older constructors are deprecated in favour of `latest()`; they are only compared
    // against here.
    #[allow(deprecated)]
    let known = [
        (Official::v2025_08_07(), BehaviorVersion::v2025_08_07()),
        (Official::v2025_01_17(), BehaviorVersion::v2025_01_17()),
        (Official::v2024_03_28(), BehaviorVersion::v2024_03_28()),
    ];
    if version.is_at_least(Official::latest()) {
        return BehaviorVersion::latest();
    }
    known
        .into_iter()
        .find(|(official, _)| version.is_at_least(*official))
        .map(|(_, ours)| ours)
        .unwrap_or_else(BehaviorVersion::v2023_11_09)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn takes_region_credentials_endpoint_retries_and_timeouts() {
        let sdk_config = aws_types::SdkConfig::builder()
            .region(aws_types::region::Region::new("eu-west-1"))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    aws_credential_types::Credentials::new(
                        "AKID",
                        "SECRET",
                        Some("TOKEN".into()),
                        None,
                        "test",
                    ),
                ),
            )
            .endpoint_url("http://127.0.0.1:9")
            .retry_config(aws_types::sdk_config::RetryConfig::standard().with_max_attempts(5))
            .timeout_config(
                aws_types::sdk_config::TimeoutConfig::builder()
                    .connect_timeout(Duration::from_millis(700))
                    .operation_timeout(Duration::from_secs(9))
                    .build(),
            )
            .build();
        let config = builder_from_sdk_config(&sdk_config, "Chime SDK Identity").build();
        assert_eq!(
            config.region().map(|r| r.as_ref().to_owned()),
            Some("eu-west-1".to_owned())
        );
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:9"));
        assert_eq!(config.retry_config().max_attempts(), 5);
        assert_eq!(
            config.timeout_config().connect(),
            Some(Duration::from_millis(700))
        );
        assert_eq!(
            config.timeout_config().operation(),
            Some(Duration::from_secs(9))
        );
        let provider = config.credentials_provider().expect("a provider");
        let credentials = provider.provide_credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), "AKID");
        assert_eq!(credentials.secret_access_key(), "SECRET");
        assert_eq!(credentials.session_token(), Some("TOKEN"));
        assert!(!format!("{config:?}").contains("SECRET"));
    }

    #[tokio::test]
    async fn official_credentials_and_regions_are_accepted_directly() {
        let official = aws_credential_types::Credentials::new("AKID", "SECRET", None, None, "x");
        let config = Builder::new()
            .region(aws_types::region::Region::new("eu-central-1"))
            .credentials_provider(official.clone())
            .build();
        assert_eq!(config.region().map(|r| r.as_ref()), Some("eu-central-1"));
        let loaded = config
            .credentials_provider()
            .unwrap()
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(loaded.secret_access_key(), "SECRET");
        let shared = aws_credential_types::provider::SharedCredentialsProvider::new(official);
        let loaded = Builder::new()
            .credentials_provider(shared)
            .build()
            .credentials_provider()
            .unwrap()
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(loaded.access_key_id(), "AKID");
    }
}

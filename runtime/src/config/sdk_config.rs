//! Configuration from an `aws_types::SdkConfig` (feature `aws-config`), so users keep the full
//! credential chain of the `aws-config` crate (SSO, web identity, assume role, ...).

use std::fmt;

use crate::config::Builder;
use crate::credentials::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::env::region::Region;
use crate::retry::RetryConfig;
use crate::timeout::TimeoutConfig;

/// Credentials from an `aws-config` credentials provider.
pub struct SdkCredentialsProvider(aws_credential_types::provider::SharedCredentialsProvider);

impl fmt::Debug for SdkCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SdkCredentialsProvider")
    }
}

impl ProvideCredentials for SdkCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            use aws_credential_types::provider::ProvideCredentials as _;
            let credentials = self.0.provide_credentials().await.map_err(|err| {
                CredentialsError::provider_error(format!(
                    "the aws-config credentials provider failed: {err}"
                ))
                .with_source(err)
            })?;
            Ok(Credentials::new(
                credentials.access_key_id(),
                credentials.secret_access_key(),
                credentials.session_token().map(str::to_owned),
                credentials.expiry(),
                "aws-config",
            ))
        })
    }
}

/// A config builder holding what `sdk_config` sets: region, credentials provider, endpoint URL,
/// FIPS and dual-stack, retry and timeout settings. Anything it leaves unset keeps this crate's
/// default.
pub fn builder_from_sdk_config(sdk_config: &aws_types::SdkConfig) -> Builder {
    let mut builder = Builder::new()
        .set_region(
            sdk_config
                .region()
                .map(|r| Region::new(r.as_ref().to_owned())),
        )
        .set_endpoint_url(sdk_config.endpoint_url().map(str::to_owned))
        .set_use_fips(sdk_config.use_fips())
        .set_use_dual_stack(sdk_config.use_dual_stack());
    if let Some(provider) = sdk_config.credentials_provider() {
        builder = builder.credentials_provider(SdkCredentialsProvider(provider));
    }
    if let Some(retry) = sdk_config.retry_config() {
        builder = builder.retry_config(
            RetryConfig::standard()
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
        let config = builder_from_sdk_config(&sdk_config).build();
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
}

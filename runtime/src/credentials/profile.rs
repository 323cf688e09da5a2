//! Credentials from the selected profile of the shared config and credentials files.

use super::{
    CredentialProcessProvider, Credentials, CredentialsError, CredentialsFuture, ProvideCredentials,
};
use crate::env::profile::ProfileSet;
use crate::env::Env;

/// Reads the selected profile (`AWS_PROFILE`, else `default`) on every load: static keys
/// (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`, `aws_account_id`) or
/// `credential_process`.
///
/// Profiles that assume a role (`role_arn`, `source_profile`) or use IAM Identity Center
/// (`sso_*`) are reported as unsupported rather than silently ignored.
#[derive(Debug, Clone)]
pub struct ProfileFileCredentialsProvider {
    env: Env,
}

impl ProfileFileCredentialsProvider {
    /// Reads the files `env` points at.
    pub fn new(env: Env) -> Self {
        Self { env }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let env = self.env.clone();
        let profiles = super::read_files("the shared AWS config files", move || {
            ProfileSet::load(&env)
        })
        .await?
        .map_err(|e| {
            CredentialsError::invalid_configuration("the shared AWS config files are invalid")
                .with_source(e)
        })?;
        let name = profiles.selected_name();
        let Some(profile) = profiles.selected() else {
            let message = if profiles.sources().is_empty() {
                "no shared config or credentials file exists (~/.aws/config, ~/.aws/credentials)"
                    .to_owned()
            } else {
                let files: Vec<String> = profiles
                    .sources()
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect();
                format!("profile `{name}` is not defined in {}", files.join(" or "))
            };
            return if self.env.get_non_empty("AWS_PROFILE").is_some() {
                Err(CredentialsError::invalid_configuration(format!(
                    "AWS_PROFILE selects profile `{name}` but {message}"
                )))
            } else {
                Err(CredentialsError::not_loaded(message))
            };
        };
        let access_key = profile.get("aws_access_key_id").filter(|v| !v.is_empty());
        let secret_key = profile
            .get("aws_secret_access_key")
            .filter(|v| !v.is_empty());
        match (access_key, secret_key) {
            (Some(access_key), Some(secret_key)) => {
                let credentials = Credentials::new(
                    access_key,
                    secret_key,
                    profile
                        .get("aws_session_token")
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned),
                    None,
                    "Profile",
                );
                return Ok(
                    match profile.get("aws_account_id").filter(|v| !v.is_empty()) {
                        Some(account_id) => credentials.with_account_id(account_id),
                        None => credentials,
                    },
                );
            }
            (Some(_), None) => {
                return Err(CredentialsError::invalid_configuration(format!(
                    "profile `{name}` has aws_access_key_id but no aws_secret_access_key"
                )))
            }
            (None, Some(_)) => {
                return Err(CredentialsError::invalid_configuration(format!(
                    "profile `{name}` has aws_secret_access_key but no aws_access_key_id"
                )))
            }
            (None, None) => {}
        }
        if let Some(command) = profile.get("credential_process").filter(|v| !v.is_empty()) {
            return CredentialProcessProvider::new(command)
                .provide_credentials()
                .await
                .map_err(|e| {
                    CredentialsError::provider_error(format!(
                        "credential_process of profile `{name}` failed"
                    ))
                    .with_source(e)
                });
        }
        for key in [
            "role_arn",
            "source_profile",
            "sso_session",
            "sso_start_url",
            "web_identity_token_file",
        ] {
            if profile.get(key).is_some() {
                return Err(CredentialsError::invalid_configuration(format!(
                    "profile `{name}` uses `{key}`, which this client does not support; use \
                     static keys or credential_process (for example `aws configure \
                     export-credentials --format process`)"
                )));
            }
        }
        Err(CredentialsError::not_loaded(format!(
            "profile `{name}` has no aws_access_key_id/aws_secret_access_key or credential_process"
        )))
    }
}

impl ProvideCredentials for ProfileFileCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

//! Credentials from the selected profile of the shared config and credentials files.

use super::assume_role::AssumeRoleProvider;
use super::profile_chain::{self, Base, NamedSource};
use super::sso::SsoCredentialsProvider;
use super::sts::RoleRequest;
use super::web_identity::WebIdentityTokenCredentialsProvider;
use super::{
    CredentialProcessProvider, Credentials, CredentialsError, CredentialsFuture,
    EcsCredentialsProvider, EnvironmentVariableCredentialsProvider, ImdsCredentialsProvider,
    ProvideCredentials, ProviderConfig, SharedCredentialsProvider,
};
use crate::contract::time::TimeSource;
use crate::env::profile::ProfileSet;
use crate::env::Env;

/// Reads the selected profile (`AWS_PROFILE`, else `default`) on every load and gets its
/// credentials as the AWS SDKs do: static keys (`aws_access_key_id`, `aws_secret_access_key`,
/// `aws_session_token`, `aws_account_id`), `credential_process`, a role to assume (`role_arn` with
/// `source_profile` or `credential_source`, chained through source profiles, with
/// `role_session_name`, `external_id`, `duration_seconds`), a web identity token
/// (`web_identity_token_file` + `role_arn`), or IAM Identity Center (`sso_session` with an
/// `[sso-session]` section, or the legacy `sso_start_url` + `sso_region`, with
/// `sso_account_id` + `sso_role_name`).
///
/// Roles, web identity tokens and IAM Identity Center call STS or the SSO portal through the
/// HTTP client of the [`ProviderConfig`]; nothing is sent for static keys or
/// `credential_process`.
#[derive(Debug, Clone)]
pub struct ProfileFileCredentialsProvider {
    config: ProviderConfig,
}

impl ProfileFileCredentialsProvider {
    /// Reads the files `env` points at. Without an HTTP client, profiles that need STS or IAM
    /// Identity Center fail, saying so: see [`from_config`](Self::from_config).
    pub fn new(env: Env) -> Self {
        Self::from_config(ProviderConfig::without_http(env))
    }

    /// Reads the files the environment of `config` points at and calls STS or IAM Identity
    /// Center with its HTTP client, clock and region when a profile needs them.
    pub fn from_config(config: ProviderConfig) -> Self {
        Self { config }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let env = self.config.env.clone();
        let profiles = super::read_files("the shared AWS config files", move || {
            ProfileSet::load(&env)
        })
        .await?
        .map_err(|e| {
            CredentialsError::invalid_configuration("the shared AWS config files are invalid")
                .with_source(e)
        })?;
        let name = profiles.selected_name();
        if profiles.selected().is_none() {
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
            return if self.config.env.get_non_empty("AWS_PROFILE").is_some() {
                Err(CredentialsError::invalid_configuration(format!(
                    "AWS_PROFILE selects profile `{name}` but {message}"
                )))
            } else {
                Err(CredentialsError::not_loaded(message))
            };
        }
        let chain = profile_chain::resolve(&profiles)?;
        let now = self.config.time.now();
        let mut provider = self.base_provider(chain.base);
        for role in chain.roles {
            let mut request = RoleRequest::new(role.role_arn, role.session_name, now);
            request.external_id = role.external_id;
            request.duration_seconds = role.duration_seconds;
            provider = SharedCredentialsProvider::new(AssumeRoleProvider::new(
                self.config.clone(),
                request,
                provider,
            ));
        }
        provider.provide_credentials().await
    }

    fn base_provider(&self, base: Base) -> SharedCredentialsProvider {
        let config = self.config.clone();
        match base {
            Base::Static(credentials) => SharedCredentialsProvider::new(credentials),
            Base::Process { command, profile } => {
                SharedCredentialsProvider::new(ProfileProcess { command, profile })
            }
            Base::WebIdentity {
                token_file,
                role_arn,
                session_name,
            } => SharedCredentialsProvider::new(WebIdentityTokenCredentialsProvider::new(
                config,
                token_file,
                role_arn,
                session_name,
            )),
            Base::Sso(settings) => {
                SharedCredentialsProvider::new(SsoCredentialsProvider::new(config, settings))
            }
            Base::Named(NamedSource::Environment) => SharedCredentialsProvider::new(
                EnvironmentVariableCredentialsProvider::new(config.env),
            ),
            Base::Named(NamedSource::EcsContainer) => match config.http_client("ECS") {
                Ok(http) => {
                    SharedCredentialsProvider::new(EcsCredentialsProvider::new(config.env, http))
                }
                Err(err) => SharedCredentialsProvider::new(Failing(err.to_string())),
            },
            Base::Named(NamedSource::Ec2InstanceMetadata) => {
                match config.http_client("EC2 instance metadata") {
                    Ok(http) => SharedCredentialsProvider::new(ImdsCredentialsProvider::new(
                        config.env, http,
                    )),
                    Err(err) => SharedCredentialsProvider::new(Failing(err.to_string())),
                }
            }
        }
    }
}

/// The `credential_process` of a profile, its failures naming the profile.
#[derive(Debug)]
struct ProfileProcess {
    command: String,
    profile: String,
}

impl ProvideCredentials for ProfileProcess {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            CredentialProcessProvider::new(&self.command)
                .provide_credentials()
                .await
                .map_err(|e| {
                    CredentialsError::provider_error(format!(
                        "credential_process of profile `{}` failed",
                        self.profile
                    ))
                    .with_source(e)
                })
        })
    }
}

/// A source that cannot work in this configuration.
#[derive(Debug)]
struct Failing(String);

impl ProvideCredentials for Failing {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Err(
            CredentialsError::invalid_configuration(self.0.clone()),
        )))
    }
}

impl ProvideCredentials for ProfileFileCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

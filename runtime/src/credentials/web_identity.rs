//! Credentials for a role assumed with a web identity token (OIDC), as on EKS with IAM roles for
//! service accounts: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+ `AWS_ROLE_SESSION_NAME`),
//! or a profile's `web_identity_token_file` + `role_arn` (+ `role_session_name`).

use std::path::PathBuf;

use super::sts::{self, RoleRequest, StsCall};
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderConfig};
use crate::contract::time::TimeSource;

/// Where the token and the role come from.
#[derive(Debug, Clone)]
enum Source {
    /// The environment variables, read on every load.
    Environment,
    /// A profile's settings, fixed when the provider is made.
    Static {
        token_file: String,
        role_arn: String,
        session_name: Option<String>,
    },
}

/// Calls STS `AssumeRoleWithWebIdentity` (unsigned) with the token read from its file on every
/// load (the file is rotated by the platform), for temporary credentials that the client's
/// cache refreshes before they expire.
#[derive(Debug, Clone)]
pub struct WebIdentityTokenCredentialsProvider {
    config: ProviderConfig,
    source: Source,
}

impl WebIdentityTokenCredentialsProvider {
    /// Reads `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME` from the
    /// environment of `config` on every load; "not loaded" when the first two are unset.
    pub fn from_env(config: ProviderConfig) -> Self {
        Self {
            config,
            source: Source::Environment,
        }
    }

    /// Uses the given token file and role (a profile's `web_identity_token_file`, `role_arn`
    /// and `role_session_name`).
    pub fn new(
        config: ProviderConfig,
        token_file: impl Into<String>,
        role_arn: impl Into<String>,
        session_name: Option<String>,
    ) -> Self {
        Self {
            config,
            source: Source::Static {
                token_file: token_file.into(),
                role_arn: role_arn.into(),
                session_name,
            },
        }
    }

    fn settings(&self) -> Result<(String, String, Option<String>), CredentialsError> {
        match &self.source {
            Source::Static {
                token_file,
                role_arn,
                session_name,
            } => Ok((token_file.clone(), role_arn.clone(), session_name.clone())),
            Source::Environment => {
                let env = &self.config.env;
                let file = env.get_non_empty("AWS_WEB_IDENTITY_TOKEN_FILE");
                let role = env.get_non_empty("AWS_ROLE_ARN");
                match (file, role) {
                    (Some(file), Some(role)) => Ok((
                        file.trim().to_owned(),
                        role.trim().to_owned(),
                        env.get_non_empty("AWS_ROLE_SESSION_NAME")
                            .map(|n| n.trim().to_owned()),
                    )),
                    (None, None) => Err(CredentialsError::not_loaded(
                        "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set",
                    )),
                    (Some(_), None) => Err(CredentialsError::invalid_configuration(
                        "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not: set both",
                    )),
                    (None, Some(_)) => Err(CredentialsError::not_loaded(
                        "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not",
                    )),
                }
            }
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let (file, role_arn, session_name) = self.settings()?;
        let path = self.config.env.expand_home(&file);
        let token = read_token(&self.config, path).await?;
        let role = RoleRequest::new(role_arn, session_name, self.config.time.now());
        sts::call(
            &self.config,
            StsCall::AssumeRoleWithWebIdentity {
                role: &role,
                token: &token,
            },
            "WebIdentityToken",
        )
        .await
    }
}

/// The token in `path`, without surrounding blanks; never echoed in errors. The file is read off
/// the async workers (and only if it is a regular file: see `Env::read_to_string`).
async fn read_token(config: &ProviderConfig, path: PathBuf) -> Result<String, CredentialsError> {
    let env = config.env.clone();
    let file = path.clone();
    let text = super::read_files("the web identity token file", move || {
        env.read_to_string(&file)
    })
    .await?
    .map_err(|e| {
        CredentialsError::invalid_configuration(format!(
            "the web identity token file {} could not be read",
            path.display()
        ))
        .with_source(e)
    })?;
    let token = text.trim();
    if token.is_empty() {
        return Err(CredentialsError::invalid_configuration(format!(
            "the web identity token file {} is empty",
            path.display()
        )));
    }
    Ok(token.to_owned())
}

impl ProvideCredentials for WebIdentityTokenCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

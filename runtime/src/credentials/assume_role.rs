//! Credentials of a role assumed with other credentials: STS `AssumeRole`, signed with the
//! source credentials (a profile's `role_arn` with `source_profile` or `credential_source`).

use super::sts::{self, RoleRequest, StsCall};
use super::{
    Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture, ProvideCredentials,
    ProviderConfig, SharedCredentialsProvider,
};

/// Loads the source credentials, then calls STS `AssumeRole` with them for the role's
/// temporary credentials (the client's cache refreshes them before they expire; each refresh
/// loads the source credentials again).
#[derive(Debug, Clone)]
pub struct AssumeRoleProvider {
    config: ProviderConfig,
    role: RoleRequest,
    source: SharedCredentialsProvider,
}

impl AssumeRoleProvider {
    /// Assumes `role` with the credentials of `source`.
    pub fn new(
        config: ProviderConfig,
        role: RoleRequest,
        source: SharedCredentialsProvider,
    ) -> Self {
        Self {
            config,
            role,
            source,
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let source = self.source.provide_credentials().await.map_err(|e| {
            // A role whose source has nothing configured is a configuration error, not a
            // provider for a chain to skip.
            let kind = match e.kind() {
                CredentialsErrorKind::NotLoaded => CredentialsErrorKind::InvalidConfiguration,
                other => other,
            };
            CredentialsError::new(
                kind,
                format!(
                    "could not load the source credentials to assume role {}",
                    self.role.role_arn
                ),
            )
            .with_source(e)
        })?;
        sts::call(
            &self.config,
            StsCall::AssumeRole {
                source: &source,
                role: &self.role,
            },
            "AssumeRoleProvider",
        )
        .await
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

//! Tries providers in order until one yields credentials.

use super::{
    CredentialsError, CredentialsErrorKind, CredentialsFuture, ProvideCredentials,
    SharedCredentialsProvider,
};

/// A list of named providers tried in order.
///
/// A provider that reports [`CredentialsErrorKind::NotLoaded`] (nothing configured) is skipped
/// and its message remembered; any other error stops the chain, since the user configured that
/// provider and falling through to another identity would be surprising. When no provider
/// yields credentials, the error lists what each one reported.
#[derive(Debug, Clone)]
pub struct CredentialsProviderChain {
    providers: Vec<(&'static str, SharedCredentialsProvider)>,
}

impl CredentialsProviderChain {
    /// A chain that starts with `provider`, called `name` in error messages.
    pub fn first_try(name: &'static str, provider: impl ProvideCredentials + 'static) -> Self {
        Self {
            providers: vec![(name, SharedCredentialsProvider::new(provider))],
        }
    }

    /// Adds `provider` to the end of the chain.
    pub fn or_else(
        mut self,
        name: &'static str,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        self.providers
            .push((name, SharedCredentialsProvider::new(provider)));
        self
    }

    async fn load(&self) -> Result<super::Credentials, CredentialsError> {
        let mut tried: Vec<String> = Vec::new();
        for (name, provider) in &self.providers {
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(provider = name, "credentials chain found credentials");
                    return Ok(credentials);
                }
                Err(error) if error.kind() == CredentialsErrorKind::NotLoaded => {
                    tracing::debug!(provider = name, %error, "credentials provider not configured");
                    tried.push(format!("{name}: {error}"));
                }
                Err(error) => {
                    let mut message = format!("the {name} credentials provider failed");
                    if !tried.is_empty() {
                        message.push_str(&format!(" (after trying: {})", tried.join("; ")));
                    }
                    let kind = error.kind();
                    let wrapped = CredentialsError::new(kind, message).with_source(error);
                    return Err(wrapped);
                }
            }
        }
        Err(CredentialsError::no_credentials(&tried.join("; ")))
    }
}

impl ProvideCredentials for CredentialsProviderChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

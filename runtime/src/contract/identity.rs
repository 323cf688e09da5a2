//! Identities a request is authenticated with: AWS credentials for SigV4, bearer tokens, API
//! keys and basic-auth usernames, and the traits of the providers that load them.
//!
//! Secrets never appear in `Debug` output, `Display` output or logs.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use crate::contract::error::BoxError;
use crate::contract::http::BoxFuture;

/// What `Debug` shows instead of a secret.
pub(crate) const REDACTED: &str = "** redacted **";

/// An access key, its secret and optionally a session token, an expiry time and the AWS account
/// id the keys belong to.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expires_after: Option<SystemTime>,
    provider_name: &'static str,
    account_id: Option<String>,
}

impl Credentials {
    /// Credentials from their parts; `provider_name` says where they came from (for debugging).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expires_after: Option<SystemTime>,
        provider_name: &'static str,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expires_after,
            provider_name,
            account_id: None,
        }
    }

    /// These credentials with the AWS account id they belong to (used by services with
    /// account-based endpoints, the `AWS::Auth::AccountId` endpoint built-in).
    pub fn with_account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// Static credentials that never expire, for code and tests (provider name `Static`).
    pub fn from_keys(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self::new(
            access_key_id,
            secret_access_key,
            session_token,
            None,
            "Static",
        )
    }

    /// The access key id (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When the credentials stop working (`None`: never).
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expires_after
    }

    /// The provider these credentials came from.
    pub fn provider_name(&self) -> &'static str {
        self.provider_name
    }

    /// The AWS account id the credentials belong to, when their source gave it
    /// (`AWS_ACCOUNT_ID`, a profile's `aws_account_id`, the `AccountId` of process or container
    /// credentials).
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }
}

impl fmt::Debug for Credentials {
    /// Shows the access key id, provider and expiry; the secret and the token are redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Credentials");
        d.field("provider_name", &self.provider_name)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **");
        if self.session_token.is_some() {
            d.field("session_token", &"** redacted **");
        }
        if let Some(account_id) = &self.account_id {
            d.field("account_id", account_id);
        }
        if let Some(expiry) = self.expires_after {
            match expiry.duration_since(SystemTime::UNIX_EPOCH) {
                Ok(since) => d.field("expires_after_unix_secs", &since.as_secs()),
                Err(_) => d.field("expires_after", &"before 1970"),
            };
        }
        d.finish()
    }
}

/// Why credentials could not be loaded.
#[derive(Debug)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
    source: Option<BoxError>,
}

/// The class of a [`CredentialsError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// This provider is not set up in this environment (nothing configured); a chain tries the
    /// next provider.
    NotLoaded,
    /// The provider is configured, but the configuration is wrong or unsupported.
    InvalidConfiguration,
    /// The provider is configured but failed (bad response, command failed, network error).
    ProviderError,
    /// No provider of a chain produced credentials.
    NoCredentials,
}

impl CredentialsError {
    /// A failure of the given kind described by `message`.
    pub fn new(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// A provider that is not configured here; `message` says what it looked for.
    pub fn not_loaded(message: impl Into<String>) -> Self {
        Self {
            kind: CredentialsErrorKind::NotLoaded,
            message: message.into(),
            source: None,
        }
    }

    /// Configuration that is present but wrong; `message` says what and how to fix it.
    pub fn invalid_configuration(message: impl Into<String>) -> Self {
        Self {
            kind: CredentialsErrorKind::InvalidConfiguration,
            message: message.into(),
            source: None,
        }
    }

    /// A configured provider failed.
    pub fn provider_error(message: impl Into<String>) -> Self {
        Self {
            kind: CredentialsErrorKind::ProviderError,
            message: message.into(),
            source: None,
        }
    }

    /// The default message for an exhausted chain, followed by what each provider reported.
    pub fn no_credentials(tried: &str) -> Self {
        let mut message = String::from(
            "no credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, configure a \
             profile in ~/.aws/credentials, or pass credentials_provider(...) to the config builder",
        );
        if !tried.is_empty() {
            message.push_str(" (tried: ");
            message.push_str(tried);
            message.push(')');
        }
        Self {
            kind: CredentialsErrorKind::NoCredentials,
            message,
            source: None,
        }
    }

    /// Attaches the underlying cause.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The message without the source chain.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    /// The message; the cause, if any, is returned by `source()` (an error report such as
    /// `anyhow`'s `{:#}` shows both).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for CredentialsError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|e| e.as_ref() as &(dyn StdError + 'static))
    }
}

/// The future a credentials provider returns.
pub type CredentialsFuture<'a> = BoxFuture<'a, Result<Credentials, CredentialsError>>;

/// Something that can produce credentials.
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// Loads (or returns cached) credentials.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

/// A cheaply clonable, shared credentials provider.
#[derive(Clone, Debug)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    /// Shares `provider`.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self(Arc::new(provider))
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.0.provide_credentials()
    }
}

/// A bearer token for `smithy.api#httpBearerAuth`. `Debug` shows no secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    token: String,
    expiry: Option<SystemTime>,
}

impl Token {
    /// A token, optionally with the time it stops being valid.
    pub fn new(token: impl Into<String>, expiry: Option<SystemTime>) -> Self {
        Self {
            token: token.into(),
            expiry,
        }
    }

    /// The token itself.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// When the token stops being valid, if known.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("token", &REDACTED)
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// Why a bearer token could not be provided.
#[derive(Debug)]
pub struct TokenError {
    message: String,
    source: Option<BoxError>,
}

impl TokenError {
    /// A failure described by `message` (which must not contain the token).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying cause.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn std::error::Error + 'static))
    }
}

/// The future a token provider returns.
pub type TokenFuture<'a> = BoxFuture<'a, Result<Token, TokenError>>;

/// Something that can produce bearer tokens. It is asked once per attempt, so a provider of
/// short-lived tokens should cache them itself.
pub trait ProvideToken: fmt::Debug + Send + Sync {
    /// Loads (or returns cached) a token.
    fn provide_token(&self) -> TokenFuture<'_>;
}

impl ProvideToken for Token {
    fn provide_token(&self) -> TokenFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

/// A cheaply clonable, shared token provider.
#[derive(Clone, Debug)]
pub struct SharedTokenProvider(Arc<dyn ProvideToken>);

impl SharedTokenProvider {
    /// Shares `provider`.
    pub fn new(provider: impl ProvideToken + 'static) -> Self {
        Self(Arc::new(provider))
    }
}

impl ProvideToken for SharedTokenProvider {
    fn provide_token(&self) -> TokenFuture<'_> {
        self.0.provide_token()
    }
}

/// An API key for `smithy.api#httpApiKeyAuth`. `Debug` shows no secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// An API key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself.
    pub fn key(&self) -> &str {
        &self.0
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        Self::new(key)
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        Self::new(key)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ApiKey").field(&REDACTED).finish()
    }
}

/// A username and password for `smithy.api#httpBasicAuth`. `Debug` shows neither.
#[derive(Clone, PartialEq, Eq)]
pub struct BasicAuth {
    username: String,
    password: String,
}

impl BasicAuth {
    /// A username and password.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
        }
    }

    /// The username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The password.
    pub fn password(&self) -> &str {
        &self.password
    }
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("username", &REDACTED)
            .field("password", &REDACTED)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug() {
        let text = format!(
            "{:?} {:?} {:?}",
            Token::new("tok-secret", None),
            ApiKey::new("key-secret"),
            BasicAuth::new("user-secret", "pass-secret")
        );
        for secret in ["tok-secret", "key-secret", "user-secret", "pass-secret"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(text.contains(REDACTED), "{text}");
    }
}

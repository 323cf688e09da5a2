//! AWS credentials: the [`Credentials`] type, the [`ProvideCredentials`] trait, the providers
//! (static, environment, shared profile files with `credential_process`, ECS container, EC2
//! instance metadata), the default chain and a single-flight [`CredentialsCache`].
//!
//! Secrets never appear in `Debug` output, `Display` output or logs.

mod chain;
mod ecs;
mod environment;
mod fetch;
mod imds;
mod json;
mod process;
mod profile;

use std::error::Error as StdError;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use crate::rt::env::Env;
use crate::rt::error::BoxError;
use crate::rt::http_client::{BoxFuture, HttpClient};
use crate::rt::time::{SharedTimeSource, TimeSource};

pub use chain::CredentialsProviderChain;
pub use ecs::EcsCredentialsProvider;
pub use environment::EnvironmentVariableCredentialsProvider;
pub use imds::ImdsCredentialsProvider;
pub use process::CredentialProcessProvider;
pub use profile::ProfileFileCredentialsProvider;

/// An access key, its secret and optionally a session token and an expiry time.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expires_after: Option<SystemTime>,
    provider_name: &'static str,
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
        }
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
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

/// How long before expiry the cache fetches new credentials by default.
pub const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);

/// Caches the credentials of another provider until they are about to expire.
///
/// Credentials are refreshed once `now + buffer` reaches their expiry (default buffer: 5
/// minutes); credentials without an expiry are kept forever. Only one refresh runs at a time:
/// concurrent callers wait for it and share its result, including its failure (callers that
/// waited for a failed refresh get its error rather than each retrying in turn). When a
/// refresh fails but the cached credentials have not actually expired yet, those are returned.
pub struct CredentialsCache {
    provider: SharedCredentialsProvider,
    time: SharedTimeSource,
    buffer: Duration,
    cached: RwLock<Option<Cached>>,
    refresh: tokio::sync::Mutex<()>,
    /// Counts finished refresh attempts, so that waiters can tell one ran while they waited.
    attempts: AtomicU64,
    /// The kind and message of the last failed refresh.
    last_error: Mutex<Option<(CredentialsErrorKind, String)>>,
}

#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    /// From this instant on the credentials are refreshed.
    refresh_at: Option<SystemTime>,
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self
            .cached
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(|c| c.credentials.clone());
        f.debug_struct("CredentialsCache")
            .field("provider", &self.provider)
            .field("buffer", &self.buffer)
            .field("cached", &cached)
            .finish()
    }
}

impl CredentialsCache {
    /// Caches `provider`'s credentials, reading the time from `time`.
    pub fn new(provider: SharedCredentialsProvider, time: SharedTimeSource) -> Self {
        Self {
            provider,
            time,
            buffer: DEFAULT_REFRESH_BUFFER,
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
            attempts: AtomicU64::new(0),
            last_error: Mutex::new(None),
        }
    }

    /// Refreshes `buffer` before expiry instead of 5 minutes.
    pub fn with_buffer(mut self, buffer: Duration) -> Self {
        self.buffer = buffer;
        self
    }

    /// Forgets the cached credentials so that the next call loads new ones.
    pub fn invalidate(&self) {
        *self.cached.write().unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        let guard = self.cached.read().unwrap_or_else(PoisonError::into_inner);
        let cached = guard.as_ref()?;
        match cached.refresh_at {
            Some(at) if now >= at => None,
            _ => Some(cached.credentials.clone()),
        }
    }

    fn store(&self, credentials: &Credentials, now: SystemTime) {
        let refresh_at = credentials.expiry().map(|expiry| {
            match expiry.checked_sub(self.buffer) {
                Some(at) if at > now => at,
                // Already inside the buffer (short-lived credentials): use them for half of
                // their remaining life rather than reloading on every call.
                _ => now + expiry.duration_since(now).unwrap_or_default() / 2,
            }
        });
        *self.cached.write().unwrap_or_else(PoisonError::into_inner) = Some(Cached {
            credentials: credentials.clone(),
            refresh_at,
        });
    }

    /// The cached credentials if they have not expired yet (even when due for refresh).
    fn unexpired(&self, now: SystemTime) -> Option<Credentials> {
        self.cached
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(|c| c.credentials.clone())
            .filter(|c| c.expiry().is_some_and(|expiry| now < expiry))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        if let Some(credentials) = self.fresh(self.time.now()) {
            return Ok(credentials);
        }
        let attempts_before = self.attempts.load(Ordering::SeqCst);
        let _single_flight = self.refresh.lock().await;
        // Another caller may have refreshed while we waited.
        let now = self.time.now();
        if let Some(credentials) = self.fresh(now) {
            return Ok(credentials);
        }
        if self.attempts.load(Ordering::SeqCst) != attempts_before {
            // A refresh ran while we waited and failed: share its outcome instead of calling
            // the provider again right away.
            if let Some(credentials) = self.unexpired(now) {
                return Ok(credentials);
            }
            let last = self
                .last_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            if let Some((kind, message)) = last {
                return Err(CredentialsError {
                    kind,
                    message: format!("{message} (result of a concurrent credentials refresh)"),
                    source: None,
                });
            }
        }
        let result = self.provider.provide_credentials().await;
        *self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) =
            result.as_ref().err().map(|e| (e.kind(), e.to_string()));
        self.attempts.fetch_add(1, Ordering::SeqCst);
        match result {
            Ok(credentials) => {
                self.store(&credentials, self.time.now());
                tracing::debug!(
                    provider = credentials.provider_name(),
                    "loaded new credentials"
                );
                Ok(credentials)
            }
            Err(error) => match self.unexpired(now) {
                Some(credentials) => {
                    tracing::warn!(
                        %error,
                        "credentials refresh failed; using the cached credentials until they expire"
                    );
                    Ok(credentials)
                }
                None => Err(error),
            },
        }
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// The default chain, cached: environment variables, the shared profile files (including
/// `credential_process`), ECS container credentials, then EC2 instance metadata (IMDSv2).
pub fn default_credentials_provider(
    env: Env,
    http: Arc<dyn HttpClient>,
    time: SharedTimeSource,
) -> SharedCredentialsProvider {
    let chain = CredentialsProviderChain::first_try(
        "environment",
        EnvironmentVariableCredentialsProvider::new(env.clone()),
    )
    .or_else("profile", ProfileFileCredentialsProvider::new(env.clone()))
    .or_else(
        "ecs",
        EcsCredentialsProvider::new(env.clone(), http.clone()),
    )
    .or_else("imds", ImdsCredentialsProvider::new(env, http));
    SharedCredentialsProvider::new(CredentialsCache::new(
        SharedCredentialsProvider::new(chain),
        time,
    ))
}

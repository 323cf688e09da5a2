//! AWS credentials: the [`Credentials`] type, the [`ProvideCredentials`] trait, the providers
//! (static, environment, shared profile files with `credential_process`, roles to assume, web
//! identity tokens and IAM Identity Center, ECS container, EC2 instance metadata), the default
//! chain and a single-flight [`CredentialsCache`].
//!
//! Secrets never appear in `Debug` output, `Display` output or logs.

mod assume_role;
mod chain;
mod ecs;
mod environment;
mod fetch;
mod imds;
mod json;
mod process;
mod process_runner;
mod profile;
mod profile_chain;
mod provider_config;
mod sso;
mod sts;
mod web_identity;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use crate::contract::http::HttpClient;
use crate::contract::time::{SharedTimeSource, TimeSource};
use crate::env::Env;

pub use crate::contract::identity::{
    Credentials, CredentialsError, CredentialsErrorKind, CredentialsFuture, ProvideCredentials,
    SharedCredentialsProvider,
};
pub use assume_role::AssumeRoleProvider;
pub use chain::CredentialsProviderChain;
pub use ecs::EcsCredentialsProvider;
pub use environment::EnvironmentVariableCredentialsProvider;
pub use imds::ImdsCredentialsProvider;
pub use process::{
    CredentialProcessProvider, DEFAULT_PROCESS_TIMEOUT, MAX_PROCESS_STDERR, MAX_PROCESS_STDOUT,
};
pub use profile::ProfileFileCredentialsProvider;
pub use provider_config::{ProviderConfig, DEFAULT_STS_REGION};
pub use sso::{SsoCredentialsProvider, SsoSettings};
pub use sts::RoleRequest;
pub use web_identity::WebIdentityTokenCredentialsProvider;

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
                return Err(CredentialsError::new(
                    kind,
                    format!("{message} (result of a concurrent credentials refresh)"),
                ));
            }
        }
        let result = self.provider.provide_credentials().await;
        *self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) =
            result.as_ref().err().map(|e| (e.kind(), report(e)));
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

/// How long a read of the shared config files (or a token file) may take before the provider
/// gives up on it.
const FILE_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs `read` (file I/O) on the runtime's blocking pool, so that a slow disk never stalls an
/// async worker, and waits for it at most [`FILE_READ_TIMEOUT`]. Outside a Tokio runtime it runs
/// in place. (The reads themselves never wait on a FIFO or a device: see
/// [`Env::read_to_string`].)
async fn read_files<T: Send + 'static>(
    what: &str,
    read: impl FnOnce() -> T + Send + 'static,
) -> Result<T, CredentialsError> {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return Ok(read());
    };
    match tokio::time::timeout(FILE_READ_TIMEOUT, runtime.spawn_blocking(read)).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(join)) => Err(CredentialsError::provider_error(format!(
            "reading {what} did not finish"
        ))
        .with_source(join)),
        Err(_) => Err(CredentialsError::provider_error(format!(
            "reading {what} took longer than {FILE_READ_TIMEOUT:?}"
        ))),
    }
}

/// An error and its causes on one line, `: `-separated (the text a caller that waited for a
/// failed refresh gets, since it cannot share the error value itself).
fn report(err: &CredentialsError) -> String {
    let mut text = err.to_string();
    let mut cause = std::error::Error::source(err);
    while let Some(next) = cause {
        text.push_str(": ");
        text.push_str(&next.to_string());
        cause = next.source();
    }
    text
}

/// The default chain, cached, in the AWS SDKs' order: environment variables, the shared
/// profile files (static keys, `credential_process`, roles to assume, web identity tokens, IAM
/// Identity Center), a web identity token from the environment (`AWS_WEB_IDENTITY_TOKEN_FILE`
/// and `AWS_ROLE_ARN`), ECS container credentials, then EC2 instance metadata (IMDSv2). STS is
/// called in `us-east-1` (see [`default_credentials_chain`] to give the client's region).
pub fn default_credentials_provider(
    env: Env,
    http: Arc<dyn HttpClient>,
    time: SharedTimeSource,
) -> SharedCredentialsProvider {
    default_credentials_chain(ProviderConfig::new(env, http, time, None))
}

/// The default chain of [`default_credentials_provider`], cached, calling STS in the region
/// of `config`.
pub fn default_credentials_chain(config: ProviderConfig) -> SharedCredentialsProvider {
    let env = config.env.clone();
    let time = config.time.clone();
    let http = config.http_client("the default chain");
    let mut chain = CredentialsProviderChain::first_try(
        "environment",
        EnvironmentVariableCredentialsProvider::new(env.clone()),
    )
    .or_else(
        "profile",
        ProfileFileCredentialsProvider::from_config(config.clone()),
    )
    .or_else(
        "web identity token",
        WebIdentityTokenCredentialsProvider::from_env(config),
    );
    if let Ok(http) = http {
        chain = chain
            .or_else(
                "ecs",
                EcsCredentialsProvider::new(env.clone(), http.clone()),
            )
            .or_else("imds", ImdsCredentialsProvider::new(env, http));
    }
    SharedCredentialsProvider::new(CredentialsCache::new(
        SharedCredentialsProvider::new(chain),
        time,
    ))
}

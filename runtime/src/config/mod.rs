//! The client configuration: [`Config`], its [`Builder`] and the per-call override.
//!
//! ```
//! use smithy_rust_runtime::config::Config;
//! use smithy_rust_runtime::credentials::Credentials;
//! use smithy_rust_runtime::env::region::Region;
//! use smithy_rust_runtime::retry::RetryConfig;
//!
//! let config = Config::builder()
//!     .region(Region::new("us-east-1"))
//!     .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "example"))
//!     .retry_config(RetryConfig::standard().with_max_attempts(5))
//!     .build();
//! assert_eq!(config.retry_config().max_attempts(), 5);
//! ```
//!
//! [`Builder::new`] loads nothing implicitly; [`Builder::from_env`] (or [`Config::from_env`])
//! fills the region and credentials the caller leaves unset from the environment, the shared
//! config files and the default credentials chain. Missing authentication settings (region and
//! credentials for SigV4, a bearer token, an API key, a username and password: see
//! [`auth`](crate::orchestrator::auth)) are not an error until a request is sent, where they become a
//! construction failure naming what is missing and how to set it.

mod account_id;
mod behavior_version;
mod configured;
#[cfg(feature = "aws-config")]
pub mod sdk_config;
pub mod service;
mod shared;

pub use account_id::{AccountIdEndpointMode, InvalidAccountIdEndpointMode};
pub use behavior_version::BehaviorVersion;
pub use shared::{ConfigSource, SharedConfig};

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::contract::endpoint::EndpointValue;
use crate::contract::http::HttpClient;
use crate::contract::identity::{ApiKey, BasicAuth, ProvideToken, SharedTokenProvider};
use crate::contract::interceptor::{Interceptor, SharedInterceptor};
use crate::contract::operation::{
    IdempotencyTokenProvider, RandomIdempotencyTokens, RequestCompression,
};
use crate::contract::time::{AsyncSleep, SharedAsyncSleep, TokioSleep};
use crate::contract::time::{SharedTimeSource, TimeSource};
use crate::credentials::{
    default_credentials_chain, CredentialsCache, ProvideCredentials, ProviderConfig,
    SharedCredentialsProvider,
};
use crate::env::region::{region_from_profiles, region_from_variables, Region};
use crate::env::Env;
use crate::retry::RetryConfig;
use crate::timeout::TimeoutConfig;
use crate::transport::{DefaultHttpClient, HttpClientSettings};

/// Options merged on top of a client's [`Config`] for one call (see the fluent builders'
/// `customize()`): every option set on the override replaces the client's, interceptors are
/// added to the client's.
pub type ConfigOverride = Builder;

/// The configuration of a client. Cheap to clone; `Debug` shows no secrets.
#[derive(Clone)]
pub struct Config {
    region: Option<Region>,
    credentials: Option<SharedCredentialsProvider>,
    token: Option<SharedTokenProvider>,
    api_key: Option<ApiKey>,
    basic_auth: Option<BasicAuth>,
    endpoint_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    account_id_endpoint_mode: AccountIdEndpointMode,
    client_context_params: BTreeMap<String, EndpointValue>,
    retry: RetryConfig,
    timeout: TimeoutConfig,
    http_client: Arc<dyn HttpClient>,
    explicit_http_client: bool,
    interceptors: Vec<SharedInterceptor>,
    app_name: Option<String>,
    time_source: SharedTimeSource,
    tokens: Arc<dyn IdempotencyTokenProvider>,
    request_validation: bool,
    request_compression: RequestCompression,
    disable_host_prefix_injection: bool,
    invalid_settings: Vec<String>,
    sleep: SharedAsyncSleep,
    behavior_version: Option<BehaviorVersion>,
    /// Whether `endpoint_url` was set in code (rather than read from the environment or the
    /// shared config file, which a service-specific setting overrides).
    explicit_endpoint: bool,
    /// The environment the configuration was loaded from, if any ([`Builder::from_env`]).
    env: Option<Env>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Config");
        d.field("region", &self.region)
            .field(
                "credentials_provider",
                &self.credentials.as_ref().map(|_| "<set>"),
            )
            .field("bearer_token", &self.token.as_ref().map(|_| "<set>"))
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("basic_auth", &self.basic_auth.as_ref().map(|_| "<set>"))
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("account_id_endpoint_mode", &self.account_id_endpoint_mode)
            .field("client_context_params", &self.client_context_params)
            .field("retry_config", &self.retry)
            .field("timeout_config", &self.timeout)
            .field("http_client", &self.http_client)
            .field("interceptors", &self.interceptors.len())
            .field("app_name", &self.app_name)
            .field("time_source", &self.time_source)
            .field("request_validation", &self.request_validation)
            .field("request_compression", &self.request_compression)
            .field(
                "disable_host_prefix_injection",
                &self.disable_host_prefix_injection,
            )
            .field("behavior_version", &self.behavior_version);
        d.finish()
    }
}

impl Config {
    /// A builder that loads nothing from the environment.
    pub fn builder() -> Builder {
        Builder::new()
    }

    /// A configuration whose region and credentials come from the environment, the shared
    /// config files and the default credentials chain; everything else has its default.
    pub fn from_env() -> Self {
        Builder::from_env().build()
    }

    /// The region, if one is configured.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The credentials provider (cached), if one is configured.
    pub fn credentials_provider(&self) -> Option<&SharedCredentialsProvider> {
        self.credentials.as_ref()
    }

    /// The bearer token provider (`smithy.api#httpBearerAuth`), if one is configured.
    pub fn bearer_token_provider(&self) -> Option<&SharedTokenProvider> {
        self.token.as_ref()
    }

    /// The API key (`smithy.api#httpApiKeyAuth`), if one is configured.
    pub fn api_key(&self) -> Option<&ApiKey> {
        self.api_key.as_ref()
    }

    /// The username and password (`smithy.api#httpBasicAuth`), if configured.
    pub fn basic_auth(&self) -> Option<&BasicAuth> {
        self.basic_auth.as_ref()
    }

    /// The endpoint URL override.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// Whether services with account-based endpoints route with the credentials' account id.
    pub fn account_id_endpoint_mode(&self) -> AccountIdEndpointMode {
        self.account_id_endpoint_mode
    }

    /// The service's client context parameters (endpoint rule-set parameters set in the
    /// configuration), by rule-set name. Generated crates expose them as typed settings.
    pub fn client_context_params(&self) -> &BTreeMap<String, EndpointValue> {
        &self.client_context_params
    }

    /// The client context parameter called `name`, when set.
    pub fn client_context_param(&self, name: &str) -> Option<&EndpointValue> {
        self.client_context_params.get(name)
    }

    /// The retry configuration.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeout configuration.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeout
    }

    /// The HTTP client requests are sent with.
    pub fn http_client(&self) -> &Arc<dyn HttpClient> {
        &self.http_client
    }

    /// The interceptors, in the order they run.
    pub fn interceptors(&self) -> &[SharedInterceptor] {
        &self.interceptors
    }

    /// The application name added to the user agent.
    pub fn app_name(&self) -> Option<&str> {
        self.app_name.as_deref()
    }

    /// The clock used for signing.
    pub fn time_source(&self) -> &SharedTimeSource {
        &self.time_source
    }

    /// The source of idempotency tokens.
    pub fn idempotency_token_provider(&self) -> &Arc<dyn IdempotencyTokenProvider> {
        &self.tokens
    }

    /// Whether inputs are validated before they are sent.
    pub fn request_validation(&self) -> bool {
        self.request_validation
    }

    /// Whether request compression is turned off.
    pub fn disable_request_compression(&self) -> bool {
        self.request_compression.disabled
    }

    /// The smallest body, in bytes, that is compressed.
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.request_compression.min_size_bytes
    }

    /// The request compression settings.
    pub fn request_compression(&self) -> RequestCompression {
        self.request_compression
    }

    /// Whether operations with an `@endpoint` host prefix leave the endpoint's host alone.
    pub fn disable_host_prefix_injection(&self) -> bool {
        self.disable_host_prefix_injection
    }

    /// The problem with a setting read from the environment or the shared config file, if
    /// one could not be understood (reported when a request is sent).
    pub(crate) fn invalid_setting(&self) -> Option<ConfigError> {
        (!self.invalid_settings.is_empty())
            .then(|| ConfigError::new(self.invalid_settings.join("; ")))
    }

    /// The sleep implementation used for backoff and timeouts.
    pub fn sleep_impl(&self) -> &SharedAsyncSleep {
        &self.sleep
    }

    /// The behavior version, if one was set (it changes nothing: see [`BehaviorVersion`]).
    pub fn behavior_version(&self) -> Option<BehaviorVersion> {
        self.behavior_version
    }

    /// A builder holding this configuration's explicit settings.
    pub fn to_builder(&self) -> Builder {
        Builder {
            region: self.region.clone(),
            credentials: self.credentials.clone(),
            token: self.token.clone(),
            api_key: self.api_key.clone(),
            basic_auth: self.basic_auth.clone(),
            endpoint_url: self.endpoint_url.clone().filter(|_| self.explicit_endpoint),
            use_fips: Some(self.use_fips),
            use_dual_stack: Some(self.use_dual_stack),
            account_id_endpoint_mode: Some(self.account_id_endpoint_mode),
            client_context_params: self
                .client_context_params
                .iter()
                .map(|(name, value)| (name.clone(), Some(value.clone())))
                .collect(),
            retry: Some(self.retry.clone()),
            timeout: Some(self.timeout),
            http_client: Some(self.http_client.clone()).filter(|_| self.explicit_http_client),
            interceptors: self.interceptors.clone(),
            app_name: self.app_name.clone(),
            time_source: Some(self.time_source.clone()),
            tokens: Some(self.tokens.clone()),
            request_validation: Some(self.request_validation),
            disable_request_compression: Some(self.request_compression.disabled),
            request_min_compression_size_bytes: Some(self.request_compression.min_size_bytes),
            disable_host_prefix_injection: Some(self.disable_host_prefix_injection),
            sleep: Some(self.sleep.clone()),
            behavior_version: self.behavior_version,
            env: self.env.clone(),
            base: None,
        }
    }

    /// This configuration with `overrides` applied on top (see [`ConfigOverride`]).
    ///
    /// Changing the connect, read or response timeout of a configuration that uses the default HTTP
    /// client gives the call a new default client (and new connections).
    pub fn with_override(&self, overrides: ConfigOverride) -> Config {
        let mut config = self.clone();
        if let Some(region) = overrides.region {
            config.region = Some(region);
        }
        if let Some(credentials) = overrides.credentials {
            config.credentials = Some(cached(credentials, &config.time_source));
        }
        if let Some(token) = overrides.token {
            config.token = Some(token);
        }
        if let Some(key) = overrides.api_key {
            config.api_key = Some(key);
        }
        if let Some(basic) = overrides.basic_auth {
            config.basic_auth = Some(basic);
        }
        if let Some(url) = overrides.endpoint_url {
            config.endpoint_url = Some(url);
            config.explicit_endpoint = true;
        }
        if let Some(v) = overrides.use_fips {
            config.use_fips = v;
        }
        if let Some(v) = overrides.use_dual_stack {
            config.use_dual_stack = v;
        }
        if let Some(mode) = overrides.account_id_endpoint_mode {
            config.account_id_endpoint_mode = mode;
        }
        for (name, value) in overrides.client_context_params {
            match value {
                Some(value) => {
                    config.client_context_params.insert(name, value);
                }
                None => {
                    config.client_context_params.remove(&name);
                }
            }
        }
        if let Some(retry) = overrides.retry {
            config.retry = retry;
        }
        if let Some(client) = overrides.http_client {
            config.http_client = client;
            config.explicit_http_client = true;
        }
        if let Some(timeout) = overrides.timeout {
            let transport_changed = timeout.connect() != config.timeout.connect()
                || timeout.read() != config.timeout.read()
                || timeout.response() != config.timeout.response();
            if transport_changed && !config.explicit_http_client {
                config.http_client = default_client(&timeout);
            }
            config.timeout = timeout;
        }
        config.interceptors.extend(overrides.interceptors);
        if let Some(name) = overrides.app_name {
            config.app_name = Some(name);
        }
        if let Some(time) = overrides.time_source {
            config.time_source = time;
        }
        if let Some(tokens) = overrides.tokens {
            config.tokens = tokens;
        }
        if let Some(v) = overrides.request_validation {
            config.request_validation = v;
        }
        if let Some(v) = overrides.disable_request_compression {
            config.request_compression.disabled = v;
        }
        if let Some(v) = overrides.request_min_compression_size_bytes {
            config.request_compression.min_size_bytes = v;
        }
        if let Some(v) = overrides.disable_host_prefix_injection {
            config.disable_host_prefix_injection = v;
        }
        if let Some(sleep) = overrides.sleep {
            config.sleep = sleep;
        }
        if let Some(version) = overrides.behavior_version {
            config.behavior_version = Some(version);
        }
        config
    }

    /// Applies the endpoint URL configured for `service_id` in the environment or the shared
    /// config file, unless the endpoint URL was set in code (see [`configured`]).
    fn with_service_endpoint(mut self, service_id: &str) -> Config {
        if self.explicit_endpoint {
            return self;
        }
        if let Some(env) = self.env.clone() {
            let mut settings = SharedSettings::new(Some(&env));
            if let Some(url) = settings.endpoint_url(Some(service_id)) {
                self.endpoint_url = Some(url);
            }
            for problem in settings.problems {
                if !self.invalid_settings.contains(&problem) {
                    self.invalid_settings.push(problem);
                }
            }
        }
        self
    }
}

fn cached(
    provider: SharedCredentialsProvider,
    time: &SharedTimeSource,
) -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(CredentialsCache::new(provider, time.clone()))
}

fn default_client(timeout: &TimeoutConfig) -> Arc<dyn HttpClient> {
    Arc::new(DefaultHttpClient::new(
        HttpClientSettings::new()
            .connect_timeout(timeout.connect())
            .read_timeout(timeout.read())
            .response_timeout(timeout.response()),
    ))
}

/// Builds a [`Config`]. Every option is optional; see each method for its default.
#[derive(Clone, Default)]
pub struct Builder {
    region: Option<Region>,
    credentials: Option<SharedCredentialsProvider>,
    token: Option<SharedTokenProvider>,
    api_key: Option<ApiKey>,
    basic_auth: Option<BasicAuth>,
    endpoint_url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    account_id_endpoint_mode: Option<AccountIdEndpointMode>,
    /// `None`: cleared (an override removes the client's value).
    client_context_params: BTreeMap<String, Option<EndpointValue>>,
    retry: Option<RetryConfig>,
    timeout: Option<TimeoutConfig>,
    http_client: Option<Arc<dyn HttpClient>>,
    interceptors: Vec<SharedInterceptor>,
    app_name: Option<String>,
    time_source: Option<SharedTimeSource>,
    tokens: Option<Arc<dyn IdempotencyTokenProvider>>,
    request_validation: Option<bool>,
    disable_request_compression: Option<bool>,
    request_min_compression_size_bytes: Option<u32>,
    disable_host_prefix_injection: Option<bool>,
    sleep: Option<SharedAsyncSleep>,
    behavior_version: Option<BehaviorVersion>,
    env: Option<Env>,
    /// The shared configuration this builder starts from ([`Builder::from_shared`]).
    base: Option<Config>,
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("region", &self.region)
            .field(
                "credentials_provider",
                &self.credentials.as_ref().map(|_| "<set>"),
            )
            .field("bearer_token", &self.token.as_ref().map(|_| "<set>"))
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("basic_auth", &self.basic_auth.as_ref().map(|_| "<set>"))
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("account_id_endpoint_mode", &self.account_id_endpoint_mode)
            .field("client_context_params", &self.client_context_params)
            .field("retry_config", &self.retry)
            .field("timeout_config", &self.timeout)
            .field("http_client", &self.http_client)
            .field("interceptors", &self.interceptors.len())
            .field("app_name", &self.app_name)
            .field("request_validation", &self.request_validation)
            .field(
                "disable_request_compression",
                &self.disable_request_compression,
            )
            .field(
                "request_min_compression_size_bytes",
                &self.request_min_compression_size_bytes,
            )
            .field(
                "disable_host_prefix_injection",
                &self.disable_host_prefix_injection,
            )
            .field("behavior_version", &self.behavior_version)
            .field("loads_from_env", &self.env.is_some())
            .field("from_shared", &self.base.is_some())
            .finish()
    }
}

impl Builder {
    /// An empty builder that loads nothing from the environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder that, at [`build`](Self::build), fills an unset region from `AWS_REGION`,
    /// `AWS_DEFAULT_REGION` or the selected profile, and unset credentials from the default
    /// chain (environment, profile files, ECS, EC2 instance metadata).
    pub fn from_env() -> Self {
        Self::new().env(Env::real())
    }

    /// A builder that starts from `shared`: it keeps the shared configuration's credentials
    /// provider (and so its credentials cache), HTTP client (and so its connection pool),
    /// interceptors and every other setting, and [`build`](Self::build) applies the options set
    /// on this builder on top (as a per-call override does).
    pub fn from_shared(shared: &SharedConfig) -> Self {
        Self {
            base: Some(shared.config().clone()),
            ..Self::default()
        }
    }

    /// Builds a [`SharedConfig`], for the clients of many services.
    pub fn build_shared(self) -> SharedConfig {
        SharedConfig::from(self.build())
    }

    /// Like [`from_env`](Self::from_env) but reading the given environment (useful in tests).
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// The region requests are sent to and signed for. Default: none (from the environment
    /// with [`from_env`](Self::from_env)). Calls signed with SigV4, and endpoint rules that use
    /// the region, fail without one.
    pub fn region(mut self, region: impl Into<Region>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets or clears the region.
    pub fn set_region(mut self, region: Option<Region>) -> Self {
        self.region = region;
        self
    }

    /// The credentials provider (cached by the client). Default: none (the default chain with
    /// [`from_env`](Self::from_env)). Calls to operations that can only be signed with SigV4
    /// fail without one.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Sets or clears the credentials provider.
    pub fn set_credentials_provider(mut self, provider: Option<SharedCredentialsProvider>) -> Self {
        self.credentials = provider;
        self
    }

    /// The bearer token sent as `Authorization: Bearer <token>` to operations whose model
    /// accepts `smithy.api#httpBearerAuth`: a [`Token`](crate::contract::identity::Token) or any
    /// [`ProvideToken`] (asked once per attempt). Default: none.
    pub fn bearer_token(mut self, provider: impl ProvideToken + 'static) -> Self {
        self.token = Some(SharedTokenProvider::new(provider));
        self
    }

    /// Sets or clears the bearer token provider.
    pub fn set_bearer_token(mut self, provider: Option<SharedTokenProvider>) -> Self {
        self.token = provider;
        self
    }

    /// The API key sent to operations whose model accepts `smithy.api#httpApiKeyAuth` (in the
    /// header or query parameter the model names). Default: none.
    pub fn api_key(mut self, key: impl Into<ApiKey>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Sets or clears the API key.
    pub fn set_api_key(mut self, key: Option<ApiKey>) -> Self {
        self.api_key = key;
        self
    }

    /// The username and password sent as `Authorization: Basic ...` to operations whose model
    /// accepts `smithy.api#httpBasicAuth`. Default: none.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.basic_auth = Some(BasicAuth::new(username, password));
        self
    }

    /// Sets or clears the username and password.
    pub fn set_basic_auth(mut self, basic: Option<BasicAuth>) -> Self {
        self.basic_auth = basic;
        self
    }

    /// A URL that replaces the resolved endpoint (e.g. `http://localhost:4566`). This is the
    /// only way to send requests over plain `http://`. Default: none.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Sets or clears the endpoint URL.
    pub fn set_endpoint_url(mut self, url: Option<String>) -> Self {
        self.endpoint_url = url;
        self
    }

    /// Use FIPS endpoints. Default: false.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = Some(use_fips);
        self
    }

    /// Sets or clears the FIPS flag.
    pub fn set_use_fips(mut self, use_fips: Option<bool>) -> Self {
        self.use_fips = use_fips;
        self
    }

    /// Use dual-stack (IPv4 and IPv6) endpoints. Default: false.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Sets or clears the dual-stack flag.
    pub fn set_use_dual_stack(mut self, use_dual_stack: Option<bool>) -> Self {
        self.use_dual_stack = use_dual_stack;
        self
    }

    /// Whether services with account-based endpoints route with the account id of the
    /// credentials (`AWS::Auth::AccountIdEndpointMode`). Default: `preferred` (with
    /// [`from_env`](Self::from_env): `AWS_ACCOUNT_ID_ENDPOINT_MODE`, else the profile's
    /// `account_id_endpoint_mode`). Services without such endpoints ignore it.
    pub fn account_id_endpoint_mode(mut self, mode: AccountIdEndpointMode) -> Self {
        self.account_id_endpoint_mode = Some(mode);
        self
    }

    /// Sets or clears the account id endpoint mode.
    pub fn set_account_id_endpoint_mode(mut self, mode: Option<AccountIdEndpointMode>) -> Self {
        self.account_id_endpoint_mode = mode;
        self
    }

    /// Sets (`Some`) or clears (`None`) a client context parameter of the service's endpoint
    /// rules, by its rule-set name. Generated crates call this from their typed settings; the
    /// value's type must be the parameter's.
    pub fn set_client_context_param(
        mut self,
        name: impl Into<String>,
        value: Option<EndpointValue>,
    ) -> Self {
        self.client_context_params.insert(name.into(), value);
        self
    }

    /// The client context parameter called `name` set on this builder (`Some(None)`: cleared).
    pub fn get_client_context_param(&self, name: &str) -> Option<Option<&EndpointValue>> {
        self.client_context_params.get(name).map(Option::as_ref)
    }

    /// How calls are retried. Default: [`RetryConfig::standard`] (3 attempts, 1 s initial and
    /// 20 s maximum backoff with full jitter, retry quota on).
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sets or clears the retry configuration.
    pub fn set_retry_config(mut self, retry: Option<RetryConfig>) -> Self {
        self.retry = retry;
        self
    }

    /// Timeouts. Default: [`TimeoutConfig::new`]: connect 3.1 s, read 60 s (no data), response
    /// 60 s (the whole response of an attempt, so that a server trickling its body cannot hold
    /// a call forever), no attempt or operation timeout. See [`TimeoutConfig`] for how these
    /// compare with the AWS SDKs; raise the response timeout for large responses over slow
    /// links.
    pub fn timeout_config(mut self, timeout: TimeoutConfig) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets or clears the timeout configuration.
    pub fn set_timeout_config(mut self, timeout: Option<TimeoutConfig>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The HTTP client. Default: a [`DefaultHttpClient`] using the connect and read timeouts
    /// of the timeout configuration (set up lazily on first use).
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(Arc::new(client));
        self
    }

    /// Sets or clears the HTTP client.
    pub fn set_http_client(mut self, client: Option<Arc<dyn HttpClient>>) -> Self {
        self.http_client = client;
        self
    }

    /// Adds an interceptor; call repeatedly to add several (they run in the order added).
    /// Default: none.
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Adds a shared interceptor.
    pub fn shared_interceptor(mut self, interceptor: SharedInterceptor) -> Self {
        self.interceptors.push(interceptor);
        self
    }

    /// An application name added to the user agent as `app/<name>` (1 to 50 characters from
    /// `A-Z a-z 0-9 !#$%&'*+-.^_\`|~`; an invalid name fails calls). Default: none.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Sets or clears the application name.
    pub fn set_app_name(mut self, name: Option<String>) -> Self {
        self.app_name = name;
        self
    }

    /// The clock used for signing and credential expiry. Default: the system clock.
    pub fn time_source(mut self, time: impl TimeSource + 'static) -> Self {
        self.time_source = Some(SharedTimeSource::new(time));
        self
    }

    /// Sets or clears the clock.
    pub fn set_time_source(mut self, time: Option<SharedTimeSource>) -> Self {
        self.time_source = time;
        self
    }

    /// The source of idempotency tokens for members the caller leaves unset. Default: random
    /// UUID v4 values.
    pub fn idempotency_token_provider(
        mut self,
        provider: impl IdempotencyTokenProvider + 'static,
    ) -> Self {
        self.tokens = Some(Arc::new(provider));
        self
    }

    /// Sets or clears the idempotency token provider.
    pub fn set_idempotency_token_provider(
        mut self,
        provider: Option<Arc<dyn IdempotencyTokenProvider>>,
    ) -> Self {
        self.tokens = provider;
        self
    }

    /// Whether inputs are checked against the model's constraints before they are sent.
    /// Default: true.
    pub fn request_validation(mut self, enabled: bool) -> Self {
        self.request_validation = Some(enabled);
        self
    }

    /// Sets or clears the request validation flag.
    pub fn set_request_validation(mut self, enabled: Option<bool>) -> Self {
        self.request_validation = enabled;
        self
    }

    /// Turns off the gzip compression of request bodies for operations the model marks
    /// `@requestCompression`. Default: false (compression on). Services without such
    /// operations never compress.
    pub fn disable_request_compression(mut self, disabled: bool) -> Self {
        self.disable_request_compression = Some(disabled);
        self
    }

    /// Sets or clears [`disable_request_compression`](Self::disable_request_compression).
    pub fn set_disable_request_compression(mut self, disabled: Option<bool>) -> Self {
        self.disable_request_compression = disabled;
        self
    }

    /// The smallest request body, in bytes, that is compressed (operations marked
    /// `@requestCompression` only). Default: 10,240. At most 10,485,760: a larger value is
    /// reported as an error when a request is sent.
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.request_min_compression_size_bytes = Some(bytes);
        self
    }

    /// Sets or clears
    /// [`request_min_compression_size_bytes`](Self::request_min_compression_size_bytes).
    pub fn set_request_min_compression_size_bytes(mut self, bytes: Option<u32>) -> Self {
        self.request_min_compression_size_bytes = bytes;
        self
    }

    /// Leaves the endpoint's host alone for operations whose model gives them a host prefix
    /// (`@endpoint`), e.g. when the endpoint is a VPC endpoint or a local test server.
    /// Default: false (the prefix is put before the host). Services without such operations
    /// are not affected.
    pub fn disable_host_prefix_injection(mut self, disabled: bool) -> Self {
        self.disable_host_prefix_injection = Some(disabled);
        self
    }

    /// Sets or clears
    /// [`disable_host_prefix_injection`](Self::disable_host_prefix_injection).
    pub fn set_disable_host_prefix_injection(mut self, disabled: Option<bool>) -> Self {
        self.disable_host_prefix_injection = disabled;
        self
    }

    /// The sleep implementation for backoff and timeouts. Default: tokio's timer.
    pub fn sleep_impl(mut self, sleep: impl AsyncSleep + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// Sets or clears the sleep implementation.
    pub fn set_sleep_impl(mut self, sleep: Option<SharedAsyncSleep>) -> Self {
        self.sleep = sleep;
        self
    }

    /// Typed stubs that answer calls instead of the network (feature `test-util`): the same
    /// as adding them with [`interceptor`](Self::interceptor).
    #[cfg(feature = "test-util")]
    pub fn stubs(self, stubs: crate::test_util::Stubs) -> Self {
        self.interceptor(stubs)
    }

    /// Records the behavior version the program was written against. Accepted for
    /// compatibility with the official AWS SDK for Rust; it changes nothing (see
    /// [`BehaviorVersion`]). Default: none, which is not an error.
    pub fn behavior_version(mut self, version: BehaviorVersion) -> Self {
        self.behavior_version = Some(version);
        self
    }

    /// Sets or clears the behavior version.
    pub fn set_behavior_version(mut self, version: Option<BehaviorVersion>) -> Self {
        self.behavior_version = version;
        self
    }

    /// Records [`BehaviorVersion::latest`] (see [`behavior_version`](Self::behavior_version)).
    pub fn behavior_version_latest(self) -> Self {
        self.behavior_version(BehaviorVersion::latest())
    }

    /// Builds the configuration of the service whose SDK id is `service_id` (e.g. `Chime SDK
    /// Identity`): like [`build`](Self::build), and, when the endpoint URL was not set in code,
    /// the service's own endpoint settings (`AWS_ENDPOINT_URL_<SERVICE>`, a `services` section)
    /// are honoured too.
    pub fn build_for(self, service_id: &str) -> Config {
        self.build().with_service_endpoint(service_id)
    }

    /// Builds the configuration. Never fails: a missing region or credentials provider is
    /// reported when a request is sent.
    pub fn build(mut self) -> Config {
        if let Some(base) = self.base.take() {
            return base.with_override(self);
        }
        let timeout = self.timeout.unwrap_or_default();
        let time_source = self.time_source.unwrap_or_default();
        let explicit_http_client = self.http_client.is_some();
        let http_client = self.http_client.unwrap_or_else(|| default_client(&timeout));
        let mut shared = SharedSettings::new(self.env.as_ref());
        let region = self.region.or_else(|| shared.region());
        let use_fips = self
            .use_fips
            .or_else(|| shared.flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"));
        let use_dual_stack = self
            .use_dual_stack
            .or_else(|| shared.flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"));
        let account_id_endpoint_mode = self.account_id_endpoint_mode.or_else(|| {
            shared.parsed(
                "AWS_ACCOUNT_ID_ENDPOINT_MODE",
                "account_id_endpoint_mode",
                "expected `preferred`, `disabled` or `required`",
            )
        });
        let disable_request_compression = self.disable_request_compression.or_else(|| {
            shared.flag(
                "AWS_DISABLE_REQUEST_COMPRESSION",
                "disable_request_compression",
            )
        });
        let min_compression_size = self.request_min_compression_size_bytes.or_else(|| {
            shared.number(
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
                "request_min_compression_size_bytes",
            )
        });
        let disable_host_prefix_injection = self.disable_host_prefix_injection.or_else(|| {
            shared.flag(
                "AWS_DISABLE_HOST_PREFIX_INJECTION",
                "disable_host_prefix_injection",
            )
        });
        let explicit_endpoint = self.endpoint_url.is_some();
        let endpoint_url = self.endpoint_url.or_else(|| shared.endpoint_url(None));
        let retry = self.retry.or_else(|| shared.retry_config());
        let credentials = match (self.credentials, &self.env) {
            (Some(provider), _) => Some(cached(provider, &time_source)),
            (None, Some(env)) => Some(default_credentials_chain(ProviderConfig::new(
                env.clone(),
                http_client.clone(),
                time_source.clone(),
                region.clone(),
            ))),
            (None, None) => None,
        };
        Config {
            region,
            credentials,
            token: self.token,
            api_key: self.api_key,
            basic_auth: self.basic_auth,
            endpoint_url,
            use_fips: use_fips.unwrap_or(false),
            use_dual_stack: use_dual_stack.unwrap_or(false),
            account_id_endpoint_mode: account_id_endpoint_mode.unwrap_or_default(),
            client_context_params: self
                .client_context_params
                .into_iter()
                .filter_map(|(name, value)| Some((name, value?)))
                .collect(),
            retry: retry.unwrap_or_default(),
            timeout,
            http_client,
            explicit_http_client,
            interceptors: self.interceptors,
            app_name: self.app_name,
            time_source,
            tokens: self
                .tokens
                .unwrap_or_else(|| Arc::new(RandomIdempotencyTokens)),
            request_validation: self.request_validation.unwrap_or(true),
            request_compression: RequestCompression {
                disabled: disable_request_compression.unwrap_or(false),
                min_size_bytes: min_compression_size
                    .unwrap_or(RequestCompression::default().min_size_bytes),
            },
            disable_host_prefix_injection: disable_host_prefix_injection.unwrap_or(false),
            invalid_settings: shared.problems,
            sleep: self.sleep.unwrap_or_else(|| Arc::new(TokioSleep)),
            behavior_version: self.behavior_version,
            explicit_endpoint,
            env: self.env,
        }
    }
}

/// The settings a builder made with [`Builder::from_env`] reads for the options the caller left
/// unset: an environment variable, else a key of the selected profile in the shared config
/// files (read once, and only when a variable does not give the value). Values that cannot be
/// understood are kept as problems, reported when a request is sent.
struct SharedSettings<'a> {
    env: Option<&'a Env>,
    /// The shared config files, once read (`Some(None)`: unreadable or absent).
    profiles: Option<Option<crate::env::profile::ProfileSet>>,
    problems: Vec<String>,
}

impl<'a> SharedSettings<'a> {
    fn new(env: Option<&'a Env>) -> Self {
        Self {
            env,
            profiles: None,
            problems: Vec::new(),
        }
    }

    /// The shared config files, read on first use.
    fn profiles(&mut self) -> Option<&crate::env::profile::ProfileSet> {
        let env = self.env?;
        self.profiles
            .get_or_insert_with(|| match crate::env::profile::ProfileSet::load(env) {
                Ok(profiles) => Some(profiles),
                Err(error) => {
                    tracing::debug!(%error, "ignoring an unreadable shared config file");
                    None
                }
            })
            .as_ref()
    }

    /// `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the selected profile's `region`.
    fn region(&mut self) -> Option<Region> {
        region_from_variables(self.env?).or_else(|| self.profiles().and_then(region_from_profiles))
    }

    /// The raw value and where it came from.
    fn raw(&mut self, var: &str, key: &str) -> Option<(String, String)> {
        let env = self.env?;
        if let Some(value) = env.get_non_empty(var) {
            return Some((
                value.trim().to_owned(),
                format!("environment variable {var}"),
            ));
        }
        let profile = self.profiles()?.selected()?;
        let value = profile.get(key)?.trim();
        (!value.is_empty()).then(|| {
            (
                value.to_owned(),
                format!("`{key}` of profile `{}`", profile.name()),
            )
        })
    }

    fn flag(&mut self, var: &str, key: &str) -> Option<bool> {
        let (value, source) = self.raw(var, key)?;
        match value.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.problems
                    .push(format!("{source} is {value:?}; expected `true` or `false`"));
                None
            }
        }
    }

    /// A value parsed with `FromStr`; `expected` says what is accepted.
    fn parsed<T: std::str::FromStr>(&mut self, var: &str, key: &str, expected: &str) -> Option<T> {
        let (value, source) = self.raw(var, key)?;
        match value.parse() {
            Ok(parsed) => Some(parsed),
            Err(_) => {
                self.problems
                    .push(format!("{source} is {value:?}; {expected}"));
                None
            }
        }
    }

    fn number(&mut self, var: &str, key: &str) -> Option<u32> {
        let (value, source) = self.raw(var, key)?;
        match value.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                self.problems.push(format!(
                    "{source} is {value:?}; expected a whole number of bytes"
                ));
                None
            }
        }
    }
}

/// A setting needed to send a request is missing or invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    /// An error described by `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    pub(crate) fn missing_region() -> Self {
        Self::new(
            "no region is configured: set one with `config::Builder::region` (for example \
             `Region::new(\"us-east-1\")`), or set `AWS_REGION` or a profile's `region` and build \
             the config with `config::Builder::from_env()`",
        )
    }

    pub(crate) fn missing_credentials() -> Self {
        Self::new(
            "no credentials provider is configured: set one with \
             `config::Builder::credentials_provider`, or build the config with \
             `config::Builder::from_env()` to use the default chain (environment variables, \
             shared profile files, ECS, EC2 instance metadata)",
        )
    }

    /// What is wrong and how to fix it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(env: Env) -> Config {
        Builder::new().env(env).build()
    }

    #[test]
    fn shared_settings_come_from_variables_then_the_profile() {
        let config = from(Env::from_vars([("HOME", "/h")]).with_file(
            "/h/.aws/config",
            "[default]\nuse_fips_endpoint = true\ndisable_request_compression = TRUE\n\
             request_min_compression_size_bytes = 99\ndisable_host_prefix_injection = true\n",
        ));
        assert!(config.use_fips());
        assert!(!config.use_dual_stack());
        assert!(config.disable_request_compression());
        assert_eq!(config.request_min_compression_size_bytes(), 99);
        assert!(config.disable_host_prefix_injection());
        assert!(config.invalid_setting().is_none());

        let config = from(
            Env::from_vars([
                ("HOME", "/h"),
                ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
                ("AWS_DISABLE_HOST_PREFIX_INJECTION", "false"),
                ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0"),
            ])
            .with_file(
                "/h/.aws/config",
                "[default]\ndisable_host_prefix_injection = true\n",
            ),
        );
        assert!(config.use_dual_stack());
        assert!(!config.disable_host_prefix_injection());
        assert_eq!(config.request_min_compression_size_bytes(), 0);
    }

    #[test]
    fn the_account_id_endpoint_mode_comes_from_the_variable_then_the_profile() {
        let profile = |mode: &str| {
            Env::from_vars([("HOME", "/h")]).with_file(
                "/h/.aws/config",
                format!("[default]\naccount_id_endpoint_mode = {mode}\n"),
            )
        };
        assert_eq!(
            from(profile("disabled")).account_id_endpoint_mode(),
            AccountIdEndpointMode::Disabled
        );
        let env = Env::from_vars([("HOME", "/h"), ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "required")])
            .with_file(
                "/h/.aws/config",
                "[default]\naccount_id_endpoint_mode = disabled\n",
            );
        assert_eq!(
            from(env).account_id_endpoint_mode(),
            AccountIdEndpointMode::Required
        );
        assert_eq!(
            Builder::new().build().account_id_endpoint_mode(),
            AccountIdEndpointMode::Preferred
        );
        let config = from(profile("always"));
        assert_eq!(
            config.account_id_endpoint_mode(),
            AccountIdEndpointMode::Preferred
        );
        let err = config.invalid_setting().expect("a problem");
        assert!(
            err.message().contains(
                "`account_id_endpoint_mode` of profile `default` is \"always\"; expected \
                 `preferred`, `disabled` or `required`"
            ),
            "{}",
            err.message()
        );
    }

    #[test]
    fn client_context_params_are_set_cleared_and_overridden_per_call() {
        let config = Builder::new()
            .set_client_context_param("Bucket", Some(EndpointValue::String("a".into())))
            .set_client_context_param("Flag", Some(EndpointValue::Bool(true)))
            .build();
        assert_eq!(
            config.client_context_param("Bucket"),
            Some(&EndpointValue::String("a".into()))
        );
        let overridden = config.with_override(
            Builder::new()
                .set_client_context_param("Bucket", Some(EndpointValue::String("b".into())))
                .set_client_context_param("Flag", None),
        );
        assert_eq!(
            overridden.client_context_param("Bucket"),
            Some(&EndpointValue::String("b".into()))
        );
        assert_eq!(overridden.client_context_param("Flag"), None);
        // The client's own configuration is unchanged, and survives a round trip.
        assert_eq!(config.client_context_params().len(), 2);
        let rebuilt = config.to_builder();
        assert_eq!(
            rebuilt.get_client_context_param("Flag"),
            Some(Some(&EndpointValue::Bool(true)))
        );
        assert_eq!(rebuilt.build().client_context_params().len(), 2);
    }

    #[test]
    fn explicit_settings_win_and_nothing_is_read_without_an_env() {
        let env = Env::from_vars([
            ("AWS_USE_FIPS_ENDPOINT", "true"),
            ("AWS_DISABLE_REQUEST_COMPRESSION", "true"),
        ]);
        let config = Builder::new()
            .env(env.clone())
            .use_fips(false)
            .disable_request_compression(false)
            .build();
        assert!(!config.use_fips());
        assert!(!config.disable_request_compression());

        let config = Builder::new().build();
        assert!(!config.use_fips());
        assert_eq!(config.request_min_compression_size_bytes(), 10_240);
        assert!(!config.disable_host_prefix_injection());
    }

    #[test]
    fn settings_that_cannot_be_understood_are_reported_with_their_source() {
        let config = from(
            Env::from_vars([("HOME", "/h"), ("AWS_USE_FIPS_ENDPOINT", "yes")]).with_file(
                "/h/.aws/config",
                "[default]\nrequest_min_compression_size_bytes = ten\n",
            ),
        );
        let err = config.invalid_setting().expect("two problems");
        let message = err.message();
        assert!(
            message.contains("environment variable AWS_USE_FIPS_ENDPOINT is \"yes\""),
            "{message}"
        );
        assert!(
            message
                .contains("`request_min_compression_size_bytes` of profile `default` is \"ten\""),
            "{message}"
        );
        assert!(!config.use_fips());
    }
}

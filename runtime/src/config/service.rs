//! The per-service configuration types, written once here for every generated crate.
//!
//! A generated crate's `config` module invokes [`service_config!`](crate::__service_config)
//! once: it defines the crate's own `Config` and `Builder` as thin newtypes over the runtime's
//! [`Config`](crate::config::Config) and [`Builder`](crate::config::Builder), with every common
//! setter, so that a service can later add settings of its own without 80 forwarding methods
//! being generated into each crate.

/// Defines a service's `Config` and `Builder` (in the generated crate's `config` module, where
/// `SharedConfig`, `Region`, `Credentials`, `BehaviorVersion`, ... are re-exported for the links
/// of the docs). `$service` is the service's `ServiceMeta` (`crate::SERVICE`): its SDK id names
/// the service's own endpoint settings.
#[doc(hidden)]
#[macro_export]
macro_rules! __service_config {
    ($service:expr) => {
        /// The configuration of this service's [`Client`](crate::Client): the settings every
        /// client has (see [`SharedConfig`]) plus this service's own. Cheap to clone; `Debug`
        /// shows no secrets. Its getters (`region()`, `retry_config()`, ...) are those of the
        /// common configuration it dereferences to.
        #[derive(Clone, Debug)]
        pub struct Config {
            pub(crate) inner: $crate::config::Config,
        }

        impl Config {
            /// A builder that loads nothing from the environment.
            pub fn builder() -> Builder {
                Builder::new()
            }

            /// A configuration whose region and credentials come from the environment, the
            /// shared config files and the default credentials chain; everything else has its
            /// default.
            pub fn from_env() -> Self {
                Builder::from_env().build()
            }

            /// A builder holding this configuration's explicit settings.
            pub fn to_builder(&self) -> Builder {
                Builder {
                    inner: self.inner.to_builder(),
                }
            }

            /// The retry configuration (always set: the default is standard mode).
            pub fn retry_config(&self) -> Option<&$crate::retry::RetryConfig> {
                Some(self.inner.retry_config())
            }

            /// The timeout configuration (always set: see `TimeoutConfig::new` for the
            /// defaults).
            pub fn timeout_config(&self) -> Option<&$crate::timeout::TimeoutConfig> {
                Some(self.inner.timeout_config())
            }
        }

        impl std::ops::Deref for Config {
            type Target = $crate::config::Config;

            fn deref(&self) -> &Self::Target {
                &self.inner
            }
        }

        impl From<Config> for $crate::config::Config {
            /// The common configuration the runtime runs this service's calls with.
            fn from(config: Config) -> Self {
                config.inner
            }
        }

        impl From<&$crate::config::SharedConfig> for Config {
            /// The shared configuration as this service's (sharing its credentials cache and
            /// connection pool).
            fn from(shared: &$crate::config::SharedConfig) -> Self {
                Builder::from(shared).build()
            }
        }

        /// Builds a [`Config`]. Every option is optional; see each method for its default.
        /// `Builder::from(&shared)` starts from a [`SharedConfig`], for overrides of this
        /// service only.
        #[derive(Clone, Debug, Default)]
        pub struct Builder {
            pub(crate) inner: $crate::config::Builder,
        }

        impl From<&$crate::config::SharedConfig> for Builder {
            fn from(shared: &$crate::config::SharedConfig) -> Self {
                Self {
                    inner: $crate::config::Builder::from_shared(shared),
                }
            }
        }

        impl From<$crate::config::Builder> for Builder {
            fn from(inner: $crate::config::Builder) -> Self {
                Self { inner }
            }
        }

        impl From<Builder> for $crate::config::Builder {
            /// The common settings the builder holds (a per-call override is one).
            fn from(builder: Builder) -> Self {
                builder.inner
            }
        }

        #[cfg(feature = "aws-config")]
        impl From<&$crate::config::sdk_config::SdkConfig> for Builder {
            /// What the `aws-config` crate's `SdkConfig` sets for this service (feature
            /// `aws-config`): region, credentials provider, endpoint URL (the service's own
            /// when the shared config names one), FIPS and dual-stack, retries, timeouts, app
            /// name, behavior version.
            fn from(sdk_config: &$crate::config::sdk_config::SdkConfig) -> Self {
                Self {
                    inner: $crate::config::sdk_config::builder_from_sdk_config(
                        sdk_config,
                        $service.service_id,
                    ),
                }
            }
        }

        #[cfg(feature = "aws-config")]
        impl From<&$crate::config::sdk_config::SdkConfig> for Config {
            fn from(sdk_config: &$crate::config::sdk_config::SdkConfig) -> Self {
                Builder::from(sdk_config).build()
            }
        }

        impl Builder {
            /// An empty builder that loads nothing from the environment.
            pub fn new() -> Self {
                Self::default()
            }

            /// A builder that, at [`build`](Self::build), fills an unset region from
            /// `AWS_REGION`, `AWS_DEFAULT_REGION` or the selected profile, and unset credentials
            /// from the default chain (environment, profile files, ECS, EC2 instance metadata).
            pub fn from_env() -> Self {
                Self {
                    inner: $crate::config::Builder::from_env(),
                }
            }

            /// Builds the configuration. Never fails: a missing region or credentials provider
            /// is reported when a request is sent. With [`from_env`](Self::from_env), an
            /// endpoint URL configured for this service (`AWS_ENDPOINT_URL_<SERVICE>`, a
            /// `services` section of the shared config file) is used unless one was set here.
            pub fn build(self) -> Config {
                Config {
                    inner: self.inner.build_for($service.service_id),
                }
            }

            /// Records the behavior version the program was written against; it changes
            /// nothing (see [`BehaviorVersion`]). Without one a client works as well.
            pub fn behavior_version(mut self, version: $crate::config::BehaviorVersion) -> Self {
                self.inner = self.inner.behavior_version(version);
                self
            }

            /// Sets or clears the behavior version.
            pub fn set_behavior_version(
                &mut self,
                version: Option<$crate::config::BehaviorVersion>,
            ) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_behavior_version(version);
                self
            }

            /// Records [`BehaviorVersion::latest`] (see
            /// [`behavior_version`](Self::behavior_version)).
            pub fn behavior_version_latest(mut self) -> Self {
                self.inner = self.inner.behavior_version_latest();
                self
            }

            /// Like [`from_env`](Self::from_env) but reading the given environment (useful in tests).
            pub fn env(mut self, env: $crate::env::Env) -> Self {
                self.inner = self.inner.env(env);
                self
            }

            /// The region requests are sent to and signed for. Default: none (from the environment
            /// with [`from_env`](Self::from_env)). Calls signed with SigV4, and endpoint rules that use
            /// the region, fail without one.
            pub fn region(mut self, region: impl Into<$crate::env::region::Region>) -> Self {
                self.inner = self.inner.region(region);
                self
            }

            /// Sets or clears the region.
            pub fn set_region(&mut self, region: Option<$crate::env::region::Region>) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_region(region);
                self
            }

            /// The credentials provider (cached by the client). Default: none (the default chain with
            /// [`from_env`](Self::from_env)). Calls to operations that can only be signed with SigV4
            /// fail without one.
            pub fn credentials_provider(
                mut self,
                provider: impl $crate::contract::identity::ProvideCredentials + 'static,
            ) -> Self {
                self.inner = self.inner.credentials_provider(provider);
                self
            }

            /// Sets or clears the credentials provider.
            pub fn set_credentials_provider(
                &mut self,
                provider: Option<$crate::contract::identity::SharedCredentialsProvider>,
            ) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_credentials_provider(provider);
                self
            }

            /// The bearer token sent as `Authorization: Bearer <token>` to operations whose model
            /// accepts `smithy.api#httpBearerAuth`: a [`Token`] or any
            /// [`ProvideToken`] (asked once per attempt). Default: none.
            pub fn bearer_token(
                mut self,
                provider: impl $crate::contract::identity::ProvideToken + 'static,
            ) -> Self {
                self.inner = self.inner.bearer_token(provider);
                self
            }

            /// Sets or clears the bearer token provider.
            pub fn set_bearer_token(
                &mut self,
                provider: Option<$crate::contract::identity::SharedTokenProvider>,
            ) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_bearer_token(provider);
                self
            }

            /// The API key sent to operations whose model accepts `smithy.api#httpApiKeyAuth` (in the
            /// header or query parameter the model names). Default: none.
            pub fn api_key(mut self, key: impl Into<$crate::contract::identity::ApiKey>) -> Self {
                self.inner = self.inner.api_key(key);
                self
            }

            /// Sets or clears the API key.
            pub fn set_api_key(
                &mut self,
                key: Option<$crate::contract::identity::ApiKey>,
            ) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_api_key(key);
                self
            }

            /// The username and password sent as `Authorization: Basic ...` to operations whose model
            /// accepts `smithy.api#httpBasicAuth`. Default: none.
            pub fn basic_auth(
                mut self,
                username: impl Into<String>,
                password: impl Into<String>,
            ) -> Self {
                self.inner = self.inner.basic_auth(username, password);
                self
            }

            /// Sets or clears the username and password.
            pub fn set_basic_auth(
                &mut self,
                basic: Option<$crate::contract::identity::BasicAuth>,
            ) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_basic_auth(basic);
                self
            }

            /// A URL that replaces the resolved endpoint (e.g. `http://localhost:4566`). This is the
            /// only way to send requests over plain `http://`. Default: none.
            pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
                self.inner = self.inner.endpoint_url(url);
                self
            }

            /// Sets or clears the endpoint URL.
            pub fn set_endpoint_url(&mut self, url: Option<String>) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_endpoint_url(url);
                self
            }

            /// Use FIPS endpoints. Default: false.
            pub fn use_fips(mut self, use_fips: bool) -> Self {
                self.inner = self.inner.use_fips(use_fips);
                self
            }

            /// Sets or clears the FIPS flag.
            pub fn set_use_fips(&mut self, use_fips: Option<bool>) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_use_fips(use_fips);
                self
            }

            /// Use dual-stack (IPv4 and IPv6) endpoints. Default: false.
            pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
                self.inner = self.inner.use_dual_stack(use_dual_stack);
                self
            }

            /// Sets or clears the dual-stack flag.
            pub fn set_use_dual_stack(&mut self, use_dual_stack: Option<bool>) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_use_dual_stack(use_dual_stack);
                self
            }

            /// How calls are retried. Default: [`RetryConfig::standard`] (3 attempts, 1 s initial and
            /// 20 s maximum backoff with full jitter, retry quota on).
            pub fn retry_config(mut self, retry: $crate::retry::RetryConfig) -> Self {
                self.inner = self.inner.retry_config(retry);
                self
            }

            /// Sets or clears the retry configuration.
            pub fn set_retry_config(
                &mut self,
                retry: Option<$crate::retry::RetryConfig>,
            ) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_retry_config(retry);
                self
            }

            /// Timeouts. Default: [`TimeoutConfig::new`] (connect 3.1 s, read 60 s, no attempt or
            /// operation timeout).
            pub fn timeout_config(mut self, timeout: $crate::timeout::TimeoutConfig) -> Self {
                self.inner = self.inner.timeout_config(timeout);
                self
            }

            /// Sets or clears the timeout configuration.
            pub fn set_timeout_config(
                &mut self,
                timeout: Option<$crate::timeout::TimeoutConfig>,
            ) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_timeout_config(timeout);
                self
            }

            /// The HTTP client. Default: a [`DefaultHttpClient`] using the connect and read timeouts
            /// of the timeout configuration (set up lazily on first use).
            pub fn http_client(
                mut self,
                client: impl $crate::contract::http::HttpClient + 'static,
            ) -> Self {
                self.inner = self.inner.http_client(client);
                self
            }

            /// Sets or clears the HTTP client.
            pub fn set_http_client(
                &mut self,
                client: Option<std::sync::Arc<dyn $crate::contract::http::HttpClient>>,
            ) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_http_client(client);
                self
            }

            /// Adds an interceptor; call repeatedly to add several (they run in the order added).
            /// Default: none.
            pub fn interceptor(
                mut self,
                interceptor: impl $crate::contract::interceptor::Interceptor + 'static,
            ) -> Self {
                self.inner = self.inner.interceptor(interceptor);
                self
            }

            /// Adds a shared interceptor.
            pub fn shared_interceptor(
                mut self,
                interceptor: $crate::contract::interceptor::SharedInterceptor,
            ) -> Self {
                self.inner = self.inner.shared_interceptor(interceptor);
                self
            }

            /// An application name added to the user agent as `app/<name>` (1 to 50 characters from
            /// `A-Z a-z 0-9 !#$%&'*+-.^_\`|~`; an invalid name fails calls). Default: none.
            pub fn app_name(mut self, name: impl Into<String>) -> Self {
                self.inner = self.inner.app_name(name);
                self
            }

            /// Sets or clears the application name.
            pub fn set_app_name(&mut self, name: Option<String>) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_app_name(name);
                self
            }

            /// The clock used for signing and credential expiry. Default: the system clock.
            pub fn time_source(
                mut self,
                time: impl $crate::contract::time::TimeSource + 'static,
            ) -> Self {
                self.inner = self.inner.time_source(time);
                self
            }

            /// Sets or clears the clock.
            pub fn set_time_source(
                &mut self,
                time: Option<$crate::contract::time::SharedTimeSource>,
            ) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_time_source(time);
                self
            }

            /// The source of idempotency tokens for members the caller leaves unset. Default: random
            /// UUID v4 values.
            pub fn idempotency_token_provider(
                mut self,
                provider: impl $crate::contract::operation::IdempotencyTokenProvider + 'static,
            ) -> Self {
                self.inner = self.inner.idempotency_token_provider(provider);
                self
            }

            /// Sets or clears the idempotency token provider.
            pub fn set_idempotency_token_provider(
                &mut self,
                provider: Option<
                    std::sync::Arc<dyn $crate::contract::operation::IdempotencyTokenProvider>,
                >,
            ) -> &mut Self {
                self.inner =
                    std::mem::take(&mut self.inner).set_idempotency_token_provider(provider);
                self
            }

            /// Whether inputs are checked against the model's constraints before they are sent.
            /// Default: true.
            pub fn request_validation(mut self, enabled: bool) -> Self {
                self.inner = self.inner.request_validation(enabled);
                self
            }

            /// Sets or clears the request validation flag.
            pub fn set_request_validation(&mut self, enabled: Option<bool>) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_request_validation(enabled);
                self
            }

            /// Turns off the gzip compression of request bodies for operations the model marks
            /// `@requestCompression`. Default: false (compression on). Services without such
            /// operations never compress.
            pub fn disable_request_compression(mut self, disabled: bool) -> Self {
                self.inner = self.inner.disable_request_compression(disabled);
                self
            }

            /// Sets or clears [`disable_request_compression`](Self::disable_request_compression).
            pub fn set_disable_request_compression(&mut self, disabled: Option<bool>) -> &mut Self {
                self.inner =
                    std::mem::take(&mut self.inner).set_disable_request_compression(disabled);
                self
            }

            /// The smallest request body, in bytes, that is compressed (operations marked
            /// `@requestCompression` only). Default: 10,240. At most 10,485,760: a larger value is
            /// reported as an error when a request is sent.
            pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
                self.inner = self.inner.request_min_compression_size_bytes(bytes);
                self
            }

            /// Sets or clears
            /// [`request_min_compression_size_bytes`](Self::request_min_compression_size_bytes).
            pub fn set_request_min_compression_size_bytes(
                &mut self,
                bytes: Option<u32>,
            ) -> &mut Self {
                self.inner =
                    std::mem::take(&mut self.inner).set_request_min_compression_size_bytes(bytes);
                self
            }

            /// Leaves the endpoint's host alone for operations whose model gives them a host prefix
            /// (`@endpoint`), e.g. when the endpoint is a VPC endpoint or a local test server.
            /// Default: false (the prefix is put before the host). Services without such operations
            /// are not affected.
            pub fn disable_host_prefix_injection(mut self, disabled: bool) -> Self {
                self.inner = self.inner.disable_host_prefix_injection(disabled);
                self
            }

            /// Sets or clears
            /// [`disable_host_prefix_injection`](Self::disable_host_prefix_injection).
            pub fn set_disable_host_prefix_injection(
                &mut self,
                disabled: Option<bool>,
            ) -> &mut Self {
                self.inner =
                    std::mem::take(&mut self.inner).set_disable_host_prefix_injection(disabled);
                self
            }

            /// The sleep implementation for backoff and timeouts. Default: tokio's timer.
            pub fn sleep_impl(
                mut self,
                sleep: impl $crate::contract::time::AsyncSleep + 'static,
            ) -> Self {
                self.inner = self.inner.sleep_impl(sleep);
                self
            }

            /// Sets or clears the sleep implementation.
            pub fn set_sleep_impl(
                &mut self,
                sleep: Option<$crate::contract::time::SharedAsyncSleep>,
            ) -> &mut Self {
                self.inner = std::mem::take(&mut self.inner).set_sleep_impl(sleep);
                self
            }

            /// Typed stubs that answer calls instead of the network (feature `test-util`): the same
            /// as adding them with [`interceptor`](Self::interceptor).
            #[cfg(feature = "test-util")]
            pub fn stubs(mut self, stubs: $crate::test_util::Stubs) -> Self {
                self.inner = self.inner.stubs(stubs);
                self
            }
        }
    };
}

//! One configuration for the clients of many services.

use std::ops::Deref;

use super::{Builder, Config};

/// The settings every client has (region, credentials provider with its cache, bearer token,
/// HTTP client with its connection pool, retry and timeout settings, interceptors, time source,
/// sleep, app name, FIPS and dual-stack, endpoint URL, ...), loaded once and shared by the
/// clients of any number of services: `Client::new(&shared)` in each generated crate, or
/// `config::Builder::from(&shared)` for per-service overrides.
///
/// The clients built from one `SharedConfig` fetch credentials once (the cache lives in the
/// shared provider) and send their requests through one connection pool.
///
/// ```
/// use smithy_rust_runtime::config::SharedConfig;
/// use smithy_rust_runtime::env::region::Region;
///
/// // Usually `SharedConfig::from_env()`.
/// let shared = SharedConfig::builder()
///     .region(Region::new("us-east-1"))
///     .build_shared();
/// // Then, in each generated crate: `let client = <crate>::Client::new(&shared);`
/// assert_eq!(shared.region().map(|r| r.as_ref()), Some("us-east-1"));
/// ```
#[derive(Clone, Debug)]
pub struct SharedConfig {
    config: Config,
}

impl SharedConfig {
    /// A builder that loads nothing from the environment; finish it with
    /// [`Builder::build_shared`].
    pub fn builder() -> Builder {
        Builder::new()
    }

    /// The region and credentials from the environment, the shared config files and the
    /// default credentials chain; everything else has its default.
    pub fn from_env() -> Self {
        Builder::from_env().build_shared()
    }

    /// The configuration the clients start from.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

impl From<Config> for SharedConfig {
    fn from(config: Config) -> Self {
        Self { config }
    }
}

impl Deref for SharedConfig {
    type Target = Config;

    fn deref(&self) -> &Config {
        &self.config
    }
}

/// What a generated client can be built from with `Client::new`: a [`SharedConfig`], or (feature
/// `aws-config`) an `aws_types::SdkConfig` from the `aws-config` crate.
pub trait ConfigSource {
    /// A builder holding the source's settings, for the service whose SDK id is `service_id`.
    fn config_builder(&self, service_id: &str) -> Builder;
}

impl ConfigSource for SharedConfig {
    /// The shared configuration (its service-specific settings are applied when the service's
    /// configuration is built).
    fn config_builder(&self, _service_id: &str) -> Builder {
        Builder::from_shared(self)
    }
}

#[cfg(feature = "aws-config")]
impl ConfigSource for aws_types::SdkConfig {
    fn config_builder(&self, service_id: &str) -> Builder {
        super::sdk_config::builder_from_sdk_config(self, service_id)
    }
}

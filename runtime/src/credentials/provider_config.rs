//! [`ProviderConfig`]: what the credential providers that call AWS services (STS, SSO) need.

use std::fmt;
use std::sync::Arc;

use super::CredentialsError;
use crate::contract::http::HttpClient;
use crate::contract::time::SharedTimeSource;
use crate::env::endpoint_url::{endpoint_url_from_profiles, endpoint_url_from_variables};
use crate::env::profile::ProfileSet;
use crate::env::region::Region;
use crate::env::Env;

/// The region STS is called in when the client has none.
pub const DEFAULT_STS_REGION: &str = "us-east-1";

/// The environment, HTTP client, clock and region the providers that call STS or IAM Identity
/// Center use. The default chain gets the client's; nothing is sent unless a configured
/// provider needs it.
#[derive(Clone)]
pub struct ProviderConfig {
    pub(super) env: Env,
    http: Option<Arc<dyn HttpClient>>,
    pub(super) time: SharedTimeSource,
    region: Option<Region>,
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("env", &self.env)
            .field("http", &self.http.as_ref().map(|_| "<set>"))
            .field("region", &self.region)
            .finish()
    }
}

impl ProviderConfig {
    /// Reads `env`; calls services through `http` at times from `time`, in `region` (STS:
    /// `us-east-1` when `None`; IAM Identity Center uses the profile's `sso_region`).
    pub fn new(
        env: Env,
        http: Arc<dyn HttpClient>,
        time: SharedTimeSource,
        region: Option<Region>,
    ) -> Self {
        Self {
            env,
            http: Some(http),
            time,
            region,
        }
    }

    /// Reads `env` and calls no service: providers that would need one fail, saying so.
    pub fn without_http(env: Env) -> Self {
        Self {
            env,
            http: None,
            time: SharedTimeSource::default(),
            region: None,
        }
    }

    pub(super) fn http_client(
        &self,
        service: &str,
    ) -> Result<Arc<dyn HttpClient>, CredentialsError> {
        self.http.clone().ok_or_else(|| {
            CredentialsError::invalid_configuration(format!(
                "the credentials provider needs to call {service} but was built without an HTTP \
                 client (build it with a `ProviderConfig` that has one)"
            ))
        })
    }

    /// The region STS is called in.
    pub(super) fn region_name(&self) -> String {
        self.region
            .as_ref()
            .map_or(DEFAULT_STS_REGION, |r| r.as_ref())
            .to_owned()
    }

    /// The endpoint of the service with SDK id `service_id`: the one configured for it outside
    /// the code unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
    /// `ignore_configured_endpoint_urls`) is `true`, else `https://<default_host>`. The shared
    /// config files are read off the async workers, and only when a setting is not in the
    /// environment.
    pub(super) async fn endpoint_url(
        &self,
        service_id: &str,
        default_host: &str,
    ) -> Result<String, CredentialsError> {
        let mut profiles: Option<ProfileSet> = None;
        let ignore = match self
            .env
            .get_non_empty("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        {
            Some(value) => Some((value, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS".to_owned())),
            None => {
                let set = profiles.insert(load_profiles(&self.env).await?);
                set.selected()
                    .and_then(|p| p.get("ignore_configured_endpoint_urls"))
                    .map(|v| (v.to_owned(), "`ignore_configured_endpoint_urls`".to_owned()))
            }
        };
        let ignored = match ignore {
            None => false,
            Some((value, source)) => match value.trim().to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(CredentialsError::invalid_configuration(format!(
                        "{source} is {value:?}; expected `true` or `false`"
                    )))
                }
            },
        };
        if !ignored {
            if let Some(url) = endpoint_url_from_variables(&self.env, Some(service_id)) {
                return Ok(url);
            }
            let set = match profiles {
                Some(set) => set,
                None => load_profiles(&self.env).await?,
            };
            if let Some(url) = endpoint_url_from_profiles(&set, Some(service_id)) {
                return Ok(url);
            }
        }
        Ok(format!("https://{default_host}"))
    }
}

/// The shared config files `env` points at, read off the async workers.
async fn load_profiles(env: &Env) -> Result<ProfileSet, CredentialsError> {
    let env = env.clone();
    super::read_files("the shared AWS config files", move || {
        ProfileSet::load(&env)
    })
    .await?
    .map_err(|e| {
        CredentialsError::invalid_configuration("the shared AWS config files are invalid")
            .with_source(e)
    })
}

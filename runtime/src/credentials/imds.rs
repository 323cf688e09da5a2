//! Credentials of the IAM role attached to an EC2 instance, from the instance metadata service
//! (IMDSv2: a session token first, then the role name, then the role's credentials).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, StatusCode};
use percent_encoding::utf8_percent_encode;

use super::fetch::{body_excerpt, fetch};
use super::json::Document;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::contract::http::HttpClient;
use crate::contract::http::HttpResponse;
use crate::contract::text::escape;
use crate::env::Env;

/// The default IPv4 endpoint of the instance metadata service.
pub const IMDS_ENDPOINT_IPV4: &str = "http://169.254.169.254";
/// The IPv6 endpoint (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`).
pub const IMDS_ENDPOINT_IPV6: &str = "http://[fd00:ec2::254]";
const TOKEN_PATH: &str = "/latest/api/token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
/// Role names are put in the path with everything but RFC 3986 unreserved characters encoded.
use crate::codec::http_binding::STRICT as PATH_SEGMENT;

/// Loads the instance role's credentials from IMDSv2.
///
/// `AWS_EC2_METADATA_DISABLED=true` turns it off; `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`) changes the endpoint. When no metadata service
/// answers (not on EC2) the provider reports "not loaded" so that a chain ends cleanly.
#[derive(Debug, Clone)]
pub struct ImdsCredentialsProvider {
    env: Env,
    http: Arc<dyn HttpClient>,
    timeout: Duration,
    token_ttl_seconds: u32,
}

impl ImdsCredentialsProvider {
    /// Reads the variables of `env` and sends requests through `http`.
    pub fn new(env: Env, http: Arc<dyn HttpClient>) -> Self {
        Self {
            env,
            http,
            timeout: Duration::from_secs(1),
            token_ttl_seconds: 21_600,
        }
    }

    /// Waits at most `timeout` per request (default 1 second).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn endpoint(&self) -> String {
        let endpoint = match self.env.get_non_empty("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
            Some(endpoint) => endpoint.trim().to_owned(),
            None => match self
                .env
                .get_non_empty("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
            {
                Some(mode) if mode.trim().eq_ignore_ascii_case("ipv6") => {
                    IMDS_ENDPOINT_IPV6.to_owned()
                }
                _ => IMDS_ENDPOINT_IPV4.to_owned(),
            },
        };
        endpoint.trim_end_matches('/').to_owned()
    }

    async fn send(
        &self,
        method: Method,
        uri: &str,
        header: (&'static str, &str),
        unreachable_is_not_loaded: bool,
    ) -> Result<HttpResponse, CredentialsError> {
        let mut header_value = http::HeaderValue::from_str(header.1).map_err(|_| {
            CredentialsError::provider_error(format!(
                "the instance metadata service sent a value unusable in header {}",
                header.0
            ))
        })?;
        header_value.set_sensitive(header.0 == TOKEN_HEADER);
        let request = Request::builder()
            .method(method.clone())
            .uri(uri)
            .header(header.0, header_value)
            .body(Bytes::new())
            .map_err(|e| {
                CredentialsError::invalid_configuration(format!(
                    "`{uri}` is not a usable instance metadata URI (check AWS_EC2_METADATA_SERVICE_ENDPOINT)"
                ))
                .with_source(e)
            })?;
        fetch(self.http.as_ref(), request, self.timeout)
            .await
            .map_err(|e| {
                let message = format!("no instance metadata service answered {method} {uri}");
                if unreachable_is_not_loaded {
                    CredentialsError::not_loaded(message).with_source(e)
                } else {
                    CredentialsError::provider_error(message).with_source(e)
                }
            })
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        if self
            .env
            .get("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            return Err(CredentialsError::not_loaded(
                "the instance metadata service is disabled (AWS_EC2_METADATA_DISABLED=true)",
            ));
        }
        let endpoint = self.endpoint();
        let token_uri = format!("{endpoint}{TOKEN_PATH}");
        let ttl = self.token_ttl_seconds.to_string();
        let response = self
            .send(Method::PUT, &token_uri, (TOKEN_TTL_HEADER, &ttl), true)
            .await?;
        if response.status() != StatusCode::OK {
            return Err(CredentialsError::not_loaded(format!(
                "the instance metadata service at {endpoint} refused a session token (HTTP {}): {}",
                response.status(),
                body_excerpt(&response)
            )));
        }
        let token = std::str::from_utf8(response.body())
            .map_err(|_| {
                CredentialsError::provider_error("the instance metadata token is not UTF-8")
            })?
            .trim()
            .to_owned();

        let list_uri = format!("{endpoint}{CREDENTIALS_PATH}");
        let response = self
            .send(Method::GET, &list_uri, (TOKEN_HEADER, &token), false)
            .await?;
        if response.status() == StatusCode::NOT_FOUND {
            return Err(CredentialsError::not_loaded(
                "no IAM role is attached to this EC2 instance (instance metadata has no security credentials)",
            ));
        }
        if !response.status().is_success() {
            return Err(CredentialsError::provider_error(format!(
                "GET {list_uri} answered HTTP {}: {}",
                response.status(),
                body_excerpt(&response)
            )));
        }
        let listing = String::from_utf8_lossy(response.body());
        let Some(role) = listing.lines().map(str::trim).find(|l| !l.is_empty()) else {
            return Err(CredentialsError::not_loaded(
                "no IAM role is attached to this EC2 instance (empty role list)",
            ));
        };
        let role_uri = format!(
            "{endpoint}{CREDENTIALS_PATH}{}",
            utf8_percent_encode(role, PATH_SEGMENT)
        );
        let response = self
            .send(Method::GET, &role_uri, (TOKEN_HEADER, &token), false)
            .await?;
        if !response.status().is_success() {
            return Err(CredentialsError::provider_error(format!(
                "GET {role_uri} answered HTTP {}: {}",
                response.status(),
                body_excerpt(&response)
            )));
        }
        let origin = format!("the instance metadata service (role `{}`)", escape(role));
        Document {
            origin: &origin,
            provider_name: "Ec2InstanceMetadata",
            require_version: false,
            token_key: "Token",
        }
        .parse(response.body())
    }
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

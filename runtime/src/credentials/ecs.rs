//! Credentials from the ECS (or EKS Pod Identity) container credentials endpoint.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::AUTHORIZATION;
use http::{HeaderValue, Method, Request, Uri};

use super::fetch::{body_excerpt, fetch};
use super::json::Document;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::contract::http::HttpClient;
use crate::env::Env;

/// The host `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to.
pub const ECS_HOST: &str = "http://169.254.170.2";

/// Loads credentials from `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (relative to
/// `http://169.254.170.2`) or `AWS_CONTAINER_CREDENTIALS_FULL_URI` (https, or http to a loopback
/// or container-agent address only), sending `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`'s
/// contents or `AWS_CONTAINER_AUTHORIZATION_TOKEN` as the `Authorization` header.
#[derive(Debug, Clone)]
pub struct EcsCredentialsProvider {
    env: Env,
    http: Arc<dyn HttpClient>,
    timeout: Duration,
}

impl EcsCredentialsProvider {
    /// Reads the variables of `env` and sends requests through `http`.
    pub fn new(env: Env, http: Arc<dyn HttpClient>) -> Self {
        Self {
            env,
            http,
            timeout: Duration::from_secs(5),
        }
    }

    /// Waits at most `timeout` for the endpoint (default 5 seconds).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn uri(&self) -> Result<Uri, CredentialsError> {
        if let Some(relative) = self
            .env
            .get_non_empty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        {
            let relative = relative.trim();
            let separator = if relative.starts_with('/') { "" } else { "/" };
            return format!("{ECS_HOST}{separator}{relative}")
                .parse::<Uri>()
                .map_err(|e| {
                    CredentialsError::invalid_configuration(format!(
                        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI `{relative}` is not a valid URI path"
                    ))
                    .with_source(e)
                });
        }
        let Some(full) = self.env.get_non_empty("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            return Err(CredentialsError::not_loaded(
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
            ));
        };
        let full = full.trim();
        let uri: Uri = full.parse().map_err(|e| {
            CredentialsError::invalid_configuration(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` is not a valid URI"
            ))
            .with_source(e)
        })?;
        let host = uri.host().unwrap_or_default();
        match uri.scheme_str() {
            Some("https") if !host.is_empty() => Ok(uri),
            Some("http") if is_allowed_http_host(host) => Ok(uri),
            Some("http") => Err(CredentialsError::invalid_configuration(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` uses plain http to `{host}`; plain \
                 http is only allowed to a loopback address (127.0.0.0/8, ::1, localhost) or the \
                 container agent (169.254.170.2, 169.254.170.23, fd00:ec2::23): use https"
            ))),
            _ => Err(CredentialsError::invalid_configuration(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` must be an absolute http or https URI"
            ))),
        }
    }

    async fn authorization(&self) -> Result<Option<HeaderValue>, CredentialsError> {
        let token = if let Some(path) = self
            .env
            .get_non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        {
            let path = path.trim().to_owned();
            let env = self.env.clone();
            let file = PathBuf::from(&path);
            let text = super::read_files("the container authorization token file", move || {
                env.read_to_string(&file)
            })
            .await?
            .map_err(|e| {
                CredentialsError::invalid_configuration(format!(
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE `{path}` could not be read"
                ))
                .with_source(e)
            })?;
            Some(text.trim_end_matches(['\r', '\n']).to_owned())
        } else {
            self.env.get_non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        };
        let Some(token) = token else {
            return Ok(None);
        };
        if token.contains(['\r', '\n']) {
            return Err(CredentialsError::invalid_configuration(
                "the container authorization token contains a line break",
            ));
        }
        let mut value = HeaderValue::from_str(&token).map_err(|_| {
            CredentialsError::invalid_configuration(
                "the container authorization token contains characters not allowed in an HTTP header",
            )
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let uri = self.uri()?;
        let authorization = self.authorization().await?;
        let origin = format!("the container credentials endpoint {uri}");
        let mut builder = Request::builder()
            .method(Method::GET)
            .uri(uri.clone())
            .header(http::header::ACCEPT, "application/json");
        if let Some(value) = authorization {
            builder = builder.header(AUTHORIZATION, value);
        }
        let request = builder.body(Bytes::new()).map_err(|e| {
            CredentialsError::invalid_configuration(format!("could not build a request to {uri}"))
                .with_source(e)
        })?;
        let response = fetch(self.http.as_ref(), request, self.timeout)
            .await
            .map_err(|e| {
                CredentialsError::provider_error(format!("could not reach {origin}")).with_source(e)
            })?;
        if !response.status().is_success() {
            return Err(CredentialsError::provider_error(format!(
                "{origin} answered HTTP {}: {}",
                response.status(),
                body_excerpt(&response)
            )));
        }
        Document {
            origin: &origin,
            provider_name: "EcsContainer",
            require_version: false,
            token_key: "Token",
        }
        .parse(response.body())
    }
}

/// Hosts that may be reached over plain http: loopback and the ECS/EKS container agents.
fn is_allowed_http_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            ip.is_loopback()
                || ip.octets() == [169, 254, 170, 2]
                || ip.octets() == [169, 254, 170, 23]
        }
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.segments() == [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x23]
        }
        Err(_) => false,
    }
}

impl ProvideCredentials for EcsCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::is_allowed_http_host;

    #[test]
    fn plain_http_hosts() {
        for ok in [
            "127.0.0.1",
            "127.1.2.3",
            "localhost",
            "[::1]",
            "169.254.170.2",
            "169.254.170.23",
            "[fd00:ec2::23]",
        ] {
            assert!(is_allowed_http_host(ok), "{ok}");
        }
        for bad in [
            "example.com",
            "10.0.0.1",
            "169.254.169.254",
            "[fd00:ec2::254]",
            "127.0.0.1.nip.io",
        ] {
            assert!(!is_allowed_http_host(bad), "{bad}");
        }
    }
}

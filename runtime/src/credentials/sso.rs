//! Credentials from AWS IAM Identity Center (SSO) for a profile that `aws sso login` signed in:
//! the access token is read from the CLI's token cache (`~/.aws/sso/cache/<sha1>.json`, the
//! SHA-1 of the `sso_session` name, or of `sso_start_url` for legacy profiles without a
//! session), then the portal's `GetRoleCredentials` (restJson1, `GET
//! /federation/credentials`, the token in `x-amz-sso_bearer_token`, unsigned) returns the
//! role's temporary credentials.
//!
//! An expired token is an error telling to run `aws sso login` again: the token is not
//! refreshed here.

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderValue, Method, Request};
use percent_encoding::utf8_percent_encode;
use serde_json::Value;

use super::fetch::{body_excerpt, fetch};
use super::json::parse_rfc3339;
use super::sts::dns_suffix;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials, ProviderConfig};
use crate::codec::http_binding::STRICT;
use crate::contract::text::escape;
use crate::contract::time::TimeSource;

/// How long a `GetRoleCredentials` call may take.
const TIMEOUT: Duration = Duration::from_secs(10);
const TOKEN_HEADER: &str = "x-amz-sso_bearer_token";

/// A profile's IAM Identity Center settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSettings {
    /// The `sso_session` the profile names (`None` for a legacy profile).
    pub session_name: Option<String>,
    /// The portal's region (`sso_region`).
    pub region: String,
    /// The portal's start URL (`sso_start_url`).
    pub start_url: String,
    /// The account of the role (`sso_account_id`).
    pub account_id: String,
    /// The role's name (`sso_role_name`).
    pub role_name: String,
    /// The profile, for messages (`aws sso login --profile <name>`).
    pub profile: String,
}

/// Loads the cached token and calls `GetRoleCredentials` on every load (the client's cache
/// keeps the credentials until they are about to expire).
#[derive(Debug, Clone)]
pub struct SsoCredentialsProvider {
    config: ProviderConfig,
    settings: SsoSettings,
}

/// The cached access token: `Debug` shows its expiry only.
struct CachedToken {
    access_token: String,
    expires_at: SystemTime,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("access_token", &"** redacted **")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl SsoCredentialsProvider {
    /// Gets the credentials of the role `settings` name.
    pub fn new(config: ProviderConfig, settings: SsoSettings) -> Self {
        Self { config, settings }
    }

    /// The token cache file: `~/.aws/sso/cache/` and the hex SHA-1 of the session name (or of
    /// the start URL for a legacy profile), with `.json`.
    pub fn cache_file(&self) -> Result<PathBuf, CredentialsError> {
        let key = self
            .settings
            .session_name
            .as_deref()
            .unwrap_or(&self.settings.start_url);
        let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, key.as_bytes());
        let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        let home = self.config.env.home_dir().ok_or_else(|| {
            CredentialsError::invalid_configuration(
                "the SSO token cache is in the home directory, but HOME is not set",
            )
        })?;
        Ok(home
            .join(".aws")
            .join("sso")
            .join("cache")
            .join(format!("{hex}.json")))
    }

    fn login_hint(&self) -> String {
        format!(
            "run `aws sso login --profile {}` to sign in",
            self.settings.profile
        )
    }

    /// Reads the cached token, off the async workers (and only if the cache file is a regular
    /// file: see `Env::read_to_string`).
    async fn read_token(&self) -> Result<CachedToken, CredentialsError> {
        let path = self.cache_file()?;
        let env = self.config.env.clone();
        let file = path.clone();
        let text = super::read_files("the IAM Identity Center token cache", move || {
            env.read_to_string(&file)
        })
        .await?
        .map_err(|e| {
            CredentialsError::invalid_configuration(format!(
                "no IAM Identity Center token for profile `{}` in {}: {}",
                self.settings.profile,
                path.display(),
                self.login_hint()
            ))
            .with_source(e)
        })?;
        let invalid = |what: &str| {
            CredentialsError::invalid_configuration(format!(
                "the IAM Identity Center token cache {} {what}: {}",
                path.display(),
                self.login_hint()
            ))
        };
        let value: Value = serde_json::from_str(&text).map_err(|_| invalid("is not JSON"))?;
        let access_token = value
            .get("accessToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| invalid("has no accessToken"))?;
        let expires_at = value
            .get("expiresAt")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("has no expiresAt"))?;
        let expires_at = parse_rfc3339(expires_at)
            .map_err(|e| invalid(&format!("has a bad expiresAt ({e})")))?;
        Ok(CachedToken {
            access_token: access_token.to_owned(),
            expires_at,
        })
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let token = self.read_token().await?;
        if token.expires_at <= self.config.time.now() {
            return Err(CredentialsError::invalid_configuration(format!(
                "the IAM Identity Center session of profile `{}` has expired: {}",
                self.settings.profile,
                self.login_hint()
            )));
        }
        let http = self.config.http_client("IAM Identity Center")?;
        let region = &self.settings.region;
        let endpoint = self
            .config
            .endpoint_url(
                "SSO",
                &format!("portal.sso.{region}.{}", dns_suffix(region)),
            )
            .await?;
        let uri = format!(
            "{}/federation/credentials?account_id={}&role_name={}",
            endpoint.trim_end_matches('/'),
            utf8_percent_encode(&self.settings.account_id, STRICT),
            utf8_percent_encode(&self.settings.role_name, STRICT)
        );
        let origin = format!(
            "IAM Identity Center GetRoleCredentials for role {} of account {} at {endpoint}",
            self.settings.role_name, self.settings.account_id
        );
        let mut token_header = HeaderValue::from_str(&token.access_token).map_err(|_| {
            CredentialsError::invalid_configuration(format!(
                "the cached IAM Identity Center token has characters not allowed in a header: {}",
                self.login_hint()
            ))
        })?;
        token_header.set_sensitive(true);
        let request = Request::builder()
            .method(Method::GET)
            .uri(&uri)
            .header(TOKEN_HEADER, token_header)
            .body(Bytes::new())
            .map_err(|e| {
                CredentialsError::invalid_configuration(format!(
                    "could not build the request of {origin}"
                ))
                .with_source(e)
            })?;
        let response = fetch(http.as_ref(), request, TIMEOUT).await.map_err(|e| {
            CredentialsError::provider_error(format!("could not reach {origin}")).with_source(e)
        })?;
        if !response.status().is_success() {
            let code = response
                .headers()
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok())
                .map(|v| escape(v.split(':').next().unwrap_or(v)));
            let hint = if response.status().as_u16() == 401 {
                format!(" ({})", self.login_hint())
            } else {
                String::new()
            };
            return Err(CredentialsError::provider_error(format!(
                "{origin} failed with HTTP {}{}: {}{hint}",
                response.status().as_u16(),
                code.map(|c| format!(" {c}")).unwrap_or_default(),
                body_excerpt(&response)
            )));
        }
        parse_role_credentials(response.body())
            .map(|credentials| credentials.with_account_id(self.settings.account_id.clone()))
            .map_err(|e| CredentialsError::provider_error(format!("{origin}: {e}")))
    }
}

/// `{"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken", "expiration"}}`,
/// the expiration in milliseconds since the epoch.
fn parse_role_credentials(body: &[u8]) -> Result<Credentials, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| "the response is not JSON".to_owned())?;
    let role = value
        .get("roleCredentials")
        .ok_or("the response has no roleCredentials")?;
    let field = |name: &str| {
        role.get(name)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| format!("the response has no roleCredentials.{name}"))
    };
    let millis = role
        .get("expiration")
        .and_then(Value::as_u64)
        .ok_or("the response has no numeric roleCredentials.expiration")?;
    Ok(Credentials::new(
        field("accessKeyId")?,
        field("secretAccessKey")?,
        Some(field("sessionToken")?),
        Some(SystemTime::UNIX_EPOCH + Duration::from_millis(millis)),
        "SSO",
    ))
}

impl ProvideCredentials for SsoCredentialsProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;

    fn provider(session: Option<&str>) -> SsoCredentialsProvider {
        SsoCredentialsProvider::new(
            ProviderConfig::without_http(Env::from_vars([("HOME", "/home/dev")])),
            SsoSettings {
                session_name: session.map(str::to_owned),
                region: "us-east-1".into(),
                start_url: "https://d-123.awsapps.com/start".into(),
                account_id: "123456789012".into(),
                role_name: "Dev".into(),
                profile: "dev".into(),
            },
        )
    }

    /// The cache file names are the SHA-1 of the session name or start URL; the digests here
    /// were computed independently (`printf %s <key> | sha1sum`).
    #[test]
    fn the_cache_file_is_named_by_the_sha1_of_the_session_or_start_url() {
        assert_eq!(
            provider(Some("my-sso")).cache_file().unwrap(),
            PathBuf::from("/home/dev/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json")
        );
        assert_eq!(
            provider(None).cache_file().unwrap(),
            PathBuf::from("/home/dev/.aws/sso/cache/2b829a45f04c9828cb45b7d092d8e4aa30818393.json")
        );
    }

    #[test]
    fn reads_role_credentials_and_rejects_incomplete_ones() {
        let c = parse_role_credentials(
            br#"{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"SECRET","sessionToken":"TOKEN","expiration":1700000000123}}"#,
        )
        .unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret_access_key(), c.session_token()),
            ("ASIA", "SECRET", Some("TOKEN"))
        );
        assert_eq!(
            c.expiry(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_123))
        );
        for (body, expected) in [
            (&b"nope"[..], "not JSON"),
            (br#"{"other":1}"#, "no roleCredentials"),
            (
                br#"{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"SECRET","sessionToken":"T"}}"#,
                "expiration",
            ),
            (
                br#"{"roleCredentials":{"secretAccessKey":"SECRET","sessionToken":"T","expiration":1}}"#,
                "accessKeyId",
            ),
        ] {
            let err = parse_role_credentials(body).unwrap_err();
            assert!(err.contains(expected), "{err}");
            assert!(!err.contains("SECRET"));
        }
    }
}

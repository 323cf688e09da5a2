//! Authentication: which scheme a call uses, and how a request carries it.
//!
//! Every generated operation lists the schemes its model allows, in order of preference
//! ([`Operation::AUTH`](crate::contract::operation::Operation::AUTH)). For each call the runtime
//! uses the first one the configuration can satisfy ([`select_auth_scheme`]):
//!
//! | scheme | Smithy trait | needs in the configuration |
//! |---|---|---|
//! | [`AuthScheme::SigV4`] | `aws.auth#sigv4` | a credentials provider and a region |
//! | [`AuthScheme::Bearer`] | `smithy.api#httpBearerAuth` | `bearer_token(..)` |
//! | [`AuthScheme::ApiKey`] | `smithy.api#httpApiKeyAuth` | `api_key(..)` |
//! | [`AuthScheme::Basic`] | `smithy.api#httpBasicAuth` | `basic_auth(username, password)` |
//! | [`AuthScheme::Anonymous`] | `@optionalAuth`, `@auth([])`, no auth trait | nothing |
//!
//! The secrets ([`Token`](crate::contract::identity::Token), [`ApiKey`],
//! [`BasicAuth`]) never show in `Debug` output or in error
//! messages, and the headers that carry them are marked sensitive.

use std::fmt;

use http::header::{HeaderName, HeaderValue, AUTHORIZATION};

use crate::codec::http_binding::{base64_encode, encode_query};
use crate::config::{Config, ConfigError};
use crate::contract::auth::{ApiKeyLocation, AuthScheme};
use crate::contract::error::BoxError;
use crate::contract::http::HttpRequest;
use crate::contract::identity::{ApiKey, BasicAuth, ProvideToken, SharedTokenProvider};
use crate::credentials::SharedCredentialsProvider;

/// The scheme chosen for a call, with what the configuration provides for it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum SelectedAuth {
    /// Sign with SigV4 (every attempt is signed again).
    SigV4(SharedCredentialsProvider),
    /// Send `Authorization: Bearer <token>`.
    Bearer(SharedTokenProvider),
    /// Send the API key.
    ApiKey {
        /// The header or query parameter name.
        name: &'static str,
        /// Where the key goes.
        location: ApiKeyLocation,
        /// For a header: the scheme before the key.
        scheme: Option<&'static str>,
        /// The key.
        key: ApiKey,
    },
    /// Send `Authorization: Basic ...`.
    Basic(BasicAuth),
    /// Send no credentials.
    Anonymous,
}

impl SelectedAuth {
    /// The scheme this selection is for.
    pub fn scheme(&self) -> AuthScheme {
        match self {
            SelectedAuth::SigV4(_) => AuthScheme::SigV4,
            SelectedAuth::Bearer(_) => AuthScheme::Bearer,
            SelectedAuth::ApiKey {
                name,
                location,
                scheme,
                ..
            } => AuthScheme::ApiKey {
                name,
                location: *location,
                scheme: *scheme,
            },
            SelectedAuth::Basic(_) => AuthScheme::Basic,
            SelectedAuth::Anonymous => AuthScheme::Anonymous,
        }
    }
}

/// The class of an [`AuthError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// The configuration satisfies none of the operation's schemes.
    NotConfigured,
    /// The token provider failed.
    TokenProvider,
    /// A configured secret cannot be put into a request (e.g. a control character in a header
    /// value), or the model's header name is not valid.
    InvalidValue,
}

/// A call could not be authenticated. The message names what to configure and never contains
/// a secret.
#[derive(Debug)]
pub struct AuthError {
    kind: AuthErrorKind,
    message: String,
    source: Option<BoxError>,
}

impl AuthError {
    fn new(kind: AuthErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> AuthErrorKind {
        self.kind
    }

    /// What is wrong and how to fix it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn std::error::Error + 'static))
    }
}

/// Chooses the first of `schemes` that `config` can satisfy (SigV4: a credentials provider and
/// a region; bearer: a token; API key: a key; basic: a username and password; anonymous:
/// always). When none can be, the error says, for each scheme, what to configure.
pub fn select_auth_scheme(
    schemes: &[AuthScheme],
    config: &Config,
) -> Result<SelectedAuth, AuthError> {
    // Filled only when a scheme cannot be used (no allocation on the usual path).
    let mut missing = Vec::new();
    for scheme in schemes {
        match *scheme {
            AuthScheme::SigV4 => match (config.credentials_provider(), config.region()) {
                (Some(credentials), Some(_)) => {
                    return Ok(SelectedAuth::SigV4(credentials.clone()))
                }
                (credentials, region) => {
                    let mut needs = Vec::new();
                    if region.is_none() {
                        needs.push(ConfigError::missing_region().message().to_owned());
                    }
                    if credentials.is_none() {
                        needs.push(ConfigError::missing_credentials().message().to_owned());
                    }
                    missing.push((scheme, needs.join("; ")));
                }
            },
            AuthScheme::Bearer => match config.bearer_token_provider() {
                Some(provider) => return Ok(SelectedAuth::Bearer(provider.clone())),
                None => missing.push((
                    scheme,
                    "no bearer token is configured: set one with `config::Builder::bearer_token` \
                     (for example `Token::new(\"...\", None)`)"
                        .to_owned(),
                )),
            },
            AuthScheme::ApiKey {
                name,
                location,
                scheme: prefix,
            } => match config.api_key() {
                Some(key) => {
                    return Ok(SelectedAuth::ApiKey {
                        name,
                        location,
                        scheme: prefix,
                        key: key.clone(),
                    })
                }
                None => {
                    let place = match location {
                        ApiKeyLocation::Header => format!("header `{name}`"),
                        ApiKeyLocation::Query => format!("query parameter `{name}`"),
                    };
                    missing.push((
                        scheme,
                        format!(
                            "no API key is configured: set one with `config::Builder::api_key` \
                             (it is sent in the {place})"
                        ),
                    ));
                }
            },
            AuthScheme::Basic => match config.basic_auth() {
                Some(basic) => return Ok(SelectedAuth::Basic(basic.clone())),
                None => missing.push((
                    scheme,
                    "no username and password are configured: set them with \
                     `config::Builder::basic_auth`"
                        .to_owned(),
                )),
            },
            AuthScheme::Anonymous => return Ok(SelectedAuth::Anonymous),
        }
    }
    let message = match missing.as_slice() {
        [] => "the operation accepts no authentication scheme this client supports".to_owned(),
        [(_, only)] => only.clone(),
        several => {
            let list: Vec<String> = several
                .iter()
                .map(|(scheme, needs)| format!("{}: {needs}", scheme.shape_id()))
                .collect();
            format!(
                "the configuration satisfies none of the operation's authentication schemes; \
                 configure one of them ({})",
                list.join(" | ")
            )
        }
    };
    Err(AuthError::new(AuthErrorKind::NotConfigured, message))
}

/// Adds the credentials of a non-SigV4 scheme to `request` (whose URI is complete). SigV4 and
/// anonymous leave the request alone: the orchestrator signs SigV4 requests itself.
pub async fn apply_auth(
    selected: &SelectedAuth,
    request: &mut HttpRequest,
) -> Result<(), AuthError> {
    match selected {
        SelectedAuth::SigV4(_) | SelectedAuth::Anonymous => Ok(()),
        SelectedAuth::Bearer(provider) => {
            let token = provider.provide_token().await.map_err(|err| AuthError {
                kind: AuthErrorKind::TokenProvider,
                message: "failed to load the bearer token".to_owned(),
                source: Some(Box::new(err)),
            })?;
            let value = secret_header(&format!("Bearer {}", token.token()), "the bearer token")?;
            request.headers_mut().insert(AUTHORIZATION, value);
            Ok(())
        }
        SelectedAuth::ApiKey {
            name,
            location: ApiKeyLocation::Header,
            scheme,
            key,
        } => {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                AuthError::new(
                    AuthErrorKind::InvalidValue,
                    format!("the model's API key header name {name:?} is not a valid header name"),
                )
            })?;
            let text = match scheme {
                Some(scheme) => format!("{scheme} {}", key.key()),
                None => key.key().to_owned(),
            };
            let value = secret_header(&text, "the API key")?;
            request.headers_mut().insert(header, value);
            Ok(())
        }
        SelectedAuth::ApiKey {
            name,
            location: ApiKeyLocation::Query,
            key,
            ..
        } => {
            let uri = with_query_param(request.uri(), name, key.key())?;
            *request.uri_mut() = uri;
            Ok(())
        }
        SelectedAuth::Basic(basic) => {
            let encoded =
                base64_encode(format!("{}:{}", basic.username(), basic.password()).as_bytes());
            let value = secret_header(&format!("Basic {encoded}"), "the username")?;
            request.headers_mut().insert(AUTHORIZATION, value);
            Ok(())
        }
    }
}

/// A sensitive header value holding a secret; the error names `what` without the value.
fn secret_header(text: &str, what: &str) -> Result<HeaderValue, AuthError> {
    let mut value = HeaderValue::from_str(text).map_err(|_| {
        AuthError::new(
            AuthErrorKind::InvalidValue,
            format!("{what} cannot be sent in a header: it contains a character that is not allowed in header values"),
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// `uri` with `name=value` (both percent-encoded) added to its query.
fn with_query_param(uri: &http::Uri, name: &str, value: &str) -> Result<http::Uri, AuthError> {
    let mut parts = uri.clone().into_parts();
    let (path, query) = match &parts.path_and_query {
        Some(pq) => (pq.path().to_owned(), pq.query().map(str::to_owned)),
        None => ("/".to_owned(), None),
    };
    let param = format!("{}={}", encode_query(name), encode_query(value));
    let joined = match query.as_deref() {
        None | Some("") => format!("{path}?{param}"),
        Some(query) => format!("{path}?{query}&{param}"),
    };
    parts.path_and_query = Some(joined.parse().map_err(|_| {
        AuthError::new(
            AuthErrorKind::InvalidValue,
            format!("the API key query parameter {name:?} cannot be added to the request URI"),
        )
    })?);
    http::Uri::from_parts(parts).map_err(|_| {
        AuthError::new(
            AuthErrorKind::InvalidValue,
            format!("the API key query parameter {name:?} cannot be added to the request URI"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_encoded_and_appended() {
        let uri: http::Uri = "https://example.com/a/b?x=1".parse().unwrap();
        let out = with_query_param(&uri, "api key", "k+y/=&?").unwrap();
        assert_eq!(
            out.to_string(),
            "https://example.com/a/b?x=1&api%20key=k%2By%2F%3D%26%3F"
        );
        let bare: http::Uri = "http://127.0.0.1:8080/op".parse().unwrap();
        assert_eq!(
            with_query_param(&bare, "k", "v").unwrap().to_string(),
            "http://127.0.0.1:8080/op?k=v"
        );
        let trailing: http::Uri = "https://example.com/op?".parse().unwrap();
        assert_eq!(
            with_query_param(&trailing, "k", "v").unwrap().to_string(),
            "https://example.com/op?k=v"
        );
    }
}

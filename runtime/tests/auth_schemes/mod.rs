//! Authentication schemes through the orchestrator (a module of `orchestrator_pipeline`): which
//! scheme a call uses for a given configuration, what each scheme puts into the request
//! (captured by a replay client or a local server), retries re-authenticating, and the error
//! when nothing can be used.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::support::*;
use smithy_rust_runtime::config::{Builder, Config};
use smithy_rust_runtime::contract::auth::{ApiKeyLocation, AuthScheme};
use smithy_rust_runtime::contract::error::{BuildError, SdkError};
use smithy_rust_runtime::contract::http::{HttpRequest, HttpResponse};
use smithy_rust_runtime::contract::identity::{
    ApiKey, BasicAuth, ProvideToken, SharedTokenProvider, Token, TokenError, TokenFuture,
};
use smithy_rust_runtime::contract::operation::{Operation, ResponseFailure, SerializeContext};
use smithy_rust_runtime::env::region::Region;
use smithy_rust_runtime::orchestrator::auth::{
    select_auth_scheme, AuthError, AuthErrorKind, SelectedAuth,
};
use smithy_rust_runtime::orchestrator::handle::Handle;
use smithy_rust_runtime::test_util::{CannedResponse, ReplayClient};

const HEADER_KEY: AuthScheme = AuthScheme::ApiKey {
    name: "X-Api-Key",
    location: ApiKeyLocation::Header,
    scheme: None,
};
const PREFIXED_KEY: AuthScheme = AuthScheme::ApiKey {
    name: "Authorization",
    location: ApiKeyLocation::Header,
    scheme: Some("ApiKey"),
};
const QUERY_KEY: AuthScheme = AuthScheme::ApiKey {
    name: "api key",
    location: ApiKeyLocation::Query,
    scheme: None,
};

/// An operation like `Echo` accepting the given schemes.
macro_rules! auth_op {
    ($name:ident, $($scheme:expr),*) => {
        struct $name;

        impl Operation for $name {
            type Input = EchoInput;
            type Output = EchoOutput;
            type Error = EchoError;
            const NAME: &'static str = stringify!($name);
            const AUTH: &'static [AuthScheme] = &[$($scheme),*];

            fn validate(input: &EchoInput) -> Result<(), BuildError> {
                Echo::validate(input)
            }

            fn serialize(
                input: &EchoInput,
                ctx: &SerializeContext,
            ) -> Result<HttpRequest, BuildError> {
                Echo::serialize(input, ctx)
            }

            fn deserialize(
                response: &HttpResponse,
            ) -> Result<EchoOutput, ResponseFailure<EchoError>> {
                Echo::deserialize(response)
            }
        }
    };
}

auth_op!(BearerOnly, AuthScheme::Bearer);
auth_op!(HeaderKeyOnly, HEADER_KEY);
auth_op!(PrefixedKeyOnly, PREFIXED_KEY);
auth_op!(QueryKeyOnly, QUERY_KEY);
auth_op!(BasicOnly, AuthScheme::Basic);
auth_op!(AnonymousOnly, AuthScheme::Anonymous);
auth_op!(
    SigV4ThenBearer,
    AuthScheme::SigV4,
    AuthScheme::Bearer,
    AuthScheme::Anonymous
);
auth_op!(
    KeyThenSigV4,
    HEADER_KEY,
    AuthScheme::SigV4,
    AuthScheme::Basic
);

fn ok() -> CannedResponse {
    CannedResponse::new(200).body(r#"{"message":"hi"}"#)
}

/// A configuration with no region and no credentials, answering from `client`.
fn bare(client: &ReplayClient) -> Builder {
    Builder::new()
        .endpoint_url("https://auth.example.com")
        .retry_config(fast_retries(3))
        .http_client(client.clone())
}

async fn send<O: Operation<Input = EchoInput>>(
    config: Config,
) -> Result<O::Output, SdkError<O::Error>> {
    Handle::new(config, &META).call::<O>(input("a"), None).await
}

fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn bearer_token_goes_into_the_authorization_header_without_region_or_credentials() {
    let client = ReplayClient::new([]).with_fallback(ok());
    let config = bare(&client)
        .bearer_token(Token::new("tok-123", None))
        .build();
    send::<BearerOnly>(config).await.unwrap();
    let requests = client.requests();
    assert_eq!(requests.len(), 1);
    let auth = requests[0].headers().get("authorization").unwrap();
    assert_eq!(auth.to_str().unwrap(), "Bearer tok-123");
    assert!(auth.is_sensitive());
    assert!(header(&requests[0], "x-amz-date").is_none());
    assert_eq!(
        requests[0].uri().to_string(),
        "https://auth.example.com/echo?mode=test"
    );
}

#[tokio::test]
async fn api_keys_go_into_their_header_with_an_optional_scheme() {
    let client = ReplayClient::new([]).with_fallback(ok());
    let config = bare(&client).api_key("key-456").build();
    send::<HeaderKeyOnly>(config.clone()).await.unwrap();
    send::<PrefixedKeyOnly>(config).await.unwrap();
    let requests = client.requests();
    assert_eq!(header(&requests[0], "x-api-key"), Some("key-456"));
    assert!(requests[0]
        .headers()
        .get("x-api-key")
        .unwrap()
        .is_sensitive());
    assert!(requests[0].headers().get("authorization").is_none());
    assert_eq!(
        header(&requests[1], "authorization"),
        Some("ApiKey key-456")
    );
}

#[tokio::test]
async fn api_keys_in_the_query_are_percent_encoded_and_keep_the_existing_query() {
    let client = ReplayClient::new([]).with_fallback(ok());
    let config = bare(&client).api_key(ApiKey::new("k/y+1 &=")).build();
    send::<QueryKeyOnly>(config).await.unwrap();
    let requests = client.requests();
    assert_eq!(
        requests[0].uri().to_string(),
        "https://auth.example.com/echo?mode=test&api%20key=k%2Fy%2B1%20%26%3D"
    );
    assert!(requests[0].headers().get("authorization").is_none());
}

#[tokio::test]
async fn basic_auth_sends_base64_of_username_colon_password() {
    let client = ReplayClient::new([]).with_fallback(ok());
    let config = bare(&client).basic_auth("Aladdin", "open sesame").build();
    send::<BasicOnly>(config).await.unwrap();
    // The example of RFC 7617, section 2.
    assert_eq!(
        header(&client.requests()[0], "authorization"),
        Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    );
}

#[tokio::test]
async fn anonymous_sends_no_credentials_even_when_some_are_configured() {
    let client = ReplayClient::new([]).with_fallback(ok());
    send::<AnonymousOnly>(bare(&client).build()).await.unwrap();
    let configured = bare(&client)
        .region(Region::new("us-east-1"))
        .credentials_provider(test_credentials())
        .bearer_token(Token::new("tok", None))
        .build();
    send::<AnonymousOnly>(configured).await.unwrap();
    for request in client.requests() {
        assert!(request.headers().get("authorization").is_none());
        assert!(request.headers().get("x-amz-date").is_none());
    }
}

#[tokio::test]
async fn the_first_scheme_the_configuration_satisfies_is_used() {
    let client = ReplayClient::new([]).with_fallback(ok());
    // SigV4 first: used when credentials and a region are there.
    let full = bare(&client)
        .region(Region::new("us-east-1"))
        .credentials_provider(test_credentials())
        .bearer_token(Token::new("tok", None))
        .build();
    send::<SigV4ThenBearer>(full).await.unwrap();
    // Credentials without a region do not satisfy SigV4: the bearer token is used.
    let no_region = bare(&client)
        .credentials_provider(test_credentials())
        .bearer_token(Token::new("tok", None))
        .build();
    send::<SigV4ThenBearer>(no_region).await.unwrap();
    // Nothing configured: the anonymous fallback.
    send::<SigV4ThenBearer>(bare(&client).build())
        .await
        .unwrap();
    // API key before SigV4 in the operation's list wins over complete SigV4 settings.
    let both = bare(&client)
        .region(Region::new("us-east-1"))
        .credentials_provider(test_credentials())
        .api_key("key")
        .build();
    send::<KeyThenSigV4>(both).await.unwrap();

    let requests = client.requests();
    let sigv4 = header(&requests[0], "authorization").unwrap();
    assert!(
        sigv4.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{sigv4}"
    );
    assert_eq!(header(&requests[1], "authorization"), Some("Bearer tok"));
    assert!(header(&requests[1], "x-amz-date").is_none());
    assert!(header(&requests[2], "authorization").is_none());
    assert_eq!(header(&requests[3], "x-api-key"), Some("key"));
    assert!(header(&requests[3], "authorization").is_none());
}

#[test]
fn selection_is_visible_and_per_scheme() {
    let config = Builder::new().basic_auth("u", "p").api_key("k").build();
    let selected =
        select_auth_scheme(&[AuthScheme::SigV4, QUERY_KEY, AuthScheme::Basic], &config).unwrap();
    assert_eq!(selected.scheme(), QUERY_KEY);
    assert!(matches!(selected, SelectedAuth::ApiKey { ref key, .. } if key.key() == "k"));
    let selected = select_auth_scheme(&[AuthScheme::Basic, QUERY_KEY], &config).unwrap();
    assert_eq!(selected.scheme(), AuthScheme::Basic);
    let err = select_auth_scheme(&[], &config).unwrap_err();
    assert_eq!(err.kind(), AuthErrorKind::NotConfigured);
}

#[tokio::test]
async fn when_nothing_is_configured_the_error_names_what_each_scheme_needs() {
    let client = ReplayClient::new([]).with_fallback(ok());
    let err = send::<KeyThenSigV4>(bare(&client).build())
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let auth = auth_error(&err);
    assert_eq!(auth.kind(), AuthErrorKind::NotConfigured);
    let text = auth.to_string();
    for needle in [
        "smithy.api#httpApiKeyAuth: no API key is configured",
        "`config::Builder::api_key`",
        "header `X-Api-Key`",
        "aws.auth#sigv4: no region is configured",
        "no credentials provider is configured",
        "smithy.api#httpBasicAuth: no username and password are configured",
        "`config::Builder::basic_auth`",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from: {text}");
    }
    let err = send::<BearerOnly>(bare(&client).build()).await.unwrap_err();
    let text = auth_error(&err).to_string();
    assert_eq!(
        auth_error(&err).message(),
        text,
        "the message is what Display shows"
    );
    assert!(text.starts_with("no bearer token is configured"), "{text}");
    assert!(text.contains("`config::Builder::bearer_token`"), "{text}");
    let err = send::<QueryKeyOnly>(bare(&client).build())
        .await
        .unwrap_err();
    let text = auth_error(&err).to_string();
    assert!(text.contains("query parameter `api key`"), "{text}");
    assert_eq!(client.requests().len(), 0);
}

/// A token provider counting its calls and giving a new token each time.
#[derive(Debug, Default)]
struct Rotating(AtomicUsize);

impl ProvideToken for Rotating {
    fn provide_token(&self) -> TokenFuture<'_> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(std::future::ready(Ok(Token::new(format!("tok-{n}"), None))))
    }
}

#[derive(Debug)]
struct Failing;

impl ProvideToken for Failing {
    fn provide_token(&self) -> TokenFuture<'_> {
        Box::pin(std::future::ready(Err(TokenError::new(
            "the token service is down",
        ))))
    }
}

#[tokio::test]
async fn every_attempt_asks_the_token_provider_again_over_the_wire() {
    let server = TestServer::sequence(vec![
        Action::error(503, "ServiceUnavailableException"),
        Action::json(200, r#"{"message":"hi"}"#),
    ])
    .await;
    let rotating = Arc::new(Rotating::default());
    let config = local_config(&server.url())
        .set_region(None)
        .set_credentials_provider(None)
        .set_bearer_token(Some(SharedTokenProvider::new(ArcProvider(
            rotating.clone(),
        ))))
        .build();
    send::<BearerOnly>(config).await.unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("authorization"), Some("Bearer tok-0"));
    assert_eq!(seen[1].header("authorization"), Some("Bearer tok-1"));
    assert_eq!(seen[1].json()["name"], "a");
    assert_eq!(rotating.0.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_query_api_key_reaches_the_server_in_the_request_target() {
    let server = TestServer::always(Action::json(200, r#"{"message":"hi"}"#)).await;
    let config = local_config(&server.url())
        .set_credentials_provider(None)
        .api_key("k/1")
        .build();
    send::<QueryKeyOnly>(config).await.unwrap();
    let seen = server.requests();
    assert_eq!(seen[0].target, "/echo?mode=test&api%20key=k%2F1");
    assert!(seen[0].header("authorization").is_none());
}

#[tokio::test]
async fn no_connection_is_attempted_when_no_scheme_can_be_used() {
    // Nothing listens on the port: a request that was sent would fail as a dispatch failure.
    let port = closed_port().await;
    let config = local_config(&format!("http://127.0.0.1:{port}"))
        .set_credentials_provider(None)
        .build();
    let err = send::<BearerOnly>(config).await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
}

#[derive(Debug)]
struct ArcProvider(Arc<Rotating>);

impl ProvideToken for ArcProvider {
    fn provide_token(&self) -> TokenFuture<'_> {
        self.0.provide_token()
    }
}

#[tokio::test]
async fn token_provider_failures_and_invalid_secrets_fail_without_sending() {
    let client = ReplayClient::new([]).with_fallback(ok());
    let err = send::<BearerOnly>(bare(&client).bearer_token(Failing).build())
        .await
        .unwrap_err();
    let auth = auth_error(&err);
    assert_eq!(auth.kind(), AuthErrorKind::TokenProvider);
    assert_eq!(auth.message(), "failed to load the bearer token");
    let cause = std::error::Error::source(auth).unwrap().to_string();
    assert_eq!(cause, "the token service is down");

    let err = send::<HeaderKeyOnly>(bare(&client).api_key("bad\nkey-secret").build())
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(!text.contains("key-secret"), "{text}");
    let auth = auth_error(&err);
    assert_eq!(auth.kind(), AuthErrorKind::InvalidValue);
    assert_eq!(client.requests().len(), 0);
}

#[test]
fn configuration_debug_shows_no_secret() {
    let config = Builder::new()
        .bearer_token(Token::new("tok-secret", None))
        .api_key("key-secret")
        .basic_auth("user-secret", "pass-secret")
        .build();
    let text = format!(
        "{config:?} {:?} {:?}",
        config.to_builder(),
        config.basic_auth()
    );
    for secret in ["tok-secret", "key-secret", "user-secret", "pass-secret"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    assert!(text.contains("bearer_token: Some(\"<set>\")"), "{text}");
    assert_eq!(config.api_key().map(ApiKey::key), Some("key-secret"));
    assert_eq!(
        config.basic_auth().map(BasicAuth::password),
        Some("pass-secret")
    );
    // Per-call overrides replace the client's secrets.
    let overridden = config.with_override(Builder::new().api_key("other"));
    assert_eq!(overridden.api_key().map(ApiKey::key), Some("other"));
    assert!(overridden.bearer_token_provider().is_some());
}

/// The authentication error a construction failure reports.
fn auth_error<E>(err: &SdkError<E>) -> &AuthError {
    match err {
        SdkError::ConstructionFailure(failure) => failure
            .source_error()
            .downcast_ref::<AuthError>()
            .expect("an authentication error"),
        _ => panic!("expected a construction failure"),
    }
}

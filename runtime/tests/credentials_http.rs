//! ECS container and EC2 instance metadata (IMDSv2) providers, and the default chain, against
//! fake HTTP servers on 127.0.0.1 started by the tests.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use smithy_rust_runtime::contract::http::{BoxFuture, ConnectorError, HttpClient};
use smithy_rust_runtime::contract::http::{HttpRequest, HttpResponse};
use smithy_rust_runtime::contract::time::{SharedTimeSource, StaticTimeSource};
use smithy_rust_runtime::credentials::{
    default_credentials_provider, CredentialsErrorKind, EcsCredentialsProvider,
    ImdsCredentialsProvider, ProvideCredentials,
};
use smithy_rust_runtime::env::Env;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A minimal HTTP client for these tests over hyper-util's legacy client (plain http only).
#[derive(Debug)]
struct TestClient(Client<HttpConnector, Full<Bytes>>);

impl TestClient {
    fn shared() -> Arc<dyn HttpClient> {
        Arc::new(Self(Client::builder(TokioExecutor::new()).build_http()))
    }
}

impl HttpClient for TestClient {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let response = self
                .0
                .request(http::Request::from_parts(parts, Full::new(body)))
                .await
                .map_err(ConnectorError::io)?;
            let (parts, body) = response.into_parts();
            let body = body.collect().await.map_err(ConnectorError::io)?.to_bytes();
            Ok(http::Response::from_parts(parts, body))
        })
    }
}

/// A client that never touches the network: records requests, answers from a canned response.
#[derive(Debug, Default)]
struct RecordingClient {
    uris: Mutex<Vec<String>>,
    body: String,
}

impl HttpClient for RecordingClient {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        self.uris.lock().unwrap().push(request.uri().to_string());
        let response = http::Response::builder()
            .status(200)
            .body(Bytes::from(self.body.clone()))
            .unwrap();
        Box::pin(std::future::ready(Ok(response)))
    }
}

#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// (method, path, status, body)
type Route = (&'static str, String, u16, String);

struct FakeServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl FakeServer {
    /// Answers each request from `routes` (404 otherwise); `silent` accepts but never answers.
    async fn start(routes: Vec<Route>, silent: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        let routes = Arc::new(routes);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let routes = routes.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    if silent {
                        let _keep_open = socket;
                        tokio::time::sleep(Duration::from_secs(30)).await;
                        return;
                    }
                    handle(socket, &routes, &log).await;
                });
            }
        });
        Self { addr, requests }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

async fn handle(mut socket: TcpStream, routes: &[Route], log: &Mutex<Vec<Recorded>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap().split(' ');
    let method = request_line.next().unwrap().to_owned();
    let path = request_line.next().unwrap().to_owned();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    log.lock().unwrap().push(Recorded {
        method: method.clone(),
        path: path.clone(),
        headers,
    });
    let (status, body) = routes
        .iter()
        .find(|(m, p, _, _)| *m == method && *p == path)
        .map(|(_, _, s, b)| (*s, b.clone()))
        .unwrap_or((404, "not found".to_owned()));
    let response = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = socket.write_all(response.as_bytes()).await;
    let _ = socket.shutdown().await;
}

const ROLE_JSON: &str = r#"{
  "Code" : "Success",
  "LastUpdated" : "2024-01-01T00:00:00Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "IMDSKEY",
  "SecretAccessKey" : "IMDSSECRET",
  "Token" : "IMDSTOKEN",
  "Expiration" : "2030-01-01T00:00:00Z"
}"#;

const ECS_JSON: &str = r#"{"AccessKeyId":"ECSKEY","SecretAccessKey":"ECSSECRET","Token":"ECSTOKEN","Expiration":"2030-01-01T00:00:00Z","RoleArn":"arn:aws:iam::123456789012:role/task"}"#;

// 2030-01-01T00:00:00Z
fn y2030() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_893_456_000)
}

fn imds_routes(role_json: &str) -> Vec<Route> {
    vec![
        ("PUT", "/latest/api/token".into(), 200, "IMDSV2TOKEN".into()),
        (
            "GET",
            "/latest/meta-data/iam/security-credentials/".into(),
            200,
            "my-role\n".into(),
        ),
        (
            "GET",
            "/latest/meta-data/iam/security-credentials/my-role".into(),
            200,
            role_json.into(),
        ),
    ]
}

#[tokio::test]
async fn imds_v2_token_then_role_then_credentials() {
    let server = FakeServer::start(imds_routes(ROLE_JSON), false).await;
    let env = Env::from_vars([(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        format!("{}/", server.url()),
    )]);
    let creds = ImdsCredentialsProvider::new(env, TestClient::shared())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "IMDSKEY");
    assert_eq!(creds.secret_access_key(), "IMDSSECRET");
    assert_eq!(creds.session_token(), Some("IMDSTOKEN"));
    assert_eq!(creds.expiry(), Some(y2030()));
    assert_eq!(creds.provider_name(), "Ec2InstanceMetadata");

    let requests = server.requests();
    let summary: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("PUT", "/latest/api/token"),
            ("GET", "/latest/meta-data/iam/security-credentials/"),
            ("GET", "/latest/meta-data/iam/security-credentials/my-role"),
        ]
    );
    assert_eq!(
        requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    for get in &requests[1..] {
        assert_eq!(get.header("x-aws-ec2-metadata-token"), Some("IMDSV2TOKEN"));
    }
}

#[tokio::test]
async fn imds_without_a_role_is_not_loaded() {
    let routes = vec![("PUT", "/latest/api/token".into(), 200, "T".into())];
    let server = FakeServer::start(routes, false).await;
    let env = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url())]);
    let err = ImdsCredentialsProvider::new(env, TestClient::shared())
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    assert!(err.to_string().contains("no IAM role"), "{err}");
}

#[tokio::test]
async fn imds_error_code_in_role_document_is_a_provider_error() {
    let failing = r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"not allowed"}"#;
    let server = FakeServer::start(imds_routes(failing), false).await;
    let env = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url())]);
    let err = ImdsCredentialsProvider::new(env, TestClient::shared())
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    assert!(
        err.to_string()
            .contains("Code `AssumeRoleUnauthorizedAccess`: not allowed"),
        "{err}"
    );
}

#[tokio::test]
async fn imds_disabled_sends_nothing() {
    let server = FakeServer::start(imds_routes(ROLE_JSON), false).await;
    let env = Env::from_vars([
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url()),
        ("AWS_EC2_METADATA_DISABLED", "TRUE".to_owned()),
    ]);
    let err = ImdsCredentialsProvider::new(env, TestClient::shared())
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    assert!(
        err.to_string().contains("AWS_EC2_METADATA_DISABLED"),
        "{err}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn imds_unreachable_or_silent_is_not_loaded() {
    // Nothing listens on this port any more.
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    };
    let env = Env::from_vars([(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        format!("http://{closed}"),
    )]);
    let err = ImdsCredentialsProvider::new(env, TestClient::shared())
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded, "{err}");

    let silent = FakeServer::start(Vec::new(), true).await;
    let env = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", silent.url())]);
    let started = std::time::Instant::now();
    let err = ImdsCredentialsProvider::new(env, TestClient::shared())
        .with_timeout(Duration::from_millis(200))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
    let text = report(&err);
    assert!(
        text.contains("no instance metadata service answered PUT"),
        "{text}"
    );
    assert!(text.contains("no response within"), "{text}");
}

#[tokio::test]
async fn ecs_full_uri_with_authorization_token() {
    let routes = vec![("GET", "/creds".into(), 200, ECS_JSON.into())];
    let server = FakeServer::start(routes, false).await;
    let env = Env::from_vars([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", server.url()),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic c2VjcmV0".into()),
    ]);
    let creds = EcsCredentialsProvider::new(env, TestClient::shared())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ECSKEY");
    assert_eq!(creds.secret_access_key(), "ECSSECRET");
    assert_eq!(creds.session_token(), Some("ECSTOKEN"));
    assert_eq!(creds.expiry(), Some(y2030()));
    assert_eq!(creds.provider_name(), "EcsContainer");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].header("authorization"), Some("Basic c2VjcmV0"));
}

#[tokio::test]
async fn ecs_token_file_wins_over_token_variable() {
    let routes = vec![("GET", "/creds".into(), 200, ECS_JSON.into())];
    let server = FakeServer::start(routes, false).await;
    let env = Env::from_vars([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", server.url()),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable".into()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            "/var/run/token".into(),
        ),
    ])
    .with_file("/var/run/token", "from-file\n");
    EcsCredentialsProvider::new(env, TestClient::shared())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("from-file")
    );
}

#[tokio::test]
async fn ecs_relative_uri_goes_to_the_container_agent() {
    let client = Arc::new(RecordingClient {
        body: ECS_JSON.into(),
        ..RecordingClient::default()
    });
    let env = Env::from_vars([(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "/v2/credentials/abc?x=1",
    )]);
    let creds = EcsCredentialsProvider::new(env, client.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ECSKEY");
    assert_eq!(
        *client.uris.lock().unwrap(),
        ["http://169.254.170.2/v2/credentials/abc?x=1"]
    );
}

#[tokio::test]
async fn ecs_full_uri_over_plain_http_to_a_remote_host_is_refused() {
    let client = Arc::new(RecordingClient::default());
    for uri in [
        "http://example.com/creds",
        "ftp://127.0.0.1/creds",
        "not a uri",
    ] {
        let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri)]);
        let err = EcsCredentialsProvider::new(env, client.clone())
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(
            err.kind(),
            CredentialsErrorKind::InvalidConfiguration,
            "{uri}"
        );
        assert!(
            err.to_string()
                .contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
            "{err}"
        );
    }
    assert!(client.uris.lock().unwrap().is_empty());
}

#[tokio::test]
async fn ecs_server_error_is_reported() {
    let routes = vec![("GET", "/creds".into(), 500, "internal trouble".into())];
    let server = FakeServer::start(routes, false).await;
    let env = Env::from_vars([(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        format!("{}/creds", server.url()),
    )]);
    let err = EcsCredentialsProvider::new(env, TestClient::shared())
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    let text = err.to_string();
    assert!(text.contains("HTTP 500"), "{text}");
    assert!(text.contains("internal trouble"), "{text}");
}

fn clock() -> SharedTimeSource {
    // 2029-12-31T00:00:00Z: the served credentials are valid for another day.
    SharedTimeSource::new(StaticTimeSource::from_secs(1_893_456_000 - 86_400))
}

#[tokio::test]
async fn default_chain_prefers_environment_then_uses_ecs_and_caches() {
    let routes = vec![("GET", "/creds".into(), 200, ECS_JSON.into())];
    let server = FakeServer::start(routes, false).await;
    let full_uri = format!("{}/creds", server.url());

    let env = Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "ENVKEY".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "ENVSECRET".to_owned()),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full_uri.clone()),
    ]);
    let provider = default_credentials_provider(env, TestClient::shared(), clock());
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "EnvironmentVariable");
    assert!(server.requests().is_empty());

    let env = Env::from_vars([
        ("HOME", "/home/nobody".to_owned()),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full_uri),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
    ]);
    let provider = default_credentials_provider(env, TestClient::shared(), clock());
    let first = provider.provide_credentials().await.unwrap();
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(first.provider_name(), "EcsContainer");
    assert_eq!(first, second);
    assert_eq!(
        server.requests().len(),
        1,
        "the second call is served from the cache"
    );
    let debug = format!("{provider:?}");
    assert!(debug.contains("ECSKEY"), "{debug}");
    assert!(
        !debug.contains("ECSSECRET") && !debug.contains("ECSTOKEN"),
        "{debug}"
    );
}

#[tokio::test]
async fn default_chain_profile_before_ecs() {
    let client = Arc::new(RecordingClient {
        body: ECS_JSON.into(),
        ..RecordingClient::default()
    });
    let env = Env::from_vars([
        ("HOME", "/h"),
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds"),
    ])
    .with_file(
        "/h/.aws/credentials",
        "[default]\naws_access_key_id = PROFKEY\naws_secret_access_key = PROFSECRET\n",
    );
    let provider = default_credentials_provider(env, client.clone(), clock());
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "PROFKEY");
    assert!(client.uris.lock().unwrap().is_empty());
}

#[tokio::test]
async fn default_chain_falls_through_to_imds() {
    let server = FakeServer::start(imds_routes(ROLE_JSON), false).await;
    let env = Env::from_vars([
        ("HOME", "/home/nobody".to_owned()),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url()),
    ]);
    let provider = default_credentials_provider(env, TestClient::shared(), clock());
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "Ec2InstanceMetadata");
    assert_eq!(creds.access_key_id(), "IMDSKEY");
}

#[tokio::test]
async fn default_chain_with_nothing_configured_explains_what_was_tried() {
    let env = Env::from_vars([
        ("HOME", "/home/nobody"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let client = Arc::new(RecordingClient::default());
    let provider = default_credentials_provider(env, client.clone(), clock());
    let err = provider.provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NoCredentials);
    let text = err.to_string();
    assert!(
        text.starts_with("no credentials found: set AWS_ACCESS_KEY_ID"),
        "{text}"
    );
    for tried in [
        "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
        "profile: no shared config or credentials file exists",
        "ecs: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
        "imds: the instance metadata service is disabled",
    ] {
        assert!(text.contains(tried), "{text}\nshould contain: {tried}");
    }
    assert!(client.uris.lock().unwrap().is_empty());
}

/// An error and its causes on one line, `: `-separated, as `anyhow`'s `{:#}` prints them.
fn report(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

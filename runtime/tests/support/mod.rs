//! Test helpers: a minimal scripted HTTP/1.1 server on 127.0.0.1 and a hand-written JSON
//! operation implementing the runtime's `Operation` contract.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use smithy_rust_runtime::contract::endpoint::{EndpointError, EndpointParams, ResolvedEndpoint};
use smithy_rust_runtime::contract::error::{
    BoxError, BuildError, CreateUnhandledError, DeserializeError, ErrorMetadata,
    ProvideErrorMetadata,
};
use smithy_rust_runtime::contract::http::{HttpRequest, HttpResponse};
use smithy_rust_runtime::contract::operation::{
    Operation, ResponseFailure, SerializeContext, ServiceMeta,
};
use smithy_rust_runtime::credentials::Credentials;
use smithy_rust_runtime::env::region::Region;
use smithy_rust_runtime::retry::RetryConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Action {
    /// A complete response.
    Respond(u16, Vec<(String, String)>, Vec<u8>),
    /// Never answer (keep the connection open).
    Hang,
    /// Send the head and part of the body (the head promises more), then close.
    CloseMidBody,
}

impl Action {
    pub fn json(status: u16, body: &str) -> Self {
        Action::Respond(
            status,
            vec![("content-type".into(), "application/json".into())],
            body.as_bytes().to_vec(),
        )
    }

    pub fn error(status: u16, code: &str) -> Self {
        Action::Respond(
            status,
            vec![
                ("content-type".into(), "application/json".into()),
                ("x-amzn-errortype".into(), code.into()),
                ("x-amzn-requestid".into(), "req-123".into()),
            ],
            format!(r#"{{"Message":"{code} happened"}}"#).into_bytes(),
        )
    }
}

type Script = Arc<dyn Fn(usize, &Seen) -> Action + Send + Sync>;

/// A scripted server; `script(n, request)` decides what to do with the n-th request (0-based).
pub struct TestServer {
    pub port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    pub async fn start(script: impl Fn(usize, &Seen) -> Action + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script: Script = Arc::new(script);
        let seen2 = seen.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let seen = seen2.clone();
                let script = script.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, seen, script).await;
                });
            }
        });
        Self { port, seen, task }
    }

    /// Answers every request with the same action.
    pub async fn always(action: Action) -> Self {
        Self::start(move |_, _| action.clone()).await
    }

    /// Answers with the actions in order, repeating the last one.
    pub async fn sequence(actions: Vec<Action>) -> Self {
        Self::start(move |n, _| actions[n.min(actions.len() - 1)].clone()).await
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    seen: Arc<Mutex<Vec<Seen>>>,
    script: Script,
) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = Vec::new();
    loop {
        // Read the head.
        let head_end = loop {
            if let Some(pos) = find(&buf, b"\r\n\r\n") {
                break pos;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default().to_string();
        let mut parts = request_line.split(' ');
        let method = parts.next().unwrap_or_default().to_string();
        let target = parts.next().unwrap_or_default().to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let len: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let body_start = head_end + 4;
        while buf.len() < body_start + len {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let body = buf[body_start..body_start + len].to_vec();
        buf.drain(..body_start + len);
        let request = Seen {
            method,
            target,
            headers,
            body,
        };
        let index = {
            let mut seen = seen.lock().unwrap();
            seen.push(request.clone());
            seen.len() - 1
        };
        match script(index, &request) {
            Action::Respond(status, headers, body) => {
                let mut out = format!(
                    "HTTP/1.1 {status} Status\r\ncontent-length: {}\r\n",
                    body.len()
                );
                for (n, v) in headers {
                    out.push_str(&format!("{n}: {v}\r\n"));
                }
                out.push_str("\r\n");
                let mut bytes = out.into_bytes();
                bytes.extend_from_slice(&body);
                stream.write_all(&bytes).await?;
                stream.flush().await?;
            }
            Action::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return Ok(());
            }
            Action::CloseMidBody => {
                stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"message\":")
                    .await?;
                stream.flush().await?;
                return Ok(());
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A port nothing listens on.
pub async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

// ----------------------------------------------------------------------------------------
// The test operation: `Echo`, a JSON POST to /echo.
// ----------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EchoInput {
    pub name: Option<String>,
    pub token: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EchoOutput {
    pub message: String,
}

#[derive(Debug)]
pub enum EchoError {
    Throttling(ErrorMetadata),
    Unhandled(ErrorMetadata, BoxError),
}

impl fmt::Display for EchoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EchoError::Throttling(meta) => write!(f, "{meta}"),
            EchoError::Unhandled(meta, source) => write!(f, "{meta} ({source})"),
        }
    }
}

impl std::error::Error for EchoError {}

impl ProvideErrorMetadata for EchoError {
    fn meta(&self) -> &ErrorMetadata {
        match self {
            EchoError::Throttling(m) | EchoError::Unhandled(m, _) => m,
        }
    }
}

impl CreateUnhandledError for EchoError {
    fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
        EchoError::Unhandled(meta.unwrap_or_default(), source)
    }
}

pub struct Echo;

impl Operation for Echo {
    type Input = EchoInput;
    type Output = EchoOutput;
    type Error = EchoError;
    const NAME: &'static str = "Echo";
    // It carries an idempotency token, which makes a generated operation idempotent.
    const IDEMPOTENT: bool = true;

    fn validate(input: &EchoInput) -> Result<(), BuildError> {
        if input.name.is_none() {
            return Err(BuildError::missing_field("EchoInput.name", ""));
        }
        Ok(())
    }

    fn serialize(input: &EchoInput, ctx: &SerializeContext) -> Result<HttpRequest, BuildError> {
        let token = input
            .token
            .clone()
            .unwrap_or_else(|| ctx.idempotency_token());
        let body = serde_json::json!({"name": input.name, "clientRequestToken": token});
        http::Request::builder()
            .method("POST")
            .uri("/echo?mode=test")
            .header("content-type", "application/json")
            .body(Bytes::from(body.to_string()))
            .map_err(|e| BuildError::other(e.to_string()))
    }

    fn deserialize(response: &HttpResponse) -> Result<EchoOutput, ResponseFailure<EchoError>> {
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            let value: serde_json::Value = serde_json::from_slice(response.body())
                .map_err(|e| DeserializeError::new(format!("invalid JSON body: {e}")))?;
            let message = value
                .get("message")
                .and_then(|m| m.as_str())
                .ok_or_else(|| DeserializeError::new("`message` is missing"))?;
            return Ok(EchoOutput {
                message: message.to_string(),
            });
        }
        let code = response
            .headers()
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let message = serde_json::from_slice::<serde_json::Value>(response.body())
            .ok()
            .and_then(|v| {
                v.get("Message")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
            });
        let request_id = response
            .headers()
            .get("x-amzn-requestid")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let meta = ErrorMetadata::new()
            .with_code(code.clone())
            .with_message(message)
            .with_request_id(request_id)
            .with_status(Some(status));
        Err(ResponseFailure::Service(match code.as_deref() {
            Some("ThrottlingException") => EchoError::Throttling(meta),
            _ => EchoError::Unhandled(meta, "unmodeled error".into()),
        }))
    }
}

fn resolve(params: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
    match &params.endpoint {
        Some(url) => Ok(ResolvedEndpoint::new(url.clone())),
        None => Ok(ResolvedEndpoint::new(format!(
            "https://echo.{}.example.com",
            params.region.as_deref().unwrap_or("none")
        ))),
    }
}

pub static META: ServiceMeta = ServiceMeta {
    service_id: "Echo Service",
    signing_name: "echo",
    crate_name: "echo-sdk",
    crate_version: "1.2.3",
    api_version: "2020-01-01",
    resolve_endpoint: resolve,
};

pub fn input(name: &str) -> EchoInput {
    EchoInput {
        name: Some(name.to_string()),
        token: None,
    }
}

pub fn fast_retries(max_attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

pub fn test_credentials() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "test",
    )
}

/// A config builder for a local server: region, static credentials, fast retries, no proxy.
pub fn local_config(url: &str) -> smithy_rust_runtime::config::Builder {
    use smithy_rust_runtime::transport::{DefaultHttpClient, HttpClientSettings, ProxySettings};
    smithy_rust_runtime::config::Builder::new()
        .region(Region::new("us-east-1"))
        .credentials_provider(test_credentials())
        .endpoint_url(url)
        .retry_config(fast_retries(3))
        .http_client(DefaultHttpClient::new(
            HttpClientSettings::new()
                .proxy(ProxySettings::Disabled)
                .connect_timeout(Some(Duration::from_secs(2)))
                .read_timeout(Some(Duration::from_secs(5))),
        ))
}

/// An error and its causes on one line, `: `-separated, as `anyhow`'s `{:#}` prints them.
pub fn report(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

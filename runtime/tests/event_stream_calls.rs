//! Output event streams end to end: a hand-written `Chat` operation (shaped like Bedrock's
//! ConverseStream) against servers on 127.0.0.1 that stream `application/vnd.amazon.eventstream`
//! messages in small, oddly split chunks, with a modeled exception mid-stream, an `error`
//! message, a corrupt CRC, a stream that stalls and one that breaks off.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use smithy_rust_runtime::capability::event_stream::{
    error_message, message_type, EventReceiver, MessageType, Unmarshalled,
};
use smithy_rust_runtime::codec::event_stream::{HeaderValue, Message};
use smithy_rust_runtime::contract::endpoint::{EndpointError, EndpointParams, ResolvedEndpoint};
use smithy_rust_runtime::contract::error::{
    BoxError, BuildError, CreateUnhandledError, DeserializeError, ErrorMetadata,
    ProvideErrorMetadata, SdkError,
};
use smithy_rust_runtime::contract::http::{HttpRequest, HttpResponse};
use smithy_rust_runtime::contract::operation::ServiceMeta;
use smithy_rust_runtime::contract::operation::{
    Operation, ResponseFailure, SerializeContext, StreamingOperation,
};
use smithy_rust_runtime::contract::stream::{EventStreamBody, StreamingResponse};
use smithy_rust_runtime::credentials::Credentials;
use smithy_rust_runtime::env::region::Region;
use smithy_rust_runtime::orchestrator::handle::Handle;
use smithy_rust_runtime::retry::RetryConfig;
use smithy_rust_runtime::transport::{DefaultHttpClient, HttpClientSettings, ProxySettings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

// ----------------------------------------------------------------------------------------
// The operation: `Chat`, a JSON POST whose response body is a stream of `ChatEvent`s.
// ----------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum ChatEvent {
    Chunk(String),
    Stop { reason: String },
    Unknown(String),
}

#[derive(Debug)]
enum ChatError {
    Throttling(ErrorMetadata),
    Unhandled(ErrorMetadata, BoxError),
}

impl fmt::Display for ChatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChatError::Throttling(meta) => write!(f, "throttled: {meta}"),
            ChatError::Unhandled(meta, source) => write!(f, "{meta} ({source})"),
        }
    }
}

impl std::error::Error for ChatError {}

impl ProvideErrorMetadata for ChatError {
    fn meta(&self) -> &ErrorMetadata {
        match self {
            ChatError::Throttling(m) | ChatError::Unhandled(m, _) => m,
        }
    }
}

impl CreateUnhandledError for ChatError {
    fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
        ChatError::Unhandled(meta.unwrap_or_default(), source)
    }
}

/// What a generated unmarshaller does for the union `ChatEvent`.
fn unmarshall(message: &Message) -> Result<Unmarshalled<ChatEvent, ChatError>, DeserializeError> {
    let json = || {
        serde_json::from_slice::<serde_json::Value>(message.payload())
            .map_err(|e| DeserializeError::new(format!("invalid JSON event: {e}")))
    };
    match message_type(message)? {
        MessageType::Event("chunk") => {
            let text = json()?["text"].as_str().unwrap_or_default().to_owned();
            Ok(Unmarshalled::Event(ChatEvent::Chunk(text)))
        }
        MessageType::Event("stop") => {
            let reason = json()?["reason"].as_str().unwrap_or_default().to_owned();
            Ok(Unmarshalled::Event(ChatEvent::Stop { reason }))
        }
        MessageType::Event(other) => Ok(Unmarshalled::Event(ChatEvent::Unknown(other.to_owned()))),
        MessageType::Exception("throttlingException") => {
            let message = json()?["message"].as_str().map(str::to_owned);
            let meta = ErrorMetadata::new()
                .with_code(Some("throttlingException".into()))
                .with_message(message);
            Ok(Unmarshalled::Error(ChatError::Throttling(meta)))
        }
        MessageType::Exception(_) | MessageType::Error => {
            Ok(Unmarshalled::Error(error_message(message)))
        }
    }
}

#[derive(Debug)]
struct ChatOutput {
    request_id: Option<String>,
    stream: EventReceiver<ChatEvent, ChatError>,
}

struct Chat;

impl Operation for Chat {
    type Input = String;
    type Output = ChatOutput;
    type Error = ChatError;
    const NAME: &'static str = "Chat";

    fn validate(_: &String) -> Result<(), BuildError> {
        Ok(())
    }

    fn serialize(input: &String, _: &SerializeContext) -> Result<HttpRequest, BuildError> {
        let body = serde_json::json!({ "prompt": input });
        http::Request::builder()
            .method("POST")
            .uri("/chat")
            .header("content-type", "application/json")
            .body(Bytes::from(body.to_string()))
            .map_err(|e| BuildError::other(e.to_string()))
    }

    fn deserialize(response: &HttpResponse) -> Result<ChatOutput, ResponseFailure<ChatError>> {
        if response.status().is_success() {
            let (parts, body) = response.clone().into_parts();
            let body = smithy_rust_runtime::contract::stream::BodyStream::from_bytes(body);
            return Self::deserialize_streaming(http::Response::from_parts(parts, body), None);
        }
        let code = response
            .headers()
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let meta = ErrorMetadata::new()
            .with_code(code.clone())
            .with_status(Some(response.status().as_u16()));
        Err(ResponseFailure::Service(match code.as_deref() {
            Some("ThrottlingException") => ChatError::Throttling(meta),
            _ => ChatError::Unhandled(meta, "unmodeled error".into()),
        }))
    }
}

impl StreamingOperation for Chat {
    fn input_stream(_: &String) -> Result<Option<EventStreamBody>, BuildError> {
        Ok(None)
    }

    fn deserialize_streaming(
        response: StreamingResponse,
        _initial: Option<&Message>,
    ) -> Result<ChatOutput, ResponseFailure<ChatError>> {
        let request_id = response
            .headers()
            .get("x-amzn-requestid")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(ChatOutput {
            request_id,
            stream: EventReceiver::new(response.into_body(), unmarshall),
        })
    }
}

// ----------------------------------------------------------------------------------------
// Messages and a streaming server.
// ----------------------------------------------------------------------------------------

fn event(event_type: &str, payload: serde_json::Value) -> Vec<u8> {
    Message::new(payload.to_string())
        .with_header(":message-type", HeaderValue::string("event"))
        .with_header(":event-type", HeaderValue::string(event_type.to_owned()))
        .with_header(":content-type", HeaderValue::string("application/json"))
        .encode()
        .unwrap()
        .to_vec()
}

fn exception(exception_type: &str, message: &str) -> Vec<u8> {
    Message::new(serde_json::json!({ "message": message }).to_string())
        .with_header(":message-type", HeaderValue::string("exception"))
        .with_header(
            ":exception-type",
            HeaderValue::string(exception_type.to_owned()),
        )
        .encode()
        .unwrap()
        .to_vec()
}

fn error(code: &str, message: &str) -> Vec<u8> {
    Message::new(Bytes::new())
        .with_header(":message-type", HeaderValue::string("error"))
        .with_header(":error-code", HeaderValue::string(code.to_owned()))
        .with_header(":error-message", HeaderValue::string(message.to_owned()))
        .encode()
        .unwrap()
        .to_vec()
}

/// What the server sends after the response head.
#[derive(Clone)]
enum Part {
    /// These bytes, as one HTTP chunk, then a short pause.
    Bytes(Vec<u8>),
    /// Nothing for this long.
    Pause(Duration),
    /// Close the connection without ending the chunked body.
    Drop,
}

/// `bytes` cut into chunks of the given sizes, cycled (each flushed on its own).
fn split(bytes: &[u8], sizes: &[usize]) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut at = 0;
    for size in sizes.iter().cycle() {
        if at >= bytes.len() {
            break;
        }
        let end = (at + size).min(bytes.len());
        parts.push(Part::Bytes(bytes[at..end].to_vec()));
        at = end;
    }
    parts
}

struct StreamServer {
    url: String,
    requests: Arc<Mutex<usize>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for StreamServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl StreamServer {
    /// Answers the n-th request (0-based) with `script(n)`: a status and the parts of its
    /// chunked body.
    async fn start(script: impl Fn(usize) -> (u16, Vec<Part>) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let requests = Arc::new(Mutex::new(0));
        let count = requests.clone();
        let script = Arc::new(script);
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let count = count.clone();
                let script = script.clone();
                tokio::spawn(async move {
                    if read_request(&mut socket).await.is_none() {
                        return;
                    }
                    let n = {
                        let mut count = count.lock().unwrap();
                        *count += 1;
                        *count - 1
                    };
                    let (status, parts) = script(n);
                    let content_type = if status == 200 {
                        "application/vnd.amazon.eventstream"
                    } else {
                        "application/json"
                    };
                    let errortype = if status == 200 {
                        String::new()
                    } else {
                        "x-amzn-errortype: ThrottlingException\r\n".to_owned()
                    };
                    let head = format!(
                        "HTTP/1.1 {status} Status\r\ncontent-type: {content_type}\r\n\
                         x-amzn-requestid: req-{n}\r\n{errortype}transfer-encoding: chunked\r\n\r\n"
                    );
                    if socket.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    for part in parts {
                        match part {
                            Part::Bytes(bytes) => {
                                let mut chunk = format!("{:x}\r\n", bytes.len()).into_bytes();
                                chunk.extend_from_slice(&bytes);
                                chunk.extend_from_slice(b"\r\n");
                                if socket.write_all(&chunk).await.is_err() {
                                    return;
                                }
                                let _ = socket.flush().await;
                                tokio::time::sleep(Duration::from_millis(2)).await;
                            }
                            Part::Pause(pause) => tokio::time::sleep(pause).await,
                            Part::Drop => return,
                        }
                    }
                    let _ = socket.write_all(b"0\r\n\r\n").await;
                    let _ = socket.flush().await;
                });
            }
        });
        Self {
            url,
            requests,
            task,
        }
    }

    fn requests(&self) -> usize {
        *self.requests.lock().unwrap()
    }
}

/// Reads one request (head and `content-length` body); `None` when the connection closed.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = socket.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Some(buf[end + 4..end + 4 + len].to_vec());
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn resolve(params: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
    let url = params.endpoint.clone().unwrap_or_default();
    Ok(ResolvedEndpoint::new(url))
}

static META: ServiceMeta = ServiceMeta {
    service_id: "Chat Service",
    signing_name: "chat",
    crate_name: "chat-sdk",
    crate_version: "0.1.0",
    api_version: "2024-01-01",
    resolve_endpoint: resolve,
};

fn handle_for(server: &StreamServer, read_timeout: Duration) -> Handle {
    let client = DefaultHttpClient::new(
        HttpClientSettings::new()
            .proxy(ProxySettings::Disabled)
            .read_timeout(Some(read_timeout)),
    );
    let retries = RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5));
    let config = smithy_rust_runtime::config::Builder::new()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
        .endpoint_url(&server.url)
        .retry_config(retries)
        .http_client(client)
        .build();
    Handle::new(config, &META)
}

fn conversation() -> Vec<u8> {
    let mut bytes = event("chunk", serde_json::json!({ "text": "Hel" }));
    bytes.extend(event("chunk", serde_json::json!({ "text": "lo, wo" })));
    bytes.extend(exception("throttlingException", "slow down"));
    bytes.extend(event("chunk", serde_json::json!({ "text": "rld" })));
    bytes.extend(event("newKindOfEvent", serde_json::json!({})));
    bytes.extend(event("stop", serde_json::json!({ "reason": "end_turn" })));
    bytes
}

/// The error and its sources, for messages.
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(err) = source {
        text.push_str(": ");
        text.push_str(&err.to_string());
        source = err.source();
    }
    text
}

// ----------------------------------------------------------------------------------------
// The tests.
// ----------------------------------------------------------------------------------------

#[tokio::test]
async fn events_split_in_odd_chunks_arrive_in_order_with_a_modeled_exception() {
    let server = StreamServer::start(|_| (200, split(&conversation(), &[1, 7, 3, 50, 13]))).await;
    let handle = handle_for(&server, Duration::from_secs(5));
    let mut output = handle
        .call_streaming::<Chat>("hi".into(), None)
        .await
        .unwrap();
    assert_eq!(output.request_id.as_deref(), Some("req-0"));
    let stream = &mut output.stream;
    assert_eq!(
        stream.recv().await.unwrap(),
        Some(ChatEvent::Chunk("Hel".into()))
    );
    assert_eq!(
        stream.recv().await.unwrap(),
        Some(ChatEvent::Chunk("lo, wo".into()))
    );
    let err = stream.recv().await.unwrap_err();
    match &err {
        SdkError::ServiceError(service) => {
            assert!(matches!(service.err(), ChatError::Throttling(_)), "{err:?}");
            assert_eq!(service.err().message(), Some("slow down"));
            let raw = service.raw().message().expect("the decoded message");
            assert_eq!(
                raw.header(":exception-type").and_then(HeaderValue::as_str),
                Some("throttlingException")
            );
        }
        other => panic!("expected the modeled exception, got {other:?}"),
    }
    // The service decides whether events follow an exception: these do.
    assert_eq!(
        stream.recv().await.unwrap(),
        Some(ChatEvent::Chunk("rld".into()))
    );
    assert_eq!(
        stream.recv().await.unwrap(),
        Some(ChatEvent::Unknown("newKindOfEvent".into()))
    );
    assert_eq!(
        stream.recv().await.unwrap(),
        Some(ChatEvent::Stop {
            reason: "end_turn".into()
        })
    );
    assert_eq!(stream.recv().await.unwrap(), None);
    assert_eq!(stream.recv().await.unwrap(), None, "the end is sticky");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn the_receiver_is_a_stream_too() {
    let server = StreamServer::start(|_| (200, split(&conversation(), &[64]))).await;
    let handle = handle_for(&server, Duration::from_secs(5));
    let output = handle
        .call_streaming::<Chat>("hi".into(), None)
        .await
        .unwrap();
    let mut stream = output.stream;
    let mut events = Vec::new();
    let mut errors = 0;
    while let Some(item) = std::future::poll_fn(|cx| {
        futures_core::Stream::poll_next(std::pin::Pin::new(&mut stream), cx)
    })
    .await
    {
        match item {
            Ok(event) => events.push(event),
            Err(_) => errors += 1,
        }
    }
    assert_eq!(events.len(), 5, "{events:?}");
    assert_eq!(errors, 1);
}

#[tokio::test]
async fn an_error_message_is_an_unhandled_error_with_code_and_message() {
    let mut bytes = event("chunk", serde_json::json!({ "text": "a" }));
    bytes.extend(error("InternalFailure", "the model crashed"));
    let server = StreamServer::start(move |_| (200, split(&bytes, &[5]))).await;
    let handle = handle_for(&server, Duration::from_secs(5));
    let mut output = handle
        .call_streaming::<Chat>("hi".into(), None)
        .await
        .unwrap();
    assert!(output.stream.recv().await.unwrap().is_some());
    let err = output.stream.recv().await.unwrap_err();
    let service = err.as_service_error().expect("a service error");
    assert!(matches!(service, ChatError::Unhandled(..)), "{err:?}");
    assert_eq!(service.code(), Some("InternalFailure"));
    assert_eq!(service.message(), Some("the model crashed"));
}

#[tokio::test]
async fn a_corrupt_crc_ends_the_stream_with_a_response_error() {
    let mut bytes = event("chunk", serde_json::json!({ "text": "fine" }));
    let mut bad = event("chunk", serde_json::json!({ "text": "flipped" }));
    let last = bad.len() - 6;
    bad[last] ^= 0x20; // a payload byte: the message CRC no longer matches
    bytes.extend(bad);
    bytes.extend(event("chunk", serde_json::json!({ "text": "never read" })));
    let server = StreamServer::start(move |_| (200, split(&bytes, &[9, 2]))).await;
    let handle = handle_for(&server, Duration::from_secs(5));
    let mut output = handle
        .call_streaming::<Chat>("hi".into(), None)
        .await
        .unwrap();
    assert_eq!(
        output.stream.recv().await.unwrap(),
        Some(ChatEvent::Chunk("fine".into()))
    );
    let err = output.stream.recv().await.unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    let text = chain(&err);
    assert!(text.to_lowercase().contains("crc"), "{text}");
    assert_eq!(
        output.stream.recv().await.unwrap(),
        None,
        "an error ends it"
    );
    assert_eq!(server.requests(), 1, "never retried once it began");
}

#[tokio::test]
async fn a_stalled_stream_ends_with_a_timeout() {
    let first = event("chunk", serde_json::json!({ "text": "then silence" }));
    let server = StreamServer::start(move |_| {
        (
            200,
            vec![
                Part::Bytes(first.clone()),
                Part::Pause(Duration::from_secs(30)),
            ],
        )
    })
    .await;
    let handle = handle_for(&server, Duration::from_millis(300));
    let mut output = handle
        .call_streaming::<Chat>("hi".into(), None)
        .await
        .unwrap();
    assert!(output.stream.recv().await.unwrap().is_some());
    let started = Instant::now();
    let err = output.stream.recv().await.unwrap_err();
    let waited = started.elapsed();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
    assert_eq!(server.requests(), 1, "never retried once it began");
}

#[tokio::test]
async fn a_stream_that_breaks_off_mid_message_is_a_response_error() {
    let bytes = conversation();
    let cut = bytes[..40].to_vec();
    let server =
        StreamServer::start(move |_| (200, vec![Part::Bytes(cut.clone()), Part::Drop])).await;
    let handle = handle_for(&server, Duration::from_secs(5));
    let mut output = handle
        .call_streaming::<Chat>("hi".into(), None)
        .await
        .unwrap();
    let err = output.stream.recv().await.unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert_eq!(output.stream.recv().await.unwrap(), None);
}

#[tokio::test]
async fn error_responses_before_the_stream_are_retried_like_any_other() {
    let server = StreamServer::start(|n| {
        if n == 0 {
            (429, vec![Part::Bytes(b"{\"message\":\"busy\"}".to_vec())])
        } else {
            (
                200,
                split(&event("stop", serde_json::json!({"reason": "x"})), &[4]),
            )
        }
    })
    .await;
    let handle = handle_for(&server, Duration::from_secs(5));
    let mut output = handle
        .call_streaming::<Chat>("hi".into(), None)
        .await
        .unwrap();
    assert_eq!(server.requests(), 2);
    assert_eq!(output.request_id.as_deref(), Some("req-1"));
    assert!(matches!(
        output.stream.recv().await.unwrap(),
        Some(ChatEvent::Stop { .. })
    ));
    assert_eq!(output.stream.recv().await.unwrap(), None);
}

#[tokio::test]
async fn a_replay_client_answers_a_streaming_call_with_a_recorded_stream() {
    use smithy_rust_runtime::test_util::{CannedResponse, ReplayClient};
    let replay = ReplayClient::new([CannedResponse::new(200)
        .header("x-amzn-requestid", "replayed")
        .body(conversation())]);
    let config = smithy_rust_runtime::config::Builder::new()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
        .http_client(replay.clone())
        .build();
    let handle = Handle::new(config, &META_WITH_HOST);
    let mut output = handle
        .call_streaming::<Chat>("hi".into(), None)
        .await
        .unwrap();
    assert_eq!(output.request_id.as_deref(), Some("replayed"));
    let mut events = 0;
    let mut errors = 0;
    loop {
        match output.stream.recv().await {
            Ok(Some(_)) => events += 1,
            Ok(None) => break,
            Err(_) => errors += 1,
        }
    }
    assert_eq!((events, errors), (5, 1));
    let requests = replay.requests();
    assert_eq!(requests.len(), 1);
    // Only an input event stream is signed for streaming and sent without a length.
    let request = &requests[0];
    assert_eq!(
        request.headers()["content-length"],
        request.body().len().to_string().as_str()
    );
    assert!(request.headers().get("x-amz-content-sha256").is_none());
}

fn resolve_fixed(_: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
    Ok(ResolvedEndpoint::new("https://chat.example.com".to_owned()))
}

static META_WITH_HOST: ServiceMeta = ServiceMeta {
    resolve_endpoint: resolve_fixed,
    ..META
};

/// `Chat` under an RPC protocol: its stream starts with an `initial-response` message.
struct RpcChat;

impl Operation for RpcChat {
    type Input = String;
    type Output = ChatOutput;
    type Error = ChatError;
    const NAME: &'static str = "RpcChat";

    fn validate(input: &String) -> Result<(), BuildError> {
        Chat::validate(input)
    }

    fn serialize(input: &String, ctx: &SerializeContext) -> Result<HttpRequest, BuildError> {
        Chat::serialize(input, ctx)
    }

    fn deserialize(response: &HttpResponse) -> Result<ChatOutput, ResponseFailure<ChatError>> {
        Chat::deserialize(response)
    }
}

impl StreamingOperation for RpcChat {
    const INITIAL_RESPONSE: bool = true;

    fn input_stream(input: &String) -> Result<Option<EventStreamBody>, BuildError> {
        Chat::input_stream(input)
    }

    fn deserialize_streaming(
        response: StreamingResponse,
        initial: Option<&Message>,
    ) -> Result<ChatOutput, ResponseFailure<ChatError>> {
        Chat::deserialize_streaming(response, initial)
    }
}

#[tokio::test]
async fn a_stall_before_the_initial_response_is_a_timeout_and_a_break_a_response_error() {
    let stalled = StreamServer::start(|_| (200, vec![Part::Pause(Duration::from_secs(30))])).await;
    let err = handle_for(&stalled, Duration::from_millis(300))
        .call_streaming::<RpcChat>("hi".into(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert_eq!(stalled.requests(), 1, "not retried once the response began");

    let cut = event("initial-response", serde_json::json!({}))[..10].to_vec();
    let broken =
        StreamServer::start(move |_| (200, vec![Part::Bytes(cut.clone()), Part::Drop])).await;
    let err = handle_for(&broken, Duration::from_secs(5))
        .call_streaming::<RpcChat>("hi".into(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(200));
    assert_eq!(broken.requests(), 1);
}

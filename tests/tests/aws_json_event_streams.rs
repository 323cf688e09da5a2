//! Event streams under awsJson1_1, end to end: the generated `ChatRpc` client (`tests/chat-rpc`,
//! from `model/test-models/event-streams.smithy`) against servers on 127.0.0.1.
//!
//! - `Converse` (Kinesis `SubscribeToShard`-shaped: a JSON request, an output event stream): the
//!   output's other members arrive in the stream's first message, `initial-response`, which
//!   `send()` reads before it returns; the events after it come in small, oddly split chunks,
//!   with a modeled exception mid-stream. A stream that starts without an initial response
//!   leaves those members unset and its first message is the first event; a server that never
//!   sends the first message ends the call with the attempt timeout.
//! - `Talk` (both ways): the request body is the event stream, whose first message is the
//!   `initial-request` with the input's other members; the HTTP/2 server of
//!   `e2e_tests::duplex` checks the request's and every message's chained SigV4 signature with
//!   `aws-sigv4`, the initial request's included.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use bytes::Bytes;
use chat_rpc::config::TimeoutConfig;
use chat_rpc::error::{ProvideErrorMetadata, SdkError};
use chat_rpc::primitives::event_stream::{EventReceiver, EventStreamSender};
use chat_rpc::primitives::Blob;
use chat_rpc::types::error::{AnswerStreamError, AudioStreamError};
use chat_rpc::types::{AnswerStream, Audio, AudioStream};
use e2e_tests::duplex::{encode, DuplexServer};
use e2e_tests::server::RecordedRequest;
use e2e_tests::sigv4::{verify, SigningKey};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

fn key() -> SigningKey {
    let mut key = SigningKey::test("us-west-2");
    key.service = "chat".to_owned();
    key
}

fn chat_client(url: &str, timeouts: TimeoutConfig) -> chat_rpc::Client {
    let settings = e2e_tests::test_settings(url, &key()).timeout_config(timeouts);
    chat_rpc::Client::from_conf(chat_rpc::config::Builder::from(settings).build())
}

fn message(message_type: &str, type_header: &str, name: &str, payload: &str) -> Message {
    Message::new(payload.to_owned())
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String(message_type.to_owned().into()),
        ))
        .add_header(Header::new(
            type_header.to_owned(),
            HeaderValue::String(name.to_owned().into()),
        ))
        .add_header(Header::new(
            ":content-type",
            HeaderValue::String("application/json".into()),
        ))
}

fn initial_response(payload: &str) -> Message {
    message("event", ":event-type", "initial-response", payload)
}

/// A `chunk` event: `index` as its header, `text` as its payload.
fn chunk(index: i32, text: &str) -> Message {
    Message::new(text.to_owned())
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String("event".into()),
        ))
        .add_header(Header::new(
            ":event-type",
            HeaderValue::String("chunk".into()),
        ))
        .add_header(Header::new("index", HeaderValue::Int32(index)))
}

fn throttled(text: &str) -> Message {
    message(
        "exception",
        ":exception-type",
        "throttled",
        &serde_json::json!({ "message": text }).to_string(),
    )
}

/// The messages in the event stream format, in chunks of 1, 2, 3, ... bytes.
fn oddly_split(messages: &[Message]) -> Vec<Bytes> {
    let bytes: Vec<u8> = messages.iter().flat_map(|m| encode(m).to_vec()).collect();
    let mut chunks = Vec::new();
    let (mut at, mut size) = (0, 1);
    while at < bytes.len() {
        let end = (at + size).min(bytes.len());
        chunks.push(Bytes::copy_from_slice(&bytes[at..end]));
        at = end;
        size += 1;
    }
    chunks
}

/// An HTTP/1.1 server answering every request with a 200 whose body is `chunks`, each flushed
/// on its own, then (with `hold`) a body that stays open without data; it records the
/// requests.
struct StreamingServer {
    port: u16,
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for StreamingServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl StreamingServer {
    async fn start(chunks: Vec<Bytes>, hold: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (chunks, recorded) = (chunks.clone(), recorded.clone());
                tokio::spawn(async move {
                    let service =
                        service_fn(move |request: http::Request<hyper::body::Incoming>| {
                            let (chunks, recorded) = (chunks.clone(), recorded.clone());
                            async move {
                                let (parts, body) = request.into_parts();
                                let body = body
                                    .collect()
                                    .await
                                    .map(|b| b.to_bytes())
                                    .unwrap_or_default();
                                recorded.lock().expect("log").push(RecordedRequest {
                                    method: parts.method.to_string(),
                                    path: parts.uri.path().to_owned(),
                                    query: parts.uri.query().map(str::to_owned),
                                    headers: parts
                                        .headers
                                        .iter()
                                        .map(|(n, v)| {
                                            (
                                                n.as_str().to_owned(),
                                                v.to_str().unwrap_or("").to_owned(),
                                            )
                                        })
                                        .collect(),
                                    body,
                                });
                                let (tx, rx) = mpsc::channel::<Result<Frame<Bytes>, Infallible>>(1);
                                tokio::spawn(async move {
                                    for chunk in chunks {
                                        if tx.send(Ok(Frame::data(chunk))).await.is_err() {
                                            return;
                                        }
                                        tokio::task::yield_now().await;
                                    }
                                    if hold {
                                        // Keeps the body open until the client gives up.
                                        tx.closed().await;
                                    }
                                });
                                let body = StreamBody::new(channel_frames(rx));
                                let response = http::Response::builder()
                                    .header("content-type", "application/vnd.amazon.eventstream")
                                    .header("x-amzn-requestid", "req-1")
                                    .body(body)
                                    .expect("a response");
                                Ok::<_, Infallible>(response)
                            }
                        });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(socket), service)
                        .await;
                });
            }
        });
        Self {
            port,
            requests,
            task,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn single_request(&self) -> RecordedRequest {
        let requests = self.requests.lock().expect("log");
        assert_eq!(requests.len(), 1, "{requests:?}");
        requests[0].clone()
    }
}

/// The receiving end of a channel as a stream of body frames.
fn channel_frames(
    mut rx: mpsc::Receiver<Result<Frame<Bytes>, Infallible>>,
) -> impl futures_core::Stream<Item = Result<Frame<Bytes>, Infallible>> {
    poll_stream(move |cx| rx.poll_recv(cx))
}

/// A stream from a poll function.
fn poll_stream<T>(
    poll: impl FnMut(&mut std::task::Context<'_>) -> std::task::Poll<Option<T>> + Unpin,
) -> impl futures_core::Stream<Item = T> {
    struct PollFn<F>(F);
    impl<T, F> futures_core::Stream for PollFn<F>
    where
        F: FnMut(&mut std::task::Context<'_>) -> std::task::Poll<Option<T>> + Unpin,
    {
        type Item = T;
        fn poll_next(
            self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<T>> {
            (self.get_mut().0)(cx)
        }
    }
    PollFn(poll)
}

async fn next_chunk(stream: &mut EventReceiver<AnswerStream, AnswerStreamError>) -> (i32, String) {
    let event = tokio::time::timeout(Duration::from_secs(5), stream.recv())
        .await
        .expect("an event in time")
        .expect("an event")
        .expect("not the end of the stream");
    let AnswerStream::Chunk(chunk) = event else {
        panic!("not a chunk: {event:?}");
    };
    (
        chunk.index().expect("an index"),
        chunk.text().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn the_initial_response_fills_the_output_and_events_follow_with_an_exception_mid_stream() {
    let chunks = oddly_split(&[
        initial_response(r#"{"session":"s-42","unknown":[1,{"a":null}]}"#),
        chunk(1, "Hello"),
        throttled("slow down"),
        chunk(2, ", world"),
    ]);
    let server = StreamingServer::start(chunks, false).await;
    let client = chat_client(&server.url(), TimeoutConfig::default());
    let mut output = client
        .converse()
        .prompt("hi")
        .send()
        .await
        .expect("the call starts");
    assert_eq!(output.session(), Some("s-42"));

    // The request is an ordinary awsJson1_1 one, signed with SigV4.
    let request = server.single_request();
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/")
    );
    assert_eq!(request.header("x-amz-target"), Some("ChatRpc.Converse"));
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(request.json(), Some(serde_json::json!({ "prompt": "hi" })));
    verify(&request, &key()).expect("a valid signature");

    assert_eq!(
        next_chunk(&mut output.stream).await,
        (1, "Hello".to_owned())
    );
    let err = output.stream.recv().await.expect_err("the exception");
    let SdkError::ServiceError(service) = &err else {
        panic!("not a service error: {err:?}");
    };
    let AnswerStreamError::Throttled(exception) = service.err() else {
        panic!("not the modeled exception: {err:?}");
    };
    assert_eq!(exception.message(), Some("slow down"));
    assert_eq!(service.err().code(), Some("throttled"));
    assert_eq!(
        next_chunk(&mut output.stream).await,
        (2, ", world".to_owned())
    );
    assert!(output.stream.recv().await.expect("the end").is_none());
}

#[tokio::test]
async fn without_an_initial_response_the_output_members_stay_unset_and_the_first_message_is_an_event(
) {
    let server =
        StreamingServer::start(oddly_split(&[chunk(7, "first"), chunk(8, "second")]), false).await;
    let client = chat_client(&server.url(), TimeoutConfig::default());
    let mut output = client.converse().send().await.expect("the call starts");
    assert_eq!(output.session(), None);
    assert_eq!(
        next_chunk(&mut output.stream).await,
        (7, "first".to_owned())
    );
    assert_eq!(
        next_chunk(&mut output.stream).await,
        (8, "second".to_owned())
    );
    assert!(output.stream.recv().await.expect("the end").is_none());

    // An empty stream: no initial response, no events.
    let server = StreamingServer::start(Vec::new(), false).await;
    let client = chat_client(&server.url(), TimeoutConfig::default());
    let mut output = client.converse().send().await.expect("the call starts");
    assert_eq!(output.session(), None);
    assert!(output.stream.recv().await.expect("the end").is_none());
}

#[tokio::test]
async fn a_broken_or_missing_first_message_fails_the_call() {
    // A corrupt checksum in the initial response.
    let mut bytes = encode(&initial_response(r#"{"session":"s"}"#)).to_vec();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    let server = StreamingServer::start(vec![Bytes::from(bytes)], false).await;
    let client = chat_client(&server.url(), TimeoutConfig::default());
    let err = client
        .converse()
        .send()
        .await
        .expect_err("a corrupt message");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert!(
        format!("{:?}", err).contains("Checksum"),
        "names the checksum: {err:?}"
    );

    // A head, then nothing: the attempt timeout ends the wait for the initial response.
    let server = StreamingServer::start(Vec::new(), true).await;
    let timeouts = TimeoutConfig::builder()
        .operation_attempt_timeout(Duration::from_millis(300))
        .build();
    let client = chat_client(&server.url(), timeouts);
    let started = std::time::Instant::now();
    let err = client
        .converse()
        .send()
        .await
        .expect_err("no first message");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// Answers the `initial-request` with an `initial-response` and a chunk describing what
/// arrived (`<:event-type> <:content-type> <payload>`), each audio event with a chunk of its
/// bytes upper-cased; all split oddly.
fn talk(event: &Message) -> Vec<Bytes> {
    let header = |name: &str| {
        event
            .headers()
            .iter()
            .find(|h| h.name().as_str() == name)
            .and_then(|h| match h.value() {
                HeaderValue::String(text) => Some(text.as_str().to_owned()),
                _ => None,
            })
            .unwrap_or_default()
    };
    let payload = String::from_utf8_lossy(event.payload()).into_owned();
    match header(":event-type").as_str() {
        "initial-request" => {
            let text = format!("initial-request {} {payload}", header(":content-type"));
            oddly_split(&[initial_response("{}"), chunk(0, &text)])
        }
        _ => oddly_split(&[chunk(1, &payload.to_uppercase())]),
    }
}

fn audio(bytes: &str) -> AudioStream {
    AudioStream::Audio(
        Audio::builder()
            .bytes(Blob::new(bytes.as_bytes().to_vec()))
            .build(),
    )
}

#[tokio::test]
async fn the_initial_request_goes_first_and_is_signed_in_the_chain() {
    let server = DuplexServer::answering(key(), talk).await;
    let client = chat_client(&server.url(), TimeoutConfig::default());
    let (sender, events) = EventStreamSender::<AudioStream, AudioStreamError>::channel(4);
    let mut output = client
        .talk()
        .language("fr")
        .audio(events)
        .send()
        .await
        .expect("the call starts");
    assert_eq!(
        next_chunk(&mut output.stream).await,
        (
            0,
            r#"initial-request application/json {"language":"fr"}"#.to_owned()
        )
    );
    for word in ["bonjour", "monde"] {
        sender.send(audio(word)).await.expect("the stream is open");
        assert_eq!(
            next_chunk(&mut output.stream).await,
            (1, word.to_uppercase())
        );
    }
    drop(sender);
    assert!(output.stream.recv().await.expect("the end").is_none());
    let log = server.log();
    assert_eq!(log.failures, Vec::<String>::new());
    assert_eq!(log.versions, vec![http::Version::HTTP_2]);
    assert_eq!(
        log.verified_events,
        vec![
            Bytes::from_static(br#"{"language":"fr"}"#),
            Bytes::from_static(b"bonjour"),
            Bytes::from_static(b"monde"),
        ]
    );
    assert!(log.ended, "the signed end frame was verified");
}

#[tokio::test]
async fn an_input_without_other_members_still_sends_an_empty_initial_request() {
    let server = DuplexServer::answering(key(), talk).await;
    let client = chat_client(&server.url(), TimeoutConfig::default());
    let events: EventStreamSender<AudioStream, AudioStreamError> =
        vec![audio("x")].into_iter().collect();
    let mut output = client
        .talk()
        .audio(events)
        .send()
        .await
        .expect("the call starts");
    assert_eq!(
        next_chunk(&mut output.stream).await,
        (0, "initial-request application/json {}".to_owned())
    );
    assert_eq!(next_chunk(&mut output.stream).await, (1, "X".to_owned()));
    assert!(output.stream.recv().await.expect("the end").is_none());
    assert_eq!(server.log().failures, Vec::<String>::new());
}

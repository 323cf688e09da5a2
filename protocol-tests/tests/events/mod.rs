//! Event stream cases (`smithy.test#eventStreamTests`): one call of an operation with an event
//! stream through the whole client, to an HTTP client that reads the request's event stream to
//! its end and answers with the case's response; then the messages the client sent (decoded,
//! unwrapped from their signed envelopes) and the events it received, compared with the case.

use std::collections::VecDeque;
use std::fmt::Debug;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use smithy_rust_runtime::capability::event_stream::{EventReceiver, EventStreamSender, RawMessage};
use smithy_rust_runtime::codec::event_stream::{HeaderValue, Message, MessageDecoder};
use smithy_rust_runtime::contract::error::{ProvideErrorMetadata, SdkError};
use smithy_rust_runtime::contract::http::{BoxFuture, ConnectorError, HttpClient};
use smithy_rust_runtime::contract::http::{HttpRequest, HttpResponse};
use smithy_rust_runtime::contract::operation::StreamingOperation;
use smithy_rust_runtime::contract::stream::{BodyStream, RequestBody};
use smithy_rust_runtime::contract::stream::{StreamingRequest, StreamingResponse};
use smithy_rust_runtime::credentials::Credentials;
use smithy_rust_runtime::env::region::Region;
use smithy_rust_runtime::orchestrator::handle::Handle;
use smithy_rust_runtime::primitives::{DateTime, Format};
use smithy_rust_runtime::retry::RetryConfig;

/// The most events a case's stream is read for (the cases have one or two).
const MAX_EVENTS: usize = 100;

/// A typed event header value of a case (`{ "<type>": <value> }` in the model).
#[derive(Debug, Clone, Copy)]
pub enum Header {
    Bool(bool),
    Byte(i8),
    Short(i16),
    Integer(i32),
    Long(i64),
    Blob(&'static [u8]),
    String(&'static str),
    /// RFC 3339 text.
    Timestamp(&'static str),
}

impl Header {
    /// The value on the wire.
    fn to_wire(self) -> HeaderValue {
        match self {
            Header::Bool(b) => HeaderValue::Bool(b),
            Header::Byte(n) => HeaderValue::Byte(n),
            Header::Short(n) => HeaderValue::Int16(n),
            Header::Integer(n) => HeaderValue::Int32(n),
            Header::Long(n) => HeaderValue::Int64(n),
            Header::Blob(bytes) => HeaderValue::ByteArray(Bytes::from_static(bytes)),
            Header::String(text) => HeaderValue::string(text),
            Header::Timestamp(text) => {
                let time = DateTime::from_str(text, Format::DateTime)
                    .unwrap_or_else(|err| panic!("the case's timestamp {text:?}: {err}"));
                HeaderValue::Timestamp(time.to_millis().expect("a timestamp in range"))
            }
        }
    }
}

/// The response body of a case: its response events' `bytes`, one message after the other.
pub fn frames(frames: &[&[u8]]) -> Vec<u8> {
    frames.concat()
}

/// The response the HTTP client answers with.
#[derive(Debug)]
pub struct Response {
    pub code: u16,
    pub headers: &'static [(&'static str, &'static str)],
    pub body: Vec<u8>,
}

/// An HTTP client that reads each request's body to its end (the events the client sends),
/// keeps the request, and answers with the case's response.
#[derive(Debug, Clone)]
struct Answer {
    response: Arc<Response>,
    requests: Arc<Mutex<Vec<HttpRequest>>>,
}

impl HttpClient for Answer {
    fn call(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        Box::pin(async {
            Err(ConnectorError::user(
                "an operation with an event stream must be sent with `call_streaming`",
            ))
        })
    }

    fn call_streaming(
        &self,
        request: StreamingRequest,
    ) -> BoxFuture<'_, Result<StreamingResponse, ConnectorError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = match body {
                RequestBody::Bytes(bytes) => bytes,
                RequestBody::Stream(mut stream) => {
                    let mut out = BytesMut::new();
                    while let Some(chunk) = stream.next_chunk().await {
                        out.extend_from_slice(&chunk?);
                    }
                    out.freeze()
                }
            };
            self.requests
                .lock()
                .expect("not poisoned")
                .push(http::Request::from_parts(parts, body));
            let mut builder = http::Response::builder().status(self.response.code);
            for (name, value) in self.response.headers {
                builder = builder.header(*name, *value);
            }
            let body = BodyStream::from_bytes(Bytes::from(self.response.body.clone()));
            Ok(builder
                .body(body)
                .expect("the case's response is valid HTTP"))
        })
    }
}

/// One call of a case: the runtime it runs on (also the one its events are read on) and the
/// HTTP client it reached.
pub struct Call {
    runtime: tokio::runtime::Runtime,
    client: Answer,
}

impl Call {
    /// A call answered with `response`.
    pub fn new(response: Response) -> Self {
        Self {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("a tokio runtime"),
            client: Answer {
                response: Arc::new(response),
                requests: Arc::default(),
            },
        }
    }

    /// Sends `input` through the whole client (validation, serialization, endpoint, SigV4
    /// signing of the request and of each event) with one attempt.
    pub fn send<O: StreamingOperation>(
        &self,
        input: O::Input,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let config = crate::client::Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "cases"))
            .endpoint_url("https://example.com")
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .http_client(self.client.clone())
            .build();
        let handle = Handle::new(config.into(), &crate::client::SERVICE);
        self.runtime
            .block_on(handle.call_streaming::<O>(input, None))
    }

    /// The one request the client sent, with its body (the event stream, as sent).
    pub fn request(&self) -> HttpRequest {
        let requests = self.client.requests.lock().expect("not poisoned");
        assert_eq!(requests.len(), 1, "the client must send one request");
        requests[0].clone()
    }

    /// The messages of the request's event stream. A SigV4-signed request sends each message
    /// inside a signed envelope (`:date` and `:chunk-signature` headers, the message as its
    /// payload) and ends with an envelope with an empty payload: the envelopes are checked and
    /// unwrapped.
    pub fn messages(&self) -> Vec<Message> {
        let request = self.request();
        let outer = decode_all(request.body().clone(), "the request body");
        if !request.headers().contains_key(http::header::AUTHORIZATION) {
            return outer;
        }
        let (end, events) = outer
            .split_last()
            .expect("a signed event stream ends with an empty signed message");
        let mut messages = Vec::new();
        for envelope in events {
            let inner = unwrap_envelope(envelope);
            assert!(!inner.is_empty(), "an empty signed message before the end");
            let mut inner = decode_all(inner, "a signed message's payload");
            assert_eq!(inner.len(), 1, "a signed message holds one message");
            messages.push(inner.remove(0));
        }
        assert!(
            unwrap_envelope(end).is_empty(),
            "the stream's last signed message must be empty"
        );
        messages
    }

    /// Reads `receiver` to its end (or to an error that ends it): every event and error, in
    /// order.
    pub fn drain<T, E>(
        &self,
        receiver: &mut EventReceiver<T, E>,
    ) -> Vec<Result<T, SdkError<E, RawMessage>>> {
        self.runtime.block_on(async {
            let mut received = Vec::new();
            while received.len() < MAX_EVENTS {
                match receiver.recv().await {
                    Ok(Some(event)) => received.push(Ok(event)),
                    Ok(None) => break,
                    // A modeled exception leaves the stream open: the service decides.
                    Err(err @ SdkError::ServiceError(_)) => received.push(Err(err)),
                    Err(err) => {
                        received.push(Err(err));
                        break;
                    }
                }
            }
            received
        })
    }
}

/// Every message of `bytes`, which must end with the last one.
fn decode_all(mut bytes: Bytes, what: &str) -> Vec<Message> {
    let mut decoder = MessageDecoder::new();
    let mut messages = Vec::new();
    while let Some(message) = decoder
        .decode(&mut bytes)
        .unwrap_or_else(|err| panic!("{what} is not event stream messages: {err}"))
    {
        messages.push(message);
    }
    if let Err(err) = decoder.finish() {
        panic!("{what} ends inside a message: {err}");
    }
    messages
}

/// The payload of a signed envelope, whose headers are checked.
fn unwrap_envelope(envelope: &Message) -> Bytes {
    let names: Vec<&str> = envelope
        .headers()
        .iter()
        .map(|h| h.name().as_str())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "a signed message has `:date` and `:chunk-signature` only: {names:?}"
    );
    assert!(
        matches!(envelope.header(":date"), Some(HeaderValue::Timestamp(_))),
        "a signed message's `:date` is a timestamp"
    );
    match envelope.header(":chunk-signature") {
        Some(HeaderValue::ByteArray(signature)) => assert_eq!(
            signature.len(),
            32,
            "a `:chunk-signature` is a SHA-256 HMAC"
        ),
        other => panic!("a signed message's `:chunk-signature` is bytes, got {other:?}"),
    }
    envelope.payload().clone()
}

/// The events of an input event stream, in order (`Err`: a modeled error of the stream, sent
/// as an `exception` message).
pub fn sender<T: Send + 'static, E: Send + 'static>(
    items: Vec<Result<T, E>>,
) -> EventStreamSender<T, E> {
    EventStreamSender::from(Items(items.into()))
}

/// A stream of items given up front.
struct Items<T>(VecDeque<T>);

impl<T> Unpin for Items<T> {}

impl<T> Stream for Items<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<T>> {
        Poll::Ready(self.get_mut().0.pop_front())
    }
}

/// What a request event of a case expects of the message the client sent.
pub struct ExpectedMessage {
    pub headers: &'static [(&'static str, Header)],
    pub forbid_headers: &'static [&'static str],
    pub require_headers: &'static [&'static str],
    pub body: Option<&'static [u8]>,
    pub body_media_type: Option<&'static str>,
}

/// Checks the messages the client sent against the case's request events, in order: the
/// headers listed (by name, with their type and value), forbidden and required headers, and
/// the payload when the case gives one (as JSON for a JSON media type).
pub fn assert_messages(actual: &[Message], expected: &[ExpectedMessage]) {
    assert_eq!(
        actual.len(),
        expected.len(),
        "messages sent: {actual:?}, the case expects {}",
        expected.len()
    );
    for (n, (message, expected)) in actual.iter().zip(expected).enumerate() {
        for (name, value) in expected.headers {
            assert_eq!(
                message.header(name),
                Some(&value.to_wire()),
                "message {n}: header `{name}` (all headers: {:?})",
                message.headers()
            );
        }
        for name in expected.forbid_headers {
            assert_eq!(
                message.header(name),
                None,
                "message {n}: header `{name}` must not be sent"
            );
        }
        for name in expected.require_headers {
            assert!(
                message.header(name).is_some(),
                "message {n}: header `{name}` is required"
            );
        }
        if let Some(body) = expected.body {
            crate::support::assert_body(message.payload(), body, expected.body_media_type);
        }
    }
}

/// Checks that the stream gave exactly the `expected` events, then ended.
pub fn assert_events<T: PartialEq + Debug, E: Debug>(
    actual: Vec<Result<T, SdkError<E, RawMessage>>>,
    expected: Vec<T>,
) {
    assert_eq!(
        actual.len(),
        expected.len(),
        "events received: {actual:?}, the case expects {expected:?}"
    );
    for (n, (actual, expected)) in actual.into_iter().zip(&expected).enumerate() {
        match actual {
            Ok(event) => crate::responses::assert_same(&event, expected, &format!("event {n}")),
            Err(err) => panic!("event {n}: expected {expected:?}, got the error {err:?}"),
        }
    }
}

/// Checks that the stream ended with an error; with `unhandled`, an error the model does not
/// describe with that code and message (an `error` message's `:error-code` and
/// `:error-message`).
pub fn assert_stream_failed<T: Debug, E: Debug + ProvideErrorMetadata>(
    events: &[Result<T, SdkError<E, RawMessage>>],
    unhandled: Option<(Option<&str>, Option<&str>)>,
) {
    let Some(Err(err)) = events.last() else {
        panic!("the stream must end with an error, it gave {events:?}");
    };
    if let Some((code, message)) = unhandled {
        let SdkError::ServiceError(service) = err else {
            panic!("expected the service's error, got {err:?}");
        };
        assert_eq!(service.err().code(), code, "error code of {err:?}");
        assert_eq!(service.err().message(), message, "error message of {err:?}");
    }
}

/// A call the case expects to fail, and which did: nothing more to check (the case names no
/// error), but the error is shown with `--nocapture`.
pub fn assert_call_failed<E: Debug>(err: &SdkError<E>) {
    println!("the call failed, as the case expects: {err:?}");
}

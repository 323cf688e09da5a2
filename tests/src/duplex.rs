//! An HTTP/2 server (prior knowledge, 127.0.0.1) for input event streams, checking everything
//! with independent implementations: the request's SigV4 signature with `aws-sigv4` (payload
//! `STREAMING-AWS4-HMAC-SHA256-EVENTS`), then each frame of the body, decoded as it arrives with
//! `aws-smithy-eventstream`, against `aws-sigv4`'s event stream signing chained from the
//! request's signature. Every verified event is answered at once on the response stream (by
//! default an `event` message of type `Transcript` whose payload is the event's payload
//! upper-cased; [`DuplexServer::answering`] takes another [`Answer`]), so a client sees answers
//! while it is still sending; the signed empty frame ends the response.
//! A request or frame that fails the check gets a 403, or a `BadRequestException` message that
//! ends the stream.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::event_stream::{sign_empty_message, sign_message};
use aws_sigv4::sign::v4;
use aws_smithy_eventstream::frame::MessageFrameDecoder;
use aws_smithy_eventstream::frame::{read_message_from, write_message_to, DecodedFrame};
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::server::RecordedRequest;
use crate::sigv4::{verify_event_stream_request, SigningKey};

/// What the server saw.
#[derive(Debug, Clone, Default)]
pub struct DuplexLog {
    /// The HTTP version of each request.
    pub versions: Vec<http::Version>,
    /// The payloads of the events whose signatures were verified, in order.
    pub verified_events: Vec<Bytes>,
    /// Whether the signed end-of-stream frame was verified.
    pub ended: bool,
    /// Why a request or frame was refused.
    pub failures: Vec<String>,
}

/// How the server answers one verified event: the chunks of the response body to send (a
/// message may be split across chunks anywhere).
pub type Answer = fn(&Message) -> Vec<Bytes>;

/// The default answer: an `event` message of type `Transcript` whose payload is the event's
/// payload upper-cased, in one chunk.
pub fn upper_case_transcript(event: &Message) -> Vec<Bytes> {
    let text = String::from_utf8_lossy(event.payload()).to_uppercase();
    let transcript = Message::new(text.into_bytes())
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String("event".into()),
        ))
        .add_header(Header::new(
            ":event-type",
            HeaderValue::String("Transcript".into()),
        ));
    vec![encode(&transcript)]
}

/// The server; stops when dropped.
pub struct DuplexServer {
    port: u16,
    log: Arc<Mutex<DuplexLog>>,
    task: JoinHandle<()>,
}

impl Drop for DuplexServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl DuplexServer {
    /// Starts a server expecting requests signed with `key`.
    pub async fn start(key: SigningKey) -> Self {
        Self::answering(key, upper_case_transcript).await
    }

    /// Starts a server expecting requests signed with `key`, answering each verified event
    /// with `answer`.
    pub async fn answering(key: SigningKey, answer: Answer) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let log = Arc::new(Mutex::new(DuplexLog::default()));
        let state = (Arc::new(key), log.clone(), answer);
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let state = state.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let (key, log, answer) = state.clone();
                        async move { Ok::<_, Infallible>(respond(request, key, log, answer).await) }
                    });
                    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(socket), service)
                        .await;
                });
            }
        });
        Self { port, log, task }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What the server saw so far.
    pub fn log(&self) -> DuplexLog {
        self.log.lock().expect("log").clone()
    }
}

async fn respond(
    request: http::Request<Incoming>,
    key: Arc<SigningKey>,
    log: Arc<Mutex<DuplexLog>>,
    answer: Answer,
) -> http::Response<Events> {
    let (parts, body) = request.into_parts();
    log.lock().expect("log").versions.push(parts.version);
    let recorded = record(&parts);
    let refuse = |why: String| {
        log.lock().expect("log").failures.push(why);
        let mut response = http::Response::new(Events::empty());
        *response.status_mut() = http::StatusCode::FORBIDDEN;
        response
    };
    if let Err(err) = verify_event_stream_request(&recorded, &key) {
        return refuse(format!("request: {err}"));
    }
    let Some(seed) = recorded
        .header("authorization")
        .and_then(|a| a.split("Signature=").nth(1))
        .map(str::to_owned)
    else {
        return refuse("no signature in authorization".to_owned());
    };
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(read_events(body, key, seed, tx, log, answer));
    let mut response = http::Response::new(Events(Some(rx)));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/vnd.amazon.eventstream"),
    );
    response
}

/// The request head as a [`RecordedRequest`] (HTTP/2 carries the host as the authority).
fn record(parts: &http::request::Parts) -> RecordedRequest {
    let mut headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    if !headers.iter().any(|(n, _)| n == "host") {
        if let Some(authority) = parts.uri.authority() {
            headers.push(("host".to_owned(), authority.to_string()));
        }
    }
    RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers,
        body: Bytes::new(),
    }
}

/// Reads the request body's frames as they come, verifying and answering each.
async fn read_events(
    mut body: Incoming,
    key: Arc<SigningKey>,
    seed: String,
    tx: mpsc::Sender<Bytes>,
    log: Arc<Mutex<DuplexLog>>,
    answer: Answer,
) {
    let identity: Identity = Credentials::new(
        key.access_key.clone(),
        key.secret_key.clone(),
        key.session_token.clone(),
        None,
        "duplex-verifier",
    )
    .into();
    let mut decoder = MessageFrameDecoder::new();
    let mut buffer = bytes::BytesMut::new();
    let mut prior = seed;
    let fail = |why: String| {
        log.lock().expect("log").failures.push(why.clone());
        let message = Message::new(why)
            .add_header(Header::new(
                ":message-type",
                HeaderValue::String("exception".into()),
            ))
            .add_header(Header::new(
                ":exception-type",
                HeaderValue::String("BadRequestException".into()),
            ));
        encode(&message)
    };
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return;
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        buffer.extend_from_slice(&data);
        loop {
            let outer = match decoder.decode_frame(&mut buffer) {
                Ok(DecodedFrame::Complete(message)) => message,
                Ok(DecodedFrame::Incomplete) => break,
                Err(err) => {
                    let _ = tx.send(fail(format!("undecodable frame: {err}"))).await;
                    return;
                }
            };
            match check_frame(&outer, &prior, &identity, &key) {
                Ok((_, None)) => {
                    log.lock().expect("log").ended = true;
                    return;
                }
                Ok((signature, Some(event))) => {
                    prior = signature;
                    let payload = event.payload().clone();
                    log.lock()
                        .expect("log")
                        .verified_events
                        .push(payload.clone());
                    for chunk in answer(&event) {
                        if tx.send(chunk).await.is_err() {
                            return;
                        }
                    }
                }
                Err(why) => {
                    let _ = tx.send(fail(why)).await;
                    return;
                }
            }
        }
    }
    log.lock()
        .expect("log")
        .failures
        .push("the body ended without the signed end frame".to_owned());
}

/// Verifies one signed frame; its signature, and the event it carries (`None` for the end).
fn check_frame(
    outer: &Message,
    prior: &str,
    identity: &Identity,
    key: &SigningKey,
) -> Result<(String, Option<Message>), String> {
    let header = |name: &str| {
        outer
            .headers()
            .iter()
            .find(|h| h.name().as_str() == name)
            .map(|h| h.value().clone())
    };
    let Some(HeaderValue::Timestamp(date)) = header(":date") else {
        return Err("a frame without a :date timestamp".to_owned());
    };
    let Some(HeaderValue::ByteArray(signature)) = header(":chunk-signature") else {
        return Err("a frame without a :chunk-signature".to_owned());
    };
    let time = SystemTime::try_from(date).map_err(|e| format!("bad :date: {e}"))?;
    let params = v4::SigningParams::builder()
        .identity(identity)
        .region(&key.region)
        .name(&key.service)
        .time(time)
        .settings(())
        .build()
        .map_err(|e| e.to_string())?;
    let (event, expected) = if outer.payload().is_empty() {
        (None, sign_empty_message(prior, &params))
    } else {
        let event = read_message_from(outer.payload().clone())
            .map_err(|e| format!("the signed payload is not a message: {e}"))?;
        let expected = sign_message(&event, prior, &params);
        (Some(event), expected)
    };
    let (_, expected) = expected.map_err(|e| e.to_string())?.into_parts();
    let got: String = signature.iter().map(|b| format!("{b:02x}")).collect();
    if got != expected {
        return Err(format!("chunk signature {got} != expected {expected}"));
    }
    Ok((expected, event))
}

/// `message` in the event stream format.
pub fn encode(message: &Message) -> Bytes {
    let mut out = Vec::new();
    write_message_to(message, &mut out).expect("encodes");
    Bytes::from(out)
}

/// A response body fed by a channel; ends when the sender is dropped.
pub struct Events(Option<mpsc::Receiver<Bytes>>);

impl Events {
    fn empty() -> Self {
        Self(None)
    }
}

impl Body for Events {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match &mut self.get_mut().0 {
            None => Poll::Ready(None),
            Some(rx) => rx
                .poll_recv(cx)
                .map(|chunk| chunk.map(|bytes| Ok(Frame::data(bytes)))),
        }
    }
}

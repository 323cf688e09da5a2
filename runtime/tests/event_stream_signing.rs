//! The messages of an input event stream, as the request body carries them, checked with an
//! independent implementation: each frame is decoded with `aws-smithy-eventstream` and its
//! `:chunk-signature` compared with what `aws-sigv4`'s event stream signing gives for the same
//! payload, prior signature, credentials, scope and `:date`; the chain starts at the request's
//! signature and ends with the signed empty frame.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::event_stream::{sign_empty_message, sign_message};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::event_stream::{HeaderValue as TheirValue, Message as TheirMessage};
use bytes::Bytes;
use futures_core::Stream;
use smithy_rust_runtime::capability::event_stream::{
    event_headers, event_stream_body, EventStreamSender,
};
use smithy_rust_runtime::codec::event_stream::Message;
use smithy_rust_runtime::contract::error::BuildError;
use smithy_rust_runtime::contract::stream::{BodyStream, MessageSigning};
use smithy_rust_runtime::credentials::Credentials;

const SEED: &str = "6a9e5b1c2d3f40718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

#[derive(Debug, Clone, PartialEq)]
struct Audio(Vec<u8>);

#[derive(Debug)]
struct NoErrors;

fn marshall(item: Result<Audio, NoErrors>) -> Result<Message, BuildError> {
    let audio = item.map_err(|_| BuildError::other("no errors in this stream"))?;
    Ok(Message::from_parts(
        event_headers("AudioEvent"),
        Bytes::from(audio.0),
    ))
}

/// A clock starting at `start` that moves 1.7 s on at every reading.
fn ticking_clock(start: SystemTime) -> Arc<dyn Fn() -> SystemTime + Send + Sync> {
    let readings = AtomicU64::new(0);
    Arc::new(move || {
        let n = readings.fetch_add(1, Ordering::Relaxed);
        start + Duration::from_millis(1700 * n)
    })
}

fn signing(clock: Arc<dyn Fn() -> SystemTime + Send + Sync>) -> MessageSigning {
    MessageSigning {
        credentials: Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("session-token".into()),
            None,
            "test",
        ),
        region: "us-west-2".into(),
        service: "transcribe".into(),
        seed_signature: SEED.into(),
        clock,
    }
}

async fn chunks(mut body: BodyStream) -> Vec<Bytes> {
    let mut out = Vec::new();
    while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_next(cx)).await {
        out.push(chunk.expect("the body does not fail"));
    }
    out
}

/// Checks every frame with `aws-sigv4`; returns the inner messages.
fn verify_chain(frames: &[Bytes]) -> Vec<TheirMessage> {
    verify_chain_from(SEED, frames)
}

/// [`verify_chain`] from the signature `seed`.
fn verify_chain_from(seed: &str, frames: &[Bytes]) -> Vec<TheirMessage> {
    let identity: Identity = aws_credential_types::Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some("session-token".into()),
        None,
        "verifier",
    )
    .into();
    let mut prior = seed.to_owned();
    let mut inner = Vec::new();
    for (i, frame) in frames.iter().enumerate() {
        let outer = aws_smithy_eventstream::frame::read_message_from(frame.clone())
            .unwrap_or_else(|e| panic!("frame {i} does not decode: {e}"));
        let header = |name: &str| {
            outer
                .headers()
                .iter()
                .find(|h| h.name().as_str() == name)
                .map(|h| h.value().clone())
        };
        let Some(TheirValue::Timestamp(date)) = header(":date") else {
            panic!("frame {i} has no :date timestamp");
        };
        let Some(TheirValue::ByteArray(signature)) = header(":chunk-signature") else {
            panic!("frame {i} has no :chunk-signature byte array");
        };
        let time = SystemTime::try_from(date).expect("a representable date");
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region("us-west-2")
            .name("transcribe")
            .time(time)
            .settings(())
            .build()
            .unwrap();
        let expected = if outer.payload().is_empty() {
            sign_empty_message(&prior, &params)
        } else {
            let message = aws_smithy_eventstream::frame::read_message_from(outer.payload().clone())
                .unwrap_or_else(|e| panic!("the payload of frame {i} does not decode: {e}"));
            inner.push(message.clone());
            sign_message(&message, &prior, &params)
        }
        .unwrap();
        let (_, expected_signature) = expected.into_parts();
        assert_eq!(
            hex(&signature),
            expected_signature,
            "frame {i}: signature differs from aws-sigv4's"
        );
        prior = expected_signature;
    }
    inner
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn every_frame_is_signed_like_aws_sigv4_chained_from_the_request() {
    let events = vec![
        Audio(b"first chunk of audio".to_vec()),
        Audio(vec![0u8; 3000]),
        Audio(b"last".to_vec()),
    ];
    let sender: EventStreamSender<Audio, NoErrors> = events.clone().into_iter().collect();
    // A start time with milliseconds: the frames are dated in whole seconds.
    let start = UNIX_EPOCH + Duration::from_millis(1_700_000_000_456);
    let body = event_stream_body(&sender, "AudioStream", marshall)
        .unwrap()
        .into_body(Some(signing(ticking_clock(start))));
    let frames = chunks(body).await;
    assert_eq!(frames.len(), 4, "three events and the end of the stream");
    let inner = verify_chain(&frames);
    let payloads: Vec<Vec<u8>> = inner.iter().map(|m| m.payload().to_vec()).collect();
    assert_eq!(
        payloads,
        events.iter().map(|e| e.0.clone()).collect::<Vec<_>>()
    );
    assert!(sender.is_sent());
    let again = event_stream_body(&sender, "AudioStream", marshall).unwrap_err();
    assert!(again.to_string().contains("already sent"), "{again}");
}

#[tokio::test]
async fn a_channel_feeds_the_stream_until_its_senders_are_dropped() {
    let (tx, sender) = EventStreamSender::<Audio, NoErrors>::channel(2);
    let body = event_stream_body(&sender, "AudioStream", marshall)
        .unwrap()
        .into_body(Some(signing(ticking_clock(
            UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        ))));
    let producer = tokio::spawn(async move {
        for n in 0..5u8 {
            tx.send(Audio(vec![n; 10])).await.unwrap();
        }
    });
    let frames = chunks(body).await;
    producer.await.unwrap();
    assert_eq!(frames.len(), 6);
    assert_eq!(verify_chain(&frames).len(), 5);
}

#[tokio::test]
async fn an_unsigned_stream_is_the_bare_messages() {
    let sender: EventStreamSender<Audio, NoErrors> =
        vec![Audio(b"a".to_vec()), Audio(b"b".to_vec())]
            .into_iter()
            .collect();
    let body = event_stream_body(&sender, "AudioStream", marshall)
        .unwrap()
        .into_body(None);
    let frames = chunks(body).await;
    assert_eq!(frames.len(), 2, "no end-of-stream frame without signing");
    for (frame, expected) in frames.iter().zip(["a", "b"]) {
        let message = aws_smithy_eventstream::frame::read_message_from(frame.clone()).unwrap();
        assert_eq!(message.payload().as_ref(), expected.as_bytes());
    }
}

// ----------------------------------------------------------------------------------------
// A call with an input event stream, through the orchestrator.
// ----------------------------------------------------------------------------------------

mod through_the_orchestrator {
    use std::fmt;
    use std::sync::Mutex;

    use smithy_rust_runtime::config::Builder;
    use smithy_rust_runtime::contract::endpoint::{
        EndpointError, EndpointParams, ResolvedEndpoint,
    };
    use smithy_rust_runtime::contract::error::{
        BoxError, CreateUnhandledError, ErrorMetadata, ProvideErrorMetadata, SdkError,
    };
    use smithy_rust_runtime::contract::http::{
        BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse,
    };
    use smithy_rust_runtime::contract::operation::{
        Operation, ResponseFailure, SerializeContext, ServiceMeta, StreamingOperation,
    };
    use smithy_rust_runtime::contract::stream::{
        EventStreamBody, RequestBody, StreamingRequest, StreamingResponse,
    };
    use smithy_rust_runtime::contract::time::StaticTimeSource;
    use smithy_rust_runtime::env::region::Region;
    use smithy_rust_runtime::orchestrator::handle::Handle;
    use smithy_rust_runtime::retry::RetryConfig;

    use super::*;

    #[derive(Debug)]
    struct TalkError(ErrorMetadata, BoxError);

    impl fmt::Display for TalkError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{} ({})", self.0, self.1)
        }
    }

    impl std::error::Error for TalkError {}

    impl ProvideErrorMetadata for TalkError {
        fn meta(&self) -> &ErrorMetadata {
            &self.0
        }
    }

    impl CreateUnhandledError for TalkError {
        fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
            TalkError(meta.unwrap_or_default(), source)
        }
    }

    /// An operation whose input is a stream of audio events (like Transcribe's
    /// `StartStreamTranscription`), idempotent as far as the model says.
    struct Talk;

    impl Operation for Talk {
        type Input = EventStreamSender<Audio, NoErrors>;
        type Output = u16;
        type Error = TalkError;
        const NAME: &'static str = "Talk";
        const IDEMPOTENT: bool = true;

        fn validate(_: &Self::Input) -> Result<(), BuildError> {
            Ok(())
        }

        fn serialize(_: &Self::Input, _: &SerializeContext) -> Result<HttpRequest, BuildError> {
            http::Request::builder()
                .method("POST")
                .uri("/talk")
                .header("content-type", "application/vnd.amazon.eventstream")
                .body(Bytes::new())
                .map_err(|e| BuildError::other(e.to_string()))
        }

        fn deserialize(response: &HttpResponse) -> Result<u16, ResponseFailure<TalkError>> {
            let code = response
                .headers()
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let meta = ErrorMetadata::new()
                .with_code(code)
                .with_status(Some(response.status().as_u16()));
            Err(ResponseFailure::Service(TalkError(
                meta,
                "unmodeled".into(),
            )))
        }
    }

    impl StreamingOperation for Talk {
        fn input_stream(input: &Self::Input) -> Result<Option<EventStreamBody>, BuildError> {
            event_stream_body(input, "AudioStream", marshall).map(Some)
        }

        fn deserialize_streaming(
            response: StreamingResponse,
            _initial: Option<&Message>,
        ) -> Result<u16, ResponseFailure<TalkError>> {
            Ok(response.status().as_u16())
        }
    }

    fn resolve(_: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
        Ok(ResolvedEndpoint::new("https://talk.us-west-2.example.com"))
    }

    static META: ServiceMeta = ServiceMeta {
        service_id: "Talk",
        signing_name: "transcribe",
        crate_name: "talk-sdk",
        crate_version: "0.1.0",
        api_version: "2020-01-01",
        resolve_endpoint: resolve,
    };

    /// What the client was asked to send: the request head, its body's chunks, and whether the
    /// body was a stream.
    type Sent = (http::request::Parts, Vec<Bytes>, bool);

    /// An HTTP client that reads every request body to its end and answers `status`.
    #[derive(Debug, Clone)]
    struct Capture {
        status: u16,
        sent: Arc<Mutex<Vec<Sent>>>,
    }

    impl Capture {
        fn answering(status: u16) -> Self {
            Self {
                status,
                sent: Arc::default(),
            }
        }

        fn sent(&self) -> Vec<Sent> {
            self.sent.lock().unwrap().clone()
        }
    }

    impl HttpClient for Capture {
        fn call(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
            Box::pin(async { Err(ConnectorError::user("only streaming calls are expected")) })
        }

        fn call_streaming(
            &self,
            request: StreamingRequest,
        ) -> BoxFuture<'_, Result<StreamingResponse, ConnectorError>> {
            Box::pin(async move {
                let (parts, body) = request.into_parts();
                let (chunks, streamed) = match body {
                    RequestBody::Stream(stream) => (chunks(stream).await, true),
                    RequestBody::Bytes(bytes) => (vec![bytes], false),
                };
                self.sent.lock().unwrap().push((parts, chunks, streamed));
                let response = http::Response::builder()
                    .status(self.status)
                    .header("x-amzn-errortype", "ServiceUnavailableException")
                    .body(BodyStream::from_bytes(Bytes::new()))
                    .map_err(ConnectorError::user)?;
                Ok(response)
            })
        }
    }

    fn handle(client: &Capture) -> Handle {
        let config = Builder::new()
            .region(Region::new("us-west-2"))
            .credentials_provider(Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                Some("session-token".into()),
                None,
                "test",
            ))
            .time_source(StaticTimeSource::new(
                UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            ))
            .retry_config(
                RetryConfig::standard()
                    .with_initial_backoff(Duration::from_millis(1))
                    .with_max_backoff(Duration::from_millis(1)),
            )
            .http_client(client.clone())
            .build();
        Handle::new(config, &META)
    }

    fn header<'a>(parts: &'a http::request::Parts, name: &str) -> Option<&'a str> {
        parts.headers.get(name).map(|v| v.to_str().unwrap())
    }

    #[tokio::test]
    async fn the_request_is_signed_for_streaming_and_its_frames_are_chained_from_it() {
        let client = Capture::answering(200);
        let events = vec![Audio(b"hello".to_vec()), Audio(vec![7; 100])];
        let sender: EventStreamSender<Audio, NoErrors> = events.clone().into_iter().collect();
        let status = handle(&client)
            .call_streaming::<Talk>(sender, None)
            .await
            .unwrap();
        assert_eq!(status, 200);
        let sent = client.sent();
        assert_eq!(sent.len(), 1);
        let (parts, frames, streamed) = &sent[0];
        assert!(streamed, "the events are the body, sent as a stream");
        assert_eq!(
            header(parts, "x-amz-content-sha256"),
            Some("STREAMING-AWS4-HMAC-SHA256-EVENTS")
        );
        assert_eq!(
            header(parts, "content-length"),
            None,
            "the length is not known"
        );
        let authorization = header(parts, "authorization").unwrap();
        assert!(
            authorization.contains("/us-west-2/transcribe/aws4_request"),
            "{authorization}"
        );
        let seed = authorization
            .split("Signature=")
            .nth(1)
            .expect("a signature");
        assert_eq!(frames.len(), 3, "two events and the end of the stream");
        let payloads: Vec<Vec<u8>> = verify_chain_from(seed, frames)
            .iter()
            .map(|m| m.payload().to_vec())
            .collect();
        assert_eq!(
            payloads,
            events.iter().map(|e| e.0.clone()).collect::<Vec<_>>()
        );
    }

    #[tokio::test]
    async fn a_failed_attempt_is_not_retried_since_its_events_are_gone() {
        let client = Capture::answering(503);
        let sender: EventStreamSender<Audio, NoErrors> =
            vec![Audio(b"once".to_vec())].into_iter().collect();
        let err = handle(&client)
            .call_streaming::<Talk>(sender, None)
            .await
            .unwrap_err();
        assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
        assert_eq!(err.code(), Some("ServiceUnavailableException"));
        assert_eq!(client.sent().len(), 1, "one attempt");
    }
}

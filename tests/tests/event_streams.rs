//! Input event streams end to end: a hand-written operation shaped like Transcribe Streaming's
//! `StartStreamTranscription` (an input stream of audio events, an output stream of transcript
//! events) sends over HTTP/2 to [`e2e_tests::duplex::DuplexServer`], which checks the request's
//! signature and every chained message signature with `aws-sigv4` and answers each event while
//! the request is still being sent.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use e2e_tests::duplex::DuplexServer;
use e2e_tests::sigv4::SigningKey;
use smithy_rust_runtime::capability::event_stream::{
    error_message, event_headers, event_stream_body, message_type, EventReceiver,
    EventStreamSender, MessageType, Unmarshalled,
};
use smithy_rust_runtime::codec::event_stream::Message;
use smithy_rust_runtime::config::Builder;
use smithy_rust_runtime::contract::endpoint::{EndpointError, EndpointParams, ResolvedEndpoint};
use smithy_rust_runtime::contract::error::{
    BoxError, BuildError, CreateUnhandledError, DeserializeError, ErrorMetadata,
    ProvideErrorMetadata, SdkError,
};
use smithy_rust_runtime::contract::http::{HttpRequest, HttpResponse};
use smithy_rust_runtime::contract::operation::{
    Operation, ResponseFailure, SerializeContext, ServiceMeta, StreamingOperation,
};
use smithy_rust_runtime::contract::stream::{EventStreamBody, StreamingResponse};
use smithy_rust_runtime::credentials::Credentials;
use smithy_rust_runtime::env::region::Region;
use smithy_rust_runtime::orchestrator::handle::Handle;
use smithy_rust_runtime::transport::{DefaultHttpClient, HttpClientSettings, ProxySettings};

#[derive(Debug, Clone, PartialEq)]
struct AudioEvent(Bytes);

#[derive(Debug, Clone, PartialEq)]
enum TranscriptEvent {
    Transcript(String),
}

/// The input stream's error union: the client sends none.
#[derive(Debug)]
enum AudioError {}

#[derive(Debug)]
enum TranscribeError {
    Unhandled(ErrorMetadata, BoxError),
}

impl fmt::Display for TranscribeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let TranscribeError::Unhandled(meta, source) = self;
        write!(f, "{meta} ({source})")
    }
}

impl std::error::Error for TranscribeError {}

impl ProvideErrorMetadata for TranscribeError {
    fn meta(&self) -> &ErrorMetadata {
        let TranscribeError::Unhandled(meta, _) = self;
        meta
    }
}

impl CreateUnhandledError for TranscribeError {
    fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
        TranscribeError::Unhandled(meta.unwrap_or_default(), source)
    }
}

#[derive(Debug, Clone)]
struct Input {
    language: String,
    audio: EventStreamSender<AudioEvent, AudioError>,
}

#[derive(Debug)]
struct Output {
    transcripts: EventReceiver<TranscriptEvent, TranscribeError>,
}

fn marshall(item: Result<AudioEvent, AudioError>) -> Result<Message, BuildError> {
    match item {
        Ok(AudioEvent(audio)) => Ok(Message::from_parts(event_headers("AudioEvent"), audio)),
        Err(never) => match never {},
    }
}

fn unmarshall(
    message: &Message,
) -> Result<Unmarshalled<TranscriptEvent, TranscribeError>, DeserializeError> {
    match message_type(message)? {
        MessageType::Event("Transcript") => {
            let text = String::from_utf8(message.payload().to_vec())
                .map_err(|_| DeserializeError::new("a transcript is not UTF-8"))?;
            Ok(Unmarshalled::Event(TranscriptEvent::Transcript(text)))
        }
        MessageType::Event(other) => Err(DeserializeError::new(format!("unexpected {other}"))),
        MessageType::Exception(_) | MessageType::Error => {
            Ok(Unmarshalled::Error(error_message(message)))
        }
    }
}

struct StartTranscription;

impl Operation for StartTranscription {
    type Input = Input;
    type Output = Output;
    type Error = TranscribeError;
    const NAME: &'static str = "StartStreamTranscription";

    fn validate(_: &Input) -> Result<(), BuildError> {
        Ok(())
    }

    fn serialize(input: &Input, _: &SerializeContext) -> Result<HttpRequest, BuildError> {
        http::Request::builder()
            .method("POST")
            .uri("/stream-transcription")
            .header("x-amzn-transcribe-language-code", &input.language)
            .header("content-type", "application/vnd.amazon.eventstream")
            .body(Bytes::new())
            .map_err(|e| BuildError::other(e.to_string()))
    }

    fn deserialize(response: &HttpResponse) -> Result<Output, ResponseFailure<TranscribeError>> {
        let meta = ErrorMetadata::new()
            .with_code(Some(format!("Http{}", response.status().as_u16())))
            .with_status(Some(response.status().as_u16()));
        Err(ResponseFailure::Service(TranscribeError::Unhandled(
            meta,
            "refused".into(),
        )))
    }
}

impl StreamingOperation for StartTranscription {
    fn input_stream(input: &Input) -> Result<Option<EventStreamBody>, BuildError> {
        event_stream_body(&input.audio, "audio_stream", marshall).map(Some)
    }

    fn deserialize_streaming(
        response: StreamingResponse,
        _initial: Option<&Message>,
    ) -> Result<Output, ResponseFailure<TranscribeError>> {
        Ok(Output {
            transcripts: EventReceiver::new(response.into_body(), unmarshall),
        })
    }
}

fn resolve(params: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
    Ok(ResolvedEndpoint::new(
        params.endpoint.clone().unwrap_or_default(),
    ))
}

static META: ServiceMeta = ServiceMeta {
    service_id: "Transcribe Streaming",
    signing_name: "transcribe",
    crate_name: "transcribe-test",
    crate_version: "0.1.0",
    api_version: "2017-10-26",
    resolve_endpoint: resolve,
};

fn handle(url: &str, secret: &str) -> Handle {
    let key = SigningKey::test("us-west-2");
    let config = Builder::new()
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new(
            key.access_key.clone(),
            secret.to_owned(),
            None,
            None,
            "test",
        ))
        .endpoint_url(url)
        .http_client(DefaultHttpClient::new(
            HttpClientSettings::new()
                .proxy(ProxySettings::Disabled)
                .read_timeout(Some(Duration::from_secs(10))),
        ))
        .build();
    Handle::new(config, &META)
}

fn server_key() -> SigningKey {
    let mut key = SigningKey::test("us-west-2");
    key.service = "transcribe".to_owned();
    key
}

#[tokio::test]
async fn a_duplex_call_over_http2_is_answered_while_its_events_are_still_being_sent() {
    let server = DuplexServer::start(server_key()).await;
    let key = server_key();
    let handle = handle(&server.url(), &key.secret_key);
    let (audio, stream) = EventStreamSender::channel(4);
    let input = Input {
        language: "en-US".into(),
        audio: stream,
    };
    let mut output = handle
        .call_streaming::<StartTranscription>(input, None)
        .await
        .unwrap_or_else(|err| panic!("{err}: {:?}", server.log()));
    // Each answer arrives before the next event is sent: both directions are open at once.
    for word in ["hello", "event", "streams"] {
        audio
            .send(AudioEvent(Bytes::from(word)))
            .await
            .expect("the stream is open");
        let answer = tokio::time::timeout(Duration::from_secs(5), output.transcripts.recv())
            .await
            .expect("an answer while the request is still open")
            .unwrap_or_else(|err| panic!("{err:?}: {:?}", server.log()));
        assert_eq!(
            answer,
            Some(TranscriptEvent::Transcript(word.to_uppercase()))
        );
    }
    drop(audio);
    assert_eq!(output.transcripts.recv().await.unwrap(), None);
    let log = server.log();
    assert_eq!(log.failures, Vec::<String>::new());
    assert_eq!(log.versions, vec![http::Version::HTTP_2]);
    assert_eq!(
        log.verified_events,
        vec![
            Bytes::from("hello"),
            Bytes::from("event"),
            Bytes::from("streams")
        ]
    );
    assert!(log.ended, "the signed end frame was verified");
}

#[tokio::test]
async fn events_of_an_iterator_are_all_sent_and_answered() {
    let server = DuplexServer::start(server_key()).await;
    let handle = handle(&server.url(), &server_key().secret_key);
    let events: Vec<AudioEvent> = (0..20)
        .map(|n| AudioEvent(Bytes::from(format!("chunk {n}"))))
        .collect();
    let input = Input {
        language: "en-US".into(),
        audio: events.into_iter().collect(),
    };
    let mut output = handle
        .call_streaming::<StartTranscription>(input, None)
        .await
        .unwrap();
    let mut answers = Vec::new();
    while let Some(TranscriptEvent::Transcript(text)) = output.transcripts.recv().await.unwrap() {
        answers.push(text);
    }
    assert_eq!(answers.len(), 20);
    assert_eq!(answers[19], "CHUNK 19");
    let log = server.log();
    assert!(log.ended && log.failures.is_empty(), "{log:?}");
}

#[tokio::test]
async fn a_wrong_secret_is_refused_by_the_independent_check() {
    let server = DuplexServer::start(server_key()).await;
    let handle = handle(&server.url(), "not-the-secret");
    let input = Input {
        language: "en-US".into(),
        audio: vec![AudioEvent(Bytes::from("x"))].into_iter().collect(),
    };
    let err = handle
        .call_streaming::<StartTranscription>(input, None)
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    let log = server.log();
    assert_eq!(log.failures.len(), 1, "{log:?}");
    assert_eq!(log.versions.len(), 1, "{log:?}");
    assert!(log.failures[0].contains("signature mismatch"), "{log:?}");
}

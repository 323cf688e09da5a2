//! The generated Amazon Transcribe Streaming client (`tests/transcribe`, from the current AWS
//! model) calling its duplex `StartStreamTranscription` against the HTTP/2 server of
//! `e2e_tests::duplex`, which checks the request's and every event's chained SigV4 signature
//! with `aws-sigv4` and answers each event while the request is still being sent. The answers
//! are the model's `TranscriptEvent`s (JSON payloads) and its modeled exceptions, each split
//! into small, odd chunks.

use std::time::Duration;

use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use bytes::Bytes;
use e2e_tests::duplex::{encode, DuplexServer};
use e2e_tests::sigv4::SigningKey;

use transcribe_streaming::error::{ProvideErrorMetadata, SdkError};
use transcribe_streaming::primitives::event_stream::{EventReceiver, EventStreamSender};
use transcribe_streaming::primitives::Blob;
use transcribe_streaming::types::error::{AudioStreamError, TranscriptResultStreamError};
use transcribe_streaming::types::{
    AudioEvent, AudioStream, ChannelDefinition, ConfigurationEvent, LanguageCode, MediaEncoding,
    ParticipantRole, TranscriptResultStream,
};

fn key() -> SigningKey {
    let mut key = SigningKey::test("us-west-2");
    key.service = "transcribe".to_owned();
    key
}

fn client(url: &str) -> transcribe_streaming::Client {
    let settings = e2e_tests::test_settings(url, &key());
    transcribe_streaming::Client::from_conf(
        transcribe_streaming::config::Builder::from(settings).build(),
    )
}

/// `message` in chunks of 1, 2, 3, ... bytes.
fn oddly_split(message: &Message) -> Vec<Bytes> {
    let bytes = encode(message);
    let mut chunks = Vec::new();
    let (mut at, mut size) = (0, 1);
    while at < bytes.len() {
        let end = (at + size).min(bytes.len());
        chunks.push(bytes.slice(at..end));
        at = end;
        size += 1;
    }
    chunks
}

fn string_header(message: &Message, name: &str) -> String {
    message
        .headers()
        .iter()
        .find(|h| h.name().as_str() == name)
        .and_then(|h| match h.value() {
            HeaderValue::String(text) => Some(text.as_str().to_owned()),
            _ => None,
        })
        .unwrap_or_default()
}

/// Answers each event the client sent (as the generated marshaller wrote it) with a
/// `TranscriptEvent` whose one transcript says what arrived: `<:event-type> <:content-type>
/// <payload upper-cased>`; the audio `fail` with a `BadRequestException`, the audio `crash`
/// with an `error` message.
fn transcribe(event: &Message) -> Vec<Bytes> {
    let payload = String::from_utf8_lossy(event.payload()).into_owned();
    let reply = match payload.as_str() {
        "fail" => Message::new(r#"{"Message":"the audio is not PCM"}"#)
            .add_header(Header::new(
                ":message-type",
                HeaderValue::String("exception".into()),
            ))
            .add_header(Header::new(
                ":exception-type",
                HeaderValue::String("BadRequestException".into()),
            ))
            .add_header(Header::new(
                ":content-type",
                HeaderValue::String("application/json".into()),
            )),
        "crash" => Message::new(Bytes::new())
            .add_header(Header::new(
                ":message-type",
                HeaderValue::String("error".into()),
            ))
            .add_header(Header::new(
                ":error-code",
                HeaderValue::String("InternalError".into()),
            ))
            .add_header(Header::new(
                ":error-message",
                HeaderValue::String("the service broke".into()),
            )),
        _ => {
            let text = format!(
                "{} {} {}",
                string_header(event, ":event-type"),
                string_header(event, ":content-type"),
                payload.to_uppercase()
            );
            let transcript = serde_json::json!({
                "Transcript": {
                    "Results": [{
                        "ResultId": "r1",
                        "IsPartial": false,
                        "StartTime": 0.5,
                        "Alternatives": [{ "Transcript": text }]
                    }]
                }
            });
            Message::new(transcript.to_string())
                .add_header(Header::new(
                    ":message-type",
                    HeaderValue::String("event".into()),
                ))
                .add_header(Header::new(
                    ":event-type",
                    HeaderValue::String("TranscriptEvent".into()),
                ))
                .add_header(Header::new(
                    ":content-type",
                    HeaderValue::String("application/json".into()),
                ))
        }
    };
    oddly_split(&reply)
}

fn audio(bytes: &'static str) -> AudioStream {
    AudioStream::AudioEvent(
        AudioEvent::builder()
            .audio_chunk(Blob::new(bytes.as_bytes().to_vec()))
            .build(),
    )
}

/// The text of the next event, which must be a transcript.
async fn next_text(
    stream: &mut EventReceiver<TranscriptResultStream, TranscriptResultStreamError>,
) -> String {
    let event = tokio::time::timeout(Duration::from_secs(5), stream.recv())
        .await
        .expect("an answer while the request is still open")
        .expect("an event")
        .expect("not the end of the stream");
    let TranscriptResultStream::TranscriptEvent(event) = event else {
        panic!("not a transcript: {event:?}");
    };
    let results = event.transcript().expect("a transcript").results();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].result_id(), Some("r1"));
    assert_eq!(results[0].start_time(), 0.5);
    results[0].alternatives()[0]
        .transcript()
        .unwrap_or_default()
        .to_owned()
}

async fn start(
    client: &transcribe_streaming::Client,
    events: EventStreamSender<AudioStream, AudioStreamError>,
) -> transcribe_streaming::operation::start_stream_transcription::StartStreamTranscriptionOutput {
    client
        .start_stream_transcription()
        .language_code(LanguageCode::EnUs)
        .media_sample_rate_hertz(16_000)
        .media_encoding(MediaEncoding::Pcm)
        .audio_stream(events)
        .send()
        .await
        .expect("the call starts")
}

#[tokio::test]
async fn a_generated_duplex_operation_streams_both_ways_with_every_signature_verified() {
    let server = DuplexServer::answering(key(), transcribe).await;
    let client = client(&server.url());
    let (sender, events) = EventStreamSender::channel(4);
    let mut output = start(&client, events).await;
    // Each answer (split into 1, 2, 3... byte chunks) arrives before the next event is sent.
    for word in ["hello", "event", "streams"] {
        sender.send(audio(word)).await.expect("the stream is open");
        let text = next_text(&mut output.transcript_result_stream).await;
        assert_eq!(
            text,
            format!(
                "AudioEvent application/octet-stream {}",
                word.to_uppercase()
            )
        );
    }
    // An event whose members are a JSON payload.
    let configuration = ConfigurationEvent::builder()
        .channel_definitions(
            ChannelDefinition::builder()
                .channel_id(1)
                .participant_role(ParticipantRole::Agent)
                .build()
                .expect("a channel definition"),
        )
        .build();
    sender
        .send(AudioStream::ConfigurationEvent(configuration))
        .await
        .expect("the stream is open");
    let text = next_text(&mut output.transcript_result_stream).await;
    assert_eq!(
        text,
        r#"ConfigurationEvent application/json {"CHANNELDEFINITIONS":[{"CHANNELID":1,"PARTICIPANTROLE":"AGENT"}]}"#
    );
    drop(sender);
    assert!(output
        .transcript_result_stream
        .recv()
        .await
        .unwrap()
        .is_none());
    let log = server.log();
    assert_eq!(log.failures, Vec::<String>::new());
    assert_eq!(log.versions, vec![http::Version::HTTP_2]);
    assert_eq!(log.verified_events.len(), 4);
    assert!(log.ended, "the signed end frame was verified");
}

#[tokio::test]
async fn a_modeled_exception_mid_stream_is_the_streams_typed_error() {
    let server = DuplexServer::answering(key(), transcribe).await;
    let client = client(&server.url());
    let events: EventStreamSender<AudioStream, AudioStreamError> =
        vec![audio("first"), audio("fail"), audio("after")]
            .into_iter()
            .collect();
    let mut output = start(&client, events).await;
    let stream = &mut output.transcript_result_stream;
    assert_eq!(
        next_text(stream).await,
        "AudioEvent application/octet-stream FIRST"
    );
    let err = stream.recv().await.expect_err("the exception");
    let SdkError::ServiceError(service) = &err else {
        panic!("not a service error: {err:?}");
    };
    let TranscriptResultStreamError::BadRequestException(exception) = service.err() else {
        panic!("not the modeled exception: {err:?}");
    };
    assert_eq!(exception.message(), Some("the audio is not PCM"));
    assert_eq!(service.err().code(), Some("BadRequestException"));
    // The service decides whether events follow a modeled exception: this one goes on.
    assert_eq!(
        next_text(stream).await,
        "AudioEvent application/octet-stream AFTER"
    );
    assert!(stream.recv().await.unwrap().is_none());
}

#[tokio::test]
async fn an_error_message_is_an_unhandled_error_with_its_code_and_message() {
    let server = DuplexServer::answering(key(), transcribe).await;
    let client = client(&server.url());
    let events: EventStreamSender<AudioStream, AudioStreamError> =
        vec![audio("crash")].into_iter().collect();
    let mut output = start(&client, events).await;
    let err = output
        .transcript_result_stream
        .recv()
        .await
        .expect_err("the error message");
    let service = err.as_service_error().expect("a service error");
    assert!(service.is_unhandled(), "{service:?}");
    assert_eq!(service.code(), Some("InternalError"));
    assert_eq!(service.message(), Some("the service broke"));
    // An unmodeled error ends the stream.
    assert!(output
        .transcript_result_stream
        .recv()
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn an_input_without_its_stream_is_refused_before_sending() {
    let client = client("http://127.0.0.1:9");
    let err = client
        .start_stream_transcription()
        .language_code(LanguageCode::EnUs)
        .media_sample_rate_hertz(16_000)
        .media_encoding(MediaEncoding::Pcm)
        .send()
        .await
        .expect_err("the stream is required");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert!(format!("{err:?}").contains("audio_stream"), "{err:?}");
}

#[tokio::test]
async fn typed_stubs_answer_a_stream_operation_with_prepared_events() {
    use transcribe_streaming::operation::start_stream_transcription::{
        StartStreamTranscription, StartStreamTranscriptionOutput,
    };
    use transcribe_streaming::test_util::Stubs;
    use transcribe_streaming::types::{
        Alternative, ResultValue as TranscriptResult, Transcript, TranscriptEvent,
    };

    let event = TranscriptEvent::builder()
        .transcript(
            Transcript::builder()
                .results(
                    TranscriptResult::builder()
                        .result_id("r1")
                        .alternatives(Alternative::builder().transcript("stubbed").build())
                        .build(),
                )
                .build(),
        )
        .build();
    let stubs = Stubs::new();
    stubs.on::<StartStreamTranscription>().then_output(
        StartStreamTranscriptionOutput::builder()
            .transcript_result_stream(EventReceiver::from_events([
                Ok(TranscriptResultStream::TranscriptEvent(event)),
                Err(TranscriptResultStreamError::BadRequestException(
                    transcribe_streaming::types::error::BadRequestException::builder()
                        .message("stubbed failure")
                        .build(),
                )),
            ]))
            .build(),
    );
    let client = transcribe_streaming::Client::from_conf(
        transcribe_streaming::Config::builder().stubs(stubs).build(),
    );
    let mut output = start(&client, vec![audio("unheard")].into_iter().collect()).await;
    let stream = &mut output.transcript_result_stream;
    let Some(TranscriptResultStream::TranscriptEvent(event)) = stream.recv().await.unwrap() else {
        panic!("not the stubbed transcript");
    };
    let results = event.transcript().unwrap().results();
    assert_eq!(results[0].alternatives()[0].transcript(), Some("stubbed"));
    let err = stream.recv().await.unwrap_err();
    assert!(
        matches!(
            err.as_service_error(),
            Some(TranscriptResultStreamError::BadRequestException(e))
                if e.message() == Some("stubbed failure")
        ),
        "{err:?}"
    );
    assert!(stream.recv().await.unwrap().is_none());
}

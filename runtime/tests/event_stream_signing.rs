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
    let identity: Identity = aws_credential_types::Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some("session-token".into()),
        None,
        "verifier",
    )
    .into();
    let mut prior = SEED.to_owned();
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

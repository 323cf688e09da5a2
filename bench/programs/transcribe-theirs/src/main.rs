//! Calls StartStreamTranscription once with the official Transcribe Streaming SDK, configured the
//! documented way (`aws_config::load_defaults`): one audio event sent on the input stream, the
//! transcript events read until the stream ends. `BENCH_ENDPOINT` (if set) overrides the endpoint.

use std::pin::Pin;
use std::task::{Context, Poll};

use aws_config::BehaviorVersion;
use aws_sdk_transcribestreaming::primitives::Blob;
use aws_sdk_transcribestreaming::types::error::AudioStreamError;
use aws_sdk_transcribestreaming::types::{AudioEvent, AudioStream, LanguageCode, MediaEncoding};

/// An input stream of one audio event.
struct OneEvent(Option<AudioStream>);

impl futures_core::Stream for OneEvent {
    type Item = Result<AudioStream, AudioStreamError>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.get_mut().0.take().map(Ok))
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Ok(url) = std::env::var("BENCH_ENDPOINT") {
            loader = loader.endpoint_url(url);
        }
        let shared = loader.load().await;
        let client = aws_sdk_transcribestreaming::Client::new(&shared);
        let audio = AudioStream::AudioEvent(
            AudioEvent::builder()
                .audio_chunk(Blob::new(vec![0u8; 3200]))
                .build(),
        );
        let call = client
            .start_stream_transcription()
            .language_code(LanguageCode::EnUs)
            .media_sample_rate_hertz(16_000)
            .media_encoding(MediaEncoding::Pcm)
            .audio_stream(OneEvent(Some(audio)).into());
        match call.send().await {
            Ok(mut out) => loop {
                match out.transcript_result_stream.recv().await {
                    Ok(Some(event)) => println!("{event:?}"),
                    Ok(None) => break,
                    Err(err) => {
                        eprintln!("stream failed: {err}");
                        break;
                    }
                }
            },
            Err(err) => eprintln!("call failed: {err}"),
        }
    });
    Ok(())
}

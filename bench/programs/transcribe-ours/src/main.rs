//! Calls StartStreamTranscription once with the generated Transcribe Streaming client: one audio
//! event sent on the input stream, the transcript events read until the stream ends. Region and
//! credentials come from the environment chain; `BENCH_ENDPOINT` (if set) overrides the endpoint.

use transcribe_streaming::config::Builder;
use transcribe_streaming::primitives::event_stream::EventStreamSender;
use transcribe_streaming::primitives::Blob;
use transcribe_streaming::types::error::AudioStreamError;
use transcribe_streaming::types::{AudioEvent, AudioStream, LanguageCode, MediaEncoding};
use transcribe_streaming::Client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut builder = Builder::from_env();
        if let Ok(url) = std::env::var("BENCH_ENDPOINT") {
            builder = builder.endpoint_url(url);
        }
        let client = Client::from_conf(builder.build());
        let audio = AudioStream::AudioEvent(
            AudioEvent::builder()
                .audio_chunk(Blob::new(vec![0u8; 3200]))
                .build(),
        );
        let events: EventStreamSender<AudioStream, AudioStreamError> =
            std::iter::once(audio).collect();
        let call = client
            .start_stream_transcription()
            .language_code(LanguageCode::EnUs)
            .media_sample_rate_hertz(16_000)
            .media_encoding(MediaEncoding::Pcm)
            .audio_stream(events);
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

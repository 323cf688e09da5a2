//! The Amazon Transcribe Streaming client smithy-rust-codegen generates from the current AWS
//! model (`../shared/models/aws/transcribe-streaming-2017-10-26.json`, restJson1 with event
//! streams in both directions, with the current partition data): `build.rs` generates it and
//! flattens it into one file that this crate root includes. The end-to-end tests in
//! `tests/tests/transcribe_streaming.rs` drive its duplex `StartStreamTranscription` against an
//! HTTP/2 server on 127.0.0.1; the model's endpoint test cases run as this crate's unit tests.

include!(concat!(env!("OUT_DIR"), "/client.rs"));

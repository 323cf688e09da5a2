//! The awsJson1_1 client smithy-rust-codegen generates from the `ChatRpc` service of
//! `model/test-models/event-streams.smithy`: `Converse` (an output event stream whose other
//! output members come in the stream's `initial-response` message) and `Talk` (both ways; the
//! input's other members go in the `initial-request` message). `build.rs` generates it and
//! flattens it into one file that this crate root includes; the end-to-end tests are in
//! `tests/tests/aws_json_event_streams.rs`.

include!(concat!(env!("OUT_DIR"), "/client.rs"));

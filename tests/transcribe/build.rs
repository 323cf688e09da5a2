//! Generates the Amazon Transcribe Streaming client from the AWS model with smithy-rust-codegen used as a library
//! and flattens it into `$OUT_DIR/client.rs` (see `tests/build/generated_client.rs`).

#[path = "../build/generated_client.rs"]
mod generated_client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    generated_client::generate(
        "../../../shared/models/aws/transcribe-streaming-2017-10-26.json",
        "transcribe-streaming",
        "com.amazonaws.transcribestreaming#Transcribe",
    )
}

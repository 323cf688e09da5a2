//! Generates the awsJson1_1 `ChatRpc` client of `model/test-models/event-streams.smithy` with
//! smithy-rust-codegen used as a library and flattens it into `$OUT_DIR/client.rs` (see
//! `tests/build/generated_client.rs`).

#[path = "../build/generated_client.rs"]
mod generated_client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    generated_client::generate(
        "../../model/test-models/event-streams.smithy",
        "chat-rpc",
        "com.example.streams#ChatRpc",
    )
}

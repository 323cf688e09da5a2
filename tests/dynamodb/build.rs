//! Generates the DynamoDB client from the AWS model with smithy-rust-codegen used as a library
//! and flattens it into `$OUT_DIR/client.rs` (see `tests/build/generated_client.rs`).

#[path = "../build/generated_client.rs"]
mod generated_client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    generated_client::generate(
        "../../../shared/models/aws/dynamodb-2012-08-10.json",
        "dynamodb",
        "com.amazonaws.dynamodb#DynamoDB_20120810",
    )
}

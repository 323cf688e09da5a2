//! The Amazon DynamoDB client smithy-rust-codegen generates from the current AWS model
//! (`../shared/models/aws/dynamodb-2012-08-10.json`, awsJson1_0, with the current partition
//! data): `build.rs` generates it and flattens it into one file that this crate root includes.
//! The end-to-end tests in `tests/tests/dynamodb.rs` drive it against a fake DynamoDB on
//! 127.0.0.1; the model's endpoint test cases run as this crate's unit tests.

include!(concat!(env!("OUT_DIR"), "/client.rs"));

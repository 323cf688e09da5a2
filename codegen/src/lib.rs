//! smithy-rust-codegen: reads a Smithy model and emits a Rust client crate.

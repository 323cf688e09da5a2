//! smithy-rust-codegen: reads a Smithy model and emits a Rust client crate.

pub mod endpoint_rules;
pub mod idl;

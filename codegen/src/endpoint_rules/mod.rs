//! Endpoint rule set -> Rust code (in progress).

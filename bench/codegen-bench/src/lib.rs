//! Codegen-time bench (see `benches/codegen.rs`); a separate package so that `codegen`'s
//! `serde_json/preserve_order` feature does not leak into the client benches.

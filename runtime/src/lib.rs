//! The runtime of the Rust clients that smithy-rust-codegen generates from Smithy models: HTTP
//! transport, AWS Signature Version 4, credentials and region providers, endpoint rule functions,
//! retries, timeouts, interceptors, JSON and HTTP-binding codecs, pagination and test doubles.
//!
//! Every generated client depends on this crate (or, for a self-contained crate, carries a copy
//! of its sources), so the clients of one program share one configuration
//! (`config::SharedConfig`), one credentials cache and one connection pool. Users normally
//! reach these types through the generated crate (`<crate>::config`, `<crate>::error`,
//! `<crate>::primitives`, `<crate>::test_util`); generated code reaches them through the
//! [`codegen`] facade.
//!
//! # Layers
//!
//! Each module imports only the modules below it (checked by `tests/layering.rs`):
//!
//! | layer | modules |
//! |---|---|
//! | top | [`orchestrator`] (the call pipeline, pagination), then [`config`] |
//! | pieces | [`credentials`], [`capability`], [`timeout`], [`sigv4`], [`transport`], [`codec`], [`endpoint`], [`retry`], [`rate_limit`], [`env`](mod@env), [`primitives`], `blocking`, `test_util` |
//! | leaf | [`contract`]: HTTP types, the `Operation` trait, errors, the `HttpClient`, `Interceptor`, identity and time traits |
//!
//! The capability codecs (`codec::event_stream`, feature `event-stream`; `codec::cbor`, feature
//! `cbor`) import no other module of the runtime.
//!
//! Test doubles (`test_util`, feature `test-util`) plug in through the contract traits: the
//! replay client is an `HttpClient`, typed stubs are an `Interceptor` that answers calls.

pub mod contract;

pub mod codec;
pub mod endpoint;
pub mod env;
pub mod primitives;
pub mod rate_limit;
pub mod retry;
pub mod sigv4;
pub mod transport;

pub mod capability;
pub mod credentials;
pub mod timeout;

#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "test-util")]
pub mod test_util;

pub mod config;
pub mod orchestrator;

#[doc(hidden)]
pub mod codegen;

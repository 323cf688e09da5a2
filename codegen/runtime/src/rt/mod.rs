//! The client runtime shared by every generated crate.
//!
//! Generated per-shape code only talks to this module through [`operation`] (the contract an
//! operation implements), [`error`] (the error types users see), the wire helpers and the client
//! handle that runs an operation.

pub mod auth;
#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "byte-stream")]
pub mod byte_stream;
#[cfg(feature = "cbor")]
pub mod cbor;
#[cfg(feature = "content-md5")]
pub mod checksum;
pub mod client;
#[cfg(feature = "request-compression")]
pub mod compression;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod endpoint_lib;
pub mod env;
pub mod error;
#[cfg(feature = "event-stream")]
pub mod event_stream;
#[cfg(feature = "glacier-checksums")]
pub mod glacier;
pub mod http_binding;
pub mod http_client;
pub mod interceptor;
pub mod json;
pub mod operation;
pub mod paginator;
pub mod primitives;
pub mod profile;
pub mod region;
pub mod restjson;
pub mod retry;
#[cfg(feature = "aws-config")]
pub mod sdk_config;
pub mod sigv4;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod time;
pub mod timeout;
pub mod user_agent;

//! The client runtime shared by every generated crate.
//!
//! Generated per-shape code only talks to this module through [`operation`] (the contract an
//! operation implements), [`error`] (the error types users see), the wire helpers and the client
//! handle that runs an operation.

pub mod endpoint;
pub mod error;
pub mod operation;
pub mod http_client;
pub mod interceptor;
pub mod retry;
pub mod timeout;
pub mod user_agent;
pub mod endpoint_lib;
pub mod credentials;
pub mod env;
pub mod profile;
pub mod region;
pub mod sigv4;
pub mod time;
pub mod client;
pub mod config;
#[cfg(feature = "test-util")]
pub mod test_util;
#[cfg(feature = "blocking")]
pub mod blocking;
pub mod http_binding;
pub mod json;
pub mod primitives;

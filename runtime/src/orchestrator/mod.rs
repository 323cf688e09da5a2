//! The orchestrator: runs a call from its input to its output (authentication scheme selection,
//! serialization, endpoint, signing, retries, timeouts, interceptors), customizes one call, and
//! pages through paginated operations; blocking calls (feature `blocking`) drive the same calls.

pub mod auth;
#[cfg(feature = "blocking")]
pub mod blocking;
pub mod customize;
pub mod handle;
pub mod paginator;
pub mod user_agent;

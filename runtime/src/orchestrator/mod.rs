//! The orchestrator: runs a call from its input to its output (authentication scheme selection,
//! serialization, endpoint, signing, retries, timeouts, interceptors), customizes one call, and
//! pages through paginated operations.

pub mod auth;
pub mod customize;
pub mod handle;
pub mod paginator;
pub mod user_agent;

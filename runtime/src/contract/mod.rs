//! The contract layer: the types and traits every other part of the runtime, and the generated
//! code, agree on. It imports nothing from the rest of the crate.
//!
//! - [`http`]: HTTP messages and the [`HttpClient`](http::HttpClient) trait;
//! - `stream`: the streaming bodies of event stream operations (feature `event-stream`);
//! - [`operation`]: the [`Operation`](operation::Operation) trait a generated operation
//!   implements, [`ServiceMeta`](operation::ServiceMeta) and the serializer's context;
//! - [`error`]: the errors users see ([`SdkError`](error::SdkError),
//!   [`BuildError`](error::BuildError), [`ErrorMetadata`](error::ErrorMetadata)...);
//! - [`endpoint`]: endpoint parameters and the resolved endpoint;
//! - [`auth`]: the authentication schemes an operation accepts;
//! - [`identity`]: credentials, tokens, API keys and the provider traits;
//! - [`interceptor`]: hooks that observe, change or answer a call;
//! - [`time`]: the clock and sleep traits;
//! - [`text`]: text from outside the program, escaped for display and logs.

pub mod auth;
pub mod endpoint;
pub mod error;
pub mod http;
pub mod identity;
pub mod interceptor;
pub mod operation;
#[cfg(feature = "event-stream")]
pub mod stream;
pub mod text;
pub mod time;

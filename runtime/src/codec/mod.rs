//! Protocol codecs: JSON reading and writing, the HTTP bindings of Smithy members (labels,
//! query strings, headers) and the restJson1 error rules; and, as capabilities for the services
//! whose protocols use them, the event stream message format and CBOR.
//!
//! The capability codecs are self-contained: they import nothing else of the runtime.

pub mod http_binding;
pub mod json;
pub mod restjson;

#[cfg(feature = "cbor")]
pub mod cbor;
#[cfg(feature = "event-stream")]
pub mod event_stream;

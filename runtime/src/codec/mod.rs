//! Protocol codecs: JSON reading and writing, the HTTP bindings of Smithy members (labels,
//! query strings, headers), one module per protocol with its request and error rules
//! ([`restjson`], [`aws_json`], `rpcv2_cbor`), what the RPC protocols share ([`rpc`],
//! [`error_code`]); and, as capabilities for the services whose protocols use them, the event
//! stream message format and CBOR (with the rpcv2Cbor protocol module).
//!
//! The capability codecs (`cbor`, `event_stream`) are self-contained: they import nothing else
//! of the runtime.

pub mod aws_json;
pub mod error_code;
pub mod http_binding;
pub mod json;
pub mod restjson;
pub mod rpc;

#[cfg(feature = "cbor")]
pub mod cbor;
#[cfg(feature = "event-stream")]
pub mod event_stream;
#[cfg(feature = "cbor")]
pub mod rpcv2_cbor;

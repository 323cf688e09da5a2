//! Capabilities: runtime parts that only some models need, each behind a feature of the same
//! name that a generated crate turns on only when its model uses it.

#[cfg(feature = "byte-stream")]
pub mod byte_stream;
#[cfg(feature = "content-md5")]
pub mod checksum;
#[cfg(feature = "request-compression")]
pub mod compression;
#[cfg(feature = "event-stream")]
pub mod event_stream;
#[cfg(feature = "glacier-checksums")]
pub mod glacier;

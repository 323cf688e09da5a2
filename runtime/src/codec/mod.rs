//! Protocol codecs: JSON reading and writing, the HTTP bindings of Smithy members (labels,
//! query strings, headers) and the restJson1 error rules.

pub mod http_binding;
pub mod json;
pub mod restjson;

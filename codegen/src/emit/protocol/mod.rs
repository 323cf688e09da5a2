//! The code each wire protocol emits, behind one interface: [`ProtocolEmitter`]. An
//! operation's `wire.rs` gets its request serializer and response deserializer from it, the
//! crate's `wire` module the (de)serializers of the shared shapes and error structures; the
//! shape emitters (structures, enums, unions, builders, errors) know no protocol.
//!
//! Adding a protocol: its facts for lowering in [`crate::ir::protocol`] (the trait that selects
//! it, whether it honours HTTP bindings), a module here implementing [`ProtocolEmitter`] (with
//! its body codec beside [`super::json`] and [`super::cbor`] when it has a new format) and its
//! arm in [`emitter`]; its runtime rules in a module of the runtime's `codec/`.

mod aws_json;
mod rest_json;
mod rpc;
mod rpcv2_cbor;

use proc_macro2::TokenStream;

use super::event_stream::EventDocuments;
use crate::ir::{OperationIr, Protocol, ServiceIr, StructIr, UnionIr};

/// What one protocol emits.
pub(crate) trait ProtocolEmitter: Sync {
    /// The name of the body format in documentation, e.g. `JSON`.
    fn body_format(&self) -> &'static str;

    /// The runtime capabilities (features) the protocol's code needs.
    fn capabilities(&self) -> &'static [&'static str] {
        &[]
    }

    /// An operation's wire code: `serialize_request(input, ctx)`, `deserialize_output(response)`
    /// (a success response) and `deserialize_error(response)`, as the operation's `Operation`
    /// impl calls them.
    fn operation_wire(&self, service: &ServiceIr, op: &OperationIr) -> TokenStream;

    /// The functions writing (`ser`) and reading (`de`) a shared structure in a body.
    fn structure_codecs(&self, s: &StructIr, ser: bool, de: bool) -> Vec<TokenStream>;

    /// The functions writing (`ser`) and reading (`de`) a union in a body.
    fn union_codecs(&self, u: &UnionIr, ser: bool, de: bool) -> Vec<TokenStream>;

    /// `de_<error>(body, headers, meta)`: reads an error structure from an error response.
    fn error_codec(&self, s: &StructIr) -> TokenStream;

    /// The documents of event stream payloads; `None` when the generator does not implement
    /// the protocol's event streams (lowering then leaves their operations out).
    fn event_documents(&self) -> Option<&'static dyn EventDocuments> {
        None
    }

    /// Whether an operation's members other than its event stream travel in the stream's first
    /// message, `initial-request` / `initial-response` (the RPC protocols, which have no HTTP
    /// bindings to carry them beside the stream).
    fn initial_messages(&self) -> bool {
        false
    }
}

/// The registry: the emitter of each protocol.
pub(crate) fn emitter(protocol: Protocol) -> &'static dyn ProtocolEmitter {
    match protocol {
        Protocol::RestJson1 => &rest_json::RestJson,
        Protocol::AwsJson1_0 => &aws_json::AwsJson::V1_0,
        Protocol::AwsJson1_1 => &aws_json::AwsJson::V1_1,
        Protocol::RpcV2Cbor => &rpcv2_cbor::RpcV2Cbor,
    }
}

/// The emitter of a service's protocol.
pub(crate) fn for_service(ir: &ServiceIr) -> &'static dyn ProtocolEmitter {
    emitter(ir.protocol.protocol)
}

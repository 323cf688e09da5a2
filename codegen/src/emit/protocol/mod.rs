//! The code each wire protocol emits, behind one interface: [`ProtocolEmitter`]. An
//! operation's `wire.rs` gets its request serializer and response deserializer from it, the
//! crate's `wire` module the (de)serializers of the shared shapes and error structures; the
//! shape emitters (structures, enums, unions, builders, errors) know no protocol.
//!
//! Adding a protocol: its facts for lowering in [`crate::ir::protocol`] (the trait that selects
//! it, whether it honours HTTP bindings), a module here implementing [`ProtocolEmitter`] (with
//! its body format beside [`super::json`] and [`super::cbor`], a [`DocumentFormat`], when it
//! has a new one) and its arm in [`emitter`]; its runtime rules in a module of the runtime's
//! `codec/`.

mod aws_json;
mod rest_json;
mod rpc;
mod rpcv2_cbor;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::body::wire_fn;
use super::document::{self, DocumentFormat};
use super::event_stream::EventDocuments;
use super::tokens::ident;
use crate::ir::{OperationIr, Protocol, ServiceIr, StructIr, UnionIr};

/// What one protocol emits.
pub(crate) trait ProtocolEmitter: Sync {
    /// The format of the protocol's bodies.
    fn document(&self) -> &'static dyn DocumentFormat;

    /// The name of the body format in documentation, e.g. `JSON`.
    fn body_format(&self) -> &'static str {
        self.document().name()
    }

    /// The runtime capabilities (features) the protocol's code needs.
    fn capabilities(&self) -> &'static [&'static str] {
        &[]
    }

    /// An operation's wire code: `serialize_request(input, ctx)`, `deserialize_output(response)`
    /// (a success response) and `deserialize_error(response)`, as the operation's `Operation`
    /// impl calls them.
    fn operation_wire(&self, service: &ServiceIr, op: &OperationIr) -> TokenStream;

    /// The functions writing (`ser`) and reading (`de`) a shared structure in a body.
    fn structure_codecs(&self, s: &StructIr, ser: bool, de: bool) -> Vec<TokenStream> {
        let fmt = self.document();
        let mut code = Vec::new();
        if ser {
            code.push(document::ser_structure(fmt, s));
        }
        if de {
            code.push(document::de_structure(fmt, s));
        }
        code
    }

    /// The functions writing (`ser`) and reading (`de`) a union in a body.
    fn union_codecs(&self, u: &UnionIr, ser: bool, de: bool) -> Vec<TokenStream> {
        let fmt = self.document();
        let mut code = Vec::new();
        if ser {
            code.push(document::ser_union(fmt, u));
        }
        if de {
            code.push(document::de_union(fmt, u));
        }
        code
    }

    /// `de_<error>(body, headers, meta)`: reads an error structure from an error response
    /// (by default from its body alone: the protocols without HTTP bindings).
    fn error_codec(&self, s: &StructIr) -> TokenStream {
        document::de_error(self.document(), s, Vec::new())
    }

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

/// The arms of an operation's `deserialize_error` that turn a modeled error's code into its
/// variant (read by the error's wire function from `body`, `response` and `meta`; a body that
/// does not read gives the unhandled variant with the reason).
fn modeled_error_arms(op: &OperationIr) -> Vec<TokenStream> {
    let error_ty = format_ident!("{}Error", op.prefix);
    op.errors
        .iter()
        .map(|e| {
            let variant = ident(&e.variant);
            let wrap = if e.boxed {
                quote!(Box::new(error))
            } else {
                quote!(error)
            };
            let code = &e.code;
            let f = wire_fn("de", &e.path);
            quote! {
                Some(#code) => match crate::wire::#f(body, response.headers(), meta.clone()) {
                    Ok(error) => super::#error_ty::#variant(#wrap),
                    Err(err) => super::#error_ty::unhandled_response(Some(Box::new(err)), meta, response),
                },
            }
        })
        .collect()
}

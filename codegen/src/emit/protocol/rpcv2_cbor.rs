//! Smithy RPC v2 CBOR: every request is a `POST /service/<service>/operation/<operation>` with
//! the input as a CBOR map (no body for an operation without input); responses are CBOR maps.
//! The bodies are written and read by [`crate::emit::cbor`]'s code.

use proc_macro2::TokenStream;
use quote::quote;

use super::{rpc, ProtocolEmitter};
use crate::emit::cbor::Cbor;
use crate::emit::document::{self, DocumentFormat};
use crate::ir::{MemberIr, OperationIr, ServiceIr};

/// The rpcv2Cbor protocol.
pub(super) struct RpcV2Cbor;

impl ProtocolEmitter for RpcV2Cbor {
    fn document(&self) -> &'static dyn DocumentFormat {
        &Cbor
    }

    fn capabilities(&self) -> &'static [&'static str] {
        &["cbor"]
    }

    fn operation_wire(&self, service: &ServiceIr, op: &OperationIr) -> TokenStream {
        let ser = serializer(service, op);
        let de = deserializer(service, op);
        quote!(#ser #de)
    }
}

/// `serialize_request`: the input as a CBOR map (no body for an operation without input).
fn serializer(service: &ServiceIr, op: &OperationIr) -> TokenStream {
    let (token, token_expr) = rpc::idempotency_token(op);
    let path = &op.http.uri;
    let query_compatible = service.protocol.query_compatible;
    if op.unit_input {
        let request = quote!(crate::rt::rpcv2_cbor_request(#path, None, #query_compatible));
        return rpc::serializer(op, token, quote!(), request);
    }
    let members: Vec<&MemberIr> = op.input.members.iter().collect();
    let writes = document::ser_members(&Cbor, &members, quote!(input), token_expr.as_ref());
    let map = if members.is_empty() {
        quote!(map)
    } else {
        quote!(mut map)
    };
    let body = quote! {
        let mut out = Vec::new();
        {
            let #map = crate::rt::CborMapWriter::new(&mut out);
            #writes
            map.finish();
        }
    };
    let request = quote!(crate::rt::rpcv2_cbor_request(#path, Some(out), #query_compatible));
    rpc::serializer(op, token, body, request)
}

/// `deserialize_output` and `deserialize_error`: the output from a CBOR map, the error from
/// its `__type`.
fn deserializer(service: &ServiceIr, op: &OperationIr) -> TokenStream {
    let output = &op.output;
    let members: Vec<&MemberIr> = output.members.iter().collect();
    let read_output = document::de_document(&Cbor, &members, &output.wire_name, quote!(raw));
    let query_compatible = service.protocol.query_compatible;
    rpc::deserializer(
        op,
        read_output,
        &Cbor.empty_reader(),
        quote!(crate::rt::rpcv2_cbor_error(response, #query_compatible)),
    )
}

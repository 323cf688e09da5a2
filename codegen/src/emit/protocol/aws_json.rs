//! awsJson1_0 and awsJson1_1: every request is a `POST /` naming the operation in
//! `X-Amz-Target`, with the input as a JSON object; responses are JSON objects. The bodies are
//! written and read by the same code as restJson1's ([`crate::emit::json`]).
//!
//! An event stream is the whole body of its request or response; the input's (output's) other
//! members travel as a JSON document in the stream's first message, `initial-request`
//! (`initial-response`).

use proc_macro2::TokenStream;
use quote::quote;

use super::{rpc, ProtocolEmitter};
use crate::emit::document::{self, DocumentFormat};
use crate::emit::event_stream::EventDocuments;
use crate::emit::json::{self, Json};
use crate::ir::{MemberIr, OperationIr, ServiceIr};

/// The awsJson protocols.
pub(super) enum AwsJson {
    /// awsJson1_0.
    V1_0,
    /// awsJson1_1.
    V1_1,
}

impl ProtocolEmitter for AwsJson {
    fn document(&self) -> &'static dyn DocumentFormat {
        &Json
    }

    fn operation_wire(&self, service: &ServiceIr, op: &OperationIr) -> TokenStream {
        let query_compatible = service.protocol.query_compatible;
        let ser = if op.input_stream().is_some() {
            let target = target(service, op);
            let request =
                quote!(crate::rt::aws_json_event_stream_request(#target, #query_compatible));
            rpc::event_stream_serializer(op, request, &json::JsonEventDocuments)
        } else {
            self.serializer(service, op)
        };
        let de = if op.output_stream().is_some() {
            rpc::event_stream_deserializer(
                op,
                &json::JsonEventDocuments,
                &Json.empty_reader(),
                quote!(crate::rt::aws_json_error(response, #query_compatible)),
            )
        } else {
            deserializer(service, op)
        };
        quote!(#ser #de)
    }

    /// Event payloads are JSON documents, as under restJson1.
    fn event_documents(&self) -> Option<&'static dyn EventDocuments> {
        Some(&json::JsonEventDocuments)
    }

    fn initial_messages(&self) -> bool {
        true
    }
}

/// The `X-Amz-Target` of an operation: `<service>.<operation>`.
fn target(service: &ServiceIr, op: &OperationIr) -> String {
    format!("{}.{}", service.protocol.service_name, op.wire_name)
}

impl AwsJson {
    /// `serialize_request`: the input as a JSON object (`{}` without members), posted to `/`.
    fn serializer(&self, service: &ServiceIr, op: &OperationIr) -> TokenStream {
        let (token, token_expr) = rpc::idempotency_token(op);
        let members: Vec<&MemberIr> = op.input.members.iter().collect();
        let body = if members.is_empty() {
            quote!(let out = String::from("{}");)
        } else {
            let writes = document::ser_members(&Json, &members, quote!(input), token_expr.as_ref());
            quote! {
                let mut out = String::new();
                {
                    let mut object = crate::rt::JsonObjectWriter::new(&mut out);
                    #writes
                    object.finish();
                }
            }
        };
        let version = match self {
            AwsJson::V1_0 => quote!(crate::rt::AwsJsonVersion::V1_0),
            AwsJson::V1_1 => quote!(crate::rt::AwsJsonVersion::V1_1),
        };
        let target = target(service, op);
        let query_compatible = service.protocol.query_compatible;
        let request =
            quote!(crate::rt::aws_json_request(#version, #target, out, #query_compatible));
        rpc::serializer(op, token, body, request)
    }
}

/// `deserialize_output` and `deserialize_error`: the output from a JSON object, the error
/// from `X-Amzn-ErrorType` or `__type`.
fn deserializer(service: &ServiceIr, op: &OperationIr) -> TokenStream {
    let output = &op.output;
    let members: Vec<&MemberIr> = output.members.iter().collect();
    let read_output = document::de_document(&Json, &members, &output.wire_name, quote!(raw));
    let query_compatible = service.protocol.query_compatible;
    rpc::deserializer(
        op,
        read_output,
        &Json.empty_reader(),
        quote!(crate::rt::aws_json_error(response, #query_compatible)),
    )
}

//! What the RPC protocols' emitters share: the idempotency token, the finishing steps of a
//! request (compression, checksum), the response and error deserializers around a body reader
//! of the protocol's format, and the event-stream forms of the serializer and deserializer,
//! whose other members travel in the stream's `initial-request` / `initial-response` message.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::body::member_init;
use crate::emit::event_stream::EventDocuments;
use crate::emit::tokens::ident;
use crate::ir::{MemberIr, OperationIr, RustType, StructIr};

/// The statement filling in the idempotency token (from the input, else the context) and the
/// expression the body writes for it.
pub(super) fn idempotency_token(op: &OperationIr) -> (TokenStream, Option<TokenStream>) {
    match op.input.members.iter().find(|m| m.idempotency_token) {
        Some(m) => {
            let field = ident(&m.field);
            (
                quote! {
                    let idempotency_token = match &input.#field {
                        Some(token) => token.clone(),
                        None => ctx.idempotency_token(),
                    };
                },
                Some(quote!(idempotency_token.as_str())),
            )
        }
        None => (quote!(), None),
    }
}

/// `serialize_request`: `token` (see [`idempotency_token`]) and `body` statements, then
/// `request`, an expression of the `Result` of the request; then compression and the
/// checksum when the operation asks for them.
pub(super) fn serializer(
    op: &OperationIr,
    token: TokenStream,
    body: TokenStream,
    request: TokenStream,
) -> TokenStream {
    let input_ty = ident(&op.input.name);
    let uses_input = !op.input.members.is_empty();
    let input_name = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let uses_ctx = op.input.members.iter().any(|m| m.idempotency_token) || op.request_compression;
    let ctx_name = if uses_ctx { quote!(ctx) } else { quote!(_ctx) };
    let compress = op
        .request_compression
        .then(|| quote!(crate::rt::compress_request(&mut request, ctx.request_compression())?;));
    let checksum = op
        .checksum_required
        .then(|| quote!(crate::rt::set_content_md5(&mut request);));
    let finish = if compress.is_some() || checksum.is_some() {
        quote! {
            let mut request = #request?;
            #compress
            #checksum
            Ok(request)
        }
    } else {
        request
    };
    quote! {
        /// Serializes the input into an HTTP request (path and headers; the runtime adds the
        /// endpoint).
        pub(crate) fn serialize_request(
            #input_name: &super::#input_ty,
            #ctx_name: &crate::rt::SerializeContext,
        ) -> Result<crate::rt::HttpRequest, crate::error::BuildError> {
            #token
            #body
            #finish
        }
    }
}

/// `deserialize_output` (a success response) and `deserialize_error` of an operation (see
/// [`error_deserializer`]).
///
/// `read_output` reads the output's members into their locals from `raw` (the body), `empty`
/// is a reader over an empty document of the format (for the zero value of a missing required
/// structure), and `error_response` is an expression of the response's `ErrorResponse`.
pub(super) fn deserializer(
    op: &OperationIr,
    read_output: TokenStream,
    empty: &TokenStream,
    error_response: TokenStream,
) -> TokenStream {
    let output = &op.output;
    let output_ty = ident(&output.name);
    let members: Vec<&MemberIr> = output.members.iter().collect();
    let inits = members.iter().map(|m| member_init(m, empty));
    let read = if members.is_empty() {
        // Whatever the body holds is ignored: an output added later must not break the client.
        quote!()
    } else {
        quote! {
            let raw: &[u8] = response.body();
            #read_output
        }
    };
    let error = error_deserializer(op, error_response);
    quote! {
        /// Reads the output from a successful response.
        pub(crate) fn deserialize_output(
            response: &crate::rt::HttpResponse,
        ) -> Result<super::#output_ty, crate::error::DeserializeError> {
            #read
            Ok(super::#output_ty {
                #(#inits)*
                _request_id: crate::rt::request_id_header(response.headers()).map(str::to_owned),
            })
        }

        #error
    }
}

/// `deserialize_error` of an operation: `error_response` is an expression of the response's
/// `ErrorResponse`.
fn error_deserializer(op: &OperationIr, error_response: TokenStream) -> TokenStream {
    let error_ty = format_ident!("{}Error", op.prefix);
    let error_arms = super::modeled_error_arms(op);
    let unhandled = quote! {
        super::#error_ty::unhandled_response(None, meta, response)
    };
    let dispatch = if op.errors.is_empty() {
        quote! {
            let (meta, _, _) = #error_response.into_parts();
            #unhandled
        }
    } else {
        quote! {
            let (meta, name, body) = #error_response.into_parts();
            match name.as_deref() {
                #(#error_arms)*
                _ => #unhandled,
            }
        }
    };
    quote! {
        /// Matches an error response to a modeled error by the name it gives.
        pub(crate) fn deserialize_error(response: &crate::rt::HttpResponse) -> super::#error_ty {
            #dispatch
        }
    }
}

/// The members of `s` but its event stream.
fn non_stream_members(s: &StructIr) -> Vec<&MemberIr> {
    s.members
        .iter()
        .filter(|m| !matches!(m.ty, RustType::EventStream(_)))
        .collect()
}

/// `serialize_request` of an operation with an input event stream: `request`, an expression of
/// the `Result` of the request (whose body is the stream, sent once the request is signed),
/// and `initial_request(input)`, the stream's first message: the input's other members as one
/// document of the protocol's.
pub(super) fn event_stream_serializer(
    op: &OperationIr,
    request: TokenStream,
    documents: &dyn EventDocuments,
) -> TokenStream {
    let input_ty = ident(&op.input.name);
    let members = non_stream_members(&op.input);
    let input_name = if members.is_empty() {
        quote!(_input)
    } else {
        quote!(input)
    };
    let write = documents.write_members(&members, quote!(input));
    let content_type = documents.content_type();
    quote! {
        /// Serializes the input into an HTTP request (path and headers; the runtime adds the
        /// endpoint). Its body is the input's event stream, which starts with the
        /// [`initial_request`] message.
        pub(crate) fn serialize_request(
            _input: &super::#input_ty,
            _ctx: &crate::rt::SerializeContext,
        ) -> Result<crate::rt::HttpRequest, crate::error::BuildError> {
            #request
        }

        /// The `initial-request` message that starts the input's event stream: the input's
        /// other members.
        pub(crate) fn initial_request(#input_name: &super::#input_ty) -> crate::rt::EventMessage {
            #write
            crate::rt::event_initial_request(#content_type, payload)
        }
    }
}

/// `deserialize_output` and `deserialize_error` of an operation with an output event stream:
/// the output's other members are read from the stream's `initial-response` message, its
/// stream is the receiver of the events after it. `empty` and `error_response` are as for
/// [`deserializer`].
pub(super) fn event_stream_deserializer(
    op: &OperationIr,
    documents: &dyn EventDocuments,
    empty: &TokenStream,
    error_response: TokenStream,
) -> TokenStream {
    let output = &op.output;
    let output_ty = ident(&output.name);
    let members = non_stream_members(output);
    let (initial, read) = if members.is_empty() {
        (quote!(_initial), quote!())
    } else {
        let read = documents.read_members(&members, &output.wire_name);
        (
            quote!(initial),
            quote! {
                let payload: &[u8] = initial.map_or(&[], |message| message.payload().as_ref());
                #read
            },
        )
    };
    let inits = output.members.iter().map(|m| match &m.ty {
        RustType::EventStream(stream) => {
            let field = ident(&m.field);
            let union = stream.events.rsplit("::").next().unwrap_or(&stream.events);
            let unmarshall = format_ident!("unmarshall_{}", crate::ir::names::snake(union));
            quote!(#field: crate::rt::EventReceiver::new(body, crate::wire::#unmarshall),)
        }
        _ => member_init(m, empty),
    });
    let error = error_deserializer(op, error_response);
    quote! {
        /// Reads the output from a successful response whose body is the output's event
        /// stream: its other members from the stream's `initial-response` message, `initial`
        /// (unset without one).
        pub(crate) fn deserialize_output(
            response: crate::rt::StreamingResponse,
            #initial: Option<&crate::rt::EventMessage>,
        ) -> Result<super::#output_ty, crate::error::DeserializeError> {
            let (head, body) = response.into_parts();
            #read
            Ok(super::#output_ty {
                #(#inits)*
                _request_id: crate::rt::request_id_header(&head.headers).map(str::to_owned),
            })
        }

        #error
    }
}

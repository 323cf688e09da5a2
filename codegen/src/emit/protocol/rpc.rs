//! What the RPC protocols' emitters share: the idempotency token, the finishing steps of a
//! request (compression, checksum), and the response and error deserializers around a body
//! reader of the protocol's format.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::body::{member_init, wire_fn};
use crate::emit::tokens::ident;
use crate::ir::{MemberIr, OperationIr};

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

/// `deserialize_output` (a success response) and `deserialize_error` of an operation.
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
    let error_ty = format_ident!("{}Error", op.prefix);
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
    let error_arms = op.errors.iter().map(|e| {
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
    });
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

        /// Matches an error response to a modeled error by the name it gives.
        pub(crate) fn deserialize_error(response: &crate::rt::HttpResponse) -> super::#error_ty {
            #dispatch
        }
    }
}

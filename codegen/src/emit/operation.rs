//! One operation's module: the operation type and its `Operation` impl, input, output, error,
//! builders (including the fluent builder), wire code and paginator.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::structs::{builder, builder_name, structure};
use super::tokens::{docs, ident, member_docs, rust_type};
use super::{errors, protocol, validate, File};
use crate::ir::names::unraw;
use crate::ir::{
    ApiKeyLocationIr, AuthSchemeIr, HostPrefixPart, MemberIr, OperationIr, RustType, ServiceIr,
};

/// The files of one operation module, under `src/operation/`.
pub fn files(ir: &ServiceIr, op: &OperationIr, validated: &BTreeSet<String>) -> Vec<File> {
    let dir = format!("src/operation/{}", unraw(&op.module));
    let mut files = vec![
        File::rust(
            format!("{dir}.rs"),
            module_root(op, protocol::for_service(ir).initial_messages()),
        ),
        File::rust(format!("{dir}/input.rs"), structure(&op.input)),
        File::rust(format!("{dir}/output.rs"), structure(&op.output)),
        File::rust(format!("{dir}/error.rs"), errors::operation_error(op)),
        File::rust(format!("{dir}/builders.rs"), builders(op)),
        File::rust(format!("{dir}/wire.rs"), wire(ir, op, validated)),
    ];
    if let Some(paginator) = super::paginator::paginator(op) {
        files.push(File::rust(format!("{dir}/paginator.rs"), paginator));
    }
    files
}

/// `initial_messages`: whether the protocol carries the members beside an event stream in its
/// `initial-request` / `initial-response` message.
fn module_root(op: &OperationIr, initial_messages: bool) -> TokenStream {
    let op_ty = ident(&op.name);
    let input = ident(&op.input.name);
    let output = ident(&op.output.name);
    let error = format_ident!("{}Error", op.prefix);
    let wire_name = &op.wire_name;
    let mod_doc = format!(
        " The `{}` operation: its input, output, errors and builders.",
        op.wire_name
    );
    let type_doc = match op.docs.as_deref() {
        Some(d) if !d.trim().is_empty() => docs(Some(d)),
        _ => docs(Some(&format!("The `{}` operation.", op.wire_name))),
    };
    let paginator = match super::paginator::paginator_names(op) {
        Some(names) => {
            let p = names.paginator;
            let items = names.items.map(|(i, pi)| quote!(, #i, #pi));
            quote! {
                pub mod paginator;
                pub use paginator::{#p #items};
            }
        }
        None => quote!(),
    };
    let host_prefix = host_prefix(op);
    let deserialize_whole = deserialize_whole(op, initial_messages);
    let streaming = streaming_impl(op, initial_messages);
    let endpoint_url = op.endpoint_member.as_ref().map(|field| {
        let field = ident(field);
        quote! {
            fn endpoint_url(input: &Self::Input) -> Result<Option<String>, crate::error::BuildError> {
                Ok(input.#field.clone().filter(|url| !url.is_empty()))
            }
        }
    });
    let endpoint_params = super::endpoint::endpoint_params_fn(op);
    let account_id = op.endpoint_account_id.then(|| {
        quote!(
            const ENDPOINT_USES_ACCOUNT_ID: bool = true;
        )
    });
    let auth = op.auth.iter().map(auth_scheme);
    let idempotent = if op.idempotent {
        quote!(
            const IDEMPOTENT: bool = true;
        )
    } else {
        quote!()
    };
    let deprecated = if op.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    // The operation's own impl names the deprecated type.
    let allow_deprecated = if op.deprecated {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    quote! {
        #![doc = #mod_doc]

        pub mod builders;
        mod error;
        mod input;
        mod output;
        mod wire;
        #paginator

        pub use error::#error;
        pub use input::#input;
        pub use output::#output;

        #type_doc
        #deprecated
        #[derive(Debug, Clone, Copy, Default)]
        #[non_exhaustive]
        pub struct #op_ty;

        #allow_deprecated
        impl crate::rt::Operation for #op_ty {
            type Input = #input;
            type Output = #output;
            type Error = #error;

            const NAME: &'static str = #wire_name;
            const AUTH: &'static [crate::rt::AuthScheme] = &[#(#auth),*];
            #account_id
            #idempotent

            fn validate(input: &Self::Input) -> Result<(), crate::error::BuildError> {
                wire::validate_input(input)
            }

            fn serialize(
                input: &Self::Input,
                ctx: &crate::rt::SerializeContext,
            ) -> Result<crate::rt::HttpRequest, crate::error::BuildError> {
                wire::serialize_request(input, ctx)
            }
            #host_prefix
            #endpoint_url
            #endpoint_params

            fn deserialize(
                response: &crate::rt::HttpResponse,
            ) -> Result<Self::Output, crate::rt::ResponseFailure<Self::Error>> {
                if !response.status().is_success() {
                    return Err(crate::rt::ResponseFailure::Service(wire::deserialize_error(response)));
                }
                #deserialize_whole
            }
        }
        #streaming
    }
}

/// How `Operation::deserialize` reads a successful response: an output event stream is read
/// from the whole body (a test double's answer).
fn deserialize_whole(op: &OperationIr, initial_messages: bool) -> TokenStream {
    if op.output_stream().is_some() && initial_messages {
        quote! {
            let (parts, body) = response.clone().into_parts();
            let (initial, body) = crate::rt::split_initial_response(body)?;
            let response = http::Response::from_parts(parts, crate::rt::BodyStream::from_bytes(body));
            Ok(wire::deserialize_output(response, initial.as_ref())?)
        }
    } else if op.output_stream().is_some() {
        quote! {
            let (parts, body) = response.clone().into_parts();
            let response = http::Response::from_parts(parts, crate::rt::BodyStream::from_bytes(body));
            Ok(wire::deserialize_output(response)?)
        }
    } else {
        quote!(Ok(wire::deserialize_output(response)?))
    }
}

/// `StreamingOperation` for an operation with an event stream: the input's events as the
/// request body (after the `initial-request` message, with `initial_messages`), and the output
/// read as soon as the response's head (and `initial-response` message) has arrived.
fn streaming_impl(op: &OperationIr, initial_messages: bool) -> TokenStream {
    if !op.has_event_stream() {
        return quote!();
    }
    let op_ty = ident(&op.name);
    let input_stream = match op.input_stream() {
        Some(m) => {
            let field = ident(&m.field);
            let RustType::EventStream(stream) = &m.ty else {
                return quote!();
            };
            let union = stream.events.rsplit("::").next().unwrap_or(&stream.events);
            let marshall = format_ident!("marshall_{}", crate::ir::names::snake(union));
            let member = format!("{}.{}", op.input.name, unraw(&m.field));
            let missing = format!(
                "`{}` must be set: it holds the events to send",
                unraw(&m.field)
            );
            let body = if initial_messages {
                quote! {
                    crate::rt::event_stream_body_after(
                        wire::initial_request(input),
                        events,
                        #member,
                        crate::wire::#marshall,
                    )
                }
            } else {
                quote!(crate::rt::event_stream_body(events, #member, crate::wire::#marshall))
            };
            quote! {
                fn input_stream(
                    input: &Self::Input,
                ) -> Result<Option<crate::rt::EventStreamBody>, crate::error::BuildError> {
                    let events = input.#field.as_ref().ok_or_else(|| {
                        crate::error::BuildError::missing_field(#member, #missing)
                    })?;
                    #body.map(Some)
                }
            }
        }
        None => quote! {
            fn input_stream(
                _input: &Self::Input,
            ) -> Result<Option<crate::rt::EventStreamBody>, crate::error::BuildError> {
                Ok(None)
            }
        },
    };
    let initial_response = op.output_stream().is_some() && initial_messages;
    let (initial, deserialize) = if initial_response {
        (
            quote!(initial),
            quote!(Ok(wire::deserialize_output(response, initial)?)),
        )
    } else if op.output_stream().is_some() {
        (
            quote!(_initial),
            quote!(Ok(wire::deserialize_output(response)?)),
        )
    } else {
        // The output is in the response's head (lowering makes sure it has no body).
        (
            quote!(_initial),
            quote! {
                let (parts, _body) = response.into_parts();
                let head = http::Response::from_parts(parts, bytes::Bytes::new());
                Ok(wire::deserialize_output(&head)?)
            },
        )
    };
    let initial_const = initial_response.then(|| {
        quote!(
            const INITIAL_RESPONSE: bool = true;
        )
    });
    let allow_deprecated = if op.deprecated {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    quote! {
        #allow_deprecated
        impl crate::rt::StreamingOperation for #op_ty {
            #initial_const

            #input_stream

            fn deserialize_streaming(
                response: crate::rt::StreamingResponse,
                #initial: Option<&crate::rt::EventMessage>,
            ) -> Result<Self::Output, crate::rt::ResponseFailure<Self::Error>> {
                #deserialize
            }
        }
    }
}

/// A `crate::rt::AuthScheme` value.
fn auth_scheme(scheme: &AuthSchemeIr) -> TokenStream {
    match scheme {
        AuthSchemeIr::SigV4 => quote!(crate::rt::AuthScheme::SigV4),
        AuthSchemeIr::Bearer => quote!(crate::rt::AuthScheme::Bearer),
        AuthSchemeIr::Basic => quote!(crate::rt::AuthScheme::Basic),
        AuthSchemeIr::Anonymous => quote!(crate::rt::AuthScheme::Anonymous),
        AuthSchemeIr::ApiKey {
            name,
            location,
            scheme,
        } => {
            let location = match location {
                ApiKeyLocationIr::Header => quote!(crate::rt::ApiKeyLocation::Header),
                ApiKeyLocationIr::Query => quote!(crate::rt::ApiKeyLocation::Query),
            };
            let scheme = match scheme {
                Some(scheme) => quote!(Some(#scheme)),
                None => quote!(None),
            };
            quote! {
                crate::rt::AuthScheme::ApiKey {
                    name: #name,
                    location: #location,
                    scheme: #scheme,
                }
            }
        }
    }
}

/// `Operation::host_prefix` for operations with `@endpoint`: the literal parts and the checked
/// values of the `@hostLabel` members.
fn host_prefix(op: &OperationIr) -> TokenStream {
    let Some(parts) = &op.host_prefix else {
        return quote!();
    };
    let mut template = String::new();
    let mut checks = Vec::new();
    let mut args = Vec::new();
    for part in parts {
        match part {
            HostPrefixPart::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"));
            }
            HostPrefixPart::Label { wire_name, field } => {
                let var = format_ident!("label_{}", args.len());
                let field = ident(field);
                checks.push(quote! {
                    let #var = crate::rt::host_label(#wire_name, input.#field.as_deref())?;
                });
                args.push(var);
                template.push_str("{}");
            }
        }
    }
    let input = if checks.is_empty() {
        quote!(_input)
    } else {
        quote!(input)
    };
    let value = if args.is_empty() {
        quote!(#template.to_owned())
    } else {
        quote!(format!(#template, #(#args),*))
    };
    quote! {
        fn host_prefix(#input: &Self::Input) -> Result<Option<String>, crate::error::BuildError> {
            #(#checks)*
            Ok(Some(#value))
        }
    }
}

/// The operation's wire code: its protocol's serializer and deserializer, and the input's
/// validation.
fn wire(ir: &ServiceIr, op: &OperationIr, validated: &BTreeSet<String>) -> TokenStream {
    let codec = protocol::for_service(ir).operation_wire(ir, op);
    let validate = validate::validate_input(&op.input, validated);
    let doc = format!(
        " {} wire format of the operation.",
        ir.protocol.protocol.name()
    );
    // The wire code reads and writes every member, deprecated ones too.
    let allow_deprecated = if op
        .input
        .members
        .iter()
        .chain(&op.output.members)
        .any(|m| m.deprecated)
    {
        quote!(#![allow(deprecated)])
    } else {
        quote!()
    };
    quote! {
        #![doc = #doc]
        #allow_deprecated
        #codec
        #validate
    }
}

fn builders(op: &OperationIr) -> TokenStream {
    let input_builder = builder(&op.input);
    let output_builder = builder(&op.output);
    let fluent = fluent_builder(op);
    let input_builder_name = ident(&builder_name(&op.input));
    let output = ident(&op.output.name);
    let error = format_ident!("{}Error", op.prefix);
    let method = ident(&op.module);
    // `client.<operation>()` is deprecated with its operation.
    let allow_deprecated = if op.deprecated {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    quote! {
        //! Builders for the operation's input and output, and the fluent builder the client returns.
        #input_builder

        impl #input_builder_name {
            /// Sends the input built so far with `client` (as `client.<operation>()` with the same
            /// members would).
            #allow_deprecated
            pub async fn send_with(
                self,
                client: &crate::Client,
            ) -> Result<super::#output, crate::error::SdkError<super::#error>> {
                let mut fluent = client.#method();
                fluent.inner = self;
                fluent.send().await
            }
        }

        #output_builder
        #fluent
    }
}

/// The fluent builder: the input builder's setters plus `send()`.
fn fluent_builder(op: &OperationIr) -> TokenStream {
    let name = format_ident!("{}FluentBuilder", op.prefix);
    let op_ty = ident(&op.name);
    let input_builder = ident(&builder_name(&op.input));
    let output = ident(&op.output.name);
    let error = format_ident!("{}Error", op.prefix);
    let mut doc = format!(" Fluent builder for the `{}` operation.", op.wire_name);
    if let Some(d) = op.docs.as_deref() {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    let doc = super::tokens::doc_lines(doc.trim_start());
    let allow_deprecated = if op.deprecated {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    let setters = op.input.members.iter().map(delegating_setters);
    let call = if op.has_event_stream() {
        quote!(call_streaming)
    } else {
        quote!(call)
    };
    let paginator = super::paginator::paginator(op).map(|_| {
        let p = format_ident!("{}Paginator", op.prefix);
        let doc = if super::paginator::paginator_names(op).is_some_and(|n| n.items.is_some()) {
            quote! {
                /// Pages through every result: `into_paginator().send()` gives a stream of pages,
                /// `into_paginator().items().send()` a stream of the items.
            }
        } else {
            quote! {
                /// Pages through every result: `into_paginator().send()` gives a stream of pages.
            }
        };
        quote! {
            #doc
            pub fn into_paginator(self) -> super::#p {
                super::#p::new(self.handle, self.inner)
            }
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct #name {
            handle: crate::rt::Handle,
            inner: #input_builder,
        }

        impl #name {
            pub(crate) fn new(handle: crate::rt::Handle) -> Self {
                Self {
                    handle,
                    inner: #input_builder::default(),
                }
            }

            /// The input built so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            /// Sends the request and returns the output or the error.
            pub async fn send(self) -> Result<super::#output, crate::error::SdkError<super::#error>> {
                self.send_with_config(None).await
            }

            #allow_deprecated
            async fn send_with_config(
                self,
                config_override: Option<crate::rt::Builder>,
            ) -> Result<super::#output, crate::error::SdkError<super::#error>> {
                let input = self.inner.build().map_err(crate::error::SdkError::construction_failure)?;
                self.handle.#call::<super::#op_ty>(input, config_override).await
            }

            /// Customizes this call before sending it: `customize().config_override(..)` overrides
            /// configuration (retries, timeouts, endpoint, ...) for this call only,
            /// `interceptor(..)`, `mutate_request(..)` and `map_request(..)` change its requests;
            /// `send()` sends it.
            pub fn customize(self) -> crate::client::customize::CustomizableOperation<Self> {
                crate::rt::CustomizableOperation::new(self)
            }

            #paginator

            #(#setters)*
        }

        impl crate::rt::CustomizableSend for #name {
            type Output = super::#output;
            type Error = super::#error;

            fn send_with_overrides(
                self,
                overrides: Option<crate::rt::Builder>,
            ) -> crate::rt::BoxFuture<'static, Result<Self::Output, crate::error::SdkError<Self::Error>>> {
                Box::pin(self.send_with_config(overrides))
            }
        }
    }
}

/// The fluent builder's copy of a member's setters, delegating to the input builder.
fn delegating_setters(m: &MemberIr) -> TokenStream {
    let field = ident(&m.field);
    let bare = unraw(&m.field).trim_end_matches('_');
    let set = format_ident!("set_{}", bare);
    let get = format_ident!("get_{}", bare);
    let ty = rust_type(&m.ty);
    let doc = member_docs(m);
    let primary = match &m.ty {
        RustType::List {
            element, sparse, ..
        } => {
            let string_items = !*sparse && matches!(**element, RustType::String);
            let element = rust_type(element);
            let param = if string_items {
                quote!(impl Into<String>)
            } else if *sparse {
                quote!(Option<#element>)
            } else {
                element
            };
            let d = format!(" Appends an item to `{bare}`.");
            quote! {
                #[doc = #d]
                pub fn #field(mut self, input: #param) -> Self {
                    self.inner = self.inner.#field(input);
                    self
                }
            }
        }
        RustType::Map { value, sparse, .. } => {
            let value = rust_type(value);
            let value = if *sparse {
                quote!(Option<#value>)
            } else {
                value
            };
            let d = format!(" Adds a key-value pair to `{bare}`.");
            quote! {
                #[doc = #d]
                pub fn #field(mut self, key: impl Into<String>, value: #value) -> Self {
                    self.inner = self.inner.#field(key, value);
                    self
                }
            }
        }
        RustType::String | RustType::BigInteger | RustType::BigDecimal => quote! {
            #doc
            pub fn #field(mut self, input: impl Into<String>) -> Self {
                self.inner = self.inner.#field(input);
                self
            }
        },
        _ => quote! {
            #doc
            pub fn #field(mut self, input: #ty) -> Self {
                self.inner = self.inner.#field(input);
                self
            }
        },
    };
    let deprecated = if m.deprecated {
        quote!(#[deprecated] #[allow(deprecated)])
    } else {
        quote!()
    };
    quote! {
        #deprecated
        #primary
        #doc
        #deprecated
        pub fn #set(mut self, input: Option<#ty>) -> Self {
            self.inner = self.inner.#set(input);
            self
        }
        #doc
        #deprecated
        pub fn #get(&self) -> &Option<#ty> {
            self.inner.#get()
        }
    }
}

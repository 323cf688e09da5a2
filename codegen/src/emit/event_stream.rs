//! Event streams (`@streaming` unions): each stream's error enum (`types::error::<Union>Error`)
//! and its wire code: `unmarshall_<union>` reads one message of an output stream into an event
//! or an error, `marshall_<union>` writes one event (or modeled error) of an input stream as a
//! message. The message framing is the same under every protocol (`:message-type`,
//! `:event-type`, `:exception-type`, `@eventHeader` members as typed headers); the documents in
//! the payloads are the protocol's, written through its [`EventDocuments`].

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::body::{self, local_ident};
use super::document;
use super::json::Json;
use super::tokens::{ident, path, rust_type};
use crate::ir::{
    Binding, EventStreamIr, MemberIr, NamedKind, RustType, ServiceIr, StructIr, UnionIr, ValueInfo,
};

/// How a protocol writes and reads the documents of event payloads (the members of an event
/// that are neither headers nor an `@eventPayload`, and structure or union payloads).
pub(crate) trait EventDocuments: Sync {
    /// The `:content-type` of a document payload.
    fn content_type(&self) -> &'static str;

    /// Statements writing `members` of `value` (a `&T`) as one document into
    /// `let payload: bytes::Bytes`.
    fn write_members(&self, members: &[&MemberIr], value: TokenStream) -> TokenStream;

    /// An expression of type `bytes::Bytes`: `value` (a `&T` of type `ty`) as a document.
    fn write_value(&self, ty: &RustType, info: &ValueInfo, value: TokenStream) -> TokenStream;

    /// Statements declaring the locals of `members` and reading them from the document in
    /// `payload` (a `&[u8]`, possibly empty).
    fn read_members(&self, members: &[&MemberIr], owner: &str) -> TokenStream;

    /// An expression of type `Option<T>` reading a value of type `ty` from the (non-empty)
    /// document in `payload`.
    fn read_value(&self, ty: &RustType, info: &ValueInfo, label: &str) -> TokenStream;
}

/// The error enum of a stream: one variant per error member, plus `Unhandled`.
pub fn error_enum(stream: &EventStreamIr) -> TokenStream {
    let name = ident(&stream.error_name);
    let doc = format!(
        " The errors the service can send in a [`{}`](crate::types::{}) event stream.",
        stream.name, stream.name
    );
    super::errors::error_enum(&name, &doc, &stream.errors, quote!())
}

/// The wire functions of `stream`, whose events are the union `u`.
pub fn codecs(
    ir: &ServiceIr,
    stream: &EventStreamIr,
    u: &UnionIr,
    documents: &dyn EventDocuments,
) -> Vec<TokenStream> {
    let mut code = Vec::new();
    if stream.output {
        code.push(unmarshall(ir, stream, u, documents));
    }
    if stream.input {
        code.push(marshall(ir, stream, u, documents));
    }
    code
}

/// The structure an event member targets.
fn event_structure<'a>(ir: &'a ServiceIr, member: &MemberIr) -> Option<&'a StructIr> {
    let RustType::Named { shape, .. } = &member.ty else {
        return None;
    };
    ir.structures.iter().find(|s| &s.shape_id == shape)
}

/// The members of an event that go in its document payload.
fn document_members(s: &StructIr) -> Vec<&MemberIr> {
    s.members
        .iter()
        .filter(|m| m.binding == Binding::Body)
        .collect()
}

/// `unmarshall_<union>(message)`: the event or error one message holds.
fn unmarshall(
    ir: &ServiceIr,
    stream: &EventStreamIr,
    u: &UnionIr,
    documents: &dyn EventDocuments,
) -> TokenStream {
    let f = format_ident!("unmarshall_{}", crate::ir::names::snake(&u.name));
    let union_ty = path(&format!("crate::types::{}", u.name));
    let error_ty = path(&format!("crate::types::error::{}", stream.error_name));
    let event_arms = u.variants.iter().map(|v| {
        let wire = &v.member.wire_name;
        let variant = ident(&v.name);
        let read = match event_structure(ir, &v.member) {
            Some(s) => read_event(s, documents),
            None => quote!(compile_error!("an event that is not a structure")),
        };
        let value = if v.member.boxed {
            quote!(Box::new(value))
        } else {
            quote!(value)
        };
        quote! {
            crate::rt::EventMessageType::Event(#wire) => {
                let value = #read;
                Ok(crate::rt::Unmarshalled::Event(#union_ty::#variant(#value)))
            }
        }
    });
    let error_arms = stream.errors.iter().map(|e| {
        let code = &e.code;
        let variant = ident(&e.variant);
        let f = body::wire_fn("de", &e.path);
        let value = if e.boxed {
            quote!(Box::new(error))
        } else {
            quote!(error)
        };
        quote! {
            crate::rt::EventMessageType::Exception(#code) => {
                let meta = crate::error::ErrorMetadata::new().with_code(Some(#code.to_owned()));
                let error = crate::wire::#f(message.payload(), &http::HeaderMap::new(), meta)?;
                Ok(crate::rt::Unmarshalled::Error(#error_ty::#variant(#value)))
            }
        }
    });
    let doc = format!(
        " Reads one message of a [`{}`](crate::types::{}) event stream: an event, or an error \
         the service sent.",
        u.name, u.name
    );
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(
            message: &crate::rt::EventMessage,
        ) -> Result<crate::rt::Unmarshalled<#union_ty, #error_ty>, crate::error::DeserializeError> {
            match crate::rt::event_message_type(message)? {
                #(#event_arms)*
                // An event this version of the crate does not know.
                crate::rt::EventMessageType::Event(_) => {
                    Ok(crate::rt::Unmarshalled::Event(#union_ty::Unknown))
                }
                #(#error_arms)*
                crate::rt::EventMessageType::Exception(_) | crate::rt::EventMessageType::Error => {
                    Ok(crate::rt::Unmarshalled::Error(crate::rt::event_error_message(message)))
                }
            }
        }
    }
}

/// An expression reading the event structure `s` from `message`.
fn read_event(s: &StructIr, documents: &dyn EventDocuments) -> TokenStream {
    let mut reads = Vec::new();
    for m in &s.members {
        let local = local_ident(m);
        let ty = rust_type(&m.ty);
        match m.binding {
            Binding::EventHeader => {
                let read = read_header(m);
                reads.push(quote!(let #local: Option<#ty> = #read;));
            }
            Binding::EventPayload => {
                let read = read_payload(m, documents, &s.wire_name);
                reads.push(quote!(let #local: Option<#ty> = #read;));
            }
            _ => {}
        }
    }
    let body = document_members(s);
    if !body.is_empty() {
        let read = documents.read_members(&body, &s.wire_name);
        reads.push(quote! {
            let payload: &[u8] = message.payload();
            #read
        });
    }
    let inits = s.members.iter().map(|m| document::member_init(&Json, m));
    let ty = path(&s.path());
    quote! {
        {
            #(#reads)*
            #ty {
                #(#inits)*
            }
        }
    }
}

/// An expression of type `Option<T>` reading an `@eventHeader` member.
fn read_header(m: &MemberIr) -> TokenStream {
    let name = &m.wire_name;
    match &m.ty {
        RustType::Bool
        | RustType::I8
        | RustType::I16
        | RustType::I32
        | RustType::I64
        | RustType::String
        | RustType::Blob
        | RustType::DateTime => {
            let ty = rust_type(&m.ty);
            quote!(crate::rt::read_event_header::<#ty>(message, #name)?)
        }
        RustType::Named {
            kind: NamedKind::Enum,
            path: p,
            ..
        } => {
            let p = path(p);
            quote!(crate::rt::read_event_header::<String>(message, #name)?.map(|value| #p::from(value.as_str())))
        }
        RustType::Named {
            kind: NamedKind::IntEnum,
            path: p,
            ..
        } => {
            let p = path(p);
            quote!(crate::rt::read_event_header::<i32>(message, #name)?.map(#p::from))
        }
        _ => quote!(compile_error!(
            "an @eventHeader member of a type headers cannot hold"
        )),
    }
}

/// An expression of type `Option<T>` reading an `@eventPayload` member.
fn read_payload(m: &MemberIr, documents: &dyn EventDocuments, owner: &str) -> TokenStream {
    match &m.ty {
        RustType::Blob => quote!(Some(crate::primitives::Blob::new(
            message.payload().to_vec()
        ))),
        RustType::String => quote!(Some(crate::rt::event_payload_text(message)?)),
        RustType::Named {
            kind: NamedKind::Enum,
            path: p,
            ..
        } => {
            let p = path(p);
            quote!(Some(#p::from(crate::rt::event_payload_text(message)?.as_str())))
        }
        ty => {
            let label = format!("{owner}.{}", m.wire_name);
            let read = documents.read_value(ty, &m.info, &label);
            quote! {
                {
                    let payload: &[u8] = message.payload();
                    if payload.is_empty() { None } else { #read }
                }
            }
        }
    }
}

/// `marshall_<union>(item)`: the message of one event (or modeled error) the caller sends.
fn marshall(
    ir: &ServiceIr,
    stream: &EventStreamIr,
    u: &UnionIr,
    documents: &dyn EventDocuments,
) -> TokenStream {
    let f = format_ident!("marshall_{}", crate::ir::names::snake(&u.name));
    let union_ty = path(&format!("crate::types::{}", u.name));
    let error_ty = path(&format!("crate::types::error::{}", stream.error_name));
    let content_type = documents.content_type();
    let event_arms = u.variants.iter().map(|v| {
        let wire = &v.member.wire_name;
        let variant = ident(&v.name);
        let write = event_structure(ir, &v.member).map(|s| write_event(s, wire, documents));
        let Some((uses_value, write)) = write else {
            return quote! {
                Ok(#union_ty::#variant(_)) => compile_error!("an event that is not a structure"),
            };
        };
        if !uses_value {
            return quote! {
                Ok(#union_ty::#variant(_)) => {
                    #write
                }
            };
        }
        let borrow = if v.member.boxed {
            quote!(let value = &*value;)
        } else {
            quote!(let value = &value;)
        };
        quote! {
            Ok(#union_ty::#variant(value)) => {
                #borrow
                #write
            }
        }
    });
    let error_arms = stream.errors.iter().map(|e| {
        let code = &e.code;
        let variant = ident(&e.variant);
        let s = ir.errors.iter().find(|s| s.shape_id == e.shape_id);
        let write = match s {
            Some(s) => documents.write_members(&document_members(s), quote!(error)),
            None => quote!(compile_error!("an error that is not an error structure")),
        };
        let borrow = if e.boxed {
            quote!(let error = &*error;)
        } else {
            quote!(let error = &error;)
        };
        quote! {
            Err(#error_ty::#variant(error)) => {
                #borrow
                let mut headers = crate::rt::event_exception_headers(#code);
                headers.push(crate::rt::event_content_type(#content_type));
                #write
                Ok(crate::rt::EventMessage::from_parts(headers, payload))
            }
        }
    });
    let unknown = format!(
        "the `Unknown` variant of `{}` stands for events this version of the crate does not \
         know: it cannot be sent",
        u.name
    );
    let union_name = &u.name;
    let doc = format!(
        " Writes one item of a [`{}`](crate::types::{}) event stream as a message: an event, or an \
         error sent as an `exception` message (an unhandled error as an `error` message).",
        u.name, u.name
    );
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(
            item: Result<#union_ty, #error_ty>,
        ) -> Result<crate::rt::EventMessage, crate::error::BuildError> {
            match item {
                #(#event_arms)*
                Ok(#union_ty::Unknown) => Err(crate::error::BuildError::invalid_field(#union_name, #unknown)),
                #(#error_arms)*
                Err(other) => Ok(crate::rt::event_error_message_for(&other)),
            }
        }
    }
}

/// Statements ending with the message of the event structure `value` (a `&S`) whose
/// `:event-type` is `wire`, and whether they read `value`.
fn write_event(s: &StructIr, wire: &str, documents: &dyn EventDocuments) -> (bool, TokenStream) {
    let mut code = Vec::new();
    for m in s
        .members
        .iter()
        .filter(|m| m.binding == Binding::EventHeader)
    {
        let field = ident(&m.field);
        let name = &m.wire_name;
        let header = match &m.ty {
            RustType::Bool
            | RustType::I8
            | RustType::I16
            | RustType::I32
            | RustType::I64
            | RustType::DateTime => quote!(crate::rt::event_header(#name, *value)),
            RustType::String | RustType::Blob => {
                quote!(crate::rt::event_header(#name, value.clone()))
            }
            RustType::Named {
                kind: NamedKind::Enum,
                ..
            } => quote!(crate::rt::event_header(#name, value.as_str().to_owned())),
            // An int enum is read from any integer header that fits an `i32`, and written as one.
            RustType::Named {
                kind: NamedKind::IntEnum,
                ..
            } => quote!(crate::rt::event_header(#name, value.value())),
            _ => quote!(compile_error!(
                "an @eventHeader member of a type headers cannot hold"
            )),
        };
        code.push(if m.optional {
            quote! {
                if let Some(value) = &value.#field {
                    headers.push(#header);
                }
            }
        } else {
            quote! {
                {
                    let value = &value.#field;
                    headers.push(#header);
                }
            }
        });
    }
    let payload_member = s
        .members
        .iter()
        .find(|m| m.binding == Binding::EventPayload);
    let body = document_members(s);
    let payload = match payload_member {
        Some(m) => write_payload(m, documents),
        None if !body.is_empty() => {
            let content_type = documents.content_type();
            let write = documents.write_members(&body, quote!(value));
            quote! {
                headers.push(crate::rt::event_content_type(#content_type));
                #write
            }
        }
        None => quote!(let payload = bytes::Bytes::new();),
    };
    let uses_value = !code.is_empty() || payload_member.is_some() || !body.is_empty();
    let headers = if uses_value {
        quote!(let mut headers = crate::rt::event_headers(#wire);)
    } else {
        quote!(let headers = crate::rt::event_headers(#wire);)
    };
    (
        uses_value,
        quote! {
            #headers
            #(#code)*
            #payload
            Ok(crate::rt::EventMessage::from_parts(headers, payload))
        },
    )
}

/// Statements writing an `@eventPayload` member of `value` into `let payload: bytes::Bytes`
/// (and its `:content-type` into `headers`).
fn write_payload(m: &MemberIr, documents: &dyn EventDocuments) -> TokenStream {
    let field = ident(&m.field);
    let media = |default: &str| {
        m.info
            .media_type
            .clone()
            .unwrap_or_else(|| default.to_owned())
    };
    let (content_type, bytes) = match &m.ty {
        RustType::Blob => (
            media("application/octet-stream"),
            quote!(bytes::Bytes::from(value.as_ref().to_vec())),
        ),
        RustType::String => (
            media("text/plain"),
            quote!(bytes::Bytes::from(value.clone())),
        ),
        RustType::Named {
            kind: NamedKind::Enum,
            ..
        } => (
            media("text/plain"),
            quote!(bytes::Bytes::from(value.as_str().to_owned())),
        ),
        ty => {
            let content_type = documents.content_type();
            let value = if m.boxed {
                quote!(value.as_ref())
            } else {
                quote!(value)
            };
            let write = documents.write_value(ty, &m.info, value);
            (content_type.to_owned(), write)
        }
    };
    if m.optional {
        quote! {
            let payload = match &value.#field {
                Some(value) => {
                    headers.push(crate::rt::event_content_type(#content_type));
                    #bytes
                }
                None => bytes::Bytes::new(),
            };
        }
    } else {
        quote! {
            headers.push(crate::rt::event_content_type(#content_type));
            let payload = {
                let value = &value.#field;
                #bytes
            };
        }
    }
}

//! Small helpers shared by the emitters: identifiers, doc attributes, Rust types as tokens.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{MemberIr, RustType, StreamDirection};

/// An identifier; `r#name` becomes a raw identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// A path such as `crate::types::Tag` as tokens.
pub fn path(path: &str) -> TokenStream {
    let segments = path.split("::").map(|s| {
        if s == "crate" {
            quote!(crate)
        } else {
            let id = ident(s);
            quote!(#id)
        }
    });
    quote!(#(#segments)::*)
}

/// `#[doc = "..."]` attributes, one per line, for optional documentation.
pub fn docs(doc: Option<&str>) -> TokenStream {
    match doc {
        Some(text) if !text.trim().is_empty() => doc_lines(text),
        _ => TokenStream::new(),
    }
}

/// `#[doc = "..."]` attributes, one per line.
pub fn doc_lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// `#![doc = "..."]` inner attributes (module or crate documentation), one per line.
pub fn inner_doc_lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    quote!(#(#lines)*)
}

/// Member documentation, or a generic line so every public item has rustdoc.
pub fn member_docs(member: &MemberIr) -> TokenStream {
    match member.docs.as_deref() {
        Some(text) if !text.trim().is_empty() => doc_lines(text),
        _ => doc_lines(&format!("The `{}` member.", member.wire_name)),
    }
}

/// The Rust type of a value.
pub fn rust_type(ty: &RustType) -> TokenStream {
    match ty {
        RustType::String | RustType::BigInteger | RustType::BigDecimal => quote!(String),
        RustType::Bool => quote!(bool),
        RustType::I8 => quote!(i8),
        RustType::I16 => quote!(i16),
        RustType::I32 => quote!(i32),
        RustType::I64 => quote!(i64),
        RustType::F32 => quote!(f32),
        RustType::F64 => quote!(f64),
        RustType::Blob => quote!(crate::primitives::Blob),
        RustType::ByteStream => quote!(crate::primitives::ByteStream),
        RustType::EventStream(stream) => {
            let events = path(&stream.events);
            let error = path(&stream.error);
            match stream.direction {
                StreamDirection::Input => {
                    quote!(crate::primitives::event_stream::EventStreamSender<#events, #error>)
                }
                StreamDirection::Output => {
                    quote!(crate::primitives::event_stream::EventReceiver<#events, #error>)
                }
            }
        }
        RustType::DateTime => quote!(crate::primitives::DateTime),
        RustType::Document => quote!(crate::primitives::Document),
        RustType::Named { path: p, .. } => path(p),
        RustType::List {
            element, sparse, ..
        } => {
            let element = rust_type(element);
            if *sparse {
                quote!(Vec<Option<#element>>)
            } else {
                quote!(Vec<#element>)
            }
        }
        RustType::Map { value, sparse, .. } => {
            let value = rust_type(value);
            if *sparse {
                quote!(std::collections::HashMap<String, Option<#value>>)
            } else {
                quote!(std::collections::HashMap<String, #value>)
            }
        }
    }
}

/// The stored type of a member: boxed when it closes a cycle, optional when it may be absent.
pub fn field_type(member: &MemberIr) -> TokenStream {
    let mut ty = rust_type(&member.ty);
    if member.boxed {
        ty = quote!(Box<#ty>);
    }
    if member.optional {
        ty = quote!(Option<#ty>);
    }
    ty
}

/// Whether values of this type are `Copy` (returned by value from getters).
pub fn is_copy(ty: &RustType) -> bool {
    matches!(
        ty,
        RustType::Bool
            | RustType::I8
            | RustType::I16
            | RustType::I32
            | RustType::I64
            | RustType::F32
            | RustType::F64
    )
}

/// The text Debug prints for redacted values.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

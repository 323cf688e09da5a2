//! What the generated code of every body format (JSON, CBOR) shares: the names of the wire
//! functions and of the locals members are read into, how a read member becomes a field
//! (boxed, defaulted or zero-filled), and the reader of an error structure.
//!
//! A format is given by an expression of a reader over an empty document
//! (`crate::rt::JsonReader::new(b"{}")`), which the zero value of a required structure member
//! is read from.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{ident, path};
use crate::ir::names::snake;
use crate::ir::{Binding, MemberIr, NamedKind, RustType, StructIr};

/// The name of a shape's generated wire function, e.g. `ser_tag`.
pub fn wire_fn(prefix: &str, type_path: &str) -> proc_macro2::Ident {
    let name = type_path.rsplit("::").next().unwrap_or(type_path);
    format_ident!("{}_{}", prefix, snake(name))
}

/// The local variable holding a member while it is read.
pub fn local_ident(m: &MemberIr) -> proc_macro2::Ident {
    format_ident!(
        "m_{}",
        crate::ir::names::unraw(&m.field).trim_end_matches('_')
    )
}

/// The zero value of a type: what a required member missing from a response becomes (Smithy's
/// client error correction). A structure's is read from `empty`, a reader over an empty
/// document of the body's format.
pub fn zero_value(ty: &RustType, empty: &TokenStream) -> TokenStream {
    match ty {
        RustType::String | RustType::BigInteger | RustType::BigDecimal => quote!(String::new()),
        RustType::Bool => quote!(false),
        RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => quote!(0),
        RustType::F32 | RustType::F64 => quote!(0.0),
        RustType::Blob => quote!(crate::primitives::Blob::default()),
        RustType::ByteStream => quote!(crate::primitives::ByteStream::default()),
        RustType::EventStream(_) => quote!(Default::default()),
        RustType::DateTime => quote!(crate::primitives::DateTime::from_secs(0)),
        RustType::Document => quote!(crate::primitives::Document::Null),
        RustType::Named {
            kind: NamedKind::Enum,
            path: p,
            ..
        } => {
            let p = path(p);
            quote!(#p::from(""))
        }
        RustType::Named {
            kind: NamedKind::IntEnum,
            path: p,
            ..
        } => {
            let p = path(p);
            quote!(#p::from(0))
        }
        RustType::Named {
            kind: NamedKind::Union,
            path: p,
            ..
        } => {
            let p = path(p);
            quote!(#p::Unknown)
        }
        RustType::Named { path: p, .. } => {
            let f = wire_fn("de", p);
            let message = format!("could not build an empty `{p}`");
            quote! {
                crate::wire::#f(&mut #empty)?
                    .ok_or_else(|| crate::error::DeserializeError::new(#message))?
            }
        }
        RustType::List { .. } => quote!(Vec::new()),
        RustType::Map { .. } => quote!(std::collections::HashMap::new()),
    }
}

/// Whether a type's zero value is its `Default`.
fn zero_is_default(ty: &RustType) -> bool {
    matches!(
        ty,
        RustType::String
            | RustType::BigInteger
            | RustType::BigDecimal
            | RustType::Bool
            | RustType::I8
            | RustType::I16
            | RustType::I32
            | RustType::I64
            | RustType::F32
            | RustType::F64
            | RustType::Blob
            | RustType::ByteStream
            | RustType::DateTime
            | RustType::List { .. }
            | RustType::Map { .. }
    )
}

/// The final value of a member read into its local: boxed, defaulted or zero-filled as the
/// structure stores it (`empty`: see [`zero_value`]).
pub fn member_init(m: &MemberIr, empty: &TokenStream) -> TokenStream {
    let local = local_ident(m);
    let field = ident(&m.field);
    if m.binding == Binding::ResponseCode {
        // The status code is always known: its local is a plain `i32`.
        return if m.optional {
            quote!(#field: Some(#local),)
        } else {
            quote!(#field: #local,)
        };
    }
    let value = if m.optional {
        if m.boxed {
            quote!(#local.map(Box::new))
        } else {
            quote!(#local)
        }
    } else {
        let v = match &m.default {
            Some(default) => {
                super::defaults::unwrap_or_default_expr(quote!(#local), &m.ty, default)
            }
            None if zero_is_default(&m.ty) => quote!(#local.unwrap_or_default()),
            None => {
                let zero = zero_value(&m.ty, empty);
                quote!(match #local { Some(v) => v, None => #zero })
            }
        };
        if m.boxed {
            quote!(Box::new(#v))
        } else {
            v
        }
    };
    quote!(#field: #value,)
}

/// How an error structure's members are read, for [`de_error`].
pub struct ErrorReads {
    /// Statements declaring the locals of the body members and filling them from `body` (a
    /// `&[u8]`); `None` when no member is in the body.
    pub body: Option<TokenStream>,
    /// Statements reading header-bound members into their locals from `headers`.
    pub headers: Vec<TokenStream>,
    /// A reader over an empty document of the body's format (see [`zero_value`]).
    pub empty: TokenStream,
}

/// `de_<error>`: reads an error structure from an error response's body (already known to be
/// of the protocol's format, or an empty document) and headers, with the error's metadata.
pub fn de_error(s: &StructIr, reads: ErrorReads) -> TokenStream {
    let f = wire_fn("de", &s.name);
    let ty = ident(&s.name);
    let read_in = |m: &&MemberIr| {
        matches!(
            m.binding,
            Binding::Body | Binding::Header(_) | Binding::PrefixHeaders(_)
        )
    };
    let headers_name = if reads.headers.is_empty() {
        quote!(_headers)
    } else {
        quote!(headers)
    };
    let document_name = if reads.body.is_none() {
        quote!(_body)
    } else {
        quote!(body)
    };
    let empty = &reads.empty;
    let inits = s
        .members
        .iter()
        .filter(read_in)
        .map(|m| member_init(m, empty));
    let skipped = s.members.iter().filter(|m| !read_in(m)).map(|m| {
        let field = ident(&m.field);
        if m.optional {
            quote!(#field: None,)
        } else {
            let zero = zero_value(&m.ty, empty);
            quote!(#field: #zero,)
        }
    });
    let message_fix = match s
        .members
        .iter()
        .find(|m| m.wire_name.eq_ignore_ascii_case("message"))
    {
        Some(m) if m.optional && matches!(m.ty, RustType::String) && m.binding == Binding::Body => {
            let local = local_ident(m);
            quote!(let #local = #local.or_else(|| meta.message().map(str::to_owned));)
        }
        _ => quote!(),
    };
    // A sensitive message must not survive in the metadata, which `Debug` and `Display` print.
    let message_is_sensitive = s.sensitive
        || s.members
            .iter()
            .any(|m| m.wire_name.eq_ignore_ascii_case("message") && m.info.sensitive);
    let redact_meta = if message_is_sensitive {
        quote!(let meta = meta.with_message(None);)
    } else {
        quote!()
    };
    let doc = format!(
        " Reads a [`crate::types::error::{}`] from an error response.",
        s.name
    );
    let body = reads.body;
    let headers = reads.headers;
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(
            #document_name: &[u8],
            #headers_name: &http::HeaderMap,
            meta: crate::error::ErrorMetadata,
        ) -> Result<crate::types::error::#ty, crate::error::DeserializeError> {
            #body
            #(#headers)*
            #message_fix
            #redact_meta
            Ok(crate::types::error::#ty {
                #(#inits)*
                #(#skipped)*
                meta,
            })
        }
    }
}

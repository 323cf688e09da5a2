//! CBOR bodies (rpcv2Cbor): how each simple value is written (with the runtime's
//! `CborWriter`) and read (with its `CborReader`); structures, unions, lists and maps are
//! [`super::document`]'s, shared with JSON. Structures, maps and unions are maps with text keys
//! (the member names), lists arrays, blobs byte strings, timestamps tag 1 around epoch
//! seconds, `float` single and `double` double precision, big numbers bignums and decimal
//! fractions; an absent sparse value is `null`.

use proc_macro2::TokenStream;
use quote::quote;

use super::document::{self, DocumentFormat};
use super::tokens::path;
use crate::ir::{MemberIr, NamedKind, RustType, ValueInfo};

/// CBOR documents: structures are maps keyed by the member names.
pub(crate) struct Cbor;

impl DocumentFormat for Cbor {
    fn name(&self) -> &'static str {
        "CBOR"
    }

    fn container(&self) -> &'static str {
        "map"
    }

    fn structure_doc(&self) -> &'static str {
        "a CBOR map"
    }

    fn union_doc(&self) -> &'static str {
        "a single-entry CBOR map"
    }

    fn writer(&self) -> TokenStream {
        quote!(crate::rt::CborWriter<'_>)
    }

    fn reader(&self) -> TokenStream {
        quote!(crate::rt::CborReader<'_>)
    }

    fn reader_over(&self, bytes: TokenStream) -> TokenStream {
        quote!(crate::rt::CborReader::new(#bytes))
    }

    /// An empty body, which reads as an empty map.
    fn empty_document(&self) -> TokenStream {
        quote!(&[])
    }

    fn key<'m>(&self, m: &'m MemberIr) -> &'m str {
        &m.wire_name
    }

    fn ser_value(
        &self,
        ty: &RustType,
        _info: &ValueInfo,
        value: TokenStream,
        writer: TokenStream,
    ) -> TokenStream {
        match ty {
            RustType::String => quote!(#writer.string(#value);),
            RustType::BigInteger => quote!(#writer.big_integer(#value)?;),
            RustType::BigDecimal => quote!(#writer.big_decimal(#value)?;),
            RustType::Bool => quote!(#writer.boolean(*#value);),
            RustType::I8 | RustType::I16 | RustType::I32 => {
                quote!(#writer.integer(i64::from(*#value));)
            }
            RustType::I64 => quote!(#writer.integer(*#value);),
            RustType::F32 => quote!(#writer.float(*#value);),
            RustType::F64 => quote!(#writer.double(*#value);),
            RustType::Blob => quote!(#writer.blob(#value.as_ref());),
            // Never in a body (lowering keeps streaming blobs to payloads); written as a blob.
            RustType::ByteStream => quote!(#writer.blob(#value.bytes().unwrap_or_default());),
            // Never in a document: lowering keeps event streams to payloads.
            RustType::EventStream(_) => {
                quote!(compile_error!("an event stream in a CBOR document");)
            }
            RustType::DateTime => quote!(crate::rt::cbor_write_timestamp(#writer, #value);),
            // Lowering rejects document types under rpcv2Cbor, which has no encoding for them.
            RustType::Document => quote!(#writer.null();),
            RustType::Named {
                kind: NamedKind::Enum,
                ..
            } => quote!(#writer.string(#value.as_str());),
            RustType::Named {
                kind: NamedKind::IntEnum,
                ..
            } => quote!(#writer.integer(i64::from(#value.value()));),
            RustType::Named { path: p, .. } => document::ser_named(p, &value, &writer),
            RustType::List {
                element,
                sparse,
                element_info,
            } => document::ser_list(self, (element, element_info, *sparse), &value, &writer),
            RustType::Map {
                value: value_ty,
                sparse,
                value_info,
            } => document::ser_map(self, (value_ty, value_info, *sparse), &value, &writer),
        }
    }

    fn de_value(&self, ty: &RustType, _info: &ValueInfo, label: &str) -> TokenStream {
        match ty {
            RustType::String => quote!(reader.read_string(#label)?),
            RustType::BigInteger => quote!(reader.read_big_integer(#label)?),
            RustType::BigDecimal => quote!(reader.read_big_decimal(#label)?),
            RustType::Bool => quote!(reader.read_bool(#label)?),
            RustType::I8 => quote!(reader.read_i8(#label)?),
            RustType::I16 => quote!(reader.read_i16(#label)?),
            RustType::I32 => quote!(reader.read_i32(#label)?),
            RustType::I64 => quote!(reader.read_i64(#label)?),
            RustType::F32 => quote!(reader.read_f32(#label)?),
            RustType::F64 => quote!(reader.read_f64(#label)?),
            RustType::Blob => quote!(crate::rt::cbor_read_blob(reader, #label)?),
            RustType::ByteStream => {
                quote!(reader.read_blob(#label)?.map(crate::primitives::ByteStream::from))
            }
            // Never in a document: lowering keeps event streams to payloads.
            RustType::EventStream(_) => {
                quote!(compile_error!("an event stream in a CBOR document"))
            }
            RustType::DateTime => quote!(crate::rt::cbor_read_timestamp(reader, #label)?),
            // Lowering rejects document types under rpcv2Cbor, which has no encoding for them.
            RustType::Document => quote! {
                {
                    reader.skip_value()?;
                    None
                }
            },
            RustType::Named {
                kind: NamedKind::Enum,
                path: p,
                ..
            } => {
                let p = path(p);
                quote!(reader.read_str(#label)?.map(|s| #p::from(s.as_ref())))
            }
            RustType::Named {
                kind: NamedKind::IntEnum,
                path: p,
                ..
            } => {
                let p = path(p);
                quote!(reader.read_i32(#label)?.map(#p::from))
            }
            RustType::Named { path: p, .. } => document::de_named(p),
            RustType::List {
                element,
                sparse,
                element_info,
            } => document::de_list(self, ty, (element, element_info, *sparse), label),
            RustType::Map {
                value: value_ty,
                sparse,
                value_info,
            } => document::de_map(self, ty, (value_ty, value_info, *sparse), label),
        }
    }
}

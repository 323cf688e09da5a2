//! JSON bodies (restJson1, awsJson1_0, awsJson1_1): how each simple value is written and read
//! (structures, unions, lists and maps are [`super::document`]'s, shared with CBOR), and the
//! JSON documents of event payloads. The keys are the members' `json_name`s (which the IR makes
//! the member names under the protocols that ignore `@jsonName`).

use proc_macro2::TokenStream;
use quote::quote;

use super::document::{self, DocumentFormat};
use super::tokens::path;
use crate::ir::{MemberIr, NamedKind, RustType, TimestampFormat, ValueInfo};

/// The runtime's timestamp format value for `format` (body default: epoch seconds).
pub fn format_tokens(format: Option<TimestampFormat>, default: TimestampFormat) -> TokenStream {
    match format.unwrap_or(default) {
        TimestampFormat::DateTime => quote!(crate::rt::DateTimeFormat::DateTime),
        TimestampFormat::HttpDate => quote!(crate::rt::DateTimeFormat::HttpDate),
        TimestampFormat::EpochSeconds => quote!(crate::rt::DateTimeFormat::EpochSeconds),
    }
}

/// JSON documents: structures are objects keyed by `json_name`.
pub(crate) struct Json;

impl DocumentFormat for Json {
    fn name(&self) -> &'static str {
        "JSON"
    }

    fn container(&self) -> &'static str {
        "object"
    }

    fn structure_doc(&self) -> &'static str {
        "a JSON object"
    }

    fn union_doc(&self) -> &'static str {
        "a single-key JSON object"
    }

    fn writer(&self) -> TokenStream {
        quote!(crate::rt::JsonValueWriter<'_>)
    }

    fn reader(&self) -> TokenStream {
        quote!(crate::rt::JsonReader<'_>)
    }

    fn reader_over(&self, bytes: TokenStream) -> TokenStream {
        quote!(crate::rt::JsonReader::new(#bytes))
    }

    fn empty_document(&self) -> TokenStream {
        quote!(b"{}")
    }

    fn key<'m>(&self, m: &'m MemberIr) -> &'m str {
        &m.json_name
    }

    fn ser_value(
        &self,
        ty: &RustType,
        info: &ValueInfo,
        value: TokenStream,
        writer: TokenStream,
    ) -> TokenStream {
        match ty {
            RustType::String => quote!(#writer.string(#value);),
            RustType::BigInteger | RustType::BigDecimal => quote!(#writer.big_number(#value);),
            RustType::Bool => quote!(#writer.boolean(*#value);),
            RustType::I8 | RustType::I16 | RustType::I32 => {
                quote!(#writer.integer(i64::from(*#value));)
            }
            RustType::I64 => quote!(#writer.integer(*#value);),
            RustType::F32 => quote!(#writer.float(f64::from(*#value));),
            RustType::F64 => quote!(#writer.float(*#value);),
            RustType::Blob => quote!(#writer.blob(#value.as_ref());),
            // Never in a JSON document (lowering keeps streaming blobs to payloads); written as
            // a blob.
            RustType::ByteStream => quote!(#writer.blob(#value.bytes().unwrap_or_default());),
            // Never in a document: lowering keeps event streams to payloads.
            RustType::EventStream(_) => {
                quote!(compile_error!("an event stream in a JSON document");)
            }
            RustType::DateTime => {
                let format = format_tokens(info.timestamp_format, TimestampFormat::EpochSeconds);
                quote!(#writer.date_time(#value, #format)?;)
            }
            RustType::Document => quote!(#writer.document(#value);),
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

    fn de_value(&self, ty: &RustType, info: &ValueInfo, label: &str) -> TokenStream {
        match ty {
            RustType::String => quote!(reader.read_string(#label)?),
            RustType::BigInteger | RustType::BigDecimal => {
                quote!(reader.read_big_number(#label)?)
            }
            RustType::Bool => quote!(reader.read_bool(#label)?),
            RustType::I8 => quote!(reader.read_i8(#label)?),
            RustType::I16 => quote!(reader.read_i16(#label)?),
            RustType::I32 => quote!(reader.read_i32(#label)?),
            RustType::I64 => quote!(reader.read_i64(#label)?),
            RustType::F32 => quote!(reader.read_f32(#label)?),
            RustType::F64 => quote!(reader.read_f64(#label)?),
            RustType::Blob => quote!(reader.read_blob(#label)?),
            RustType::ByteStream => {
                quote!(reader.read_blob(#label)?.map(crate::primitives::ByteStream::from))
            }
            // Never in a document: lowering keeps event streams to payloads.
            RustType::EventStream(_) => {
                quote!(compile_error!("an event stream in a JSON document"))
            }
            RustType::DateTime => {
                let format = format_tokens(info.timestamp_format, TimestampFormat::EpochSeconds);
                quote!(reader.read_timestamp(#format, #label)?)
            }
            RustType::Document => quote!(reader.read_document(#label)?),
            RustType::Named {
                kind: NamedKind::Enum,
                path: p,
                ..
            } => {
                let p = path(p);
                quote!(reader.read_string(#label)?.map(|s| #p::from(s.as_str())))
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

/// The JSON documents of event payloads (restJson1, awsJson).
pub(crate) struct JsonEventDocuments;

impl super::event_stream::EventDocuments for JsonEventDocuments {
    fn content_type(&self) -> &'static str {
        "application/json"
    }

    fn write_members(&self, members: &[&MemberIr], value: TokenStream) -> TokenStream {
        let writes = document::ser_members(&Json, members, value, None);
        let object = if members.is_empty() {
            quote!(object)
        } else {
            quote!(mut object)
        };
        quote! {
            let mut out = String::new();
            {
                let #object = crate::rt::JsonObjectWriter::new(&mut out);
                #writes
                object.finish();
            }
            let payload = bytes::Bytes::from(out);
        }
    }

    fn write_value(&self, ty: &RustType, info: &ValueInfo, value: TokenStream) -> TokenStream {
        let write = Json.ser_value(
            ty,
            info,
            value,
            quote!(crate::rt::JsonValueWriter::new(&mut out)),
        );
        quote! {
            {
                let mut out = String::new();
                #write
                bytes::Bytes::from(out)
            }
        }
    }

    fn read_members(&self, members: &[&MemberIr], owner: &str) -> TokenStream {
        let (locals, read_loop) = document::de_members_parts(&Json, members, owner);
        quote! {
            #locals
            if !payload.is_empty() {
                let reader = &mut crate::rt::JsonReader::new(payload);
                if reader.begin_object(#owner)? {
                    #read_loop
                }
                reader.finish()?;
            }
        }
    }

    fn read_value(&self, ty: &RustType, info: &ValueInfo, label: &str) -> TokenStream {
        let read = Json.de_value(ty, info, label);
        quote! {
            {
                let reader = &mut crate::rt::JsonReader::new(payload);
                let value = #read;
                reader.finish()?;
                value
            }
        }
    }
}

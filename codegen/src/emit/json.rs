//! JSON bodies (restJson1, awsJson1_0, awsJson1_1): serializers and deserializers for
//! structures, unions and error structures, and the code that writes or reads one value of any
//! type. The keys are the members' `json_name`s (which the IR makes the member names under the
//! protocols that ignore `@jsonName`).

use proc_macro2::TokenStream;
use quote::quote;

use super::body;
pub use super::body::{local_ident, wire_fn};
use super::tokens::{ident, path, rust_type};
use crate::ir::{
    Binding, MemberIr, NamedKind, RustType, StructIr, TimestampFormat, UnionIr, ValueInfo,
};

/// The runtime's timestamp format value for `format` (body default: epoch seconds).
pub fn format_tokens(format: Option<TimestampFormat>, default: TimestampFormat) -> TokenStream {
    match format.unwrap_or(default) {
        TimestampFormat::DateTime => quote!(crate::rt::DateTimeFormat::DateTime),
        TimestampFormat::HttpDate => quote!(crate::rt::DateTimeFormat::HttpDate),
        TimestampFormat::EpochSeconds => quote!(crate::rt::DateTimeFormat::EpochSeconds),
    }
}

/// A statement writing `value` (an expression of type `&T`) with the JSON value writer `writer`.
pub fn ser_value(
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
        // Never in a JSON document (lowering keeps streaming blobs to payloads); written as a blob.
        RustType::ByteStream => quote!(#writer.blob(#value.bytes().unwrap_or_default());),
        // Never in a document: lowering keeps event streams to payloads.
        RustType::EventStream(_) => quote!(compile_error!("an event stream in a JSON document");),
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
        RustType::Named { path: p, .. } => {
            let f = wire_fn("ser", p);
            quote!(crate::wire::#f(#value, #writer)?;)
        }
        RustType::List {
            element,
            sparse,
            element_info,
        } => {
            let item = ser_value(element, element_info, quote!(item), quote!(array.value()));
            let body = if *sparse {
                quote! {
                    match item {
                        Some(item) => { #item }
                        None => array.value().null(),
                    }
                }
            } else {
                item
            };
            quote! {
                {
                    let mut array = #writer.start_array();
                    for item in #value {
                        #body
                    }
                    array.finish();
                }
            }
        }
        RustType::Map {
            value: value_ty,
            sparse,
            value_info,
        } => {
            let entry = ser_value(value_ty, value_info, quote!(entry), quote!(object.key(key)));
            let body = if *sparse {
                quote! {
                    match entry {
                        Some(entry) => { #entry }
                        None => object.key(key).null(),
                    }
                }
            } else {
                entry
            };
            quote! {
                {
                    let mut object = #writer.start_object();
                    let mut keys: Vec<&String> = #value.keys().collect();
                    keys.sort();
                    for key in keys {
                        if let Some(entry) = #value.get(key) {
                            #body
                        }
                    }
                    object.finish();
                }
            }
        }
    }
}

/// Statements writing body `members` of the structure bound to `input` into `object`.
pub fn ser_members(
    members: &[&MemberIr],
    input: TokenStream,
    token_override: Option<&TokenStream>,
) -> TokenStream {
    let writes = members.iter().map(|m| {
        let field = ident(&m.field);
        let key = &m.json_name;
        if m.idempotency_token {
            if let Some(token) = token_override {
                return quote!(object.key(#key).string(#token););
            }
        }
        let value_expr = if m.boxed {
            quote!(value.as_ref())
        } else {
            quote!(value)
        };
        let write = ser_value(&m.ty, &m.info, value_expr.clone(), quote!(object.key(#key)));
        if m.optional {
            quote! {
                if let Some(value) = &#input.#field {
                    #write
                }
            }
        } else {
            let value_expr = if m.boxed {
                quote!(value.as_ref())
            } else {
                quote!(value)
            };
            let write = ser_value(&m.ty, &m.info, value_expr, quote!(object.key(#key)));
            quote! {
                {
                    let value = &#input.#field;
                    #write
                }
            }
        }
    });
    quote!(#(#writes)*)
}

/// `ser_<shape>`: writes a structure as a JSON object.
pub fn ser_structure(s: &StructIr) -> TokenStream {
    let f = wire_fn("ser", &s.name);
    let ty = path(&s.path());
    let members: Vec<&MemberIr> = s.members.iter().collect();
    let body = ser_members(&members, quote!(value), None);
    let doc = format!(" Writes a [`{}`] as a JSON object.", s.path());
    // An empty structure never writes a key: neither the value nor the object is used mutably.
    let (value_name, object) = if members.is_empty() {
        (quote!(_value), quote!(object))
    } else {
        (quote!(value), quote!(mut object))
    };
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(#value_name: &#ty, writer: crate::rt::JsonValueWriter<'_>) -> Result<(), crate::error::BuildError> {
            let #object = writer.start_object();
            #body
            object.finish();
            Ok(())
        }
    }
}

/// `ser_<union>`: writes a union as a single-key JSON object.
pub fn ser_union(u: &UnionIr) -> TokenStream {
    let f = wire_fn("ser", &u.name);
    let ty = path(&format!("crate::types::{}", u.name));
    let name = ident(&u.name);
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let key = &v.member.json_name;
        let value = if v.member.boxed {
            quote!(value.as_ref())
        } else {
            quote!(value)
        };
        let write = ser_value(
            &v.member.ty,
            &v.member.info,
            value,
            quote!(object.key(#key)),
        );
        quote!(crate::types::#name::#variant(value) => { #write })
    });
    let error = format!("cannot serialize an unknown variant of `{}`", u.name);
    let doc = format!(" Writes a [`{}`] as a single-key JSON object.", u.name);
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(value: &#ty, writer: crate::rt::JsonValueWriter<'_>) -> Result<(), crate::error::BuildError> {
            let mut object = writer.start_object();
            match value {
                #(#arms)*
                crate::types::#name::Unknown => {
                    return Err(crate::error::BuildError::invalid_field(#error, "the `Unknown` variant only exists for values received from the service"));
                }
            }
            object.finish();
            Ok(())
        }
    }
}

/// An expression reading the next value of `reader` (a `JsonReader`) as `Option<T>`.
pub fn de_value(ty: &RustType, info: &ValueInfo, label: &str) -> TokenStream {
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
        RustType::EventStream(_) => quote!(compile_error!("an event stream in a JSON document")),
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
        RustType::Named { path: p, .. } => {
            let f = wire_fn("de", p);
            quote!(crate::wire::#f(reader)?)
        }
        RustType::List {
            element,
            sparse,
            element_info,
        } => {
            let item = de_value(element, element_info, label);
            let push = if *sparse {
                quote!(items.push(#item);)
            } else {
                quote! {
                    if let Some(item) = #item {
                        items.push(item);
                    }
                }
            };
            let ty = rust_type(ty);
            quote! {
                if reader.begin_array(#label)? {
                    let mut items: #ty = Vec::new();
                    while reader.next_item()? {
                        #push
                    }
                    Some(items)
                } else {
                    None
                }
            }
        }
        RustType::Map {
            value: value_ty,
            sparse,
            value_info,
        } => {
            let entry = de_value(value_ty, value_info, label);
            // Duplicate keys: the last one wins, as a `null` (dropped from a dense map) does.
            let insert = if *sparse {
                quote!(map.insert(key.into_owned(), #entry);)
            } else {
                quote! {
                    match #entry {
                        Some(entry) => {
                            map.insert(key.into_owned(), entry);
                        }
                        None => {
                            map.remove(key.as_ref());
                        }
                    }
                }
            };
            let ty = rust_type(ty);
            quote! {
                if reader.begin_object(#label)? {
                    let mut map: #ty = std::collections::HashMap::new();
                    while let Some(key) = reader.next_key()? {
                        #insert
                    }
                    Some(map)
                } else {
                    None
                }
            }
        }
    }
}

/// Reads body members of a structure from the JSON object `reader` has just started: declares
/// one `Option` local per member, then a loop over the object's keys fills them (unknown keys
/// are skipped; for a repeated key the last value wins).
pub fn de_members_locals(members: &[&MemberIr], owner: &str) -> TokenStream {
    let (locals, read_loop) = de_members_parts(members, owner);
    quote!(#locals #read_loop)
}

/// The `Option` locals of `members` and the loop reading the open object into them.
pub fn de_members_parts(members: &[&MemberIr], owner: &str) -> (TokenStream, TokenStream) {
    let locals = members.iter().map(|m| {
        let local = local_ident(m);
        let ty = rust_type(&m.ty);
        quote!(let mut #local: Option<#ty> = None;)
    });
    let arms = members.iter().map(|m| {
        let local = local_ident(m);
        let key = &m.json_name;
        let label = format!("{owner}.{}", m.wire_name);
        let read = de_value(&m.ty, &m.info, &label);
        quote!(#key => #local = #read,)
    });
    let read_loop = if members.is_empty() {
        quote! {
            while reader.next_key()?.is_some() {
                reader.skip_value()?;
            }
        }
    } else {
        quote! {
            while let Some(key) = reader.next_key()? {
                match key.as_ref() {
                    #(#arms)*
                    _ => reader.skip_value()?,
                }
            }
        }
    };
    (quote!(#(#locals)*), read_loop)
}

/// A reader over an empty JSON document, which the zero value of a structure is read from.
fn empty_reader() -> TokenStream {
    quote!(crate::rt::JsonReader::new(b"{}"))
}

/// The final value of a member read into its local (see [`body::member_init`]).
pub fn member_init(m: &MemberIr) -> TokenStream {
    body::member_init(m, &empty_reader())
}

/// `de_<error>`: reads an error structure from the response's JSON body (already known to be
/// JSON, or `{}`) and, for members bound to headers, the statements `header_reads`.
pub fn de_error(s: &StructIr, header_reads: Vec<TokenStream>) -> TokenStream {
    let body_members: Vec<&MemberIr> = s
        .members
        .iter()
        .filter(|m| m.binding == Binding::Body)
        .collect();
    let body = (!body_members.is_empty()).then(|| {
        let (locals, read_loop) = de_members_parts(&body_members, &s.wire_name);
        let label = s.wire_name.clone();
        quote! {
            #locals
            let reader = &mut crate::rt::JsonReader::new(body);
            if reader.begin_object(#label)? {
                #read_loop
            }
        }
    });
    body::de_error(
        s,
        body::ErrorReads {
            body,
            headers: header_reads,
            empty: empty_reader(),
        },
    )
}

/// `de_<shape>`: reads a structure from the next JSON value of `reader` (`null` gives `None`).
pub fn de_structure(s: &StructIr) -> TokenStream {
    let f = wire_fn("de", &s.name);
    let ty = path(&s.path());
    let members: Vec<&MemberIr> = s.members.iter().collect();
    let label = s.wire_name.clone();
    let body = de_members_locals(&members, &s.wire_name);
    let inits = members.iter().map(|m| member_init(m));
    let doc = format!(" Reads a [`{}`] from JSON.", s.path());
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(reader: &mut crate::rt::JsonReader<'_>) -> Result<Option<#ty>, crate::error::DeserializeError> {
            if !reader.begin_object(#label)? {
                return Ok(None);
            }
            #body
            Ok(Some(#ty {
                #(#inits)*
            }))
        }
    }
}

/// `de_<union>`: reads a union from a single-key JSON object; unknown keys give `Unknown`,
/// `null` members and `__type` are ignored.
pub fn de_union(u: &UnionIr) -> TokenStream {
    let f = wire_fn("de", &u.name);
    let name = ident(&u.name);
    let label = u.name.clone();
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let key = &v.member.json_name;
        let member_label = format!("{}.{}", u.name, v.member.wire_name);
        let read = de_value(&v.member.ty, &v.member.info, &member_label);
        // The variant itself is the function when nothing is boxed (clippy::redundant_closure).
        let wrap = if v.member.boxed {
            quote!(|v| crate::types::#name::#variant(Box::new(v)))
        } else {
            quote!(crate::types::#name::#variant)
        };
        quote!(#key => #read.map(#wrap),)
    });
    let doc = format!(" Reads a [`crate::types::{}`] from JSON.", u.name);
    let too_many = format!("{}: a union must have exactly one member set", u.name);
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(reader: &mut crate::rt::JsonReader<'_>) -> Result<Option<crate::types::#name>, crate::error::DeserializeError> {
            if !reader.begin_object(#label)? {
                return Ok(None);
            }
            let mut set: Option<(std::borrow::Cow<'_, str>, crate::types::#name)> = None;
            while let Some(key) = reader.next_key()? {
                let member = match key.as_ref() {
                    "__type" => {
                        reader.skip_value()?;
                        continue;
                    }
                    #(#arms)*
                    _ => {
                        let null = reader.is_null()?;
                        reader.skip_value()?;
                        if null { None } else { Some(crate::types::#name::Unknown) }
                    }
                };
                // A repeated key: the last value wins (a `null` unsets it).
                let same_key = set.as_ref().is_some_and(|(set_key, _)| *set_key == key);
                match member {
                    Some(_) if set.is_some() && !same_key => {
                        return Err(crate::error::DeserializeError::new(#too_many));
                    }
                    Some(member) => set = Some((key, member)),
                    None if same_key => set = None,
                    None => {}
                }
            }
            Ok(set.map(|(_, member)| member))
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
        let writes = ser_members(members, value, None);
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
        let write = ser_value(
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
        let (locals, read_loop) = de_members_parts(members, owner);
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
        let read = de_value(ty, info, label);
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

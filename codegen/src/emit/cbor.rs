//! CBOR bodies (rpcv2Cbor): serializers and deserializers for structures, unions and error
//! structures, and the code that writes (with the runtime's `CborWriter`) or reads (with its
//! `CborReader`) one value of any type. Structures, maps and unions are maps with text keys
//! (the member names), lists arrays, blobs byte strings, timestamps tag 1 around epoch
//! seconds, `float` single and `double` double precision, big numbers bignums and decimal
//! fractions; an absent sparse value is `null`.

use proc_macro2::TokenStream;
use quote::quote;

use super::body::{self, local_ident, wire_fn};
use super::tokens::{ident, path, rust_type};
use crate::ir::{Binding, MemberIr, NamedKind, RustType, StructIr, UnionIr};

/// A reader over an empty CBOR body (an empty map), which the zero value of a structure is
/// read from.
pub fn empty_reader() -> TokenStream {
    quote!(crate::rt::CborReader::new(&[]))
}

/// A statement writing `value` (an expression of type `&T`) with the CBOR value writer
/// `writer`.
pub fn ser_value(ty: &RustType, value: TokenStream, writer: TokenStream) -> TokenStream {
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
        RustType::EventStream(_) => quote!(compile_error!("an event stream in a CBOR document");),
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
        RustType::Named { path: p, .. } => {
            let f = wire_fn("ser", p);
            quote!(crate::wire::#f(#value, #writer)?;)
        }
        RustType::List {
            element, sparse, ..
        } => {
            let item = ser_value(element, quote!(item), quote!(array.value()));
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
            ..
        } => {
            let entry = ser_value(value_ty, quote!(entry), quote!(map.key(key)));
            let body = if *sparse {
                quote! {
                    match entry {
                        Some(entry) => { #entry }
                        None => map.key(key).null(),
                    }
                }
            } else {
                entry
            };
            quote! {
                {
                    let mut map = #writer.start_map();
                    let mut keys: Vec<&String> = #value.keys().collect();
                    keys.sort();
                    for key in keys {
                        if let Some(entry) = #value.get(key) {
                            #body
                        }
                    }
                    map.finish();
                }
            }
        }
    }
}

/// Statements writing `members` of the structure bound to `input` into the map writer `map`
/// (`token_override`: the idempotency token's value, when the serializer fills it in).
pub fn ser_members(
    members: &[&MemberIr],
    input: TokenStream,
    token_override: Option<&TokenStream>,
) -> TokenStream {
    let writes = members.iter().map(|m| {
        let field = ident(&m.field);
        let key = &m.wire_name;
        if m.idempotency_token {
            if let Some(token) = token_override {
                return quote!(map.key(#key).string(#token););
            }
        }
        let value_expr = if m.boxed {
            quote!(value.as_ref())
        } else {
            quote!(value)
        };
        let write = ser_value(&m.ty, value_expr, quote!(map.key(#key)));
        if m.optional {
            quote! {
                if let Some(value) = &#input.#field {
                    #write
                }
            }
        } else {
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

/// `ser_<shape>`: writes a structure as a CBOR map.
pub fn ser_structure(s: &StructIr) -> TokenStream {
    let f = wire_fn("ser", &s.name);
    let ty = path(&s.path());
    let members: Vec<&MemberIr> = s.members.iter().collect();
    let body = ser_members(&members, quote!(value), None);
    let doc = format!(" Writes a [`{}`] as a CBOR map.", s.path());
    // An empty structure never writes a key: neither the value nor the map is used mutably.
    let (value_name, map) = if members.is_empty() {
        (quote!(_value), quote!(map))
    } else {
        (quote!(value), quote!(mut map))
    };
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(#value_name: &#ty, writer: crate::rt::CborWriter<'_>) -> Result<(), crate::error::BuildError> {
            let #map = writer.start_map();
            #body
            map.finish();
            Ok(())
        }
    }
}

/// `ser_<union>`: writes a union as a single-entry CBOR map.
pub fn ser_union(u: &UnionIr) -> TokenStream {
    let f = wire_fn("ser", &u.name);
    let ty = path(&format!("crate::types::{}", u.name));
    let name = ident(&u.name);
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let key = &v.member.wire_name;
        let value = if v.member.boxed {
            quote!(value.as_ref())
        } else {
            quote!(value)
        };
        let write = ser_value(&v.member.ty, value, quote!(map.key(#key)));
        quote!(crate::types::#name::#variant(value) => { #write })
    });
    let error = format!("cannot serialize an unknown variant of `{}`", u.name);
    let doc = format!(" Writes a [`{}`] as a single-entry CBOR map.", u.name);
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(value: &#ty, writer: crate::rt::CborWriter<'_>) -> Result<(), crate::error::BuildError> {
            let mut map = writer.start_map();
            match value {
                #(#arms)*
                crate::types::#name::Unknown => {
                    return Err(crate::error::BuildError::invalid_field(#error, "the `Unknown` variant only exists for values received from the service"));
                }
            }
            map.finish();
            Ok(())
        }
    }
}

/// An expression reading the next value of `reader` (a `CborReader`) as `Option<T>`.
pub fn de_value(ty: &RustType, label: &str) -> TokenStream {
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
        RustType::EventStream(_) => quote!(compile_error!("an event stream in a CBOR document")),
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
        RustType::Named { path: p, .. } => {
            let f = wire_fn("de", p);
            quote!(crate::wire::#f(reader)?)
        }
        RustType::List {
            element, sparse, ..
        } => {
            let item = de_value(element, label);
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
            ..
        } => {
            let entry = de_value(value_ty, label);
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
                if reader.begin_map(#label)? {
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

/// The `Option` locals of `members` and the loop reading the open map into them (unknown keys
/// are skipped; for a repeated key the last value wins).
pub fn de_members_parts(members: &[&MemberIr], owner: &str) -> (TokenStream, TokenStream) {
    let locals = members.iter().map(|m| {
        let local = local_ident(m);
        let ty = rust_type(&m.ty);
        quote!(let mut #local: Option<#ty> = None;)
    });
    let arms = members.iter().map(|m| {
        let local = local_ident(m);
        let key = &m.wire_name;
        let label = format!("{owner}.{}", m.wire_name);
        let read = de_value(&m.ty, &label);
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

/// The final value of a member read into its local (see [`body::member_init`]).
pub fn member_init(m: &MemberIr) -> TokenStream {
    body::member_init(m, &empty_reader())
}

/// `de_<shape>`: reads a structure from the next CBOR value of `reader` (`null` gives `None`).
pub fn de_structure(s: &StructIr) -> TokenStream {
    let f = wire_fn("de", &s.name);
    let ty = path(&s.path());
    let members: Vec<&MemberIr> = s.members.iter().collect();
    let label = s.wire_name.clone();
    let (locals, read_loop) = de_members_parts(&members, &s.wire_name);
    let inits = members.iter().map(|m| member_init(m));
    let doc = format!(" Reads a [`{}`] from CBOR.", s.path());
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(reader: &mut crate::rt::CborReader<'_>) -> Result<Option<#ty>, crate::error::DeserializeError> {
            if !reader.begin_map(#label)? {
                return Ok(None);
            }
            #locals
            #read_loop
            Ok(Some(#ty {
                #(#inits)*
            }))
        }
    }
}

/// `de_<union>`: reads a union from a single-entry CBOR map; unknown keys give `Unknown`,
/// `null` members and `__type` are ignored.
pub fn de_union(u: &UnionIr) -> TokenStream {
    let f = wire_fn("de", &u.name);
    let name = ident(&u.name);
    let label = u.name.clone();
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let key = &v.member.wire_name;
        let member_label = format!("{}.{}", u.name, v.member.wire_name);
        let read = de_value(&v.member.ty, &member_label);
        // The variant itself is the function when nothing is boxed (clippy::redundant_closure).
        let wrap = if v.member.boxed {
            quote!(|v| crate::types::#name::#variant(Box::new(v)))
        } else {
            quote!(crate::types::#name::#variant)
        };
        quote!(#key => #read.map(#wrap),)
    });
    let doc = format!(" Reads a [`crate::types::{}`] from CBOR.", u.name);
    let too_many = format!("{}: a union must have exactly one member set", u.name);
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(reader: &mut crate::rt::CborReader<'_>) -> Result<Option<crate::types::#name>, crate::error::DeserializeError> {
            if !reader.begin_map(#label)? {
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

/// `de_<error>`: reads an error structure from the response's CBOR body (already known to be
/// a CBOR map, or empty).
pub fn de_error(s: &StructIr) -> TokenStream {
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
            let reader = &mut crate::rt::CborReader::new(body);
            if reader.begin_map(#label)? {
                #read_loop
            }
        }
    });
    body::de_error(
        s,
        body::ErrorReads {
            body,
            headers: Vec::new(),
            empty: empty_reader(),
        },
    )
}

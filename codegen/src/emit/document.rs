//! Structures, unions, lists and maps in a body document, written and read the same way by
//! every body format: a structure or union is a keyed container (a JSON object, a CBOR map)
//! of its members, a list an array, a map a keyed container in key order. What differs — the
//! simple values, the container's name, the runtime's reader and writer types, the key of a
//! member — is the format's [`DocumentFormat`] (`json::Json`, `cbor::Cbor`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::body::{self, local_ident, wire_fn};
use super::tokens::{ident, path, rust_type};
use crate::ir::{Binding, MemberIr, RustType, StructIr, UnionIr, ValueInfo};

/// A body format's own part of the generated code.
pub(crate) trait DocumentFormat: Sync {
    /// The format's name in documentation, e.g. `JSON`.
    fn name(&self) -> &'static str;

    /// The name of a keyed container, which names the runtime's methods (`start_object`,
    /// `begin_object`) and the generated locals (`object`): `object` or `map`.
    fn container(&self) -> &'static str;

    /// How a structure is written, for the docs: `a JSON object`.
    fn structure_doc(&self) -> &'static str;

    /// How a union is written, for the docs: `a single-key JSON object`.
    fn union_doc(&self) -> &'static str;

    /// The runtime's value writer type, e.g. `crate::rt::JsonValueWriter<'_>`.
    fn writer(&self) -> TokenStream;

    /// The runtime's reader type, e.g. `crate::rt::JsonReader<'_>`.
    fn reader(&self) -> TokenStream;

    /// A reader over `bytes` (an expression of type `&[u8]`), e.g.
    /// `crate::rt::JsonReader::new(#bytes)`.
    fn reader_over(&self, bytes: TokenStream) -> TokenStream;

    /// An empty document (an expression of type `&[u8]`), e.g. `b"{}"`.
    fn empty_document(&self) -> TokenStream;

    /// A reader over an empty document, which the zero value of a structure is read from.
    fn empty_reader(&self) -> TokenStream {
        self.reader_over(self.empty_document())
    }

    /// A member's key in its container.
    fn key<'m>(&self, m: &'m MemberIr) -> &'m str;

    /// A statement writing `value` (an expression of type `&T`) with the value writer `writer`
    /// (structures, unions, lists and maps with [`ser_named`], [`ser_list`], [`ser_map`]).
    fn ser_value(
        &self,
        ty: &RustType,
        info: &ValueInfo,
        value: TokenStream,
        writer: TokenStream,
    ) -> TokenStream;

    /// An expression reading the next value of `reader` as `Option<T>` (structures, unions,
    /// lists and maps with [`de_named`], [`de_list`], [`de_map`]).
    fn de_value(&self, ty: &RustType, info: &ValueInfo, label: &str) -> TokenStream;
}

/// [`DocumentFormat::ser_value`] of a structure or union: a call of its wire function.
pub fn ser_named(type_path: &str, value: &TokenStream, writer: &TokenStream) -> TokenStream {
    let f = wire_fn("ser", type_path);
    quote!(crate::wire::#f(#value, #writer)?;)
}

/// [`DocumentFormat::ser_value`] of a list (`sparse`: an absent element is written `null`).
pub fn ser_list(
    fmt: &dyn DocumentFormat,
    (element, element_info, sparse): (&RustType, &ValueInfo, bool),
    value: &TokenStream,
    writer: &TokenStream,
) -> TokenStream {
    let item = fmt.ser_value(element, element_info, quote!(item), quote!(array.value()));
    let body = if sparse {
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

/// [`DocumentFormat::ser_value`] of a map, a keyed container written in key order (`sparse`:
/// an absent value is written `null`).
pub fn ser_map(
    fmt: &dyn DocumentFormat,
    (value_ty, value_info, sparse): (&RustType, &ValueInfo, bool),
    value: &TokenStream,
    writer: &TokenStream,
) -> TokenStream {
    let keyed = format_ident!("{}", fmt.container());
    let start = format_ident!("start_{}", fmt.container());
    let entry = fmt.ser_value(value_ty, value_info, quote!(entry), quote!(#keyed.key(key)));
    let body = if sparse {
        quote! {
            match entry {
                Some(entry) => { #entry }
                None => #keyed.key(key).null(),
            }
        }
    } else {
        entry
    };
    quote! {
        {
            let mut #keyed = #writer.#start();
            let mut keys: Vec<&String> = #value.keys().collect();
            keys.sort();
            for key in keys {
                if let Some(entry) = #value.get(key) {
                    #body
                }
            }
            #keyed.finish();
        }
    }
}

/// [`DocumentFormat::de_value`] of a structure or union: a call of its wire function.
pub fn de_named(type_path: &str) -> TokenStream {
    let f = wire_fn("de", type_path);
    quote!(crate::wire::#f(reader)?)
}

/// [`DocumentFormat::de_value`] of a list `ty` (`sparse`: a `null` element is kept as `None`,
/// else dropped).
pub fn de_list(
    fmt: &dyn DocumentFormat,
    ty: &RustType,
    (element, element_info, sparse): (&RustType, &ValueInfo, bool),
    label: &str,
) -> TokenStream {
    let item = fmt.de_value(element, element_info, label);
    let push = if sparse {
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

/// [`DocumentFormat::de_value`] of a map `ty` (`sparse`: a `null` value is kept as `None`,
/// else dropped).
pub fn de_map(
    fmt: &dyn DocumentFormat,
    ty: &RustType,
    (value_ty, value_info, sparse): (&RustType, &ValueInfo, bool),
    label: &str,
) -> TokenStream {
    let begin = format_ident!("begin_{}", fmt.container());
    let entry = fmt.de_value(value_ty, value_info, label);
    // Duplicate keys: the last one wins, as a `null` (dropped from a dense map) does.
    let insert = if sparse {
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
        if reader.#begin(#label)? {
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

/// Statements writing `members` of the structure bound to `input` into the keyed container
/// writer named by [`DocumentFormat::container`] (`token_override`: the idempotency token's
/// value, when the serializer fills it in).
pub fn ser_members(
    fmt: &dyn DocumentFormat,
    members: &[&MemberIr],
    input: TokenStream,
    token_override: Option<&TokenStream>,
) -> TokenStream {
    let keyed = format_ident!("{}", fmt.container());
    let writes = members.iter().map(|m| {
        let field = ident(&m.field);
        let key = fmt.key(m);
        if m.idempotency_token {
            if let Some(token) = token_override {
                return quote!(#keyed.key(#key).string(#token););
            }
        }
        let value_expr = if m.boxed {
            quote!(value.as_ref())
        } else {
            quote!(value)
        };
        let write = fmt.ser_value(&m.ty, &m.info, value_expr, quote!(#keyed.key(#key)));
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

/// `ser_<shape>`: writes a structure as a keyed container.
pub fn ser_structure(fmt: &dyn DocumentFormat, s: &StructIr) -> TokenStream {
    let f = wire_fn("ser", &s.name);
    let ty = path(&s.path());
    let writer = fmt.writer();
    let keyed = format_ident!("{}", fmt.container());
    let start = format_ident!("start_{}", fmt.container());
    let members: Vec<&MemberIr> = s.members.iter().collect();
    let body = ser_members(fmt, &members, quote!(value), None);
    let doc = format!(" Writes a [`{}`] as {}.", s.path(), fmt.structure_doc());
    // An empty structure never writes a key: neither the value nor the container is used
    // mutably.
    let (value_name, binding) = if members.is_empty() {
        (quote!(_value), quote!(#keyed))
    } else {
        (quote!(value), quote!(mut #keyed))
    };
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(#value_name: &#ty, writer: #writer) -> Result<(), crate::error::BuildError> {
            let #binding = writer.#start();
            #body
            #keyed.finish();
            Ok(())
        }
    }
}

/// `ser_<union>`: writes a union as a keyed container of one entry.
pub fn ser_union(fmt: &dyn DocumentFormat, u: &UnionIr) -> TokenStream {
    let f = wire_fn("ser", &u.name);
    let ty = path(&format!("crate::types::{}", u.name));
    let name = ident(&u.name);
    let writer = fmt.writer();
    let keyed = format_ident!("{}", fmt.container());
    let start = format_ident!("start_{}", fmt.container());
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let key = fmt.key(&v.member);
        let value = if v.member.boxed {
            quote!(value.as_ref())
        } else {
            quote!(value)
        };
        let write = fmt.ser_value(
            &v.member.ty,
            &v.member.info,
            value,
            quote!(#keyed.key(#key)),
        );
        quote!(crate::types::#name::#variant(value) => { #write })
    });
    let error = format!("cannot serialize an unknown variant of `{}`", u.name);
    let doc = format!(" Writes a [`{}`] as {}.", u.name, fmt.union_doc());
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(value: &#ty, writer: #writer) -> Result<(), crate::error::BuildError> {
            let mut #keyed = writer.#start();
            match value {
                #(#arms)*
                crate::types::#name::Unknown => {
                    return Err(crate::error::BuildError::invalid_field(#error, "the `Unknown` variant only exists for values received from the service"));
                }
            }
            #keyed.finish();
            Ok(())
        }
    }
}

/// The `Option` locals of `members` and the loop reading the open keyed container into them
/// (unknown keys are skipped; for a repeated key the last value wins).
pub fn de_members_parts(
    fmt: &dyn DocumentFormat,
    members: &[&MemberIr],
    owner: &str,
) -> (TokenStream, TokenStream) {
    let locals = members.iter().map(|m| {
        let local = local_ident(m);
        let ty = rust_type(&m.ty);
        quote!(let mut #local: Option<#ty> = None;)
    });
    let arms = members.iter().map(|m| {
        let local = local_ident(m);
        let key = fmt.key(m);
        let label = format!("{owner}.{}", m.wire_name);
        let read = fmt.de_value(&m.ty, &m.info, &label);
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

/// Statements reading the whole document `bytes` (an expression of type `&[u8]`) into the
/// `Option` locals of `members`: a keyed container (or `null`), nothing after it.
pub fn de_document(
    fmt: &dyn DocumentFormat,
    members: &[&MemberIr],
    owner: &str,
    bytes: TokenStream,
) -> TokenStream {
    let (locals, read_loop) = de_members_parts(fmt, members, owner);
    let reader = fmt.reader_over(bytes);
    let begin = format_ident!("begin_{}", fmt.container());
    quote! {
        #locals
        let reader = &mut #reader;
        if reader.#begin(#owner)? {
            #read_loop
        }
        reader.finish()?;
    }
}

/// The final value of a member read into its local (see [`body::member_init`]).
pub fn member_init(fmt: &dyn DocumentFormat, m: &MemberIr) -> TokenStream {
    body::member_init(m, &fmt.empty_reader())
}

/// `de_<shape>`: reads a structure from the next value of `reader` (`null` gives `None`).
pub fn de_structure(fmt: &dyn DocumentFormat, s: &StructIr) -> TokenStream {
    let f = wire_fn("de", &s.name);
    let ty = path(&s.path());
    let reader = fmt.reader();
    let begin = format_ident!("begin_{}", fmt.container());
    let members: Vec<&MemberIr> = s.members.iter().collect();
    let label = s.wire_name.clone();
    let (locals, read_loop) = de_members_parts(fmt, &members, &s.wire_name);
    let inits = members.iter().map(|m| member_init(fmt, m));
    let doc = format!(" Reads a [`{}`] from {}.", s.path(), fmt.name());
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(reader: &mut #reader) -> Result<Option<#ty>, crate::error::DeserializeError> {
            if !reader.#begin(#label)? {
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

/// `de_<union>`: reads a union from a keyed container of one entry; unknown keys give
/// `Unknown`, `null` members and `__type` are ignored.
pub fn de_union(fmt: &dyn DocumentFormat, u: &UnionIr) -> TokenStream {
    let f = wire_fn("de", &u.name);
    let name = ident(&u.name);
    let reader = fmt.reader();
    let begin = format_ident!("begin_{}", fmt.container());
    let label = u.name.clone();
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let key = fmt.key(&v.member);
        let member_label = format!("{}.{}", u.name, v.member.wire_name);
        let read = fmt.de_value(&v.member.ty, &v.member.info, &member_label);
        // The variant itself is the function when nothing is boxed (clippy::redundant_closure).
        let wrap = if v.member.boxed {
            quote!(|v| crate::types::#name::#variant(Box::new(v)))
        } else {
            quote!(crate::types::#name::#variant)
        };
        quote!(#key => #read.map(#wrap),)
    });
    let doc = format!(" Reads a [`crate::types::{}`] from {}.", u.name, fmt.name());
    let too_many = format!("{}: a union must have exactly one member set", u.name);
    quote! {
        #[doc = #doc]
        pub(crate) fn #f(reader: &mut #reader) -> Result<Option<crate::types::#name>, crate::error::DeserializeError> {
            if !reader.#begin(#label)? {
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

/// `de_<error>`: reads an error structure from the response's body (already known to be a
/// document of the format, or empty) and, for members bound to headers, the statements
/// `header_reads`.
pub fn de_error(
    fmt: &dyn DocumentFormat,
    s: &StructIr,
    header_reads: Vec<TokenStream>,
) -> TokenStream {
    let body_members: Vec<&MemberIr> = s
        .members
        .iter()
        .filter(|m| m.binding == Binding::Body)
        .collect();
    let body = (!body_members.is_empty()).then(|| {
        let (locals, read_loop) = de_members_parts(fmt, &body_members, &s.wire_name);
        let label = s.wire_name.clone();
        let reader = fmt.reader_over(quote!(body));
        let begin = format_ident!("begin_{}", fmt.container());
        quote! {
            #locals
            let reader = &mut #reader;
            if reader.#begin(#label)? {
                #read_loop
            }
        }
    });
    body::de_error(
        s,
        body::ErrorReads {
            body,
            headers: header_reads,
            empty: fmt.empty_reader(),
        },
    )
}

//! restJson1: the HTTP bindings of an operation (the request serializer and the response and
//! error deserializers), and JSON bodies (the shapes' code is [`crate::emit::json`]'s).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ProtocolEmitter;
use crate::emit::body::local_ident;
use crate::emit::document::{self, DocumentFormat};
use crate::emit::event_stream::EventDocuments;
use crate::emit::json::{self, format_tokens, Json};
use crate::emit::tokens::{ident, path, rust_type};
use crate::ir::names::unraw;
use crate::ir::{
    Binding, MemberIr, NamedKind, OperationIr, PathSegment, RustType, ServiceIr, StructIr,
    TimestampFormat, UriLabel,
};

/// The restJson1 protocol.
pub(super) struct RestJson;

impl ProtocolEmitter for RestJson {
    fn document(&self) -> &'static dyn DocumentFormat {
        &Json
    }

    fn operation_wire(&self, _service: &ServiceIr, op: &OperationIr) -> TokenStream {
        let ser = serializer(op);
        let de = deserializer(op);
        quote!(#ser #de)
    }

    fn error_codec(&self, s: &StructIr) -> TokenStream {
        let header_reads = s
            .members
            .iter()
            .filter(|m| matches!(m.binding, Binding::Header(_) | Binding::PrefixHeaders(_)))
            .map(|m| header_read(m, &s.wire_name))
            .collect();
        document::de_error(&Json, s, header_reads)
    }

    fn event_documents(&self) -> Option<&'static dyn EventDocuments> {
        Some(&json::JsonEventDocuments)
    }
}

/// The default timestamp format of each binding location.
fn text_format(m: &MemberIr, default: TimestampFormat) -> TokenStream {
    format_tokens(m.info.timestamp_format, default)
}

/// The text form of a simple value for a label, query or header: an expression that is either
/// a borrowed `&str` or an owned `String`.
struct Text {
    expr: TokenStream,
    owned: bool,
}

impl Text {
    fn borrowed(expr: TokenStream) -> Self {
        Text { expr, owned: false }
    }

    fn owned(expr: TokenStream) -> Self {
        Text { expr, owned: true }
    }

    /// An expression usable where a `&str` is expected.
    fn as_ref(&self) -> TokenStream {
        let expr = &self.expr;
        if self.owned {
            quote!(&#expr)
        } else {
            quote!(#expr)
        }
    }

    /// An expression of type `String`.
    fn into_owned(self) -> TokenStream {
        let expr = self.expr;
        if self.owned {
            expr
        } else {
            quote!(#expr.to_owned())
        }
    }
}

/// The text form of `value` (a `&T` of a simple type); errors use `?` on `BuildError`.
fn to_text(
    ty: &RustType,
    m: &MemberIr,
    value: TokenStream,
    default_format: TimestampFormat,
) -> Text {
    match ty {
        RustType::String | RustType::BigInteger | RustType::BigDecimal => {
            if m.info.media_type.is_some() && default_format == TimestampFormat::HttpDate {
                Text::owned(quote!(crate::rt::base64_encode(#value.as_bytes())))
            } else {
                Text::borrowed(quote!(#value.as_str()))
            }
        }
        RustType::Named {
            kind: NamedKind::Enum,
            ..
        } => Text::borrowed(quote!(#value.as_str())),
        RustType::Named {
            kind: NamedKind::IntEnum,
            ..
        } => Text::owned(quote!(#value.value().to_string())),
        RustType::Bool | RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => {
            Text::owned(quote!(#value.to_string()))
        }
        RustType::F32 | RustType::F64 => Text::owned(quote!(crate::rt::format_float(*#value))),
        RustType::DateTime => {
            let format = text_format(m, default_format);
            Text::owned(quote! {
                #value.fmt(#format).map_err(|err| crate::error::BuildError::invalid_field(#value.to_string(), err.to_string()))?
            })
        }
        RustType::Blob => Text::owned(quote!(crate::rt::base64_encode(#value.as_ref()))),
        _ => Text::borrowed(quote!("")),
    }
}

/// `uri.push('/')` for one character, `uri.push_str("...")` otherwise.
fn push_literal(literal: &str) -> TokenStream {
    let mut chars = literal.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => quote!(uri.push(#c);),
        _ => quote!(uri.push_str(#literal);),
    }
}

/// Appends the value of a label's member to `uri`, percent-encoded; a member that is unset or
/// empty is an error, unless a customization gives it a default.
fn label_code(input: &StructIr, label: &UriLabel) -> TokenStream {
    let m = &input.members[label.member];
    let greedy = label.greedy;
    let field = ident(&m.field);
    if let Some(default) = &m.label_default {
        return quote! {
            {
                let text = input.#field.as_deref().filter(|v| !v.is_empty()).unwrap_or(#default);
                uri.push_str(&crate::rt::encode_label(text, #greedy));
            }
        };
    }
    let member_path = format!("{}.{}", input.name, unraw(&m.field));
    let text = to_text(&m.ty, m, quote!(value), TimestampFormat::DateTime).as_ref();
    let missing = "a URI label must be set";
    quote! {
        {
            let Some(value) = &input.#field else {
                return Err(crate::error::BuildError::missing_field(#member_path, #missing));
            };
            uri.push_str(&crate::rt::label(#member_path, #text, #greedy)?);
        }
    }
}

/// Whether the operation input has members in the JSON body.
fn body_members(s: &StructIr) -> Vec<&MemberIr> {
    s.members
        .iter()
        .filter(|m| m.binding == Binding::Body)
        .collect()
}

fn payload_member(s: &StructIr) -> Option<&MemberIr> {
    s.members.iter().find(|m| m.binding == Binding::Payload)
}

/// `fn serialize_request(input, ctx) -> Result<HttpRequest, BuildError>`.
pub fn serializer(op: &OperationIr) -> TokenStream {
    let input = &op.input;
    let input_ty = ident(&input.name);
    let method = &op.http.method;
    let token_member = input.members.iter().find(|m| m.idempotency_token);
    let token = token_member.map(|m| {
        let field = ident(&m.field);
        quote! {
            let idempotency_token = match &input.#field {
                Some(token) => token.clone(),
                None => ctx.idempotency_token(),
            };
        }
    });
    let token_expr = token_member.map(|_| quote!(idempotency_token.as_str()));

    // URI: the parsed pattern's literal segments and labels, then its constant query.
    let mut uri_code = Vec::new();
    let mut literal = String::new();
    for segment in &op.uri.segments {
        literal.push('/');
        let label = match segment {
            PathSegment::Literal(text) => {
                literal.push_str(text);
                continue;
            }
            PathSegment::Label(label) => label,
        };
        if !literal.is_empty() {
            uri_code.push(push_literal(&literal));
            literal.clear();
        }
        uri_code.push(label_code(input, label));
    }
    if op.uri.trailing_slash {
        literal.push('/');
    }
    if !op.uri.query.is_empty() {
        literal.push('?');
        literal.push_str(&op.uri.query_string());
    }
    if !literal.is_empty() {
        uri_code.push(push_literal(&literal));
    }

    // Query parameters.
    let query_members: Vec<&MemberIr> = input
        .members
        .iter()
        .filter(|m| matches!(m.binding, Binding::Query(_) | Binding::QueryParams))
        .collect();
    let explicit_keys: Vec<&str> = input
        .members
        .iter()
        .filter_map(|m| match &m.binding {
            Binding::Query(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let query_code = query_members.iter().map(|m| {
        let field = ident(&m.field);
        let value_ref = if m.idempotency_token && token_expr.is_some() {
            quote!(Some(&idempotency_token))
        } else {
            quote!(input.#field.as_ref())
        };
        match (&m.binding, &m.ty) {
            (
                Binding::Query(name),
                RustType::List {
                    element,
                    element_info,
                    ..
                },
            ) => {
                let mut em = (*m).clone();
                em.info = (**element_info).clone();
                let text = to_text(element, &em, quote!(item), TimestampFormat::DateTime).as_ref();
                quote! {
                    if let Some(items) = #value_ref {
                        for item in items {
                            query.push(#name, #text);
                        }
                    }
                }
            }
            (Binding::Query(name), ty) => {
                let text = to_text(ty, m, quote!(value), TimestampFormat::DateTime).as_ref();
                quote! {
                    if let Some(value) = #value_ref {
                        query.push(#name, #text);
                    }
                }
            }
            (
                Binding::QueryParams,
                RustType::Map {
                    value, value_info, ..
                },
            ) => {
                let mut vm = (*m).clone();
                vm.info = (**value_info).clone();
                let push = match value.as_ref() {
                    RustType::List { element, .. } => {
                        let text =
                            to_text(element, &vm, quote!(item), TimestampFormat::DateTime).as_ref();
                        quote!(for item in entry { query.push(key, #text); })
                    }
                    other => {
                        let text =
                            to_text(other, &vm, quote!(entry), TimestampFormat::DateTime).as_ref();
                        quote!(query.push(key, #text);)
                    }
                };
                quote! {
                    if let Some(params) = #value_ref {
                        let mut keys: Vec<&String> = params.keys().collect();
                        keys.sort();
                        for key in keys {
                            if EXPLICIT_QUERY_KEYS.contains(&key.as_str()) {
                                continue;
                            }
                            if let Some(entry) = params.get(key) {
                                #push
                            }
                        }
                    }
                }
            }
            _ => quote!(),
        }
    });
    let explicit_const = if query_members
        .iter()
        .any(|m| m.binding == Binding::QueryParams)
    {
        quote!(const EXPLICIT_QUERY_KEYS: &[&str] = &[#(#explicit_keys),*];)
    } else {
        quote!()
    };
    let query_block = if query_members.is_empty() {
        quote!()
    } else {
        quote! {
            let mut query = crate::rt::QueryWriter::new(uri);
            #explicit_const
            #(#query_code)*
            let uri = query.finish();
        }
    };

    // Headers.
    let header_code = input.members.iter().filter_map(|m| {
        let field = ident(&m.field);
        let value_ref = if m.idempotency_token && token_expr.is_some() {
            quote!(Some(&idempotency_token))
        } else {
            quote!(input.#field.as_ref())
        };
        let is_prefix = matches!(m.binding, Binding::PrefixHeaders(_));
        let code = match (&m.binding, &m.ty) {
            (Binding::Header(name), RustType::List { element, element_info, .. }) => {
                let mut em = m.clone();
                em.info = (**element_info).clone();
                let text = to_text(element, &em, quote!(item), TimestampFormat::HttpDate);
                let quote_items = matches!(**element, RustType::String | RustType::Named { kind: NamedKind::Enum, .. });
                let item = if quote_items {
                    let text = text.as_ref();
                    quote!(crate::rt::quote_header_list_item(#text))
                } else {
                    text.into_owned()
                };
                let lower = name.to_ascii_lowercase();
                Some(quote! {
                    if let Some(items) = #value_ref {
                        let mut parts: Vec<String> = Vec::with_capacity(items.len());
                        for item in items {
                            parts.push(#item);
                        }
                        let joined = parts.join(", ");
                        let value = crate::rt::header_value(&joined, #name)?;
                        if let Some(headers) = request.headers_mut() {
                            headers.insert(crate::rt::header_name(#lower)?, value);
                        }
                    }
                })
            }
            (Binding::Header(name), ty) => {
                let text = to_text(ty, m, quote!(value), TimestampFormat::HttpDate).as_ref();
                let lower = name.to_ascii_lowercase();
                // Inserted (not appended): a specific header replaces a prefix header of the
                // same name, which is written before it.
                Some(quote! {
                    if let Some(value) = #value_ref {
                        let value = crate::rt::header_value(#text, #name)?;
                        if let Some(headers) = request.headers_mut() {
                            headers.insert(crate::rt::header_name(#lower)?, value);
                        }
                    }
                })
            }
            (Binding::PrefixHeaders(prefix), RustType::Map { .. }) => Some(quote! {
                if let Some(headers) = #value_ref {
                    let mut keys: Vec<&String> = headers.keys().collect();
                    keys.sort();
                    for key in keys {
                        if let Some(value) = headers.get(key) {
                            let name = format!("{}{}", #prefix, key);
                            request = request.header(name.as_str(), crate::rt::header_value(value, &name)?);
                        }
                    }
                }
            }),
            _ => None,
        };
        code.map(|code| (is_prefix, code))
    });

    // Body.
    let body_members = body_members(input);
    let body = if let Some(payload) = payload_member(input) {
        payload_body(payload)
    } else if body_members.is_empty() {
        quote!(let body = bytes::Bytes::new();)
    } else {
        let writes =
            document::ser_members(&Json, &body_members, quote!(input), token_expr.as_ref());
        quote! {
            let mut out = String::new();
            {
                let mut object = crate::rt::JsonObjectWriter::new(&mut out);
                #writes
                object.finish();
            }
            request = crate::rt::default_content_type(request, "application/json");
            let body = bytes::Bytes::from(out);
        }
    };
    // An event stream payload is not read here: its events are sent once the request is signed.
    let uses_input = input
        .members
        .iter()
        .any(|m| !matches!(m.ty, RustType::EventStream(_)));
    let input_name = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let ctx_name = if token.is_some() || op.request_compression {
        quote!(ctx)
    } else {
        quote!(_ctx)
    };
    let request_mut = if input.members.iter().any(|m| {
        matches!(
            m.binding,
            Binding::Header(_) | Binding::PrefixHeaders(_) | Binding::Payload
        )
    }) || !body_members.is_empty()
        || !op.constant_headers.is_empty()
    {
        quote!(mut)
    } else {
        quote!()
    };
    // Prefix headers first, so that specific headers replace them.
    let mut header_code: Vec<(bool, TokenStream)> = header_code.collect();
    // Headers the service wants on every request come before the members' own.
    for (name, value) in op.constant_headers.iter().rev() {
        header_code.insert(0, (true, quote!(request = request.header(#name, #value);)));
    }
    header_code.sort_by_key(|(prefix, _)| !*prefix);
    let header_code: Vec<TokenStream> = header_code.into_iter().map(|(_, code)| code).collect();
    let content_length = if payload_member(input).is_some() || !body_members.is_empty() {
        quote! {
            if !body.is_empty() {
                request = request.header("content-length", body.len());
            }
        }
    } else {
        quote!()
    };
    let build = quote! {
        request
            .body(body)
            .map_err(|err| crate::error::BuildError::other(format!("invalid request: {err}")))
    };
    // Compression comes first: the checksum is of the body as sent.
    let compress = op
        .request_compression
        .then(|| quote!(crate::rt::compress_request(&mut request, ctx.request_compression())?;));
    let checksum = op
        .checksum_required
        .then(|| quote!(crate::rt::set_content_md5(&mut request);));
    let glacier = op
        .glacier_checksums
        .then(|| quote!(crate::rt::set_checksum_headers(&mut request);));
    let finish = if compress.is_some() || checksum.is_some() || glacier.is_some() {
        quote! {
            let mut request = #build?;
            #compress
            #checksum
            #glacier
            Ok(request)
        }
    } else {
        build
    };
    quote! {
        /// Serializes the input into an HTTP request (path and query only; the runtime adds the endpoint).
        pub(crate) fn serialize_request(
            #input_name: &super::#input_ty,
            #ctx_name: &crate::rt::SerializeContext,
        ) -> Result<crate::rt::HttpRequest, crate::error::BuildError> {
            #token
            let mut uri = String::new();
            #(#uri_code)*
            #query_block
            let #request_mut request = http::Request::builder().method(#method).uri(uri);
            #(#header_code)*
            #body
            #content_length
            #finish
        }
    }
}

/// The `Content-Type` of a blob payload: its `@mediaType`, else `application/octet-stream`.
fn binary_content_type(m: &MemberIr) -> String {
    m.info
        .media_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".to_owned())
}

/// The body for an `@httpPayload` member.
fn payload_body(m: &MemberIr) -> TokenStream {
    let field = ident(&m.field);
    match &m.ty {
        RustType::Blob => {
            let content_type = binary_content_type(m);
            quote! {
                let body = match &input.#field {
                    Some(blob) => {
                        request = crate::rt::default_content_type(request, #content_type);
                        bytes::Bytes::from(blob.as_ref().to_vec())
                    }
                    None => bytes::Bytes::new(),
                };
            }
        }
        // The events are the body, sent as they come once the request is signed (the
        // operation's `StreamingOperation::input_stream`).
        RustType::EventStream(_) => quote! {
            request = request.header("content-type", "application/vnd.amazon.eventstream");
            let body = bytes::Bytes::new();
        },
        // A streaming blob is sent as is (the bytes are shared, not copied); an empty one is no
        // body at all.
        RustType::ByteStream => {
            let content_type = binary_content_type(m);
            quote! {
                let body = input.#field.clone().into_inner();
                if !body.is_empty() {
                    request = crate::rt::default_content_type(request, #content_type);
                }
            }
        }
        RustType::String
        | RustType::Named {
            kind: NamedKind::Enum,
            ..
        } => {
            let content_type = m
                .info
                .media_type
                .clone()
                .unwrap_or_else(|| "text/plain".to_owned());
            let text = quote!(text.as_str());
            quote! {
                let body = match &input.#field {
                    Some(text) => {
                        request = crate::rt::default_content_type(request, #content_type);
                        bytes::Bytes::from(#text.to_owned())
                    }
                    None => bytes::Bytes::new(),
                };
            }
        }
        ty => {
            let write = Json.ser_value(
                ty,
                &m.info,
                quote!(value),
                quote!(crate::rt::JsonValueWriter::new(&mut out)),
            );
            let value = if m.boxed {
                quote!(value.as_ref())
            } else {
                quote!(value)
            };
            let _ = value;
            // An unset structure payload is sent as an empty JSON object.
            let unset = if matches!(
                ty,
                RustType::Named {
                    kind: NamedKind::Struct,
                    ..
                }
            ) {
                quote! {
                    None => {
                        request = crate::rt::default_content_type(request, "application/json");
                        bytes::Bytes::from_static(b"{}")
                    }
                }
            } else {
                quote!(None => bytes::Bytes::new(),)
            };
            quote! {
                let body = match &input.#field {
                    Some(value) => {
                        let mut out = String::new();
                        #write
                        request = crate::rt::default_content_type(request, "application/json");
                        bytes::Bytes::from(out)
                    }
                    #unset
                };
            }
        }
    }
}

/// Reads one header-bound member into its local.
fn header_read(m: &MemberIr, owner: &str) -> TokenStream {
    let local = local_ident(m);
    let ty = rust_type(&m.ty);
    let read = match (&m.binding, &m.ty) {
        (
            Binding::Header(name),
            RustType::List {
                element,
                element_info,
                ..
            },
        ) => {
            let parse_item = header_parse(
                element,
                element_info.timestamp_format,
                element_info.media_type.is_some(),
                quote!(item),
                name,
            );
            let split = if matches!(**element, RustType::DateTime)
                && element_info
                    .timestamp_format
                    .unwrap_or(TimestampFormat::HttpDate)
                    == TimestampFormat::HttpDate
            {
                quote!(crate::rt::split_http_date_list(value)?
                    .into_iter()
                    .map(|d| d
                        .fmt(crate::rt::DateTimeFormat::HttpDate)
                        .unwrap_or_default())
                    .collect::<Vec<String>>())
            } else {
                quote!(crate::rt::split_header_list(value)?)
            };
            quote! {
                {
                    let values = crate::rt::header_all(headers, #name)?;
                    if values.is_empty() {
                        None
                    } else {
                        let mut items: #ty = Vec::new();
                        for value in values {
                            for item in #split {
                                let item = item.as_str();
                                items.push(#parse_item);
                            }
                        }
                        Some(items)
                    }
                }
            }
        }
        (Binding::Header(name), ty) => {
            let parse = header_parse(
                ty,
                m.info.timestamp_format,
                m.info.media_type.is_some(),
                quote!(value),
                name,
            );
            if let RustType::Named {
                kind: NamedKind::Enum,
                path: p,
                ..
            } = ty
            {
                // `Enum::from(&str)` is infallible: map with the function itself.
                let p = path(p);
                quote!(crate::rt::header_str(headers, #name)?.map(#p::from))
            } else if parse.to_string().contains('?') {
                quote! {
                    match crate::rt::header_str(headers, #name)? {
                        Some(value) => Some(#parse),
                        None => None,
                    }
                }
            } else {
                quote!(crate::rt::header_str(headers, #name)?.map(|value| #parse))
            }
        }
        (Binding::PrefixHeaders(prefix), _) => {
            let prefix_lower = prefix.to_ascii_lowercase();
            let _ = owner;
            quote! {
                {
                    let mut map = std::collections::HashMap::new();
                    for (name, value) in headers {
                        if let Some(key) = name.as_str().strip_prefix(#prefix_lower) {
                            if let Ok(value) = value.to_str() {
                                map.insert(key.to_owned(), value.to_owned());
                            }
                        }
                    }
                    if map.is_empty() { None } else { Some(map) }
                }
            }
        }
        _ => quote!(None),
    };
    quote!(let #local: Option<#ty> = #read;)
}

/// Parses one header text `value` (a `&str`) as `ty`.
fn header_parse(
    ty: &RustType,
    format: Option<TimestampFormat>,
    media_type: bool,
    value: TokenStream,
    name: &str,
) -> TokenStream {
    match ty {
        RustType::String if media_type => quote! {
            String::from_utf8(crate::rt::base64_decode(#value, #name)?)
                .map_err(|_| crate::error::DeserializeError::new(format!("header `{}` is not base64-encoded UTF-8", #name)))?
        },
        RustType::String | RustType::BigInteger | RustType::BigDecimal => quote!(#value.to_owned()),
        RustType::Named {
            kind: NamedKind::Enum,
            path: p,
            ..
        } => {
            let p = path(p);
            quote!(#p::from(#value))
        }
        RustType::Named {
            kind: NamedKind::IntEnum,
            path: p,
            ..
        } => {
            let p = path(p);
            quote!(#p::from(crate::rt::parse_header_number::<i32>(#value, #name)?))
        }
        RustType::Bool => quote!(crate::rt::parse_header_bool(#value, #name)?),
        RustType::I8
        | RustType::I16
        | RustType::I32
        | RustType::I64
        | RustType::F32
        | RustType::F64 => {
            let t = rust_type(ty);
            quote!(crate::rt::parse_header_number::<#t>(#value, #name)?)
        }
        RustType::DateTime => {
            let f = format_tokens(format, TimestampFormat::HttpDate);
            quote! {
                crate::primitives::DateTime::from_str(#value.trim(), #f)
                    .map_err(|err| crate::error::DeserializeError::new(format!("header `{}`: {}", #name, err)))?
            }
        }
        RustType::Blob => {
            quote!(crate::primitives::Blob::new(crate::rt::base64_decode(#value, #name)?))
        }
        _ => quote!(Default::default()),
    }
}

/// Statements reading every member of a response structure into locals, from the raw body
/// (`raw`, read once with a `JsonReader`), the headers (`headers`) and the status (`status`).
fn response_members(s: &StructIr) -> TokenStream {
    let body_members = body_members(s);
    let mut code = Vec::new();
    if !body_members.is_empty() {
        let (locals, read_loop) = document::de_members_parts(&Json, &body_members, &s.wire_name);
        let label = s.wire_name.clone();
        code.push(quote! {
            #locals
            let reader = &mut crate::rt::JsonReader::new(raw);
            if reader.begin_object(#label)? {
                #read_loop
            }
            reader.finish()?;
        });
    }
    for m in &s.members {
        match &m.binding {
            Binding::Header(_) | Binding::PrefixHeaders(_) => {
                code.push(header_read(m, &s.wire_name))
            }
            Binding::ResponseCode => {
                let local = local_ident(m);
                code.push(quote!(let #local: i32 = i32::from(status);));
            }
            Binding::Payload => {
                let local = local_ident(m);
                let ty = rust_type(&m.ty);
                let read = match &m.ty {
                    // Read straight into its field (see `deserializer`).
                    RustType::ByteStream | RustType::EventStream(_) => continue,
                    RustType::Blob => quote!(if raw.is_empty() {
                        None
                    } else {
                        Some(crate::primitives::Blob::new(raw.to_vec()))
                    }),
                    RustType::String => quote! {
                        if raw.is_empty() { None } else {
                            Some(String::from_utf8(raw.to_vec()).map_err(|_| crate::error::DeserializeError::new("the response body is not UTF-8"))?)
                        }
                    },
                    RustType::Named {
                        kind: NamedKind::Enum,
                        path: p,
                        ..
                    } => {
                        let p = path(p);
                        quote! {
                            if raw.is_empty() { None } else {
                                Some(#p::from(std::str::from_utf8(raw).map_err(|_| crate::error::DeserializeError::new("the response body is not UTF-8"))?))
                            }
                        }
                    }
                    ty => {
                        let label = format!("{}.{}", s.wire_name, m.wire_name);
                        let read = Json.de_value(ty, &m.info, &label);
                        quote! {
                            if raw.is_empty() { None } else {
                                let reader = &mut crate::rt::JsonReader::new(raw);
                                let value = #read;
                                reader.finish()?;
                                value
                            }
                        }
                    }
                };
                code.push(quote!(let #local: Option<#ty> = #read;));
            }
            _ => {}
        }
    }
    quote!(#(#code)*)
}

/// `fn deserialize_output(response) -> Result<Output, DeserializeError>` (a success response)
/// and the error dispatcher `fn deserialize_error(response) -> Error`; the operation's
/// `Operation::deserialize` chooses between them by status.
pub fn deserializer(op: &OperationIr) -> TokenStream {
    let output = &op.output;
    let output_ty = ident(&output.name);
    let error_ty = ident(&format!("{}Error", op.prefix));
    let reads = response_members(output);
    // A streaming payload (never optional) is the whole body, shared with the response (not
    // copied).
    let inits = output.members.iter().map(|m| match (&m.binding, &m.ty) {
        (Binding::Payload, RustType::ByteStream) => {
            let field = ident(&m.field);
            quote!(#field: crate::primitives::ByteStream::new(response.body().clone()),)
        }
        // The receiver of the events, which reads the body as it comes.
        (Binding::Payload, RustType::EventStream(stream)) => {
            let field = ident(&m.field);
            let union = stream.events.rsplit("::").next().unwrap_or(&stream.events);
            let unmarshall = format_ident!("unmarshall_{}", crate::ir::names::snake(union));
            quote!(#field: crate::rt::EventReceiver::new(body, crate::wire::#unmarshall),)
        }
        // The initial response of an event stream must carry the members the output requires
        // (no zero is filled in: the events that follow would belong to a call that did not
        // start as the model says).
        (Binding::Header(name), _)
            if op.output_stream().is_some() && m.required && !m.optional && m.default.is_none() =>
        {
            let field = ident(&m.field);
            let local = local_ident(m);
            let message = format!(
                "the event stream's initial response has no `{name}` header, which `{}` requires",
                unraw(&m.field)
            );
            quote!(#field: #local.ok_or_else(|| crate::error::DeserializeError::new(#message))?,)
        }
        _ => document::member_init(&Json, m),
    });
    let streaming = op.output_stream().is_some();
    let uses = |b: fn(&Binding) -> bool| output.members.iter().any(|m| b(&m.binding));
    // A streaming payload takes the body itself, not the `raw` slice.
    let raw_used = output.members.iter().any(|m| {
        m.binding == Binding::Body
            || (m.binding == Binding::Payload
                && !matches!(m.ty, RustType::ByteStream | RustType::EventStream(_)))
    });
    let headers_used = uses(|b| matches!(b, Binding::Header(_) | Binding::PrefixHeaders(_)));
    let status_used = uses(|b| matches!(b, Binding::ResponseCode));
    let raw = if raw_used {
        quote!(let raw: &[u8] = response.body();)
    } else {
        quote!()
    };
    let headers = if headers_used {
        quote!(let headers = response.headers();)
    } else {
        quote!()
    };
    let status = if status_used {
        quote!(let status = response.status().as_u16();)
    } else {
        quote!()
    };
    // An output event stream: the output is read from the response's head, its body is the
    // stream of events.
    let (response_ty, split) = if streaming {
        (
            quote!(crate::rt::StreamingResponse),
            quote! {
                let (head, body) = response.into_parts();
                let response = http::Response::from_parts(head, ());
            },
        )
    } else {
        (quote!(&crate::rt::HttpResponse), quote!())
    };
    let error_arms = super::modeled_error_arms(op);
    let has_errors = !op.errors.is_empty();
    // The body of a modeled error is read again with the `JsonReader`; an empty body or one
    // that is not JSON reads as `{}`.
    let (document_binding, body) = if has_errors {
        (
            quote!(document),
            quote! {
                let body: &[u8] = if document.is_null() { b"{}" } else { response.body() };
            },
        )
    } else {
        (quote!(_document), quote!())
    };
    let unhandled = quote! {
        super::#error_ty::unhandled_response(None, meta, response)
    };
    // Without modeled errors a `match` would have only the wildcard arm (clippy::match_single_binding).
    let match_error = if has_errors {
        quote! {
            match meta.code() {
                #(#error_arms)*
                _ => #unhandled,
            }
        }
    } else {
        unhandled
    };
    quote! {
        /// Reads the output from a successful response.
        pub(crate) fn deserialize_output(
            response: #response_ty,
        ) -> Result<super::#output_ty, crate::error::DeserializeError> {
            #split
            #raw
            #headers
            #status
            #reads
            Ok(super::#output_ty {
                #(#inits)*
                _request_id: crate::rt::request_id_header(response.headers()).map(str::to_owned),
            })
        }

        /// Matches an error response to a modeled error by its code (restJson1 rules).
        pub(crate) fn deserialize_error(response: &crate::rt::HttpResponse) -> super::#error_ty {
            let (meta, #document_binding) = crate::rt::error_metadata(response);
            #body
            #match_error
        }
    }
}

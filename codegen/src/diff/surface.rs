//! The public API of a generated crate as data: what users see (Rust paths, getter and field
//! types, builders, error variants, paginators, HTTP bindings, constraints, docs), taken from
//! the IR. It is what `api.json` holds and what [`super::classify`] compares.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::emit::signatures;
use crate::error::{CodegenError, Result};
use crate::ir::{
    AuthSchemeIr, Binding, EnumIr, ErrorRefIr, HostPrefixPart, MemberIr, OperationIr, ServiceIr,
    StructIr, StructRole, UnionIr,
};
use crate::model::TimestampFormat;

/// The version of the `api.json` layout; a file with another one is rejected.
pub const FORMAT: u32 = 1;

/// The public API of one generated crate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiDescription {
    /// The "generated, do not edit" line (JSON has no comments).
    pub generated: String,
    /// [`FORMAT`].
    pub format: u32,
    /// The crate name.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The crate version the description was generated with.
    pub version: String,
    /// Service-wide facts.
    pub service: ServiceApi,
    /// Operations, by client method.
    pub operations: Vec<OperationApi>,
    /// Shared types (`types`, `types::error`), by path.
    pub types: Vec<ShapeApi>,
    /// Event streams (`@streaming` unions) and the errors each can carry, by union path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_streams: Vec<EventStreamApi>,
}

/// An event stream: the union of its events and its error enum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventStreamApi {
    /// The union of its events, e.g. `types::ResponseStream` (described in `types`).
    pub events: String,
    /// The shape id of the union.
    pub shape: String,
    /// The error enum, e.g. `types::error::ResponseStreamError`.
    pub error: String,
    /// The variants of the error enum (the union's members targeting error structures).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorVariantApi>,
}

/// Service-wide facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceApi {
    /// The service shape id.
    pub shape: String,
    /// The service name for humans.
    pub title: String,
    /// The API version.
    pub api_version: String,
    /// A digest of the crate documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// The service's authentication schemes, in order of preference.
    pub auth: Vec<String>,
    /// A digest of the endpoint rule set as the IR holds it (parameters and rules, parsed and
    /// type-checked; keys sorted), when the model has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_rules: Option<String>,
}

/// One operation and the types it owns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationApi {
    /// The operation itself.
    pub operation: OperationInfo,
    /// `<Op>Input`.
    pub input: ShapeApi,
    /// `<Op>Output`.
    pub output: ShapeApi,
    /// The variants of `<Op>Error`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorVariantApi>,
    /// The paginator, for paginated operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paginator: Option<PaginatorApi>,
}

/// An operation's own facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationInfo {
    /// The client method, e.g. `Client::create_app_instance`.
    pub method: String,
    /// The operation name in the model.
    pub name: String,
    /// The shape id.
    pub shape: String,
    /// The module, e.g. `operation::create_app_instance`.
    pub module: String,
    /// The error enum, e.g. `operation::create_app_instance::CreateAppInstanceError`.
    pub error: String,
    /// The HTTP method and URI pattern, e.g. `POST /app-instances`.
    pub http: String,
    /// A digest of the documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// `@deprecated`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// The authentication schemes, in order of preference.
    pub auth: Vec<String>,
    /// The `@endpoint` host prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_prefix: Option<String>,
    /// Request bodies are gzip-compressed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub request_compression: bool,
    /// Requests carry `Content-MD5`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub checksum_required: bool,
    /// Headers every request carries (`name: value`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<String>,
}

/// A variant of an operation's error enum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorVariantApi {
    /// The variant, e.g. `operation::x::XError::NotFoundException`.
    pub variant: String,
    /// The error structure, e.g. `types::error::NotFoundException`.
    #[serde(rename = "type")]
    pub ty: String,
    /// The error shape id.
    pub shape: String,
}

/// An operation's paginator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginatorApi {
    /// The paginator type, e.g. `operation::list_x::ListXPaginator`.
    pub path: String,
    /// The input token field.
    pub input_token: String,
    /// The output token field path (dotted).
    pub output_token: String,
    /// The page size field and its type (`page_size()`), when the operation has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<String>,
    /// The item type of `items()`, when the paginator has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
}

/// What a described type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    /// An operation input.
    Input,
    /// An operation output.
    Output,
    /// A shared structure.
    Struct,
    /// An error structure.
    Error,
    /// A string enum.
    Enum,
    /// An integer enum.
    IntEnum,
    /// A union.
    Union,
}

impl TypeKind {
    /// The word for it in reports.
    pub fn word(self) -> &'static str {
        match self {
            TypeKind::Input => "input structure",
            TypeKind::Output => "output structure",
            TypeKind::Struct => "structure",
            TypeKind::Error => "error structure",
            TypeKind::Enum => "enum",
            TypeKind::IntEnum => "int enum",
            TypeKind::Union => "union",
        }
    }
}

/// A structure, enum or union with its members or values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShapeApi {
    /// The type itself.
    #[serde(rename = "type")]
    pub info: TypeInfo,
    /// Structure members and union variants.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberApi>,
    /// Enum values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<EnumValueApi>,
}

/// A type's own facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeInfo {
    /// The Rust path, e.g. `types::AppInstance`.
    pub path: String,
    /// What it is.
    pub kind: TypeKind,
    /// The shape id.
    pub shape: String,
    /// A digest of the documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// The whole structure is `@sensitive`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// The builder's `build()` returns a `Result`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub fallible_build: bool,
    /// Errors: `client` or `server`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
    /// Errors: the `@httpError` status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

/// A structure member or union variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberApi {
    /// The Rust field and getter (structures) or the snake name (unions).
    pub field: String,
    /// Union variants: the Rust variant name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The member name in the model.
    pub name: String,
    /// The JSON key, when it is not the member name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<String>,
    /// The target shape id.
    pub target: String,
    /// The public field's type (structures) or the variant's value type (unions).
    #[serde(rename = "type")]
    pub ty: String,
    /// The getter's return type (structures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub getter: Option<String>,
    /// `@required`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// `build()` fails when the member is not set (required, no default, not optional).
    #[serde(default, skip_serializing_if = "is_false")]
    pub build_requires: bool,
    /// The `@default` value, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The HTTP binding (operation inputs and outputs), e.g. `query:maxResults`.
    #[serde(default = "body", skip_serializing_if = "is_body")]
    pub binding: String,
    /// `@idempotencyToken`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotency_token: bool,
    /// `@hostLabel`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub host_label: bool,
    /// `@length` (min, max).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@range` (min, max).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// `@timestampFormat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_format: Option<String>,
    /// Redacted in `Debug`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// A digest of the documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// `@deprecated`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

/// An enum value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValueApi {
    /// The Rust variant name.
    pub variant: String,
    /// The wire value.
    pub value: Value,
    /// A digest of the documentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn body() -> String {
    "body".to_owned()
}

fn is_body(binding: &str) -> bool {
    binding == "body"
}

/// A short, stable digest of a text (the first 64 bits of its SHA-256, in hex).
pub fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn docs_digest(docs: Option<&str>) -> Option<String> {
    docs.filter(|d| !d.trim().is_empty()).map(digest)
}

/// A path without its `crate::` prefix, as users write it from outside the crate.
fn public_path(path: &str) -> String {
    path.strip_prefix("crate::").unwrap_or(path).to_owned()
}

/// JSON text with object keys sorted, so a digest does not depend on key order.
fn canonical_json(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.clone(), sorted(v)))
                        .collect(),
                )
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}

/// The API description of the crate for `ir`.
pub fn describe(ir: &ServiceIr) -> Result<ApiDescription> {
    let mut operations: Vec<OperationApi> = ir.operations.iter().map(operation).collect();
    operations.sort_by(|a, b| a.operation.method.cmp(&b.operation.method));
    let mut types: Vec<ShapeApi> = ir
        .structures
        .iter()
        .chain(&ir.errors)
        .map(structure)
        .chain(ir.enums.iter().map(enumeration))
        .chain(ir.unions.iter().map(union))
        .collect();
    types.sort_by(|a, b| a.info.path.cmp(&b.info.path));
    let mut event_streams: Vec<EventStreamApi> =
        ir.event_streams.iter().map(event_stream).collect();
    event_streams.sort_by(|a, b| a.events.cmp(&b.events));
    let endpoint_rules = ir
        .endpoint_rules
        .as_ref()
        .map(|rules| serde_json::to_value(&rules.rule_set))
        .transpose()
        .map_err(|err| CodegenError::Emit {
            file: super::api_file::FILE_NAME.to_owned(),
            message: format!("the endpoint rule set cannot be described: {err}"),
        })?
        .map(|rules| digest(&canonical_json(&rules)));
    Ok(ApiDescription {
        generated: crate::writer::HEADER.to_owned(),
        format: FORMAT,
        crate_name: ir.crate_name.clone(),
        version: ir.crate_version.clone(),
        service: ServiceApi {
            shape: ir.shape_id.clone(),
            title: ir.title.clone(),
            api_version: ir.api_version.clone(),
            docs: docs_digest(ir.docs.as_deref()),
            auth: ir.auth.iter().map(auth_scheme).collect(),
            endpoint_rules,
        },
        operations,
        types,
        event_streams,
    })
}

fn event_stream(stream: &crate::ir::EventStreamIr) -> EventStreamApi {
    let error = format!("types::error::{}", stream.error_name);
    EventStreamApi {
        events: format!("types::{}", stream.name),
        shape: stream.shape_id.clone(),
        errors: error_variants(&error, &stream.errors),
        error,
    }
}

/// The variants of the error enum at `error` (its public path) for `errors`.
fn error_variants(error: &str, errors: &[ErrorRefIr]) -> Vec<ErrorVariantApi> {
    errors
        .iter()
        .map(|e| ErrorVariantApi {
            variant: format!("{error}::{}", e.variant),
            ty: public_path(&e.path),
            shape: e.shape_id.clone(),
        })
        .collect()
}

/// An authentication scheme in words (`sigv4`, `api-key header X-Key`, ...).
fn auth_scheme(scheme: &AuthSchemeIr) -> String {
    match scheme {
        AuthSchemeIr::SigV4 => "sigv4".to_owned(),
        AuthSchemeIr::Bearer => "bearer".to_owned(),
        AuthSchemeIr::ApiKey {
            name,
            location,
            scheme,
        } => {
            let place = match location {
                crate::ir::ApiKeyLocationIr::Header => "header",
                crate::ir::ApiKeyLocationIr::Query => "query",
            };
            match scheme {
                Some(scheme) => format!("api-key {place} {name} ({scheme})"),
                None => format!("api-key {place} {name}"),
            }
        }
        AuthSchemeIr::Basic => "basic".to_owned(),
        AuthSchemeIr::Anonymous => "anonymous".to_owned(),
    }
}

fn operation(op: &OperationIr) -> OperationApi {
    let module = format!("operation::{}", op.module);
    let host_prefix = op.host_prefix.as_ref().map(|parts| {
        parts
            .iter()
            .map(|part| match part {
                HostPrefixPart::Literal(text) => text.clone(),
                HostPrefixPart::Label { wire_name, .. } => format!("{{{wire_name}}}"),
            })
            .collect::<String>()
    });
    let mut http = format!("{} {}", op.http.method, op.http.uri);
    if op.http.code != 200 {
        http.push_str(&format!(" -> {}", op.http.code));
    }
    let error = format!("{module}::{}Error", op.prefix);
    let errors = error_variants(&error, &op.errors);
    let paginator = op
        .paginator
        .as_ref()
        .filter(|_| signatures::has_paginator(op))
        .map(|p| PaginatorApi {
            path: format!("{module}::{}Paginator", op.prefix),
            input_token: p.input_token.clone(),
            output_token: p.output_token.join("."),
            page_size: p.page_size.as_ref().and_then(|field| {
                let member = op.input.members.iter().find(|m| &m.field == field)?;
                Some(format!("{field}: {}", signatures::value_type(&member.ty)))
            }),
            items: signatures::paginator_items(op),
        });
    OperationApi {
        operation: OperationInfo {
            method: format!("Client::{}", op.module),
            name: op.wire_name.clone(),
            shape: op.shape_id.clone(),
            module,
            error,
            http,
            docs: docs_digest(op.docs.as_deref()),
            deprecated: op.deprecated,
            auth: op.auth.iter().map(auth_scheme).collect(),
            host_prefix,
            request_compression: op.request_compression,
            checksum_required: op.checksum_required,
            headers: op
                .constant_headers
                .iter()
                .map(|(name, value)| format!("{name}: {value}"))
                .collect(),
        },
        input: structure(&op.input),
        output: structure(&op.output),
        errors,
        paginator,
    }
}

fn structure(s: &StructIr) -> ShapeApi {
    let kind = match s.role {
        StructRole::Input => TypeKind::Input,
        StructRole::Output => TypeKind::Output,
        StructRole::Plain => TypeKind::Struct,
        StructRole::Error => TypeKind::Error,
    };
    ShapeApi {
        info: TypeInfo {
            path: public_path(&s.path()),
            kind,
            shape: s.shape_id.clone(),
            docs: docs_digest(s.docs.as_deref()),
            sensitive: s.sensitive,
            fallible_build: signatures::build_is_fallible(s),
            fault: s.error_fault.clone(),
            status: s.http_error,
        },
        members: s.members.iter().map(|m| member(m, None)).collect(),
        values: Vec::new(),
    }
}

fn member(m: &MemberIr, variant: Option<&str>) -> MemberApi {
    let (ty, getter) = match variant {
        Some(_) => (signatures::value_type(&m.ty), None),
        None => (signatures::field_type(m), Some(signatures::getter_type(m))),
    };
    MemberApi {
        field: m.field.clone(),
        variant: variant.map(str::to_owned),
        name: m.wire_name.clone(),
        json: (m.json_name != m.wire_name).then(|| m.json_name.clone()),
        target: m.target.clone(),
        ty,
        getter,
        required: m.required,
        build_requires: variant.is_none() && !m.optional && m.default.is_none(),
        default: m.default.as_ref().map(Value::to_string),
        binding: binding(&m.binding),
        idempotency_token: m.idempotency_token,
        host_label: m.host_label,
        length: m.constraints.length,
        range: m.constraints.range,
        timestamp_format: m.info.timestamp_format.map(|format| {
            match format {
                TimestampFormat::DateTime => "date-time",
                TimestampFormat::HttpDate => "http-date",
                TimestampFormat::EpochSeconds => "epoch-seconds",
            }
            .to_owned()
        }),
        sensitive: m.info.sensitive,
        docs: docs_digest(m.docs.as_deref()),
        deprecated: m.deprecated,
    }
}

/// A binding in words: `label`, `label+` (greedy), `query:name`, `header:name`, ...
fn binding(binding: &Binding) -> String {
    match binding {
        Binding::Label { greedy: false } => "label".to_owned(),
        Binding::Label { greedy: true } => "label+".to_owned(),
        Binding::Query(name) => format!("query:{name}"),
        Binding::QueryParams => "query-params".to_owned(),
        Binding::Header(name) => format!("header:{name}"),
        Binding::PrefixHeaders(prefix) => format!("prefix-headers:{prefix}"),
        Binding::Payload => "payload".to_owned(),
        Binding::ResponseCode => "response-code".to_owned(),
        Binding::Body => "body".to_owned(),
        Binding::EventHeader => "event-header".to_owned(),
        Binding::EventPayload => "event-payload".to_owned(),
    }
}

fn enumeration(e: &EnumIr) -> ShapeApi {
    ShapeApi {
        info: TypeInfo {
            path: format!("types::{}", e.name),
            kind: if e.int_enum {
                TypeKind::IntEnum
            } else {
                TypeKind::Enum
            },
            shape: e.shape_id.clone(),
            docs: docs_digest(e.docs.as_deref()),
            sensitive: false,
            fallible_build: false,
            fault: None,
            status: None,
        },
        members: Vec::new(),
        values: e
            .variants
            .iter()
            .map(|v| EnumValueApi {
                variant: v.name.clone(),
                value: v.value.clone(),
                docs: docs_digest(v.docs.as_deref()),
            })
            .collect(),
    }
}

fn union(u: &UnionIr) -> ShapeApi {
    ShapeApi {
        info: TypeInfo {
            path: format!("types::{}", u.name),
            kind: TypeKind::Union,
            shape: u.shape_id.clone(),
            docs: docs_digest(u.docs.as_deref()),
            sensitive: false,
            fallible_build: false,
            fault: None,
            status: None,
        },
        members: u
            .variants
            .iter()
            .map(|v| member(&v.member, Some(&v.name)))
            .collect(),
        values: Vec::new(),
    }
}

//! Shape graph -> Rust IR.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::docs::to_markdown;
use super::names;
use super::*;
use crate::error::{CodegenError, Result};
use crate::model::{Member, Model, Shape, ShapeKind, Traits};
use crate::shapes::ServiceGraph;

/// What lowering needs besides the resolved model.
#[derive(Debug, Clone, Default)]
pub struct LowerInputs {
    /// The crate (package and library) name.
    pub crate_name: String,
    /// The crate version.
    pub crate_version: String,
    /// The AWS partition data the crate ships (needed when the service has endpoint rules).
    pub partitions: Option<Value>,
    /// The partition data the model's endpoint tests were written against.
    pub test_partitions: Option<Value>,
    /// Expected outcomes, written by hand, of the endpoint test cases that the shipped partition
    /// data changes.
    pub endpoint_expectations: Vec<super::endpoint::HandExpectation>,
    /// An operation the generator cannot implement is an error, instead of being left out.
    pub strict: bool,
}

impl LowerInputs {
    /// Inputs for a crate without partition data.
    pub fn new(crate_name: impl Into<String>, crate_version: impl Into<String>) -> Self {
        Self {
            crate_name: crate_name.into(),
            crate_version: crate_version.into(),
            ..Self::default()
        }
    }
}

/// Lowers a resolved service to the IR of the crate `inputs` describes.
pub fn lower(graph: &ServiceGraph, inputs: &LowerInputs) -> Result<ServiceIr> {
    let model = &graph.model;
    let service = model
        .shape(&graph.service)
        .ok_or_else(|| CodegenError::model("", &graph.service, "the service shape is missing"))?;
    let protocol = select_protocol(service)?;
    let svc = service.service.clone().unwrap_or_default();
    let aws_service = service.traits.get("aws.api#service");
    let sdk_id = aws_service
        .and_then(|v| v.get("sdkId"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| service.name().to_owned());
    let title = service
        .traits
        .string("title")
        .map(str::to_owned)
        .unwrap_or_else(|| sdk_id.clone());
    let signing_name = service
        .traits
        .get("aws.auth#sigv4")
        .and_then(|v| v.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned);

    let auth = super::auth::service_schemes(model, service)?;

    // Operations first: one that needs something the generator does not implement yet (an
    // event stream, a protocol feature) is left out, with the shapes only it reaches.
    let mut operations = Vec::new();
    let mut left_out = Vec::new();
    {
        let lowerer = Lowerer {
            model,
            graph,
            rename: &svc.rename,
            protocol: protocol.protocol,
        };
        for op_id in &graph.operations {
            match lowerer.operation(op_id, service) {
                Ok(op) => operations.push(op),
                Err(CodegenError::Unsupported { shape, feature }) if !inputs.strict => {
                    left_out.push(LeftOutOperation {
                        shape_id: op_id.clone(),
                        name: model
                            .shape(op_id)
                            .map_or(op_id.as_str(), |s| s.name())
                            .to_owned(),
                        reason: if &shape == op_id {
                            format!("not supported: {feature}")
                        } else {
                            format!("not supported: {feature} (`{shape}`)")
                        },
                    });
                }
                Err(err) => return Err(err),
            }
        }
    }
    let reduced;
    let graph = if left_out.is_empty() {
        graph
    } else {
        let ids: Vec<String> = left_out.iter().map(|l| l.shape_id.clone()).collect();
        reduced = graph.without_operations(&ids);
        &reduced
    };
    let lowerer = Lowerer {
        model,
        graph,
        rename: &svc.rename,
        protocol: protocol.protocol,
    };
    lowerer.check_type_name_collisions()?;

    let member_targets: BTreeSet<&str> = graph
        .shapes
        .iter()
        .filter_map(|id| model.shape(id))
        .flat_map(|s| s.members.iter().map(|m| m.target.as_str()))
        .collect();

    let mut structures = Vec::new();
    let mut errors = Vec::new();
    let mut enums = Vec::new();
    let mut unions = Vec::new();
    let mut event_streams = Vec::new();
    for id in &graph.shapes {
        let Some(shape) = model.shape(id) else {
            continue;
        };
        match shape.kind {
            ShapeKind::Structure if shape.traits.error().is_some() => {
                errors.push(lowerer.structure(shape, StructRole::Error, None)?);
            }
            ShapeKind::Structure if member_targets.contains(id.as_str()) => {
                structures.push(lowerer.structure(shape, StructRole::Plain, None)?);
            }
            ShapeKind::Enum | ShapeKind::IntEnum => enums.push(lowerer.enumeration(shape)),
            ShapeKind::String if shape.traits.has("enum") => enums.push(lowerer.enumeration(shape)),
            ShapeKind::Union if shape.traits.streaming() => {
                if !protocol.protocol.event_streams() {
                    return Err(unsupported_event_stream(id, protocol.protocol));
                }
                let (events, stream) = lowerer.event_stream(shape)?;
                unions.push(events);
                event_streams.push(stream);
            }
            ShapeKind::Union => unions.push(lowerer.union(shape)?),
            _ => {}
        }
    }

    let endpoint_error = |err: super::endpoint::EndpointRulesError| CodegenError::EndpointRules {
        shape: graph.service.clone(),
        message: err.to_string(),
    };
    let rule_set = service
        .traits
        .get("smithy.rules#endpointRuleSet")
        .map(super::endpoint::rules::RuleSet::parse)
        .transpose()
        .map_err(endpoint_error)?;
    let client_params = super::endpoint::client_params(service, rule_set.as_ref())
        .map_err(|why| CodegenError::model(&service.file, &service.id, why))?;
    let types = super::endpoint::path::Types {
        structures: structures
            .iter()
            .map(|s| (s.shape_id.as_str(), s))
            .collect(),
        unions: unions.iter().map(|u| (u.shape_id.as_str(), u)).collect(),
    };

    for op in &mut operations {
        lowerer.endpoint_bindings(op, rule_set.as_ref(), &types)?;
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    for stream in &mut event_streams {
        let sent_by = |m: Option<&MemberIr>| {
            m.is_some_and(
                |m| matches!(&m.ty, RustType::EventStream(t) if t.shape == stream.shape_id),
            )
        };
        stream.input = operations.iter().any(|op| sent_by(op.input_stream()));
        stream.output = operations.iter().any(|op| sent_by(op.output_stream()));
    }
    // Large union variants are boxed in their unions (before the error sizes, which count them).
    let large_variants: Vec<Vec<bool>> = {
        let sizes = super::size::SizeEstimator::new(structures.iter().chain(&errors), &unions);
        unions
            .iter()
            .map(|u| {
                u.variants
                    .iter()
                    .map(|v| sizes.value_of(&v.member.ty) > super::size::BOX_UNION_VARIANTS_OVER)
                    .collect()
            })
            .collect()
    };
    for (u, large) in unions.iter_mut().zip(large_variants) {
        for (v, large) in u.variants.iter_mut().zip(large) {
            v.member.boxed |= large;
        }
    }
    // Large error structures are boxed in the operation error enums.
    let sizes = super::size::SizeEstimator::new(structures.iter().chain(&errors), &unions);
    let large: BTreeSet<&str> = errors
        .iter()
        .filter(|e| sizes.structure(e) > super::size::BOX_ERRORS_OVER)
        .map(|e| e.shape_id.as_str())
        .collect();
    for error in operations.iter_mut().flat_map(|op| op.errors.iter_mut()) {
        error.boxed = large.contains(error.shape_id.as_str());
    }

    let endpoint_rules = match rule_set {
        Some(rule_set) => Some(
            super::endpoint::lower_parsed(
                rule_set,
                service.traits.get("smithy.rules#endpointTests"),
                inputs.partitions.as_ref(),
                inputs.test_partitions.as_ref(),
                &inputs.endpoint_expectations,
            )
            .map(|mut rules| {
                let mut bound: Vec<String> = operations
                    .iter()
                    .flat_map(|op| op.endpoint_bindings.iter().map(|b| b.param.clone()))
                    .chain(client_params.iter().map(|p| p.name.clone()))
                    .collect();
                bound.sort();
                bound.dedup();
                rules.bound = bound;
                rules.client_params = client_params;
                rules
            }),
        ),
        None => inputs.endpoint_expectations.first().map(|unused| {
            Err(super::endpoint::EndpointRulesError::new(
                "endpoint expectations",
                format!(
                    "a hand-written expectation names the endpoint test case `{}`, but the \
                     service has no endpoint rules",
                    unused.documentation
                ),
            ))
        }),
    }
    .transpose()
    .map_err(endpoint_error)?;

    let mut ir = ServiceIr {
        crate_name: inputs.crate_name.clone(),
        crate_version: inputs.crate_version.clone(),
        shape_id: graph.service.clone(),
        title,
        sdk_id,
        api_version: svc.version.clone(),
        protocol,
        signing_name,
        auth,
        docs: service.traits.documentation().map(to_markdown),
        structures,
        errors,
        enums,
        unions,
        event_streams,
        operations,
        left_out,
        endpoint_rules,
    };
    super::customizations::apply(&mut ir);
    Ok(ir)
}

/// The service's protocol: the preferred one of its protocol traits that the generator
/// implements.
fn select_protocol(service: &Shape) -> Result<ProtocolIr> {
    if let Some(protocol) = Protocol::select(|id| service.traits.has(id)) {
        return Ok(ProtocolIr {
            protocol,
            service_name: service.name().to_owned(),
            query_compatible: service.traits.has(protocol::QUERY_COMPATIBLE_TRAIT),
        });
    }
    let implemented: Vec<&str> = Protocol::trait_ids().collect();
    let found: Vec<&str> = protocol::UNIMPLEMENTED
        .iter()
        .copied()
        .filter(|p| service.traits.has(p))
        .collect();
    let feature = if found.is_empty() {
        format!(
            "the service has no protocol trait this generator implements ({})",
            implemented.join(", ")
        )
    } else {
        format!(
            "protocol {} (this generator implements {})",
            found.join(", "),
            implemented.join(", ")
        )
    };
    Err(CodegenError::Unsupported {
        shape: service.id.clone(),
        feature,
    })
}

struct Lowerer<'a> {
    model: &'a Model,
    graph: &'a ServiceGraph,
    rename: &'a BTreeMap<String, String>,
    protocol: Protocol,
}

impl Lowerer<'_> {
    /// The model name of a shape, after the service's `rename`.
    fn shape_name<'s>(&'s self, shape: &'s Shape) -> &'s str {
        self.rename
            .get(&shape.id)
            .map_or(shape.name(), String::as_str)
    }

    fn type_name(&self, shape: &Shape) -> String {
        names::type_name(self.shape_name(shape))
    }

    /// Two shapes of the closure that would get the same Rust type name is an error.
    fn check_type_name_collisions(&self) -> Result<()> {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for id in &self.graph.shapes {
            let Some(shape) = self.model.shape(id) else {
                continue;
            };
            if !matches!(
                shape.kind,
                ShapeKind::Structure | ShapeKind::Union | ShapeKind::Enum | ShapeKind::IntEnum
            ) || id.starts_with("smithy.api#")
            {
                continue;
            }
            let name = self.type_name(shape);
            if let Some(other) = seen.insert(name.clone(), id) {
                return Err(CodegenError::model(
                    &shape.file,
                    id,
                    format!("its Rust type name `{name}` collides with `{other}`; add a `rename` to the service"),
                ));
            }
        }
        Ok(())
    }

    fn structure(
        &self,
        shape: &Shape,
        role: StructRole,
        op: Option<(&str, &str)>,
    ) -> Result<StructIr> {
        let (name, module) = match (role, op) {
            (StructRole::Input, Some((op_name, module))) => (
                format!("{op_name}Input"),
                format!("crate::operation::{module}"),
            ),
            (StructRole::Output, Some((op_name, module))) => (
                format!("{op_name}Output"),
                format!("crate::operation::{module}"),
            ),
            (StructRole::Error, _) => (self.type_name(shape), "crate::types::error".to_owned()),
            _ => (self.type_name(shape), "crate::types".to_owned()),
        };
        let mut members: Vec<MemberIr> = Vec::new();
        for member in &shape.members {
            let ir = self.member(shape, member, role)?;
            if let Some(other) = members.iter().find(|m| m.field == ir.field) {
                return Err(CodegenError::model(
                    &shape.file,
                    &shape.id,
                    format!(
                        "members `{}` and `{}` both map to the Rust name `{}`",
                        other.wire_name, ir.wire_name, ir.field
                    ),
                ));
            }
            members.push(ir);
        }
        // Builders synthesize `set_x` and `get_x` for member `x`: a member whose own name is
        // one of those (`SetTag` beside `Tag`) takes a `_value` suffix.
        let synthesized: Vec<String> = members
            .iter()
            .flat_map(|m| {
                let bare = names::unraw(&m.field).trim_end_matches('_');
                [format!("set_{bare}"), format!("get_{bare}")]
            })
            .collect();
        for i in 0..members.len() {
            if synthesized.contains(&members[i].field) {
                let renamed = format!("{}_value", members[i].field);
                if let Some(other) = members.iter().find(|m| m.field == renamed) {
                    return Err(CodegenError::model(
                        &shape.file,
                        &shape.id,
                        format!(
                            "members `{}` and `{}` both map to the Rust name `{renamed}`",
                            members[i].wire_name, other.wire_name
                        ),
                    ));
                }
                members[i].field = renamed;
            }
        }
        Ok(StructIr {
            shape_id: shape.id.clone(),
            wire_name: self.shape_name(shape).to_owned(),
            name,
            module,
            role,
            docs: shape.traits.documentation().map(to_markdown),
            members,
            sensitive: shape.traits.sensitive(),
            error_fault: shape.traits.error().map(str::to_owned),
            http_error: shape.traits.http_error(),
        })
    }

    fn member(&self, owner: &Shape, member: &Member, role: StructRole) -> Result<MemberIr> {
        let target = self.target(owner, member)?;
        let ty = self.rust_type(owner, member)?;
        let required = member.traits.required();
        let default = member
            .traits
            .default_value()
            .or_else(|| target.traits.default_value())
            .filter(|v| !v.is_null())
            .cloned();
        if let (ShapeKind::Blob, Some(Value::String(text))) = (target.kind, &default) {
            if super::defaults::decode_blob_default(text).is_none() {
                return Err(CodegenError::model(
                    &owner.file,
                    &owner.id,
                    format!(
                        "member `{}`: a blob @default must be base64 text",
                        member.name
                    ),
                ));
            }
        }
        let mut ty = ty;
        if let RustType::EventStream(stream) = &mut ty {
            stream.direction = match role {
                StructRole::Input => StreamDirection::Input,
                StructRole::Output => StreamDirection::Output,
                StructRole::Plain | StructRole::Error => {
                    return Err(event_stream_misplaced(owner, member))
                }
            };
            // Under the RPC protocols the stream is the whole body, without `@httpPayload`.
            if self.protocol.http_bindings() && !member.traits.http_payload() {
                return Err(event_stream_misplaced(owner, member));
            }
        }
        let event_stream = matches!(ty, RustType::EventStream(_));
        let streaming = ty == RustType::ByteStream;
        // A body is always there, if empty: a streaming blob is a plain `ByteStream` (empty by
        // default unless `@required`), as in the official SDK.
        let default = match default {
            None if streaming && !required => Some(Value::String(String::new())),
            other => other,
        };
        let optional = match role {
            _ if streaming => false,
            // An output always has its stream (which may end at once); an input's is set by the
            // caller.
            StructRole::Output if event_stream => false,
            StructRole::Input => true,
            // `@clientOptional` members stay optional even with a default: a client must not
            // fill the default in.
            _ => member.traits.client_optional() || (!required && default.is_none()),
        };
        // Request-only bindings (labels, query) are ignored on outputs and errors, and
        // `@httpResponseCode` on inputs: such members are carried in the body.
        let binding = match (role, binding(member)) {
            // The members of an event structure are the headers and payload of its messages.
            (StructRole::Plain, _) if member.traits.has("eventHeader") => Binding::EventHeader,
            (StructRole::Plain, _) if member.traits.has("eventPayload") => Binding::EventPayload,
            // An event stream is the payload under every protocol.
            _ if event_stream => Binding::Payload,
            // RPC protocols carry every member in the body and ignore the binding traits.
            _ if !self.protocol.http_bindings() => Binding::Body,
            (StructRole::Plain, _) => Binding::Body,
            (
                StructRole::Output | StructRole::Error,
                Binding::Label { .. } | Binding::Query(_) | Binding::QueryParams,
            )
            | (StructRole::Input, Binding::ResponseCode) => Binding::Body,
            (_, bound) => bound,
        };
        if streaming
            && !(matches!(role, StructRole::Input | StructRole::Output)
                && binding == Binding::Payload)
        {
            return Err(streaming_blob_misplaced(owner, member));
        }
        let mut constraints = Constraints {
            length: target.traits.length(),
            range: target.traits.range(),
        };
        if let Some(length) = member.traits.length() {
            constraints.length = Some(length);
        }
        if let Some(range) = member.traits.range() {
            constraints.range = Some(range);
        }
        Ok(MemberIr {
            wire_name: member.name.clone(),
            json_name: member
                .traits
                .json_name()
                .filter(|_| self.protocol.json_name())
                .unwrap_or(&member.name)
                .to_owned(),
            field: names::member_name(&member.name),
            target: member.target.clone(),
            ty,
            optional,
            boxed: self
                .graph
                .boxed
                .contains(&(owner.id.clone(), member.name.clone())),
            required,
            default,
            info: self.value_info(&member.traits, target),
            binding,
            idempotency_token: member.traits.idempotency_token(),
            host_label: member.traits.has("smithy.api#hostLabel"),
            label_default: None,
            constraints,
            docs: member
                .traits
                .documentation()
                .or_else(|| {
                    target
                        .traits
                        .documentation()
                        .filter(|_| !target.id.starts_with("smithy.api#"))
                })
                .map(to_markdown),
            deprecated: member.traits.deprecated(),
        })
    }

    fn target<'m>(&'m self, owner: &Shape, member: &Member) -> Result<&'m Shape> {
        self.model.shape(&member.target).ok_or_else(|| {
            CodegenError::model(
                &owner.file,
                &owner.id,
                format!(
                    "member `{}` targets `{}`, which does not exist",
                    member.name, member.target
                ),
            )
        })
    }

    fn value_info(&self, member_traits: &Traits, target: &Shape) -> ValueInfo {
        ValueInfo {
            timestamp_format: member_traits
                .timestamp_format()
                .or_else(|| target.traits.timestamp_format()),
            media_type: target.traits.media_type().map(str::to_owned),
            sensitive: member_traits.sensitive() || self.is_sensitive(target, &mut BTreeSet::new()),
        }
    }

    /// A target is sensitive when it, or a list/map element it holds, is `@sensitive`.
    fn is_sensitive(&self, shape: &Shape, seen: &mut BTreeSet<String>) -> bool {
        if shape.traits.sensitive() {
            return true;
        }
        if !matches!(shape.kind, ShapeKind::List | ShapeKind::Map) || !seen.insert(shape.id.clone())
        {
            return false;
        }
        shape.members.iter().any(|m| {
            m.traits.sensitive()
                || self
                    .model
                    .shape(&m.target)
                    .is_some_and(|t| self.is_sensitive(t, seen))
        })
    }

    fn rust_type(&self, owner: &Shape, member: &Member) -> Result<RustType> {
        let target = self.target(owner, member)?;
        let named = |kind: NamedKind, module: &str| RustType::Named {
            path: format!("crate::{module}::{}", self.type_name(target)),
            shape: target.id.clone(),
            kind,
        };
        Ok(match target.kind {
            // Where a streaming blob may appear is checked in `member`.
            ShapeKind::Blob if target.traits.streaming() => RustType::ByteStream,
            ShapeKind::Blob => RustType::Blob,
            ShapeKind::Boolean => RustType::Bool,
            ShapeKind::String if target.traits.has("enum") => named(NamedKind::Enum, "types"),
            ShapeKind::String => RustType::String,
            ShapeKind::Byte => RustType::I8,
            ShapeKind::Short => RustType::I16,
            ShapeKind::Integer => RustType::I32,
            ShapeKind::Long => RustType::I64,
            ShapeKind::Float => RustType::F32,
            ShapeKind::Double => RustType::F64,
            ShapeKind::BigInteger => RustType::BigInteger,
            ShapeKind::BigDecimal => RustType::BigDecimal,
            ShapeKind::Timestamp => RustType::DateTime,
            ShapeKind::Document if !self.protocol.documents() => {
                return Err(CodegenError::Unsupported {
                    shape: format!("{}${}", owner.id, member.name),
                    feature: format!(
                        "document types under {}, which has no encoding for them",
                        self.protocol.name()
                    ),
                })
            }
            ShapeKind::Document => RustType::Document,
            ShapeKind::Enum => named(NamedKind::Enum, "types"),
            ShapeKind::IntEnum => named(NamedKind::IntEnum, "types"),
            ShapeKind::Structure if target.traits.error().is_some() => {
                named(NamedKind::Struct, "types::error")
            }
            ShapeKind::Structure => named(NamedKind::Struct, "types"),
            ShapeKind::Union if target.traits.streaming() => {
                if !self.protocol.event_streams() {
                    return Err(unsupported_event_stream(&target.id, self.protocol));
                }
                // The direction is the member's (see `member`).
                let name = self.type_name(target);
                RustType::EventStream(Box::new(EventStreamType {
                    shape: target.id.clone(),
                    events: format!("crate::types::{name}"),
                    error: format!("crate::types::error::{name}Error"),
                    direction: StreamDirection::Output,
                }))
            }
            ShapeKind::Union => named(NamedKind::Union, "types"),
            ShapeKind::List => {
                let element = target.member("member").ok_or_else(|| {
                    CodegenError::model(&target.file, &target.id, "a list needs a `member`")
                })?;
                let element_target = self.target(target, element)?;
                RustType::List {
                    element: Box::new(self.nested_type(target, element)?),
                    sparse: target.traits.sparse(),
                    element_info: Box::new(self.value_info(&element.traits, element_target)),
                }
            }
            ShapeKind::Map => {
                let value = target.member("value").ok_or_else(|| {
                    CodegenError::model(&target.file, &target.id, "a map needs a `value`")
                })?;
                let value_target = self.target(target, value)?;
                RustType::Map {
                    value: Box::new(self.nested_type(target, value)?),
                    sparse: target.traits.sparse(),
                    value_info: Box::new(self.value_info(&value.traits, value_target)),
                }
            }
            ShapeKind::Service | ShapeKind::Operation | ShapeKind::Resource => {
                return Err(CodegenError::model(
                    &owner.file,
                    &owner.id,
                    format!("member `{}` targets a {:?}", member.name, target.kind),
                ))
            }
        })
    }

    /// The type of a list element or map value: never a streaming blob.
    fn nested_type(&self, owner: &Shape, member: &Member) -> Result<RustType> {
        let ty = self.rust_type(owner, member)?;
        if ty == RustType::ByteStream {
            return Err(streaming_blob_misplaced(owner, member));
        }
        Ok(ty)
    }

    fn enumeration(&self, shape: &Shape) -> EnumIr {
        let int_enum = shape.kind == ShapeKind::IntEnum;
        let mut variants: Vec<EnumVariantIr> = if shape.kind == ShapeKind::String {
            // IDL 1.0 style `@enum` trait on a string.
            shape
                .traits
                .get("enum")
                .and_then(Value::as_array)
                .map(|defs| {
                    defs.iter()
                        .filter_map(|def| {
                            let value = def.get("value")?.as_str()?;
                            let name = def.get("name").and_then(Value::as_str).unwrap_or(value);
                            Some(EnumVariantIr {
                                name: names::variant_name(name),
                                value: Value::String(value.to_owned()),
                                docs: def
                                    .get("documentation")
                                    .and_then(Value::as_str)
                                    .map(to_markdown),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default()
        } else {
            shape
                .members
                .iter()
                .map(|m| EnumVariantIr {
                    name: names::variant_name(&m.name),
                    value: m
                        .traits
                        .enum_value()
                        .cloned()
                        .unwrap_or_else(|| Value::String(m.name.clone())),
                    docs: m.traits.documentation().map(to_markdown),
                })
                .collect()
        };
        // Two members whose names case to the same variant get numbered.
        let mut seen = BTreeSet::new();
        for variant in &mut variants {
            let mut name = variant.name.clone();
            let mut n = 2;
            while !seen.insert(name.clone()) {
                name = format!("{}{n}", variant.name);
                n += 1;
            }
            variant.name = name;
        }
        EnumIr {
            shape_id: shape.id.clone(),
            name: self.type_name(shape),
            docs: shape.traits.documentation().map(to_markdown),
            int_enum,
            variants,
        }
    }

    fn union(&self, shape: &Shape) -> Result<UnionIr> {
        let mut variants = Vec::new();
        for member in &shape.members {
            let mut ir = self.member(shape, member, StructRole::Plain)?;
            ir.optional = false;
            // The catch-all variant `Unknown` has `is_unknown()`: a member named `Unknown` is
            // variant `UnknownValue` with `as_unknown_value()` / `is_unknown_value()`.
            if ir.field == "unknown" {
                ir.field = "unknown_value".to_owned();
            }
            let name = names::variant_name(&member.name);
            let clash = variants.iter().find_map(|v: &UnionVariantIr| {
                if v.name == name {
                    Some((v, format!("the Rust variant `{name}`")))
                } else if v.member.field == ir.field {
                    let bare = names::unraw(&ir.field).trim_end_matches('_');
                    Some((v, format!("the methods `as_{bare}`/`is_{bare}`")))
                } else {
                    None
                }
            });
            if let Some((other, what)) = clash {
                return Err(CodegenError::model(
                    &shape.file,
                    &shape.id,
                    format!(
                        "members `{}` and `{}` both map to {what}",
                        other.member.wire_name, ir.wire_name
                    ),
                ));
            }
            variants.push(UnionVariantIr { name, member: ir });
        }
        Ok(UnionIr {
            shape_id: shape.id.clone(),
            name: self.type_name(shape),
            docs: shape.traits.documentation().map(to_markdown),
            variants,
        })
    }

    /// An event stream: the union of its events (its members that are not errors) and its
    /// description, with its errors (its members targeting error structures).
    fn event_stream(&self, shape: &Shape) -> Result<(UnionIr, EventStreamIr)> {
        let mut events = shape.clone();
        let mut errors = Vec::new();
        events.members.retain(|member| {
            let error = self
                .model
                .shape(&member.target)
                .filter(|target| target.traits.error().is_some());
            match error {
                Some(target) => {
                    let type_name = self.type_name(target);
                    let variant = names::variant_name(&member.name);
                    errors.push(ErrorRefIr {
                        shape_id: target.id.clone(),
                        code: member.name.clone(),
                        is_fn: format!("is_{}", names::snake(&variant)),
                        path: format!("crate::types::error::{type_name}"),
                        variant,
                        boxed: false,
                    });
                    false
                }
                None => true,
            }
        });
        let union = self.union(&events)?;
        let stream = EventStreamIr {
            shape_id: shape.id.clone(),
            error_name: format!("{}Error", union.name),
            name: union.name.clone(),
            errors,
            input: false,
            output: false,
        };
        Ok((union, stream))
    }

    /// Sets the endpoint rule-set bindings of `op` (which need the lowered shared types).
    fn endpoint_bindings(
        &self,
        op: &mut OperationIr,
        rule_set: Option<&super::endpoint::rules::RuleSet>,
        types: &super::endpoint::path::Types<'_>,
    ) -> Result<()> {
        let shape = self
            .model
            .shape(&op.shape_id)
            .ok_or_else(|| CodegenError::model("", &op.shape_id, "operation does not exist"))?;
        let input_id = shape
            .operation
            .as_ref()
            .map_or("smithy.api#Unit", |o| o.input.as_str());
        let input_shape = self.model.shape(input_id).ok_or_else(|| {
            CodegenError::model(
                &shape.file,
                &op.shape_id,
                format!("`{input_id}` does not exist"),
            )
        })?;
        op.endpoint_bindings =
            super::endpoint::operation_bindings(shape, input_shape, &op.input, rule_set, types)
                .map_err(|why| CodegenError::model(&shape.file, &op.shape_id, why))?;
        op.endpoint_account_id = rule_set.is_some_and(|r| {
            r.params
                .iter()
                .any(|p| p.source == super::endpoint::rules::Source::AccountId)
        });
        Ok(())
    }

    fn operation(&self, op_id: &str, service: &Shape) -> Result<OperationIr> {
        let shape = self
            .model
            .shape(op_id)
            .ok_or_else(|| CodegenError::model("", op_id, "operation does not exist"))?;
        let op = shape.operation.clone().unwrap_or_default();
        let route = self.protocol.rpc_route(service.name(), shape.name());
        let http = match route {
            Some(route) => route,
            None => shape
                .traits
                .http()
                .ok_or_else(|| CodegenError::Unsupported {
                    shape: op_id.to_owned(),
                    feature: format!(
                        "operations without the @http trait under {}",
                        self.protocol.name()
                    ),
                })?,
        };
        let name = names::type_name(self.shape_name(shape));
        let prefix = names::pascal(self.shape_name(shape));
        let module = names::operation_method(self.shape_name(shape));
        let structure = |id: &str, role: StructRole| -> Result<StructIr> {
            let s = self.model.shape(id).ok_or_else(|| {
                CodegenError::model(&shape.file, op_id, format!("`{id}` does not exist"))
            })?;
            self.structure(s, role, Some((&prefix, &module)))
        };
        let mut input = structure(&op.input, StructRole::Input)?;
        let output = structure(&op.output, StructRole::Output)?;
        let uri = uri_pattern(&http.uri, &mut input).map_err(|why| {
            CodegenError::model(
                &shape.file,
                op_id,
                format!("@http uri {:?}: {why}", http.uri),
            )
        })?;
        let mut errors = Vec::new();
        for error_id in &op.errors {
            let error_shape = self.model.shape(error_id).ok_or_else(|| {
                CodegenError::model(
                    &shape.file,
                    op_id,
                    format!("error `{error_id}` does not exist"),
                )
            })?;
            let type_name = self.type_name(error_shape);
            errors.push(ErrorRefIr {
                shape_id: error_id.clone(),
                code: self.shape_name(error_shape).to_owned(),
                is_fn: format!("is_{}", names::snake(&type_name)),
                path: format!("crate::types::error::{type_name}"),
                variant: type_name,
                boxed: false,
            });
        }
        // The output of an operation that only sends events is read from the response's head,
        // which arrives while the events are still being sent.
        let sends_events = input
            .members
            .iter()
            .any(|m| matches!(m.ty, RustType::EventStream(_)));
        let receives_events = output
            .members
            .iter()
            .any(|m| matches!(m.ty, RustType::EventStream(_)));
        if sends_events
            && !receives_events
            && output
                .members
                .iter()
                .any(|m| matches!(m.binding, Binding::Body | Binding::Payload))
        {
            return Err(CodegenError::Unsupported {
                shape: op_id.to_owned(),
                feature: "an input event stream with an output that has a body".to_owned(),
            });
        }
        let paginator = self.paginator(shape, service, &input, &output)?;
        let host_prefix = host_prefix(shape, op_id, &input)?;
        let request_compression = request_compression(shape, op_id)?;
        let auth = super::auth::operation_schemes(self.model, service, shape)?;
        let idempotent = is_idempotent(shape, &http.method, &input);
        Ok(OperationIr {
            shape_id: op_id.to_owned(),
            wire_name: shape.name().to_owned(),
            name,
            prefix,
            module,
            docs: shape.traits.documentation().map(to_markdown),
            http,
            uri,
            unit_input: op.input == crate::model::UNIT,
            input,
            output,
            errors,
            paginator,
            deprecated: shape.traits.deprecated(),
            host_prefix,
            request_compression,
            checksum_required: shape.traits.has("smithy.api#httpChecksumRequired"),
            constant_headers: Vec::new(),
            glacier_checksums: false,
            endpoint_member: None,
            idempotent,
            auth,
            endpoint_bindings: Vec::new(),
            endpoint_account_id: false,
        })
    }

    fn paginator(
        &self,
        op: &Shape,
        service: &Shape,
        input: &StructIr,
        output: &StructIr,
    ) -> Result<Option<PaginatorIr>> {
        let Some(mut paginated) = op.traits.paginated() else {
            return Ok(None);
        };
        if let Some(defaults) = service.traits.paginated() {
            paginated.input_token = paginated.input_token.or(defaults.input_token);
            paginated.output_token = paginated.output_token.or(defaults.output_token);
            paginated.items = paginated.items.or(defaults.items);
            paginated.page_size = paginated.page_size.or(defaults.page_size);
        }
        let (Some(input_token), Some(output_token)) =
            (paginated.input_token, paginated.output_token)
        else {
            return Ok(None);
        };
        let fail =
            |what: String| CodegenError::model(&op.file, &op.id, format!("@paginated: {what}"));
        let input_field = input
            .members
            .iter()
            .find(|m| m.wire_name == input_token)
            .map(|m| m.field.clone())
            .ok_or_else(|| {
                fail(format!(
                    "input token `{input_token}` is not an input member"
                ))
            })?;
        let output_path = member_path(output, &output_token, self).ok_or_else(|| {
            fail(format!(
                "output token `{output_token}` is not an output member"
            ))
        })?;
        let page_size = match &paginated.page_size {
            Some(name) => Some(
                input
                    .members
                    .iter()
                    .find(|m| &m.wire_name == name)
                    .map(|m| m.field.clone())
                    .ok_or_else(|| fail(format!("page size `{name}` is not an input member")))?,
            ),
            None => None,
        };
        let items = match &paginated.items {
            Some(path) => {
                let fields = member_path(output, path, self)
                    .ok_or_else(|| fail(format!("items `{path}` is not an output member")))?;
                let ty = output
                    .members
                    .iter()
                    .find(|m| Some(&m.field) == fields.first())
                    .map(|m| m.ty.clone());
                ty.filter(|_| fields.len() == 1).map(|ty| (fields, ty))
            }
            None => {
                let lists: Vec<&MemberIr> = output
                    .members
                    .iter()
                    .filter(|m| matches!(m.ty, RustType::List { .. } | RustType::Map { .. }))
                    .collect();
                match lists.as_slice() {
                    [only] => Some((vec![only.field.clone()], only.ty.clone())),
                    _ => None,
                }
            }
        };
        Ok(Some(PaginatorIr {
            input_token: input_field,
            output_token: output_path,
            page_size,
            items,
        }))
    }
}

/// Field names along a dotted member path (`a.b`) of a structure; only top-level paths are
/// resolved to fields, nested parts are snake-cased.
fn member_path(structure: &StructIr, path: &str, _lowerer: &Lowerer<'_>) -> Option<Vec<String>> {
    let mut parts = path.split('.');
    let first = parts.next()?;
    let field = structure
        .members
        .iter()
        .find(|m| m.wire_name == first)?
        .field
        .clone();
    let mut fields = vec![field];
    fields.extend(parts.map(names::member_name));
    Some(fields)
}

/// An event stream under a protocol whose event streams the generator does not implement.
fn unsupported_event_stream(shape: &str, protocol: Protocol) -> CodegenError {
    CodegenError::Unsupported {
        shape: shape.to_owned(),
        feature: format!(
            "event streams (@streaming unions) under {}",
            protocol.name()
        ),
    }
}

/// An event stream anywhere but the `@httpPayload` of an operation input or output.
fn event_stream_misplaced(owner: &Shape, member: &Member) -> CodegenError {
    CodegenError::Unsupported {
        shape: format!("{}${}", owner.id, member.name),
        feature: "an event stream that is not the @httpPayload member of an operation input or \
                  output"
            .to_owned(),
    }
}

/// A `@streaming` blob anywhere but the `@httpPayload` of an operation input or output.
fn streaming_blob_misplaced(owner: &Shape, member: &Member) -> CodegenError {
    CodegenError::Unsupported {
        shape: format!("{}${}", owner.id, member.name),
        feature:
            "a @streaming blob that is not the @httpPayload member of an operation input or output"
                .to_owned(),
    }
}

/// The member binding from its HTTP traits (whether a label is greedy is decided by the URI
/// pattern, in [`uri_pattern`]).
fn binding(member: &Member) -> Binding {
    let traits = &member.traits;
    if traits.http_label() {
        Binding::Label { greedy: false }
    } else if let Some(name) = traits.http_query() {
        Binding::Query(name.to_owned())
    } else if traits.http_query_params() {
        Binding::QueryParams
    } else if let Some(name) = traits.http_header() {
        Binding::Header(name.to_owned())
    } else if let Some(prefix) = traits.http_prefix_headers() {
        Binding::PrefixHeaders(prefix.to_owned())
    } else if traits.http_payload() {
        Binding::Payload
    } else if traits.http_response_code() {
        Binding::ResponseCode
    } else {
        Binding::Body
    }
}

/// Parses an operation's URI pattern against its input: every label names an `@httpLabel`
/// member, every `@httpLabel` member has a label, and a member bound to a greedy label is marked
/// greedy.
fn uri_pattern(uri: &str, input: &mut StructIr) -> std::result::Result<UriPattern, String> {
    let pattern = UriPattern::parse(uri, |name| {
        let (index, member) = input
            .members
            .iter()
            .enumerate()
            .find(|(_, m)| m.wire_name == name)
            .ok_or_else(|| {
                format!(
                    "names no member of the input structure `{}`",
                    input.wire_name
                )
            })?;
        match member.binding {
            Binding::Label { .. } => Ok(index),
            _ => Err(format!("input member `{name}` is not marked @httpLabel")),
        }
    })?;
    for label in pattern.labels() {
        input.members[label.member].binding = Binding::Label {
            greedy: label.greedy,
        };
    }
    for (index, member) in input.members.iter().enumerate() {
        let bound = pattern.labels().any(|l| l.member == index);
        if matches!(member.binding, Binding::Label { .. }) && !bound {
            return Err(format!(
                "input member `{}` is marked @httpLabel but the pattern has no label `{{{}}}`",
                member.wire_name, member.wire_name
            ));
        }
    }
    Ok(pattern)
}

/// The parts of an operation's `@endpoint` host prefix; each `{label}` must name a required
/// string input member marked `@hostLabel`.
/// Whether an operation may be sent twice with the effect of once: `@readonly` or `@idempotent`
/// (Smithy), an idempotent HTTP method (GET, HEAD, PUT, DELETE, OPTIONS, TRACE: RFC 9110
/// section 9.2.2), or an `@idempotencyToken` input member (the service recognises a repeat).
fn is_idempotent(op: &Shape, method: &str, input: &StructIr) -> bool {
    op.traits.has("smithy.api#readonly")
        || op.traits.has("smithy.api#idempotent")
        || matches!(
            method.to_ascii_uppercase().as_str(),
            "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
        )
        || input.members.iter().any(|m| m.idempotency_token)
}

fn host_prefix(
    shape: &Shape,
    op_id: &str,
    input: &StructIr,
) -> Result<Option<Vec<HostPrefixPart>>> {
    let Some(endpoint) = shape.traits.get("smithy.api#endpoint") else {
        return Ok(None);
    };
    let error = |message: String| CodegenError::model(&shape.file, op_id, message);
    let template = endpoint
        .get("hostPrefix")
        .and_then(Value::as_str)
        .ok_or_else(|| error("@endpoint needs a string `hostPrefix`".to_owned()))?;
    let mut parts = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            Some(0) if rest.starts_with('{') => {
                let end = rest.find('}').ok_or_else(|| {
                    error(format!(
                        "@endpoint hostPrefix {template:?} has an unclosed `{{`"
                    ))
                })?;
                let label = &rest[1..end];
                let member = input
                    .members
                    .iter()
                    .find(|m| m.wire_name == label)
                    .ok_or_else(|| {
                        error(format!(
                            "@endpoint hostPrefix label `{{{label}}}` has no matching input member"
                        ))
                    })?;
                if !matches!(member.ty, RustType::String) || !member.host_label {
                    return Err(error(format!(
                        "@endpoint hostPrefix label `{{{label}}}` must name a string input member \
                         marked @hostLabel"
                    )));
                }
                parts.push(HostPrefixPart::Label {
                    wire_name: label.to_owned(),
                    field: member.field.clone(),
                });
                rest = &rest[end + 1..];
            }
            Some(0) => {
                return Err(error(format!(
                    "@endpoint hostPrefix {template:?} has an unmatched `}}`"
                )))
            }
            Some(at) => {
                parts.push(HostPrefixPart::Literal(rest[..at].to_owned()));
                rest = &rest[at..];
            }
            None => {
                parts.push(HostPrefixPart::Literal(rest.to_owned()));
                rest = "";
            }
        }
    }
    Ok(Some(parts))
}

/// Whether the operation's `@requestCompression` names an encoding the client supports: the
/// client uses the first it supports, and gzip is the one it does.
fn request_compression(shape: &Shape, op_id: &str) -> Result<bool> {
    let Some(trait_value) = shape.traits.get("smithy.api#requestCompression") else {
        return Ok(false);
    };
    let encodings = trait_value
        .get("encodings")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            CodegenError::model(
                &shape.file,
                op_id,
                "@requestCompression needs an `encodings` list",
            )
        })?;
    Ok(encodings
        .iter()
        .filter_map(Value::as_str)
        .any(|e| e.eq_ignore_ascii_case("gzip")))
}

//! Serializes a loaded model back to a Smithy JSON AST document (prelude shapes left out): what
//! `cargo xtask model --to-json` prints, so users can see what the generator sees.

use serde_json::{json, Map, Value};

use super::shape::{Model, Shape, ShapeKind};

/// The model as a pretty-printed JSON AST document.
pub fn to_json_ast(model: &Model) -> String {
    let mut shapes = Map::new();
    for (id, shape) in &model.shapes {
        if shape.file.as_os_str().is_empty() && id.starts_with("smithy.api#") {
            continue;
        }
        shapes.insert(id.clone(), shape_json(shape));
    }
    let mut doc = Map::new();
    doc.insert("smithy".to_owned(), json!("2.0"));
    if !model.metadata.is_empty() {
        doc.insert("metadata".to_owned(), Value::Object(model.metadata.clone()));
    }
    doc.insert("shapes".to_owned(), Value::Object(shapes));
    serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default()
}

fn kind_name(kind: ShapeKind) -> &'static str {
    match kind {
        ShapeKind::Blob => "blob",
        ShapeKind::Boolean => "boolean",
        ShapeKind::String => "string",
        ShapeKind::Byte => "byte",
        ShapeKind::Short => "short",
        ShapeKind::Integer => "integer",
        ShapeKind::Long => "long",
        ShapeKind::Float => "float",
        ShapeKind::Double => "double",
        ShapeKind::BigInteger => "bigInteger",
        ShapeKind::BigDecimal => "bigDecimal",
        ShapeKind::Timestamp => "timestamp",
        ShapeKind::Document => "document",
        ShapeKind::Enum => "enum",
        ShapeKind::IntEnum => "intEnum",
        ShapeKind::List => "list",
        ShapeKind::Map => "map",
        ShapeKind::Structure => "structure",
        ShapeKind::Union => "union",
        ShapeKind::Service => "service",
        ShapeKind::Operation => "operation",
        ShapeKind::Resource => "resource",
    }
}

fn traits_json(traits: &super::Traits) -> Value {
    Value::Object(traits.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn member_json(target: &str, traits: &super::Traits) -> Value {
    let mut m = Map::new();
    m.insert("target".to_owned(), json!(target));
    if traits.iter().next().is_some() {
        m.insert("traits".to_owned(), traits_json(traits));
    }
    Value::Object(m)
}

fn targets(ids: &[String]) -> Value {
    Value::Array(ids.iter().map(|id| json!({ "target": id })).collect())
}

fn shape_json(shape: &Shape) -> Value {
    let mut out = Map::new();
    out.insert("type".to_owned(), json!(kind_name(shape.kind)));
    match shape.kind {
        ShapeKind::List | ShapeKind::Map => {
            for m in &shape.members {
                out.insert(m.name.clone(), member_json(&m.target, &m.traits));
            }
        }
        kind if kind.has_members() => {
            let members: Map<String, Value> = shape
                .members
                .iter()
                .map(|m| (m.name.clone(), member_json(&m.target, &m.traits)))
                .collect();
            out.insert("members".to_owned(), Value::Object(members));
        }
        _ => {}
    }
    if !shape.mixins.is_empty() {
        out.insert("mixins".to_owned(), targets(&shape.mixins));
    }
    if let Some(op) = &shape.operation {
        out.insert("input".to_owned(), json!({ "target": op.input }));
        out.insert("output".to_owned(), json!({ "target": op.output }));
        if !op.errors.is_empty() {
            out.insert("errors".to_owned(), targets(&op.errors));
        }
    }
    if let Some(svc) = &shape.service {
        if !svc.version.is_empty() {
            out.insert("version".to_owned(), json!(svc.version));
        }
        for (key, ids) in [
            ("operations", &svc.operations),
            ("resources", &svc.resources),
            ("errors", &svc.errors),
        ] {
            if !ids.is_empty() {
                out.insert(key.to_owned(), targets(ids));
            }
        }
        if !svc.rename.is_empty() {
            out.insert("rename".to_owned(), json!(svc.rename));
        }
    }
    if let Some(res) = &shape.resource {
        if !res.identifiers.is_empty() {
            let ids: Map<String, Value> = res
                .identifiers
                .iter()
                .map(|(k, v)| (k.clone(), json!({ "target": v })))
                .collect();
            out.insert("identifiers".to_owned(), Value::Object(ids));
        }
        if !res.operations.is_empty() {
            out.insert("operations".to_owned(), targets(&res.operations));
        }
        if !res.resources.is_empty() {
            out.insert("resources".to_owned(), targets(&res.resources));
        }
    }
    if shape.traits.iter().next().is_some() {
        out.insert("traits".to_owned(), traits_json(&shape.traits));
    }
    Value::Object(out)
}

//! Loads Smithy JSON AST documents (2.0, and 1.0 upgraded per the spec) into a [`Model`].

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::prelude;
use super::shape::{Member, Model, OperationShape, ResourceShape, ServiceShape, Shape, ShapeKind};
use super::traits::Traits;
use crate::error::{CodegenError, Result};

/// One JSON AST document and the file it came from.
#[derive(Debug, Clone)]
pub struct ModelDocument {
    /// The file, used in error messages.
    pub file: PathBuf,
    /// The parsed document.
    pub value: Value,
}

impl ModelDocument {
    /// Reads and parses a JSON AST file.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|err| CodegenError::io(path, err))?;
        let value = serde_json::from_str(&text).map_err(|source| CodegenError::Json {
            file: path.to_owned(),
            source,
        })?;
        Ok(ModelDocument {
            file: path.to_owned(),
            value,
        })
    }
}

/// Loads several documents as one model, with the prelude shapes added.
pub fn load_documents(documents: &[ModelDocument]) -> Result<Model> {
    let mut model = Model::default();
    for shape in prelude::shapes() {
        model.shapes.insert(shape.id.clone(), shape);
    }
    let mut applies = Vec::new();
    let mut v1_shapes = Vec::new();
    for doc in documents {
        let file = &doc.file;
        let root = doc
            .value
            .as_object()
            .ok_or_else(|| CodegenError::model(file, "", "the document is not a JSON object"))?;
        let version = match root.get("smithy") {
            Some(Value::String(v)) => v.as_str(),
            Some(_) => return Err(CodegenError::model(file, "", "`smithy` must be a string")),
            None => {
                return Err(CodegenError::model(
                    file,
                    "",
                    "missing the `smithy` version property (is this a Smithy JSON AST model?)",
                ))
            }
        };
        let is_v1 = match version {
            "1" | "1.0" => true,
            "2" | "2.0" => false,
            other => {
                return Err(CodegenError::model(
                    file,
                    "",
                    format!("unsupported Smithy version `{other}` (expected 1.0 or 2.0)"),
                ))
            }
        };
        if let Some(metadata) = root.get("metadata") {
            let metadata = metadata
                .as_object()
                .ok_or_else(|| CodegenError::model(file, "", "`metadata` must be an object"))?;
            merge_metadata(&mut model.metadata, metadata);
        }
        let Some(shapes) = root.get("shapes") else {
            continue;
        };
        let shapes = shapes
            .as_object()
            .ok_or_else(|| CodegenError::model(file, "", "`shapes` must be an object"))?;
        for (id, value) in shapes {
            check_shape_id(file, id)?;
            let obj = value
                .as_object()
                .ok_or_else(|| CodegenError::model(file, id, "a shape must be a JSON object"))?;
            let type_name = obj
                .get("type")
                .and_then(Value::as_str)
                .ok_or_else(|| CodegenError::model(file, id, "missing the shape `type`"))?;
            if type_name == "apply" {
                applies.push((
                    file.clone(),
                    id.clone(),
                    parse_traits(file, id, obj.get("traits"))?,
                ));
                continue;
            }
            let shape = parse_shape(file, id, type_name, obj, is_v1)?;
            if let Some(existing) = model.shapes.get(id) {
                if existing.file.as_os_str().is_empty() || *existing != shape {
                    return Err(CodegenError::model(
                        file,
                        id,
                        format!(
                            "shape is defined twice (also in {})",
                            if existing.file.as_os_str().is_empty() {
                                "the prelude".to_owned()
                            } else {
                                existing.file.display().to_string()
                            }
                        ),
                    ));
                }
            }
            if is_v1 {
                v1_shapes.push(id.clone());
            }
            model.shapes.insert(id.clone(), shape);
        }
    }
    for (file, id, traits) in applies {
        apply_traits(&mut model, &file, &id, &traits)?;
    }
    for id in v1_shapes {
        upgrade_v1_members(&mut model, &id);
    }
    Ok(model)
}

/// Metadata keys merge: arrays concatenate, equal values are kept, other conflicts keep the first.
fn merge_metadata(into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (key, value) in from {
        match (into.get_mut(key), value) {
            (Some(Value::Array(existing)), Value::Array(more)) => {
                existing.extend(more.iter().cloned())
            }
            (Some(_), _) => {}
            (None, _) => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

fn check_shape_id(file: &Path, id: &str) -> Result<()> {
    let valid = id.split_once('#').is_some_and(|(ns, name)| {
        !ns.is_empty()
            && !name.is_empty()
            && ns.split('.').all(is_identifier)
            && name.split('$').all(is_identifier)
    });
    if valid {
        Ok(())
    } else {
        Err(CodegenError::model(
            file,
            id,
            "not a valid absolute shape id (expected `namespace#Name`)",
        ))
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn parse_traits(file: &Path, id: &str, value: Option<&Value>) -> Result<Traits> {
    match value {
        None => Ok(Traits::default()),
        Some(Value::Object(map)) => Ok(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        Some(_) => Err(CodegenError::model(file, id, "`traits` must be an object")),
    }
}

fn target_of(file: &Path, id: &str, what: &str, value: &Value) -> Result<String> {
    value
        .get("target")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            CodegenError::model(
                file,
                id,
                format!("`{what}` must be an object with a `target`"),
            )
        })
}

fn targets(file: &Path, id: &str, what: &str, value: Option<&Value>) -> Result<Vec<String>> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items.iter().map(|v| target_of(file, id, what, v)).collect(),
        Some(_) => Err(CodegenError::model(
            file,
            id,
            format!("`{what}` must be an array"),
        )),
    }
}

fn optional_target(
    file: &Path,
    id: &str,
    what: &str,
    obj: &Map<String, Value>,
) -> Result<Option<String>> {
    obj.get(what)
        .map(|v| target_of(file, id, what, v))
        .transpose()
}

fn parse_member(file: &Path, id: &str, name: &str, value: &Value) -> Result<Member> {
    let member_id = format!("{id}${name}");
    Ok(Member {
        name: name.to_owned(),
        target: target_of(file, &member_id, "member", value)?,
        traits: parse_traits(file, &member_id, value.get("traits"))?,
    })
}

fn parse_shape(
    file: &Path,
    id: &str,
    type_name: &str,
    obj: &Map<String, Value>,
    is_v1: bool,
) -> Result<Shape> {
    let kind = ShapeKind::from_name(type_name).ok_or_else(|| {
        CodegenError::model(file, id, format!("unsupported shape type `{type_name}`"))
    })?;
    let mut shape = Shape::new(id, kind);
    shape.file = file.to_owned();
    shape.traits = parse_traits(file, id, obj.get("traits"))?;
    if type_name == "set" {
        shape.traits.insert("smithy.api#uniqueItems", json!({}));
    }
    shape.mixins = targets(file, id, "mixins", obj.get("mixins"))?;
    match kind {
        ShapeKind::List => {
            if let Some(member) = obj.get("member") {
                shape
                    .members
                    .push(parse_member(file, id, "member", member)?);
            } else if shape.mixins.is_empty() {
                return Err(CodegenError::model(file, id, "a list needs a `member`"));
            }
        }
        ShapeKind::Map => {
            for name in ["key", "value"] {
                if let Some(member) = obj.get(name) {
                    shape.members.push(parse_member(file, id, name, member)?);
                } else if shape.mixins.is_empty() {
                    return Err(CodegenError::model(
                        file,
                        id,
                        format!("a map needs a `{name}`"),
                    ));
                }
            }
        }
        ShapeKind::Structure | ShapeKind::Union | ShapeKind::Enum | ShapeKind::IntEnum => {
            if let Some(members) = obj.get("members") {
                let members = members
                    .as_object()
                    .ok_or_else(|| CodegenError::model(file, id, "`members` must be an object"))?;
                for (name, member) in members {
                    let mut member = if kind == ShapeKind::Enum || kind == ShapeKind::IntEnum {
                        let member_id = format!("{id}${name}");
                        Member {
                            name: name.clone(),
                            target: member
                                .get("target")
                                .and_then(Value::as_str)
                                .unwrap_or(prelude::UNIT)
                                .to_owned(),
                            traits: parse_traits(file, &member_id, member.get("traits"))?,
                        }
                    } else {
                        parse_member(file, id, name, member)?
                    };
                    if kind == ShapeKind::Enum && member.traits.enum_value().is_none() {
                        member.traits.insert("smithy.api#enumValue", json!(name));
                    }
                    shape.members.push(member);
                }
            }
        }
        ShapeKind::Operation => {
            shape.operation = Some(OperationShape {
                input: optional_target(file, id, "input", obj)?
                    .unwrap_or_else(|| prelude::UNIT.to_owned()),
                output: optional_target(file, id, "output", obj)?
                    .unwrap_or_else(|| prelude::UNIT.to_owned()),
                errors: targets(file, id, "errors", obj.get("errors"))?,
            });
        }
        ShapeKind::Service => {
            let mut rename = std::collections::BTreeMap::new();
            if let Some(map) = obj.get("rename").and_then(Value::as_object) {
                for (from, to) in map {
                    let to = to.as_str().ok_or_else(|| {
                        CodegenError::model(file, id, "`rename` values must be strings")
                    })?;
                    rename.insert(from.clone(), to.to_owned());
                }
            }
            shape.service = Some(ServiceShape {
                version: obj
                    .get("version")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                operations: targets(file, id, "operations", obj.get("operations"))?,
                resources: targets(file, id, "resources", obj.get("resources"))?,
                errors: targets(file, id, "errors", obj.get("errors"))?,
                rename,
            });
        }
        ShapeKind::Resource => {
            let mut identifiers = std::collections::BTreeMap::new();
            if let Some(map) = obj.get("identifiers").and_then(Value::as_object) {
                for (name, value) in map {
                    identifiers.insert(name.clone(), target_of(file, id, "identifiers", value)?);
                }
            }
            let mut operations = Vec::new();
            for lifecycle in ["create", "put", "read", "update", "delete", "list"] {
                operations.extend(optional_target(file, id, lifecycle, obj)?);
            }
            operations.extend(targets(file, id, "operations", obj.get("operations"))?);
            operations.extend(targets(
                file,
                id,
                "collectionOperations",
                obj.get("collectionOperations"),
            )?);
            shape.resource = Some(ResourceShape {
                identifiers,
                operations,
                resources: targets(file, id, "resources", obj.get("resources"))?,
            });
        }
        _ => {}
    }
    if is_v1 && kind == ShapeKind::Structure {
        // IDL 1.0 had no `@default`; member nullability is decided by `upgrade_v1_members`.
        shape.traits.insert("codegen#v1", json!(true));
    }
    Ok(shape)
}

/// Applies `traits` to the shape or member `id` (`ns#Shape` or `ns#Shape$member`).
fn apply_traits(model: &mut Model, file: &Path, id: &str, traits: &Traits) -> Result<()> {
    let (shape_id, member) = match id.split_once('$') {
        Some((shape, member)) => (shape, Some(member)),
        None => (id, None),
    };
    let shape = model.shapes.get_mut(shape_id).ok_or_else(|| {
        CodegenError::model(file, id, "`apply` targets a shape that does not exist")
    })?;
    match member {
        None => shape.traits.merge(traits, true),
        Some(name) => {
            let member = shape
                .members
                .iter_mut()
                .find(|m| m.name == name)
                .ok_or_else(|| {
                    CodegenError::model(file, id, "`apply` targets a member that does not exist")
                })?;
            member.traits.merge(traits, true);
        }
    }
    Ok(())
}

/// IDL 1.0: members targeting a non-boxed boolean or number shape are non-null with a zero
/// default, unless the member is `@box`.
fn upgrade_v1_members(model: &mut Model, id: &str) {
    let Some(shape) = model.shapes.get(id) else {
        return;
    };
    if shape.kind != ShapeKind::Structure {
        return;
    }
    let defaults: Vec<(usize, Value)> = shape
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.traits.has("box") && m.traits.default_value().is_none())
        .filter_map(|(i, m)| {
            let target = model.shapes.get(&m.target)?;
            let boxed = target.traits.has("box")
                || (target.id.starts_with("smithy.api#")
                    && !target.name().starts_with("Primitive"));
            if boxed {
                return None;
            }
            match target.kind {
                ShapeKind::Boolean => Some((i, json!(false))),
                ShapeKind::Byte
                | ShapeKind::Short
                | ShapeKind::Integer
                | ShapeKind::Long
                | ShapeKind::Float
                | ShapeKind::Double => Some((i, json!(0))),
                _ => None,
            }
        })
        .collect();
    if let Some(shape) = model.shapes.get_mut(id) {
        shape.traits.remove("codegen#v1");
        for (i, value) in defaults {
            shape.members[i].traits.insert("smithy.api#default", value);
        }
    }
}

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
    /// Reads and parses a JSON AST file. A key repeated in one object is an error (naming the
    /// key, the line and the column), never "the last one wins".
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|err| CodegenError::io(path, err))?;
        let value = parse_json(&text).map_err(|source| CodegenError::Json {
            file: path.to_owned(),
            source,
        })?;
        Ok(ModelDocument {
            file: path.to_owned(),
            value,
        })
    }
}

/// Parses JSON text into a value, rejecting objects that repeat a key.
pub fn parse_json(text: &str) -> std::result::Result<Value, serde_json::Error> {
    use serde::de::DeserializeSeed;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = UniqueKeys.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Deserializes a JSON value whose objects have unique keys.
#[derive(Clone, Copy)]
struct UniqueKeys;

impl<'de> serde::de::DeserializeSeed<'de> for UniqueKeys {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for UniqueKeys {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(UniqueKeys)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "the key `{key}` appears twice in one object"
                )));
            }
            let value = map.next_value_seed(UniqueKeys)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// The traits of the Smithy 2.0 prelude (`smithy.api`), by name.
const PRELUDE_TRAITS: &[&str] = &[
    "addedDefault",
    "auth",
    "authDefinition",
    "box",
    "clientOptional",
    "cors",
    "default",
    "deprecated",
    "documentation",
    "endpoint",
    "enum",
    "enumValue",
    "error",
    "eventHeader",
    "eventPayload",
    "examples",
    "externalDocumentation",
    "hostLabel",
    "http",
    "httpApiKeyAuth",
    "httpBasicAuth",
    "httpBearerAuth",
    "httpChecksumRequired",
    "httpDigestAuth",
    "httpError",
    "httpHeader",
    "httpLabel",
    "httpPayload",
    "httpPrefixHeaders",
    "httpQuery",
    "httpQueryParams",
    "httpResponseCode",
    "idRef",
    "idempotencyToken",
    "idempotent",
    "input",
    "internal",
    "jsonName",
    "length",
    "longPoll",
    "mediaType",
    "metadata",
    "mixin",
    "nestedProperties",
    "noReplace",
    "notProperty",
    "optionalAuth",
    "output",
    "paginated",
    "pattern",
    "private",
    "property",
    "protocolDefinition",
    "range",
    "readonly",
    "recommended",
    "references",
    "requestCompression",
    "required",
    "requiresLength",
    "resourceIdentifier",
    "retryable",
    "sensitive",
    "since",
    "sparse",
    "streaming",
    "suppress",
    "tags",
    "timestampFormat",
    "title",
    "trait",
    "traitValidators",
    "uniqueItems",
    "unitType",
    "unstable",
    "xmlAttribute",
    "xmlFlattened",
    "xmlName",
    "xmlNamespace",
];

/// A trait id in the `smithy.api` namespace that the prelude does not define is an error, with
/// the closest prelude trait as a suggestion (`smithy.api#requried` -> `smithy.api#required`).
fn check_prelude_trait(file: &Path, at: &str, id: &str) -> Result<()> {
    let Some(name) = id.strip_prefix("smithy.api#") else {
        return Ok(());
    };
    if PRELUDE_TRAITS.contains(&name) {
        return Ok(());
    }
    let closest = PRELUDE_TRAITS
        .iter()
        .map(|known| (strsim::damerau_levenshtein(name, known), *known))
        .min()
        .filter(|(distance, _)| *distance <= 3)
        .map(|(_, known)| format!("; did you mean `smithy.api#{known}`?"))
        .unwrap_or_default();
    Err(CodegenError::model(
        file,
        at,
        format!("unknown trait `{id}`: the Smithy prelude defines no such trait{closest}"),
    ))
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
        Some(Value::Object(map)) => {
            for key in map.keys() {
                check_prelude_trait(file, id, key)?;
            }
            Ok(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_is_an_error_with_its_line() {
        let err = parse_json("{\n  \"a\": 1,\n  \"a\": 2\n}")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("the key `a` appears twice in one object"),
            "{err}"
        );
        assert!(err.contains("line 3"), "{err}");
        assert_eq!(
            parse_json("{\"a\": [1, {\"b\": null}], \"c\": 1.5}").unwrap(),
            json!({"a": [1, {"b": null}], "c": 1.5})
        );
        assert!(parse_json("{} x").is_err(), "trailing text");
    }

    #[test]
    fn an_unknown_prelude_trait_suggests_the_closest() {
        let err = check_prelude_trait(Path::new("m.json"), "a#B$c", "smithy.api#requried")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "m.json: shape `a#B$c`: unknown trait `smithy.api#requried`: the Smithy prelude \
             defines no such trait; did you mean `smithy.api#required`?"
        );
        let err = check_prelude_trait(Path::new("m.json"), "a#B", "smithy.api#zzzzzzzzzz")
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("defines no such trait"), "{err}");
        check_prelude_trait(Path::new("m.json"), "a#B", "smithy.api#required").unwrap();
        check_prelude_trait(Path::new("m.json"), "a#B", "aws.api#service").unwrap();
    }

    #[test]
    fn the_prelude_trait_list_is_the_preludes() {
        // The prelude of the Smithy sources beside the repository (read, not copied).
        let prelude =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/smithy/traits/prelude.smithy");
        let text = std::fs::read_to_string(prelude).unwrap();
        // The first shape statement after each `@trait` is a trait definition.
        const TYPES: &[&str] = &[
            "structure",
            "string",
            "list",
            "map",
            "boolean",
            "document",
            "integer",
            "long",
            "union",
            "enum",
            "timestamp",
            "blob",
            "set",
            "intEnum",
        ];
        let mut defined = Vec::new();
        let mut after_trait = false;
        for line in text.lines().map(str::trim) {
            let mut words = line.split_whitespace();
            let (first, second) = (words.next(), words.next());
            if first.is_some_and(|w| w.starts_with("@trait")) {
                after_trait = true;
            } else if let (true, Some(kind), Some(name)) = (after_trait, first, second) {
                let name = name.trim_end_matches('{');
                if TYPES.contains(&kind) && name.chars().all(|c| c.is_ascii_alphanumeric()) {
                    defined.push(name.to_owned());
                    after_trait = false;
                }
            }
        }
        defined.sort();
        let mut ours: Vec<String> = PRELUDE_TRAITS.iter().map(|s| s.to_string()).collect();
        ours.sort();
        assert_eq!(ours, defined);
    }
}

//! Shapes, members and the model that holds them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::traits::Traits;

/// The type of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ShapeKind {
    /// `blob`
    Blob,
    /// `boolean`
    Boolean,
    /// `string`
    String,
    /// `byte`
    Byte,
    /// `short`
    Short,
    /// `integer`
    Integer,
    /// `long`
    Long,
    /// `float`
    Float,
    /// `double`
    Double,
    /// `bigInteger`
    BigInteger,
    /// `bigDecimal`
    BigDecimal,
    /// `timestamp`
    Timestamp,
    /// `document`
    Document,
    /// `enum`
    Enum,
    /// `intEnum`
    IntEnum,
    /// `list` (and IDL 1.0 `set`)
    List,
    /// `map`
    Map,
    /// `structure`
    Structure,
    /// `union`
    Union,
    /// `service`
    Service,
    /// `operation`
    Operation,
    /// `resource`
    Resource,
}

impl ShapeKind {
    /// Parses the `type` of a JSON AST shape (`set` is read as `list`).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "blob" => ShapeKind::Blob,
            "boolean" => ShapeKind::Boolean,
            "string" => ShapeKind::String,
            "byte" => ShapeKind::Byte,
            "short" => ShapeKind::Short,
            "integer" => ShapeKind::Integer,
            "long" => ShapeKind::Long,
            "float" => ShapeKind::Float,
            "double" => ShapeKind::Double,
            "bigInteger" => ShapeKind::BigInteger,
            "bigDecimal" => ShapeKind::BigDecimal,
            "timestamp" => ShapeKind::Timestamp,
            "document" => ShapeKind::Document,
            "enum" => ShapeKind::Enum,
            "intEnum" => ShapeKind::IntEnum,
            "list" | "set" => ShapeKind::List,
            "map" => ShapeKind::Map,
            "structure" => ShapeKind::Structure,
            "union" => ShapeKind::Union,
            "service" => ShapeKind::Service,
            "operation" => ShapeKind::Operation,
            "resource" => ShapeKind::Resource,
            _ => return None,
        })
    }

    /// Whether shapes of this kind have members.
    pub fn has_members(self) -> bool {
        matches!(
            self,
            ShapeKind::Enum
                | ShapeKind::IntEnum
                | ShapeKind::List
                | ShapeKind::Map
                | ShapeKind::Structure
                | ShapeKind::Union
        )
    }
}

/// A member of a structure, union, enum, list (`member`) or map (`key`, `value`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// The member name as written in the model.
    pub name: String,
    /// The absolute shape id of the target.
    pub target: String,
    /// The member's traits.
    pub traits: Traits,
}

/// The properties of an operation shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OperationShape {
    /// The input structure (`smithy.api#Unit` when absent).
    pub input: String,
    /// The output structure (`smithy.api#Unit` when absent).
    pub output: String,
    /// The errors the operation can return (service errors are added by the resolver).
    pub errors: Vec<String>,
}

/// The properties of a service shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ServiceShape {
    /// The service version.
    pub version: String,
    /// Operations bound directly to the service.
    pub operations: Vec<String>,
    /// Resources bound to the service.
    pub resources: Vec<String>,
    /// Errors every operation of the service can return.
    pub errors: Vec<String>,
    /// Shape renames (`rename`), shape id -> new name.
    pub rename: BTreeMap<String, String>,
}

/// The properties of a resource shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResourceShape {
    /// Identifier name -> target shape id.
    pub identifiers: BTreeMap<String, String>,
    /// Lifecycle and other operations bound to the resource, in a fixed order.
    pub operations: Vec<String>,
    /// Child resources.
    pub resources: Vec<String>,
}

/// A shape of the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shape {
    /// The absolute shape id, e.g. `com.example#Widget`.
    pub id: String,
    /// The shape's type.
    pub kind: ShapeKind,
    /// Members in model order (lists: `member`; maps: `key` then `value`).
    pub members: Vec<Member>,
    /// The shape's traits.
    pub traits: Traits,
    /// Mixins applied to the shape (flattened away by the resolver).
    pub mixins: Vec<String>,
    /// Operation properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<OperationShape>,
    /// Service properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceShape>,
    /// Resource properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceShape>,
    /// The file the shape was defined in (empty for prelude shapes).
    #[serde(skip)]
    pub file: PathBuf,
}

impl Shape {
    /// A shape with no members or traits.
    pub fn new(id: impl Into<String>, kind: ShapeKind) -> Self {
        Shape {
            id: id.into(),
            kind,
            members: Vec::new(),
            traits: Traits::default(),
            mixins: Vec::new(),
            operation: None,
            service: None,
            resource: None,
            file: PathBuf::new(),
        }
    }

    /// The shape's name without its namespace.
    pub fn name(&self) -> &str {
        shape_name(&self.id)
    }

    /// The member called `name`.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// The name part of an absolute shape id (`ns#Name` -> `Name`).
pub fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

/// A loaded model: every shape by absolute id, plus the metadata.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Shapes by absolute shape id.
    pub shapes: BTreeMap<String, Shape>,
    /// Merged model metadata.
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

impl Model {
    /// The shape with id `id`.
    pub fn shape(&self, id: &str) -> Option<&Shape> {
        self.shapes.get(id)
    }
}

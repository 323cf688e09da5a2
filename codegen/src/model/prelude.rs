//! The prelude shapes of `smithy.api` that models target: simple types, `Unit` and the
//! 1.0 primitive shapes with their default values.

use serde_json::{json, Value};

use super::shape::{Shape, ShapeKind};

/// Makes the default value of a `Primitive*` shape.
type DefaultValue = fn() -> Value;

/// The prelude's simple shapes as (name, kind, default value for the `Primitive*` shapes).
const PRELUDE: &[(&str, ShapeKind, Option<DefaultValue>)] = &[
    ("Blob", ShapeKind::Blob, None),
    ("Boolean", ShapeKind::Boolean, None),
    ("String", ShapeKind::String, None),
    ("Byte", ShapeKind::Byte, None),
    ("Short", ShapeKind::Short, None),
    ("Integer", ShapeKind::Integer, None),
    ("Long", ShapeKind::Long, None),
    ("Float", ShapeKind::Float, None),
    ("Double", ShapeKind::Double, None),
    ("BigInteger", ShapeKind::BigInteger, None),
    ("BigDecimal", ShapeKind::BigDecimal, None),
    ("Timestamp", ShapeKind::Timestamp, None),
    ("Document", ShapeKind::Document, None),
    (
        "PrimitiveBoolean",
        ShapeKind::Boolean,
        Some(|| json!(false)),
    ),
    ("PrimitiveByte", ShapeKind::Byte, Some(|| json!(0))),
    ("PrimitiveShort", ShapeKind::Short, Some(|| json!(0))),
    ("PrimitiveInteger", ShapeKind::Integer, Some(|| json!(0))),
    ("PrimitiveLong", ShapeKind::Long, Some(|| json!(0))),
    ("PrimitiveFloat", ShapeKind::Float, Some(|| json!(0))),
    ("PrimitiveDouble", ShapeKind::Double, Some(|| json!(0))),
];

/// The id of the prelude's `Unit` shape.
pub const UNIT: &str = "smithy.api#Unit";

/// Every prelude shape a model may target.
pub fn shapes() -> Vec<Shape> {
    let mut shapes: Vec<Shape> = PRELUDE
        .iter()
        .map(|(name, kind, default)| {
            let mut shape = Shape::new(format!("smithy.api#{name}"), *kind);
            if let Some(default) = default {
                shape.traits.insert("smithy.api#default", default());
            }
            shape
        })
        .collect();
    let mut unit = Shape::new(UNIT, ShapeKind::Structure);
    unit.traits.insert("smithy.api#unitType", json!({}));
    shapes.push(unit);
    shapes
}

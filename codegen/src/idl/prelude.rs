//! Names of the shapes in the Smithy prelude (`smithy.api`), used to resolve relative shape ids.
//!
//! Only the names are needed: prelude shapes are never part of the loaded document.

/// Shape names defined in the `smithy.api` namespace (Smithy IDL 2.0 prelude).
const PRELUDE_SHAPES: &[&str] = &[
    // Simple types.
    "String",
    "Blob",
    "BigInteger",
    "BigDecimal",
    "Timestamp",
    "Document",
    "Boolean",
    "PrimitiveBoolean",
    "Byte",
    "PrimitiveByte",
    "Short",
    "PrimitiveShort",
    "Integer",
    "PrimitiveInteger",
    "Long",
    "PrimitiveLong",
    "Float",
    "PrimitiveFloat",
    "Double",
    "PrimitiveDouble",
    "Unit",
    // Trait definitions and the shapes they use.
    "trait",
    "TraitShapeIdList",
    "TraitShapeId",
    "TraitDiffRule",
    "TraitDiffRules",
    "TraitChangeType",
    "traitValidators",
    "TraitValidator",
    "mixin",
    "LocalMixinTraitList",
    "LocalMixinTrait",
    "deprecated",
    "documentation",
    "externalDocumentation",
    "idRef",
    "internal",
    "private",
    "protocolDefinition",
    "authDefinition",
    "sensitive",
    "since",
    "tags",
    "NonEmptyStringList",
    "title",
    "unstable",
    "unitType",
    "enum",
    "EnumDefinition",
    "EnumConstantBodyName",
    "enumValue",
    "error",
    "retryable",
    "readonly",
    "idempotent",
    "idempotencyToken",
    "references",
    "Reference",
    "NonEmptyString",
    "resourceIdentifier",
    "required",
    "default",
    "clientOptional",
    "addedDefault",
    "input",
    "output",
    "box",
    "paginated",
    "httpError",
    "http",
    "httpLabel",
    "httpQuery",
    "httpQueryParams",
    "httpHeader",
    "httpPrefixHeaders",
    "httpPayload",
    "httpResponseCode",
    "cors",
    "httpChecksumRequired",
    "jsonName",
    "xmlAttribute",
    "xmlFlattened",
    "xmlName",
    "xmlNamespace",
    "timestampFormat",
    "length",
    "range",
    "pattern",
    "uniqueItems",
    "streaming",
    "requiresLength",
    "eventHeader",
    "eventPayload",
    "endpoint",
    "hostLabel",
    "auth",
    "AuthTraitReference",
    "optionalAuth",
    "httpBasicAuth",
    "httpDigestAuth",
    "httpBearerAuth",
    "httpApiKeyAuth",
    "examples",
    "Example",
    "ExampleError",
    "suppress",
    "requestCompression",
    "noReplace",
    "recommended",
    "property",
    "notProperty",
    "nestedProperties",
    "mediaType",
    "sparse",
    "Severity",
    "StructurallyExclusive",
    "metadata",
    "ShapeClosures",
    "ShapeClosure",
    "ClosureId",
    "Namespaces",
    "Renames",
    "CommonMark",
    "Identifier",
    "HttpApiKeyLocations",
    "IdempotentErrors",
    "NonEmptyStringMap",
    "longPoll",
    "RequestCompressionEncodingsList",
];

/// Prelude trait shapes that are lists: their annotation form (`@tags`) means an empty list.
const PRELUDE_LIST_TRAITS: &[&str] =
    &["auth", "examples", "references", "tags", "enum", "suppress"];

/// True when `id` is a prelude trait whose shape is a list.
pub(crate) fn is_prelude_list_trait(id: &str) -> bool {
    id.strip_prefix("smithy.api#")
        .is_some_and(|name| PRELUDE_LIST_TRAITS.contains(&name))
}

/// True when `name` is a shape of the prelude namespace `smithy.api`.
pub(crate) fn is_prelude_shape(name: &str) -> bool {
    PRELUDE_SHAPES.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shape defined in the reference prelude must be known by name.
    #[test]
    fn knows_every_shape_of_the_reference_prelude() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/smithy/traits/prelude.smithy"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let files = [crate::idl::SourceFile {
            name: "prelude.smithy".to_string(),
            text,
        }];
        let doc = crate::idl::load(&files).unwrap();
        let shapes = doc["shapes"].as_object().unwrap();
        let missing: Vec<&str> = shapes
            .keys()
            .filter_map(|id| id.strip_prefix("smithy.api#"))
            .filter(|name| !name.contains('$') && !is_prelude_shape(name))
            .collect();
        assert!(
            missing.is_empty(),
            "prelude shapes missing from the list: {missing:?}"
        );
        let unknown: Vec<&&str> = PRELUDE_SHAPES
            .iter()
            .filter(|name| !shapes.contains_key(&format!("smithy.api#{name}")))
            .collect();
        assert!(
            unknown.is_empty(),
            "listed names that are not prelude shapes: {unknown:?}"
        );
        assert!(shapes.contains_key("smithy.api#String"));
        for name in PRELUDE_LIST_TRAITS {
            let shape = &shapes[&format!("smithy.api#{name}")];
            assert_eq!(shape["type"], "list", "{name}");
            assert!(shape["traits"].get("smithy.api#trait").is_some(), "{name}");
        }
    }
}

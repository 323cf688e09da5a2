//! The project's own small test models (`model/test-models/`): loader unit tests, naming, and
//! insta snapshots of the IR and of a few emitted files.
//!
//! Snapshots live in `codegen/tests/snapshots/`; after a deliberate change, review the new ones
//! with `cargo insta review` (or `INSTA_UPDATE=always` and `git diff`).

use std::path::{Path, PathBuf};

use codegen::error::CodegenError;
use codegen::ir::{self, Binding, RustType, ServiceIr, StructIr};
use codegen::model::{Model, ShapeKind};

const OBSTACLE: &str = "com.example.obstacle#ObstacleCourse";
const LEGACY: &str = "com.example.legacy#Legacy";

fn model_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../model/test-models")
        .join(name)
}

fn load(name: &str) -> Model {
    codegen::load_model(&[model_path(name)]).unwrap()
}

fn lower(name: &str, service: &str, crate_name: &str) -> ServiceIr {
    let graph = codegen::shapes::resolve(load(name), service).unwrap();
    ir::lower(&graph, &ir::LowerInputs::new(crate_name, "0.1.0")).unwrap()
}

fn obstacle_ir() -> ServiceIr {
    lower("obstacle-course.json", OBSTACLE, "obstacle_course")
}

/// Renders the crate of a test model in memory (formatted, with headers), as `cargo xtask codegen`
/// does.
fn render(name: &str, service: &str, crate_name: &str) -> Vec<codegen::writer::RenderedFile> {
    render_with(
        name,
        service,
        crate_name,
        codegen::manifest::RuntimeMode::Crate,
    )
}

/// [`render`], getting the runtime as `runtime` says.
fn render_with(
    name: &str,
    service: &str,
    crate_name: &str,
    runtime: codegen::manifest::RuntimeMode,
) -> Vec<codegen::writer::RenderedFile> {
    let spec = codegen::manifest::ServiceSpec {
        crate_name: crate_name.into(),
        crate_version: "0.1.0".into(),
        service: service.into(),
        models: vec![model_path(name)],
        out: "unused".into(),
        partitions: None,
        test_partitions: None,
        examples: None,
        changelog: None,
        runtime,
        endpoint_expectations: Vec::new(),
        strict: false,
    };
    codegen::prepare(&spec).unwrap().into_files()
}

fn file_text<'a>(files: &'a [codegen::writer::RenderedFile], path: &str) -> &'a str {
    let file = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} was not generated"));
    std::str::from_utf8(&file.bytes).unwrap()
}

fn structure<'a>(ir: &'a ServiceIr, name: &str) -> &'a StructIr {
    ir.structures
        .iter()
        .chain(&ir.errors)
        .chain(ir.operations.iter().flat_map(|op| [&op.input, &op.output]))
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no structure {name}"))
}

fn member<'a>(s: &'a StructIr, wire_name: &str) -> &'a ir::MemberIr {
    s.members
        .iter()
        .find(|m| m.wire_name == wire_name)
        .unwrap_or_else(|| panic!("{} has no member {wire_name}", s.name))
}

// ---------------------------------------------------------------------------------------------
// Loader

#[test]
fn loader_parses_every_shape_type() {
    let model = load("obstacle-course.json");
    let kind = |id: &str| model.shape(id).unwrap_or_else(|| panic!("{id}")).kind;
    let ns = |name: &str| format!("com.example.obstacle#{name}");
    assert_eq!(kind(&ns("ObstacleCourse")), ShapeKind::Service);
    assert_eq!(kind(&ns("Widget")), ShapeKind::Resource);
    assert_eq!(kind(&ns("Send")), ShapeKind::Operation);
    assert_eq!(kind(&ns("Everything")), ShapeKind::Structure);
    assert_eq!(kind(&ns("Option")), ShapeKind::Union);
    assert_eq!(kind(&ns("Box")), ShapeKind::Enum);
    assert_eq!(kind(&ns("Priority")), ShapeKind::IntEnum);
    assert_eq!(kind(&ns("Vec")), ShapeKind::List);
    assert_eq!(kind(&ns("TagMap")), ShapeKind::Map);
    assert_eq!(kind(&ns("WidgetId")), ShapeKind::String);
    // Every simple type, through the members of `Everything` that target the prelude.
    let everything = model.shape(&ns("Everything")).unwrap();
    let target_kind = |member: &str| kind(&everything.member(member).unwrap().target);
    for (member, expected) in [
        ("Blob", ShapeKind::Blob),
        ("Boolean", ShapeKind::Boolean),
        ("String", ShapeKind::String),
        ("Byte", ShapeKind::Byte),
        ("Short", ShapeKind::Short),
        ("Integer", ShapeKind::Integer),
        ("Long", ShapeKind::Long),
        ("Float", ShapeKind::Float),
        ("Double", ShapeKind::Double),
        ("BigInteger", ShapeKind::BigInteger),
        ("BigDecimal", ShapeKind::BigDecimal),
        ("Timestamp", ShapeKind::Timestamp),
        ("Document", ShapeKind::Document),
        ("SparseList", ShapeKind::List),
        ("SparseMap", ShapeKind::Map),
    ] {
        assert_eq!(target_kind(member), expected, "{member}");
    }
    assert!(model.shape(&ns("SparseStrings")).unwrap().traits.sparse());
    assert!(model.shape(&ns("SparseIntegers")).unwrap().traits.sparse());
    let map = model.shape(&ns("TagMap")).unwrap();
    let names: Vec<&str> = map.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["key", "value"]);
    // Enum members get their value; resources keep lifecycle and child bindings.
    let boxed = model.shape(&ns("Box")).unwrap();
    assert_eq!(
        boxed.member("Self").unwrap().traits.enum_value(),
        Some(&serde_json::json!("self"))
    );
    let widget = model
        .shape(&ns("Widget"))
        .unwrap()
        .resource
        .as_ref()
        .unwrap();
    assert_eq!(widget.operations, [ns("CreateWidget"), ns("GetWidget")]);
    assert_eq!(widget.resources, [ns("Gadget")]);
}

#[test]
fn apply_adds_traits_to_members() {
    let model = load("obstacle-course.json");
    let summary = model.shape("com.example.obstacle#GadgetSummary").unwrap();
    assert_eq!(
        summary.member("GadgetId").unwrap().traits.documentation(),
        Some("Documentation added with `apply`.")
    );
    // `apply` keeps the member's own traits.
    assert!(summary.member("GadgetId").unwrap().traits.required());
    // `apply` entries are not shapes.
    assert!(model
        .shape("com.example.obstacle#GadgetSummary$GadgetId")
        .is_none());
}

#[test]
fn mixins_are_flattened_and_unknown_traits_kept() {
    let model = load("obstacle-course.json");
    // Before resolution the mixin is only referenced.
    let raw = model
        .shape("com.example.obstacle#CreateWidgetInput")
        .unwrap();
    assert_eq!(raw.mixins, ["com.example.obstacle#WidgetFields"]);
    let unknown = "com.example.custom#neverHeardOfIt";
    let graph = codegen::shapes::resolve(model, OBSTACLE).unwrap();
    let input = graph
        .model
        .shape("com.example.obstacle#CreateWidgetInput")
        .unwrap();
    assert!(input.mixins.is_empty());
    let names: Vec<&str> = input.members.iter().map(|m| m.name.as_str()).collect();
    // Mixin members first, then the shape's own.
    assert_eq!(names, ["Name", "Tags", "SetName", "ClientToken"]);
    assert!(input.member("Name").unwrap().traits.required());
    // The mixin's traits (except @mixin) are copied, unknown ones included.
    assert_eq!(
        input.traits.documentation(),
        Some("Fields every widget has.")
    );
    assert!(input.traits.has(unknown));
    assert!(!input.traits.has("mixin"));
    // The mixin itself is not part of the service closure.
    assert!(!graph.shapes.contains("com.example.obstacle#WidgetFields"));
}

#[test]
fn idl_1_0_models_are_upgraded() {
    let model = load("legacy-v1.json");
    let result = model.shape("com.example.legacy#Result").unwrap();
    let default = |m: &str| result.member(m).unwrap().traits.default_value().cloned();
    // Primitive prelude shapes and non-boxed user shapes get a zero default.
    assert_eq!(default("Size"), Some(serde_json::json!(0)));
    assert_eq!(default("Flag"), Some(serde_json::json!(false)));
    // Boxed prelude shapes, @box targets and @box members stay nullable.
    assert_eq!(default("BoxedCount"), None);
    assert_eq!(default("MaybeSize"), None);
    assert_eq!(default("ExplicitBox"), None);
    assert_eq!(default("MaybeFlag"), None);
    assert_eq!(default("Name"), None);
    // A `set` is a list with unique items.
    let set = model.shape("com.example.legacy#NameSet").unwrap();
    assert_eq!(set.kind, ShapeKind::List);
    assert!(set.traits.has("uniqueItems"));
    // The loader's internal marker does not survive.
    assert!(!result.traits.has("codegen#v1"));

    let ir = lower("legacy-v1.json", LEGACY, "legacy");
    let result = structure(&ir, "ResultValue");
    assert!(!member(result, "PrimitiveCount").optional);
    assert!(!member(result, "Size").optional);
    assert!(!member(result, "Ratio").optional);
    assert!(member(result, "BoxedCount").optional);
    assert!(member(result, "ExplicitBox").optional);
    let color = ir.enums.iter().find(|e| e.name == "Color").unwrap();
    let variants: Vec<&str> = color.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(variants, ["Red", "DarkBlue"]);
}

#[test]
fn bad_blob_default_is_a_model_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    let text = std::fs::read_to_string(model_path("obstacle-course.json"))
        .unwrap()
        .replace("\"aGVsbG8=\"", "\"not base64!\"");
    std::fs::write(&path, text).unwrap();
    let graph = codegen::shapes::resolve(codegen::load_model(&[path]).unwrap(), OBSTACLE).unwrap();
    let err = ir::lower(&graph, &ir::LowerInputs::new("x", "0.1.0")).unwrap_err();
    assert!(matches!(err, CodegenError::Model { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("com.example.obstacle#Everything"),
        "{message}"
    );
    assert!(message.contains("DefaultBlob"), "{message}");
}

/// Lowers the obstacle course with one text replacement applied to its JSON.
fn lower_edited(from: &str, to: &str) -> Result<ServiceIr, CodegenError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.json");
    let original = std::fs::read_to_string(model_path("obstacle-course.json")).unwrap();
    assert!(
        original.contains(from),
        "the test edit does not apply: {from}"
    );
    std::fs::write(&path, original.replacen(from, to, 1)).unwrap();
    let graph = codegen::shapes::resolve(codegen::load_model(&[path]).unwrap(), OBSTACLE).unwrap();
    ir::lower(&graph, &ir::LowerInputs::new("x", "0.1.0"))
}

#[test]
fn uri_patterns_are_parsed_and_bound_to_label_members() {
    let ir = obstacle_ir();
    let op = ir
        .operations
        .iter()
        .find(|o| o.wire_name == "DeleteGadget")
        .unwrap();
    assert_eq!(op.uri.to_string(), "/widgets/{WidgetId}/gadgets/{GadgetId}");
    let bound: Vec<(&str, &str)> = op
        .uri
        .labels()
        .map(|l| {
            (
                l.name.as_str(),
                op.input.members[l.member].wire_name.as_str(),
            )
        })
        .collect();
    assert_eq!(bound, [("WidgetId", "WidgetId"), ("GadgetId", "GadgetId")]);

    // A greedy label makes its member's binding greedy.
    let ir = lower_edited("\"/uploads/{Key}\"", "\"/uploads/{Key+}\"").unwrap();
    let upload = ir
        .operations
        .iter()
        .find(|o| o.wire_name == "Upload")
        .unwrap();
    assert_eq!(
        member(&upload.input, "Key").binding,
        ir::Binding::Label { greedy: true }
    );
}

#[test]
fn bad_uri_patterns_are_model_errors_naming_the_operation() {
    let gadget = "\"/widgets/{WidgetId}/gadgets/{GadgetId}\"";
    let cases = [
        (
            "\"/widgets/{WidgetId}/gadgets/{Gadget}\"",
            "label `{Gadget}`: names no member of the input structure `DeleteGadgetInput`",
        ),
        (
            "\"/widgets/{WidgetId+}/gadgets/{GadgetId}\"",
            "greedy label `{WidgetId+}` must be the last label, but `{GadgetId}` follows it",
        ),
        (
            "\"/widgets/{WidgetId}/gadgets/{WidgetId}\"",
            "label `{WidgetId}` appears more than once",
        ),
        (
            "\"/widgets/{WidgetId}/gadgets/{GadgetId}/a b\"",
            "character ' ' is not allowed in a URI",
        ),
        (
            "\"/widgets/{WidgetId}/gadgets\"",
            "input member `GadgetId` is marked @httpLabel but the pattern has no label `{GadgetId}`",
        ),
    ];
    for (uri, expected) in cases {
        let err = lower_edited(gadget, uri).unwrap_err();
        assert!(matches!(err, CodegenError::Model { .. }), "{err}");
        let message = err.to_string();
        assert!(
            message.contains("shape `com.example.obstacle#DeleteGadget`"),
            "{message}"
        );
        assert!(message.contains(&format!("@http uri {uri}")), "{message}");
        assert!(message.contains(expected), "{uri}: {message}");
    }
    // A label naming a member that is not marked @httpLabel.
    let err = lower_edited("\"/result/{Id}\"", "\"/result/{Id}/{Option}\"").unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("shape `com.example.obstacle#Result`"),
        "{message}"
    );
    assert!(
        message.contains("label `{Option}`: input member `Option` is not marked @httpLabel"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------------
// Resolution and naming in the IR

#[test]
fn operations_are_reached_through_nested_resources() {
    let ir = obstacle_ir();
    let ops: Vec<&str> = ir.operations.iter().map(|o| o.wire_name.as_str()).collect();
    assert_eq!(
        ops,
        [
            "Clone",
            "Config",
            "CreateWidget",
            "DeleteGadget",
            "GetWidget",
            "ListGadgets",
            "New",
            "PutEverything",
            "Recurse",
            "Result",
            "Send",
            "ShareSecrets",
            "Upload"
        ]
    );
    // Service errors are added to every operation, after its own.
    let get = ir
        .operations
        .iter()
        .find(|o| o.wire_name == "GetWidget")
        .unwrap();
    let errors: Vec<&str> = get.errors.iter().map(|e| e.variant.as_str()).collect();
    assert_eq!(errors, ["NotFound", "ErrorValue"]);
}

#[test]
fn names_do_not_shadow_the_prelude_or_generated_methods() {
    let ir = obstacle_ir();
    let send = ir
        .operations
        .iter()
        .find(|o| o.wire_name == "Send")
        .unwrap();
    assert_eq!(send.module, "send");
    // The operation type would shadow the `Send` trait in its module, so it is escaped; the
    // names derived from it keep the operation's own name.
    assert_eq!(send.name, "SendValue");
    assert_eq!(send.prefix, "Send");
    assert_eq!(send.input.name, "SendInput");
    assert_eq!(send.output.name, "SendOutput");
    let fields: Vec<&str> = send
        .input
        .members
        .iter()
        .map(|m| m.field.as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "r#type",
            "self_",
            "crate_",
            "build_value",
            "send_value",
            "builder_value",
            "meta_value",
            "arns",
            "ipv4_address",
            "str",
            "opt",
            "boxed",
            "items",
            "tag",
            // Named like the methods synthesized for `Tag`.
            "set_tag_value",
            "get_tag_value",
        ]
    );
    let result = ir
        .operations
        .iter()
        .find(|o| o.wire_name == "Result")
        .unwrap();
    assert_eq!(result.module, "result");
    assert_eq!(result.name, "ResultValue");
    assert_eq!(result.input.name, "ResultInput");
    let type_names: Vec<&str> = ir
        .structures
        .iter()
        .map(|s| s.name.as_str())
        .chain(ir.unions.iter().map(|u| u.name.as_str()))
        .chain(ir.enums.iter().map(|e| e.name.as_str()))
        .collect();
    for name in ["StringValue", "OptionValue", "BoxValue"] {
        assert!(type_names.contains(&name), "{name} in {type_names:?}");
    }
    for name in ["String", "Option", "Box", "Vec", "Result"] {
        assert!(!type_names.contains(&name), "{name} shadows the prelude");
    }
    assert_eq!(
        ir.errors
            .iter()
            .find(|e| e.wire_name == "Error")
            .unwrap()
            .name,
        "ErrorValue"
    );
    let boxed = ir.enums.iter().find(|e| e.name == "BoxValue").unwrap();
    let variants: Vec<&str> = boxed.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(variants, ["Small", "SelfValue", "UnknownValue", "Type"]);
    // `Str` targets the structure `String`, not the prelude string.
    let str_member = member(&send.input, "Str");
    assert!(
        matches!(&str_member.ty, RustType::Named { path, .. } if path == "crate::types::StringValue")
    );

    // Operations named like a method the clients already have take an `_operation` suffix
    // (module and method); their type names keep the operation's name.
    let method = |wire: &str| {
        let op = ir.operations.iter().find(|o| o.wire_name == wire).unwrap();
        (op.module.as_str(), op.input.name.as_str())
    };
    assert_eq!(method("Config"), ("config_operation", "ConfigInput"));
    assert_eq!(method("New"), ("new_operation", "NewInput"));
    assert_eq!(method("Clone"), ("clone_operation", "CloneInput"));
    // Shapes named like types the generator synthesizes (a builder, an operation's input, error
    // enum, paginator and fluent builder, the endpoint parameters) keep their names: the
    // synthesized ones live in other modules.
    for name in [
        "NodeBuilder",
        "ResultInput",
        "ResultError",
        "ListGadgetsPaginator",
        "SendFluentBuilder",
        "Params",
    ] {
        let s = structure(&ir, name);
        assert_eq!(s.module, "crate::types", "{name}");
    }
    // The catch-all error variant `Unhandled` is taken: an error shape of that name is
    // `UnhandledValue`.
    let config = ir
        .operations
        .iter()
        .find(|o| o.wire_name == "Config")
        .unwrap();
    let errors: Vec<&str> = config.errors.iter().map(|e| e.variant.as_str()).collect();
    assert_eq!(errors, ["UnhandledValue", "ErrorValue"]);
    // A union member named `Unknown` is not the catch-all variant, nor are its methods.
    let option = ir.unions.iter().find(|u| u.name == "OptionValue").unwrap();
    let unknown = option
        .variants
        .iter()
        .find(|v| v.member.wire_name == "Unknown")
        .unwrap();
    assert_eq!(
        (unknown.name.as_str(), unknown.member.field.as_str()),
        ("UnknownValue", "unknown_value")
    );
}

#[test]
fn union_members_that_would_share_a_variant_are_an_error_naming_both() {
    let err = lower_edited(
        "\"Unknown\": {",
        "\"UnknownValue\": { \"target\": \"smithy.api#Integer\" },\n\"Unknown\": {",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("com.example.obstacle#Option")
            && err.contains(
                "members `UnknownValue` and `Unknown` both map to the Rust variant `UnknownValue`"
            ),
        "{err}"
    );
}

#[test]
fn recursion_is_boxed_once_per_cycle() {
    let ir = obstacle_ir();
    let node = structure(&ir, "Node");
    let boxed: Vec<&str> = node
        .members
        .iter()
        .filter(|m| m.boxed)
        .map(|m| m.wire_name.as_str())
        .collect();
    // Direct self reference and the cycle through the union; lists and maps already allocate.
    assert_eq!(boxed, ["Child", "Choice"]);
    let choice = ir.unions.iter().find(|u| u.name == "NodeChoice").unwrap();
    assert!(choice.variants.iter().all(|v| !v.member.boxed));
}

#[test]
fn sensitivity_is_found_at_every_depth() {
    let ir = obstacle_ir();
    let secrets = structure(&ir, "Secrets");
    let sensitive = |m: &str| member(secrets, m).info.sensitive;
    assert!(!sensitive("Plain"));
    assert!(sensitive("Password"), "@sensitive member");
    assert!(sensitive("Token"), "@sensitive target");
    assert!(sensitive("Keys"), "list of sensitive strings");
    assert!(sensitive("Values"), "map with sensitive values");
    assert!(sensitive("Grid"), "list of lists of sensitive strings");
    assert!(sensitive("Whole"), "@sensitive structure");
    assert!(sensitive("Level"), "@sensitive enum");
    // A structure holding a sensitive member is not itself sensitive: its Debug redacts inside.
    assert!(!sensitive("Nested"));
    assert!(member(structure(&ir, "Inner"), "Pin").info.sensitive);
    assert!(structure(&ir, "Credentials").sensitive);
    let choice = ir.unions.iter().find(|u| u.name == "SecretChoice").unwrap();
    assert!(choice.variants.iter().any(|v| v.member.info.sensitive));
    assert!(
        member(structure(&ir, "ListGadgetsOutput"), "NextToken")
            .info
            .sensitive
    );
}

#[test]
fn defaults_make_members_non_optional() {
    let ir = obstacle_ir();
    let everything = ir
        .operations
        .iter()
        .find(|o| o.wire_name == "PutEverything")
        .unwrap();
    let out = &everything.output;
    for name in [
        "DefaultString",
        "DefaultInteger",
        "DefaultList",
        "PrimitiveLong",
    ] {
        assert!(!member(out, name).optional, "{name}");
    }
    assert!(member(out, "Integer").optional);
    assert!(!member(out, "RequiredString").optional);
    // Inputs are always optional in Rust (validated before sending).
    assert!(member(&everything.input, "RequiredString").optional);
}

#[test]
fn streaming_blobs_are_byte_streams_that_are_always_there() {
    let ir = obstacle_ir();
    assert!(ir.has_streaming_blobs());
    let body = member(structure(&ir, "UploadInput"), "Body");
    assert_eq!(body.ty, RustType::ByteStream);
    assert_eq!(body.binding, ir::Binding::Payload);
    // Inputs are optional everywhere else; a body is empty, not absent.
    assert!(!body.optional);
    assert_eq!(body.default, Some(serde_json::json!("")));
    let stored = member(structure(&ir, "UploadOutput"), "Stored");
    assert_eq!(stored.ty, RustType::ByteStream);
    assert!(!stored.optional && stored.required && stored.default.is_none());
    assert_eq!(stored.info.media_type.as_deref(), Some("text/plain"));
    assert!(!lower("legacy-v1.json", LEGACY, "legacy").has_streaming_blobs());
}

#[test]
fn a_streaming_blob_outside_a_payload_is_not_supported() {
    let original: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(model_path("obstacle-course.json")).unwrap())
            .unwrap();
    let cases = [
        // A body member of an input.
        (
            "com.example.obstacle#UploadInput",
            "Extra",
            serde_json::json!({}),
        ),
        // A member of a shared structure.
        (
            "com.example.obstacle#Everything",
            "Extra",
            serde_json::json!({}),
        ),
        // An output header.
        (
            "com.example.obstacle#UploadOutput",
            "Extra",
            serde_json::json!({ "smithy.api#httpHeader": "X-Extra" }),
        ),
    ];
    for (owner, name, traits) in cases {
        let mut model = original.clone();
        model["shapes"][owner]["members"][name] = serde_json::json!({
            "target": "com.example.obstacle#UploadBody",
            "traits": traits,
        });
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("streaming.json");
        std::fs::write(&path, model.to_string()).unwrap();
        let graph =
            codegen::shapes::resolve(codegen::load_model(&[path]).unwrap(), OBSTACLE).unwrap();
        // All or nothing: an error naming the member.
        let strict = ir::LowerInputs {
            strict: true,
            ..ir::LowerInputs::new("x", "0.1.0")
        };
        let err = ir::lower(&graph, &strict).unwrap_err();
        assert!(matches!(err, CodegenError::Unsupported { .. }), "{err}");
        let message = err.to_string();
        assert!(message.contains(&format!("{owner}${name}")), "{message}");
        assert!(message.contains("@streaming blob"), "{message}");
        // By default the operation is left out, with the same reason.
        let ir = ir::lower(&graph, &ir::LowerInputs::new("x", "0.1.0")).unwrap();
        let left_out = &ir.left_out[0];
        assert!(left_out.reason.contains("@streaming blob"), "{left_out:?}");
        assert!(
            left_out.reason.contains(&format!("{owner}${name}")),
            "{left_out:?}"
        );
    }
}

#[test]
fn streaming_blobs_are_sent_and_received_raw() {
    let files = render("obstacle-course.json", OBSTACLE, "obstacle_course");
    let primitives = file_text(&files, "src/primitives.rs");
    assert!(
        primitives.contains("pub use crate::rt::{AggregatedBytes, ByteStream, ByteStreamError};"),
        "{primitives}"
    );
    let input = file_text(&files, "src/operation/upload/input.rs");
    assert!(
        input.contains("pub body: crate::primitives::ByteStream,"),
        "{input}"
    );
    let output = file_text(&files, "src/operation/upload/output.rs");
    assert!(
        output.contains("pub stored: crate::primitives::ByteStream,"),
        "{output}"
    );
    assert!(
        output.contains("pub fn stored(&self) -> &crate::primitives::ByteStream"),
        "{output}"
    );
    let builders = file_text(&files, "src/operation/upload/builders.rs");
    assert!(
        builders.contains("pub fn body(mut self, input: crate::primitives::ByteStream) -> Self"),
        "{builders}"
    );
    // The crate turns on the runtime's capability; a crate without streaming blobs does not.
    let runtime_line = |files: &[codegen::writer::RenderedFile]| {
        file_text(files, "Cargo.toml")
            .lines()
            .find(|l| l.starts_with("smithy-rust-runtime = "))
            .unwrap()
            .to_owned()
    };
    assert!(
        runtime_line(&files).contains("features = [\"byte-stream\"]"),
        "{}",
        runtime_line(&files)
    );
    let legacy = render("legacy-v1.json", LEGACY, "legacy");
    assert!(!runtime_line(&legacy).contains("features = ["));
    assert!(!file_text(&legacy, "src/primitives.rs").contains("ByteStream"));

    // Vendored: the capability module is copied, ungated; a crate without streaming blobs gets
    // neither the module nor a mention of it.
    let vendored = codegen::manifest::RuntimeMode::Vendored;
    let files = render_with(
        "obstacle-course.json",
        OBSTACLE,
        "obstacle_course",
        vendored,
    );
    let module = "src/runtime/capability/byte_stream.rs";
    assert!(file_text(&files, module).contains("pub struct ByteStream"));
    let capabilities = file_text(&files, "src/runtime/capability/mod.rs");
    assert!(
        capabilities.contains("\npub mod byte_stream;\n"),
        "{capabilities}"
    );
    assert!(!capabilities.contains("byte-stream"), "{capabilities}");
    assert!(!capabilities.contains("compression"), "{capabilities}");
    let facade = file_text(&files, "src/runtime/codegen.rs");
    assert!(facade.contains("byte_stream::{AggregatedBytes"), "{facade}");
    assert!(!facade.contains("compress_request"), "{facade}");
    let legacy = render_with("legacy-v1.json", LEGACY, "legacy", vendored);
    assert!(!legacy.iter().any(|f| f.path == module));
    assert!(!file_text(&legacy, "src/runtime/capability/mod.rs").contains("byte_stream"));
    assert!(!file_text(&legacy, "src/runtime/codegen.rs").contains("ByteStream"));
}

#[test]
fn unused_codec_capabilities_and_runtime_test_dependencies_stay_out() {
    // No emitter uses the event stream and CBOR codecs yet: a crate on the runtime crate turns
    // neither feature on, no aws-* crate is compiled unless `aws-config` is on, and its
    // dev-dependencies are only those its own tests and examples use (not the runtime's
    // property tests or the official codecs they are checked against).
    for runtime in [
        codegen::manifest::RuntimeMode::Crate,
        codegen::manifest::RuntimeMode::Vendored,
    ] {
        let files = render_with("obstacle-course.json", OBSTACLE, "obstacle_course", runtime);
        let manifest = file_text(&files, "Cargo.toml");
        for absent in [
            "event-stream",
            "cbor",
            "crc32fast",
            "minicbor",
            "proptest",
            "aws-smithy-eventstream",
        ] {
            assert!(!manifest.contains(absent), "{absent}:\n{manifest}");
        }
        // The aws-* crates a manifest names are the optional ones of the `aws-config` feature.
        let dependencies = manifest
            .split("[dependencies]\n")
            .nth(1)
            .and_then(|rest| rest.split("\n\n").next())
            .unwrap();
        for line in dependencies.lines().filter(|l| l.starts_with("aws-")) {
            assert!(line.contains("optional = true"), "{line}:\n{manifest}");
        }
        let dev = manifest
            .split("[dev-dependencies]\n")
            .nth(1)
            .and_then(|rest| rest.split("\n\n").next())
            .unwrap();
        let names: Vec<&str> = dev.lines().filter_map(|l| l.split(" = ").next()).collect();
        assert_eq!(names, ["serde_json", "tokio"], "{manifest}");
    }
    // A vendored copy leaves both codec folders out and declares neither module.
    let files = render_with(
        "obstacle-course.json",
        OBSTACLE,
        "obstacle_course",
        codegen::manifest::RuntimeMode::Vendored,
    );
    assert!(files.iter().any(|f| f.path == "src/runtime/codec/json.rs"));
    for folder in ["src/runtime/codec/event_stream/", "src/runtime/codec/cbor/"] {
        assert!(
            !files.iter().any(|f| f.path.starts_with(folder)),
            "{folder}"
        );
    }
    let codecs = file_text(&files, "src/runtime/codec/mod.rs");
    assert!(codecs.contains("\npub mod json;\n"), "{codecs}");
    assert!(!codecs.contains("pub mod event_stream"), "{codecs}");
    assert!(!codecs.contains("pub mod cbor"), "{codecs}");
    assert!(!codecs.contains("cfg(feature"), "{codecs}");
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn ir_snapshot_obstacle_course() {
    insta::assert_json_snapshot!("ir_obstacle_course", obstacle_ir());
}

#[test]
fn ir_snapshot_legacy_v1() {
    insta::assert_json_snapshot!("ir_legacy_v1", lower("legacy-v1.json", LEGACY, "legacy"));
}

#[test]
fn emitted_file_snapshots() {
    let files = render("obstacle-course.json", OBSTACLE, "obstacle_course");
    for path in [
        "src/types/_node.rs",
        "src/types/_node_choice.rs",
        "src/types/_secrets.rs",
        "src/types/_box_value.rs",
        "src/operation/send/input.rs",
        "src/types/error/_not_found.rs",
        "src/operation/upload/wire.rs",
    ] {
        let name = path.trim_start_matches("src/").replace(['/', '.'], "_");
        insta::assert_snapshot!(format!("emit_{name}"), file_text(&files, path));
    }
    let legacy = render("legacy-v1.json", LEGACY, "legacy");
    insta::assert_snapshot!(
        "emit_legacy_types__result_value_rs",
        file_text(&legacy, "src/types/_result_value.rs")
    );
}

#[test]
fn emitted_names_in_the_obstacle_course() {
    let files = render("obstacle-course.json", OBSTACLE, "obstacle_course");
    let input = file_text(&files, "src/operation/send/input.rs");
    for expected in [
        "pub r#type: Option<String>",
        "pub self_: Option<String>",
        "pub crate_: Option<String>",
        "pub str: Option<crate::types::StringValue>",
    ] {
        assert!(input.contains(expected), "missing `{expected}`");
    }
    let builders = file_text(&files, "src/operation/send/builders.rs");
    for expected in [
        "pub fn set_type(",
        "pub fn set_self(",
        "pub fn build_value(",
        "pub fn ipv4_address(",
    ] {
        assert!(builders.contains(expected), "missing `{expected}`");
    }
    let node = file_text(&files, "src/types/_node.rs");
    assert!(node.contains("pub child: Option<Box<crate::types::Node>>"));
    assert!(node.contains("pub children: Option<Vec<crate::types::Node>>"));
    assert!(node.contains("pub choice: Option<Box<crate::types::NodeChoice>>"));
    let defaults = file_text(&files, "src/operation/put_everything/builders.rs");
    assert!(
        defaults.contains("b\"hello\""),
        "blob defaults are base64-decoded"
    );
}

const AUTH_SERVICE: &str = "com.example.auth#AuthService";

/// The operations' scheme lists of a service of `auth.json`, by operation name.
fn auth_of(ir: &ServiceIr) -> Vec<(&str, &[ir::AuthSchemeIr])> {
    ir.operations
        .iter()
        .map(|op| (op.wire_name.as_str(), op.auth.as_slice()))
        .collect()
}

#[test]
fn effective_auth_schemes_follow_the_smithy_rules() {
    use ir::{ApiKeyLocationIr, AuthSchemeIr as A};
    let key = A::ApiKey {
        name: "X-Api-Key".to_owned(),
        location: ApiKeyLocationIr::Header,
        scheme: Some("ApiKey".to_owned()),
    };
    let ir = lower("auth.json", AUTH_SERVICE, "auth_service");
    // No @auth on the service: its auth traits in shape id order, digest left out.
    let service = vec![A::SigV4, key.clone(), A::Basic, A::Bearer];
    assert_eq!(ir.auth, service);
    let mut optional = service.clone();
    optional.push(A::Anonymous);
    assert_eq!(
        auth_of(&ir),
        vec![
            ("GetBearerFirst", &[A::Bearer, key.clone()][..]),
            ("GetDefault", &service[..]),
            ("GetDigestOrBearer", &[A::Bearer][..]),
            ("GetOptional", &[A::Basic, A::Anonymous][..]),
            ("GetOptionalDefault", &optional[..]),
            ("GetPublic", &[A::Anonymous][..]),
        ]
    );

    // The service's @auth order wins over shape id order.
    let keys = lower("auth.json", "com.example.auth#KeyService", "key_service");
    let query_key = A::ApiKey {
        name: "api_key".to_owned(),
        location: ApiKeyLocationIr::Query,
        scheme: None,
    };
    assert_eq!(keys.auth, vec![query_key.clone(), A::Bearer]);
    assert_eq!(
        auth_of(&keys),
        vec![
            ("Search", &[query_key, A::Bearer][..]),
            ("SearchWithToken", &[A::Bearer][..]),
        ]
    );

    // No auth traits at all: anonymous.
    let open = lower("auth.json", "com.example.auth#OpenService", "open_service");
    assert_eq!(open.auth, vec![A::Anonymous]);
    assert_eq!(auth_of(&open), vec![("Ping", &[A::Anonymous][..])]);

    // A service with only aws.auth#sigv4: SigV4 everywhere.
    let obstacle = obstacle_ir();
    assert!(obstacle.operations.iter().all(|op| op.auth == [A::SigV4]));
}

/// Lowers `auth.json` after `edit` changed its JSON.
fn lower_edited_auth(edit: impl FnOnce(&mut serde_json::Value)) -> Result<ServiceIr, CodegenError> {
    let mut model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(model_path("auth.json")).unwrap()).unwrap();
    edit(&mut model);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auth.json");
    std::fs::write(&path, model.to_string()).unwrap();
    let graph =
        codegen::shapes::resolve(codegen::load_model(&[path]).unwrap(), AUTH_SERVICE).unwrap();
    // All or nothing, so that an operation the generator cannot implement is an error.
    let strict = ir::LowerInputs {
        strict: true,
        ..ir::LowerInputs::new("x", "0.1.0")
    };
    ir::lower(&graph, &strict)
}

#[test]
fn an_operation_whose_only_scheme_is_unsupported_is_rejected() {
    let op = "com.example.auth#GetDigestOrBearer";
    let err = lower_edited_auth(|model| {
        model["shapes"][op]["traits"]["smithy.api#auth"] =
            serde_json::json!(["smithy.api#httpDigestAuth"]);
    })
    .unwrap_err();
    assert!(matches!(err, CodegenError::Unsupported { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!("`{op}`: not supported: httpDigestAuth")
    );
    // By default the operation is left out of the crate with that reason, the others kept.
    let mut model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(model_path("auth.json")).unwrap()).unwrap();
    model["shapes"][op]["traits"]["smithy.api#auth"] =
        serde_json::json!(["smithy.api#httpDigestAuth"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auth.json");
    std::fs::write(&path, model.to_string()).unwrap();
    let graph =
        codegen::shapes::resolve(codegen::load_model(&[path]).unwrap(), AUTH_SERVICE).unwrap();
    let lowered = ir::lower(&graph, &ir::LowerInputs::new("x", "0.1.0")).unwrap();
    assert_eq!(
        lowered.left_out,
        [ir::LeftOutOperation {
            shape_id: op.to_owned(),
            name: "GetDigestOrBearer".to_owned(),
            reason: "not supported: httpDigestAuth".to_owned(),
        }]
    );
    assert!(!lowered.operations.is_empty());

    // A custom auth trait (its definition has @authDefinition) is skipped like digest, and
    // rejected when it is all an operation has.
    let custom = "com.example.auth#customAuth";
    let ir = lower_edited_auth(|model| {
        model["shapes"][custom] = serde_json::json!({
            "type": "structure",
            "members": {},
            "traits": { "smithy.api#trait": {}, "smithy.api#authDefinition": {} }
        });
        let service = &mut model["shapes"][AUTH_SERVICE]["traits"];
        service[custom] = serde_json::json!({});
        service["smithy.api#auth"] = serde_json::json!([custom, "smithy.api#httpBasicAuth"]);
    })
    .unwrap();
    let default = ir.operations.iter().find(|o| o.wire_name == "GetDefault");
    assert_eq!(default.unwrap().auth, [ir::AuthSchemeIr::Basic]);
    let err = lower_edited_auth(|model| {
        model["shapes"][custom] = serde_json::json!({
            "type": "structure",
            "members": {},
            "traits": { "smithy.api#trait": {}, "smithy.api#authDefinition": {} }
        });
        model["shapes"][AUTH_SERVICE]["traits"][custom] = serde_json::json!({});
        model["shapes"][op]["traits"]["smithy.api#auth"] = serde_json::json!([custom]);
    })
    .unwrap_err();
    assert!(
        err.to_string()
            .ends_with(&format!("not supported: {custom}")),
        "{err}"
    );
}

#[test]
fn an_invalid_api_key_trait_is_a_model_error() {
    for (value, problem) in [
        (
            serde_json::json!({ "name": "X-Key", "in": "cookie" }),
            "`in` must be",
        ),
        (serde_json::json!({ "in": "header" }), "`name` must be"),
        (
            serde_json::json!({ "name": "X Key", "in": "header" }),
            "not a valid header name",
        ),
    ] {
        let err = lower_edited_auth(|model| {
            model["shapes"][AUTH_SERVICE]["traits"]["smithy.api#httpApiKeyAuth"] = value;
        })
        .unwrap_err();
        assert!(matches!(err, CodegenError::Model { .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains("@httpApiKeyAuth"), "{text}");
        assert!(text.contains(problem), "{text}");
    }
}

#[test]
fn event_streams_are_lowered_to_events_errors_and_stream_members() {
    let ir = lower(
        "event-streams.smithy",
        "com.example.streams#Chat",
        "streams",
    );
    // The union keeps its events; its error member becomes its error enum's variant.
    let answers = ir.unions.iter().find(|u| u.name == "AnswerStream").unwrap();
    let events: Vec<&str> = answers.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(events, ["Chunk", "Stop"]);
    let stream = ir
        .event_streams
        .iter()
        .find(|s| s.name == "AnswerStream")
        .unwrap();
    assert_eq!(stream.error_name, "AnswerStreamError");
    let errors: Vec<(&str, &str)> = stream
        .errors
        .iter()
        .map(|e| (e.variant.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(errors, [("Throttled", "throttled")]);
    assert!(stream.output && !stream.input);
    let audio = ir
        .event_streams
        .iter()
        .find(|s| s.name == "AudioStream")
        .unwrap();
    assert!(audio.input && !audio.output);
    // Header and payload members of events.
    let chunk = ir.structures.iter().find(|s| s.name == "Chunk").unwrap();
    let bindings: Vec<&ir::Binding> = chunk.members.iter().map(|m| &m.binding).collect();
    assert_eq!(
        bindings,
        [&ir::Binding::EventHeader, &ir::Binding::EventPayload]
    );
    // An output always holds its receiver; an input's sender is set by the caller.
    let converse = ir.operations.iter().find(|o| o.name == "Converse").unwrap();
    let received = converse.output_stream().unwrap();
    assert!(!received.optional);
    let RustType::EventStream(ty) = &received.ty else {
        panic!("{:?}", received.ty);
    };
    assert_eq!(ty.direction, ir::StreamDirection::Output);
    assert_eq!(ty.error, "crate::types::error::AnswerStreamError");
    assert!(converse.input_stream().is_none());
    let talk = ir.operations.iter().find(|o| o.name == "Talk").unwrap();
    let sent = talk.input_stream().unwrap();
    assert!(sent.optional && sent.required);
    assert!(talk.output_stream().is_some());
    // A stream that is not the payload is left out, with the reason.
    assert_eq!(ir.left_out.len(), 1);
    assert_eq!(ir.left_out[0].name, "Misplaced");
    assert!(
        ir.left_out[0]
            .reason
            .contains("an event stream that is not the @httpPayload member"),
        "{}",
        ir.left_out[0].reason
    );
}

#[test]
fn event_stream_operations_are_generated_under_aws_json() {
    let ir = lower(
        "event-streams.smithy",
        "com.example.streams#ChatRpc",
        "streams_rpc",
    );
    assert!(ir.left_out.is_empty(), "{:?}", ir.left_out);
    let names: Vec<&str> = ir.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Converse", "Talk"]);
    // Without HTTP bindings, the stream is the payload and every other member is in the
    // body (the initial-request / initial-response document), `@httpHeader` or not.
    let talk = &ir.operations[1];
    let bindings: Vec<(&str, &Binding)> = talk
        .input
        .members
        .iter()
        .map(|m| (m.wire_name.as_str(), &m.binding))
        .collect();
    assert_eq!(
        bindings,
        [("language", &Binding::Body), ("audio", &Binding::Payload)]
    );
    assert!(talk.input_stream().is_some() && talk.output_stream().is_some());
    assert_eq!(ir.event_streams.len(), 2);
}

#[test]
fn aws_json_event_stream_operations_carry_their_members_in_initial_messages() {
    let files = render(
        "event-streams.smithy",
        "com.example.streams#ChatRpc",
        "streams_rpc",
    );
    let talk = file_text(&files, "src/operation/talk/wire.rs");
    assert!(
        talk.contains("crate::rt::aws_json_event_stream_request(\"ChatRpc.Talk\", false)"),
        "{talk}"
    );
    assert!(
        talk.contains("pub(crate) fn initial_request(input: &super::TalkInput)")
            && talk.contains("object.key(\"language\")"),
        "{talk}"
    );
    let converse = file_text(&files, "src/operation/converse/wire.rs");
    assert!(
        converse.contains("initial: Option<&crate::rt::EventMessage>")
            && converse.contains("\"session\" => "),
        "{converse}"
    );
    let root = file_text(&files, "src/operation/converse.rs");
    assert!(
        root.contains("const INITIAL_RESPONSE: bool = true;"),
        "{root}"
    );
}

#[test]
fn event_stream_operations_are_left_out_under_rpcv2_cbor() {
    let ir = lower(
        "event-streams.smithy",
        "com.example.streams#ChatCbor",
        "streams_cbor",
    );
    assert!(ir.operations.is_empty());
    assert!(ir.event_streams.is_empty());
    assert_eq!(ir.left_out.len(), 1);
    assert_eq!(
        ir.left_out[0].reason,
        "not supported: event streams (@streaming unions) under rpcv2Cbor \
         (`com.example.streams#AnswerStream`)"
    );
}

#[test]
fn event_stream_crates_render_their_wire_code_and_error_enums() {
    let files = render(
        "event-streams.smithy",
        "com.example.streams#Chat",
        "streams",
    );
    let wire = file_text(&files, "src/wire/_answer_stream.rs");
    assert!(
        wire.contains("pub(crate) fn unmarshall_answer_stream("),
        "{wire}"
    );
    assert!(
        wire.contains("EventMessageType::Exception(\"throttled\")"),
        "{wire}"
    );
    assert!(!wire.contains("fn marshall_answer_stream"), "{wire}");
    let audio = file_text(&files, "src/wire/_audio_stream.rs");
    assert!(
        audio.contains("pub(crate) fn marshall_audio_stream("),
        "{audio}"
    );
    assert!(audio.contains("\"application/octet-stream\""), "{audio}");
    let error = file_text(&files, "src/types/error/_answer_stream_error.rs");
    assert!(error.contains("pub enum AnswerStreamError"), "{error}");
    assert!(
        error.contains("Throttled(crate::types::error::Throttled)"),
        "{error}"
    );
    let manifest = file_text(&files, "Cargo.toml");
    assert!(manifest.contains("\"event-stream\""), "{manifest}");
}

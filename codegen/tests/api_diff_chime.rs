//! The API change report on the Chime model against versions of itself, each made at test time
//! by editing the model's JSON in memory: a documentation change, an added operation, a removed
//! operation, a renamed structure, an added enum value and newly required members. The reports
//! are snapshots (`snapshots/api_diff_chime__*.snap`), read and checked by hand; each test also
//! asserts the facts the scenario is about.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use codegen::diff::{self, ApiDescription, ApiDiff, Bump, ChangeClass};
use codegen::manifest::ServiceSpec;
use serde_json::{json, Value};

const NS: &str = "com.amazonaws.chimesdkidentity#";
const SERVICE: &str = "com.amazonaws.chimesdkidentity#ChimeIdentityService";

fn model() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models/chime-sdk-identity-2021-04-20.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The Chime crate's entry in the manifest.
fn chime_spec() -> ServiceSpec {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/services.toml");
    codegen::manifest::read(&manifest)
        .unwrap()
        .into_iter()
        .find(|spec| spec.service == SERVICE)
        .unwrap()
}

/// The API description of the crate generated (in memory, as `cargo xtask codegen` does) from
/// the model `value`.
fn describe(value: Value) -> ApiDescription {
    let document = codegen::model::ModelDocument {
        file: PathBuf::from("chime-sdk-identity (edited in memory)"),
        value,
    };
    let model = codegen::model::load_documents(&[document]).unwrap();
    codegen::prepare_model(&chime_spec(), model)
        .unwrap()
        .api()
        .clone()
}

/// The report from the model as it is to the model after `edit`.
fn scenario(name: &str, edit: impl FnOnce(&mut Value)) -> ApiDiff {
    static BASE: OnceLock<ApiDescription> = OnceLock::new();
    let base = BASE.get_or_init(|| describe(model()));
    let mut edited = model();
    edit(&mut edited);
    let changes = diff::compare(base, &describe(edited));
    let report = diff::report::text(&changes, "chime-sdk-identity-2021-04-20.json", name);
    insta::assert_snapshot!(name, report);
    changes
}

fn shape<'a>(model: &'a mut Value, name: &str) -> &'a mut Value {
    model["shapes"]
        .get_mut(format!("{NS}{name}"))
        .unwrap_or_else(|| panic!("no shape {name}"))
}

fn items(changes: &ApiDiff, class: ChangeClass) -> Vec<&str> {
    changes.of(class).map(|c| c.item.as_str()).collect()
}

#[test]
fn unchanged_model() {
    let changes = scenario("unchanged", |_| {});
    assert!(changes.is_empty());
}

#[test]
fn documentation_change() {
    let changes = scenario("documentation", |m| {
        shape(m, "AppInstance")["traits"]["smithy.api#documentation"] = json!(
            "<p>The details of an <code>AppInstance</code>, an instance of a messaging app.</p>"
        );
        shape(m, "ListAppInstances")["traits"]["smithy.api#documentation"] = json!(
            "<p>Lists the <code>AppInstance</code>s of an AWS account, a page at a time.</p>"
        );
    });
    assert_eq!(changes.verdict(), Bump::Patch);
    assert!(changes
        .changes
        .iter()
        .all(|c| c.class == ChangeClass::Documentation));
    let documented = items(&changes, ChangeClass::Documentation);
    assert!(documented.contains(&"types::AppInstance"), "{documented:?}");
    assert!(
        documented.contains(&"Client::list_app_instances"),
        "{documented:?}"
    );
}

#[test]
fn added_operation() {
    let changes = scenario("added-operation", |m| {
        m["shapes"][format!("{NS}GetAppInstanceStatus")] = json!({
            "type": "operation",
            "input": { "target": format!("{NS}GetAppInstanceStatusRequest") },
            "output": { "target": format!("{NS}GetAppInstanceStatusResponse") },
            "errors": [{ "target": format!("{NS}BadRequestException") }],
            "traits": {
                "smithy.api#documentation": "<p>Returns whether an <code>AppInstance</code> is active.</p>",
                "smithy.api#http": { "method": "GET", "uri": "/app-instances/{AppInstanceArn}/status", "code": 200 },
                "smithy.api#readonly": {}
            }
        });
        m["shapes"][format!("{NS}GetAppInstanceStatusRequest")] = json!({
            "type": "structure",
            "members": {
                "AppInstanceArn": {
                    "target": format!("{NS}ChimeArn"),
                    "traits": { "smithy.api#httpLabel": {}, "smithy.api#required": {} }
                }
            },
            "traits": { "smithy.api#input": {} }
        });
        m["shapes"][format!("{NS}GetAppInstanceStatusResponse")] = json!({
            "type": "structure",
            "members": { "Active": { "target": "smithy.api#Boolean" } },
            "traits": { "smithy.api#output": {} }
        });
        shape(m, "ChimeIdentityService")["operations"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "target": format!("{NS}GetAppInstanceStatus") }));
    });
    assert_eq!(changes.verdict(), Bump::Minor);
    assert_eq!(
        items(&changes, ChangeClass::Additive),
        ["Client::get_app_instance_status"]
    );
    assert_eq!(changes.changes.len(), 1);
}

#[test]
fn removed_operation() {
    let changes = scenario("removed-operation", |m| {
        shape(m, "ChimeIdentityService")["operations"]
            .as_array_mut()
            .unwrap()
            .retain(|op| op["target"] != format!("{NS}DescribeAppInstanceBot"));
    });
    assert_eq!(changes.verdict(), Bump::Major);
    // The operation, and the shapes only it used: its bot structure and its one error.
    assert_eq!(
        items(&changes, ChangeClass::Breaking),
        [
            "Client::describe_app_instance_bot",
            "types::AppInstanceBot",
            "types::error::NotFoundException"
        ]
    );
    assert!(changes.changes[1].change.contains("knock-on"));
    assert_eq!(changes.changes.len(), 3);
}

#[test]
fn renamed_structure() {
    let changes = scenario("renamed-structure", |m| {
        let old = format!("{NS}AppInstanceBot");
        let new = format!("{NS}AppInstanceBotDetails");
        let shapes = m["shapes"].as_object_mut().unwrap();
        let bot = shapes.remove(&old).unwrap();
        shapes.insert(new.clone(), bot);
        retarget(m, &old, &new);
    });
    // One change: the members that hold it now name the new type, which is the rename itself.
    assert_eq!(changes.changes.len(), 1, "{:#?}", changes.changes);
    assert_eq!(changes.changes[0].item, "types::AppInstanceBot");
    assert_eq!(
        changes.changes[0].change,
        "structure renamed to `types::AppInstanceBotDetails` (used by `DescribeAppInstanceBot`)"
    );
    assert_eq!(changes.verdict(), Bump::Major);
}

/// Points every member that targets `old` at `new`.
fn retarget(value: &mut Value, old: &str, new: &str) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if key == "target" && item == old {
                    *item = Value::String(new.to_owned());
                } else {
                    retarget(item, old, new);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| retarget(item, old, new)),
        _ => {}
    }
}

#[test]
fn added_enum_value() {
    let changes = scenario("added-enum-value", |m| {
        shape(m, "AppInstanceUserEndpointType")["members"]["HMS"] = json!({
            "target": "smithy.api#Unit",
            "traits": { "smithy.api#enumValue": "HMS" }
        });
    });
    assert_eq!(changes.verdict(), Bump::Minor);
    assert_eq!(
        items(&changes, ChangeClass::Additive),
        ["types::AppInstanceUserEndpointType::Hms"]
    );
    assert_eq!(changes.changes.len(), 1);
}

#[test]
fn newly_required_member() {
    let changes = scenario("newly-required-member", |m| {
        shape(m, "AppInstance")["members"]["Name"]["traits"]["smithy.api#required"] = json!({});
    });
    assert_eq!(changes.verdict(), Bump::Major);
    let getter = changes
        .changes
        .iter()
        .find(|c| c.item == "types::AppInstance::name")
        .unwrap();
    assert_eq!(getter.class, ChangeClass::Breaking);
    assert!(
        getter
            .change
            .contains("now returns `&str` instead of `Option<&str>`"),
        "{}",
        getter.change
    );
}

#[test]
fn newly_required_input_member() {
    let changes = scenario("newly-required-input-member", |m| {
        shape(m, "CreateAppInstanceUserRequest")["members"]["Metadata"]["traits"]
            ["smithy.api#required"] = json!({});
    });
    // Still compiles (input members are all optional in Rust), fails at run time.
    assert_eq!(
        items(&changes, ChangeClass::Behaviour),
        ["operation::create_app_instance_user::CreateAppInstanceUserInput::metadata"]
    );
    assert_eq!(changes.changes.len(), 1);
    assert_eq!(changes.verdict(), Bump::Major);
}

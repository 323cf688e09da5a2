//! The API change report on pairs of small hand-written models (`model/test-models/diff/`):
//! each file of `cases/` is `base.smithy` with one change (its first line names the change and
//! the class it must be reported as), and `all-at-once.smithy` has several together. The
//! expected reports are snapshots (`snapshots/api_diff__*.snap`), read and checked by hand.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use codegen::diff::{self, ApiDescription, ChangeClass};
use codegen::manifest::ServiceSpec;

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/test-models/diff")
}

fn partitions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/models/partitions.json")
}

/// The API description of the crate generated (in memory) from `model`; each model is
/// generated once per test binary.
fn describe(model: &Path) -> ApiDescription {
    static DESCRIBED: OnceLock<Mutex<BTreeMap<PathBuf, ApiDescription>>> = OnceLock::new();
    let described = DESCRIBED.get_or_init(Default::default);
    if let Some(description) = described.lock().unwrap().get(model) {
        return description.clone();
    }
    let description = describe_spec(&ServiceSpec {
        crate_name: "notes".into(),
        crate_version: "0.3.1".into(),
        service: "example.notes#Notes".into(),
        models: vec![model.to_owned()],
        out: "unused".into(),
        partitions: Some(partitions()),
        test_partitions: None,
        examples: None,
        changelog: None,
        runtime: Default::default(),
        endpoint_expectations: Vec::new(),
        strict: false,
    });
    described
        .lock()
        .unwrap()
        .insert(model.to_owned(), description.clone());
    description
}

fn describe_spec(spec: &ServiceSpec) -> ApiDescription {
    match codegen::prepare(spec) {
        Ok(prepared) => prepared.api().clone(),
        Err(err) => panic!("{}: {err}", spec.models[0].display()),
    }
}

/// (name, first line) of every case, sorted by name.
fn cases() -> Vec<(String, String)> {
    let mut cases: Vec<(String, String)> = std::fs::read_dir(folder().join("cases"))
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            (name, text.lines().next().unwrap_or_default().to_owned())
        })
        .collect();
    cases.sort();
    cases
}

fn case_path(name: &str) -> PathBuf {
    folder().join(format!("cases/{name}.smithy"))
}

fn class_named(word: &str) -> ChangeClass {
    match word {
        "breaking" => ChangeClass::Breaking,
        "behaviour" => ChangeClass::Behaviour,
        "additive" => ChangeClass::Additive,
        "documentation" => ChangeClass::Documentation,
        other => panic!("unknown class `{other}`"),
    }
}

/// The class a case's first line says it must be reported as: `(expect: breaking)`.
fn expected_class(header: &str) -> ChangeClass {
    let word = header
        .split("(expect: ")
        .nth(1)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("no `(expect: ...)` in {header:?}"));
    class_named(word)
}

#[test]
fn every_case_is_reported_in_its_class() {
    let base = describe(&folder().join("base.smithy"));
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    for (name, header) in &cases {
        let diff = diff::compare(&base, &describe(&case_path(name)));
        let expected = expected_class(header);
        // The most severe class reported is the one the case is about.
        let worst = diff.changes.iter().map(|c| c.class).min();
        assert_eq!(worst, Some(expected), "{name}: {:#?}", diff.changes);
        let report = diff::report::text(&diff, "base.smithy", &format!("cases/{name}.smithy"));
        assert!(
            report.lines().last().unwrap().starts_with("semver: "),
            "{report}"
        );
        insta::assert_snapshot!(name.as_str(), report);
    }
}

#[test]
fn unchanged_models_report_nothing() {
    let base = describe(&folder().join("base.smithy"));
    let diff = diff::compare(&base, &base.clone());
    assert!(diff.is_empty());
    assert_eq!(diff.verdict(), diff::Bump::None);
    assert!(diff::report::text(&diff, "a", "b").ends_with("semver: none (version stays 0.3.1)\n"));
}

/// `all-at-once` reports exactly the changes of its parts, with the paths the renamed
/// structure has in it (its other changes are reported under its new name).
#[test]
fn all_at_once_is_the_sum_of_its_parts() {
    let base = describe(&folder().join("base.smithy"));
    let (_, header) = cases()
        .into_iter()
        .find(|(name, _)| name == "all-at-once")
        .unwrap();
    let parts: Vec<&str> = header
        .split("the changes of ")
        .nth(1)
        .and_then(|rest| rest.split(" together").next())
        .unwrap()
        .split(", ")
        .collect();
    assert!(parts.len() >= 10, "{parts:?}");
    let lines = |name: &str| -> BTreeSet<String> {
        diff::compare(&base, &describe(&case_path(name)))
            .changes
            .iter()
            .map(|c| format!("{:?} {}: {}", c.class, c.item, c.change))
            .collect()
    };
    let mut expected = BTreeSet::new();
    for part in &parts {
        expected.extend(lines(part));
    }
    let renamed = |line: &String| line.replace("types::NoteDetails", "types::Note");
    let all: BTreeSet<String> = lines("all-at-once").iter().map(renamed).collect();
    let expected: BTreeSet<String> = expected.iter().map(renamed).collect();
    let missing: Vec<&String> = expected.difference(&all).collect();
    let extra: Vec<&String> = all.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nextra: {extra:#?}"
    );
}

#[test]
fn the_json_report_has_the_same_changes_and_verdict() {
    let base = describe(&folder().join("base.smithy"));
    let diff = diff::compare(&base, &describe(&case_path("all-at-once")));
    let json = diff::report::json(&diff, "base.smithy", "cases/all-at-once.smithy");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["crate"], "notes");
    assert_eq!(value["base_version"], "0.3.1");
    assert_eq!(value["semver"], "major");
    assert_eq!(value["next_version"], "0.4.0");
    let changes = value["changes"].as_array().unwrap();
    assert_eq!(changes.len(), diff.changes.len());
    for (json, change) in changes.iter().zip(&diff.changes) {
        assert_eq!(json["item"], change.item.as_str());
        assert_eq!(json["change"], change.change.as_str());
    }
    let breaking = changes.iter().filter(|c| c["class"] == "breaking").count();
    assert_eq!(value["counts"]["breaking"], breaking);
    insta::assert_snapshot!("all-at-once.json", json);
}

/// What `api.json` holds reads back as the same description.
#[test]
fn api_descriptions_read_back_unchanged() {
    let mut models = vec![folder().join("base.smithy")];
    models.extend(cases().iter().map(|(name, _)| case_path(name)));
    models.push(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/test-models/obstacle-course.json"),
    );
    for model in models {
        let description = if model.ends_with("obstacle-course.json") {
            describe_spec(&ServiceSpec {
                service: "com.example.obstacle#ObstacleCourse".into(),
                ..spec_for(&model)
            })
        } else {
            describe(&model)
        };
        let text = diff::api_file::render(&description).unwrap();
        let read = diff::api_file::parse(Path::new("api.json"), &text).unwrap();
        assert_eq!(read, description, "{}", model.display());
        // One item per line: no line holds two members or two enum values.
        for line in text.lines() {
            assert!(
                line.matches("\"field\":").count() <= 1
                    && line.matches("\"variant\":").count() <= 1,
                "{line}"
            );
        }
    }
}

fn spec_for(model: &Path) -> ServiceSpec {
    ServiceSpec {
        crate_name: "obstacle_course".into(),
        crate_version: "0.1.0".into(),
        service: String::new(),
        models: vec![model.to_owned()],
        out: "unused".into(),
        partitions: None,
        test_partitions: None,
        examples: None,
        changelog: None,
        runtime: Default::default(),
        endpoint_expectations: Vec::new(),
        strict: false,
    }
}

/// A changelog entry lists the changes in words, by class.
#[test]
fn changelog_entries_list_changes_by_class() {
    let base = describe(&folder().join("base.smithy"));
    let diff = diff::compare(&base, &describe(&case_path("all-at-once")));
    let entry = diff::changelog::entry(&diff, "0.4.0");
    insta::assert_snapshot!("all-at-once.changelog", entry);
}

/// The errors an event stream can carry are part of the API (its error enum's variants):
/// described in `api.json`, read back unchanged, and a variant added or removed is reported.
#[test]
fn event_stream_error_variants_are_described_and_compared() {
    let model =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/test-models/event-streams.smithy");
    let text = std::fs::read_to_string(&model).unwrap();
    let describe_text = |text: &str| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("event-streams.smithy");
        std::fs::write(&path, text).unwrap();
        describe_spec(&ServiceSpec {
            service: "com.example.streams#Chat".into(),
            ..spec_for(&path)
        })
    };
    let base = describe_text(&text);
    let stream = base
        .event_streams
        .iter()
        .find(|s| s.events == "types::AnswerStream")
        .expect("the AnswerStream stream is described");
    assert_eq!(stream.error, "types::error::AnswerStreamError");
    let variants: Vec<&str> = stream.errors.iter().map(|e| e.variant.as_str()).collect();
    assert_eq!(variants, ["types::error::AnswerStreamError::Throttled"]);
    let rendered = diff::api_file::render(&base).unwrap();
    assert_eq!(
        diff::api_file::parse(Path::new("api.json"), &rendered).unwrap(),
        base
    );
    assert!(
        rendered
            .lines()
            .all(|line| line.matches("\"variant\":").count() <= 1),
        "{rendered}"
    );

    let with_overloaded = text.replace(
        "    throttled: Throttled\n",
        "    throttled: Throttled\n    overloaded: Overloaded\n",
    )
        + "\n@error(\"server\")\nstructure Overloaded {\n    message: String\n}\n";
    let added = diff::compare(&base, &describe_text(&with_overloaded));
    let change = added
        .changes
        .iter()
        .find(|c| c.item == "types::error::AnswerStreamError::Overloaded")
        .unwrap_or_else(|| panic!("{:#?}", added.changes));
    assert_eq!(change.class, ChangeClass::Additive, "{change:?}");
    assert!(change.change.contains("can now carry"), "{change:?}");

    let without_throttled = text.replace("    throttled: Throttled\n", "");
    let removed = diff::compare(&base, &describe_text(&without_throttled));
    let change = removed
        .changes
        .iter()
        .find(|c| c.item == "types::error::AnswerStreamError::Throttled")
        .unwrap_or_else(|| panic!("{:#?}", removed.changes));
    assert_eq!(change.class, ChangeClass::Breaking, "{change:?}");
    assert!(
        change.change.contains("no longer carries `Throttled`"),
        "{change:?}"
    );
}

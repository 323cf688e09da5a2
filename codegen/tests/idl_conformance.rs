//! Runs the Smithy IDL loader conformance cases (`shared/smithy/idl-conformance`) against `codegen::idl::load`,
//! and loads the trait definitions and the restJson1 protocol test models together.
//!
//! * `valid/**/NAME.smithy` must load; when `NAME.json` is beside it, the result must equal it as JSON values.
//!   Two differences that carry no meaning are normalized on both sides: the `"smithy"` version key (the
//!   loader always writes "2.0", the expected files carry the version of the IDL file) and an absent versus an
//!   empty `members` object of a structure or union, an absent operation `input`/`output` versus one targeting
//!   `smithy.api#Unit`, and traits on a member given inline versus as an `apply` entry (the reference
//!   serializer is not consistent about these).
//!   `NAME.flattened.smithy` files (mixins flattened by hand) must load too.
//! * `invalid/**/*.smithy` must be rejected; when its first-line comment gives `line L, column C`, the error must
//!   be reported there.
//!
//! Each case file is one test (a `libtest-mimic` harness, so `cargo test` counts and filters them by path).
//! Cases listed in `tests/idl_known_failures.txt` show as ignored, with their reason printed by the trial that
//! checks they still fail; one that passes fails that trial, so the list stays honest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::idl::{load, SourceFile};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{json, Map, Value};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/smithy")
}

fn conformance_root() -> PathBuf {
    shared().join("idl-conformance")
}

fn smithy_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            smithy_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "smithy") {
            out.push(path);
        }
    }
}

fn source(path: &Path) -> SourceFile {
    SourceFile {
        name: path.display().to_string(),
        text: std::fs::read_to_string(path).unwrap(),
    }
}

/// Removes representation differences that carry no meaning (see the module docs).
fn normalize(mut doc: Value) -> Value {
    if let Some(obj) = doc.as_object_mut() {
        obj.remove("smithy");
        if obj
            .get("metadata")
            .is_some_and(|m| m.as_object().is_some_and(|m| m.is_empty()))
        {
            obj.remove("metadata");
        }
        let shapes = obj
            .entry("shapes")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(shapes) = shapes {
            for shape in shapes.values_mut() {
                let Some(shape) = shape.as_object_mut() else {
                    continue;
                };
                let ty = shape
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                if matches!(ty.as_str(), "structure" | "union") && !shape.contains_key("members") {
                    shape.insert("members".to_string(), Value::Object(Map::new()));
                }
                if ty == "operation" {
                    for key in ["input", "output"] {
                        if !shape.contains_key(key) {
                            shape.insert(key.to_string(), json!({ "target": "smithy.api#Unit" }));
                        }
                    }
                }
            }
            fold_applies(shapes);
        }
    }
    doc
}

/// Moves the traits of `{"type": "apply"}` entries into the structure or union member they target when that
/// member is defined in the document: both forms mean the same model.
fn fold_applies(shapes: &mut Map<String, Value>) {
    let ids: Vec<String> = shapes.keys().cloned().collect();
    for id in ids {
        let Some((root, member)) = id.split_once('$') else {
            continue;
        };
        if shapes[&id]["type"] != "apply" {
            continue;
        }
        let exists = shapes
            .get(root)
            .and_then(|s| s.get("members"))
            .and_then(|m| m.get(member))
            .is_some();
        if !exists {
            continue;
        }
        let Some(Value::Object(traits)) = shapes.remove(&id).map(|mut a| a["traits"].take()) else {
            continue;
        };
        if let Some(Value::Object(target)) = shapes
            .get_mut(root)
            .and_then(|s| s.get_mut("members"))
            .and_then(|m| m.get_mut(member))
        {
            let existing = target
                .entry("traits")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(existing) = existing {
                existing.extend(traits);
            }
        }
    }
}

/// Extracts `(line, column)` from a comment like `// Syntax error at line 7, column 1: ...`.
fn expected_position(first_line: &str) -> Option<(usize, usize)> {
    let rest = &first_line[first_line.find("at line ")? + "at line ".len()..];
    let (line, rest) = rest.split_once(", column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

fn run_valid(path: &Path) -> Result<(), String> {
    let doc = load(&[source(path)]).map_err(|e| format!("failed to load: {e}"))?;
    let json_path = path.with_extension("json");
    if !json_path.exists() {
        return Ok(());
    }
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let (actual, expected) = (normalize(doc), normalize(expected));
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "result differs from {}\n--- actual:\n{}\n--- expected:\n{}",
            json_path.display(),
            serde_json::to_string_pretty(&actual).unwrap(),
            serde_json::to_string_pretty(&expected).unwrap()
        ))
    }
}

fn run_invalid(path: &Path) -> Result<(), String> {
    let file = source(path);
    let first_line = file.text.lines().next().unwrap_or_default().to_string();
    match load(&[file]) {
        Ok(_) => Err(format!("was accepted; expected: {first_line}")),
        Err(e) => match expected_position(&first_line) {
            Some((line, column)) if (e.line, e.column) != (line, column) => Err(format!(
                "rejected at the wrong place: got `{e}`; expected: {first_line}"
            )),
            _ => Ok(()),
        },
    }
}

fn known_failures() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/idl_known_failures.txt");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (case, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (case.to_string(), reason.trim().to_string())
        })
        .collect()
}

/// One trial per case file of `valid/` and `invalid/`, named by its path. A case listed in
/// `idl_known_failures.txt` is reported as ignored, with its reason, not as passed; the trial
/// `known failures are still failures` checks that every listed case exists and still fails, so
/// the list cannot go stale.
fn conformance_trials() -> Vec<Trial> {
    let root = conformance_root();
    let known = known_failures();
    let mut trials = Vec::new();
    let mut cases = Vec::new();
    for folder in ["valid", "invalid"] {
        let mut files = Vec::new();
        smithy_files(&root.join(folder), &mut files);
        assert!(!files.is_empty(), "no cases found in {folder}");
        for path in files {
            let case = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            cases.push((case.clone(), path.clone()));
            let run = move || -> Result<(), Failed> {
                if folder == "valid" {
                    run_valid(&path).map_err(Failed::from)
                } else {
                    run_invalid(&path).map_err(Failed::from)
                }
            };
            let trial = Trial::test(case.clone(), run);
            trials.push(if known.contains_key(&case) {
                trial.with_kind("known failure").with_ignored_flag(true)
            } else {
                trial
            });
        }
    }
    trials.push(Trial::test(
        "known failures are still failures",
        move || {
            let mut problems = Vec::new();
            for (case, reason) in &known {
                match cases.iter().find(|(name, _)| name == case) {
                    None => problems.push(format!(
                        "{case}: listed in idl_known_failures.txt but no such case exists"
                    )),
                    Some((_, path)) => {
                        let result = if case.starts_with("valid/") {
                            run_valid(path)
                        } else {
                            run_invalid(path)
                        };
                        if result.is_ok() {
                            problems.push(format!(
                                "{case}: passes but is listed in idl_known_failures.txt ({reason})"
                            ));
                        }
                    }
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("\n").into())
            }
        },
    ));
    trials
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = conformance_trials();
    trials.push(Trial::test(
        "position extraction reads the case comment",
        || {
            position_extraction_reads_the_case_comment();
            Ok(())
        },
    ));
    trials.push(Trial::test(
        "loads trait definitions and restJson1 protocol tests together",
        || {
            loads_trait_definitions_and_rest_json_protocol_tests_together();
            Ok(())
        },
    ));
    libtest_mimic::run(&args, trials).exit();
}

fn position_extraction_reads_the_case_comment() {
    assert_eq!(
        expected_position(
            "// Syntax error at line 7, column 12: Expected RBRACE('}') but found EOF"
        ),
        Some((7, 12))
    );
    assert_eq!(
        expected_position("// Syntax error at line 2, column 10"),
        Some((2, 10))
    );
    assert_eq!(
        expected_position("// enum shapes cannot be used in Smithy version 1.0"),
        None
    );
}

fn loads_trait_definitions_and_rest_json_protocol_tests_together() {
    let shared = shared();
    let mut paths = Vec::new();
    smithy_files(&shared.join("traits"), &mut paths);
    smithy_files(&shared.join("protocol-tests/restJson1"), &mut paths);
    paths.push(shared.join("protocol-tests/shared-types.smithy"));
    let files: Vec<SourceFile> = paths.iter().map(|p| source(p)).collect();
    let doc = load(&files).unwrap_or_else(|e| panic!("protocol test models failed to load: {e}"));
    let shapes = doc["shapes"].as_object().unwrap();
    let service = &shapes["aws.protocoltests.restjson#RestJson"];
    assert_eq!(service["type"], "service");
    let operations = service["operations"].as_array().unwrap();
    assert!(
        operations.len() > 50,
        "expected the restJson1 operations, found {}",
        operations.len()
    );
    assert!(operations
        .iter()
        .any(|o| o["target"] == "aws.protocoltests.restjson#AllQueryStringTypes"));
    // Every operation the service lists is defined.
    for op in operations {
        let id = op["target"].as_str().unwrap();
        assert_eq!(shapes[id]["type"], "operation", "{id}");
    }
    let op = &shapes["aws.protocoltests.restjson#AllQueryStringTypes"];
    let tests = op["traits"]["smithy.test#httpRequestTests"]
        .as_array()
        .unwrap();
    let first = &tests[0];
    assert_eq!(first["protocol"], "aws.protocols#restJson1");
    assert_eq!(first["method"], "GET");
    assert!(first["params"].is_object());
    assert_eq!(
        service["traits"]["aws.protocols#restJson1"],
        serde_json::json!({})
    );
    // Shared types resolve into their own namespace.
    assert!(shapes.contains_key("aws.protocoltests.shared#StringList"));
}

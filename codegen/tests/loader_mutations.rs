//! The model loaders fed mutated versions of real models: the Chime SDK Identity JSON AST and a
//! few restJson1 protocol-test `.smithy` files (read from `shared/`, never copied). Byte flips,
//! truncations, deleted and duplicated lines, stray punctuation, values of the wrong JSON type
//! at random paths and values nested 10,000 levels deep: every load must return (`Ok` or a typed
//! error), never panic (`catch_unwind` detects panics; a stack overflow would abort the test
//! binary). Mutated models that still load go through the rest of the pipeline
//! (`codegen::prepare_model`: resolve, lower, emit, render; for a few of them `codegen::prepare`
//! from the written file). The generator is a
//! fixed-seed SplitMix64 and the case counts are fixed, so every run tries the same inputs.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use codegen::idl::SourceFile;
use codegen::model::ModelDocument;
use serde_json::Value;

const CHIME: &str = "chime-sdk-identity-2021-04-20.json";
const CHIME_SERVICE: &str = "com.amazonaws.chimesdkidentity#ChimeIdentityService";
const IDL_FILES: [&str; 4] = [
    "json-structs.smithy",
    "http-labels.smithy",
    "errors.smithy",
    "documents.smithy",
];

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(path)
}

/// SplitMix64: a tiny deterministic generator (no dependency needed for a fixed seed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Text mutations shared by the JSON and IDL runs. Returns the mutated bytes and a label.
fn mutate_text(text: &str, rng: &mut Rng, punctuation: &[u8]) -> (Vec<u8>, &'static str) {
    let bytes = text.as_bytes();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    match rng.below(6) {
        0 => {
            let mut out = bytes.to_vec();
            for _ in 0..=rng.below(3) {
                let at = rng.below(out.len());
                out[at] ^= 1 << rng.below(8);
            }
            (out, "byte flip")
        }
        1 => (bytes[..rng.below(bytes.len())].to_vec(), "truncation"),
        2 => {
            let mut out = lines.clone();
            for _ in 0..=rng.below(4) {
                if !out.is_empty() {
                    let at = rng.below(out.len());
                    out.remove(at);
                }
            }
            (out.concat().into_bytes(), "deleted lines")
        }
        3 => {
            let mut out = lines.clone();
            let at = rng.below(out.len());
            let line = out[at];
            out.insert(at, line);
            (out.concat().into_bytes(), "duplicated line")
        }
        4 => {
            let mut out = bytes.to_vec();
            let at = rng.below(out.len());
            out.insert(at, punctuation[rng.below(punctuation.len())]);
            (out, "inserted punctuation")
        }
        _ => {
            let mut out = bytes.to_vec();
            let at = rng.below(out.len());
            let len = rng.below(40).min(out.len() - at);
            out.drain(at..at + len);
            (out, "deleted span")
        }
    }
}

/// A value of a different JSON type than `v`.
fn wrong_type(v: &Value, rng: &mut Rng) -> Value {
    let candidates = [
        Value::Null,
        Value::Bool(true),
        Value::from(-7),
        Value::from(1e300),
        Value::from("smithy.api#String"),
        Value::Array(vec![Value::from(1)]),
        serde_json::json!({"target": 5, "traits": []}),
    ];
    loop {
        let c = &candidates[rng.below(candidates.len())];
        if std::mem::discriminant(c) != std::mem::discriminant(v)
            || (v.is_number() && !c.is_number())
        {
            return c.clone();
        }
    }
}

/// Replaces the value at a random path (descending at random, stopping at random) with a value
/// of the wrong type. Returns the path.
fn mutate_value(root: &mut Value, rng: &mut Rng) -> String {
    let mut path = String::new();
    let mut node = root;
    loop {
        let children = match node {
            Value::Object(map) => map.len(),
            Value::Array(items) => items.len(),
            _ => 0,
        };
        // Go deeper with probability 5/6 while there are children.
        if children == 0 || (rng.below(6) == 0 && !path.is_empty()) {
            break;
        }
        let pick = rng.below(children);
        node = match node {
            Value::Object(map) => {
                let key = map.keys().nth(pick).cloned().unwrap_or_default();
                path.push('/');
                path.push_str(&key);
                map.get_mut(&key).unwrap()
            }
            Value::Array(items) => {
                path.push_str(&format!("/{pick}"));
                &mut items[pick]
            }
            _ => unreachable!(),
        };
    }
    let replacement = wrong_type(node, rng);
    *node = replacement;
    path
}

#[derive(Default)]
struct Tally {
    tried: usize,
    ok: usize,
    errors: usize,
    panics: Vec<String>,
}

impl Tally {
    /// Runs `f` catching panics; `Ok(true)` counts as a load, `Ok(false)` as an error.
    fn run(&mut self, label: String, f: impl FnOnce() -> bool) -> bool {
        self.tried += 1;
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(true) => {
                self.ok += 1;
                true
            }
            Ok(false) => {
                self.errors += 1;
                false
            }
            Err(payload) => {
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                self.panics.push(format!("{label}: {message}"));
                false
            }
        }
    }
}

fn load_json(value: Value) -> Result<codegen::model::Model, codegen::error::CodegenError> {
    codegen::model::load_documents(&[ModelDocument {
        file: PathBuf::from(CHIME),
        value,
    }])
}

/// The hand-written endpoint test expectations of the manifest's Chime entry.
fn endpoint_expectations() -> Vec<codegen::ir::endpoint::HandExpectation> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/services.toml");
    codegen::manifest::read(&manifest)
        .unwrap()
        .into_iter()
        .find(|spec| spec.service == CHIME_SERVICE)
        .unwrap()
        .endpoint_expectations
}

fn spec(model: PathBuf, out: PathBuf) -> codegen::manifest::ServiceSpec {
    codegen::manifest::ServiceSpec {
        crate_name: "mutated".into(),
        crate_version: "0.1.0".into(),
        service: CHIME_SERVICE.into(),
        models: vec![model],
        out,
        partitions: Some(shared("models/partitions.json")),
        test_partitions: Some(shared("models/partitions-2025-04.json")),
        examples: None,
        changelog: None,
        runtime: Default::default(),
        endpoint_expectations: endpoint_expectations(),
        strict: false,
    }
}

/// Everything after loading (resolve, lower, emit, render), as `cargo xtask codegen` runs it on a
/// loaded model: errors are fine, panics are not.
fn pipeline(model: codegen::model::Model) -> bool {
    let spec = spec(PathBuf::from(CHIME), PathBuf::from("unused"));
    codegen::prepare_model(&spec, model).is_ok()
}

#[test]
fn mutated_models_give_errors_not_panics() {
    let started = std::time::Instant::now();
    let original = std::fs::read_to_string(shared(&format!("models/{CHIME}"))).unwrap();
    let original_value: Value = serde_json::from_str(&original).unwrap();
    // Controls: the unmutated model goes through every stage this test drives.
    assert!(
        pipeline(load_json(original_value.clone()).unwrap()),
        "the unmutated model emits"
    );
    let control = tempfile::tempdir().unwrap();
    let rendered = codegen::prepare(&spec(
        shared(&format!("models/{CHIME}")),
        control.path().join("out"),
    ));
    assert!(
        rendered.is_ok(),
        "the unmutated model renders: {:?}",
        rendered.err()
    );
    let mut rng = Rng(0x5EED_2021_0420);

    // 1. JSON text mutations through the file loader (`load_model` reads and parses the file).
    let dir = tempfile::tempdir().unwrap();
    let mut json_text = Tally::default();
    let mut unparseable = 0;
    for i in 0..120 {
        let (bytes, label) = mutate_text(&original, &mut rng, b"{}[],:\"\\0-e.");
        let file = dir.path().join(format!("m{i}.json"));
        std::fs::write(&file, &bytes).unwrap();
        if serde_json::from_slice::<Value>(&bytes).is_err() {
            unparseable += 1;
        }
        json_text.run(format!("json text #{i} ({label})"), || {
            codegen::load_model(std::slice::from_ref(&file)).is_ok()
        });
    }

    // 2. Wrong JSON types at random paths, through `load_documents`; what still loads goes
    //    through `prepare_model`.
    let mut json_types = Tally::default();
    let mut pipeline_runs = Tally::default();
    let mut valid_mutants = Vec::new();
    for i in 0..300 {
        let mut value = original_value.clone();
        let mut paths = Vec::new();
        for _ in 0..=rng.below(3) {
            paths.push(mutate_value(&mut value, &mut rng));
        }
        let label = format!("json types #{i} at {paths:?}");
        let mut loaded = None;
        json_types.run(label.clone(), || match load_json(value.clone()) {
            Ok(model) => {
                loaded = Some(model);
                true
            }
            Err(err) => {
                assert!(!err.to_string().is_empty());
                false
            }
        });
        if let Some(model) = loaded {
            if i % 3 == 0 {
                pipeline_runs.run(format!("pipeline after {label}"), || pipeline(model));
            }
            if valid_mutants.len() < 3 && paths.iter().all(|p| p.starts_with("/shapes")) {
                valid_mutants.push((label, value));
            }
        }
    }

    // 3. Values nested 10,000 levels deep in both syntaxes: a JSON AST file and IDL trait and
    //    node values. Every load must end with an error instead of overflowing the stack.
    let depth = 10_000;
    let mut deep = Tally::default();
    let deep_json = original.replacen(
        "\"shapes\": {",
        &format!(
            "\"metadata\": {{\"deep\": {}{}}}, \"shapes\": {{",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
        1,
    );
    let file = dir.path().join("deep.json");
    std::fs::write(&file, deep_json).unwrap();
    deep.run("10,000-level JSON metadata".into(), || {
        codegen::load_model(std::slice::from_ref(&file)).is_ok()
    });
    let nested_list = format!("{}\"x\"{}", "[".repeat(depth), "]".repeat(depth));
    let nested_object = format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth));
    let idl_cases = [
        format!("$version: \"2.0\"\nmetadata deep = {nested_list}\nnamespace a.b\nstring S\n"),
        format!("$version: \"2.0\"\nnamespace a.b\n@tags({nested_list})\nstring S\n"),
        format!("$version: \"2.0\"\nnamespace a.b\n@trait\nstructure t {{}}\n@t({nested_object})\nstring S\n"),
        format!("$version: \"2.0\"\nnamespace a.b\nstructure S {{\n    @default({nested_list})\n    m: String\n}}\n"),
        format!("$version: \"2.0\"\nnamespace a.b\n{}", "apply S @documentation(\"x\")\n".repeat(depth)),
        format!("$version: \"2.0\"\nnamespace a.b\nstring S\n{}", "@".repeat(depth)),
    ];
    for (i, text) in idl_cases.iter().enumerate() {
        let files = [SourceFile {
            name: format!("deep{i}.smithy"),
            text: text.clone(),
        }];
        deep.run(format!("deep IDL case {i}"), || {
            match codegen::idl::load(&files) {
                Ok(value) => load_json(value).is_ok(),
                Err(_) => false,
            }
        });
    }

    // 4. The whole pipeline, formatting included, on mutated models that still load.
    let mut renders = Tally::default();
    for (i, (label, value)) in valid_mutants.into_iter().enumerate() {
        let file = dir.path().join(format!("valid{i}.json"));
        std::fs::write(&file, serde_json::to_vec(&value).unwrap()).unwrap();
        let spec = spec(file, dir.path().join(format!("out{i}")));
        renders.run(format!("render after {label}"), || {
            codegen::prepare(&spec).is_ok()
        });
    }

    // 5. IDL: one of four protocol-test files mutated, loaded together with the others.
    let sources: Vec<SourceFile> = IDL_FILES
        .iter()
        .map(|name| SourceFile {
            name: (*name).to_owned(),
            text: std::fs::read_to_string(shared(&format!(
                "smithy/protocol-tests/restJson1/{name}"
            )))
            .unwrap(),
        })
        .collect();
    let mut idl = Tally::default();
    for i in 0..400 {
        let target = rng.below(sources.len());
        let (bytes, label) = mutate_text(&sources[target].text, &mut rng, b"{}[]()@$#:=,\"\\/\n.");
        let mut files = sources.clone();
        files[target].text = String::from_utf8_lossy(&bytes).into_owned();
        idl.run(
            format!("idl #{i} ({label} in {})", IDL_FILES[target]),
            || match codegen::idl::load(&files) {
                Ok(value) => codegen::model::load_documents(&[ModelDocument {
                    file: PathBuf::from("idl"),
                    value,
                }])
                .is_ok(),
                Err(err) => {
                    assert!(!err.to_string().is_empty());
                    false
                }
            },
        );
    }

    let tallies = [
        ("JSON text (load_model)", &json_text),
        ("JSON wrong types (load_documents)", &json_types),
        ("10,000-level JSON and IDL values", &deep),
        ("prepare_model on loaded mutants", &pipeline_runs),
        ("render (whole pipeline)", &renders),
        ("IDL text (idl::load + load_documents)", &idl),
    ];
    println!();
    println!("loader_mutations report ({:.1?})", started.elapsed());
    println!("| target                                 | tried | ok  | errors | panics |");
    println!("|----------------------------------------|-------|-----|--------|--------|");
    for (name, t) in &tallies {
        println!(
            "| {name:<38} | {:>5} | {:>3} | {:>6} | {:>6} |",
            t.tried,
            t.ok,
            t.errors,
            t.panics.len()
        );
    }
    println!("(JSON text mutants that serde_json itself rejects: {unparseable})");
    let panics: Vec<&String> = tallies.iter().flat_map(|(_, t)| &t.panics).collect();
    assert!(panics.is_empty(), "{} panics:\n{panics:#?}", panics.len());
    assert!(
        json_types.ok > 0 && json_types.errors > 0,
        "mutations both load and fail"
    );
    assert!(idl.errors > 0 && json_text.errors > 0);
    assert!(
        renders.tried > 0,
        "some mutated models went through the whole pipeline"
    );
}

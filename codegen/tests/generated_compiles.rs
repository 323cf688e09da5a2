//! The crates generated from the test models (`model/test-models/`) and from RestJsonValidation
//! (a restJson1 service of the Smithy protocol test models) compile, pass
//! `cargo clippy -- -D warnings` with the `test-util` and `blocking` features, and their fixture
//! tests (redaction, streaming, blocking calls, authentication, endpoint parameters bound from
//! every source) pass. Both ways of getting the runtime are built: the obstacle course and the
//! event stream model carry a vendored copy of the runtime (`runtime = "vendored"`; the latter
//! with the `event-stream` capability's modules), the other crates depend on the runtime crate.
//!
//! The crates are generated into `<target>/tmp/generated-compiles/` as one workspace of their
//! own, with its own target folder there, so reruns are incremental.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The crates generated with a vendored runtime (the others depend on the runtime crate).
const VENDORED: &[&str] = &["obstacle-course", "event-streams"];

/// (folder, model file of `model/test-models/`, crate name, service).
const MODELS: &[(&str, &str, &str, &str)] = &[
    (
        "event-streams",
        "event-streams.smithy",
        "event_streams",
        "com.example.streams#Chat",
    ),
    (
        "obstacle-course",
        "obstacle-course",
        "obstacle_course",
        "com.example.obstacle#ObstacleCourse",
    ),
    (
        "legacy-v1",
        "legacy-v1",
        "legacy_v1",
        "com.example.legacy#Legacy",
    ),
    (
        "auth-service",
        "auth",
        "auth_service",
        "com.example.auth#AuthService",
    ),
    (
        "key-service",
        "auth",
        "key_service",
        "com.example.auth#KeyService",
    ),
    (
        "open-service",
        "auth",
        "open_service",
        "com.example.auth#OpenService",
    ),
    (
        "endpoint-params",
        "endpoint-params",
        "endpoint_params",
        "com.example.endpoints#EndpointService",
    ),
];

/// The crates whose model has endpoint rules, generated with the current partition data.
const WITH_PARTITIONS: &[&str] = &["endpoint-params"];

/// Test files (from `tests/fixtures/`) copied into a generated crate's `tests/` folder:
/// (crate folder, fixture file, test name).
const FIXTURES: &[(&str, &str, &str)] = &[
    ("obstacle-course", "obstacle_redaction", "redaction"),
    ("obstacle-course", "obstacle_streaming", "streaming"),
    ("obstacle-course", "obstacle_blocking", "blocking"),
    ("auth-service", "auth_service", "auth"),
    ("key-service", "key_service", "auth"),
    ("open-service", "open_service", "auth"),
    ("endpoint-params", "endpoint_params", "endpoint_params"),
];

/// The restJson1 services of `shared/smithy/protocol-tests/restJson1` that no crate of
/// `protocol-tests/` compiles (those compile and run RestJson, Glacier and API Gateway):
/// (folder and crate name, service).
const PROTOCOL_SERVICES: &[(&str, &str)] = &[(
    "restjson_validation",
    "aws.protocoltests.restjson.validation#RestJsonValidation",
)];

/// The model files of the restJson1 protocol tests (the generator brings its own prelude).
fn protocol_models(manifest_dir: &Path) -> Vec<PathBuf> {
    let smithy = manifest_dir.join("../../shared/smithy");
    let mut models = vec![
        smithy.join("protocol-tests/restJson1"),
        smithy.join("protocol-tests/shared-types.smithy"),
        smithy.join("protocol-tests/aws-config.smithy"),
    ];
    for entry in std::fs::read_dir(smithy.join("traits")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n != "prelude.smithy") {
            models.push(path);
        }
    }
    models
}

fn generate_workspace() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-compiles");
    std::fs::create_dir_all(&root).unwrap();
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut members = Vec::new();
    let sources = MODELS
        .iter()
        .map(|(folder, model, crate_name, service)| {
            let file = if model.ends_with(".smithy") {
                (*model).to_owned()
            } else {
                format!("{model}.json")
            };
            let model = manifest_dir.join("../model/test-models").join(file);
            (*folder, *crate_name, *service, vec![model])
        })
        .chain(
            PROTOCOL_SERVICES
                .iter()
                .map(|(name, service)| (*name, *name, *service, protocol_models(manifest_dir))),
        );
    for (folder, crate_name, service, models) in sources {
        // The same calls as `cargo xtask codegen`; the fixture tests are added after.
        let spec = codegen::manifest::ServiceSpec {
            crate_name: crate_name.into(),
            crate_version: "0.1.0".into(),
            service: service.into(),
            models,
            out: root.join(folder),
            partitions: WITH_PARTITIONS
                .contains(&folder)
                .then(|| manifest_dir.join("../../shared/models/partitions.json")),
            test_partitions: None,
            examples: None,
            changelog: None,
            runtime: if VENDORED.contains(&folder) {
                codegen::manifest::RuntimeMode::Vendored
            } else {
                codegen::manifest::RuntimeMode::Crate
            },
            endpoint_expectations: Vec::new(),
            strict: false,
        };
        let prepared = codegen::prepare(&spec).unwrap();
        if VENDORED.contains(&folder) {
            let text = |path: &str| {
                let file = prepared.files().iter().find(|f| f.path == path).unwrap();
                String::from_utf8(file.bytes.clone()).unwrap()
            };
            let manifest = text("Cargo.toml");
            assert!(!manifest.contains("smithy-rust-runtime"), "{manifest}");
            assert!(prepared
                .files()
                .iter()
                .any(|f| f.path == "src/runtime/codegen.rs"));
            // The runtime's unit tests run once, in the runtime crate.
            for file in prepared
                .files()
                .iter()
                .filter(|f| f.path.starts_with("src/runtime/"))
            {
                assert!(!text(&file.path).contains("#[cfg(test)]"), "{}", file.path);
            }
        }
        codegen::finish(&spec, prepared, codegen::Mode::Write).unwrap();
        for (_, fixture, test) in FIXTURES.iter().filter(|(f, ..)| *f == folder) {
            let tests = spec.out.join("tests");
            std::fs::create_dir_all(&tests).unwrap();
            std::fs::copy(
                manifest_dir.join(format!("tests/fixtures/{fixture}.rs")),
                tests.join(format!("{test}.rs")),
            )
            .unwrap();
        }
        members.push(format!("\"{folder}\""));
    }
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // Same dependency versions as the repository's own generated crate (and no network resolve
    // when the lock file already has them).
    let lock = root.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(manifest_dir.join("../Cargo.lock"), &lock).unwrap();
    }
    root
}

fn cargo(root: &Path, args: &[&str]) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo {} failed:\n{}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn test_model_crates_build_lint_and_redact() {
    let root = generate_workspace();
    cargo(
        &root,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            "test-util,blocking",
            "--",
            "-D",
            "warnings",
        ],
    );
    cargo(
        &root,
        &["test", "--workspace", "--features", "test-util,blocking"],
    );
}

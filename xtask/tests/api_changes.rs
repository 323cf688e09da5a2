//! Model updates through the CLI: `cargo xtask diff`, what `codegen` and `codegen --check` say
//! about the API, and `--bump` (manifest version and changelog), in a temporary project made of
//! a manifest, the test model `model/test-models/diff/base.smithy` and its changed versions.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SERVICE: &str = "example.notes#Notes";

fn diff_models() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/test-models/diff")
}

fn partitions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/models/partitions.json")
}

fn xtask(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn succeeds(output: Output) -> Output {
    assert!(
        output.status.success(),
        "stdout: {}\nstderr: {}",
        stdout(&output),
        stderr(&output)
    );
    output
}

/// A project with `model/services.toml` for the notes service at version 0.1.0, its model
/// `model/notes.smithy` (the base model) and an example program.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("model/examples/notes")).unwrap();
    std::fs::copy(
        diff_models().join("base.smithy"),
        dir.path().join("model/notes.smithy"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("model/examples/notes/list.rs"),
        "//! Lists notes.\nfn main() {}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("model/services.toml"),
        format!(
            "# Test services.\n\n[[service]]\ncrate = \"notes\"\nversion = \"0.1.0\"  # first release\n\
             shape = \"{SERVICE}\"\nmodels = [\"notes.smithy\"]\nout = \"../out/notes\"\n\
             partitions = {:?}\nexamples = \"examples/notes\"\n",
            partitions().display().to_string()
        ),
    )
    .unwrap();
    dir
}

fn change_model(dir: &Path, case: &str) {
    std::fs::copy(
        diff_models().join(format!("cases/{case}.smithy")),
        dir.join("model/notes.smithy"),
    )
    .unwrap();
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|err| panic!("{path}: {err}"))
}

#[test]
fn diff_compares_two_models_as_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let base = diff_models().join("base.smithy");
    let new = diff_models().join("cases/remove-operation.smithy");
    let partitions = partitions();
    let args = [
        "diff",
        "--model",
        new.to_str().unwrap(),
        "--service",
        SERVICE,
        "--partitions",
        partitions.to_str().unwrap(),
        "--base",
        base.to_str().unwrap(),
    ];
    let output = succeeds(xtask(dir.path(), &args));
    let text = stdout(&output);
    assert!(
        text.contains("Client::delete_note: operation `DeleteNote` removed"),
        "{text}"
    );
    assert!(text.contains("types::error::ArchivedError: error structure removed"));
    assert_eq!(
        text.lines().last().unwrap(),
        "semver: major (0.1.0 -> 0.2.0; a 0.x crate bumps its minor version for breaking changes under Cargo's rules)"
    );
    let output = succeeds(xtask(dir.path(), &[&args[..], &["--json"]].concat()));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["semver"], "major");
    assert_eq!(json["next_version"], "0.2.0");
    assert_eq!(json["counts"]["breaking"], 2);
    assert_eq!(json["changes"][0]["item"], "Client::delete_note");
}

#[test]
fn diff_without_a_committed_api_says_what_to_do() {
    let dir = project();
    let output = xtask(dir.path(), &["diff"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("out/notes/api.json"), "{err}");
    assert!(err.contains("--base <old model>"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn regeneration_check_and_bump_tell_what_changed() {
    let dir = project();
    let dir = dir.path();
    // First generation: nothing to compare with.
    let output = succeeds(xtask(dir, &["codegen"]));
    assert!(!stdout(&output).contains("API:"), "{}", stdout(&output));
    assert!(read(dir, "out/notes/api.json").contains("\"version\": \"0.1.0\""));
    // The example is built from its source, not from a copy.
    let cargo_toml = read(dir, "out/notes/Cargo.toml");
    assert!(
        cargo_toml.contains(
            "[[example]]\nname = \"list\"\npath = \"../../model/examples/notes/list.rs\"\n"
        ),
        "{cargo_toml}"
    );
    assert_eq!(
        read(dir, "out/notes/../../model/examples/notes/list.rs"),
        read(dir, "model/examples/notes/list.rs")
    );
    assert!(!dir.join("out/notes/examples").exists());

    // The model loses an operation: --check gives the API summary, then a line per file.
    change_model(dir, "remove-operation");
    let output = xtask(dir, &["codegen", "--check"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        "stale: notes: the model changed the API: 2 breaking; semver: major (0.1.0 -> 0.2.0; a 0.x crate \
         bumps its minor version for breaking changes under Cargo's rules) (`cargo xtask diff` prints the full report)"
    );
    // The API description only loses lines; the operation's files would be deleted.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("stale: out/notes/src/client.rs (+0 -")),
        "{err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("stale: out/notes/api.json (+0 -")),
        "{err}"
    );
    for file in [
        "delete_note.rs",
        "delete_note/builders.rs",
        "delete_note/error.rs",
    ] {
        let prefix = format!("stale: out/notes/src/operation/{file} (would delete, -");
        assert!(
            lines.iter().any(|l| l.starts_with(&prefix)),
            "{prefix}: {err}"
        );
    }
    assert!(!err.contains("not generated"), "{err}");
    assert!(lines
        .last()
        .unwrap()
        .starts_with("error: generated code is stale"));

    // --bump: version by the verdict, changelog entry, regenerated crate.
    let output = succeeds(xtask(dir, &["codegen", "--bump"]));
    let out = stdout(&output);
    assert!(
        out.contains(
            "notes: version 0.1.0 -> 0.2.0 in model/services.toml (major changes since 0.1.0)"
        ),
        "{out}"
    );
    assert!(out.contains("  API: 2 breaking; semver: major"), "{out}");
    assert!(out.contains("full report: "), "{out}");
    let manifest = read(dir, "model/services.toml");
    assert!(
        manifest.contains("version = \"0.2.0\"  # first release\n"),
        "{manifest}"
    );
    assert!(manifest.starts_with("# Test services.\n"), "{manifest}");
    assert!(
        manifest.contains("changelog = \"changelogs/notes.md\""),
        "{manifest}"
    );
    let changelog = read(dir, "model/changelogs/notes.md");
    assert!(changelog.contains("## 0.2.0\n"), "{changelog}");
    assert!(
        changelog.contains("- `Client::delete_note`: operation `DeleteNote` removed"),
        "{changelog}"
    );
    let crate_changelog = read(dir, "out/notes/CHANGELOG.md");
    assert!(crate_changelog.ends_with(&changelog), "{crate_changelog}");
    assert!(read(dir, "out/notes/Cargo.toml").contains("version = \"0.2.0\""));
    assert!(read(dir, "out/notes/api.json").contains("\"version\": \"0.2.0\""));
    let report = read(dir, "target/api-changes/notes.txt");
    assert!(report.contains("Client::delete_note"), "{report}");
    assert!(report.ends_with("under Cargo's rules)\n"), "{report}");
    succeeds(xtask(dir, &["codegen", "--check"]));

    // Nothing changed since: --bump leaves the version and changelog alone.
    let output = succeeds(xtask(dir, &["codegen", "--bump"]));
    assert!(
        stdout(&output).contains("notes: no API changes; version stays 0.2.0"),
        "{}",
        stdout(&output)
    );
    assert_eq!(read(dir, "model/changelogs/notes.md"), changelog);
    let output = succeeds(xtask(dir, &["diff"]));
    assert!(stdout(&output).contains("no changes users can see"));

    // Regenerated without --bump (the model gets its operation back and a new enum value):
    // codegen says the version was not set, and `diff --bump` against the previous api.json
    // sets it.
    std::fs::copy(
        dir.join("out/notes/api.json"),
        dir.join("previous-api.json"),
    )
    .unwrap();
    change_model(dir, "add-enum-value");
    let output = succeeds(xtask(dir, &["codegen"]));
    let out = stdout(&output);
    assert!(
        out.contains("  API: 3 additive; semver: minor (0.2.0 -> 0.2.1"),
        "{out}"
    );
    assert!(out.contains("the version is still 0.2.0"), "{out}");
    let output = succeeds(xtask(
        dir,
        &["diff", "--base-api", "previous-api.json", "--bump"],
    ));
    let out = stdout(&output);
    assert!(
        out.contains("types::Color::Blue: new enum value \"blue\""),
        "{out}"
    );
    assert!(
        out.contains("Client::delete_note: new operation `DeleteNote`"),
        "{out}"
    );
    assert!(out.contains("notes: version 0.2.0 -> 0.2.1"), "{out}");
    let changelog = read(dir, "model/changelogs/notes.md");
    assert!(
        changelog.find("## 0.2.1").unwrap() < changelog.find("## 0.2.0").unwrap(),
        "{changelog}"
    );
    succeeds(xtask(dir, &["codegen"]));
    succeeds(xtask(dir, &["codegen", "--check"]));
}

#[test]
fn a_broken_committed_api_json_is_named_and_regeneration_still_works() {
    let dir = project();
    let dir = dir.path();
    succeeds(xtask(dir, &["codegen"]));
    std::fs::write(dir.join("out/notes/api.json"), "{ \"format\": 1, ").unwrap();
    let output = xtask(dir, &["diff"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("out/notes/api.json: invalid API description:"),
        "{err}"
    );
    let output = succeeds(xtask(dir, &["codegen"]));
    let out = stdout(&output);
    assert!(
        out.contains("warning: API changes not compared:") && out.contains("api.json"),
        "{out}"
    );
    succeeds(xtask(dir, &["codegen", "--check"]));
}

#[test]
fn a_base_model_without_the_service_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let new = diff_models().join("base.smithy");
    let other = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/test-models/legacy-v1.json");
    let partitions = partitions();
    let output = xtask(
        dir.path(),
        &[
            "diff",
            "--model",
            new.to_str().unwrap(),
            "--service",
            SERVICE,
            "--partitions",
            partitions.to_str().unwrap(),
            "--base",
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("legacy-v1.json: in the base model:"), "{err}");
    assert!(err.contains("example.notes#Notes"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A previous model is only described: its endpoint test cases (written against the partition
/// data of their time) are not checked; as the new model, a disagreeing case is recorded, not
/// fatal.
#[test]
fn a_base_model_is_described_without_checking_its_endpoint_tests() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(diff_models().join("base.smithy")).unwrap();
    let with_tests = base.replacen(
        "service Notes {",
        "@smithy.rules#endpointTests({\n    version: \"1.0\"\n    testCases: [\n        {\n            \
         documentation: \"No endpoint URL\"\n            params: {}\n            \
         expect: { error: \"An older wording of the error.\" }\n        }\n    ]\n})\nservice Notes {",
        1,
    );
    assert_ne!(with_tests, base);
    let old = dir.path().join("old.smithy");
    std::fs::write(&old, with_tests).unwrap();
    let new = diff_models().join("cases/add-operation.smithy");
    let partitions = partitions();
    let diff = |model: &Path, base: &Path| {
        xtask(
            dir.path(),
            &[
                "diff",
                "--model",
                model.to_str().unwrap(),
                "--service",
                SERVICE,
                "--partitions",
                partitions.to_str().unwrap(),
                "--base",
                base.to_str().unwrap(),
            ],
        )
    };
    let output = succeeds(diff(&new, &old));
    assert!(
        stdout(&output).contains("new operation `ArchiveNote`"),
        "{}",
        stdout(&output)
    );
    // As the new model, an endpoint test case that disagrees with the rules does not block
    // either (issue 14): it is recorded in the generated tests, and the diff is made.
    let output = succeeds(diff(&old, &new));
    assert!(
        stdout(&output).contains("ArchiveNote"),
        "{}",
        stdout(&output)
    );
}

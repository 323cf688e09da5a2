//! Bad input through the CLI binary: exit code 1, one clear message naming the file, the shape
//! and the problem, no panic, and nothing under the output folder changes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn good_model() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/test-models/legacy-v1.json")
}

/// Runs codegen on `model` for `service` and expects a failure whose stderr holds all `needles`.
fn expect_failure(output: &Output, needles: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error")).count(),
        1,
        "one error line: {stderr}"
    );
    for needle in needles {
        assert!(stderr.contains(needle), "`{needle}` not in: {stderr}");
    }
    stderr
}

fn codegen_model(dir: &Path, model: &Path, service: &str) -> Output {
    xtask(
        &[
            "codegen",
            "--model",
            model.to_str().unwrap(),
            "--service",
            service,
            "--out",
            dir.join("out").to_str().unwrap(),
        ],
        dir,
    )
}

fn write_model(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const SERVICE: &str = "com.example.legacy#Legacy";

#[test]
fn not_json() {
    let dir = tempfile::tempdir().unwrap();
    let model = write_model(dir.path(), "broken.json", "{ \"smithy\": \"2.0\", ");
    let output = codegen_model(dir.path(), &model, SERVICE);
    expect_failure(
        &output,
        &["broken.json", "not a valid JSON model", "line 1"],
    );
}

#[test]
fn missing_member_target() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(good_model()).unwrap().replace(
        "\"target\": \"com.example.legacy#BoxedSize\"",
        "\"target\": \"com.example.legacy#Nowhere\"",
    );
    let model = write_model(dir.path(), "missing-target.json", &text);
    let output = codegen_model(dir.path(), &model, SERVICE);
    expect_failure(
        &output,
        &[
            "missing-target.json",
            "com.example.legacy#Result",
            "MaybeSize",
            "com.example.legacy#Nowhere",
            "does not exist",
        ],
    );
}

#[test]
fn service_names_a_missing_operation() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(good_model()).unwrap().replacen(
        "\"operations\": [",
        "\"operations\": [ { \"target\": \"com.example.legacy#Vanished\" },",
        1,
    );
    assert!(text.contains("Vanished"), "the test edit did not apply");
    let model = write_model(dir.path(), "missing-op.json", &text);
    let output = codegen_model(dir.path(), &model, SERVICE);
    expect_failure(
        &output,
        &[
            "missing-op.json",
            "com.example.legacy#Legacy",
            "com.example.legacy#Vanished",
            "does not exist",
        ],
    );
}

#[test]
fn unsupported_shape_type() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(good_model())
        .unwrap()
        .replace("\"type\": \"integer\"\n", "\"type\": \"quaternion\"\n");
    assert!(text.contains("quaternion"), "the test edit did not apply");
    let model = write_model(dir.path(), "odd-type.json", &text);
    let output = codegen_model(dir.path(), &model, SERVICE);
    expect_failure(
        &output,
        &[
            "odd-type.json",
            "com.example.legacy#",
            "unsupported shape type `quaternion`",
        ],
    );
}

fn manifest_run(dir: &Path, manifest: &str) -> Output {
    let path = dir.join("services.toml");
    std::fs::write(&path, manifest).unwrap();
    xtask(&["codegen", "--manifest", path.to_str().unwrap()], dir)
}

fn service_entry(crate_name: &str, model: &Path, out: &str) -> String {
    format!(
        "[[service]]\ncrate = \"{crate_name}\"\nshape = \"{SERVICE}\"\nmodels = [\"{}\"]\nout = \"{out}\"\n\n",
        model.display()
    )
}

#[test]
fn manifest_errors() {
    let dir = tempfile::tempdir().unwrap();
    let output = manifest_run(dir.path(), "[[service]\ncrate = ");
    expect_failure(&output, &["services.toml", "invalid manifest"]);

    let output = manifest_run(
        dir.path(),
        "[[service]]\ncrate = \"x\"\nmodels = [\"m.json\"]\nout = \"o\"\n",
    );
    expect_failure(&output, &["services.toml", "invalid manifest", "shape"]);

    let entry = service_entry("Bad Name", &good_model(), "out");
    let output = manifest_run(dir.path(), &entry);
    expect_failure(&output, &["services.toml", "Bad Name", "crate"]);
}

/// Every file under `root` with its bytes, sorted.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_failing_run_changes_nothing_under_the_output_folders() {
    let dir = tempfile::tempdir().unwrap();
    let good = good_model();
    // First a good run writes both crates.
    let manifest = format!(
        "{}{}",
        service_entry("first", &good, "out/first"),
        service_entry("second", &good, "out/second")
    );
    let output = manifest_run(dir.path(), &manifest);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Someone edits a generated file; a failing run must not touch it (nor anything else).
    let edited = dir.path().join("out/first/src/lib.rs");
    std::fs::write(&edited, "// edited by hand\n").unwrap();
    let before = snapshot(&dir.path().join("out"));
    // The first service is fine, the second's model is broken.
    let broken = write_model(dir.path(), "broken.json", "not json");
    let manifest = format!(
        "{}{}",
        service_entry("first", &good, "out/first"),
        service_entry("second", &broken, "out/second")
    );
    let output = manifest_run(dir.path(), &manifest);
    expect_failure(&output, &["broken.json"]);
    assert!(
        snapshot(&dir.path().join("out")) == before,
        "the output folder changed"
    );
    assert_eq!(
        std::fs::read_to_string(&edited).unwrap(),
        "// edited by hand\n"
    );
    // No staging folders are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".codegen"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn codegen_with_rustfmt(dir: &Path, rustfmt: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "codegen",
            "--model",
            good_model().to_str().unwrap(),
            "--service",
            SERVICE,
            "--out",
            dir.join("out").to_str().unwrap(),
        ])
        .current_dir(dir)
        .env("RUSTFMT", rustfmt)
        // An empty cache: every file goes through the given rustfmt.
        .env("SMITHY_CODEGEN_CACHE", dir.join("cache"))
        .output()
        .unwrap()
}

#[test]
fn a_missing_rustfmt_says_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = codegen_with_rustfmt(dir.path(), &dir.path().join("no-such-rustfmt"));
    let stderr = expect_failure(
        &output,
        &[
            "rustfmt was not found",
            "no-such-rustfmt",
            "rustup component add rustfmt",
            "RUSTFMT",
        ],
    );
    assert!(!stderr.contains("generator bug"), "{stderr}");
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[cfg(unix)]
#[test]
fn a_failing_rustfmt_is_reported_with_the_generated_file_it_failed_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // Arguments: --edition 2021 --config skip_children=true <files>.
    let script = dir.path().join("broken-rustfmt");
    std::fs::write(
        &script,
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'rustfmt 0.0.0-broken'; exit 0; fi\n\
         echo \"error: cannot format $5\" >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let output = codegen_with_rustfmt(dir.path(), &script);
    let stderr = expect_failure(
        &output,
        &[
            "rustfmt",
            "broken-rustfmt",
            "failed on the generated code",
            "error: cannot format src/",
        ],
    );
    assert!(!stderr.contains("generator bug"), "{stderr}");
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

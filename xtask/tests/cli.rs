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
            // The file and the line of the shape.
            "missing-target.json:52:",
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

fn aws_model(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models/aws")
        .join(name)
}

fn shared_partitions(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models")
        .join(name)
}

fn run_ok(output: &Output) -> (String, String) {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    (stdout, stderr)
}

#[test]
fn the_service_is_optional_with_one_service_and_a_wrong_id_lists_the_services() {
    let dir = tempfile::tempdir().unwrap();
    let model = good_model();
    let out = dir.path().join("legacy");
    run_ok(&xtask(
        &[
            "codegen",
            "--model",
            model.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    ));
    assert!(out.join("src/lib.rs").exists());
    let output = xtask(
        &[
            "codegen",
            "--model",
            model.to_str().unwrap(),
            "--service",
            "com.example.legacy#Legcy",
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    expect_failure(
        &output,
        &[
            "com.example.legacy#Legcy",
            "is not in the model",
            "the model's services: com.example.legacy#Legacy",
        ],
    );
    // A model with several services: the choice is required, and the error lists them.
    let auth = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/test-models/auth.json");
    let output = xtask(
        &[
            "codegen",
            "--model",
            auth.to_str().unwrap(),
            "--out",
            "auth",
        ],
        dir.path(),
    );
    expect_failure(
        &output,
        &[
            "com.example.auth#AuthService",
            "com.example.auth#KeyService",
            "--service",
        ],
    );
}

#[test]
fn flags_of_a_model_run_are_errors_without_model() {
    let dir = tempfile::tempdir().unwrap();
    for flags in [
        &["--out", "x"][..],
        &["--service", "a#B"],
        &["--crate-name", "x"],
        &["--partitions", "p.json"],
        &["--test-partitions", "p.json"],
    ] {
        let mut args = vec!["codegen"];
        args.extend_from_slice(flags);
        let output = xtask(&args, dir.path());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flags:?}: {stderr}");
        assert!(stderr.contains("--model"), "{flags:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing was written"
    );
}

#[test]
fn out_refuses_a_folder_that_is_not_a_generated_crate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mine");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let output = xtask(
        &[
            "codegen",
            "--model",
            good_model().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    expect_failure(
        &output,
        &["mine", "refusing to write", ".smithy-rust-codegen"],
    );
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["notes.txt"], "the folder is untouched");
}

#[test]
fn regenerating_keeps_what_the_generator_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("legacy");
    let model = good_model();
    let args = [
        "codegen",
        "--model",
        model.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    run_ok(&xtask(&args, dir.path()));
    std::fs::create_dir_all(out.join("target/debug")).unwrap();
    std::fs::write(out.join("target/debug/build-output"), "x").unwrap();
    std::fs::write(out.join("Cargo.lock"), "# lock").unwrap();
    std::fs::write(out.join("src/mine.rs"), "// mine").unwrap();
    // A file the generator wrote before and no longer writes is removed (with its empty folder).
    std::fs::create_dir_all(out.join("src/gone")).unwrap();
    std::fs::write(out.join("src/gone/old.rs"), "// old").unwrap();
    let marker = out.join(".smithy-rust-codegen");
    let mut text = std::fs::read_to_string(&marker).unwrap();
    text.push_str("src/gone/old.rs\n");
    std::fs::write(&marker, text).unwrap();
    // A generated file edited by hand is replaced.
    std::fs::write(out.join("src/lib.rs"), "// edited").unwrap();

    run_ok(&xtask(&args, dir.path()));
    assert_eq!(
        std::fs::read_to_string(out.join("target/debug/build-output")).unwrap(),
        "x"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("Cargo.lock")).unwrap(),
        "# lock"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("src/mine.rs")).unwrap(),
        "// mine"
    );
    assert!(!out.join("src/gone").exists());
    assert!(std::fs::read_to_string(out.join("src/lib.rs"))
        .unwrap()
        .contains("DO NOT EDIT"));
    assert!(!std::fs::read_to_string(&marker)
        .unwrap()
        .contains("mine.rs"));
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".codegen"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_user_file_where_the_generator_writes_is_a_conflict_and_nothing_is_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("legacy");
    let model = good_model();
    let args = [
        "codegen",
        "--model",
        model.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    run_ok(&xtask(&args, dir.path()));
    // A file not listed in the marker that holds exactly what the generator writes (a
    // crate merged from another branch of the generator) is taken over: nothing is lost.
    let marker = out.join(".smithy-rust-codegen");
    let text = std::fs::read_to_string(&marker).unwrap();
    assert!(text.contains("README.md\n"), "{text}");
    std::fs::write(&marker, text.replace("README.md\n", "")).unwrap();
    run_ok(&xtask(&args, dir.path()));
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), text);
    // The user's own file at a path the generator writes (not listed in the marker).
    std::fs::write(&marker, text.replace("README.md\n", "")).unwrap();
    std::fs::write(out.join("README.md"), "my readme").unwrap();
    let output = xtask(&args, dir.path());
    expect_failure(&output, &["README.md", "was not written by the generator"]);
    assert_eq!(
        std::fs::read_to_string(out.join("README.md")).unwrap(),
        "my readme"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".codegen"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn out_dot_generates_into_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path().join("weather");
    std::fs::create_dir_all(&here).unwrap();
    let (stdout, _) = run_ok(&xtask(
        &[
            "codegen",
            "--model",
            good_model().to_str().unwrap(),
            "--out",
            ".",
        ],
        &here,
    ));
    assert!(stdout.starts_with("weather:"), "{stdout}");
    assert!(here.join("src/lib.rs").exists() && here.join(".smithy-rust-codegen").exists());
    // Again, into the crate it wrote.
    run_ok(&xtask(
        &[
            "codegen",
            "--model",
            good_model().to_str().unwrap(),
            "--out",
            ".",
        ],
        &here,
    ));
    // A folder whose name is not a crate name needs --crate-name.
    let odd = dir.path().join("My Crate");
    std::fs::create_dir_all(&odd).unwrap();
    let output = xtask(
        &[
            "codegen",
            "--model",
            good_model().to_str().unwrap(),
            "--out",
            ".",
        ],
        &odd,
    );
    expect_failure(&output, &["\"My Crate\"", "--crate-name"]);
}

#[test]
fn a_missing_partitions_file_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let output = xtask(
        &[
            "codegen",
            "--model",
            aws_model("cloudtrail-data-2021-08-11.json")
                .to_str()
                .unwrap(),
            "--out",
            "out",
        ],
        dir.path(),
    );
    expect_failure(
        &output,
        &[
            "aws.partition",
            "--partitions <partitions.json>",
            "partitions.json",
        ],
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn endpoint_cases_that_disagree_are_warned_once_each_then_summarised() {
    let dir = tempfile::tempdir().unwrap();
    let model = aws_model("cloudtrail-data-2021-08-11.json");
    let partitions = shared_partitions("partitions.json");
    let args = [
        "codegen",
        "--model",
        model.to_str().unwrap(),
        "--out",
        "cloudtrail",
        "--partitions",
        partitions.to_str().unwrap(),
    ];
    let (_, stderr) = run_ok(&xtask(&args, dir.path()));
    let case =
        "endpoint test case \"For region us-iso-east-1 with FIPS enabled and DualStack enabled\"";
    assert_eq!(stderr.matches(case).count(), 1, "{stderr}");
    assert!(
        stderr.contains("disagrees with the shipped partition data")
            && stderr.contains("region `us-iso-east-1` is in partition `aws-iso`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: cloudtrail: endpoint tests: ")
            && stderr.contains("test cases disagree with the shipped partition data")
            && stderr.contains("--test-partitions"),
        "{stderr}"
    );
    let tests =
        std::fs::read_to_string(dir.path().join("cloudtrail/src/endpoint/tests.rs")).unwrap();
    assert!(
        tests.contains("check_not_error("),
        "an inverted test records the case"
    );

    // With the partition data the cases were written against, nothing disagrees.
    let old = shared_partitions("partitions-2025-04.json");
    let mut with_old = args.to_vec();
    with_old.extend(["--test-partitions", old.to_str().unwrap()]);
    let (_, stderr) = run_ok(&xtask(&with_old, dir.path()));
    assert!(
        !stderr.contains("does not hold with the test partition data"),
        "{stderr}"
    );
    assert!(
        stderr.contains("differs between the test partition data and the shipped data"),
        "{stderr}"
    );
    assert!(dir
        .path()
        .join("cloudtrail/src/endpoint/test_partitions.rs")
        .exists());
}

#[test]
fn aws_json_event_stream_operations_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    let model = aws_model("kinesis-2013-12-02.json");
    let partitions = shared_partitions("partitions.json");
    let args = [
        "codegen",
        "--model",
        model.to_str().unwrap(),
        "--out",
        "kinesis",
        "--partitions",
        partitions.to_str().unwrap(),
        "--strict",
    ];
    let (stdout, stderr) = run_ok(&xtask(&args, dir.path()));
    assert!(stdout.contains("32 operations"), "{stdout}");
    assert!(!stderr.contains("left out"), "{stderr}");
    let readme = std::fs::read_to_string(dir.path().join("kinesis/README.md")).unwrap();
    assert!(
        !readme.contains("## Operations not in this crate"),
        "{readme}"
    );
    assert!(dir
        .path()
        .join("kinesis/src/types/_subscribe_to_shard_event_stream.rs")
        .exists());
}

#[test]
fn rpcv2_cbor_event_stream_operations_are_left_out_unless_strict() {
    let dir = tempfile::tempdir().unwrap();
    let model =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/test-models/event-streams.smithy");
    let args = [
        "codegen",
        "--model",
        model.to_str().unwrap(),
        "--service",
        "com.example.streams#ChatCbor",
        "--out",
        "chat",
    ];
    let (stdout, stderr) = run_ok(&xtask(&args, dir.path()));
    assert!(stdout.contains("0 operations"), "{stdout}");
    assert!(
        stderr.contains(
            "warning: chat: operation `Converse`: left out of the crate: not supported: event \
             streams (@streaming unions) under rpcv2Cbor"
        ),
        "{stderr}"
    );
    let readme = std::fs::read_to_string(dir.path().join("chat/README.md")).unwrap();
    assert!(
        readme.contains("## Operations not in this crate")
            && readme.contains("- `Converse`: not supported: event streams"),
        "{readme}"
    );
    let lib = std::fs::read_to_string(dir.path().join("chat/src/lib.rs")).unwrap();
    assert!(lib.contains("//! - `Converse`"), "{lib}");
    // Shapes only the left-out operation reaches are left out too.
    assert!(!dir.path().join("chat/src/types/_answer_stream.rs").exists());

    let mut strict = args.to_vec();
    strict[6] = "strict";
    strict.push("--strict");
    let output = xtask(&strict, dir.path());
    expect_failure(&output, &["not supported: event streams", "AnswerStream"]);
    assert!(!dir.path().join("strict").exists());
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_staging_folder() {
    let dir = tempfile::tempdir().unwrap();
    let model = aws_model("neptune-graph-2023-11-29.json");
    let partitions = shared_partitions("partitions.json");
    for delay_ms in [50u64, 400, 900] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args([
                "codegen",
                "--model",
                model.to_str().unwrap(),
                "--out",
                "neptune",
                "--partitions",
                partitions.to_str().unwrap(),
            ])
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let status = child.wait().unwrap();
        assert!(status.code() == Some(130) || status.success(), "{status:?}");
        let out = dir.path().join("neptune");
        if out.exists() {
            let leftovers: Vec<_> = std::fs::read_dir(&out)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".codegen"))
                .collect();
            assert!(leftovers.is_empty(), "{leftovers:?}");
        }
    }
}

#[test]
fn a_repeated_key_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(good_model()).unwrap().replacen(
        "\"version\": \"2019-01-01\",",
        "\"version\": \"2019-01-01\",\n            \"version\": \"2020-01-01\",",
        1,
    );
    assert!(text.contains("2020-01-01"), "the test edit did not apply");
    let model = write_model(dir.path(), "twice.json", &text);
    let output = codegen_model(dir.path(), &model, SERVICE);
    expect_failure(
        &output,
        &[
            "twice.json",
            "the key `version` appears twice in one object",
            "line 7",
        ],
    );
}

#[test]
fn an_unknown_prelude_trait_is_an_error_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(good_model()).unwrap().replacen(
        "\"smithy.api#documentation\"",
        "\"smithy.api#documentaton\"",
        1,
    );
    let model = write_model(dir.path(), "typo.json", &text);
    let output = codegen_model(dir.path(), &model, SERVICE);
    expect_failure(
        &output,
        &[
            "typo.json:4:",
            "com.example.legacy#Legacy",
            "unknown trait `smithy.api#documentaton`",
            "did you mean `smithy.api#documentation`?",
        ],
    );
}

#[test]
fn a_name_clash_names_both_members() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(good_model()).unwrap().replacen(
        "\"MaybeSize\": {",
        "\"maybe_size\": { \"target\": \"smithy.api#String\" },\n                \"MaybeSize\": {",
        1,
    );
    let model = write_model(dir.path(), "clash.json", &text);
    let output = codegen_model(dir.path(), &model, SERVICE);
    expect_failure(
        &output,
        &[
            "clash.json:52:",
            "com.example.legacy#Result",
            "members `maybe_size` and `MaybeSize` both map to the Rust name `maybe_size`",
        ],
    );
}

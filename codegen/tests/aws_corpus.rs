//! The corpus of current AWS models in `../shared/models/aws/` (their README lists them),
//! generated with the CURRENT partition data (`../shared/models/partitions.json`), as a new user
//! would point the generator at them:
//!
//! - every model generates with every operation, restJson1, awsJson1_0 and awsJson1_1 alike
//!   (event streams included: kinesis `SubscribeToShard` and cloudwatch-logs `StartLiveTail`
//!   under awsJson1_1); endpoint test cases the newer partition data changes are recorded, not
//!   fatal;
//! - every generated crate compiles, passes `cargo clippy --all-targets -- -D warnings` with the
//!   `blocking` feature (its paginators are the blocking ones' too), and its tests (the model's
//!   endpoint test cases among them) pass.
//!
//! All of the crates are compiled: they are generated into one workspace under
//! `<target>/tmp/aws-corpus/` that builds in the target folder of `generated_compiles.rs`, so the
//! runtime and its dependencies are compiled once for both; one `cargo clippy` and one
//! `cargo test --no-run` build them all, then each crate's tests run on their own, for the
//! per-model counts (every endpoint test case of the model must be a passing test, none
//! ignored). The per-model table (operations, left out and why, endpoint cases as written and
//! as recorded disagreements, codegen wall time) is printed with `--nocapture`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use codegen::manifest::{RuntimeMode, ServiceSpec};
use serde_json::Value;

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models")
        .join(rel)
}

/// The corpus models, sorted, with their protocol trait.
fn corpus() -> Vec<(PathBuf, String)> {
    let mut models: Vec<PathBuf> = std::fs::read_dir(shared("aws"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    models.sort();
    models
        .into_iter()
        .map(|path| {
            let model: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let service = model["shapes"]
                .as_object()
                .unwrap()
                .values()
                .find(|s| s["type"] == "service")
                .unwrap();
            let protocol = service["traits"]
                .as_object()
                .unwrap()
                .keys()
                .find(|k| k.starts_with("aws.protocols#"))
                .cloned()
                .unwrap_or_default();
            (path, protocol)
        })
        .collect()
}

/// `ebs-2019-11-02.json` -> `ebs`, `cloudfront-keyvaluestore-2022-07-26.json` ->
/// `cloudfront_keyvaluestore`.
fn crate_name(model: &Path) -> String {
    let stem = model.file_stem().unwrap().to_string_lossy();
    let name = stem
        .split('-')
        .take_while(|part| !part.starts_with("20"))
        .collect::<Vec<_>>();
    name.join("_")
}

struct Row {
    model: String,
    outcome: String,
    /// For a generated crate: its name, the model's endpoint test cases, and how many of them
    /// disagree with the shipped partition data.
    generated: Option<(String, usize, usize)>,
}

/// The number of endpoint test cases in `model` (`smithy.rules#endpointTests`).
fn endpoint_cases(model: &Path) -> usize {
    let model: Value = serde_json::from_str(&std::fs::read_to_string(model).unwrap()).unwrap();
    model["shapes"]
        .as_object()
        .unwrap()
        .values()
        .find(|s| s["type"] == "service")
        .and_then(|s| s["traits"]["smithy.rules#endpointTests"]["testCases"].as_array())
        .map_or(0, Vec::len)
}

/// `(passed, failed, ignored)` summed over the `test result:` lines of a `cargo test` run, and
/// the number of passing tests of the generated `endpoint::tests` module.
fn test_counts(stdout: &str) -> ((usize, usize, usize), usize) {
    let mut sums = (0, 0, 0);
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test result: ") else {
            continue;
        };
        let count = |what: &str| -> usize {
            rest.split(';')
                .find_map(|part| {
                    part.trim()
                        .trim_start_matches("ok. ")
                        .trim_start_matches("FAILED. ")
                        .strip_suffix(what)
                })
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(0)
        };
        sums.0 += count(" passed");
        sums.1 += count(" failed");
        sums.2 += count(" ignored");
    }
    let endpoint = stdout
        .lines()
        .filter(|l| l.starts_with("test endpoint::tests::") && l.ends_with("... ok"))
        .count();
    (sums, endpoint)
}

#[test]
fn corpus_generates_compiles_lints_and_passes_its_endpoint_tests() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("aws-corpus");
    std::fs::create_dir_all(&root).unwrap();
    let mut rows = Vec::new();
    let mut members = Vec::new();
    let mut largest = (0usize, String::new(), 0u128);
    for (model, protocol) in corpus() {
        let name = crate_name(&model);
        let spec = ServiceSpec {
            crate_name: name.clone(),
            crate_version: "0.1.0".into(),
            service: String::new(),
            models: vec![model.clone()],
            out: root.join(&name),
            partitions: Some(shared("partitions.json")),
            test_partitions: None,
            examples: None,
            changelog: None,
            runtime: RuntimeMode::Crate,
            endpoint_expectations: Vec::new(),
            strict: false,
        };
        let file = model.file_name().unwrap().to_string_lossy().into_owned();
        let started = Instant::now();
        let prepared = codegen::prepare(&spec);
        let millis = started.elapsed().as_millis();
        let prepared = prepared.unwrap_or_else(|err| panic!("{file}: {err}"));
        let warnings = prepared.warnings();
        let left_out: Vec<String> = warnings
            .iter()
            .filter(|w| w.subject.starts_with("operation"))
            .map(|w| {
                format!(
                    "{} ({})",
                    w.subject,
                    w.message.split(" (listed").next().unwrap_or("")
                )
            })
            .collect();
        // Every feature the corpus uses works: no operation is left out.
        assert!(left_out.is_empty(), "{file}: {left_out:?}");
        let disagreeing = warnings
            .iter()
            .filter(|w| w.subject.starts_with("endpoint test case"))
            .count();
        let lines: usize = prepared
            .files()
            .iter()
            .map(|f| f.bytes.iter().filter(|&&b| b == b'\n').count())
            .sum();
        if lines > largest.0 {
            largest = (lines, file.clone(), millis);
        }
        rows.push(Row {
            model: file,
            outcome: format!(
                "{}: {} operations, {} left out{}; {} endpoint test cases recorded as \
                 disagreeing with the shipped partition data; {lines} lines in {millis} ms",
                protocol.trim_start_matches("aws.protocols#"),
                prepared.operations(),
                left_out.len(),
                if left_out.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", left_out.join("; "))
                },
                disagreeing
            ),
            generated: Some((name.clone(), endpoint_cases(&model), disagreeing)),
        });
        codegen::finish(&spec, prepared, codegen::Mode::Write).unwrap();
        members.push(format!("\"{name}\""));
    }
    assert_eq!(rows.len(), 25, "the corpus README lists 25 models");
    assert_eq!(members.len(), 25, "every model generates");

    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    let lock = root.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"),
            &lock,
        )
        .unwrap();
    }
    // The target folder of `generated_compiles.rs`: the runtime and its dependencies once.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-compiles/target");
    cargo(
        &root,
        &target,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            "blocking",
            "--",
            "-D",
            "warnings",
        ],
    );
    // One run for all of them (one feature resolution, so nothing is built twice); its output,
    // with cargo's `Running`/`Doc-tests` lines, is split by crate for the per-model counts.
    let output = cargo_output(
        &root,
        &target,
        &["test", "--workspace", "--features", "blocking"],
    );
    let by_crate = split_by_crate(&output);
    let mut total = (0, 0);
    for row in &mut rows {
        let Some((name, cases, disagreeing)) = &row.generated else {
            continue;
        };
        let text = by_crate.get(name.as_str()).map_or("", String::as_str);
        let ((passed, failed, ignored), endpoint) = test_counts(text);
        assert_eq!((failed, ignored), (0, 0), "{name}: {text}");
        // Every endpoint test case of the model is a test that passes (the ones that disagree
        // with the shipped data as recorded disagreements), beside the generator's own region
        // checks.
        assert!(
            endpoint >= *cases,
            "{name}: {endpoint} endpoint tests passed for {cases} test cases: {text}"
        );
        row.outcome.push_str(&format!(
            "; compiled, clippy clean; {passed} tests passed: the model's {cases} endpoint test \
             cases ({} as written, {disagreeing} as recorded disagreements), {} more endpoint \
             checks",
            cases - disagreeing,
            endpoint - cases
        ));
        total = (total.0 + passed, total.1 + cases);
    }
    for row in &rows {
        eprintln!("{}: {}", row.model, row.outcome);
    }
    eprintln!(
        "largest generated crate: {} ({} lines, codegen {} ms)",
        largest.1, largest.0, largest.2
    );
    eprintln!(
        "corpus crates: {} tests passed, {} of them the models' endpoint test cases",
        total.0, total.1
    );
}

/// The output of a `cargo test` run (stdout and stderr interleaved) split by the crate each
/// `Running .../deps/<crate>-<hash>` or `Doc-tests <crate>` line starts.
fn split_by_crate(output: &str) -> std::collections::BTreeMap<&str, String> {
    let mut by_crate = std::collections::BTreeMap::<&str, String>::new();
    let mut current = "";
    for line in output.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("Running ") {
            let binary = rest.rsplit(['/', '\\']).next().unwrap_or("");
            current = binary
                .trim_end_matches(')')
                .rsplit_once('-')
                .map_or(binary, |(name, _hash)| name);
        } else if let Some(name) = trimmed.strip_prefix("Doc-tests ") {
            current = name.trim();
        }
        let text = by_crate.entry(current).or_default();
        text.push_str(line);
        text.push('\n');
    }
    by_crate
}

/// Runs cargo with stdout and stderr going to one file, so their lines keep their order.
fn cargo_output(root: &Path, target: &Path, args: &[&str]) -> String {
    let log = root.join(format!("{}.log", args[0]));
    let file = std::fs::File::create(&log).unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .status()
        .unwrap();
    let output = std::fs::read_to_string(&log).unwrap();
    assert!(
        status.success(),
        "cargo {} failed:\n{output}",
        args.join(" ")
    );
    output
}

fn cargo(root: &Path, target: &Path, args: &[&str]) -> String {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "cargo {} failed:\n{stdout}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

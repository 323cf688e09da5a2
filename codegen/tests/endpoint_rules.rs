//! Generates the Chime SDK Identity endpoint resolver (through `codegen::prepare`, as `cargo xtask
//! codegen` does), compiles it into a scratch crate together with the runtime's endpoint files,
//! and runs the generated tests (26 model cases against each of the two partition data sets, plus
//! the host-label cases) and a few hand-reasoned checks. The same rules also run against
//! synthetic partition data written by hand (`fixtures/endpoints/`), where partitions (and one
//! region) do not support FIPS or DualStack, with expected outcomes written by hand: through the
//! generator's rule evaluator and through a generated resolver. Rule sets, partition data and
//! expectations the generator cannot use are errors of the IR (`codegen::ir::endpoint::lower`).

use codegen::ir::endpoint::{
    lower, Check, EndpointRulesError, EndpointRulesIr, HandExpectation, HandOutcome,
};
use codegen::manifest::ServiceSpec;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A generated file of the endpoint module, with its final text.
struct EndpointFile {
    path: String,
    text: String,
}

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models")
        .join(rel)
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/endpoints")
        .join(name)
}

fn fixture(name: &str) -> Value {
    read_json(&fixture_path(name))
}

/// The synthetic partition data: `test-no-fips`, `test-no-dual-stack` and `test-neither` lack
/// FIPS and/or DualStack support, and region `us-nofips-1` of `aws` overrides FIPS support off.
const SYNTHETIC_PARTITIONS: &str = "partitions-without-fips-or-dual-stack.json";

fn synthetic_partitions() -> Value {
    fixture(SYNTHETIC_PARTITIONS)
}

/// Test cases for the synthetic data, in `smithy.rules#endpointTests` form, expected outcomes
/// worked out by hand from the Chime rule set.
fn synthetic_tests() -> Value {
    fixture("endpoint-tests-without-fips-or-dual-stack.json")
}

/// The manifest's Chime entry.
fn chime_spec() -> ServiceSpec {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/services.toml");
    codegen::manifest::read(&manifest)
        .unwrap()
        .into_iter()
        .find(|spec| spec.crate_name == "chimesdkidentity")
        .unwrap()
}

/// The hand-written expectations of the manifest's Chime entry.
fn manifest_expectations() -> Vec<HandExpectation> {
    chime_spec().endpoint_expectations
}

fn chime_traits() -> Value {
    let model = read_json(&shared("chime-sdk-identity-2021-04-20.json"));
    model["shapes"]["com.amazonaws.chimesdkidentity#ChimeIdentityService"]["traits"].clone()
}

/// The endpoint files of the crate `spec` describes, rendered in memory (nothing is written).
fn endpoint_files(spec: &ServiceSpec) -> Vec<EndpointFile> {
    codegen::prepare(spec)
        .unwrap()
        .into_files()
        .into_iter()
        .filter(|f| f.path.starts_with("src/endpoint/"))
        .map(|f| EndpointFile {
            path: f.path,
            text: String::from_utf8(f.bytes).unwrap(),
        })
        .collect()
}

/// The endpoint files of the Chime crate, rendered from the manifest's spec.
fn generate_chime() -> Vec<EndpointFile> {
    endpoint_files(&chime_spec())
}

/// The endpoint files of the Chime model with the synthetic test cases in place of the model's
/// and the synthetic partition data as the shipped data (no test partition data, no
/// hand-written expectations). The edited model is written under `scratch`.
fn generate_synthetic(scratch: &Path) -> Vec<EndpointFile> {
    let mut model = read_json(&shared("chime-sdk-identity-2021-04-20.json"));
    model["shapes"]["com.amazonaws.chimesdkidentity#ChimeIdentityService"]["traits"]
        ["smithy.rules#endpointTests"] = synthetic_tests();
    let model_path = scratch.join("synthetic-model.json");
    std::fs::write(&model_path, serde_json::to_vec(&model).unwrap()).unwrap();
    let spec = ServiceSpec {
        models: vec![model_path],
        out: scratch.join("synthetic-crate"),
        partitions: Some(fixture_path(SYNTHETIC_PARTITIONS)),
        test_partitions: None,
        examples: None,
        endpoint_expectations: Vec::new(),
        ..chime_spec()
    };
    endpoint_files(&spec)
}

/// `text` with whitespace collapsed: rustfmt decides the line breaks.
fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn file<'a>(files: &'a [EndpointFile], path: &str) -> &'a EndpointFile {
    files.iter().find(|f| f.path == path).unwrap()
}

#[test]
fn generated_files_have_the_expected_shape() {
    let files = generate_chime();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "src/endpoint/mod.rs",
            "src/endpoint/params.rs",
            "src/endpoint/partitions.rs",
            "src/endpoint/test_partitions.rs",
            "src/endpoint/tests.rs"
        ]
    );
    let resolver = collapsed(&file(&files, "src/endpoint/mod.rs").text);
    assert!(
        resolver.contains("pub fn resolve_endpoint(")
            && resolver.contains("pub fn resolve_endpoint_with("),
        "{resolver}"
    );
    assert!(
        resolver.contains("if let Some(region) = region"),
        "{resolver}"
    );
    assert!(
        resolver
            .contains("if let Some(partition_result) = crate::rt::endpoint_lib::aws::partition("),
        "{resolver}"
    );
    assert!(
        resolver.contains("if use_fips && use_dual_stack"),
        "{resolver}"
    );
    assert!(resolver.contains("region_label(region)?"), "{resolver}");
    assert!(
        !resolver.contains("serde_json::from"),
        "no JSON parsing at run time"
    );
    let partitions = &file(&files, "src/endpoint/partitions.rs").text;
    assert!(partitions.contains("\"aws-eusc\""));
    assert!(!file(&files, "src/endpoint/test_partitions.rs")
        .text
        .contains("\"aws-eusc\""));
}

#[test]
fn unsupported_parameter_is_a_clear_error() {
    let traits = chime_traits();
    let mut rule_set = traits["smithy.rules#endpointRuleSet"].clone();
    rule_set["parameters"]["Accelerate"] =
        serde_json::json!({"type": "Boolean", "builtIn": "AWS::S3::Accelerate", "required": false});
    let err = lower(
        &rule_set,
        None,
        Some(&read_json(&shared("partitions.json"))),
        None,
        &[],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "not supported: endpoint parameter `Accelerate` (built-in AWS::S3::Accelerate): this \
         generator implements the built-ins AWS::Region, AWS::UseFIPS, AWS::UseDualStack, \
         SDK::Endpoint, AWS::Auth::AccountId and AWS::Auth::AccountIdEndpointMode (at \
         parameters.Accelerate)"
    );

    let mut rule_set = traits["smithy.rules#endpointRuleSet"].clone();
    rule_set["rules"][1]["rules"][0]["conditions"][0]["fn"] = "aws.fancy".into();
    let err = lower(
        &rule_set,
        None,
        Some(&read_json(&shared("partitions.json"))),
        None,
        &[],
    )
    .unwrap_err();
    assert_eq!(err.message, "not supported: function `aws.fancy`");
    assert_eq!(err.path, "rules[1].rules[0].conditions[0]");
}

#[test]
fn unsupported_region_regex_is_rejected() {
    let traits = chime_traits();
    let mut partitions = read_json(&shared("partitions.json"));
    partitions["partitions"][0]["regionRegex"] = r"^[a-z]+$".into();
    let err = lower(
        &traits["smithy.rules#endpointRuleSet"],
        None,
        Some(&partitions),
        None,
        &[],
    )
    .unwrap_err();
    assert!(
        err.message.starts_with("not supported: regionRegex"),
        "{err}"
    );
}

/// The error of a lowering that must fail (without printing the IR if it did not).
fn must_fail(result: Result<EndpointRulesIr, EndpointRulesError>, why: &str) -> EndpointRulesError {
    match result {
        Ok(_) => panic!("generation succeeded, but {why}"),
        Err(err) => err,
    }
}

/// How the generator's errors describe an expected outcome.
fn describe(expect: &Value) -> String {
    match expect.get("error") {
        Some(message) => format!("error {message}"),
        None => format!("endpoint `{}`", expect["endpoint"]["url"].as_str().unwrap()),
    }
}

/// The generator's rule evaluator checks every expectation: against the synthetic data it
/// agrees with each hand-written outcome (the FIPS, DualStack and "one or both" errors among
/// them), and when a case's expectation is replaced by a wrong one, generation still succeeds
/// and the case records the disagreement: the wrong expectation stays the asserted value (the
/// test is inverted), what the rules give is only reported, with the partition attributes read.
#[test]
fn evaluator_reports_partitions_without_fips_or_dual_stack() {
    let rule_set = &chime_traits()["smithy.rules#endpointRuleSet"];
    let partitions = synthetic_partitions();
    let tests = synthetic_tests();
    let ir = lower(rule_set, Some(&tests), Some(&partitions), None, &[]).unwrap();
    assert!(ir
        .tests
        .as_ref()
        .unwrap()
        .iter()
        .all(|c| c.shipped_check == Check::Holds));
    let cases = tests["testCases"].as_array().unwrap();
    let mut errors = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let mut wrong = tests.clone();
        wrong["testCases"][i]["expect"] = serde_json::json!({"error": "deliberately wrong"});
        let doc = case["documentation"].as_str().unwrap();
        let ir = lower(rule_set, Some(&wrong), Some(&partitions), None, &[]).unwrap();
        let recorded = &ir.tests.as_ref().unwrap()[i];
        assert_eq!(recorded.doc, doc);
        assert_eq!(
            recorded.shipped,
            codegen::ir::endpoint::Outcome::Error("deliberately wrong".to_owned())
        );
        let Check::Disagrees { gives, why } = &recorded.shipped_check else {
            panic!(
                "{doc}: the disagreement is not recorded: {:?}",
                recorded.shipped_check
            );
        };
        assert_eq!(*gives, describe(&case["expect"]), "{doc}");
        // Every case with a region resolves a partition and reads its attributes.
        if let Some(region) = case["params"]["Region"].as_str() {
            assert!(
                why.iter()
                    .any(|w| w.contains(&format!("region `{region}` is in partition"))),
                "{doc}: {why:?}"
            );
        }
        if let Some(message) = case["expect"]["error"].as_str() {
            errors.push(message);
        }
    }
    for message in [
        "FIPS is enabled but this partition does not support FIPS",
        "DualStack is enabled but this partition does not support DualStack",
        "FIPS and DualStack are enabled, but this partition does not support one or both",
    ] {
        assert!(errors.contains(&message), "no case expects {message:?}");
    }
}

/// The shipped-data tests take their expected values from the model or from the manifest's
/// hand-written `endpoint_expectation`s, never from the evaluator: without the hand-written
/// ones, the case keeps the model's expectation and records the disagreement (with why: the
/// partition attribute that changed); a wrong, redundant or unknown hand-written one is an
/// error.
#[test]
fn shipped_data_outcomes_are_written_by_hand_not_taken_from_the_evaluator() {
    let traits = chime_traits();
    let gen = |expectations: &[HandExpectation]| {
        lower(
            &traits["smithy.rules#endpointRuleSet"],
            Some(&traits["smithy.rules#endpointTests"]),
            Some(&read_json(&shared("partitions.json"))),
            Some(&read_json(&shared("partitions-2025-04.json"))),
            expectations,
        )
    };
    let hand = manifest_expectations();
    assert_eq!(hand.len(), 4);
    gen(&hand).unwrap();

    let ir = gen(&hand[1..]).unwrap();
    let cases = ir.tests.unwrap();
    let case = cases
        .iter()
        .find(|c| c.doc == hand[0].documentation)
        .unwrap();
    assert_eq!(case.shipped, case.expect, "the model's expectation stays");
    assert_eq!(
        case.expect,
        codegen::ir::endpoint::Outcome::Error(
            "FIPS and DualStack are enabled, but this partition does not support one or both"
                .to_owned()
        )
    );
    let Check::Disagrees { gives, why } = &case.shipped_check else {
        panic!("not recorded: {:?}", case.shipped_check);
    };
    assert_eq!(
        gives,
        "endpoint `https://identity-chime-fips.us-iso-east-1.api.aws.ic.gov`"
    );
    assert!(
        why.iter().any(|w| w
            == "Partition `aws-iso` (region `us-iso-east-1`) differs between the test partition \
                data and the shipped data: dualStackDnsSuffix `c2s.ic.gov` -> `api.aws.ic.gov`, \
                supportsDualStack `false` -> `true`."),
        "{why:?}"
    );
    assert!(
        why.iter().any(|w| w.contains(
            "In the shipped partition data, region `us-iso-east-1` is in partition `aws-iso`, \
             where the rules read supportsFIPS = true, supportsDualStack = true"
        )),
        "{why:?}"
    );
    // The cases the hand-written expectations cover, and the others, hold.
    assert_eq!(
        cases
            .iter()
            .filter(|c| c.shipped_check != Check::Holds)
            .count(),
        1
    );

    let mut wrong = hand.clone();
    wrong[0].outcome =
        HandOutcome::Url("https://identity-chime-fips.us-iso-east-1.c2s.ic.gov".to_owned());
    let err = must_fail(gen(&wrong), "a hand-written expectation is wrong");
    assert_eq!(
        err.message,
        "the hand-written expectation is endpoint `https://identity-chime-fips.us-iso-east-1.c2s.ic.gov` \
         but the rules give endpoint `https://identity-chime-fips.us-iso-east-1.api.aws.ic.gov` \
         with the shipped partition data"
    );

    let mut redundant = hand.clone();
    redundant.push(HandExpectation {
        documentation: "For region us-east-1 with FIPS enabled and DualStack disabled".to_owned(),
        outcome: HandOutcome::Url("https://identity-chime-fips.us-east-1.amazonaws.com".to_owned()),
        because: "unchanged".to_owned(),
    });
    let err = must_fail(gen(&redundant), "a hand-written expectation is the model's");
    assert!(err.message.ends_with(": remove it"), "{err}");

    let mut unknown = hand.clone();
    unknown.push(HandExpectation {
        documentation: "For region xx-nowhere-1".to_owned(),
        outcome: HandOutcome::Error("none".to_owned()),
        because: "no such case".to_owned(),
    });
    let err = must_fail(gen(&unknown), "a hand-written expectation names no case");
    assert_eq!(
        err.message,
        "the hand-written expectation for `For region xx-nowhere-1` names no endpoint test case of \
         the model"
    );
}

/// A hand-written expectation is an error when there is nothing it could apply to: a model
/// without endpoint tests, or a service without endpoint rules (checked through
/// `codegen::prepare`, naming the service).
#[test]
fn hand_written_expectations_without_test_cases_are_errors() {
    let traits = chime_traits();
    let hand = manifest_expectations();
    let err = must_fail(
        lower(
            &traits["smithy.rules#endpointRuleSet"],
            None,
            Some(&read_json(&shared("partitions.json"))),
            None,
            &hand,
        ),
        "the model has no endpoint tests",
    );
    assert_eq!(err.path, "endpoint expectations");
    assert_eq!(
        err.message,
        format!(
            "a hand-written expectation names the endpoint test case `{}`, but the model has no \
             endpoint tests",
            hand[0].documentation
        )
    );

    let spec = ServiceSpec {
        crate_name: "obstacle_course".into(),
        service: "com.example.obstacle#ObstacleCourse".into(),
        models: vec![
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/test-models/obstacle-course.json")
        ],
        out: "unused".into(),
        partitions: None,
        test_partitions: None,
        examples: None,
        ..chime_spec()
    };
    let err = codegen::prepare(&spec).unwrap_err().to_string();
    assert!(
        err.contains("com.example.obstacle#ObstacleCourse")
            && err.contains(&format!(
                "a hand-written expectation names the endpoint test case `{}`, but the service \
                 has no endpoint rules",
                hand[0].documentation
            )),
        "{err}"
    );
}

/// Hand-reasoned expectations against the shipped data (not taken from the generator): in
/// partitions.json `aws-iso` and `aws-iso-b` now have supportsDualStack true with
/// dualStackDnsSuffix `api.aws.ic.gov` / `api.aws.scloud`, and supportsFIPS true, so the
/// DualStack branches of the rules (`https://identity-chime[-fips].{Region}.{dualStackDnsSuffix}`)
/// are taken instead of the "does not support" errors of the 2025-04 data.
const HAND_CHECKS: &str = r#"
use crate::rt::EndpointParams;

/// Through the bridge the runtime calls (the values it gathers for a call -> `Params`).
fn resolve(region: &str, use_fips: bool, use_dual_stack: bool) -> Result<String, String> {
    crate::resolve_call(&EndpointParams {
        region: Some(region.to_owned()),
        use_fips,
        use_dual_stack,
        ..EndpointParams::default()
    })
    .map(|e| e.url)
    .map_err(|e| e.message().to_owned())
}

#[test]
fn iso_dual_stack_with_shipped_data() {
    assert_eq!(resolve("us-iso-east-1", true, true).unwrap(), "https://identity-chime-fips.us-iso-east-1.api.aws.ic.gov");
    assert_eq!(resolve("us-iso-east-1", false, true).unwrap(), "https://identity-chime.us-iso-east-1.api.aws.ic.gov");
    assert_eq!(resolve("us-isob-east-1", true, true).unwrap(), "https://identity-chime-fips.us-isob-east-1.api.aws.scloud");
    assert_eq!(resolve("us-isob-east-1", false, true).unwrap(), "https://identity-chime.us-isob-east-1.api.aws.scloud");
    // New in the shipped data: the European Sovereign Cloud partition.
    assert_eq!(resolve("eusc-de-east-1", false, false).unwrap(), "https://identity-chime.eusc-de-east-1.amazonaws.eu");
    // Unknown but well-formed regions fall back to `aws`.
    assert_eq!(resolve("xx-mars-1", false, false).unwrap(), "https://identity-chime.xx-mars-1.amazonaws.com");
}

#[test]
fn bad_region_message() {
    assert_eq!(
        resolve("us-east-1@evil.example", false, false).unwrap_err(),
        "Invalid Configuration: region \"us-east-1@evil.example\" is not a valid DNS host label"
    );
}
"#;

/// The generated test counts this run must reach: 26 cases x 2 data sets, 4 host-label tests,
/// the partition-data check and 2 hand checks; then for the synthetic data 21 cases, 4
/// host-label tests and the partition-data check.
const EXPECTED_TESTS: usize = 26 * 2 + 4 + 1 + 2 + 21 + 4 + 1;

#[test]
fn generated_crate_compiles_and_its_tests_pass() {
    let files = generate_chime();
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    std::fs::create_dir_all(root.join("src/endpoint")).unwrap();
    std::fs::create_dir_all(root.join("src/rt/endpoint_lib")).unwrap();
    for f in &files {
        std::fs::write(root.join(&f.path), &f.text).unwrap();
    }
    let mut mod_rs = file(&files, "src/endpoint/mod.rs").text.clone();
    mod_rs.push_str("\n#[cfg(test)]\nmod hand_checks;\n");
    std::fs::write(root.join("src/endpoint/mod.rs"), mod_rs).unwrap();
    std::fs::write(root.join("src/endpoint/hand_checks.rs"), HAND_CHECKS).unwrap();

    // Only the runtime's endpoint files (behind a facade of the same shape as the runtime's
    // `codegen` module): other runtime files may be mid-edit by other workers.
    let runtime = manifest_dir.join("../runtime/src");
    for (from, to) in [
        ("contract/endpoint.rs", "endpoint_types.rs"),
        ("endpoint/mod.rs", "endpoint_lib.rs"),
        ("endpoint/aws.rs", "endpoint_lib/aws.rs"),
        ("endpoint/region_regex.rs", "endpoint_lib/region_regex.rs"),
    ] {
        std::fs::copy(runtime.join(from), root.join("src/rt").join(to)).unwrap();
    }
    std::fs::write(
        root.join("src/rt/mod.rs"),
        "pub mod endpoint_lib;\nmod endpoint_types;\npub use endpoint_types::{EndpointError, EndpointParams, EndpointValue, ResolvedEndpoint};\n",
    )
    .unwrap();
    // The same rules over the synthetic partition data, with its hand-written test cases.
    let inputs = tempfile::tempdir().unwrap();
    let synthetic = generate_synthetic(inputs.path());
    std::fs::create_dir_all(root.join("src/synthetic_endpoint")).unwrap();
    for f in &synthetic {
        let path = f.path.replace("src/endpoint/", "src/synthetic_endpoint/");
        std::fs::write(root.join(path), &f.text).unwrap();
    }
    // The runtime's entry point into each resolver (as a generated crate's `SERVICE` has it).
    std::fs::write(
        root.join("src/lib.rs"),
        "pub mod endpoint;\npub mod rt;\npub mod synthetic_endpoint;\n\
         pub fn resolve_call(p: &rt::EndpointParams) -> Result<rt::ResolvedEndpoint, rt::EndpointError> { endpoint::resolve_call(p) }\n\
         pub fn resolve_synthetic_call(p: &rt::EndpointParams) -> Result<rt::ResolvedEndpoint, rt::EndpointError> { synthetic_endpoint::resolve_call(p) }\n",
    )
    .unwrap();

    // The runtime's own [dependencies] table (the generated crate's), minus what the endpoint
    // files do not use, to keep the build fast.
    let runtime_manifest: toml::Table = toml::from_str(
        &std::fs::read_to_string(manifest_dir.join("../runtime/Cargo.toml")).unwrap(),
    )
    .unwrap();
    let deps = runtime_manifest["dependencies"].as_table().unwrap();
    let mut kept = toml::Table::new();
    for name in ["serde_json", "percent-encoding"] {
        kept.insert(name.to_owned(), deps[name].clone());
    }
    let mut manifest = toml::Table::new();
    manifest.insert(
        "package".into(),
        toml::Value::Table(toml::from_str("name = \"endpoint-scratch\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false").unwrap()),
    );
    manifest.insert("dependencies".into(), toml::Value::Table(kept));
    manifest.insert("workspace".into(), toml::Value::Table(toml::Table::new()));
    std::fs::write(root.join("Cargo.toml"), toml::to_string(&manifest).unwrap()).unwrap();
    // Reuse the workspace's lock file so the same dependency versions resolve offline.
    let _ = std::fs::copy(manifest_dir.join("../Cargo.lock"), root.join("Cargo.lock"));

    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir.join("../target"))
        .join("endpoint-crate");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["test", "--quiet", "--", "--test-threads=2"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "generated crate failed:\n{stdout}\n{stderr}"
    );
    let count = |what: &str| -> usize {
        stdout
            .lines()
            .filter_map(|l| l.strip_prefix("test result: ok. "))
            .flat_map(|l| l.split("; "))
            .filter_map(|part| part.strip_suffix(what)?.trim().parse::<usize>().ok())
            .sum()
    };
    let (passed, ignored) = (count(" passed"), count(" ignored"));
    eprintln!("generated crate: {passed} tests passed, {ignored} ignored");
    assert!(
        passed >= EXPECTED_TESTS,
        "only {passed} tests passed (expected {EXPECTED_TESTS}+):\n{stdout}"
    );
    assert_eq!(ignored, 0, "{stdout}");
}

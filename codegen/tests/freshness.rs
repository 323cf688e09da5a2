//! Determinism and freshness: generating twice gives identical bytes, and the committed
//! `generated/` crates are exactly what the generator writes now. Both go through
//! `codegen::prepare` and `codegen::finish`, the functions `cargo xtask codegen [--check]` runs,
//! so `cargo test` alone catches a stale `generated/` with the shipped code path.

use std::path::Path;

fn manifest() -> Vec<codegen::manifest::ServiceSpec> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/services.toml");
    codegen::manifest::read(&path).unwrap()
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let model =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/test-models/obstacle-course.json");
    let spec = codegen::manifest::ServiceSpec {
        crate_name: "obstacle_course".into(),
        crate_version: "0.1.0".into(),
        service: "com.example.obstacle#ObstacleCourse".into(),
        models: vec![model],
        out: "unused".into(),
        partitions: None,
        test_partitions: None,
        examples: None,
        changelog: None,
        runtime: codegen::manifest::RuntimeMode::Crate,
        endpoint_expectations: Vec::new(),
        strict: false,
    };
    let render = || codegen::prepare(&spec).unwrap().into_files();
    let first = render();
    let second = render();
    assert!(!first.is_empty());
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.path, b.path);
        assert!(a.bytes == b.bytes, "{} differs between two runs", a.path);
    }
    for spec in manifest() {
        let a = codegen::prepare(&spec).unwrap().into_files();
        let b = codegen::prepare(&spec).unwrap().into_files();
        assert!(a == b, "{} renders differently twice", spec.crate_name);
    }
}

#[test]
fn committed_generated_crates_are_fresh() {
    for spec in manifest() {
        let report = codegen::generate(&spec, codegen::Mode::Check).unwrap();
        let staleness = report.staleness.unwrap();
        assert!(
            staleness.is_fresh(),
            "{} is stale; run `cargo xtask codegen` and commit the result.\n\
             changed: {:?}\nmissing: {:?}\nnot generated: {:?}",
            spec.out.display(),
            staleness.changed,
            staleness.missing,
            staleness.extra
        );
    }
}

//! Determinism and freshness: generating twice gives identical bytes, and the committed
//! `generated/` crates are exactly what the generator writes now (the same check as
//! `cargo xtask codegen --check`, so `cargo test` alone catches a stale `generated/`).

use std::path::Path;

fn manifest() -> Vec<codegen::manifest::ServiceSpec> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/services.toml");
    codegen::manifest::read(&path).unwrap()
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let model =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/test-models/obstacle-course.json");
    let render = || {
        let graph = codegen::shapes::resolve(
            codegen::load_model(std::slice::from_ref(&model)).unwrap(),
            "com.example.obstacle#ObstacleCourse",
        )
        .unwrap();
        let ir = codegen::ir::lower(&graph, "obstacle_course", "0.1.0").unwrap();
        let files = codegen::emit::emit_crate(&ir, &codegen::emit::EmitInputs::default()).unwrap();
        codegen::writer::render(files).unwrap()
    };
    let first = render();
    let second = render();
    assert!(!first.is_empty());
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.path, b.path);
        assert!(a.bytes == b.bytes, "{} differs between two runs", a.path);
    }
    for spec in manifest() {
        let (a, _, _) = codegen::render(&spec).unwrap();
        let (b, _, _) = codegen::render(&spec).unwrap();
        assert!(a == b, "{} renders differently twice", spec.crate_name);
    }
}

#[test]
fn committed_generated_crates_are_fresh() {
    for spec in manifest() {
        let (files, _, _) = codegen::render(&spec).unwrap();
        let staleness = codegen::writer::check(&spec.out, &files).unwrap();
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

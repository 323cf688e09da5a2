//! Codegen time for the Chime SDK Identity model: `codegen::prepare` on the manifest's spec
//! (load the JSON AST, resolve, lower, emit, format with prettyplease + one rustfmt run), with
//! nothing written to disk: the first half of what `cargo xtask codegen` runs. The whole `cargo xtask codegen` wall time is measured by
//! `bench/codegen-wall.sh`.

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

fn render(c: &mut Criterion) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../model/services.toml");
    let specs = codegen::manifest::read(&manifest).unwrap();
    let spec = specs
        .iter()
        .find(|s| s.crate_name == "chimesdkidentity")
        .unwrap();
    let prepared = codegen::prepare(spec).unwrap();
    assert_eq!(prepared.operations(), 30);
    assert!(prepared.files().len() > 100);
    let mut group = c.benchmark_group("codegen");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("render_chimesdkidentity", |b| {
        b.iter(|| codegen::prepare(spec).unwrap())
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);

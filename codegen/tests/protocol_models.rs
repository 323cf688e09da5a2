//! Runs the generator over every service of the AWS protocol compliance models
//! (`shared/smithy/protocol-tests/*`): each service either generates or fails with
//! [`CodegenError::Unsupported`] — never a panic, never another kind of error.

use std::path::{Path, PathBuf};

use codegen::error::CodegenError;
use codegen::manifest::ServiceSpec;
use codegen::model::ShapeKind;

fn smithy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/smithy")
}

/// The trait definition files, without `prelude.smithy` (the generator has its own prelude).
fn trait_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(smithy_dir().join("traits"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "prelude.smithy"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_protocol_test_service_generates_or_is_unsupported() {
    let root = smithy_dir().join("protocol-tests");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(
        folders.len() >= 8,
        "expected the protocol folders in {root:?}"
    );

    let mut report = Vec::new();
    let mut bad = Vec::new();
    for folder in &folders {
        let mut models = vec![
            folder.clone(),
            root.join("shared-types.smithy"),
            root.join("aws-config.smithy"),
        ];
        models.extend(trait_files());
        let model = codegen::load_model(&models)
            .unwrap_or_else(|err| panic!("{}: the model does not load: {err}", folder.display()));
        let services: Vec<String> = model
            .shapes
            .values()
            .filter(|s| s.kind == ShapeKind::Service)
            .map(|s| s.id.clone())
            .collect();
        assert!(!services.is_empty(), "{}: no service", folder.display());
        for service in services {
            let spec = ServiceSpec {
                crate_name: "protocol_test".into(),
                crate_version: "0.1.0".into(),
                service: service.clone(),
                models: models.clone(),
                out: std::env::temp_dir().join("unused"),
                partitions: None,
                test_partitions: None,
                examples: None,
                changelog: None,
                runtime: Default::default(),
                endpoint_expectations: Vec::new(),
                strict: false,
            };
            let outcome = std::panic::catch_unwind(|| codegen::prepare_model(&spec, model.clone()));
            let line = match outcome {
                Ok(Ok(prepared)) => format!(
                    "ok ({} files, {} operations)",
                    prepared.files().len(),
                    prepared.operations()
                ),
                Ok(Err(err @ CodegenError::Unsupported { .. })) => format!("{err}"),
                Ok(Err(err)) => {
                    bad.push(format!("{service}: {err}"));
                    format!("ERROR {err}")
                }
                Err(_) => {
                    bad.push(format!("{service}: panicked"));
                    "PANIC".to_owned()
                }
            };
            report.push(format!("{service}: {line}"));
        }
    }
    for line in &report {
        println!("{line}");
    }
    assert!(
        bad.is_empty(),
        "services that failed with neither success nor `not supported`:\n{}",
        bad.join("\n")
    );
}

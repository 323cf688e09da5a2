//! The build script of a test crate whose library IS a generated client
//! (`tests/dynamodb`, `tests/transcribe` from AWS models, `tests/chat-rpc` from a test model):
//! generates the client from its model with
//! smithy-rust-codegen used as a library, flattened into `$OUT_DIR/client.rs` by
//! `codegen::embed::client_source`. Included by each build script with `#[path]`.

use std::error::Error;
use std::path::PathBuf;

use codegen::manifest::{RuntimeMode, ServiceSpec};

/// Generates `crate_name` from the model at `model` (a path relative to the crate's folder;
/// service shape `service`).
pub fn generate(model: &str, crate_name: &str, service: &str) -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let models = manifest_dir.join("../../../shared/models");
    let model = manifest_dir.join(model);
    let partitions = models.join("partitions.json");
    for watched in [&model, &partitions] {
        println!("cargo:rerun-if-changed={}", watched.display());
    }
    let spec = ServiceSpec {
        crate_name: crate_name.into(),
        crate_version: "0.1.0".into(),
        service: service.into(),
        models: vec![model],
        // Only the runtime path of the generated manifest depends on the folder: this crate's,
        // so that the generated [dependencies] are exactly what its own Cargo.toml says.
        out: manifest_dir.clone(),
        partitions: Some(partitions),
        test_partitions: None,
        examples: None,
        changelog: None,
        runtime: RuntimeMode::Crate,
        endpoint_expectations: Vec::new(),
        strict: false,
    };
    let client = codegen::embed::client_source(&spec, &manifest_dir.join("Cargo.toml"))?;
    std::fs::write(out_dir.join("client.rs"), client)?;
    Ok(())
}

//! The build script of a test crate whose library IS a generated client
//! (`tests/dynamodb`, `tests/transcribe` from AWS models, `tests/chat-rpc` from a test model):
//! generates the client from its model with
//! smithy-rust-codegen used as a library and flattens it into `$OUT_DIR/client.rs` (see
//! `protocol-tests/build/flatten.rs`). Included by each build script with `#[path]`.

use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};

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
    let files: BTreeMap<String, String> = codegen::prepare(&spec)?
        .into_files()
        .into_iter()
        .map(|f| Ok((f.path, String::from_utf8(f.bytes)?)))
        .collect::<Result<_, std::string::FromUtf8Error>>()?;
    check_dependencies(&manifest_dir.join("Cargo.toml"), &files)?;
    std::fs::write(out_dir.join("client.rs"), crate::flatten::flatten(&files)?)?;
    Ok(())
}

/// This crate compiles the generated client, so it needs the generated crate's dependencies
/// and features: fail the build, naming the difference, when they drift apart.
fn check_dependencies(
    own_manifest: &Path,
    files: &BTreeMap<String, String>,
) -> Result<(), Box<dyn Error>> {
    let generated: toml::Table = files
        .get("Cargo.toml")
        .ok_or("the generated crate has no Cargo.toml")?
        .parse()?;
    let own: toml::Table = std::fs::read_to_string(own_manifest)?.parse()?;
    for section in ["dependencies", "features"] {
        if generated.get(section) != own.get(section) {
            return Err(format!(
                "{} [{section}] must equal the generated crate's:\n{:?}",
                own_manifest.display(),
                generated.get(section)
            )
            .into());
        }
    }
    Ok(())
}

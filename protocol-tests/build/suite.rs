//! The build-script half of a compliance suite, shared by the crates under `protocol-tests/`:
//! generates a service's client with smithy-rust-codegen used as a library (flattened into one
//! file the crate's library includes) and one Rust test per client case of the service.

use std::error::Error;
use std::path::{Path, PathBuf};

use codegen::manifest::ServiceSpec;
use codegen::protocol_tests::{self, NotSupported};

/// One compliance suite: a service of the protocol-test models and the crate whose library is
/// its generated client.
pub struct Suite<'a> {
    /// The service shape id.
    pub service: &'a str,
    /// The model files and folders holding the service, its operations and their cases (the
    /// shared shapes, the AWS configuration shapes and the trait definitions are added).
    pub models: Vec<PathBuf>,
    /// The generated crate's name (in its Cargo.toml).
    pub crate_name: &'a str,
    /// The Rust name tests use for the generated client: the including crate's library.
    pub client_crate: &'a str,
    /// The including crate's folder (`CARGO_MANIFEST_DIR`).
    pub manifest_dir: &'a Path,
    /// Where `../../shared/smithy` is, relative to `manifest_dir`.
    pub smithy: PathBuf,
}

/// Writes `$OUT_DIR/client.rs` (the flattened client) and `$OUT_DIR/cases.rs` (the cases).
/// `not-supported.txt` beside the including crate's Cargo.toml lists the cases that cannot
/// run; without the file, none may be missing.
pub fn run(suite: &Suite<'_>) -> Result<(), Box<dyn Error>> {
    let manifest_dir = suite.manifest_dir;
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let smithy = &suite.smithy;
    let not_supported_file = manifest_dir.join("not-supported.txt");
    for watched in [smithy, &not_supported_file]
        .into_iter()
        .chain(&suite.models)
    {
        println!("cargo:rerun-if-changed={}", watched.display());
    }

    // The compliance model: the suite's files, the shared shapes, the AWS configuration shapes
    // (error-code vendor parameters) and the trait definitions (the generator brings its own
    // prelude).
    let mut inputs = suite.models.clone();
    inputs.push(smithy.join("protocol-tests/shared-types.smithy"));
    inputs.push(smithy.join("protocol-tests/aws-config.smithy"));
    inputs.extend(trait_files(&smithy.join("traits"))?);
    let model = codegen::load_model(&inputs)?;

    // 1. The client, generated from the model written as a JSON AST.
    let model_json = out_dir.join("model.json");
    std::fs::write(&model_json, codegen::model::to_json_ast(&model))?;
    let spec = ServiceSpec {
        crate_name: suite.crate_name.into(),
        crate_version: "0.1.0".into(),
        service: suite.service.into(),
        models: vec![model_json],
        // Only the manifest's runtime path depends on the folder: the including crate's, so
        // that the generated [dependencies] are exactly what its own Cargo.toml must say.
        out: manifest_dir.to_owned(),
        partitions: None,
        test_partitions: None,
        examples: None,
        changelog: None,
        runtime: codegen::manifest::RuntimeMode::Crate,
        endpoint_expectations: Vec::new(),
        strict: false,
    };
    let client = codegen::embed::client_source(&spec, &manifest_dir.join("Cargo.toml"))?;
    std::fs::write(out_dir.join("client.rs"), client)?;

    // 2. The test cases.
    let not_supported = match std::fs::read_to_string(&not_supported_file) {
        Ok(text) => NotSupported::parse(&text)
            .map_err(|err| format!("{}: {err}", not_supported_file.display()))?,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => NotSupported::default(),
        Err(err) => return Err(format!("{}: {err}", not_supported_file.display()).into()),
    };
    // (The cases of operations the client leaves out must be listed: `generate` checks.)
    let cases = protocol_tests::generate(model, suite.service, suite.client_crate, &not_supported)?;
    std::fs::write(out_dir.join("cases.rs"), cases.source)?;
    Ok(())
}

/// The trait definition files, without `prelude.smithy` (the generator has its own prelude).
fn trait_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.file_name().is_some_and(|n| n != "prelude.smithy") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

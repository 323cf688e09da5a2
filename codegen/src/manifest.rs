//! The manifest of services to generate (`model/services.toml`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{CodegenError, Result};

/// One service to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceSpec {
    /// The crate (package and library) name.
    pub crate_name: String,
    /// The crate version.
    pub crate_version: String,
    /// The service shape id.
    pub service: String,
    /// Model files or folders (`.json` JSON AST, `.smithy` IDL).
    pub models: Vec<PathBuf>,
    /// The crate folder to write.
    pub out: PathBuf,
    /// AWS partition data the crate ships (`partitions.json`), for endpoint rules.
    pub partitions: Option<PathBuf>,
    /// Partition data the model's endpoint tests were written against.
    pub test_partitions: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(default)]
    service: Vec<ServiceEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceEntry {
    #[serde(rename = "crate")]
    crate_name: String,
    #[serde(default = "default_version")]
    version: String,
    shape: String,
    models: Vec<String>,
    out: String,
    partitions: Option<String>,
    test_partitions: Option<String>,
}

fn default_version() -> String {
    "0.1.0".to_owned()
}

/// Reads the manifest at `path`; relative paths in it are relative to the manifest's folder.
pub fn read(path: &Path) -> Result<Vec<ServiceSpec>> {
    let text = std::fs::read_to_string(path).map_err(|err| CodegenError::io(path, err))?;
    parse(path, &text)
}

/// Parses manifest text (`path` names the file in errors and anchors relative paths).
pub fn parse(path: &Path, text: &str) -> Result<Vec<ServiceSpec>> {
    let fail = |message: String| CodegenError::Manifest {
        file: path.to_owned(),
        message,
    };
    let manifest: ManifestFile =
        toml::from_str(text).map_err(|err| fail(err.message().to_owned()))?;
    if manifest.service.is_empty() {
        return Err(fail("no [[service]] entries".to_owned()));
    }
    let base = path.parent().unwrap_or(Path::new(""));
    let mut specs = Vec::new();
    for (i, entry) in manifest.service.into_iter().enumerate() {
        let at = format!("service #{} (`{}`)", i + 1, entry.crate_name);
        if entry.crate_name.is_empty()
            || !entry
                .crate_name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            return Err(fail(format!(
                "{at}: `crate` must be a lower-case crate name"
            )));
        }
        if !entry.shape.contains('#') {
            return Err(fail(format!(
                "{at}: `shape` must be an absolute shape id like `com.example#Service`"
            )));
        }
        if entry.models.is_empty() {
            return Err(fail(format!(
                "{at}: `models` must name at least one model file"
            )));
        }
        specs.push(ServiceSpec {
            crate_name: entry.crate_name,
            crate_version: entry.version,
            service: entry.shape,
            models: entry.models.iter().map(|m| base.join(m)).collect(),
            out: base.join(entry.out),
            partitions: entry.partitions.map(|p| base.join(p)),
            test_partitions: entry.test_partitions.map(|p| base.join(p)),
        });
    }
    Ok(specs)
}

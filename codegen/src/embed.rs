//! A generated client as ONE source file, for a crate whose library IS the client: the test
//! crates (`tests/dynamodb`, the compliance suites under `protocol-tests/`, ...) call
//! [`client_source`] from their build script and `include!` the result, so their tests use
//! the client exactly as a standalone generated crate would be used, without committing it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{CodegenError, Result};
use crate::manifest::ServiceSpec;
use crate::writer::flatten::flatten;

/// Generates the crate `spec` describes in memory and returns its `src/**.rs` files flattened
/// into one module tree (see [`flatten`]). The including crate compiles the client, so it needs
/// the generated crate's dependencies and features: `including_manifest` (its `Cargo.toml`)
/// must have the same `[dependencies]` and `[features]` as the generated `Cargo.toml`, or the
/// error names the section and what it must be.
pub fn client_source(spec: &ServiceSpec, including_manifest: &Path) -> Result<String> {
    let files: BTreeMap<String, String> = crate::prepare(spec)?
        .into_files()
        .into_iter()
        .map(|file| {
            let text = String::from_utf8(file.bytes).map_err(|err| CodegenError::Emit {
                file: file.path.clone(),
                message: format!("not UTF-8: {err}"),
            })?;
            Ok((file.path, text))
        })
        .collect::<Result<_>>()?;
    check_dependencies(including_manifest, &files)?;
    flatten(&files)
}

/// Fails, naming the section, when `own_manifest`'s `[dependencies]` or `[features]` differ
/// from those of the generated `Cargo.toml` in `files`.
fn check_dependencies(own_manifest: &Path, files: &BTreeMap<String, String>) -> Result<()> {
    let manifest_error = |message: String| CodegenError::Manifest {
        file: own_manifest.to_owned(),
        message,
    };
    let generated: toml::Table = files
        .get("Cargo.toml")
        .ok_or_else(|| CodegenError::Emit {
            file: "Cargo.toml".into(),
            message: "the generated crate has no Cargo.toml".into(),
        })?
        .parse()
        .map_err(|err| CodegenError::Emit {
            file: "Cargo.toml".into(),
            message: format!("not valid TOML: {err}"),
        })?;
    let own: toml::Table = std::fs::read_to_string(own_manifest)
        .map_err(|err| CodegenError::io(own_manifest, err))?
        .parse()
        .map_err(|err| manifest_error(format!("not valid TOML: {err}")))?;
    for section in ["dependencies", "features"] {
        let want = generated.get(section);
        if want != own.get(section) {
            let want = want.map_or_else(|| "(no such section)".to_owned(), ToString::to_string);
            return Err(manifest_error(format!(
                "[{section}] must equal the generated crate's, which is:\n{want}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(manifest: &str) -> BTreeMap<String, String> {
        BTreeMap::from([("Cargo.toml".to_owned(), manifest.to_owned())])
    }

    fn own_manifest(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("Cargo.toml");
        std::fs::write(&path, text).expect("write the manifest");
        (dir, path)
    }

    const GENERATED: &str = "[package]\nname = \"weather\"\n\n[dependencies]\nruntime = { path = \"../runtime\" }\n\n[features]\nblocking = [\"runtime/blocking\"]\n";

    #[test]
    fn equal_dependencies_and_features_pass_whatever_the_package_says() {
        let (_dir, path) = own_manifest(
            "[package]\nname = \"weather-tests\"\n\n[features]\nblocking = [\"runtime/blocking\"]\n\n[dependencies]\nruntime = { path = \"../runtime\" }\n\n[dev-dependencies]\ntokio = \"1\"\n",
        );
        check_dependencies(&path, &generated(GENERATED)).expect("same sections");
    }

    #[test]
    fn a_different_or_missing_section_is_named_with_what_it_must_be() {
        let (_dir, path) = own_manifest(
            "[package]\nname = \"t\"\n\n[dependencies]\nruntime = { path = \"../elsewhere\" }\n\n[features]\nblocking = [\"runtime/blocking\"]\n",
        );
        let err = check_dependencies(&path, &generated(GENERATED))
            .expect_err("the runtime path differs")
            .to_string();
        assert!(err.contains("[dependencies] must equal"), "{err}");
        assert!(err.contains("../runtime"), "{err}");
        assert!(err.starts_with(&path.display().to_string()), "{err}");

        let (_dir, path) = own_manifest("[dependencies]\nruntime = { path = \"../runtime\" }\n");
        let err = check_dependencies(&path, &generated(GENERATED))
            .expect_err("no [features]")
            .to_string();
        assert!(err.contains("[features] must equal"), "{err}");
        assert!(err.contains("runtime/blocking"), "{err}");
    }

    #[test]
    fn an_unreadable_manifest_is_an_error_naming_it() {
        let (dir, _) = own_manifest("");
        let missing = dir.path().join("missing/Cargo.toml");
        let err = check_dependencies(&missing, &generated(GENERATED))
            .expect_err("no such file")
            .to_string();
        assert!(err.contains("missing/Cargo.toml"), "{err}");

        let (_dir, path) = own_manifest("[dependencies\n");
        let err = check_dependencies(&path, &generated(GENERATED))
            .expect_err("not TOML")
            .to_string();
        assert!(err.contains("not valid TOML"), "{err}");
    }
}

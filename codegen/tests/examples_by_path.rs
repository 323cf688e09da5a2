//! The Chime crate builds its examples from their sources under `model/examples/` (its
//! Cargo.toml names each by path), so a compiler error in an example after a model change points
//! at the file to edit, not at a copy. Checked with what Cargo itself resolves.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[test]
fn every_example_target_is_its_source_under_model_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(root.join("generated/chimesdkidentity/Cargo.toml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "chimesdkidentity")
        .unwrap();
    let targets: BTreeMap<String, PathBuf> = package["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"].as_array().unwrap().iter().any(|k| k == "example"))
        .map(|t| {
            let path = PathBuf::from(t["src_path"].as_str().unwrap());
            (
                t["name"].as_str().unwrap().to_owned(),
                path.canonicalize().unwrap(),
            )
        })
        .collect();
    let sources_dir = root.join("model/examples/chimesdkidentity");
    let sources: BTreeMap<String, PathBuf> = std::fs::read_dir(&sources_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, p.canonicalize().unwrap())
        })
        .collect();
    assert!(sources.len() >= 5, "{sources:?}");
    assert_eq!(targets, sources);
    assert!(!root.join("generated/chimesdkidentity/examples").exists());
}

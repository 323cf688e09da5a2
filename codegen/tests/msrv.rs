//! The minimum supported Rust version (MSRV) is declared once, in the workspace's
//! `rust-version`, and holds:
//!
//! - every crate of the workspace inherits it, and every generated crate declares it in its
//!   Cargo.toml (with the runtime as a crate and vendored), so clippy's `incompatible_msrv` lint
//!   checks the code of all of them against it in CI;
//! - no dependency locked in Cargo.lock that the runtime, a generated crate (with any of its
//!   features but `aws-config`) or the generator builds needs a newer Rust (its own
//!   `rust-version`). Only one toolchain runs in CI, so this is how the floor the dependencies set
//!   is checked: a `cargo update` that brings in a release needing a newer Rust fails here, and
//!   the MSRV is then raised on purpose (or the release held back).
//!
//! The `aws-config` feature is the exception: it uses the `aws-types` crates, whose releases
//! follow the AWS SDK's own MSRV (newer than ours today); a program on our MSRV gets older
//! releases of them from Cargo's MSRV-aware resolver (this workspace uses `resolver = "3"`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The workspace's `rust-version`.
fn workspace_rust_version() -> String {
    let text = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let manifest: toml::Table = text.parse().unwrap();
    manifest["workspace"]["package"]["rust-version"]
        .as_str()
        .expect("the workspace declares rust-version")
        .to_owned()
}

/// `1.89` or `1.89.0` as comparable numbers.
fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap());
    let major = parts.next().unwrap();
    let minor = parts.next().unwrap_or(0);
    let patch = parts.next().unwrap_or(0);
    (major, minor, patch)
}

fn cargo(args: &[&str]) -> String {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo {} failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Every package of the workspace and its dependencies, from `cargo metadata`.
fn packages() -> Vec<serde_json::Value> {
    let metadata: serde_json::Value = serde_json::from_str(&cargo(&[
        "metadata",
        "--format-version",
        "1",
        "--all-features",
        "--locked",
    ]))
    .unwrap();
    metadata["packages"].as_array().unwrap().clone()
}

#[test]
fn every_workspace_crate_and_generated_crate_declares_the_msrv() {
    let msrv = workspace_rust_version();
    let metadata: serde_json::Value = serde_json::from_str(&cargo(&[
        "metadata",
        "--format-version",
        "1",
        "--no-deps",
        "--locked",
    ]))
    .unwrap();
    let members = metadata["packages"].as_array().unwrap();
    assert!(members.len() >= 8, "{members:?}");
    for package in members {
        assert_eq!(
            package["rust_version"].as_str(),
            Some(msrv.as_str()),
            "{} does not declare the workspace's rust-version",
            package["name"]
        );
    }

    let manifest = root().join("model/services.toml");
    let specs = codegen::manifest::read(&manifest).unwrap();
    let chime = specs
        .iter()
        .find(|s| s.crate_name == "chimesdkidentity")
        .unwrap();
    for runtime in [
        codegen::manifest::RuntimeMode::Crate,
        codegen::manifest::RuntimeMode::Vendored,
    ] {
        let spec = codegen::manifest::ServiceSpec {
            runtime,
            ..chime.clone()
        };
        let files = codegen::prepare(&spec).unwrap().into_files();
        let file = |path: &str| {
            let file = files.iter().find(|f| f.path == path).unwrap();
            String::from_utf8(file.bytes.clone()).unwrap()
        };
        let cargo_toml: toml::Table = file("Cargo.toml").parse().unwrap();
        assert_eq!(
            cargo_toml["package"]["rust-version"].as_str(),
            Some(msrv.as_str()),
            "{runtime:?}"
        );
        let readme = file("README.md");
        assert!(
            readme.contains(&format!("needs Rust {msrv} or newer")),
            "{runtime:?}"
        );
    }
}

#[test]
fn no_locked_dependency_needs_a_newer_rust_than_the_msrv() {
    let msrv = workspace_rust_version();
    let packages = packages();
    let rust_version = |name: &str, ver: &str| {
        packages
            .iter()
            .find(|p| p["name"] == name && p["version"] == ver)
            .unwrap_or_else(|| panic!("{name} {ver} is not in cargo metadata"))["rust_version"]
            .as_str()
            .map(str::to_owned)
    };
    // Every feature of the runtime but `aws-config` (see the module docs).
    let runtime_toml: toml::Table = std::fs::read_to_string(root().join("runtime/Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let runtime_features: Vec<&str> = runtime_toml["features"]
        .as_table()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|f| *f != "aws-config" && *f != "default")
        .collect();
    let runtime_features = runtime_features.join(",");
    let trees: &[(&str, &[&str])] = &[
        (
            "smithy-rust-runtime",
            &["--features", runtime_features.as_str()],
        ),
        (
            "chimesdkidentity",
            &["--features", "blocking,test-util,native-roots"],
        ),
        ("codegen", &[]),
        ("xtask", &[]),
    ];
    let mut checked = BTreeSet::new();
    let mut too_new = Vec::new();
    for (package, features) in trees {
        let mut args = vec![
            "tree",
            "--locked",
            "-e",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p}",
            "-p",
            package,
        ];
        args.extend_from_slice(features);
        for line in cargo(&args).lines() {
            let mut words = line.split_whitespace();
            let (Some(name), Some(ver)) = (words.next(), words.next()) else {
                continue;
            };
            let ver = ver.trim_start_matches('v');
            if !checked.insert((name.to_owned(), ver.to_owned())) {
                continue;
            }
            if let Some(needs) = rust_version(name, ver) {
                if version(&needs) > version(&msrv) {
                    too_new.push(format!(
                        "{name} {ver} needs Rust {needs} (in {package}'s tree)"
                    ));
                }
            }
        }
    }
    assert!(
        checked.len() > 100,
        "only {} packages checked",
        checked.len()
    );
    assert!(
        too_new.is_empty(),
        "the MSRV is {msrv}, but locked dependencies need a newer Rust:\n{}",
        too_new.join("\n")
    );
}

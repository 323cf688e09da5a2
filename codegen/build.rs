//! Embeds the runtime's sources (`../runtime/src/**`, copied into crates generated with
//! `runtime = "vendored"`) and the runtime's Cargo.toml (its version, features and dependencies
//! decide the generated crates' manifests) into the generator, so that it never reads its own
//! source tree at run time. Also records where the runtime crate is, for the path dependency of
//! generated crates.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let runtime = manifest_dir.join("../runtime");
    let rt = runtime.join("src");
    let mut files = Vec::new();
    collect(&rt, &rt, &mut files);
    files.sort();
    let mut out = String::from("/// The runtime's source files as (path under `src/`, contents).\npub const RUNTIME_FILES: &[(&str, &str)] = &[\n");
    for (relative, absolute) in &files {
        writeln!(out, "    ({relative:?}, include_str!({absolute:?})),")
            .expect("writing to a String cannot fail");
    }
    out.push_str("];\n");
    let cargo_toml = runtime.join("Cargo.toml");
    writeln!(
        out,
        "/// The runtime crate's manifest (its dependencies become the generated crate's).\npub const RUNTIME_CARGO_TOML: &str = include_str!({:?});",
        cargo_toml.display().to_string()
    )
    .expect("writing to a String cannot fail");
    let runtime_dir = runtime
        .canonicalize()
        .expect("the runtime crate is beside the generator");
    writeln!(
        out,
        "/// The runtime crate's folder when the generator was built.\npub const RUNTIME_DIR: &str = {:?};",
        runtime_dir.display().to_string()
    )
    .expect("writing to a String cannot fail");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out_dir.join("runtime_files.rs"), out).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=../runtime/src");
    println!("cargo:rerun-if-changed=../runtime/Cargo.toml");
    for (_, absolute) in &files {
        println!("cargo:rerun-if-changed={absolute}");
    }
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let entries = std::fs::read_dir(dir).expect("the runtime folder is readable");
    for entry in entries {
        let path = entry.expect("a readable folder entry").path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path
                .strip_prefix(root)
                .expect("files are under the root")
                .to_string_lossy()
                .replace('\\', "/");
            files.push((relative, path.display().to_string()));
        }
    }
}

//! Runtime capabilities: runtime modules that only some services need.
//!
//! Each capability is a module of `runtime/src/rt/` gated in `rt/mod.rs` by
//! `#[cfg(feature = "<capability>")]` on the line above `pub mod <module>;`, plus a runtime Cargo
//! feature of that name whose `dep:` entries are the module's optional dependencies. The runtime
//! crate enables them all to compile and test them. A generated crate whose model needs a
//! capability gets its module (without the cfg line) and its dependencies as plain
//! dependencies; other crates get neither, so they carry no unused code or crates. Only
//! generated code calls a capability module: the common runtime never refers to one.

use crate::error::{CodegenError, Result};
use crate::ir::ServiceIr;
use crate::runtime::{RUNTIME_CARGO_TOML, RUNTIME_FILES};

/// A runtime module that only services with some model feature need.
struct Capability {
    /// The runtime Cargo feature gating the module.
    feature: &'static str,
    /// The module's name under `rt/`.
    module: &'static str,
    /// Whether a service needs it.
    needed: fn(&ServiceIr) -> bool,
}

const CAPABILITIES: &[Capability] = &[
    Capability {
        feature: "request-compression",
        module: "compression",
        needed: |ir| ir.operations.iter().any(|op| op.request_compression),
    },
    Capability {
        feature: "glacier-checksums",
        module: "glacier",
        needed: |ir| ir.operations.iter().any(|op| op.glacier_checksums),
    },
    Capability {
        feature: "content-md5",
        module: "checksum",
        needed: |ir| ir.operations.iter().any(|op| op.checksum_required),
    },
    Capability {
        feature: "byte-stream",
        module: "byte_stream",
        needed: ServiceIr::has_streaming_blobs,
    },
    // The codecs below are built and tested in the runtime, but no protocol emitter uses them
    // yet (event streams: issue 16; Smithy RPC v2 CBOR: issue 17), so no crate gets them.
    Capability {
        feature: "event-stream",
        module: "event_stream",
        needed: |_| false,
    },
    Capability {
        feature: "cbor",
        module: "cbor",
        needed: |_| false,
    },
];

/// The runtime's dev-dependencies that only its own integration tests (`runtime/tests/`) use:
/// the unit tests copied into generated crates never need them, so generated crates do not get
/// them.
const RUNTIME_TEST_ONLY_DEPENDENCIES: &[&str] = &[
    "codegen-runtime",
    "proptest",
    "aws-smithy-eventstream",
    "aws-smithy-types",
];

fn runtime_error(file: &str, message: String) -> CodegenError {
    CodegenError::Emit {
        file: format!("codegen/runtime/{file}"),
        message,
    }
}

/// The runtime files a crate for `ir` gets, as (path under `src/rt/`, contents): capability
/// modules it does not need are left out and `mod.rs` declares exactly the ones it has.
pub fn runtime_files(ir: &ServiceIr) -> Result<Vec<(String, String)>> {
    let mut files = Vec::with_capacity(RUNTIME_FILES.len());
    for (path, source) in RUNTIME_FILES {
        // A capability module is one file (`<module>.rs`) or a folder (`<module>/...`).
        let dropped = CAPABILITIES.iter().any(|c| {
            !(c.needed)(ir)
                && (*path == format!("{}.rs", c.module)
                    || path.starts_with(&format!("{}/", c.module)))
        });
        if dropped {
            continue;
        }
        let source = if *path == "mod.rs" {
            module_list(ir, source)?
        } else {
            (*source).to_owned()
        };
        files.push(((*path).to_owned(), source));
    }
    Ok(files)
}

/// `rt/mod.rs` with each capability's cfg line removed, and its `pub mod` line too when the
/// service does not need it.
fn module_list(ir: &ServiceIr, source: &str) -> Result<String> {
    let mut out = String::with_capacity(source.len());
    let mut lines = source.lines();
    let mut seen = Vec::new();
    while let Some(line) = lines.next() {
        let capability = CAPABILITIES
            .iter()
            .find(|c| line.trim() == format!("#[cfg(feature = \"{}\")]", c.feature));
        let Some(capability) = capability else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let declaration = lines.next().unwrap_or_default();
        if declaration.trim() != format!("pub mod {};", capability.module) {
            return Err(runtime_error(
                "src/rt/mod.rs",
                format!(
                    "the line after the cfg of capability `{}` must be `pub mod {};`",
                    capability.feature, capability.module
                ),
            ));
        }
        seen.push(capability.feature);
        if (capability.needed)(ir) {
            out.push_str(declaration);
            out.push('\n');
        }
    }
    if let Some(missing) = CAPABILITIES.iter().find(|c| !seen.contains(&c.feature)) {
        return Err(runtime_error(
            "src/rt/mod.rs",
            format!(
                "capability `{}` has no `#[cfg(feature = \"{}\")]` line",
                missing.feature, missing.feature
            ),
        ));
    }
    Ok(out)
}

/// A table of the runtime's manifest (`features`, `dependencies` or `dev-dependencies`) as a
/// crate for `ir` needs it: capability features removed, the optional dependencies of the
/// capabilities it needs made plain, those of the others removed. The dev-dependencies that
/// only the runtime's own integration tests use are left out.
pub fn manifest_table(ir: &ServiceIr, name: &str) -> Result<toml::Table> {
    let manifest: toml::Table = RUNTIME_CARGO_TOML
        .parse()
        .map_err(|err: toml::de::Error| runtime_error("Cargo.toml", err.to_string()))?;
    let features = manifest
        .get("features")
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    let mut table = manifest
        .get(name)
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    if name == "dev-dependencies" {
        for dep in RUNTIME_TEST_ONLY_DEPENDENCIES {
            table.remove(*dep);
        }
    }
    for capability in CAPABILITIES {
        let deps: Vec<String> = features
            .get(capability.feature)
            .and_then(toml::Value::as_array)
            .ok_or_else(|| {
                runtime_error(
                    "Cargo.toml",
                    format!("capability `{}` is not a feature", capability.feature),
                )
            })?
            .iter()
            .filter_map(|v| v.as_str()?.strip_prefix("dep:").map(str::to_owned))
            .collect();
        match name {
            "features" => {
                table.remove(capability.feature);
            }
            "dependencies" => {
                for dep in deps {
                    if !(capability.needed)(ir) {
                        table.remove(&dep);
                        continue;
                    }
                    let Some(toml::Value::Table(spec)) = table.get_mut(&dep) else {
                        return Err(runtime_error(
                            "Cargo.toml",
                            format!("`{dep}` of capability `{}` must be an optional dependency written as a table", capability.feature),
                        ));
                    };
                    spec.remove("optional");
                    if spec.len() == 1 {
                        if let Some(version) = spec.get("version").cloned() {
                            table.insert(dep, version);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(table)
}
